//! Static checks of a set of syncs, run when the engine is built.

use std::collections::HashSet;
use std::fmt;

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use crate::routes::RouteProblem;
use crate::sync::{ActionRef, CompiledSync, Form, PatternSpec, StepSpec};

/// Something about the syncs that will probably go wrong at run time.
/// New checks add variants: match it with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// Requests to `path` can reach an outcome of `action` after which no
    /// sync responds: such requests would end unanswered.
    UnansweredOutcome {
        /// The request path.
        path: String,
        /// The action, `Concept.action`.
        action: String,
        /// The outcome form no sync answers.
        form: Form,
    },
    /// A sync's `when` names an action that no sync, route or declared entry
    /// point invokes: it can never fire.
    NeverFires {
        /// The sync.
        sync: &'static str,
        /// The action nothing invokes.
        action: String,
    },
    /// A sync's `when` names a request path and an action that no sync
    /// invokes in the flows of requests to that path (a misspelled path,
    /// usually): it can never fire.
    NeverFiresOnPath {
        /// The sync.
        sync: &'static str,
        /// The action no sync of that path invokes.
        action: String,
        /// The path its `Requesting.request` pattern names.
        path: String,
        /// Of the paths whose syncs invoke the action, the nearest in
        /// spelling (what the path probably meant).
        nearest: Option<String>,
    },
    /// A sync waits, in the flow of a request, for an action invoked only
    /// from outside (an entry point, e.g. a timer's tick): such an action
    /// starts a flow of its own, and a sync matches records of one flow.
    NeverFiresWithRequest {
        /// The sync.
        sync: &'static str,
        /// The entry point it waits for.
        action: String,
        /// The path its `Requesting.request` pattern names.
        path: String,
    },
    /// `#[secret(...)]` on an action or query names a field its outcome or
    /// row type does not have (a misspelling, usually): the field it meant
    /// is not hidden in traces. Checked for types that derive `Deserialize`,
    /// whose field names the check learns from it: the names it reads, which
    /// are the names written when serde's renames apply to both ways (a
    /// rename for serializing only, or a field skipped when deserializing,
    /// is reported although it is written).
    UnknownSecretField {
        /// The concept.
        concept: &'static str,
        /// The action or query.
        operation: &'static str,
        /// The name in `#[secret(...)]`.
        field: &'static str,
        /// The fields the outcome or row type has.
        fields: &'static [&'static str],
    },
    /// A sync that answers requests to `path` when a `not` step finds no
    /// row of concept `concept`, tried after `after`, a sync on the same
    /// requests (both name `path`, or one of them names no path and runs
    /// on every request) and the same record (both start on the request, or both
    /// wait for the same actions of its flow) whose actions (or the syncs
    /// they trigger) change that concept. Syncs on one record run in registration order, each after
    /// the whole cascade of the one before: the `not` step sees the state
    /// after those actions, and answers a request answered already when
    /// they removed what it looks for (a 404 "no such item" after the
    /// item's DELETE answered 204: a refused second answer). Registering
    /// `sync` before `after` makes it see the request's state. (A `where`
    /// query that means to read the state after the change, as a count
    /// answered after an increment, is not reported: only `not` steps.)
    AnswersAfterChange {
        /// The sync whose test comes too late.
        sync: &'static str,
        /// The sync registered before it that changes what it reads.
        after: &'static str,
        /// The request path both start on.
        path: String,
        /// The concept whose query the test runs.
        concept: &'static str,
    },
    /// A route template's parameter (`:poll_id` of `/polls/:poll_id`) that
    /// no sync's `Requesting.request` pattern on that path reads: usually a
    /// misspelling of a field the syncs read instead, which requests then
    /// lack (each one a 400 naming that field, blamed on the client).
    UnreadRouteParameter {
        /// The route template.
        path: String,
        /// The parameter, without its `:`.
        parameter: String,
        /// The syncs that start on requests to `path`, in registration
        /// order: one of them was meant to read the parameter.
        syncs: Vec<&'static str>,
        /// A field the path's syncs read that the template does not give,
        /// nearest in spelling to the parameter (what it probably meant).
        read_instead: Option<String>,
    },
    /// A field of requests to `path` that one sync needs and no other sync
    /// of that route (same path and method) reads, while others read a
    /// field spelled nearly alike (`memebr` beside `member`): usually a
    /// misspelling, and a request without the field never starts `sync`
    /// (one that another sync answers hides it).
    MisspelledRequestField {
        /// The sync that needs the field.
        sync: &'static str,
        /// The field it needs.
        field: &'static str,
        /// The request path.
        path: String,
        /// The field the route's other syncs read, spelled nearly alike.
        nearest: &'static str,
    },
    /// A sync that answers requests to `path`, registered after `after`,
    /// a sync without `where` steps whose `when` patterns match whenever
    /// `sync`'s do (it starts on every request `sync` starts on, or waits
    /// for the same actions) and whose cascade answers. Syncs on one record
    /// run in registration order, each after the whole cascade of the one
    /// before: `after`'s actions are done and its answer given before
    /// `sync` is tried, so `sync`'s answer is refused (a validation guard,
    /// a 422 after the item was created with a 201; or a copy of `after`).
    /// Register `sync` first, or remove the one that is not meant. (A
    /// validation guard registered first answers first, but `after` still
    /// acts unless it tests the opposite: [`Finding::ActsDespiteGuard`].)
    AnsweredBefore {
        /// The sync whose answer comes too late.
        sync: &'static str,
        /// The sync registered before it that always answers first.
        after: &'static str,
        /// The request path both start on.
        path: String,
    },
    /// A validation guard (a sync whose `where` only tests the request's
    /// fields, with `let` and `if`, and whose `then` only answers) on
    /// requests to `path`, beside `sync`, tried on the same requests and
    /// record, which invokes actions and has no `if` test of its own:
    /// whatever the order they run in, `sync` acts on the requests `guard`
    /// turns away too (a 422 "title too long" answered while the todo is
    /// stored). Give `sync` the opposite test, or let the action refuse
    /// and answer its error outcome. (The checks do not read the tests:
    /// a `sync` whose queries rule out `guard`'s requests is reported too;
    /// [`EngineBuilder::allow_finding`](crate::EngineBuilder::allow_finding)
    /// accepts it.)
    ActsDespiteGuard {
        /// The sync that answers after its `if` test.
        guard: &'static str,
        /// The sync that acts on the same requests without a test.
        sync: &'static str,
        /// The request path both start on.
        path: String,
    },
    /// Two route templates a request's path cannot tell apart
    /// (`/books/:id` beside `/books/:book_id`): the HTTP server cannot
    /// start (in process, requests name their template and are not
    /// affected).
    ConflictingRoutes {
        /// The template.
        path: String,
        /// The template it conflicts with, as the syncs write it.
        with: String,
    },
    /// A route template the HTTP server's router refuses: the server
    /// cannot start.
    InvalidRoute {
        /// The template.
        path: String,
        /// The router's reason.
        problem: String,
    },
    /// A sync that answers a request once for each row of a `where`
    /// query that may return several (`Vec<Row>`), with no `collect`
    /// after it: a request is answered once, so a second row's answer is
    /// refused (with a warning) and which row's answer wins depends on the
    /// query's order. Gather the rows with `collect (...) as list` and
    /// answer with the list; or, for a query that finds at most one row (a
    /// lookup by key), declare it to return `Option<Row>`. (The checks do
    /// not read `if` tests, nor what a `collect` groups by: a sync whose
    /// test keeps one row is reported, which
    /// [`EngineBuilder::allow_finding`](crate::EngineBuilder::allow_finding)
    /// accepts; one whose `collect` groups by a variable of an earlier
    /// query's rows, and so answers once per such row, is not.)
    AnswersPerRow {
        /// The sync.
        sync: &'static str,
        /// The query, `Concept._query`.
        query: String,
    },
    /// Two syncs on the same requests (same path, method and other
    /// patterns, no literal telling them apart) that both answer, with
    /// nothing in `where` to tell them apart either: no `if` test, no
    /// `not` step, and the queries of one among the other's. Whenever both
    /// find their rows, `with` (registered first) answers and `sync`'s
    /// answer is refused: usually a `not` forgotten in the sync meant for
    /// "there is none" (a 404 written `Shelf._by_id (id) : ()`).
    AnswersTwice {
        /// The sync registered later, whose answer is refused.
        sync: &'static str,
        /// The sync registered before it, which answers first.
        with: &'static str,
        /// The request path both start on.
        path: String,
    },
    /// A sync that joins `action`'s success with an action invoked once
    /// (the order placed), where `fan_out` invokes `action` once per row of
    /// `query` (a reservation per cart line): a record takes part in one
    /// firing of a sync, so `sync` fires once, on the first row's `action`,
    /// before the other rows' actions run (the payment charged after the
    /// first line is reserved). Let one action do the whole job, given a
    /// `collect`ed list, so that the join waits for all of it.
    JoinsOneOfMany {
        /// The sync that joins.
        sync: &'static str,
        /// The action invoked per row, `Concept.action`.
        action: String,
        /// The sync that invokes it per row.
        fan_out: &'static str,
        /// The query whose rows it runs for, `Concept._query`.
        query: String,
    },
    /// Syncs that invoke each other's `when` actions: they could run without
    /// bound (the flow budget stops them).
    Cycle {
        /// The syncs of the cycle.
        syncs: Vec<&'static str>,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::UnansweredOutcome { path, action, form } => write!(
                f,
                "requests to {path} are never answered when {action} ends in {}: no sync responds to that outcome",
                match form {
                    Form::Success => "success",
                    Form::Error => "an error",
                }
            ),
            Finding::NeverFires { sync, action } => write!(
                f,
                "sync {sync} can never fire: nothing invokes {action} (if it is invoked from outside, declare \
                 it with EngineBuilder::entry_point)"
            ),
            Finding::NeverFiresOnPath {
                sync,
                action,
                path,
                nearest,
            } => {
                write!(
                    f,
                    "sync {sync} can never fire: no sync invokes {action} in the flow of a request to {path} \
                     (is the path misspelled?"
                )?;
                match nearest {
                    Some(nearest) => write!(f, " {action} is invoked for requests to {nearest})"),
                    None => f.write_str(")"),
                }
            }
            Finding::NeverFiresWithRequest { sync, action, path } => write!(
                f,
                "sync {sync} can never fire: it waits for {action} in the flow of a request to {path}, \
                 but {action} is invoked from outside (an entry point), which starts a flow of its own, \
                 and a sync matches the actions of one flow: keep what the request needs in a concept \
                 that {action} updates, and read it with a `where` query"
            ),
            Finding::UnknownSecretField {
                concept,
                operation,
                field,
                fields,
            } => write!(
                f,
                "#[secret({field})] on {concept}.{operation} names no field of what it returns ({}): \
                 the field it means is not hidden in traces",
                if fields.is_empty() {
                    "it has no fields".to_owned()
                } else {
                    format!("its fields: {}", fields.join(", "))
                }
            ),
            Finding::AnswersAfterChange {
                sync,
                after,
                path,
                concept,
            } => write!(
                f,
                "sync {sync} may answer requests to {path} a second time: its `not` step reads {concept}, \
                 which the actions of {after} (registered before it, so run first) change; register {sync} \
                 before {after}, or answer on {after}'s outcome"
            ),
            Finding::UnreadRouteParameter {
                path,
                parameter,
                syncs,
                read_instead,
            } => {
                write!(
                    f,
                    "no sync reads the parameter `{parameter}` of requests to {path} (its syncs: {})",
                    syncs.join(", ")
                )?;
                match read_instead {
                    Some(field) => write!(
                        f,
                        ": is the field `{field}` they read, which such requests carry only in their body or \
                         query string, meant to be it?"
                    ),
                    None => f.write_str(": is it misspelled?"),
                }
            }
            Finding::MisspelledRequestField {
                sync,
                field,
                path,
                nearest,
            } => write!(
                f,
                "sync {sync} needs the field `{field}` of requests to {path}, which no other sync of that \
                 route reads, while others read `{nearest}`: is `{field}` misspelled? A request without \
                 `{field}` never starts {sync}"
            ),
            Finding::AnsweredBefore { sync, after, path } => write!(
                f,
                "sync {sync} never answers requests to {path}: {after}, registered before it, fires \
                 whenever it fires and answers with its cascade, which runs first (its actions done too); \
                 register {sync} before {after}, or remove whichever is not meant"
            ),
            Finding::ActsDespiteGuard { guard, sync, path } => write!(
                f,
                "sync {guard} answers requests to {path} when its `if` test holds, but {sync} runs its \
                 actions on the same requests with no test of its own, so also on those {guard} turns \
                 away; give {sync} the opposite test, or let its action refuse them and answer its error \
                 outcome"
            ),
            // In process they work; over HTTP they are fatal: said here,
            // where a warning among others is easily passed over.
            Finding::ConflictingRoutes { path, with } => write!(
                f,
                "{}; the HTTP server refuses to start with them",
                RouteProblem::Conflict {
                    path: path.clone(),
                    with: with.clone()
                }
            ),
            Finding::InvalidRoute { path, problem } => write!(
                f,
                "{}; the HTTP server refuses to start with it",
                RouteProblem::Invalid {
                    path: path.clone(),
                    problem: problem.clone()
                }
            ),
            Finding::AnswersPerRow { sync, query } => write!(
                f,
                "sync {sync} answers its request once for each row of {query}, which may return several \
                 rows; a request takes one answer, so the others would be refused: gather the rows with \
                 `collect (...) as list` and answer with the list, or, if {query} finds at most one row, \
                 declare it to return `Option<Row>`"
            ),
            Finding::AnswersTwice { sync, with, path } => write!(
                f,
                "syncs {with} and {sync} both answer requests to {path}, and nothing tells them apart (no \
                 `if` test, no `not` step, the queries of one among the other's): whenever both find \
                 their rows, {with} answers and {sync}'s answer is refused; if one of them is meant for \
                 when there is no row, its query step wants a `not` (`not Concept._query (...)`)"
            ),
            Finding::JoinsOneOfMany {
                sync,
                action,
                fan_out,
                query,
            } => write!(
                f,
                "sync {sync} joins {action} with an action invoked once, but {fan_out} invokes {action} once \
                 per row of {query}: {sync} fires once, on the first row's {action}, before the other rows' \
                 actions run; let one action do the whole job, given a `collect`ed list"
            ),
            Finding::Cycle { syncs } => write!(
                f,
                "syncs {} can trigger each other without bound (the flow budget stops such a loop)",
                syncs.join(" -> ")
            ),
        }
    }
}

fn same_action(a: &ActionRef, b: &ActionRef) -> bool {
    a.concept == b.concept && a.action == b.action
}

fn is_request(action: &ActionRef) -> bool {
    action.concept_name == "Requesting" && action.action == "request"
}

fn is_respond(action: &ActionRef) -> bool {
    action.concept_name == "Requesting" && action.action == "respond"
}

/// Whether `sync` may run in the flow of a request to `path`: it names that
/// path, or none.
fn may_run_on(sync: &CompiledSync, path: &str) -> bool {
    match literal_path(sync) {
        Some(Some(other)) => other == path,
        _ => true,
    }
}

/// The path `sync`'s `Requesting.request` pattern names: `None` without
/// such a pattern, `Some(None)` if it names no path.
pub(crate) fn literal_path(sync: &CompiledSync) -> Option<Option<&str>> {
    sync.when
        .iter()
        .find(|pattern| is_request(&pattern.action))
        .map(PatternSpec::literal_path)
}

/// Runs every check.
pub(crate) fn check(syncs: &[CompiledSync], entry_points: &[ActionRef]) -> Vec<Finding> {
    let mut findings = unanswered_outcomes(syncs);
    findings.extend(never_fire(syncs, entry_points));
    findings.extend(answers_after_change(syncs));
    findings.extend(answered_before(syncs));
    findings.extend(acts_despite_guard(syncs));
    findings.extend(answers_twice(syncs));
    findings.extend(answers_per_row(syncs));
    findings.extend(joins_one_of_many(syncs));
    findings.extend(cycles(syncs));
    findings.extend(unread_route_parameters(syncs));
    findings.extend(misspelled_request_fields(syncs));
    findings.extend(
        crate::routes::route_problems(syncs)
            .into_iter()
            .map(|problem| match problem {
                RouteProblem::Conflict { path, with } => Finding::ConflictingRoutes { path, with },
                RouteProblem::Invalid { path, problem } => Finding::InvalidRoute { path, problem },
            }),
    );
    findings
}

/// Route parameters no pattern on their path reads (see
/// [`Finding::UnreadRouteParameter`]).
fn unread_route_parameters(syncs: &[CompiledSync]) -> Vec<Finding> {
    let request_patterns = || {
        syncs.iter().flat_map(|sync| {
            sync.when
                .iter()
                .filter(|pattern| is_request(&pattern.action))
                .map(move |pattern| (sync.name, pattern))
        })
    };
    let mut paths: Vec<&str> = request_patterns()
        .filter_map(|(_, pattern)| pattern.literal_path())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let mut findings = Vec::new();
    for path in paths {
        let parameters: Vec<&str> = crate::routes::route_parameters(path).collect();
        let on_path = || {
            request_patterns()
                .filter(|(_, pattern)| pattern.literal_path() == Some(path))
                .map(|(_, pattern)| pattern)
        };
        let read = |name: &str| on_path().any(|pattern| pattern.reads(name));
        for parameter in parameters.iter().filter(|parameter| !read(parameter)) {
            // A field the syncs need that the route does not give, close
            // enough in spelling to be the parameter misspelled.
            let read_instead = on_path()
                .flat_map(|pattern| &pattern.open_fields)
                .filter(|field| field.required && field.name != "method" && !parameters.contains(&field.name))
                .map(|field| (strsim::levenshtein(field.name, parameter), field.name))
                .filter(|(distance, _)| *distance < parameter.len())
                .min()
                .map(|(_, field)| field.to_owned());
            let mut starters: Vec<&'static str> = request_patterns()
                .filter(|(_, pattern)| pattern.literal_path() == Some(path))
                .map(|(sync, _)| sync)
                .collect();
            starters.dedup();
            findings.push(Finding::UnreadRouteParameter {
                path: path.to_owned(),
                parameter: (*parameter).to_owned(),
                syncs: starters,
                read_instead,
            });
        }
    }
    findings
}

/// The request path on whose requests `one` and `other` are both tried on
/// one record, if they are. Two syncs of a request's flow with the same
/// other patterns (none: both start on the request; `Token.check`: both
/// wait for it) are tried on one record, in registration order. The
/// requests both may start on are those to the path they name, or, where
/// one names none (it runs on every request), to the other's; two syncs
/// naming no path are not compared.
fn same_requests<'a>(one: &'a CompiledSync, other: &'a CompiledSync) -> Option<&'a str> {
    fn method(sync: &CompiledSync) -> Option<&str> {
        sync.when
            .iter()
            .find(|pattern| is_request(&pattern.action))?
            .literal_method()
    }
    fn triggers(sync: &CompiledSync) -> Vec<(&'static str, &'static str, Form)> {
        let mut triggers: Vec<_> = sync
            .when
            .iter()
            .filter(|pattern| !is_request(&pattern.action))
            .map(|pattern| (pattern.action.concept_name, pattern.action.action, pattern.form))
            .collect();
        triggers.sort_by_key(|(concept, action, form)| (*concept, *action, *form == Form::Error));
        triggers
    }
    let path = match (literal_path(one)?, literal_path(other)?) {
        (Some(mine), Some(theirs)) if mine == theirs => mine,
        (Some(mine), None) => mine,
        (None, Some(theirs)) => theirs,
        _ => return None,
    };
    let same = triggers(one) == triggers(other)
        && (method(one).is_none() || method(other).is_none() || method(one) == method(other));
    same.then_some(path)
}

/// Fields of a route's requests that one sync needs and the route's
/// other syncs read spelled nearly alike (see
/// [`Finding::MisspelledRequestField`]).
fn misspelled_request_fields(syncs: &[CompiledSync]) -> Vec<Finding> {
    let requests: Vec<(&'static str, &PatternSpec, &str)> = syncs
        .iter()
        .flat_map(|sync| {
            sync.when
                .iter()
                .filter(|pattern| is_request(&pattern.action))
                .filter_map(move |pattern| Some((sync.name, pattern, pattern.literal_path()?)))
        })
        .collect();
    let mut findings = Vec::new();
    for (index, (sync, pattern, path)) in requests.iter().enumerate() {
        // The other syncs of the route, with their places in registration
        // order.
        let same_route = || {
            requests
                .iter()
                .enumerate()
                .filter(|(_, (other, theirs, their_path))| {
                    other != sync
                        && their_path == path
                        && (theirs.literal_method().is_none()
                            || pattern.literal_method().is_none()
                            || theirs.literal_method() == pattern.literal_method())
                })
                .map(|(place, (_, theirs, _))| (place, *theirs))
        };
        let parameters: Vec<&str> = crate::routes::route_parameters(path).collect();
        let needed = pattern
            .open_fields
            .iter()
            .filter(|field| field.required && !parameters.contains(&field.name));
        for field in needed {
            if same_route().any(|(_, theirs)| theirs.reads(field.name)) {
                continue;
            }
            let limit = (field.name.len() / 3).max(1);
            // One item or several (`item` beside `items`) are two shapes
            // of a request, not a misspelling.
            let plural = |one: &str, other: &str| {
                one.strip_suffix('s') == Some(other) || other.strip_suffix('s') == Some(one)
            };
            let nearest = same_route()
                .flat_map(|(_, theirs)| &theirs.open_fields)
                .map(|theirs| (strsim::osa_distance(field.name, theirs.name), theirs.name))
                .filter(|(distance, name)| {
                    *distance <= limit && !pattern.reads(name) && !plural(field.name, name)
                })
                .min();
            let Some((_, nearest)) = nearest else {
                continue;
            };
            // Of two fields each read by one sync, the one registered
            // later is taken for the misspelling, so that a pair is
            // reported once.
            let readers: Vec<usize> = same_route()
                .filter(|(_, theirs)| theirs.reads(nearest))
                .map(|(place, _)| place)
                .collect();
            if readers.len() > 1 || readers.first().is_some_and(|first| *first < index) {
                findings.push(Finding::MisspelledRequestField {
                    sync,
                    field: field.name,
                    path: (*path).to_owned(),
                    nearest,
                });
            }
        }
    }
    findings
}

/// Syncs starting on a request whose answer depends on a `not` step,
/// tried after a sync on the same requests whose cascade changes the
/// queried concept (see [`Finding::AnswersAfterChange`]).
fn answers_after_change(syncs: &[CompiledSync]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, sync) in syncs.iter().enumerate() {
        let absent = absence_queries(sync);
        if absent.is_empty() || !sync.then.iter().any(is_respond) {
            continue;
        }
        for earlier in &syncs[..index] {
            let Some(path) = same_requests(sync, earlier) else {
                continue;
            };
            let changed = changed_concepts(syncs, earlier, path);
            if let Some(query) = absent.iter().find(|query| changed.contains(query.concept_name)) {
                findings.push(Finding::AnswersAfterChange {
                    sync: sync.name,
                    after: earlier.name,
                    path: path.to_owned(),
                    concept: query.concept_name,
                });
                break;
            }
        }
    }
    findings
}

/// Syncs that act on the requests a guard turns away (see
/// [`Finding::ActsDespiteGuard`]).
fn acts_despite_guard(syncs: &[CompiledSync]) -> Vec<Finding> {
    let tests = |sync: &CompiledSync| sync.steps.iter().any(|step| matches!(step, StepSpec::Guard(_)));
    let acts = |sync: &CompiledSync| sync.then.iter().any(|action| action.concept_name != "Requesting");
    // A validation guard: tests of the request's fields only. One that
    // queries (a 401 for a token, a 404 for an item) has its opposite in
    // the handler's own query, or in its action's refusal; one that reads
    // the method as a variable may test it, and leave out the handler's.
    let validates = |sync: &CompiledSync| {
        tests(sync)
            && sync
                .steps
                .iter()
                .all(|step| matches!(step, StepSpec::Guard(_) | StepSpec::Let(_)))
            && !sync.then.is_empty()
            && sync.then.iter().all(is_respond)
            && !sync.when.iter().any(|pattern| {
                is_request(&pattern.action) && pattern.open_fields.iter().any(|field| field.name == "method")
            })
    };
    let guards = syncs.iter().filter(|sync| validates(sync));
    let mut findings = Vec::new();
    for guard in guards {
        for sync in syncs.iter().filter(|sync| acts(sync) && !tests(sync)) {
            if let Some(path) = same_requests(guard, sync) {
                findings.push(Finding::ActsDespiteGuard {
                    guard: guard.name,
                    sync: sync.name,
                    path: path.to_owned(),
                });
            }
        }
    }
    findings
}

/// Syncs answering requests that an earlier, unconditional sync always
/// answers first (see [`Finding::AnsweredBefore`]).
fn answered_before(syncs: &[CompiledSync]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, sync) in syncs.iter().enumerate() {
        let Some(path) = sync
            .when
            .iter()
            .find(|pattern| is_request(&pattern.action))
            .and_then(PatternSpec::literal_path)
        else {
            continue;
        };
        if !sync.then.iter().any(is_respond) {
            continue;
        }
        let first = syncs[..index].iter().find(|earlier| {
            // Without `where` steps or a join between its patterns it goes
            // on whatever the records hold, and its cascade answers every
            // outcome of what it does.
            !earlier.joined
                && earlier.steps.is_empty()
                && fires_whenever(earlier, sync)
                && (earlier.then.iter().any(is_respond)
                    || Walk::after(syncs, path, earlier)
                        .firing_gaps(&earlier.then)
                        .is_empty())
        });
        if let Some(first) = first {
            findings.push(Finding::AnsweredBefore {
                sync: sync.name,
                after: first.name,
                path: path.to_owned(),
            });
        }
    }
    findings
}

/// Pairs of syncs that both answer the same requests, with nothing
/// telling them apart (see [`Finding::AnswersTwice`]): the first such
/// sync registered before each.
fn answers_twice(syncs: &[CompiledSync]) -> Vec<Finding> {
    // Tests that may tell two syncs apart: an `if`, a `not`, a join, and a
    // query that compares a field with a literal; a `let` cannot drop a
    // frame.
    let tests = |sync: &CompiledSync| {
        sync.joined
            || sync.steps.iter().any(|step| match step {
                StepSpec::Guard(_) | StepSpec::Absence(_) => true,
                StepSpec::Query(text) => compares_with_literal(text),
                StepSpec::Let(_) | StepSpec::Collect(_) => false,
            })
    };
    // What the request must hold: its literals, and the fields it needs.
    let request_shape = |sync: &CompiledSync| -> Vec<(&'static str, String)> {
        let mut shape: Vec<_> = sync
            .when
            .iter()
            .filter(|pattern| is_request(&pattern.action))
            .flat_map(|pattern| {
                let literals = pattern
                    .literals
                    .iter()
                    .map(|(name, value)| (*name, value.to_string()));
                let needed = pattern
                    .open_fields
                    .iter()
                    .filter(|field| field.required)
                    .map(|field| (field.name, String::new()));
                literals.chain(needed)
            })
            .collect();
        shape.sort();
        shape
    };
    // Literals of the other patterns, and outcome literals, may tell two
    // syncs apart: such syncs are left out.
    let plain = |sync: &CompiledSync| {
        sync.when.iter().all(|pattern| {
            pattern.outcome_literals.is_empty()
                && (is_request(&pattern.action) || pattern.literals.is_empty())
        })
    };
    let queries = |sync: &CompiledSync| -> Vec<(std::any::TypeId, &'static str)> {
        sync.queries
            .iter()
            .map(|query| (query.concept, query.action))
            .collect()
    };
    let among = |few: &[(std::any::TypeId, &str)], many: &[(std::any::TypeId, &str)]| {
        few.iter().all(|query| many.contains(query))
    };
    let candidates: Vec<&CompiledSync> = syncs
        .iter()
        .filter(|sync| sync.then.iter().any(is_respond) && !tests(sync) && plain(sync))
        .collect();
    let mut findings = Vec::new();
    for (index, sync) in candidates.iter().enumerate() {
        let earlier = candidates[..index].iter().find_map(|earlier| {
            // One without `where` steps registered first is
            // `AnsweredBefore`'s.
            if earlier.steps.is_empty() {
                return None;
            }
            let path = same_requests(sync, earlier)?;
            let (mine, theirs) = (queries(sync), queries(earlier));
            let alike = request_shape(sync) == request_shape(earlier)
                && (among(&mine, &theirs) || among(&theirs, &mine));
            alike.then_some((earlier.name, path))
        });
        if let Some((with, path)) = earlier {
            findings.push(Finding::AnswersTwice {
                sync: sync.name,
                with,
                path: path.to_owned(),
            });
        }
    }
    findings
}

/// Whether a query step's text (`Orders._by_id(id) : (status: "paid")`)
/// compares a field with a literal, which keeps only some rows.
fn compares_with_literal(text: &str) -> bool {
    text.match_indices(": ").any(|(at, _)| {
        let value = &text[at + 2..];
        value.starts_with(['"', '-', '[', '{'])
            || value.starts_with(|c: char| c.is_ascii_digit())
            || ["true", "false", "null"]
                .iter()
                .any(|word| value.starts_with(word))
    })
}

/// Whether `earlier`'s patterns match whenever `later`'s do: as many, and
/// each of `later`'s taken by one of `earlier`'s of the same action and
/// form whose literals are among its own and that needs no field it lacks.
fn fires_whenever(earlier: &CompiledSync, later: &CompiledSync) -> bool {
    fn covers(theirs: &PatternSpec, ours: &PatternSpec) -> bool {
        let takes = |name: &str| {
            ours.literals.iter().any(|(field, _)| *field == name)
                || ours.open_fields.iter().any(|field| field.name == name)
        };
        theirs.action.concept == ours.action.concept
            && theirs.action.action == ours.action.action
            && theirs.form == ours.form
            && theirs
                .literals
                .iter()
                .all(|literal| ours.literals.contains(literal))
            && theirs
                .open_fields
                .iter()
                .all(|field| !field.required || takes(field.name))
    }
    if earlier.when.len() != later.when.len() {
        return false;
    }
    let mut taken = vec![false; later.when.len()];
    earlier.when.iter().all(|theirs| {
        let found = later
            .when
            .iter()
            .enumerate()
            .position(|(at, ours)| !taken[at] && covers(theirs, ours));
        match found {
            Some(at) => {
                taken[at] = true;
                true
            }
            None => false,
        }
    })
}

/// `sync`'s query and `not` steps, each with its position among the
/// steps and its query. Its `queries` list the queries of those steps,
/// one each, in their order ([`CompiledSync::with_queries`]).
fn querying_steps(sync: &CompiledSync) -> impl Iterator<Item = (usize, &StepSpec, &ActionRef)> {
    let querying = sync
        .steps
        .iter()
        .enumerate()
        .filter(|(_, step)| matches!(step, StepSpec::Query(_) | StepSpec::Absence(_)));
    querying
        .zip(&sync.queries)
        .map(|((position, step), query)| (position, step, query))
}

/// The queries of `sync`'s `not` steps.
fn absence_queries(sync: &CompiledSync) -> Vec<&ActionRef> {
    querying_steps(sync)
        .filter(|(_, step, _)| matches!(step, StepSpec::Absence(_)))
        .map(|(_, _, query)| query)
        .collect()
}

/// The first query of `sync`'s `where` that may return several rows and
/// has no `collect` after it: `sync`'s `then` runs once per row of it.
fn per_row_query(sync: &CompiledSync) -> Option<&ActionRef> {
    let collected_after = |position: usize| {
        sync.steps[position..]
            .iter()
            .any(|step| matches!(step, StepSpec::Collect(_)))
    };
    querying_steps(sync)
        .find(|(position, step, query)| {
            matches!(step, StepSpec::Query(_)) && !query.single_row && !collected_after(*position)
        })
        .map(|(_, _, query)| query)
}

/// Syncs that may answer once per row of a query (see
/// [`Finding::AnswersPerRow`]).
fn answers_per_row(syncs: &[CompiledSync]) -> Vec<Finding> {
    let answering = syncs.iter().filter(|sync| sync.then.iter().any(is_respond));
    answering
        .filter_map(|sync| {
            Some(Finding::AnswersPerRow {
                sync: sync.name,
                query: per_row_query(sync)?.to_string(),
            })
        })
        .collect()
}

/// Syncs joining one of the actions another sync invokes per row with an
/// action invoked once (see [`Finding::JoinsOneOfMany`]): the first such
/// join of each.
fn joins_one_of_many(syncs: &[CompiledSync]) -> Vec<Finding> {
    let fan_outs: Vec<(&CompiledSync, &ActionRef)> = syncs
        .iter()
        .filter_map(|sync| Some((sync, per_row_query(sync)?)))
        .collect();
    // Two syncs whose requests differ never see each other's records.
    let same_flows = |one: &CompiledSync, other: &CompiledSync| match (literal_path(one), literal_path(other))
    {
        (Some(Some(mine)), Some(Some(theirs))) => mine == theirs,
        _ => true,
    };
    let mut findings = Vec::new();
    for sync in syncs.iter().filter(|sync| sync.when.len() > 1) {
        let joined = fan_outs.iter().find_map(|(fan_out, query)| {
            if !same_flows(sync, fan_out) {
                return None;
            }
            // What the fan-out invokes happens once per row, and so does
            // what a sync waiting for one action only invokes after it (a
            // join with an action invoked once fires once).
            let after_rows = reachable_through(syncs, fan_out.then.iter(), |other| {
                other.when.len() == 1 && same_flows(other, fan_out)
            });
            let per_row = |action: &ActionRef| after_rows.iter().any(|invoked| same_action(invoked, action));
            let once = sync.when.iter().any(|pattern| !per_row(&pattern.action));
            let action = sync
                .when
                .iter()
                .find(|pattern| pattern.form == Form::Success && per_row(&pattern.action))?;
            once.then(|| Finding::JoinsOneOfMany {
                sync: sync.name,
                action: action.action.to_string(),
                fan_out: fan_out.name,
                query: query.to_string(),
            })
        });
        findings.extend(joined);
    }
    findings
}

/// The concepts whose actions `sync`'s cascade may invoke in a flow of a
/// request to `path`: its own `then`, and what the syncs those actions
/// trigger invoke, and so on.
fn changed_concepts(syncs: &[CompiledSync], sync: &CompiledSync, path: &str) -> HashSet<&'static str> {
    reachable(syncs, path, sync.then.iter())
        .iter()
        .filter(|action| action.concept_name != "Requesting")
        .map(|action| action.concept_name)
        .collect()
}

/// `start` and every action a sync that may run in a flow of requests to
/// `path` invokes after one of them, directly or further on.
fn reachable<'a>(
    syncs: &'a [CompiledSync],
    path: &str,
    start: impl Iterator<Item = &'a ActionRef>,
) -> Vec<&'a ActionRef> {
    reachable_through(syncs, start, |other| may_run_on(other, path))
}

/// `start` and every action a sync that `through` admits invokes after one
/// of them, directly or further on.
fn reachable_through<'a>(
    syncs: &'a [CompiledSync],
    start: impl Iterator<Item = &'a ActionRef>,
    through: impl Fn(&CompiledSync) -> bool,
) -> Vec<&'a ActionRef> {
    let mut reached: Vec<&ActionRef> = start.collect();
    let mut next = 0;
    while next < reached.len() {
        let action = reached[next];
        next += 1;
        for other in syncs.iter().filter(|other| through(other)) {
            if other
                .when
                .iter()
                .any(|pattern| same_action(&pattern.action, action))
            {
                for invoked in &other.then {
                    if !reached.iter().any(|seen| same_action(seen, invoked)) {
                        reached.push(invoked);
                    }
                }
            }
        }
    }
    reached
}

fn unanswered_outcomes(syncs: &[CompiledSync]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut reported = HashSet::new();
    for starter in syncs.iter().filter(|sync| sync.when.len() == 1) {
        let Some(Some(path)) = literal_path(starter) else {
            continue;
        };
        if starter.then.iter().any(is_respond) {
            continue;
        }
        // The other syncs starting on the same requests fire too, and what
        // they invoke may complete a join.
        let mut walk = Walk::new(syncs, path);
        let beside = syncs
            .iter()
            .filter(|other| !std::ptr::eq(*other, starter) && same_requests(starter, other).is_some())
            .flat_map(|other| other.then.iter());
        walk.hold_reachable(beside);
        for (action, form) in walk.firing_gaps(&starter.then) {
            let finding = Finding::UnansweredOutcome {
                path: path.to_owned(),
                action,
                form,
            };
            if reported.insert(finding.to_string()) {
                findings.push(finding);
            }
        }
    }
    findings
}

/// The items of `items` but the one at `index`.
fn all_but<T>(items: &[T], index: usize) -> impl Iterator<Item = &T> {
    items[..index].iter().chain(&items[index + 1..])
}

/// A walk along the flows of requests to one path, from actions to the
/// syncs their outcomes fire, looking for outcomes no sync answers.
struct Walk<'a> {
    syncs: &'a [CompiledSync],
    path: &'a str,
    /// The outcomes being followed, outermost first (a cycle stops at one).
    visiting: Vec<(String, Form)>,
    /// What the flow holds at the point reached: the outcomes followed to
    /// it, and (form `None`: either) the actions its firings invoke beside
    /// them and what those go on to. A sync joining several actions fires
    /// only if the others are among them.
    happened: Vec<(&'a ActionRef, Option<Form>)>,
    /// The outcomes followed so far: a walk is a search of the flows'
    /// paths, which syncs that branch and join again make exponential in
    /// their depth; past [`WALK_BUDGET`] it stops and finds nothing more.
    steps: usize,
}

/// The outcomes a walk follows at most (an app of a hundred syncs follows
/// a few hundred per path).
const WALK_BUDGET: usize = 20_000;

impl<'a> Walk<'a> {
    fn new(syncs: &'a [CompiledSync], path: &'a str) -> Walk<'a> {
        Walk {
            syncs,
            path,
            visiting: Vec::new(),
            happened: Vec::new(),
            steps: 0,
        }
    }

    /// A walk from the firing of `sync`, whose patterns' outcomes the flow
    /// then holds.
    fn after(syncs: &'a [CompiledSync], path: &'a str, sync: &'a CompiledSync) -> Walk<'a> {
        let mut walk = Walk::new(syncs, path);
        walk.happened = sync
            .when
            .iter()
            .map(|pattern| (&pattern.action, Some(pattern.form)))
            .collect();
        walk
    }

    /// Whether `sync` may fire when `action` ends in `form`: each of its
    /// other patterns names an outcome the flow may already hold (requests
    /// are judged by the path alone).
    fn may_fire(&self, sync: &CompiledSync, action: &ActionRef, form: Form) -> bool {
        let mut this_one = false;
        sync.when.iter().all(|pattern| {
            if pattern.action.concept_name == "Requesting" {
                return true;
            }
            if !this_one && same_action(&pattern.action, action) && pattern.form == form {
                this_one = true;
                return true;
            }
            self.happened.iter().any(|(held, held_form)| {
                same_action(held, &pattern.action)
                    && held_form.is_none_or(|held_form| held_form == pattern.form)
            })
        })
    }

    /// The outcomes after which no sync responds, following the flow from
    /// `action` ending in `form`: empty if some sync responds (directly, or
    /// after the actions it goes on to).
    fn gaps(&mut self, action: &'a ActionRef, form: Form) -> Vec<(String, Form)> {
        if form == Form::Error && !action.can_fail {
            return Vec::new(); // An `#[infallible]` action has no error outcome to answer.
        }
        self.steps += 1;
        if self.steps > WALK_BUDGET {
            return Vec::new(); // Too many paths to follow: no finding rather than a wrong one.
        }
        let key = (action.to_string(), form);
        if self.visiting.contains(&key) {
            return Vec::new(); // Already being followed: judged where it started.
        }
        // A sync whose pattern names an outcome literal (`: (error: "not
        // found")`) answers only some outcomes of the form: it covers none.
        let syncs = self.syncs;
        let reacting: Vec<&CompiledSync> = syncs
            .iter()
            .filter(|sync| {
                let reacts = sync.when.iter().any(|pattern| {
                    same_action(&pattern.action, action)
                        && pattern.form == form
                        && pattern.outcome_literals.is_empty()
                });
                reacts && may_run_on(sync, self.path) && self.may_fire(sync, action, form)
            })
            .collect();
        if reacting.iter().any(|sync| sync.then.iter().any(is_respond)) {
            return Vec::new();
        }
        if reacting.is_empty() {
            return vec![key];
        }
        // The flow goes on: its gaps are those of the best continuation.
        // Every reacting sync fires, so what the others invoke may complete
        // a join on the way of each.
        self.visiting.push(key);
        self.happened.push((action, Some(form)));
        let mut best: Option<Vec<(String, Form)>> = None;
        for (index, sync) in reacting.iter().enumerate() {
            let held = self.happened.len();
            self.hold_reachable(all_but(&reacting, index).flat_map(|other| other.then.iter()));
            let gaps = self.firing_gaps(&sync.then);
            self.happened.truncate(held);
            if best.as_ref().is_none_or(|best| gaps.len() < best.len()) {
                best = Some(gaps);
            }
        }
        self.happened.pop();
        self.visiting.pop();
        best.unwrap_or_default()
    }

    /// Notes `start`, and what syncs go on to after it, as what the flow
    /// may hold (either form).
    fn hold_reachable(&mut self, start: impl Iterator<Item = &'a ActionRef>) {
        for reached in reachable(self.syncs, self.path, start) {
            self.happened.push((reached, None));
        }
    }

    /// The outcomes after which no sync responds once a sync has fired and
    /// invoked `then`. Every action of `then` is invoked whatever the
    /// others' outcomes, so the request is answered as soon as one of them
    /// leads to an answer: an action with an answer for each of its
    /// outcomes leaves no gap. An action none of whose outcomes leads to an
    /// answer is a side effect beside the one that answers (a stock released
    /// before the cart's item is removed, the removal answered); its
    /// outcomes are reported only when no action of `then` leads to any
    /// answer at all.
    fn firing_gaps(&mut self, then: &'a [ActionRef]) -> Vec<(String, Form)> {
        let mut per_action: Vec<Vec<Vec<(String, Form)>>> = Vec::new();
        for (index, action) in then.iter().enumerate() {
            if action.concept_name == "Requesting" {
                continue;
            }
            // The others of `then`, and what they go on to, may be in the
            // flow by the time this one's outcome fires a join.
            let held = self.happened.len();
            self.hold_reachable(all_but(then, index));
            let forms: &[Form] = if action.can_fail {
                &[Form::Success, Form::Error]
            } else {
                &[Form::Success]
            };
            per_action.push(forms.iter().map(|form| self.gaps(action, *form)).collect());
            self.happened.truncate(held);
        }
        if per_action
            .iter()
            .any(|outcomes| outcomes.iter().all(Vec::is_empty))
        {
            return Vec::new();
        }
        let answering: Vec<&Vec<Vec<(String, Form)>>> = per_action
            .iter()
            .filter(|outcomes| outcomes.iter().any(Vec::is_empty))
            .collect();
        let reported = if answering.is_empty() {
            per_action.iter().collect()
        } else {
            answering
        };
        reported.into_iter().flatten().flatten().cloned().collect()
    }
}

fn never_fire(syncs: &[CompiledSync], entry_points: &[ActionRef]) -> Vec<Finding> {
    let invoked: Vec<&ActionRef> = syncs
        .iter()
        .flat_map(|sync| sync.then.iter())
        .chain(entry_points)
        .collect();
    let mut findings = Vec::new();
    for sync in syncs {
        for pattern in &sync.when {
            let action = &pattern.action;
            if is_request(action) {
                continue;
            }
            if !invoked.iter().any(|other| same_action(other, action)) {
                findings.push(Finding::NeverFires {
                    sync: sync.name,
                    action: action.to_string(),
                });
                continue;
            }
            // Invoked somewhere; but in a flow of this sync's path? A sync
            // naming no path may run in any flow; an entry point starts
            // flows of its own, which hold no request.
            let Some(Some(path)) = literal_path(sync) else {
                continue;
            };
            let in_this_flow = syncs.iter().any(|other| {
                may_run_on(other, path) && other.then.iter().any(|invoked| same_action(invoked, action))
            });
            if !in_this_flow {
                let nearest = syncs
                    .iter()
                    .filter(|other| other.then.iter().any(|invoked| same_action(invoked, action)))
                    .filter_map(|other| literal_path(other).flatten())
                    .min_by_key(|other| strsim::levenshtein(other, path))
                    .map(str::to_owned);
                let from_outside = entry_points.iter().any(|entry| same_action(entry, action));
                findings.push(match (nearest, from_outside) {
                    (None, true) => Finding::NeverFiresWithRequest {
                        sync: sync.name,
                        action: action.to_string(),
                        path: path.to_owned(),
                    },
                    (nearest, _) => Finding::NeverFiresOnPath {
                        sync: sync.name,
                        action: action.to_string(),
                        path: path.to_owned(),
                        nearest,
                    },
                });
            }
        }
    }
    findings
}

fn cycles(syncs: &[CompiledSync]) -> Vec<Finding> {
    let mut graph: DiGraph<&'static str, ()> = DiGraph::new();
    let nodes: Vec<_> = syncs.iter().map(|sync| graph.add_node(sync.name)).collect();
    for (from, sync) in syncs.iter().enumerate() {
        for (to, other) in syncs.iter().enumerate() {
            let triggers = sync.then.iter().any(|action| {
                other
                    .when
                    .iter()
                    .any(|pattern| same_action(&pattern.action, action))
            });
            if triggers {
                graph.add_edge(nodes[from], nodes[to], ());
            }
        }
    }
    tarjan_scc(&graph)
        .into_iter()
        .filter(|component| {
            component.len() > 1 || component.iter().any(|node| graph.contains_edge(*node, *node))
        })
        .map(|component| {
            let mut syncs: Vec<&'static str> = component.iter().map(|node| graph[*node]).collect();
            syncs.reverse();
            Finding::Cycle { syncs }
        })
        .collect()
}

/// The names in a concept's `#[secret(...)]` attributes that its outcome or
/// row types do not have.
pub(crate) fn unknown_secrets<C: crate::Concept>() -> Vec<Finding> {
    let mut findings = Vec::new();
    for named in C::NAMED_SECRETS {
        let Some(fields) = (named.fields)() else {
            continue;
        };
        for &field in named.names {
            if !fields.contains(&field) {
                findings.push(Finding::UnknownSecretField {
                    concept: C::NAME,
                    operation: named.operation,
                    field,
                    fields,
                });
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requesting::Requesting;
    use crate::sync::{eval_now_fn, Evaluation};
    use serde_json::{json, Value};

    /// An infallible action of a concept made up for the test.
    fn action(name: &str) -> ActionRef {
        ActionRef {
            concept: std::any::TypeId::of::<()>(),
            concept_name: "Graph",
            action: Box::leak(name.to_owned().into_boxed_str()),
            index: 0,
            can_fail: false,
            single_row: false,
        }
    }

    fn on(action: ActionRef, literals: Vec<(&'static str, Value)>) -> PatternSpec {
        PatternSpec {
            action,
            form: Form::Success,
            literals,
            outcome_literals: Vec::new(),
            open_fields: Vec::new(),
        }
    }

    fn sync(when: Vec<PatternSpec>, then: Vec<ActionRef>) -> CompiledSync {
        let eval = eval_now_fn(|_| Ok(Evaluation::new(Vec::new(), vec![0])));
        CompiledSync::new("Layer", "", when, Vec::new(), then, eval)
    }

    /// Syncs that branch in two and join again, `layers` times, from a
    /// request to `/deep`; nothing answers the last action.
    fn diamonds(layers: usize) -> Vec<CompiledSync> {
        let request = ActionRef::of::<Requesting>("request");
        let mut syncs = vec![sync(
            vec![on(request, vec![("path", json!("/deep"))])],
            vec![action("a0")],
        )];
        for layer in 0..layers {
            let (left, right) = (action(&format!("b{layer}")), action(&format!("c{layer}")));
            let next = action(&format!("a{}", layer + 1));
            let here = action(&format!("a{layer}"));
            syncs.push(sync(vec![on(here, Vec::new())], vec![left]));
            syncs.push(sync(vec![on(here, Vec::new())], vec![right]));
            syncs.push(sync(vec![on(left, Vec::new())], vec![next]));
            syncs.push(sync(vec![on(right, Vec::new())], vec![next]));
        }
        syncs
    }

    /// The walk follows every path of the flows: a few layers of branches
    /// are followed to the unanswered end; forty (2^40 paths) stop at the
    /// walk's budget with no finding, instead of running for ever.
    #[test]
    fn a_walk_through_branching_syncs_ends() {
        let unanswered = |syncs: &[CompiledSync]| -> Vec<String> {
            unanswered_outcomes(syncs)
                .iter()
                .map(|finding| match finding {
                    Finding::UnansweredOutcome { action, .. } => action.clone(),
                    other => other.to_string(),
                })
                .collect()
        };
        assert_eq!(unanswered(&diamonds(3)), ["Graph.a3"]);
        assert_eq!(unanswered(&diamonds(40)), Vec::<String>::new());
    }
}
