//! Action records: one completed invocation each, and the flows they form.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde_json::Value;

use crate::concept::{ActionSet, Concept, OutcomeSet};

/// Identifies a flow: the causal chain started by one external invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FlowId(pub u64);

impl FlowId {
    pub(crate) fn next() -> FlowId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        FlowId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl fmt::Display for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "flow-{}", self.0)
    }
}

/// Identifies an action record within its flow (its position in the flow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RecordId(pub u32);

/// Why an action ran: the sync that invoked it and the records that made the
/// sync fire. External invocations have no cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The name of the sync that fired.
    pub sync: &'static str,
    /// The records its `when` patterns matched, in pattern order.
    pub records: crate::sync::RecordIds,
}

/// One completed action: concept, action, inputs, outcome, flow and cause.
///
/// Always used as `Record` (its type parameter is the engine's: the typed
/// inputs and outcome, behind a trait object, so that one flow can hold
/// records of every concept in one allocation each).
pub struct Record<D: ?Sized = dyn RecordData> {
    pub(crate) id: RecordId,
    pub(crate) flow: FlowId,
    pub(crate) cause: Option<Cause>,
    /// Whether the outcome is the action's error form: known when the
    /// record is sealed, so that reading it (dispatch reads it for every
    /// record) is a field, not a call through `data`'s vtable.
    pub(crate) error: bool,
    pub(crate) data: D,
}

/// Where a record sits in its flow, known before its action runs.
pub(crate) struct RecordHeader {
    pub(crate) id: RecordId,
    pub(crate) flow: FlowId,
    pub(crate) cause: Option<Cause>,
}

impl RecordHeader {
    /// The record of `C`'s action `input`, which returned `outcome`.
    pub(crate) fn seal<C: Concept>(self, input: C::Action, outcome: C::Outcome) -> std::sync::Arc<Record> {
        self.seal_typed::<C>(input, outcome)
    }

    /// [`RecordHeader::seal`], keeping the record's concept in its type.
    pub(crate) fn seal_typed<C: Concept>(
        self,
        input: C::Action,
        outcome: C::Outcome,
    ) -> std::sync::Arc<Record<TypedRecord<C>>> {
        std::sync::Arc::new(Record {
            id: self.id,
            flow: self.flow,
            cause: self.cause,
            error: outcome.is_error(),
            data: TypedRecord::<C> { input, outcome },
        })
    }
}

impl Record {
    /// The record's id within its flow.
    pub fn id(&self) -> RecordId {
        self.id
    }

    /// The flow the record belongs to.
    pub fn flow(&self) -> FlowId {
        self.flow
    }

    /// The sync and records that caused this action, if a sync invoked it.
    pub fn cause(&self) -> Option<&Cause> {
        self.cause.as_ref()
    }

    /// The concept's name.
    pub fn concept(&self) -> &'static str {
        self.data.concept()
    }

    /// The action's name.
    pub fn action(&self) -> &'static str {
        self.data.action()
    }

    /// `Concept.action`, as logs and explanations name the action.
    pub(crate) fn action_path(&self) -> String {
        format!("{}.{}", self.concept(), self.action())
    }

    /// Whether the outcome is the action's `error` form.
    pub fn is_error(&self) -> bool {
        self.error
    }

    /// The inputs as a JSON object, secrets redacted.
    pub fn inputs_json(&self) -> Value {
        let mut inputs = self.data.inputs_json();
        crate::trace::redact(&mut inputs);
        inputs
    }

    /// The outcome as a JSON object, as the action returned it (secrets
    /// included: this is what a passthrough route answers).
    pub fn outcome_json(&self) -> Value {
        self.data.outcome_json()
    }

    /// The outcome as a JSON object, secrets redacted.
    pub fn outcome_redacted_json(&self) -> Value {
        let mut outcome = self.data.outcome_json();
        if let Value::Object(fields) = &mut outcome {
            for secret in self.data.outcome_secrets() {
                if let Some(value) = fields.get_mut(*secret) {
                    *value = Value::String(crate::trace::REDACTED.to_owned());
                }
            }
        }
        crate::trace::redact(&mut outcome);
        outcome
    }

    pub(crate) fn action_key(&self) -> (std::any::TypeId, usize) {
        (self.data.concept_type(), self.data.action_index())
    }

    /// The typed input and outcome, if this record is an action of `C`.
    /// Used by the matching code `sync!` generates.
    pub fn typed<C: Concept>(&self) -> Option<(&C::Action, &C::Outcome)> {
        self.data
            .as_any()
            .downcast_ref::<TypedRecord<C>>()
            .map(|typed| (&typed.input, &typed.outcome))
    }
}

impl fmt::Display for Record {
    /// `Concept.action {inputs} => {outcome}`, secrets redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} {} => {}{}",
            self.concept(),
            self.action(),
            self.inputs_json(),
            if self.is_error() { "error " } else { "" },
            self.outcome_redacted_json()
        )
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("id", &self.id)
            .field("flow", &self.flow)
            .field("action", &self.action_path())
            .field("inputs", &self.inputs_json())
            .field("outcome", &self.outcome_redacted_json())
            .field("cause", &self.cause)
            .finish()
    }
}

pub(crate) use data::RecordData;

/// Private, so that outside this crate [`RecordData`] can be neither named
/// nor implemented, though [`Record`] names it.
mod data {
    use serde_json::Value;
    use std::any::Any;

    /// The typed contents of a record, behind a trait object so that one
    /// flow can hold records of every concept.
    pub trait RecordData: Send + Sync {
        fn as_any(&self) -> &dyn Any;
        fn concept_type(&self) -> std::any::TypeId;
        fn concept(&self) -> &'static str;
        fn action(&self) -> &'static str;
        fn action_index(&self) -> usize;
        fn field(&self, name: &str) -> Option<Value>;
        fn field_str(&self, name: &str) -> Option<&str>;
        fn inputs_json(&self) -> Value;
        fn outcome_json(&self) -> Value;
        fn outcome_secrets(&self) -> &'static [&'static str];
    }
}

pub(crate) struct TypedRecord<C: Concept> {
    pub(crate) input: C::Action,
    pub(crate) outcome: C::Outcome,
}

impl<C: Concept> RecordData for TypedRecord<C> {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn concept_type(&self) -> std::any::TypeId {
        std::any::TypeId::of::<C>()
    }
    fn concept(&self) -> &'static str {
        C::NAME
    }
    fn action(&self) -> &'static str {
        <C::Action as ActionSet>::SCHEMA[self.input.index()].name
    }
    fn action_index(&self) -> usize {
        self.input.index()
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.input.field(name)
    }
    fn field_str(&self, name: &str) -> Option<&str> {
        self.input.field_str(name)
    }
    fn inputs_json(&self) -> Value {
        self.input.to_redacted_json()
    }
    fn outcome_json(&self) -> Value {
        self.outcome.to_json()
    }
    fn outcome_secrets(&self) -> &'static [&'static str] {
        <C::Action as ActionSet>::SCHEMA[self.input.index()].outcome_secrets
    }
}
