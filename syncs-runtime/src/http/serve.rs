//! The connection loop: accepts connections and serves HTTP/1.1 on each
//! with hyper, under the time limits a server facing the network needs.
//!
//! `axum::serve` gives hyper no timer, which leaves hyper's header-read
//! time-out off: a client sending half a request head, then nothing, held
//! its connection (and a graceful shutdown) forever. Here every connection
//! has one, and a shutdown waits for the open connections and the engine's
//! background flows only so long.
//!
//! A shutdown closes at once the connections that have not begun a request:
//! hyper counts a new connection as busy until its first request is
//! answered, so a browser's preconnected socket, or a client still sending
//! its first head, would hold Ctrl-C up for the whole header time-out.

use std::convert::Infallible;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::engine::Engine;

/// How long a connection may take to send a request's head, and how long
/// a shutdown waits for what is in progress.
pub(super) struct Limits {
    /// From the start of a request head (or of a kept-alive connection's
    /// wait for its next request) to its end.
    pub(super) header_read: Duration,
    /// How long a shutdown waits for open connections to finish their
    /// requests.
    pub(super) connections: Duration,
    /// How long it then waits for the engine's background flows.
    pub(super) flows: Duration,
}

/// Serves `service` on every connection `listener` accepts until
/// `shutdown` completes; then lets the open connections finish their
/// requests and the engine's background flows end, within
/// [`Limits::connections`] and [`Limits::flows`], unless `stop_now`
/// completes first. The flows are the whole engine's, including those of
/// other servers or callers sharing it.
pub(super) async fn serve<S>(
    listener: TcpListener,
    service: S,
    engine: Engine,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
    stop_now: impl Future<Output = ()>,
) -> std::io::Result<()>
where
    S: tower_service::Service<Request<Incoming>, Response = Response, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let connections = TaskTracker::new();
    let shutting_down = CancellationToken::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: the listener itself is fine.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_read);
        let begun = Arc::new(AtomicBool::new(false));
        let service = MarksBegun {
            inner: service.clone(),
            begun: begun.clone(),
        };
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let shutting_down = shutting_down.clone();
        connections.spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let ended = tokio::select! {
                biased;
                ended = connection.as_mut() => ended,
                () = shutting_down.cancelled() => {
                    if !begun.load(Ordering::Acquire) {
                        // No request has reached the service: nothing is
                        // lost by closing the connection now.
                        return;
                    }
                    // Lets a request in progress be answered, then closes;
                    // closes a kept-alive connection waiting for its next
                    // request at once.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = ended {
                // A client that went away, or sent no head in time.
                tracing::debug!(%error, "connection ended");
            }
        });
    }
    drop(listener);
    shutting_down.cancel();
    connections.close();
    tracing::info!(
        open_connections = connections.len(),
        at_most = ?limits.connections.saturating_add(limits.flows),
        "shutting down: finishing the requests in progress"
    );
    let finish = async {
        if tokio::time::timeout(limits.connections, connections.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                after = ?limits.connections,
                "connections still open at shutdown: no longer waiting for them"
            );
        }
        if tokio::time::timeout(limits.flows, engine.drain()).await.is_err() {
            tracing::warn!(
                after = ?limits.flows,
                "flows still running at shutdown: no longer waiting for them"
            );
        }
    };
    tokio::select! {
        () = finish => {}
        () = stop_now => {
            tracing::warn!(
                open_connections = connections.len(),
                "stopped at once: the requests and flows still in progress are abandoned"
            );
        }
    }
    Ok(())
}

/// A connection's service that notes when the connection's first request
/// reaches it, so that a shutdown knows which connections it may close at
/// once.
#[derive(Clone)]
struct MarksBegun<S> {
    inner: S,
    begun: Arc<AtomicBool>,
}

impl<S, R> tower_service::Service<R> for MarksBegun<S>
where
    S: tower_service::Service<R>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: R) -> Self::Future {
        self.begun.store(true, Ordering::Release);
        self.inner.call(request)
    }
}
