#[path = "../../concepts.rs"]
mod concepts;
use concepts::*;
use syncs_runtime::{Engine, RequestingAction};

async fn start(engine: &Engine) {
    // The concept itself, not one of its actions.
    let _ = engine.invoke(Accounts).await;
    // Requesting's actions come from the HTTP server or `Engine::request`.
    let _ = engine
        .invoke(RequestingAction::respond {
            request: syncs_runtime::RequestId(1),
            fields: Default::default(),
        })
        .await;
}

fn main() {
    let _ = start;
}
