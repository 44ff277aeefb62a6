use sea_orm::entity::prelude::*;

/// The device's identity: one row, written at registration.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fa_device")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub device_id: String,
    pub server_url: String,
    pub employee_token: String,
    pub device_token: String,
    /// Hex of the Ed25519 secret (a phone would keep it in its keystore).
    pub secret_key: String,
    pub employee_id: i64,
    pub status: String,
    pub registered_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
