//! Logging: one subscriber for the suite and, through the host-sdk log sink, its modules.

use crate::config::LogFormat;
use std::io::IsTerminal;
use tracing_subscriber::{EnvFilter, fmt};

/// sea-orm-migration logs each migration at INFO; `migrate` prints each one itself.
const QUIET_MIGRATOR: &str = "sea_orm_migration=warn";

/// Installs the subscriber (to stderr, so command output on stdout stays clean): text
/// with colour only when stderr is a terminal, so log files hold no escape codes, or one
/// JSON object per line. `RUST_LOG` overrides the configured level.
pub fn init(level: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(format!("{level},{QUIET_MIGRATOR}")))
        .unwrap_or_else(|_| EnvFilter::new(format!("info,{QUIET_MIGRATOR}")));
    let builder = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// The most verbose level the configuration lets through, for modules' source filters.
pub fn module_log_level() -> host_sdk::abi::LogLevel {
    match tracing::level_filters::LevelFilter::current().into_level() {
        Some(level) => host_sdk::abi::LogLevel::from_tracing(level),
        None => host_sdk::abi::LogLevel::Off,
    }
}
