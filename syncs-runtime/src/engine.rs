//! The engine: registers concepts and syncs, runs flows.
//!
//! A flow's cascade runs depth-first in one task, with an explicit work stack
//! instead of async recursion, so a chain of 10,000 actions needs no deep
//! stack and each step costs the same. Different flows run in different tasks,
//! in parallel, sharing only immutable state (the registry and the sync index).

use std::any::TypeId;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use serde_json::Value;
use tracing::Instrument;

use crate::checks::{self, Finding};
use crate::concept::{BoxFuture, Concept, ConceptAction, ErrorOutcome, InternalError};
use crate::dispatch::{Dispatch, PatternSlot};
use crate::error::{BuildError, FlowError, RequestError};
use crate::flow::{Answer, Flow};
use crate::graph::SyncGraph;
use crate::record::{Cause, FlowId, Record, RecordHeader, RecordId};
use crate::registry::Registry;
use crate::requesting::{
    Fields, RequestId, Requested, Requesting, RequestingAction, RequestingOutcome, Response,
};
use crate::routes::{routes_of, Refusal, Route};
use crate::sync::{
    ActionRef, CompiledSync, Eval, EvalInput, Invocation, Pending, Performed, Synchronization,
};

/// A time-out as good as none: what one too long to add to an instant
/// (`Duration::MAX`, meant as none) stands for.
pub(crate) const AS_GOOD_AS_NONE: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

/// The instant `timeout` from now (at most [`AS_GOOD_AS_NONE`] from now).
pub(crate) fn deadline_after(timeout: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(timeout).unwrap_or(now + AS_GOOD_AS_NONE)
}

/// Why a passthrough's action has no record.
#[derive(Debug)]
pub(crate) enum Cut {
    /// Its deadline passed first.
    Deadline,
    /// Its flow was aborted first.
    Failed(FlowError),
    /// It panicked.
    Panicked,
}

/// Limits and time-outs of an engine.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// How long a request through [`Engine::request`] waits for
    /// `Requesting.respond` (default 10 s). Over HTTP,
    /// `HttpConfig::request_timeout` (`REQUEST_TIMEOUT_MS`) applies instead.
    pub request_timeout: Duration,
    /// The most actions one flow may perform (default 10,000).
    pub max_flow_actions: usize,
    /// The longest cause chain in one flow (default 10,000).
    pub max_flow_depth: usize,
    /// The most flows that go on in tasks of their own at once (default
    /// 4,096): requests waiting for an action or a query, the rest of a
    /// flow after its answer, passthrough actions. A flow goes on to its end
    /// or deadline even when its client leaves, so clients that send
    /// requests and hang up could otherwise pile up work without bound; past
    /// this, a new request is refused at once ([`RequestError::Overloaded`],
    /// over HTTP a 503), before any of its actions run. (0 refuses every
    /// request.)
    pub max_waiting_flows: usize,
    /// How many finished flows to keep for debugging (default 0: none); see
    /// [`Engine::recent_flows`].
    pub trace_ring: usize,
    /// Whether static check findings, and allowances of findings the checks
    /// do not make, make [`EngineBuilder::build`] fail (default: they are
    /// logged as warnings).
    pub strict_checks: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            request_timeout: Duration::from_secs(10),
            max_flow_actions: 10_000,
            max_flow_depth: 10_000,
            max_waiting_flows: 4_096,
            trace_ring: 0,
            strict_checks: false,
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
    /// The type of each of `syncs`, to tell a sync registered twice from
    /// two syncs of one name.
    sync_types: Vec<TypeId>,
    entry_points: Vec<ActionRef>,
    /// Findings about the registered concepts themselves.
    concept_findings: Vec<Finding>,
    /// Findings the app says are meant.
    allowed_findings: Vec<Finding>,
    /// The first entry point that names no action, reported at build.
    unknown_entry_point: Option<BuildError>,
    config: EngineConfig,
    /// What [`EngineBuilder::request_timeout`] set: it holds whether it
    /// came before or after [`EngineBuilder::config`].
    request_timeout: Option<Duration>,
    /// What [`EngineBuilder::strict_checks`] set, likewise.
    strict_checks: Option<bool>,
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
        self.concept_findings.extend(checks::unknown_secrets::<C>());
        self
    }

    /// Registers a sync. Syncs triggered by the same action are tried in
    /// registration order.
    pub fn sync<S: Synchronization>(mut self, sync: S) -> Self {
        self.syncs.push(sync.compile());
        self.sync_types.push(TypeId::of::<S>());
        self
    }

    /// Declares that `C.action` is invoked from outside the syncs (by a
    /// timer, a test, [`Engine::invoke`]), so the syncs it triggers are not
    /// reported as never firing. A name that is no action of `C` fails
    /// [`EngineBuilder::build`] ([`BuildError::UnknownEntryPoint`]).
    pub fn entry_point<C: Concept>(mut self, action: &'static str) -> Self {
        if let Some(actions) = crate::concept::unknown_action::<C>(action) {
            self.unknown_entry_point
                .get_or_insert(BuildError::UnknownEntryPoint {
                    concept: C::NAME,
                    action,
                    actions,
                });
        }
        self.entry_points.push(ActionRef::of::<C>(action));
        self
    }

    /// Sets the limits and time-outs. [`EngineBuilder::request_timeout`]
    /// and [`EngineBuilder::strict_checks`] still decide their fields,
    /// whether called before or after it.
    pub fn config(mut self, config: EngineConfig) -> Self {
        self.config = config;
        self
    }

    /// Sets the time-out of [`Engine::request`] ([`EngineConfig::request_timeout`];
    /// the HTTP server has its own, `HttpConfig::request_timeout`).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// Accepts a finding of the static checks as meant: a check cannot see
    /// every intent (a guard that answers last on purpose, as a catch-all).
    /// It is then neither logged nor an error, and [`Engine::findings`]
    /// leaves it out. Give it as the check reports it (its `Debug` form,
    /// with `.to_owned()` on its text fields). A finding allowed that the
    /// checks do not make is logged as a warning, and is an error of
    /// [`EngineBuilder::build`] under [`EngineBuilder::strict_checks`], so
    /// allowances do not outlive their reason unseen.
    pub fn allow_finding(mut self, finding: Finding) -> Self {
        self.allowed_findings.push(finding);
        self
    }

    /// Makes static check findings errors of [`EngineBuilder::build`], and
    /// allowances ([`EngineBuilder::allow_finding`]) of findings the checks
    /// do not make.
    pub fn strict_checks(mut self, strict: bool) -> Self {
        self.strict_checks = Some(strict);
        self
    }

    /// Checks the syncs and builds the engine: every concept a sync uses must
    /// be registered, sync names must be unique, and the static checks
    /// ([`Engine::findings`], less those allowed) are logged as warnings, or
    /// fail the build with [`EngineBuilder::strict_checks`]
    /// ([`BuildError::Findings`]; a stale allowance first, as
    /// [`BuildError::AllowedFindingsNotMade`]).
    pub fn build(mut self) -> Result<Engine, BuildError> {
        if let Some(timeout) = self.request_timeout {
            self.config.request_timeout = timeout;
        }
        if let Some(strict) = self.strict_checks {
            self.config.strict_checks = strict;
        }
        if let Some(concept) = self.duplicate_concept {
            return Err(BuildError::DuplicateConcept(concept));
        }
        if let Some(unknown) = self.unknown_entry_point.take() {
            return Err(unknown);
        }
        self.registry.insert(Arc::new(Requesting));
        let mut names = HashMap::new();
        for (sync, sync_type) in self.syncs.iter().zip(&self.sync_types) {
            match names.insert(sync.name, sync_type) {
                Some(earlier) if earlier == sync_type => {
                    return Err(BuildError::SyncRegisteredTwice(sync.name))
                }
                Some(_) => return Err(BuildError::DuplicateSync(sync.name)),
                None => {}
            }
            let used = sync
                .when
                .iter()
                .map(|pattern| &pattern.action)
                .chain(&sync.queries)
                .chain(&sync.then);
            for action in used {
                if !self.registry.contains(action.concept) {
                    return Err(BuildError::MissingConcept {
                        sync: sync.name,
                        concept: action.concept_name,
                    });
                }
            }
        }
        let mut findings = std::mem::take(&mut self.concept_findings);
        findings.extend(checks::check(&self.syncs, &self.entry_points));
        let unused: Vec<&Finding> = self
            .allowed_findings
            .iter()
            .filter(|allowed| !findings.contains(allowed))
            .collect();
        if self.config.strict_checks && !unused.is_empty() {
            return Err(BuildError::AllowedFindingsNotMade(
                unused.into_iter().cloned().collect(),
            ));
        }
        for allowance in unused {
            tracing::warn!(%allowance, "a finding is allowed that the static checks do not make: remove the allowance");
        }
        findings.retain(|finding| !self.allowed_findings.contains(finding));
        if self.config.strict_checks && !findings.is_empty() {
            return Err(BuildError::Findings(findings));
        }
        for finding in &findings {
            tracing::warn!(%finding, "static check");
        }
        let dispatch = Dispatch::new(&self.syncs);
        Ok(Engine {
            inner: Arc::new(Inner {
                registry: Arc::new(self.registry),
                dispatch,
                findings,
                routes: routes_of(&self.syncs),
                recent: Mutex::new(VecDeque::with_capacity(self.config.trace_ring)),
                background: tokio_util::task::TaskTracker::new(),
                draining: tokio::sync::Mutex::new(()),
                refusing: std::sync::atomic::AtomicBool::new(false),
                refused: Mutex::new(VecDeque::new()),
                syncs: self.syncs,
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
    findings: Vec<Finding>,
    /// The routes the syncs name, sorted by template: why a request ended
    /// unanswered.
    routes: Vec<Route>,
    /// The last finished flows, if `trace_ring` > 0 (the only lock, taken once
    /// per finished flow, and only when enabled).
    recent: Mutex<VecDeque<Arc<FlowReport>>>,
    /// The flows running in tasks of their own (those that wait, and the
    /// rest of a cascade after its answer), so a shutdown can wait for them.
    background: tokio_util::task::TaskTracker,
    /// Held by a drain from closing `background` to reopening it: another
    /// drain reopening it in between would leave this one waiting for a
    /// close that never comes.
    draining: tokio::sync::Mutex<()>,
    /// Whether the last request was refused for too many waiting flows (so
    /// that an overload is logged once, not once per refused request).
    refusing: std::sync::atomic::AtomicBool,
    /// The latest refused second answers, of flows that ended (a lock
    /// taken only at the end of a flow that has one).
    refused: Mutex<VecDeque<RefusedAnswer>>,
}

/// How many refused answers [`Engine::refused_answers`] keeps: the latest.
const REFUSED_ANSWERS_KEPT: usize = 64;

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
        syncs: crate::flow::Triggered,
        next: usize,
        depth: usize,
    },
}

/// A cascade's pending work; a request's rarely holds more than a few tasks.
type Stack = smallvec::SmallVec<[Task; 4]>;

/// How a run of a cascade ended.
enum Ended {
    /// The flow's request was answered; the cascade may have work left.
    Answered,
    /// Nothing is left to do.
    Finished,
}

/// A flow and the work its cascade still has to do: owned, so the cascade
/// can stop when its request is answered and go on in another task.
struct Cascade {
    flow: Flow,
    stack: Stack,
    /// The request the root `Requesting.request` creates, if any.
    new_request: Option<RequestId>,
    /// A passthrough's flow: answered once its root action's record is
    /// filed (its outcome is the answer), as a request's is by its respond.
    answered_by_root: bool,
}

impl Cascade {
    /// What is left where a cascade was moved out to go on elsewhere.
    fn spent() -> Cascade {
        Cascade {
            flow: Flow::spent(),
            stack: Stack::new(),
            new_request: None,
            answered_by_root: false,
        }
    }

    fn new(root: Invocation) -> Cascade {
        Cascade {
            flow: Flow::new(),
            stack: smallvec::smallvec![Task::Invoke {
                invocation: root,
                cause: None,
                depth: 0,
            }],
            new_request: None,
            answered_by_root: false,
        }
    }
}

/// What was running when a request timed out, for its explanation.
fn running(flow: &Flow) -> Option<String> {
    flow.running.map(|(concept, action, sync)| match (concept, sync) {
        ("sync", _) => format!("The where-queries of sync {action}"),
        (_, Some(sync)) => format!("{concept}.{action} (invoked by sync {sync})"),
        (_, None) => format!("{concept}.{action}"),
    })
}

/// What was running when a flow panicked: an action, or a sync's `where`
/// steps (a guard's `unwrap`, say), which are the user's code too.
fn panicked_in(flow: &Flow) -> String {
    match flow.running {
        Some(("sync", sync, _)) => format!("sync {sync} (its `where` steps, or a query they ran)"),
        Some((concept, action, Some(sync))) => {
            format!("the action {concept}.{action} (invoked by sync {sync})")
        }
        Some((concept, action, None)) => format!("the action {concept}.{action}"),
        None => "an action".to_owned(),
    }
}

/// A panic's message, when it is text (as `panic!` and `unwrap` make it).
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not text)")
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

    /// The routes the syncs name, sorted by template.
    pub(crate) fn routes(&self) -> &[Route] {
        &self.inner.routes
    }

    /// Why a request to `path` with `fields` that ended unanswered got no
    /// answer, if the request is the reason: no sync names its path, a
    /// sync that starts on the path could not start on its fields, or only
    /// guards took its method. `None` leaves it an app's gap
    /// ([`RequestError::Unanswered`]).
    fn refusal(&self, path: &str, fields: &Fields, explanation: &str) -> Option<RequestError> {
        let routes = &self.inner.routes;
        let Ok(at) = routes.binary_search_by(|route| route.template.as_str().cmp(path)) else {
            return Some(RequestError::NotFound {
                path: path.to_owned(),
                explanation: explanation.to_owned(),
            });
        };
        let route = &routes[at];
        let method = fields.get("method").and_then(Value::as_str);
        match route.check(method.unwrap_or_default(), fields) {
            Ok(()) => None,
            Err(Refusal::InvalidFields { problems, taken }) => {
                if taken {
                    // Reported as the client's mistake, it may also be the
                    // app's: say what the sync that took it did, at debug
                    // level, since any client can send such requests (the
                    // explanation is in the error too).
                    tracing::debug!(
                        path,
                        ?problems,
                        "a sync took the request and did not answer, and another could not start on it: \
                         answered as invalid fields\n{explanation}"
                    );
                }
                Some(RequestError::InvalidFields {
                    path: path.to_owned(),
                    problems,
                    explanation: explanation.to_owned(),
                })
            }
            Err(Refusal::MethodNotAllowed { allowed }) => Some(RequestError::MethodNotAllowed {
                path: path.to_owned(),
                method: method.map(str::to_owned),
                allowed,
                explanation: explanation.to_owned(),
            }),
        }
    }

    /// What the static checks found when the engine was built, less the
    /// findings allowed ([`EngineBuilder::allow_finding`]).
    pub fn findings(&self) -> &[Finding] {
        &self.inner.findings
    }

    /// The sync graph, for drawing (Mermaid or Graphviz DOT).
    pub fn graph(&self) -> SyncGraph {
        SyncGraph::new(&self.inner.syncs)
    }

    /// The last finished flows, oldest first (empty unless
    /// [`EngineConfig::trace_ring`] is set).
    pub fn recent_flows(&self) -> Vec<Arc<FlowReport>> {
        self.inner
            .recent
            .lock()
            .map(|recent| recent.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The second answers refused in flows that ended (the latest 64, oldest
    /// first): each is two syncs answering one request, which the first
    /// answer hides from a test that checks only the answer. End a test
    /// with `engine.drain().await` (the rest of a cascade runs after its
    /// answer) and `assert_eq!(engine.refused_answers(), [])`.
    pub fn refused_answers(&self) -> Vec<RefusedAnswer> {
        self.inner
            .refused
            .lock()
            .map(|refused| refused.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Waits until every flow running in the background has ended: flows
    /// whose actions wait, which go on even if their caller stopped waiting,
    /// and the rest of a cascade after its request was answered. Each ends
    /// by its request's deadline at the latest. [`HttpServer`] calls this
    /// when it shuts down, after its connections closed.
    ///
    /// [`HttpServer`]: crate::http::HttpServer
    pub async fn drain(&self) {
        let _alone = self.inner.draining.lock().await;
        let background = &self.inner.background;
        background.close();
        background.wait().await;
        // Open again: the engine stays usable (a test, another server).
        background.reopen();
    }

    /// Whether as many flows wait as [`EngineConfig::max_waiting_flows`]
    /// allows: a new request is refused before it starts.
    pub(crate) fn overloaded(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        let waiting = self.inner.background.len();
        let overloaded = waiting >= self.inner.config.max_waiting_flows;
        // Said once when refusing starts, and once when it ends: a line per
        // refused request would flood the log just when it matters. It ends
        // below nine tenths of the limit, so that a load at the limit does
        // not say both at every flow that ends.
        let refusing = self.inner.refusing.load(Relaxed);
        if overloaded && !refusing && !self.inner.refusing.swap(true, Relaxed) {
            tracing::warn!(
                waiting,
                "too many flows waiting: refusing new requests until some end"
            );
        } else if refusing
            && waiting < self.inner.config.max_waiting_flows - self.inner.config.max_waiting_flows / 10
            && self.inner.refusing.swap(false, Relaxed)
        {
            tracing::info!(
                waiting,
                "flows waiting well below the limit again: taking requests"
            );
        }
        overloaded
    }

    /// Runs a flow in a task of its own that [`Engine::drain`] waits for.
    pub(crate) fn spawn_flow<F>(&self, flow: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.inner.background.spawn(flow)
    }

    /// The registered instance of concept `C`.
    pub fn concept<C: Concept>(&self) -> Option<Arc<C>> {
        self.inner.registry.get_arc::<C>()
    }

    /// Invokes an action from outside (a test, a timer): it starts a new flow,
    /// which runs to its end before this returns. Like a direct call, it has
    /// no time-out (wrap it in `tokio::time::timeout`) and a panicking action
    /// unwinds into the caller; [`Engine::request`] and the HTTP server
    /// apply both limits.
    ///
    /// It takes a value of a concept's action enum, e.g.
    /// `ClockAction::tick {}`.
    // Not an `async fn`, and a boxed future: its type does not name `A`, so
    // a value that is not an action is one compile error at the argument,
    // not two more at the call and at its `.await`.
    pub fn invoke<A: ConceptAction>(&self, action: A) -> BoxFuture<'_, Result<FlowReport, FlowError>> {
        Box::pin(self.invoke_now(action.into_invocation()))
    }

    async fn invoke_now(&self, invocation: Invocation) -> Result<FlowReport, FlowError> {
        let mut cascade = Cascade::new(invocation);
        let span = tracing::debug_span!("flow", flow = %cascade.flow.id);
        let outcome = self.run(&mut cascade, false).instrument(span).await;
        if outcome.is_ok() {
            log_dropped_errors(&cascade.flow);
        }
        self.keep_refused(&cascade.flow);
        let report = FlowReport {
            flow: cascade.flow.id,
            records: cascade.flow.records.into_vec(),
        };
        if self.inner.config.trace_ring > 0 {
            self.keep_recent(FlowReport {
                flow: report.flow,
                records: report.records.clone(),
            });
        }
        outcome.map(|_| report)
    }

    /// Invokes an action for a passthrough route, and returns once its
    /// record is filed (its outcome is the answer: the action happened,
    /// whatever its syncs then do); the rest of its flow goes on in a task
    /// of its own, to its end or `deadline`. Without the record: why not.
    pub(crate) async fn invoke_answering(
        &self,
        invocation: Invocation,
        deadline: tokio::time::Instant,
    ) -> Result<Arc<Record>, Cut> {
        let mut cascade = Cascade::new(invocation);
        cascade.answered_by_root = true;
        let span = tracing::debug_span!("flow", flow = %cascade.flow.id);
        let run = AssertUnwindSafe(self.run(&mut cascade, true)).catch_unwind();
        let outcome = tokio::time::timeout_at(deadline, run)
            .instrument(span.clone())
            .await;
        let record = cascade.flow.records.first().cloned();
        let cut = match outcome {
            Ok(Ok(Ok(Ended::Answered))) => {
                if let Some(record) = record {
                    self.go_on_after_answer(&mut cascade, deadline, span);
                    return Ok(record);
                }
                Cut::Failed(FlowError::Internal {
                    action: "passthrough".to_owned(),
                    error: InternalError::new("the flow stopped as answered, without the action's record"),
                })
            }
            Ok(Ok(Ok(Ended::Finished))) => match record {
                Some(record) => {
                    self.finish(&mut cascade.flow);
                    return Ok(record);
                }
                None => Cut::Failed(FlowError::Internal {
                    action: "passthrough".to_owned(),
                    error: InternalError::new("the action left no record"),
                }),
            },
            Ok(Ok(Err(error))) => Cut::Failed(error),
            Ok(Err(_panic)) => Cut::Panicked,
            Err(_elapsed) => Cut::Deadline,
        };
        self.finish(&mut cascade.flow);
        // A record filed before a failure is still the answer.
        record.ok_or(cut)
    }

    /// Sends a request: records `Requesting.request (path, ...fields)` in a new
    /// flow and waits for the `Requesting.respond` that answers it.
    ///
    /// `body` must be a JSON object (its fields become the request's fields)
    /// or `null` (no fields). Answers at once with
    /// [`RequestError::Unanswered`] if the flow ends without a response
    /// ([`RequestError::InvalidFields`] when a sync of the path could not
    /// start on its fields), and with [`RequestError::Timeout`]
    /// after the configured time-out; each says why.
    pub async fn request(&self, path: impl Into<String>, body: Value) -> Result<Response, RequestError> {
        self.request_with_timeout(path, body, self.inner.config.request_timeout)
            .await
    }

    /// [`Engine::request`] with its own time-out.
    ///
    /// The flow's steps that complete at once run in the caller's task; from
    /// the first step that waits (an action, a `where` query), the flow runs
    /// in a task of its own, which goes on to the flow's end or its deadline
    /// even if the caller stops waiting. The answer goes out as soon as its
    /// `respond` is recorded: whatever the cascade still has to do after it
    /// (actions, syncs whose `where` queries must wait) runs in the
    /// background too ([`Engine::drain`] waits for both). A panic in an
    /// action fails only this request.
    /// Actions must not block their thread: the time-out is a timer, and
    /// cannot interrupt a thread that never yields.
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
        let deadline = deadline_after(timeout);
        let answer = self.run_request(path.into(), fields, deadline, timeout).await;
        answer.inspect_err(|error| {
            if let RequestError::Unanswered { explanation } = error {
                tracing::warn!("a request's flow ended without responding\n{explanation}");
            }
        })
    }

    /// Runs a request. Only one that ends unanswered is checked against the
    /// syncs of its path, to say which field one of them could not start on:
    /// the requests that are answered pay nothing for the check.
    ///
    /// The request is answered by `deadline`, counted by the caller from the
    /// request's arrival; `timeout` is that time, for the messages.
    pub(crate) async fn run_request(
        &self,
        path: String,
        fields: Fields,
        deadline: tokio::time::Instant,
        timeout: Duration,
    ) -> Result<Response, RequestError> {
        if self.overloaded() {
            return Err(RequestError::Overloaded);
        }
        let request = RequestId::next();
        // At debug, as tower-http's request spans: at the usual info level a span
        // per request would cost a third of the engine's throughput and print
        // nothing (the warnings and errors below name their flow).
        let span = tracing::debug_span!("flow", %request, %path);
        let mut cascade = Cascade::new(Invocation::requesting(RequestingAction::request { path, fields }));
        cascade.flow.pending = Some(request);
        cascade.new_request = Some(request);
        // The steps that complete at once run here, without a future or a
        // timer: a flow whose actions never wait ends in them. One that waits
        // goes on as a future, under the deadline counted from arrival.
        let mut slots = Vec::new();
        let first = {
            let _entered = span.enter();
            std::panic::catch_unwind(AssertUnwindSafe(|| self.step(&mut cascade, true, &mut slots)))
        };
        let outcome = match first {
            Ok(Ok(Stop::Ended(ended))) => Ok(Ok(Ok(ended))),
            Ok(Ok(stop)) => {
                // A flow that waits (for an action or a query) goes on in a
                // task of its own: it runs to its end, or its deadline, even
                // if the caller stops waiting for the answer. A client that
                // hangs up mid-flow must not leave half of its actions done.
                let engine = self.clone();
                let (answer, answered) = tokio::sync::oneshot::channel();
                let flow = async move {
                    let rest = engine.resume(&mut cascade, stop, true, slots);
                    let outcome =
                        tokio::time::timeout_at(deadline, AssertUnwindSafe(rest).catch_unwind()).await;
                    let span = tracing::Span::current();
                    match answer.send(engine.conclude(&mut cascade, outcome, deadline, timeout, span)) {
                        Ok(()) => {}
                        // Nobody to tell: say it here (`conclude` leaves an
                        // unanswered request to its caller to report).
                        Err(Err(RequestError::Unanswered { explanation })) => tracing::warn!(
                            "a request's flow ended without responding, after its caller left\n{explanation}"
                        ),
                        Err(_) => tracing::debug!("a request's flow ended after its caller left"),
                    }
                };
                self.spawn_flow(flow.instrument(span));
                return answered.await.unwrap_or_else(|_| {
                    tracing::error!("a request's flow task ended without concluding");
                    Err(RequestError::Panicked {
                        what: "the flow's task".to_owned(),
                    })
                });
            }
            Ok(Err(error)) => Ok(Ok(Err(error))),
            Err(panic) => Ok(Err(panic)),
        };
        self.conclude(&mut cascade, outcome, deadline, timeout, span)
    }

    /// Ends a request's run of its flow: its answer, or why it has none. The
    /// rest of the cascade, if any, goes on in the background.
    // The cascade is borrowed: it is over a kilobyte, and a move, even into
    // an inlined call, copies it. Inlined into its two callers, which it
    // ends.
    #[inline(always)]
    fn conclude(
        &self,
        cascade: &mut Cascade,
        outcome: Result<std::thread::Result<Result<Ended, FlowError>>, tokio::time::error::Elapsed>,
        deadline: tokio::time::Instant,
        timeout: Duration,
        span: tracing::Span,
    ) -> Result<Response, RequestError> {
        // A request answered before its flow failed keeps its answer; the
        // failure is only logged.
        let completed = matches!(outcome, Ok(Ok(Ok(_))));
        if !completed {
            if let Some(answer) = cascade.flow.answer.take() {
                tracing::error!(flow = %cascade.flow.id, "the flow failed after its request was answered");
                self.finish(&mut cascade.flow);
                return Ok(answer.into_response());
            }
        }
        let outcome = match outcome {
            Err(_elapsed) => {
                let explanation = crate::explain::explain(
                    &cascade.flow,
                    &self.inner.syncs,
                    running(&cascade.flow).as_deref(),
                );
                tracing::warn!(flow = %cascade.flow.id, "request timed out\n{explanation}");
                self.finish(&mut cascade.flow);
                return Err(RequestError::Timeout {
                    after: timeout,
                    explanation,
                });
            }
            Ok(Err(panic)) => {
                let what = panicked_in(&cascade.flow);
                tracing::error!(
                    flow = %cascade.flow.id,
                    panic = panic_message(panic.as_ref()),
                    "{what} panicked: the flow is dropped",
                );
                self.finish(&mut cascade.flow);
                return Err(RequestError::Panicked { what });
            }
            Ok(Ok(outcome)) => outcome,
        };
        match outcome {
            Err(error) => {
                tracing::error!(flow = %cascade.flow.id, %error, "flow aborted");
                self.finish(&mut cascade.flow);
                Err(RequestError::Flow(error))
            }
            Ok(Ended::Finished) => {
                let explanation = crate::explain::explain(&cascade.flow, &self.inner.syncs, None);
                let refusal =
                    cascade
                        .flow
                        .records
                        .first()
                        .and_then(|record| match record.typed::<Requesting>() {
                            Some((RequestingAction::request { path, fields }, _)) => {
                                self.refusal(path, fields, &explanation)
                            }
                            _ => None,
                        });
                self.finish(&mut cascade.flow);
                match refusal {
                    // The client's mistake (a field missing, a path no sync
                    // names): its explanation is for debugging the client.
                    Some(refusal) => {
                        tracing::debug!(
                            flow = %cascade.flow.id,
                            "flow ended without responding, the request refused\n{explanation}"
                        );
                        Err(refusal)
                    }
                    // The app's gap: the caller warns, with the explanation.
                    None => Err(RequestError::Unanswered { explanation }),
                }
            }
            Ok(Ended::Answered) => {
                let answer = cascade.flow.answer.take();
                self.go_on_after_answer(cascade, deadline, span);
                answer.map(Answer::into_response).ok_or_else(|| {
                    let error = InternalError::new("the flow stopped as answered, without an answer");
                    let flow = FlowError::Internal {
                        action: "Requesting.respond".to_owned(),
                        error,
                    };
                    RequestError::Flow(flow)
                })
            }
        }
    }

    /// Ends an answered flow at once if nothing is left of its cascade, else
    /// runs the rest in the background: the cascade is then moved out, and
    /// the caller's is left empty (its flow `flow-0`, with no records).
    // Borrowed, so that a flow with nothing left (most) ends in place: the
    // cascade is moved out only to go on in a task.
    fn go_on_after_answer(&self, cascade: &mut Cascade, deadline: tokio::time::Instant, span: tracing::Span) {
        if cascade.stack.is_empty() {
            log_dropped_errors(&cascade.flow);
            self.finish(&mut cascade.flow);
        } else {
            let rest = std::mem::replace(cascade, Cascade::spent());
            self.go_on_in_background(rest, deadline, span);
        }
    }

    /// Runs the rest of an answered flow's cascade in a task of its own, under
    /// the flow's deadline too (a hung action after the answer must not keep
    /// its flow forever).
    fn go_on_in_background(&self, mut cascade: Cascade, deadline: tokio::time::Instant, span: tracing::Span) {
        let engine = self.clone();
        self.spawn_flow(
            async move {
                let rest = AssertUnwindSafe(engine.run(&mut cascade, false)).catch_unwind();
                match tokio::time::timeout_at(deadline, rest).await {
                    Ok(Ok(Ok(_))) => log_dropped_errors(&cascade.flow),
                    Ok(Ok(Err(error))) => {
                        tracing::error!(flow = %cascade.flow.id, %error, "flow aborted after its answer")
                    }
                    Ok(Err(panic)) => tracing::error!(
                        flow = %cascade.flow.id,
                        panic = panic_message(panic.as_ref()),
                        "{} panicked after the flow's answer",
                        panicked_in(&cascade.flow)
                    ),
                    Err(_) => {
                        let explanation = crate::explain::explain(
                            &cascade.flow,
                            &engine.inner.syncs,
                            running(&cascade.flow).as_deref(),
                        );
                        tracing::warn!(
                            flow = %cascade.flow.id,
                            "flow cut at its deadline after its answer\n{explanation}"
                        );
                    }
                }
                engine.finish(&mut cascade.flow);
            }
            .instrument(span),
        );
    }

    /// Ends a flow: its records go to the trace ring if enabled, else are
    /// dropped here (so that the answer's record is no longer shared); its
    /// refused answers, if any, to [`Engine::refused_answers`]. The flow is
    /// borrowed, not moved: it is large, and dropped in place later.
    fn finish(&self, flow: &mut Flow) {
        self.keep_refused(flow);
        let records = std::mem::take(&mut flow.records);
        if self.inner.config.trace_ring > 0 {
            self.keep_recent(FlowReport {
                flow: flow.id,
                records: records.into_vec(),
            });
        }
    }

    /// Keeps a finished flow's refused answers, if it has any, dropping the
    /// oldest beyond [`REFUSED_ANSWERS_KEPT`].
    fn keep_refused(&self, flow: &Flow) {
        let refused = RefusedAnswer::of_flow(flow);
        if refused.is_empty() {
            return;
        }
        keep_latest(&self.inner.refused, refused, REFUSED_ANSWERS_KEPT);
    }

    /// Puts a finished flow in the trace ring, dropping the oldest if full.
    fn keep_recent(&self, report: FlowReport) {
        let capacity = self.inner.config.trace_ring;
        keep_latest(&self.inner.recent, [Arc::new(report)], capacity);
    }

    /// Runs a flow's cascade depth-first: an invoked action completes, and
    /// the syncs it triggers run (in registration order, each with its `then`
    /// actions and their cascades), before the next action is invoked. With
    /// `until_answered`, returns once the flow's request is answered and the
    /// evaluations that complete at once, up to the first that must wait,
    /// are done; further actions and evaluations stay on the stack.
    ///
    /// The steps that complete at once (most of them) run in [`Engine::step`],
    /// a plain function; this one only awaits what must wait (an action that
    /// suspends, a sync's `where` queries), then goes on.
    async fn run(&self, cascade: &mut Cascade, until_answered: bool) -> Result<Ended, FlowError> {
        let mut slots: Vec<PatternSlot> = Vec::new();
        let stop = self.step(cascade, until_answered, &mut slots)?;
        self.resume(cascade, stop, until_answered, slots).await
    }

    /// Goes on with a cascade from where [`Engine::step`] stopped: awaits the
    /// step that waits, then steps on.
    async fn resume(
        &self,
        cascade: &mut Cascade,
        mut stop: Stop,
        until_answered: bool,
        mut slots: Vec<PatternSlot>,
    ) -> Result<Ended, FlowError> {
        loop {
            match stop {
                Stop::Ended(ended) => return Ok(ended),
                Stop::Action {
                    future,
                    concept,
                    action,
                    depth,
                } => {
                    let record = future
                        .await
                        .map_err(|error| action_failed(concept, action, error))?;
                    self.file(cascade, record, depth, &mut slots);
                }
                Stop::Queries { sync_index, depth } => {
                    // The candidates are looked up again: `step`'s borrow of
                    // the flow ends when it returns (they are still there).
                    let inner = &*self.inner;
                    let sync = &inner.syncs[sync_index as usize];
                    let flow = &mut cascade.flow;
                    let evaluation = match flow.candidates(sync_index, sync.when.len()) {
                        None => None,
                        Some(candidates) => {
                            let input = EvalInput {
                                candidates,
                                records: &flow.records,
                                registry: &inner.registry,
                            };
                            Some(match &sync.eval {
                                Eval::Later(eval) => eval(input).await,
                                Eval::Now(eval) => eval(input),
                            })
                        }
                    };
                    if let Some(mut evaluation) = evaluation {
                        fire(flow, sync, sync_index, &mut evaluation, depth, &mut cascade.stack)?;
                    }
                }
            }
            if until_answered && answered(cascade, &self.inner.syncs) {
                return Ok(Ended::Answered);
            }
            stop = self.step(cascade, until_answered, &mut slots)?;
        }
    }

    /// Runs the cascade's steps that complete at once, until it ends, is
    /// answered (with `until_answered`), or reaches a step that must wait.
    fn step(
        &self,
        cascade: &mut Cascade,
        until_answered: bool,
        slots: &mut Vec<PatternSlot>,
    ) -> Result<Stop, FlowError> {
        let inner = &*self.inner;
        // The top task is looked at in place: an evaluation stays on the
        // stack, its next sync noted, until its last sync is taken (moving
        // it off and back on for each sync costs more than the evaluation's
        // bookkeeping). Actions a sync fires go above it, and run first.
        while let Some(task) = cascade.stack.last_mut() {
            match task {
                Task::Invoke { .. } => {
                    let Some(Task::Invoke {
                        invocation,
                        cause,
                        depth,
                    }) = cascade.stack.pop()
                    else {
                        continue;
                    };
                    let flow = &mut cascade.flow;
                    self.check_budget(flow, cause.as_ref(), depth)?;
                    match self.perform(flow, invocation, cause, cascade.new_request.take()) {
                        Performing::Done(record) => self.file(cascade, record?, depth, slots),
                        Performing::Waiting {
                            future,
                            concept,
                            action,
                        } => {
                            return Ok(Stop::Action {
                                future,
                                concept,
                                action,
                                depth,
                            })
                        }
                    }
                }
                Task::Evaluate { syncs, next, depth } => {
                    let (sync_index, depth) = (syncs[*next], *depth);
                    let sync = &inner.syncs[sync_index as usize];
                    *next += 1;
                    if *next == syncs.len() {
                        cascade.stack.pop();
                    }
                    let flow = &mut cascade.flow;
                    flow.running = Some(("sync", sync.name, None));
                    'evaluate: {
                        // A sync with a pattern no record fills cannot match.
                        let Some(candidates) = flow.candidates(sync_index, sync.when.len()) else {
                            break 'evaluate;
                        };
                        let Eval::Now(eval) = &sync.eval else {
                            return Ok(Stop::Queries { sync_index, depth });
                        };
                        // Fired where it is made: moving it (a few hundred
                        // bytes) costs as much as firing it.
                        let mut evaluation = eval(EvalInput {
                            candidates,
                            records: &flow.records,
                            registry: &inner.registry,
                        });
                        fire(flow, sync, sync_index, &mut evaluation, depth, &mut cascade.stack)?;
                    }
                }
            }
            // Once answered, the evaluations left over that complete at once
            // are finished here (usually none fires); new actions, and
            // evaluations that must wait, are left on the stack.
            if until_answered && answered(cascade, &inner.syncs) {
                return Ok(Stop::Ended(Ended::Answered));
            }
        }
        Ok(Stop::Ended(Ended::Finished))
    }

    /// Files a new record under the patterns it may fill, and stacks the
    /// evaluation of the syncs it triggers.
    fn file(&self, cascade: &mut Cascade, record: Arc<Record>, depth: usize, slots: &mut Vec<PatternSlot>) {
        tracing::debug!(
            sync = record.cause.as_ref().map(|cause| cause.sync).unwrap_or("-"),
            "{record}"
        );
        cascade.flow.errors |= record.is_error();
        let routed = self.inner.dispatch.route(&record, slots);
        let triggered = cascade.flow.add(record, routed);
        if !triggered.is_empty() {
            cascade.stack.push(Task::Evaluate {
                syncs: triggered,
                next: 0,
                depth,
            });
        }
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

    /// Performs one action and makes its record, at once if the action
    /// cannot wait. `Requesting`'s actions are performed here, since they
    /// need the flow's pending requests.
    fn perform(
        &self,
        flow: &mut Flow,
        invocation: Invocation,
        cause: Option<Cause>,
        new_request: Option<RequestId>,
    ) -> Performing {
        let header = RecordHeader {
            id: flow.next_record_id(),
            flow: flow.id,
            cause,
        };
        let pending = match invocation.0 {
            Pending::Requesting(action) => {
                return Performing::Done(Ok(perform_requesting(flow, action, header, new_request)))
            }
            Pending::Concept(pending) => pending,
        };
        // `Invocation::new::<Requesting>` boxes a `Requesting` action too.
        if pending.concept_type() == TypeId::of::<Requesting>() {
            let action = pending
                .into_any()
                .downcast::<crate::sync::Typed<Requesting>>()
                .map(|typed| typed.action)
                .map_err(|_| FlowError::Internal {
                    action: "Requesting".into(),
                    error: InternalError::new("Requesting invocation holds another concept's action"),
                });
            return Performing::Done(
                action.map(|action| perform_requesting(flow, action, header, new_request)),
            );
        }
        let (concept, action) = (pending.concept_name(), pending.action_name());
        flow.running = Some((concept, action, header.cause.as_ref().map(|cause| cause.sync)));
        match pending.perform(&self.inner.registry, header) {
            Performed::Now(record) => {
                Performing::Done(record.map_err(|error| action_failed(concept, action, error)))
            }
            Performed::Later(future) => Performing::Waiting {
                future,
                concept,
                action,
            },
        }
    }
}

/// An action's internal failure, which aborts its flow.
fn action_failed(concept: &str, action: &str, error: InternalError) -> FlowError {
    FlowError::Internal {
        action: format!("{concept}.{action}"),
        error,
    }
}

/// Where [`Engine::step`] stopped.
enum Stop {
    Ended(Ended),
    /// An action suspended: its record comes from `future`.
    Action {
        future: futures_util::future::BoxFuture<'static, Result<Arc<Record>, InternalError>>,
        concept: &'static str,
        action: &'static str,
        depth: usize,
    },
    /// A sync whose `where` queries await is next.
    Queries {
        sync_index: u32,
        depth: usize,
    },
}

/// Whether the flow's request is answered and its answer can go out: the
/// next task is not an evaluation that completes at once (finished first,
/// since that costs less than a task). An answer waits for no `where`
/// query: an evaluation that must wait runs after it, in the background.
fn answered(cascade: &Cascade, syncs: &[CompiledSync]) -> bool {
    (cascade.flow.answer.is_some() || (cascade.answered_by_root && !cascade.flow.records.is_empty()))
        && match cascade.stack.last() {
            Some(Task::Evaluate {
                syncs: triggered,
                next,
                ..
            }) => matches!(syncs[triggered[*next] as usize].eval, Eval::Later(_)),
            _ => true,
        }
}

/// An action performed at once, or the future of one that waits.
enum Performing {
    Done(Result<Arc<Record>, FlowError>),
    Waiting {
        future: futures_util::future::BoxFuture<'static, Result<Arc<Record>, InternalError>>,
        concept: &'static str,
        action: &'static str,
    },
}

/// Takes a sync's evaluation: if it fires, consumes its records and stacks
/// its `then` actions so that they run next, in order.
fn fire(
    flow: &mut Flow,
    sync: &CompiledSync,
    sync_index: u32,
    evaluation: &mut Result<crate::sync::Evaluation, InternalError>,
    depth: usize,
    stack: &mut Stack,
) -> Result<(), FlowError> {
    // Borrowed, not moved: see the callers.
    let evaluation = match evaluation {
        Ok(evaluation) => evaluation,
        Err(error) => {
            return Err(FlowError::Internal {
                action: format!("sync {}", sync.name),
                error: std::mem::replace(error, InternalError::new(String::new())),
            })
        }
    };
    tracing::trace!(sync = sync.name, frames = ?evaluation.frames, "evaluated (frames after when, then after each where step)");
    flow.evaluated(sync_index, std::mem::take(&mut evaluation.frames));
    let firings = &mut evaluation.firings;
    if firings.is_empty() {
        return Ok(());
    }
    // Fire once: the records are consumed before the `then` actions run,
    // so nothing they cause can reuse them here.
    for firing in firings.iter() {
        flow.consume(sync_index, sync.when.len(), &firing.records);
    }
    // Stacked last firing first, last action first, so that they run in
    // order; popped rather than iterated, which moves one item at a time.
    while let Some(firing) = firings.pop() {
        let mut actions = firing.actions;
        let mut cause = Some(Cause {
            sync: sync.name,
            records: firing.records,
        });
        while let Some(invocation) = actions.pop() {
            // The first action (pushed last) takes the cause itself.
            let cause = match actions.is_empty() {
                true => cause.take(),
                false => cause.clone(),
            };
            stack.push(Task::Invoke {
                invocation,
                cause,
                depth: depth + 1,
            });
        }
    }
    Ok(())
}

/// Performs one of `Requesting`'s actions: a request gets its id (only
/// the one that starts the flow may), a respond answers the flow's
/// request (once).
fn perform_requesting(
    flow: &mut Flow,
    action: RequestingAction,
    header: RecordHeader,
    new_request: Option<RequestId>,
) -> Arc<Record> {
    let mut answers = false;
    let outcome = match &action {
        RequestingAction::request { .. } => RequestingOutcome::request(match new_request {
            Some(request) => Ok(Requested { request }),
            None => Err(ErrorOutcome {
                error: "Requesting.request can only be invoked by an arriving request".into(),
            }),
        }),
        RequestingAction::respond { request, .. } => {
            let by = header.cause.as_ref().map(|cause| cause.sync);
            let outcome = respond(flow, *request, by);
            answers = outcome.is_ok();
            RequestingOutcome::respond(outcome)
        }
    };
    let record = header.seal_typed::<Requesting>(action, outcome);
    if answers {
        flow.answer = Some(Answer(record.clone()));
    }
    record
}

/// Accepts a `respond` to `request` (by the sync `by`) if the flow's request
/// is still waiting for it; refuses a second one. The warning names both
/// syncs, the one refused and the one that answered: two syncs answering
/// one request is a mistake in the syncs. (The refused `respond`'s record,
/// an error, is read again at the flow's end for
/// [`Engine::refused_answers`].)
fn respond(flow: &mut Flow, request: RequestId, by: Option<&'static str>) -> Result<(), ErrorOutcome> {
    if flow.accept_answer(request, by) {
        return Ok(());
    }
    tracing::warn!(
        flow = %flow.id,
        %request,
        refused_sync = by.unwrap_or(INVOKED_DIRECTLY),
        answered_by = flow.answered_by.unwrap_or(INVOKED_DIRECTLY),
        "{}",
        RefusedAnswer::in_flow(flow, request, by)
    );
    Err(ErrorOutcome {
        error: format!("{request} was already answered, or is not pending in this flow"),
    })
}

/// Adds `items` to a ring of at most `capacity`, dropping its oldest.
fn keep_latest<T>(ring: &Mutex<VecDeque<T>>, items: impl IntoIterator<Item = T>, capacity: usize) {
    if let Ok(mut ring) = ring.lock() {
        ring.extend(items);
        let over = ring.len().saturating_sub(capacity);
        ring.drain(..over);
    }
}

/// How a `respond` given by no sync is named where a sync would be.
const INVOKED_DIRECTLY: &str = "(none: invoked directly)";

/// An answer refused: a second `respond` to a request (two syncs answered
/// it, or one sync did, firing on several frames), or one to a request
/// that is not its flow's; a mistake in the syncs that the request's first
/// answer hides. Logged as a warning when it happens, and kept, when its
/// flow ends, for [`Engine::refused_answers`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefusedAnswer {
    /// The request's flow.
    pub flow: FlowId,
    /// The request.
    pub request: RequestId,
    /// The sync whose answer was refused (`None`: a `respond` invoked
    /// directly, with [`Engine::invoke`]).
    pub refused_sync: Option<&'static str>,
    /// The sync whose answer stands (`None`: one invoked directly, or no
    /// answer, for a `respond` to a request that is not the flow's).
    pub answered_by: Option<&'static str>,
    /// The actions the flow ran after its answer, to its end
    /// (`Concept.action (by Sync)`, the first eight; the warning logged at
    /// the refusal names those up to it): among them, the side effects of
    /// a sync that went on with a request another sync turned away.
    pub acted_after: Vec<String>,
}

impl RefusedAnswer {
    /// The refusal of `by`'s answer to `request` in `flow`, as the flow
    /// stands.
    fn in_flow(flow: &Flow, request: RequestId, by: Option<&'static str>) -> RefusedAnswer {
        RefusedAnswer {
            flow: flow.id,
            request,
            refused_sync: by,
            answered_by: flow.answered_by,
            acted_after: acted_after_answer(flow),
        }
    }

    /// The refused answers of a flow that ended: its `respond` records
    /// that ended in an error (a flow without errors has none).
    fn of_flow(flow: &Flow) -> Vec<RefusedAnswer> {
        if !flow.errors {
            return Vec::new();
        }
        flow.records
            .iter()
            .filter(|record| record.is_error())
            .filter_map(|record| match record.typed::<Requesting>()? {
                (RequestingAction::respond { request, .. }, _) => Some(RefusedAnswer::in_flow(
                    flow,
                    *request,
                    record.cause.as_ref().map(|cause| cause.sync),
                )),
                _ => None,
            })
            .collect()
    }
}

impl fmt::Display for RefusedAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refused a second respond to a request (the first one stands), by {} after {}",
            self.refused_sync.unwrap_or(INVOKED_DIRECTLY),
            self.answered_by.unwrap_or(INVOKED_DIRECTLY)
        )?;
        // One sync answering twice fired on several frames: say what
        // gathers them.
        if self.refused_sync.is_some() && self.refused_sync == self.answered_by {
            f.write_str(
                ": the sync that answered it fired again, on more than one frame (a `where` query's \
                 rows, say, each firing its `then`); gather them with `collect` to answer once",
            )?;
        }
        if !self.acted_after.is_empty() {
            write!(
                f,
                "; after the answer, this request's flow went on to {}",
                self.acted_after.join(", ")
            )?;
        }
        Ok(())
    }
}

/// The actions of concepts (`Concept.action (by Sync)`) a flow ran after
/// its answer, the first [`SHOWN_AFTER_ANSWER`] of them: with a second
/// answer refused, among them are the side effects of a sync that went on
/// with a request another sync had turned away.
fn acted_after_answer(flow: &Flow) -> Vec<String> {
    let answer = flow.records.iter().position(|record| {
        record.data.concept() == Requesting::NAME && record.data.action() == "respond" && !record.is_error()
    });
    let Some(answer) = answer else {
        return Vec::new();
    };
    let mut actions: Vec<String> = flow.records[answer + 1..]
        .iter()
        .filter(|record| record.data.concept() != Requesting::NAME)
        .map(|record| {
            let action = record.action_path();
            match &record.cause {
                Some(cause) => format!("{action} (by {})", cause.sync),
                None => action,
            }
        })
        .collect();
    if actions.len() > SHOWN_AFTER_ANSWER {
        let more = actions.len() - SHOWN_AFTER_ANSWER;
        actions.truncate(SHOWN_AFTER_ANSWER);
        actions.push(format!("and {more} more"));
    }
    actions
}

/// How many of the actions after an answer a refused second answer names.
const SHOWN_AFTER_ANSWER: usize = 8;

/// Logs the error outcomes of a flow that ran to its end which no sync took
/// up (none fired on a frame holding them): nothing else would show them
/// once the request is answered. At `info`, since a side effect's error
/// left alone may be meant (the static checks do not ask for an answer to
/// it). The root action's outcome is its caller's (the answer of a
/// passthrough, the report of `invoke`), and a refused `Requesting.respond`
/// is logged where it is refused.
fn log_dropped_errors(flow: &Flow) {
    if !flow.errors || !tracing::enabled!(tracing::Level::INFO) {
        return;
    }
    let invoked_errors = flow
        .records
        .iter()
        .filter(|record| record.is_error() && record.concept() != Requesting::NAME)
        .filter_map(|record| Some((record, record.cause.as_ref()?)));
    for (record, cause) in invoked_errors {
        let taken = flow.records.iter().any(|other| {
            other
                .cause
                .as_ref()
                .is_some_and(|other| other.records.contains(&record.id))
        });
        if taken {
            continue;
        }
        let action = record.action_path();
        tracing::info!(
            flow = %flow.id,
            invoked_by = cause.sync,
            "an error no sync takes up; the flow went on without it (a sync matches it with \
             `{action} () : (error)`): {record}"
        );
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
