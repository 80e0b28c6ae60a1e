//! The seed's auth app as an HTTP server: `cargo run --example auth`.
//!
//! Users and sessions live in SQLite (`DATABASE_URL`, default
//! `sqlite://auth.db` in the working directory); the API is under `/api` on
//! `127.0.0.1:$PORT` (default 8000). `RUST_LOG` sets the log level.
//!
//! `cargo run --example auth -- --graph dot` (or `mermaid`) prints the sync
//! graph instead of serving.

// The SQL-backed concepts, under the name the seed's syncs import them by.
#[path = "auth/store.rs"]
mod concepts;
#[path = "support/logging.rs"]
mod logging;
#[path = "auth/syncs.rs"]
mod syncs;

use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::Engine;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    logging::init("info");
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let graph = match arguments.as_slice() {
        [] => None,
        [flag, format] if flag == "--graph" && (format == "dot" || format == "mermaid") => {
            Some(format.clone())
        }
        _ => return Err("usage: auth [--graph dot|mermaid]".into()),
    };
    let url = match graph {
        Some(_) => "sqlite::memory:".to_owned(),
        None => std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://auth.db".to_owned()),
    };
    let pool = concepts::open(&url).await?;
    let engine = syncs::register(
        Engine::builder()
            .concept(concepts::UserAuthentication::new(pool.clone()))
            .concept(concepts::Sessioning::new(pool)),
    )
    .build()?;
    if let Some(format) = graph {
        let graph = engine.graph();
        print!(
            "{}",
            if format == "dot" {
                graph.to_dot()
            } else {
                graph.to_mermaid()
            }
        );
        return Ok(());
    }
    let config = HttpConfig::from_env()?;
    HttpServer::new(engine, config).serve().await?;
    Ok(())
}
