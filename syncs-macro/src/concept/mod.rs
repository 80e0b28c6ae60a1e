//! `#[concept]`: an `impl` block of `async fn`s becomes a concept.
//!
//! Each `async fn` whose name does not start with `_` is an action; each whose
//! name starts with `_` is a query. The macro keeps the `impl` block as
//! written (minus the `#[secret]`, `#[secret(...)]` and `#[infallible]`
//! markers, plus `#[allow(clippy::unused_async)]` on each fn, as `async` is
//! required even of actions that never wait) and generates, next to it, the action,
//! outcome, query and rows enums and the `Concept` implementation.

mod expand;
mod parse;

use proc_macro2::TokenStream;

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut diagnostics = crate::diag::Diagnostics::default();
    if !attr.is_empty() {
        diagnostics.error_at(&attr, "`#[concept]` takes no arguments");
    }
    let block = match syn::parse2::<syn::ItemImpl>(item.clone()) {
        Ok(block) => block,
        Err(error) => {
            let mut tokens = syn::Error::new(
                error.span(),
                "`#[concept]` goes on an `impl` block: `#[concept] impl MyConcept { async fn action(&self, ...) ... }`",
            )
            .to_compile_error();
            tokens.extend(item);
            return tokens;
        }
    };
    let concept = parse::concept(block, &mut diagnostics);
    let mut tokens = diagnostics.to_compile_errors();
    // A fn with a mistake is left out of the generated items (except one
    // only missing its `async`, whose shape is known); the others are
    // generated, so that the concept's other uses compile and the
    // mistakes reported are the fn's own (and its uses'), not "not a
    // concept" at every use. A concept none of whose fns is right has no
    // items to generate.
    let generate = diagnostics.is_empty()
        || (concept.is_concept && !(concept.actions.is_empty() && concept.queries.is_empty()));
    tokens.extend(expand::concept(&concept, generate));
    crate::debug::maybe_print(&concept.name.to_string(), &tokens);
    tokens.extend(crate::debug::tracked());
    tokens
}
