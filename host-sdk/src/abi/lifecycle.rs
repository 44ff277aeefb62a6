use super::{DirectorySink, LogLevel, LogSink, MetricsSink};
use abi_stable::{StableAbi, std_types::RString};

/// What the host hands a module when it starts it.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct InitContext {
    /// The suite's database; the module opens its own pool on it.
    pub database_url: RString,
    /// A folder the module may write files to (its own subfolder of the suite's data folder).
    pub data_dir: RString,
    /// The suite's version, for logs and diagnostics.
    pub host_version: RString,
    /// The most verbose level the host will print; the module filters at the source.
    pub log_level: LogLevel,
    /// Where the module's log events go.
    pub log_sink: LogSink,
    /// Where the module's metric updates go.
    pub metrics_sink: MetricsSink,
    /// The host's directory of people: names, and who belongs to an organisation.
    pub directory: DirectorySink,
    /// Worker threads for the module's own async runtime.
    pub worker_threads: u32,
    /// Upper bound for the module's database pool.
    pub max_db_connections: u32,
    /// Which SQLite library the host runs (the address of its `sqlite3_libversion`), or 0.
    /// A module that opens the SQLite database must run the very same library: two copies
    /// in one process each ignore the other's file locks and corrupt the file.
    pub sqlite_library: u64,
}

/// One migration of a module and whether the database has it.
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct MigrationInfo {
    /// The migration's name, such as `m20261101_000001_create_devices`.
    pub name: RString,
    /// Whether it is applied.
    pub applied: bool,
}

/// A module's own view of its health, shown on `/health`.
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct ModuleHealth {
    /// Whether the module can serve requests.
    pub healthy: bool,
    /// A short explanation, empty when all is well.
    pub detail: RString,
}
