//! `suite migrate:status`

use super::{Failure, connect_migrated};
use crate::{config::SuiteConfig, host_migrations::HostMigrator, modules::catalog::Catalog};
use sea_orm_migration::{MigrationStatus, MigratorTrait};

/// Prints the applied and pending migrations of the suite and of each enabled module.
pub async fn run(config: &SuiteConfig) -> Result<(), Failure> {
    let db = crate::db::connect(config).await?;
    println!("suite (host tables)");
    for migration in HostMigrator::get_migration_with_status_read_only(&db).await? {
        let state = match migration.status() {
            MigrationStatus::Applied => "applied",
            MigrationStatus::Pending => "pending",
        };
        println!("  [{state}] {}", migration.name());
    }
    // Module state lives in the host's tables: nothing more to show before they exist.
    drop(db);
    let db = connect_migrated(config).await?;
    let catalog = Catalog::load(&config.modules.path, &db).await?;
    let mut problems = Vec::new();
    for name in catalog.enabled_names() {
        let library = match catalog.open(&name) {
            Ok(library) => library,
            Err(error) => {
                println!("{name}");
                println!("  cannot be opened: {error}");
                problems.push(error.to_string());
                continue;
            }
        };
        println!("{name} {}", library.toml.version);
        let status = crate::modules::migration_status(config, &library).await;
        match status {
            Ok(migrations) if migrations.is_empty() => println!("  (no migrations)"),
            Ok(migrations) => {
                for migration in migrations {
                    let state = if migration.applied {
                        "applied"
                    } else {
                        "pending"
                    };
                    println!("  [{state}] {}", migration.name);
                }
            }
            Err(error) => {
                println!("  cannot read its status: {error}");
                problems.push(error.to_string());
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::many(problems))
    }
}
