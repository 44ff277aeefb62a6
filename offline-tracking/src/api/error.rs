//! OfflineTracking's one error type, and the one place a kind of failure becomes an HTTP
//! status.

use host_sdk::abi::ModuleResponse;
use host_sdk::module::IntoModuleResponse;

/// What kind of failure it is, in the client's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The request is malformed beyond a field's value.
    BadRequest,
    /// The credential is missing or wrong.
    Unauthorized,
    /// The caller may not do this.
    Forbidden,
    /// It does not exist here.
    NotFound,
    /// It contradicts what is stored now.
    Conflict,
    /// The request is larger than allowed.
    TooLarge,
    /// A value is out of bounds or of the wrong form.
    Invalid,
    /// The client speaks another protocol version.
    UpgradeRequired,
    /// Too many attempts: wait.
    TooManyRequests,
    /// Our fault; the detail is in the log.
    Internal,
    /// Busy now: try again.
    Unavailable,
}

impl Problem {
    /// Its HTTP status.
    pub fn status(self) -> u16 {
        match self {
            Problem::BadRequest => 400,
            Problem::Unauthorized => 401,
            Problem::Forbidden => 403,
            Problem::NotFound => 404,
            Problem::Conflict => 409,
            Problem::TooLarge => 413,
            Problem::Invalid => 422,
            Problem::UpgradeRequired => 426,
            Problem::TooManyRequests => 429,
            Problem::Internal => 500,
            Problem::Unavailable => 503,
        }
    }
}

/// Why a request failed: a problem with its code and message, or an answer host-sdk
/// already made (such as a body that is not JSON).
#[derive(Debug)]
pub enum ApiError {
    /// Refused or failed here.
    Problem {
        /// The kind of failure.
        problem: Problem,
        /// Stable code a client branches on.
        code: String,
        /// For a person.
        message: String,
        /// Seconds to wait before trying again.
        retry_after_seconds: Option<u64>,
    },
    /// An error answer made by host-sdk, passed through.
    Answered(ModuleResponse),
}

impl ApiError {
    /// A failure of `problem`'s kind.
    pub fn new(problem: Problem, code: &str, message: impl Into<String>) -> Self {
        ApiError::Problem {
            problem,
            code: code.to_owned(),
            message: message.into(),
            retry_after_seconds: None,
        }
    }

    /// Tells the client how long to wait.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        if let ApiError::Problem {
            retry_after_seconds,
            ..
        } = &mut self
        {
            *retry_after_seconds = Some(seconds);
        }
        self
    }
}

impl From<ModuleResponse> for ApiError {
    fn from(answer: ModuleResponse) -> Self {
        ApiError::Answered(answer)
    }
}

impl From<ApiError> for ModuleResponse {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Problem {
                problem,
                code,
                message,
                retry_after_seconds,
            } => {
                let answer = ModuleResponse::error(problem.status(), &code, message);
                match retry_after_seconds {
                    Some(seconds) => answer.with_header("retry-after", &seconds.to_string()),
                    None => answer,
                }
            }
            ApiError::Answered(answer) => answer,
        }
    }
}

impl IntoModuleResponse for ApiError {
    fn into_module_response(self) -> ModuleResponse {
        self.into()
    }
}
