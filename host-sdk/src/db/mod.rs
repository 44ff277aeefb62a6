//! Database helpers shared by the host and by modules built on sea-orm (feature `sea-orm`).
//!
//! One policy for every pool in the process lives here, because the host and each module
//! open their own pool on the same database.

mod connect;
mod migrations;
mod write_transaction;

pub use connect::{Backend, connect};
pub use migrations::{migrate_down, migrate_up, migration_status};
pub use write_transaction::begin_write;
