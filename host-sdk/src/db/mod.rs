//! Database helpers shared by the host and by modules built on sea-orm (feature `sea-orm`).
//!
//! One policy for every pool in the process lives here, because the host and each module
//! open their own pool on the same database.

mod connect;
mod error_kind;
mod migrations;
mod stored_json;
mod write_transaction;

pub use connect::{Backend, connect};
pub use error_kind::{is_transient, is_unique_violation};
pub use migrations::{migrate_down, migrate_up, migration_status};
pub use stored_json::StoredJson;
pub use write_transaction::begin_write;

/// Identifies the SQLite library this code calls: the address of its `sqlite3_libversion`.
/// Equal in two libraries of one process exactly when they share one SQLite.
pub fn sqlite_library() -> u64 {
    libsqlite3_sys::sqlite3_libversion as *const () as usize as u64
}
