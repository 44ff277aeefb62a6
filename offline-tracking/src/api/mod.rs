//! What every route shares: the caller, typed errors, parameter parsing.

mod caller;
mod params;

pub use caller::Caller;
pub use params::{limit_param, path_uuid, query_i64, query_text, query_time};

use host_sdk::abi::ModuleResponse;
use sea_orm::DbErr;
use serde::Serialize;

/// A route's result: the error side is the answer to send.
pub type ApiResult<T> = Result<T, ModuleResponse>;

/// 200 with a JSON body.
pub fn ok<T: Serialize + ?Sized>(value: &T) -> ModuleResponse {
    ModuleResponse::json(200, value)
}

/// 201 with a JSON body.
pub fn created<T: Serialize + ?Sized>(value: &T) -> ModuleResponse {
    ModuleResponse::json(201, value)
}

/// An error answer.
pub fn error(status: u16, code: &str, message: impl Into<String>) -> ModuleResponse {
    ModuleResponse::error(status, code, message)
}

/// 404 for something of this organisation that does not exist (or belongs to another).
pub fn not_found(what: &str, id: &str) -> ModuleResponse {
    error(
        404,
        &format!("unknown_{what}"),
        format!("there is no {what} {id:?} here"),
    )
}

pub use host_sdk::db::{is_transient, is_unique_violation};

/// Maps a database failure to an answer: 503 (retry) when transient, 500 otherwise. The
/// detail goes to the log, not to the client.
pub fn database(context: &'static str) -> impl FnOnce(DbErr) -> ModuleResponse {
    move |db_error| {
        if is_transient(&db_error) {
            tracing::warn!("{context}: {db_error}");
            error(
                503,
                "server_busy",
                format!("{context}: the database is busy, try again"),
            )
            .with_header("retry-after", "2")
        } else {
            tracing::error!("{context}: {db_error}");
            error(
                500,
                "database_error",
                format!("{context} failed; see the suite's log"),
            )
        }
    }
}
