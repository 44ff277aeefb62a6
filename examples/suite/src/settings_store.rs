//! Settings > Modules > {Module}: an organisation's saved settings for a module.

use crate::{db::now_ms, entities::module_setting};
use host_sdk::db::{StoredJson, is_unique_violation};
use host_sdk::{abi::ModuleSettings, host::RunningModule};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait},
};

/// What a module sees: the saved document over the module's current defaults (so a key
/// a newer module version added has its default), or the defaults at version 0.
pub fn effective(module: &RunningModule, saved: Option<&module_setting::Model>) -> ModuleSettings {
    match saved {
        Some(row) => {
            let stored = serde_json::Value::Object(row.settings.0.clone());
            let merged = module.settings.with_defaults(stored);
            ModuleSettings::new(merged.to_string(), row.version)
        }
        None => ModuleSettings::new(module.settings.defaults().to_string(), 0),
    }
}

/// A settings document as its column holds it: always an object (the schema says so).
fn as_stored(
    document: &serde_json::Value,
) -> Result<StoredJson<serde_json::Map<String, serde_json::Value>>, DbErr> {
    match document {
        serde_json::Value::Object(fields) => Ok(StoredJson(fields.clone())),
        other => Err(DbErr::Custom(format!(
            "module settings must be a JSON object, not {other}"
        ))),
    }
}

/// Saves `document` as the organisation's settings and answers the new version. The
/// version is bumped in the database (`version = version + 1`), so two admins saving at
/// once get two versions, never the same one twice.
pub async fn save(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    alias: &str,
    document: &serde_json::Value,
    user_id: i64,
) -> Result<module_setting::Model, DbErr> {
    let now = now_ms();
    for _attempt in 0..3 {
        let updated = module_setting::Entity::update_many()
            .col_expr(
                module_setting::Column::Settings,
                Expr::value(document.to_string()),
            )
            .col_expr(
                module_setting::Column::Version,
                Expr::col(module_setting::Column::Version).add(1),
            )
            .col_expr(module_setting::Column::UpdatedAtMs, Expr::value(now))
            .col_expr(module_setting::Column::UpdatedBy, Expr::value(user_id))
            .filter(module_setting::Column::OrganisationId.eq(organisation_id))
            .filter(module_setting::Column::ModuleAlias.eq(alias))
            .exec(db)
            .await?;
        if updated.rows_affected == 0 {
            let first = module_setting::ActiveModel {
                organisation_id: Set(organisation_id),
                module_alias: Set(alias.to_owned()),
                settings: Set(as_stored(document)?),
                version: Set(1),
                updated_at_ms: Set(now),
                updated_by: Set(user_id),
            };
            match first.insert(db).await {
                Ok(row) => return Ok(row),
                // Another save created the row first: update it on the next attempt.
                Err(error) if is_unique_violation(&error) => continue,
                Err(error) => return Err(error),
            }
        }
        if let Some(row) = module_setting::Entity::find_by_id((organisation_id, alias.to_owned()))
            .one(db)
            .await?
        {
            return Ok(row);
        }
    }
    Err(DbErr::Custom(
        "the settings row kept changing under this save".to_owned(),
    ))
}

/// Saves `document` only if the stored version is still `expected` (0: nothing stored
/// yet); answers None when another save came first, so the caller starts over from what
/// that save stored instead of overwriting it.
pub async fn save_if_unchanged(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    alias: &str,
    document: &serde_json::Value,
    user_id: i64,
    expected: i64,
) -> Result<Option<module_setting::Model>, DbErr> {
    let now = now_ms();
    if expected == 0 {
        let first = module_setting::ActiveModel {
            organisation_id: Set(organisation_id),
            module_alias: Set(alias.to_owned()),
            settings: Set(as_stored(document)?),
            version: Set(1),
            updated_at_ms: Set(now),
            updated_by: Set(user_id),
        };
        return match first.insert(db).await {
            Ok(row) => Ok(Some(row)),
            Err(error) if is_unique_violation(&error) => Ok(None),
            Err(error) => Err(error),
        };
    }
    let updated = module_setting::Entity::update_many()
        .col_expr(
            module_setting::Column::Settings,
            Expr::value(document.to_string()),
        )
        .col_expr(module_setting::Column::Version, Expr::value(expected + 1))
        .col_expr(module_setting::Column::UpdatedAtMs, Expr::value(now))
        .col_expr(module_setting::Column::UpdatedBy, Expr::value(user_id))
        .filter(module_setting::Column::OrganisationId.eq(organisation_id))
        .filter(module_setting::Column::ModuleAlias.eq(alias))
        .filter(module_setting::Column::Version.eq(expected))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(None);
    }
    module_setting::Entity::find_by_id((organisation_id, alias.to_owned()))
        .one(db)
        .await
}
