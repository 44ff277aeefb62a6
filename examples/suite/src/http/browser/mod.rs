//! What a person opens in a browser: sign-in, sign-out and the signed-in home page.
//! Pages are server-rendered askama templates (checked when the suite compiles).

mod cookies;
pub mod home;
pub mod module_settings;
mod schema_form;
pub mod shell;
pub mod sign_in;
pub mod sign_out;

use super::AppState;
use crate::auth::browser_session::{self, SignedIn};
use actix_web::{HttpRequest, HttpResponse, http::header};

/// The signed-in user of this request, if its session cookie is live.
pub async fn signed_in(
    request: &HttpRequest,
    state: &AppState,
) -> Result<Option<SignedIn>, HttpResponse> {
    let Some(cookie) = request.cookie(browser_session::SESSION_COOKIE) else {
        return Ok(None);
    };
    browser_session::find(&state.db, cookie.value())
        .await
        .map_err(|error| {
            tracing::error!("reading a browser session: {error}");
            HttpResponse::ServiceUnavailable()
                .insert_header((header::RETRY_AFTER, "2"))
                .body("The suite's database did not answer; try again.")
        })
}

/// A redirect a browser follows with GET.
fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// An HTML page.
fn html(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}
