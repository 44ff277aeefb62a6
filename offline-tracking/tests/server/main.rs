//! OfflineTracking end to end: the real suite, the real module library, real HTTP, a
//! fresh database per test (SQLite, or TEST_DATABASE_URL's server).

mod admin_views;
mod audit_trail;
mod bad_text;
mod brute_force;
mod conflicts;
mod corrupt_rows;
mod directory;
mod exactly_once;
mod foreign_keys;
mod geofence;
mod hostile_numbers;
mod policy_change;
mod pull;
mod pull_plan;
mod push_fuzzing;
mod refusals;
mod stored_views;
mod support;
mod sync_status;
mod trusted_time;
mod two_nodes;
mod watching;
mod web_app_files;
mod week;
mod window;
