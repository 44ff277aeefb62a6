//! The suite's own tables, tracked in `suite_migrations` (modules keep their own tables).

mod m20261101_000001_host_tables;
mod m20261122_000002_sign_in;

use sea_orm_migration::{
    MigrationTrait, MigratorTrait, sea_orm::DynIden, sea_query::Alias, sea_query::IntoIden,
};

/// Migrates the host's tables.
pub struct HostMigrator;

impl MigratorTrait for HostMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261101_000001_host_tables::Migration),
            Box::new(m20261122_000002_sign_in::Migration),
        ]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("suite_migrations").into_iden()
    }
}
