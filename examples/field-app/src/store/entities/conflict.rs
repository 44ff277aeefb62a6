use sea_orm::entity::prelude::*;

/// A conflict about one of this employee's records, as the server reported it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fa_conflicts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub conflict_id: String,
    pub record_id: String,
    pub conflict_type: String,
    pub resolution: String,
    pub decision: Option<String>,
    pub note: Option<String>,
    pub dissolved: bool,
    pub updated_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
