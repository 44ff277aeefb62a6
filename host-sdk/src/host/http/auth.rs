use super::{ApiError, HostServices};
use crate::abi::{KeyValue, Principal};
use crate::throttle::{FailureThrottle, retry_after_seconds};
use abi_stable::std_types::{ROption, RString, RVec};
use actix_web::HttpMessage;
use actix_web::{HttpRequest, http::header};
use std::sync::LazyLock;
use std::time::Duration;

/// Header a device app uses to name itself; it reaches modules as
/// [`Principal::device_id`].
pub const DEVICE_HEADER: &str = "x-device-id";

/// Failed bearer attempts per client address: twenty at once, then thirty a minute.
static BEARER_FAILURES: LazyLock<FailureThrottle> = LazyLock::new(|| FailureThrottle::new(20, 30));

fn too_many_failures(wait: Duration) -> ApiError {
    let seconds = retry_after_seconds(wait);
    ApiError::new(
        429,
        "too_many_failed_attempts",
        format!("too many failed sign-ins from this address: try again in {seconds} s"),
    )
    .retry_after(seconds)
}

/// Logs a failed attempt (never the token) and counts it against the client's allowance:
/// beyond it, the answer is 429 instead of the refusal.
fn failed_attempt(client: &str, refusal: ApiError) -> ApiError {
    tracing::warn!(
        client,
        code = refusal.code(),
        "bearer authentication failed"
    );
    match BEARER_FAILURES.failed(client) {
        Some(wait) => too_many_failures(wait),
        None => refusal,
    }
}

/// Resolves the caller from `Authorization: Bearer …` and attaches the device the request
/// names. A missing or malformed header is a 401 before the host is asked. Failed attempts
/// are logged and throttled per client address: an address that fails too often is
/// answered 429 with `Retry-After` for a while, whatever it sends.
pub async fn authenticate<S: HostServices>(
    request: &HttpRequest,
    services: &S,
) -> Result<Principal, ApiError> {
    let client = request
        .peer_addr()
        .map_or_else(|| "unknown".to_owned(), |address| address.ip().to_string());
    if let Some(wait) = BEARER_FAILURES.check(&client) {
        return Err(too_many_failures(wait));
    }
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            401,
            "unauthenticated",
            "this needs a bearer token: send `Authorization: Bearer <token>`",
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|text| text.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            failed_attempt(
                &client,
                ApiError::new(
                    401,
                    "invalid_authorization_header",
                    "the Authorization header must be `Bearer <token>`",
                ),
            )
        })?;
    let mut principal = match services.authenticate(token).await {
        Err(refusal) if refusal.status() == 401 => return Err(failed_attempt(&client, refusal)),
        answer => answer?,
    };
    principal.device_id = match request
        .headers()
        .get(DEVICE_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        Some(device) if !device.trim().is_empty() => ROption::RSome(RString::from(device.trim())),
        _ => ROption::RNone,
    };
    request
        .extensions_mut()
        .insert(super::access_log::CallerOrganisation(
            principal.organisation_id,
        ));
    Ok(principal)
}

/// Refuses a principal without `permission` with a 403 (an empty permission admits
/// everyone).
pub async fn authorize<S: HostServices>(
    services: &S,
    principal: &Principal,
    permission: &str,
) -> Result<(), ApiError> {
    if permission.is_empty() || services.is_permitted(principal, permission).await? {
        return Ok(());
    }
    Err(ApiError::new(
        403,
        "forbidden",
        format!("this needs the permission {permission}"),
    ))
}

/// The request's headers for a module: lower-case names, credentials removed.
pub(crate) fn forwarded_headers(request: &HttpRequest) -> RVec<KeyValue> {
    request
        .headers()
        .iter()
        .filter(|(name, _)| *name != header::AUTHORIZATION && *name != header::COOKIE)
        .filter_map(|(name, value)| {
            value
                .to_str()
                .ok()
                .map(|value| KeyValue::new(name.as_str(), value))
        })
        .collect()
}
