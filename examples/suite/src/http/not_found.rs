use actix_web::{HttpRequest, HttpResponse};
use host_sdk::host::http::ApiError;

/// Unknown paths get the same JSON error shape as everything else.
pub async fn answer(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        404,
        "not_found",
        format!(
            "nothing is served at {} {}",
            request.method(),
            request.path()
        ),
    ))
}
