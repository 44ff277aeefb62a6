use sea_orm::entity::prelude::*;

/// A module the operator enabled (or enabled once and disabled since).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "installed_modules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub alias: String,
    /// The library version seen at the last enable or migrate.
    pub version: String,
    /// `enabled` or `disabled`.
    pub status: String,
    /// The version whose migrations last ran: older libraries are refused.
    pub migrated_version: Option<String>,
    pub updated_at_ms: i64,
}

/// `status` of an enabled module.
pub const ENABLED: &str = "enabled";
/// `status` of a disabled module.
pub const DISABLED: &str = "disabled";

impl Model {
    /// Whether the module is enabled.
    pub fn is_enabled(&self) -> bool {
        self.status == ENABLED
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
