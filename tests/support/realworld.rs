//! A RealWorld server on an ephemeral port, and a client call, shared by the
//! RealWorld tests.

use std::net::SocketAddr;

use serde_json::Value;
use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::Engine;

use super::{articles, concepts, syncs};

/// Starts the RealWorld backend on `database_url`; returns its API base URL.
pub async fn server(database_url: &str) -> String {
    let pool = concepts::open(database_url).await.expect("database");
    // Strict: a static-check finding (a request left unanswered, a sync
    // that never fires, a loop) fails every RealWorld test.
    let engine = articles::register(syncs::register(concepts::register(Engine::builder(), pool)))
        .strict_checks(true)
        .build()
        .expect("the RealWorld syncs pass the static checks");
    let config = HttpConfig {
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..HttpConfig::default()
    };
    let bound = HttpServer::new(engine, config).bind().await.expect("bind");
    let base = format!("http://{}/api", bound.local_addr().expect("address"));
    tokio::spawn(bound.run(std::future::pending()));
    base
}

/// A RealWorld server on a fresh SQLite file: the directory (keep it for as
/// long as the server runs) and the API base URL.
#[allow(dead_code)] // The scale-out test runs on PostgreSQL.
pub async fn sqlite_server() -> (tempfile::TempDir, String) {
    let directory = tempfile::tempdir().expect("directory");
    let url = format!("sqlite://{}", directory.path().join("realworld.db").display());
    let base = server(&url).await;
    (directory, base)
}

/// One JSON call, with an optional `Authorization: Token` header.
pub async fn call(
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Token {token}"));
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}
