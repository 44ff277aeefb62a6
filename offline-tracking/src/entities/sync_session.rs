use sea_orm::entity::prelude::*;

/// One push, successful or not.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_sync_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub employee_id: Option<i64>,
    pub device_id: Option<String>,
    pub started_at_ms: i64,
    pub finished_at_ms: i64,
    /// succeeded or failed.
    pub outcome: super::states::SyncOutcome,
    pub error_code: Option<String>,
    pub records_received: i32,
    pub accepted: i32,
    pub duplicates: i32,
    pub conflicts: i32,
    pub rejected: i32,
    pub retry_later: i32,
    /// Records sent again after they had their answer (their outcome is counted once, in
    /// the session that first answered them).
    pub resent: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
