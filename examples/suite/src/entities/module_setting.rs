use sea_orm::entity::prelude::*;

/// An organisation's saved settings for one module (Settings > Modules > …).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "module_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub module_alias: String,
    /// The settings document as JSON text, defaults filled in.
    pub settings: host_sdk::db::StoredJson<serde_json::Map<String, serde_json::Value>>,
    /// Increases by one at every save.
    pub version: i64,
    pub updated_at_ms: i64,
    pub updated_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
