//! Attendance > Offline Records: what waits, what came back, how much room is left.

use crate::clock::Clock;
use crate::error::FieldError;
use crate::leave_view::decision;
use crate::recorder::offline_warnings;
use crate::store::Store;
use crate::store::entities::{action, conflict, queued_record, receipt};
use offline_tracking_protocol::RecordKind;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// One line of the offline records view.
#[derive(Clone, Debug)]
pub struct RecordLine {
    pub record_id: String,
    pub sequence: i64,
    pub kind: String,
    pub age_ms: i64,
    /// pending, sent, accepted, duplicate, conflict or rejected; for a leave request the
    /// server accepted: submitted, approved, rejected or withdrawn.
    pub state: String,
    pub detail: String,
}

/// The offline records view.
#[derive(Clone, Debug)]
pub struct Overview {
    pub records: Vec<RecordLine>,
    pub storage_used_bytes: i64,
    pub storage_limit_bytes: i64,
    pub max_offline_days: u32,
    /// Time left before the oldest waiting record passes max offline days.
    pub time_left_ms: Option<i64>,
    pub warnings: Vec<String>,
    pub last_success_at_ms: Option<i64>,
    pub failed_attempts: i32,
    pub last_error: Option<String>,
    pub config_version: i64,
}

const DAY_MS: i64 = 86_400_000;
const RECENT_RECEIPTS: u64 = 20;

/// Builds the view.
pub async fn overview(store: &Store, clock: &dyn Clock) -> Result<Overview, FieldError> {
    store.registered().await?;
    let now = clock.now()?.wall_clock_ms;
    let settings = store.settings().await?;
    let state = store.state().await?;
    let mut lines: Vec<RecordLine> = queued_record::Entity::find()
        .order_by_asc(queued_record::Column::Sequence)
        .all(store.db())
        .await?
        .into_iter()
        .map(|r| RecordLine {
            record_id: r.id,
            sequence: r.sequence,
            kind: r.kind,
            age_ms: now - r.recorded_at_ms,
            state: r.state,
            detail: String::new(),
        })
        .collect();
    let oldest = lines.iter().map(|l| now - l.age_ms).min();
    let receipts = receipt::Entity::find()
        .order_by_desc(receipt::Column::Sequence)
        .limit(RECENT_RECEIPTS)
        .all(store.db())
        .await?;
    for r in receipts.into_iter().rev() {
        // A leave request the server accepted still waits for a decision: show that, not
        // the record's acceptance.
        let leave = if r.kind == RecordKind::LeaveRequest.as_str() && r.status == "accepted" {
            Some(decision(store, &r.record_id).await?)
        } else {
            None
        };
        if let Some(known) = leave {
            let (state, detail) = match known {
                Some(row) if row.status != "pending" => (
                    row.status,
                    row.note
                        .map(|n| format!("administrator: {n}"))
                        .unwrap_or_default(),
                ),
                _ => ("submitted".to_owned(), "waiting for a decision".to_owned()),
            };
            lines.push(RecordLine {
                record_id: r.record_id,
                sequence: r.sequence,
                kind: r.kind,
                age_ms: now - r.recorded_at_ms,
                state,
                detail,
            });
            continue;
        }
        let detail = match r.status.as_str() {
            "conflict" => format!(
                "{} ({}{})",
                r.conflict_type.unwrap_or_default(),
                r.resolution.unwrap_or_default(),
                if r.applied {
                    ", counted"
                } else {
                    ", not counted"
                }
            ),
            "rejected" => format!(
                "{}: {}",
                r.code.unwrap_or_default(),
                r.message.unwrap_or_default()
            ),
            _ => r.message.unwrap_or_default(),
        };
        lines.push(RecordLine {
            record_id: r.record_id,
            sequence: r.sequence,
            kind: r.kind,
            age_ms: now - r.recorded_at_ms,
            state: r.status,
            detail,
        });
    }
    lines.sort_by_key(|l| l.sequence);
    let max = i64::from(settings.max_offline_days) * DAY_MS;
    Ok(Overview {
        records: lines,
        storage_used_bytes: store.storage_used().await?,
        storage_limit_bytes: i64::from(settings.storage_limit_mb) * 1024 * 1024,
        max_offline_days: settings.max_offline_days,
        time_left_ms: oldest.map(|o| max - (now - o)),
        warnings: offline_warnings(oldest, now, &settings),
        last_success_at_ms: state.last_success_at_ms,
        failed_attempts: state.failed_attempts,
        last_error: state.last_error,
        config_version: state.config_version,
    })
}

/// A conflict with what the employee did about it.
#[derive(Clone, Debug)]
pub struct ConflictLine {
    pub conflict: conflict::Model,
    pub actions: Vec<action::Model>,
}

/// The conflicts about this employee's records, as the server reported them, joined with
/// the conflicts seen in push answers that no pull has updated yet.
pub async fn conflicts(store: &Store) -> Result<Vec<ConflictLine>, FieldError> {
    store.registered().await?;
    let mut known: Vec<conflict::Model> = conflict::Entity::find()
        .order_by_asc(conflict::Column::UpdatedAtMs)
        .all(store.db())
        .await?;
    let from_receipts = receipt::Entity::find()
        .filter(receipt::Column::ConflictId.is_not_null())
        .all(store.db())
        .await?;
    for r in from_receipts {
        let id = r.conflict_id.clone().unwrap_or_default();
        if !known.iter().any(|c| c.conflict_id == id) {
            known.push(conflict::Model {
                conflict_id: id,
                record_id: r.record_id,
                conflict_type: r.conflict_type.unwrap_or_default(),
                resolution: r.resolution.unwrap_or_default(),
                decision: None,
                note: None,
                dissolved: false,
                updated_at_ms: r.acknowledged_at_ms,
            });
        }
    }
    let mut lines = Vec::new();
    for c in known {
        let actions = action::Entity::find()
            .filter(action::Column::RecordId.eq(c.record_id.as_str()))
            .order_by_asc(action::Column::CreatedAtMs)
            .all(store.db())
            .await?;
        lines.push(ConflictLine {
            conflict: c,
            actions,
        });
    }
    Ok(lines)
}
