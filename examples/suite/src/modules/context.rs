use crate::{config::SuiteConfig, telemetry};
use host_sdk::abi::RString;
use host_sdk::{abi::InitContext, host::LoadedLibrary};

/// What a module gets at init: the shared database, its own data folder and the
/// resources the operator allotted.
pub fn init_context(config: &SuiteConfig, library: &LoadedLibrary) -> InitContext {
    let data_dir = config.data_dir.join("modules").join(&library.toml.alias);
    if let Err(error) = std::fs::create_dir_all(&data_dir) {
        tracing::warn!(module = %library.toml.name, "cannot create {}: {error}", data_dir.display());
    }
    InitContext {
        database_url: RString::from(config.database.url.as_str()),
        data_dir: RString::from(data_dir.display().to_string()),
        host_version: RString::from(env!("CARGO_PKG_VERSION")),
        log_level: telemetry::module_log_level(),
        log_sink: host_sdk::host::log_sink(),
        metrics_sink: host_sdk::host::metrics_sink(),
        directory: host_sdk::host::directory_sink(),
        worker_threads: config.modules.worker_threads,
        max_db_connections: config.modules.max_db_connections,
        sqlite_library: host_sdk::db::sqlite_library(),
    }
}
