//! The checkout example: each way a checkout ends, and its compensation.

#[path = "../examples/checkout/app.rs"]
mod app;
#[path = "support/logs.rs"]
mod logs;

use serde_json::json;
use syncs_runtime::{sync, BuildError, Engine, Finding, Form};

fn engine() -> Engine {
    app::builder().strict_checks(true).build().expect("no findings")
}

async fn checkout(engine: &Engine, item: &str, qty: u64) -> (u16, serde_json::Value) {
    let answer = engine
        .request("/checkout", json!({"method": "POST", "item": item, "qty": qty}))
        .await
        .expect("answered");
    (
        answer.status().expect("a status"),
        serde_json::Value::Object(answer.body),
    )
}

async fn status(engine: &Engine, order: &str) -> (u16, serde_json::Value) {
    let answer = engine
        .request("/orders/:order", json!({"method": "GET", "order": order}))
        .await
        .expect("answered");
    (
        answer.status().expect("a status"),
        serde_json::Value::Object(answer.body),
    )
}

#[tokio::test]
async fn a_paid_checkout_is_201_and_its_order_paid() {
    let engine = engine();
    let (code, body) = checkout(&engine, "pen", 2).await;
    assert_eq!(code, 201, "{body}");
    assert_eq!(body["status"], "paid");
    let order = body["order"].as_str().expect("an order id").to_owned();
    assert_eq!(
        status(&engine, &order).await,
        (200, json!({"order": order, "status": "paid"}))
    );
}

/// A declined payment gives the stock back: the piano (one in stock) is
/// declined, and still there to be declined again, never out of stock.
#[tokio::test]
async fn a_declined_payment_releases_the_stock_and_cancels_the_order() {
    let engine = engine();
    for _ in 0..2 {
        let (code, body) = checkout(&engine, "piano", 1).await;
        assert_eq!(code, 402, "{body}");
        assert_eq!(body["error"], "the payment was declined");
    }
    assert_eq!(status(&engine, "order-1").await.1["status"], "cancelled");
}

#[tokio::test]
async fn a_short_stock_is_409_and_the_order_cancelled() {
    let engine = engine();
    let (code, body) = checkout(&engine, "lamp", 4).await;
    assert_eq!(code, 409, "{body}");
    assert_eq!(body["error"], "only 3 lamp left");
    assert_eq!(status(&engine, "order-1").await.1["status"], "cancelled");
    assert_eq!(status(&engine, "order-9").await.0, 404);
}

/// The syncs but `CompensateDeclined` (with `compensate`) and
/// `RespondDeclined` (with `respond_declined`), strict.
fn checked(compensate: bool, respond_declined: bool) -> Result<Engine, BuildError> {
    use app::*;
    let mut builder = concepts()
        .sync(Checkout)
        .sync(Reserve)
        .sync(Charge)
        .sync(MarkPaid)
        .sync(CancelOutOfStock)
        .sync(RespondPaid)
        .sync(RespondOutOfStock)
        .sync(OrderNotFound)
        .sync(ShowOrder);
    if compensate {
        builder = builder.sync(CompensateDeclined);
    }
    if respond_declined {
        builder = builder.sync(RespondDeclined);
    }
    builder.strict_checks(true).build()
}

/// Each answer joins the request with the outcomes of its case, and the
/// static checks follow the joins: without the compensation, nothing
/// cancels the order the 402 waits for, so a declined payment is
/// unanswered, though another sync answers a cancellation after a short
/// stock; without the 402, what the compensation does is.
#[test]
fn the_checks_follow_each_answers_joins() {
    assert!(checked(true, true).is_ok());
    let findings = |built: Result<Engine, BuildError>| match built {
        Err(BuildError::Findings(findings)) => findings,
        other => panic!("expected findings, got {:?}", other.map(|_| "an engine")),
    };
    assert_eq!(
        findings(checked(false, true)),
        [Finding::UnansweredOutcome {
            path: "/checkout".into(),
            action: "Payment.charge".into(),
            form: Form::Error,
        }]
    );
    // Neither action of the compensation leads to an answer, so both are
    // named.
    let unanswered = |action: &str| Finding::UnansweredOutcome {
        path: "/checkout".into(),
        action: action.into(),
        form: Form::Success,
    };
    assert_eq!(
        findings(checked(true, false)),
        [unanswered("Catalog.release"), unanswered("Orders.cancel")]
    );
}

sync! {
    /// Turns away a checkout of nothing; `Checkout` has no test of its own.
    pub NothingToBuy
    when
        Requesting.request (path: "/checkout", qty) : (request)
    where
        let wanted: u64 = qty
        if wanted == 0
    then
        Requesting.respond (request, http_status: 422, error: "nothing to buy")
}

/// A handler going on with a request a guard turned away: the refused
/// second answer's warning names what the flow did after the answer, the
/// side effects that should not have happened.
#[tokio::test(flavor = "current_thread")]
async fn a_refused_second_answer_names_what_ran_after_the_first() {
    let engine = app::register(app::concepts().sync(NothingToBuy))
        .build()
        .expect("engine");
    let (warnings, guard) = logs::Captured::at(tracing::Level::WARN);
    let (code, _) = checkout(&engine, "pen", 0).await;
    engine.drain().await;
    drop(guard);
    assert_eq!(code, 422);
    let warnings = warnings.text();
    let refused = warnings
        .lines()
        .find(|line| line.contains("refused a second respond"))
        .unwrap_or_else(|| panic!("no refusal in {warnings}"));
    assert!(
        refused.contains(
            "after the answer, this request's flow went on to Orders.place (by Checkout), Catalog.reserve \
             (by Reserve), Payment.charge (by Charge), Orders.mark_paid (by MarkPaid)"
        ),
        "{refused}"
    );
}
