//! `suite migrate`

use super::Failure;
use crate::{
    auth::grants,
    config::SuiteConfig,
    db::{self, now_ms},
    entities::installed_module,
    host_migrations::HostMigrator,
    modules::{call_failed, catalog::Catalog, with_started},
};
use host_sdk::host::{LoadError, LoadedLibrary, dependency_order};
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel, Set};
use sea_orm_migration::MigratorTrait;
use std::{
    collections::BTreeSet,
    time::{Duration, Instant},
};

/// How often a long migration reports that it is still running.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// Migrates the suite's tables first, then every enabled module in dependency order,
/// printing what it applies. A module that fails does not stop the others, unless they
/// require it; the command then exits non-zero.
pub async fn run(config: &SuiteConfig) -> Result<(), Failure> {
    let db = db::connect(config).await?;
    migrate_host(&db).await?;

    let catalog = Catalog::load(&config.modules.path, &db).await?;
    let (opened, failed) = catalog.open_enabled();
    let mut problems: Vec<String> = failed.iter().map(|m| m.error.to_string()).collect();
    let mut unavailable: BTreeSet<String> = failed.into_iter().map(|m| m.name).collect();
    let order = dependency_order(&opened.iter().map(|l| l.toml.clone()).collect::<Vec<_>>())?;
    for index in order {
        let library = &opened[index];
        let name = library.toml.name.clone();
        if let Some(requirement) = library
            .toml
            .requires
            .iter()
            .find(|r| unavailable.contains(*r))
        {
            problems.push(
                LoadError::RequirementFailed {
                    name: name.clone(),
                    requirement: requirement.clone(),
                }
                .to_string(),
            );
            unavailable.insert(name);
            continue;
        }
        println!("Migrating {name} {}", library.toml.version);
        match migrate_module(config, &db, library, catalog.row(&name)).await {
            Ok(()) => {}
            Err(error) => {
                problems.push(error.to_string());
                unavailable.insert(name);
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::many(problems))
    }
}

/// Applies the suite's own pending migrations one at a time, one line each.
pub(crate) async fn migrate_host(db: &DatabaseConnection) -> Result<(), Failure> {
    println!("Migrating the suite's tables");
    let pending: Vec<String> = HostMigrator::get_pending_migrations(db)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    if pending.is_empty() {
        println!("  nothing to migrate");
    }
    for name in pending {
        let started = Instant::now();
        with_progress(&name, HostMigrator::up(db, Some(1))).await?;
        println!("  applied {name}{}", took(started));
    }
    Ok(())
}

/// How long a step took, when long enough to be worth saying.
fn took(started: Instant) -> String {
    let elapsed = started.elapsed();
    if elapsed < Duration::from_secs(1) {
        String::new()
    } else {
        format!(" ({:.1} s)", elapsed.as_secs_f64())
    }
}

/// Runs `work`, saying every few seconds that `what` is still being applied, so a long
/// migration does not look like a hung one.
async fn with_progress<T>(what: &str, work: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let mut ticks =
        tokio::time::interval_at(tokio::time::Instant::now() + PROGRESS_EVERY, PROGRESS_EVERY);
    tokio::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => return done,
            _ = ticks.tick() => {
                println!("  still applying {what} ({} s)…", started.elapsed().as_secs());
            }
        }
    }
}

async fn migrate_module(
    config: &SuiteConfig,
    db: &DatabaseConnection,
    library: &LoadedLibrary,
    row: Option<&installed_module::Model>,
) -> Result<(), LoadError> {
    let started = Instant::now();
    let label = format!("{}'s migrations", library.toml.name);
    let applied = with_progress(
        &label,
        with_started(config, library, async |module| {
            module
                .migrate_up()
                .await
                .map_err(call_failed(library, "migrating"))
        }),
    )
    .await?;
    if applied.is_empty() {
        println!("  nothing to migrate");
    }
    for name in &applied {
        println!("  applied {name}");
    }
    if !applied.is_empty() && started.elapsed() >= Duration::from_secs(1) {
        println!("  done in {:.1} s", started.elapsed().as_secs_f64());
    }
    let record_failed = |error: sea_orm::DbErr| LoadError::ModuleCall {
        name: library.toml.name.clone(),
        action: "recording the migration",
        error: host_sdk::abi::ModuleError::internal("database_error", error.to_string()),
    };
    let Some(row) = row else { return Ok(()) };
    let first_time_at_this_version = row.migrated_version.as_deref() != Some(&library.toml.version);
    if first_time_at_this_version {
        // Default grants are given once per version, so an operator's later changes stay.
        let granted = grants::grant_defaults(db, &library.manifest.permissions)
            .await
            .map_err(record_failed)?;
        if granted > 0 {
            println!("  granted {granted} default permission(s)");
        }
    }
    let mut active = row.clone().into_active_model();
    active.migrated_version = Set(Some(library.toml.version.clone()));
    active.version = Set(library.toml.version.clone());
    active.updated_at_ms = Set(now_ms());
    active.update(db).await.map_err(record_failed)?;
    Ok(())
}
