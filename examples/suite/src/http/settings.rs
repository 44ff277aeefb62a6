//! Settings > Modules > {Module}: `GET/PUT /api/settings/modules/{alias}` per organisation.

use super::AppState;
use crate::{entities::module_setting, settings_store};
use actix_web::{HttpRequest, HttpResponse, web};
use host_sdk::{
    abi::{ModuleSettings, SettingsChange, SettingsProblem},
    host::{
        RunningModule,
        http::{ApiError, authenticate, authorize, read_limited},
    },
};
use sea_orm::EntityTrait;
use serde::Serialize;
use std::sync::Arc;

/// The permission that opens Settings > Modules.
pub const SETTINGS_PERMISSION: &str = "suite.settings.manage";
const MAX_SETTINGS_BYTES: usize = 256 * 1024;

/// An organisation's settings of one module, as every settings route answers them.
#[derive(Serialize, schemars::JsonSchema)]
pub struct SettingsView {
    module: String,
    alias: String,
    version: i64,
    settings: serde_json::Value,
    schema: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_at_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_by: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    module_notified: Option<bool>,
}

fn view(module: &RunningModule, saved: Option<&module_setting::Model>) -> SettingsView {
    let effective = settings_store::effective(module, saved);
    SettingsView {
        module: module.name().to_owned(),
        alias: module.alias().to_owned(),
        version: effective.version,
        settings: serde_json::from_str(&effective.json).unwrap_or_default(),
        schema: module.settings.schema().clone(),
        updated_at_ms: saved.map(|row| row.updated_at_ms),
        updated_by: saved.map(|row| row.updated_by),
        module_notified: None,
    }
}

pub(crate) fn running_module(
    state: &AppState,
    alias: &str,
) -> Result<Arc<RunningModule>, ApiError> {
    if let Some(module) = state.registry.running_by_alias(alias) {
        return Ok(Arc::clone(module));
    }
    if let Some(failed) = state
        .registry
        .failed()
        .find(|m| m.alias.as_deref() == Some(alias))
    {
        return Err(ApiError::new(
            503,
            "module_unavailable",
            failed.error.to_string(),
        ));
    }
    Err(ApiError::new(
        404,
        "unknown_module",
        format!("no enabled module has the alias {alias:?}"),
    ))
}

pub(super) fn database_error(error: sea_orm::DbErr) -> ApiError {
    ApiError::internal("the settings could not be stored", error)
}

fn invalid(problems: Vec<SettingsProblem>) -> ApiError {
    let details: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| serde_json::json!({"path": p.path.as_str(), "message": p.message.as_str()}))
        .collect();
    let first = problems
        .first()
        .map(|p| {
            format!(
                "{} ({})",
                p.message,
                if p.path.is_empty() {
                    "/"
                } else {
                    p.path.as_str()
                }
            )
        })
        .unwrap_or_default();
    ApiError::new(
        422,
        "settings_invalid",
        format!("the settings were refused: {first}"),
    )
    .with_details(serde_json::Value::Array(details))
}

/// The caller, allowed to manage settings, and the running module of `alias`.
pub(super) async fn settings_admin(
    request: &HttpRequest,
    state: &AppState,
    alias: &str,
) -> Result<(host_sdk::abi::Principal, Arc<RunningModule>), ApiError> {
    let principal = authenticate(request, state.services.as_ref()).await?;
    authorize(state.services.as_ref(), &principal, SETTINGS_PERMISSION).await?;
    Ok((principal, running_module(state, alias)?))
}

/// The organisation's stored settings row for `module`, if it ever saved one.
pub(crate) async fn saved_settings(
    state: &AppState,
    organisation_id: i64,
    module: &RunningModule,
) -> Result<Option<module_setting::Model>, ApiError> {
    module_setting::Entity::find_by_id((organisation_id, module.alias().to_owned()))
        .one(&state.db)
        .await
        .map_err(database_error)
}

/// Shows the organisation's effective settings, their version and the schema.
pub async fn get(
    request: HttpRequest,
    alias: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (principal, module) = settings_admin(&request, &state, &alias).await?;
    let saved = saved_settings(&state, principal.organisation_id, &module).await?;
    Ok(HttpResponse::Ok().json(view(&module, saved.as_ref())))
}

/// Replaces the organisation's settings: keys left out take their defaults (`PATCH`
/// changes only the keys it names). Validated against the module's schema (422 naming the
/// JSON path of each problem) and the module's own rules, stored with a new version, then
/// the module is told.
pub async fn put(
    request: HttpRequest,
    payload: web::Payload,
    alias: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (principal, module) = settings_admin(&request, &state, &alias).await?;
    let submitted = read_object(&request, payload).await?;
    let document = module.settings.with_defaults(submitted);
    check(&module, &document)?;
    let transaction = host_sdk::db::begin_write(&state.db)
        .await
        .map_err(database_error)?;
    let row = settings_store::save(
        &transaction,
        principal.organisation_id,
        module.alias(),
        &document,
        principal.user_id,
    )
    .await
    .map_err(database_error)?;
    transaction.commit().await.map_err(database_error)?;
    Ok(stored(&module, &principal, document, row).await)
}

/// The request body as a JSON object, or the error a client can act on.
pub(super) async fn read_object(
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<serde_json::Value, ApiError> {
    let body = read_limited(request, payload, MAX_SETTINGS_BYTES).await?;
    let submitted: serde_json::Value = serde_json::from_slice(&body).map_err(|error| {
        ApiError::new(
            400,
            "malformed_json",
            format!("the request body is not valid JSON: {error}"),
        )
    })?;
    if !submitted.is_object() {
        return Err(invalid(vec![SettingsProblem::new(
            "",
            "settings must be a JSON object",
        )]));
    }
    Ok(submitted)
}

/// The schema's problems with a complete settings document, else the module's own.
pub(crate) fn problems(
    module: &RunningModule,
    document: &serde_json::Value,
) -> Result<Vec<SettingsProblem>, ApiError> {
    let problems = module.settings.schema_problems(document);
    if !problems.is_empty() {
        return Ok(problems);
    }
    Ok(module.handle.validate_settings(&document.to_string())?)
}

/// The schema's and the module's own checks of a complete settings document.
pub(super) fn check(module: &RunningModule, document: &serde_json::Value) -> Result<(), ApiError> {
    let problems = problems(module, document)?;
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    Ok(())
}

/// Tells the module of the settings just stored and answers them.
pub(super) async fn stored(
    module: &RunningModule,
    principal: &host_sdk::abi::Principal,
    document: serde_json::Value,
    row: module_setting::Model,
) -> HttpResponse {
    let notified = notify(module, principal, document, &row).await;
    let mut answer = view(module, Some(&row));
    answer.module_notified = Some(notified);
    HttpResponse::Ok().json(answer)
}

/// Tells the module of the settings just stored; answers whether it heard.
pub(crate) async fn notify(
    module: &RunningModule,
    principal: &host_sdk::abi::Principal,
    document: serde_json::Value,
    row: &module_setting::Model,
) -> bool {
    let change = SettingsChange {
        organisation_id: principal.organisation_id,
        changed_by: principal.user_id,
        settings: ModuleSettings::new(document.to_string(), row.version),
    };
    match module.handle.settings_changed(change).await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(
                module = module.name(),
                "the module was not told of new settings: {error}"
            );
            false
        }
    }
}
