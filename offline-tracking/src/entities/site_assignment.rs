use sea_orm::entity::prelude::*;

/// A site an employee may work at.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_site_assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub employee_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub site_id: String,
    pub assigned_at_ms: i64,
    pub assigned_by: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
