//! Compiled synchronizations: what `sync!` generates and the engine runs.

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::concept::{ActionSet, BoxFuture, Concept, InternalError};
use crate::record::{Record, RecordHeader, RecordId};
use crate::registry::Registry;
use crate::requesting::{Requesting, RequestingAction};

/// A synchronization: implemented by the unit struct `sync!` generates for
/// each sync, and registered with [`EngineBuilder::sync`](crate::EngineBuilder::sync).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a synchronization",
    note = "declare syncs with `syncs_runtime::sync! {{ pub Name when ... then ... }}`"
)]
pub trait Synchronization: Send + Sync + 'static {
    /// Builds the sync's matching code and its static description.
    fn compile(&self) -> CompiledSync;
}

/// Which outcome form a `when` pattern selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The success form (any output pattern that does not name `error`).
    Success,
    /// The `error` form (an output pattern naming `error`).
    Error,
}

/// A reference to one action (or query) of one concept.
#[derive(Clone, Copy)]
pub struct ActionRef {
    pub(crate) concept: TypeId,
    pub(crate) concept_name: &'static str,
    pub(crate) action: &'static str,
    pub(crate) index: usize,
    /// Whether the action may end in its `error` outcome.
    pub(crate) can_fail: bool,
    /// For a query: whether it returns at most one row.
    pub(crate) single_row: bool,
}

impl ActionRef {
    /// The action named `action` of concept `C`.
    pub fn of<C: Concept>(action: &'static str) -> ActionRef {
        let schema = <C::Action as ActionSet>::SCHEMA;
        let index = schema
            .iter()
            .position(|schema| schema.name == action)
            .unwrap_or(usize::MAX);
        ActionRef {
            concept: TypeId::of::<C>(),
            concept_name: C::NAME,
            action,
            index,
            can_fail: schema.get(index).is_none_or(|schema| schema.can_fail),
            single_row: false,
        }
    }

    /// A query named `query` of concept `C` (queries are not indexed).
    pub fn query<C: Concept>(query: &'static str) -> ActionRef {
        ActionRef {
            concept: TypeId::of::<C>(),
            concept_name: C::NAME,
            action: query,
            index: usize::MAX,
            can_fail: false,
            single_row: C::SINGLE_ROW_QUERIES.contains(&query),
        }
    }

    /// The concept's name.
    pub fn concept(&self) -> &'static str {
        self.concept_name
    }

    /// The action's name.
    pub fn action(&self) -> &'static str {
        self.action
    }
}

impl fmt::Debug for ActionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.concept_name, self.action)
    }
}

impl fmt::Display for ActionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.concept_name, self.action)
    }
}

/// Checks that a JSON value decodes as the type a sync expects for an open
/// field; the error names what was expected.
pub type Validator = fn(&Value) -> Result<(), String>;

/// A field of an open action (`Requesting.request`) that a pattern reads,
/// with the check its type implies.
#[derive(Clone, Copy, Debug)]
pub struct OpenField {
    /// The field's name.
    pub name: &'static str,
    /// Decodes the value as the type the sync uses it at.
    pub validator: Validator,
    /// Whether the pattern needs the field (`false` for `name?`).
    pub required: bool,
}

/// One `when` pattern, as the engine indexes it.
#[derive(Clone, Debug)]
pub struct PatternSpec {
    /// The action the pattern matches.
    pub action: ActionRef,
    /// The outcome form it selects.
    pub form: Form,
    /// Its literal input fields (`path: "/login"`), used to dispatch records
    /// only to the syncs that can match them.
    pub literals: Vec<(&'static str, Value)>,
    /// Its literal outcome fields (`: (error: "not found")`): the pattern
    /// matches only some of the outcomes of its form, so the static checks
    /// do not count a sync with it as answering them all.
    pub outcome_literals: Vec<(&'static str, Value)>,
    /// The open input fields it reads (only for `Requesting.request`).
    pub open_fields: Vec<OpenField>,
}

impl PatternSpec {
    /// The literal `path` it names (a `Requesting.request` route).
    pub fn literal_path(&self) -> Option<&str> {
        self.literal_text("path")
    }

    /// The literal `method` it names (a `Requesting.request` route).
    pub(crate) fn literal_method(&self) -> Option<&str> {
        self.literal_text("method")
    }

    fn literal_text(&self, field: &str) -> Option<&str> {
        self.literals
            .iter()
            .find(|(name, _)| *name == field)
            .and_then(|(_, value)| value.as_str())
    }

    /// Whether it reads `field`, as a literal or an open field.
    pub(crate) fn reads(&self, field: &str) -> bool {
        self.literals.iter().any(|(name, _)| *name == field)
            || self.open_fields.iter().any(|open| open.name == field)
    }
}

/// One `where` step, as explanations and graphs name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepSpec {
    /// `Concept._query (...) : (...)`
    Query(String),
    /// `not Concept._query (...)`
    Absence(String),
    /// `if <expr>`
    Guard(String),
    /// `let var = <expr>`
    Let(String),
    /// `collect (...) as var`
    Collect(String),
}

/// The boxed matching function of a sync whose `where` awaits queries.
pub type EvalFn =
    Box<dyn for<'a> Fn(EvalInput<'a>) -> BoxFuture<'a, Result<Evaluation, InternalError>> + Send + Sync>;

/// The boxed matching function of a sync that awaits nothing (no `where`
/// queries): it runs to its end when called, with no future to allocate.
pub type EvalNowFn = Box<dyn for<'a> Fn(EvalInput<'a>) -> Result<Evaluation, InternalError> + Send + Sync>;

/// A compiled sync's matching function.
pub enum Eval {
    /// Matching that awaits nothing.
    Now(EvalNowFn),
    /// Matching that awaits `where` queries.
    Later(EvalFn),
}

/// Boxes a matching function that awaits queries, giving the closure its
/// signature (a closure cannot spell its higher-ranked lifetimes itself).
pub fn eval_fn<F>(eval: F) -> Eval
where
    F: for<'a> Fn(EvalInput<'a>) -> BoxFuture<'a, Result<Evaluation, InternalError>> + Send + Sync + 'static,
{
    Eval::Later(Box::new(eval))
}

/// Boxes a matching function that awaits nothing.
pub fn eval_now_fn<F>(eval: F) -> Eval
where
    F: for<'a> Fn(EvalInput<'a>) -> Result<Evaluation, InternalError> + Send + Sync + 'static,
{
    Eval::Now(Box::new(eval))
}

/// The firings of one evaluation: most evaluations fire once or not at all.
pub type Firings = smallvec::SmallVec<[Firing; 1]>;

/// The records one firing consumed, one per `when` pattern, in pattern order.
pub type RecordIds = smallvec::SmallVec<[RecordId; 4]>;

/// The actions one firing invokes, in order.
pub type Invocations = smallvec::SmallVec<[Invocation; 2]>;

/// The result of evaluating a sync once: its firings, and how many frames
/// were left after `when` and after each `where` step (for explanations).
pub struct Evaluation {
    pub(crate) firings: Firings,
    pub(crate) frames: crate::__private::FrameCounts,
}

impl Evaluation {
    /// An evaluation's result (called by generated code).
    pub fn new(firings: impl Into<Firings>, frames: impl Into<crate::__private::FrameCounts>) -> Evaluation {
        Evaluation {
            firings: firings.into(),
            frames: frames.into(),
        }
    }
}

/// A sync ready to run: its description and its matching function.
pub struct CompiledSync {
    pub(crate) name: &'static str,
    pub(crate) doc: &'static str,
    pub(crate) when: Vec<PatternSpec>,
    pub(crate) steps: Vec<StepSpec>,
    pub(crate) queries: Vec<ActionRef>,
    pub(crate) then: Vec<ActionRef>,
    pub(crate) eval: Eval,
    /// Whether two of its `when` patterns share a variable, so that it
    /// fires only on records that agree on it.
    pub(crate) joined: bool,
}

impl CompiledSync {
    /// Assembles a compiled sync (called by generated code).
    pub fn new(
        name: &'static str,
        doc: &'static str,
        when: Vec<PatternSpec>,
        steps: Vec<StepSpec>,
        then: Vec<ActionRef>,
        eval: Eval,
    ) -> CompiledSync {
        CompiledSync {
            name,
            doc,
            when,
            steps,
            queries: Vec::new(),
            then,
            eval,
            joined: false,
        }
    }

    /// Declares that two of its `when` patterns share a variable (a join
    /// the static checks cannot see in its [`PatternSpec`]s).
    pub fn with_joined_patterns(mut self) -> CompiledSync {
        self.joined = true;
        self
    }

    /// Declares the queries its `where` runs, one per query or `not` step,
    /// in the steps' order (so the engine can check their concepts are
    /// registered, and the static checks can tell which a `not` step reads
    /// and how many rows a step may bring).
    pub fn with_queries(mut self, queries: Vec<ActionRef>) -> CompiledSync {
        self.queries = queries;
        self
    }

    /// The sync's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The sync's doc comment.
    pub fn doc(&self) -> &'static str {
        self.doc
    }

    /// Its `when` patterns.
    pub fn when(&self) -> &[PatternSpec] {
        &self.when
    }

    /// Its `where` steps.
    pub fn steps(&self) -> &[StepSpec] {
        &self.steps
    }

    /// The actions its `then` invokes.
    pub fn then(&self) -> &[ActionRef] {
        &self.then
    }
}

impl fmt::Debug for CompiledSync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledSync")
            .field("name", &self.name)
            .field("when", &self.when)
            .field("steps", &self.steps)
            .field("then", &self.then)
            .finish()
    }
}

/// What a sync's matching function sees: for each `when` pattern, the flow's
/// records that may fill it (not yet used by this sync), and the concepts, for
/// `where` queries.
pub struct EvalInput<'a> {
    pub(crate) candidates: crate::flow::Candidates<'a>,
    pub(crate) records: &'a [Arc<Record>],
    pub(crate) registry: &'a Registry,
}

impl<'a> EvalInput<'a> {
    /// The candidate records for `when` pattern number `pattern`.
    pub fn candidates(&self, pattern: usize) -> impl Iterator<Item = &'a Record> + 'a {
        let records = self.records;
        self.candidates
            .get(pattern)
            .copied()
            .unwrap_or(&[])
            .iter()
            .filter_map(move |position| records.get(*position as usize).map(|record| &**record))
    }

    /// Runs a query of concept `C`.
    pub async fn query<C: Concept>(&self, query: C::Query) -> Result<C::Rows, InternalError> {
        self.registry.get::<C>()?.query(query).await
    }
}

/// One firing of a sync for one frame: the records it consumed and the
/// actions to invoke, in order.
pub struct Firing {
    pub(crate) records: RecordIds,
    pub(crate) actions: Invocations,
}

impl Firing {
    /// A firing of the frame made of `records`, invoking `actions` in order.
    pub fn new(records: impl Into<RecordIds>, actions: impl Into<Invocations>) -> Firing {
        Firing {
            records: records.into(),
            actions: actions.into(),
        }
    }
}

/// An action about to be invoked: a concept's typed action value.
pub struct Invocation(pub(crate) Pending);

impl crate::concept::ConceptAction for Invocation {
    fn into_invocation(self) -> Invocation {
        self
    }
}

/// An action about to be invoked: `Requesting`'s inline (the engine performs
/// them itself, and every request flow has two), any other concept's behind
/// a trait object.
pub(crate) enum Pending {
    Requesting(RequestingAction),
    Concept(Box<dyn PendingAction>),
}

impl Invocation {
    /// An invocation of an action of concept `C`.
    pub fn new<C: Concept>(action: C::Action) -> Invocation {
        Invocation(Pending::Concept(Box::new(Typed::<C> { action })))
    }

    /// An invocation of one of `Requesting`'s actions (called by generated
    /// code; needs no allocation of its own).
    pub fn requesting(action: RequestingAction) -> Invocation {
        Invocation(Pending::Requesting(action))
    }

    /// The concept's name.
    pub fn concept(&self) -> &'static str {
        match &self.0 {
            Pending::Requesting(_) => Requesting::NAME,
            Pending::Concept(pending) => pending.concept_name(),
        }
    }

    /// The action's name.
    pub fn action(&self) -> &'static str {
        match &self.0 {
            Pending::Requesting(action) => <RequestingAction as ActionSet>::SCHEMA[action.index()].name,
            Pending::Concept(pending) => pending.action_name(),
        }
    }
}

impl fmt::Debug for Invocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.concept(), self.action())
    }
}

pub(crate) trait PendingAction: Send {
    fn concept_type(&self) -> TypeId;
    fn concept_name(&self) -> &'static str;
    fn action_name(&self) -> &'static str;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    /// Performs the action and makes its record: at once if the action
    /// cannot suspend, else as a future that owns what it needs (so that a
    /// flow that waits can go on in a task of its own).
    fn perform(self: Box<Self>, registry: &Arc<Registry>, header: RecordHeader) -> Performed;
}

/// An action performed at once, or on its way.
pub(crate) enum Performed {
    Now(Result<Arc<Record>, InternalError>),
    Later(BoxFuture<'static, Result<Arc<Record>, InternalError>>),
}

pub(crate) struct Typed<C: Concept> {
    pub(crate) action: C::Action,
}

impl<C: Concept> PendingAction for Typed<C> {
    fn concept_type(&self) -> TypeId {
        TypeId::of::<C>()
    }
    fn concept_name(&self) -> &'static str {
        C::NAME
    }
    fn action_name(&self) -> &'static str {
        <C::Action as ActionSet>::SCHEMA[self.action.index()].name
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
    fn perform(self: Box<Self>, registry: &Arc<Registry>, header: RecordHeader) -> Performed {
        let concept = match registry.get::<C>() {
            Ok(concept) => concept,
            Err(error) => return Performed::Now(Err(error)),
        };
        // The record keeps the inputs the concept consumes.
        match concept.perform_now(self.action.clone()) {
            Ok(outcome) => Performed::Now(outcome.map(|outcome| header.seal::<C>(self.action, outcome))),
            Err(action) => {
                // Only an action that waits holds its concept by `Arc`.
                let Some(concept) = registry.get_arc::<C>() else {
                    return Performed::Now(Err(InternalError::new(format!(
                        "concept {} is not registered",
                        C::NAME
                    ))));
                };
                Performed::Later(Box::pin(async move {
                    let outcome = concept.perform(action).await?;
                    Ok(header.seal::<C>(self.action, outcome))
                }))
            }
        }
    }
}
