//! A RealWorld server on an ephemeral port, and a client call, shared by the
//! RealWorld tests.

use std::net::SocketAddr;

use serde_json::Value;
use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::Engine;

use super::{articles, concepts, syncs};

/// Starts the RealWorld backend on `database_url`; returns its API base URL.
pub async fn server(database_url: &str) -> String {
    server_with(database_url, |_| {}).await
}

/// [`server`], with its HTTP settings as `configure` changes them.
pub async fn server_with(database_url: &str, configure: impl FnOnce(&mut HttpConfig)) -> String {
    let pool = concepts::open(database_url).await.expect("database");
    // Strict: a static-check finding (a request left unanswered, a sync
    // that never fires, a loop) fails every RealWorld test.
    let engine = articles::register(syncs::register(concepts::register(Engine::builder(), pool)))
        .strict_checks(true)
        .build()
        .expect("the RealWorld syncs pass the static checks");
    let mut config = HttpConfig {
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..HttpConfig::default()
    };
    configure(&mut config);
    let bound = HttpServer::new(engine, config).bind().await.expect("bind");
    let base = format!("http://{}/api", bound.local_addr().expect("address"));
    tokio::spawn(bound.run(std::future::pending()));
    base
}

/// A fresh SQLite file's URL, and its directory (keep it for as long as the
/// database is used).
#[allow(dead_code)] // The scale-out test runs on PostgreSQL.
pub fn sqlite_database() -> (tempfile::TempDir, String) {
    let directory = tempfile::tempdir().expect("directory");
    let url = format!("sqlite://{}", directory.path().join("realworld.db").display());
    (directory, url)
}

/// A RealWorld server on a fresh SQLite file: the directory (keep it for as
/// long as the server runs) and the API base URL.
#[allow(dead_code)] // The scale-out test runs on PostgreSQL.
pub async fn sqlite_server() -> (tempfile::TempDir, String) {
    let (directory, url) = sqlite_database();
    let base = server(&url).await;
    (directory, base)
}

/// One JSON call, with an optional `Authorization: Token` header: the
/// status and the JSON answer (`null` for none, as a 204 has).
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
    let body = response.bytes().await.expect("body");
    if body.is_empty() {
        return (status, Value::Null);
    }
    (status, serde_json::from_slice(&body).expect("JSON"))
}

/// Lists and counts articles among more ids than a query may have
/// placeholders (SQLite allows 32,766, PostgreSQL 65,535), as a popular tag
/// or a user's favorites give `Article._list`.
pub async fn articles_among_many_ids_are_listed(database_url: &str) {
    let pool = concepts::open(database_url).await.expect("database");
    let articles = concepts::Article::new(pool);
    let author = format!("author-{}", unique());
    let mut ids: Vec<String> = (0..70_000).map(|n| format!("unknown-{n}")).collect();
    for title in ["first", "second"] {
        let published = articles
            .create(
                author.clone(),
                title.to_owned(),
                "about".to_owned(),
                "text".to_owned(),
            )
            .await
            .expect("published");
        ids.push(published.article);
    }
    let listed = articles
        ._list(Some(vec![author.clone()]), Some(ids.clone()), 20, 0)
        .await
        .expect("listed");
    let titles: Vec<&str> = listed.iter().map(|row| row.title.as_str()).collect();
    assert_eq!(titles, ["second", "first"]);
    let counted = articles
        ._count(Some(vec![author]), Some(ids))
        .await
        .expect("counted");
    assert_eq!(counted.map(|row| row.count), Some(2));
}

/// A name no other test run uses, for a database the runs share.
pub fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default()
}

/// Held by the tests that hold the hashing queue (one process-wide
/// semaphore): run together, one would wait out the other's hold.
#[allow(dead_code)] // Only tests/realworld.rs holds the queue.
pub static HOLDING_THE_HASHING_QUEUE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
