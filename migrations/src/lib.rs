//! OfflineTracking's migrations. They run on SQLite, PostgreSQL and MySQL/MariaDB, only
//! through `suite migrate`, and are tracked in the module's own table `ot_migrations`.

mod m20261101_000001_create_devices;
mod m20261101_000002_create_sync_tables;
mod m20261122_000003_count_resent_records;
mod m20261122_000004_pin_conflict_policy;
mod m20261122_000005_assign_sites;
mod m20261122_000006_add_foreign_keys;

use sea_orm_migration::{
    MigrationTrait, MigratorTrait,
    sea_orm::DynIden,
    sea_query::{Alias, IntoIden},
};

/// Runs OfflineTracking's migrations.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261101_000001_create_devices::Migration),
            Box::new(m20261101_000002_create_sync_tables::Migration),
            Box::new(m20261122_000003_count_resent_records::Migration),
            Box::new(m20261122_000004_pin_conflict_policy::Migration),
            Box::new(m20261122_000005_assign_sites::Migration),
            Box::new(m20261122_000006_add_foreign_keys::Migration),
        ]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("ot_migrations").into_iden()
    }
}
