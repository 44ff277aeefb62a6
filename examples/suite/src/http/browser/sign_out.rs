//! `POST /sign-out`

use super::{AppState, cookies, see_other, signed_in};
use crate::auth::browser_session;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

/// What the sign-out button posts.
#[derive(Deserialize)]
pub struct SignOutForm {
    csrf: String,
}

/// Ends the session, if the form came from one of its pages.
pub async fn submit(
    request: HttpRequest,
    form: web::Form<SignOutForm>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let session = match signed_in(&request, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return see_other("/sign-in"),
        Err(unavailable) => return unavailable,
    };
    if !browser_session::csrf_matches(&session.csrf_token, &form.csrf) {
        return HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body("This form did not come from your session: reload the page and try again.");
    }
    if let Err(error) = browser_session::sign_out(&state.db, &session).await {
        tracing::error!("ending a browser session: {error}");
        return HttpResponse::ServiceUnavailable().finish();
    }
    tracing::info!(target: "sign_in", user_id = session.user.id, "signed out");
    let mut response = see_other("/sign-in");
    let _ = response.add_cookie(&cookies::session_removed(&request));
    response
}
