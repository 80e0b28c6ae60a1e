//! Procedural macros of `syncs`: `#[concept]` and `sync!`.
//!
//! Use them through `syncs-runtime`, which re-exports them and holds the types
//! their expansions name. `sync!` is split into stages, one file
//! each: `ast` (syntax to a tree), `check` (what rustc cannot see: bindings,
//! outcome forms, clause structure), `expand` (code generation, with the
//! user's spans so rustc's own errors land on the user's tokens).
//! `#[concept]` has `parse` and `expand` (what it checks, it checks while
//! parsing).
//!
//! Set `SYNCS_EXPAND=Name` (or `SYNCS_EXPAND=*`) while building to print the
//! code generated for the sync or concept `Name` to standard error.

use proc_macro::TokenStream;

mod awaits;
mod concept;
mod debug;
mod diag;
mod runtime;
mod sync;

/// Turns an `impl` block of `async fn`s into a concept. See the
/// `syncs-runtime` documentation of `concept` for the full description.
#[proc_macro_attribute]
pub fn concept(attr: TokenStream, item: TokenStream) -> TokenStream {
    concept::expand(attr.into(), item.into()).into()
}

/// Compiles synchronizations written in the spec language. See the
/// `syncs-runtime` documentation of `sync!` for the full description.
#[proc_macro]
pub fn sync(input: TokenStream) -> TokenStream {
    sync::expand(input.into()).into()
}
