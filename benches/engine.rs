//! Engine benchmarks, measured side by side in one run (see BENCHMARKS.md).
//!
//! `cargo bench --bench engine` runs them all; `cargo bench --bench engine --
//! quick` runs fewer rounds. Every ratio compares runs interleaved in the same
//! process, so machine noise hits both sides alike.

#[path = "../examples/auth/concepts.rs"]
mod concepts;
#[path = "../examples/support/logging.rs"]
mod logging;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::json;
use syncs_runtime::{
    concept, sync, ActionError, ActionRef, CompiledSync, Engine, EngineBuilder, EngineConfig, Evaluation,
    Form, PatternSpec, Requesting, Synchronization,
};

#[path = "support/counting.rs"]
mod counting;

use counting::{allocations, in_use, COUNTING};

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// Actions one seed iteration records: register (3), login (4), logout (3),
/// wrong-password login (3).
const ACTIONS_PER_ITERATION: f64 = 13.0;

/// Requests one seed iteration sends.
const REQUESTS_PER_ITERATION: f64 = 4.0;

fn auth_builder() -> EngineBuilder {
    syncs::register(concepts::in_memory())
}

/// One seed iteration through the engine.
async fn seed_iteration(engine: &Engine, index: usize) {
    let username = format!("user{index}");
    let credentials = json!({"username": username, "password": "pw"});
    let registered = engine
        .request("/UserAuthentication/register", credentials.clone())
        .await;
    assert!(registered.is_ok_and(|answer| answer.body.contains_key("user")));
    let login = engine
        .request("/UserAuthentication/login", credentials)
        .await
        .expect("login answered");
    let session = login.body["session"].clone();
    let out = engine.request("/logout", json!({ "session": session })).await;
    assert!(out.is_ok_and(|answer| answer.body.contains_key("status")));
    let wrong = engine
        .request(
            "/UserAuthentication/login",
            json!({"username": username, "password": "nope"}),
        )
        .await;
    assert!(wrong.is_ok_and(|answer| answer.body.contains_key("error")));
}

/// The same concept calls, hand-written: no engine.
async fn direct_iteration(
    users: &concepts::UserAuthentication,
    sessions: &concepts::Sessioning,
    index: usize,
) {
    let username = format!("user{index}");
    let registered = users.register(username.clone(), "pw".into()).await;
    let response = json!({ "user": registered.expect("registered").user });
    std::hint::black_box(response);
    let user = users
        .login(username.clone(), "pw".into())
        .await
        .expect("login")
        .user;
    let session = sessions.create(user).await.expect("session").session;
    std::hint::black_box(json!({ "session": session }));
    sessions.delete(session).await.expect("logout");
    std::hint::black_box(json!({ "status": "logged_out" }));
    let wrong = users.login(username, "nope".into()).await;
    std::hint::black_box(json!({ "error": wrong.is_err() }));
}

/// A hand-written request handler with the engine's interface (a path and
/// JSON fields in, JSON fields out) making the same concept calls: what a
/// request costs without syncs, when its input and answer are JSON too.
async fn handle_by_hand(
    users: &concepts::UserAuthentication,
    sessions: &concepts::Sessioning,
    path: &str,
    body: serde_json::Value,
) -> Result<serde_json::Map<String, serde_json::Value>, &'static str> {
    let serde_json::Value::Object(mut fields) = body else {
        return Err("the body is not an object");
    };
    let mut text = |name: &str| match fields.remove(name) {
        Some(serde_json::Value::String(text)) => Ok(text),
        _ => Err("a field is missing or not a string"),
    };
    // The action's error outcome is answered; an internal failure is not.
    let failure = |error: ActionError| match error.into_outcome() {
        Ok(outcome) => Ok(serde_json::Value::String(outcome.error)),
        Err(_internal) => Err("internal error"),
    };
    let mut answer = serde_json::Map::new();
    match path {
        "/UserAuthentication/register" => {
            let (username, password) = (text("username")?, text("password")?);
            match users.register(username, password).await {
                Ok(registered) => answer.insert("user".into(), json!(registered.user)),
                Err(error) => answer.insert("error".into(), failure(error)?),
            };
        }
        "/UserAuthentication/login" => {
            let (username, password) = (text("username")?, text("password")?);
            match users.login(username, password).await {
                // `create` is infallible: the engine has no sync answering
                // its error either, and fails such a request as internal.
                Ok(login) => match sessions.create(login.user).await {
                    Ok(created) => answer.insert("session".into(), json!(created.session)),
                    Err(_) => return Err("internal error"),
                },
                Err(error) => answer.insert("error".into(), failure(error)?),
            };
        }
        "/logout" => {
            match sessions.delete(text("session")?).await {
                Ok(_) => answer.insert("status".into(), json!("logged_out")),
                Err(error) => answer.insert("error".into(), failure(error)?),
            };
        }
        _ => return Err("no such path"),
    };
    Ok(answer)
}

/// One seed iteration through the hand-written handler: the same requests,
/// built and checked as [`seed_iteration`] builds and checks them.
async fn handler_iteration(
    users: &concepts::UserAuthentication,
    sessions: &concepts::Sessioning,
    index: usize,
) {
    let username = format!("user{index}");
    let credentials = json!({"username": username, "password": "pw"});
    let registered = handle_by_hand(
        users,
        sessions,
        "/UserAuthentication/register",
        credentials.clone(),
    )
    .await;
    assert!(registered.is_ok_and(|answer| answer.contains_key("user")));
    let login = handle_by_hand(users, sessions, "/UserAuthentication/login", credentials)
        .await
        .expect("login answered");
    let session = login["session"].clone();
    let out = handle_by_hand(users, sessions, "/logout", json!({ "session": session })).await;
    assert!(out.is_ok_and(|answer| answer.contains_key("status")));
    let wrong = handle_by_hand(
        users,
        sessions,
        "/UserAuthentication/login",
        json!({"username": username, "password": "nope"}),
    )
    .await;
    assert!(wrong.is_ok_and(|answer| answer.contains_key("error")));
}

/// Measures `iterations` runs of `body`, returning iterations per second.
async fn rate<F, Fut>(iterations: usize, mut body: F) -> f64
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let started = Instant::now();
    for index in 0..iterations {
        body(index).await;
    }
    iterations as f64 / started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A sync on `Requesting.request` for some other path, built by hand: its
/// matching code never runs for the seed's paths, which is what dispatch on
/// the `path` literal must ensure.
struct Unrelated(usize);

impl Synchronization for Unrelated {
    fn compile(&self) -> CompiledSync {
        let name: &'static str = Box::leak(format!("Unrelated{}", self.0).into_boxed_str());
        let pattern = PatternSpec {
            action: ActionRef::of::<Requesting>("request"),
            form: Form::Success,
            literals: vec![("path", json!(format!("/other/{}", self.0)))],
            outcome_literals: Vec::new(),
            open_fields: Vec::new(),
        };
        CompiledSync::new(
            name,
            "",
            vec![pattern],
            Vec::new(),
            vec![ActionRef::of::<Requesting>("respond")],
            syncs_runtime::eval_fn(|_| Box::pin(async { Ok(Evaluation::new(Vec::new(), vec![0])) })),
        )
    }
}

/// A chain: each step's sync invokes the next, up to a limit.
#[derive(Default)]
pub struct Chain {
    limit: std::sync::atomic::AtomicU32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub n: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limit {
    pub limit: u32,
}

#[concept]
impl Chain {
    pub async fn step(&self, n: u32) -> Result<Step, ActionError> {
        Ok(Step { n })
    }

    pub async fn _limit(&self) -> Vec<Limit> {
        vec![Limit {
            limit: self.limit.load(Ordering::Relaxed),
        }]
    }
}

sync! {
    pub NextStep
    when
        Chain.step () : (n)
    where
        Chain._limit () : (limit)
        if n + 1 < limit
        let next = n + 1
    then
        Chain.step (n: next)
}

async fn chain_cost_per_action(engine: &Engine, length: u32, rounds: usize) -> Duration {
    let chain = engine.concept::<Chain>().expect("registered");
    chain.limit.store(length, Ordering::Relaxed);
    let mut samples = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        let report = engine
            .invoke(ChainAction::step { n: 0 })
            .await
            .expect("chain runs");
        assert_eq!(report.records.len(), length as usize);
        samples.push(started.elapsed().as_secs_f64() / length as f64);
    }
    Duration::from_secs_f64(median(samples))
}

/// How long each section runs.
struct Settings {
    rounds: usize,
    iterations: usize,
    /// Fewer rounds and flows (`quick`).
    quick: bool,
}

/// `cargo bench --bench engine [-- quick] [seed | parallel]`: every section,
/// or only the seed workload, or only the parallel flows (for profiling).
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Logging as a quiet server has it: warnings only (`RUST_LOG` overrides
    // it, to measure what more costs). With no subscriber at all, `tracing`
    // would hand every span and event to the `log` crate instead, a path no
    // app that sets up its logging takes.
    logging::init("warn");
    let arguments: Vec<String> = std::env::args().collect();
    let given = |word: &str| arguments.iter().any(|argument| argument == word);
    let quick = given("quick");
    // Counting allocations costs time on every one of them: off while
    // timing, on only where a section counts.
    COUNTING.store(false, Ordering::Relaxed);
    let settings = Settings {
        rounds: if quick { 3 } else { 7 },
        iterations: if quick { 2_000 } else { 10_000 },
        quick,
    };
    if given("parallel") {
        parallel_flows(&settings);
        return;
    }
    seed_workload(&settings).await;
    if given("seed") {
        return;
    }
    unrelated_syncs(&settings).await;
    chain_flows(&settings).await;
    parallel_flows(&settings);
    memory(&settings).await;
}

/// Section 1, the seed workload: the engine, the hand-written function and
/// the hand-written handler, interleaved rounds. Every round starts each
/// side from empty concepts, so that the users and sessions
/// earlier rounds registered do not grow the concepts' maps round after
/// round (the same state size in every sample).
async fn seed_workload(settings: &Settings) {
    let Settings {
        rounds, iterations, ..
    } = *settings;
    let mut through_engine = Vec::new();
    let mut direct = Vec::new();
    let mut by_handler = Vec::new();
    for round in 0..rounds {
        // Each round starts with another side, so that none always runs
        // first or last while the machine's speed drifts.
        for side in (0..3).map(|offset| (round + offset) % 3) {
            let users = concepts::UserAuthentication::default();
            let sessions = concepts::Sessioning::default();
            match side {
                0 => {
                    let engine = auth_builder().build().expect("engine");
                    through_engine.push(rate(iterations, |index| seed_iteration(&engine, index)).await);
                }
                1 => direct.push(rate(iterations, |index| direct_iteration(&users, &sessions, index)).await),
                _ => by_handler
                    .push(rate(iterations, |index| handler_iteration(&users, &sessions, index)).await),
            }
        }
    }
    let engine = auth_builder().build().expect("engine");
    let users = concepts::UserAuthentication::default();
    let sessions = concepts::Sessioning::default();
    COUNTING.store(true, Ordering::Relaxed);
    let per_iteration_since = |before: isize| (allocations() - before) as f64 / 1_000.0;
    let before = allocations();
    for index in 0..1_000 {
        seed_iteration(&engine, index).await;
    }
    let engine_allocations = per_iteration_since(before);
    let before = allocations();
    for index in 0..1_000 {
        direct_iteration(&users, &sessions, index).await;
    }
    let direct_allocations = per_iteration_since(before);
    let (users, sessions) = (
        concepts::UserAuthentication::default(),
        concepts::Sessioning::default(),
    );
    let before = allocations();
    for index in 0..1_000 {
        handler_iteration(&users, &sessions, index).await;
    }
    let handler_allocations = per_iteration_since(before);
    COUNTING.store(false, Ordering::Relaxed);
    let engine_rate = median(through_engine);
    let direct_rate = median(direct);
    let handler_rate = median(by_handler);
    println!("## Seed workload (register, login, logout, wrong-password login; in-memory concepts)\n");
    println!("| | iterations/s | requests/s | actions/s |");
    println!("|---|---|---|---|");
    println!(
        "| engine | {:.0} | {:.0} | {:.0} |",
        engine_rate,
        engine_rate * REQUESTS_PER_ITERATION,
        engine_rate * ACTIONS_PER_ITERATION
    );
    println!("| hand-written, no engine | {direct_rate:.0} | | |");
    println!(
        "| hand-written request handler (path and JSON in, JSON out) | {handler_rate:.0} | {:.0} | |",
        handler_rate * REQUESTS_PER_ITERATION
    );
    println!(
        "\nallocations per iteration: engine {engine_allocations:.0}, hand-written {direct_allocations:.0}, \
         hand-written handler {handler_allocations:.0}"
    );
    println!(
        "\nengine overhead: hand-written / engine = {:.2}x; engine / reference (1,300 it/s) = {:.0}x",
        direct_rate / engine_rate,
        engine_rate / 1300.0
    );
    println!(
        "with the engine's interface: hand-written handler / engine = {:.2}x\n",
        handler_rate / engine_rate
    );
}

/// Section 2a: The seed workload with 0, 100 and 1,000 unrelated syncs.
async fn unrelated_syncs(settings: &Settings) {
    let Settings {
        rounds, iterations, ..
    } = *settings;
    println!("## Unrelated syncs on Requesting.request (other paths)\n");
    println!("| unrelated syncs | iterations/s | slowdown vs 0 |");
    println!("|---|---|---|");
    let counts = [0usize, 100, 1_000];
    let engines: Vec<Engine> = counts
        .iter()
        .map(|count| {
            let mut builder = auth_builder();
            for index in 0..*count {
                builder = builder.sync(Unrelated(index));
            }
            builder.build().expect("engine")
        })
        .collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); counts.len()];
    // The engines are used round after round: new user names each round.
    let mut offset = 0;
    for _ in 0..rounds {
        for (slot, engine) in engines.iter().enumerate() {
            samples[slot].push(rate(iterations / 2, |index| seed_iteration(engine, offset + index)).await);
            offset += iterations / 2;
        }
    }
    let base = median(samples[0].clone());
    for (count, samples) in counts.iter().zip(samples) {
        let value = median(samples);
        println!("| {count} | {value:.0} | {:.2}x |", base / value);
    }
}

fn chain_engine() -> Engine {
    Engine::builder()
        .concept(Chain::default())
        .sync(NextStep)
        .config(EngineConfig {
            max_flow_actions: 20_000,
            max_flow_depth: 20_000,
            ..EngineConfig::default()
        })
        .build()
        .expect("engine")
}

/// Section 2b: Chain flows of length 10 to 10,000.
async fn chain_flows(settings: &Settings) {
    println!("\n## Chain flows (each action's sync invokes the next)\n");
    println!("| length L | cost per action | vs L = 10 |");
    println!("|---|---|---|");
    let engine = chain_engine();
    let lengths = [10u32, 100, 1_000, 10_000];
    let mut costs = Vec::new();
    for length in lengths {
        let repeat = if length >= 1_000 {
            settings.rounds
        } else {
            settings.rounds * 20
        };
        costs.push(chain_cost_per_action(&engine, length, repeat).await);
    }
    for (length, cost) in lengths.iter().zip(&costs) {
        println!(
            "| {length} | {:.2} µs | {:.2}x |",
            cost.as_secs_f64() * 1e6,
            cost.as_secs_f64() / costs[0].as_secs_f64()
        );
    }
}

/// Throughput with `workers` tokio worker threads, each running one client
/// that performs `per_client` units of `work` in a row: if flows took a
/// global lock, two workers would do no more than one.
fn parallel_rate<F, Fut>(workers: usize, per_client: usize, work: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    // A runtime of its own, on a thread of its own: the bench's main runtime
    // is single-threaded, and a runtime cannot be started inside another.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .expect("runtime");
        let started = Instant::now();
        runtime.block_on(async {
            let clients: Vec<_> = (0..workers)
                .map(|_| {
                    let work = work.clone();
                    tokio::spawn(async move {
                        for _ in 0..per_client {
                            work().await;
                        }
                    })
                })
                .collect();
            for client in clients {
                client.await.expect("client finished");
            }
        });
        (workers * per_client) as f64 / started.elapsed().as_secs_f64()
    })
    .join()
    .expect("bench thread")
}

/// Section 2c: Flows in parallel: one and two worker threads, one client each.
fn parallel_flows(settings: &Settings) {
    println!("\n## Parallel flows (one client per worker thread)\n");
    println!("| workload | 1 worker | 2 workers | 2 / 1 |");
    println!("|---|---|---|---|");
    let chain_engine = chain_engine();
    chain_engine
        .concept::<Chain>()
        .expect("registered")
        .limit
        .store(10, Ordering::Relaxed);
    let chains = move || {
        let engine = chain_engine.clone();
        async move {
            let report = engine
                .invoke(ChainAction::step { n: 0 })
                .await
                .expect("chain runs");
            assert_eq!(report.records.len(), 10);
        }
    };
    let per_client = settings.iterations;
    let (mut chain_rates, mut seed_rates) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    for _ in 0..settings.rounds {
        chain_rates.0.push(parallel_rate(1, per_client, chains.clone()));
        chain_rates.1.push(parallel_rate(2, per_client, chains.clone()));
        // Each measurement starts from empty concepts, like the seed section.
        for (workers, rates) in [(1, &mut seed_rates.0), (2, &mut seed_rates.1)] {
            let engine = auth_builder().build().expect("engine");
            // Every registration needs a new name, across this engine's clients.
            let next_user = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let seeds = move || {
                let engine = engine.clone();
                let user = next_user.fetch_add(1, Ordering::Relaxed);
                async move { seed_iteration(&engine, user).await }
            };
            rates.push(parallel_rate(workers, per_client / 2, seeds));
        }
    }
    for (name, unit, (one, two)) in [
        ("chain flows, L = 10", "flows/s", chain_rates),
        ("seed iterations", "iterations/s", seed_rates),
    ] {
        let (one, two) = (median(one), median(two));
        println!(
            "| {name} | {one:.0} {unit} | {two:.0} {unit} | {:.2}x |",
            two / one
        );
    }
}

/// Section 3: memory retained per finished flow.
async fn memory(settings: &Settings) {
    let flows = if settings.quick { 20_000 } else { 100_000 };
    let engine = auth_builder().build().expect("engine");
    // Counting from here on: what the warm-up allocates and keeps is in the
    // count before the measured flows start.
    COUNTING.store(true, Ordering::Relaxed);
    // Warm up: registered users stay in the concept's state, so measure
    // flows that change no state: logouts of unknown sessions.
    for _ in 0..1_000 {
        let _ = engine.request("/logout", json!({"session": "none"})).await;
    }
    let before = in_use();
    for _ in 0..flows {
        let answer = engine.request("/logout", json!({"session": "none"})).await;
        assert!(answer.is_ok_and(|answer| answer.body.contains_key("error")));
    }
    let after = in_use();
    println!("\n## Memory\n");
    println!(
        "retained after {flows} finished flows: {} bytes in all, {:.3} bytes per flow",
        after - before,
        (after - before) as f64 / flows as f64
    );
}
