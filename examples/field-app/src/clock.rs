//! The device's clocks: the wall clock (which a user can move), a monotonic clock that
//! counts from boot (which nobody can), and the id of the boot it counts from. The server
//! places records with the last two.

use crate::error::FieldError;
use serde::Deserialize;
use std::path::PathBuf;

/// The three clocks at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// Wall clock, ms since the epoch.
    pub wall_clock_ms: i64,
    /// Monotonic clock, ms since boot.
    pub monotonic_ms: i64,
    /// The boot the monotonic clock counts from.
    pub boot_id: String,
}

/// A source of clock readings.
pub trait Clock: Send + Sync {
    /// The clocks now.
    fn now(&self) -> Result<Reading, FieldError>;
}

fn real_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// The machine's clocks: `CLOCK_BOOTTIME` (it keeps counting while suspended, like a
/// phone's elapsed-realtime clock) and the kernel's boot id.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Result<Reading, FieldError> {
        let mut spec = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes into the timespec we own and reports failure.
        let status = unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut spec) };
        if status != 0 {
            return Err(FieldError::Clock("CLOCK_BOOTTIME is not available".into()));
        }
        let boot_id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
            .map(|text| text.trim().to_owned())
            .map_err(|error| FieldError::Clock(format!("cannot read the boot id: {error}")))?;
        Ok(Reading {
            wall_clock_ms: real_now_ms(),
            monotonic_ms: spec.tv_sec * 1000 + spec.tv_nsec / 1_000_000,
            boot_id,
        })
    }
}

/// A simulated phone for demos and tests (`--clock-file`): a JSON file that moves the
/// phone in time, says when it booted, and how far its user set the wall clock off.
///
/// ```json
/// {"shift_ms": -518400000, "boot_id": "boot-1", "boot_at_ms": 1795000000000, "wall_skew_ms": 0}
/// ```
///
/// The phone's "now" is the real time plus `shift_ms`; its monotonic clock counts from
/// `boot_at_ms` (in that shifted time); its wall clock shows now plus `wall_skew_ms`. The
/// file is read at every reading, so a test moves the phone by rewriting it.
pub struct FileClock {
    path: PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Simulation {
    #[serde(default)]
    shift_ms: i64,
    boot_id: String,
    boot_at_ms: i64,
    #[serde(default)]
    wall_skew_ms: i64,
}

impl FileClock {
    /// A clock that reads `path`.
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }
}

impl Clock for FileClock {
    fn now(&self) -> Result<Reading, FieldError> {
        let text = std::fs::read_to_string(&self.path).map_err(|error| {
            FieldError::Clock(format!("cannot read {}: {error}", self.path.display()))
        })?;
        let simulation: Simulation = serde_json::from_str(&text).map_err(|error| {
            FieldError::Clock(format!(
                "{} is not a clock file: {error}",
                self.path.display()
            ))
        })?;
        let now = real_now_ms() + simulation.shift_ms;
        if now < simulation.boot_at_ms {
            return Err(FieldError::Clock(format!(
                "{} puts now before the boot",
                self.path.display()
            )));
        }
        Ok(Reading {
            wall_clock_ms: now + simulation.wall_skew_ms,
            monotonic_ms: now - simulation.boot_at_ms,
            boot_id: simulation.boot_id,
        })
    }
}
