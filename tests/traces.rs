//! Traces at the most verbose level never show a secret, and a request opens
//! its flow's span only when debug traces are on. In a test binary of its
//! own: `tracing` caches per call site whether anyone listens, and tests
//! running alongside without a subscriber would race with this one's.

#[path = "../examples/auth/concepts.rs"]
mod concepts;
#[path = "support/logs.rs"]
mod logs;
#[path = "support/server.rs"]
mod server;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

use std::sync::{Arc, Mutex};

use concepts::Sessioning;
use logs::Captured;
use serde_json::json;
use server::Serving;
use syncs_runtime::{ActionError, Engine, Response};

fn auth_engine() -> Engine {
    syncs::register(concepts::in_memory()).build().expect("engine")
}

/// Registers a user with `credentials`, then logs them in: the login's answer.
async fn register_and_log_in(engine: &Engine, credentials: serde_json::Value) -> Response {
    engine
        .request("/UserAuthentication/register", credentials.clone())
        .await
        .expect("registered");
    engine
        .request("/UserAuthentication/login", credentials)
        .await
        .expect("logged in")
}

#[tokio::test]
async fn secrets_never_appear_in_traces_at_the_most_verbose_level() {
    let (logs, _guard) = Captured::at(tracing::Level::TRACE);

    let engine = auth_engine();
    let login = register_and_log_in(
        &engine,
        json!({"username": "alice", "password": "hunter2-very-secret"}),
    )
    .await;
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

/// A concept whose secrets are in its query: a `#[secret]` input, and a
/// row field named in `#[secret(...)]`, under names no list of secret
/// words knows.
pub struct Vault;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Opened {
    pub digest: String,
}

#[syncs_runtime::concept]
impl Vault {
    #[secret(digest)]
    pub async fn _open(&self, #[secret] code: String) -> Option<Opened> {
        Some(Opened {
            digest: format!("{code}-digest"),
        })
    }
}

syncs_runtime::sync! {
    pub OpenVault
    when
        Requesting.request (path: "/vault", code) : (request)
    where
        Vault._open (code) : (digest)
        let opened = !digest.is_empty()
    then
        Requesting.respond (request, opened)
}

#[tokio::test]
async fn the_secrets_of_queries_never_appear_in_traces() {
    let (logs, _guard) = Captured::at(tracing::Level::TRACE);
    let engine = Engine::builder()
        .concept(Vault)
        .sync(OpenVault)
        .build()
        .expect("engine");
    let answer = engine
        .request("/vault", json!({"code": "4711-q-secret"}))
        .await
        .expect("answered");
    assert_eq!(answer.body["opened"], true);
    let text = logs.text();
    assert!(
        text.contains("sync=\"OpenVault\"") || text.contains("sync=OpenVault"),
        "frames are traced:\n{text}"
    );
    assert!(
        !text.contains("4711-q-secret"),
        "the query's secret input leaked:\n{text}"
    );
}

syncs_runtime::sync! {
    /// Secrets under names no list of secret words knows: a value made from
    /// the authorization header by `let`, and a request field given to a
    /// query's `#[secret]` input.
    pub OpenWithHeader
    when
        Requesting.request (path: "/vault-by-header", authorization, pin) : (request)
    where
        let given = authorization.as_str().unwrap_or_default().to_owned()
        Vault._open (code: pin) : (digest)
        let opened = !given.is_empty() && !digest.is_empty()
    then
        Requesting.respond (request, opened)
}

#[tokio::test]
async fn values_made_from_secrets_or_given_to_secret_inputs_are_hidden() {
    let (logs, _guard) = Captured::at(tracing::Level::TRACE);
    let engine = Engine::builder()
        .concept(Vault)
        .sync(OpenWithHeader)
        .build()
        .expect("engine");
    let answer = engine
        .request(
            "/vault-by-header",
            json!({"authorization": "Token tk-4242-x", "pin": "pin-7777-y"}),
        )
        .await
        .expect("answered");
    assert_eq!(answer.body["opened"], true);
    let text = logs.text();
    assert!(text.contains("after where step 1"), "frames are traced:\n{text}");
    // Each stage names its step, as written.
    assert!(
        text.contains("stage=\"after where step 2 `Vault._open(code: pin) : (digest)`\""),
        "{text}"
    );
    assert!(!text.contains("tk-4242-x"), "the token leaked:\n{text}");
    assert!(!text.contains("pin-7777-y"), "the pin leaked:\n{text}");
}

/// A concept whose `#[secret(...)]` names are checked against its types.
pub struct Keys;

/// Serialized as `{"apiKey": ...}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Issued {
    pub api_key: String,
}

/// No `Deserialize`: its fields cannot be learned.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Opaque {
    pub key: String,
}

#[syncs_runtime::concept]
impl Keys {
    /// Misspelled: the key would show in traces.
    #[secret(api_ky)]
    pub async fn issue(&self) -> Result<Issued, ActionError> {
        Ok(Issued {
            api_key: "k".to_owned(),
        })
    }

    /// The serialized name: right.
    #[secret(apiKey)]
    pub async fn reissue(&self) -> Result<Issued, ActionError> {
        Ok(Issued {
            api_key: "k".to_owned(),
        })
    }

    #[secret(nothing_to_check)]
    pub async fn open(&self) -> Result<Opaque, ActionError> {
        Ok(Opaque { key: "k".to_owned() })
    }

    #[secret(digest, dgest)]
    pub async fn _list(&self) -> Vec<Opened> {
        Vec::new()
    }
}

#[test]
fn a_misspelled_secret_field_is_a_finding() {
    let engine = Engine::builder()
        .concept(Keys)
        .entry_point::<Keys>("issue")
        .build()
        .expect("engine");
    let found: Vec<String> = engine.findings().iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "#[secret(api_ky)] on Keys.issue names no field of what it returns (its fields: apiKey): \
             the field it means is not hidden in traces",
            "#[secret(dgest)] on Keys._list names no field of what it returns (its fields: digest): \
             the field it means is not hidden in traces",
        ]
    );
    let strict = Engine::builder().concept(Keys).strict_checks(true).build();
    assert!(
        matches!(strict, Err(syncs_runtime::BuildError::Findings(ref findings)) if findings.len() == 2),
        "{:?}",
        strict.err()
    );
    // What `expect` prints: the findings as sentences.
    let shown = format!("{:?}", strict.err().expect("refused"));
    assert!(
        shown.starts_with(
            "BuildError::Findings: the static checks of the syncs found problems:\n- #[secret(api_ky)] on Keys.issue"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("\n  UnknownSecretField { concept: \"Keys\", operation: \"issue\", field: \"api_ky\""),
        "and as the value allow_finding takes: {shown}"
    );
}

/// Records each span opened under one subscriber: its name and field names.
#[derive(Clone, Default)]
struct OpenedSpans(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for OpenedSpans {
    fn on_new_span(
        &self,
        attributes: &tracing::span::Attributes<'_>,
        _id: &tracing::span::Id,
        _context: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let fields: Vec<&str> = attributes.fields().iter().map(|field| field.name()).collect();
        let line = format!("{} {}", attributes.metadata().name(), fields.join(","));
        self.0.lock().expect("span list").push(line);
    }
}

/// Runs one login under a subscriber that keeps `level` and above, and
/// returns the spans the engine opened meanwhile.
async fn spans_of_a_login(level: tracing::level_filters::LevelFilter) -> Vec<String> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::Layer;
    let opened = OpenedSpans::default();
    let subscriber = tracing_subscriber::registry().with(opened.clone().with_filter(level));
    let _guard = tracing::subscriber::set_default(subscriber);
    register_and_log_in(&auth_engine(), json!({"username": "carol", "password": "pw"})).await;
    let spans = opened.0.lock().expect("span list").clone();
    spans
}

#[tokio::test]
async fn requests_open_their_flow_span_at_debug_and_none_at_info() {
    // At info (the apps' default), a span per request would cost a third of
    // the engine's throughput and print nothing.
    let at_info = spans_of_a_login(tracing::level_filters::LevelFilter::INFO).await;
    assert!(at_info.is_empty(), "no span at info: {at_info:?}");
    // At debug the flow's actions are logged, inside a span naming the
    // request and its path.
    let at_debug = spans_of_a_login(tracing::level_filters::LevelFilter::DEBUG).await;
    assert_eq!(
        at_debug,
        vec!["flow request,path".to_owned(), "flow request,path".to_owned()],
        "one flow span per request"
    );
}

syncs_runtime::sync! {
    /// Starts on `/forgotten` and never answers.
    pub Forgotten
    when
        Requesting.request (path: "/forgotten", text) : ()
    then
        Sessioning.delete (session: text)
}

#[tokio::test]
async fn a_client_mistake_is_not_a_warning_but_an_unanswered_request_is() {
    // Built before the capture: its static check warns that `/forgotten`
    // is never answered, rightly.
    let engine = syncs::register(concepts::in_memory())
        .sync(Forgotten)
        .build()
        .expect("engine");
    let (logs, _guard) = Captured::at(tracing::Level::WARN);
    let server = Serving::start(engine, |_| {}, |server| server).await;
    let base = server.base();
    let client = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value| client.post(format!("{base}{path}")).json(&body).send();

    // A field missing: the client's mistake, answered 400, not logged.
    let response = post("/logout", json!({})).await.expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    assert!(
        logs.text().is_empty(),
        "a client's mistake is not a warning:\n{}",
        logs.text()
    );

    // A request a sync started on but none answers: the app's gap, a 500
    // and a warning that explains it.
    let response = post("/forgotten", json!({"text": "x"})).await.expect("sent");
    assert_eq!(response.status().as_u16(), 500);
    let text = logs.text();
    assert!(text.contains("WARN"), "{text}");
    assert!(text.contains("ended without responding"), "{text}");
    assert!(
        text.contains("Sessioning.delete"),
        "the explanation names the flow's actions: {text}"
    );
    server.stop().await;
}

syncs_runtime::sync! {
    /// Answers `/twice` first.
    pub AnswerFirst
    when
        Requesting.request (path: "/twice") : (request)
    then
        Requesting.respond (request, said: "first")

    /// Answers `/twice` again: a mistake in the syncs.
    pub AnswerAgain
    when
        Requesting.request (path: "/twice") : (request)
    then
        Requesting.respond (request, said: "again")
}

/// The answer to a request to `path`, and the warning about a second
/// respond that its flow logs after it.
async fn answer_and_second_respond_warning(engine: &Engine, path: &str) -> (Response, String) {
    let (logs, _guard) = Captured::at(tracing::Level::WARN);
    let answer = engine.request(path, json!({})).await.expect("answered");
    // The flow goes on after its answer: wait for its second respond.
    engine.drain().await;
    let text = logs.text();
    let warning = text
        .lines()
        .find(|line| line.contains("refused a second respond"))
        .unwrap_or_else(|| panic!("no warning in {text}"));
    (answer, warning.to_owned())
}

/// Two syncs answering one request: the first answer stands, and the
/// warning names both syncs, so that the mistake can be found.
#[tokio::test]
async fn a_second_respond_is_refused_and_its_warning_names_both_syncs() {
    let engine = Engine::builder()
        .sync(AnswerFirst)
        .sync(AnswerAgain)
        .build()
        .expect("engine");
    let (answer, warning) = answer_and_second_respond_warning(&engine, "/twice").await;
    assert_eq!(answer.body["said"], "first");
    assert!(
        warning.contains("refused_sync=\"AnswerAgain\"") && warning.contains("answered_by=\"AnswerFirst\""),
        "{warning}"
    );
}

/// A shelf of two books, for a sync that answers once per row.
#[derive(Default)]
pub struct Shelf;

/// A book on the shelf.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Book {
    /// Its title.
    pub title: String,
}

#[syncs_runtime::concept]
impl Shelf {
    /// Every book.
    pub async fn _books(&self) -> Vec<Book> {
        ["Emma", "Ivanhoe"]
            .map(|title| Book {
                title: title.to_owned(),
            })
            .into()
    }
}

syncs_runtime::sync! {
    /// Answers with a title per book: a `collect` forgotten.
    pub EveryBook
    when
        Requesting.request (path: "/books") : (request)
    where
        Shelf._books () : (title)
    then
        Requesting.respond (request, title)
}

/// A sync that answers a request once per row of a query: the warning on
/// its second answer says why, and what gathers the rows into one.
#[tokio::test]
async fn a_sync_answering_once_per_row_is_told_to_collect() {
    let engine = Engine::builder()
        .concept(Shelf)
        .sync(EveryBook)
        .build()
        .expect("engine");
    let (answer, warning) = answer_and_second_respond_warning(&engine, "/books").await;
    assert_eq!(answer.body["title"], "Emma");
    assert!(
        warning.contains("more than one frame") && warning.contains("`collect`"),
        "{warning}"
    );
}

/// An unanswered request's explanation is logged once, by whoever reports
/// it (here `Engine::request`, with a warning), even at debug level.
#[tokio::test]
async fn an_unanswered_request_is_explained_once_at_debug_level() {
    let engine = syncs::register(concepts::in_memory())
        .sync(Forgotten)
        .build()
        .expect("engine");
    let (logs, _guard) = Captured::at(tracing::Level::DEBUG);
    let error = engine
        .request("/forgotten", json!({"text": "x"}))
        .await
        .expect_err("unanswered");
    assert!(
        matches!(error, syncs_runtime::RequestError::Unanswered { .. }),
        "{error:?}"
    );
    let text = logs.text();
    assert_eq!(text.matches("The flow's actions:").count(), 1, "{text}");
}
