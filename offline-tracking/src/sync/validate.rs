//! Is a genuine (signed) record acceptable?
//!
//! Two kinds of failure: a record that is malformed or impossible (coordinates off the
//! globe, a leave that ends before it starts) is refused and nothing of it is stored but
//! the audit entry; a well-formed record that breaks the organisation's rules (no GPS
//! where GPS is required, a QR code of no site) is rejected but kept, so an
//! administrator sees everything the employee recorded.

use super::geofence_rule;
use crate::entities::site;
use crate::sites::qr;
use crate::text::{line_has_control, note_has_control};
use chrono::NaiveDate;
use offline_tracking_protocol::{DeviceTime, LeaveDetails, OfflineRecord, RecordKind};
use offline_tracking_settings::{GeofenceOutcome, OfflineTrackingSettings};
use std::collections::{BTreeMap, BTreeSet};

/// Why a record is not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Machine-readable reason.
    pub code: &'static str,
    /// For the employee.
    pub message: String,
    /// Keep the record (rejected) rather than refuse it (audit only).
    pub keep: bool,
}

fn refuse(code: &'static str, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
        keep: false,
    }
}

fn reject(code: &'static str, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
        keep: true,
    }
}

/// What the checks need to know besides the record.
pub struct Context<'a> {
    /// The organisation's settings.
    pub settings: &'a OfflineTrackingSettings,
    /// The organisation.
    pub organisation_id: i64,
    /// Whether the employee is enrolled in face recognition.
    pub face_enrolled: bool,
    /// The organisation's sites by id.
    pub sites: &'a BTreeMap<String, site::Model>,
    /// The sites assigned to the employee; empty: every site.
    pub assigned_sites: &'a BTreeSet<String>,
    /// The server's clock.
    pub now_ms: i64,
    /// The highest sequence stored for the device so far.
    pub highest_sequence: i64,
}

/// What a valid record resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Valid {
    /// The site of its QR code, when it has one.
    pub site_id: Option<String>,
    /// For leave requests: type and dates.
    pub leave_key: Option<String>,
    /// The geofence code it failed, when the organisation holds such records for review.
    pub held_by_geofence: Option<&'static str>,
}

/// The flags a record held by the geofence carries (one of them).
pub const GEOFENCE_FLAGS: [&str; 2] = [geofence_rule::OUTSIDE, geofence_rule::TOO_IMPRECISE];

const YEAR_MS: i64 = 366 * 24 * 3_600_000;
/// 2000-01-01: no record can be older.
const EARLIEST_MS: i64 = 946_684_800_000;
/// No phone runs ten years without a reboot: a monotonic clock beyond this is made up.
const MAX_MONOTONIC_MS: i64 = 10 * YEAR_MS;
/// The largest sequence number a record may carry: the largest integer a JavaScript
/// client represents exactly (2^53 − 1), so every client can count up to it.
pub const MAX_SEQUENCE: u64 = (1 << 53) - 1;
/// How far beyond the highest sequence stored for its device a record may be. A phone
/// that records a hundred events a day takes years to get this far ahead; a number
/// beyond it is not a real phone's, and accepting it would only plant a huge gap.
pub const MAX_SEQUENCE_AHEAD: i64 = 100_000;

/// A record's sequence number as stored, when it is one a device can have used.
pub fn stored_sequence(sequence: u64) -> Result<i64, Failure> {
    match i64::try_from(sequence) {
        Ok(stored) if (1..=MAX_SEQUENCE as i64).contains(&stored) => Ok(stored),
        _ => Err(refuse(
            "invalid_sequence",
            format!("sequence numbers run from 1 to {MAX_SEQUENCE}; this record has {sequence}"),
        )),
    }
}

/// Refuses a sequence number too far beyond the highest stored for the device.
pub fn check_sequence_ahead(sequence: i64, highest_stored: i64) -> Result<(), Failure> {
    if sequence > highest_stored.saturating_add(MAX_SEQUENCE_AHEAD) {
        return Err(refuse(
            "implausible_sequence",
            format!(
                "sequence {sequence} is more than {MAX_SEQUENCE_AHEAD} beyond the highest this device sent ({highest_stored})"
            ),
        ));
    }
    Ok(())
}

/// A boot id: what phones send is a UUID or similar, never empty, long or with control
/// characters (which some databases cannot store).
fn boot_id_ok(boot: &str) -> bool {
    !boot.is_empty() && boot.len() <= 100 && !line_has_control(boot)
}

/// Checks the three clocks a device reports, on a record or on a push. Bounds every
/// number, so the arithmetic on them later cannot overflow.
pub fn check_device_time(time: &DeviceTime, now_ms: i64) -> Result<(), Failure> {
    let plausible = |ms: i64| (EARLIEST_MS..=now_ms.saturating_add(YEAR_MS)).contains(&ms);
    let monotonic_ok = |ms: i64| (0..=MAX_MONOTONIC_MS).contains(&ms);
    if !boot_id_ok(&time.boot_id)
        || !monotonic_ok(time.monotonic_ms)
        || !plausible(time.wall_clock_ms)
    {
        return Err(refuse("invalid_time", "the device time is not possible"));
    }
    if let Some(anchor) = &time.anchor {
        let before_anchor =
            anchor.boot_id == time.boot_id && anchor.monotonic_ms > time.monotonic_ms;
        if !boot_id_ok(&anchor.boot_id)
            || !monotonic_ok(anchor.monotonic_ms)
            || !plausible(anchor.server_time_ms)
            || before_anchor
        {
            return Err(refuse(
                "invalid_time",
                "the record's time anchor is not possible",
            ));
        }
    }
    Ok(())
}

/// Checks one record.
pub fn check(record: &OfflineRecord, context: &Context<'_>) -> Result<Valid, Failure> {
    check_shape(record, context)?;
    let leave_key = match (&record.leave, record.kind) {
        (Some(leave), RecordKind::LeaveRequest) => Some(check_leave(leave)?),
        _ => None,
    };
    let (site_id, held_by_geofence) = if record.kind.is_attendance() {
        check_rules(record, context)?
    } else {
        (None, None)
    };
    Ok(Valid {
        site_id,
        leave_key,
        held_by_geofence,
    })
}

fn check_shape(record: &OfflineRecord, context: &Context<'_>) -> Result<(), Failure> {
    check_sequence_ahead(stored_sequence(record.sequence)?, context.highest_sequence)?;
    let now_ms = context.now_ms;
    check_device_time(&record.device_time, now_ms)?;
    match (record.kind, &record.leave) {
        (RecordKind::LeaveRequest, None) => {
            return Err(refuse(
                "invalid_leave_request",
                "a leave request needs its type and dates",
            ));
        }
        (kind, Some(_)) if kind != RecordKind::LeaveRequest => {
            return Err(refuse(
                "unexpected_leave",
                format!("a {kind} record carries no leave details"),
            ));
        }
        _ => {}
    }
    if let Some(gps) = &record.gps {
        let valid = gps.latitude.is_finite()
            && gps.longitude.is_finite()
            && gps.accuracy_m.is_finite()
            && (-90.0..=90.0).contains(&gps.latitude)
            && (-180.0..=180.0).contains(&gps.longitude)
            && (0.0..=100_000.0).contains(&gps.accuracy_m)
            && gps.provider.len() <= 30
            && !line_has_control(&gps.provider);
        if !valid {
            return Err(refuse(
                "invalid_coordinates",
                "latitude must be -90 to 90, longitude -180 to 180 and accuracy 0 to 100000 metres",
            ));
        }
    }
    if let Some(face) = &record.face
        && (!face.score.is_finite()
            || !face.threshold.is_finite()
            || face.model.len() > 100
            || line_has_control(&face.model))
    {
        return Err(refuse(
            "invalid_face_match",
            "the face match score and threshold must be numbers, and the model a short name",
        ));
    }
    if record.qr.as_ref().is_some_and(|qr| {
        qr.payload.is_empty() || qr.payload.len() > 500 || line_has_control(&qr.payload)
    }) {
        return Err(refuse(
            "invalid_qr",
            "the scanned QR code is empty, too long or holds control characters",
        ));
    }
    if record
        .note
        .as_ref()
        .is_some_and(|note| note.chars().count() > 1000 || note_has_control(note))
    {
        return Err(refuse(
            "invalid_note",
            "a note has at most 1000 characters, without control characters",
        ));
    }
    Ok(())
}

fn check_leave(leave: &LeaveDetails) -> Result<String, Failure> {
    let leave_type = leave.leave_type.trim();
    if leave_type.is_empty() || leave_type.chars().count() > 50 || line_has_control(leave_type) {
        return Err(refuse(
            "invalid_leave_request",
            "leave_type must be 1 to 50 characters, without control characters",
        ));
    }
    if leave
        .reason
        .as_ref()
        .is_some_and(|reason| reason.chars().count() > 1000 || note_has_control(reason))
    {
        return Err(refuse(
            "invalid_leave_request",
            "a reason has at most 1000 characters, without control characters",
        ));
    }
    let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let (Some(starts), Some(ends)) = (date(&leave.starts_on), date(&leave.ends_on)) else {
        return Err(refuse(
            "invalid_leave_dates",
            "leave dates are written YYYY-MM-DD",
        ));
    };
    if ends < starts {
        return Err(refuse(
            "invalid_leave_dates",
            format!(
                "the leave ends ({}) before it starts ({})",
                leave.ends_on, leave.starts_on
            ),
        ));
    }
    if (ends - starts).num_days() > 366 {
        return Err(refuse(
            "invalid_leave_dates",
            "a leave request spans at most a year",
        ));
    }
    Ok(format!(
        "{leave_type}:{}:{}",
        leave.starts_on, leave.ends_on
    ))
}

/// The organisation's rules for an attendance record: answers the scanned site and the
/// geofence code it is held for, if any.
fn check_rules(
    record: &OfflineRecord,
    context: &Context<'_>,
) -> Result<(Option<String>, Option<&'static str>), Failure> {
    let settings = context.settings;
    if settings.gps_required && record.gps.is_none() {
        return Err(reject(
            "gps_required",
            "this organisation requires a GPS position with every attendance record",
        ));
    }
    if record.gps.as_ref().is_some_and(|gps| gps.mock_location) {
        return Err(reject(
            "mock_location",
            "the device reported a mock location",
        ));
    }
    if settings.face_match_required_when_enrolled && context.face_enrolled && record.face.is_none()
    {
        return Err(reject(
            "face_match_required",
            "a face match is required for this employee",
        ));
    }
    if record
        .face
        .as_ref()
        .is_some_and(|face| !face.matched || face.score < face.threshold)
    {
        return Err(reject(
            "face_not_matched",
            "the face did not match the enrolled employee",
        ));
    }
    let site = match &record.qr {
        Some(scan) => Some(
            qr::site_id(&scan.payload)
                .and_then(|id| context.sites.get(id))
                .filter(|site| {
                    qr::verify(
                        &site.secret,
                        context.organisation_id,
                        &site.id,
                        &scan.payload,
                    )
                })
                .ok_or_else(|| {
                    reject(
                        "invalid_qr",
                        "the QR code is not one of this organisation's sites",
                    )
                })?,
        ),
        None if settings.qr_required => {
            return Err(reject(
                "qr_required",
                "this organisation requires scanning the site's QR code",
            ));
        }
        None => None,
    };
    let fences = geofence_rule::Fences {
        settings,
        sites: context.sites,
        assigned: context.assigned_sites,
    };
    let held = match geofence_rule::check(record, site, &fences) {
        None => None,
        Some(miss) => match settings.geofence_outcome {
            GeofenceOutcome::Reject => return Err(reject(miss.code, miss.message)),
            GeofenceOutcome::Review => Some(miss.code),
        },
    };
    Ok((site.map(|site| site.id.clone()), held))
}

#[cfg(test)]
mod tests {
    use super::*;
    use offline_tracking_protocol::{DeviceTime, GpsFix, QrScan};

    const NOW: i64 = 1_795_000_000_000;

    fn record(kind: RecordKind) -> OfflineRecord {
        OfflineRecord {
            id: uuid::Uuid::nil(),
            device_id: uuid::Uuid::nil(),
            sequence: 1,
            kind,
            device_time: DeviceTime {
                wall_clock_ms: NOW - 1000,
                monotonic_ms: 10,
                boot_id: "b".into(),
                anchor: None,
            },
            gps: Some(GpsFix {
                latitude: 52.52,
                longitude: 13.405,
                accuracy_m: 10.0,
                provider: "gps".into(),
                mock_location: false,
                captured_at_ms: NOW - 1000,
            }),
            face: None,
            qr: None,
            leave: None,
            note: None,
        }
    }

    fn site() -> site::Model {
        site::Model {
            id: "s1".into(),
            organisation_id: 1,
            name: "Depot".into(),
            secret: "secret".into(),
            latitude: Some(52.52),
            longitude: Some(13.405),
            radius_m: Some(100.0),
            created_at_ms: 0,
            created_by: 1,
        }
    }

    fn check_with(
        record: &OfflineRecord,
        settings: &OfflineTrackingSettings,
    ) -> Result<Valid, Failure> {
        let sites = BTreeMap::from([("s1".to_owned(), site())]);
        check(
            record,
            &Context {
                settings,
                organisation_id: 1,
                face_enrolled: true,
                sites: &sites,
                assigned_sites: &BTreeSet::new(),
                now_ms: NOW,
                highest_sequence: 0,
            },
        )
    }

    #[test]
    fn impossible_values_are_refused_and_rule_breaks_are_kept() {
        let settings = OfflineTrackingSettings {
            face_match_required_when_enrolled: false,
            ..Default::default()
        };
        let mut off_globe = record(RecordKind::CheckIn);
        off_globe.gps.as_mut().unwrap().latitude = 123.0;
        let failure = check_with(&off_globe, &settings).unwrap_err();
        assert_eq!((failure.code, failure.keep), ("invalid_coordinates", false));

        let mut no_gps = record(RecordKind::CheckIn);
        no_gps.gps = None;
        let failure = check_with(&no_gps, &settings).unwrap_err();
        assert_eq!((failure.code, failure.keep), ("gps_required", true));

        assert!(check_with(&record(RecordKind::CheckIn), &settings).is_ok());
    }

    #[test]
    fn qr_codes_are_verified_and_the_geofence_applies() {
        let settings = OfflineTrackingSettings {
            face_match_required_when_enrolled: false,
            ..Default::default()
        };
        let mut scanned = record(RecordKind::CheckIn);
        scanned.qr = Some(QrScan {
            payload: qr::payload("secret", 1, "s1"),
            scanned_at_ms: NOW,
        });
        assert_eq!(
            check_with(&scanned, &settings).unwrap().site_id.as_deref(),
            Some("s1")
        );
        scanned.gps.as_mut().unwrap().latitude = 52.53;
        assert_eq!(
            check_with(&scanned, &settings).unwrap_err().code,
            "outside_geofence"
        );
        scanned.qr.as_mut().unwrap().payload = qr::payload("guess", 1, "s1");
        assert_eq!(
            check_with(&scanned, &settings).unwrap_err().code,
            "invalid_qr"
        );
    }

    #[test]
    fn leave_dates_must_be_in_order() {
        let mut leave = record(RecordKind::LeaveRequest);
        leave.leave = Some(LeaveDetails {
            leave_type: "annual".into(),
            starts_on: "2026-12-10".into(),
            ends_on: "2026-12-01".into(),
            reason: None,
        });
        let failure = check_with(&leave, &OfflineTrackingSettings::default()).unwrap_err();
        assert_eq!((failure.code, failure.keep), ("invalid_leave_dates", false));
    }

    #[test]
    fn an_enrolled_employee_needs_a_matching_face() {
        let settings = OfflineTrackingSettings::default();
        assert_eq!(
            check_with(&record(RecordKind::CheckIn), &settings)
                .unwrap_err()
                .code,
            "face_match_required"
        );
    }
}
