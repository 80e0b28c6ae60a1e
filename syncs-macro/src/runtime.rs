//! The runtime crate's path in generated code, as the user's crate names
//! it: a renamed dependency (`syncs = { package = "syncs-runtime", .. }`)
//! is found in the user's Cargo.toml.

use proc_macro2::{Span, TokenStream};
use proc_macro_crate::{crate_name, FoundCrate};
use quote::quote_spanned;

/// The name the user's crate gives the runtime. Looked up once per crate:
/// generated code names the runtime many times per sync. (The key is the
/// crate's manifest, as one process may expand macros for several crates.)
pub(crate) fn name() -> String {
    thread_local! {
        static FOUND: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
    }
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    FOUND.with(|found| {
        if let Some((known, name)) = &*found.borrow() {
            if *known == manifest {
                return name.clone();
            }
        }
        let name = match crate_name("syncs-runtime") {
            Ok(FoundCrate::Name(name)) => name,
            // The runtime's own doctests name it as its users do; a
            // manifest that cannot be read leaves the usual name.
            Ok(FoundCrate::Itself) | Err(_) => "syncs_runtime".to_owned(),
        };
        *found.borrow_mut() = Some((manifest, name.clone()));
        name
    })
}

/// `::<runtime>::__private`, what generated code reaches the runtime
/// through, at `span`.
pub(crate) fn private_at(span: Span) -> TokenStream {
    let runtime = syn::Ident::new(&name(), span);
    quote_spanned!(span=> ::#runtime::__private)
}

/// The path of the runtime's copy of serde, for `#[serde(crate = "...")]`.
pub(crate) fn serde_path() -> String {
    format!("::{}::__private::serde", name())
}
