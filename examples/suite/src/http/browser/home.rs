//! `GET /`: the signed-in home page.

use super::{AppState, html, see_other, signed_in};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use host_sdk::host::ModuleStatus;

/// One row of Settings > Modules.
struct ModuleRow {
    name: String,
    /// Empty for a module that did not start: it has no settings page.
    alias: String,
    version: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    name: &'a str,
    csrf: &'a str,
    administrator: bool,
    modules: Vec<ModuleRow>,
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
        state
            .registry
            .modules()
            .iter()
            .map(|module| match &module.status {
                ModuleStatus::Running(running) => ModuleRow {
                    name: module.name.clone(),
                    alias: running.alias().to_owned(),
                    version: running.version().to_owned(),
                    status: "running",
                },
                ModuleStatus::Failed(_) => ModuleRow {
                    name: module.name.clone(),
                    alias: String::new(),
                    version: String::new(),
                    status: "failed to start",
                },
            })
            .collect()
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
