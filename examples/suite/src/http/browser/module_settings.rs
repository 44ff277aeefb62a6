//! Settings > Modules > {Module}: the form the host makes from any module's JSON Schema.
//! Saving sends only the fields that changed, as a merge patch on what is stored then, so
//! saving one field never resets another (not even one another admin just saved).

use super::schema_form::{self, Field};
use super::shell::{self, ShellView};
use super::{AppState, html, see_other, signed_in};
use crate::auth::browser_session::{self, SignedIn};
use crate::auth::services::principal_of;
use crate::http::settings::{
    SETTINGS_PERMISSION, notify, problems, running_module, saved_settings,
};
use crate::http::settings_patch::apply;
use crate::settings_store;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use host_sdk::abi::Principal;
use host_sdk::host::RunningModule;
use host_sdk::host::http::{ApiError, HostServices};
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "module_settings.html")]
struct SettingsPage<'a> {
    shell: ShellView,
    module: &'a str,
    alias: &'a str,
    version: i64,
    notice: Option<String>,
    problems: Vec<String>,
    fields: Vec<Field>,
}

/// A signed-in user allowed to manage settings, and the module.
struct Admin {
    session: SignedIn,
    principal: Principal,
    module: Arc<RunningModule>,
}

async fn admin(
    request: &HttpRequest,
    state: &AppState,
    alias: &str,
) -> Result<Admin, HttpResponse> {
    let Some(session) = signed_in(request, state).await? else {
        return Err(see_other("/sign-in"));
    };
    let principal = principal_of(&session.user);
    let permitted = state
        .services
        .is_permitted(&principal, SETTINGS_PERMISSION)
        .await
        .map_err(|error| refused(&error))?;
    if !permitted {
        return Err(text(
            StatusCode::FORBIDDEN,
            "This account may not change module settings.",
        ));
    }
    let module = running_module(state, alias).map_err(|error| refused(&error))?;
    Ok(Admin {
        session,
        principal,
        module,
    })
}

fn text(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(message.to_owned())
}

fn refused(error: &ApiError) -> HttpResponse {
    text(
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        &error.to_string(),
    )
}

/// The effective settings now and their version.
async fn current(state: &AppState, admin: &Admin) -> Result<(Value, i64), HttpResponse> {
    let saved = saved_settings(state, admin.principal.organisation_id, &admin.module)
        .await
        .map_err(|error| refused(&error))?;
    let effective = settings_store::effective(&admin.module, saved.as_ref());
    let document = serde_json::from_str(&effective.json).map_err(|error| {
        tracing::error!("effective settings are not JSON: {error}");
        text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The settings cannot be read.",
        )
    })?;
    Ok((document, effective.version))
}

struct Outcome {
    status: StatusCode,
    version: i64,
    notice: Option<String>,
    problems: Vec<String>,
    fields: Vec<Field>,
}

async fn render(state: &AppState, admin: &Admin, outcome: Outcome) -> HttpResponse {
    let path = format!("/settings/modules/{}", admin.module.alias());
    let page = SettingsPage {
        shell: shell::for_session(state, &admin.session, &path).await,
        module: admin.module.name(),
        alias: admin.module.alias(),
        version: outcome.version,
        notice: outcome.notice,
        problems: outcome.problems,
        fields: outcome.fields,
    };
    match page.render() {
        Ok(body) => html(outcome.status, body),
        Err(problem) => {
            tracing::error!("rendering a settings page: {problem}");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// The form with the settings in force.
pub async fn show(
    request: HttpRequest,
    alias: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let admin = match admin(&request, &state, &alias).await {
        Ok(admin) => admin,
        Err(answer) => return answer,
    };
    let (document, version) = match current(&state, &admin).await {
        Ok(current) => current,
        Err(answer) => return answer,
    };
    let fields = schema_form::fields(admin.module.settings.schema(), &document);
    render(
        &state,
        &admin,
        Outcome {
            status: StatusCode::OK,
            version,
            notice: None,
            problems: Vec::new(),
            fields,
        },
    )
    .await
}

/// Checks the form and saves what changed.
pub async fn submit(
    request: HttpRequest,
    alias: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let admin = match admin(&request, &state, &alias).await {
        Ok(admin) => admin,
        Err(answer) => return answer,
    };
    let csrf = form
        .iter()
        .find(|(key, _)| key == "csrf")
        .map(|(_, value)| value.as_str())
        .unwrap_or_default();
    if !browser_session::csrf_matches(&admin.session.csrf_token, csrf) {
        return text(
            StatusCode::FORBIDDEN,
            "This form did not come from your session: reload the page and try again.",
        );
    }
    let (document, version) = match current(&state, &admin).await {
        Ok(current) => current,
        Err(answer) => return answer,
    };
    let schema = admin.module.settings.schema();
    let mut fields = schema_form::fields(schema, &document);
    let Some(values) = schema_form::read(&mut fields, &form) else {
        return render(&state, &admin, invalid(version, Vec::new(), fields)).await;
    };
    // Values the person did not touch but that equal what is stored change nothing either.
    let changed: Map<String, Value> = values
        .into_iter()
        .filter(|(name, value)| document.get(name) != Some(value))
        .collect();
    if changed.is_empty() {
        let fields = schema_form::fields(schema, &document);
        return render(
            &state,
            &admin,
            Outcome {
                status: StatusCode::OK,
                version,
                notice: Some("Nothing changed.".to_owned()),
                problems: Vec::new(),
                fields,
            },
        )
        .await;
    }
    let patch = Value::Object(changed);
    let mut merged = document.clone();
    json_patch::merge(&mut merged, &patch);
    let found = match problems(&admin.module, &admin.module.settings.with_defaults(merged)) {
        Ok(found) => found,
        Err(error) => return refused(&error),
    };
    if !found.is_empty() {
        let pairs: Vec<(String, String)> = found
            .iter()
            .map(|p| (p.path.to_string(), p.message.to_string()))
            .collect();
        let elsewhere = schema_form::place_problems(&mut fields, &pairs);
        return render(&state, &admin, invalid(version, elsewhere, fields)).await;
    }
    match apply(&state, &admin.principal, &admin.module, &patch).await {
        Ok((saved, row)) => {
            let notified = notify(&admin.module, &admin.principal, saved.clone(), &row).await;
            tracing::info!(
                module = admin.module.name(),
                user_id = admin.principal.user_id,
                version = row.version,
                "settings saved from the browser"
            );
            let mut notice = format!("Saved. The configuration is now version {}.", row.version);
            if !notified {
                notice.push_str(" The module was not told yet; it reads them at its next request.");
            }
            render(
                &state,
                &admin,
                Outcome {
                    status: StatusCode::OK,
                    version: row.version,
                    notice: Some(notice),
                    problems: Vec::new(),
                    fields: schema_form::fields(schema, &saved),
                },
            )
            .await
        }
        Err(error) => refused(&error),
    }
}

fn invalid(version: i64, problems: Vec<String>, fields: Vec<Field>) -> Outcome {
    Outcome {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        version,
        notice: Some("Nothing was saved: correct the fields marked below.".to_owned()),
        problems,
        fields,
    }
}
