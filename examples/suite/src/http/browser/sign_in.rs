//! `GET /sign-in` and `POST /sign-in`.

use super::{AppState, cookies, html, see_other, signed_in};
use crate::auth::{browser_session, password};
use crate::{accounts, entities::user};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use host_sdk::throttle::{FailureThrottle, retry_after_seconds};
use serde::Deserialize;
use std::sync::LazyLock;

/// Wrong passwords per client address and per login: five at once, then five a minute.
static ATTEMPTS: LazyLock<FailureThrottle> = LazyLock::new(|| FailureThrottle::new(5, 5));

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    csrf: &'a str,
    email: &'a str,
    error: Option<&'a str>,
}

fn page(
    request: &HttpRequest,
    status: StatusCode,
    email: &str,
    error: Option<&str>,
) -> HttpResponse {
    // A new token for every form shown: the cookie and the hidden field must agree.
    let csrf = host_sdk::tokens::generate("csrf_");
    let rendered = SignInPage {
        csrf: &csrf,
        email,
        error,
    }
    .render();
    match rendered {
        Ok(body) => {
            let mut response = html(status, body);
            let _ = response.add_cookie(&cookies::sign_in_csrf(request, csrf));
            response
        }
        Err(problem) => {
            tracing::error!("rendering the sign-in page: {problem}");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// The form, or home for someone already signed in.
pub async fn show(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match signed_in(&request, &state).await {
        Ok(Some(_)) => see_other("/"),
        Ok(None) => page(&request, StatusCode::OK, "", None),
        Err(unavailable) => unavailable,
    }
}

/// What the form posts.
#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    csrf: String,
}

/// Checks the password and starts a session.
pub async fn submit(
    request: HttpRequest,
    form: web::Form<SignInForm>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let expected = request
        .cookie(cookies::SIGN_IN_CSRF_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .unwrap_or_default();
    if expected.is_empty() || !browser_session::csrf_matches(&expected, &form.csrf) {
        return page(
            &request,
            StatusCode::FORBIDDEN,
            "",
            Some("This form expired. Please sign in again."),
        );
    }
    let email = form.email.trim().to_lowercase();
    let client = request
        .connection_info()
        .realip_remote_addr()
        .unwrap_or("unknown")
        .to_owned();
    let keys = [format!("address {client}"), format!("login {email}")];
    if let Some(wait) = keys.iter().find_map(|key| ATTEMPTS.check(key)) {
        tracing::warn!(target: "sign_in", client, "sign-in throttled");
        let mut response = page(
            &request,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            Some("Too many wrong passwords. Wait a minute and try again."),
        );
        if let Ok(value) = header::HeaderValue::from_str(&retry_after_seconds(wait).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    match check_password(&state, &email, &form.password).await {
        Ok(Some(user)) => match browser_session::start(&state.db, user.id).await {
            Ok(secret) => {
                tracing::info!(target: "sign_in", user_id = user.id, client, "signed in");
                let mut response = see_other("/");
                let _ = response.add_cookie(&cookies::session(&request, secret));
                response
            }
            Err(error) => {
                tracing::error!("starting a browser session: {error}");
                unavailable()
            }
        },
        Ok(None) => {
            for key in &keys {
                ATTEMPTS.failed(key);
            }
            tracing::warn!(target: "sign_in", client, "sign-in refused: wrong e-mail or password");
            page(
                &request,
                StatusCode::UNAUTHORIZED,
                &email,
                Some("The e-mail or the password is wrong."),
            )
        }
        Err(()) => unavailable(),
    }
}

fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header((header::RETRY_AFTER, "2"))
        .body("The suite's database did not answer; try again.")
}

/// The user whose password this is. Hashing runs off the async workers; an unknown login
/// costs the same check as a known one.
pub(crate) async fn check_password(
    state: &AppState,
    email: &str,
    given: &str,
) -> Result<Option<user::Model>, ()> {
    let found = accounts::find_user(&state.db, email)
        .await
        .map_err(|error| {
            tracing::error!("looking up a login: {error}");
        })?;
    let stored = found.as_ref().and_then(|user| user.password_hash.clone());
    let given = given.to_owned();
    let matches = web::block(move || password::verify(stored.as_deref(), &given))
        .await
        .unwrap_or(false);
    Ok(found.filter(|_| matches))
}
