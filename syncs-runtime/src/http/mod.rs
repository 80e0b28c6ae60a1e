//! `Requesting` over HTTP: a server (hyper's HTTP/1 connections, an axum
//! handler) that turns requests into `Requesting.request` actions and
//! answers with their `Requesting.respond`.
//!
//! `POST {base}/login {"username": ...}` becomes
//! `Requesting.request (path: "/login", username: ...)`. GET, POST, PUT,
//! PATCH, DELETE and HEAD reach the syncs; OPTIONS is answered by the server
//! (204, with the path's methods in `Allow`), and other methods are a 405;
//! route templates with parameters (`path: "/articles/:slug"`) give the
//! parameter as a field, as do the query string and selected headers
//! (`authorization` by default). Where names collide, what the URL and
//! headers say wins over the body: body, then query string, then route
//! parameters, then headers. A sync that names `method: "GET"` only sees
//! GET requests (and HEAD requests, as GETs, which run every sync the GET
//! runs); one that names no method sees every method but HEAD, and a HEAD
//! on a path where no sync names GET or HEAD is a 405. `Requesting.respond` fields are the JSON body; two reserved
//! fields are not: `http_status` (a number, 200 to 599) sets the status, and
//! `http_headers` (an object of strings, or of arrays of strings for a
//! header given more than once) adds headers, except those that frame
//! the connection (`content-length`, `transfer-encoding`, `connection` and
//! the other hop-by-hop headers), which the server sets. Without `http_status`,
//! a response is `200 OK`, or `400 Bad Request` when it has an `error` field.
//! A 204, 205 or 304 has no body: `sync!` refuses fields beside such a
//! literal status, and a status computed in `where` that turns out to be
//! one drops the fields with a warning naming them.
//!
//! Bad input gets a JSON error at once: a body that is not a JSON object is a
//! 400, too large a 413, a path no sync names a 404, a method no sync of the
//! path names a 405, and a request that ends unanswered while a sync of
//! its path could not start on it (a field missing or of the wrong type,
//! or, when no sync took the request, a literal field such as `kind:
//! "token"` not matched) a 400 naming the fields. A request no sync answers in time is a 504, and one whose flow
//! ends without an answer a 500. A request head that does not arrive within
//! the time-out closes its connection; from the head's arrival, the body and
//! the answer share one deadline as long (a body that misses it is a 408).

mod serve;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::handler::Handler;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::Json;
use futures_util::FutureExt;
use serde_json::{json, Map, Value};
use std::panic::AssertUnwindSafe;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::concept::{ActionSet, Concept};
use crate::engine::{json_type, Engine};
use crate::error::{FlowError, RequestError};
use crate::requesting::{Fields, Response};
use crate::sync::Invocation;

pub use crate::routes::FieldProblem;
use crate::routes::{Refusal, Routes};

/// Settings of the HTTP server.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Address to listen on (default `127.0.0.1:8000`; `PORT` sets the port,
    /// `HOST` the address).
    pub address: SocketAddr,
    /// The base path of the API (default `/api`, from `API_BASE`); the
    /// `path` of a request excludes it.
    pub base: String,
    /// How long a request waits for a response (default 10 s, from
    /// `REQUEST_TIMEOUT_MS`). This, not `EngineConfig::request_timeout`
    /// (which applies to `Engine::request`), limits HTTP requests. A client
    /// has as long to send a request's head (a kept-alive connection, to
    /// start its next one), or loses its connection; from the head's
    /// arrival, the body and the answer share one deadline as long (a body
    /// that misses it gets a 408). A shutdown waits twice as long plus a
    /// second for the requests in progress, then as long plus a second for
    /// the flows still running.
    pub request_timeout: Duration,
    /// Origins allowed by CORS (default none: CORS closed; from
    /// `CORS_ORIGINS`, comma-separated, `*` for any).
    pub cors_origins: Vec<String>,
    /// The largest request body accepted, in bytes (default 1 MiB, from
    /// `BODY_LIMIT`).
    pub body_limit: usize,
    /// Request headers given to syncs as fields (default `authorization`);
    /// the field's name is the header's in lower case, with `-` as `_`
    /// (`X-Api-Key` becomes `x_api_key`). On the syncs' routes such a field
    /// comes from its header only: one of the same name in the body or
    /// query string is dropped. (A passthrough action takes its body's
    /// fields, and no header.)
    pub headers: Vec<String>,
    /// Development mode (`SYNCS_DEV=1`): error bodies explain time-outs,
    /// unanswered requests and internal errors (an action's internal
    /// failure, a panic, an `http_status` out of range, the syncs of a loop
    /// past its budget) in an `explanation` field. Not for a server facing
    /// clients: it shows the app's internals.
    pub development: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            address: SocketAddr::from(([127, 0, 0, 1], 8000)),
            base: "/api".to_owned(),
            request_timeout: Duration::from_secs(10),
            cors_origins: Vec::new(),
            body_limit: 1 << 20,
            headers: vec!["authorization".to_owned()],
            development: false,
        }
    }
}

/// A setting from the environment that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("environment variable {name}={value:?}: {problem}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    problem: &'static str,
}

impl HttpConfig {
    /// The defaults, overridden by the environment: `HOST`, `PORT`,
    /// `API_BASE`, `REQUEST_TIMEOUT_MS`, `CORS_ORIGINS`, `BODY_LIMIT`,
    /// `SYNCS_DEV`.
    pub fn from_env() -> Result<HttpConfig, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<HttpConfig, ConfigError> {
        let mut config = HttpConfig::default();
        let parse = |name: &'static str, problem: &'static str| {
            move |value: String| ConfigError { name, value, problem }
        };
        if let Some(host) = lookup("HOST") {
            config.address.set_ip(
                host.parse()
                    .map_err(|_| parse("HOST", "not an IP address")(host))?,
            );
        }
        if let Some(port) = lookup("PORT") {
            config.address.set_port(
                port.parse()
                    .map_err(|_| parse("PORT", "not a port number")(port))?,
            );
        }
        if let Some(base) = lookup("API_BASE") {
            // A base without its `/` would match no request path at all.
            if !base.is_empty() && !base.starts_with('/') {
                return Err(parse(
                    "API_BASE",
                    "a base path starts with `/` (e.g. /api), or is empty for none",
                )(base));
            }
            config.base = base.trim_end_matches('/').to_owned();
        }
        if let Some(timeout) = lookup("REQUEST_TIMEOUT_MS") {
            let millis: u64 = match timeout.parse() {
                Ok(0) => {
                    return Err(parse(
                        "REQUEST_TIMEOUT_MS",
                        "0 would time out every request: give a number of milliseconds from 1",
                    )(timeout))
                }
                Ok(millis) => millis,
                Err(_) => {
                    return Err(parse("REQUEST_TIMEOUT_MS", "not a number of milliseconds")(
                        timeout,
                    ))
                }
            };
            config.request_timeout = Duration::from_millis(millis);
        }
        if let Some(origins) = lookup("CORS_ORIGINS") {
            config.cors_origins = origins
                .split(',')
                .map(str::trim)
                .filter(|origin| !origin.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if let Some(limit) = lookup("BODY_LIMIT") {
            config.body_limit = limit
                .parse()
                .map_err(|_| parse("BODY_LIMIT", "not a number of bytes")(limit))?;
        }
        if let Some(dev) = lookup("SYNCS_DEV") {
            config.development = match dev.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => true,
                "" | "0" | "false" | "no" => false,
                _ => return Err(parse("SYNCS_DEV", "not one of 1, true, yes, 0, false, no")(dev)),
            };
        }
        Ok(config)
    }
}

/// A passthrough route: runs its action from the JSON body, by the deadline.
type Passthrough = Box<
    dyn Fn(&Engine, Value, tokio::time::Instant) -> crate::BoxFuture<'static, HttpResponse> + Send + Sync,
>;

/// The HTTP front of an [`Engine`].
///
/// ```no_run
/// # async fn run(engine: syncs_runtime::Engine) -> std::io::Result<()> {
/// use syncs_runtime::http::{HttpConfig, HttpServer};
/// let config = HttpConfig::from_env().expect("valid settings");
/// HttpServer::new(engine, config).serve().await
/// # }
/// ```
pub struct HttpServer {
    engine: Engine,
    config: HttpConfig,
    passthrough: Vec<(String, Passthrough)>,
    /// Passthroughs that name no action of a registered concept, reported
    /// when the server binds (a builder method does not fail).
    misnamed: Vec<String>,
}

struct Shared {
    engine: Engine,
    config: HttpConfig,
    routes: Routes,
    passthrough: Vec<(String, Passthrough)>,
    /// `config.headers`, parsed once: each header and the field it becomes
    /// (`x-api-key` becomes `x_api_key`).
    header_fields: Vec<(HeaderName, String)>,
}

impl HttpServer {
    /// A server for `engine`.
    pub fn new(engine: Engine, config: HttpConfig) -> HttpServer {
        HttpServer {
            engine,
            config,
            passthrough: Vec::new(),
            misnamed: Vec::new(),
        }
    }

    /// Exposes one action of concept `C` directly, as
    /// `POST {base}/{Concept}/{action}` with its inputs as the JSON body.
    /// Nothing is exposed this way unless listed.
    ///
    /// The answer is the action's outcome as JSON: 200 for its success,
    /// 422 for its `error` outcome (once the action completed, whatever
    /// becomes of the syncs it triggers: their failure or time-out is
    /// logged), 400 for inputs that do not decode, 504 when the action itself
    /// does not complete within the request time-out, 500 for its internal
    /// failure or a panic.
    ///
    /// `action` must name an action of `C` (not a query), and `C` must be
    /// registered with the engine: [`HttpServer::bind`] fails otherwise.
    pub fn passthrough<C: Concept>(mut self, action: &'static str) -> Self {
        if let Some(problem) = misnamed_passthrough::<C>(&self.engine, action) {
            self.misnamed.push(problem);
        }
        let path = format!("/{}/{}", C::NAME, action);
        let timeout = self.config.request_timeout;
        let development = self.config.development;
        let run: Passthrough = Box::new(move |engine: &Engine, body: Value, deadline| {
            let engine = engine.clone();
            Box::pin(async move {
                let typed = match <C::Action as ActionSet>::from_json(action, body) {
                    Ok(typed) => typed,
                    Err(problem) => return error(StatusCode::BAD_REQUEST, problem),
                };
                // The same limits as requests: a time-out, a panic fails
                // only this call, and the flow runs to its end (or its
                // time-out) in a task of its own even if the client leaves.
                // The answer is the action's outcome as soon as it is done,
                // whatever its syncs then do (a client told otherwise would
                // do it again).
                let flow = {
                    let runner = engine.clone();
                    let run = async move {
                        runner
                            .invoke_answering(Invocation::new::<C>(typed), deadline)
                            .await
                    };
                    engine.spawn_flow(run)
                };
                match flow.await {
                    Ok(Ok(record)) => {
                        let status = if record.is_error() {
                            StatusCode::UNPROCESSABLE_ENTITY
                        } else {
                            StatusCode::OK
                        };
                        (status, Json(record.outcome_json())).into_response()
                    }
                    Ok(Err(crate::engine::Cut::Deadline)) => error(
                        StatusCode::GATEWAY_TIMEOUT,
                        format!("the action did not finish within {timeout:?}"),
                    ),
                    Ok(Err(crate::engine::Cut::Failed(flow))) => flow_failed(&flow, development),
                    Ok(Err(crate::engine::Cut::Panicked)) | Err(_) => {
                        tracing::error!(concept = C::NAME, action, "a passthrough action panicked");
                        error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
                    }
                }
            })
        });
        self.passthrough.push((path, run));
        self
    }

    /// Binds the listening socket; the server starts with [`BoundServer::run`].
    /// Fails with [`std::io::ErrorKind::InvalidInput`] if the syncs' routes
    /// conflict, a name in [`HttpConfig::headers`] is not a header name, or
    /// a [passthrough](HttpServer::passthrough) names no action of a
    /// registered concept.
    pub async fn bind(self) -> std::io::Result<BoundServer> {
        let address = self.config.address;
        let listener = tokio::net::TcpListener::bind(address).await.map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot listen on {address}: {error} (HOST and PORT choose the address)"),
            )
        })?;
        let shared = self.into_shared()?;
        let address = listener.local_addr()?;
        tracing::info!(
            %address,
            base = %shared.config.base,
            routes = ?shared.routes.templates().collect::<Vec<_>>(),
            "serving"
        );
        Ok(BoundServer {
            listener,
            shared: Arc::new(shared),
        })
    }

    /// The server's handling of requests as an axum 0.8 `Router`, to merge
    /// into an app of your own (`app.merge(router)`, for an app without a
    /// fallback of its own; to `nest` it instead, set [`HttpConfig::base`]
    /// to `""`, as `nest` takes the prefix off): requests under the base go
    /// to the syncs, with the same answers as [`HttpServer::serve`] gives, CORS
    /// and request spans included; any other path is a 404. The server
    /// that serves it owns what [`BoundServer::run`] does besides: a time
    /// limit on request heads (a request's body and its flow still share
    /// the request time-out), and at shutdown, waiting for the flows still
    /// running with [`Engine::drain`]. [`HttpConfig::address`] is unused.
    /// Fails as [`HttpServer::bind`] does for conflicting routes or header
    /// names.
    pub fn into_router(self) -> std::io::Result<axum::Router> {
        let shared = Arc::new(self.into_shared()?);
        Ok(layered(&shared).unwrap_or_else(|| axum::Router::new().fallback(handle).with_state(shared)))
    }

    /// What every request's handling shares: the routes and header names,
    /// checked.
    fn into_shared(self) -> std::io::Result<Shared> {
        if !self.misnamed.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                self.misnamed.join("; "),
            ));
        }
        let routes = Routes::new(self.engine.routes().to_vec())
            .map_err(|problem| std::io::Error::new(std::io::ErrorKind::InvalidInput, problem.to_string()))?;
        let base = self.config.base.as_str();
        for template in routes.templates() {
            if let Some(rest) = template
                .strip_prefix(base)
                .filter(|rest| !base.is_empty() && rest.starts_with('/'))
            {
                tracing::warn!(
                    route = template,
                    "a sync's path starts with the server's base {base}, so requests reach it at \
                     {base}{template}: a sync's path leaves off the base, write \"{rest}\""
                );
            }
        }
        let header_fields = self
            .config
            .headers
            .iter()
            .map(|header| match HeaderName::from_bytes(header.as_bytes()) {
                Ok(name) => {
                    let field = name.as_str().replace('-', "_");
                    Ok((name, field))
                }
                Err(_) => Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("{header:?} (in HttpConfig::headers) is not a valid HTTP header name"),
                )),
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Shared {
            engine: self.engine,
            config: self.config,
            routes,
            passthrough: self.passthrough,
            header_fields,
        })
    }

    /// Binds and serves until Ctrl-C or SIGTERM, then finishes the requests
    /// in progress (each within its time-out) and returns; a second Ctrl-C
    /// or SIGTERM returns at once.
    pub async fn serve(self) -> std::io::Result<()> {
        // The second signal's listener starts only once the first signal
        // came: a listener started before would see the first one too.
        let first = async {
            shutdown_signal().await;
            tracing::info!("Ctrl-C or SIGTERM again stops at once, without waiting");
        };
        let again = async { shutdown_signal().await };
        self.bind().await?.run_until(first, again).await
    }
}

/// Why `passthrough::<C>(action)` can never run, if it cannot: `C` is not
/// registered, or has no action `action` (a misspelling, or a query).
fn misnamed_passthrough<C: Concept>(engine: &Engine, action: &str) -> Option<String> {
    let concept = C::NAME;
    if engine.concept::<C>().is_none() {
        return Some(format!(
            "passthrough::<{concept}>(\"{action}\"): {concept} is not registered with the engine \
             (add it with EngineBuilder::concept)"
        ));
    }
    let names = crate::concept::unknown_action::<C>(action)?;
    let what = if action.starts_with('_') {
        "a query cannot be passed through, only an action".to_owned()
    } else {
        format!("{concept} has no action {action}")
    };
    Some(format!(
        "passthrough::<{concept}>(\"{action}\"): {what} (its actions: {})",
        names.join(", ")
    ))
}

/// A server bound to its address, not yet serving.
///
/// Tests serve on a free port this way, and stop the server when done:
///
/// ```
/// use std::net::SocketAddr;
/// use syncs_runtime::http::{HttpConfig, HttpServer};
/// use syncs_runtime::{sync, Engine};
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// sync! {
///     pub Ping
///     when
///         Requesting.request (path: "/ping", method: "GET") : (request)
///     then
///         Requesting.respond (request, pong: true)
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let engine = Engine::builder().sync(Ping).build().expect("engine");
/// let config = HttpConfig {
///     address: SocketAddr::from(([127, 0, 0, 1], 0)), // any free port
///     ..HttpConfig::default()
/// };
/// let bound = HttpServer::new(engine, config).bind().await?;
/// let address = bound.local_addr()?;
/// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
/// let server = tokio::spawn(bound.run(async {
///     let _ = stopped.await;
/// }));
///
/// // Any HTTP client will do (reqwest, hyper); a bare one here.
/// let mut connection = tokio::net::TcpStream::connect(address).await?;
/// connection
///     .write_all(b"GET /api/ping HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n")
///     .await?;
/// let mut answer = String::new();
/// connection.read_to_string(&mut answer).await?;
/// assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
/// assert!(answer.ends_with(r#"{"pong":true}"#), "{answer}");
///
/// let _ = stop.send(());
/// server.await.expect("the server task")?;
/// # Ok(())
/// # }
/// ```
pub struct BoundServer {
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
}

impl BoundServer {
    /// The address it listens on (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then finishes the requests in
    /// progress.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        self.run_until(shutdown, std::future::pending()).await
    }

    /// [`BoundServer::run`], and once `shutdown` has completed, stops at
    /// once, without waiting for the requests in progress, if `stop_now`
    /// completes: [`HttpServer::serve`] stops this way on a second Ctrl-C.
    /// `stop_now` is first polled after `shutdown` completes.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
        stop_now: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let config = &self.shared.config;
        // The body limit is applied where the body is read (`handle`).
        // `handle` routes every request itself, so with no layer to apply it
        // is served alone: a `Router` around it would only match every path
        // against its catch-all and store the match in the request, about
        // 3,300 instructions per request (BENCHMARKS.md, HTTP). What the
        // router did besides, leaving out the body of a HEAD answer and
        // setting its length, hyper's HTTP/1 server does too (the only
        // protocol served; its HTTP/2 server would not leave out the body).
        let limits = serve::Limits {
            // hyper adds it to an instant, which `Duration::MAX` overflows.
            header_read: config.request_timeout.min(crate::engine::AS_GOOD_AS_NONE),
            // A request's head takes up to the time-out, then its body and
            // its flow share a deadline as long: two time-outs in all.
            connections: config
                .request_timeout
                .saturating_mul(2)
                .saturating_add(Duration::from_secs(1)),
            // Every flow in the background ends by its request's deadline.
            flows: config.request_timeout.saturating_add(Duration::from_secs(1)),
        };
        let engine = self.shared.engine.clone();
        match layered(&self.shared) {
            Some(app) => serve::serve(self.listener, app, engine, limits, shutdown, stop_now).await,
            None => {
                let service = handle.with_state(self.shared.clone());
                serve::serve(self.listener, service, engine, limits, shutdown, stop_now).await
            }
        }
    }
}

/// `handle` in a `Router` with the layers the configuration asks for
/// (CORS, request spans), or `None` when it asks for none.
fn layered(shared: &Arc<Shared>) -> Option<axum::Router> {
    let config = &shared.config;
    // CORS closed (no origins configured) is the browser's default: no
    // layer at all, rather than one that checks and annotates every
    // response to allow nothing (`handle` answers OPTIONS itself).
    let cors = if config.cors_origins.is_empty() {
        None
    } else if config.cors_origins.iter().any(|origin| origin == "*") {
        Some(CorsLayer::permissive())
    } else {
        let origins: Vec<HeaderValue> = config
            .cors_origins
            .iter()
            .filter_map(|origin| HeaderValue::from_str(origin).ok())
            .collect();
        Some(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods(tower_http::cors::Any)
                .allow_headers(tower_http::cors::Any),
        )
    };
    // Request spans cost about a sixth of the throughput: only when
    // someone listens (e.g. RUST_LOG=tower_http=debug).
    let request_spans = tracing::enabled!(target: "tower_http::trace::on_response", tracing::Level::DEBUG);
    if cors.is_none() && !request_spans {
        return None;
    }
    let mut app = axum::Router::new().fallback(handle).with_state(shared.clone());
    if let Some(cors) = cors {
        app = app.layer(cors);
    }
    if request_spans {
        app = app.layer(TraceLayer::new_for_http());
    }
    Some(app)
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> HttpResponse {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn flow_failed(error: &FlowError, development: bool) -> HttpResponse {
    tracing::error!(%error, "flow failed");
    match error {
        // Sync names are internals: shown in development mode only.
        FlowError::BudgetExceeded { syncs, .. } if development => self::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "the request's syncs ran past the flow's budget (loop through: {})",
                syncs.join(" -> ")
            ),
        ),
        FlowError::BudgetExceeded { .. } => self::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the request's syncs ran past the flow's budget",
        ),
        FlowError::Internal { .. } => internal_error(development.then(|| error.to_string())),
    }
}

/// A 500 that tells the client nothing of the app's internals, except in
/// development mode, where `explanation` says what failed.
fn internal_error(explanation: Option<String>) -> HttpResponse {
    explained(StatusCode::INTERNAL_SERVER_ERROR, "internal error", explanation)
}

/// An error answer, with `explanation` (given in development mode only)
/// beside its `error`.
fn explained(status: StatusCode, message: impl Into<String>, explanation: Option<String>) -> HttpResponse {
    let mut body = json!({ "error": message.into() });
    if let Some(explanation) = explanation {
        body["explanation"] = json!(explanation);
    }
    (status, Json(body)).into_response()
}

/// What a request is for, known before its body is read.
enum Target<'a> {
    /// A passthrough route to one concept action.
    Passthrough(&'a Passthrough),
    /// A route of the syncs, with its parameters.
    Route(crate::routes::Matched<'a>),
}

/// The methods the server takes, as an `Allow` header says them.
const ALL_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";

/// Answers one request. A panic anywhere in it (a user's type decoding a
/// field, say) is an internal error for this request only: without the
/// catch, hyper would drop the connection without an answer.
async fn handle(State(shared): State<Arc<Shared>>, request: axum::extract::Request) -> HttpResponse {
    match AssertUnwindSafe(answer(shared, request)).catch_unwind().await {
        Ok(response) => response,
        Err(_panic) => {
            tracing::error!("answering a request panicked");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

async fn answer(shared: Arc<Shared>, request: axum::extract::Request) -> HttpResponse {
    // Counted from the request head's arrival: the body and the flow share it.
    let deadline = crate::engine::deadline_after(shared.config.request_timeout);
    // Taken apart by hand: the `HeaderMap` extractor would copy every header.
    let (parts, body) = request.into_parts();
    let (method, uri, headers) = (parts.method, parts.uri, parts.headers);
    let config = &shared.config;
    // The methods syncs are given are also listed in syncs-macro's check of
    // `method:` literals (sync/check.rs): keep the two in step.
    const KNOWN: [Method; 7] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
    ];
    if !KNOWN.contains(&method) {
        // A 405 names the methods that are allowed (RFC 9110, 15.5.6).
        return (
            [(axum::http::header::ALLOW, ALL_METHODS)],
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("the method {method} is not supported: use GET, POST, PUT, PATCH or DELETE"),
            ),
        )
            .into_response();
    }
    let Some(path) = uri.path().strip_prefix(config.base.as_str()) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("no route {}: the API is under {}", uri.path(), config.base),
        );
    };
    let path = if path.is_empty() { "/" } else { path };
    // Where the request goes is known before its body is read: a request
    // nothing takes is refused without reading what it sends.
    let passthrough = shared.passthrough.iter().find(|(route, _)| route == path);
    let target = match passthrough {
        Some((_, run)) if method == Method::POST || method == Method::OPTIONS => Target::Passthrough(run),
        _ => match shared.routes.find(path) {
            // A passthrough action's path exists, for POST only.
            None if passthrough.is_some() => {
                return method_not_allowed(&method, path, &["POST".to_owned(), "OPTIONS".to_owned()])
            }
            None => return not_found(&shared.routes, &shared.config.base, path),
            Some(Err(problem)) => return error(StatusCode::BAD_REQUEST, problem),
            Some(Ok(matched)) => Target::Route(matched),
        },
    };
    // OPTIONS is a question about the server, never a request for the syncs:
    // the answer lists the methods the path takes. With CORS open, the CORS
    // layer answers it before this handler; with CORS closed, the answer
    // allows no other origin (no CORS headers).
    if method == Method::OPTIONS {
        let allow = match &target {
            Target::Passthrough(_) => "POST, OPTIONS".to_owned(),
            Target::Route(matched) => matched.route.allow(),
        };
        let allow = HeaderValue::from_str(&allow).unwrap_or_else(|_| HeaderValue::from_static(ALL_METHODS));
        return (StatusCode::NO_CONTENT, [(axum::http::header::ALLOW, allow)]).into_response();
    }
    // HEAD is GET without the body (RFC 9110, 9.3.2): the syncs of a GET
    // route answer it, unless one names HEAD itself; hyper leaves out the
    // body.
    let method = match &target {
        Target::Route(matched) if method == Method::HEAD && matched.route.answers_head_as_get() => {
            Method::GET
        }
        _ => method,
    };
    if let Target::Route(matched) = &target {
        if let Err(Refusal::MethodNotAllowed { allowed }) = matched.route.check_method(method.as_str()) {
            return method_not_allowed(&method, path, &allowed);
        }
    }
    // A body that will be refused is refused before it is read (and before
    // a client that asked `Expect: 100-continue` sends it): one announced
    // larger than the limit, one announced in another format than JSON,
    // and any body while the engine takes no new requests.
    let announced = axum::body::HttpBody::size_hint(&body).lower();
    if announced > config.body_limit as u64 {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {} bytes", config.body_limit),
        );
    }
    if announced > 0 {
        if let Err(response) = require_json(&headers) {
            return *response;
        }
    }
    if shared.engine.overloaded() {
        return service_unavailable();
    }
    // A body that trickles in, or stops, must not hold its connection: it
    // must arrive by the request's deadline, which its flow shares.
    let body = match tokio::time::timeout_at(deadline, axum::body::to_bytes(body, config.body_limit)).await {
        Err(_elapsed) => {
            return error(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {:?}",
                    config.request_timeout
                ),
            )
        }
        Ok(Ok(body)) => body,
        Ok(Err(failure)) => {
            let failure = failure.into_inner();
            let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&*failure);
            while let Some(error) = cause {
                if error.is::<http_body_util::LengthLimitError>() {
                    return self::error(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!("the request body is larger than {} bytes", config.body_limit),
                    );
                }
                cause = error.source();
            }
            return error(
                StatusCode::BAD_REQUEST,
                format!("the request body could not be read: {failure}"),
            );
        }
    };
    let body = match parse_body(&headers, &body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    let matched = match target {
        Target::Passthrough(run) => {
            if let Some(response) = refuse_nul(&body) {
                return response;
            }
            // Again after the body: flows may have started while it came.
            if shared.engine.overloaded() {
                return service_unavailable();
            }
            return run(&shared.engine, Value::Object(body), deadline).await;
        }
        Target::Route(matched) => matched,
    };
    let mut fields = body;
    if let Some(query) = uri.query() {
        match query_fields(query) {
            Ok(pairs) => {
                for (name, value) in pairs {
                    fields.insert(name, Value::String(value));
                }
            }
            Err(problem) => return error(StatusCode::BAD_REQUEST, problem),
        }
    }
    for (name, value) in matched.params {
        fields.insert(name, Value::String(value));
    }
    for (header, field) in &shared.header_fields {
        let Some(value) = headers.get(header) else {
            // Only the header gives the field: a token in the query string
            // ends up in proxies' and servers' logs.
            fields.remove(field);
            continue;
        };
        // Said as it is: skipped, it would be reported as missing.
        let Ok(value) = value.to_str() else {
            return error(
                StatusCode::BAD_REQUEST,
                format!("the header {header} is not visible ASCII text"),
            );
        };
        fields.insert(field.clone(), Value::String(value.to_owned()));
    }
    if let Some(response) = refuse_nul(&fields) {
        return response;
    }
    if matched.route.uses_method() {
        fields.insert("method".to_owned(), Value::String(method.as_str().to_owned()));
    }

    // The request runs first: the engine checks its fields against the
    // syncs' types only to explain why none of them started on it.
    let template = matched.route.template.clone();
    match shared
        .engine
        .run_request(template, fields, deadline, config.request_timeout)
        .await
    {
        Ok(response) => respond(response, &matched.route.template, config.development),
        // Only syncs taking any method (guards) were about it.
        Err(RequestError::MethodNotAllowed { allowed, .. }) => method_not_allowed(&method, path, &allowed),
        Err(RequestError::InvalidFields { problems, .. }) => {
            tracing::debug!(
                path,
                ?problems,
                "a sync of the path could not start on the request's fields"
            );
            (
                StatusCode::BAD_REQUEST,
                Json(json!({
                    "error": format!("invalid request to {path}: {}", FieldProblem::summary(&problems)),
                    "fields": problems,
                })),
            )
                .into_response()
        }
        Err(RequestError::Unanswered { explanation }) => {
            tracing::warn!(path, "a request's flow ended without responding\n{explanation}");
            explained(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the request's flow ended without a response: no sync answers this case",
                config.development.then_some(explanation),
            )
        }
        Err(RequestError::Timeout { after, explanation }) => explained(
            StatusCode::GATEWAY_TIMEOUT,
            format!("no sync responded within {after:?}"),
            config.development.then_some(explanation),
        ),
        // Not met over HTTP, where the route was found first.
        Err(RequestError::NotFound { .. }) => {
            error(StatusCode::NOT_FOUND, format!("no sync handles the path {path}"))
        }
        Err(RequestError::Flow(flow)) => flow_failed(&flow, config.development),
        Err(RequestError::BodyNotAnObject(kind)) => error(
            StatusCode::BAD_REQUEST,
            format!("the request body must be a JSON object, not {kind}"),
        ),
        Err(error @ RequestError::Panicked { .. }) => {
            internal_error(config.development.then(|| error.to_string()))
        }
        // The engine logs when it starts and stops refusing.
        Err(RequestError::Overloaded) => service_unavailable(),
    }
}

/// A 503 for a request refused before it started (too many in progress).
fn service_unavailable() -> HttpResponse {
    (
        [(axum::http::header::RETRY_AFTER, HeaderValue::from_static("1"))],
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many requests in progress: try again later",
        ),
    )
        .into_response()
}

/// A 404 for a path no route takes, naming the route it probably meant.
fn not_found(routes: &Routes, base: &str, path: &str) -> HttpResponse {
    let with_base = format!("{base}{path}");
    let message = match routes.nearest(path) {
        Some(route) => format!("no sync handles the path {path}; the nearest route is {route}"),
        // A sync that wrote the base into its path (`/api/ping`), as other
        // frameworks' routes do.
        None if !base.is_empty() && matches!(routes.find(&with_base), Some(Ok(_))) => format!(
            "no sync handles the path {path}; a sync names {with_base}, but a sync's path leaves off \
             the base {base}: write \"{path}\" in it"
        ),
        None => format!("no sync handles the path {path}"),
    };
    error(StatusCode::NOT_FOUND, message)
}

/// A 405 naming the methods the path's syncs take.
fn method_not_allowed(method: &Method, path: &str, allowed: &[String]) -> HttpResponse {
    let allow =
        HeaderValue::from_str(&allowed.join(", ")).unwrap_or_else(|_| HeaderValue::from_static(ALL_METHODS));
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(axum::http::header::ALLOW, allow)],
        Json(json!({
            "error": format!("{method} is not handled on {path}; allowed: {}", allowed.join(", ")),
        })),
    )
        .into_response()
}

/// A 400 for a request with a NUL character (U+0000) in a field's text (or
/// in a name within it), naming the field. Valid JSON, but PostgreSQL
/// refuses it in text and C APIs cut text at it: let in, it became a 500
/// at the first query, or a value cut short.
fn refuse_nul(fields: &Fields) -> Option<HttpResponse> {
    fn has_nul(value: &Value) -> bool {
        match value {
            Value::String(text) => text.contains('\0'),
            Value::Array(items) => items.iter().any(has_nul),
            Value::Object(fields) => fields
                .iter()
                .any(|(name, value)| name.contains('\0') || has_nul(value)),
            Value::Null | Value::Bool(_) | Value::Number(_) => false,
        }
    }
    let (name, _) = fields
        .iter()
        .find(|(name, value)| name.contains('\0') || has_nul(value))?;
    let name = name.replace('\0', "\\0");
    Some(error(
        StatusCode::BAD_REQUEST,
        format!("the field `{name}` contains a NUL character (U+0000), which is not accepted"),
    ))
}

/// The query string's parameters, decoded. Each must be UTF-8 once its
/// percent-escapes are decoded, and given once: `serde_urlencoded` would
/// put U+FFFD in place of bytes that are not UTF-8 and keep the last of
/// repeated names, changing what the client sent without a word.
fn query_fields(query: &str) -> Result<Vec<(String, String)>, String> {
    let decode = |text: &str| {
        let spaced = text.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8()
            .map(std::borrow::Cow::into_owned)
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(name)
            .map_err(|_| format!("a query parameter's name is not UTF-8 text once decoded: {name:?}"))?;
        let value = decode(value)
            .map_err(|_| format!("the query parameter `{name}` is not UTF-8 text once decoded"))?;
        if !seen.insert(name.clone()) {
            return Err(format!("the query parameter `{name}` is given more than once"));
        }
        fields.push((name, value));
    }
    Ok(fields)
}

/// Refuses a body whose `Content-Type` is not JSON (`application/json`, or
/// a `+json` type).
fn require_json(headers: &HeaderMap) -> Result<(), Box<HttpResponse>> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let is_json = content_type
        .split(';')
        .next()
        .map(|essence| {
            let essence = essence.trim();
            let suffix = essence
                .len()
                .checked_sub("+json".len())
                .and_then(|at| essence.get(at..));
            essence.eq_ignore_ascii_case("application/json")
                || suffix.is_some_and(|suffix| suffix.eq_ignore_ascii_case("+json"))
        })
        .unwrap_or(false);
    if !is_json {
        return Err(Box::new(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "the request body must be JSON with Content-Type: application/json, not {content_type:?}"
            ),
        )));
    }
    Ok(())
}

/// The body's fields: an empty body has none, of any type; one of
/// whitespace has none if it is JSON (as any other body, it must be: the
/// same whether its length was announced, and the type refused from the
/// head, or not).
fn parse_body(headers: &HeaderMap, body: &Bytes) -> Result<Fields, Box<HttpResponse>> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    require_json(headers)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(other) => Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            format!(
                "the request body must be a JSON object, not {}",
                json_type(&other)
            ),
        ))),
        Err(problem) => Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            format!("the request body is not valid JSON: {problem}"),
        ))),
    }
}

/// Headers that say how the response is framed on the connection: the
/// server writes them from the body it sends. One from a sync (a wrong
/// `content-length`, a `transfer-encoding` the body does not follow) would
/// garble the connection for the requests after it.
const FRAMING_HEADERS: [HeaderName; 8] = [
    axum::http::header::CONTENT_LENGTH,
    axum::http::header::TRANSFER_ENCODING,
    axum::http::header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    axum::http::header::UPGRADE,
    axum::http::header::TE,
    axum::http::header::TRAILER,
    HeaderName::from_static("proxy-connection"),
];

/// A `Requesting.respond` to a request to `path` as an HTTP response.
fn respond(response: Response, path: &str, development: bool) -> HttpResponse {
    let status = match response.status() {
        // The checked range holds only statuses `StatusCode` knows.
        Ok(code) => StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        // The sync's mistake: answered as an internal error, not with the
        // fields meant for another status.
        Err(invalid) => {
            tracing::error!(value = %invalid.0, path, "{invalid}");
            return internal_error(development.then(|| format!("a sync of {path}: {invalid}")));
        }
    };
    let mut body = response.body;
    body.remove(crate::requesting::HTTP_STATUS);
    let mut headers = HeaderMap::new();
    if let Some(Value::Object(extra)) = body.remove(crate::requesting::HTTP_HEADERS) {
        for (name, value) in extra {
            let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
                tracing::warn!(header = %name, "respond's http_headers holds an invalid header name");
                continue;
            };
            if FRAMING_HEADERS.contains(&header) {
                tracing::warn!(
                    %header,
                    "respond's http_headers cannot set a header that frames the connection: left to the server"
                );
                continue;
            }
            // An array gives the header once per value (`set-cookie`).
            let values = match &value {
                Value::Array(values) => values.as_slice(),
                single => std::slice::from_ref(single),
            };
            for value in values {
                match value.as_str().map(HeaderValue::from_str) {
                    Some(Ok(value)) => {
                        headers.append(header.clone(), value);
                    }
                    _ => {
                        tracing::warn!(%header, %value, "respond's http_headers holds an invalid header value")
                    }
                }
            }
        }
    }
    let bodiless = [
        StatusCode::NO_CONTENT,
        StatusCode::RESET_CONTENT,
        StatusCode::NOT_MODIFIED,
    ];
    if bodiless.contains(&status) && !body.is_empty() {
        // `sync!` refuses body fields with a literal 204, 205 or 304; a
        // status computed in `where` is known only now. In-process callers
        // see the fields, HTTP clients do not: say so, or tests pass on
        // fields no client ever gets.
        let fields: Vec<&str> = body.keys().map(String::as_str).collect();
        tracing::warn!(
            path,
            %status,
            fields = %fields.join(", "),
            "respond's fields are not sent: a {status} response has no body"
        );
    }
    // 205 Reset Content has no content (RFC 9110, 15.3.6); hyper itself
    // leaves out the body of a 204 and a 304 only.
    if status == StatusCode::RESET_CONTENT {
        return (status, headers).into_response();
    }
    if headers.is_empty() {
        return (status, Json(Value::Object(body))).into_response();
    }
    (status, headers, Json(Value::Object(body))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]

        /// Any bytes, any content type: a JSON object's fields, or an error
        /// response; never a panic.
        #[test]
        fn request_bodies_decode_or_are_refused(
            bytes in proptest::collection::vec(any::<u8>(), 0..256),
            content_type in prop_oneof![
                Just("application/json"), Just("text/plain"), Just(""), Just("application/x+json; charset=utf-8")
            ],
        ) {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(content_type) {
                headers.insert(axum::http::header::CONTENT_TYPE, value);
            }
            let body = Bytes::from(bytes.clone());
            match parse_body(&headers, &body) {
                Ok(fields) => {
                    let blank = bytes.iter().all(u8::is_ascii_whitespace);
                    prop_assert!(blank || serde_json::from_slice::<Value>(&bytes).is_ok_and(|value| value == Value::Object(fields)));
                }
                Err(response) => prop_assert!(response.status().is_client_error()),
            }
        }

        /// JSON-ish bodies (objects with fields of any type) against routes
        /// with typed fields: accepted or refused with named fields.
        #[test]
        fn typed_routes_check_any_object(body in json_object()) {
            let mut routes_syncs = Vec::new();
            routes_syncs.push(crate::CompiledSync::new(
                "Starter",
                "",
                vec![crate::PatternSpec {
                    action: crate::ActionRef::of::<crate::Requesting>("request"),
                    form: crate::Form::Success,
                    literals: vec![("path", json!("/typed/:id"))],
                    outcome_literals: Vec::new(),
                    open_fields: vec![
                        crate::OpenField { name: "count", validator: crate::__private::Slot::<u32>::new().validator(), required: true },
                        crate::OpenField { name: "name", validator: crate::__private::Slot::<String>::new().validator(), required: true },
                    ],
                }],
                Vec::new(),
                Vec::new(),
                crate::eval_fn(|_| Box::pin(async { Ok(crate::Evaluation::new(Vec::new(), vec![0])) })),
            ));
            let routes = Routes::new(crate::routes::routes_of(&routes_syncs)).expect("routes");
            let matched = routes.find("/typed/7").expect("route").expect("decoded");
            match matched.route.check("POST", &body) {
                Ok(()) => {
                    prop_assert!(body.get("count").is_some_and(|count| crate::__private::Slot::<u32>::new().decode(Some(count)).is_some()));
                    prop_assert!(body.get("name").is_some_and(|name| name.is_string() || crate::__private::Slot::<String>::new().decode(Some(name)).is_some()));
                }
                Err(Refusal::InvalidFields { problems, .. }) => {
                    prop_assert!(!problems.is_empty());
                    prop_assert!(problems.iter().all(|problem| problem.field == "count" || problem.field == "name"));
                }
                Err(other) => prop_assert!(false, "unexpected refusal {other:?}"),
            }
        }
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|number| json!(number)),
            any::<f64>()
                .prop_filter("finite", |number| number.is_finite())
                .prop_map(|number| json!(number)),
            "[a-z0-9 ]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z]{1,5}", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    fn json_object() -> impl Strategy<Value = Fields> {
        proptest::collection::btree_map(
            prop_oneof![Just("count".to_owned()), Just("name".to_owned()), "[a-z]{1,5}"],
            json_value(),
            0..4,
        )
        .prop_map(|map| map.into_iter().collect())
    }

    #[test]
    fn configuration_comes_from_the_environment() {
        let config = HttpConfig::from_lookup(|name| match name {
            "PORT" => Some("9001".into()),
            "API_BASE" => Some("/v2/".into()),
            "REQUEST_TIMEOUT_MS" => Some("250".into()),
            "CORS_ORIGINS" => Some("http://a.example, http://b.example".into()),
            _ => None,
        })
        .expect("valid");
        assert_eq!(config.address.port(), 9001);
        assert_eq!(config.base, "/v2");
        assert_eq!(config.request_timeout, Duration::from_millis(250));
        assert_eq!(config.cors_origins, vec!["http://a.example", "http://b.example"]);
    }

    #[test]
    fn a_bad_setting_names_the_variable() {
        let error =
            HttpConfig::from_lookup(|name| (name == "PORT").then(|| "eighty".into())).expect_err("bad");
        assert_eq!(
            error.to_string(),
            "environment variable PORT=\"eighty\": not a port number"
        );
        // Settings that parse but cannot be meant are refused too.
        let error = HttpConfig::from_lookup(|name| (name == "REQUEST_TIMEOUT_MS").then(|| "0".into()))
            .expect_err("no time at all");
        assert!(
            error.to_string().contains("would time out every request"),
            "{error}"
        );
        let error =
            HttpConfig::from_lookup(|name| (name == "SYNCS_DEV").then(|| "on".into())).expect_err("unknown");
        assert!(
            error
                .to_string()
                .starts_with("environment variable SYNCS_DEV=\"on\""),
            "{error}"
        );
        let config =
            HttpConfig::from_lookup(|name| (name == "SYNCS_DEV").then(|| "TRUE".into())).expect("valid");
        assert!(config.development);
        let error =
            HttpConfig::from_lookup(|name| (name == "API_BASE").then(|| "api".into())).expect_err("no slash");
        assert!(
            error
                .to_string()
                .starts_with("environment variable API_BASE=\"api\": a base path starts with `/`"),
            "{error}"
        );
        let config = HttpConfig::from_lookup(|name| (name == "API_BASE").then(String::new)).expect("no base");
        assert_eq!(config.base, "");
    }

    #[test]
    fn json_media_types_are_recognised_in_any_case() {
        let body = Bytes::from_static(br#"{"a": 1}"#);
        let with_type = |content_type: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_str(content_type).expect("header value"),
            );
            parse_body(&headers, &body).map_err(|response| response.status())
        };
        for accepted in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/vnd.api+json",
            "application/problem+JSON",
        ] {
            assert!(with_type(accepted).is_ok(), "{accepted} is JSON");
        }
        for refused in ["text/plain", "json", "application/jsonx", ""] {
            assert_eq!(
                with_type(refused).err(),
                Some(StatusCode::UNSUPPORTED_MEDIA_TYPE),
                "{refused:?} is not JSON"
            );
        }
    }

    #[tokio::test]
    async fn an_invalid_header_name_in_the_configuration_is_refused_at_bind() {
        let engine = Engine::builder().build().expect("no syncs");
        let config = HttpConfig {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            headers: vec!["authorization".into(), "not a header".into()],
            ..HttpConfig::default()
        };
        let error = match HttpServer::new(engine, config).bind().await {
            Ok(_) => panic!("a header name with spaces is refused"),
            Err(error) => error,
        };
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("\"not a header\""), "{error}");
    }

    #[tokio::test]
    async fn a_header_becomes_a_lower_case_field() {
        let engine = Engine::builder().build().expect("no syncs");
        let config = HttpConfig {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            headers: vec!["X-Api-Key".into()],
            ..HttpConfig::default()
        };
        let bound = HttpServer::new(engine, config).bind().await.expect("bound");
        let fields: Vec<&str> = bound
            .shared
            .header_fields
            .iter()
            .map(|(_, field)| field.as_str())
            .collect();
        assert_eq!(fields, vec!["x_api_key"]);
    }
}
