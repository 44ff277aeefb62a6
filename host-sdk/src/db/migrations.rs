use crate::abi::{MigrationInfo, ModuleError};
use abi_stable::std_types::RString;
use sea_orm::{DatabaseConnection, DbErr};
use sea_orm_migration::{MigrationStatus, MigratorTrait};

fn migration_error(action: &str, error: DbErr) -> ModuleError {
    let text = error.to_string();
    // sea-orm-migration refuses to run when the database holds a migration this build
    // does not ship: the database belongs to a newer version of the module.
    if text.contains("is missing") {
        return ModuleError::internal(
            "migration_downgrade_refused",
            format!(
                "cannot {action}: the database has migrations this module version does not \
                 know ({text}); downgrades are refused, install the newer module again"
            ),
        );
    }
    ModuleError::internal("migration_failed", format!("cannot {action}: {text}"))
}

/// Every migration of `M` and whether the database has it. Reads only: the migration
/// table is not created by asking.
pub async fn migration_status<M: MigratorTrait>(
    db: &DatabaseConnection,
) -> Result<Vec<MigrationInfo>, ModuleError> {
    let migrations = M::get_migration_with_status_read_only(db)
        .await
        .map_err(|error| migration_error("read the migration status", error))?;
    Ok(migrations
        .iter()
        .map(|migration| MigrationInfo {
            name: RString::from(migration.name()),
            applied: migration.status() == MigrationStatus::Applied,
        })
        .collect())
}

/// Applies every pending migration of `M`; answers their names in order.
pub async fn migrate_up<M: MigratorTrait>(
    db: &DatabaseConnection,
) -> Result<Vec<String>, ModuleError> {
    let pending: Vec<String> = M::get_pending_migrations(db)
        .await
        .map_err(|error| migration_error("list pending migrations", error))?
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect();
    M::up(db, None)
        .await
        .map_err(|error| migration_error("apply migrations", error))?;
    Ok(pending)
}

/// Rolls back the last `steps` migrations of `M`; answers their names, newest first.
pub async fn migrate_down<M: MigratorTrait>(
    db: &DatabaseConnection,
    steps: u32,
) -> Result<Vec<String>, ModuleError> {
    let applied: Vec<String> = M::get_applied_migrations(db)
        .await
        .map_err(|error| migration_error("list applied migrations", error))?
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect();
    let reverted: Vec<String> = applied.into_iter().rev().take(steps as usize).collect();
    M::down(db, Some(steps))
        .await
        .map_err(|error| migration_error("roll back migrations", error))?;
    Ok(reverted)
}
