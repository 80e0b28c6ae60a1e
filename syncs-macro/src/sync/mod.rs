//! `sync!`: synchronizations in the spec language, compiled to typed
//! matching code. Stages: [`ast`] parses, [`check`] finds the mistakes rustc
//! cannot see, [`expand`] generates the code.

mod ast;
mod check;
mod expand;

use proc_macro2::TokenStream;

use crate::diag::Diagnostics;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let list = match syn::parse2::<ast::SyncList>(input) {
        Ok(list) => list,
        Err(error) => return error.to_compile_error(),
    };
    let mut output = TokenStream::new();
    for sync in &list.0 {
        let mut diagnostics = Diagnostics::default();
        let bindings = check::check(sync, &mut diagnostics);
        let tokens = if diagnostics.is_empty() {
            expand::sync(sync, &bindings)
        } else {
            let mut tokens = diagnostics.to_compile_errors();
            tokens.extend(expand::stub(sync));
            tokens
        };
        crate::debug::maybe_print(&sync.name.to_string(), &tokens);
        output.extend(tokens);
    }
    output
}
