//! Generates a sync's matching code.
//!
//! A sync becomes a unit struct implementing `Synchronization`. Its `compile`
//! builds the sync's description (for dispatch, HTTP validation and graphs)
//! and its evaluation function, which:
//!
//! 1. joins the `when` patterns over the flow's candidate records with nested
//!    loops; each variable is a Rust local named as the user wrote it, so
//!    rustc checks every use against its binding's type;
//! 2. runs the `where` steps, each turning the list of frames (record ids and
//!    a tuple of the bound variables) into a new list;
//! 3. builds the `then` invocations for every surviving frame.
//!
//! Types come from the concepts through values: `<Concept as
//! ConceptNames>::ACTIONS.name` (and `QUERIES`) is a marker with a view of an
//! action's inputs, accessors for its outcome (or a query's rows) and a typed
//! builder whose inputs are given through the names of the inputs
//! (`marker.input_names().user.give(builder, value)`). Every
//! name and field is spelled with the user's span, so a misspelled name, a
//! missing input or a value of the wrong type is rustc's own error under the
//! user's token, and, as everything after a wrong name hangs off the marker,
//! it is the only error.

use std::collections::HashSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};

use super::ast::{ActionPath, Field, Literal, Pattern, Step, SyncDecl, Value};
use super::check::{input_kind, mentions, Bindings, FieldKind};

/// A tuple of `items`, nested in groups of eight: the standard traits
/// (`Clone`, `PartialEq`, `Debug`) cover tuples of up to twelve elements, and
/// a sync may bind more variables than that. The same shape serves as a
/// pattern and as an expression.
fn tuple(items: Vec<TokenStream>) -> TokenStream {
    if items.len() <= 8 {
        return quote!((#(#items,)*));
    }
    let groups: Vec<TokenStream> = items.chunks(8).map(|chunk| tuple(chunk.to_vec())).collect();
    tuple(groups)
}

fn idents(vars: &[Ident]) -> Vec<TokenStream> {
    vars.iter().map(ToTokens::to_token_stream).collect()
}

/// An output pattern naming `error` selects the error outcome.
fn selects_error(pattern: &Pattern) -> bool {
    pattern.outputs.iter().any(|field| field.name == "error")
}

fn private() -> TokenStream {
    crate::runtime::private_at(Span::call_site())
}

/// The support module's path with the user's span, for code whose errors
/// must land on the user's token rather than on the whole macro call.
fn private_at(span: Span) -> TokenStream {
    crate::runtime::private_at(span)
}

/// The concept's type in generated code: the built-in `Requesting`, or an
/// alias of the user's type (declared once per concept by
/// [`Generator::declare_concepts`], so an unknown concept is one error).
fn concept_type(action: &ActionPath) -> TokenStream {
    if action.is_requesting() {
        let p = private();
        quote_spanned!(action.concept.span()=> #p::Requesting)
    } else {
        concept_alias(&action.concept).to_token_stream()
    }
}

fn concept_alias(concept: &Ident) -> Ident {
    Ident::new(&format!("__Concept_{concept}"), concept.span())
}

fn slot_name(var: &Ident) -> Ident {
    format_ident!("__slot_{}", var)
}

fn docs(sync: &SyncDecl) -> String {
    let mut lines = Vec::new();
    for attribute in &sync.attrs {
        if let syn::Meta::NameValue(meta) = &attribute.meta {
            if meta.path.is_ident("doc") {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &meta.value
                {
                    lines.push(text.value().trim().to_owned());
                }
            }
        }
    }
    lines.join("\n")
}

/// A unit struct for the sync, with a `compile` that panics: emitted when the
/// sync has errors, so that its uses elsewhere add no errors of their own.
pub(crate) fn stub(sync: &SyncDecl) -> TokenStream {
    let mut tokens = stub_named(&sync.attrs, &sync.vis, &sync.name);
    let mut probed = Vec::new();
    tokens.extend(outcome_field_probes(sync, &mut probed));
    tokens.extend(concept_mentions(sync, &probed));
    tokens
}

/// For a sync with errors, code naming each concept it names that the
/// probes do not, once, at the user's token: the `use` that brings it in
/// is then used (without this, every mistake in a sync came with an
/// "unused import" warning).
fn concept_mentions(sync: &SyncDecl, probed: &[String]) -> TokenStream {
    let mentions: TokenStream = sync
        .concepts()
        .into_iter()
        .filter(|concept| !probed.contains(&concept.to_string()))
        .map(|concept| quote_spanned!(concept.span()=> let _ = ::core::marker::PhantomData::<#concept>;))
        .collect();
    match mentions.is_empty() {
        true => mentions,
        false => type_checked(quote!(fn __concepts_named() { #mentions })),
    }
}

/// For a sync with errors, code that names each success field its `when`
/// patterns match, and each row field its `where` queries bind, at the
/// user's token: a misspelled one (`: (tdo)` for
/// `todo`) is then reported by rustc with the fields there are, in the same
/// build as the sync's other mistakes, and a right one adds nothing. (The
/// sync's own check cannot see a concept's fields; without this, an
/// unbound-variable error would point at `tdo` as the fix.)
fn outcome_field_probes(sync: &SyncDecl, concepts: &mut Vec<String>) -> TokenStream {
    let p = private();
    let mut probes = TokenStream::new();
    // Not for `Requesting` (its outcomes are not structs) nor for a query
    // in `when`, which the check has reported already.
    let probed = sync.when.iter().filter(|pattern| {
        !pattern.action.is_requesting() && !pattern.action.action.to_string().starts_with('_')
    });
    for pattern in probed {
        if pattern.outputs.iter().any(|field| field.name == "error") {
            continue;
        }
        let concept = &pattern.action.concept;
        let action = &pattern.action.action;
        concepts.push(concept.to_string());
        let accesses = field_accesses(&pattern.outputs, &quote!(__success));
        probes.extend(type_checked(quote! {
            fn __outcome_fields() {
                // The outcome's type comes from the marker's `outcome`: the
                // concept's type is named once, through `ConceptNames`.
                let __marker = <#concept as #p::ConceptNames>::ACTIONS.#action;
                let _ = |__outcome| {
                    if let ::core::option::Option::Some(::core::result::Result::Ok(__success)) =
                        __marker.outcome(__outcome)
                    {
                        #accesses
                    }
                };
            }
        }));
    }
    // And each row field its `where` queries bind (`: (title, copise)`).
    for step in &sync.steps {
        let Step::Query { action, outputs, .. } = step else {
            continue;
        };
        // An action in `where` (no `_`) has been reported by the check.
        if action.is_requesting() || outputs.is_empty() || !action.action.to_string().starts_with('_') {
            continue;
        }
        let concept = &action.concept;
        let query = &action.action;
        concepts.push(concept.to_string());
        let accesses = field_accesses(outputs, &quote!(__row));
        probes.extend(type_checked(quote! {
            fn __row_fields() {
                let __marker = <#concept as #p::ConceptNames>::QUERIES.#query;
                let _ = |__rows| {
                    if let ::core::option::Option::Some(__rows) = __marker.rows(__rows) {
                        for __row in &__rows {
                            #accesses
                        }
                    }
                };
            }
        }));
    }
    probes
}

/// `let _ = &value.field;` for each output field, at the user's token.
fn field_accesses(outputs: &[Field], value: &TokenStream) -> TokenStream {
    outputs
        .iter()
        .map(|field| {
            let name = &field.name;
            quote_spanned!(name.span()=> let _ = &#value.#name;)
        })
        .collect()
}

/// Code that is only type-checked, never run.
fn type_checked(function: TokenStream) -> TokenStream {
    quote! {
        #[allow(non_snake_case, dead_code, unused_variables)]
        const _: () = { #function };
    }
}

/// [`stub`] for a sync known only by its head (it did not parse).
pub(crate) fn stub_named(attrs: &[syn::Attribute], vis: &syn::Visibility, name: &Ident) -> TokenStream {
    let p = private();
    let message = format!("sync `{name}` did not compile");
    let declaration = sync_struct(vis, name);
    let cfgs = conditions(attrs);
    quote! {
        #(#attrs)*
        #declaration
        #(#cfgs)*
        impl #p::Synchronization for #name {
            fn compile(&self) -> #p::CompiledSync {
                ::core::panic!(#message)
            }
        }
    }
}

/// The `#[cfg(...)]` among a sync's attributes: they apply to its
/// `Synchronization` impl too, which would otherwise name a struct that
/// the condition removed.
fn conditions(attrs: &[syn::Attribute]) -> Vec<&syn::Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("cfg")).collect()
}

/// For each variable, the names that make it secret in traces if any of
/// them is: the fields it is bound from or given to, and for a variable
/// made by `let` or `collect`, the names of the variables it is made of and
/// theirs (`let given = header(&authorization)` holds a token too).
fn secret_sources(sync: &SyncDecl) -> Vec<(String, Vec<String>)> {
    let mut fields: Vec<&Field> = Vec::new();
    for pattern in &sync.when {
        fields.extend(pattern.inputs.iter().chain(&pattern.outputs));
    }
    for step in &sync.steps {
        if let Step::Query { inputs, outputs, .. } | Step::Absence { inputs, outputs, .. } = step {
            fields.extend(inputs.iter().chain(outputs));
        }
    }
    for call in &sync.then {
        fields.extend(&call.inputs);
    }
    let seeds = fields
        .into_iter()
        .filter_map(|field| Some((field.var()?.to_string(), field.name.to_string())));
    lineage(sync, seeds, true)
}

/// The request fields a sync gives to a concept's inputs, directly or
/// through `let`: `(action, input, field)`, for the engine to hide the
/// field in traces when the input is secret.
fn request_fields_given(sync: &SyncDecl) -> Vec<(&ActionPath, String, String)> {
    let seeds = sync
        .when
        .iter()
        .filter(|pattern| pattern.action.is_requesting())
        .flat_map(|pattern| &pattern.inputs)
        .filter_map(|field| Some((field.var()?.to_string(), field.name.to_string())));
    let from_request = lineage(sync, seeds, false);
    let queries = sync.steps.iter().filter_map(|step| match step {
        Step::Query { action, inputs, .. } | Step::Absence { action, inputs, .. } => Some((action, inputs)),
        _ => None,
    });
    let calls = sync.then.iter().map(|call| (&call.action, &call.inputs));
    let mut given = Vec::new();
    for (action, inputs) in queries.chain(calls).filter(|(action, _)| !action.is_requesting()) {
        for input in inputs {
            let Some(var) = input.var() else { continue };
            let var = var.to_string();
            for (_, fields) in from_request.iter().filter(|(known, _)| *known == var) {
                for field in fields {
                    given.push((action, input.name.to_string(), field.clone()));
                }
            }
        }
    }
    given
}

/// For each variable, the names it comes from: `seeds` (a variable and a
/// name its binding gives it), carried through `let` and `collect` to the
/// variables made of it, with those variables' own names too when
/// `with_variable_names`.
fn lineage(
    sync: &SyncDecl,
    seeds: impl IntoIterator<Item = (String, String)>,
    with_variable_names: bool,
) -> Vec<(String, Vec<String>)> {
    fn add(lineage: &mut Vec<(String, Vec<String>)>, var: String, names: Vec<String>) {
        let index = match lineage.iter().position(|(known, _)| *known == var) {
            Some(index) => index,
            None => {
                lineage.push((var, Vec::new()));
                lineage.len() - 1
            }
        };
        for name in names {
            if !lineage[index].1.contains(&name) {
                lineage[index].1.push(name);
            }
        }
    }
    let mut lineage: Vec<(String, Vec<String>)> = Vec::new();
    for (var, name) in seeds {
        add(&mut lineage, var, vec![name]);
    }
    // In order: a step can only use what the steps before it bound.
    for step in &sync.steps {
        let (made, parts) = match step {
            Step::Let { name, expr, .. } => {
                let known: Vec<Ident> = lineage
                    .iter()
                    .map(|(var, _)| Ident::new(var, Span::call_site()))
                    .collect();
                (name, super::check::mentions(&quote!(#expr), &known))
            }
            Step::Collect { vars, name, .. } => (name, vars.clone()),
            _ => continue,
        };
        let mut names = Vec::new();
        for part in parts {
            let part = part.to_string();
            if let Some((_, of_part)) = lineage.iter().find(|(var, _)| *var == part) {
                names.extend(of_part.iter().cloned());
            }
            if with_variable_names {
                names.push(part);
            }
        }
        if !names.is_empty() {
            add(&mut lineage, made.to_string(), names);
        }
    }
    lineage
}

/// Code that traces the current frames (only when the `trace` level is on).
fn trace_frames(sync: &str, stage: &str, frame: &[Ident], sources: &[(String, Vec<String>)]) -> TokenStream {
    let p = private();
    let variables = frame.iter().map(|var| {
        let name = var.to_string();
        let names = sources
            .iter()
            .find(|(bound, _)| *bound == name)
            .map(|(_, names)| names.as_slice())
            .unwrap_or_default();
        quote!((#name, &[#(#names),*]))
    });
    let vars: Vec<Ident> = frame
        .iter()
        .map(|var| Ident::new(&var.to_string(), Span::call_site()))
        .collect();
    let pattern = tuple(idents(&vars));
    quote! {
        if #p::trace_enabled() {
            #[allow(unused_imports)]
            use #p::{DescribeOther as _, DescribeSerialize as _};
            #p::trace_frames(
                #sync,
                #stage,
                &[#(#variables),*],
                __frames
                    .iter()
                    .map(|(_, #pattern)| ::std::vec![#((&#p::Describe(#vars)).describe()),*])
                    .collect(),
            );
        }
    }
}

pub(crate) fn sync(sync: &SyncDecl, bindings: &Bindings) -> TokenStream {
    let p = private();
    let secret_sources = secret_sources(sync);
    let sync_name = sync.name.to_string();
    let mut gen = Generator {
        bindings,
        used_once_in_then: used_once_in_then(sync),
        markers: TokenStream::new(),
        items: TokenStream::new(),
        marker_count: 0,
        when_markers: Vec::new(),
        query_markers: Vec::new(),
        ties: TokenStream::new(),
        tied: Vec::new(),
    };

    // `when`: nested loops, innermost pushes a frame.
    let mut frame: Vec<Ident> = Vec::new();
    let when_loops = gen.when_loops(&sync.when, &mut frame);
    let joined = match joins_patterns(&sync.when) {
        true => quote!(.with_joined_patterns()),
        false => TokenStream::new(),
    };
    let trace_when = trace_frames(&sync_name, "after when", &frame, &secret_sources);
    let when_specs: Vec<TokenStream> = sync
        .when
        .iter()
        .enumerate()
        .map(|(index, pattern)| gen.pattern_spec(index, pattern))
        .collect();

    // `where`: each step maps the frames. A `collect` keeps a copy of the
    // frames from just before the step that first binds what it collects, so
    // that groups whose items all ran out still answer with an empty list.
    let snapshot_points = collect_snapshot_points(&sync.steps);
    let mut snapshots: Vec<(usize, Vec<Ident>)> = Vec::new();
    let mut steps = TokenStream::new();
    let mut step_specs = Vec::new();
    for (index, step) in sync.steps.iter().enumerate() {
        for (collect, point) in &snapshot_points {
            if *point == index {
                let snapshot = format_ident!("__snapshot{}", collect);
                steps.extend(quote!(let #snapshot = ::std::clone::Clone::clone(&__frames);));
                snapshots.push((*collect, frame.clone()));
            }
        }
        let snapshot = snapshots
            .iter()
            .find(|(collect, _)| *collect == index)
            .map(|(_, vars)| vars.as_slice());
        let (code, spec) = gen.step(index, step, &mut frame, snapshot);
        steps.extend(code);
        steps.extend(quote!(__counts.push(__frames.len());));
        steps.extend(trace_frames(
            &sync_name,
            &format!("after where step {} `{}`", index + 1, step.label()),
            &frame,
            &secret_sources,
        ));
        step_specs.push(spec);
    }

    // `then`: the invocations of every frame.
    let (calls, then_refs): (Vec<TokenStream>, Vec<TokenStream>) = sync
        .then
        .iter()
        .map(|call| gen.call(&call.action, &call.inputs))
        .unzip();
    // Through the markers of the queries, in step order, as they run.
    let query_refs: Vec<TokenStream> = gen
        .query_markers
        .iter()
        .map(|marker| quote!(#marker.action_ref()))
        .collect();

    let slots = bindings.slotted.iter().map(|var| {
        let slot = slot_name(&Ident::new(var, Span::call_site()));
        if bindings.untyped.contains(var) {
            quote!(let #slot = #p::Slot::<#p::Value>::new();)
        } else {
            quote!(let #slot = #p::Slot::new();)
        }
    });

    let name = &sync.name;
    let name_text = name.to_string();
    let vis = &sync.vis;
    let attrs = &sync.attrs;
    let doc_text = docs(sync);
    let default_doc = if doc_text.is_empty() {
        let doc = format!("The sync `{name}`.");
        quote!(#[doc = #doc])
    } else {
        TokenStream::new()
    };
    let frame_pattern = tuple(idents(&frame));
    let aliases = declare_concepts(sync);
    let Generator {
        markers, items, ties, ..
    } = gen;

    // A failing query or field leaves the block, not the closure: an early
    // return in a closure makes rustc add, to any type mismatch in the
    // user's code after it, a note that the closure's "return type" was
    // inferred at that return, underlining the whole `sync!`.
    let body = quote! {
        let __evaluation: ::core::result::Result<#p::Evaluation, #p::InternalError> = '__evaluate: {
            let mut __frames = #p::Frames::new();
            #when_loops
            let mut __counts = #p::FrameCounts::new();
            __counts.push(__frames.len());
            #trace_when
            #steps
            let mut __firings = #p::Firings::new();
            for (__ids, #frame_pattern) in __frames {
                __firings.push(#p::Firing::new(__ids, #p::invocations([#(#calls),*])));
            }
            ::core::result::Result::Ok(#p::Evaluation::new(__firings, __counts))
        };
        __evaluation
    };
    // Matching that awaits nothing needs no future (nor its allocation).
    let eval = if awaits(sync) {
        quote! {
            #p::eval_fn(move |__input: #p::EvalInput<'_>| ::std::boxed::Box::pin(async move { #body }))
        }
    } else {
        quote!(#p::eval_now_fn(move |__input: #p::EvalInput<'_>| { #body }))
    };

    // Registered when the sync is, as the concepts' own secret names are.
    let secret_request_fields = request_fields_given(sync)
        .into_iter()
        .map(|(action, input, field)| {
            let concept = concept_type(action);
            let action = action.action.to_string();
            quote!(#p::secret_if_given::<#concept>(#action, #input, #field);)
        });
    let declaration = sync_struct(vis, name);
    let cfgs = conditions(attrs);
    quote! {
        #(#attrs)*
        #default_doc
        #declaration

        #(#cfgs)*
        impl #p::Synchronization for #name {
            #[allow(
                unused_variables, unused_mut, irrefutable_let_patterns, unreachable_patterns,
                non_camel_case_types, non_snake_case, clippy::all
            )]
            fn compile(&self) -> #p::CompiledSync {
                #aliases
                #markers
                #items
                #(#slots)*
                #ties
                #(#secret_request_fields)*
                let __when = ::std::vec![#(#when_specs),*];
                let __eval = #eval;
                #p::CompiledSync::new(
                    #name_text,
                    #doc_text,
                    __when,
                    ::std::vec![#(#step_specs),*],
                    ::std::vec![#(#then_refs),*],
                    __eval,
                )
                .with_queries(::std::vec![#(#query_refs),*])
                #joined
            }
        }
    }
}

/// Whether a variable occurs in two `when` patterns.
fn joins_patterns(when: &[Pattern]) -> bool {
    let mut seen = HashSet::new();
    when.iter().any(|pattern| {
        let vars: HashSet<String> = pattern
            .inputs
            .iter()
            .chain(&pattern.outputs)
            .filter_map(Field::var)
            .map(ToString::to_string)
            .collect();
        vars.into_iter().any(|var| !seen.insert(var))
    })
}

/// For each `collect` step, where to copy the frames for its empty groups:
/// before the first step (since the previous `collect`) that binds one of the
/// variables it collects (if none does, no copy: frames dropped by earlier
/// steps stay dropped). `check` refuses filters on the groups alone between
/// that point and the `collect`, which the copy would not see.
pub(crate) fn collect_snapshot_points(steps: &[Step]) -> Vec<(usize, usize)> {
    let binds = |step: &Step| -> Vec<String> {
        match step {
            Step::Query { outputs, .. } => outputs
                .iter()
                .filter_map(Field::var)
                .map(ToString::to_string)
                .collect(),
            Step::Let { name, .. } => vec![name.to_string()],
            _ => Vec::new(),
        }
    };
    let mut points = Vec::new();
    let mut window_start = 0;
    for (index, step) in steps.iter().enumerate() {
        if let Step::Collect { vars, .. } = step {
            let collected: Vec<String> = vars.iter().map(ToString::to_string).collect();
            // Only since the previous `collect`: what it folded is gone.
            if let Some(offset) = steps[window_start..index]
                .iter()
                .position(|earlier| binds(earlier).iter().any(|var| collected.contains(var)))
            {
                points.push((index, window_start + offset));
            }
            window_start = index + 1;
        }
    }
    points
}

/// `type __Concept_X = X;` for each concept the sync names, at its first use.
fn declare_concepts(sync: &SyncDecl) -> TokenStream {
    sync.concepts()
        .into_iter()
        .map(|concept| {
            let alias = concept_alias(concept);
            quote_spanned!(concept.span()=> type #alias = #concept;)
        })
        .collect()
}

struct Generator<'a> {
    bindings: &'a Bindings,
    /// Variables that the `then` actions use once: moved into it, not copied.
    used_once_in_then: Vec<String>,
    /// `let __markerN = <Concept as ConceptNames>::ACTIONS.action;` at the user's
    /// spans, at the top of `compile`.
    markers: TokenStream,
    /// Helper items (the record types of `collect`).
    items: TokenStream,
    marker_count: usize,
    /// The marker of each `when` pattern (none for `Requesting`'s).
    when_markers: Vec<Option<Ident>>,
    /// The marker of each query a `where` step runs, in step order.
    query_markers: Vec<Ident>,
    /// For each open-field variable that a query or `then` action takes,
    /// once: a statement tying its slot's type to that input (after the
    /// slots, at the top of `compile`).
    ties: TokenStream,
    tied: Vec<String>,
}

/// What a pattern field's value is compared with or bound from.
enum Place {
    /// A typed place expression of type `T` (e.g. `(*__f0_user)`).
    Typed(TokenStream),
    /// An open field: `Option<&serde_json::Value>`.
    Open(TokenStream),
}

impl Generator<'_> {
    /// A local holding the concept's marker for an action (or query), taken
    /// once at the top of `compile` at the user's token: a misspelled name is
    /// one error there (`no field` with the closest name), and every use of
    /// the marker after it is silent.
    fn marker(&mut self, action: &ActionPath, query: bool) -> Ident {
        let concept = concept_alias(&action.concept);
        let name = &action.action;
        let marker = Ident::new(&format!("__marker{}", self.marker_count), name.span());
        self.marker_count += 1;
        let list = if query {
            quote_spanned!(concept.span()=> QUERIES)
        } else {
            quote_spanned!(concept.span()=> ACTIONS)
        };
        // At the concept's token: a type that is not a concept is told so
        // there, in `ConceptNames`' words.
        let p = private_at(concept.span());
        let names = quote_spanned!(concept.span()=> <#concept as #p::ConceptNames>::#list);
        self.markers
            .extend(quote_spanned!(name.span()=> let #marker = #names.#name;));
        marker
    }

    /// Ties the type of each open-field variable among `inputs` (the first
    /// time one is given to an input) to that input's type.
    fn tie_open_fields(&mut self, marker: &Ident, inputs: &[Field]) {
        for field in inputs {
            let Some(var) = field.var() else { continue };
            let input = &field.name;
            self.tie(
                var,
                |value| quote!(let _ = #marker.input_names().#input.give(#marker.builder(), #value);),
            );
        }
    }

    /// Ties an open-field variable's slot to the type a statement over
    /// `__value` gives it (once: the first tie decides; none for a
    /// variable with no typed use). Only for a variable that a `where`
    /// expression mentions, which may call its methods before its typed
    /// use: any other is typed by inference from that use alone, and a
    /// tie would repeat the use's errors (a misspelled input, twice).
    fn tie(&mut self, var: &Ident, statement: impl FnOnce(TokenStream) -> TokenStream) {
        let name = var.to_string();
        if !self.bindings.slotted.contains(&name)
            || self.bindings.untyped.contains(&name)
            || !self.bindings.in_expressions.contains(&name)
            || self.tied.contains(&name)
        {
            return;
        }
        let slot = slot_name(var);
        let tie = if self.bindings.optional.contains(&name) {
            quote!(tie_optional)
        } else {
            quote!(tie)
        };
        // The value at the variable: a type that does not fit (an optional
        // field's `Option` for a plain input) is reported there, where the
        // user gives it, not at the whole `sync!`. Only the value: the
        // statement's lints (a strict crate's `let_underscore_drop`) stay
        // the macro's.
        let statement = statement(quote_spanned!(var.span()=> __value));
        self.ties.extend(quote! {
            #slot.#tie(|__value| { #statement });
        });
        self.tied.push(name);
    }

    /// Ties the type of an open-field variable that a typed `let` takes
    /// whole (`let wanted: Option<bool> = done`) to that type, unless an
    /// input tied it first: the field is decoded as that type, and a
    /// request whose field does not decode does not match.
    fn tie_to_let(&mut self, ty: &syn::Type, expr: &syn::Expr) {
        let Some(var) = super::check::lone_variable(expr) else {
            return;
        };
        if super::check::has_inferred_part(ty) {
            return;
        }
        self.tie(var, |value| quote!(let _: #ty = #value;));
    }

    fn when_loops(&mut self, patterns: &[Pattern], frame: &mut Vec<Ident>) -> TokenStream {
        let p = private();
        let mut prologues = Vec::new();
        let mut innermost_start = 0;
        for (index, pattern) in patterns.iter().enumerate() {
            innermost_start = frame.len();
            prologues.push(self.pattern_match(index, pattern, patterns, frame));
        }
        let ids = (0..patterns.len()).map(|index| format_ident!("__r{}", index));
        // The innermost loop's variables are bound afresh for each frame and
        // moved into it; those of outer loops serve several frames.
        let values = tuple(
            frame
                .iter()
                .enumerate()
                .map(|(position, var)| match position >= innermost_start {
                    true => quote!(#var),
                    false => quote!(#p::value_of(&#var)),
                })
                .collect(),
        );
        let mut body = quote! {
            __frames.push((#p::record_ids([#(#ids.id()),*]), #values));
        };
        for (index, prologue) in prologues.into_iter().enumerate().rev() {
            let record = format_ident!("__r{}", index);
            body = quote! {
                for #record in __input.candidates(#index) {
                    #prologue
                    #body
                }
            };
        }
        body
    }

    /// The checks and bindings of one `when` pattern against record `__r{index}`.
    fn pattern_match(
        &mut self,
        index: usize,
        pattern: &Pattern,
        all: &[Pattern],
        frame: &mut Vec<Ident>,
    ) -> TokenStream {
        let p = private();
        let action = &pattern.action;
        let concept = concept_type(action);
        let span = action.action.span();
        let record = format_ident!("__r{}", index);
        let input = format_ident!("__in{}", index);
        let output = format_ident!("__out{}", index);
        let success = format_ident!("__ok{}", index);
        let fields_var = format_ident!("__fields{}", index);
        let variant = &action.action;

        let mut code = TokenStream::new();
        // Each pattern is filled by a different record.
        for (earlier, other) in all[..index].iter().enumerate() {
            if other.action.text() == action.text() {
                let earlier = format_ident!("__r{}", earlier);
                code.extend(quote!(if #record.id() == #earlier.id() { continue; }));
            }
        }
        // A concept's record is read through its marker, so that a type
        // that is not a concept is one error, the marker's.
        let marker = (!action.is_requesting()).then(|| self.marker(action, false));
        let typed = match &marker {
            Some(marker) => quote!(#marker.typed(#record)),
            None => quote!(#record.typed::<#concept>()),
        };
        code.extend(quote! {
            let ::core::option::Option::Some((#input, #output)) = #typed else { continue; };
        });
        self.when_markers.push(marker.clone());
        let form = if selects_error(pattern) {
            quote!(::core::result::Result::Err(#success))
        } else {
            quote!(::core::result::Result::Ok(#success))
        };
        if action.is_requesting() {
            // The built-in concept's enums have a known path.
            let mut typed_fields = Vec::new();
            let mut open = false;
            for field in &pattern.inputs {
                match input_kind(action, &field.name) {
                    FieldKind::Typed => typed_fields.push(&field.name),
                    FieldKind::Open => open = true,
                }
            }
            let bindings = typed_fields.iter().map(|name| {
                let local = format_ident!("__f{}_{}", index, name);
                quote_spanned!(name.span()=> #name: #local)
            });
            let open_binding = if open {
                quote!(fields: #fields_var,)
            } else {
                TokenStream::new()
            };
            code.extend(quote_spanned! {span=>
                let #p::RequestingAction::#variant { #(#bindings,)* #open_binding .. } = #input else { continue; };
                let #p::RequestingOutcome::#variant(#form) = #output else { continue; };
            });
        } else if let Some(marker) = marker {
            // Matching `error` on an `#[infallible]` action is a compile
            // error under the user's `error`.
            if let Some(error) = pattern.outputs.iter().find(|field| field.name == "error") {
                let span = error.name.span();
                let local = Ident::new(&format!("{marker}_error"), span);
                self.markers.extend(quote_spanned! {span=>
                    let #local = #marker;
                    #local.expect_error_outcome(#local.error_form());
                });
            }
            let view = format_ident!("__view{}", index);
            code.extend(quote_spanned! {span=>
                let ::core::option::Option::Some(#view) = #marker.view(#input) else { continue; };
                let ::core::option::Option::Some(#form) = #marker.outcome(#output) else { continue; };
            });
            if let (false, Some(first)) = (selects_error(pattern), pattern.outputs.first()) {
                // Reading output fields of an action that succeeds with
                // `()` is a compile error under the first of them, and the
                // only one (see `success_fields`).
                let span = first.name.span();
                let local = Ident::new(&format!("{marker}_success"), span);
                code.extend(quote_spanned! {span=>
                    let #local = #marker;
                    let #success = #local.success_fields(#local.success_form(), #success);
                });
            }
            for field in &pattern.inputs {
                let name = &field.name;
                let local = format_ident!("__f{}_{}", index, name);
                code.extend(quote_spanned!(name.span()=> let #local = #view.#name;));
            }
        }

        for field in &pattern.inputs {
            let place = match input_kind(action, &field.name) {
                FieldKind::Typed => {
                    // At the field's name, so that rustc's error about the
                    // value matched with it (a string literal for a
                    // number) points at the field, not at the whole sync.
                    let span = field.name.span();
                    let local = Ident::new(&format!("__f{}_{}", index, field.name), span);
                    Place::Typed(quote_spanned!(span=> (*#local)))
                }
                FieldKind::Open => {
                    let name = field.name.to_string();
                    Place::Open(quote!(#fields_var.get(#name)))
                }
            };
            code.extend(self.match_value(place, &field.value, frame));
        }
        for field in &pattern.outputs {
            let name = &field.name;
            // Every token at the field's name, as for the inputs above.
            let success = Ident::new(&success.to_string(), name.span());
            let place = quote_spanned!(name.span()=> #success.#name);
            code.extend(self.match_value(Place::Typed(place), &field.value, frame));
        }
        code
    }

    /// Compares a place with a literal or a bound variable, or binds a new
    /// variable; `continue`s the enclosing loop on a mismatch.
    fn match_value(&self, place: Place, value: &Value, frame: &mut Vec<Ident>) -> TokenStream {
        match (place, value) {
            (Place::Typed(place), Value::Lit(literal)) => {
                let rust = &literal.rust;
                let p = private_at(literal.span);
                if literal.is_string {
                    quote_spanned!(literal.span=> if !#p::StringLiteral::is(&#place, #rust) { continue; })
                } else {
                    // An array forces both sides to one type: a literal of
                    // the wrong type is a plain "mismatched types" here.
                    quote_spanned!(literal.span=> if { let [__a, __b] = [&#place, &#rust]; __a != __b } { continue; })
                }
            }
            (Place::Open(place), Value::Lit(literal)) => {
                let json = literal_json(literal);
                let p = private();
                quote!(if !#p::open_literal_matches(#place, &#json) { continue; })
            }
            (Place::Typed(place), Value::Var(var)) => {
                if frame.contains(var) {
                    quote_spanned!(var.span()=> if { let [__a, __b] = [&#place, &#var]; __a != __b } { continue; })
                } else {
                    frame.push(var.clone());
                    quote_spanned!(var.span()=> let #var = ::core::clone::Clone::clone(&#place);)
                }
            }
            (Place::Open(place), Value::Var(var)) if self.bindings.optional.contains(&var.to_string()) => {
                // `name?`: absent or null is `None`; present but not a `T`, no match.
                let slot = slot_name(var);
                frame.push(var.clone());
                quote_spanned! {var.span()=>
                    let ::core::result::Result::Ok(#var) = #slot.decode_optional(#place) else { continue; };
                }
            }
            (Place::Open(place), Value::Var(var)) => {
                let slot = slot_name(var);
                if frame.contains(var) {
                    quote_spanned! {var.span()=>
                        let ::core::option::Option::Some(__decoded) = #slot.decode(#place) else { continue; };
                        if { let [__a, __b] = [&__decoded, &#var]; __a != __b } { continue; }
                    }
                } else {
                    frame.push(var.clone());
                    quote_spanned! {var.span()=>
                        let ::core::option::Option::Some(#var) = #slot.decode(#place) else { continue; };
                    }
                }
            }
        }
    }

    fn pattern_spec(&self, index: usize, pattern: &Pattern) -> TokenStream {
        let p = private();
        let action = &pattern.action;
        // Through the pattern's marker, as its matching code does.
        // One entry per pattern, pushed by `pattern_match` in order.
        let action_ref = match self.when_markers[index].clone() {
            Some(marker) => quote!(#marker.action_ref()),
            None => {
                let concept = concept_type(action);
                let action_name = action.action.to_string();
                quote!(#p::ActionRef::of::<#concept>(#action_name))
            }
        };
        let form = if selects_error(pattern) {
            quote!(#p::Form::Error)
        } else {
            quote!(#p::Form::Success)
        };
        // `path` first: it is the best discriminator for dispatch.
        let mut literal_fields: Vec<&Field> = pattern
            .inputs
            .iter()
            .filter(|field| matches!(field.value, Value::Lit(_)))
            .collect();
        literal_fields.sort_by_key(|field| field.name != "path");
        let literals = literal_fields.iter().map(|field| {
            let name = field.name.to_string();
            let Value::Lit(literal) = &field.value else {
                unreachable!("filtered to literals")
            };
            let json = literal_json(literal);
            quote!((#name, #json))
        });
        let outcome_literals = pattern.outputs.iter().filter_map(|field| match &field.value {
            Value::Lit(literal) => {
                let name = field.name.to_string();
                let json = literal_json(literal);
                Some(quote!((#name, #json)))
            }
            _ => None,
        });
        let open_fields =
            pattern
                .inputs
                .iter()
                .filter_map(|field| match (&field.value, input_kind(action, &field.name)) {
                    (Value::Var(var), FieldKind::Open)
                        if self.bindings.slotted.contains(&var.to_string()) =>
                    {
                        let name = field.name.to_string();
                        let slot = slot_name(var);
                        let required = !self.bindings.optional.contains(&var.to_string());
                        Some(quote!(#p::OpenField {
                            name: #name,
                            validator: #slot.validator(),
                            required: #required,
                        }))
                    }
                    _ => None,
                });
        quote! {
            #p::PatternSpec {
                action: #action_ref,
                form: #form,
                literals: ::std::vec![#(#literals),*],
                outcome_literals: ::std::vec![#(#outcome_literals),*],
                open_fields: ::std::vec![#(#open_fields),*],
            }
        }
    }

    /// One `where` step: code mapping `__frames`, and its description.
    fn step(
        &mut self,
        index: usize,
        step: &Step,
        frame: &mut Vec<Ident>,
        snapshot: Option<&[Ident]>,
    ) -> (TokenStream, TokenStream) {
        let p = private();
        let current: Vec<Ident> = frame.clone();
        let current_pattern = tuple(idents(&current));
        match step {
            Step::Query {
                action,
                inputs,
                outputs,
                ..
            } => {
                let rows = self.run_query(action, inputs);
                let mut row_frame = frame.clone();
                let filters = self.row_filters(outputs, &mut row_frame);
                let new_vars: Vec<Ident> = row_frame[frame.len()..].to_vec();
                let extended = tuple(
                    current
                        .iter()
                        .map(|var| quote!(#p::value_of(&#var)))
                        .chain(idents(&new_vars))
                        .collect(),
                );
                *frame = row_frame;
                let text = step.text();
                (
                    quote! {
                        let mut __next = #p::Frames::new();
                        for (__ids, #current_pattern) in __frames {
                            let __rows = #rows;
                            for __row in __rows {
                                #filters
                                __next.push((
                                    ::std::clone::Clone::clone(&__ids),
                                    #extended,
                                ));
                            }
                        }
                        let __frames = __next;
                    },
                    quote!(#p::StepSpec::Query(::std::string::String::from(#text))),
                )
            }
            Step::Absence {
                action,
                inputs,
                outputs,
                ..
            } => {
                let rows = self.run_query(action, inputs);
                // `check` made sure a `not` step binds nothing new.
                let filters = self.row_filters(outputs, &mut frame.clone());
                let text = step.text();
                (
                    quote! {
                        let mut __next = #p::Frames::new();
                        for (__ids, #current_pattern) in __frames {
                            let __rows = #rows;
                            let mut __found = false;
                            for __row in __rows.iter() {
                                #filters
                                __found = true;
                                break;
                            }
                            if !__found {
                                __next.push((__ids, #current_pattern));
                            }
                        }
                        let __frames = __next;
                    },
                    quote!(#p::StepSpec::Absence(::std::string::String::from(#text))),
                )
            }
            Step::Guard { expr } => {
                let copies = copies(expr, &current);
                let text = step.text();
                let span = syn::spanned::Spanned::span(expr);
                let keep = quote_spanned!(span=> let __keep: bool = { #copies #expr };);
                (
                    quote! {
                        let mut __next = #p::Frames::new();
                        for (__ids, #current_pattern) in __frames {
                            #keep
                            if __keep {
                                __next.push((__ids, #current_pattern));
                            }
                        }
                        let __frames = __next;
                    },
                    quote!(#p::StepSpec::Guard(::std::string::String::from(#text))),
                )
            }
            Step::Let { name, ty, expr } => {
                if let Some(ty) = ty {
                    self.tie_to_let(ty, expr);
                }
                let copies = copies(expr, &current);
                let annotation = ty.as_ref().map(|ty| quote!(: #ty));
                let text = step.text();
                frame.push(name.clone());
                let with_name = tuple(idents(frame));
                (
                    quote! {
                        let mut __next = #p::Frames::new();
                        for (__ids, #current_pattern) in __frames {
                            let #name #annotation = { #copies #expr };
                            __next.push((__ids, #with_name));
                        }
                        let __frames = __next;
                    },
                    quote!(#p::StepSpec::Let(::std::string::String::from(#text))),
                )
            }
            Step::Collect { vars, name, .. } => {
                let record = format_ident!("__Collected{}", index);
                let params: Vec<Ident> = (0..vars.len()).map(|i| format_ident!("__T{}", i)).collect();
                let serde_crate = crate::runtime::serde_path();
                self.items.extend(quote! {
                    #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, #p::serde::Serialize)]
                    #[serde(crate = #serde_crate)]
                    struct #record<#(#params),*> { #(#vars: #params),* }
                });
                let group: Vec<Ident> = current
                    .iter()
                    .filter(|var| !vars.contains(var))
                    .cloned()
                    .collect();
                let group_tuple = tuple(idents(&group));
                let group_with_name = tuple(
                    idents(&group)
                        .into_iter()
                        .chain([name.to_token_stream()])
                        .collect(),
                );
                // Groups that ran out of items still answer, with an empty
                // list: every group of the snapshot taken before the items
                // were fanned out gets one (if it binds all group variables).
                let empty_groups = match snapshot {
                    Some(snapshot_vars) if group.iter().all(|var| snapshot_vars.contains(var)) => {
                        let snapshot_name = format_ident!("__snapshot{}", index);
                        let snapshot_pattern = tuple(idents(snapshot_vars));
                        quote! {
                            for (__ids, #snapshot_pattern) in #snapshot_name {
                                let __key = #group_tuple;
                                if !__groups.iter().any(|__group| __group.1 == __key) {
                                    __groups.push((__ids, __key, ::std::vec::Vec::new()));
                                }
                            }
                        }
                    }
                    _ => TokenStream::new(),
                };
                let text = step.text();
                *frame = group.clone();
                frame.push(name.clone());
                (
                    quote! {
                        let mut __groups: ::std::vec::Vec<(#p::RecordIds, _, ::std::vec::Vec<_>)> = ::std::vec::Vec::new();
                        for (__ids, #current_pattern) in __frames {
                            let __key = #group_tuple;
                            let __item = #record { #(#vars),* };
                            match __groups.iter().position(|__group| __group.1 == __key) {
                                ::core::option::Option::Some(__at) => {
                                    let __group = &mut __groups[__at];
                                    for __id in __ids {
                                        if !__group.0.contains(&__id) {
                                            __group.0.push(__id);
                                        }
                                    }
                                    __group.2.push(__item);
                                }
                                ::core::option::Option::None => __groups.push((__ids, __key, ::std::vec![__item])),
                            }
                        }
                        #empty_groups
                        let __frames: #p::Frames<_> = __groups
                            .into_iter()
                            .map(|(__ids, #group_tuple, #name)| (__ids, #group_with_name))
                            .collect();
                    },
                    quote!(#p::StepSpec::Collect(::std::string::String::from(#text))),
                )
            }
        }
    }

    /// Checks and bindings of a query's output pattern against `__row`;
    /// `continue`s past rows that do not match.
    fn row_filters(&self, outputs: &[Field], frame: &mut Vec<Ident>) -> TokenStream {
        outputs
            .iter()
            .map(|field| {
                let name = &field.name;
                let place = quote_spanned!(name.span()=> __row.#name);
                self.match_value(Place::Typed(place), &field.value, frame)
            })
            .collect()
    }

    /// Code that runs a query for the current frame and yields its rows.
    fn run_query(&mut self, action: &ActionPath, inputs: &[Field]) -> TokenStream {
        let span = action.action.span();
        let marker = self.marker(action, true);
        self.query_markers.push(marker.clone());
        self.tie_open_fields(&marker, inputs);
        // A query runs once per frame, and the frame lives on after it.
        let copies = copies_of_inputs(inputs, &[]);
        let build = built(&marker, inputs, span);
        // Run through the marker: nothing after it names the concept's type.
        quote! {
            match #marker.run(&__input, { #copies #build }).await {
                ::core::result::Result::Ok(__rows) => match #marker.rows(__rows) {
                    ::core::option::Option::Some(__rows) => __rows,
                    ::core::option::Option::None => continue,
                },
                ::core::result::Result::Err(__failure) => break '__evaluate ::core::result::Result::Err(__failure),
            }
        }
    }

    /// One `then` invocation, and the action as the engine refers to it
    /// (through the marker, so that a type that is not a concept is one
    /// error, the marker's).
    fn call(&mut self, action: &ActionPath, inputs: &[Field]) -> (TokenStream, TokenStream) {
        let p = private();
        let span = action.action.span();
        if action.is_requesting() {
            // `Requesting.respond (request, ...fields)`: open fields are encoded as JSON.
            let request = inputs
                .iter()
                .find(|field| field.name == "request")
                .map(typed_input)
                .unwrap_or_else(|| quote!(request: ::core::unreachable!()));
            let open = inputs
                .iter()
                .filter(|field| field.name != "request")
                .map(|field| {
                    let name = field.name.to_string();
                    let value = match &field.value {
                        Value::Var(var) => {
                            let p = private_at(var.span());
                            quote_spanned!(var.span()=> match #p::to_json(&#var) {
                                ::core::result::Result::Ok(__json) => __json,
                                ::core::result::Result::Err(__failure) => break '__evaluate ::core::result::Result::Err(__failure),
                            })
                        }
                        Value::Lit(literal) => literal_json(literal),
                    };
                    quote!((#name, #value))
                });
            let copies = copies_of_inputs(
                &inputs
                    .iter()
                    .filter(|field| field.name == "request")
                    .cloned()
                    .collect::<Vec<_>>(),
                &self.used_once_in_then,
            );
            let call = quote_spanned! {span=>
                {
                    #copies
                    #p::Invocation::requesting(#p::RequestingAction::respond {
                        #request,
                        fields: #p::fields([#(#open),*]),
                    })
                }
            };
            let action_name = action.action.to_string();
            return (call, quote!(#p::ActionRef::of::<#p::Requesting>(#action_name)));
        }
        let marker = self.marker(action, false);
        self.tie_open_fields(&marker, inputs);
        let copies = copies_of_inputs(inputs, &self.used_once_in_then);
        let build = built(&marker, inputs, span);
        // Through the action's own type, not the concept's: if the concept
        // is not one, the marker has told so, and this adds nothing.
        let call = quote_spanned! {span=>
            { #copies #p::ConceptAction::into_invocation(#build) }
        };
        (call, quote!(#marker.action_ref()))
    }
}

/// An action (or query) built from its inputs: each given through its name
/// in the concept's input names (`names.user.give(builder, value)`), so that
/// a misspelled input is one error at its token that lists the inputs.
fn built(marker: &Ident, inputs: &[Field], span: proc_macro2::Span) -> TokenStream {
    // One span for the local wherever it is written: the inputs' tokens may
    // come from different macro contexts (a `macro_rules!` of the user's).
    // Numbered, not shadowed: a strict crate may deny `shadow_reuse`.
    let builder = |index: usize| Ident::new(&format!("__builder{index}"), span);
    let first = builder(0);
    let gives = inputs.iter().enumerate().map(|(index, field)| {
        let name = &field.name;
        let value = given_value(field);
        let (before, after) = (builder(index), builder(index + 1));
        let give = quote_spanned!(name.span()=> #marker.input_names().#name.give(#before, #value));
        quote!(let #after = #give;)
    });
    let last = builder(inputs.len());
    quote_spanned!(span=> {
        let #first = #marker.builder();
        #(#gives)*
        #last.into_invocation()
    })
}

/// The value given to one input: the copy of a variable, or a literal.
fn given_value(field: &Field) -> TokenStream {
    let p = private_at(field.name.span());
    match &field.value {
        Value::Var(var) => {
            let copy = format_ident!("__copy_{}", field.name, span = var.span());
            quote_spanned!(var.span()=> #copy)
        }
        Value::Lit(literal) if literal.is_string => {
            let rust = &literal.rust;
            quote_spanned!(literal.span=> #p::StringLiteral::from_literal(#rust))
        }
        Value::Lit(literal) => {
            let rust = &literal.rust;
            quote_spanned!(literal.span=> #rust)
        }
    }
}

/// `name: value` for a typed input: a copy of a variable, or a literal
/// converted to the field's type.
fn typed_input(field: &Field) -> TokenStream {
    let name = &field.name;
    match &field.value {
        // A copy made beforehand (see `copies_of_inputs`), so a variable of
        // the wrong type is reported as "expected `String`, found `u32`"
        // under the variable.
        Value::Var(var) => {
            let copy = format_ident!("__copy_{}", name, span = var.span());
            quote_spanned!(var.span()=> #name: #copy)
        }
        Value::Lit(literal) if literal.is_string => {
            let rust = &literal.rust;
            let p = private_at(literal.span);
            quote_spanned!(literal.span=> #name: #p::StringLiteral::from_literal(#rust))
        }
        Value::Lit(literal) => {
            let rust = &literal.rust;
            quote_spanned!(literal.span=> #name: #rust)
        }
    }
}

/// `let __copy_field = var.clone();` for each variable input of a call, or
/// `let __copy_field = var;` for a variable nothing else uses (`moves`).
fn copies_of_inputs(inputs: &[Field], moves: &[String]) -> TokenStream {
    inputs
        .iter()
        .filter_map(|field| match &field.value {
            Value::Var(var) => {
                let copy = format_ident!("__copy_{}", field.name, span = var.span());
                Some(if moves.contains(&var.to_string()) {
                    quote_spanned!(var.span()=> let #copy = #var;)
                } else {
                    quote_spanned!(var.span()=> let #copy = ::core::clone::Clone::clone(&#var);)
                })
            }
            Value::Lit(_) => None,
        })
        .collect()
}

/// The variables the `then` actions use exactly once, all actions together.
fn used_once_in_then(sync: &SyncDecl) -> Vec<String> {
    let mut uses: Vec<(String, usize)> = Vec::new();
    for field in sync.then.iter().flat_map(|call| &call.inputs) {
        if let Value::Var(var) = &field.value {
            let name = var.to_string();
            match uses.iter_mut().find(|(seen, _)| *seen == name) {
                Some((_, count)) => *count += 1,
                None => uses.push((name, 1)),
            }
        }
    }
    uses.into_iter()
        .filter(|(_, count)| *count == 1)
        .map(|(name, _)| name)
        .collect()
}

/// Whether a sync's matching awaits: it runs `where` queries, or a `let` or
/// `if` expression may suspend.
fn awaits(sync: &SyncDecl) -> bool {
    sync.steps.iter().any(|step| match step {
        Step::Query { .. } | Step::Absence { .. } => true,
        Step::Guard { expr } | Step::Let { expr, .. } => crate::awaits::may_await(expr.to_token_stream()),
        Step::Collect { .. } => false,
    })
}

fn literal_json(literal: &Literal) -> TokenStream {
    let p = private();
    if literal.is_null {
        quote!(#p::Value::Null)
    } else {
        let rust = &literal.rust;
        quote_spanned!(literal.span=> #p::json!(#rust))
    }
}

/// `let var = copy(var);` for each bound variable an expression mentions, so
/// the expression can use (and move) them freely.
fn copies(expr: &syn::Expr, vars: &[Ident]) -> TokenStream {
    let p = private();
    let mentioned = mentions(&expr.to_token_stream(), vars);
    quote!(#(let #mentioned = #p::value_of(&#mentioned);)*)
}

/// A sync's unit struct, with the derives the docs promise (also when the
/// sync did not compile, so that uses of them add no errors).
fn sync_struct(vis: &syn::Visibility, name: &Ident) -> TokenStream {
    quote_spanned!(name.span()=>
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::default::Default)]
        #vis struct #name;
    )
}
