//! Logging: one subscriber for the suite and, through the host-sdk log sink, its modules.

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the subscriber (to stderr, so command output on stdout stays clean).
/// `RUST_LOG` overrides the configured level.
pub fn init(level: &str) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .try_init();
}

/// The most verbose level the configuration lets through, for modules' source filters.
pub fn module_log_level() -> host_sdk::abi::LogLevel {
    match tracing::level_filters::LevelFilter::current().into_level() {
        Some(level) => host_sdk::abi::LogLevel::from_tracing(level),
        None => host_sdk::abi::LogLevel::Off,
    }
}
