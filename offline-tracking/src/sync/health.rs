//! Device health reports and sync sessions: what the admin's sync status is built from.

use super::validate;
use crate::api::{ApiResult, Problem, error};
use crate::clock::now_ms;
use crate::entities::states::SyncOutcome;
use crate::entities::{health_report, sync_session};
use offline_tracking_protocol::{DeviceHealth, DeviceTime, Outcome, PROTOCOL_VERSION};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

/// Checks what every push and health report carries: the protocol version, the device's
/// clocks and the health's text fields.
pub fn check_envelope(
    protocol_version: u32,
    sent_at: &DeviceTime,
    health: &DeviceHealth,
) -> ApiResult<()> {
    if protocol_version != PROTOCOL_VERSION {
        return Err(error(
            Problem::UpgradeRequired,
            "protocol_version_unsupported",
            format!(
                "this server speaks offline tracking protocol {PROTOCOL_VERSION}, the app sent {protocol_version}: update the app"
            ),
        ));
    }
    if let Err(failure) = validate::check_device_time(sent_at, now_ms()) {
        return Err(error(
            Problem::Invalid,
            "invalid_sent_at",
            format!("sent_at: {}", failure.message),
        ));
    }
    let version_ok = |v: &str| v.chars().count() <= 50 && !crate::text::line_has_control(v);
    let network_ok = |n: &str| n.chars().count() <= 20 && !crate::text::line_has_control(n);
    if !version_ok(&health.app_version) || !health.network.as_deref().is_none_or(network_ok) {
        return Err(error(
            Problem::Invalid,
            "invalid_health",
            "health: app_version has at most 50 characters and network at most 20, without control characters",
        ));
    }
    Ok(())
}

/// The health a device will be in once it applied a push answer: `answered` records had
/// a final answer and leave its queue.
pub fn after_answers(reported: &DeviceHealth, answered: usize) -> DeviceHealth {
    let answered = u32::try_from(answered).unwrap_or(u32::MAX);
    let queue_depth = reported.queue_depth.saturating_sub(answered);
    DeviceHealth {
        queue_depth,
        // Which records remain is the device's to say (it does, after the sync); with
        // none left, nothing is pending since any time.
        oldest_pending_ms: reported.oldest_pending_ms.filter(|_| queue_depth > 0),
        ..reported.clone()
    }
}

/// Stores the health a device reported with a push.
pub async fn store_report(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    device_id: &str,
    health: &DeviceHealth,
    sent_at: &DeviceTime,
    received_at_ms: i64,
) -> Result<(), DbErr> {
    let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    health_report::Entity::insert(health_report::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organisation_id: Set(organisation_id),
        device_id: Set(device_id.to_owned()),
        employee_id: Set(employee_id),
        reported_at_ms: Set(received_at_ms),
        queue_depth: Set(i32::try_from(health.queue_depth).unwrap_or(i32::MAX)),
        oldest_pending_ms: Set(health.oldest_pending_ms),
        storage_used_bytes: Set(clamp(health.storage_used_bytes)),
        app_version: Set(health.app_version.chars().take(50).collect()),
        config_version: Set(health.config_version),
        failed_attempts: Set(
            i32::try_from(health.failed_attempts_since_success).unwrap_or(i32::MAX)
        ),
        last_success_at_ms: Set(health.last_success_at_ms),
        last_recorded_sequence: Set(clamp(health.last_recorded_sequence)),
        network: Set(health
            .network
            .as_ref()
            .map(|n| n.chars().take(20).collect())),
        clock_offset_ms: Set(Some(sent_at.wall_clock_ms.saturating_sub(received_at_ms))),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// What one push did, for the sync session row.
#[derive(Default)]
pub struct Tally {
    pub received: i32,
    pub accepted: i32,
    pub duplicates: i32,
    pub conflicts: i32,
    pub rejected: i32,
    pub retry_later: i32,
    pub resent: i32,
}

impl Tally {
    /// Counts a record sent again after it had its answer.
    pub fn count_resent(&mut self) {
        self.resent += 1;
    }

    /// Counts a record's first result.
    pub fn count(&mut self, outcome: &Outcome) {
        self.received += 1;
        match outcome {
            Outcome::Accepted { .. } => self.accepted += 1,
            Outcome::Duplicate { .. } => self.duplicates += 1,
            Outcome::Conflict { .. } => self.conflicts += 1,
            Outcome::Rejected { .. } => self.rejected += 1,
            Outcome::RetryLater { .. } => self.retry_later += 1,
        }
    }
}

/// The identity of a sync session.
pub struct SessionInfo<'a> {
    pub id: &'a str,
    pub organisation_id: i64,
    pub employee_id: Option<i64>,
    pub device_id: Option<&'a str>,
    pub started_at_ms: i64,
}

/// Stores a sync session: `error_code` None for a push that succeeded.
pub async fn store_session(
    db: &impl ConnectionTrait,
    info: &SessionInfo<'_>,
    tally: &Tally,
    error_code: Option<&str>,
) -> Result<(), DbErr> {
    sync_session::Entity::insert(sync_session::ActiveModel {
        id: Set(info.id.to_owned()),
        organisation_id: Set(info.organisation_id),
        employee_id: Set(info.employee_id),
        device_id: Set(info.device_id.map(str::to_owned)),
        started_at_ms: Set(info.started_at_ms),
        finished_at_ms: Set(crate::clock::now_ms()),
        outcome: Set(if error_code.is_none() {
            SyncOutcome::Succeeded
        } else {
            SyncOutcome::Failed
        }),
        error_code: Set(error_code.map(str::to_owned)),
        records_received: Set(tally.received),
        accepted: Set(tally.accepted),
        duplicates: Set(tally.duplicates),
        conflicts: Set(tally.conflicts),
        rejected: Set(tally.rejected),
        retry_later: Set(tally.retry_later),
        resent: Set(tally.resent),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
