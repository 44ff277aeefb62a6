//! Leave requests made offline: pending until an administrator approves or rejects them.

pub mod routes;
