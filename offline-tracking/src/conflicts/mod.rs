//! Conflicts as administrators handle them: list, inspect, decide, reverse, re-settle.

pub mod resettle;
pub mod routes;
