//! Conflicts as administrators handle them: list, inspect, decide, reverse.

pub mod routes;
