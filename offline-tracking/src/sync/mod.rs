//! Sync: the push and pull of the offline_tracking collection.

pub mod actions;
pub mod geofence_rule;
pub mod health;
pub mod ingest;
pub mod pull;
pub mod push;
pub mod telemetry;
pub mod trusted_time;
pub mod validate;
