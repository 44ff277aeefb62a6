use sea_orm::entity::prelude::*;

/// An attendance session as the server derived it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fa_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: String,
    pub source: String,
    pub started_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    pub breaks: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
