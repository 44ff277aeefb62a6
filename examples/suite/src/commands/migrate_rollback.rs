//! `suite module:migrate-rollback NAME [--steps N] [--force]`

use super::{Failure, connect_migrated};
use crate::{
    config::SuiteConfig,
    modules::{call_failed, catalog::Catalog, with_started},
};
use std::io::{BufRead, IsTerminal, Write};

/// Rolls back one module's last `steps` migrations, after the operator confirmed (typing
/// the module's name at a terminal) or passed `--force`: a migration's `down` may drop
/// tables and every row in them, and the host cannot see which tables those are.
pub async fn run(config: &SuiteConfig, name: &str, steps: u32, force: bool) -> Result<(), Failure> {
    let db = connect_migrated(config).await?;
    let catalog = Catalog::load(&config.modules.path, &db).await?;
    if catalog.row(name).is_none() {
        return Err(anyhow::anyhow!(
            "{name}: this module was never enabled, so it has nothing to roll back"
        )
        .into());
    }
    let library = catalog.open(name)?;
    // A module starts once per process, so the question is asked while it runs.
    let reverted = with_started(config, &library, async |module| {
        let applied: Vec<String> = module
            .migration_status()
            .await
            .map_err(call_failed(&library, "reading its migration status"))?
            .into_iter()
            .filter(|migration| migration.applied)
            .map(|migration| migration.name.into_string())
            .collect();
        let reverting: Vec<&String> = applied.iter().rev().take(steps as usize).collect();
        if reverting.is_empty() {
            return Ok(Ok(Vec::new()));
        }
        if !force && let Err(refusal) = confirm(name, &reverting) {
            return Ok(Err(refusal));
        }
        println!(
            "Rolling back {name} {} ({} step(s))",
            library.toml.version,
            reverting.len()
        );
        module
            .migrate_down(steps)
            .await
            .map(Ok)
            .map_err(call_failed(&library, "rolling back"))
    })
    .await??;
    if reverted.is_empty() {
        println!("{name}: nothing to roll back");
    }
    for migration in reverted {
        println!("  rolled back {migration}");
    }
    Ok(())
}

/// Asks at a terminal; refuses outright anywhere else, so a script never blocks on a
/// question nobody reads.
fn confirm(name: &str, reverting: &[&String]) -> Result<(), Failure> {
    let list = reverting
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if !std::io::stdin().is_terminal() {
        return Err(anyhow::anyhow!(
            "{name}: rolling back {list} may drop tables and the data in them; run it at a \
             terminal to confirm, or pass --force"
        )
        .into());
    }
    print!(
        "Rolling back {list} may drop {name}'s tables and every row in them.\n\
         Type {name} to go on: "
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|error| anyhow::anyhow!("cannot read the confirmation: {error}"))?;
    if answer.trim() == name {
        Ok(())
    } else {
        Err(anyhow::anyhow!("{name}: not confirmed; nothing was rolled back").into())
    }
}
