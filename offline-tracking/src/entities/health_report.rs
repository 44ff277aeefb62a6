use sea_orm::entity::prelude::*;

/// A device's health, as reported with a push.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_health_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub device_id: String,
    pub employee_id: i64,
    pub reported_at_ms: i64,
    pub queue_depth: i32,
    pub oldest_pending_ms: Option<i64>,
    pub storage_used_bytes: i64,
    pub app_version: String,
    pub config_version: i64,
    pub failed_attempts: i32,
    pub last_success_at_ms: Option<i64>,
    pub last_recorded_sequence: i64,
    pub network: Option<String>,
    pub clock_offset_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
