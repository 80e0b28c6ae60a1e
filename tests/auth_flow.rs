//! The seed's auth syncs, driven in-process through `Requesting`.

#[path = "../examples/auth/concepts.rs"]
mod concepts;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

use serde_json::{json, Value};
use syncs_runtime::{Engine, FieldProblem, RequestError, Response};

fn engine() -> Engine {
    syncs::register(concepts::in_memory())
        .build()
        .expect("the auth app's concepts are all registered")
}

async fn call(engine: &Engine, path: &str, body: Value) -> Response {
    engine
        .request(path, body)
        .await
        .unwrap_or_else(|error| panic!("{path} got no response: {error}"))
}

fn text<'a>(response: &'a Response, field: &str) -> &'a str {
    response
        .body
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("response has no string field {field}: {:?}", response.body))
}

#[tokio::test]
async fn register_login_logout_scenario() {
    let engine = engine();
    let credentials = json!({"username": "alice", "password": "secret-pw"});

    let registered = call(&engine, "/UserAuthentication/register", credentials.clone()).await;
    let user = text(&registered, "user").to_owned();
    assert_eq!(
        registered.body.len(),
        1,
        "register answers only {{user}}: {:?}",
        registered.body
    );

    let duplicate = call(&engine, "/UserAuthentication/register", credentials.clone()).await;
    assert!(
        text(&duplicate, "error").contains("already taken"),
        "{:?}",
        duplicate.body
    );
    assert!(duplicate.body.get("user").is_none());

    let logged_in = call(&engine, "/UserAuthentication/login", credentials.clone()).await;
    let session = text(&logged_in, "session").to_owned();
    let sessions = engine.concept::<concepts::Sessioning>().expect("registered");
    assert_eq!(
        sessions._get_user(session.clone()).await,
        Some(concepts::SessionUser { user: user.clone() }),
        "the session belongs to the registered user"
    );

    let wrong = call(
        &engine,
        "/UserAuthentication/login",
        json!({"username": "alice", "password": "nope"}),
    )
    .await;
    assert_eq!(text(&wrong, "error"), "wrong username or password");
    assert!(wrong.body.get("session").is_none());

    let logged_out = call(&engine, "/logout", json!({ "session": session })).await;
    assert_eq!(logged_out.body.get("status"), Some(&json!("logged_out")));
    assert!(
        sessions._get_user(session.clone()).await.is_none(),
        "the session is gone"
    );
}

#[tokio::test]
async fn wrong_password_creates_no_session() {
    let engine = engine();
    call(
        &engine,
        "/UserAuthentication/register",
        json!({"username": "bob", "password": "right"}),
    )
    .await;
    let report = engine
        .invoke(concepts::UserAuthenticationAction::login {
            username: "bob".into(),
            password: "wrong".into(),
        })
        .await
        .expect("flow runs");
    assert_eq!(
        report.records.len(),
        1,
        "only the failed login: {:#?}",
        report.records
    );
    assert!(report.records[0].is_error());
    assert_eq!(report.of("Sessioning", "create").count(), 0);
}

#[tokio::test]
async fn logout_with_unknown_session_gets_exactly_one_response_the_error() {
    let engine = engine();
    let response = call(&engine, "/logout", json!({"session": "no-such-session"})).await;
    assert_eq!(response.body.len(), 1, "{:?}", response.body);
    assert_eq!(text(&response, "error"), "no session no-such-session");
}

#[tokio::test]
async fn a_request_nobody_handles_is_answered_at_once() {
    let engine = engine();
    let error = engine
        .request("/nowhere", json!({}))
        .await
        .expect_err("no sync handles /nowhere");
    // Not a time-out: the engine saw the flow end, and that no sync names
    // the path (over HTTP, a 404).
    assert!(matches!(error, RequestError::NotFound { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("no sync handles the path /nowhere\nNo sync starts on requests to \"/nowhere\""),
        "{error}"
    );
    assert!(error.to_string().contains("Requesting.request"), "{error}");
}

/// A request no sync of its path can start on is told what is wrong with
/// it, in process as over HTTP (where it is a 400 naming the field).
#[tokio::test]
async fn logout_without_a_session_field_is_told_what_is_missing() {
    let engine = engine();
    let error = engine
        .request("/logout", json!({}))
        .await
        .expect_err("LogoutRequest needs `session`");
    let RequestError::InvalidFields { path, problems, .. } = &error else {
        panic!("expected invalid fields, got {error:?}");
    };
    assert_eq!(path, "/logout");
    assert_eq!(
        problems,
        &[FieldProblem {
            field: "session".into(),
            problem: "missing".into()
        }]
    );
    assert_eq!(
        error.to_string(),
        "invalid request to /logout: `session`: missing"
    );
    let error = engine
        .request("/logout", json!({"session": 7}))
        .await
        .expect_err("`session` is text");
    assert!(
        error.to_string().starts_with(
            "invalid request to /logout: `session`: invalid type: integer `7`, expected a string"
        ),
        "{error}"
    );
}

/// `Response::status` is the status the server would send.
#[tokio::test]
async fn a_response_says_its_http_status() {
    let engine = engine();
    let credentials = json!({"username": "ann", "password": "pw"});
    let registered = call(&engine, "/UserAuthentication/register", credentials.clone()).await;
    assert_eq!(registered.status(), Ok(200));
    let again = call(&engine, "/UserAuthentication/register", credentials).await;
    assert_eq!(again.status(), Ok(400), "an `error` field: {:?}", again.body);

    let with_status = |status: Value| Response {
        body: [("http_status".to_owned(), status)].into_iter().collect(),
    };
    assert_eq!(with_status(json!(201)).status(), Ok(201));
    for invalid in [json!(700), json!(101), json!("teapot"), json!(200.5)] {
        let error = with_status(invalid.clone())
            .status()
            .expect_err("not a final status");
        assert!(
            error
                .to_string()
                .starts_with("respond's http_status must be a whole number from 200 to 599"),
            "{invalid}: {error}"
        );
    }
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_refused() {
    let engine = engine();
    let error = engine
        .request("/logout", json!([1, 2]))
        .await
        .expect_err("array body");
    assert_eq!(error, RequestError::BodyNotAnObject("an array"));
}

#[tokio::test]
async fn concurrent_requests_each_get_their_own_answer() {
    let engine = engine();
    let mut tasks = Vec::new();
    for index in 0..50 {
        let engine = engine.clone();
        tasks.push(tokio::spawn(async move {
            let name = format!("user{index}");
            let registered = engine
                .request(
                    "/UserAuthentication/register",
                    json!({"username": name, "password": "pw"}),
                )
                .await
                .expect("answered");
            let login = engine
                .request(
                    "/UserAuthentication/login",
                    json!({"username": name, "password": "pw"}),
                )
                .await
                .expect("answered");
            (registered, login)
        }));
    }
    let sessions = engine.concept::<concepts::Sessioning>().expect("registered");
    let mut users = std::collections::HashSet::new();
    for task in tasks {
        let (registered, login) = task.await.expect("task");
        let user = text(&registered, "user").to_owned();
        let session = text(&login, "session").to_owned();
        assert_eq!(
            sessions._get_user(session).await,
            Some(concepts::SessionUser { user: user.clone() }),
            "each login's session belongs to the user its flow registered"
        );
        assert!(users.insert(user), "user ids are unique");
    }
}
