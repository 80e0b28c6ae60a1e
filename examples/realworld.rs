//! The RealWorld ("Conduit") API in concepts and syncs:
//! `cargo run --release --example realworld` serves it on
//! `127.0.0.1:$PORT` (default 8080) under `/api`, with its state in SQLite
//! (`DATABASE_URL`, default `sqlite://realworld.db`).
//!
//! This is the first slice: users (registration, login, current user,
//! update). Profiles, articles, comments, tags and favorites come next.

#[path = "realworld/articles.rs"]
mod articles;
#[path = "realworld/concepts.rs"]
mod concepts;
#[path = "realworld/json.rs"]
mod json;
#[path = "realworld/syncs.rs"]
mod syncs;

use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::Engine;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://realworld.db".to_owned());
    let pool = concepts::open(&url).await?;
    let engine = articles::register(syncs::register(concepts::register(Engine::builder(), pool))).build()?;
    let mut config = HttpConfig::from_env()?;
    if std::env::var("PORT").is_err() {
        config.address.set_port(8080);
    }
    HttpServer::new(engine, config).serve().await?;
    Ok(())
}
