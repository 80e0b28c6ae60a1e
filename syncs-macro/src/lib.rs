//! Procedural macros of syncs (re-exported by `syncs-runtime`).
use proc_macro::TokenStream;

/// Placeholder.
#[proc_macro_attribute]
pub fn concept(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
/// Placeholder.
#[proc_macro]
pub fn sync(_item: TokenStream) -> TokenStream {
    TokenStream::new()
}
