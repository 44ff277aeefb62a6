use sea_orm::entity::prelude::*;

/// An employee's withdrawal or note, sent with the next push.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fa_actions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub record_id: String,
    pub action: String,
    pub note: Option<String>,
    pub created_at_ms: i64,
    /// pending, applied or rejected.
    pub status: String,
    pub code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
