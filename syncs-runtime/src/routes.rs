//! The route table, derived from the syncs: every literal `path` of a
//! `Requesting.request` pattern is a route, and the syncs that can start a
//! flow on it say which fields a request must carry. The engine asks it why
//! a request ended unanswered; the HTTP server also routes by it.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::requesting::Fields;
use crate::sync::{CompiledSync, OpenField, StepSpec};

/// What a route's request must look like for one sync to start on it.
#[derive(Debug, Clone)]
struct Starter {
    /// Literal input fields besides `path` (e.g. `method: "GET"`).
    literals: Vec<(&'static str, Value)>,
    open_fields: Vec<OpenField>,
}

/// One route: a path template and what its syncs expect.
#[derive(Debug, Clone, Default)]
pub(crate) struct Route {
    /// The template as the syncs write it, e.g. `/articles/:slug`.
    pub(crate) template: String,
    /// The methods its starting syncs name (`method: "GET"`).
    methods: Vec<String>,
    /// Whether a starting sync on this route that names no method handles
    /// requests (it is not a guard, see [`is_guard`]): the route then
    /// takes every method but HEAD. A guard naming no method (a 401, a
    /// 404 for a missing item) sees the methods the route's other syncs
    /// take, and opens the route to no other.
    any_method: bool,
    /// Whether any pattern on this route names a `method`, as a literal or
    /// a variable (then requests carry their method as a field).
    names_method: bool,
    /// Patterns that are the only `when` pattern of their sync: the request
    /// alone can fire them.
    starters: Vec<Starter>,
}

/// A problem with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldProblem {
    /// The field.
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

impl FieldProblem {
    /// The problems in one line: `` `option`: missing; `id`: ... ``.
    pub fn summary(problems: &[FieldProblem]) -> String {
        problems
            .iter()
            .map(|problem| format!("`{}`: {}", problem.field, problem.problem))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Why a request was refused before any sync ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    MethodNotAllowed {
        allowed: Vec<String>,
    },
    /// `taken`: another sync of the route started on the request (and did
    /// not answer either).
    InvalidFields {
        problems: Vec<FieldProblem>,
        taken: bool,
    },
}

impl Route {
    /// Whether a HEAD request is answered as a GET: some sync on this route
    /// names GET, and none HEAD.
    pub(crate) fn answers_head_as_get(&self) -> bool {
        self.methods.iter().any(|method| method == "GET")
            && !self.methods.iter().any(|method| method == "HEAD")
    }

    /// Whether the route takes methods its syncs do not name: one of
    /// them handles any method, or none names one.
    fn takes_any_method(&self) -> bool {
        self.any_method || self.methods.is_empty()
    }

    /// The methods this route takes, as an `Allow` header lists them.
    pub(crate) fn allow(&self) -> String {
        self.allowed().join(", ")
    }

    /// The methods a 405 and an OPTIONS answer list alike: those the
    /// route's syncs name (all but HEAD when it takes any method), HEAD
    /// where GET answers it, and OPTIONS.
    fn allowed(&self) -> Vec<String> {
        let mut allowed: Vec<String> = if self.takes_any_method() {
            ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .map(str::to_owned)
                .into()
        } else {
            Vec::new()
        };
        for method in &self.methods {
            if !allowed.contains(method) {
                allowed.push(method.clone());
            }
        }
        if self.answers_head_as_get() {
            allowed.push("HEAD".to_owned());
        }
        allowed.push("OPTIONS".to_owned());
        allowed
    }

    /// Whether this route's syncs read the request's method.
    pub(crate) fn uses_method(&self) -> bool {
        self.names_method
    }

    /// Whether a request's method reaches some sync that can start on this
    /// route (a route without such syncs takes any method). HEAD reaches
    /// only a sync that names it (the server asks a GET route's syncs
    /// with GET instead, as HTTP's HEAD is a GET without its body): on a
    /// route that has no GET, a HEAD, which a link checker or a crawler
    /// sends freely, must not run a sync that takes any method, which may
    /// change state (the seed's `/logout`).
    pub(crate) fn check_method(&self, method: &str) -> Result<(), Refusal> {
        let named = self.methods.iter().any(|allowed| allowed == method);
        let taken = match method {
            "HEAD" => named,
            _ => named || self.takes_any_method(),
        };
        if !taken {
            return Err(Refusal::MethodNotAllowed {
                allowed: self.allowed(),
            });
        }
        Ok(())
    }

    /// Checks a request nobody answered against the syncs that can start on
    /// this route: if one of them cannot match it, says why (for the one
    /// closest to matching). The syncs that name the request's method say
    /// what it needs.
    /// When none does, those that take any method are asked; if they all
    /// took the request and still did not answer, they are guards (a 401, a
    /// 404) that answer only some requests, and the method is not one the
    /// route's other syncs handle.
    pub(crate) fn check(&self, method: &str, fields: &Fields) -> Result<(), Refusal> {
        self.check_method(method)?;
        let names_method = |starter: &&Starter| {
            starter
                .literals
                .iter()
                .any(|(name, literal)| *name == "method" && literal.as_str() == Some(method))
        };
        let takes_any_method =
            |starter: &&Starter| !starter.literals.iter().any(|(name, _)| *name == "method");
        let named = self.starters.iter().any(|starter| names_method(&starter));
        let starters: Vec<&Starter> = self
            .starters
            .iter()
            .filter(|starter| match named {
                true => names_method(starter),
                false => takes_any_method(starter),
            })
            .collect();
        // A sync that started on the request took it and did not answer: a
        // guard that answers some cases (a 404 for a missing member), or a
        // gap. A sync that could not start for a field missing or of the
        // wrong type is then the likelier reason, the client's to mend (a
        // `book` missing where the guard reads only `member`); one that
        // wants other literals is another case of the route (`kind:
        // "token"` beside `kind: "password"`), which explains nothing.
        let problems: Vec<(Vec<FieldProblem>, Vec<FieldProblem>)> = starters
            .iter()
            .map(|starter| {
                (
                    literal_problems(starter, fields),
                    open_problems(starter, fields, &self.template),
                )
            })
            .collect();
        let taken = problems
            .iter()
            .any(|(literal, open)| literal.is_empty() && open.is_empty());
        let mut best: Option<Vec<FieldProblem>> = None;
        for (mut literal, open) in problems {
            let problems = match taken {
                true => open,
                false => {
                    literal.extend(open);
                    literal
                }
            };
            if !problems.is_empty() && best.as_ref().is_none_or(|best| problems.len() < best.len()) {
                best = Some(problems);
            }
        }
        match best {
            Some(problems) => Err(Refusal::InvalidFields { problems, taken }),
            None if !named && !self.methods.is_empty() => Err(Refusal::MethodNotAllowed {
                allowed: self.allowed(),
            }),
            None => Ok(()),
        }
    }
}

/// The literal fields of `starter` that `fields` do not match.
fn literal_problems(starter: &Starter, fields: &Fields) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    for (name, literal) in &starter.literals {
        if *name == "method" {
            continue;
        }
        match fields.get(*name) {
            Some(value) if crate::__private::open_literal_matches(Some(value), literal) => {}
            Some(_) => problems.push(FieldProblem {
                field: (*name).to_owned(),
                // A literal token or password must not be told to whoever
                // guesses wrong.
                problem: match crate::trace::is_secret_name(name) {
                    true => "is not the value a sync here expects".to_owned(),
                    false => format!("must be {literal}"),
                },
            }),
            None => problems.push(FieldProblem {
                field: (*name).to_owned(),
                problem: "missing".to_owned(),
            }),
        }
    }
    problems
}

/// The open fields of `starter` that `fields` lack or give of another type.
fn open_problems(starter: &Starter, fields: &Fields, template: &str) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    for open in &starter.open_fields {
        match fields.get(open.name) {
            None | Some(Value::Null) if !open.required => {}
            None => problems.push(FieldProblem {
                field: open.name.to_owned(),
                problem: missing(open.name, fields, || unread_parameters(starter, template)),
            }),
            Some(value) => {
                if let Err(error) = (open.validator)(value) {
                    problems.push(FieldProblem {
                        field: open.name.to_owned(),
                        problem: error,
                    });
                }
            }
        }
    }
    problems
}

/// The parameters of a route template, without their `:` (`slug` of
/// `/articles/:slug`).
pub(crate) fn route_parameters(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix(':'))
}

/// The parameters of `template` that `starter` does not read.
fn unread_parameters<'t>(starter: &Starter, template: &'t str) -> Vec<&'t str> {
    route_parameters(template)
        .filter(|parameter| {
            !starter.literals.iter().any(|(name, _)| name == parameter)
                && !starter.open_fields.iter().any(|open| open.name == *parameter)
        })
        .collect()
}

/// The problem of a field the request lacks, with a field it has that is
/// spelled nearly alike (the client's misspelling, or the sync's), or else
/// a parameter of the route the sync does not read (the sync's name for
/// it, under another name: `id` for `/polls/:poll`).
fn missing<'t>(name: &str, fields: &Fields, unread: impl FnOnce() -> Vec<&'t str>) -> String {
    let near = fields
        .keys()
        .filter(|given| !matches!(given.as_str(), "method" | "path"))
        .map(|given| (strsim::levenshtein(given, name), given))
        .filter(|(distance, _)| *distance <= 2 && *distance < name.len())
        .min();
    if let Some((_, given)) = near {
        return format!("missing (the request has `{given}`: is one of them misspelled?)");
    }
    match unread().as_slice() {
        [] => "missing".to_owned(),
        parameters => format!(
            "missing (the route gives `{}`, which the sync reading `{name}` does not read: is `{name}` meant \
             to be it?)",
            parameters.join("`, `")
        ),
    }
}

/// The routes of `syncs`, sorted by template.
pub(crate) fn routes_of(syncs: &[CompiledSync]) -> Vec<Route> {
    let mut by_template: BTreeMap<String, Route> = BTreeMap::new();
    for sync in syncs {
        for pattern in &sync.when {
            if pattern.action.concept_name != "Requesting" || pattern.action.action != "request" {
                continue;
            }
            let Some(path) = pattern.literal_path() else {
                continue;
            };
            let route = by_template.entry(path.to_owned()).or_insert_with(|| Route {
                template: path.to_owned(),
                ..Route::default()
            });
            route.names_method |= pattern.literals.iter().any(|(name, _)| *name == "method")
                || pattern.open_fields.iter().any(|field| field.name == "method");
            // Only the syncs that can start on the request alone say
            // which methods the route takes: a response sync without
            // a `method` does not open the route to every method.
            if sync.when.len() == 1 {
                match pattern
                    .literals
                    .iter()
                    .find(|(name, _)| *name == "method")
                    .and_then(|(_, value)| value.as_str())
                {
                    Some(method) => {
                        let method = method.to_ascii_uppercase();
                        if !route.methods.contains(&method) {
                            route.methods.push(method);
                        }
                    }
                    None => route.any_method |= !is_guard(sync),
                }
                route.starters.push(Starter {
                    literals: pattern
                        .literals
                        .iter()
                        .filter(|(name, _)| *name != "path")
                        .cloned()
                        .collect(),
                    open_fields: pattern.open_fields.clone(),
                });
            }
        }
    }
    by_template.into_values().collect()
}

/// Whether `sync` is a guard: a `not` or `if` step is its condition, and
/// its `then` only answers (a 404 for a missing item, a 401). It answers
/// some requests, whatever their method, and handles none.
fn is_guard(sync: &CompiledSync) -> bool {
    sync.steps
        .iter()
        .any(|step| matches!(step, StepSpec::Absence(_) | StepSpec::Guard(_)))
        && sync
            .then
            .iter()
            .all(|action| action.concept_name == "Requesting" && action.action == "respond")
}

/// All routes of an engine's syncs, and the router over them.
pub(crate) struct Routes {
    router: matchit::Router<usize>,
    routes: Vec<Route>,
}

/// A request matched to its route, with the route's parameters.
pub(crate) struct Matched<'a> {
    pub(crate) route: &'a Route,
    pub(crate) params: Vec<(String, String)>,
}

/// Why a template cannot be a route beside the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RouteProblem {
    /// The router cannot tell requests to `path` from requests to `with`
    /// (`/books/:id` beside `/books/:book_id`).
    Conflict { path: String, with: String },
    /// The router refuses the template for another reason.
    Invalid { path: String, problem: String },
}

impl std::fmt::Display for RouteProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteProblem::Conflict { path, with } => write!(
                f,
                "the routes {with} and {path} conflict: a request's path cannot tell which one it is for \
                 (give a parameter the same name in every sync that names it, e.g. `:id` in both)"
            ),
            RouteProblem::Invalid { path, problem } => write!(f, "the route {path} is not valid: {problem}"),
        }
    }
}

/// The router over `routes`, and the templates it could not take.
fn router(routes: &[Route]) -> (matchit::Router<usize>, Vec<RouteProblem>) {
    let mut router = matchit::Router::new();
    let mut problems = Vec::new();
    for (index, route) in routes.iter().enumerate() {
        let path = route.template.clone();
        match router.insert(matchit_syntax(&route.template), index) {
            Ok(()) => {}
            Err(matchit::InsertError::Conflict { with }) => {
                // Named as the syncs write it, not in the router's syntax.
                let with = routes
                    .iter()
                    .find(|other| matchit_syntax(&other.template) == with)
                    .map_or(with, |other| other.template.clone());
                problems.push(RouteProblem::Conflict { path, with });
            }
            Err(error) => problems.push(RouteProblem::Invalid {
                path,
                problem: error.to_string(),
            }),
        }
    }
    (router, problems)
}

/// The templates of `syncs` that cannot be routes beside the others.
pub(crate) fn route_problems(syncs: &[CompiledSync]) -> Vec<RouteProblem> {
    router(&routes_of(syncs)).1
}

impl Routes {
    /// The router over `routes` (as [`routes_of`] gives them); fails for
    /// templates the router cannot tell apart.
    pub(crate) fn new(routes: Vec<Route>) -> Result<Routes, RouteProblem> {
        let (router, problems) = router(&routes);
        match problems.into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(Routes { router, routes }),
        }
    }

    /// The route for a path (without the server's base).
    /// The route `path` is on, with its parameters percent-decoded (as the
    /// query string's are), or why a parameter cannot be decoded.
    pub(crate) fn find(&self, path: &str) -> Option<Result<Matched<'_>, String>> {
        let found = self.router.at(path).ok()?;
        let params = found
            .params
            .iter()
            .map(
                |(name, value)| match percent_encoding::percent_decode_str(value).decode_utf8() {
                    Ok(decoded) => Ok((name.to_owned(), decoded.into_owned())),
                    Err(_) => Err(format!(
                        "the path's `{name}` is not UTF-8 text once percent-decoded"
                    )),
                },
            )
            .collect::<Result<Vec<_>, String>>();
        Some(params.map(|params| Matched {
            route: &self.routes[*found.value],
            params,
        }))
    }

    /// The route a request to `path`, which no route takes, probably
    /// meant: `path` without its trailing slash, or a template whose fixed
    /// segments are a letter or two from `path`'s (`/poll/1` for
    /// `/polls/:poll`).
    pub(crate) fn nearest(&self, path: &str) -> Option<&str> {
        if let Some(Some(Ok(matched))) = path
            .strip_suffix('/')
            .filter(|trimmed| !trimmed.is_empty())
            .map(|trimmed| self.find(trimmed))
        {
            return Some(&matched.route.template);
        }
        nearest_template(self.templates(), path)
    }

    /// The templates, for logs.
    pub(crate) fn templates(&self) -> impl Iterator<Item = &str> {
        self.routes.iter().map(|route| route.template.as_str())
    }
}

/// `/articles/:slug` → `/articles/{slug}` (the router's syntax).
fn matchit_syntax(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.replace('{', "{{").replace('}', "}}"),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The template among `templates` whose fixed segments are a letter or two
/// from `path`'s, the nearest first (`/poll/1` and `/polls/:pol` both find
/// `/polls/:poll`): what a request to no route probably meant.
pub(crate) fn nearest_template<'a>(
    templates: impl IntoIterator<Item = &'a str>,
    path: &str,
) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    templates
        .into_iter()
        .filter_map(|template| {
            let fixed: Vec<&str> = template.split('/').collect();
            if fixed.len() != segments.len() {
                return None;
            }
            let distance: usize = fixed
                .iter()
                .zip(&segments)
                .filter(|(fixed, _)| !fixed.starts_with(':'))
                .map(|(fixed, given)| strsim::levenshtein(fixed, given))
                .sum();
            (distance <= 2).then_some((distance, template))
        })
        .min()
        .map(|(_, template)| template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_no_route_takes_is_told_the_nearest() {
        let route = |template: &str| Route {
            template: template.to_owned(),
            ..Route::default()
        };
        let routes = Routes::new(vec![
            route("/polls"),
            route("/polls/:poll"),
            route("/users/login"),
        ])
        .expect("routes");
        assert_eq!(routes.nearest("/polls/"), Some("/polls"));
        assert_eq!(routes.nearest("/poll/1"), Some("/polls/:poll"));
        assert_eq!(routes.nearest("/user/logn"), Some("/users/login"));
        assert_eq!(routes.nearest("/elsewhere"), None);
        assert_eq!(routes.nearest("/polls/1/votes"), None);
    }

    #[test]
    fn templates_use_colon_parameters() {
        assert_eq!(
            matchit_syntax("/articles/:slug/comments"),
            "/articles/{slug}/comments"
        );
        assert_eq!(matchit_syntax("/logout"), "/logout");
    }
}

#[cfg(test)]
mod check_tests {
    use serde_json::json;

    use super::{Refusal, Route, Starter};
    use crate::OpenField;

    fn starter(method: Option<&'static str>, field: &'static str) -> Starter {
        Starter {
            literals: method
                .map(|method| ("method", json!(method)))
                .into_iter()
                .collect(),
            open_fields: vec![OpenField {
                name: field,
                validator: crate::__private::Slot::<String>::new().validator(),
                required: true,
            }],
        }
    }

    /// A route of syncs on `template` naming `method` (and, with
    /// `any_method`, one that handles any method), starting as `starters`.
    fn route(template: &str, method: &str, any_method: bool, starters: Vec<Starter>) -> Route {
        Route {
            template: template.to_owned(),
            methods: vec![method.to_owned()],
            any_method,
            names_method: true,
            starters,
        }
    }

    fn fields(value: serde_json::Value) -> crate::Fields {
        match value {
            serde_json::Value::Object(fields) => fields,
            _ => crate::Fields::new(),
        }
    }

    /// A route with a GET sync and a handler taking any method (the seed's
    /// style): a POST missing the handler's field is told so, not 405.
    #[test]
    fn a_handler_taking_any_method_says_what_it_needs() {
        let route = route(
            "/logout",
            "GET",
            true,
            vec![starter(Some("GET"), "page"), starter(None, "session")],
        );
        let refusal = route.check("POST", &fields(json!({})));
        assert!(
            matches!(&refusal, Err(Refusal::InvalidFields { problems, .. }) if problems[0].field == "session"),
            "{refusal:?}"
        );
    }

    /// A missing field beside one spelled nearly alike names it.
    #[test]
    fn a_missing_field_names_a_field_spelled_nearly_alike() {
        let route = route("/todos", "POST", false, vec![starter(Some("POST"), "titel")]);
        let problem = |body| match route.check("POST", &fields(body)) {
            Err(Refusal::InvalidFields { problems, .. }) => problems[0].problem.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            problem(json!({"title": "x", "method": "POST"})),
            "missing (the request has `title`: is one of them misspelled?)"
        );
        assert_eq!(problem(json!({"name": "x"})), "missing");
    }

    /// A missing field beside a route parameter the sync does not read
    /// names the parameter: the sync's name for it, under another name.
    #[test]
    fn a_missing_field_names_a_route_parameter_the_sync_does_not_read() {
        let route = route(
            "/polls/:poll",
            "DELETE",
            false,
            vec![starter(Some("DELETE"), "id")],
        );
        let refusal = route.check("DELETE", &fields(json!({"poll": "1", "method": "DELETE"})));
        assert!(
            matches!(&refusal, Err(Refusal::InvalidFields { problems, .. }) if problems[0].problem
                == "missing (the route gives `poll`, which the sync reading `id` does not read: is `id` \
                    meant to be it?)"),
            "{refusal:?}"
        );
    }

    /// A method that only a guard naming no method would take is not one
    /// the route handles: a 405, whatever the guard would have said.
    #[test]
    fn a_method_only_guards_took_is_not_allowed() {
        let route = route(
            "/profiles/:username",
            "GET",
            false,
            vec![starter(Some("GET"), "username"), starter(None, "username")],
        );
        let refusal = route.check("DELETE", &fields(json!({"username": "sam"})));
        assert!(
            matches!(&refusal, Err(Refusal::MethodNotAllowed { allowed }) if allowed == &["GET", "HEAD", "OPTIONS"]),
            "{refusal:?}"
        );
    }
}
