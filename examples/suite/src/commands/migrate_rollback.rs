//! `suite module:migrate-rollback NAME [--steps N]`

use super::{Failure, connect_migrated};
use crate::{
    config::SuiteConfig,
    modules::{call_failed, catalog::Catalog, with_started},
};

/// Rolls back one module's last `steps` migrations.
pub async fn run(config: &SuiteConfig, name: &str, steps: u32) -> Result<(), Failure> {
    let db = connect_migrated(config).await?;
    let catalog = Catalog::load(&config.modules.path, &db).await?;
    if catalog.row(name).is_none() {
        return Err(anyhow::anyhow!(
            "{name}: this module was never enabled, so it has nothing to roll back"
        )
        .into());
    }
    let library = catalog.open(name)?;
    println!(
        "Rolling back {name} {} ({steps} step(s))",
        library.toml.version
    );
    let reverted = with_started(config, &library, async |module| {
        module
            .migrate_down(steps)
            .await
            .map_err(call_failed(&library, "rolling back"))
    })
    .await?;
    if reverted.is_empty() {
        println!("  nothing to roll back");
    }
    for migration in reverted {
        println!("  rolled back {migration}");
    }
    Ok(())
}
