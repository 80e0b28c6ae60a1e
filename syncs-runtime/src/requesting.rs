//! `Requesting`: the built-in concept at the boundary between the outside
//! world (HTTP, tests) and the syncs.
//!
//! `Requesting.request (path, ...fields) : (request)` is recorded when a
//! request arrives and starts a new flow; `Requesting.respond (request,
//! ...fields)` answers it. Both actions are *open*: besides `path` and
//! `request`, they carry any fields. In a sync, an open field is typed by its
//! use: in
//!
//! ```text
//! when Requesting.request (path: "/logout", session) : ()
//! then Sessioning.delete (session)
//! ```
//!
//! `session` has the type of `Sessioning.delete`'s input, and the request's
//! JSON value is decoded into it with serde (a request whose `session` does not
//! decode does not match). A variable that is only ever used in open fields has
//! the type `serde_json::Value`. On `respond`, each field is encoded with serde.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::__private::ConceptNames;
use crate::concept::{ActionSchema, ActionSet, Concept, ErrorOutcome, InternalError, OutcomeSet};

/// The JSON fields of a request or response.
pub type Fields = Map<String, Value>;

/// Identifies one pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestId(pub u64);

impl RequestId {
    pub(crate) fn next() -> RequestId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        RequestId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request-{}", self.0)
    }
}

/// The built-in concept that turns requests into actions and answers them.
///
/// It is always registered; its actions are performed by the engine itself.
#[derive(Debug, Default, Clone, Copy)]
pub struct Requesting;

/// The actions of [`Requesting`].
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RequestingAction {
    /// A request arrived: `Requesting.request (path, ...fields) : (request)`.
    request {
        /// The request's path, without the server's base (e.g. `"/login"`).
        path: String,
        /// Every other field of the request.
        fields: Fields,
    },
    /// Answer a request: `Requesting.respond (request, ...fields)`.
    respond {
        /// The request to answer.
        request: RequestId,
        /// The fields of the answer (the JSON response body).
        fields: Fields,
    },
}

/// The success outcome of `Requesting.request`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requested {
    /// The new request's id, to pass to `Requesting.respond`.
    pub request: RequestId,
}

/// The outcomes of [`Requesting`].
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, PartialEq)]
pub enum RequestingOutcome {
    /// Outcome of `request`.
    request(Result<Requested, ErrorOutcome>),
    /// Outcome of `respond`: `()`, or `(error)` if the request was already
    /// answered or is not pending in this flow.
    respond(Result<(), ErrorOutcome>),
}

/// `Requesting` has no queries.
#[derive(Debug)]
pub enum RequestingQuery {}

/// `Requesting` has no queries.
#[derive(Debug)]
pub enum RequestingRows {}

const REQUEST_INPUTS: &[&str] = &["path"];
const RESPOND_INPUTS: &[&str] = &["request"];

impl ActionSet for RequestingAction {
    const SCHEMA: &'static [ActionSchema] = &[
        ActionSchema {
            name: "request",
            inputs: REQUEST_INPUTS,
            secrets: &[],
            outcome_secrets: &[],
            can_fail: true,
        },
        ActionSchema {
            name: "respond",
            inputs: RESPOND_INPUTS,
            secrets: &[],
            outcome_secrets: &[],
            can_fail: true,
        },
    ];

    fn index(&self) -> usize {
        match self {
            RequestingAction::request { .. } => 0,
            RequestingAction::respond { .. } => 1,
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        match (self, name) {
            (RequestingAction::request { path, .. }, "path") => Some(Value::String(path.clone())),
            (RequestingAction::respond { request, .. }, "request") => Some(Value::from(request.0)),
            (RequestingAction::request { fields, .. }, _) | (RequestingAction::respond { fields, .. }, _) => {
                fields.get(name).cloned()
            }
        }
    }

    fn field_str(&self, name: &str) -> Option<&str> {
        match (self, name) {
            (RequestingAction::request { path, .. }, "path") => Some(path),
            (RequestingAction::request { fields, .. }, _) | (RequestingAction::respond { fields, .. }, _) => {
                fields.get(name).and_then(Value::as_str)
            }
        }
    }

    fn to_redacted_json(&self) -> Value {
        let (key, value, fields) = match self {
            RequestingAction::request { path, fields } => ("path", Value::String(path.clone()), fields),
            RequestingAction::respond { request, fields } => ("request", Value::from(request.0), fields),
        };
        let mut object = Map::with_capacity(fields.len() + 1);
        object.extend(fields.iter().map(|(name, value)| (name.clone(), value.clone())));
        // Last, so that a field of the body named like it cannot pass for it.
        object.insert(key.to_owned(), value);
        let mut object = Value::Object(object);
        crate::trace::redact(&mut object);
        object
    }

    fn from_json(_action: &str, _inputs: Value) -> Result<Self, String> {
        Err("Requesting's actions cannot be invoked through a passthrough route".to_owned())
    }
}

impl OutcomeSet for RequestingOutcome {
    fn is_error(&self) -> bool {
        matches!(
            self,
            RequestingOutcome::request(Err(_)) | RequestingOutcome::respond(Err(_))
        )
    }

    fn to_json(&self) -> Value {
        match self {
            RequestingOutcome::request(Ok(requested)) => {
                serde_json::json!({ "request": requested.request.0 })
            }
            RequestingOutcome::respond(Ok(())) => serde_json::json!({}),
            RequestingOutcome::request(Err(error)) | RequestingOutcome::respond(Err(error)) => {
                serde_json::json!({ "error": error.error })
            }
        }
    }
}

impl Concept for Requesting {
    const NAME: &'static str = "Requesting";
    type Action = RequestingAction;
    type Outcome = RequestingOutcome;
    type Query = RequestingQuery;
    type Rows = RequestingRows;

    async fn perform(&self, _action: RequestingAction) -> Result<RequestingOutcome, InternalError> {
        // The engine performs Requesting's actions itself, with the flow at hand.
        Err(InternalError::new(
            "Requesting's actions are performed by the engine",
        ))
    }

    async fn query(&self, query: RequestingQuery) -> Result<RequestingRows, InternalError> {
        match query {}
    }
}

/// Names of Requesting's actions, for the compile-time check of action names
/// in `sync!`.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct RequestingActionNames {
    /// `Requesting.request`: a request arrived.
    pub request: (),
    /// `Requesting.respond`: a sync answers a request.
    pub respond: (),
}

/// Requesting has no queries.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct RequestingQueryNames {}

impl ConceptNames for Requesting {
    type Actions = RequestingActionNames;
    type Queries = RequestingQueryNames;
    const ACTIONS: RequestingActionNames = RequestingActionNames {
        request: (),
        respond: (),
    };
    const QUERIES: RequestingQueryNames = RequestingQueryNames {};
}

/// The answer to a request: the fields of its `Requesting.respond`.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The fields given to `respond`, except the reserved `request`
    /// (`http_status` and `http_headers` included: the HTTP server takes
    /// those out of the body it sends).
    pub body: Fields,
}

/// `answer["field"]`: a field of the answer, `null` when it has none (as
/// `serde_json::Value` indexes), so that a test's `assert_eq!` shows what
/// was answered instead of panicking on a missing key, as indexing
/// [`Response::body`] would.
///
/// ```
/// # use syncs_runtime::Response;
/// let answer = Response { body: serde_json::json!({"user": "bo"}).as_object().cloned().unwrap_or_default() };
/// assert_eq!(answer["user"], "bo");
/// assert!(answer["session"].is_null());
/// ```
impl std::ops::Index<&str> for Response {
    type Output = Value;

    fn index(&self, field: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.body.get(field).unwrap_or(&NULL)
    }
}

/// The field of a `respond` that the HTTP server takes out of the body it
/// sends, as the response's status.
pub(crate) const HTTP_STATUS: &str = "http_status";
/// The field of a `respond` that the HTTP server takes out of the body it
/// sends, as extra headers.
pub(crate) const HTTP_HEADERS: &str = "http_headers";

impl Response {
    /// The JSON body the HTTP server sends for this answer: its fields
    /// without `http_status` and `http_headers`, so that a test can compare
    /// it whole with what a client gets. (A 204, 205 or 304 is sent with
    /// no body at all, and an answer whose `http_status` is not a status,
    /// [`Response::status`]'s error, as a 500.)
    ///
    /// ```
    /// # use syncs_runtime::Response;
    /// # use serde_json::json;
    /// let answer = Response { body: json!({"http_status": 201, "id": 7}).as_object().cloned().unwrap_or_default() };
    /// assert_eq!(answer.http_body(), json!({"id": 7}));
    /// ```
    pub fn http_body(&self) -> Value {
        let mut body = self.body.clone();
        body.remove(HTTP_STATUS);
        body.remove(HTTP_HEADERS);
        Value::Object(body)
    }

    /// The HTTP status the server sends this answer with: its `http_status`,
    /// or else 400 Bad Request when it has an `error` field, or else 200 OK.
    /// In tests of [`crate::Engine::request`], this is the status a client
    /// would see.
    ///
    /// Fails when `http_status` is not a whole number from 200 to 599 (an
    /// informational 1xx cannot end a request): the server answers such a
    /// response with a 500, as the sync's mistake.
    pub fn status(&self) -> Result<u16, InvalidStatus> {
        match self.body.get(HTTP_STATUS) {
            None if self.body.contains_key("error") => Ok(400),
            None => Ok(200),
            Some(value) => value
                .as_u64()
                .and_then(|code| u16::try_from(code).ok())
                .filter(|code| (200..=599).contains(code))
                .ok_or_else(|| InvalidStatus(value.clone())),
        }
    }
}

/// An `http_status` given to `Requesting.respond` that is not a status a
/// response can have (see [`Response::status`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("respond's http_status must be a whole number from 200 to 599; it was {}", match .0 {
    Value::Number(number) => number.to_string(),
    other => crate::engine::json_type(other).to_owned(),
})]
pub struct InvalidStatus(pub Value);
