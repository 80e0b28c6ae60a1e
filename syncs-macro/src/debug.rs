//! `SYNCS_EXPAND`: print a macro's expansion for debugging.

use proc_macro2::TokenStream;
use quote::quote;

/// An item that reads `SYNCS_EXPAND` with `option_env!`, so that rustc
/// records the variable among the crate's inputs and cargo rebuilds the
/// crate when it is set, changed or unset: without it, a build reused
/// from before the variable was set printed nothing, and one after it was
/// unset replayed the expansion cargo had cached.
pub(crate) fn tracked() -> TokenStream {
    quote!(
        const _: ::core::option::Option<&str> = ::core::option_env!("SYNCS_EXPAND");
    )
}

/// Prints `tokens` to standard error if `SYNCS_EXPAND` names `name` (or is `*`).
pub(crate) fn maybe_print(name: &str, tokens: &TokenStream) {
    let Ok(wanted) = std::env::var("SYNCS_EXPAND") else {
        return;
    };
    if wanted
        .split(',')
        .any(|item| item.trim() == name || item.trim() == "*")
    {
        let text = match syn::parse2::<syn::File>(tokens.clone()) {
            Ok(file) => prettyplease::unparse(&file),
            Err(_) => tokens.to_string(),
        };
        eprintln!("// ---- SYNCS_EXPAND: {name} ----\n{text}");
    }
}
