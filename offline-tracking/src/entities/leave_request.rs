use sea_orm::entity::prelude::*;

/// A leave request made offline, waiting for or carrying a decision.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_leave_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub employee_id: i64,
    pub leave_type: String,
    pub starts_on: String,
    pub ends_on: String,
    pub reason: Option<String>,
    pub status: super::states::LeaveStatus,
    pub decided_by: Option<i64>,
    pub decided_at_ms: Option<i64>,
    pub decision_note: Option<String>,
    pub created_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
