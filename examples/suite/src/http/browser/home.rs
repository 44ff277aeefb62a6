//! `GET /` and `GET /settings/modules`: the signed-in home page, which for an
//! administrator is Settings > Modules (every installed module with its version, status,
//! migrations and health).

use super::shell::{self, ShellView, may_manage_settings};
use super::{AppState, html, see_other, signed_in};
use crate::auth::services::principal_of;
use crate::http::health::{ModuleReport, module_reports};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: ShellView,
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
    let principal = principal_of(&session.user);
    let administrator = may_manage_settings(&state.services, &principal).await;
    let modules = if administrator {
        module_reports(&state.registry).await
    } else {
        Vec::new()
    };
    let page = HomePage {
        shell: shell::for_session(&state, &session, request.path()).await,
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
