use super::{ApiError, HostServices};
use crate::abi::{KeyValue, Principal};
use abi_stable::std_types::{ROption, RString, RVec};
use actix_web::{HttpRequest, http::header};

/// Header a device app uses to name itself; it reaches modules as
/// [`Principal::device_id`].
pub const DEVICE_HEADER: &str = "x-device-id";

/// Resolves the caller from `Authorization: Bearer …` and attaches the device the request
/// names. A missing or malformed header is a 401 before the host is asked.
pub async fn authenticate<S: HostServices>(
    request: &HttpRequest,
    services: &S,
) -> Result<Principal, ApiError> {
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
            ApiError::new(
                401,
                "invalid_authorization_header",
                "the Authorization header must be `Bearer <token>`",
            )
        })?;
    let mut principal = services.authenticate(token).await?;
    principal.device_id = match request
        .headers()
        .get(DEVICE_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        Some(device) if !device.trim().is_empty() => ROption::RSome(RString::from(device.trim())),
        _ => ROption::RNone,
    };
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
