//! What every route shares: the caller, typed errors, parameter parsing.

mod caller;
mod error;
mod params;

pub use caller::Caller;
pub use error::{ApiError, Problem};
pub use params::{limit_param, path_uuid, query_i64, query_text, query_time};

use host_sdk::abi::ModuleResponse;
use sea_orm::DbErr;
use serde::Serialize;

/// A route's result.
pub type ApiResult<T> = Result<T, ApiError>;

/// The status of a successful answer.
pub const SUCCESS: u16 = 200;

/// 200 with a JSON body.
pub fn ok<T: Serialize + ?Sized>(value: &T) -> ModuleResponse {
    ModuleResponse::json(SUCCESS, value)
}

/// 201 with a JSON body.
pub fn created<T: Serialize + ?Sized>(value: &T) -> ModuleResponse {
    ModuleResponse::json(201, value)
}

/// A failure of `problem`'s kind.
pub fn error(problem: Problem, code: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(problem, code, message)
}

/// Not found, for something of this organisation that does not exist (or belongs to
/// another).
pub fn not_found(what: &str, id: &str) -> ApiError {
    error(
        Problem::NotFound,
        &format!("unknown_{what}"),
        format!("there is no {what} {id:?} here"),
    )
}

pub use host_sdk::db::{is_transient, is_unique_violation};

/// Maps a database failure: unavailable (retry) when transient, internal otherwise. The
/// detail goes to the log, not to the client.
pub fn database(context: &'static str) -> impl FnOnce(DbErr) -> ApiError {
    move |db_error| {
        if is_transient(&db_error) {
            tracing::warn!("{context}: {db_error}");
            error(
                Problem::Unavailable,
                "server_busy",
                format!("{context}: the database is busy, try again"),
            )
            .retry_after(2)
        } else {
            tracing::error!("{context}: {db_error}");
            error(
                Problem::Internal,
                "database_error",
                format!("{context} failed; see the suite's log"),
            )
        }
    }
}
