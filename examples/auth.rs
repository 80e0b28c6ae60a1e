//! The seed's auth app, run in-process.
#[path = "auth/concepts.rs"]
mod concepts;
#[path = "auth/syncs.rs"]
mod syncs;

#[tokio::main]
async fn main() {
    let engine = syncs::register(
        syncs_runtime::Engine::builder()
            .concept(concepts::UserAuthentication::default())
            .concept(concepts::Sessioning::default()),
    )
    .build()
    .expect("auth app");
    let r = engine
        .request(
            "/UserAuthentication/register",
            serde_json::json!({"username": "alice", "password": "pw"}),
        )
        .await;
    println!("{r:?}");
}
