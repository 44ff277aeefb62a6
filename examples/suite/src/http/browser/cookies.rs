//! The cookies the browser pages set: `HttpOnly` always, `Secure` when the request came
//! over TLS, `SameSite=Lax` for the session (links from elsewhere still open a page
//! signed in, but no other site's form posts with it) and `Strict` for the sign-in form's
//! CSRF token.

use crate::auth::browser_session::{LIFETIME_MS, SESSION_COOKIE};
use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration};

/// The cookie that carries the sign-in form's CSRF token (there is no session yet).
pub const SIGN_IN_CSRF_COOKIE: &str = "suite_sign_in_csrf";

fn over_tls(request: &HttpRequest) -> bool {
    request.connection_info().scheme() == "https"
}

/// The session's cookie.
pub fn session(request: &HttpRequest, secret: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, secret)
        .path("/")
        .http_only(true)
        .secure(over_tls(request))
        .same_site(SameSite::Lax)
        .max_age(Duration::milliseconds(LIFETIME_MS))
        .finish()
}

/// Tells the browser to forget the session.
pub fn session_removed(request: &HttpRequest) -> Cookie<'static> {
    let mut cookie = session(request, String::new());
    cookie.make_removal();
    cookie
}

/// The sign-in form's CSRF cookie.
pub fn sign_in_csrf(request: &HttpRequest, token: String) -> Cookie<'static> {
    Cookie::build(SIGN_IN_CSRF_COOKIE, token)
        .path("/sign-in")
        .http_only(true)
        .secure(over_tls(request))
        .same_site(SameSite::Strict)
        .finish()
}
