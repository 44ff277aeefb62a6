//! Every request gets an id and one access-log line.
//!
//! The id is the client's `X-Request-Id` when it is a sensible token (1 to 64 letters,
//! digits, `-`, `_`, `.`), else a new UUID. It is answered in `X-Request-Id`, handed to
//! modules in [`ModuleRequest::request_id`](crate::abi::ModuleRequest::request_id), and
//! written on the access line: method, route pattern, status, latency and, once the
//! caller authenticated, the organisation. Lines go to `tracing` with target `access`.

use actix_web::{
    Error, HttpMessage, HttpRequest,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
};
use std::time::Instant;

/// The header that carries a request's id, both ways.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A request's id, in the request's extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The authenticated caller's organisation, in the request's extensions (for the access
/// line).
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallerOrganisation(pub i64);

fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The id of `request`: the one the middleware gave it, or a new one outside it.
pub fn request_id(request: &HttpRequest) -> String {
    request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// The middleware: wrap an app with `actix_web::middleware::from_fn(access_log)`.
pub async fn access_log(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| acceptable(id))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().to_string();
    let mut response = next.call(request).await?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let organisation = response
        .request()
        .extensions()
        .get::<CallerOrganisation>()
        .map(|caller| caller.0);
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    let status = response.status().as_u16();
    let labels = [
        ("method", method.clone()),
        ("route", route.clone()),
        ("status", status.to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels[..2])
        .record(started.elapsed().as_secs_f64());
    tracing::info!(
        target: "access",
        request_id = %id,
        method = %method,
        route = %route,
        status,
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        organisation = organisation,
        "request"
    );
    Ok(response)
}
