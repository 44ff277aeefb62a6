//! Attendance: derived from offline records and server-side entries.

pub mod derive;
#[cfg(test)]
mod derive_tests;
