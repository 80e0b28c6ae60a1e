//! Load: thousands of concurrent requests over loopback against the auth app
//! (its in-memory concepts), every answer its own request's, no errors, and
//! the memory of finished flows given back.

#[path = "../examples/auth/concepts.rs"]
mod concepts;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::{json, Value};
use syncs_runtime::http::{HttpConfig, HttpServer};
use tokio::sync::Semaphore;

#[path = "../benches/support/counting.rs"]
mod counting;

use counting::in_use;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

const REQUESTS: usize = 2_000;
const CONCURRENCY: usize = 100;

async fn post(client: &reqwest::Client, url: String, body: Value) -> Result<(u16, Value), String> {
    let response = client
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let body = response.json().await.map_err(|error| error.to_string())?;
    Ok((status, body))
}

/// Runs `REQUESTS` requests, `CONCURRENCY` at a time; returns the answers by index.
async fn burst(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    body: impl Fn(usize) -> Value,
) -> Vec<(u16, Value)> {
    let gate = Arc::new(Semaphore::new(CONCURRENCY));
    let mut tasks = Vec::with_capacity(REQUESTS);
    for index in 0..REQUESTS {
        let permit = gate.clone().acquire_owned().await.expect("semaphore");
        let client = client.clone();
        let url = format!("{base}{path}");
        let body = body(index);
        tasks.push(tokio::spawn(async move {
            let answer = post(&client, url, body).await;
            drop(permit);
            answer
        }));
    }
    let mut answers = Vec::with_capacity(REQUESTS);
    for task in tasks {
        answers.push(task.await.expect("task").expect("answered"));
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_concurrent_requests_stay_apart_and_leave_nothing_behind() {
    let engine = syncs::register(concepts::in_memory()).build().expect("engine");
    let users = engine
        .concept::<concepts::UserAuthentication>()
        .expect("registered");
    let config = HttpConfig {
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..HttpConfig::default()
    };
    let bound = HttpServer::new(engine, config).bind().await.expect("bind");
    let base = format!("http://{}/api", bound.local_addr().expect("address"));
    tokio::spawn(bound.run(std::future::pending()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .expect("client");

    // Every registration's answer names the user its own request registered.
    let answers = burst(
        &client,
        &base,
        "/UserAuthentication/register",
        |index| json!({"username": format!("load-{index}"), "password": "pw"}),
    )
    .await;
    for (index, (status, body)) in answers.iter().enumerate() {
        assert_eq!(*status, 200, "request {index}: {body}");
        let user = body["user"].as_str().expect("user id").to_owned();
        let name = users._get_username(user).await.expect("registered");
        assert_eq!(name.username, format!("load-{index}"), "answers never cross");
    }

    // Flows change no state here (unknown sessions). The first burst sets up
    // connections and buffers, so compare the bytes in use after the second
    // burst with those after the fourth: finished flows must not add up.
    let unknown = |index: usize| json!({ "session": format!("no-such-session-{index}") });
    let mut errors = 0;
    let mut bytes_in_use = Vec::new();
    for _ in 0..4 {
        let answers = burst(&client, &base, "/logout", unknown).await;
        errors += answers
            .iter()
            .filter(|(status, body)| {
                !(*status == 400
                    && body["error"]
                        .as_str()
                        .is_some_and(|error| error.starts_with("no session")))
            })
            .count();
        drop(answers);
        // Let the server's flow tasks finish dropping after their last response.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        bytes_in_use.push(in_use());
    }
    assert_eq!(
        errors, 0,
        "every logout of an unknown session is answered with its error"
    );
    let (before, after) = (bytes_in_use[1], bytes_in_use[3]);
    let per_request = (after - before) as f64 / (2 * REQUESTS) as f64;
    eprintln!(
        "load: {} requests, {CONCURRENCY} concurrent; bytes in use after each burst: {bytes_in_use:?}; \
         {per_request:.1} bytes per request retained",
        5 * REQUESTS
    );
    // One-sided: buffers may be given back (a decrease), but leaked flows
    // would add hundreds of bytes per request, burst after burst.
    assert!(
        per_request < 64.0,
        "{} bytes more in use after {} more finished flows ({per_request:.1} per request)",
        after - before,
        2 * REQUESTS
    );
}
