//! `suite module:enable NAME…`

use super::{Failure, migrate::migrate_host};
use crate::{
    config::SuiteConfig,
    db::now_ms,
    entities::installed_module::{self, ENABLED},
    modules::catalog::Catalog,
};
use host_sdk::host::{LoadError, LoadedLibrary};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set, TransactionTrait};
use std::collections::BTreeSet;

/// Dry-loads each module (manifest, ABI, version, requirements) and records them enabled,
/// all or none. On a fresh installation it first creates the suite's own tables (where
/// enabled modules are recorded), so the documented order, enable then migrate, works.
pub async fn run(config: &SuiteConfig, names: &[String]) -> Result<(), Failure> {
    let db = crate::db::connect(config).await?;
    if crate::db::require_host_schema(&db).await.is_err() {
        println!("The suite's own tables are missing or out of date; creating them first.");
        migrate_host(&db).await?;
    }
    let catalog = Catalog::load(&config.modules.path, &db).await?;
    let mut problems = Vec::new();
    let mut ready: Vec<LoadedLibrary> = Vec::new();
    let unique: BTreeSet<&String> = names.iter().collect();
    for name in unique {
        match catalog.open(name) {
            Ok(library) => ready.push(library),
            Err(error) => problems.push(error.to_string()),
        }
    }
    let mut enabled_after: BTreeSet<String> = catalog.enabled_names().into_iter().collect();
    enabled_after.extend(ready.iter().map(|library| library.toml.name.clone()));
    for library in &ready {
        for requirement in &library.toml.requires {
            if !enabled_after.contains(requirement) {
                problems.push(
                    LoadError::MissingRequirement {
                        name: library.toml.name.clone(),
                        missing: requirement.clone(),
                    }
                    .to_string(),
                );
            }
        }
        if let Some(other) = catalog
            .rows
            .iter()
            .find(|row| row.alias == library.toml.alias && row.name != library.toml.name)
        {
            problems.push(format!(
                "{}: the alias {:?} is already used by {}",
                library.toml.name, library.toml.alias, other.name
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Failure::many(problems));
    }

    let transaction = db.begin().await?;
    let mut messages = Vec::new();
    for library in &ready {
        let toml = &library.toml;
        match catalog.row(&toml.name) {
            Some(row) if row.is_enabled() && row.version == toml.version => {
                messages.push(format!(
                    "Module {} {} is already enabled.",
                    toml.name, toml.version
                ));
            }
            Some(row) => {
                let mut active = row.clone().into_active_model();
                active.status = Set(ENABLED.to_owned());
                active.version = Set(toml.version.clone());
                active.alias = Set(toml.alias.clone());
                active.updated_at_ms = Set(now_ms());
                active.update(&transaction).await?;
                messages.push(format!("Module {} {} enabled.", toml.name, toml.version));
            }
            None => {
                installed_module::Entity::insert(installed_module::ActiveModel {
                    name: Set(toml.name.clone()),
                    alias: Set(toml.alias.clone()),
                    version: Set(toml.version.clone()),
                    status: Set(ENABLED.to_owned()),
                    migrated_version: Set(None),
                    updated_at_ms: Set(now_ms()),
                })
                .exec_without_returning(&transaction)
                .await?;
                messages.push(format!("Module {} {} enabled.", toml.name, toml.version));
            }
        }
    }
    transaction.commit().await?;
    for message in messages {
        println!("{message}");
    }
    println!("Run `suite migrate` to apply their migrations; `suite serve` starts them.");
    Ok(())
}
