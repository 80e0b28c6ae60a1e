//! The syntax of syncs, and its parser.
//!
//! ```text
//! sync     := doc* vis? 'sync'? Name 'when' pattern+ ('where' step+)? 'then' call+
//! pattern  := Concept '.' action '(' fields ')' ':' '(' fields ')'
//! step     := Concept '.' _query '(' fields ')' (':' '(' fields ')')?
//!           | 'not' Concept '.' _query '(' fields ')' (':' '(' fields ')')?
//!           | 'if' <bool expr> | 'let' name (':' Type)? '=' <expr>
//!           | 'collect' '(' name, ... ')' 'as' name
//! call     := Concept '.' action '(' fields ')'
//! fields   := (name '?'? (':' value)?),*   -- `name` alone means `name: name`;
//!                                            `name?` an optional open field
//! value    := literal | variable
//! ```

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Token, Visibility};

use crate::diag::closest;

syn::custom_keyword!(when);
syn::custom_keyword!(then);
syn::custom_keyword!(collect);
syn::custom_keyword!(not);

const CLAUSES: [&str; 3] = ["when", "where", "then"];

/// The syncs of one `sync!` call. A sync that does not parse does not stop
/// the others: its error is kept, and parsing goes on at the next sync.
pub(crate) struct SyncList {
    pub(crate) syncs: Vec<SyncDecl>,
    pub(crate) failed: Vec<Failed>,
}

/// A sync that did not parse: why, and its head if that much was readable
/// (so that a stub keeps its name defined, and `.sync(Name)` raises no
/// second error).
pub(crate) struct Failed {
    pub(crate) error: syn::Error,
    pub(crate) head: Option<SyncHead>,
}

/// What precedes a sync's `when`: its attributes, visibility and name.
pub(crate) struct SyncHead {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
}

impl Parse for SyncHead {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        if !input.peek(Ident) {
            return Err(input.error("expected the sync's name, e.g. `pub LoginFlow when ...`"));
        }
        let mut name: Ident = input.parse()?;
        // The spec language starts a sync with `sync` (`sync LoginFlow
        // when ...`): a sync copied from a spec compiles as it is.
        if name == "sync" && input.peek(Ident) && !input.peek(when) {
            name = input.parse()?;
        }
        Ok(SyncHead { attrs, vis, name })
    }
}

pub(crate) struct SyncDecl {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    pub(crate) when: Vec<Pattern>,
    pub(crate) steps: Vec<Step>,
    pub(crate) then: Vec<Call>,
}

impl SyncDecl {
    /// The concepts the sync names, other than `Requesting`: each once, at
    /// its first mention (in `when`, then the `where` queries, then `then`).
    pub(crate) fn concepts(&self) -> Vec<&Ident> {
        let queried = self.steps.iter().filter_map(|step| match step {
            Step::Query { action, .. } | Step::Absence { action, .. } => Some(action),
            _ => None,
        });
        let actions = self
            .when
            .iter()
            .map(|pattern| &pattern.action)
            .chain(queried)
            .chain(self.then.iter().map(|call| &call.action));
        let mut concepts: Vec<&Ident> = Vec::new();
        for action in actions.filter(|action| !action.is_requesting()) {
            if !concepts.contains(&&action.concept) {
                concepts.push(&action.concept);
            }
        }
        concepts
    }
}

/// `Concept.action`
#[derive(Clone)]
pub(crate) struct ActionPath {
    pub(crate) concept: Ident,
    pub(crate) action: Ident,
}

impl ActionPath {
    pub(crate) fn is_query(&self) -> bool {
        self.action.to_string().starts_with('_')
    }

    pub(crate) fn is_requesting(&self) -> bool {
        self.concept == "Requesting"
    }

    pub(crate) fn text(&self) -> String {
        format!("{}.{}", self.concept, self.action)
    }
}

/// `Concept.action (inputs) : (outputs)` in `when`.
pub(crate) struct Pattern {
    pub(crate) action: ActionPath,
    pub(crate) inputs: Vec<Field>,
    pub(crate) outputs: Vec<Field>,
    /// The span of the pattern's last token.
    pub(crate) end: Span,
}

/// `name: value`, or `name` for `name: name`.
#[derive(Clone)]
pub(crate) struct Field {
    pub(crate) name: Ident,
    pub(crate) value: Value,
    /// `name?`: an optional open field, bound as an `Option`.
    pub(crate) optional: Option<Span>,
}

#[derive(Clone)]
pub(crate) enum Value {
    Var(Ident),
    Lit(Literal),
}

impl Field {
    /// The variable the field binds or compares with, if not a literal.
    pub(crate) fn var(&self) -> Option<&Ident> {
        match &self.value {
            Value::Var(var) => Some(var),
            Value::Lit(_) => None,
        }
    }
}

/// A literal in the spec language: a JSON value (arrays, objects and `null`
/// only in open fields).
#[derive(Clone)]
pub(crate) struct Literal {
    /// The literal as a Rust expression (`"x"`, `3`, `-2.5`, `true`).
    pub(crate) rust: TokenStream,
    /// `null` has no Rust form; it is only valid in open fields.
    pub(crate) is_null: bool,
    /// String literals convert to the field's string type.
    pub(crate) is_string: bool,
    /// An array or object literal (`["a", 1]`, `{"k": true}`): JSON only,
    /// like `null`.
    pub(crate) composite: bool,
    pub(crate) span: Span,
}

pub(crate) enum Step {
    Query {
        action: ActionPath,
        inputs: Vec<Field>,
        outputs: Vec<Field>,
        tokens: TokenStream,
        end: Span,
    },
    Absence {
        action: ActionPath,
        inputs: Vec<Field>,
        outputs: Vec<Field>,
        tokens: TokenStream,
        end: Span,
    },
    Guard {
        expr: Box<syn::Expr>,
    },
    Let {
        name: Ident,
        ty: Option<Box<syn::Type>>,
        expr: Box<syn::Expr>,
    },
    Collect {
        vars: Vec<Ident>,
        name: Ident,
        tokens: TokenStream,
    },
}

impl Step {
    /// The step as the explanations quote it: its tokens, without `if` and
    /// `let` (the runtime's `StepSpec` says which it is).
    pub(crate) fn text(&self) -> String {
        match self {
            Step::Query { tokens, .. } | Step::Absence { tokens, .. } | Step::Collect { tokens, .. } => {
                tokens.to_string()
            }
            Step::Guard { expr } => expr.to_token_stream().to_string(),
            Step::Let { name, ty: None, expr } => format!("{name} = {}", expr.to_token_stream()),
            Step::Let {
                name,
                ty: Some(ty),
                expr,
            } => format!("{name}: {} = {}", ty.to_token_stream(), expr.to_token_stream()),
        }
    }

    /// The step as written: [`Step::text`] with its `if` or `let`.
    pub(crate) fn label(&self) -> String {
        match self {
            Step::Guard { .. } => format!("if {}", self.text()),
            Step::Let { .. } => format!("let {}", self.text()),
            _ => self.text(),
        }
    }

    /// The span of the step's last token (or, for expressions, its first).
    fn end(&self) -> Span {
        match self {
            Step::Query { end, .. } | Step::Absence { end, .. } => *end,
            Step::Guard { expr } | Step::Let { expr, .. } => syn::spanned::Spanned::span(expr),
            Step::Collect { name, .. } => name.span(),
        }
    }
}

/// `Concept.action (inputs)` in `then`.
pub(crate) struct Call {
    pub(crate) action: ActionPath,
    pub(crate) inputs: Vec<Field>,
}

impl Parse for SyncList {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut syncs: Vec<SyncDecl> = Vec::new();
        let mut failed: Vec<Failed> = Vec::new();
        while !input.is_empty() {
            // Before the first sync, its own parse says what is wrong
            // (a missing name, a misspelled `when`).
            let read_one = !syncs.is_empty() || !failed.is_empty();
            if read_one && !starts_sync(input) {
                let found = input
                    .fork()
                    .parse::<proc_macro2::TokenTree>()
                    .map(|token| token.to_string())
                    .unwrap_or_default();
                let after = match syncs.last() {
                    Some(previous) => format!(" after the `then` actions of sync `{}`", previous.name),
                    None => String::new(),
                };
                failed.push(Failed {
                    error: input.error(format!(
                        "unexpected `{found}`{after}: each action is `Concept.action (inputs)`, and a new \
                         sync starts with its name (`pub Name when ...`)"
                    )),
                    head: None,
                });
                input.parse::<proc_macro2::TokenTree>()?;
                skip_to_next_sync(input)?;
                continue;
            }
            // Each sync is parsed on a fork: a failure deep inside a
            // sync's parentheses must not leave its unread tokens behind,
            // which syn would report as a bare "unexpected token" for the
            // whole call, hiding the real message.
            let attempt = input.fork();
            match attempt.parse::<SyncDecl>() {
                Ok(sync) => {
                    input.advance_to(&attempt);
                    syncs.push(sync);
                }
                Err(error) => {
                    // The head on a fork too: a malformed attribute must not
                    // leave tokens behind either.
                    let head_attempt = input.fork();
                    let head = head_attempt.parse::<SyncHead>().ok();
                    match head {
                        Some(_) => input.advance_to(&head_attempt),
                        None => {
                            input.parse::<proc_macro2::TokenTree>()?;
                        }
                    }
                    failed.push(Failed { error, head });
                    skip_to_next_sync(input)?;
                }
            }
            skip_separators(input)?;
        }
        if syncs.is_empty() && failed.is_empty() {
            return Err(input.error(
                "expected a sync: `pub Name when Concept.action (...) : (...) then Concept.action (...)`",
            ));
        }
        Ok(SyncList { syncs, failed })
    }
}

/// Skips tokens up to where the next sync starts (its doc comment,
/// visibility, or `Name when`), or to the end.
fn skip_to_next_sync(input: ParseStream) -> syn::Result<()> {
    while !input.is_empty() && !starts_sync(input) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

impl Parse for SyncDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let SyncHead { attrs, vis, name } = input.parse()?;
        expect_clause(input, "when", &name, name.span())?;
        input.parse::<when>()?;
        let mut when: Vec<Pattern> = Vec::new();
        while starts_action(input) {
            when.push(input.parse::<Pattern>()?);
            skip_separators(input)?;
        }
        let mut last = when
            .last()
            .map(|pattern| pattern.end)
            .unwrap_or_else(|| name.span());
        if when.is_empty() {
            return Err(input.error(
                "`when` needs at least one action pattern, e.g. `Concept.action (input) : (output)`",
            ));
        }
        let mut steps = Vec::new();
        let mut expected = "then";
        if input.peek(Token![where]) {
            input.parse::<Token![where]>()?;
            while !input.peek(then) && !input.is_empty() {
                let step = input.parse::<Step>()?;
                last = step.end();
                steps.push(step);
                skip_separators(input)?;
            }
            if steps.is_empty() {
                return Err(input.error("`where` needs at least one step (or leave `where` out)"));
            }
        } else {
            expected = "where-or-then";
        }
        expect_clause(input, expected, &name, last)?;
        input.parse::<then>()?;
        let mut then = Vec::new();
        while starts_action(input) {
            then.push(input.parse::<Call>()?);
            skip_separators(input)?;
        }
        if then.is_empty() {
            return Err(
                input.error("`then` needs at least one action to invoke, e.g. `Concept.action (input)`")
            );
        }
        Ok(SyncDecl {
            attrs,
            vis,
            name,
            when,
            steps,
            then,
        })
    }
}

/// Skips the `,` or `;` a writer may put between patterns, steps and
/// actions (the TypeScript engine's syncs are lists): a line break is
/// enough, but either is accepted.
fn skip_separators(input: ParseStream) -> syn::Result<()> {
    while input.peek(Token![;]) || input.peek(Token![,]) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// A doc comment, a visibility or `Name when` starts a sync.
fn starts_sync(input: ParseStream) -> bool {
    input.peek(Token![#])
        || input.peek(Token![pub])
        || (input.peek(Ident) && input.peek2(when))
        || starts_with_sync_keyword(input)
}

/// `sync Name when`: the spec language's way to start a sync.
fn starts_with_sync_keyword(input: ParseStream) -> bool {
    let fork = input.fork();
    fork.parse::<Ident>().is_ok_and(|word| word == "sync") && fork.peek(Ident) && fork.peek2(when)
}

/// `Ident .` starts an action pattern or call.
fn starts_action(input: ParseStream) -> bool {
    (input.peek(Ident) && input.peek2(Token![.])) || names_concept_by_path(input)
}

/// `deep::Accounts.register` or `crate::Accounts.register`: a concept named
/// by a path, which the spec language does not take.
fn names_concept_by_path(input: ParseStream) -> bool {
    input.peek(Ident::peek_any) && input.peek2(Token![::])
}

/// Fails with a message naming the clause expected, and the nearest keyword
/// when the user misspelled one.
fn expect_clause(input: ParseStream, keyword: &str, sync: &Ident, after: Span) -> syn::Result<()> {
    let found = input.fork().parse::<proc_macro2::TokenTree>().ok();
    let matches = match &found {
        Some(proc_macro2::TokenTree::Ident(ident)) => {
            ident == keyword || (keyword == "where-or-then" && ident == "then")
        }
        _ => false,
    };
    if matches {
        return Ok(());
    }
    let what = match keyword {
        "when" => format!("expected `when` after the sync's name `{sync}`"),
        "then" => format!("expected `then` and the actions that sync `{sync}` invokes"),
        "where-or-then" => format!("expected `where` or `then` after the `when` patterns of sync `{sync}`"),
        _ => format!("expected `{keyword}`"),
    };
    match found {
        None => Err(syn::Error::new(after, format!("{what}, but the sync ends here"))),
        Some(token) => {
            let text = token.to_string();
            let hint = match closest(&text, CLAUSES) {
                Some(near) if near != text => format!(" (did you mean `{near}`?)"),
                _ => String::new(),
            };
            let found = if starts_action(input) {
                let path = input
                    .fork()
                    .parse::<ActionPathOnly>()
                    .map(|path| path.0.text())
                    .unwrap_or(text);
                format!("the action `{path}`")
            } else {
                format!("`{text}`")
            };
            Err(syn::Error::new(
                token.span(),
                format!("{what}, found {found}{hint}"),
            ))
        }
    }
}

struct ActionPathOnly(ActionPath);

impl Parse for ActionPathOnly {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if names_concept_by_path(input) {
            let parsed: syn::Path = input.call(syn::Path::parse_mod_style)?;
            let concept = parsed
                .segments
                .last()
                .map(|segment| segment.ident.to_string())
                .unwrap_or_default();
            let written = quote::ToTokens::to_token_stream(&parsed)
                .to_string()
                .replace(' ', "");
            return Err(syn::Error::new_spanned(
                &parsed,
                format!(
                    "a sync names a concept by its type's name alone (`{concept}.action`), not by a path: \
                     bring it into scope with `use {written};`"
                ),
            ));
        }
        let concept: Ident = input.parse()?;
        input.parse::<Token![.]>()?;
        let action: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        Ok(ActionPathOnly(ActionPath { concept, action }))
    }
}

impl Parse for Pattern {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let action = input.parse::<ActionPathOnly>()?.0;
        let (inputs, close) = parse_fields_ending(input, &action, "inputs", Role::Matched)?;
        if !input.peek(Token![:]) {
            // At the parenthesis the outputs belong after, not at the next
            // line's first token.
            return Err(syn::Error::new(
                close,
                format!(
                    "expected `: (outputs)` after the inputs of `{}` (write `: ()` to match any success)",
                    action.text()
                ),
            ));
        }
        input.parse::<Token![:]>()?;
        let (outputs, end) = parse_fields_ending(input, &action, "outputs", Role::Matched)?;
        Ok(Pattern {
            action,
            inputs,
            outputs,
            end,
        })
    }
}

impl Parse for Step {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let start = input.fork();
        if input.peek(Token![if]) {
            input.parse::<Token![if]>()?;
            let expr = Box::new(syn::Expr::parse_without_eager_brace(input)?);
            return Ok(Step::Guard { expr });
        }
        if input.peek(Token![let]) {
            input.parse::<Token![let]>()?;
            let name = variable(input.parse()?)?;
            let ty = if input.peek(Token![:]) {
                input.parse::<Token![:]>()?;
                Some(Box::new(input.parse()?))
            } else {
                None
            };
            input.parse::<Token![=]>()?;
            let expr = Box::new(syn::Expr::parse_without_eager_brace(input)?);
            return Ok(Step::Let { name, ty, expr });
        }
        if input.peek(collect) && input.peek2(syn::token::Paren) {
            input.parse::<collect>()?;
            let content;
            syn::parenthesized!(content in input);
            let vars = content
                .parse_terminated(Ident::parse, Token![,])?
                .into_iter()
                .map(variable)
                .collect::<syn::Result<Vec<_>>>()?;
            if vars.is_empty() {
                return Err(
                    content.error("`collect` needs the variables to collect: `collect (a, b) as list`")
                );
            }
            if !input.peek(Token![as]) {
                return Err(input.error("expected `as name` after `collect (...)`: the list's variable"));
            }
            input.parse::<Token![as]>()?;
            let name = variable(input.parse()?)?;
            let tokens = tokens_between(&start, input);
            return Ok(Step::Collect { vars, name, tokens });
        }
        let absent = input.peek(not) && input.peek2(Ident);
        if absent {
            input.parse::<not>()?;
        }
        if !starts_action(input) {
            return Err(input.error(
                "expected a `where` step: `Concept._query (inputs) : (outputs)`, `not Concept._query (inputs)`, \
                 `if <condition>`, `let name = <expression>` or `collect (names) as list`; or `then`",
            ));
        }
        let action = input.parse::<ActionPathOnly>()?.0;
        let (inputs, mut end) = parse_fields_ending(input, &action, "inputs", Role::Given)?;
        let outputs = if input.peek(Token![:]) {
            input.parse::<Token![:]>()?;
            let (outputs, close) = parse_fields_ending(input, &action, "outputs", Role::Matched)?;
            end = close;
            outputs
        } else if absent {
            Vec::new()
        } else {
            return Err(syn::Error::new(
                end,
                format!(
                    "expected `: (outputs)` after the inputs of the query `{}`",
                    action.text()
                ),
            ));
        };
        let tokens = tokens_between(&start, input);
        Ok(if absent {
            Step::Absence {
                action,
                inputs,
                outputs,
                tokens,
                end,
            }
        } else {
            Step::Query {
                action,
                inputs,
                outputs,
                tokens,
                end,
            }
        })
    }
}

impl Parse for Call {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let action = input.parse::<ActionPathOnly>()?.0;
        let inputs = parse_fields(input, &action, "inputs")?;
        if input.peek(Token![:]) {
            return Err(input.error(format!(
                "a `then` action takes only inputs: remove the outputs after `{} (...)`",
                action.text()
            )));
        }
        Ok(Call { action, inputs })
    }
}

fn parse_fields(input: ParseStream, action: &ActionPath, what: &str) -> syn::Result<Vec<Field>> {
    parse_fields_ending(input, action, what, Role::Given).map(|(fields, _)| fields)
}

/// Whether a list of fields matches what a record or row holds (`when`
/// patterns, query outputs) or gives values to an action or query.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Matched,
    Given,
}

/// The fields, and the span of their closing parenthesis.
fn parse_fields_ending(
    input: ParseStream,
    action: &ActionPath,
    what: &str,
    role: Role,
) -> syn::Result<(Vec<Field>, Span)> {
    if !input.peek(syn::token::Paren) {
        return Err(input.error(format!(
            "expected the {what} of `{}` in parentheses, e.g. `(user)` or `()`",
            action.text()
        )));
    }
    let content;
    let parens = syn::parenthesized!(content in input);
    let mut fields = Vec::new();
    while !content.is_empty() {
        let name = content.call(Ident::parse_any).map_err(|error| {
            syn::Error::new(
                error.span(),
                format!("expected a field name in the {what} of `{}`", action.text()),
            )
        })?;
        // A field may be named by a keyword (`type`), raw or not. An open
        // field of `Requesting` is the plain word, as the JSON spells it; a
        // concept's field is the Rust input `r#type`, which the generated
        // code names it by.
        let name = if action.concept == "Requesting" {
            name.unraw()
        } else {
            raw_if_keyword(name)
        };
        let optional = if content.peek(Token![?]) {
            Some(content.parse::<Token![?]>()?.span)
        } else {
            None
        };
        let value = if content.peek(Token![:]) {
            content.parse::<Token![:]>()?;
            parse_value(&content, &name, role)?
        } else {
            if let Some(lower) = constant_like(&name) {
                return Err(syn::Error::new(
                    name.span(),
                    format!(
                        "the field `{name}` needs a variable named in snake_case, as a sync's \
                         variables are: write `{name}: {lower}`"
                    ),
                ));
            }
            Value::Var(variable(name.clone())?)
        };
        fields.push(Field {
            name,
            value,
            optional,
        });
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(not_a_separator(&content, &fields, what, action, role));
        }
        content.parse::<Token![,]>()?;
    }
    Ok((fields, parens.span.close()))
}

/// The error for what follows a field's value where a `,` belongs. A value
/// followed by `.`, `(`, an operator and the like is an expression (`user:
/// name.to_string()`), which the language leaves to `where`: say so, instead
/// of asking for a `,` the user did not forget.
fn not_a_separator(
    content: ParseStream,
    fields: &[Field],
    what: &str,
    action: &ActionPath,
    role: Role,
) -> syn::Error {
    let separator = || {
        content.error(format!(
            "expected `,` between the fields of the {what} of `{}`",
            action.text()
        ))
    };
    let Some(field) = fields.last() else {
        return separator();
    };
    let continues_expression = content.peek(Token![.])
        || content.peek(syn::token::Paren)
        || content.peek(syn::token::Bracket)
        || content.peek(Token![::])
        || content.peek(Token![as])
        || content.peek(Token![!])
        || content.peek(Token![+])
        || content.peek(Token![-])
        || content.peek(Token![*])
        || content.peek(Token![/])
        || content.peek(Token![%])
        || content.peek(Token![==])
        || content.peek(Token![!=])
        || content.peek(Token![<])
        || content.peek(Token![>])
        || content.peek(Token![&&])
        || content.peek(Token![||]);
    if !continues_expression {
        return separator();
    }
    let name = &field.name;
    let advice = if role == Role::Matched {
        format!("bind a variable here (`{name}: value`) and test it with `if` in `where`")
    } else {
        format!(
            "compute it with `let` in `where` (`let {name}_value = ...`) and give that variable \
             (`{name}: {name}_value`)"
        )
    };
    let start = match &field.value {
        Value::Var(var) => var.span(),
        Value::Lit(lit) => lit.span,
    };
    syn::Error::new(
        start,
        format!("the value of a field is a literal or a variable, not an expression: {advice}"),
    )
}

/// The value of the field `field`: a literal or a variable.
fn parse_value(input: ParseStream, field: &Ident, role: Role) -> syn::Result<Value> {
    if input.peek(Token![-]) {
        let minus: Token![-] = input.parse()?;
        let lit: syn::Lit = input.parse()?;
        if !matches!(lit, syn::Lit::Int(_) | syn::Lit::Float(_)) {
            return Err(syn::Error::new_spanned(lit, "only numbers can be negative"));
        }
        let span = minus.span;
        let mut rust = minus.to_token_stream();
        lit.to_tokens(&mut rust);
        return Ok(Value::Lit(Literal {
            rust,
            is_null: false,
            is_string: false,
            composite: false,
            span,
        }));
    }
    if input.peek(syn::token::Bracket) || input.peek(syn::token::Brace) {
        // A JSON array or object, as `serde_json::json!` reads it.
        let group: proc_macro2::TokenTree = input.parse()?;
        return Ok(Value::Lit(Literal {
            span: group.span(),
            rust: group.into_token_stream(),
            is_null: false,
            is_string: false,
            composite: true,
        }));
    }
    if input.peek(syn::Lit) {
        let lit: syn::Lit = input.parse()?;
        return match lit {
            syn::Lit::Str(_) | syn::Lit::Int(_) | syn::Lit::Float(_) | syn::Lit::Bool(_) => {
                Ok(Value::Lit(Literal {
                    span: lit.span(),
                    is_string: matches!(lit, syn::Lit::Str(_)),
                    rust: lit.to_token_stream(),
                    is_null: false,
                    composite: false,
                }))
            }
            other => Err(syn::Error::new_spanned(
                other,
                "literals are strings, numbers, `true`, `false` or `null`",
            )),
        };
    }
    let ident: Ident = input.call(syn::ext::IdentExt::parse_any).map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected a literal (string, number, boolean, `null`) or a variable",
        )
    })?;
    if ident == "null" {
        return Ok(Value::Lit(Literal {
            rust: quote::quote!(()),
            is_null: true,
            is_string: false,
            composite: false,
            span: ident.span(),
        }));
    }
    if constant_like(&ident).is_some() {
        // Rust would read a constant here; the generated code would bind a
        // variable of that name instead (or, with the constant in scope, fail
        // on a type it never shows): say what the sync means to do.
        let field = field.unraw();
        let message = match role {
            Role::Matched => format!(
                "`{ident}` is written like a constant, but a pattern holds a literal or a \
                 variable: here it would bind a new variable that matches every `{field}`. \
                 For the text itself, quote it (`{field}: \"{ident}\"`); for a constant, bind \
                 the field (`{field}`) and compare it in `where`: `if {field} == {ident}`"
            ),
            Role::Given => format!(
                "`{ident}` is written like a constant, but a field's value here is a literal or a \
                 variable: take the constant into a variable in `where` (`let {field}_value = \
                 {ident}`) and give that (`{field}: {field}_value`)"
            ),
        };
        return Err(syn::Error::new(ident.span(), message));
    }
    Ok(Value::Var(variable(ident)?))
}

/// `Some(the name in snake_case)` if `ident` is written like a Rust
/// constant (`OUT_OF_STOCK`): upper-case letters and no lower-case ones.
fn constant_like(ident: &Ident) -> Option<String> {
    let word = ident.unraw().to_string();
    let constant = word.chars().any(|c| c.is_uppercase()) && !word.chars().any(|c| c.is_lowercase());
    constant.then(|| word.to_lowercase())
}

/// `type` as `r#type`: the name a concept's input has in Rust. Words that
/// cannot be raw (`self`, `crate`, ...) stay as they are, for rustc to
/// report.
fn raw_if_keyword(name: Ident) -> Ident {
    let word = name.to_string();
    let is_keyword = syn::parse_str::<Ident>(&word).is_err();
    let cannot_be_raw = ["self", "Self", "super", "crate", "_"].contains(&word.as_str());
    if is_keyword && !cannot_be_raw {
        Ident::new_raw(&word, name.span())
    } else {
        name
    }
}

/// `ident`, if it can name a variable of the generated code: a keyword
/// cannot, and a raw identifier (`r#type`) would be looked up by a name
/// the request's JSON does not use.
fn variable(ident: Ident) -> syn::Result<Ident> {
    let text = ident.to_string();
    let word = text.strip_prefix("r#").unwrap_or(&text);
    let keyword = syn::parse_str::<Ident>(word).is_err();
    let message = if word == "_" {
        "`_` cannot name a variable of a sync: give the variable a name".to_owned()
    } else if keyword {
        let example = if word == "type" { "kind" } else { "value" };
        format!(
            "`{word}` is a Rust keyword, so it cannot name a variable of a sync; name the variable \
             otherwise, e.g. `{word}: {example}` for a field `{word}`"
        )
    } else if text != word {
        format!("a raw identifier cannot name a variable of a sync: write `{word}`")
    } else if let Some(lower) = constant_like(&ident) {
        format!(
            "`{word}` is written like a constant, but it names a variable of the sync, and a \
             sync's variables are snake_case: write `{lower}`"
        )
    } else {
        return Ok(ident);
    };
    Err(syn::Error::new(ident.span(), message))
}

/// The tokens consumed between a fork taken earlier and the current position.
fn tokens_between(start: &syn::parse::ParseBuffer, end: ParseStream) -> TokenStream {
    let mut tokens = TokenStream::new();
    let mut cursor = start.cursor();
    while cursor < end.cursor() {
        let Some((tree, next)) = cursor.token_tree() else {
            break;
        };
        tokens.extend(std::iter::once(tree));
        cursor = next;
    }
    tokens
}
