use sea_orm::entity::prelude::*;

/// A derived attendance session, with its breaks (JSON).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub employee_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub source: super::states::SessionSource,
    pub started_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    pub start_record_id: Option<String>,
    pub end_record_id: Option<String>,
    pub manual_entry_id: Option<String>,
    pub breaks: host_sdk::db::StoredJson<Vec<StoredBreak>>,
    pub flags: host_sdk::db::StoredJson<Vec<String>>,
    pub updated_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// One break of a session as the row stores it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredBreak {
    /// When it started, if known.
    pub started_at_ms: Option<i64>,
    /// When it ended; `None` while it runs.
    pub ended_at_ms: Option<i64>,
}
