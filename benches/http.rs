//! HTTP benchmark: the auth app's login through the engine, against a
//! hand-written axum handler making the same concept calls, under the same
//! load from `wrk`, side by side in one run (see BENCHMARKS.md).
//!
//! `cargo bench --bench http` (needs `wrk` on the PATH: `apt-get install wrk`).

#[path = "../examples/auth/concepts.rs"]
mod concepts;
#[path = "../examples/support/logging.rs"]
mod logging;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use syncs_runtime::http::{HttpConfig, HttpServer};

/// The same allocator as the engine benchmark, for both servers.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LUA: &str = r#"
wrk.method = "POST"
wrk.body = '{"username":"bench","password":"pw"}'
wrk.headers["Content-Type"] = "application/json"
"#;

struct Load {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn duration_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let (number, factor) = if let Some(value) = text.strip_suffix("us") {
        (value, 0.001)
    } else if let Some(value) = text.strip_suffix("ms") {
        (value, 1.0)
    } else if let Some(value) = text.strip_suffix('s') {
        (value, 1000.0)
    } else {
        return None;
    };
    number.trim().parse::<f64>().ok().map(|value| value * factor)
}

/// Runs wrk against `url`; `pinned`, on the second core (the servers run
/// on the first, see `main`): the two do not trade places.
fn wrk(url: &str, script: &str, seconds: u32, pinned: bool) -> Option<Load> {
    let mut command = if pinned {
        let mut command = Command::new("taskset");
        command.args(["-c", "1", "wrk"]);
        command
    } else {
        Command::new("wrk")
    };
    let output = command
        .args([
            "-t1",
            "-c16",
            &format!("-d{seconds}s"),
            "--latency",
            "-s",
            script,
            url,
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let value_after = |label: &str| {
        text.lines()
            .find(|line| line.trim_start().starts_with(label))
            .and_then(|line| {
                line.trim_start()[label.len()..]
                    .split_whitespace()
                    .next()
                    .map(str::to_owned)
            })
    };
    Some(Load {
        requests_per_second: value_after("Requests/sec:")?.parse().ok()?,
        p50_ms: duration_ms(&value_after("50%")?)?,
        p99_ms: duration_ms(&value_after("99%")?)?,
    })
}

#[derive(Clone)]
struct Direct {
    users: Arc<concepts::UserAuthentication>,
    sessions: Arc<concepts::Sessioning>,
}

/// The login request written by hand: the same concept calls, no engine.
async fn login(State(direct): State<Direct>, Json(body): Json<Value>) -> Json<Value> {
    let username = body["username"].as_str().unwrap_or_default().to_owned();
    let password = body["password"].as_str().unwrap_or_default().to_owned();
    match direct.users.login(username, password).await {
        Ok(user) => match direct.sessions.create(user.user).await {
            Ok(created) => Json(json!({ "session": created.session })),
            Err(_) => Json(json!({ "error": "session" })),
        },
        Err(_) => Json(json!({ "error": "wrong username or password" })),
    }
}

#[tokio::main(worker_threads = 1)]
async fn main() {
    // Both servers log as a quiet server: warnings only (see benches/engine.rs).
    logging::init("warn");
    let seconds: u32 = if std::env::args().any(|argument| argument == "quick") {
        3
    } else {
        10
    };
    // Every thread of this process (both servers) on the first core and wrk
    // on the second, when there are two cores and `taskset` to pin them.
    let pinned = std::thread::available_parallelism().is_ok_and(|cores| cores.get() >= 2)
        && Command::new("taskset").arg("-V").output().is_ok();
    if pinned {
        let _ = Command::new("taskset")
            .args(["-a", "-p", "-c", "0", &std::process::id().to_string()])
            .output();
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("wrk is not installed (apt-get install wrk): skipping the HTTP benchmark");
        return;
    }
    let script = std::env::temp_dir().join("syncs-login.lua");
    std::fs::write(&script, LUA).expect("write the wrk script");
    let script = script.to_string_lossy().into_owned();

    let engine = syncs::register(concepts::in_memory()).build().expect("engine");
    engine
        .request(
            "/UserAuthentication/register",
            json!({"username": "bench", "password": "pw"}),
        )
        .await
        .expect("registered");
    let config = HttpConfig {
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..HttpConfig::default()
    };
    let bound = HttpServer::new(engine, config).bind().await.expect("bind");
    let engine_url = format!(
        "http://{}/api/UserAuthentication/login",
        bound.local_addr().expect("address")
    );
    tokio::spawn(bound.run(std::future::pending()));

    let direct = Direct {
        users: Arc::new(concepts::UserAuthentication::default()),
        sessions: Arc::new(concepts::Sessioning::default()),
    };
    direct
        .users
        .register("bench".into(), "pw".into())
        .await
        .expect("registered");
    let app = axum::Router::new()
        .route("/api/UserAuthentication/login", axum::routing::post(login))
        .with_state(direct);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let direct_url = format!(
        "http://{}/api/UserAuthentication/login",
        listener.local_addr().expect("address")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });

    // Alternate the two, three times, and keep each one's best round: the
    // machine's noise only ever slows a round down.
    let url_of = |name: &str| {
        if name == "engine" {
            engine_url.clone()
        } else {
            direct_url.clone()
        }
    };
    let mut best: Vec<(&str, Load)> = Vec::new();
    for _ in 0..3 {
        // `engine-only` and `hand-only` load one server, for profiling it.
        let only = |which: &str| std::env::args().any(|argument| argument == which);
        let names: &[&str] = if only("engine-only") {
            &["engine"]
        } else if only("hand-only") {
            &["hand-written axum"]
        } else {
            &["engine", "hand-written axum"]
        };
        for name in names.iter().copied() {
            let url = url_of(name);
            let script = script.clone();
            let load = tokio::task::spawn_blocking(move || wrk(&url, &script, seconds, pinned))
                .await
                .expect("wrk ran")
                .expect("wrk output parsed");
            match best.iter_mut().find(|(seen, _)| *seen == name) {
                Some((_, kept)) if kept.requests_per_second >= load.requests_per_second => {}
                Some((_, kept)) => *kept = load,
                None => best.push((name, load)),
            }
        }
    }
    println!("## HTTP: POST /api/UserAuthentication/login (wrk -t1 -c16 -d{seconds}s, server on 1 worker thread)\n");
    println!("| server | requests/s | p50 | p99 |");
    println!("|---|---|---|---|");
    for (name, load) in &best {
        println!(
            "| {name} | {:.0} | {:.3} ms | {:.3} ms |",
            load.requests_per_second, load.p50_ms, load.p99_ms
        );
    }
    if let [(_, engine), (_, direct)] = &best[..] {
        println!(
            "\nengine / hand-written = {:.2}x requests/s",
            engine.requests_per_second / direct.requests_per_second
        );
    }
}
