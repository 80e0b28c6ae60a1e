//! An HTTP server for the tests: on a free loopback port, stopped on demand.

// Each test binary that includes this module uses a part of it.
#![allow(dead_code)]

use std::net::SocketAddr;

use syncs_runtime::http::{HttpConfig, HttpServer};
use syncs_runtime::Engine;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server.
pub struct Serving {
    pub address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Serving {
    /// Serves `engine` with the default configuration as `configure` changes
    /// it, on a free loopback port, with the routes `routes` adds.
    pub async fn start(
        engine: Engine,
        configure: impl FnOnce(&mut HttpConfig),
        routes: impl FnOnce(HttpServer) -> HttpServer,
    ) -> Serving {
        let mut config = HttpConfig {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            ..HttpConfig::default()
        };
        configure(&mut config);
        let bound = routes(HttpServer::new(engine, config))
            .bind()
            .await
            .expect("bind");
        let address = bound.local_addr().expect("address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(bound.run(async {
            let _ = stopped.await;
        }));
        Serving {
            address,
            stop: Some(stop),
            task,
        }
    }

    /// The URL of the API's base path (the default, `/api`).
    pub fn base(&self) -> String {
        format!("http://{}/api", self.address)
    }

    /// Starts the shutdown, without waiting for it.
    pub fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Shuts the server down and waits until it has finished.
    pub async fn stop(mut self) {
        self.signal_stop();
        self.task.await.expect("server task").expect("server ran");
    }
}
