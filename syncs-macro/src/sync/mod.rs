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
    // A name given twice in one call (a copied sync not yet renamed) is one
    // error at its second use; generating it again would add rustc's
    // E0428 and a conflicting implementation per derived trait. Syncs
    // under `#[cfg]` are left out of the count: `#[cfg(a)] X` and
    // `#[cfg(not(a))] X` are alternatives, not a repeat.
    let mut names = std::collections::HashSet::new();
    let mut repeated = vec![false; list.syncs.len()];
    for (index, sync) in list.syncs.iter().enumerate() {
        let has_cfg = sync
            .attrs
            .iter()
            .any(|attribute| attribute.path().is_ident("cfg"));
        if !has_cfg && !names.insert(sync.name.to_string()) {
            output.extend(
                syn::Error::new(
                    sync.name.span(),
                    format!(
                        "a sync named `{}` is declared twice in this `sync!`: rename one of them",
                        sync.name
                    ),
                )
                .to_compile_error(),
            );
            repeated[index] = true;
        }
    }
    for failed in &list.failed {
        output.extend(failed.error.to_compile_error());
        if let Some(head) = &failed.head {
            // Its name is defined by the sync that parsed, if one did.
            if !names.contains(&head.name.to_string()) {
                output.extend(expand::stub_named(&head.attrs, &head.vis, &head.name));
            }
        }
    }
    for (sync, repeated) in list.syncs.iter().zip(repeated) {
        if repeated {
            continue;
        }
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
    output.extend(crate::debug::tracked());
    output
}

#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    /// Words of the spec language and a few others, to build token streams
    /// that are close to syncs (random bytes would rarely get past the lexer).
    /// Groups come whole, so that every stream gets past the lexer.
    const WORDS: &[&str] = &[
        "pub",
        "Name",
        "when",
        "where",
        "then",
        "Concept",
        ".",
        "action",
        "_query",
        "()",
        "(x)",
        "(x, y: 3)",
        "(path: \"/p\", x)",
        "(error)",
        "(x, error)",
        "(x, x)",
        "(y: -2.5, z: null)",
        ":",
        ",",
        "x",
        "y",
        "3",
        "-",
        "true",
        "null",
        "if",
        "let",
        "=",
        "collect",
        "as",
        "not",
        "Requesting",
        "request",
        "respond",
        "error",
        "==",
        "/// doc",
        "{}",
        ";",
        "x + 1",
        "sync",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        /// Whatever the input, `sync!` answers with tokens (code or
        /// compile errors), never a panic.
        #[test]
        fn the_sync_compiler_never_panics(words in proptest::collection::vec(0..WORDS.len(), 0..40)) {
            let text: Vec<&str> = words.iter().map(|index| WORDS[*index]).collect();
            let tokens = text.join(" ").parse::<proc_macro2::TokenStream>();
            prop_assert!(tokens.is_ok(), "every stream lexes");
            if let Ok(tokens) = tokens {
                let _ = super::expand(tokens);
            }
        }
    }

    #[test]
    fn a_valid_sync_expands_and_a_broken_one_is_an_error() {
        let valid: proc_macro2::TokenStream = "pub S when Concept.action (x) : () then Concept.action (x)"
            .parse()
            .expect("tokens");
        assert!(!super::expand(valid).to_string().contains("compile_error"));
        let broken: proc_macro2::TokenStream = "pub S when then".parse().expect("tokens");
        assert!(super::expand(broken).to_string().contains("compile_error"));
    }
}
