//! A checkout whose payment can be declined, undone by a compensating sync:
//! `cargo run --example checkout`, then
//!
//! ```sh
//! curl -s -XPOST localhost:8000/api/checkout -H 'content-type: application/json' -d '{"item":"pen","qty":2}'
//! curl -s -XPOST localhost:8000/api/checkout -H 'content-type: application/json' -d '{"item":"piano","qty":1}'
//! curl -s localhost:8000/api/orders/order-2
//! ```
//!
//! The concepts and syncs are in `checkout/app.rs`; `RUST_LOG`, `PORT` and
//! the other server settings are read as the auth example reads them.

#[path = "checkout/app.rs"]
mod app;
#[path = "support/logging.rs"]
mod logging;

use syncs_runtime::http::{HttpConfig, HttpServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    logging::init("info");
    // Every unanswered outcome or sync that cannot fire stops the start.
    let engine = app::builder().strict_checks(true).build()?;
    HttpServer::new(engine, HttpConfig::from_env()?).serve().await?;
    Ok(())
}
