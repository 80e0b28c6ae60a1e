//! Faults and bad input over HTTP: each gets a clear answer, none takes the
//! server down, none leaks internals.

use std::time::Duration;

use serde_json::{json, Value};
use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::{concept, sync, ActionError, Engine};

#[path = "support/faulty.rs"]
mod faulty;
#[path = "support/logs.rs"]
mod logs;
#[path = "support/raw.rs"]
mod raw;
#[path = "support/server.rs"]
mod server;
use faulty::{Crash, Faulty, Panic};
use server::Serving;

/// Greets by name, or anyone.
#[derive(Default)]
pub struct Greeter;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Greeting {
    pub text: String,
}

#[concept]
impl Greeter {
    pub async fn greet(&self, name: Option<String>) -> Result<Greeting, ActionError> {
        Ok(Greeting {
            text: format!("hello, {}", name.as_deref().unwrap_or("you")),
        })
    }
}

sync! {
    /// `name?`: an optional field, typed `Option<String>` by `Greeter.greet`.
    pub Greet
    when
        Requesting.request (path: "/greet", name?) : ()
    then
        Greeter.greet (name)

    pub Greeted
    when
        Requesting.request (path: "/greet") : (request)
        Greeter.greet () : (text)
    then
        Requesting.respond (request, text)

    /// An optional field used only in open positions: `Option<Value>`.
    pub Search
    when
        Requesting.request (path: "/search", tag?) : (request)
    then
        Requesting.respond (request, tag)

    /// An optional field given to no input, typed by a `let`: decoded as
    /// `Option<bool>`, so `?done=yes` is refused naming it.
    pub Listed
    when
        Requesting.request (path: "/listed", done?) : (request)
    where
        let wanted: Option<bool> = done
        let showing = match wanted { Some(true) => "done", Some(false) => "open", None => "all" }
    then
        Requesting.respond (request, showing)
}

sync! {
    pub Echo
    when
        Requesting.request (path: "/echo", method: "POST", text) : ()
    then
        Faulty.echo (text)

    pub SecondPage
    when
        Requesting.request (path: "/page", page: 2) : (request)
    then
        Requesting.respond (request, second: true)

    pub EchoAnswer
    when
        Requesting.request (path: "/echo") : (request)
        Faulty.echo () : (text)
    then
        Requesting.respond (request, text)

    /// A guard naming no method: it sees every method, but handles none,
    /// so `/echo` still takes POST alone.
    pub EchoTooLong
    when
        Requesting.request (path: "/echo", text) : (request)
    where
        let said: String = text
        if said.len() > 100
    then
        Requesting.respond (request, http_status: 422, error: "the text is too long")
}

async fn server() -> Serving {
    let engine = Engine::builder()
        .concept(Faulty)
        .concept(Greeter)
        .sync(Greet)
        .sync(Greeted)
        .sync(Search)
        .sync(Listed)
        .sync(Crash)
        .sync(Panic)
        .sync(EchoTooLong)
        .sync(Echo)
        .sync(EchoAnswer)
        .sync(SecondPage)
        .build()
        .expect("engine");
    let configure = |config: &mut HttpConfig| {
        config.body_limit = 64 * 1024;
        config.request_timeout = Duration::from_secs(2);
    };
    Serving::start(engine, configure, |server| server).await
}

/// The response to `method url` with `body`.
async fn response(method: &str, url: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
    reqwest::Client::new()
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
            url,
        )
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent")
}

/// The status and JSON body of the response to `method url` with `body`.
async fn send(method: &str, url: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let response = response(method, url, content_type, body).await;
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}")),
    )
}

async fn still_serving(base: &str) {
    let (status, body) = send(
        "POST",
        &format!("{base}/echo"),
        "application/json",
        br#"{"text":"hi"}"#.to_vec(),
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"text": "hi"})),
        "the server still serves"
    );
}

#[tokio::test]
async fn failing_actions_are_contained_to_their_request() {
    let server = server().await;
    let base = server.base();
    let (status, body) = send(
        "POST",
        &format!("{base}/crash"),
        "application/json",
        b"{}".to_vec(),
    )
    .await;
    assert_eq!((status, &body), (500, &json!({"error": "internal error"})));
    assert!(!body.to_string().contains("db-7"), "no internals leak");
    still_serving(&base).await;

    let (status, body) = send(
        "POST",
        &format!("{base}/panic"),
        "application/json",
        b"{}".to_vec(),
    )
    .await;
    assert_eq!((status, &body), (500, &json!({"error": "internal error"})));
    still_serving(&base).await;
}

#[tokio::test]
async fn bad_http_input_gets_a_4xx_at_once() {
    let server = server().await;
    let base = server.base();
    let echo = format!("{base}/echo");
    let json = "application/json";
    let cases: Vec<(&str, &str, &str, Vec<u8>, u16)> = vec![
        ("truncated JSON", "POST", json, br#"{"text": "hel"#.to_vec(), 400),
        (
            "deep nesting",
            "POST",
            json,
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            400,
        ),
        (
            "huge string",
            "POST",
            json,
            format!("{{\"text\": \"{}\"}}", "a".repeat(200_000)).into_bytes(),
            413,
        ),
        (
            "wrong content type",
            "POST",
            "text/plain",
            b"text=hi".to_vec(),
            415,
        ),
        (
            "invalid UTF-8",
            "POST",
            json,
            vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'],
            400,
        ),
        ("not an object", "POST", json, b"\"text\"".to_vec(), 400),
        ("unknown method", "BREW", json, b"{}".to_vec(), 405),
        ("wrong field type", "POST", json, br#"{"text": 12}"#.to_vec(), 400),
    ];
    for (what, method, content_type, body, expected) in cases {
        let (status, answer) = send(method, &echo, content_type, body).await;
        assert_eq!(status, expected, "{what}: {answer}");
        assert!(answer["error"].is_string(), "{what}: a JSON error body: {answer}");
    }
    still_serving(&base).await;
}

#[tokio::test]
async fn methods_come_from_the_syncs_that_start_on_a_route() {
    let server = server().await;
    let base = server.base();
    // Echo starts only on POST; EchoAnswer names no method but cannot start.
    let (status, body) = send(
        "GET",
        &format!("{base}/echo"),
        "application/json",
        br#"{"text":"hi"}"#.to_vec(),
    )
    .await;
    assert_eq!(status, 405, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|error| error.contains("allowed: POST, OPTIONS")),
        "{body}"
    );
    // A 405 says what is allowed in its `Allow` header too: the route's
    // methods, as OPTIONS lists them (it gave POST alone), or for a method
    // the server never takes, those it takes.
    let allow = |method: &'static str| {
        let url = format!("{base}/echo");
        async move {
            let refused = response(method, &url, "application/json", Vec::new()).await;
            assert_eq!(refused.status().as_u16(), 405);
            refused
                .headers()
                .get("allow")
                .map(|value| value.as_bytes().to_vec())
        }
    };
    assert_eq!(allow("GET").await, Some(b"POST, OPTIONS".to_vec()));
    assert_eq!(
        allow("BREW").await,
        Some(b"GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS".to_vec())
    );
    // OPTIONS asks the same of a path: its methods (every one it took
    // before; and every one, beside the guard naming no method, until the
    // guards were told from the handlers), and a path no sync handles is a
    // 404.
    let options = response("OPTIONS", &format!("{base}/echo"), "application/json", Vec::new()).await;
    assert_eq!(options.status().as_u16(), 204);
    assert_eq!(
        options
            .headers()
            .get("allow")
            .map(|value| value.as_bytes().to_vec()),
        Some(b"POST, OPTIONS".to_vec())
    );
    let nowhere = response(
        "OPTIONS",
        &format!("{base}/nowhere"),
        "application/json",
        Vec::new(),
    )
    .await;
    assert_eq!(nowhere.status().as_u16(), 404);
}

#[tokio::test]
async fn literals_match_query_strings() {
    let server = server().await;
    let base = server.base();
    let (status, body) = send(
        "GET",
        &format!("{base}/page?page=2"),
        "application/json",
        Vec::new(),
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"second": true})),
        "the string \"2\" matches the literal 2"
    );
    let (status, body) = send(
        "GET",
        &format!("{base}/page?page=3"),
        "application/json",
        Vec::new(),
    )
    .await;
    assert_eq!(status, 400, "no sync starts on page 3");
    // The literal, not the sync that wants it: sync names are internals.
    assert_eq!(
        body["fields"],
        json!([{"field": "page", "problem": "must be 2"}]),
        "{body}"
    );
    // A query string is decoded as sent or refused naming the parameter:
    // bytes that are not UTF-8 became U+FFFD, and of a parameter given
    // twice the last was kept, each without a word. `+` is a space.
    for (query, error) in [
        (
            "page=%FF",
            "the query parameter `page` is not UTF-8 text once decoded",
        ),
        (
            "page=2&page=3",
            "the query parameter `page` is given more than once",
        ),
    ] {
        let (status, body) = send(
            "GET",
            &format!("{base}/page?{query}"),
            "application/json",
            Vec::new(),
        )
        .await;
        assert_eq!((status, body), (400, json!({"error": error})), "{query}");
    }
    let (status, body) = send(
        "GET",
        &format!("{base}/greet?name=Ada+L%C3%B6&&empty="),
        "application/json",
        Vec::new(),
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"text": "hello, Ada Lö"})),
        "escapes decode"
    );
}

#[tokio::test]
async fn optional_fields_bind_none_when_absent_and_are_still_type_checked() {
    let server = server().await;
    let base = server.base();
    let get = |path: &str| {
        let url = format!("{base}{path}");
        async move { send("GET", &url, "application/json", Vec::new()).await }
    };
    assert_eq!(get("/greet").await, (200, json!({"text": "hello, you"})));
    assert_eq!(get("/greet?name=Ada").await, (200, json!({"text": "hello, Ada"})));
    let (status, body) = send(
        "POST",
        &format!("{base}/greet"),
        "application/json",
        br#"{"name": 5}"#.to_vec(),
    )
    .await;
    assert_eq!(status, 400, "present but not a string: {body}");
    assert_eq!(body["fields"][0]["field"], "name");
    assert_eq!(get("/search").await, (200, json!({"tag": null})));
    assert_eq!(get("/search?tag=rust").await, (200, json!({"tag": "rust"})));
    // Typed by a `let` alone (it was a `serde_json::Value`, which the let
    // could not take).
    assert_eq!(get("/listed").await, (200, json!({"showing": "all"})));
    assert_eq!(get("/listed?done=true").await, (200, json!({"showing": "done"})));
    assert_eq!(get("/listed?done=false").await, (200, json!({"showing": "open"})));
    let (status, body) = get("/listed?done=yes").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["fields"][0]["field"], "done", "{body}");
}

#[tokio::test]
async fn clients_that_stall_lose_their_connection_and_do_not_hold_up_a_shutdown() {
    use tokio::io::AsyncWriteExt;
    let server = echo_server(Duration::from_millis(300)).await;
    let address = server.address;
    let connect = || tokio::net::TcpStream::connect(address);

    // A request head that never ends.
    let mut head = connect().await.expect("connect");
    head.write_all(b"POST /api/echo HTTP/1.1\r\nhost: test\r\n")
        .await
        .expect("sent");
    // A body that stops short of its announced length.
    let mut body = connect().await.expect("connect");
    body.write_all(
        b"POST /api/echo HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
          content-length: 100\r\n\r\n{\"te",
    )
    .await
    .expect("sent");

    let answer = raw::until_closed(body).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(
        answer.ends_with(r#"{"error":"the request body did not arrive within 300ms"}"#),
        "{answer}"
    );
    let answer = raw::until_closed(head).await;
    assert!(!answer.starts_with("HTTP/1.1 2"), "{answer}");

    // A client stalling in its next request's head while the server shuts
    // down holds the shutdown up for the time-outs at most. (Its first
    // request is answered first, so the server holds the connection.)
    let mut stalled = connect().await.expect("connect");
    echo_once(&mut stalled).await;
    stalled
        .write_all(b"POST /api/echo HTTP/1.1\r\n")
        .await
        .expect("sent");
    tokio::time::timeout(Duration::from_secs(5), server.stop())
        .await
        .expect("the shutdown ends in time");
    drop(stalled);
}

/// A server answering `/echo`, with `timeout` as its request time-out.
async fn echo_server(timeout: Duration) -> Serving {
    let engine = Engine::builder()
        .concept(Faulty)
        .sync(Echo)
        .sync(EchoAnswer)
        .build()
        .expect("engine");
    Serving::start(engine, |config| config.request_timeout = timeout, |server| server).await
}

/// Sends one `/echo` request on a kept-alive connection and reads its 200.
async fn echo_once(stream: &mut tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = "POST /api/echo HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
                   content-length: 13\r\n\r\n{\"text\":\"hi\"}";
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..read]).into_owned();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
}

/// Ctrl-C does not wait for connections that have not begun a request: a
/// browser's preconnected socket, a client still sending its first head.
/// hyper counts such a connection as busy, so a graceful shutdown alone
/// waited for the header time-out (here a minute).
#[tokio::test]
async fn a_shutdown_closes_connections_that_have_begun_no_request_at_once() {
    use tokio::io::AsyncWriteExt;
    let server = echo_server(Duration::from_secs(60)).await;
    let address = server.address;
    let connect = || tokio::net::TcpStream::connect(address);

    let silent = connect().await.expect("connect");
    let mut half_a_head = connect().await.expect("connect");
    half_a_head
        .write_all(b"POST /api/echo HTTP/1.1\r\nhost: test\r\n")
        .await
        .expect("sent");
    // A kept-alive connection whose request was answered.
    let mut kept_alive = connect().await.expect("connect");
    echo_once(&mut kept_alive).await;
    // Both sides of the first two are accepted before the stop.
    tokio::time::sleep(Duration::from_millis(100)).await;

    tokio::time::timeout(Duration::from_secs(10), server.stop())
        .await
        .expect("the shutdown does not wait for the header time-out");
    for connection in [silent, half_a_head, kept_alive] {
        assert_eq!(raw::until_closed(connection).await, "");
    }
}

/// A value whose decoding panics on "boom": a bug in a user's type, met
/// while the HTTP layer decodes a request.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Fragile(String);

impl<'de> serde::Deserialize<'de> for Fragile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        assert_ne!(text, "boom", "a bug in Fragile's decoding");
        Ok(Fragile(text))
    }
}

#[derive(Default)]
pub struct Breakable;

#[concept]
impl Breakable {
    pub async fn keep(&self, value: Fragile) -> Result<(), ActionError> {
        let _ = value;
        Ok(())
    }
}

#[tokio::test]
async fn a_panic_while_decoding_a_request_is_a_500_and_the_server_goes_on() {
    let engine = Engine::builder().concept(Breakable).build().expect("engine");
    let routes = |server: HttpServer| server.passthrough::<Breakable>("keep");
    let server = Serving::start(engine, |_| {}, routes).await;
    let url = format!("{}/Breakable/keep", server.base());
    let (status, body) = send("POST", &url, "application/json", br#"{"value":"boom"}"#.to_vec()).await;
    assert_eq!((status, body), (500, json!({"error": "internal error"})));
    let (status, body) = send("POST", &url, "application/json", br#"{"value":"fine"}"#.to_vec()).await;
    assert_eq!((status, body), (200, json!({})));
    server.stop().await;
}

#[tokio::test]
async fn a_body_announced_too_large_or_for_no_route_is_refused_before_it_is_sent() {
    let server = server().await;
    for (path, content_type, length, status) in [
        ("/api/echo", "application/json", 100_000_000, "413"),
        ("/api/nowhere", "application/json", 100_000_000, "404"),
        // Read whole and refused after, before.
        ("/api/echo", "text/plain", 1_000, "415"),
    ] {
        let answer = answer_before_the_body(server.address, path, content_type, length).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{path}, {content_type}: {answer}"
        );
    }
}

/// What the server answers to the head of a POST whose client waits for
/// `100 Continue` before sending its body: the answer must come without
/// the body.
async fn answer_before_the_body(
    address: std::net::SocketAddr,
    path: &str,
    content_type: &str,
    length: usize,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: test\r\ncontent-type: {content_type}\r\n\
         content-length: {length}\r\nexpect: 100-continue\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("answered without the body")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..read]).into_owned();
    assert!(!answer.contains("100 Continue"), "{path}: {answer}");
    answer
}

/// `Duration::MAX` as a time-out means none: requests are answered, in
/// process and over HTTP (adding it to the present instant panicked).
#[tokio::test]
async fn a_time_out_of_duration_max_means_none() {
    let engine = Engine::builder()
        .concept(Faulty)
        .sync(EchoTooLong)
        .sync(Echo)
        .sync(EchoAnswer)
        .request_timeout(Duration::MAX)
        .build()
        .expect("engine");
    let answer = engine
        .request("/echo", json!({"method": "POST", "text": "hi"}))
        .await
        .expect("answered");
    assert_eq!(answer.body["text"], "hi");

    let server = echo_server(Duration::MAX).await;
    let mut stream = tokio::net::TcpStream::connect(server.address)
        .await
        .expect("connect");
    echo_once(&mut stream).await;
    drop(stream);
    server.stop().await;
}

/// Lets requests through once opened; counts those waiting.
pub struct Gate {
    open: tokio::sync::Semaphore,
    waiting: std::sync::atomic::AtomicUsize,
    arrived: tokio::sync::Notify,
}

#[concept]
impl Gate {
    pub async fn pass(&self) -> Result<(), ActionError> {
        self.waiting.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.arrived.notify_waiters();
        let _permit = self.open.acquire().await.map_err(ActionError::internal)?;
        Ok(())
    }
}

impl Gate {
    fn closed() -> Gate {
        Gate {
            open: tokio::sync::Semaphore::new(0),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            arrived: tokio::sync::Notify::new(),
        }
    }

    /// Waits until `count` requests wait at the gate.
    async fn until_waiting(&self, count: usize) {
        loop {
            let arrived = self.arrived.notified();
            if self.waiting.load(std::sync::atomic::Ordering::SeqCst) >= count {
                return;
            }
            arrived.await;
        }
    }
}

sync! {
    pub Wait
    when
        Requesting.request (path: "/wait") : ()
    then
        Gate.pass ()

    pub Waited
    when
        Requesting.request (path: "/wait") : (request)
        Gate.pass () : ()
    then
        Requesting.respond (request, passed: true)
}

/// Past `max_waiting_flows`, a request is refused at once (503 over HTTP),
/// before any of its actions run; once flows end, requests run again.
#[tokio::test]
async fn past_the_limit_of_waiting_flows_requests_are_refused_at_once() {
    let gate = std::sync::Arc::new(Gate::closed());
    let engine = Engine::builder()
        .concept_arc(gate.clone())
        .sync(Wait)
        .sync(Waited)
        .config(syncs_runtime::EngineConfig {
            max_waiting_flows: 2,
            ..syncs_runtime::EngineConfig::default()
        })
        .build()
        .expect("engine");
    let waiting: Vec<_> = (0..2)
        .map(|_| {
            let engine = engine.clone();
            tokio::spawn(async move { engine.request("/wait", json!({})).await })
        })
        .collect();
    tokio::time::timeout(Duration::from_secs(5), gate.until_waiting(2))
        .await
        .expect("both wait at the gate");

    let (logs, guard) = logs::Captured::at(tracing::Level::INFO);
    for _ in 0..3 {
        let refused = tokio::time::timeout(Duration::from_secs(5), engine.request("/wait", json!({})))
            .await
            .expect("refused at once, not left waiting");
        assert!(
            matches!(refused, Err(syncs_runtime::RequestError::Overloaded)),
            "{refused:?}"
        );
    }
    drop(guard);
    let text = logs.text();
    assert_eq!(
        text.matches("refusing new requests").count(),
        1,
        "an overload is logged once, not per request:\n{text}"
    );
    assert_eq!(
        gate.waiting.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "it ran no action"
    );
    let server = Serving::start(engine.clone(), |_| {}, |server| server).await;
    let response = reqwest::Client::new()
        .post(format!("{}/wait", server.base()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    // A body it would not take is not asked for (it was read whole first).
    let answer = answer_before_the_body(server.address, "/api/wait", "application/json", 1_000).await;
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");

    gate.open.add_permits(100);
    for flow in waiting {
        let answer = flow.await.expect("joined").expect("answered");
        assert_eq!(answer.body["passed"], true);
    }
    let answer = engine
        .request("/wait", json!({}))
        .await
        .expect("answered once flows ended");
    assert_eq!(answer.body["passed"], true);
    server.stop().await;
}

sync! {
    /// A guard that panics when `title` is left out: a user's bug in a
    /// `where` step, not in any action.
    pub ListTitled
    when
        Requesting.request (path: "/titled", title?) : (request)
    where
        let text: Option<String> = title
        if text.as_ref().unwrap().len() < 100
    then
        Requesting.respond (request, ok: true)
}

/// A panic in a sync's `where` step fails its request only, and the log
/// names the sync, not an action.
#[tokio::test(flavor = "current_thread")]
async fn a_panicking_guard_is_named_in_the_log() {
    let engine = Engine::builder().sync(ListTitled).build().expect("engine");
    let (logs, guard) = logs::Captured::at(tracing::Level::ERROR);
    let error = engine
        .request("/titled", json!({}))
        .await
        .expect_err("the guard panicked");
    drop(guard);
    assert!(
        matches!(&error, syncs_runtime::RequestError::Panicked { what } if what.starts_with("sync ListTitled")),
        "{error:?}"
    );
    let logs = logs.text();
    assert!(
        logs.contains(
            "sync ListTitled (its `where` steps, or a query they ran) panicked: the flow is dropped"
        ),
        "{logs}"
    );
    assert!(
        logs.contains("called `Option::unwrap()` on a `None` value"),
        "{logs}"
    );
    let answer = engine
        .request("/titled", json!({"title": "short"}))
        .await
        .expect("answered");
    assert_eq!(answer.body["ok"], true);
}

/// A second stop (`HttpServer::serve`'s second Ctrl-C) returns at once: a
/// shutdown otherwise waits for the requests in progress, here a minute.
#[tokio::test]
async fn a_second_stop_does_not_wait_for_the_requests_in_progress() {
    let gate = std::sync::Arc::new(Gate::closed());
    let engine = Engine::builder()
        .concept_arc(gate.clone())
        .sync(Wait)
        .sync(Waited)
        .build()
        .expect("engine");
    let config = HttpConfig {
        address: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        request_timeout: Duration::from_secs(60),
        ..HttpConfig::default()
    };
    let bound = HttpServer::new(engine, config).bind().await.expect("bind");
    let address = bound.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (stop_now, stopped_now) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bound.run_until(
        async {
            let _ = stopped.await;
        },
        async {
            let _ = stopped_now.await;
        },
    ));
    let waiting = tokio::spawn(
        reqwest::Client::new()
            .post(format!("http://{address}/api/wait"))
            .json(&json!({}))
            .send(),
    );
    tokio::time::timeout(Duration::from_secs(5), gate.until_waiting(1))
        .await
        .expect("the request waits at the gate");

    let (logs, guard) = logs::Captured::at(tracing::Level::INFO);
    stop.send(()).expect("the server listens");
    let mut server = server;
    assert!(
        tokio::time::timeout(Duration::from_millis(300), &mut server)
            .await
            .is_err(),
        "the first stop waits for the request in progress"
    );
    stop_now.send(()).expect("the server listens");
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the second stop returns at once")
        .expect("joined")
        .expect("served");
    drop(guard);
    let text = logs.text();
    assert!(
        text.contains("shutting down: finishing the requests in progress")
            && text.contains("stopped at once"),
        "{text}"
    );
    waiting.abort();
}
