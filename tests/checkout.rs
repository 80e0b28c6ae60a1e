//! The checkout example: each way a checkout ends, and its compensation.

#[path = "../examples/checkout/app.rs"]
mod app;

use serde_json::json;
use syncs_runtime::Engine;

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

/// Left out, the compensation is found at start-up: the 402 waits for a
/// cancellation nothing invokes after a declined payment.
#[test]
fn without_its_compensation_the_checkout_does_not_start() {
    use app::*;
    let error = Engine::builder()
        .concept(Catalog::default())
        .concept(Payment::default())
        .concept(Orders::default())
        .sync(Checkout)
        .sync(Reserve)
        .sync(Charge)
        .sync(MarkPaid)
        .sync(CancelOutOfStock)
        .sync(RespondPaid)
        .sync(RespondOutOfStock)
        .sync(RespondDeclined)
        .strict_checks(true)
        .build()
        .err()
        .expect("a finding");
    assert!(
        error
            .to_string()
            .contains("requests to /checkout are never answered when Payment.charge ends in an error"),
        "{error}"
    );
}
