use sea_orm::DbErr;

/// Everything that can go wrong on the device, each with the sentence the employee reads.
#[derive(Debug, thiserror::Error)]
pub enum FieldError {
    /// Nothing can be done before registration.
    #[error(
        "this device is not registered yet: run `field-app register --server URL --token TOKEN` while online"
    )]
    NotRegistered,
    /// Registration happens once.
    #[error(
        "this device is already registered (device {0}); after an administrator revoked it, `field-app register --again` registers it anew"
    )]
    AlreadyRegistered(String),
    /// The entry was not stored, and why.
    #[error("not recorded: {0}")]
    NotRecorded(String),
    /// Input the command cannot use.
    #[error("{0}")]
    Invalid(String),
    /// Sync is not possible now (no network, WiFi-only, revoked device…).
    #[error("not synced: {0}")]
    CannotSync(String),
    /// The server cannot be reached.
    #[error("the server is unreachable: {0}")]
    Unreachable(String),
    /// The server answered with an error.
    #[error("the server refused: {code}: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
        retry_after_seconds: Option<u64>,
    },
    /// The device's own storage failed.
    #[error("the device's storage failed: {0}")]
    Storage(#[from] DbErr),
    /// The device's clocks cannot be read.
    #[error("the clock cannot be read: {0}")]
    Clock(String),
}

impl FieldError {
    /// How long the server asked to wait before the next attempt.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            FieldError::Server {
                retry_after_seconds,
                ..
            } => *retry_after_seconds,
            _ => None,
        }
    }
}
