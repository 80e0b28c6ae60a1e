//! A checkout with compensation: an order is placed, its stock reserved and
//! its payment charged; a payment that is declined releases the stock and
//! cancels the order. Concepts keep their state in memory.
//!
//! `POST /checkout {"item": "pen", "qty": 2}` answers 201 with the order,
//! 409 when the stock is short, 402 when the payment is declined (the
//! stock is given back and the order cancelled first); `GET
//! /orders/:order` answers the order's status, or 404.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, sync, ActionError, EngineBuilder};

/// Items with a price (in cents) and a stock.
pub struct Catalog {
    items: Mutex<HashMap<String, (u64, u64)>>,
}

impl Default for Catalog {
    fn default() -> Self {
        let items = [("pen", (150, 10)), ("lamp", (4_500, 3)), ("piano", (900_000, 1))];
        let items = items
            .into_iter()
            .map(|(name, stock)| (name.to_owned(), stock))
            .collect();
        Catalog {
            items: Mutex::new(items),
        }
    }
}

/// What a reservation costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reserved {
    /// The price of the items reserved, in cents.
    pub amount: u64,
}

#[concept]
impl Catalog {
    /// Takes `qty` of `item` out of the stock; fails if fewer are left.
    pub async fn reserve(&self, item: String, qty: u64) -> Result<Reserved, ActionError> {
        let mut items = self.items.lock().map_err(ActionError::internal)?;
        let Some((price, stock)) = items.get_mut(&item) else {
            return Err(ActionError::fail(format!("no item {item}")));
        };
        if *stock < qty {
            return Err(ActionError::fail(format!("only {stock} {item} left")));
        }
        *stock -= qty;
        Ok(Reserved { amount: *price * qty })
    }

    /// Puts `qty` of `item` back in the stock (a reservation undone).
    #[infallible]
    pub async fn release(&self, item: String, qty: u64) -> Result<(), ActionError> {
        let mut items = self.items.lock().map_err(ActionError::internal)?;
        if let Some((_, stock)) = items.get_mut(&item) {
            *stock += qty;
        }
        Ok(())
    }
}

/// Charges payments; declines any over its limit.
pub struct Payment {
    limit: u64,
}

impl Default for Payment {
    fn default() -> Self {
        Payment { limit: 100_000 }
    }
}

#[concept]
impl Payment {
    /// Charges `amount` cents for `order`.
    pub async fn charge(&self, order: String, amount: u64) -> Result<(), ActionError> {
        let _ = order;
        if amount > self.limit {
            return Err(ActionError::fail("the payment was declined"));
        }
        Ok(())
    }
}

/// Orders and their status: placed, then paid or cancelled.
#[derive(Default)]
pub struct Orders {
    status: Mutex<HashMap<String, &'static str>>,
    next: AtomicU64,
}

/// A new order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placed {
    /// Its id.
    pub order: String,
}

/// An order's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderStatus {
    /// `placed`, `paid` or `cancelled`.
    pub status: String,
}

#[concept]
impl Orders {
    /// Places an order.
    #[infallible]
    pub async fn place(&self, item: String, qty: u64) -> Result<Placed, ActionError> {
        let _ = (item, qty);
        let order = format!("order-{}", self.next.fetch_add(1, Ordering::Relaxed) + 1);
        let mut status = self.status.lock().map_err(ActionError::internal)?;
        status.insert(order.clone(), "placed");
        Ok(Placed { order })
    }

    /// Marks a placed order paid.
    #[infallible]
    pub async fn mark_paid(&self, order: String) -> Result<(), ActionError> {
        self.status
            .lock()
            .map_err(ActionError::internal)?
            .insert(order, "paid");
        Ok(())
    }

    /// Cancels a placed order.
    #[infallible]
    pub async fn cancel(&self, order: String) -> Result<(), ActionError> {
        self.status
            .lock()
            .map_err(ActionError::internal)?
            .insert(order, "cancelled");
        Ok(())
    }

    /// The status of an order (no row if there is none).
    pub async fn _status(&self, order: String) -> Option<OrderStatus> {
        let status = self.status.lock().ok()?.get(&order).copied()?;
        Some(OrderStatus {
            status: status.to_owned(),
        })
    }
}

sync! {
    /// A checkout places an order.
    pub Checkout
    when
        Requesting.request (path: "/checkout", method: "POST", item, qty) : ()
    then
        Orders.place (item, qty)

    /// A placed order reserves its items.
    pub Reserve
    when
        Orders.place (item, qty) : ()
    then
        Catalog.reserve (item, qty)

    /// Reserved items are charged for.
    pub Charge
    when
        Orders.place () : (order)
        Catalog.reserve () : (amount)
    then
        Payment.charge (order, amount)

    /// A charged order is paid.
    pub MarkPaid
    when
        Orders.place () : (order)
        Payment.charge () : ()
    then
        Orders.mark_paid (order)

    /// Items that are not in stock cancel the order.
    pub CancelOutOfStock
    when
        Orders.place () : (order)
        Catalog.reserve () : (error)
    then
        Orders.cancel (order)

    /// A declined payment gives the items back and cancels the order: the
    /// compensation of `Reserve`.
    pub CompensateDeclined
    when
        Orders.place (item, qty) : (order)
        Payment.charge () : (error)
    then
        Catalog.release (item, qty)
        Orders.cancel (order)

    /// 201 with the paid order.
    pub RespondPaid
    when
        Requesting.request (path: "/checkout") : (request)
        Orders.place () : (order)
        Orders.mark_paid () : ()
    then
        Requesting.respond (request, http_status: 201, order, status: "paid")

    /// 409 once an order short of stock is cancelled.
    pub RespondOutOfStock
    when
        Requesting.request (path: "/checkout") : (request)
        Catalog.reserve () : (error)
        Orders.cancel () : ()
    then
        Requesting.respond (request, http_status: 409, error)

    /// 402 once a declined order is cancelled (its stock given back).
    pub RespondDeclined
    when
        Requesting.request (path: "/checkout") : (request)
        Payment.charge () : (error)
        Orders.cancel () : ()
    then
        Requesting.respond (request, http_status: 402, error)

    /// `GET /orders/:order` of an order there is none of: 404.
    pub OrderNotFound
    when
        Requesting.request (path: "/orders/:order", method: "GET", order) : (request)
    where
        not Orders._status (order)
    then
        Requesting.respond (request, http_status: 404, error: "no such order")

    /// `GET /orders/:order`: its status.
    pub ShowOrder
    when
        Requesting.request (path: "/orders/:order", method: "GET", order) : (request)
    where
        Orders._status (order) : (status)
    then
        Requesting.respond (request, order, status)
}

/// An engine builder with the concepts, empty, and the syncs.
pub fn builder() -> EngineBuilder {
    register(concepts())
}

/// An engine builder with the concepts, empty.
pub fn concepts() -> EngineBuilder {
    syncs_runtime::Engine::builder()
        .concept(Catalog::default())
        .concept(Payment::default())
        .concept(Orders::default())
}

/// `builder` with every sync of the checkout.
pub fn register(builder: EngineBuilder) -> EngineBuilder {
    builder
        .sync(Checkout)
        .sync(Reserve)
        .sync(Charge)
        .sync(MarkPaid)
        .sync(CancelOutOfStock)
        .sync(CompensateDeclined)
        .sync(RespondPaid)
        .sync(RespondOutOfStock)
        .sync(RespondDeclined)
        .sync(OrderNotFound)
        .sync(ShowOrder)
}
