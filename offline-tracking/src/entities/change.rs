use sea_orm::entity::prelude::*;

/// One entry of an organisation's change log, read by pulls in `seq` order.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// None for changes every device of the organisation needs (configuration).
    pub employee_id: Option<i64>,
    pub kind: String,
    pub entity_id: String,
    pub data: host_sdk::db::StoredJson<offline_tracking_protocol::ChangeKind>,
    pub origin_device_id: Option<String>,
    pub created_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
