//! What the running program shows: traces without secrets, provenance trees,
//! explanations, static checks and the sync graph, on the auth app.

#[path = "../examples/auth/concepts.rs"]
mod concepts;
#[path = "support/logs.rs"]
mod logs;
#[path = "../examples/auth/syncs.rs"]
mod syncs;

#[allow(unused_imports)]
use concepts::{Sessioning, UserAuthentication};
use serde_json::json;
use syncs_runtime::{sync, Engine, EngineConfig, Finding, Form, RequestError};

/// The engine's findings that `kind` picks (a `matches!` of one variant).
fn findings_of(engine: &Engine, kind: fn(&Finding) -> bool) -> Vec<Finding> {
    engine
        .findings()
        .iter()
        .filter(|finding| kind(finding))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_finished_flow_is_a_tree_of_causes() {
    let engine = syncs::register(concepts::in_memory())
        .config(EngineConfig {
            trace_ring: 4,
            ..EngineConfig::default()
        })
        .build()
        .expect("engine");
    let credentials = json!({"username": "bo", "password": "pw"});
    engine
        .request("/UserAuthentication/register", credentials.clone())
        .await
        .expect("registered");
    engine
        .request("/UserAuthentication/login", credentials)
        .await
        .expect("logged in");
    // The login flow may still be finishing its cascade after the response.
    let mut flows = engine.recent_flows();
    for _ in 0..100 {
        if flows.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        flows = engine.recent_flows();
    }
    let login = flows.last().expect("the login flow is kept");
    let roots = login.tree();
    assert_eq!(roots.len(), 1, "one root: the request");
    let text = roots[0].to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("Requesting.request {"), "{text}");
    assert!(
        lines[1].starts_with("└─ [LoginRequest] UserAuthentication.login {"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("   └─ [LoginFlow] Sessioning.create {"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("      └─ [LoginResponseSuccess] Requesting.respond {"),
        "{text}"
    );
    assert!(!text.contains("\"pw\""), "the password is redacted:\n{text}");
}

sync! {
    /// Answers a logout, at a misspelled path.
    pub LogoutTypo
    when
        Requesting.request (path: "/logot") : (request)
        Sessioning.delete () : ()
    then
        Requesting.respond (request, status: "logged_out")

    /// Answers a failed login, at a path one letter off.
    pub LoginTypo
    when
        Requesting.request (path: "/UserAuthentication/logn") : (request)
        UserAuthentication.login () : (error)
    then
        Requesting.respond (request, error)

    /// Answers the one token it knows: a literal of a secret field.
    pub AdminOnly
    when
        Requesting.request (path: "/admin", authorization: "Token letmein") : (request)
    then
        Requesting.respond (request, ok: true)

    /// A route with a parameter.
    pub ShowItem
    when
        Requesting.request (path: "/items/:id", id) : (request)
    then
        Requesting.respond (request, id)

    /// A route of its own, one letter from the login's: no typo.
    pub ListLogins
    when
        Requesting.request (path: "/UserAuthentication/logins") : (request)
    then
        Requesting.respond (request, logins: [])
}

/// An explanation says which literal a pattern wanted and what the flow
/// had, except for secret fields.
#[tokio::test]
async fn explanations_never_show_secret_fields() {
    let engine = Engine::builder().sync(AdminOnly).build().expect("engine");
    let error = engine
        .request("/admin", json!({"authorization": "Token guessed-it"}))
        .await
        .expect_err("a wrong token is not answered");
    // No sync starts on it: the field is named, its expected value is not.
    let RequestError::InvalidFields { explanation, .. } = &error else {
        panic!("expected invalid fields, got {error:?}");
    };
    assert_eq!(
        error.to_string(),
        "invalid request to /admin: `authorization`: is not the value a sync here expects"
    );
    assert!(
        explanation.contains("AdminOnly: pattern 1 `Requesting.request` wants authorization = <redacted>, but Requesting.request had <redacted>"),
        "{explanation}"
    );
    assert!(
        !explanation.contains("guessed-it") && !explanation.contains("letmein"),
        "{explanation}"
    );
}

/// An explanation shows a bounded part of each action: it is logged for
/// every unanswered request, whose record holds the whole body.
#[tokio::test]
async fn explanations_stay_short_whatever_the_request_holds() {
    let engine = Engine::builder().sync(AdminOnly).build().expect("engine");
    let note = "n".repeat(100_000);
    let error = engine
        .request("/admin", json!({"authorization": "Token no", "note": note}))
        .await
        .expect_err("not answered");
    let RequestError::InvalidFields { explanation, .. } = error else {
        panic!("expected invalid fields, got {error:?}");
    };
    assert!(explanation.len() < 2_000, "{} characters", explanation.len());
    assert!(explanation.contains("more characters)"), "{explanation}");
}

/// In process, a request names its route's template; one that names a
/// concrete path is told so.
#[tokio::test]
async fn a_request_to_a_concrete_or_misspelled_path_is_told_the_route() {
    let engine = Engine::builder().sync(ShowItem).build().expect("engine");
    let answer = engine
        .request("/items/:id", json!({"id": "7"}))
        .await
        .expect("answered");
    assert_eq!(answer.body["id"], "7");
    for (path, expected) in [
        (
            "/items/7",
            "No sync names the path \"/items/7\": a request names its route's template, here \"/items/:id\", \
             with the parameters as fields.",
        ),
        ("/nowhere", "No sync starts on requests to \"/nowhere\"."),
        // A route misspelled, or with a trailing slash, is named.
        (
            "/itemz/:id",
            "No sync starts on requests to \"/itemz/:id\": did you mean \"/items/:id\"?",
        ),
        (
            "/items/:id/",
            "No sync starts on requests to \"/items/:id/\": did you mean \"/items/:id\"?",
        ),
    ] {
        let error = engine.request(path, json!({"id": "7"})).await.expect_err("unanswered");
        let RequestError::NotFound { path: missing, explanation } = error else {
            panic!("expected a path no sync handles, got {error:?}");
        };
        assert_eq!(missing, path);
        assert!(explanation.contains(expected), "{explanation}");
    }
}

#[tokio::test]
async fn an_unhandled_error_branch_is_named_in_the_explanation() {
    // The auth app without LoginResponseError: a wrong password is never answered.
    let engine = concepts::in_memory()
        .sync(syncs::RegisterRequest)
        .sync(syncs::RegisterResponseSuccess)
        .sync(syncs::LoginRequest)
        .sync(syncs::LoginFlow)
        .sync(syncs::LoginResponseSuccess)
        .sync(LoginTypo)
        .sync(ListLogins)
        .build()
        .expect("engine");
    engine
        .request(
            "/UserAuthentication/register",
            json!({"username": "cy", "password": "pw"}),
        )
        .await
        .expect("registered");
    let error = engine
        .request(
            "/UserAuthentication/login",
            json!({"username": "cy", "password": "wrong"}),
        )
        .await
        .expect_err("nobody answers a failed login");
    let RequestError::Unanswered { explanation } = error else {
        panic!("expected an unanswered request, got {error:?}");
    };
    assert!(
        explanation.contains("#1 [LoginRequest] UserAuthentication.login"),
        "the flow's actions are listed:\n{explanation}"
    );
    assert!(
        explanation.contains(
            "LoginFlow: pattern 1 `UserAuthentication.login` wants the success outcome, but \
             UserAuthentication.login ended in an error"
        ),
        "the error branch is named:\n{explanation}"
    );
    assert!(
        explanation.contains("LoginResponseSuccess: pattern 2 `Sessioning.create` matched nothing"),
        "{explanation}"
    );
    // The syncs about registration requests are counted, not listed.
    assert!(
        !explanation.contains("RegisterRequest")
            && !explanation.contains("RegisterResponseSuccess")
            && !explanation.contains("ListLogins"),
        "syncs about other paths are left out:\n{explanation}"
    );
    assert!(
        explanation.contains("(3 more about requests to other paths)"),
        "{explanation}"
    );
    assert!(
        explanation.contains(
            "LoginTypo: wants path \"/UserAuthentication/logn\", a letter or two from this request's \
             \"/UserAuthentication/login\" (a typo?)"
        ),
        "a path a letter away is shown:\n{explanation}"
    );
    assert!(
        !explanation.contains("\"wrong\""),
        "the password is redacted:\n{explanation}"
    );
    // The static checks knew it before any request.
    assert!(engine.findings().contains(&Finding::UnansweredOutcome {
        path: "/UserAuthentication/login".into(),
        action: "UserAuthentication.login".into(),
        form: Form::Error,
    }));
}

#[test]
fn static_checks_find_unanswered_outcomes_dead_syncs_and_cycles() {
    // Every outcome of the seed's actions is answered: `Sessioning.create`
    // is `#[infallible]`, so its error form needs no sync.
    let complete = syncs::register(concepts::in_memory()).build().expect("engine");
    assert!(complete.findings().is_empty(), "{:?}", complete.findings());

    // Without the sync that answers a failed registration, its gap is found.
    let gap = concepts::in_memory()
        .sync(syncs::RegisterRequest)
        .sync(syncs::RegisterResponseSuccess)
        .build()
        .expect("engine");
    let findings: Vec<String> = gap.findings().iter().map(ToString::to_string).collect();
    assert_eq!(
        findings,
        vec![
            "requests to /UserAuthentication/register are never answered when UserAuthentication.register \
             ends in an error: no sync responds to that outcome"
        ]
    );

    let dead = concepts::in_memory()
        .sync(syncs::LoginFlow)
        .build()
        .expect("engine");
    assert_eq!(
        dead.findings(),
        &[Finding::NeverFires {
            sync: "LoginFlow",
            action: "UserAuthentication.login".into()
        }]
    );
    // A sync answering a path that no flow reaching its other action has:
    // a misspelled path.
    // (Declaring the action an entry point changes nothing: flows started
    // from outside hold no request.)
    let misspelled = syncs::register(concepts::in_memory())
        .sync(LogoutTypo)
        .entry_point::<Sessioning>("delete")
        .build()
        .expect("engine");
    assert_eq!(
        misspelled.findings(),
        &[Finding::NeverFiresOnPath {
            sync: "LogoutTypo",
            action: "Sessioning.delete".into(),
            path: "/logot".into(),
            nearest: Some("/logout".into()),
        }]
    );
    assert_eq!(
        misspelled.findings()[0].to_string(),
        "sync LogoutTypo can never fire: no sync invokes Sessioning.delete in the flow of a request to /logot \
         (is the path misspelled? Sessioning.delete is invoked for requests to /logout)"
    );
    // Invoked only from outside (a timer, say): its flows are its own, and
    // the finding says so instead of guessing at a misspelled path.
    let outside = concepts::in_memory()
        .sync(LogoutTypo)
        .entry_point::<Sessioning>("delete")
        .build()
        .expect("engine");
    assert_eq!(
        outside.findings(),
        &[Finding::NeverFiresWithRequest {
            sync: "LogoutTypo",
            action: "Sessioning.delete".into(),
            path: "/logot".into(),
        }]
    );
    assert!(
        outside.findings()[0].to_string().contains(
            "Sessioning.delete is invoked from outside (an entry point), which starts a flow of its own"
        ),
        "{}",
        outside.findings()[0]
    );
    let declared = concepts::in_memory()
        .sync(syncs::LoginFlow)
        .entry_point::<concepts::UserAuthentication>("login")
        .build()
        .expect("engine");
    assert!(declared.findings().is_empty(), "{:?}", declared.findings());
    // A misspelled entry point is refused, not taken silently.
    let misspelled = concepts::in_memory()
        .sync(syncs::LoginFlow)
        .entry_point::<concepts::UserAuthentication>("logn")
        .build();
    assert_eq!(
        misspelled.err().map(|error| error.to_string()).as_deref(),
        Some("entry_point::<UserAuthentication>(\"logn\"): UserAuthentication has no action logn (its actions: register, login)")
    );

    let strict = concepts::in_memory()
        .sync(syncs::LoginFlow)
        .strict_checks(true)
        .build();
    let error = strict.err().expect("findings are errors in strict mode");
    assert!(
        error.to_string().contains("sync LoginFlow can never fire"),
        "{error}"
    );
    // A whole configuration given after it does not undo it.
    let strict_then_config = concepts::in_memory()
        .sync(syncs::LoginFlow)
        .strict_checks(true)
        .request_timeout(std::time::Duration::from_secs(3))
        .config(EngineConfig {
            trace_ring: 5,
            ..EngineConfig::default()
        })
        .build();
    let error = strict_then_config.err().expect("still strict");
    assert!(error.to_string().contains("can never fire"), "{error}");
    let engine = concepts::in_memory()
        .request_timeout(std::time::Duration::from_secs(3))
        .config(EngineConfig {
            trace_ring: 5,
            ..EngineConfig::default()
        })
        .build()
        .expect("engine");
    assert_eq!(engine.config().request_timeout, std::time::Duration::from_secs(3));
    assert_eq!(engine.config().trace_ring, 5);
}

mod looping {
    use serde::{Deserialize, Serialize};
    use syncs_runtime::{concept, sync, ActionError};

    #[derive(Default)]
    pub struct Ping;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Pinged {
        pub n: u32,
    }

    #[concept]
    impl Ping {
        pub async fn ping(&self, n: u32) -> Result<Pinged, ActionError> {
            Ok(Pinged { n })
        }
        pub async fn pong(&self, n: u32) -> Result<Pinged, ActionError> {
            Ok(Pinged { n })
        }
    }

    sync! {
        /// Counts up to 5,000 in one flow: a deep chain of causes.
        pub CountUp
        when
            Ping.ping () : (n)
        where
            if n < 5_000
            let next = n + 1
        then
            Ping.ping (n: next)
    }

    sync! {
        pub PingPong
        when
            Ping.ping () : (n)
        then
            Ping.pong (n)

        pub PongPing
        when
            Ping.pong () : (n)
        then
            Ping.ping (n)
    }
}

#[tokio::test]
async fn a_deep_chain_prints_as_a_tree_without_recursion() {
    let engine = Engine::builder()
        .concept(looping::Ping)
        .sync(looping::CountUp)
        .build()
        .expect("engine");
    let report = engine
        .invoke(looping::PingAction::ping { n: 0 })
        .await
        .expect("the chain runs");
    assert_eq!(report.records.len(), 5_001);
    // On a thread with a small stack, so that recursion would overflow it.
    let text = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || report.to_string())
        .expect("thread")
        .join()
        .expect("printed without overflowing the stack");
    assert_eq!(
        text.lines().count(),
        5_002,
        "the flow id, then one line per action"
    );
    assert!(text
        .lines()
        .last()
        .is_some_and(|line| line.contains("[CountUp] Ping.ping {\"n\":5000}")));
}

#[test]
fn a_cycle_among_syncs_is_reported() {
    let engine = Engine::builder()
        .concept(looping::Ping)
        .sync(looping::PingPong)
        .sync(looping::PongPing)
        .build()
        .expect("engine");
    assert_eq!(
        engine.findings(),
        &[Finding::Cycle {
            syncs: vec!["PingPong", "PongPing"]
        }]
    );
}

#[test]
fn the_auth_graph_has_the_seed_actions_and_syncs() {
    let engine = syncs::register(concepts::in_memory()).build().expect("engine");
    let graph = engine.graph();
    assert_eq!(
        graph.nodes(),
        vec![
            "Requesting.request",
            "Requesting.respond",
            "Sessioning.create",
            "Sessioning.delete",
            "UserAuthentication.login",
            "UserAuthentication.register",
        ]
    );
    let edges = graph.edges();
    for expected in [
        ("Requesting.request", "LoginRequest", "UserAuthentication.login"),
        ("UserAuthentication.login", "LoginFlow", "Sessioning.create"),
        ("Sessioning.create", "LoginResponseSuccess", "Requesting.respond"),
        (
            "UserAuthentication.login",
            "LoginResponseError",
            "Requesting.respond",
        ),
        ("Requesting.request", "LogoutRequest", "Sessioning.delete"),
        ("Sessioning.delete", "LogoutResponseError", "Requesting.respond"),
    ] {
        assert!(
            edges.contains(&expected),
            "missing edge {expected:?} in {edges:?}"
        );
    }
    assert_eq!(
        edges.len(),
        16,
        "one edge per when-action of each sync: {edges:?}"
    );
    let dot = graph.to_dot();
    assert!(
        dot.contains("\"UserAuthentication.login\" -> \"Sessioning.create\" [label=\"LoginFlow\"];"),
        "{dot}"
    );
    let mermaid = graph.to_mermaid();
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(mermaid.contains("-- \"LoginFlow\" -->"), "{mermaid}");
}

mod shelf {
    use serde::{Deserialize, Serialize};
    use std::collections::HashSet;
    use std::sync::Mutex;
    use syncs_runtime::{concept, sync, ActionError};

    /// Items on a shelf.
    #[derive(Default)]
    pub struct Shelf {
        items: Mutex<HashSet<String>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Held {
        pub item: String,
    }

    #[concept]
    impl Shelf {
        #[infallible]
        pub async fn put(&self, item: String) -> Result<(), ActionError> {
            self.items.lock().map_err(ActionError::internal)?.insert(item);
            Ok(())
        }
        /// Opens the shelf's lock (any key, here).
        #[infallible]
        pub async fn unlock(&self, key: String) -> Result<(), ActionError> {
            let _ = key;
            Ok(())
        }
        #[infallible]
        pub async fn take(&self, item: String) -> Result<(), ActionError> {
            self.items.lock().map_err(ActionError::internal)?.remove(&item);
            Ok(())
        }
        pub async fn _holds(&self, item: String) -> Result<Option<Held>, ActionError> {
            let items = self.items.lock().map_err(ActionError::internal)?;
            Ok(items.get(&item).map(|item| Held { item: item.clone() }))
        }
    }

    sync! {
        pub Take
        when
            Requesting.request (path: "/items/:item", method: "DELETE", item) : ()
        where
            Shelf._holds (item) : ()
        then
            Shelf.take (item)

        pub Taken
        when
            Requesting.request (path: "/items/:item", method: "DELETE") : (request)
            Shelf.take () : ()
        then
            Requesting.respond (request, http_status: 204)

        pub NotOnTheShelf
        when
            Requesting.request (path: "/items/:item", method: "DELETE", item) : (request)
        where
            not Shelf._holds (item)
        then
            Requesting.respond (request, http_status: 404, error: "no such item")

        /// The same, behind a lock: the syncs wait for the unlock, and are
        /// tried on its record in registration order.
        pub Unlock
        when
            Requesting.request (path: "/locked/:item", key) : ()
        then
            Shelf.unlock (key)

        pub TakeUnlocked
        when
            Requesting.request (path: "/locked/:item", item) : ()
            Shelf.unlock () : ()
        where
            Shelf._holds (item) : ()
        then
            Shelf.take (item)

        pub TakenUnlocked
        when
            Requesting.request (path: "/locked/:item") : (request)
            Shelf.take () : ()
        then
            Requesting.respond (request, http_status: 204)

        pub NotOnTheLockedShelf
        when
            Requesting.request (path: "/locked/:item", item) : (request)
            Shelf.unlock () : ()
        where
            not Shelf._holds (item)
        then
            Requesting.respond (request, http_status: 404, error: "no such item")

        /// Any request naming an item the shelf lacks, whatever its path.
        pub NotOnTheShelfAnywhere
        when
            Requesting.request (item) : (request)
        where
            not Shelf._holds (item)
        then
            Requesting.respond (request, http_status: 404, error: "no such item")
    }
}

/// A sync answering from a `where` test, registered after a sync whose
/// actions change what the test reads, sees the state after them: the
/// request is answered twice (the second refused). The static check says
/// so, and which sync to register first; in that order the request is
/// answered once.
#[tokio::test]
async fn a_test_tried_after_the_change_it_reads_is_found_at_build() {
    use shelf::{NotOnTheShelf, Shelf, Take, Taken};
    let build = |late: bool| {
        let builder = Engine::builder().concept(Shelf::default()).config(EngineConfig {
            trace_ring: 1,
            ..EngineConfig::default()
        });
        let builder = if late {
            builder.sync(Take).sync(Taken).sync(NotOnTheShelf)
        } else {
            builder.sync(NotOnTheShelf).sync(Take).sync(Taken)
        };
        builder.entry_point::<Shelf>("put").build().expect("engine")
    };
    for late in [true, false] {
        let engine = build(late);
        engine
            .invoke(shelf::ShelfAction::put { item: "cup".into() })
            .await
            .expect("put on the shelf");
        let answer = engine
            .request("/items/:item", json!({"method": "DELETE", "item": "cup"}))
            .await
            .expect("answered");
        assert_eq!(answer.body["http_status"], 204);
        engine.drain().await;
        let flows = engine.recent_flows();
        let flow = flows.last().expect("kept");
        let responds = flow.of("Requesting", "respond").count();
        if late {
            assert_eq!(
                engine.findings(),
                &[Finding::AnswersAfterChange {
                    sync: "NotOnTheShelf",
                    after: "Take",
                    path: "/items/:item".into(),
                    concept: "Shelf",
                }]
            );
            assert_eq!(
                engine.findings()[0].to_string(),
                "sync NotOnTheShelf may answer requests to /items/:item a second time: its `not` step reads \
                 Shelf, which the actions of Take (registered before it, so run first) change; register \
                 NotOnTheShelf before Take, or answer on Take's outcome"
            );
            assert_eq!(responds, 2, "the 404 is tried after the 204: the finding is real");
        } else {
            assert!(engine.findings().is_empty(), "{:?}", engine.findings());
            assert_eq!(responds, 1);
        }
    }

    // A finding meant (a catch-all that answers last on purpose) can be
    // allowed; an allowance the checks no longer need is an error when
    // findings are.
    let finding = Finding::AnswersAfterChange {
        sync: "NotOnTheShelf",
        after: "Take",
        path: "/items/:item".into(),
        concept: "Shelf",
    };
    let allowed = Engine::builder()
        .concept(Shelf::default())
        .sync(Take)
        .sync(Taken)
        .sync(NotOnTheShelf)
        .allow_finding(finding.clone())
        .strict_checks(true)
        .build()
        .expect("the one finding is allowed");
    assert!(allowed.findings().is_empty());
    let stale = Engine::builder()
        .concept(Shelf::default())
        .sync(NotOnTheShelf)
        .sync(Take)
        .sync(Taken)
        .allow_finding(finding.clone())
        .strict_checks(true)
        .build();
    assert!(
        matches!(&stale, Err(syncs_runtime::BuildError::AllowedFindingsNotMade(stale)) if stale == &[finding]),
        "{:?}",
        stale.err()
    );

    // A sync naming no path runs on every request: after `Take`, its test
    // sees the item gone on the requests `Take` starts on.
    let anywhere = Engine::builder()
        .concept(Shelf::default())
        .sync(Take)
        .sync(Taken)
        .sync(shelf::NotOnTheShelfAnywhere)
        .build()
        .expect("engine");
    assert_eq!(
        anywhere.findings(),
        &[Finding::AnswersAfterChange {
            sync: "NotOnTheShelfAnywhere",
            after: "Take",
            path: "/items/:item".into(),
            concept: "Shelf",
        }]
    );
    let first = Engine::builder()
        .concept(Shelf::default())
        .sync(shelf::NotOnTheShelfAnywhere)
        .sync(Take)
        .sync(Taken)
        .build()
        .expect("engine");
    assert!(first.findings().is_empty(), "{:?}", first.findings());

    // Syncs that wait for the same action of the flow are tried on its
    // record alike.
    let locked = Engine::builder()
        .concept(Shelf::default())
        .sync(shelf::Unlock)
        .sync(shelf::TakeUnlocked)
        .sync(shelf::TakenUnlocked)
        .sync(shelf::NotOnTheLockedShelf)
        .build()
        .expect("engine");
    assert_eq!(
        locked.findings(),
        &[Finding::AnswersAfterChange {
            sync: "NotOnTheLockedShelf",
            after: "TakeUnlocked",
            path: "/locked/:item".into(),
            concept: "Shelf",
        }]
    );
}

mod cart {
    use std::collections::HashSet;
    use std::sync::Mutex;
    use syncs_runtime::{concept, sync, ActionError};

    /// Items held back for carts.
    #[derive(Default)]
    pub struct Stock {
        held: Mutex<HashSet<String>>,
    }

    #[concept]
    impl Stock {
        /// Gives the item back to the stock (a side effect: nothing
        /// answers on it).
        pub async fn release(&self, item: String) -> Result<(), ActionError> {
            if !self.held.lock().map_err(ActionError::internal)?.remove(&item) {
                return Err(ActionError::fail("the item was not held"));
            }
            Ok(())
        }
    }

    /// Items in a cart.
    #[derive(Default)]
    pub struct Cart {
        items: Mutex<HashSet<String>>,
    }

    #[concept]
    impl Cart {
        pub async fn remove(&self, item: String) -> Result<(), ActionError> {
            if !self.items.lock().map_err(ActionError::internal)?.remove(&item) {
                return Err(ActionError::fail("no such item in the cart"));
            }
            Ok(())
        }
    }

    sync! {
        /// Removes an item: its stock is released, then the cart's item
        /// removed; the answer is the removal's.
        pub RemoveItem
        when
            Requesting.request (path: "/cart/:item", method: "DELETE", item) : ()
        then
            Stock.release (item)
            Cart.remove (item)

        pub Removed
        when
            Requesting.request (path: "/cart/:item") : (request)
            Cart.remove () : ()
        then
            Requesting.respond (request, http_status: 204)

        pub NotInCart
        when
            Requesting.request (path: "/cart/:item") : (request)
            Cart.remove () : (error)
        then
            Requesting.respond (request, error)
    }
}

/// A sync invokes every `then` action whatever the others' outcomes: an
/// action beside the one that answers (a side effect) is no unanswered
/// outcome, while the answering action's unanswered outcomes still are.
#[test]
fn a_side_effect_beside_the_answering_action_is_no_gap() {
    let answered = cart_engine();
    assert!(answered.findings().is_empty(), "{:?}", answered.findings());

    let half = Engine::builder()
        .concept(cart::Stock::default())
        .concept(cart::Cart::default())
        .sync(cart::RemoveItem)
        .sync(cart::Removed)
        .build()
        .expect("engine");
    assert_eq!(
        half.findings(),
        &[Finding::UnansweredOutcome {
            path: "/cart/:item".into(),
            action: "Cart.remove".into(),
            form: Form::Error,
        }]
    );

    // With no answer at all, every outcome of every action is a gap.
    let none = Engine::builder()
        .concept(cart::Stock::default())
        .concept(cart::Cart::default())
        .sync(cart::RemoveItem)
        .build()
        .expect("engine");
    assert_eq!(none.findings().len(), 4, "{:?}", none.findings());
}

mod counter {
    use serde::{Deserialize, Serialize};
    use std::sync::atomic::{AtomicU64, Ordering};
    use syncs_runtime::{concept, sync, ActionError};

    #[derive(Default)]
    pub struct Counter {
        value: AtomicU64,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Value {
        pub n: u64,
    }

    #[concept]
    impl Counter {
        #[infallible]
        pub async fn bump(&self) -> Result<(), ActionError> {
            self.value.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        pub async fn _value(&self) -> Option<Value> {
            Some(Value {
                n: self.value.load(Ordering::SeqCst),
            })
        }
    }

    sync! {
        pub Bump
        when
            Requesting.request (path: "/counter", method: "POST") : ()
        then
            Counter.bump ()

        pub Count
        when
            Requesting.request (path: "/counter", method: "POST") : (request)
        where
            Counter._value () : (n)
        then
            Requesting.respond (request, n)
    }
}

/// A `where` query that reads the state after an earlier sync's change on
/// purpose (the count after an increment) is not reported: only `not`
/// steps are, which answer "there is none" about what the change removed.
#[tokio::test]
async fn a_query_meant_to_read_the_state_after_a_change_is_not_reported() {
    use counter::{Bump, Count, Counter};
    let engine = Engine::builder()
        .concept(Counter::default())
        .sync(Bump)
        .sync(Count)
        .build()
        .expect("engine");
    assert!(
        !engine
            .findings()
            .iter()
            .any(|finding| matches!(finding, Finding::AnswersAfterChange { .. })),
        "{:?}",
        engine.findings()
    );
    let answer = engine
        .request("/counter", json!({"method": "POST"}))
        .await
        .expect("answered");
    assert_eq!(answer.body["n"], 1, "the count after the bump");
}

sync! {
    /// Its route names `:poll_id`; its pattern reads `id`.
    pub ShowPollTypo
    when
        Requesting.request (path: "/polls/:poll_id", method: "GET", id) : (request)
    then
        Requesting.respond (request, id)

    /// Reads its route's parameter.
    pub ShowOption
    when
        Requesting.request (path: "/options/:option", method: "GET", option) : (request)
    then
        Requesting.respond (request, option)
}

/// A route parameter no sync of its path reads is a misspelling (of the
/// field the syncs read instead, which requests then lack: each one a 400
/// blamed on the client).
#[test]
fn a_route_parameter_no_sync_reads_is_found() {
    let engine = Engine::builder()
        .sync(ShowPollTypo)
        .sync(ShowOption)
        .build()
        .expect("engine");
    assert_eq!(
        engine.findings(),
        &[Finding::UnreadRouteParameter {
            path: "/polls/:poll_id".into(),
            parameter: "poll_id".into(),
            syncs: vec!["ShowPollTypo"],
            read_instead: Some("id".into()),
        }]
    );
    assert_eq!(
        engine.findings()[0].to_string(),
        "no sync reads the parameter `poll_id` of requests to /polls/:poll_id (its syncs: ShowPollTypo): \
         is the field `id` they read, which such requests carry only in their body or query string, meant \
         to be it?"
    );
}

/// In process, a request to a path whose syncs name methods needs its
/// `method` field; one without it, or with a method no sync takes, is told
/// which methods the path answers (over HTTP, a 405).
#[tokio::test]
async fn a_request_without_a_method_the_path_takes_is_told_which_it_takes() {
    use counter::{Bump, Count, Counter};
    let engine = Engine::builder()
        .concept(Counter::default())
        .sync(Bump)
        .sync(Count)
        .build()
        .expect("engine");
    let error = engine
        .request("/counter", json!({}))
        .await
        .expect_err("no method");
    assert!(
        matches!(&error, RequestError::MethodNotAllowed { method: None, allowed, .. } if allowed[0] == "POST"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "no sync of /counter answers a request without a `method` field: they answer POST (over HTTP the \
         server adds the field; in process, give it: {\"method\": \"POST\", ...})"
    );
    let error = engine
        .request("/counter", json!({"method": "DELETE"}))
        .await
        .expect_err("DELETE");
    assert_eq!(
        error.to_string(),
        "no sync of /counter answers the method DELETE: they answer POST"
    );
}

sync! {
    /// Names the book `:book_id`...
    pub ShowBook
    when
        Requesting.request (path: "/books/:book_id", method: "GET", book_id) : (request)
    then
        Requesting.respond (request, book_id)

    /// ...and this sync `:id`: two routes the server cannot tell apart.
    pub RemoveBook
    when
        Requesting.request (path: "/books/:id", method: "DELETE", id) : (request)
    then
        Requesting.respond (request, id)
}

/// Templates the HTTP server could not route are found when the engine is
/// built, named as the syncs write them, not when the server starts.
#[test]
fn routes_a_request_cannot_tell_apart_are_found() {
    let engine = Engine::builder()
        .sync(ShowBook)
        .sync(RemoveBook)
        .build()
        .expect("engine");
    assert_eq!(
        engine.findings(),
        &[Finding::ConflictingRoutes {
            path: "/books/:id".into(),
            with: "/books/:book_id".into(),
        }]
    );
    assert_eq!(
        engine.findings()[0].to_string(),
        "the routes /books/:book_id and /books/:id conflict: a request's path cannot tell which one it is \
         for (give a parameter the same name in every sync that names it, e.g. `:id` in both); the HTTP \
         server refuses to start with them"
    );
}

sync! {
    /// An optional field, typed.
    pub SearchTitles
    when
        Requesting.request (path: "/search", title?) : (request)
    where
        let wanted: Option<String> = title
    then
        Requesting.respond (request, wanted)
}

/// An optional field of the wrong type is named as such in the
/// explanation (not "no combination agrees").
#[tokio::test]
async fn an_optional_field_of_the_wrong_type_is_named_in_the_explanation() {
    let engine = Engine::builder().sync(SearchTitles).build().expect("engine");
    let answer = engine.request("/search", json!({})).await.expect("answered");
    assert_eq!(answer.body["wanted"], serde_json::Value::Null);
    let error = engine
        .request("/search", json!({"title": 5}))
        .await
        .expect_err("not a string");
    let RequestError::InvalidFields {
        explanation,
        problems,
        ..
    } = &error
    else {
        panic!("expected invalid fields, got {error:?}");
    };
    assert_eq!(problems[0].field, "title");
    assert!(
        explanation.contains(
            "SearchTitles: pattern 1 `Requesting.request` takes the optional field `title`, which the request \
             has of the wrong type"
        ),
        "{explanation}"
    );
}

sync! {
    /// One case of `/signin`, with a gap: its guard lets nothing through.
    pub PasswordSignIn
    when
        Requesting.request (path: "/signin", kind: "password") : (request)
    where
        let open = false
        if open
    then
        Requesting.respond (request, ok: true)

    /// Another case of the route.
    pub TokenSignIn
    when
        Requesting.request (path: "/signin", kind: "token") : (request)
    then
        Requesting.respond (request, ok: true)
}

/// A request one case of a route took and left unanswered is the app's
/// gap, not the client's mistake: the other case's literal explains
/// nothing. A request no case takes is told what the route wants.
#[tokio::test]
async fn a_gap_in_one_case_of_a_route_is_not_blamed_on_another_cases_literal() {
    let engine = Engine::builder()
        .sync(PasswordSignIn)
        .sync(TokenSignIn)
        .build()
        .expect("engine");
    let answer = engine
        .request("/signin", json!({"kind": "token"}))
        .await
        .expect("answered");
    assert_eq!(answer.body["ok"], true);
    let gap = engine.request("/signin", json!({"kind": "password"})).await;
    assert!(matches!(gap, Err(RequestError::Unanswered { .. })), "{gap:?}");
    let wrong = engine.request("/signin", json!({"kind": "magic"})).await;
    assert!(
        matches!(&wrong, Err(RequestError::InvalidFields { problems, .. }) if problems[0].field == "kind"),
        "{wrong:?}"
    );
}

sync! {
    /// A guard that reads only `member`.
    pub BannedMember
    when
        Requesting.request (path: "/loans", member) : (request)
    where
        if member == "banned"
    then
        Requesting.respond (request, http_status: 403, error: "banned")

    /// The handler, which needs `book` too.
    pub Borrow
    when
        Requesting.request (path: "/loans", member, book) : (request)
    where
        let number: u64 = book
    then
        Requesting.respond (request, member, book: number)
}

/// A field problem reported although a guard took the request may be the
/// app's gap as well: the explanation is logged, at debug level, since
/// any client can send such a request (no warning a client can flood).
#[tokio::test(flavor = "current_thread")]
async fn a_field_problem_beside_a_guard_that_took_the_request_is_logged() {
    let engine = Engine::builder()
        .sync(BannedMember)
        .sync(Borrow)
        .build()
        .expect("engine");
    let request = || engine.request("/loans", json!({"member": "m1"}));
    let (warnings, guard) = logs::Captured::at(tracing::Level::WARN);
    let error = request().await.expect_err("no book");
    drop(guard);
    assert!(
        matches!(&error, RequestError::InvalidFields { problems, .. } if problems[0].field == "book"),
        "{error:?}"
    );
    assert_eq!(warnings.text(), "", "a client's mistake is no warning");

    let (logs, guard) = logs::Captured::at(tracing::Level::DEBUG);
    request().await.expect_err("no book");
    drop(guard);
    let logs = logs.text();
    assert!(
        logs.contains("a sync took the request and did not answer, and another could not start on it"),
        "{logs}"
    );
    assert!(
        logs.contains("BannedMember"),
        "the explanation names the guard: {logs}"
    );
}

sync! {
    /// Takes every order.
    pub AcceptOrder
    when
        Requesting.request (path: "/orders", method: "POST", qty) : (request)
    then
        Requesting.respond (request, http_status: 201, qty)

    /// A validation meant to refuse large orders first.
    pub TooLargeOrder
    when
        Requesting.request (path: "/orders", method: "POST", qty) : (request)
    where
        let count: u64 = qty
        if count > 10
    then
        Requesting.respond (request, http_status: 422, error: "at most 10")
}

/// A guard registered after a sync that always answers the same requests
/// can never answer: found at build, fixed by registering it first.
#[tokio::test]
async fn a_sync_always_answered_before_is_found() {
    let late = Engine::builder()
        .sync(AcceptOrder)
        .sync(TooLargeOrder)
        .build()
        .expect("engine");
    assert_eq!(
        late.findings(),
        &[Finding::AnsweredBefore {
            sync: "TooLargeOrder",
            after: "AcceptOrder",
            path: "/orders".into(),
        }]
    );
    assert_eq!(
        late.findings()[0].to_string(),
        "sync TooLargeOrder never answers requests to /orders: AcceptOrder, registered before it, fires \
         whenever it fires and answers with its cascade, which runs first (its actions done too); register \
         TooLargeOrder before AcceptOrder, or remove whichever is not meant"
    );
    let answer = late
        .request("/orders", json!({"method": "POST", "qty": 50}))
        .await
        .expect("answered");
    assert_eq!(answer.status(), Ok(201), "what the finding warns of");

    let first = Engine::builder()
        .sync(TooLargeOrder)
        .sync(AcceptOrder)
        .build()
        .expect("engine");
    assert!(first.findings().is_empty(), "{:?}", first.findings());
    let answer = first
        .request("/orders", json!({"method": "POST", "qty": 50}))
        .await
        .expect("answered");
    assert_eq!(answer.status(), Ok(422));
}

mod tally {
    use serde::{Deserialize, Serialize};
    use std::sync::atomic::{AtomicU64, Ordering};
    use syncs_runtime::{concept, sync, ActionError};

    #[derive(Default)]
    pub struct Tally {
        total: AtomicU64,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Added {
        pub total: u64,
    }

    #[concept]
    impl Tally {
        #[infallible]
        pub async fn add(&self, n: u64) -> Result<Added, ActionError> {
            let total = self.total.fetch_add(n, Ordering::SeqCst) + n;
            Ok(Added { total })
        }
    }

    sync! {
        pub AddToTally
        when
            Requesting.request (path: "/tally", method: "POST", n) : ()
        then
            Tally.add (n)

        /// Answers with the new total.
        pub TallyAdded
        when
            Requesting.request (path: "/tally", method: "POST", n) : (request)
            Tally.add () : (total)
        then
            Requesting.respond (request, n, total)

        /// A copy of `TallyAdded` with another answer.
        pub TallyCopied
        when
            Requesting.request (path: "/tally", method: "POST", n) : (request)
            Tally.add () : (total)
        then
            Requesting.respond (request, copy: true, total)

        /// Answers only a `Tally.add` of the request's own `n` (a join).
        pub TallyJoined
        when
            Requesting.request (path: "/tally", method: "POST", n) : (request)
            Tally.add (n) : ()
        then
            Requesting.respond (request, joined: true)
    }
}

/// A response sync registered after one that waits for the same actions,
/// without `where` steps, never answers (a copy left behind): found at
/// build. One whose patterns share a variable may not fire, and does not
/// count.
#[tokio::test]
async fn a_response_sync_answered_by_an_earlier_copy_is_found() {
    use tally::{AddToTally, Tally, TallyAdded, TallyCopied, TallyJoined};
    let engine = Engine::builder()
        .concept(Tally::default())
        .sync(AddToTally)
        .sync(TallyAdded)
        .sync(TallyCopied)
        .build()
        .expect("engine");
    assert_eq!(
        engine.findings(),
        &[Finding::AnsweredBefore {
            sync: "TallyCopied",
            after: "TallyAdded",
            path: "/tally".into(),
        }]
    );
    let answer = engine
        .request("/tally", json!({"method": "POST", "n": 2}))
        .await
        .expect("answered");
    assert_eq!(answer.body["total"], 2, "TallyAdded answered: {:?}", answer.body);
    assert!(answer.body.get("copy").is_none(), "{:?}", answer.body);

    let joined = Engine::builder()
        .concept(Tally::default())
        .sync(AddToTally)
        .sync(TallyJoined)
        .sync(TallyAdded)
        .build()
        .expect("engine");
    assert!(joined.findings().is_empty(), "{:?}", joined.findings());
}

mod doors {
    use syncs_runtime::{concept, ActionError};

    /// Door 1 is locked; there are no others.
    #[derive(Default)]
    pub struct Doors;

    #[concept]
    impl Doors {
        pub async fn open(&self, door: u32) -> Result<(), ActionError> {
            match door {
                1 => Err(ActionError::fail("locked")),
                _ => Err(ActionError::fail("no such door")),
            }
        }
    }
}

use doors::Doors;

sync! {
    pub OpenDoor
    when
        Requesting.request (path: "/doors/open", door) : ()
    then
        Doors.open (door)

    pub DoorOpened
    when
        Requesting.request (path: "/doors/open") : (request)
        Doors.open () : ()
    then
        Requesting.respond (request, opened: true)

    /// Answers one error only: "no such door" is left unanswered.
    pub DoorLocked
    when
        Requesting.request (path: "/doors/open") : (request)
        Doors.open () : (error: "locked")
    then
        Requesting.respond (request, http_status: 403, error: "locked")
}

/// A pattern with an outcome literal answers only those outcomes: the
/// static checks count it as answering none of its form, and an outcome
/// it does not match is explained by the literal.
#[tokio::test]
async fn an_outcome_literal_answers_only_its_outcomes() {
    let engine = Engine::builder()
        .concept(Doors)
        .sync(OpenDoor)
        .sync(DoorOpened)
        .sync(DoorLocked)
        .build()
        .expect("engine");
    assert_eq!(
        engine.findings(),
        [Finding::UnansweredOutcome {
            path: "/doors/open".into(),
            action: "Doors.open".into(),
            form: Form::Error,
        }]
    );
    let locked = engine
        .request("/doors/open", json!({"door": 1}))
        .await
        .expect("answered");
    assert_eq!(locked.status(), Ok(403));
    let error = engine
        .request("/doors/open", json!({"door": 2}))
        .await
        .expect_err("unanswered");
    let RequestError::Unanswered { explanation } = error else {
        panic!("expected an unanswered request, got {error:?}");
    };
    assert!(
        explanation.contains(
            "DoorLocked: pattern 2 `Doors.open` wants error = \"locked\", but Doors.open ended with \"no such door\""
        ),
        "{explanation}"
    );
}

sync! {
    /// Opens any door, whatever its number.
    pub OpenAnyDoor
    when
        Requesting.request (path: "/doors/any", door) : ()
    then
        Doors.open (door)

    /// Opens doors up to 100 only: the opposite of the guard's test.
    pub OpenLowDoor
    when
        Requesting.request (path: "/doors/any", door) : ()
    where
        let number: u32 = door
        if number <= 100
    then
        Doors.open (door: number)

    /// Turns away door numbers past 100.
    pub DoorNumberTooHigh
    when
        Requesting.request (path: "/doors/any", door) : (request)
    where
        let number: u32 = door
        if number > 100
    then
        Requesting.respond (request, http_status: 422, error: "no door that high")
}

/// A validation guard beside a handler that acts whatever the guard's test
/// says: the request the guard turns away still runs the handler's action,
/// in whichever order the two are registered.
#[test]
fn a_handler_acting_on_what_a_validation_guard_turns_away_is_found() {
    let despite = |engine: &Engine| {
        findings_of(engine, |finding| {
            matches!(finding, Finding::ActsDespiteGuard { .. })
        })
    };
    for guard_first in [false, true] {
        let builder = Engine::builder().concept(Doors);
        let builder = match guard_first {
            true => builder.sync(DoorNumberTooHigh).sync(OpenAnyDoor),
            false => builder.sync(OpenAnyDoor).sync(DoorNumberTooHigh),
        };
        let engine = builder.build().expect("engine");
        let found = despite(&engine);
        assert_eq!(
            found,
            [Finding::ActsDespiteGuard {
                guard: "DoorNumberTooHigh",
                sync: "OpenAnyDoor",
                path: "/doors/any".into(),
            }]
        );
        assert!(
            found[0]
                .to_string()
                .contains("give OpenAnyDoor the opposite test"),
            "{}",
            found[0]
        );
    }
    let mirrored = Engine::builder()
        .concept(Doors)
        .sync(OpenLowDoor)
        .sync(DoorNumberTooHigh)
        .build()
        .expect("engine");
    assert_eq!(despite(&mirrored), []);
}

/// An error no sync takes up, in a flow that goes on to its answer, is
/// logged at info (nothing else would show it; a side effect's error may be
/// left alone on purpose), naming the action, the sync that invoked it and
/// the error; an error a sync answers is not.
#[tokio::test(flavor = "current_thread")]
async fn an_error_no_sync_takes_up_is_logged() {
    let engine = cart_engine();
    let (logs, guard) = logs::Captured::at(tracing::Level::INFO);
    let answer = engine
        .request("/cart/:item", json!({"method": "DELETE", "item": "pen"}))
        .await
        .expect("answered");
    engine.drain().await;
    drop(guard);
    assert_eq!(answer.status(), Ok(400), "the cart's error is the answer");
    let logs = logs.text();
    assert!(
        logs.contains(" INFO ")
            && logs.contains("an error no sync takes up")
            && logs.contains("`Stock.release () : (error)`")
            && logs.contains("invoked_by=\"RemoveItem\"")
            && logs
                .contains("Stock.release {\"item\":\"pen\"} => error {\"error\":\"the item was not held\"}"),
        "{logs}"
    );
    assert!(!logs.contains("Cart.remove"), "{logs}");
}

/// The cart of `cart`, every outcome answered.
fn cart_engine() -> Engine {
    Engine::builder()
        .concept(cart::Stock::default())
        .concept(cart::Cart::default())
        .sync(cart::RemoveItem)
        .sync(cart::Removed)
        .sync(cart::NotInCart)
        .build()
        .expect("engine")
}

/// An in-process request to a concrete path is told its route's template
/// first, and an explanation lists no section of syncs when none about its
/// actions is on its path (the count of the others stands in one line).
#[tokio::test]
async fn a_not_found_explanation_leads_with_the_route_and_lists_no_empty_section() {
    let engine = cart_engine();
    let error = engine
        .request("/cart/pen", json!({"method": "DELETE"}))
        .await
        .expect_err("a concrete path");
    let text = error.to_string();
    assert!(
        text.starts_with(
            "no sync handles the path /cart/pen\nNo sync names the path \"/cart/pen\": a request names its \
             route's template, here \"/cart/:item\""
        ),
        "{text}"
    );
    assert!(
        text.ends_with("Syncs about these actions: none on this path (3 about requests to other paths)\n"),
        "{text}"
    );
}

mod pair {
    use syncs_runtime::{concept, sync, ActionError};

    #[derive(Default)]
    pub struct Left;

    #[concept]
    impl Left {
        #[infallible]
        pub async fn mark(&self, tag: String) -> Result<(), ActionError> {
            let _ = tag;
            Ok(())
        }
    }

    #[derive(Default)]
    pub struct Audit;

    #[concept]
    impl Audit {
        #[infallible]
        pub async fn note(&self, tag: String) -> Result<(), ActionError> {
            let _ = tag;
            Ok(())
        }
    }

    #[derive(Default)]
    pub struct Right;

    #[concept]
    impl Right {
        #[infallible]
        pub async fn mark(&self, tag: String) -> Result<(), ActionError> {
            let _ = tag;
            Ok(())
        }
    }

    sync! {
        /// Two syncs start on the same request, each marking one side.
        pub MarkLeft
        when
            Requesting.request (path: "/pair", tag) : ()
        then
            Left.mark (tag)

        pub MarkRight
        when
            Requesting.request (path: "/pair", tag) : ()
        then
            Right.mark (tag)

        /// The answer joins both marks.
        pub BothMarked
        when
            Requesting.request (path: "/pair") : (request)
            Left.mark () : ()
            Right.mark () : ()
        then
            Requesting.respond (request, done: true)

        /// Two syncs react to the same outcome; the answer joins what each
        /// invokes.
        pub StartTwice
        when
            Requesting.request (path: "/twice", tag) : ()
        then
            Left.mark (tag)

        pub RightAfterLeft
        when
            Requesting.request (path: "/twice") : ()
            Left.mark (tag) : ()
        then
            Right.mark (tag)

        pub NoteAfterLeft
        when
            Requesting.request (path: "/twice") : ()
            Left.mark (tag) : ()
        then
            Audit.note (tag)

        pub MarkedAndNoted
        when
            Requesting.request (path: "/twice") : (request)
            Right.mark () : ()
            Audit.note () : ()
        then
            Requesting.respond (request, done: true)
    }
}

/// A join of actions invoked by different syncs firing on one record (two
/// syncs starting on the request; two syncs reacting to one outcome)
/// answers: no finding, and the requests are answered.
#[tokio::test]
async fn a_join_of_what_sibling_syncs_invoke_answers() {
    use pair::*;
    let engine = Engine::builder()
        .concept(Left)
        .concept(Right)
        .concept(Audit)
        .sync(MarkLeft)
        .sync(MarkRight)
        .sync(BothMarked)
        .sync(StartTwice)
        .sync(RightAfterLeft)
        .sync(NoteAfterLeft)
        .sync(MarkedAndNoted)
        .build()
        .expect("engine");
    assert_eq!(engine.findings(), []);
    for path in ["/pair", "/twice"] {
        let answer = engine.request(path, json!({"tag": "t"})).await.expect("answered");
        assert_eq!(answer["done"], true, "{path}");
    }
}

mod shelf_of_books {
    use serde::{Deserialize, Serialize};
    use syncs_runtime::{concept, sync, ActionError};

    /// Books, each with an id and an author.
    pub struct Library;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Book {
        pub id: String,
        pub title: String,
    }

    const BOOKS: [(&str, &str, &str); 3] = [
        ("1", "le", "Emma"),
        ("2", "le", "Persuasion"),
        ("3", "cd", "Bleak House"),
    ];

    fn book((id, _, title): (&str, &str, &str)) -> Book {
        Book {
            id: id.to_owned(),
            title: title.to_owned(),
        }
    }

    #[concept]
    impl Library {
        #[infallible]
        pub async fn dust(&self, id: String) -> Result<(), ActionError> {
            let _ = id;
            Ok(())
        }
        /// Any number of books.
        pub async fn _by_author(&self, author: String) -> Vec<Book> {
            BOOKS
                .into_iter()
                .filter(|entry| entry.1 == author)
                .map(book)
                .collect()
        }
        /// At most one book, from a lookup that may fail.
        pub async fn _by_id(&self, id: String) -> Result<Option<Book>, ActionError> {
            if id == "broken" {
                return Err(ActionError::internal("the catalogue is offline"));
            }
            Ok(BOOKS.into_iter().find(|entry| entry.0 == id).map(book))
        }
    }

    sync! {
        /// Answers once per book: the second answer is refused.
        pub TitleOfEach
        when
            Requesting.request (path: "/authors/:author/title", author) : (request)
        where
            Library._by_author (author) : (title)
        then
            Requesting.respond (request, title)

        /// Answers with the list.
        pub TitlesOfAuthor
        when
            Requesting.request (path: "/authors/:author/titles", author) : (request)
        where
            Library._by_author (author) : (title)
            collect (title) as titles
        then
            Requesting.respond (request, titles)

        /// Acts once per book, and answers nothing: no finding.
        pub DustEach
        when
            Requesting.request (path: "/authors/:author/dust", author) : ()
        where
            Library._by_author (author) : (id)
        then
            Library.dust (id)

        /// Answers after a lookup of at most one book.
        pub ShowBook
        when
            Requesting.request (path: "/books/:id", id) : (request)
        where
            Library._by_id (id) : (title)
        then
            Requesting.respond (request, title)

        /// No such book: 404.
        pub NoSuchBook
        when
            Requesting.request (path: "/books/:id", id) : (request)
        where
            not Library._by_id (id)
        then
            Requesting.respond (request, http_status: 404, error: "no such book")

        /// Answers for one title only: its query's literal tells it apart.
        pub ShowEmma
        when
            Requesting.request (path: "/books/:id", id) : (request)
        where
            Library._by_id (id) : (title: "Emma")
        then
            Requesting.respond (request, http_status: 203, title: "Emma")

        /// Meant as `NoSuchBook`, with its `not` forgotten.
        pub NoSuchBookWithoutNot
        when
            Requesting.request (path: "/books/:id", id) : (request)
        where
            Library._by_id (id) : ()
        then
            Requesting.respond (request, http_status: 404, error: "no such book")
    }
}

/// A sync answering a request after a query that may return several rows,
/// with no `collect`, would answer once per row (the second refused): found
/// at build. One that collects, one that acts per row without answering,
/// and one that answers after a query declared to return `Option<Row>` are
/// not reported; that query runs as zero or one row.
#[tokio::test]
async fn an_answer_per_row_of_a_query_is_found_at_build() {
    use shelf_of_books::{DustEach, Library, NoSuchBook, ShowBook, TitleOfEach, TitlesOfAuthor};
    let engine = Engine::builder()
        .concept(Library)
        .sync(TitleOfEach)
        .sync(TitlesOfAuthor)
        .sync(DustEach)
        .sync(ShowBook)
        .sync(NoSuchBook)
        .build()
        .expect("engine");
    let per_row = findings_of(&engine, |finding| {
        matches!(finding, Finding::AnswersPerRow { .. })
    });
    assert_eq!(
        per_row,
        [Finding::AnswersPerRow {
            sync: "TitleOfEach",
            query: "Library._by_author".into(),
        }]
    );
    let message = per_row[0].to_string();
    assert!(
        message.contains("collect (...) as list") && message.contains("Option<Row>"),
        "{message}"
    );
    let strict = Engine::builder()
        .concept(Library)
        .sync(TitleOfEach)
        .strict_checks(true)
        .build();
    assert!(
        matches!(&strict, Err(syncs_runtime::BuildError::Findings(found))
            if found.iter().any(|finding| matches!(finding, Finding::AnswersPerRow { .. }))),
        "a strict build refuses it"
    );

    let titles = engine
        .request("/authors/:author/titles", json!({"author": "le"}))
        .await
        .expect("answered");
    assert_eq!(
        titles["titles"],
        json!([{"title": "Emma"}, {"title": "Persuasion"}])
    );
    let found = engine
        .request("/books/:id", json!({"id": "2"}))
        .await
        .expect("answered");
    assert_eq!(found["title"], "Persuasion");
    let missing = engine
        .request("/books/:id", json!({"id": "9"}))
        .await
        .expect("answered");
    assert_eq!(
        (missing.status(), &missing["error"]),
        (Ok(404), &json!("no such book"))
    );
    let broken = engine.request("/books/:id", json!({"id": "broken"})).await;
    assert!(
        matches!(&broken, Err(error) if error.to_string().contains("the catalogue is offline")),
        "a failing single-row query ends the flow with its error: {broken:?}"
    );
}

mod cart_lines {
    use serde::{Deserialize, Serialize};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use syncs_runtime::{concept, sync, ActionError};

    /// An order of two lines, and what was done about it.
    #[derive(Default)]
    pub struct Shop {
        pub reserved: AtomicUsize,
        pub charges: AtomicUsize,
        /// How many lines were reserved when the order was charged.
        pub reserved_at_charge: AtomicUsize,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Line {
        pub item: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Placed {
        pub order: String,
    }

    #[concept]
    impl Shop {
        #[infallible]
        pub async fn place(&self) -> Result<Placed, ActionError> {
            Ok(Placed { order: "o1".into() })
        }
        #[infallible]
        pub async fn reserve(&self, item: String) -> Result<(), ActionError> {
            let _ = item;
            self.reserved.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        #[infallible]
        pub async fn reserve_all(&self, items: Vec<String>) -> Result<(), ActionError> {
            self.reserved.fetch_add(items.len(), Ordering::SeqCst);
            Ok(())
        }
        #[infallible]
        pub async fn charge(&self, order: String) -> Result<(), ActionError> {
            let _ = order;
            self.charges.fetch_add(1, Ordering::SeqCst);
            self.reserved_at_charge
                .store(self.reserved.load(Ordering::SeqCst), Ordering::SeqCst);
            Ok(())
        }
        #[infallible]
        pub async fn note(&self, item: String) -> Result<(), ActionError> {
            let _ = item;
            Ok(())
        }
        #[infallible]
        pub async fn pair(&self, item: String) -> Result<(), ActionError> {
            let _ = item;
            Ok(())
        }
        pub async fn _lines(&self, order: String) -> Vec<Line> {
            let _ = order;
            vec![Line { item: "pen".into() }, Line { item: "ink".into() }]
        }
    }

    sync! {
        pub Place
        when
            Requesting.request (path: "/checkout") : ()
        then
            Shop.place ()

        /// A reservation per line.
        pub ReserveEach
        when
            Shop.place () : (order)
        where
            Shop._lines (order) : (item)
        then
            Shop.reserve (item)

        /// Waits for "the" reservation: fires on the first line's.
        pub ChargeAfterReserve
        when
            Shop.place () : (order)
            Shop.reserve () : ()
        then
            Shop.charge (order)

        /// One reservation of every line.
        pub ReserveAll
        when
            Shop.place () : (order)
        where
            Shop._lines (order) : (item)
            collect (item) as lines
            let items: Vec<String> = lines.iter().map(|line| line.item.clone()).collect()
        then
            Shop.reserve_all (items)

        /// A note per reservation: per row too.
        pub NoteEach
        when
            Shop.reserve (item) : ()
        then
            Shop.note (item)

        /// Joins two actions of each row: fires once per row.
        pub PairNoted
        when
            Shop.reserve (item) : ()
            Shop.note (item) : ()
        then
            Shop.pair (item)

        /// Waits for all of it.
        pub ChargeAfterReserveAll
        when
            Shop.place () : (order)
            Shop.reserve_all () : ()
        then
            Shop.charge (order)

        pub Done
        when
            Requesting.request (path: "/checkout") : (request)
            Shop.charge () : ()
        then
            Requesting.respond (request, status: "charged")
    }
}

/// A join that waits for an action another sync invokes once per row
/// fires on the first row's, before the others run (the payment charged
/// after the first line's reservation): found at build, and seen at run
/// time. The same join after one action given a `collect`ed list is not
/// reported, and waits for every line.
#[tokio::test]
async fn a_join_on_one_of_many_actions_is_found_at_build() {
    use cart_lines::{
        ChargeAfterReserve, ChargeAfterReserveAll, Done, NoteEach, PairNoted, Place, ReserveAll, ReserveEach,
        Shop,
    };
    use std::sync::atomic::Ordering;
    let joins = |engine: &Engine| {
        findings_of(engine, |finding| {
            matches!(finding, Finding::JoinsOneOfMany { .. })
        })
    };
    let per_line = Engine::builder()
        .concept(Shop::default())
        .sync(Place)
        .sync(ReserveEach)
        .sync(ChargeAfterReserve)
        .sync(Done)
        .build()
        .expect("engine");
    let found = joins(&per_line);
    assert_eq!(
        found,
        [Finding::JoinsOneOfMany {
            sync: "ChargeAfterReserve",
            action: "Shop.reserve".into(),
            fan_out: "ReserveEach",
            query: "Shop._lines".into(),
        }]
    );
    assert!(
        found[0]
            .to_string()
            .contains("fires once, on the first row's Shop.reserve"),
        "{}",
        found[0]
    );
    per_line.request("/checkout", json!({})).await.expect("answered");
    per_line.drain().await;
    let shop = per_line.concept::<Shop>().expect("registered");
    let done = |shop: &Shop| {
        (
            shop.charges.load(Ordering::SeqCst),
            shop.reserved_at_charge.load(Ordering::SeqCst),
            shop.reserved.load(Ordering::SeqCst),
        )
    };
    assert_eq!(
        done(&shop),
        (1, 1, 2),
        "charged once, when one of the two lines was reserved"
    );

    let whole = Engine::builder()
        .concept(Shop::default())
        .sync(Place)
        .sync(ReserveAll)
        .sync(ChargeAfterReserveAll)
        .sync(Done)
        .build()
        .expect("engine");
    assert_eq!(joins(&whole), []);
    whole.request("/checkout", json!({})).await.expect("answered");
    whole.drain().await;
    let shop = whole.concept::<Shop>().expect("registered");
    assert_eq!(done(&shop), (1, 2, 2), "charged once both lines were reserved");

    let per_row_pairs = Engine::builder()
        .concept(Shop::default())
        .sync(Place)
        .sync(ReserveEach)
        .sync(NoteEach)
        .sync(PairNoted)
        .build()
        .expect("engine");
    assert_eq!(joins(&per_row_pairs), [], "a join of two actions of each row");
}

/// Two syncs answering the same requests with nothing to tell them apart
/// (a 404 sync whose `not` was forgotten, beside the 200) are found at
/// build; with the `not`, they are not. At run time the later one's answer
/// is refused, and `Engine::refused_answers` shows it to a test.
#[tokio::test]
async fn two_syncs_answering_the_same_requests_are_found_at_build() {
    use shelf_of_books::{Library, NoSuchBook, NoSuchBookWithoutNot, ShowBook, ShowEmma};
    let twice =
        |engine: &Engine| findings_of(engine, |finding| matches!(finding, Finding::AnswersTwice { .. }));
    let forgot = Engine::builder()
        .concept(Library)
        .sync(ShowBook)
        .sync(NoSuchBookWithoutNot)
        .build()
        .expect("engine");
    let found = twice(&forgot);
    assert_eq!(
        found,
        [Finding::AnswersTwice {
            sync: "NoSuchBookWithoutNot",
            with: "ShowBook",
            path: "/books/:id".into(),
        }]
    );
    assert!(found[0].to_string().contains("wants a `not`"), "{}", found[0]);
    let answer = forgot
        .request("/books/:id", json!({"id": "1"}))
        .await
        .expect("answered");
    assert_eq!(
        answer.status(),
        Ok(200),
        "the first registered answers; the 404 is refused"
    );
    forgot.drain().await;
    let refused = forgot.refused_answers();
    assert_eq!(
        refused
            .iter()
            .map(|refusal| (refusal.refused_sync, refusal.answered_by))
            .collect::<Vec<_>>(),
        [(Some("NoSuchBookWithoutNot"), Some("ShowBook"))],
        "a test sees the refusal the answer hides"
    );
    assert!(
        refused[0]
            .to_string()
            .contains("by NoSuchBookWithoutNot after ShowBook"),
        "{}",
        refused[0]
    );

    let meant = Engine::builder()
        .concept(Library)
        .sync(ShowBook)
        .sync(NoSuchBook)
        .build()
        .expect("engine");
    assert_eq!(twice(&meant), []);
    let one_title = Engine::builder()
        .concept(Library)
        .sync(ShowEmma)
        .sync(ShowBook)
        .build()
        .expect("engine");
    assert_eq!(twice(&one_title), [], "a query's literal tells the two apart");
    for id in ["1", "9"] {
        meant
            .request("/books/:id", json!({ "id": id }))
            .await
            .expect("answered");
    }
    meant.drain().await;
    assert_eq!(meant.refused_answers(), []);
}

sync! {
    /// Greets.
    pub Hello
    when
        Requesting.request (path: "/hello", method: "POST", name) : (request)
    where
        let text: String = name
        if !text.is_empty()
    then
        Requesting.respond (request, greeting: text)

    /// Turns away an empty name; its field is misspelled.
    pub HelloEmpty
    when
        Requesting.request (path: "/hello", method: "POST", nmae) : (request)
    where
        let text: String = nmae
        if text.is_empty()
    then
        Requesting.respond (request, http_status: 422, error: "a name, please")

    /// Greets several: another shape of the route's requests.
    pub HelloMany
    when
        Requesting.request (path: "/hello", method: "POST", names) : (request)
    then
        Requesting.respond (request, names)

    /// Another method of the route, with a field of its own.
    pub HelloAgain
    when
        Requesting.request (path: "/hello", method: "PUT", nmae) : (request)
    then
        Requesting.respond (request, nmae)
}

/// A field one sync of a route needs, spelled nearly as the field the
/// route's other syncs read, is found at build (once, on the sync
/// registered later); a plural beside its singular (`names`, `name`) is
/// a shape of the request, and a field of another method's sync is not
/// compared.
#[test]
fn a_misspelled_request_field_is_found_at_build() {
    let engine = Engine::builder()
        .sync(Hello)
        .sync(HelloEmpty)
        .sync(HelloMany)
        .sync(HelloAgain)
        .build()
        .expect("engine");
    let misspelled = findings_of(&engine, |finding| {
        matches!(finding, Finding::MisspelledRequestField { .. })
    });
    assert_eq!(
        misspelled,
        [Finding::MisspelledRequestField {
            sync: "HelloEmpty",
            field: "nmae",
            path: "/hello".into(),
            nearest: "name",
        }]
    );
    assert!(
        misspelled[0].to_string().contains("is `nmae` misspelled?"),
        "{}",
        misspelled[0]
    );
}
