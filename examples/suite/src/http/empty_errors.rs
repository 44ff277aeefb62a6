//! Errors actix-web answers by itself (405 for a method a path does not serve, a body it
//! cannot read) come with an empty body. Every error the suite answers has the
//! `{"code", "message"}` body the README promises, so those get one too.

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpResponse, ResponseError};
use host_sdk::host::http::ApiError;

/// The middleware: fills in an error answer that has no body.
pub fn standard_bodies<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(fill_empty)
}

fn fill_empty<B: MessageBody + 'static>(
    answer: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    if !matches!(
        answer.response().body().size(),
        BodySize::None | BodySize::Sized(0)
    ) {
        return Ok(ErrorHandlerResponse::Response(answer.map_into_left_body()));
    }
    let status = answer.status();
    let allowed = answer
        .response()
        .headers()
        .get(actix_web::http::header::ALLOW)
        .cloned();
    let (request, _) = answer.into_parts();
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            405,
            "method_not_allowed",
            format!("{} is not served at {}", request.method(), request.path()),
        ),
        other => ApiError::new(
            other.as_u16(),
            &other
                .canonical_reason()
                .unwrap_or("error")
                .to_lowercase()
                .replace(' ', "_"),
            other.canonical_reason().unwrap_or("the request failed"),
        ),
    };
    let mut response: HttpResponse = error.error_response();
    if let Some(allowed) = allowed {
        response
            .headers_mut()
            .insert(actix_web::http::header::ALLOW, allowed);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, response).map_into_right_body(),
    ))
}
