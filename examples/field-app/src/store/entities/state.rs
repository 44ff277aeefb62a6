use sea_orm::entity::prelude::*;

/// Sync state: one row, changed only in transactions.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fa_state")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// The next sequence number to give a record (gap-free, never reused).
    pub next_sequence: i64,
    pub anchor_server_ms: Option<i64>,
    pub anchor_monotonic_ms: Option<i64>,
    pub anchor_boot_id: Option<String>,
    /// The hub's opaque pull cursor.
    pub pull_cursor: String,
    pub last_success_at_ms: Option<i64>,
    pub failed_attempts: i32,
    pub last_error: Option<String>,
    pub backoff_until_ms: i64,
    pub config_version: i64,
    /// The organisation's settings as last fetched (JSON).
    pub settings: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
