//! Attendance: derived from offline records and server-side entries. [`derive`] is the
//! rule set itself, a pure function, public for benchmarks and for readers.

pub mod current;
pub mod derive;
#[cfg(test)]
mod derive_tests;
pub mod outcome;
pub mod rederive;
pub mod routes;
pub mod views;
#[cfg(test)]
mod window_tests;
