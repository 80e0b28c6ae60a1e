//! The RealWorld ("Conduit") API in concepts and syncs:
//! `cargo run --release --example realworld` serves it on
//! `127.0.0.1:$PORT` (default 8080) under `/api`, with its state in SQLite
//! (`DATABASE_URL`, default `sqlite://realworld.db`).
//!
//! Users, profiles, articles, comments, tags and favorites, from eight
//! concepts and their syncs; `DATABASE_URL=postgres://...` keeps the state
//! in PostgreSQL instead.

#[path = "realworld/articles.rs"]
mod articles;
#[path = "realworld/concepts.rs"]
mod concepts;
#[path = "realworld/json.rs"]
mod json;
#[path = "support/logging.rs"]
mod logging;
#[path = "realworld/syncs.rs"]
mod syncs;

use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::Engine;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    logging::init("info");
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
