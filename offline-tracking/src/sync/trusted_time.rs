//! When did it really happen? The device's wall clock can be moved by its user; its
//! monotonic clock cannot, but restarts at every boot. A record made in the same boot as a
//! known server time (the anchor from the last sync, or the moment of this push) is placed
//! by the monotonic clock; only a record with neither falls back to the wall clock.

use offline_tracking_protocol::DeviceTime;

pub use crate::entities::states::TimeSource;

/// The reconstructed time of one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedTime {
    /// When it happened.
    pub time_ms: i64,
    /// How that was worked out.
    pub source: TimeSource,
    /// The device wall clock minus the real time, when known.
    pub clock_offset_ms: Option<i64>,
    /// The time cannot be trusted (wrong clock, nothing to correct it with).
    pub suspect: bool,
    /// Remarks for the record.
    pub flags: Vec<&'static str>,
}

/// Places a record made at `recorded`, pushed at `sent` and received at `received_at_ms`.
/// The clocks are the device's, bounded at the edge; the arithmetic saturates all the same,
/// so no value a device sends can overflow it.
pub fn reconstruct(
    recorded: &DeviceTime,
    sent: &DeviceTime,
    received_at_ms: i64,
    tolerance_ms: i64,
) -> TrustedTime {
    let same_boot = |boot: &str| boot == recorded.boot_id;
    let anchored = recorded
        .anchor
        .as_ref()
        .filter(|anchor| same_boot(&anchor.boot_id) && recorded.monotonic_ms >= anchor.monotonic_ms)
        .map(|anchor| {
            (
                anchor
                    .server_time_ms
                    .saturating_add(recorded.monotonic_ms.saturating_sub(anchor.monotonic_ms)),
                TimeSource::Anchored,
            )
        });
    let from_send =
        (same_boot(&sent.boot_id) && sent.monotonic_ms >= recorded.monotonic_ms).then(|| {
            (
                received_at_ms
                    .saturating_sub(sent.monotonic_ms.saturating_sub(recorded.monotonic_ms)),
                TimeSource::SendTime,
            )
        });
    let mut flags = Vec::new();
    match anchored.or(from_send) {
        Some((time_ms, source)) => {
            let offset = recorded.wall_clock_ms.saturating_sub(time_ms);
            if offset.unsigned_abs() > tolerance_ms.unsigned_abs() {
                flags.push("device_clock_off");
            }
            TrustedTime {
                time_ms,
                source,
                clock_offset_ms: Some(offset),
                suspect: time_ms > received_at_ms.saturating_add(tolerance_ms),
                flags,
            }
        }
        None => {
            flags.push("time_from_device_clock");
            // The clock was off by this much when the device sent: if that is beyond the
            // tolerance, the record's own wall-clock time cannot be believed either.
            let offset_at_send = sent.wall_clock_ms.saturating_sub(received_at_ms);
            let wrong_now = offset_at_send.unsigned_abs() > tolerance_ms.unsigned_abs();
            let in_future = recorded.wall_clock_ms > received_at_ms.saturating_add(tolerance_ms);
            TrustedTime {
                time_ms: recorded.wall_clock_ms,
                source: TimeSource::DeviceClock,
                clock_offset_ms: None,
                suspect: wrong_now || in_future,
                flags,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use offline_tracking_protocol::TimeAnchor;

    const HOUR: i64 = 3_600_000;
    const TOLERANCE: i64 = 300_000;

    fn time(wall: i64, monotonic: i64, boot: &str, anchor: Option<(i64, i64, &str)>) -> DeviceTime {
        DeviceTime {
            wall_clock_ms: wall,
            monotonic_ms: monotonic,
            boot_id: boot.into(),
            anchor: anchor.map(|(server, mono, boot)| TimeAnchor {
                server_time_ms: server,
                monotonic_ms: mono,
                boot_id: boot.into(),
            }),
        }
    }

    #[test]
    fn a_clock_moved_back_an_hour_is_flagged_and_placed_right() {
        let synced_at = 1_000 * HOUR;
        // Two hours after the last sync, but the user set the clock back by an hour.
        let recorded = time(
            synced_at + HOUR,
            2 * HOUR,
            "boot-1",
            Some((synced_at, 0, "boot-1")),
        );
        let sent = time(
            synced_at + 2 * HOUR,
            3 * HOUR,
            "boot-1",
            Some((synced_at, 0, "boot-1")),
        );
        let placed = reconstruct(&recorded, &sent, synced_at + 3 * HOUR, TOLERANCE);
        assert_eq!(placed.time_ms, synced_at + 2 * HOUR);
        assert_eq!(placed.source, TimeSource::Anchored);
        assert_eq!(placed.clock_offset_ms, Some(-HOUR));
        assert_eq!(placed.flags, ["device_clock_off"]);
        assert!(!placed.suspect);
    }

    #[test]
    fn without_an_anchor_the_push_places_records_of_the_same_boot() {
        let recorded = time(500, 10 * HOUR, "boot-2", None);
        let sent = time(700, 12 * HOUR, "boot-2", None);
        let placed = reconstruct(&recorded, &sent, 100 * HOUR, TOLERANCE);
        assert_eq!(placed.time_ms, 98 * HOUR);
        assert_eq!(placed.source, TimeSource::SendTime);
    }

    #[test]
    fn after_a_reboot_only_the_wall_clock_is_left_and_a_wrong_one_is_suspect() {
        let recorded = time(50 * HOUR, 10, "boot-old", None);
        let honest = time(100 * HOUR, 20, "boot-new", None);
        let placed = reconstruct(&recorded, &honest, 100 * HOUR, TOLERANCE);
        assert_eq!(placed.source, TimeSource::DeviceClock);
        assert_eq!(placed.time_ms, 50 * HOUR);
        assert!(!placed.suspect);
        let wrong = time(97 * HOUR, 20, "boot-new", None);
        assert!(reconstruct(&recorded, &wrong, 100 * HOUR, TOLERANCE).suspect);
        let future = time(101 * HOUR, 10, "boot-old", None);
        assert!(reconstruct(&future, &honest, 100 * HOUR, TOLERANCE).suspect);
    }
}
