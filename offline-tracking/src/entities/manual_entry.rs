use sea_orm::entity::prelude::*;

/// Attendance an administrator entered or corrected on the server.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_manual_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub employee_id: i64,
    pub started_at_ms: i64,
    pub ended_at_ms: Option<i64>,
    pub note: String,
    pub recorded_at_ms: i64,
    pub recorded_by: i64,
    /// active, or corrected (replaced by a newer entry).
    pub status: super::states::EntryStatus,
    pub replaces_id: Option<String>,
    /// An offline record won against it (it is kept, not counted).
    pub superseded: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
