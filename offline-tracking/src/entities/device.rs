use sea_orm::entity::prelude::*;

/// A registered device: its key, its credential and whether it may sync.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_devices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub employee_id: i64,
    pub registered_by: i64,
    pub install_id: String,
    pub platform: String,
    pub app_version: String,
    pub public_key: String,
    pub token_hash: String,
    pub status: offline_tracking_protocol::DeviceStatus,
    pub registered_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<i64>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
