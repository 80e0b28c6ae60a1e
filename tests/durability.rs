//! Durability: a server killed with SIGKILL in the middle of a load keeps,
//! once restarted on the same SQLite file, every user whose registration was
//! answered with success.
//!
//! The server runs in a child process: this test binary again, running the
//! ignored test `child_server` (which serves until killed).

#[path = "../examples/auth/store.rs"]
mod concepts;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::Engine;

const DATABASE: &str = "SYNCS_DURABILITY_DATABASE";
const PORT_FILE: &str = "SYNCS_DURABILITY_PORT_FILE";

/// The server of the parent test; does nothing unless started by it.
#[tokio::test]
#[ignore = "the server process of `a_killed_server_keeps_every_answered_registration`"]
async fn child_server() {
    let (Ok(database), Ok(port_file)) = (std::env::var(DATABASE), std::env::var(PORT_FILE)) else {
        return;
    };
    let pool = concepts::open(&format!("sqlite://{database}"))
        .await
        .expect("database");
    let engine = syncs::register(
        Engine::builder()
            .concept(concepts::UserAuthentication::new(pool.clone()))
            .concept(concepts::Sessioning::new(pool)),
    )
    .build()
    .expect("engine");
    let config = HttpConfig {
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..HttpConfig::default()
    };
    let bound = HttpServer::new(engine, config).bind().await.expect("bind");
    let address = bound.local_addr().expect("address");
    std::fs::write(&port_file, address.to_string()).expect("port file");
    bound.run(std::future::pending()).await.expect("serve");
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    /// A failing test must not leave its server running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(database: &Path, directory: &Path, generation: u32) -> Server {
    let port_file: PathBuf = directory.join(format!("port-{generation}"));
    // Owned by a `Server` at once: its `Drop` kills and reaps the child on
    // every path, panics included.
    let mut server = Server {
        child: Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--ignored",
                "--exact",
                "child_server",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DATABASE, database)
            .env(PORT_FILE, &port_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("child server"),
        base: String::new(),
    };
    let started = Instant::now();
    loop {
        if let Ok(address) = std::fs::read_to_string(&port_file) {
            if !address.is_empty() {
                server.base = format!("http://{address}/api");
                return server;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the child server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_keeps_every_answered_registration() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let database = directory.path().join("auth.db");
    let mut server = start(&database, directory.path(), 1);
    let client = reqwest::Client::new();

    // Registrations, 8 in flight at a time; once 30 have been answered, kill
    // the server (SIGKILL) with the others still in flight.
    let answered_so_far = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(tokio::sync::Semaphore::new(8));
    let mut tasks = Vec::new();
    for index in 0.. {
        if answered_so_far.load(Ordering::SeqCst) >= 30 {
            break;
        }
        assert!(index < 5_000, "the server answered too few registrations");
        let permit = gate.clone().acquire_owned().await.expect("semaphore");
        let client = client.clone();
        let url = format!("{}/UserAuthentication/register", server.base);
        let counter = answered_so_far.clone();
        tasks.push(tokio::spawn(async move {
            let username = format!("durable-{index}");
            let answer = client
                .post(url)
                .json(&json!({"username": username, "password": "pw"}))
                .send()
                .await;
            drop(permit);
            let success = answer.ok()?.status() == 200;
            if success {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            success.then_some(username)
        }));
    }
    server.child.kill().expect("kill");
    let _ = server.child.wait();
    let tasks_started = tasks.len();
    let mut answered = Vec::new();
    for task in tasks {
        if let Some(username) = task.await.expect("task") {
            answered.push(username);
        }
    }
    assert!(
        answered.len() >= 30,
        "the load ran before the kill: {} answered",
        answered.len()
    );
    assert!(
        answered.len() < tasks_started,
        "the kill interrupted requests in flight"
    );

    let restarted = start(&database, directory.path(), 2);
    for username in &answered {
        let login = client
            .post(format!("{}/UserAuthentication/login", restarted.base))
            .json(&json!({"username": username, "password": "pw"}))
            .send()
            .await
            .expect("sent");
        assert_eq!(
            login.status(),
            200,
            "{username} was answered with success, so it must survive"
        );
    }
    eprintln!(
        "durability: {tasks_started} registrations sent, {} answered with success before SIGKILL, all present \
         after restart",
        answered.len()
    );
}
