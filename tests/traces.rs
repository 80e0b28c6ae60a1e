//! Traces at the most verbose level never show a secret. In a test binary of
//! its own: `tracing` caches per call site whether anyone listens, and tests
//! running alongside without a subscriber would race with this one's.

#[path = "../examples/auth/concepts.rs"]
mod concepts;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use syncs_runtime::Engine;

/// A log sink for one test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

#[tokio::test]
async fn secrets_never_appear_in_traces_at_the_most_verbose_level() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let engine = syncs::register(
        Engine::builder()
            .concept(concepts::UserAuthentication::default())
            .concept(concepts::Sessioning::default()),
    )
    .build()
    .expect("engine");
    let credentials = json!({"username": "alice", "password": "hunter2-very-secret"});
    engine
        .request("/UserAuthentication/register", credentials.clone())
        .await
        .expect("registered");
    let login = engine
        .request("/UserAuthentication/login", credentials)
        .await
        .expect("logged in");
    let session = login.body["session"].as_str().expect("session").to_owned();
    engine
        .request("/logout", json!({ "session": session }))
        .await
        .expect("logged out");
    // An unanswered request logs its explanation, with the records in it.
    engine
        .request(
            "/UserAuthentication/login",
            json!({"password": "hunter2-very-secret"}),
        )
        .await
        .expect_err("no username: no sync starts");

    let text = logs.text();
    assert!(
        text.contains("UserAuthentication.login"),
        "actions are traced:\n{text}"
    );
    assert!(text.contains("<redacted>"), "secrets are shown redacted:\n{text}");
    assert!(
        text.contains("sync=\"LoginRequest\" stage=\"after when\"")
            || text.contains("sync=LoginRequest stage=after when"),
        "frames are traced:\n{text}"
    );
    assert!(
        !text.contains("hunter2-very-secret"),
        "the password leaked:\n{text}"
    );
    assert!(!text.contains(&session), "the session token leaked:\n{text}");
}
