//! OfflineTracking's settings per organisation (Settings > Modules > Offline Tracking).
//!
//! The types are the source of truth: the JSON Schema the suite validates against is
//! generated from them ([`schema`]), and the committed copy
//! (`offline-tracking-settings.schema.json`) is checked against the types by a test.
//! Rules JSON Schema cannot express live in [`OfflineTrackingSettings::problems`].

mod conflict_policy;
mod geofence_rules;
mod settings;
mod time_zone;

pub use conflict_policy::ConflictPolicy;
pub use geofence_rules::{GeofenceCheck, GeofenceOutcome};
pub use settings::{OfflineTrackingSettings, SettingsProblem};
pub use time_zone::DEFAULT_TIME_ZONE;

/// The committed schema file's name, beside this crate's `Cargo.toml`.
pub const SCHEMA_FILE: &str = "offline-tracking-settings.schema.json";

/// The JSON Schema of [`OfflineTrackingSettings`], generated from the types.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(OfflineTrackingSettings))
        .unwrap_or(serde_json::Value::Null)
}

/// The schema as the committed file holds it (pretty-printed, trailing newline).
pub fn schema_file_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schema_matches_the_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_FILE);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == schema_file_text(),
            "{} is out of date with the settings types: run `cargo run -p offline-tracking-settings --bin write-settings-schema` and commit the result",
            path.display()
        );
    }

    #[test]
    fn the_schema_carries_the_spec_defaults() {
        let schema = schema();
        let default_of = |name: &str| schema["properties"][name]["default"].clone();
        assert_eq!(default_of("max_offline_days"), 7);
        assert_eq!(default_of("storage_limit_mb"), 100);
        assert_eq!(default_of("sync_on_wifi_only"), false);
        assert_eq!(default_of("auto_retry"), true);
        assert_eq!(default_of("conflict_resolution"), "server_wins");
    }
}
