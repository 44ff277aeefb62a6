use sea_orm::entity::prelude::*;

/// An administrator's decision on a conflict; reversing it keeps the row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_conflict_decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub conflict_id: String,
    pub decision: offline_tracking_protocol::Decision,
    pub corrected_time_ms: Option<i64>,
    pub note: String,
    pub decided_by: i64,
    pub decided_at_ms: i64,
    pub reversed_at_ms: Option<i64>,
    pub reversed_by: Option<i64>,
    pub reverse_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
