use serde::{Deserialize, Serialize};

/// The JSON body of every error answer, from the host and from modules alike:
/// `{"code": "machine_readable", "message": "For a person.", "details": …}`.
///
/// ```
/// use host_sdk::ErrorBody;
/// let body = ErrorBody::new("invalid_token", "the bearer token is not valid");
/// let text = serde_json::to_string(&body).unwrap();
/// assert_eq!(text, r#"{"code":"invalid_token","message":"the bearer token is not valid"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorBody {
    /// Stable code a client can branch on.
    pub code: String,
    /// Human explanation.
    pub message: String,
    /// Optional structured detail, such as one entry per invalid field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl ErrorBody {
    /// An error body without details.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            details: None,
        }
    }

    /// Adds structured details.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}
