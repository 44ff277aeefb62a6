//! `suite module:list`

use super::{Failure, connect_migrated};
use crate::{config::SuiteConfig, modules::catalog::Catalog};

struct Line {
    name: String,
    version: String,
    status: &'static str,
    migrations: String,
    detail: String,
}

/// Prints every module found in the modules folder and every enabled module missing from
/// it, with its state.
pub async fn run(config: &SuiteConfig) -> Result<(), Failure> {
    let db = connect_migrated(config).await?;
    let catalog = Catalog::load(&config.modules.path, &db).await?;
    let mut lines = Vec::new();
    for folder in &catalog.folders {
        let name = match &folder.manifest {
            Ok(manifest) => manifest.name.clone(),
            Err(error) => {
                lines.push(Line {
                    name: folder.folder_name.clone(),
                    version: "-".into(),
                    status: "failed",
                    migrations: "-".into(),
                    detail: error.to_string(),
                });
                continue;
            }
        };
        let enabled = catalog.row(&name).is_some_and(|row| row.is_enabled());
        let library = match catalog.open(&name) {
            Ok(library) => library,
            Err(error) => {
                lines.push(Line {
                    version: folder
                        .manifest
                        .as_ref()
                        .map(|m| m.version.clone())
                        .unwrap_or_default(),
                    name,
                    status: "failed",
                    migrations: "-".into(),
                    detail: error.to_string(),
                });
                continue;
            }
        };
        let mut line = Line {
            name: name.clone(),
            version: library.toml.version.clone(),
            status: if enabled { "enabled" } else { "disabled" },
            migrations: "-".into(),
            detail: library.toml.description.clone(),
        };
        // A disabled module's tables stay, so its migration state still matters (before a
        // rollback, say); a module never enabled has nothing in the database.
        if catalog.row(&name).is_some() {
            let status = crate::modules::migration_status(config, &library).await;
            match status {
                Ok(migrations) => {
                    let pending = migrations.iter().filter(|m| !m.applied).count();
                    line.migrations = if pending == 0 {
                        format!("migrated ({})", migrations.len())
                    } else {
                        format!("{pending} pending")
                    };
                }
                Err(error) => {
                    line.status = "failed";
                    line.detail = error.to_string();
                }
            }
        }
        lines.push(line);
    }
    for row in catalog.rows.iter().filter(|row| row.is_enabled()) {
        if !lines.iter().any(|line| line.name == row.name) {
            lines.push(Line {
                name: row.name.clone(),
                version: row.version.clone(),
                status: "failed",
                migrations: "-".into(),
                detail: format!(
                    "enabled, but there is no folder {} in {}",
                    row.name,
                    catalog.modules_dir.display()
                ),
            });
        }
    }
    print_table(&lines, &catalog.modules_dir.display().to_string());
    Ok(())
}

fn print_table(lines: &[Line], modules_dir: &str) {
    if lines.is_empty() {
        println!("No modules installed in {modules_dir}.");
        return;
    }
    let name_width = lines.iter().map(|l| l.name.len()).max().unwrap_or(4).max(4);
    let version_width = lines
        .iter()
        .map(|l| l.version.len())
        .max()
        .unwrap_or(7)
        .max(7);
    println!(
        "{:name_width$}  {:version_width$}  {:8}  {:14}  DETAIL",
        "NAME", "VERSION", "STATUS", "MIGRATIONS"
    );
    for line in lines {
        println!(
            "{:name_width$}  {:version_width$}  {:8}  {:14}  {}",
            line.name, line.version, line.status, line.migrations, line.detail
        );
    }
}
