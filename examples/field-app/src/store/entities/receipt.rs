use sea_orm::entity::prelude::*;

/// What stays of a record the server acknowledged: its outcome.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fa_receipts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub record_id: String,
    pub sequence: i64,
    pub kind: String,
    pub recorded_at_ms: i64,
    pub status: String,
    pub code: Option<String>,
    pub message: Option<String>,
    pub conflict_id: Option<String>,
    pub conflict_type: Option<String>,
    pub resolution: Option<String>,
    pub applied: bool,
    pub trusted_time_ms: Option<i64>,
    pub acknowledged_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
