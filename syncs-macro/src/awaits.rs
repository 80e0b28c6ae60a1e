//! Whether Rust code may suspend: used to run code that cannot without a
//! future of its own (a sync's matching, a concept's action).

use proc_macro2::{TokenStream, TokenTree};

/// Standard macros that never expand to an `.await`.
const NEVER_AWAIT: &[&str] = &[
    "format",
    "vec",
    "json",
    "matches",
    "concat",
    "stringify",
    "line",
    "file",
    "column",
    "env",
    "option_env",
    "include_str",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "dbg",
    "write",
    "writeln",
    "print",
    "println",
    "eprint",
    "eprintln",
];

/// Whether `tokens` say `.await` or call a macro that might (any macro but
/// the standard ones known not to). Conservative: `true` may be wrong,
/// `false` is not.
pub(crate) fn may_await(tokens: TokenStream) -> bool {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    tokens.iter().enumerate().any(|(at, token)| match token {
        TokenTree::Ident(ident) if ident == "await" => true,
        // `name!(...)`: a macro call.
        TokenTree::Ident(ident) => {
            matches!(tokens.get(at + 1), Some(TokenTree::Punct(bang)) if bang.as_char() == '!')
                && matches!(tokens.get(at + 2), Some(TokenTree::Group(_)))
                && !NEVER_AWAIT.contains(&ident.to_string().as_str())
        }
        TokenTree::Group(group) => may_await(group.stream()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn awaits_and_unknown_macros_may_suspend() {
        assert!(may_await(quote!(self.store.get(id).await)));
        assert!(may_await(quote!({
            let x = { fetch().await };
            x
        })));
        assert!(may_await(quote!(tokio::join!(a, b))));
        assert!(!may_await(quote!(format!("{}", x).len() > 2)));
        assert!(!may_await(quote!(!(a && b) && vec![1].is_empty())));
        assert!(!may_await(quote!(self.users.lock().map(|users| users.len()))));
    }
}
