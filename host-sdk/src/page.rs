//! HTML pages a module serves inside the suite's shell (routes of [`Scope::Page`]).
//!
//! The contract, the same for every module and every host:
//!
//! * the host admits only a signed-in browser whose user holds the route's permission;
//! * on every `POST` the host checks the form's [`CSRF_FIELD`] against the session before
//!   the module is called, and hands the session's token to the module in
//!   [`CSRF_HEADER`] so its forms can carry it ([`ModuleRequest::csrf_token`]);
//! * an answer made by [`ModuleResponse::page`] is an HTML fragment: the host renders its
//!   layout (navigation, the signed-in user, sign-out) around it, titled by
//!   [`PAGE_TITLE_HEADER`];
//! * [`ModuleResponse::see_other`] sends the browser on after a form post (to a path on
//!   the same suite only);
//! * an error answer (`{"code", "message"}`) is shown to the person as a page with the
//!   message and the same status;
//! * any other answer (an SVG image, a download) passes through untouched.
//!
//! ```
//! use host_sdk::abi::ModuleResponse;
//! let page = ModuleResponse::page(200, "Sites", "<h1>Sites</h1>");
//! assert_eq!(page.header(host_sdk::page::PAGE_TITLE_HEADER), Some("Sites"));
//! let next = ModuleResponse::see_other("/modules/offline-tracking/sites");
//! assert_eq!(next.status, 303);
//! ```
//!
//! [`Scope::Page`]: crate::Scope::Page

use crate::abi::{ModuleRequest, ModuleResponse};
use abi_stable::std_types::RVec;

/// The form field every page form posts its CSRF token in.
pub const CSRF_FIELD: &str = "csrf";

/// The request header in which the host hands a page route the session's CSRF token.
pub const CSRF_HEADER: &str = "x-suite-csrf-token";

/// The answer header naming a page's title, for the shell's `<title>` and heading.
pub const PAGE_TITLE_HEADER: &str = "x-page-title";

/// The content type of a page fragment.
pub const HTML: &str = "text/html; charset=utf-8";

impl ModuleResponse {
    /// A page: an HTML fragment (what goes inside `<main>`) the host wraps in its shell.
    /// The caller escapes what it interpolates; a template engine does that for it.
    pub fn page(status: u16, title: &str, html: impl Into<String>) -> Self {
        Self {
            status,
            headers: RVec::new(),
            body: RVec::from(html.into().into_bytes()),
        }
        .with_header("content-type", HTML)
        .with_header(PAGE_TITLE_HEADER, &title.replace(['\r', '\n'], " "))
    }

    /// `303 See Other` to `location`, a path on this suite (starting with one `/`); the
    /// browser follows it with `GET`. The host refuses any other location.
    pub fn see_other(location: &str) -> Self {
        Self {
            status: 303,
            headers: RVec::new(),
            body: RVec::new(),
        }
        .with_header("location", location)
    }
}

impl ModuleRequest {
    /// The session's CSRF token, for the hidden [`CSRF_FIELD`] of a page's forms (empty
    /// outside page routes).
    pub fn csrf_token(&self) -> &str {
        self.header(CSRF_HEADER).unwrap_or_default()
    }

    /// The fields of an `application/x-www-form-urlencoded` body, percent-decoded, in
    /// order (a repeated name appears once per value).
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body)
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect()
    }

    /// The first value of the form field `name`.
    pub fn form_value(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }
}

/// Whether `location` stays on this suite: a path starting with exactly one `/`, with no
/// backslash or control character a browser could read as another origin.
///
/// ```
/// use host_sdk::page::is_local_path;
/// assert!(is_local_path("/modules/offline-tracking/sites?saved=1"));
/// assert!(!is_local_path("//evil.example/"));
/// assert!(!is_local_path("https://evil.example/"));
/// assert!(!is_local_path("/\\evil.example"));
/// ```
pub fn is_local_path(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.chars().any(|c| c == '\\' || c.is_control())
}
