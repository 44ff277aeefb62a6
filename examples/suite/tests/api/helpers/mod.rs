//! The test harness: a suite installation in a temporary folder with its own database.

mod database;
mod fixture_build;
mod http;
mod install;

pub use database::TestDatabase;
pub use fixture_build::build_probe_against_sdk;
pub use http::RunningSuite;
pub use install::{Module, SuiteHome, error_lines};
