//! Applies what the server changed: outcomes decided later, conflicts and decisions,
//! attendance, leave decisions, configuration. Each page and its cursor are stored in one
//! transaction, so a crash never skips or repeats a change.

use super::client::Client;
use crate::error::FieldError;
use crate::store::Store;
use crate::store::entities::{conflict, device, leave, receipt, session, state};
use offline_tracking_protocol::{ChangeKind, Outcome};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    sea_query::Expr,
};

const PAGE: u32 = 200;

async fn apply_change(
    db: &impl ConnectionTrait,
    change: &ChangeKind,
    now_ms: i64,
) -> Result<(), FieldError> {
    match change {
        ChangeKind::RecordOutcome(result) => {
            let Some(existing) = receipt::Entity::find_by_id(result.record_id.to_string())
                .one(db)
                .await?
            else {
                return Ok(());
            };
            let mut row = existing.into_active_model();
            row.status = Set(result.outcome.status().to_owned());
            match &result.outcome {
                Outcome::Accepted { .. } => {
                    row.applied = Set(true);
                }
                Outcome::Conflict {
                    conflict_id,
                    conflict_type,
                    resolution,
                    applied,
                    ..
                } => {
                    row.conflict_id = Set(Some(conflict_id.clone()));
                    row.conflict_type = Set(Some(conflict_type.as_str().to_owned()));
                    row.resolution = Set(Some(resolution.as_str().to_owned()));
                    row.applied = Set(*applied);
                }
                Outcome::Rejected { code, message } => {
                    row.code = Set(Some(code.clone()));
                    row.message = Set(Some(message.clone()));
                    row.applied = Set(false);
                }
                _ => {}
            }
            row.update(db).await?;
        }
        ChangeKind::Conflict {
            conflict_id,
            conflict_type,
            resolution,
            record_id,
            decision,
            note,
            dissolved,
        } => {
            conflict::Entity::delete_by_id(conflict_id.as_str())
                .exec(db)
                .await?;
            conflict::ActiveModel {
                conflict_id: Set(conflict_id.clone()),
                record_id: Set(record_id.clone()),
                conflict_type: Set(conflict_type.as_str().to_owned()),
                resolution: Set(resolution.as_str().to_owned()),
                decision: Set(decision.map(|d| d.as_str().to_owned())),
                note: Set(note.clone()),
                dissolved: Set(*dissolved),
                updated_at_ms: Set(now_ms),
            }
            .insert(db)
            .await?;
            receipt::Entity::update_many()
                .col_expr(
                    receipt::Column::Resolution,
                    Expr::value(resolution.as_str()),
                )
                .filter(receipt::Column::ConflictId.eq(conflict_id.as_str()))
                .exec(db)
                .await?;
        }
        ChangeKind::AttendanceSession {
            session_id,
            source,
            started_at_ms,
            ended_at_ms,
            breaks,
        } => {
            session::Entity::delete_by_id(session_id.as_str())
                .exec(db)
                .await?;
            session::ActiveModel {
                session_id: Set(session_id.clone()),
                source: Set(source.clone()),
                started_at_ms: Set(*started_at_ms),
                ended_at_ms: Set(*ended_at_ms),
                breaks: Set(serde_json::to_string(breaks).unwrap_or_else(|_| "[]".into())),
            }
            .insert(db)
            .await?;
        }
        ChangeKind::SessionRemoved { session_id } => {
            session::Entity::delete_by_id(session_id.as_str())
                .exec(db)
                .await?;
        }
        ChangeKind::LeaveRequest {
            request_id,
            status,
            starts_on,
            ends_on,
            note,
        } => {
            leave::Entity::delete_by_id(request_id.as_str())
                .exec(db)
                .await?;
            leave::ActiveModel {
                request_id: Set(request_id.clone()),
                status: Set(status.clone()),
                starts_on: Set(starts_on.clone()),
                ends_on: Set(ends_on.clone()),
                note: Set(note.clone()),
            }
            .insert(db)
            .await?;
        }
        ChangeKind::Device { device_id, status } => {
            device::Entity::update_many()
                .col_expr(device::Column::Status, Expr::value(status.as_str()))
                .filter(device::Column::DeviceId.eq(device_id.as_str()))
                .exec(db)
                .await?;
        }
        // The version comes with every page; fetching happens after the pull.
        ChangeKind::Config { .. } => {}
    }
    Ok(())
}

/// Pulls every page; answers how many changes were applied and the latest configuration
/// version the server mentioned.
pub async fn pull_all(
    store: &Store,
    client: &Client,
    now_ms: i64,
) -> Result<(usize, i64), FieldError> {
    let mut applied = 0;
    let mut config_version = 0;
    for _page in 0..10_000 {
        let cursor = store.state().await?.pull_cursor;
        let (page, next_cursor) = client.pull(&cursor, PAGE).await?;
        let transaction = host_sdk::db::begin_write(store.db()).await?;
        for change in &page.changes {
            apply_change(&transaction, &change.kind, now_ms).await?;
        }
        state::Entity::update_many()
            .col_expr(state::Column::PullCursor, Expr::value(next_cursor))
            .filter(state::Column::Id.eq(1))
            .exec(&transaction)
            .await?;
        transaction.commit().await?;
        applied += page.changes.len();
        config_version = page.config_version;
        if !page.has_more {
            break;
        }
    }
    Ok((applied, config_version))
}
