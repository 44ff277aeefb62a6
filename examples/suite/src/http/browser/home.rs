//! `GET /`: the signed-in home page.

use super::{AppState, html, see_other, signed_in};
use crate::http::health::{ModuleReport, module_reports};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    name: &'a str,
    csrf: &'a str,
    administrator: bool,
    modules: Vec<ModuleReport>,
}

/// Home for a signed-in user; the sign-in form for anyone else.
pub async fn show(request: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let session = match signed_in(&request, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return see_other("/sign-in"),
        Err(unavailable) => return unavailable,
    };
    let administrator = session.user.role_list().iter().any(|role| role == "admin");
    let modules = if administrator {
        module_reports(&state.registry).await
    } else {
        Vec::new()
    };
    let page = HomePage {
        name: &session.user.full_name,
        csrf: &session.csrf_token,
        administrator,
        modules,
    };
    match page.render() {
        Ok(body) => html(StatusCode::OK, body),
        Err(problem) => {
            tracing::error!("rendering the home page: {problem}");
            HttpResponse::InternalServerError().finish()
        }
    }
}
