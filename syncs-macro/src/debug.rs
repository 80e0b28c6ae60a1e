//! `SYNCS_EXPAND`: print a macro's expansion for debugging.

use proc_macro2::TokenStream;

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
