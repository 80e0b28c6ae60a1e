//! The errors of building an engine, running a flow and answering a request.

use std::time::Duration;

use crate::concept::InternalError;
use crate::routes::FieldProblem;

/// Why an engine could not be built.
///
/// Its `Debug` form is its message, after the variant's name, with each
/// finding also as the value [`crate::EngineBuilder::allow_finding`] takes:
/// `expect` and a `main` returning the error print `Debug`, and a list of
/// findings reads better as sentences than as structs alone.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A sync names a concept that was not registered.
    #[error(
        "sync {sync} uses concept {concept}, which is not registered: add it with EngineBuilder::concept"
    )]
    MissingConcept {
        /// The sync.
        sync: &'static str,
        /// The missing concept.
        concept: &'static str,
    },
    /// Two different syncs have the same name (declared in two modules).
    #[error("two different syncs are named {0} (declared in two modules?): sync names must be unique")]
    DuplicateSync(&'static str),
    /// One sync was registered twice.
    #[error("sync {0} is registered twice: each sync is registered once")]
    SyncRegisteredTwice(&'static str),
    /// A concept was registered twice.
    #[error("concept {0} is registered twice")]
    DuplicateConcept(&'static str),
    /// [`EngineBuilder::entry_point`](crate::EngineBuilder::entry_point)
    /// names no action of its concept (a misspelling, or a query).
    #[error("entry_point::<{concept}>(\"{action}\"): {concept} has no action {action} (its actions: {})", .actions.join(", "))]
    UnknownEntryPoint {
        /// The concept.
        concept: &'static str,
        /// The name given.
        action: &'static str,
        /// The concept's actions.
        actions: Vec<&'static str>,
    },
    /// The static checks found problems, and they were made errors.
    #[error("the static checks of the syncs found problems:\n{}", .0.iter().map(|finding| format!("- {finding}")).collect::<Vec<_>>().join("\n"))]
    Findings(Vec<crate::checks::Finding>),
    /// Findings were allowed ([`EngineBuilder::allow_finding`]) that the
    /// static checks no longer make: the allowances are stale.
    ///
    /// [`EngineBuilder::allow_finding`]: crate::EngineBuilder::allow_finding
    #[error("findings are allowed that the static checks do not make (remove the allowances):\n{}", .0.iter().map(|finding| format!("- {finding}")).collect::<Vec<_>>().join("\n"))]
    AllowedFindingsNotMade(Vec<crate::checks::Finding>),
}

impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let variant = match self {
            BuildError::MissingConcept { .. } => "MissingConcept",
            BuildError::DuplicateSync(_) => "DuplicateSync",
            BuildError::SyncRegisteredTwice(_) => "SyncRegisteredTwice",
            BuildError::DuplicateConcept(_) => "DuplicateConcept",
            BuildError::UnknownEntryPoint { .. } => "UnknownEntryPoint",
            BuildError::Findings(_) => "Findings",
            BuildError::AllowedFindingsNotMade(_) => "AllowedFindingsNotMade",
        };
        match self {
            // Each finding as a sentence, and as the value
            // `EngineBuilder::allow_finding` takes.
            BuildError::Findings(findings) | BuildError::AllowedFindingsNotMade(findings) => {
                let heading = self.to_string();
                let heading = heading.lines().next().unwrap_or_default();
                write!(f, "BuildError::{variant}: {heading}")?;
                for finding in findings {
                    write!(f, "\n- {finding}\n  {finding:?}")?;
                }
                Ok(())
            }
            _ => write!(f, "BuildError::{variant}: {self}"),
        }
    }
}

/// Why a flow was aborted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// An action, query or sync failed internally (not its `error` outcome).
    #[error("{action} failed: {error}")]
    Internal {
        /// The action or sync that failed, e.g. `Sessioning.create`.
        action: String,
        /// What failed (for logs; shown to HTTP clients only in
        /// development mode, `SYNCS_DEV=1`).
        error: InternalError,
    },
    /// The flow ran more actions, or nested deeper, than its budget allows:
    /// its syncs probably loop.
    #[error("flow stopped after {actions} actions at depth {depth}: {limit} exceeded; the syncs that kept it going: {}", .syncs.join(" -> "))]
    BudgetExceeded {
        /// Which limit was hit.
        limit: &'static str,
        /// Actions performed so far.
        actions: usize,
        /// Current cause depth.
        depth: usize,
        /// The syncs on the cause chain of the action that hit the limit,
        /// innermost first (the loop).
        syncs: Vec<&'static str>,
    },
}

/// Why a request got no answer from a sync. New cases add variants: match
/// it with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// No `Requesting.respond` came before the time-out.
    #[error("no sync responded within {after:?}: {explanation}")]
    Timeout {
        /// The time-out that elapsed.
        after: Duration,
        /// What was running then, the flow's actions, and how far each sync
        /// about them got.
        explanation: String,
    },
    /// The request's flow settled (nothing of it still running) without a
    /// `Requesting.respond`: no sync can answer it any more.
    #[error("the request's flow ended without a response\n{explanation}")]
    Unanswered {
        /// What the flow did, and why no sync responded.
        explanation: String,
    },
    /// The flow ended without a response, and no sync starts on requests
    /// to its path (over HTTP, a 404). In process, a request names its
    /// route's template (`/items/:id`), not a concrete path: the
    /// explanation says so, or names the route a letter or two away.
    #[error("no sync handles the path {path}\n{explanation}")]
    NotFound {
        /// The request's path.
        path: String,
        /// What the flow did, and the paths near the one asked for.
        explanation: String,
    },
    /// The flow was aborted.
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// As many flows wait as `EngineConfig::max_waiting_flows` allows: the
    /// request was refused before any of its actions ran (try again later).
    #[error("too many requests in progress: try again later")]
    Overloaded,
    /// The flow's task panicked (a concept action, or a sync's `where`
    /// step). Over HTTP, a 500 that tells the client nothing more (outside
    /// development mode).
    #[error("the request's flow panicked in {what}")]
    Panicked {
        /// What panicked, as the log names it: `the action
        /// Faulty.explode (invoked by sync Explode)`, or `sync ListTitled
        /// (its `where` steps, or a query they ran)`.
        what: String,
    },
    /// The request's body is not a JSON object.
    #[error("the request body must be a JSON object, not {0}")]
    BodyNotAnObject(&'static str),
    /// The flow ended without a response, and a sync that starts on its
    /// path could not start on its fields: a field is missing, or not of
    /// the type the sync reads it as, or (when no sync took the request) a
    /// literal field has another value (over HTTP, a 400 naming the
    /// fields). When another sync took the request and did not answer
    /// either, that may be the app's gap too: the explanation is logged at
    /// debug level.
    #[error("invalid request to {path}: {}", FieldProblem::summary(.problems))]
    InvalidFields {
        /// The request's path.
        path: String,
        /// What is wrong, for the sync that comes closest to starting.
        problems: Vec<FieldProblem>,
        /// What the flow did, and how far each sync got (secrets redacted).
        explanation: String,
    },
    /// The flow ended without a response, and the syncs of its path that
    /// took the request do not answer its `method` (guards that answer any
    /// method only in some cases): over HTTP, a 405 listing `allowed`.
    #[error("{}", method_not_allowed(path, method.as_deref(), allowed))]
    MethodNotAllowed {
        /// The request's path.
        path: String,
        /// The request's `method` field, if it has one.
        method: Option<String>,
        /// The methods the path's syncs answer.
        allowed: Vec<String>,
        /// What the flow did, and how far each sync got (secrets redacted).
        explanation: String,
    },
}

/// The message of [`RequestError::MethodNotAllowed`], read in process
/// (over HTTP, a 405 lists `allowed` in full): HEAD and OPTIONS, which the
/// server answers itself, are left out.
fn method_not_allowed(path: &str, method: Option<&str>, allowed: &[String]) -> String {
    let named: Vec<&str> = allowed
        .iter()
        .map(String::as_str)
        .filter(|allowed| !matches!(*allowed, "HEAD" | "OPTIONS"))
        .collect();
    let listed = named.join(", ");
    match method {
        Some(method) => format!("no sync of {path} answers the method {method}: they answer {listed}"),
        // In process, the method is a field the caller gives.
        None => format!(
            "no sync of {path} answers a request without a `method` field: they answer {listed} \
             (over HTTP the server adds the field; in process, give it: {{\"method\": \"{}\", ...}})",
            named.first().copied().unwrap_or("GET")
        ),
    }
}
