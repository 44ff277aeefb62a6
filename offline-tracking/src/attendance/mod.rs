//! Attendance: derived from offline records and server-side entries.

pub mod derive;
#[cfg(test)]
mod derive_tests;
pub mod outcome;
pub mod rederive;
pub mod routes;
pub mod views;
