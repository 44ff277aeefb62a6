use abi_stable::{StableAbi, std_types::RStr};

/// Severity of a log event, and the host's filter (`Off` silences a module).
#[repr(u8)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// Nothing is forwarded.
    Off = 0,
    /// Failures.
    Error = 1,
    /// Suspicious situations.
    Warn = 2,
    /// Normal operation.
    Info = 3,
    /// Detail for developers.
    Debug = 4,
    /// Everything.
    Trace = 5,
}

impl LogLevel {
    /// The matching `tracing` level (`None` for `Off`).
    pub fn to_tracing(self) -> Option<tracing::Level> {
        match self {
            LogLevel::Off => None,
            LogLevel::Error => Some(tracing::Level::ERROR),
            LogLevel::Warn => Some(tracing::Level::WARN),
            LogLevel::Info => Some(tracing::Level::INFO),
            LogLevel::Debug => Some(tracing::Level::DEBUG),
            LogLevel::Trace => Some(tracing::Level::TRACE),
        }
    }

    /// The level matching a `tracing` level.
    pub fn from_tracing(level: tracing::Level) -> Self {
        match level {
            tracing::Level::ERROR => LogLevel::Error,
            tracing::Level::WARN => LogLevel::Warn,
            tracing::Level::INFO => LogLevel::Info,
            tracing::Level::DEBUG => LogLevel::Debug,
            tracing::Level::TRACE => LogLevel::Trace,
        }
    }
}

/// One log event on its way from a module to the host.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug)]
pub struct LogRecord<'a> {
    /// Severity.
    pub level: LogLevel,
    /// The module's name, so the host can tag the event.
    pub module: RStr<'a>,
    /// The Rust module path that emitted it.
    pub target: RStr<'a>,
    /// The formatted message with its fields.
    pub message: RStr<'a>,
    /// The id of the request the event happened in; empty outside a request.
    pub request_id: RStr<'a>,
}

/// The host's log callback, installed by the SDK into the module's `tracing` subscriber.
#[repr(C)]
#[derive(StableAbi, Clone, Copy)]
pub struct LogSink {
    /// Called once per event that passes the level filter.
    pub emit: extern "C" fn(LogRecord<'_>),
}

impl std::fmt::Debug for LogSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogSink")
    }
}
