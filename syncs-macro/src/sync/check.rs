//! What rustc cannot check in a sync: clause structure, outcome forms,
//! bindings. Every independent mistake is reported, each at its token.
//!
//! Field names and types are left to rustc: the expansion names the user's
//! fields with the user's spans, so a misspelled field or a mismatched type is
//! rustc's own error under the user's token.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;

use super::ast::{ActionPath, Call, Field, Pattern, Step, SyncDecl, Value};
use crate::diag::{closest, Diagnostics};

/// What the expansion needs to know about a sync's variables.
#[derive(Default)]
pub(crate) struct Bindings {
    /// Variables bound from an open field of `Requesting` (decoded from JSON
    /// through a slot), by name.
    pub(crate) slotted: HashSet<String>,
    /// Of those, the ones with no typed use anywhere: their type is
    /// `serde_json::Value`.
    pub(crate) untyped: HashSet<String>,
    /// Variables bound from optional open fields (`name?`): `Option`s.
    pub(crate) optional: HashSet<String>,
    /// Names that the expressions of `where` guards and `let`s mention: a
    /// variable among them must have its type known before the first of
    /// those steps, not only from its typed use after them.
    pub(crate) in_expressions: HashSet<String>,
}

const REQUESTING_ACTIONS: [&str; 2] = ["request", "respond"];

/// How a field of an action is typed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// A declared field of a concept's action, query or outcome.
    Typed,
    /// A field of `Requesting` beyond `path`/`request`: typed by its use.
    Open,
}

/// The kind of an input field of `action`.
pub(crate) fn input_kind(action: &ActionPath, field: &Ident) -> FieldKind {
    if action.is_requesting() && !(field == "path" || field == "request") {
        FieldKind::Open
    } else {
        FieldKind::Typed
    }
}

pub(crate) fn check(sync: &SyncDecl, diagnostics: &mut Diagnostics) -> Bindings {
    let mut scope = Scope::default();
    let mut bindings = Bindings::default();
    let mut typed_use: HashSet<String> = HashSet::new();

    for pattern in &sync.when {
        check_when_pattern(pattern, diagnostics);
        for field in pattern.inputs.iter().chain(&pattern.outputs) {
            if let (Value::Var(var), None) = (&field.value, field.optional) {
                if bindings.optional.contains(&var.to_string()) {
                    diagnostics.error(
                        var.span(),
                        format!(
                            "`{var}` comes from an optional field (an `Option`); it cannot be matched again in \
                             `when`: compare it in a `where` guard instead"
                        ),
                    );
                }
            }
        }
        for field in &pattern.inputs {
            let kind = input_kind(&pattern.action, &field.name);
            if let Some(question) = field.optional {
                let open_request = kind == FieldKind::Open && pattern.action.action == "request";
                match &field.value {
                    _ if !open_request => diagnostics.error(
                        question,
                        "`?` marks an optional field of `Requesting.request`; the fields of concept actions \
                         are always there",
                    ),
                    Value::Lit(lit) => diagnostics.error(
                        lit.span,
                        "an optional field binds a variable (`name?` or `name?: variable`), not a literal",
                    ),
                    Value::Var(var) if scope.is_bound(var) => diagnostics.error(
                        var.span(),
                        format!("`{var}` is already bound; an optional field must bind a new variable"),
                    ),
                    Value::Var(var) => {
                        bindings.optional.insert(var.to_string());
                    }
                }
            }
            if let Value::Var(var) = &field.value {
                if kind == FieldKind::Open {
                    bindings.slotted.insert(var.to_string());
                } else {
                    typed_use.insert(var.to_string());
                    scope.note_field(field, &pattern.action);
                }
                scope.bind_or_use(var);
            } else if let Value::Lit(lit) = &field.value {
                if lit.is_null && kind == FieldKind::Typed {
                    diagnostics.error(
                        lit.span,
                        "`null` can only be matched in open fields of `Requesting`; to match an `Option` \
                         field that is `None`, bind it to a variable and test it in `where` (`if \
                         value.is_none()`)",
                    );
                }
                if lit.composite && kind == FieldKind::Typed {
                    diagnostics.error(
                        lit.span,
                        "array and object literals can only be used in open fields of `Requesting`; for a \
                         concept's field, bind a variable with `let` in `where`",
                    );
                }
                // The server gives syncs the method as HTTP spells it.
                if pattern.action.is_requesting()
                    && pattern.action.action == "request"
                    && field.name == "method"
                {
                    if let Ok(method) = syn::parse2::<syn::LitStr>(lit.rust.clone()) {
                        // What the server hands syncs (it answers OPTIONS
                        // itself, and refuses other methods): keep in step
                        // with `KNOWN` in syncs-runtime/src/http/mod.rs.
                        const METHODS: [&str; 6] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];
                        let method = method.value();
                        let upper = method.to_uppercase();
                        if METHODS.contains(&upper.as_str()) {
                            if method != upper {
                                diagnostics.error(
                                    lit.span,
                                    format!("HTTP methods are upper-case: write \"{upper}\""),
                                );
                            }
                        } else {
                            let nearest = METHODS
                                .iter()
                                .min_by_key(|known| strsim::levenshtein(known, &upper))
                                .filter(|known| strsim::levenshtein(known, &upper) <= 2)
                                .map(|known| format!(" (did you mean \"{known}\"?)"))
                                .unwrap_or_default();
                            diagnostics.error(
                                lit.span,
                                format!(
                                    "\"{method}\" is not a method syncs are given: the server passes GET, POST, \
                                     PUT, PATCH, DELETE and HEAD{nearest}"
                                ),
                            );
                        }
                    }
                }
                if pattern.action.is_requesting()
                    && pattern.action.action == "request"
                    && field.name == "path"
                {
                    if let Ok(path) = syn::parse2::<syn::LitStr>(lit.rust.clone()) {
                        check_path_template(&path.value(), lit.span, diagnostics);
                    }
                }
            }
        }
        for field in &pattern.outputs {
            if let Value::Var(var) = &field.value {
                typed_use.insert(var.to_string());
                scope.note_field(field, &pattern.action);
                scope.bind_or_use(var);
            }
        }
    }

    let binders = step_binders(sync);
    for (index, step) in sync.steps.iter().enumerate() {
        if let Step::Guard { expr } | Step::Let { expr, .. } = step {
            check_bound_before_use(expr, index, &binders, &scope, diagnostics);
        }
        match step {
            Step::Query {
                action,
                inputs,
                outputs,
                ..
            }
            | Step::Absence {
                action,
                inputs,
                outputs,
                ..
            } => {
                let absent = matches!(step, Step::Absence { .. });
                check_query_path(action, diagnostics);
                check_duplicates(inputs, "inputs", diagnostics);
                check_duplicates(outputs, "outputs", diagnostics);
                for field in inputs {
                    if let Value::Var(var) = &field.value {
                        typed_use.insert(var.to_string());
                        scope.require(
                            var,
                            &format!("as an input of the query `{}`", action.text()),
                            diagnostics,
                        );
                    }
                    check_no_null(field, diagnostics);
                }
                for field in outputs {
                    check_no_null(field, diagnostics);
                    if let Value::Var(var) = &field.value {
                        typed_use.insert(var.to_string());
                        if absent {
                            if !scope.is_bound(var) {
                                diagnostics.error(
                                    var.span(),
                                    format!(
                                        "`{var}` is not bound here, and a `not` step cannot bind variables: bind \
                                         it in `when` or an earlier `where` step, or compare the field with a \
                                         literal"
                                    ),
                                );
                            };
                        } else {
                            scope.note_field(field, action);
                            scope.bind_or_use(var);
                        }
                    }
                }
            }
            // Guards and `let`s are Rust expressions: rustc reports the
            // unbound names they use.
            Step::Guard { .. } => {}
            Step::Let { name, ty, expr } => {
                // `let wanted: Option<bool> = done` types the open field
                // `done` (its JSON is decoded as that type).
                if let (Some(ty), Some(var)) = (ty, lone_variable(expr)) {
                    if bindings.slotted.contains(&var.to_string()) && !has_inferred_part(ty) {
                        typed_use.insert(var.to_string());
                    }
                }
                if scope.is_bound(name) {
                    diagnostics.error(
                        name.span(),
                        format!("`{name}` is already bound; `let` must introduce a new variable"),
                    );
                }
                scope.bind_or_use(name);
            }
            Step::Collect { vars, name, .. } => {
                let mut seen = HashSet::new();
                for var in vars {
                    if !seen.insert(var.to_string()) {
                        diagnostics.error(var.span(), format!("`{var}` is collected twice"));
                    }
                    scope.require(var, "in `collect`", diagnostics);
                }
                if scope.is_bound(name) {
                    diagnostics.error(
                        name.span(),
                        format!("`{name}` is already bound; `collect ... as` must name a new variable"),
                    );
                }
                for var in vars {
                    scope.collected(var, name);
                }
                scope.bind_or_use(name);
            }
        }
    }

    for call in &sync.then {
        check_call(call, &mut scope, &mut typed_use, diagnostics);
    }
    check_one_answer(sync, diagnostics);
    let elsewhere = sync
        .steps
        .iter()
        .flat_map(|step| match step {
            Step::Query { inputs, .. } | Step::Absence { inputs, .. } => inputs.as_slice(),
            _ => &[],
        })
        .chain(sync.then.iter().flat_map(|call| call.inputs.iter()));
    for field in elsewhere {
        if let Some(question) = field.optional {
            diagnostics.error(
                question,
                "only the inputs of `Requesting.request` can be optional (`name?`)",
            );
        }
    }

    check_filters_after_fan_out(sync, diagnostics);

    bindings.untyped = bindings
        .slotted
        .iter()
        .filter(|var| !typed_use.contains(*var))
        .cloned()
        .collect();
    // An optional one is an `Option<Value>`, with `Option`'s methods.
    let untyped_values: HashSet<String> = bindings.untyped.difference(&bindings.optional).cloned().collect();
    let untyped_options: HashSet<String> = bindings
        .untyped
        .intersection(&bindings.optional)
        .cloned()
        .collect();
    check_untyped_text(sync, &untyped_values, &untyped_options, diagnostics);
    for step in &sync.steps {
        if let Step::Guard { expr } | Step::Let { expr, .. } = step {
            collect_idents(expr.to_token_stream(), &mut |ident| {
                bindings.in_expressions.insert(ident.to_string());
            });
        }
    }
    bindings
}

fn check_when_pattern(pattern: &Pattern, diagnostics: &mut Diagnostics) {
    let action = &pattern.action;
    if action.is_query() {
        diagnostics.error(
            action.action.span(),
            format!(
                "`{}` is a query; `when` matches actions that happened (run queries in `where`)",
                action.text()
            ),
        );
    }
    check_requesting_name(action, diagnostics);
    check_duplicates(&pattern.inputs, "inputs", diagnostics);
    check_duplicates(&pattern.outputs, "outputs", diagnostics);
    check_outcome_form(action, &pattern.outputs, diagnostics);
    for field in &pattern.outputs {
        check_no_null(field, diagnostics);
    }
}

/// An output pattern selects one outcome form: one naming `error` selects the
/// `error` form, whose only field is `error`.
fn check_outcome_form(action: &ActionPath, outputs: &[Field], diagnostics: &mut Diagnostics) {
    let names_error = outputs.iter().any(|field| field.name == "error");
    if action.is_requesting() {
        let allowed: &[&str] = if action.action == "request" {
            &["request"]
        } else {
            &["error"]
        };
        for field in outputs {
            if !allowed.iter().any(|name| field.name == name) {
                let forms = if action.action == "request" {
                    "`(request)`"
                } else {
                    "`()` or `(error)`"
                };
                diagnostics.error(
                    field.name.span(),
                    format!(
                        "`{}` has no outcome with a field `{}`: its outcome is {forms}",
                        action.text(),
                        field.name
                    ),
                );
            }
        }
        return;
    }
    if names_error {
        for field in outputs.iter().filter(|field| field.name != "error") {
            diagnostics.error(
                field.name.span(),
                format!(
                    "no outcome of `{}` has both `error` and `{}`: a pattern naming `error` matches the error \
                     outcome, whose only field is `error`; match the success outcome in another pattern or sync",
                    action.text(),
                    field.name
                ),
            );
        }
    }
}

fn check_query_path(action: &ActionPath, diagnostics: &mut Diagnostics) {
    if action.is_requesting() {
        diagnostics.error(
            action.concept.span(),
            "`Requesting` has no queries: a sync sees requests through `Requesting.request` in `when`; \
             state to look up belongs to a concept's query",
        );
    } else if !action.is_query() {
        diagnostics.error(
            action.action.span(),
            format!(
                "`{}` is an action; a `where` step runs queries, whose names start with `_` (match actions in \
                 `when`, invoke them in `then`)",
                action.text()
            ),
        );
    }
}

fn check_requesting_name(action: &ActionPath, diagnostics: &mut Diagnostics) {
    if action.is_requesting() && !REQUESTING_ACTIONS.iter().any(|name| action.action == name) {
        let hint = closest(&action.action.to_string(), REQUESTING_ACTIONS)
            .map(|near| format!(" (did you mean `{near}`?)"))
            .unwrap_or_default();
        diagnostics.error(
            action.action.span(),
            format!("`Requesting` has two actions, `request` and `respond`{hint}"),
        );
    }
}

fn check_call(
    call: &Call,
    scope: &mut Scope,
    typed_use: &mut HashSet<String>,
    diagnostics: &mut Diagnostics,
) {
    let action = &call.action;
    if action.is_query() {
        diagnostics.error(
            action.action.span(),
            format!(
                "`{}` is a query; `then` invokes actions (run queries in `where`)",
                action.text()
            ),
        );
    }
    check_requesting_name(action, diagnostics);
    check_bodiless_status(call, diagnostics);
    if action.is_requesting() && action.action == "request" {
        diagnostics.error(
            action.action.span(),
            "`Requesting.request` happens when a request arrives; a sync cannot invoke it (did you mean \
             `Requesting.respond`?)",
        );
    }
    if action.is_requesting()
        && action.action == "respond"
        && !call.inputs.iter().any(|field| field.name == "request")
    {
        diagnostics.error(
            action.action.span(),
            "`Requesting.respond` needs the input `request`: the request it answers",
        );
    }
    check_duplicates(&call.inputs, "inputs", diagnostics);
    for field in &call.inputs {
        let kind = input_kind(action, &field.name);
        match &field.value {
            Value::Var(var) => {
                if kind == FieldKind::Typed {
                    typed_use.insert(var.to_string());
                }
                scope.require(var, &format!("as an input of `{}`", action.text()), diagnostics);
            }
            Value::Lit(lit) if lit.composite && kind == FieldKind::Typed => {
                diagnostics.error(
                    lit.span,
                    "array and object literals can only be given to open fields of `Requesting.respond`; for a \
                     concept's input, bind a variable with `let` in `where`",
                );
            }
            Value::Lit(lit) if lit.is_null && kind == FieldKind::Typed => {
                diagnostics.error(
                    lit.span,
                    "`null` can only be given to open fields of `Requesting.respond`; for a concept's \
                     `Option` input, bind a variable in `where` (`let none: Option<String> = None`) and \
                     give that",
                );
            }
            Value::Lit(lit) if is_respond_status(action, &field.name) && !is_final_status(lit) => {
                // A whole number out of range is told why; anything else
                // (`"404"`, `true`, `404.0`), what to write.
                let whole = syn::parse2::<syn::LitInt>(lit.rust.clone()).is_ok();
                diagnostics.error(
                    lit.span,
                    if !whole {
                        "`http_status` is an HTTP status code: a whole number from 200 to 599, written \
                         without quotes (`http_status: 404`)"
                    } else {
                        "`http_status` must be a final HTTP status code, a whole number from 200 to 599 \
                         (1xx statuses are not answers, and there are none above 599)"
                    },
                );
            }
            Value::Lit(_) => {}
        }
    }
}

/// A `path` literal is a route template as the server matches it: from
/// `/`, parameters as `:name` (not `{name}`, axum's and OpenAPI's way, which
/// would be matched as the text `{name}`: a route no request reaches).
fn check_path_template(path: &str, span: Span, diagnostics: &mut Diagnostics) {
    if !path.starts_with('/') {
        diagnostics.error(
            span,
            format!(
                "a request path starts with `/`, after the server's base (such as `/api`), which it leaves \
                 off: write \"/{path}\""
            ),
        );
        return;
    }
    if path.split('/').any(|segment| segment == ":") {
        diagnostics.error(span, "a route parameter needs a name: `:id`, not `:` alone");
        return;
    }
    let braced: Vec<&str> = path
        .split('/')
        .filter(|segment| segment.starts_with('{') && segment.ends_with('}') && segment.len() > 2)
        .collect();
    if !braced.is_empty() {
        let written: Vec<String> = path
            .split('/')
            .map(|segment| match braced.contains(&segment) {
                true => format!(":{}", &segment[1..segment.len() - 1]),
                false => segment.to_owned(),
            })
            .collect();
        diagnostics.error(
            span,
            format!(
                "route parameters are written `:name`: write \"{}\" (`{}` would be matched as that text, \
                 and no request would reach the route)",
                written.join("/"),
                braced[0]
            ),
        );
    }
}

/// Two `Requesting.respond` of one request in a `then`: every `then`
/// action runs, and the engine refuses a request's second answer at run
/// time, so the second could never be sent.
fn check_one_answer(sync: &SyncDecl, diagnostics: &mut Diagnostics) {
    let mut answered: Vec<String> = Vec::new();
    for call in &sync.then {
        if !(call.action.is_requesting() && call.action.action == "respond") {
            continue;
        }
        let Some(Value::Var(request)) = call
            .inputs
            .iter()
            .find(|field| field.name == "request")
            .map(|field| &field.value)
        else {
            continue;
        };
        let request = request.to_string();
        if answered.contains(&request) {
            diagnostics.error(
                call.action.action.span(),
                format!(
                    "a second `Requesting.respond` to `{request}`: every `then` action runs, and a request \
                     takes one answer (the engine would refuse this one); answer once, or put each answer in \
                     a sync of its own with the `where` guard that chooses it"
                ),
            );
        } else {
            answered.push(request);
        }
    }
}

/// A `respond` with `http_status: 204` (or 205, 304) and body fields: HTTP
/// sends such an answer without a body, so the fields never reach the
/// client (in-process they would, which hides the mistake in tests).
fn check_bodiless_status(call: &Call, diagnostics: &mut Diagnostics) {
    let action = &call.action;
    if !(action.is_requesting() && action.action == "respond") {
        return;
    }
    let status = call.inputs.iter().find_map(|field| match &field.value {
        Value::Lit(lit) if is_respond_status(action, &field.name) => {
            syn::parse2::<syn::LitInt>(lit.rust.clone())
                .ok()
                .and_then(|number| number.base10_parse::<u16>().ok())
        }
        _ => None,
    });
    let Some(status @ (204 | 205 | 304)) = status else {
        return;
    };
    let reserved = ["request", "http_status", "http_headers"];
    if let Some(field) = call
        .inputs
        .iter()
        .find(|field| !reserved.iter().any(|name| field.name == name))
    {
        diagnostics.error(
            field.name.span(),
            format!(
                "an answer with `http_status: {status}` has no body, so `{}` would never reach the client: \
                 leave it out, or answer with another status (200)",
                field.name
            ),
        );
    }
}

/// Whether `field` is the `http_status` of `Requesting.respond`.
fn is_respond_status(action: &ActionPath, field: &Ident) -> bool {
    action.concept == "Requesting" && action.action == "respond" && field == "http_status"
}

/// Whether a literal is a final HTTP status: a whole number from 200 to
/// 599 (`404`, not `"404"`, `4.04` or `700`).
fn is_final_status(lit: &super::ast::Literal) -> bool {
    syn::parse2::<syn::LitInt>(lit.rust.clone())
        .and_then(|number| number.base10_parse::<u16>())
        .is_ok_and(|status| (200..=599).contains(&status))
}

fn check_duplicates(fields: &[Field], what: &str, diagnostics: &mut Diagnostics) {
    let mut seen = HashSet::new();
    for field in fields {
        if let (Some(question), true) = (field.optional, what == "outputs") {
            diagnostics.error(
                question,
                "only the inputs of `Requesting.request` can be optional (`name?`)",
            );
        }
        if !seen.insert(field.name.to_string()) {
            diagnostics.error(
                field.name.span(),
                format!("the field `{}` appears twice in these {what}", field.name),
            );
        }
    }
}

fn check_no_null(field: &Field, diagnostics: &mut Diagnostics) {
    if let Value::Lit(lit) = &field.value {
        if lit.is_null || lit.composite {
            diagnostics.error(
                lit.span,
                "`null`, array and object literals can only be used in open fields of `Requesting`",
            );
        }
    }
}

/// The variables bound so far, in binding order.
#[derive(Default)]
struct Scope {
    bound: HashSet<String>,
    /// Variables folded into a list by `collect`, and the list's name.
    collected: HashMap<String, String>,
    /// Variables named as the concept field they come from (`: (user)`),
    /// and that field, for hints: a misspelled field name (`: (usr)`)
    /// shows up as an unbound variable where the right name is used, so
    /// the hint says where the near name comes from.
    named_by_field: HashMap<String, String>,
}

impl Scope {
    fn is_bound(&self, var: &Ident) -> bool {
        self.bound.contains(&var.to_string())
    }

    fn bind_or_use(&mut self, var: &Ident) {
        self.bound.insert(var.to_string());
    }

    fn note_field(&mut self, field: &Field, action: &ActionPath) {
        if field.var().is_some_and(|var| *var == field.name) {
            self.named_by_field
                .entry(field.name.to_string())
                .or_insert_with(|| format!("the field `{}` of `{}`", field.name, action.text()));
        }
    }

    fn require(&self, var: &Ident, context: &str, diagnostics: &mut Diagnostics) {
        if self.is_bound(var) {
            return;
        }
        let name = var.to_string();
        let message = match self.collected.get(&name) {
            Some(list) => format!(
                "`{name}` is not bound here: `collect` folded it into the list `{list}`, use `{list}` instead"
            ),
            None => {
                let hint = closest(&name, self.bound.iter().map(String::as_str))
                    .map(|near| match self.named_by_field.get(near) {
                        // Either name may be the misspelled one: say where
                        // the other comes from (rustc reports a field name
                        // the concept does not have).
                        Some(field) => format!(
                            " (did you mean `{near}`, bound from {field}? If that field is the \
                             misspelled one, rustc reports it there, with the concept's name for it)"
                        ),
                        None => format!(" (did you mean `{near}`?)"),
                    })
                    .unwrap_or_else(|| match name.as_str() {
                        // The slip of a response sync copied from a sync
                        // that starts on the request with `: ()`.
                        "request" => {
                            " (`Requesting.request (...) : (request)` in `when` binds the request to \
                                      answer)"
                                .to_owned()
                        }
                        _ => String::new(),
                    });
                format!(
                    "the variable `{name}` is used {context} but never bound: bind it in a `when` pattern or \
                     an earlier `where` step{hint}"
                )
            }
        };
        diagnostics.error(var.span(), message);
    }

    fn collected(&mut self, var: &Ident, list: &Ident) {
        self.bound.remove(&var.to_string());
        self.collected.insert(var.to_string(), list.to_string());
    }
}

/// Whether a type leaves a part to inference (`Option<_>`): it cannot
/// type a field decoded from JSON, so a `let` of it types nothing.
pub(crate) fn has_inferred_part(ty: &syn::Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        let mut after_quote = false;
        tokens.into_iter().any(|token| {
            // `'_` is a lifetime, not a part left to inference.
            let quote = matches!(&token, TokenTree::Punct(punct) if punct.as_char() == '\'');
            let lifetime = std::mem::replace(&mut after_quote, quote);
            match token {
                TokenTree::Ident(ident) => ident == "_" && !lifetime,
                TokenTree::Group(group) => walk(group.stream()),
                _ => false,
            }
        })
    }
    walk(quote::ToTokens::to_token_stream(ty))
}

/// The variable an expression is, if it is one alone (`done`).
pub(crate) fn lone_variable(expr: &syn::Expr) -> Option<&Ident> {
    match expr {
        syn::Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => path.path.get_ident(),
        _ => None,
    }
}

/// The bound variables an expression mentions (to hand it copies).
pub(crate) fn mentions(expr: &TokenStream, vars: &[Ident]) -> Vec<Ident> {
    let mut found = Vec::new();
    collect_idents(expr.clone(), &mut |ident| {
        if let Some(var) = vars.iter().find(|var| *var == ident) {
            if !found.iter().any(|seen: &Ident| seen == var) {
                found.push(var.clone());
            }
        }
    });
    found
}

/// The variables each `where` step binds: (step index, variable, the step
/// as an error names it).
fn step_binders(sync: &SyncDecl) -> Vec<(usize, String, String)> {
    let mut binders = Vec::new();
    for (index, step) in sync.steps.iter().enumerate() {
        match step {
            Step::Query { action, outputs, .. } => {
                for var in outputs.iter().filter_map(Field::var) {
                    binders.push((index, var.to_string(), format!("the query `{}`", action.text())));
                }
            }
            Step::Let { name, .. } => binders.push((index, name.to_string(), format!("`let {name}`"))),
            Step::Collect { name, .. } => {
                binders.push((index, name.to_string(), format!("`collect (...) as {name}`")))
            }
            Step::Guard { .. } | Step::Absence { .. } => {}
        }
    }
    binders
}

/// A guard or `let` at step `index` that uses a variable a later step
/// binds: rustc would say only that it cannot find the value (and not in
/// a build with the sync's other mistakes, which get no code).
fn check_bound_before_use(
    expr: &syn::Expr,
    index: usize,
    binders: &[(usize, String, String)],
    scope: &Scope,
    diagnostics: &mut Diagnostics,
) {
    let mut names = VariableUses::default();
    syn::visit::Visit::visit_expr(&mut names, expr);
    let mut reported = HashSet::new();
    for ident in &names.used {
        let name = ident.to_string();
        // A closure's parameter or a pattern's binding of that name inside
        // the expression may be what it means: no error rather than a wrong one.
        if scope.is_bound(ident) || names.bound.contains(&name) || !reported.insert(name.clone()) {
            continue;
        }
        let later = binders
            .iter()
            .find(|(at, bound, _)| *at > index && *bound == name);
        if let Some((_, _, binder)) = later {
            diagnostics.error(
                ident.span(),
                format!(
                    "`{ident}` is used before it is bound: {binder}, which binds it, is a later step, and \
                     `where` steps run in order; move this step after it"
                ),
            );
        }
    }
}

/// The plain names an expression reads (`name`, not `a.name` nor
/// `a::name`), and the names its own patterns bind (closure parameters,
/// `match` arms, `if let`, inner `let`s). Of macros, only those of the
/// standard library whose arguments are all expressions are read (with
/// the names a format string captures, `{name}`): another macro's
/// argument may be a pattern, whose names bind rather than read.
#[derive(Default)]
struct VariableUses {
    used: Vec<Ident>,
    bound: HashSet<String>,
}

/// Standard macros taking expressions and a format string: each with
/// the position of its format string among its arguments.
const FORMAT_MACROS: &[(&str, usize)] = &[
    ("format", 0),
    ("format_args", 0),
    ("print", 0),
    ("println", 0),
    ("eprint", 0),
    ("eprintln", 0),
    ("panic", 0),
    ("todo", 0),
    ("unreachable", 0),
    ("unimplemented", 0),
    ("write", 1),
    ("writeln", 1),
    ("assert", 1),
    ("debug_assert", 1),
    ("assert_eq", 2),
    ("assert_ne", 2),
    ("debug_assert_eq", 2),
    ("debug_assert_ne", 2),
];

/// Standard macros whose arguments are expressions, without a format string.
const EXPRESSION_MACROS: &[&str] = &["vec", "dbg"];

impl<'ast> syn::visit::Visit<'ast> for VariableUses {
    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if let (None, Some(ident)) = (&path.qself, path.path.get_ident()) {
            self.used.push(ident.clone());
        }
        syn::visit::visit_expr_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let Some(name) = mac.path.segments.last().map(|segment| segment.ident.to_string()) else {
            return;
        };
        let format_at = FORMAT_MACROS
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, position)| *position);
        if format_at.is_none() && !EXPRESSION_MACROS.contains(&name.as_str()) {
            return;
        }
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        // `vec![value; count]` and other shapes: left unread.
        let Ok(arguments) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
            return;
        };
        for (position, argument) in arguments.iter().enumerate() {
            if let (
                Some(true),
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ) = (format_at.map(|at| at == position), argument)
            {
                self.used.extend(
                    captured_names(&text.value())
                        .into_iter()
                        .map(|name| Ident::new(&name, text.span())),
                );
                continue;
            }
            self.visit_expr(argument);
        }
    }

    fn visit_pat_ident(&mut self, pattern: &'ast syn::PatIdent) {
        self.bound.insert(pattern.ident.to_string());
        syn::visit::visit_pat_ident(self, pattern);
    }
}

/// The variables a format string captures by name: `x` of `{x}`,
/// `{x:?}` or `{x:>width$}` (not positions, `{0}`, nor escaped braces).
fn captured_names(format: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix('{') {
            rest = after;
            continue;
        }
        let end = rest.find(['}', ':']).unwrap_or(rest.len());
        let name = rest[..end].trim();
        if syn::parse_str::<Ident>(name).is_ok() {
            names.push(name.to_owned());
        }
        rest = &rest[end..];
    }
    names
}

fn collect_idents(tokens: TokenStream, visit: &mut impl FnMut(&Ident)) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => visit(&ident),
            TokenTree::Group(group) => collect_idents(group.stream(), visit),
            _ => {}
        }
    }
}

/// An untyped request field (a `serde_json::Value`) used as the type it
/// was thought to have. Two ways make wrong text silently: `.to_string()`
/// on it gives its JSON text, quotes included (`"\"milk\""`), and rustc's
/// help suggests just that when a `let` copy of it (`let clean = title`)
/// is given to a `String` input. A method a `Value` lacks (`.len()`) got
/// rustc's E0599 naming `Value`, without the fix; an optional one
/// (`Option<Value>`) unwrapped and used as text, rustc's E0277 naming the
/// runtime's `Value`.
fn check_untyped_text(
    sync: &SyncDecl,
    untyped: &HashSet<String>,
    untyped_options: &HashSet<String>,
    diagnostics: &mut Diagnostics,
) {
    /// The methods a `serde_json::Value` has (its own, and those of the
    /// traits it implements that a guard would call).
    const VALUE_METHODS: &[&str] = &[
        "get",
        "get_mut",
        "is_object",
        "as_object",
        "as_object_mut",
        "is_array",
        "as_array",
        "as_array_mut",
        "is_string",
        "as_str",
        "is_number",
        "as_number",
        "is_i64",
        "is_u64",
        "is_f64",
        "as_i64",
        "as_u64",
        "as_f64",
        "is_boolean",
        "as_bool",
        "is_null",
        "as_null",
        "pointer",
        "pointer_mut",
        "take",
        "clone",
        "eq",
        "ne",
        "to_owned",
        "into",
        "try_into",
    ];
    /// What takes the `Value` out of an `Option<Value>`.
    const UNWRAPPING: &[&str] = &[
        "unwrap",
        "expect",
        "unwrap_or",
        "unwrap_or_default",
        "unwrap_or_else",
        "as_deref",
    ];
    /// What an untyped field cannot do: `.to_string()` (it can, wrongly),
    /// methods a `Value` does not have (`.len()`, `.trim()`, meant for the
    /// type the field was thought to have), and orderings (`copies > 100`);
    /// the same of an optional one's value taken out of its `Option`, and
    /// being given to a method of something else (`haystack.contains(..)`).
    struct MethodCalls<'a> {
        untyped: &'a HashSet<String>,
        untyped_options: &'a HashSet<String>,
        /// Each field, what it cannot do, and the typed `let` suggested
        /// (its variable's suffix and type).
        found: Vec<(Ident, String, (&'static str, &'static str))>,
        /// Each optional field unwrapped to be used as text, and the
        /// method that unwraps it.
        unwrapped_uses: Vec<(Ident, String)>,
    }
    impl MethodCalls<'_> {
        fn untyped<'e>(&self, expr: &'e syn::Expr) -> Option<&'e Ident> {
            bare_variable(expr).filter(|field| self.untyped.contains(&field.to_string()))
        }

        /// The untyped optional field `expr` unwraps, and how, if it is
        /// one (`q.unwrap()`, `(&q.unwrap())`).
        fn unwrapped<'e>(&self, expr: &'e syn::Expr) -> Option<(&'e Ident, &'e Ident)> {
            let call = match expr {
                syn::Expr::MethodCall(call) => call,
                syn::Expr::Paren(inner) => return self.unwrapped(&inner.expr),
                syn::Expr::Reference(inner) => return self.unwrapped(&inner.expr),
                _ => return None,
            };
            let field = bare_variable(&call.receiver)
                .filter(|field| self.untyped_options.contains(&field.to_string()))?;
            UNWRAPPING
                .contains(&call.method.to_string().as_str())
                .then_some((field, &call.method))
        }
    }
    impl<'ast> syn::visit::Visit<'ast> for MethodCalls<'_> {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            let method = call.method.to_string();
            if !VALUE_METHODS.contains(&method.as_str()) {
                if let Some((field, unwrap)) = self.unwrapped(&call.receiver) {
                    self.unwrapped_uses.push((field.clone(), unwrap.to_string()));
                }
            }
            for argument in &call.args {
                if let Some((field, unwrap)) = self.unwrapped(argument) {
                    self.unwrapped_uses.push((field.clone(), unwrap.to_string()));
                }
            }
            if !VALUE_METHODS.contains(&method.as_str()) {
                if let Some(field) = self.untyped(&call.receiver) {
                    let what = match method == "to_string" {
                        true => "`.to_string()` would give its JSON text, quotes included".to_owned(),
                        false => format!("it has no method `{method}`"),
                    };
                    self.found.push((field.clone(), what, ("text", "String")));
                }
            }
            syn::visit::visit_expr_method_call(self, call);
        }

        fn visit_expr_binary(&mut self, binary: &'ast syn::ExprBinary) {
            use syn::BinOp::{Ge, Gt, Le, Lt};
            if matches!(binary.op, Lt(_) | Le(_) | Gt(_) | Ge(_)) {
                for side in [&binary.left, &binary.right] {
                    if let Some(field) = self.untyped(side) {
                        let op = binary.op.to_token_stream();
                        self.found.push((
                            field.clone(),
                            format!("it cannot be ordered with `{op}`"),
                            ("number", "i64"),
                        ));
                    }
                }
            }
            syn::visit::visit_expr_binary(self, binary);
        }
    }
    fn bare_variable(expr: &syn::Expr) -> Option<&Ident> {
        match expr {
            syn::Expr::Path(path) if path.qself.is_none() => path.path.get_ident(),
            syn::Expr::Paren(inner) => bare_variable(&inner.expr),
            _ => None,
        }
    }
    let untyped_field = |field: &Ident| {
        format!(
            "`{field}` is a request field that no concept input types, so here it is untyped JSON \
             (`serde_json::Value`)"
        )
    };
    let mut calls = MethodCalls {
        untyped,
        untyped_options,
        found: Vec::new(),
        unwrapped_uses: Vec::new(),
    };
    for step in &sync.steps {
        let expr = match step {
            Step::Let { name, ty: None, expr } => {
                if let Some(field) = calls.untyped(expr) {
                    diagnostics.error(
                        field.span(),
                        format!(
                            "{}, and so would `{name}` be: give the `let` a type, `let {name}: String = {field}` \
                             (or the type you mean)",
                            untyped_field(field)
                        ),
                    );
                }
                expr
            }
            Step::Let { expr, .. } | Step::Guard { expr } => expr,
            _ => continue,
        };
        syn::visit::Visit::visit_expr(&mut calls, expr);
        for (field, what, (suffix, ty)) in calls.found.drain(..) {
            diagnostics.error(
                field.span(),
                format!(
                    "{}: {what}; type it with a `let` first, `let {field}_{suffix}: {ty} = {field}` (or the \
                     type you mean), and use that",
                    untyped_field(&field)
                ),
            );
        }
        for (field, method) in calls.unwrapped_uses.drain(..) {
            diagnostics.error(
                field.span(),
                format!(
                    "`{field}` is an optional request field that no concept input types, so here it is \
                     `Option<serde_json::Value>`: `.{method}` takes JSON out of it, not text; type it with a \
                     `let` first, `let {field}_text: Option<String> = {field}` (or the type you mean), and use \
                     that"
                ),
            );
        }
    }
}

/// A guard or `not` step between a `collect`'s fan-out and the `collect`
/// that tests only what `collect` groups by would not apply to the groups
/// that answer with an empty list: it belongs before the fan-out.
fn check_filters_after_fan_out(sync: &SyncDecl, diagnostics: &mut Diagnostics) {
    for (collect, fan_out) in super::expand::collect_snapshot_points(&sync.steps) {
        let fan_out_action = match &sync.steps[fan_out] {
            Step::Query { action, .. } => format!("`{}`", action.text()),
            _ => "the step that binds what it collects".to_owned(),
        };
        let collected: Vec<String> = match &sync.steps[collect] {
            Step::Collect { vars, .. } => vars.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        };
        // Variables bound before the fan-out: a query output naming one
        // compares, and binds nothing new.
        let field_vars = |fields: &[Field]| -> Vec<String> {
            fields
                .iter()
                .filter_map(Field::var)
                .map(ToString::to_string)
                .collect()
        };
        let mut bound_before: HashSet<String> = HashSet::new();
        for pattern in &sync.when {
            bound_before.extend(field_vars(&pattern.inputs));
            bound_before.extend(field_vars(&pattern.outputs));
        }
        for step in &sync.steps[..fan_out] {
            match step {
                Step::Query { outputs, .. } => bound_before.extend(field_vars(outputs)),
                Step::Let { name, .. } | Step::Collect { name, .. } => {
                    bound_before.insert(name.to_string());
                }
                _ => {}
            }
        }
        // Variables bound from the fan-out on: they differ per item.
        let mut per_item: HashSet<String> = HashSet::new();
        for step in &sync.steps[fan_out..collect] {
            let bound: Vec<&Ident> = match step {
                Step::Query { outputs, .. } => outputs.iter().filter_map(Field::var).collect(),
                Step::Let { name, .. } => vec![name],
                _ => Vec::new(),
            };
            for var in bound {
                let name = var.to_string();
                if bound_before.contains(&name) {
                    continue;
                }
                // `collect` groups by what it does not collect; a group
                // variable bound per item splits the list, and when there
                // are no items it has no value for the empty list's frame.
                if !collected.contains(&name) {
                    diagnostics.error(
                        var.span(),
                        format!(
                            "`{name}` is bound after the fan-out {fan_out_action} but not collected: `collect` \
                             groups by every variable it does not collect, so each value of `{name}` would get a \
                             list of its own, and with no items there would be no `{name}` to answer an empty \
                             list with; collect it too (`collect ({}, {name}) as ...`), or bind it before \
                             {fan_out_action}",
                            collected.join(", ")
                        ),
                    );
                }
                per_item.insert(name);
            }
        }
        for step in &sync.steps[fan_out + 1..collect] {
            let (span, used): (proc_macro2::Span, Vec<String>) = match step {
                Step::Guard { expr } => {
                    let mut used = Vec::new();
                    collect_idents(quote::ToTokens::to_token_stream(expr), &mut |ident| {
                        used.push(ident.to_string())
                    });
                    (syn::spanned::Spanned::span(expr), used)
                }
                Step::Absence {
                    action,
                    inputs,
                    outputs,
                    ..
                } => (
                    action.concept.span(),
                    inputs
                        .iter()
                        .chain(outputs)
                        .filter_map(Field::var)
                        .map(ToString::to_string)
                        .collect(),
                ),
                _ => continue,
            };
            if !used.iter().any(|name| per_item.contains(name)) {
                diagnostics.error(
                    span,
                    format!(
                        "this step filters on what `collect` groups by, after the fan-out {fan_out_action}: \
                         groups left without items would still answer with an empty list; move it before \
                         {fan_out_action}"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// A type with a `_` left to inference types no field; a lifetime `'_`
    /// is not one.
    #[test]
    fn only_an_underscore_type_is_left_to_inference() {
        let inferred = |text: &str| super::has_inferred_part(&syn::parse_str(text).expect("a type"));
        assert!(inferred("_"));
        assert!(inferred("Option<_>"));
        assert!(inferred("Vec<(u32, _)>"));
        assert!(!inferred("Option<bool>"));
        assert!(!inferred("Cow<'_, str>"));
        assert!(!inferred("&'_ str"));
    }

    /// A format string captures the names in its braces, not positions,
    /// escaped braces or the width and precision after a `:`.
    #[test]
    fn a_format_string_captures_the_names_in_its_braces() {
        assert_eq!(
            super::captured_names("{name} is {age:>3} {{not}} {0} {}"),
            ["name", "age"]
        );
        assert_eq!(super::captured_names("{ user:?}{"), ["user"]);
        assert!(super::captured_names("no braces").is_empty());
    }
}
