//! # syncs-runtime
//!
//! Build applications from *concepts* (independent services with their own
//! state, actions and queries) composed by *synchronizations* ("syncs"):
//! declarative rules that say *when* these actions happened in a flow,
//! *where* this holds, *then* do these actions.
//!
//! - [`concept`] turns an `impl` block of `async fn`s into a concept.
//! - [`sync!`] compiles a sync written in the spec language into type-checked
//!   matching code.
//! - [`Engine`] runs them: it records every action in its flow, fires the
//!   syncs an action triggers, and answers requests through the built-in
//!   [`Requesting`] concept.
//!
//! ## A complete example
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use syncs_runtime::{concept, sync, ActionError, Engine};
//!
//! /// Counts clicks.
//! #[derive(Default)]
//! pub struct Counter {
//!     count: std::sync::Mutex<u32>,
//! }
//!
//! /// The success form of `Counter.increment`: `(count)`.
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
//! pub struct Count {
//!     pub count: u32,
//! }
//!
//! #[concept]
//! impl Counter {
//!     /// Adds one; fails past `limit`.
//!     pub async fn increment(&self, limit: u32) -> Result<Count, ActionError> {
//!         let mut count = self.count.lock().map_err(ActionError::internal)?;
//!         if *count >= limit {
//!             return Err(ActionError::fail("limit reached"));
//!         }
//!         *count += 1;
//!         Ok(Count { count: *count })
//!     }
//! }
//!
//! sync! {
//!     /// `POST /click {"limit": 3}` increments the counter.
//!     pub Click
//!     when
//!         Requesting.request (path: "/click", limit) : ()
//!     then
//!         Counter.increment (limit)
//!
//!     /// Answers with the new count...
//!     pub Clicked
//!     when
//!         Requesting.request (path: "/click") : (request)
//!         Counter.increment () : (count)
//!     then
//!         Requesting.respond (request, count)
//!
//!     /// ...or with the error.
//!     pub ClickFailed
//!     when
//!         Requesting.request (path: "/click") : (request)
//!         Counter.increment () : (error)
//!     then
//!         Requesting.respond (request, error)
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let engine = Engine::builder()
//!     .concept(Counter::default())
//!     .sync(Click)
//!     .sync(Clicked)
//!     .sync(ClickFailed)
//!     .build()
//!     .expect("every concept the syncs use is registered");
//! let answer = engine.request("/click", serde_json::json!({"limit": 1})).await.unwrap();
//! assert_eq!(answer.body["count"], 1);
//! let answer = engine.request("/click", serde_json::json!({"limit": 1})).await.unwrap();
//! assert_eq!(answer.body["error"], "limit reached");
//! assert_eq!(answer.status(), Ok(400)); // what an HTTP client would get
//!
//! // No sync can start on a `limit` that is not a number: the request is
//! // told why (over HTTP, a 400 naming the field).
//! let refused = engine.request("/click", serde_json::json!({"limit": "many"})).await;
//! assert!(matches!(
//!     refused,
//!     Err(syncs_runtime::RequestError::InvalidFields { problems, .. }) if problems[0].field == "limit"
//! ));
//! # }
//! ```
//!
//! Note how `limit`, a field of the HTTP body, gets its type (`u32`) from its
//! use as the input of `Counter.increment`: see [`Requesting`].

#![warn(missing_docs)]

mod checks;
mod concept;
mod dispatch;
mod engine;
mod error;
mod explain;
mod field_names;
mod flow;
mod graph;
pub mod http;
mod provenance;
mod record;
mod registry;
mod requesting;
mod routes;
mod sync;
pub mod trace;

#[doc(hidden)]
pub mod __private;

pub use checks::Finding;
pub use concept::{
    ActionError, ActionSchema, ActionSet, BoxFuture, Concept, ConceptAction, ErrorOutcome, InternalError,
    OutcomeSet,
};
pub use engine::{Engine, EngineBuilder, EngineConfig, FlowReport, RefusedAnswer};
pub use error::{BuildError, FlowError, RequestError};
pub use graph::SyncGraph;
pub use provenance::ProvenanceNode;
pub use record::{Cause, FlowId, Record, RecordId};
pub use requesting::{
    Fields, InvalidStatus, RequestId, Requested, Requesting, RequestingAction, RequestingOutcome,
    RequestingQuery, RequestingRows, Response,
};
pub use routes::FieldProblem;
pub use sync::{
    eval_fn, eval_now_fn, ActionRef, CompiledSync, Eval, EvalFn, EvalInput, EvalNowFn, Evaluation, Firing,
    Firings, Form, Invocation, Invocations, OpenField, PatternSpec, RecordIds, StepSpec, Synchronization,
    Validator,
};
/// Turns an `impl` block of `async fn`s into a concept.
///
/// Every `async fn` of the block is an action, or a query if its name starts
/// with `_`. Actions take `&self` and named inputs, and return
/// `Result<Success, ActionError>` where `Success` is `()` or a struct with
/// named fields: the action's success outcome form. Its `error` form is
/// `(error: String)`, returned with [`ActionError::fail`]. The error type
/// may be your own if it converts into `ActionError` as `?` would (any
/// `std::error::Error` does, as an internal failure); write the `Result`
/// out, as the macro does not see through type aliases. `#[cfg]` applies to
/// a whole concept, not to one of its actions. Queries return
/// `Vec<Row>` for any number of rows, or `Option<Row>` for at most one (a
/// lookup by key: the static checks then let a sync answer a request after
/// it without `collect`, [`Finding::AnswersPerRow`]), either in a
/// `Result<_, ActionError>` if the query can fail, where `Row` is a struct
/// with named fields. Mark inputs that hold secrets with `#[secret]`: they are
/// redacted in traces (`#[secret(field, ...)]` on an action does the same for
/// outcome fields, on a query for row fields; a name there is the field's
/// serialized name, and one the type does not have is a static check
/// finding, [`Finding::UnknownSecretField`], for types deriving
/// `Deserialize`).
///
/// Mark an action that never ends in its `error` outcome with
/// `#[infallible]`: a sync that matches its error is then a compile error, and
/// the static checks ([`Engine::findings`]) do not ask for a sync answering
/// it. It can still fail internally (an [`ActionError::internal`], or any
/// error through `?`), which aborts its flow; an `ActionError::fail` it
/// returns anyway is turned into such an internal failure.
///
/// For a concept `Sessioning` the macro generates `SessioningAction` (a variant
/// per action, carrying its inputs; invoke one with [`Engine::invoke`]),
/// `SessioningOutcome`, `SessioningQuery`, `SessioningRows` and the
/// [`Concept`] implementation. These four are type aliases of enums whose
/// own names start with `__Syncs` (rustc's messages name those), so a type
/// of yours by one of these names is one error, E0428 ("defined multiple
/// times"), at `#[concept]`: rename your type or the concept. The macro also
/// adds `ActionsOfSessioning`, `QueriesOfSessioning`, hidden items whose
/// names start with `Sessioning_` or `__syncs_`, and a hidden implementation
/// of the trait `__private::ConceptNames`. Import
/// variants through the alias's path (`SessioningAction::create { .. }`);
/// `use` cannot reach them through a type alias. Each fn of the block gets
/// `#[allow(clippy::unused_async)]` first among its attributes (actions
/// must be `async` even when they never await; your own lint attributes
/// come after it and win). Input types must implement `Clone`, `Debug`,
/// `PartialEq`, `Serialize` and `Deserialize`; outcome types `Clone`, `Debug`
/// and `Serialize`; row types `Clone` and `Debug` (and `Serialize`, for
/// traces to show them as JSON).
///
/// Actions run on tokio's worker threads, so their futures must be `Send`:
/// do not hold a `std::sync::MutexGuard` across an `.await` (take what you
/// need and drop the guard, or use `tokio::sync::Mutex`).
///
/// Put helper functions in a separate `impl` block.
pub use syncs_macro::concept;

/// Compiles synchronizations written in the spec language.
///
/// ```text
/// sync! {
///     /// doc comment
///     pub Name
///     when
///         Concept.action (input: literal, input: variable, input) : (output)
///         ...
///     where                                   (optional)
///         Concept._query (input) : (output)   fan out: a frame per row
///         not Concept._query (input)          keep frames with no rows
///         if <Rust bool expression>           keep frames where it holds
///         let name = <Rust expression>        bind a new variable
///         let name: Type = <Rust expression>  ... of a stated type
///         collect (a, b) as list              group frames, list the rest
///     then
///         Concept.action (input: literal, input: variable, input)
///         ...
///
///     pub NextSync ...
/// }
/// ```
///
/// `name` alone means `name: name`. In `Requesting.request`, `name?` is an
/// optional field: its variable is an `Option`, `None` when the field is
/// absent or `null`. An output pattern naming `error` matches
/// only the `error` outcome; any other (including `()`) only success.
/// Literals are strings, numbers, `true`, `false`, and, in open fields of
/// `Requesting` only, `null`, arrays (`["a", 1]`) and objects (`{"k": 1}`).
/// A field named by a keyword takes a variable of another name
/// (`type: kind`). Patterns, steps and actions are separated by line
/// breaks; a `,` or `;` between them is accepted too.
///
/// `collect` groups the frames by every variable it does not collect, so a
/// variable bound after the step that fans out (the first query binding
/// what is collected) must be collected too, or bound before that step: it
/// is a compile error otherwise, since with no rows there would be no value
/// of it for the empty list's frame.
///
/// Each sync becomes a unit struct implementing [`Synchronization`] (and
/// `Debug`, `Clone`, `Copy` and `Default`): register it with
/// [`EngineBuilder::sync`]; `#[cfg(...)]` on a sync applies to all of it.
/// The code both macros generate passes the lints strict crates deny
/// (`missing_docs`, `missing_debug_implementations`, `unreachable_pub`,
/// clippy's `pedantic` and `nursery`, and more: the workspace member
/// `renamed-dependency` denies them, with concepts and syncs at its root
/// and in a private module, and is linted in CI). It allows a few lints
/// on its own items (`dead_code`, `non_camel_case_types`,
/// `unreachable_pub`, ...), so a crate that `forbid`s one of those gets
/// E0453 at the macro: use `deny` for them.
///
/// Mistakes are compile errors at the offending token: an unknown concept,
/// action or field, an output pattern no outcome form has, a variable never
/// bound, a missing input, a variable used at two types. Every error the
/// macros give, with what it means and how to fix it, is in the
/// repository's `docs/diagnostics.md`, one UI test each. Set
/// `SYNCS_EXPAND=Name` (or `*`) while building to print the code generated for
/// a sync. See the crate documentation for an example.
pub use syncs_macro::sync;
