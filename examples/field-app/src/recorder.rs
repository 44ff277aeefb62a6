//! Recording attendance with no network: each record is signed and stored, with its
//! sequence number, in one transaction, or refused at entry with a clear reason.

use crate::clock::{Clock, Reading};
use crate::error::FieldError;
use crate::keys;
use crate::store::Store;
use crate::store::entities::{queued_record, state};
use chrono::NaiveDate;
use offline_tracking_protocol::{
    DeviceTime, FaceMatch, GpsFix, LeaveDetails, OfflineRecord, QrScan, RecordKind, TimeAnchor,
};
use offline_tracking_settings::OfflineTrackingSettings;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder, Set};

/// What the employee records.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub kind: Option<RecordKind>,
    pub gps: Option<GpsFix>,
    pub face: Option<FaceMatch>,
    pub qr: Option<String>,
    pub leave: Option<LeaveDetails>,
    pub note: Option<String>,
}

/// A stored record and anything the employee should know.
#[derive(Clone, Debug)]
pub struct Stored {
    pub record_id: uuid::Uuid,
    pub sequence: u64,
    pub warnings: Vec<String>,
}

const DAY_MS: i64 = 86_400_000;
const MIB: i64 = 1024 * 1024;
/// Share of the storage limit kept for check-in and check-out.
const ESSENTIAL_RESERVE_PERCENT: i64 = 10;

/// The device's clocks now, with the anchor of the last sync when it belongs to this boot.
pub fn stamp(reading: &Reading, state: &state::Model) -> DeviceTime {
    let anchor = match (
        &state.anchor_boot_id,
        state.anchor_server_ms,
        state.anchor_monotonic_ms,
    ) {
        (Some(boot), Some(server_time_ms), Some(monotonic_ms)) if *boot == reading.boot_id => {
            Some(TimeAnchor {
                server_time_ms,
                monotonic_ms,
                boot_id: boot.clone(),
            })
        }
        _ => None,
    };
    DeviceTime {
        wall_clock_ms: reading.wall_clock_ms,
        monotonic_ms: reading.monotonic_ms,
        boot_id: reading.boot_id.clone(),
        anchor,
    }
}

fn check_entry(
    entry: &Entry,
    kind: RecordKind,
    settings: &OfflineTrackingSettings,
) -> Result<(), FieldError> {
    let refuse = |why: &str| Err(FieldError::NotRecorded(why.to_owned()));
    if !settings.enabled {
        return refuse("offline tracking is turned off for your organisation");
    }
    if let Some(gps) = &entry.gps
        && (!(-90.0..=90.0).contains(&gps.latitude)
            || !(-180.0..=180.0).contains(&gps.longitude)
            || gps.accuracy_m < 0.0)
    {
        return refuse(
            "the GPS position is not possible (latitude -90..90, longitude -180..180, accuracy 0 or more)",
        );
    }
    if kind.is_attendance() && settings.gps_required && entry.gps.is_none() {
        return refuse("your organisation requires a GPS position with every attendance record");
    }
    if kind.is_attendance() && settings.qr_required && entry.qr.is_none() {
        return refuse("your organisation requires scanning the site's QR code");
    }
    match (kind, &entry.leave) {
        (RecordKind::LeaveRequest, None) => {
            return refuse("a leave request needs its type and dates");
        }
        (RecordKind::LeaveRequest, Some(leave)) => {
            let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            match (date(&leave.starts_on), date(&leave.ends_on)) {
                (Some(starts), Some(ends)) if ends >= starts => {}
                (Some(_), Some(_)) => return refuse("the leave ends before it starts"),
                _ => return refuse("leave dates are written YYYY-MM-DD"),
            }
            if leave.leave_type.trim().is_empty() {
                return refuse("a leave request needs a type, such as annual or sick");
            }
        }
        _ => {}
    }
    Ok(())
}

/// `0.9 of 1 MB used`: the one way the app states its storage, so the refusal and the
/// records view never disagree.
pub fn storage_used_text(used_bytes: i64, limit_mb: u32) -> String {
    format!(
        "{:.1} of {limit_mb} MB used",
        used_bytes as f64 / MIB as f64
    )
}

/// Refuses at entry what would break the storage limit: check-in and check-out may use the
/// last tenth of it, which other records leave free.
fn check_storage(
    used: i64,
    size: i64,
    essential: bool,
    settings: &OfflineTrackingSettings,
) -> Result<(), FieldError> {
    let limit = i64::from(settings.storage_limit_mb) * MIB;
    let for_others = limit - limit * ESSENTIAL_RESERVE_PERCENT / 100;
    let room = if essential { limit } else { for_others };
    if used + size > room {
        let what = if essential {
            "the device's offline storage is full, even the room kept for check-in and check-out"
        } else {
            "the device's offline storage is nearly full; only check-in and check-out are recorded until you sync"
        };
        return Err(FieldError::NotRecorded(format!(
            "{what} ({}): connect and run `field-app sync`",
            storage_used_text(used, settings.storage_limit_mb)
        )));
    }
    Ok(())
}

/// Warnings about the oldest record still waiting.
pub fn offline_warnings(
    oldest_pending_ms: Option<i64>,
    now_ms: i64,
    settings: &OfflineTrackingSettings,
) -> Vec<String> {
    let Some(oldest) = oldest_pending_ms else {
        return Vec::new();
    };
    let max = i64::from(settings.max_offline_days) * DAY_MS;
    let age = now_ms - oldest;
    if age >= max {
        vec![format!(
            "your oldest unsent record is {} days old, beyond the {} days allowed: it will need an administrator's review; sync as soon as you can",
            age / DAY_MS,
            settings.max_offline_days
        )]
    } else if max - age <= DAY_MS {
        vec![format!(
            "your oldest unsent record reaches the {} days allowed in {} hours: sync before then",
            settings.max_offline_days,
            (max - age) / 3_600_000
        )]
    } else {
        Vec::new()
    }
}

/// Records `entry` now.
pub async fn record(store: &Store, clock: &dyn Clock, entry: Entry) -> Result<Stored, FieldError> {
    let device = store.registered().await?;
    let kind = entry
        .kind
        .ok_or_else(|| FieldError::Invalid("say what to record".into()))?;
    let settings = store.settings().await?;
    check_entry(&entry, kind, &settings)?;
    let key = keys::from_hex(&device.secret_key)?;
    let device_id = uuid::Uuid::parse_str(&device.device_id).map_err(|_| {
        FieldError::Invalid("the stored device id is damaged: register again".into())
    })?;
    let essential = matches!(kind, RecordKind::CheckIn | RecordKind::CheckOut);

    // One transaction from taking the sequence number to storing the record: a crash at
    // any instant leaves either both or neither.
    let transaction = host_sdk::db::begin_write(store.db()).await?;
    let current = state::Entity::find_by_id(1)
        .one(&transaction)
        .await?
        .ok_or_else(|| FieldError::Invalid("the device store has no state row".into()))?;
    let reading = clock.now()?;
    let record = OfflineRecord {
        id: uuid::Uuid::now_v7(),
        device_id,
        sequence: current.next_sequence as u64,
        kind,
        device_time: stamp(&reading, &current),
        gps: entry.gps.clone(),
        face: entry.face.clone(),
        qr: entry.qr.clone().map(|payload| QrScan {
            payload,
            scanned_at_ms: reading.wall_clock_ms,
        }),
        leave: entry.leave.clone(),
        note: entry.note.clone(),
    };
    let signed = key
        .sign(&record)
        .map_err(|error| FieldError::Invalid(format!("cannot sign the record: {error}")))?;
    let size = signed.size() as i64;
    check_storage(store.storage_used().await?, size, essential, &settings)?;
    queued_record::ActiveModel {
        id: Set(record.id.to_string()),
        sequence: Set(record.sequence as i64),
        kind: Set(kind.as_str().to_owned()),
        payload: Set(signed.payload),
        signature: Set(signed.signature),
        size_bytes: Set(size),
        recorded_at_ms: Set(reading.wall_clock_ms),
        essential: Set(essential),
        state: Set("pending".to_owned()),
    }
    .insert(&transaction)
    .await?;
    let mut next = current.into_active_model();
    next.next_sequence = Set(record.sequence as i64 + 1);
    next.update(&transaction).await?;
    transaction.commit().await?;

    let oldest = queued_record::Entity::find()
        .order_by_asc(queued_record::Column::RecordedAtMs)
        .one(store.db())
        .await?
        .map(|r| r.recorded_at_ms);
    Ok(Stored {
        record_id: record.id,
        sequence: record.sequence,
        warnings: offline_warnings(oldest, reading.wall_clock_ms, &settings),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_tenth_of_storage_is_kept_for_check_in_and_check_out() {
        let settings = OfflineTrackingSettings {
            storage_limit_mb: 10,
            ..Default::default()
        };
        let nine_and_a_half = 9 * MIB + MIB / 2;
        assert!(check_storage(nine_and_a_half, 1000, false, &settings).is_err());
        assert!(check_storage(nine_and_a_half, 1000, true, &settings).is_ok());
        assert!(check_storage(10 * MIB, 1000, true, &settings).is_err());
        assert!(check_storage(MIB, 1000, false, &settings).is_ok());
    }

    #[test]
    fn nearing_and_passing_max_offline_days_warns() {
        let settings = OfflineTrackingSettings::default();
        let now = 100 * DAY_MS;
        assert!(offline_warnings(Some(now - DAY_MS), now, &settings).is_empty());
        assert!(
            offline_warnings(Some(now - 6 * DAY_MS - 3_600_000), now, &settings)[0]
                .contains("in 23 hours")
        );
        assert!(offline_warnings(Some(now - 8 * DAY_MS), now, &settings)[0].contains("beyond"));
    }
}
