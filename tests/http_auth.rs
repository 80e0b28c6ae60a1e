//! The auth app over real HTTP on loopback, with its SQLite store.

#[path = "../examples/auth/store.rs"]
mod concepts;
#[path = "support/logs.rs"]
mod logs;
#[path = "support/raw.rs"]
mod raw;
#[path = "support/server.rs"]
mod server;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use server::Serving;
use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::{concept, sync, ActionError, Engine};

/// A running server and its engine.
struct Server {
    serving: Serving,
    engine: Engine,
}

impl Server {
    async fn start(engine: Engine, configure: impl FnOnce(&mut HttpConfig), passthrough: bool) -> Server {
        let routes = |server: HttpServer| match passthrough {
            true => server.passthrough::<concepts::Sessioning>("create"),
            false => server,
        };
        Server {
            serving: Serving::start(engine.clone(), configure, routes).await,
            engine,
        }
    }

    async fn auth(database: &Path) -> Server {
        Self::auth_with(database, |_| {}, false).await
    }

    async fn auth_with(
        database: &Path,
        configure: impl FnOnce(&mut HttpConfig),
        passthrough: bool,
    ) -> Server {
        Self::start(auth_engine(database).await, configure, passthrough).await
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.serving.address, path)
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = reqwest::Client::new()
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, Value) {
        let response = reqwest::Client::new()
            .request(method, self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    async fn stop(self) {
        self.serving.stop().await;
    }
}

/// The auth app's engine, its state in the SQLite file `database`.
async fn auth_engine(database: &Path) -> Engine {
    let pool = concepts::open(&format!("sqlite://{}", database.display()))
        .await
        .expect("database");
    syncs::register(
        Engine::builder()
            .concept(concepts::UserAuthentication::new(pool.clone()))
            .concept(concepts::Sessioning::new(pool)),
    )
    .build()
    .expect("engine")
}

fn database() -> (tempfile::TempDir, std::path::PathBuf) {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("auth.db");
    (directory, path)
}

fn error_of(body: &Value) -> &str {
    body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {body}"))
}

#[tokio::test]
async fn the_auth_scenario_over_http() {
    let (_directory, path) = database();
    let server = Server::auth(&path).await;
    let alice = json!({"username": "alice", "password": "s3cret"});

    let (status, registered) = server
        .post("/api/UserAuthentication/register", alice.clone())
        .await;
    assert_eq!(status, 200, "{registered}");
    assert!(registered["user"].is_string());

    let (status, duplicate) = server
        .post("/api/UserAuthentication/register", alice.clone())
        .await;
    assert_eq!(status, 400);
    assert_eq!(error_of(&duplicate), "username alice is already taken");

    let (status, login) = server.post("/api/UserAuthentication/login", alice.clone()).await;
    assert_eq!(status, 200, "{login}");
    let session = login["session"].as_str().expect("session").to_owned();
    assert!(session.len() >= 32, "at least 128 bits of token");

    let (status, wrong) = server
        .post(
            "/api/UserAuthentication/login",
            json!({"username": "alice", "password": "nope"}),
        )
        .await;
    assert_eq!((status, error_of(&wrong)), (400, "wrong username or password"));

    let (status, out) = server.post("/api/logout", json!({ "session": session })).await;
    assert_eq!((status, out), (200, json!({"status": "logged_out"})));

    let (status, unknown) = server.post("/api/logout", json!({ "session": session })).await;
    assert_eq!((status, error_of(&unknown)), (400, "no such session"));
    server.stop().await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_json_error_at_once() {
    let (_directory, path) = database();
    let server = Server::auth_with(&path, |config| config.body_limit = 1024, false).await;
    let post = reqwest::Method::POST;
    let json = "application/json";

    let (status, body) = server
        .raw(post.clone(), "/api/logout", json, b"{\"session\":".to_vec())
        .await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("not valid JSON"), "{body}");

    let (status, body) = server
        .raw(post.clone(), "/api/logout", json, b"[1, 2]".to_vec())
        .await;
    assert_eq!(
        (status, error_of(&body)),
        (400, "the request body must be a JSON object, not an array")
    );

    let huge = format!("{{\"session\": \"{}\"}}", "x".repeat(4096)).into_bytes();
    let (status, body) = server.raw(post.clone(), "/api/logout", json, huge).await;
    assert_eq!(
        (status, error_of(&body)),
        (413, "the request body is larger than 1024 bytes")
    );

    let (status, body) = server
        .raw(post.clone(), "/api/logout", "text/plain", b"hello".to_vec())
        .await;
    assert_eq!(status, 415, "{body}");

    let (status, body) = server.post("/api/nowhere", json!({})).await;
    assert_eq!(
        (status, error_of(&body)),
        (404, "no sync handles the path /nowhere")
    );

    // A path a slash or a letter or two from a route is told which.
    let (status, body) = server.post("/api/logout/", json!({})).await;
    assert_eq!(
        (status, error_of(&body)),
        (
            404,
            "no sync handles the path /logout/; the nearest route is /logout"
        )
    );
    let (status, body) = server.post("/api/UserAuthentication/logn", json!({})).await;
    assert_eq!(
        (status, error_of(&body)),
        (
            404,
            "no sync handles the path /UserAuthentication/logn; the nearest route is /UserAuthentication/login"
        )
    );

    let (status, body) = server.post("/elsewhere", json!({})).await;
    assert_eq!(status, 404, "{body}");

    let (status, body) = server
        .post("/api/UserAuthentication/login", json!({"username": "alice"}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["fields"],
        json!([{"field": "password", "problem": "missing"}])
    );
    assert!(error_of(&body).contains("`password`: missing"), "{body}");

    let (status, body) = server
        .post(
            "/api/UserAuthentication/register",
            json!({"username": 5, "password": "pw"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["fields"][0]["field"], "username");
    assert!(error_of(&body).contains("expected a string"), "{body}");

    // A NUL character in a field's text, nested or in the query string:
    // refused, naming the field (PostgreSQL refuses it in text).
    for (path, body, field) in [
        (
            "/api/UserAuthentication/register",
            json!({"username": "a\u{0}b", "password": "pw"}),
            "username",
        ),
        (
            "/api/logout",
            json!({"session": "s", "extra": {"deep": ["\u{0}"]}}),
            "extra",
        ),
        ("/api/logout?session=a%00b", json!({}), "session"),
    ] {
        let (status, body) = server.post(path, body).await;
        assert_eq!(
            (status, error_of(&body)),
            (
                400,
                format!("the field `{field}` contains a NUL character (U+0000), which is not accepted")
                    .as_str()
            ),
            "{path}"
        );
    }

    // A header given to syncs as a field, in bytes that are not text: said
    // so, not reported as missing.
    let answer = raw::exchange(
        server.serving.address,
        "POST /api/logout HTTP/1.1\r\nhost: test\r\nauthorization: caf\u{e9}\r\n\
         content-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(
        answer.ends_with(r#"{"error":"the header authorization is not visible ASCII text"}"#),
        "{answer}"
    );

    // The server still serves after all of that.
    let (status, _) = server
        .post(
            "/api/UserAuthentication/register",
            json!({"username": "still", "password": "up"}),
        )
        .await;
    assert_eq!(status, 200);
    server.stop().await;
}

#[tokio::test]
async fn concurrent_clients_never_get_each_others_answers() {
    let (_directory, path) = database();
    let server = Arc::new(Server::auth(&path).await);
    let mut clients = Vec::new();
    for client in 0..2 {
        let server = server.clone();
        clients.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for round in 0..10 {
                let name = format!("client{client}-user{round}");
                let credentials = json!({"username": name, "password": "pw"});
                let (_, registered) = server
                    .post("/api/UserAuthentication/register", credentials.clone())
                    .await;
                let (_, login) = server.post("/api/UserAuthentication/login", credentials).await;
                answers.push((
                    registered["user"].as_str().map(str::to_owned),
                    login["session"].clone(),
                ));
            }
            answers
        }));
    }
    let sessions = server
        .engine
        .concept::<concepts::Sessioning>()
        .expect("registered");
    for client in clients {
        for (user, session) in client.await.expect("client") {
            let user = user.expect("registered");
            let session = session.as_str().expect("logged in").to_owned();
            let owners = sessions._get_user(session).await.expect("query");
            assert_eq!(
                owners,
                Some(concepts::SessionUser { user }),
                "the session is its own user's"
            );
        }
    }
    if let Ok(server) = Arc::try_unwrap(server) {
        server.stop().await;
    }
}

#[tokio::test]
async fn users_and_sessions_survive_a_restart() {
    let (_directory, path) = database();
    let credentials = json!({"username": "dora", "password": "pw"});
    let first = Server::auth(&path).await;
    first
        .post("/api/UserAuthentication/register", credentials.clone())
        .await;
    let (_, login) = first
        .post("/api/UserAuthentication/login", credentials.clone())
        .await;
    first.stop().await;

    let second = Server::auth(&path).await;
    let (status, again) = second.post("/api/UserAuthentication/login", credentials).await;
    assert_eq!(status, 200, "the user is still registered: {again}");
    let (status, out) = second
        .post("/api/logout", json!({ "session": login["session"] }))
        .await;
    assert_eq!(
        (status, out),
        (200, json!({"status": "logged_out"})),
        "the old session is still valid"
    );
    second.stop().await;
}

#[tokio::test]
async fn passthrough_routes_exist_only_when_listed() {
    let (_directory, path) = database();
    let closed = Server::auth(&path).await;
    let (status, _) = closed.post("/api/Sessioning/create", json!({"user": "u"})).await;
    assert_eq!(status, 404);
    closed.stop().await;

    let open = Server::auth_with(&path, |_| {}, true).await;
    let (status, created) = open.post("/api/Sessioning/create", json!({"user": "u"})).await;
    assert_eq!(status, 200, "{created}");
    assert!(created["session"].is_string());
    let (status, _) = open.post("/api/Sessioning/delete", json!({"session": "s"})).await;
    assert_eq!(status, 404, "only the listed action is exposed");
    // Its path exists for POST: another method is a 405, as OPTIONS says
    // (it was a 404, "no sync handles the path").
    let refused = reqwest::Client::new()
        .get(open.url("/api/Sessioning/create"))
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), 405);
    assert_eq!(refused.headers()["allow"], "POST, OPTIONS");
    open.stop().await;
}

/// `/logout`'s syncs name no method (as the seed writes them): they take
/// every method but HEAD, which link checkers and crawlers send freely and
/// which must change nothing. A HEAD there is a 405, and the session lives.
#[tokio::test]
async fn a_head_request_never_runs_a_sync_that_takes_any_method() {
    let (_directory, path) = database();
    let server = Server::auth(&path).await;
    let alice = json!({"username": "alice", "password": "s3cret"});
    let (status, _) = server
        .post("/api/UserAuthentication/register", alice.clone())
        .await;
    assert_eq!(status, 200);
    let (status, login) = server.post("/api/UserAuthentication/login", alice).await;
    assert_eq!(status, 200, "{login}");
    let session = json!({"session": login["session"]});

    let head = reqwest::Client::new()
        .head(server.url("/api/logout"))
        .json(&session)
        .send()
        .await
        .expect("sent");
    assert_eq!(head.status(), 405);
    assert_eq!(head.headers()["allow"], "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    let (status, logout) = server.post("/api/logout", session).await;
    assert_eq!(status, 200, "the HEAD left the session alone: {logout}");

    let options = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, server.url("/api/logout"))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        options.headers()["allow"],
        "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    );
    server.stop().await;
}

/// Where a sync names GET, a HEAD is that GET without its body: the same
/// syncs run, a guard that names no method included, so the HEAD gets the
/// status the GET would.
#[tokio::test]
async fn a_head_on_a_get_route_is_answered_as_the_get_guards_included() {
    let engine = Engine::builder()
        .sync(GuardedRead)
        .sync(GuardedReadKey)
        .build()
        .expect("engine");
    let server = Server::start(engine, |_| {}, false).await;
    for (key, status) in [("open", 200), ("shut", 401)] {
        let url = server.url(&format!("/api/guarded?key={key}"));
        let get = reqwest::get(&url).await.expect("sent");
        assert_eq!(get.status(), status);
        let head = reqwest::Client::new().head(&url).send().await.expect("sent");
        assert_eq!(head.status(), status, "a HEAD with key={key}");
        assert_eq!(head.text().await.expect("body"), "");
    }
    server.stop().await;
}

#[tokio::test]
async fn cors_is_closed_unless_configured() {
    let (_directory, path) = database();
    let preflight = |server: &Server| {
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, server.url("/api/logout"))
            .header("origin", "http://app.example")
            .header("access-control-request-method", "POST")
            .send()
    };
    let closed = Server::auth(&path).await;
    let response = preflight(&closed).await.expect("sent");
    assert!(response.headers().get("access-control-allow-origin").is_none());
    // Answered by the server, not by the syncs: `/logout` has no sync for
    // OPTIONS, and would otherwise be refused for its missing session.
    assert_eq!(response.status(), 204);
    assert!(response
        .headers()
        .get("allow")
        .is_some_and(|allow| allow.as_bytes().starts_with(b"GET, POST")));
    closed.stop().await;

    let open = Server::auth_with(
        &path,
        |config| config.cors_origins = vec!["http://app.example".into()],
        false,
    )
    .await;
    let response = preflight(&open).await.expect("sent");
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .map(|value| value.as_bytes()),
        Some(&b"http://app.example"[..])
    );
    open.stop().await;
}

/// A concept whose action never finishes, and one that answers with a status.
#[derive(Default)]
pub struct Slow;

#[concept]
impl Slow {
    pub async fn wait(&self) -> Result<(), ActionError> {
        std::future::pending::<()>().await;
        Ok(())
    }

    pub async fn nothing(&self) -> Result<(), ActionError> {
        Ok(())
    }

    pub async fn refuse(&self, reason: String) -> Result<(), ActionError> {
        Err(ActionError::fail(reason))
    }

    pub async fn break_down(&self) -> Result<(), ActionError> {
        Err(ActionError::internal("disk on fire"))
    }
}

sync! {
    pub WaitForever
    when
        Requesting.request (path: "/slow") : ()
    then
        Slow.wait ()

    /// Takes requests to `/ignored` and never answers them.
    pub NeverAnswers
    when
        Requesting.request (path: "/ignored") : ()
    then
        Slow.nothing ()

    /// An action's internal failure.
    pub BreakDown
    when
        Requesting.request (path: "/broken") : ()
    then
        Slow.break_down ()

    /// A status out of range, computed.
    pub BadStatus
    when
        Requesting.request (path: "/bad-status") : (request)
    where
        let code = 700
    then
        Requesting.respond (request, http_status: code)

    pub Created
    when
        Requesting.request (path: "/items/:id", method: "PUT", id) : (request)
    where
        let location = format!("/items/{}", id.as_str().unwrap_or("?"))
        let headers = serde_json::json!({ "location": location.clone() })
    then
        Requesting.respond (request, http_status: 201, http_headers: headers, location)
}

sync! {
    pub FramingHeaders
    when
        Requesting.request (path: "/framing") : (request)
    where
        let headers = serde_json::json!({
            "content-length": "999",
            "transfer-encoding": "chunked",
            "connection": "close",
            "x-kept": "yes",
            "set-cookie": ["a=1", "b=2"],
        })
    then
        Requesting.respond (request, http_headers: headers, ok: true)
}

sync! {
    pub AnyStatus
    when
        Requesting.request (path: "/status", status) : (request)
    then
        Requesting.respond (request, http_status: status, ok: true)
}

sync! {
    /// `method` only as a variable: the route names no method literal.
    pub EchoMethod
    when
        Requesting.request (path: "/method", method) : (request)
    then
        Requesting.respond (request, method)

    /// Answers GET only: a HEAD request is answered as a GET without its
    /// body.
    pub ReadOnly
    when
        Requesting.request (path: "/read-only", method: "GET") : (request)
    then
        Requesting.respond (request, http_headers: {"x-seen": "GET"}, text: "read")

    /// A GET route behind a guard that names no method.
    pub GuardedRead
    when
        Requesting.request (path: "/guarded", method: "GET", key: "open") : (request)
    then
        Requesting.respond (request, text: "read")

    /// Turns away every request to `/guarded` without the key.
    pub GuardedReadKey
    when
        Requesting.request (path: "/guarded", key) : (request)
    where
        if key != "open"
    then
        Requesting.respond (request, http_status: 401, error: "closed")

    /// `authorization`, a field the server takes from a header.
    pub EchoAuthorization
    when
        Requesting.request (path: "/whoami", authorization) : (request)
    then
        Requesting.respond (request, authorization)
}

/// Two requests for `AnyStatus` on one connection, the first answering with
/// `status`, the second with 200: the raw answers.
async fn two_statuses_on_one_connection(server: &Server, status: i64) -> String {
    let request = |status: i64, close: &str| {
        let body = format!("{{\"status\":{status}}}");
        format!(
            "POST /api/status HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
             content-length: {}\r\n{close}\r\n{body}",
            body.len()
        )
    };
    let requests = request(status, "") + &request(200, "connection: close\r\n");
    raw::exchange(server.serving.address, &requests).await
}

#[tokio::test]
async fn respond_sets_only_final_statuses_and_the_connection_goes_on() {
    let engine = Engine::builder().sync(AnyStatus).build().expect("engine");
    let server = Server::start(engine, |_| {}, false).await;
    // An informational status cannot end a request (101 would even hand the
    // connection over to another protocol), and HTTP has none past 599:
    // such a status is the sync's mistake, answered as one.
    for status in [100, 101, 103, 199, 600, 999, 0, -1] {
        let answers = two_statuses_on_one_connection(&server, status).await;
        assert!(
            answers.starts_with("HTTP/1.1 500 "),
            "{status} is not a final status: {answers}"
        );
        assert!(
            answers.contains(r#"{"error":"internal error"}HTTP/1.1 200 OK"#),
            "{status}: an internal error, not the fields meant for another status: {answers}"
        );
        assert_eq!(
            answers.matches("HTTP/1.1 200 OK").count(),
            1,
            "{status}: {answers}"
        );
    }
    // 204, 205 and 304 have no content: the next answer follows the head.
    // The sync's `ok` field is dropped, and the log says so.
    for status in [204, 205, 304] {
        let (logs, _guard) = logs::Captured::at(tracing::Level::WARN);
        let answers = two_statuses_on_one_connection(&server, status).await;
        let (head, rest) = answers.split_once("\r\n\r\n").expect("a head");
        assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{answers}");
        assert!(
            rest.starts_with("HTTP/1.1 200 OK"),
            "{status} without content: {answers}"
        );
        let text = logs.text();
        let warning = text
            .lines()
            .find(|line| line.contains("respond's fields are not sent"))
            .unwrap_or_else(|| panic!("{status}: no warning in {text:?}"));
        assert!(
            warning.contains("fields=ok") && warning.contains("path=\"/status\""),
            "{warning}"
        );
    }
    for status in [201, 418, 599] {
        let answers = two_statuses_on_one_connection(&server, status).await;
        assert!(
            answers.starts_with(&format!("HTTP/1.1 {status} ")),
            "{status} is sent as it is: {answers}"
        );
        assert_eq!(
            answers.matches("HTTP/1.1 200 OK").count(),
            1,
            "{status}: {answers}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn respond_cannot_set_the_headers_that_frame_the_connection() {
    let engine = Engine::builder().sync(FramingHeaders).build().expect("engine");
    let server = Server::start(engine, |_| {}, false).await;
    // Two requests on one connection: had the wrong length or chunking gone
    // out, the second answer would not arrive intact after the first.
    let request = |close: &str| {
        format!(
            "POST /api/framing HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
             content-length: 2\r\n{close}\r\n{{}}"
        )
    };
    let requests = request("") + &request("connection: close\r\n");
    let answers = raw::exchange(server.serving.address, &requests).await;
    let body = r#"{"ok":true}"#;
    let answers: Vec<&str> = answers
        .split("HTTP/1.1 ")
        .filter(|part| !part.is_empty())
        .collect();
    assert_eq!(answers.len(), 2, "{answers:?}");
    for answer in answers {
        let lower = answer.to_ascii_lowercase();
        assert!(answer.starts_with("200 OK"), "{answer}");
        assert!(lower.contains("x-kept: yes"), "other headers pass: {answer}");
        assert!(
            lower.contains("set-cookie: a=1\r\nset-cookie: b=2"),
            "an array gives a header once per value: {answer}"
        );
        assert!(
            lower.contains(&format!("content-length: {}", body.len())),
            "the real length: {answer}"
        );
        assert!(!lower.contains("transfer-encoding"), "{answer}");
        assert!(answer.ends_with(body), "{answer}");
    }
    server.stop().await;
}

/// Two actions in a row, the first of which waits: a flow that is still
/// running when its client goes away, or when the server shuts down.
#[derive(Default)]
pub struct TwoSteps {
    /// Told when the first action starts.
    started: tokio::sync::Notify,
    /// Lets the first action end: the test decides when.
    release: tokio::sync::Notify,
    seconds_done: std::sync::atomic::AtomicUsize,
}

#[concept]
impl TwoSteps {
    pub async fn first(&self) -> Result<(), ActionError> {
        self.started.notify_one();
        self.release.notified().await;
        Ok(())
    }

    pub async fn second(&self) -> Result<(), ActionError> {
        self.seconds_done
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }
}

impl TwoSteps {
    /// Returns once the first action has started (its flow is waiting).
    async fn first_started(&self) {
        tokio::time::timeout(Duration::from_secs(10), self.started.notified())
            .await
            .expect("the first action starts");
    }

    /// Lets the first action end.
    fn release_first(&self) {
        self.release.notify_one();
    }

    fn seconds_done(&self) -> usize {
        self.seconds_done.load(std::sync::atomic::Ordering::SeqCst)
    }
}

sync! {
    pub StartTwoSteps
    when
        Requesting.request (path: "/two-steps") : ()
    then
        TwoSteps.first ()

    pub SecondStep
    when
        TwoSteps.first () : ()
    then
        TwoSteps.second ()

    pub TwoStepsDone
    when
        Requesting.request (path: "/two-steps") : (request)
        TwoSteps.second () : ()
    then
        Requesting.respond (request, done: true)
}

/// Sends `request` on a raw connection to `address`, hangs up while the
/// flow's first action waits, and waits for the engine's flows to end: then
/// the second action must have run.
async fn hang_up_while_the_flow_waits(
    address: SocketAddr,
    request: &[u8],
    engine: &Engine,
    steps: &TwoSteps,
) {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    stream.write_all(request).await.expect("sent");
    steps.first_started().await;
    drop(stream);
    // Time for the server to see the hang-up (a connection closed mid-request
    // drops what answers it) before the first action may end.
    tokio::time::sleep(Duration::from_millis(100)).await;
    steps.release_first();
    tokio::time::timeout(Duration::from_secs(10), engine.drain())
        .await
        .expect("the flow ends by its deadline");
    assert_eq!(
        steps.seconds_done(),
        1,
        "the flow's second action ran though nobody waited for the answer"
    );
}

/// The request that starts the two steps.
const TWO_STEPS_REQUEST: &[u8] = b"POST /api/two-steps HTTP/1.1\r\nhost: test\r\ncontent-length: 0\r\n\r\n";

/// An engine running the two-steps request, and its concept.
fn two_steps_engine() -> (Arc<TwoSteps>, Engine) {
    let steps = Arc::new(TwoSteps::default());
    let engine = Engine::builder()
        .concept_arc(steps.clone())
        .sync(StartTwoSteps)
        .sync(SecondStep)
        .sync(TwoStepsDone)
        .build()
        .expect("engine");
    (steps, engine)
}

#[tokio::test]
async fn a_flow_runs_to_its_end_when_its_client_hangs_up() {
    let (steps, engine) = two_steps_engine();
    let server = Server::start(engine.clone(), |_| {}, false).await;
    hang_up_while_the_flow_waits(server.serving.address, TWO_STEPS_REQUEST, &engine, &steps).await;
    server.stop().await;
}

#[tokio::test]
async fn a_passthrough_flow_runs_to_its_end_when_its_client_hangs_up() {
    let steps = Arc::new(TwoSteps::default());
    let engine = Engine::builder()
        .concept_arc(steps.clone())
        .sync(SecondStep)
        .entry_point::<TwoSteps>("first")
        .build()
        .expect("engine");
    let routes = |server: HttpServer| server.passthrough::<TwoSteps>("first");
    let server = Serving::start(engine.clone(), |_| {}, routes).await;
    let request = b"POST /api/TwoSteps/first HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
                    content-length: 2\r\n\r\n{}";
    hang_up_while_the_flow_waits(server.address, request, &engine, &steps).await;
    server.stop().await;
}

#[tokio::test]
async fn a_shutdown_lets_a_request_in_progress_be_answered() {
    use tokio::io::AsyncWriteExt;
    let (steps, engine) = two_steps_engine();
    let mut server = Server::start(engine, |_| {}, false).await;
    let address = server.serving.address;
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    stream.write_all(TWO_STEPS_REQUEST).await.expect("sent");
    steps.first_started().await;
    // Shut down while the flow waits: once the server accepts no more
    // connections, the first action may end; its answer still comes, then
    // the connection closes and the server ends.
    server.serving.signal_stop();
    let refused = async {
        while tokio::net::TcpStream::connect(address).await.is_ok() {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), refused)
        .await
        .expect("the server stops accepting");
    steps.release_first();
    let stopping = tokio::spawn(server.stop());
    let answer = raw::until_closed(stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.ends_with(r#"{"done":true}"#), "{answer}");
    tokio::time::timeout(Duration::from_secs(10), stopping)
        .await
        .expect("the server ends")
        .expect("joined");
}

#[tokio::test]
async fn a_request_nobody_answers_in_time_gets_504() {
    let engine = Engine::builder()
        .concept(Slow)
        .sync(WaitForever)
        .build()
        .expect("engine");
    let server = Server::start(
        engine,
        |config| config.request_timeout = Duration::from_millis(100),
        false,
    )
    .await;
    let (status, body) = server.post("/api/slow", json!({})).await;
    assert_eq!(status, 504);
    assert!(
        error_of(&body).contains("no sync responded within 100ms"),
        "{body}"
    );
    server.stop().await;
}

#[tokio::test]
async fn in_development_mode_500_and_504_bodies_carry_their_explanation() {
    for development in [false, true] {
        let engine = Engine::builder()
            .concept(Slow)
            .sync(WaitForever)
            .sync(NeverAnswers)
            .sync(BreakDown)
            .sync(BadStatus)
            .build()
            .expect("engine");
        let server = Server::start(
            engine,
            |config| {
                config.request_timeout = Duration::from_millis(100);
                config.development = development;
            },
            false,
        )
        .await;
        let (status, timed_out) = server.post("/api/slow", json!({})).await;
        assert_eq!(status, 504, "{timed_out}");
        let (status, unanswered) = server.post("/api/ignored", json!({})).await;
        assert_eq!(status, 500, "{unanswered}");
        let (status, broken) = server.post("/api/broken", json!({})).await;
        assert_eq!(status, 500, "{broken}");
        let (status, bad_status) = server.post("/api/bad-status", json!({})).await;
        assert_eq!(status, 500, "{bad_status}");
        for body in [&broken, &bad_status] {
            assert_eq!(error_of(body), "internal error");
        }
        if development {
            let explanation = |body: &Value| body["explanation"].as_str().unwrap_or_default().to_owned();
            assert!(explanation(&broken).contains("disk on fire"), "{broken}");
            assert!(
                explanation(&bad_status).contains(
                    "a sync of /bad-status: respond's http_status must be a whole number from 200 to 599; it was 700"
                ),
                "{bad_status}"
            );
            let explanation = |body: &Value| body["explanation"].as_str().unwrap_or_default().to_owned();
            assert!(
                explanation(&timed_out).contains("Slow.wait (invoked by sync WaitForever) was still running"),
                "{timed_out}"
            );
            assert!(
                explanation(&unanswered).contains("[NeverAnswers] Slow.nothing"),
                "{unanswered}"
            );
        } else {
            // The flow's internals stay in the log.
            for body in [&timed_out, &unanswered, &broken, &bad_status] {
                assert!(body.get("explanation").is_none(), "{body}");
            }
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn a_passthrough_answers_its_outcome_or_why_not_and_a_server_that_cannot_run_does_not_bind() {
    let engine = Engine::builder().concept(Slow).build().expect("engine");
    let server = Server {
        serving: Serving::start(
            engine.clone(),
            |config| config.request_timeout = Duration::from_millis(100),
            |server| server.passthrough::<Slow>("refuse").passthrough::<Slow>("wait"),
        )
        .await,
        engine: engine.clone(),
    };
    let (status, body) = server.post("/api/Slow/refuse", json!({"reason": "no"})).await;
    assert_eq!((status, body), (422, json!({"error": "no"})));
    let (status, body) = server.post("/api/Slow/refuse", json!({"reason": 3})).await;
    assert_eq!(status, 400, "{body}");
    assert!(error_of(&body).contains("invalid type: integer `3`"), "{body}");
    let (status, body) = server.post("/api/Slow/wait", json!({})).await;
    assert_eq!(status, 504, "{body}");
    assert!(error_of(&body).contains("did not finish within 100ms"), "{body}");
    server.stop().await;

    let local = || HttpConfig {
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..HttpConfig::default()
    };
    // An address in use is named.
    let taken = HttpServer::new(engine.clone(), local())
        .bind()
        .await
        .expect("bind");
    let address = taken.local_addr().expect("address");
    let Err(error) = HttpServer::new(engine.clone(), HttpConfig { address, ..local() })
        .bind()
        .await
    else {
        panic!("{address} is taken");
    };
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot listen on {address}: ")),
        "{error}"
    );
    for (server, expected) in [
        (
            HttpServer::new(engine.clone(), local()).passthrough::<Slow>("wiat"),
            "passthrough::<Slow>(\"wiat\"): Slow has no action wiat (its actions: wait, nothing, refuse, break_down)",
        ),
        (
            HttpServer::new(engine.clone(), local()).passthrough::<Slow>("_rows"),
            "passthrough::<Slow>(\"_rows\"): a query cannot be passed through, only an action",
        ),
        (
            HttpServer::new(engine.clone(), local()).passthrough::<concepts::Sessioning>("create"),
            "passthrough::<Sessioning>(\"create\"): Sessioning is not registered with the engine",
        ),
    ] {
        let Err(error) = server.bind().await else {
            panic!("a passthrough that cannot run must not bind");
        };
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        assert!(error.to_string().starts_with(expected), "{error}");
    }
}

sync! {
    /// Names the base in its path, as an axum route would.
    pub PingWithBase
    when
        Requesting.request (path: "/api/ping", method: "GET") : (request)
    then
        Requesting.respond (request, pong: true)
}

#[tokio::test]
async fn a_sync_path_that_repeats_the_base_is_named_at_start_and_in_the_404() {
    let engine = Engine::builder().sync(PingWithBase).build().expect("engine");
    let (logs, guard) = logs::Captured::at(tracing::Level::WARN);
    let server = Server::start(engine, |_| {}, false).await;
    drop(guard);
    assert!(
        logs.text().contains(
            "a sync's path starts with the server's base /api, so requests reach it at /api/api/ping: \
             a sync's path leaves off the base, write \"/ping\""
        ),
        "{}",
        logs.text()
    );
    let response = reqwest::get(server.url("/api/ping")).await.expect("sent");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        error_of(&body),
        "no sync handles the path /ping; a sync names /api/ping, but a sync's path leaves off the base \
         /api: write \"/ping\" in it"
    );
    server.stop().await;
}

/// A server with the `Created` sync on `/items/:id`.
async fn items_server() -> Server {
    let engine = Engine::builder()
        .concept(Slow)
        .sync(Created)
        .build()
        .expect("engine");
    Server::start(engine, |_| {}, false).await
}

#[tokio::test]
async fn respond_sets_status_and_headers_and_routes_take_parameters_and_methods() {
    let server = items_server().await;
    let put = |path: &str| {
        reqwest::Client::new()
            .put(server.url(path))
            .json(&json!({}))
            .send()
    };
    let response = put("/api/items/7?unused=1").await.expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.headers()["location"], "/items/7");
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"location": "/items/7"})
    );

    let (status, body) = server.post("/api/items/7", json!({})).await;
    assert_eq!(status, 405, "{body}");

    // Route parameters are percent-decoded, as query strings are.
    let response = put("/api/items/caf%C3%A9%201").await.expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"location": "/items/café 1"})
    );
    let response = put("/api/items/%FF").await.expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"error": "the path's `id` is not UTF-8 text once percent-decoded"})
    );
    server.stop().await;
}

#[tokio::test]
async fn a_head_request_gets_its_status_without_a_body_and_the_connection_goes_on() {
    let server = items_server().await;
    // Raw bytes, as an HTTP client's own HEAD handling would hide a body
    // sent after a HEAD answer: here it would come before the PUT's answer.
    let requests = "HEAD /api/items/7 HTTP/1.1\r\nhost: test\r\n\r\n\
                    PUT /api/items/7 HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
                    content-length: 2\r\nconnection: close\r\n\r\n{}";
    let answers = raw::exchange(server.serving.address, requests).await;
    let (head, after_head) = answers.split_once("\r\n\r\n").expect("the HEAD answer's headers");
    assert!(
        head.starts_with("HTTP/1.1 405"),
        "only PUT is handled on /items/:id: {head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    assert!(
        after_head.starts_with("HTTP/1.1 201"),
        "the PUT's answer follows the HEAD's headers at once, no body between: {after_head:?}"
    );
    assert!(
        after_head.ends_with(r#"{"location":"/items/7"}"#),
        "{after_head:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn method_and_header_fields_come_from_the_request_line_and_headers_only() {
    let engine = Engine::builder()
        .sync(EchoMethod)
        .sync(ReadOnly)
        .sync(EchoAuthorization)
        .build()
        .expect("engine");
    let server = Server::start(engine, |_| {}, false).await;
    let client = reqwest::Client::new();

    // A sync that reads the method as a variable gets it.
    let response = client
        .delete(server.url("/api/method"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"method": "DELETE"})
    );

    // HEAD on a GET route: the GET's status and headers, no body.
    let response = client
        .head(server.url("/api/read-only"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["x-seen"], "GET");
    assert_eq!(response.bytes().await.expect("body").len(), 0);
    let response = client
        .get(server.url("/api/read-only"))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"text": "read"})
    );

    // A field given to syncs from a header comes from the header, not from
    // the query string or the body, where a client's proxies log tokens.
    let response = client
        .get(server.url("/api/whoami"))
        .header("authorization", "Token t1")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"authorization": "Token t1"})
    );
    let response = client
        .get(server.url("/api/whoami?authorization=Token%20t2"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    let (status, body) = server
        .post("/api/whoami", json!({"authorization": "Token t3"}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(!body.to_string().contains("t3"), "{body}");
    server.stop().await;
}

/// Stamps, counting.
#[derive(Default)]
pub struct Stamp {
    count: std::sync::atomic::AtomicU32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stamped {
    pub n: u32,
}

#[concept]
impl Stamp {
    pub async fn stamp(&self) -> Result<Stamped, ActionError> {
        let n = self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        Ok(Stamped { n })
    }
}

sync! {
    /// After a stamp, something that never ends.
    pub WaitAfterStamp
    when
        Stamp.stamp () : ()
    then
        Slow.wait ()
}

/// A passthrough action answers with its outcome as soon as it completed,
/// while a sync it triggered hangs (the deadline is a minute away): it did
/// happen, and a client told 504, or left waiting, would do it again.
#[tokio::test]
async fn a_passthrough_answers_with_its_action_even_if_a_later_sync_hangs() {
    let stamp = Arc::new(Stamp::default());
    let engine = Engine::builder()
        .concept_arc(stamp.clone())
        .concept(Slow)
        .sync(WaitAfterStamp)
        .entry_point::<Stamp>("stamp")
        .build()
        .expect("engine");
    let serving = Serving::start(
        engine,
        |config| config.request_timeout = Duration::from_secs(60),
        |server| server.passthrough::<Stamp>("stamp"),
    )
    .await;
    let sent = reqwest::Client::new()
        .post(format!("{}/Stamp/stamp", serving.base()))
        .json(&json!({}))
        .send();
    let response = tokio::time::timeout(Duration::from_secs(10), sent)
        .await
        .expect("answered long before the deadline")
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.json::<Value>().await.expect("JSON"), json!({"n": 1}));
    assert_eq!(stamp.count.load(std::sync::atomic::Ordering::SeqCst), 1);
    // Not stopped: a shutdown would wait for the hanging flow up to its
    // deadline; the test's runtime ends it.
    drop(serving);
}

/// The syncs' HTTP handling merged into an axum app of the user's: the
/// app's own routes and the syncs' answer side by side, on the user's
/// server; then the app drains the engine as `HttpServer` does at shutdown.
#[tokio::test]
async fn the_syncs_serve_inside_an_axum_app_of_ones_own() {
    let (_directory, path) = database();
    let engine = auth_engine(&path).await;
    let syncs = HttpServer::new(engine.clone(), HttpConfig::default())
        .into_router()
        .expect("routes");
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .merge(syncs);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let client = reqwest::Client::new();
    let health = client
        .get(format!("http://{address}/health"))
        .send()
        .await
        .expect("sent");
    assert_eq!(health.text().await.expect("text"), "ok");
    let registered = client
        .post(format!("http://{address}/api/UserAuthentication/register"))
        .json(&json!({"username": "ada", "password": "pw"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(registered.status().as_u16(), 200);
    let body: Value = registered.json().await.expect("JSON");
    assert!(body["user"].is_string(), "{body}");
    let elsewhere = client
        .get(format!("http://{address}/nowhere"))
        .send()
        .await
        .expect("sent");
    assert_eq!(elsewhere.status().as_u16(), 404);
    let _ = stop.send(());
    server.await.expect("joined").expect("served");
    tokio::time::timeout(Duration::from_secs(10), engine.drain())
        .await
        .expect("no flow left running");
}

sync! {
    /// A guard that reads only `poll`: poll 404 does not exist.
    pub UnknownPoll
    when
        Requesting.request (path: "/votes/:poll", method: "POST", poll) : (request)
    where
        if poll == "404"
    then
        Requesting.respond (request, http_status: 404, error: "no such poll")

    /// A guard: poll 0 is closed. It reads `poll` and `option` without
    /// giving them a type (`option` only to echo it back).
    pub ClosedPoll
    when
        Requesting.request (path: "/votes/:poll", method: "POST", poll, option) : (request)
    where
        if poll == "0"
    then
        Requesting.respond (request, http_status: 409, error: "the poll is closed", option)

    /// The handler types both fields.
    pub CastVote
    when
        Requesting.request (path: "/votes/:poll", method: "POST", poll, option) : (request)
    where
        let number: u64 = poll
        let choice: String = option
        if number != 0
    then
        Requesting.respond (request, poll: number, option: choice)
}

/// A request a sync of its route cannot start on (a field missing, or of
/// the wrong type) is the client's mistake, a 400 naming the field, even
/// though guards that read the field untyped, or not at all, took it and
/// did not answer: not a flow that ended without an answer (a 500).
#[tokio::test]
async fn a_field_a_guard_does_not_check_is_still_the_clients_mistake() {
    let engine = Engine::builder()
        .sync(UnknownPoll)
        .sync(ClosedPoll)
        .sync(CastVote)
        .build()
        .expect("engine");
    let server = Server::start(engine, |_| {}, false).await;

    let (status, body) = server.post("/api/votes/3", json!({"option": "red"})).await;
    assert_eq!((status, &body), (200, &json!({"poll": 3, "option": "red"})));
    let (status, body) = server.post("/api/votes/0", json!({"option": "red"})).await;
    assert_eq!((status, error_of(&body)), (409, "the poll is closed"), "{body}");
    // The URL wins over the body.
    let (status, body) = server
        .post("/api/votes/3", json!({"poll": 9, "option": "red"}))
        .await;
    assert_eq!((status, &body["poll"]), (200, &json!(3)), "{body}");

    let (status, body) = server.post("/api/votes/3", json!({"option": 5})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["fields"][0]["field"], "option", "{body}");
    let (status, body) = server.post("/api/votes/abc", json!({"option": "red"})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["fields"][0]["field"], "poll", "{body}");
    let (status, body) = server.post("/api/votes/404", json!({})).await;
    assert_eq!((status, error_of(&body)), (404, "no such poll"), "{body}");
    let (status, body) = server.post("/api/votes/3", json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["fields"][0]["field"], "option", "{body}");
    server.stop().await;
}

sync! {
    /// Open to one literal token.
    pub AdminArea
    when
        Requesting.request (path: "/admin", authorization: "Token letmein") : (request)
    then
        Requesting.respond (request, ok: true)
}

/// A wrong value for a literal secret field is a 400 naming the field, not
/// the value it should have had.
#[tokio::test]
async fn a_refusal_never_tells_a_secret_literal() {
    let engine = Engine::builder().sync(AdminArea).build().expect("engine");
    let server = Server::start(engine, |_| {}, false).await;
    let client = reqwest::Client::new();
    let send = |token: &'static str| {
        client
            .post(server.url("/api/admin"))
            .header("authorization", token)
            .json(&json!({}))
            .send()
    };
    let response = send("Token letmein").await.expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let response = send("Token guessed").await.expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["fields"][0]["field"], "authorization", "{body}");
    assert!(!body.to_string().contains("letmein"), "{body}");
    server.stop().await;
}

sync! {
    /// `GET /greet/:name?times=2`.
    pub Greet
    when
        Requesting.request (path: "/greet/:name", method: "GET", name, times?) : (request)
    where
        let wanted: Option<u64> = times
        let greeting = vec![format!("hello {}", name.as_str().unwrap_or_default()); wanted.unwrap_or(1) as usize].join(", ")
    then
        Requesting.respond (request, greeting)
}

/// A test routes a URL as the server does, without a socket: the server's
/// router called in process (`tower::ServiceExt::oneshot`), a concrete path
/// and its query string in, the status and JSON body out.
#[tokio::test]
async fn a_test_routes_a_url_in_process_through_the_router() {
    use tower::ServiceExt;
    let engine = Engine::builder()
        .sync(Greet)
        .strict_checks(true)
        .build()
        .expect("engine");
    let router = HttpServer::new(engine, HttpConfig::default())
        .into_router()
        .expect("routes");
    let get = |uri: &str| {
        axum::http::Request::builder()
            .uri(uri)
            .body(axum::body::Body::empty())
            .expect("a request")
    };
    let response = router
        .clone()
        .oneshot(get("/api/greet/ann?times=2"))
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .expect("body");
    let body: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(body, json!({"greeting": "hello ann, hello ann"}));
    let response = router
        .oneshot(get("/api/greet/ann?times=many"))
        .await
        .expect("answered");
    assert_eq!(response.status(), 400, "a query value that is no number");
}

sync! {
    /// `POST /made {"name": ...}`: a 201 with a `location` header.
    pub Made
    when
        Requesting.request (path: "/made", method: "POST", name) : (request)
    then
        Requesting.respond (request, http_status: 201, http_headers: {"location": "/made/1"}, name)
}

/// `Response::http_body` is the body an HTTP client gets: the answer's
/// fields without the status and headers the server takes out.
#[tokio::test]
async fn an_answers_http_body_is_what_a_client_gets() {
    use tower::ServiceExt;
    let engine = Engine::builder()
        .sync(Made)
        .strict_checks(true)
        .build()
        .expect("engine");
    let answer = engine
        .request("/made", json!({"method": "POST", "name": "ann"}))
        .await
        .expect("answered");
    assert_eq!(answer.http_body(), json!({"name": "ann"}));
    let router = HttpServer::new(engine, HttpConfig::default())
        .into_router()
        .expect("routes");
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/made")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"name": "ann"}"#))
        .expect("a request");
    let response = router.oneshot(request).await.expect("answered");
    assert_eq!(
        (
            response.status().as_u16(),
            response.headers().get("location").map(|value| value.as_bytes())
        ),
        (answer.status().expect("a status"), Some(&b"/made/1"[..]))
    );
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .expect("body");
    let body: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(body, answer.http_body());
}
