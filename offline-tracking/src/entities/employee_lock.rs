use sea_orm::entity::prelude::*;

/// One row per employee, locked while their records are processed.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_employee_locks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub employee_id: i64,
    pub touched_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
