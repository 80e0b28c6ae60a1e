//! Logging for the example apps and the benchmarks: `tracing` to stderr.

use tracing_subscriber::EnvFilter;

/// Logs to stderr at the levels `RUST_LOG` sets, or at `default` (such as
/// `"info"`) when it is unset or invalid.
pub fn init(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
