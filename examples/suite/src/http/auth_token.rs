//! `POST /api/auth/token`: an app signs in with a login and a password and gets a bearer
//! token, so no one needs the server's command line to use the JSON API.

use super::AppState;
use super::browser::sign_in::check_password;
use crate::accounts;
use actix_web::{HttpRequest, HttpResponse, web};
use host_sdk::host::http::{ApiError, read_limited};
use host_sdk::throttle::{FailureThrottle, retry_after_seconds};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Wrong passwords per client address and per login: five at once, then five a minute.
static ATTEMPTS: LazyLock<FailureThrottle> = LazyLock::new(|| FailureThrottle::new(5, 5));

const MAX_BODY_BYTES: usize = 4096;

/// What an app sends.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The user's e-mail.
    login: String,
    /// Their password.
    password: String,
    /// What the token is for, shown in token listings (default `app`).
    #[serde(default)]
    label: Option<String>,
}

/// What it gets back.
#[derive(Serialize, schemars::JsonSchema)]
pub struct TokenAnswer {
    /// The bearer token, shown once.
    token: String,
    /// The user it signs in.
    user_id: i64,
    /// Their organisation.
    organisation_id: i64,
    /// Their employee record, if they record attendance.
    employee_id: Option<i64>,
    /// Their roles.
    roles: Vec<String>,
}

/// Checks the password and issues a token.
pub async fn issue(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body = read_limited(&request, payload, MAX_BODY_BYTES).await?;
    let asked: TokenRequest = serde_json::from_slice(&body).map_err(|error| {
        ApiError::new(
            422,
            "invalid_request",
            format!("send {{\"login\", \"password\"}}: {error}"),
        )
    })?;
    let label = asked.label.as_deref().map(str::trim).unwrap_or("app");
    if label.is_empty() || label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(ApiError::new(
            422,
            "invalid_label",
            "label has 1 to 100 characters, without control characters",
        ));
    }
    let login = asked.login.trim().to_lowercase();
    let client = request
        .connection_info()
        .realip_remote_addr()
        .unwrap_or("unknown")
        .to_owned();
    let keys = [format!("address {client}"), format!("login {login}")];
    if let Some(wait) = keys.iter().find_map(|key| ATTEMPTS.check(key)) {
        tracing::warn!(target: "sign_in", client, "token request throttled");
        return Err(ApiError::new(
            429,
            "too_many_attempts",
            "too many wrong passwords: wait and try again",
        )
        .retry_after(retry_after_seconds(wait)));
    }
    let user = check_password(&state, &login, &asked.password)
        .await
        .map_err(|()| ApiError::new(503, "database_unavailable", "try again"))?;
    let Some(user) = user else {
        for key in &keys {
            ATTEMPTS.failed(key);
        }
        tracing::warn!(target: "sign_in", client, "token request refused: wrong login or password");
        return Err(ApiError::new(
            401,
            "invalid_credentials",
            "the login or the password is wrong",
        ));
    };
    let token = accounts::issue_token(&state.db, user.id, label)
        .await
        .map_err(|error| ApiError::internal("issuing a token", error))?;
    tracing::info!(target: "sign_in", user_id = user.id, client, "token issued");
    Ok(HttpResponse::Created().json(TokenAnswer {
        token,
        user_id: user.id,
        organisation_id: user.organisation_id,
        employee_id: user.employee_id,
        roles: user.role_list(),
    }))
}
