//! The suite's view of its modules: what is installed in the modules folder, what the
//! database says is enabled, and how each is opened and started.

pub mod catalog;
pub mod context;
pub mod version_guard;

use crate::config::SuiteConfig;
use host_sdk::host::{LoadError, LoadedLibrary, ModuleHandle};

/// Starts `library`, runs `work` against it, and drains it again: how the one-shot
/// commands (migrate, status, list) talk to a module.
pub async fn with_started<T>(
    config: &SuiteConfig,
    library: &LoadedLibrary,
    work: impl AsyncFnOnce(&ModuleHandle) -> Result<T, LoadError>,
) -> Result<T, LoadError> {
    let handle = library.handle;
    handle
        .init(context::init_context(config, library))
        .await
        .map_err(|error| LoadError::ModuleCall {
            name: library.toml.name.clone(),
            action: "init",
            error,
        })?;
    let result = work(&handle).await;
    if let Err(error) = handle.shutdown().await {
        tracing::warn!(module = %library.toml.name, "shutdown failed: {error}");
    }
    result
}

/// Maps a failed module call to the operator line.
pub fn call_failed(
    library: &LoadedLibrary,
    action: &'static str,
) -> impl FnOnce(host_sdk::abi::ModuleError) -> LoadError {
    let name = library.toml.name.clone();
    move |error| LoadError::ModuleCall {
        name,
        action,
        error,
    }
}

/// Starts `library` just long enough to read its migrations and whether each is applied.
pub async fn migration_status(
    config: &SuiteConfig,
    library: &LoadedLibrary,
) -> Result<Vec<host_sdk::abi::MigrationInfo>, LoadError> {
    with_started(config, library, async |module| {
        module
            .migration_status()
            .await
            .map_err(call_failed(library, "reading its migration status"))
    })
    .await
}
