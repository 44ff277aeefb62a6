//! Stores derived attendance sessions and removes those derivation no longer makes.

use super::window::Scope;
use crate::attendance::derive::{self, Derivation, Source};
use crate::clock::now_ms;
use crate::entities::session;
use crate::entities::session::StoredBreak;
use crate::entities::states::SessionSource;
use crate::store::journal::Journal;
use host_sdk::db::StoredJson;
use offline_tracking_protocol::ChangeKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn stored_breaks(breaks: &[derive::DerivedBreak]) -> StoredJson<Vec<StoredBreak>> {
    StoredJson(
        breaks
            .iter()
            .map(|b| StoredBreak {
                started_at_ms: b.started_at_ms,
                ended_at_ms: b.ended_at_ms,
            })
            .collect(),
    )
}

/// Sessions per INSERT or DELETE: thirteen columns each stays under every backend's bound
/// on parameters.
const SESSIONS_PER_STATEMENT: usize = 500;

pub(super) async fn persist_sessions(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    derived: &Derivation,
    scope: Scope,
    journal: &mut Journal,
) -> Result<(), DbErr> {
    let employee_sessions = || {
        session::Entity::find()
            .filter(session::Column::OrganisationId.eq(organisation_id))
            .filter(session::Column::EmployeeId.eq(employee_id))
    };
    let rows = match scope {
        Scope::All => employee_sessions().all(db).await?,
        // The sessions after the cut: those that start after it, and those of unknown
        // start that end after it or not at all. Two queries, each a range of the
        // `(organisation_id, started_at_ms)` index: one with `OR` reads every session.
        Scope::After(cut) => {
            let mut rows = employee_sessions()
                .filter(session::Column::StartedAtMs.gt(cut))
                .all(db)
                .await?;
            rows.extend(
                employee_sessions()
                    .filter(session::Column::StartedAtMs.is_null())
                    .filter(
                        sea_orm::Condition::any()
                            .add(session::Column::EndedAtMs.is_null())
                            .add(session::Column::EndedAtMs.gt(cut)),
                    )
                    .all(db)
                    .await?,
            );
            rows
        }
    };
    let stored: BTreeMap<String, session::Model> =
        rows.into_iter().map(|row| (row.id.clone(), row)).collect();
    let now = now_ms();
    let mut seen = BTreeSet::new();
    let mut new_rows = Vec::new();
    for derived_session in &derived.sessions {
        seen.insert(derived_session.id.clone());
        let row = session::Model {
            organisation_id,
            employee_id,
            id: derived_session.id.clone(),
            source: match derived_session.source {
                Source::Offline => SessionSource::Offline,
                Source::Manual => SessionSource::Manual,
            },
            started_at_ms: derived_session.started_at_ms,
            ended_at_ms: derived_session.ended_at_ms,
            start_record_id: derived_session.start_record.clone(),
            end_record_id: derived_session.end_record.clone(),
            manual_entry_id: derived_session.entry_id.clone(),
            breaks: stored_breaks(&derived_session.breaks),
            flags: StoredJson(derived_session.flags.clone()),
            updated_at_ms: now,
        };
        match stored.get(&row.id) {
            Some(existing)
                if session::Model {
                    updated_at_ms: now,
                    ..existing.clone()
                } == row =>
            {
                continue;
            }
            Some(_) => {
                // A model turned into an active model marks every column `Unchanged`, and
                // an update writes only what is `Set`: without `reset_all` this wrote
                // nothing, so the stored session kept its first version while the change
                // log carried the new one, again at every later push.
                session::Entity::update(row.clone().into_active_model().reset_all())
                    .exec(db)
                    .await?;
            }
            None => new_rows.push(row.clone().into_active_model()),
        }
        journal.change(
            Some(employee_id),
            &row.id,
            ChangeKind::AttendanceSession {
                session_id: row.id.clone(),
                source: row.source.to_string(),
                started_at_ms: row.started_at_ms,
                ended_at_ms: row.ended_at_ms,
                breaks: derived_session
                    .breaks
                    .iter()
                    .map(|b| (b.started_at_ms, b.ended_at_ms))
                    .collect(),
            },
        );
    }
    // New sessions in multi-row INSERTs, removed ones in one DELETE per chunk.
    for chunk in new_rows.chunks(SESSIONS_PER_STATEMENT) {
        session::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(db)
            .await?;
    }
    let removed: Vec<&String> = stored.keys().filter(|id| !seen.contains(*id)).collect();
    for chunk in removed.chunks(SESSIONS_PER_STATEMENT) {
        session::Entity::delete_many()
            .filter(session::Column::OrganisationId.eq(organisation_id))
            .filter(session::Column::EmployeeId.eq(employee_id))
            .filter(session::Column::Id.is_in(chunk.iter().map(|id| id.as_str())))
            .exec(db)
            .await?;
    }
    for id in removed {
        journal.change(
            Some(employee_id),
            id,
            ChangeKind::SessionRemoved {
                session_id: id.clone(),
            },
        );
    }
    Ok(())
}
