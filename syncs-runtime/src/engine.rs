//! The engine: registers concepts and syncs, runs flows.
//!
//! A flow's cascade runs depth-first in one task, with an explicit work stack
//! instead of async recursion, so a chain of 10,000 actions needs no deep
//! stack and each step costs the same. Different flows run in different tasks,
//! in parallel, sharing only immutable state (the registry and the sync index).

use std::any::TypeId;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::oneshot;
use tracing::Instrument;

use crate::concept::ErrorOutcome;
use crate::concept::{Concept, InternalError};
use crate::dispatch::{Dispatch, PatternSlot};
use crate::error::{BuildError, FlowError, RequestError};
use crate::flow::Flow;
use crate::record::{Cause, FlowId, Record, RecordId, TypedRecord};
use crate::registry::Registry;
use crate::requesting::{
    Fields, RequestId, Requested, Requesting, RequestingAction, RequestingOutcome, Response,
};
use crate::sync::{CompiledSync, EvalInput, Invocation, Synchronization};

/// Limits and time-outs of an engine.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// How long a request waits for `Requesting.respond` (default 10 s).
    pub request_timeout: Duration,
    /// The most actions one flow may perform (default 10,000).
    pub max_flow_actions: usize,
    /// The longest cause chain in one flow (default 10,000).
    pub max_flow_depth: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            request_timeout: Duration::from_secs(10),
            max_flow_actions: 10_000,
            max_flow_depth: 10_000,
        }
    }
}

/// Collects concepts and syncs, then builds an [`Engine`].
///
/// ```
/// # use syncs_runtime::Engine;
/// let engine = Engine::builder().build().expect("no syncs, nothing to check");
/// # drop(engine);
/// ```
#[derive(Default)]
pub struct EngineBuilder {
    registry: Registry,
    duplicate_concept: Option<&'static str>,
    syncs: Vec<CompiledSync>,
    config: EngineConfig,
}

impl EngineBuilder {
    /// Registers a concept instance.
    pub fn concept<C: Concept>(self, concept: C) -> Self {
        self.concept_arc(Arc::new(concept))
    }

    /// Registers a shared concept instance (keep a clone to inspect its state).
    pub fn concept_arc<C: Concept>(mut self, concept: Arc<C>) -> Self {
        if !self.registry.insert(concept) {
            self.duplicate_concept.get_or_insert(C::NAME);
        }
        self
    }

    /// Registers a sync. Syncs triggered by the same action are tried in
    /// registration order.
    pub fn sync<S: Synchronization>(mut self, sync: S) -> Self {
        self.syncs.push(sync.compile());
        self
    }

    /// Sets the limits and time-outs.
    pub fn config(mut self, config: EngineConfig) -> Self {
        self.config = config;
        self
    }

    /// Sets the request time-out.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// Checks that every sync's concepts are registered and builds the engine.
    pub fn build(mut self) -> Result<Engine, BuildError> {
        if let Some(concept) = self.duplicate_concept {
            return Err(BuildError::DuplicateConcept(concept));
        }
        self.registry.insert(Arc::new(Requesting));
        let mut names = HashSet::new();
        for sync in &self.syncs {
            if !names.insert(sync.name) {
                return Err(BuildError::DuplicateSync(sync.name));
            }
            let used = sync.when.iter().map(|pattern| &pattern.action).chain(&sync.then);
            for action in used {
                if !self.registry.contains(action.concept) {
                    return Err(BuildError::MissingConcept {
                        sync: sync.name,
                        concept: action.concept_name,
                    });
                }
            }
        }
        let dispatch = Dispatch::new(&self.syncs);
        Ok(Engine {
            inner: Arc::new(Inner {
                registry: Arc::new(self.registry),
                syncs: self.syncs,
                dispatch,
                config: self.config,
            }),
        })
    }
}

/// A running set of concepts and syncs. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Arc<Registry>,
    syncs: Vec<CompiledSync>,
    dispatch: Dispatch,
    config: EngineConfig,
}

/// A finished flow: its records, in the order they completed.
#[derive(Debug)]
pub struct FlowReport {
    /// The flow's id.
    pub flow: FlowId,
    /// Its records; a record's [`RecordId`] is its position here.
    pub records: Vec<Arc<Record>>,
}

impl FlowReport {
    /// The records of `Concept.action`, e.g. `report.of("Counter", "increment")`.
    pub fn of<'a>(&'a self, concept: &'a str, action: &'a str) -> impl Iterator<Item = &'a Arc<Record>> + 'a {
        self.records
            .iter()
            .filter(move |record| record.concept() == concept && record.action() == action)
    }
}

enum Task {
    Invoke {
        invocation: Invocation,
        cause: Option<Cause>,
        depth: usize,
    },
    Evaluate {
        syncs: Vec<u32>,
        next: usize,
        depth: usize,
    },
}

impl Engine {
    /// Starts building an engine.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The engine's configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// The registered syncs, in registration order.
    pub fn syncs(&self) -> &[CompiledSync] {
        &self.inner.syncs
    }

    /// The registered instance of concept `C`.
    pub fn concept<C: Concept>(&self) -> Option<Arc<C>> {
        self.inner.registry.get_arc::<C>()
    }

    /// Invokes an action from outside (a test, a timer): it starts a new flow,
    /// which runs to its end before this returns.
    pub async fn invoke(&self, action: impl Into<Invocation>) -> Result<FlowReport, FlowError> {
        let mut flow = Flow::new();
        let span = tracing::info_span!("flow", flow = %flow.id);
        self.run(&mut flow, action.into()).instrument(span).await?;
        Ok(FlowReport {
            flow: flow.id,
            records: flow.records,
        })
    }

    /// Sends a request: records `Requesting.request (path, ...fields)` in a new
    /// flow and waits for the `Requesting.respond` that answers it.
    ///
    /// Answers at once with [`RequestError::Unanswered`] if the flow ends
    /// without a response, and with [`RequestError::Timeout`] after the
    /// configured time-out, whatever the concepts are doing.
    ///
    /// `body` must be a JSON object (its fields become the request's fields)
    /// or `null` (no fields).
    pub async fn request(&self, path: impl Into<String>, body: Value) -> Result<Response, RequestError> {
        self.request_with_timeout(path, body, self.inner.config.request_timeout)
            .await
    }

    /// [`Engine::request`] with its own time-out.
    pub async fn request_with_timeout(
        &self,
        path: impl Into<String>,
        body: Value,
        timeout: Duration,
    ) -> Result<Response, RequestError> {
        let fields = match body {
            Value::Object(fields) => fields,
            Value::Null => Fields::new(),
            other => return Err(RequestError::BodyNotAnObject(json_type(&other))),
        };
        let (sender, receiver) = oneshot::channel();
        let engine = self.clone();
        let path = path.into();
        let task = tokio::spawn(async move { engine.run_request(path, fields, sender).await });
        match tokio::time::timeout(timeout, receiver).await {
            Ok(Ok(answer)) => answer,
            // The flow's task ended without answering: it panicked.
            Ok(Err(_)) => Err(RequestError::Panicked),
            Err(_) => {
                task.abort();
                Err(RequestError::Timeout { after: timeout })
            }
        }
    }

    async fn run_request(
        &self,
        path: String,
        fields: Fields,
        sender: oneshot::Sender<Result<Response, RequestError>>,
    ) {
        let mut flow = Flow::new();
        let request = RequestId::next();
        flow.responders.insert(request, sender);
        let span = tracing::info_span!("flow", flow = %flow.id, %request, %path);
        let root = Invocation::new::<Requesting>(RequestingAction::request { path, fields });
        let outcome = self
            .run_with_request(&mut flow, root, request)
            .instrument(span)
            .await;
        let pending: Vec<_> = flow.responders.drain().collect();
        for (_, responder) in pending {
            let answer = match &outcome {
                Err(error) => {
                    tracing::error!(flow = %flow.id, %error, "flow aborted");
                    Err(RequestError::Flow(error.clone()))
                }
                Ok(()) => {
                    let explanation = explain_unanswered(&flow);
                    tracing::warn!(flow = %flow.id, %explanation, "flow ended without responding");
                    Err(RequestError::Unanswered { explanation })
                }
            };
            // The requester may have timed out and gone: nothing to tell then.
            let _ = responder.send(answer);
        }
    }

    async fn run_with_request(
        &self,
        flow: &mut Flow,
        root: Invocation,
        request: RequestId,
    ) -> Result<(), FlowError> {
        self.run_from(flow, root, Some(request)).await
    }

    async fn run(&self, flow: &mut Flow, root: Invocation) -> Result<(), FlowError> {
        self.run_from(flow, root, None).await
    }

    /// Runs a flow's cascade depth-first: an invoked action completes, and
    /// the syncs it triggers run (in registration order, each with its `then`
    /// actions and their cascades), before the next action is invoked.
    async fn run_from(
        &self,
        flow: &mut Flow,
        root: Invocation,
        request: Option<RequestId>,
    ) -> Result<(), FlowError> {
        let inner = &*self.inner;
        let mut slots: Vec<PatternSlot> = Vec::new();
        let mut stack = vec![Task::Invoke {
            invocation: root,
            cause: None,
            depth: 0,
        }];
        let mut root_request = request;
        while let Some(task) = stack.pop() {
            match task {
                Task::Invoke {
                    invocation,
                    cause,
                    depth,
                } => {
                    self.check_budget(flow, cause.as_ref(), depth)?;
                    let record = self.perform(flow, invocation, cause, root_request.take()).await?;
                    tracing::debug!(
                        sync = record.cause.as_ref().map(|cause| cause.sync).unwrap_or("-"),
                        "{record}"
                    );
                    inner.dispatch.route(&record, &mut slots);
                    let triggered = flow.add(record, &slots);
                    if !triggered.is_empty() {
                        stack.push(Task::Evaluate {
                            syncs: triggered,
                            next: 0,
                            depth,
                        });
                    }
                }
                Task::Evaluate { syncs, next, depth } => {
                    let sync_index = syncs[next];
                    if next + 1 < syncs.len() {
                        stack.push(Task::Evaluate {
                            syncs,
                            next: next + 1,
                            depth,
                        });
                    }
                    let sync = &inner.syncs[sync_index as usize];
                    let Some(candidates) = flow.candidates(sync_index, sync.when.len()) else {
                        continue;
                    };
                    let input = EvalInput {
                        candidates,
                        registry: inner.registry.clone(),
                    };
                    let firings = (sync.eval)(input).await.map_err(|error| FlowError::Internal {
                        action: format!("sync {}", sync.name),
                        error,
                    })?;
                    if firings.is_empty() {
                        continue;
                    }
                    // Fire once: the records are consumed before the `then`
                    // actions run, so nothing they cause can reuse them here.
                    for firing in &firings {
                        flow.consume(sync_index, sync.when.len(), &firing.records);
                    }
                    tracing::trace!(sync = sync.name, frames = firings.len(), "sync fired");
                    for firing in firings.into_iter().rev() {
                        let cause = Cause {
                            sync: sync.name,
                            records: firing.records,
                        };
                        for invocation in firing.actions.into_iter().rev() {
                            stack.push(Task::Invoke {
                                invocation,
                                cause: Some(cause.clone()),
                                depth: depth + 1,
                            });
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn check_budget(&self, flow: &Flow, cause: Option<&Cause>, depth: usize) -> Result<(), FlowError> {
        let config = &self.inner.config;
        let limit = if flow.records.len() >= config.max_flow_actions {
            "max_flow_actions"
        } else if depth > config.max_flow_depth {
            "max_flow_depth"
        } else {
            return Ok(());
        };
        Err(FlowError::BudgetExceeded {
            limit,
            actions: flow.records.len(),
            depth,
            syncs: looping_syncs(flow, cause),
        })
    }

    /// Performs one action and makes its record. `Requesting`'s actions are
    /// performed here, since they need the flow's pending requests.
    async fn perform(
        &self,
        flow: &mut Flow,
        invocation: Invocation,
        cause: Option<Cause>,
        new_request: Option<RequestId>,
    ) -> Result<Arc<Record>, FlowError> {
        let data = if invocation.0.concept_type() == TypeId::of::<Requesting>() {
            let action = *invocation
                .0
                .into_any()
                .downcast::<RequestingAction>()
                .map_err(|_| FlowError::Internal {
                    action: "Requesting".into(),
                    error: InternalError::new("Requesting invocation holds another concept's action"),
                })?;
            let outcome = match &action {
                RequestingAction::request { .. } => RequestingOutcome::request(match new_request {
                    Some(request) => Ok(Requested { request }),
                    None => Err(ErrorOutcome {
                        error: "Requesting.request can only be invoked by an arriving request".into(),
                    }),
                }),
                RequestingAction::respond { request, fields } => {
                    RequestingOutcome::respond(respond(flow, *request, fields))
                }
            };
            Box::new(TypedRecord::<Requesting> {
                input: action,
                outcome,
            }) as Box<dyn crate::record::RecordData>
        } else {
            let name = format!("{}.{}", invocation.concept(), invocation.action());
            invocation
                .0
                .perform(&self.inner.registry)
                .await
                .map_err(|error| FlowError::Internal { action: name, error })?
        };
        Ok(Arc::new(Record {
            id: flow.next_record_id(),
            flow: flow.id,
            cause,
            data,
        }))
    }
}

fn respond(flow: &mut Flow, request: RequestId, fields: &Fields) -> Result<(), ErrorOutcome> {
    match flow.responders.remove(&request) {
        Some(responder) => {
            // The requester may have timed out and gone; the respond still happened.
            let _ = responder.send(Ok(Response { body: fields.clone() }));
            Ok(())
        }
        None => {
            tracing::warn!(flow = %flow.id, %request, "refused a second respond to a request (the first one stands)");
            Err(ErrorOutcome {
                error: format!("{request} was already answered, or is not pending in this flow"),
            })
        }
    }
}

/// The syncs on the cause chain that led to an over-budget action, innermost
/// first, without repeats: the loop that kept the flow going.
fn looping_syncs(flow: &Flow, cause: Option<&Cause>) -> Vec<&'static str> {
    let mut syncs: Vec<&'static str> = Vec::new();
    let mut next = cause;
    let mut steps = 0;
    while let Some(cause) = next {
        if !syncs.contains(&cause.sync) {
            syncs.push(cause.sync);
        }
        steps += 1;
        if steps > 64 {
            break;
        }
        next = cause
            .records
            .last()
            .and_then(|id: &RecordId| flow.records.get(id.0 as usize))
            .and_then(|record| record.cause.as_ref());
    }
    syncs
}

/// A short account of a flow that ended without responding: what happened.
fn explain_unanswered(flow: &Flow) -> String {
    let actions: Vec<String> = flow.records.iter().map(|record| record.to_string()).collect();
    format!(
        "no sync invoked Requesting.respond; the flow's actions were: {}",
        actions.join("; ")
    )
}

/// The name of a JSON value's type, for error messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
