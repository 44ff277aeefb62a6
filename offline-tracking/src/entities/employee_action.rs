use sea_orm::entity::prelude::*;

/// An employee's withdrawal of, or note on, their own record, applied once.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_employee_actions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub employee_id: i64,
    pub device_id: String,
    pub record_id: String,
    pub action: offline_tracking_protocol::ConflictAction,
    pub note: Option<String>,
    pub received_at_ms: i64,
    pub result: host_sdk::db::StoredJson<offline_tracking_protocol::ActionOutcome>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
