use super::{ApiResult, Problem, error, not_found};
use crate::clock::parse_time;
use host_sdk::abi::ModuleRequest;

/// A `{name}` path segment that must be a UUID; anything else is a 404 of `what`.
pub fn path_uuid(request: &ModuleRequest, name: &str, what: &str) -> ApiResult<String> {
    let text = request.param(name).unwrap_or_default();
    match uuid::Uuid::parse_str(text) {
        Ok(id) => Ok(id.to_string()),
        Err(_) => Err(not_found(what, text)),
    }
}

/// An optional integer query parameter.
pub fn query_i64(request: &ModuleRequest, name: &str) -> ApiResult<Option<i64>> {
    match request.query_param(name) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            error(
                Problem::Invalid,
                "invalid_parameter",
                format!("{name} must be a whole number, not {text:?}"),
            )
        }),
    }
}

/// An optional text query parameter of at most `max` characters without control
/// characters (it is compared with stored text, which never holds any).
pub fn query_text(request: &ModuleRequest, name: &str, max: usize) -> ApiResult<Option<String>> {
    match request.query_param(name) {
        Some(text) if text.chars().count() > max || crate::text::line_has_control(&text) => {
            Err(error(
                Problem::Invalid,
                "invalid_parameter",
                format!("{name} must be at most {max} characters, without control characters"),
            ))
        }
        found => Ok(found),
    }
}

/// An optional time query parameter (milliseconds or RFC 3339).
pub fn query_time(request: &ModuleRequest, name: &str) -> ApiResult<Option<i64>> {
    match request.query_param(name) {
        None => Ok(None),
        Some(text) => parse_time(&text).map(Some).ok_or_else(|| {
            error(
                Problem::Invalid,
                "invalid_parameter",
                format!(
                    "{name} must be milliseconds since the epoch or an RFC 3339 time, not {text:?}"
                ),
            )
        }),
    }
}

/// `?limit=`, defaulting to `default` and capped at `max`.
pub fn limit_param(request: &ModuleRequest, default: u64, max: u64) -> ApiResult<u64> {
    match query_i64(request, "limit")? {
        None => Ok(default),
        Some(limit) if limit >= 1 && limit as u64 <= max => Ok(limit as u64),
        Some(limit) => Err(error(
            Problem::Invalid,
            "invalid_parameter",
            format!("limit must be between 1 and {max}, not {limit}"),
        )),
    }
}
