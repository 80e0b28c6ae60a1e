//! Reads a concept's `impl` block: its actions, queries, inputs and outcomes.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, ImplItem, ItemImpl, Pat, PathArguments, ReturnType, Type};

use crate::diag::Diagnostics;

pub(crate) struct Concept {
    /// The `impl` block as the user wrote it, minus the `#[secret]` and
    /// `#[infallible]` markers.
    pub(crate) block: ItemImpl,
    pub(crate) name: syn::Ident,
    pub(crate) self_ty: Type,
    pub(crate) actions: Vec<Operation>,
    pub(crate) queries: Vec<Operation>,
    /// Whether the block is a concept at all (an inherent `impl` of a named,
    /// non-generic type), whatever its fns' mistakes: then the concept's
    /// items are generated from the fns without mistakes, so that only the
    /// broken fns' uses fail, not every use of the concept.
    pub(crate) is_concept: bool,
}

pub(crate) struct Operation {
    pub(crate) name: syn::Ident,
    pub(crate) docs: Vec<syn::Attribute>,
    pub(crate) inputs: Vec<Input>,
    /// For an action: the success form's type. For a query: the row type.
    pub(crate) output: Type,
    /// For a query: whether it returns its rows in a `Result`.
    pub(crate) fallible: bool,
    /// For a query: whether it returns `Option<Row>` (at most one row),
    /// which the static checks rely on: a sync may answer a request after
    /// it without `collect`.
    pub(crate) single_row: bool,
    /// Outcome fields marked secret with `#[secret(field, ...)]` on the fn.
    pub(crate) outcome_secrets: Vec<syn::Ident>,
    /// An action marked `#[infallible]`: it has no `error` outcome.
    pub(crate) infallible: bool,
    /// Whether the body may suspend (says `.await`, or calls a macro that
    /// might): an action that cannot runs to its end in its first poll.
    pub(crate) awaits: bool,
    /// Declared without `async`: an error reported already, but its types
    /// are still generated (and it is called without `.await`), so that a
    /// sync naming it does not add an error of its own about a missing
    /// action.
    pub(crate) not_async: bool,
}

pub(crate) struct Input {
    pub(crate) name: syn::Ident,
    pub(crate) ty: Type,
    pub(crate) secret: bool,
}

pub(crate) fn concept(mut block: ItemImpl, diagnostics: &mut Diagnostics) -> Concept {
    let name = match &*block.self_ty {
        Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|segment| segment.ident.clone())
        }
        _ => None,
    };
    let mut is_concept = name.is_some();
    let name = name.unwrap_or_else(|| {
        diagnostics.error_at(
            &block.self_ty,
            "a concept is a named type: `#[concept] impl MyConcept { ... }`",
        );
        syn::Ident::new("UnnamedConcept", Span::call_site())
    });
    if let Some((_, path, _)) = &block.trait_ {
        is_concept = false;
        diagnostics.error_at(
            path,
            "`#[concept]` goes on an inherent `impl` block (`impl MyConcept`), not on a trait implementation",
        );
    }
    if !block.generics.params.is_empty() {
        is_concept = false;
        diagnostics.error_at(&block.generics, "a concept cannot be generic");
    }
    let mut actions = Vec::new();
    let mut queries = Vec::new();
    for item in &mut block.items {
        let ImplItem::Fn(function) = item else {
            continue;
        };
        if let Some(operation) = operation(function, diagnostics) {
            if function.sig.ident.to_string().starts_with('_') {
                queries.push(operation);
            } else {
                actions.push(operation);
            }
        }
    }
    if actions.is_empty() && queries.is_empty() && diagnostics.is_empty() {
        diagnostics.error(
            Span::call_site(),
            "a concept needs at least one action: an `async fn` in this `impl` block",
        );
    }
    let self_ty = (*block.self_ty).clone();
    Concept {
        block,
        name,
        self_ty,
        actions,
        queries,
        is_concept,
    }
}

fn operation(function: &mut syn::ImplItemFn, diagnostics: &mut Diagnostics) -> Option<Operation> {
    let outcome_secrets = take_outcome_secrets(&mut function.attrs, diagnostics);
    let infallible = take_infallible(&mut function.attrs, diagnostics);
    let signature = &mut function.sig;
    let name = signature.ident.clone();
    let is_query = name.to_string().starts_with('_');
    let what = if is_query { "query" } else { "action" };
    let takes_self = matches!(signature.inputs.first(), Some(FnArg::Receiver(_)));
    if !takes_self && signature.asyncness.is_none() {
        // Neither `async` nor a method: a constructor or a helper (`fn
        // new() -> Self`), not an action gone wrong. One error saying where
        // it belongs, instead of one per rule of actions it breaks.
        diagnostics.error_at(
            &signature.ident,
            format!(
                "`{name}` is not an action or a query (it is not an `async fn` taking `&self`), and every fn \
                 in a `#[concept]` impl block is one: move `{name}` to a separate `impl` block without \
                 `#[concept]`"
            ),
        );
        return None;
    }
    let mut ok = true;
    if let Some(cfg) = function
        .attrs
        .iter()
        .find(|attribute| attribute.path().is_ident("cfg"))
    {
        diagnostics.error_at(
            cfg,
            format!(
                "`#[cfg]` cannot leave out the {what} `{name}` alone: the concept's generated types list \
                 every action and query; put it in a concept of its own under the `#[cfg]`, or leave its \
                 body to the `#[cfg]`"
            ),
        );
        ok = false;
    }
    if let (true, Some(span)) = (is_query, infallible) {
        diagnostics.error(
            span,
            format!(
                "`#[infallible]` marks actions that have no error outcome; the query `{name}` has none \
                 anyway (a failing query aborts its flow)"
            ),
        );
        ok = false;
    }
    let not_async = signature.asyncness.is_none();
    if not_async {
        diagnostics.error_at(
            signature.fn_token,
            format!(
                "the {what} `{name}` must be an `async fn`; every fn in a `#[concept]` impl block is an action \
                 or a query (move helper functions to a separate `impl` block)"
            ),
        );
    }
    if !signature.generics.params.is_empty() {
        diagnostics.error_at(
            &signature.generics,
            format!("the {what} `{name}` cannot be generic"),
        );
        ok = false;
    }
    let mut inputs = Vec::new();
    let mut has_receiver = false;
    for argument in &mut signature.inputs {
        match argument {
            FnArg::Receiver(receiver) => {
                if receiver.reference.is_none() || receiver.mutability.is_some() {
                    diagnostics.error_at(
                        &*receiver,
                        format!(
                            "the {what} `{name}` must take `&self`: concepts are shared between flows, keep \
                             mutable state behind a lock"
                        ),
                    );
                    ok = false;
                }
                has_receiver = true;
            }
            FnArg::Typed(typed) => {
                let secret = take_secret(&mut typed.attrs);
                match &*typed.pat {
                    Pat::Ident(_) if has_impl_trait(&typed.ty) => {
                        diagnostics.error_at(
                            &typed.ty,
                            format!(
                                "the inputs of the {what} `{name}` must have concrete types (`String`, not \
                                 `impl Into<String>`): the engine keeps each input in the action's record"
                            ),
                        );
                        ok = false;
                    }
                    Pat::Ident(_) if has_borrow(&typed.ty) => {
                        diagnostics.error_at(
                            &typed.ty,
                            format!(
                                "the inputs of the {what} `{name}` must be owned values without lifetimes \
                                 (`String`, not `&str` or `Cow<'_, str>`): the engine keeps each input in the \
                                 action's record"
                            ),
                        );
                        ok = false;
                    }
                    Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                        inputs.push(Input {
                            name: ident.ident.clone(),
                            ty: (*typed.ty).clone(),
                            secret,
                        })
                    }
                    other => {
                        diagnostics.error_at(
                            other,
                            format!(
                                "the inputs of the {what} `{name}` must be plain names (`user: String`): the \
                                 name is the field syncs match on"
                            ),
                        );
                        ok = false;
                    }
                }
            }
        }
    }
    if !has_receiver {
        diagnostics.error_at(
            &signature.ident,
            format!("the {what} `{name}` must take `&self` first"),
        );
        ok = false;
    }
    let (output, fallible, single_row) = if is_query {
        if let Some([_, error]) = match &signature.output {
            ReturnType::Type(_, ty) => generic_args::<2>(ty, "Result"),
            ReturnType::Default => None,
        } {
            if let Some(shown) = not_an_error_type(&error) {
                diagnostics.error_at(
                    &error,
                    format!(
                        "the query `{name}` has {shown} as its error type, which does not convert into \
                         `ActionError`: return `Result<Vec<Row>, ActionError>`, with \
                         `Err(ActionError::internal(..))` for a failure (it ends the flow)"
                    ),
                );
                return None;
            }
        }
        match query_rows(&signature.output) {
            Some(QueryRows {
                row,
                fallible,
                single_row,
            }) => {
                // `()` rows are taken: a query used only as a test
                // (`Things._exists (id) : ()`) needs no fields.
                if let Some(problem) = unnamed_fields(&row) {
                    diagnostics.error_at(
                        row.to_token_stream(),
                        format!(
                            "the query `{name}` returns rows of {problem}; a row is a set of named fields, \
                             which `where` steps bind by name: return `Vec<Row>`, where `Row` is a struct \
                             with named fields (e.g. `struct Title {{ pub title: String }}`)"
                        ),
                    );
                    return None;
                }
                (row, fallible, single_row)
            }
            None => {
                let span = match &signature.output {
                    ReturnType::Type(_, ty) => ty.span(),
                    ReturnType::Default => signature.ident.span(),
                };
                // An action's shape under a query's name: the `_` is the
                // likelier mistake than the return type.
                let action_shaped = match &signature.output {
                    ReturnType::Type(_, ty) => generic_args::<2>(ty, "Result")
                        .is_some_and(|[success, _]| generic_args::<1>(&success, "Option").is_none()),
                    ReturnType::Default => false,
                };
                let message = if action_shaped {
                    let plain = name.to_string();
                    let plain = plain.trim_start_matches('_');
                    format!(
                        "`{name}` starts with `_`, which makes it a query, and a query returns rows: \
                         for an action, drop the `_` (`{plain}`); for a query, return `Vec<Row>` (or \
                         `Option<Row>` for at most one row), in a `Result<_, ActionError>` if it can \
                         fail, where `Row` is a struct with named fields"
                    )
                } else {
                    format!(
                        "the query `{name}` must return its rows: `Vec<Row>` for any number of rows, or \
                         `Option<Row>` for at most one, in a `Result<_, ActionError>` if it can fail, where \
                         `Row` is a struct with named fields"
                    )
                };
                diagnostics.error(span, message);
                return None;
            }
        }
    } else {
        match action_success(&signature.output) {
            Ok(found) => (found, true, false),
            Err((tokens, message)) => {
                // Rows are a query's shape: the name is the mistake (a
                // leading `_` means "unused" elsewhere in Rust).
                let message = if returns_rows(&signature.output) {
                    format!(
                        "`{name}` returns rows, as a query does, but its name makes it an action: a \
                         query's name starts with `_`, rename it `_{name}` (an action {message})"
                    )
                } else {
                    format!("the action `{name}` {message}")
                };
                diagnostics.error_at(tokens, message);
                return None;
            }
        }
    };
    let awaits = crate::awaits::may_await(quote::ToTokens::to_token_stream(&function.block));
    let docs = function
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("doc"))
        .cloned()
        .collect();
    ok.then_some(Operation {
        name,
        docs,
        inputs,
        output,
        fallible,
        single_row,
        outcome_secrets,
        infallible: infallible.is_some(),
        awaits: awaits && !not_async,
        not_async,
    })
}

/// `#[infallible]` on an action (taken off the fn): where it was, if there.
fn take_infallible(attributes: &mut Vec<syn::Attribute>, diagnostics: &mut Diagnostics) -> Option<Span> {
    let mut found = None;
    attributes.retain(|attribute| {
        if !attribute.path().is_ident("infallible") {
            return true;
        }
        if !matches!(attribute.meta, syn::Meta::Path(_)) {
            diagnostics.error_at(
                attribute,
                "`#[infallible]` takes no arguments: it says the action has no error outcome",
            );
        }
        found = Some(attribute.path().span());
        false
    });
    found
}

/// `#[secret(session, token)]` on an action: outcome fields to redact.
fn take_outcome_secrets(
    attributes: &mut Vec<syn::Attribute>,
    diagnostics: &mut Diagnostics,
) -> Vec<syn::Ident> {
    let mut names = Vec::new();
    attributes.retain(|attribute| {
        if !attribute.path().is_ident("secret") {
            return true;
        }
        let parsed = attribute
            .parse_args_with(syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated);
        match parsed {
            Ok(list) => names.extend(list),
            Err(_) => diagnostics.error_at(
                attribute,
                "on an action, `#[secret(field, ...)]` names the outcome fields that hold secrets",
            ),
        }
        false
    });
    names
}

fn take_secret(attributes: &mut Vec<syn::Attribute>) -> bool {
    let before = attributes.len();
    attributes.retain(|attribute| !attribute.path().is_ident("secret"));
    attributes.len() != before
}

/// Whether a fn returns a query's rows (`Vec<_>`, `Option<_>`, either in a `Result`).
fn returns_rows(output: &ReturnType) -> bool {
    query_rows(output).is_some()
}

/// `Result<S, E>` → `S`, where `S` must be `()` or a struct with named fields.
fn action_success(output: &ReturnType) -> Result<Type, (TokenStream, String)> {
    const SHAPE: &str =
        "must return `Result<Success, ActionError>`, where `Success` is `()` or a struct with \
                         named fields (its outcome form); write the `Result` out, as the macro does not \
                         see through type aliases";
    let ReturnType::Type(_, ty) = output else {
        return Err((quote::quote_spanned!(output.span()=> ()), SHAPE.to_owned()));
    };
    let Some([success, error]) = generic_args::<2>(ty, "Result") else {
        return Err((ty.to_token_stream(), SHAPE.to_owned()));
    };
    if let Some(shown) = not_an_error_type(&error) {
        return Err((
            error.to_token_stream(),
            format!(
                "has {shown} as its error type, which does not convert into `ActionError`: return \
                 `Result<_, ActionError>`, with `Err(ActionError::fail(\"why\"))` for an error outcome that \
                 syncs match as `(error)`, or `Err(ActionError::internal(..))` for a failure that ends the flow"
            ),
        ));
    }
    if let Some(problem) = unnamed_fields(&success) {
        return Err((
            success.to_token_stream(),
            format!(
                "returns {problem} as its success outcome; an outcome form is a set of named fields: return a \
                 struct with named fields (e.g. `struct Created {{ pub session: String }}`) or `()`"
            ),
        ));
    }
    Ok(success)
}

/// Types that are certainly not a struct with named fields.
fn unnamed_fields(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Tuple(tuple) if !tuple.elems.is_empty() => Some("a tuple"),
        Type::Array(_) | Type::Slice(_) => Some("an array"),
        Type::Reference(_) => Some("a reference"),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?.ident.to_string();
            const PLAIN: &[&str] = &[
                "String", "str", "bool", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16",
                "i32", "i64", "i128", "isize", "f32", "f64", "Vec", "Option", "HashMap", "BTreeMap",
            ];
            PLAIN.contains(&last.as_str()).then_some("a plain value")
        }
        _ => None,
    }
}

/// What a query's return type says of its rows.
struct QueryRows {
    row: Type,
    /// Returned in a `Result`.
    fallible: bool,
    /// `Option<R>`: at most one row.
    single_row: bool,
}

/// `Vec<R>`, `Option<R>`, or either in a `Result<_, E>`.
fn query_rows(output: &ReturnType) -> Option<QueryRows> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let (rows, fallible) = match generic_args::<2>(ty, "Result") {
        Some([rows, _error]) => (rows, true),
        None => ((**ty).clone(), false),
    };
    let (row, single_row) = match generic_args::<1>(&rows, "Vec") {
        Some([row]) => (row, false),
        None => {
            let [row] = generic_args::<1>(&rows, "Option")?;
            (row, true)
        }
    };
    Some(QueryRows {
        row,
        fallible,
        single_row,
    })
}

/// Why `ty`, an action's or query's error type, cannot convert into
/// `ActionError`, for the error types people reach for first (`String`,
/// `anyhow::Error`, a boxed `dyn Error`); `None` for others, which rustc
/// checks. Without this, rustc reports a missing `From` impl twice, at
/// `#[concept]`, naming a function of the generated code.
fn not_an_error_type(ty: &Type) -> Option<&'static str> {
    let shown = match ty {
        Type::Reference(reference) if is_path_of(&reference.elem, &[&["str"]]) => "a string slice",
        Type::Tuple(tuple) if tuple.elems.is_empty() => "`()`",
        _ if is_path_of(
            ty,
            &[
                &["String"],
                &["std", "string", "String"],
                &["alloc", "string", "String"],
            ],
        ) =>
        {
            "`String`"
        }
        _ if is_path_of(
            ty,
            &[
                &["anyhow", "Error"],
                &["eyre", "Report"],
                &["color_eyre", "Report"],
            ],
        ) =>
        {
            "an `anyhow`-style error (it does not implement `std::error::Error`)"
        }
        _ => {
            // `Box<dyn Error>` does not implement `Error`; `Box<MyError>`
            // does, and converts.
            let [boxed] = generic_args::<1>(ty, "Box")?;
            if !matches!(boxed, Type::TraitObject(_)) {
                return None;
            }
            "a boxed `dyn Error` (which does not implement `std::error::Error`)"
        }
    };
    Some(shown)
}

/// Whether `ty` is written as one of `paths` (a plain path, no generics).
fn is_path_of(ty: &Type, paths: &[&[&str]]) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    if path.qself.is_some()
        || path
            .path
            .segments
            .iter()
            .any(|segment| !segment.arguments.is_none())
    {
        return false;
    }
    let written: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    paths.iter().any(|candidate| written == *candidate)
}

fn generic_args<const N: usize>(ty: &Type, name: &str) -> Option<[Type; N]> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    let types: Vec<Type> = arguments
        .args
        .iter()
        .filter_map(|argument| match argument {
            GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
        .collect();
    types.try_into().ok()
}

/// Whether `ty` borrows (`&str`, `Option<&[u8]>`): an input that does cannot
/// be kept in a record, which outlives the call.
fn has_borrow(ty: &syn::Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_reference(&mut self, _: &'ast syn::TypeReference) {
            self.0 = true;
        }
        // `Cow<'_, str>`: rustc itself asks for the lifetime `Cow<str>`
        // leaves out, then this says what to write instead.
        fn visit_lifetime(&mut self, _: &'ast syn::Lifetime) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}

/// Whether a type says `impl Trait` anywhere.
fn has_impl_trait(ty: &syn::Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}
