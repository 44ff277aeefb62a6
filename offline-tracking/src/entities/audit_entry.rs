use sea_orm::entity::prelude::*;

/// One audit entry, chained to the previous one of the organisation by its hash.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_audit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub occurred_at_ms: i64,
    pub actor_kind: String,
    pub actor_id: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
