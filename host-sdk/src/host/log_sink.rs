use crate::abi::{LogLevel, LogRecord, LogSink};

extern "C" fn emit(record: LogRecord<'_>) {
    let module = record.module.as_str();
    let origin = record.target.as_str();
    let message = record.message.as_str();
    match record.level {
        LogLevel::Off => {}
        LogLevel::Error => tracing::error!(target: "module", module, origin, "{message}"),
        LogLevel::Warn => tracing::warn!(target: "module", module, origin, "{message}"),
        LogLevel::Info => tracing::info!(target: "module", module, origin, "{message}"),
        LogLevel::Debug => tracing::debug!(target: "module", module, origin, "{message}"),
        LogLevel::Trace => tracing::trace!(target: "module", module, origin, "{message}"),
    }
}

/// The callback a host passes in [`InitContext`](crate::abi::InitContext): each module
/// event becomes an event of the host's subscriber with target `module` and a `module`
/// field naming its source.
pub fn log_sink() -> LogSink {
    LogSink { emit }
}
