use crate::{ConflictPolicy, GeofenceCheck, GeofenceOutcome};
use offline_tracking_protocol::RecordKind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One organisation's Offline Tracking settings. Every field has a default, so `{}` is a
/// complete document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "Offline Tracking settings")]
pub struct OfflineTrackingSettings {
    /// Whether employees of the organisation may record attendance offline. Records from
    /// an organisation that turned it off are refused (and kept for review).
    pub enabled: bool,
    /// Maximum days a record may wait on a device. Older records are kept but routed to
    /// an admin's review as stale; devices warn before the limit.
    #[schemars(range(min = 1, max = 90))]
    pub max_offline_days: u32,
    /// Maximum storage for offline data on a device, in megabytes.
    #[schemars(range(min = 1, max = 10240))]
    pub storage_limit_mb: u32,
    /// Devices sync only on WiFi.
    pub sync_on_wifi_only: bool,
    /// Devices retry failed syncs by themselves, with backoff.
    pub auto_retry: bool,
    /// How conflicts detected from now on are settled (the schema's description, one
    /// line for forms, says what a change does not touch).
    #[schemars(
        description = "How conflicts detected from now on are settled. A change does not touch conflicts already detected: each keeps the policy that settled it, and an administrator applies the new one to an old conflict with POST /admin/modules/offline-tracking/conflicts/{id}/resettle (audited, with a reason)."
    )]
    pub conflict_resolution: ConflictPolicy,
    /// Which record kinds sync first; kinds not listed follow in the default order.
    pub sync_priorities: Vec<RecordKind>,
    /// Every attendance record must carry a GPS fix.
    pub gps_required: bool,
    /// Employees enrolled in face recognition must attach a face match to attendance
    /// records.
    pub face_match_required_when_enrolled: bool,
    /// Attendance records must carry a scanned site QR code.
    pub qr_required: bool,
    /// Which records are checked against the sites' geofences.
    pub geofence_check: GeofenceCheck,
    /// What happens to a record that fails the geofence.
    pub geofence_outcome: GeofenceOutcome,
    /// The worst GPS accuracy, in metres, a fix may report and still pass a geofence. A
    /// fix passes when its distance to the site is at most the site's radius plus its
    /// accuracy, so without this bound a fix claiming 20 km of uncertainty would pass any
    /// fence.
    #[schemars(range(min = 1, max = 10000))]
    pub max_gps_accuracy_m: u32,
    /// How far a device clock may drift from trusted time before its records are flagged.
    #[schemars(range(min = 0, max = 86400))]
    pub clock_skew_tolerance_seconds: u32,
    /// A record of the same kind as the employee's previous one (from any device), with no
    /// change of state between them, this close after it is the same event recorded twice.
    #[schemars(range(min = 0, max = 3600))]
    pub duplicate_window_seconds: u32,
    /// New devices must be approved by an admin before their records are accepted.
    pub device_approval_required: bool,
    /// Attendance up to and including this date (YYYY-MM-DD, UTC) is locked, for example
    /// after payroll: records inside it are held as conflicts.
    pub attendance_locked_until: Option<String>,
    /// The organisation's time zone (an IANA name such as Europe/Berlin): the
    /// administrators' pages show times in it. Records keep their UTC instants.
    #[schemars(schema_with = "crate::time_zone::schema")]
    pub time_zone: String,
}

impl Default for OfflineTrackingSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            max_offline_days: 7,
            storage_limit_mb: 100,
            sync_on_wifi_only: false,
            auto_retry: true,
            conflict_resolution: ConflictPolicy::ServerWins,
            sync_priorities: RecordKind::ALL.to_vec(),
            gps_required: true,
            face_match_required_when_enrolled: true,
            qr_required: false,
            geofence_check: GeofenceCheck::QrScans,
            geofence_outcome: GeofenceOutcome::Reject,
            max_gps_accuracy_m: 200,
            clock_skew_tolerance_seconds: 300,
            duplicate_window_seconds: 120,
            device_approval_required: false,
            attendance_locked_until: None,
            time_zone: crate::DEFAULT_TIME_ZONE.to_owned(),
        }
    }
}

/// A rule a settings document breaks: the JSON Pointer of the value and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsProblem {
    /// JSON Pointer, such as `/sync_priorities/2`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

const MAX_OFFLINE_DAYS: u32 = 90;
const MAX_STORAGE_MB: u32 = 10240;
const MAX_SKEW_SECONDS: u32 = 86400;
const MAX_DUPLICATE_WINDOW_SECONDS: u32 = 3600;

impl OfflineTrackingSettings {
    /// Every rule this document breaks, including the bounds the schema also states (so
    /// the types are safe even when they did not come through the schema).
    pub fn problems(&self) -> Vec<SettingsProblem> {
        let mut problems = Vec::new();
        let mut out_of_range = |path: &str, value: u32, min: u32, max: u32| {
            if value < min || value > max {
                problems.push(SettingsProblem {
                    path: path.to_owned(),
                    message: format!("must be between {min} and {max}, not {value}"),
                });
            }
        };
        out_of_range(
            "/max_offline_days",
            self.max_offline_days,
            1,
            MAX_OFFLINE_DAYS,
        );
        out_of_range(
            "/storage_limit_mb",
            self.storage_limit_mb,
            1,
            MAX_STORAGE_MB,
        );
        out_of_range(
            "/clock_skew_tolerance_seconds",
            self.clock_skew_tolerance_seconds,
            0,
            MAX_SKEW_SECONDS,
        );
        out_of_range(
            "/duplicate_window_seconds",
            self.duplicate_window_seconds,
            0,
            MAX_DUPLICATE_WINDOW_SECONDS,
        );
        let mut seen = BTreeSet::new();
        for (index, kind) in self.sync_priorities.iter().enumerate() {
            if !seen.insert(*kind) {
                problems.push(SettingsProblem {
                    path: format!("/sync_priorities/{index}"),
                    message: format!("{kind} is listed twice"),
                });
            }
        }
        if let Some(date) = &self.attendance_locked_until
            && !is_calendar_date(date)
        {
            problems.push(SettingsProblem {
                path: "/attendance_locked_until".to_owned(),
                message: format!("{date:?} is not a date written YYYY-MM-DD"),
            });
        }
        if crate::time_zone::parse(&self.time_zone).is_none() {
            problems.push(SettingsProblem {
                path: "/time_zone".to_owned(),
                message: format!(
                    "{:?} is not an IANA time zone such as Europe/Berlin",
                    self.time_zone
                ),
            });
        }
        problems
    }

    /// The organisation's time zone (UTC when the stored name is not one).
    pub fn zone(&self) -> chrono_tz::Tz {
        crate::time_zone::parse(&self.time_zone).unwrap_or(chrono_tz::UTC)
    }

    /// The full sync order: the listed kinds first, then the rest in default order.
    pub fn sync_order(&self) -> Vec<RecordKind> {
        let mut order: Vec<RecordKind> = Vec::with_capacity(RecordKind::ALL.len());
        for kind in self.sync_priorities.iter().chain(RecordKind::ALL.iter()) {
            if !order.contains(kind) {
                order.push(*kind);
            }
        }
        order
    }
}

fn is_calendar_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let numeric = |s: &str, len: usize| s.len() == len && s.chars().all(|c| c.is_ascii_digit());
    if !(numeric(year, 4) && numeric(month, 2) && numeric(day, 2)) {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (
        year.parse::<u32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_document_is_the_defaults() {
        let parsed: OfflineTrackingSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(parsed, OfflineTrackingSettings::default());
        assert!(parsed.problems().is_empty());
    }

    #[test]
    fn problems_name_the_json_path() {
        let settings = OfflineTrackingSettings {
            max_offline_days: 0,
            sync_priorities: vec![RecordKind::CheckOut, RecordKind::CheckOut],
            attendance_locked_until: Some("2026-02-30".into()),
            ..Default::default()
        };
        let paths: Vec<String> = settings.problems().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "/max_offline_days",
                "/sync_priorities/1",
                "/attendance_locked_until"
            ]
        );
    }

    #[test]
    fn unlisted_kinds_follow_the_listed_ones() {
        let settings = OfflineTrackingSettings {
            sync_priorities: vec![RecordKind::LeaveRequest],
            ..Default::default()
        };
        assert_eq!(settings.sync_order()[0], RecordKind::LeaveRequest);
        assert_eq!(settings.sync_order().len(), RecordKind::ALL.len());
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(
            serde_json::from_str::<OfflineTrackingSettings>(r#"{"max_offline_dayz": 3}"#).is_err()
        );
    }
}
