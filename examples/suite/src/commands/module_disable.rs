//! `suite module:disable NAME…`

use super::{Failure, connect_migrated};
use crate::{
    config::SuiteConfig, db::now_ms, entities::installed_module::DISABLED,
    modules::catalog::Catalog,
};
use host_sdk::host::LoadError;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set, TransactionTrait};
use std::collections::BTreeSet;

/// Records modules disabled, refusing when an enabled module still requires one. Their
/// tables and data stay; the change takes effect at the next `serve`.
pub async fn run(config: &SuiteConfig, names: &[String]) -> Result<(), Failure> {
    let db = connect_migrated(config).await?;
    let catalog = Catalog::load(&config.modules.path, &db).await?;
    let disabling: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    for name in &disabling {
        if catalog.row(name).is_none() {
            problems.push(format!("{name}: this module was never enabled"));
            continue;
        }
        let dependents: Vec<String> = catalog
            .enabled_names()
            .into_iter()
            .filter(|other| !disabling.contains(other.as_str()))
            .filter(|other| {
                catalog
                    .manifest(other)
                    .is_ok_and(|manifest| manifest.requires.iter().any(|r| r == name))
            })
            .collect();
        if !dependents.is_empty() {
            problems.push(
                LoadError::RequiredBy {
                    name: (*name).to_owned(),
                    dependents: dependents.join(", "),
                }
                .to_string(),
            );
        }
    }
    if !problems.is_empty() {
        return Err(Failure::many(problems));
    }
    let transaction = db.begin().await?;
    let mut messages = Vec::new();
    for name in &disabling {
        let Some(row) = catalog.row(name) else {
            continue;
        };
        if !row.is_enabled() {
            messages.push(format!("Module {name} is already disabled."));
            continue;
        }
        let mut active = row.clone().into_active_model();
        active.status = Set(DISABLED.to_owned());
        active.updated_at_ms = Set(now_ms());
        active.update(&transaction).await?;
        messages.push(format!(
            "Module {name} disabled; its tables and data are kept. A running suite keeps \
             serving it until it is restarted."
        ));
    }
    transaction.commit().await?;
    for message in messages {
        println!("{message}");
    }
    Ok(())
}
