//! The engine's semantics (SEMANTICS.md), with the reference engine's own
//! test cases ported: counters, buttons, lists and a recorder.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use syncs_runtime::{concept, sync, ActionError, Engine, EngineConfig, FlowError, RequestError};

#[path = "support/faulty.rs"]
mod faulty;
use faulty::{Crash, Faulty, Panic};

#[derive(Default)]
pub struct Button;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clicked {
    pub kind: String,
}

#[concept]
impl Button {
    pub async fn clicked(&self, kind: String) -> Result<Clicked, ActionError> {
        Ok(Clicked { kind })
    }
}

#[derive(Default)]
pub struct Counter {
    count: Mutex<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    pub count: u32,
}

#[concept]
impl Counter {
    pub async fn increment(&self) -> Result<(), ActionError> {
        *self.count.lock().map_err(ActionError::internal)? += 1;
        Ok(())
    }

    pub async fn _get_count(&self) -> Result<Option<CountRow>, ActionError> {
        Ok(Some(CountRow {
            count: *self.count.lock().map_err(ActionError::internal)?,
        }))
    }
}

#[derive(Default)]
pub struct Notification {
    messages: Mutex<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notified {
    pub message: String,
}

#[concept]
impl Notification {
    pub async fn notify(&self, message: String) -> Result<Notified, ActionError> {
        self.messages
            .lock()
            .map_err(ActionError::internal)?
            .push(message.clone());
        Ok(Notified { message })
    }
}

#[derive(Default)]
pub struct List {
    values: Mutex<Vec<u32>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub value: u32,
}

#[concept]
impl List {
    pub async fn add(&self, value: u32) -> Result<Item, ActionError> {
        self.values.lock().map_err(ActionError::internal)?.push(value);
        Ok(Item { value })
    }

    pub async fn _items(&self) -> Result<Vec<Item>, ActionError> {
        let values = self.values.lock().map_err(ActionError::internal)?;
        Ok(values.iter().map(|value| Item { value: *value }).collect())
    }

    /// The same rows, after giving the runtime a chance to run other tasks.
    pub async fn _items_async(&self) -> Result<Vec<Item>, ActionError> {
        tokio::task::yield_now().await;
        self._items().await
    }
}

#[derive(Default)]
pub struct Recorder {
    order: Mutex<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub tag: String,
}

#[concept]
impl Recorder {
    pub async fn record(&self, tag: String) -> Result<Recorded, ActionError> {
        self.order
            .lock()
            .map_err(ActionError::internal)?
            .push(tag.clone());
        Ok(Recorded { tag })
    }
}

impl Recorder {
    fn order(&self) -> Vec<String> {
        self.order.lock().map(|order| order.clone()).unwrap_or_default()
    }
}

sync! {
    pub ButtonIncrements
    when
        Button.clicked (kind: "inc") : ()
    then
        Counter.increment ()

    pub NotifyOn3
    when
        Button.clicked (kind: "inc") : ()
        Counter.increment () : ()
    where
        Counter._get_count () : (count)
        if count == 3
    then
        Notification.notify (message: "reached 3")

    pub FanoutOverList
    when
        Button.clicked (kind: "fanout") : ()
    where
        List._items () : (value)
        let tag = format!("v:{value}")
    then
        Recorder.record (tag)

    pub FanoutOverListAsync
    when
        Button.clicked (kind: "fanout-async") : ()
    where
        List._items_async () : (value)
        let tag = format!("v:{value}")
    then
        Recorder.record (tag)

    pub ChainRecordA
    when
        Recorder.record (tag) : ()
    where
        if !tag.contains(':')
        let next = format!("{tag}:a")
    then
        Recorder.record (tag: next)

    pub PreventDoubleFire
    when
        Recorder.record (tag: tag1) : ()
        Recorder.record (tag: tag2) : ()
    where
        if !tag1.contains(':')
        if tag2 == format!("{tag1}:a")
        let done = format!("{tag1}:done")
    then
        Recorder.record (tag: done)
}

sync! {
    pub OnlyEven
    when
        Recorder.record (tag) : ()
    where
        let value: Option<u32> = tag.strip_prefix("v:").and_then(|number| number.parse().ok())
        if value.is_some_and(|value| value % 2 == 0)
        let even = format!("even:{}", value.unwrap_or_default())
    then
        Recorder.record (tag: even)
}

fn reference_engine() -> Engine {
    Engine::builder()
        .concept(Button)
        .concept(Counter::default())
        .concept(Notification::default())
        .concept(List::default())
        .concept(Recorder::default())
        .sync(ButtonIncrements)
        .sync(NotifyOn3)
        .sync(FanoutOverList)
        .sync(FanoutOverListAsync)
        .sync(ChainRecordA)
        .sync(PreventDoubleFire)
        .build()
        .expect("all concepts registered")
}

fn click(kind: &str) -> ButtonAction {
    ButtonAction::clicked { kind: kind.into() }
}

#[tokio::test]
async fn button_click_increments_counter_once() {
    let engine = reference_engine();
    let report = engine.invoke(click("inc")).await.expect("flow runs");
    let counter = engine.concept::<Counter>().expect("registered");
    assert_eq!(*counter.count.lock().unwrap(), 1);
    assert_eq!(report.of("Counter", "increment").count(), 1);
    let increment = report.of("Counter", "increment").next().unwrap();
    assert_eq!(
        increment.cause().map(|cause| cause.sync),
        Some("ButtonIncrements")
    );
    assert_eq!(
        increment.flow(),
        report.flow,
        "the sync's action joins the click's flow"
    );
}

#[tokio::test]
async fn notify_when_count_reaches_3() {
    let engine = reference_engine();
    let notification = engine.concept::<Notification>().expect("registered");
    engine.invoke(click("inc")).await.expect("flow runs");
    engine.invoke(click("inc")).await.expect("flow runs");
    assert!(
        notification.messages.lock().unwrap().is_empty(),
        "the guard drops counts 1 and 2"
    );
    engine.invoke(click("inc")).await.expect("flow runs");
    assert_eq!(
        *notification.messages.lock().unwrap(),
        vec!["reached 3".to_owned()]
    );
}

#[tokio::test]
async fn fan_out_over_a_list_via_a_query() {
    for kind in ["fanout", "fanout-async"] {
        let engine = reference_engine();
        for value in [1, 2, 3] {
            engine.invoke(ListAction::add { value }).await.expect("flow runs");
        }
        engine.invoke(click(kind)).await.expect("flow runs");
        let recorder = engine.concept::<Recorder>().expect("registered");
        assert_eq!(recorder.order(), vec!["v:1", "v:2", "v:3"], "{kind}");
    }
}

#[tokio::test]
async fn fire_once_across_two_when_patterns() {
    let engine = reference_engine();
    let report = engine
        .invoke(RecorderAction::record { tag: "x".into() })
        .await
        .expect("flow runs");
    let recorder = engine.concept::<Recorder>().expect("registered");
    assert_eq!(recorder.order(), vec!["x", "x:a", "x:done"]);
    let done = report.records.last().expect("records");
    let cause = done.cause().expect("caused by a sync");
    assert_eq!(cause.sync, "PreventDoubleFire");
    assert_eq!(cause.records.len(), 2, "both when-patterns' records");
}

#[tokio::test]
async fn two_flows_do_not_cross_match() {
    let engine = reference_engine();
    // The click's flow holds a click and an increment (count 1). Two more
    // increments, each in its own flow, bring the count to 3: NotifyOn3
    // would fire if a flow could see the click of another.
    engine.invoke(click("inc")).await.expect("flow runs");
    // An action enum, or an `Invocation` made of one (as a queue of
    // actions of several concepts holds them).
    engine
        .invoke(CounterAction::increment {})
        .await
        .expect("flow runs");
    engine
        .invoke(syncs_runtime::Invocation::new::<Counter>(
            CounterAction::increment {},
        ))
        .await
        .expect("flow runs");
    let counter = engine.concept::<Counter>().expect("registered");
    assert_eq!(*counter.count.lock().unwrap(), 3, "the count did reach 3");
    let notification = engine.concept::<Notification>().expect("registered");
    assert!(notification.messages.lock().unwrap().is_empty());
}

/// Fan-out over the list, and a guard on the recorded tags.
fn fan_out_engine() -> Engine {
    Engine::builder()
        .concept(Button)
        .concept(List::default())
        .concept(Recorder::default())
        .sync(FanoutOverList)
        .sync(OnlyEven)
        .build()
        .expect("all concepts registered")
}

#[tokio::test]
async fn a_guard_after_a_fan_out_keeps_only_even_values() {
    let engine = fan_out_engine();
    for value in [1, 2, 3] {
        engine.invoke(ListAction::add { value }).await.expect("flow runs");
    }
    engine.invoke(click("fanout")).await.expect("flow runs");
    let order = engine.concept::<Recorder>().expect("registered").order();
    assert_eq!(
        order.iter().filter(|tag| tag.starts_with("v:")).count(),
        3,
        "{order:?}"
    );
    assert_eq!(
        order
            .iter()
            .filter(|tag| tag.starts_with("even:"))
            .collect::<Vec<_>>(),
        vec!["even:2"]
    );
}

#[tokio::test]
async fn then_actions_run_depth_first() {
    // The click's fan-out records v:1; before v:2 is recorded, v:1's own
    // cascade (OnlyEven ignores odd values; even ones record at once) runs.
    let engine = fan_out_engine();
    for value in [2, 3, 4] {
        engine.invoke(ListAction::add { value }).await.expect("flow runs");
    }
    engine.invoke(click("fanout")).await.expect("flow runs");
    let order = engine.concept::<Recorder>().expect("registered").order();
    assert_eq!(order, vec!["v:2", "even:2", "v:3", "v:4", "even:4"]);
}

sync! {
    pub ListItems
    when
        Requesting.request (path: "/items") : (request)
    where
        List._items () : (value)
        collect (value) as items
    then
        Requesting.respond (request, items)

    pub CheckAbsent
    when
        Requesting.request (path: "/check", value) : (request)
    where
        not List._items () : (value)
    then
        Requesting.respond (request, present: false)

    pub CheckPresent
    when
        Requesting.request (path: "/check", value) : (request)
    where
        List._items () : (value)
    then
        Requesting.respond (request, present: true)

    pub BigItems
    when
        Requesting.request (path: "/big") : (request)
    where
        Counter._get_count () : (count)
        List._items () : (value)
        if value > 100
        collect (value) as items
    then
        Requesting.respond (request, count, items)

    pub Guarded
    when
        Requesting.request (path: "/guarded", allowed) : (request)
    where
        if allowed == true
        List._items () : (value)
        collect (value) as items
    then
        Requesting.respond (request, items)

    pub Shapes
    when
        Requesting.request (path: "/shapes", shape: {"kind": "square"}) : (request)
    then
        Requesting.respond (request, sides: [1, 1, 1, 1], meta: {"regular": true})

    /// Two syncs answer one request (one `then` cannot: `sync!` refuses
    /// two answers to one request there).
    pub AnswerTwice
    when
        Requesting.request (path: "/twice") : (request)
    then
        Requesting.respond (request, answer: 1)

    pub AnswerAgain
    when
        Requesting.request (path: "/twice") : (request)
    then
        Requesting.respond (request, answer: 2)

    pub NoteRefusedRespond
    when
        Requesting.respond () : (error)
    then
        Recorder.record (tag: "refused")
}

fn list_engine() -> Engine {
    Engine::builder()
        .concept(List::default())
        .concept(Counter::default())
        .concept(Recorder::default())
        .sync(ListItems)
        .sync(BigItems)
        .sync(Shapes)
        .sync(Guarded)
        .sync(CheckAbsent)
        .sync(CheckPresent)
        .sync(AnswerTwice)
        .sync(AnswerAgain)
        .sync(NoteRefusedRespond)
        .build()
        .expect("all concepts registered")
}

#[tokio::test]
async fn collect_gathers_rows_and_answers_an_empty_list() {
    let engine = list_engine();
    let empty = engine.request("/items", json!({})).await.expect("answered");
    assert_eq!(
        empty.body.get("items"),
        Some(&json!([])),
        "zero rows still answer"
    );
    for value in [5, 6] {
        engine.invoke(ListAction::add { value }).await.expect("flow runs");
    }
    let full = engine.request("/items", json!({})).await.expect("answered");
    assert_eq!(full.body.get("items"), Some(&json!([{"value": 5}, {"value": 6}])));
}

#[tokio::test]
async fn groups_bound_in_where_answer_an_empty_list_but_guards_before_the_fan_out_hold() {
    let engine = list_engine();
    for value in [5, 6] {
        engine.invoke(ListAction::add { value }).await.expect("flow runs");
    }
    let big = engine.request("/big", json!({})).await.expect("answered");
    assert_eq!(
        big.body.get("items"),
        Some(&json!([])),
        "every item filtered out: []"
    );
    assert_eq!(
        big.body.get("count"),
        Some(&json!(0)),
        "the group keeps its where-bound variable"
    );

    let allowed = engine
        .request("/guarded", json!({"allowed": true}))
        .await
        .expect("answered");
    assert_eq!(
        allowed.body.get("items"),
        Some(&json!([{"value": 5}, {"value": 6}]))
    );
    let refused = engine.request("/guarded", json!({"allowed": false})).await;
    assert!(
        matches!(refused, Err(RequestError::Unanswered { .. })),
        "a guard before the fan-out is not undone by collect: {refused:?}"
    );
}

#[tokio::test]
async fn array_and_object_literals_match_and_answer() {
    let engine = list_engine();
    let square = engine
        .request("/shapes", json!({"shape": {"kind": "square"}}))
        .await
        .expect("answered");
    assert_eq!(square.body.get("sides"), Some(&json!([1, 1, 1, 1])));
    assert_eq!(square.body.get("meta"), Some(&json!({"regular": true})));
    let circle = engine
        .request("/shapes", json!({"shape": {"kind": "circle"}}))
        .await;
    assert!(
        matches!(&circle, Err(RequestError::InvalidFields { problems, .. }) if problems[0].field == "shape"),
        "no sync starts on a circle: {circle:?}"
    );
}

#[tokio::test]
async fn absence_keeps_frames_whose_query_has_no_rows() {
    let engine = list_engine();
    engine
        .invoke(ListAction::add { value: 7 })
        .await
        .expect("flow runs");
    let absent = engine
        .request("/check", json!({"value": 8}))
        .await
        .expect("answered");
    assert_eq!(absent.body.get("present"), Some(&json!(false)));
    let present = engine
        .request("/check", json!({"value": 7}))
        .await
        .expect("answered");
    assert_eq!(present.body.get("present"), Some(&json!(true)));
}

#[tokio::test]
async fn the_first_respond_wins_and_a_second_is_refused() {
    let engine = list_engine();
    let response = engine.request("/twice", json!({})).await.expect("answered");
    assert_eq!(response.body.get("answer"), Some(&json!(1)));
    // The refused respond is an error outcome in the flow; wait for the flow
    // to finish its cascade after the answer went out.
    tokio::time::timeout(Duration::from_secs(30), engine.drain())
        .await
        .expect("the background flow ends");
    let recorder = engine.concept::<Recorder>().expect("registered");
    assert_eq!(recorder.order(), vec!["refused"]);
}

/// A query that waits until the test opens the gate.
#[derive(Default)]
pub struct Gate {
    open: tokio::sync::Notify,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub opened: bool,
}

#[concept]
impl Gate {
    pub async fn _opened(&self) -> Result<Option<Opened>, ActionError> {
        self.open.notified().await;
        Ok(Some(Opened { opened: true }))
    }
}

sync! {
    pub AnswerGated
    when
        Requesting.request (path: "/gated") : (request)
    then
        Requesting.respond (request, answered: true)

    pub AfterTheGate
    when
        Requesting.request (path: "/gated") : ()
    where
        Gate._opened () : (opened)
    then
        Recorder.record (tag: "after the gate")
}

#[tokio::test]
async fn an_answer_does_not_wait_for_the_queries_of_later_syncs() {
    let gate = Arc::new(Gate::default());
    let engine = Engine::builder()
        .concept_arc(gate.clone())
        .concept(Recorder::default())
        .sync(AnswerGated)
        .sync(AfterTheGate)
        .request_timeout(Duration::from_secs(3600))
        .build()
        .expect("all concepts registered");
    // AnswerGated answers; AfterTheGate, registered after it on the same
    // record, waits on its query until the gate opens. The answer must not
    // wait for it (a guard, not a timing: it failed by waiting forever).
    let response = tokio::time::timeout(Duration::from_secs(30), engine.request("/gated", json!({})))
        .await
        .expect("answered while the later sync's query still waits")
        .expect("answered");
    assert_eq!(response.body.get("answered"), Some(&json!(true)));
    // The later sync still runs, in the background, once its query returns.
    let recorder = engine.concept::<Recorder>().expect("registered");
    assert!(recorder.order().is_empty(), "the gate is still closed");
    gate.open.notify_one();
    tokio::time::timeout(Duration::from_secs(30), engine.drain())
        .await
        .expect("the background flow ends");
    assert_eq!(recorder.order(), vec!["after the gate"]);
}

sync! {
    pub Loop
    when
        Recorder.record (tag) : ()
    then
        Recorder.record (tag)

    pub Hang
    when
        Requesting.request (path: "/hang") : ()
    then
        Faulty.hang ()

    pub AnswerFirst
    when
        Requesting.request (path: "/answer-then-fail") : (request)
    then
        Requesting.respond (request, answered: true)

    pub FailAfterwards
    when
        Requesting.request (path: "/answer-then-fail") : ()
    where
        Faulty._broken () : (value)
    then
        Recorder.record (tag: "never")
}

#[tokio::test]
async fn a_looping_flow_is_stopped_by_its_budget_naming_the_sync() {
    let engine = Engine::builder()
        .concept(Recorder::default())
        .sync(Loop)
        .config(EngineConfig {
            max_flow_actions: 50,
            ..EngineConfig::default()
        })
        .build()
        .expect("all concepts registered");
    let error = engine
        .invoke(RecorderAction::record { tag: "again".into() })
        .await
        .expect_err("the loop is cut");
    match error {
        FlowError::BudgetExceeded { actions, syncs, .. } => {
            assert_eq!(actions, 50);
            assert_eq!(syncs, vec!["Loop"]);
        }
        other => panic!("expected a budget error, got {other:?}"),
    }
}

fn faulty_engine() -> Engine {
    Engine::builder()
        .concept(Faulty)
        .concept(List::default())
        .concept(Recorder::default())
        .sync(Crash)
        .sync(Panic)
        .sync(Hang)
        .sync(AnswerFirst)
        .sync(FailAfterwards)
        .sync(ListItems)
        .request_timeout(Duration::from_millis(200))
        .build()
        .expect("all concepts registered")
}

#[tokio::test]
async fn an_internal_failure_fails_its_flow_only() {
    let engine = faulty_engine();
    let error = engine
        .request("/crash", json!({}))
        .await
        .expect_err("the action failed");
    assert!(
        matches!(&error, RequestError::Flow(FlowError::Internal { action, .. }) if action == "Faulty.crash"),
        "{error:?}"
    );
    engine
        .request("/items", json!({}))
        .await
        .expect("other requests still answered");
}

#[tokio::test]
async fn a_panicking_action_fails_its_request_only() {
    let engine = faulty_engine();
    let error = engine
        .request("/panic", json!({}))
        .await
        .expect_err("the action panicked");
    // The error names what panicked, as the log does.
    assert_eq!(
        error.to_string(),
        "the request's flow panicked in the action Faulty.panic (invoked by sync Panic)"
    );
    engine
        .request("/items", json!({}))
        .await
        .expect("other requests still answered");
}

#[tokio::test]
async fn an_answered_request_keeps_its_answer_when_its_flow_fails_later() {
    let engine = faulty_engine();
    let response = engine
        .request("/answer-then-fail", json!({}))
        .await
        .expect("answered before the failure");
    assert_eq!(response.body.get("answered"), Some(&json!(true)));
}

#[tokio::test]
async fn a_hung_action_times_out_its_request() {
    let engine = faulty_engine();
    let error = engine
        .request("/hang", json!({}))
        .await
        .expect_err("the action hangs");
    let RequestError::Timeout { after, explanation } = error else {
        panic!("expected a time-out, got {error:?}");
    };
    assert_eq!(after, Duration::from_millis(200));
    assert!(
        explanation.starts_with(
            "Faulty.hang (invoked by sync Hang) was still running at the time-out, and was cancelled with its \
             flow"
        ),
        "{explanation}"
    );
    // The firing still running is not an earlier one that used the records.
    assert!(
        explanation.contains("  Hang: fired; its Faulty.hang was still running"),
        "{explanation}"
    );
}

#[test]
fn a_concept_used_only_in_where_must_be_registered_too() {
    // BigItems queries Counter and List; List is registered, Counter is not.
    let error = Engine::builder()
        .concept(List::default())
        .sync(BigItems)
        .build()
        .err()
        .expect("Counter is missing");
    assert_eq!(
        error.to_string(),
        "sync BigItems uses concept Counter, which is not registered: add it with EngineBuilder::concept"
    );
}

#[test]
fn building_with_a_missing_concept_names_the_sync_and_concept() {
    let error = Engine::builder()
        .sync(ButtonIncrements)
        .build()
        .err()
        .expect("Button is missing");
    assert_eq!(
        error.to_string(),
        "sync ButtonIncrements uses concept Button, which is not registered: add it with EngineBuilder::concept"
    );
}

mod elsewhere {
    use crate::{Button, Counter};
    use syncs_runtime::sync;

    sync! {
        /// Named as the crate root's `ButtonIncrements`, in another module.
        pub ButtonIncrements
        when
            Button.clicked (kind: "dec") : ()
        then
            Counter.increment ()
    }
}

/// A sync registered twice is told apart from two syncs of one name: the
/// fix differs (drop a `.sync(..)`, or rename one).
#[test]
fn a_sync_registered_twice_is_told_from_two_syncs_of_one_name() {
    let builder = || Engine::builder().concept(Button).concept(Counter::default());
    let twice = builder()
        .sync(ButtonIncrements)
        .sync(ButtonIncrements)
        .build()
        .err();
    assert_eq!(
        twice.map(|error| error.to_string()).as_deref(),
        Some("sync ButtonIncrements is registered twice: each sync is registered once")
    );
    let namesakes = builder()
        .sync(ButtonIncrements)
        .sync(elsewhere::ButtonIncrements)
        .build()
        .err();
    assert_eq!(
        namesakes.map(|error| error.to_string()).as_deref(),
        Some(
            "two different syncs are named ButtonIncrements (declared in two modules?): sync names must be unique"
        )
    );
}

sync! {
    /// A `let` that awaits: the sync's matching runs as a future.
    pub AwaitInLet
    when
        Recorder.record (tag: "await") : ()
    where
        let echoed = async { tokio::task::yield_now().await; "awaited".to_owned() }.await
    then
        Recorder.record (tag: echoed)
}

/// A concept whose action claims to be infallible, and is not.
#[derive(Default)]
pub struct Boastful;

#[concept]
impl Boastful {
    #[infallible]
    pub async fn promise(&self) -> Result<(), ActionError> {
        Err(ActionError::fail("broken"))
    }
}

#[tokio::test]
async fn an_infallible_action_that_fails_anyway_aborts_its_flow() {
    let engine = Engine::builder()
        .concept(Boastful)
        .entry_point::<Boastful>("promise")
        .build()
        .expect("engine");
    let error = engine
        .invoke(BoastfulAction::promise {})
        .await
        .expect_err("the error outcome is not recorded");
    let FlowError::Internal { action, error } = error else {
        panic!("an internal failure, not {error:?}");
    };
    assert_eq!(action, "Boastful.promise");
    assert_eq!(
        error.to_string(),
        "the action Boastful.promise is #[infallible] but ended in an error outcome: broken"
    );
}

/// A macro whose expansion awaits, used in a `let`.
macro_rules! awaited {
    ($value:expr) => {
        async { $value }.await
    };
}

sync! {
    /// A `let` calling a macro that awaits: the sync's matching runs as a
    /// future too.
    pub AwaitInMacro
    when
        Recorder.record (tag: "macro") : ()
    where
        let echoed = awaited!("from a macro".to_owned())
    then
        Recorder.record (tag: echoed)
}

#[tokio::test]
async fn a_let_may_await_directly_or_in_a_macro() {
    let engine = Engine::builder()
        .concept(Recorder::default())
        .sync(AwaitInLet)
        .sync(AwaitInMacro)
        .build()
        .expect("all concepts registered");
    for tag in ["await", "macro"] {
        engine
            .invoke(RecorderAction::record { tag: tag.into() })
            .await
            .expect("flow runs");
    }
    let order = engine.concept::<Recorder>().expect("registered").order();
    assert_eq!(order, vec!["await", "awaited", "macro", "from a macro"]);
}

/// A macro whose expansion suspends once.
macro_rules! yield_once {
    () => {
        tokio::task::yield_now().await
    };
}

/// Actions that suspend, directly or inside a macro: they run as futures,
/// not at once.
#[derive(Default)]
pub struct Patient;

#[concept]
impl Patient {
    pub async fn wait_a_turn(&self) -> Result<(), ActionError> {
        tokio::task::yield_now().await;
        Ok(())
    }

    pub async fn wait_in_a_macro(&self) -> Result<(), ActionError> {
        yield_once!();
        Ok(())
    }
}

#[tokio::test]
async fn actions_that_suspend_are_awaited() {
    let engine = Engine::builder()
        .concept(Patient)
        .entry_point::<Patient>("wait_a_turn")
        .entry_point::<Patient>("wait_in_a_macro")
        .build()
        .expect("engine");
    let report = engine
        .invoke(PatientAction::wait_a_turn {})
        .await
        .expect("a yield is waited for");
    assert_eq!(report.records.len(), 1);
    let report = engine
        .invoke(PatientAction::wait_in_a_macro {})
        .await
        .expect("a yield inside a macro is waited for");
    assert_eq!(report.records.len(), 1);
}

/// Two servers sharing one engine drain it together when one signal stops
/// both. Each drain must end once no flow runs: the first to finish used
/// to reopen the engine's task tracker while another had closed it and not
/// yet begun to wait, and that one then waited forever. Threads released
/// together by a barrier, round after round, make the two meet.
#[test]
fn drains_at_the_same_time_all_end() {
    let engine = list_engine();
    let threads = 4;
    let rounds = 5_000;
    let barrier = Arc::new(std::sync::Barrier::new(threads));
    let stuck = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (engine, barrier, stuck) = (engine.clone(), barrier.clone(), stuck.clone());
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .expect("a runtime");
                for _ in 0..rounds {
                    barrier.wait();
                    let drained = runtime.block_on(async {
                        tokio::time::timeout(Duration::from_secs(1), engine.drain()).await
                    });
                    if drained.is_err() {
                        stuck.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a draining thread");
    }
    assert_eq!(
        stuck.load(std::sync::atomic::Ordering::Relaxed),
        0,
        "drains that did not end with no flow running"
    );
}

mod labels {
    use serde::{Deserialize, Serialize};
    use syncs_runtime::{concept, sync};

    /// Todos 1 and 2; only 1 has labels.
    #[derive(Default)]
    pub struct Todos;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct TodoRow {
        pub todo: u64,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct LabelRow {
        pub label: String,
    }

    #[concept]
    impl Todos {
        pub async fn _all(&self) -> Vec<TodoRow> {
            vec![TodoRow { todo: 1 }, TodoRow { todo: 2 }]
        }

        pub async fn _labels(&self, todo: u64) -> Vec<LabelRow> {
            match todo {
                1 => vec![
                    LabelRow { label: "home".into() },
                    LabelRow {
                        label: "urgent".into(),
                    },
                ],
                _ => Vec::new(),
            }
        }
    }

    sync! {
        /// Each todo with its labels: two `collect`s.
        pub ListTodos
        when
            Requesting.request (path: "/todos") : (request)
        where
            Todos._all () : (todo)
            Todos._labels (todo) : (label)
            collect (label) as labels
            collect (todo, labels) as todos
        then
            Requesting.respond (request, todos)
    }
}

/// Two `collect`s nest lists, and an item whose query left no rows keeps
/// its place with an empty list (as README.md says).
#[tokio::test]
async fn two_collects_nest_lists_and_keep_items_without_children() {
    let engine = Engine::builder()
        .concept(labels::Todos)
        .sync(labels::ListTodos)
        .build()
        .expect("engine");
    let answer = engine.request("/todos", json!({})).await.expect("answered");
    assert_eq!(
        answer.body.get("todos"),
        Some(&json!([
            {"todo": 1, "labels": [{"label": "home"}, {"label": "urgent"}]},
            {"todo": 2, "labels": []},
        ]))
    );
}

sync! {
    /// A "retry" click records two attempts, one after the other.
    pub TwoAttempts
    when
        Button.clicked (kind: "retry") : ()
    then
        Recorder.record (tag: "first")
        Recorder.record (tag: "second")

    /// Notifies on the second attempt: the first one's frame is dropped by
    /// the guard, which leaves the click free for the second.
    pub NotifyOnSecondAttempt
    when
        Button.clicked (kind: "retry") : ()
        Recorder.record (tag) : ()
    where
        if tag == "second"
    then
        Notification.notify (message: "second attempt")
}

/// SEMANTICS.md, "Fire once": records whose frames `where` dropped are not
/// marked, and may match again on a later trigger in the same flow.
#[tokio::test]
async fn a_record_whose_frame_a_guard_dropped_matches_again_later_in_its_flow() {
    let engine = Engine::builder()
        .concept(Button)
        .concept(Recorder::default())
        .concept(Notification::default())
        .sync(TwoAttempts)
        .sync(NotifyOnSecondAttempt)
        .build()
        .expect("engine");
    let report = engine.invoke(click("retry")).await.expect("flow runs");
    let recorder = engine.concept::<Recorder>().expect("registered");
    assert_eq!(recorder.order(), vec!["first", "second"]);
    let notification = engine.concept::<Notification>().expect("registered");
    assert_eq!(
        *notification.messages.lock().unwrap(),
        vec!["second attempt".to_owned()],
        "the click, left unmarked by the dropped frame, fires with the second attempt"
    );
    let notified = report.of("Notification", "notify").next().expect("notified");
    let cause = notified.cause().expect("caused by a sync");
    assert_eq!(cause.records.len(), 2, "the click and the second attempt");
    assert_eq!(cause.records[0], report.records[0].id(), "the click");
}
