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
//! The behaviour contract is in the repository's `docs/SEMANTICS.md`.

#![warn(missing_docs)]

mod concept;
mod dispatch;
mod engine;
mod error;
mod flow;
mod record;
mod registry;
mod requesting;
mod sync;
pub mod trace;

#[doc(hidden)]
pub mod __private;

pub use concept::{
    ActionError, ActionSchema, ActionSet, BoxFuture, Concept, ErrorOutcome, InternalError, OutcomeSet,
};
pub use engine::{Engine, EngineBuilder, EngineConfig, FlowReport};
pub use error::{BuildError, FlowError, RequestError};
pub use record::{Cause, FlowId, Record, RecordId};
pub use requesting::{
    Fields, RequestId, Requested, Requesting, RequestingAction, RequestingOutcome, RequestingQuery,
    RequestingRows, Response,
};
pub use sync::{
    ActionRef, CompiledSync, EvalInput, Firing, Form, Invocation, OpenField, PatternSpec, StepSpec,
    Synchronization, Validator,
};
pub use syncs_macro::{concept, sync};
