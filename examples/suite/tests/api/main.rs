//! End-to-end tests of the suite: the real `suite` binary, real module libraries loaded
//! through the real loader, over real HTTP, on a fresh database per test (SQLite, or the
//! server named by TEST_DATABASE_URL).

mod abi_compatibility;
mod access_log;
mod auth;
mod browser_module_pages;
mod browser_settings;
mod browser_sign_in;
mod error_kinds;
mod https;
mod lifecycle;
mod migrations;
mod readme_steps;
mod serving;
mod settings;
mod sign_in;
mod sync_hub;

/// The shared harness, under the name the test files use.
mod helpers {
    pub use suite_harness::*;
}
