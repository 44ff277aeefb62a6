//! Sends what waits, in the organisation's priority order and in bounded batches, and
//! lets go of each record only once the server has given it a final answer.

use super::client::Client;
use crate::clock::Clock;
use crate::error::FieldError;
use crate::recorder::stamp;
use crate::store::Store;
use crate::store::entities::{action, queued_record, receipt, state};
use offline_tracking_protocol::{
    ActionOutcome, ConflictAction, DeviceHealth, EmployeeAction, Outcome, PROTOCOL_VERSION,
    PushRequest, PushResponse, RecordKind, SignedRecord,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};

/// Records per push; the protocol allows more, smaller pushes finish sooner on a weak link.
pub const BATCH_RECORDS: usize = 100;
/// Bytes of records per push.
pub const BATCH_BYTES: i64 = 1024 * 1024;

/// What one sync's pushes came to.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub accepted: usize,
    pub duplicates: usize,
    /// (record id, conflict type, resolution) of each conflict.
    pub conflicts: Vec<(String, String, String)>,
    /// (record id, code, message) of each rejection.
    pub rejected: Vec<(String, String, String)>,
    pub retry_later: usize,
    pub actions_applied: usize,
    pub actions_rejected: Vec<(String, String)>,
    pub config_version: i64,
}

const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The next batch: the most urgent kinds first, then by sequence.
async fn next_batch(
    store: &Store,
    order: &[RecordKind],
) -> Result<Vec<queued_record::Model>, FieldError> {
    let waiting = queued_record::Entity::find()
        .order_by_asc(queued_record::Column::Sequence)
        .all(store.db())
        .await?;
    let rank = |kind: &str| {
        order
            .iter()
            .position(|k| k.as_str() == kind)
            .unwrap_or(order.len())
    };
    let mut waiting = waiting;
    waiting.sort_by_key(|r| (rank(&r.kind), r.sequence));
    let mut batch = Vec::new();
    let mut bytes = 0;
    for record in waiting {
        if batch.len() == BATCH_RECORDS
            || (bytes + record.size_bytes > BATCH_BYTES && !batch.is_empty())
        {
            break;
        }
        bytes += record.size_bytes;
        batch.push(record);
    }
    Ok(batch)
}

/// How the device is now: its queue, storage, configuration and sync history.
pub async fn health(
    store: &Store,
    current: &state::Model,
    network: &str,
) -> Result<DeviceHealth, FieldError> {
    let queue_depth = queued_record::Entity::find().count(store.db()).await? as u32;
    let oldest = queued_record::Entity::find()
        .order_by_asc(queued_record::Column::RecordedAtMs)
        .one(store.db())
        .await?
        .map(|r| r.recorded_at_ms);
    Ok(DeviceHealth {
        queue_depth,
        oldest_pending_ms: oldest,
        storage_used_bytes: store.storage_used().await? as u64,
        app_version: APP_VERSION.to_owned(),
        config_version: current.config_version,
        failed_attempts_since_success: current.failed_attempts.max(0) as u32,
        last_success_at_ms: current.last_success_at_ms,
        last_recorded_sequence: (current.next_sequence - 1).max(0) as u64,
        network: Some(network.to_owned()),
    })
}

fn receipt_for(
    record: &queued_record::Model,
    outcome: &Outcome,
    now_ms: i64,
) -> receipt::ActiveModel {
    let mut row = receipt::ActiveModel {
        record_id: Set(record.id.clone()),
        sequence: Set(record.sequence),
        kind: Set(record.kind.clone()),
        recorded_at_ms: Set(record.recorded_at_ms),
        status: Set(outcome.status().to_owned()),
        code: Set(None),
        message: Set(None),
        conflict_id: Set(None),
        conflict_type: Set(None),
        resolution: Set(None),
        applied: Set(false),
        trusted_time_ms: Set(None),
        acknowledged_at_ms: Set(now_ms),
    };
    match outcome {
        Outcome::Accepted {
            trusted_time_ms, ..
        } => {
            row.applied = Set(true);
            row.trusted_time_ms = Set(Some(*trusted_time_ms));
        }
        Outcome::Duplicate { original_record_id } => {
            row.message = Set(Some(format!("the same as record {original_record_id}")));
        }
        Outcome::Conflict {
            conflict_id,
            conflict_type,
            resolution,
            applied,
            trusted_time_ms,
            ..
        } => {
            row.conflict_id = Set(Some(conflict_id.clone()));
            row.conflict_type = Set(Some(conflict_type.as_str().to_owned()));
            row.resolution = Set(Some(resolution.as_str().to_owned()));
            row.applied = Set(*applied);
            row.trusted_time_ms = Set(Some(*trusted_time_ms));
        }
        Outcome::Rejected { code, message } | Outcome::RetryLater { code, message, .. } => {
            row.code = Set(Some(code.clone()));
            row.message = Set(Some(message.clone()));
        }
    }
    row
}

/// Applies one push answer in one transaction: final outcomes clear the record (a receipt
/// stays), action results are stored, the time anchor and configuration version move.
async fn apply(
    store: &Store,
    clock: &dyn Clock,
    sent: &[queued_record::Model],
    answer: &PushResponse,
    tally: &mut Tally,
) -> Result<bool, FieldError> {
    let received = clock.now()?;
    let transaction = host_sdk::db::begin_write(store.db()).await?;
    let mut progressed = false;
    for result in &answer.results {
        let Some(record) = sent.iter().find(|r| r.id == result.record_id.to_string()) else {
            continue;
        };
        match &result.outcome {
            Outcome::RetryLater { .. } => {
                tally.retry_later += 1;
                continue;
            }
            Outcome::Accepted { .. } => tally.accepted += 1,
            Outcome::Duplicate { .. } => tally.duplicates += 1,
            Outcome::Conflict {
                conflict_type,
                resolution,
                ..
            } => tally.conflicts.push((
                record.id.clone(),
                conflict_type.as_str().to_owned(),
                resolution.as_str().to_owned(),
            )),
            Outcome::Rejected { code, message } => {
                tally
                    .rejected
                    .push((record.id.clone(), code.clone(), message.clone()))
            }
        }
        progressed = true;
        receipt::Entity::delete_by_id(record.id.as_str())
            .exec(&transaction)
            .await?;
        receipt_for(record, &result.outcome, received.wall_clock_ms)
            .insert(&transaction)
            .await?;
        queued_record::Entity::delete_by_id(record.id.as_str())
            .exec(&transaction)
            .await?;
    }
    for result in &answer.action_results {
        let (status, code) = match &result.outcome {
            ActionOutcome::Applied => {
                tally.actions_applied += 1;
                ("applied", None)
            }
            ActionOutcome::Rejected { code, .. } => {
                tally
                    .actions_rejected
                    .push((result.record_id.to_string(), code.clone()));
                ("rejected", Some(code.clone()))
            }
        };
        action::Entity::update_many()
            .col_expr(action::Column::Status, Expr::value(status))
            .col_expr(action::Column::Code, Expr::value(code))
            .filter(action::Column::Id.eq(result.action_id.to_string()))
            .exec(&transaction)
            .await?;
    }
    let current = state::Entity::find_by_id(1)
        .one(&transaction)
        .await?
        .ok_or_else(|| FieldError::Invalid("the device store has no state row".into()))?;
    let mut next = current.into_active_model();
    next.anchor_server_ms = Set(Some(answer.server_time_ms));
    next.anchor_monotonic_ms = Set(Some(received.monotonic_ms));
    next.anchor_boot_id = Set(Some(received.boot_id.clone()));
    next.update(&transaction).await?;
    transaction.commit().await?;
    tally.config_version = answer.config_version;
    Ok(progressed)
}

/// Pushes everything waiting (at least one push, which reports health and refreshes the
/// time anchor), batch after batch.
pub async fn push_all(
    store: &Store,
    clock: &dyn Clock,
    client: &Client,
    network: &str,
) -> Result<Tally, FieldError> {
    let mut tally = Tally::default();
    let order = store.settings().await?.sync_order();
    let mut first = true;
    loop {
        let batch = next_batch(store, &order).await?;
        let actions = if first {
            action::Entity::find()
                .filter(action::Column::Status.eq("pending"))
                .order_by_asc(action::Column::CreatedAtMs)
                .all(store.db())
                .await?
        } else {
            Vec::new()
        };
        if batch.is_empty() && actions.is_empty() && !first {
            break;
        }
        let first_time: Vec<String> = batch
            .iter()
            .filter(|r| r.state == "pending")
            .map(|r| r.id.clone())
            .collect();
        // Marked sent before it goes: "sent" means the server may have it.
        queued_record::Entity::update_many()
            .col_expr(queued_record::Column::State, Expr::value("sent"))
            .filter(queued_record::Column::Id.is_in(batch.iter().map(|r| r.id.clone())))
            .exec(store.db())
            .await?;
        let current = store.state().await?;
        let request = PushRequest {
            protocol_version: PROTOCOL_VERSION,
            device_id: uuid::Uuid::parse_str(&store.registered().await?.device_id)
                .map_err(|_| FieldError::Invalid("the stored device id is damaged".into()))?,
            sent_at: stamp(&clock.now()?, &current),
            records: batch
                .iter()
                .map(|r| SignedRecord {
                    payload: r.payload.clone(),
                    signature: r.signature.clone(),
                })
                .collect(),
            actions: actions
                .iter()
                .filter_map(|a| {
                    Some(EmployeeAction {
                        id: uuid::Uuid::parse_str(&a.id).ok()?,
                        record_id: uuid::Uuid::parse_str(&a.record_id).ok()?,
                        action: if a.action == "withdraw" {
                            ConflictAction::Withdraw
                        } else {
                            ConflictAction::Annotate
                        },
                        note: a.note.clone(),
                    })
                })
                .collect(),
            health: health(store, &current, network).await?,
        };
        let answer = match client.push(&request).await {
            Ok(answer) => answer,
            Err(refused) => {
                // A refusal of the whole push (4xx: revoked, too large, throttled…) means
                // the server stored none of it: what was only pending before this push
                // is pending again, not `sent` as if delivered. A record sent by an
                // earlier push whose answer was lost stays `sent`: that push may have
                // landed.
                if matches!(refused, FieldError::Server { status, .. } if (400..500).contains(&status))
                {
                    queued_record::Entity::update_many()
                        .col_expr(queued_record::Column::State, Expr::value("pending"))
                        .filter(queued_record::Column::Id.is_in(first_time.iter().cloned()))
                        .exec(store.db())
                        .await?;
                }
                return Err(refused);
            }
        };
        let progressed = apply(store, clock, &batch, &answer, &mut tally).await?;
        first = false;
        if batch.is_empty() || !progressed {
            break;
        }
    }
    Ok(tally)
}
