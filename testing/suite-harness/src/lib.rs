//! Test support for end-to-end tests: a suite installation in a temporary folder with a
//! database of its own (SQLite, or a fresh database on the server named by
//! `TEST_DATABASE_URL`, dropped afterwards), the real `suite` binary and the real module
//! libraries of this build, served over real HTTP.
//!
//! The binaries and libraries must be built first (`cargo build --workspace`, which
//! `scripts/test` runs); the harness finds them beside the running test binary.

mod browser;
mod database;
mod fixture_build;
mod http;
mod install;

pub use browser::Browser;
pub use database::TestDatabase;
pub use fixture_build::build_probe_against_sdk;
pub use http::{Reply, RunningSuite};
pub use install::{
    DemoPeople, Module, SuiteHome, build_dir, error_lines, free_port, workspace_root,
};
