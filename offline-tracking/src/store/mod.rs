//! Writes many features share: the change log, the audit chain, per-employee locks.

pub mod audit;
pub mod audit_action;
pub mod employee_lock;
pub mod journal;
mod sequence;
