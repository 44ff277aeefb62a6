use sea_orm::entity::prelude::*;

/// A conflict between an offline record and the server's side, as derived.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_conflicts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub employee_id: i64,
    pub conflict_key: String,
    pub conflict_type: offline_tracking_protocol::ConflictType,
    pub record_id: String,
    pub server_kind: Option<super::states::ServerKind>,
    pub server_id: Option<String>,
    pub resolution: offline_tracking_protocol::Resolution,
    /// The policy that settled it (`server_wins`…), kept when the organisation's changes;
    /// none for conflicts no policy settles (duplicates, held records).
    pub policy: Option<offline_tracking_settings::ConflictPolicy>,
    pub dissolved: bool,
    pub detected_at_ms: i64,
    pub updated_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
