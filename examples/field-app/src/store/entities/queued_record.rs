use sea_orm::entity::prelude::*;

/// A signed record waiting for the server's acknowledgement.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fa_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub sequence: i64,
    pub kind: String,
    pub payload: String,
    pub signature: String,
    pub size_bytes: i64,
    /// Device wall clock when it was recorded.
    pub recorded_at_ms: i64,
    /// Check-in and check-out: room is always kept for them.
    pub essential: bool,
    /// `pending`, or `sent` once a push carried it without a final answer yet.
    pub state: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
