//! `PATCH /api/settings/modules/{alias}`: changes only the keys the body names, as a JSON
//! Merge Patch (RFC 7396) on the organisation's effective settings. A key set to `null`
//! returns to its default.

use super::AppState;
use super::settings::{check, database_error, read_object, saved_settings, settings_admin, stored};
use crate::{entities::module_setting, settings_store};
use actix_web::{HttpRequest, HttpResponse, web};
use host_sdk::host::RunningModule;
use host_sdk::host::http::ApiError;

/// Saves made by others between our read and our write: start over this many times.
const ATTEMPTS: usize = 8;

/// Applies the patch to what is stored now; if another save lands first, applies it again
/// on top of that save, so neither change is lost.
pub async fn patch(
    request: HttpRequest,
    payload: web::Payload,
    alias: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (principal, module) = settings_admin(&request, &state, &alias).await?;
    let patch = read_object(&request, payload).await?;
    let (document, row) = apply(&state, &principal, &module, &patch).await?;
    Ok(stored(&module, &principal, document, row).await)
}

/// Merges `patch` into what is stored now and saves it; if another save lands first,
/// merges again on top of that save, so neither change is lost. Answers the saved
/// document and row (the module is not told yet).
pub(crate) async fn apply(
    state: &AppState,
    principal: &host_sdk::abi::Principal,
    module: &RunningModule,
    patch: &serde_json::Value,
) -> Result<(serde_json::Value, module_setting::Model), ApiError> {
    for _ in 0..ATTEMPTS {
        let saved = saved_settings(state, principal.organisation_id, module).await?;
        let effective = settings_store::effective(module, saved.as_ref());
        let mut document: serde_json::Value =
            serde_json::from_str(&effective.json).unwrap_or_default();
        json_patch::merge(&mut document, patch);
        // A key the patch removed takes its default again.
        let document = module.settings.with_defaults(document);
        check(module, &document)?;
        let row = settings_store::save_if_unchanged(
            &state.db,
            principal.organisation_id,
            module.alias(),
            &document,
            principal.user_id,
            effective.version,
        )
        .await
        .map_err(database_error)?;
        if let Some(row) = row {
            return Ok((document, row));
        }
    }
    Err(ApiError::new(
        409,
        "settings_busy",
        "the settings kept changing while this change was applied: send it again",
    ))
}
