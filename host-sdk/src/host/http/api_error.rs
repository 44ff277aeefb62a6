use crate::{ErrorBody, abi::ModuleError};
use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use std::fmt;

/// An error answer of the host: an HTTP status and the standard JSON error body.
///
/// ```
/// use host_sdk::host::http::ApiError;
/// let error = ApiError::new(403, "forbidden", "this needs the permission offline_tracking.admin");
/// assert_eq!(error.status(), 403);
/// ```
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    retry_after_seconds: Option<u64>,
}

impl ApiError {
    /// An error with `status` (an invalid status becomes 500).
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body: ErrorBody::new(code, message),
            retry_after_seconds: None,
        }
    }

    /// Adds structured details to the body.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.body = self.body.with_details(details);
        self
    }

    /// Asks the client to wait before retrying.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }

    /// A failure of the host itself; the detail goes to the log, not to the client.
    pub fn internal(context: &str, error: impl fmt::Display) -> Self {
        tracing::error!("{context}: {error}");
        Self::new(
            500,
            "internal_error",
            format!("{context}; see the suite's log"),
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The machine-readable code.
    pub fn code(&self) -> &str {
        &self.body.code
    }
}

impl From<ModuleError> for ApiError {
    fn from(error: ModuleError) -> Self {
        Self::new(error.status, &error.code, error.message.as_str())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.body.code,
            self.body.message
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header(("www-authenticate", "Bearer"));
        }
        if let Some(seconds) = self.retry_after_seconds {
            response.insert_header(("retry-after", seconds.to_string()));
        }
        response.json(&self.body)
    }
}
