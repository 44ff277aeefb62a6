use crate::abi::{LogLevel, LogRecord, LogSink};

extern "C" fn emit(record: LogRecord<'_>) {
    let module = record.module.as_str();
    let origin = record.target.as_str();
    let message = record.message.as_str();
    // Outside a request the field is left out rather than printed empty.
    let request_id = Some(record.request_id.as_str()).filter(|id| !id.is_empty());
    match record.level {
        LogLevel::Off => {}
        LogLevel::Error => {
            tracing::error!(target: "module", module, origin, request_id, "{message}")
        }
        LogLevel::Warn => tracing::warn!(target: "module", module, origin, request_id, "{message}"),
        LogLevel::Info => tracing::info!(target: "module", module, origin, request_id, "{message}"),
        LogLevel::Debug => {
            tracing::debug!(target: "module", module, origin, request_id, "{message}")
        }
        LogLevel::Trace => {
            tracing::trace!(target: "module", module, origin, request_id, "{message}")
        }
    }
}

/// The callback a host passes in [`InitContext`](crate::abi::InitContext): each module
/// event becomes an event of the host's subscriber with target `module` and a `module`
/// field naming its source.
pub fn log_sink() -> LogSink {
    LogSink { emit }
}
