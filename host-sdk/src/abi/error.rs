use abi_stable::{StableAbi, std_types::RString};
use std::fmt;

/// A failure reported by a module call, or by the SDK on the module's behalf (a panic, a
/// call before `init`, a call during shutdown).
///
/// The host turns it into an HTTP answer with `status` and the JSON body
/// `{"code": …, "message": …}`.
///
/// ```
/// use host_sdk::abi::ModuleError;
/// let error = ModuleError::new(503, "database_unavailable", "the database did not answer");
/// assert_eq!(error.to_string(), "database_unavailable: the database did not answer");
/// ```
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct ModuleError {
    /// The HTTP status the host should answer with.
    pub status: u16,
    /// A stable, machine-readable code such as `module_panicked`.
    pub code: RString,
    /// A sentence for the person who reads the log or the response.
    pub message: RString,
}

impl ModuleError {
    /// Builds an error with an explicit status.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: RString::from(code.into()),
            message: RString::from(message.into()),
        }
    }

    /// An unexpected internal failure (HTTP 500).
    pub fn internal(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(500, code, message)
    }
}

impl fmt::Display for ModuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ModuleError {}
