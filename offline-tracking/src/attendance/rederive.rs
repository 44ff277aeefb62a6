//! Re-derives one employee's attendance from everything stored and writes what changed:
//! record outcomes, conflicts, sessions, superseded entries and leave requests, each
//! change journaled for pull and audit. Runs inside the caller's transaction, after the
//! employee's lock was taken.

use super::derive::{
    self, Derivation, Event, ManualEntry, Override, Rules, ServerRef, Source, Verdict,
};
use super::outcome::{RecordState, ServerSides, outcome};
use crate::clock::now_ms;
use crate::entities::session::StoredBreak;
use crate::entities::states::{EntryStatus, LeaveStatus, RecordStatus, ServerKind, SessionSource};
use crate::entities::{conflict, conflict_decision, leave_request, manual_entry, record, session};
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use crate::sync::validate::GEOFENCE_FLAGS;
use chrono::NaiveDate;
use host_sdk::db::StoredJson;
use offline_tracking_protocol::{AttendanceState, ChangeKind, Decision, RecordKind, RecordResult};
use offline_tracking_settings::{ConflictPolicy, OfflineTrackingSettings};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

const DAY_MS: i64 = 86_400_000;

/// What a re-derivation leaves behind, for the push that triggered it.
pub struct Rederived {
    /// Every record derivation looked at, as stored now.
    pub records: BTreeMap<String, RecordState>,
    /// The employee's conflicts by id.
    pub conflicts: BTreeMap<String, conflict::Model>,
    /// Manual entries by id.
    pub entries: BTreeMap<String, manual_entry::Model>,
    /// The employee's attendance now.
    pub attendance: AttendanceState,
}

impl Rederived {
    /// The outcome of a record, as the device is told it.
    pub fn outcome_of(&self, record_id: &str) -> Option<offline_tracking_protocol::Outcome> {
        let record = self.records.get(record_id)?;
        let conflict = record
            .conflict_id
            .as_ref()
            .and_then(|id| self.conflicts.get(id));
        let sides = ServerSides {
            records: &self.records,
            entries: &self.entries,
        };
        Some(outcome(record, conflict, &sides))
    }
}

/// The organisation's rules for derivation.
pub fn rules(settings: &OfflineTrackingSettings) -> Rules {
    Rules {
        policy: settings.conflict_resolution,
        duplicate_window_ms: i64::from(settings.duplicate_window_seconds) * 1000,
        order_tolerance_ms: i64::from(settings.clock_skew_tolerance_seconds) * 1000,
        locked_until_ms: settings
            .attendance_locked_until
            .as_deref()
            .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
            .and_then(|date| date.and_hms_opt(0, 0, 0))
            .map(|midnight| midnight.and_utc().timestamp_millis() + DAY_MS),
    }
}

async fn load_records(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
) -> Result<Vec<RecordState>, DbErr> {
    record::Entity::find()
        .select_only()
        .columns([
            record::Column::Id,
            record::Column::DeviceId,
            record::Column::Sequence,
            record::Column::Kind,
            record::Column::TrustedTimeMs,
            record::Column::Stale,
            record::Column::SuspectClock,
            record::Column::LeaveKey,
            record::Column::Status,
            record::Column::StatusCode,
            record::Column::StatusMessage,
            record::Column::ConflictId,
            record::Column::Flags,
        ])
        .filter(record::Column::OrganisationId.eq(organisation_id))
        .filter(record::Column::EmployeeId.eq(employee_id))
        .filter(record::Column::Status.is_in(RecordStatus::DERIVABLE))
        .into_model::<RecordState>()
        .all(db)
        .await
}

/// Administrators' decisions in force, by the record they are about.
async fn load_overrides(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    conflicts: &BTreeMap<String, conflict::Model>,
) -> Result<BTreeMap<String, Override>, DbErr> {
    if conflicts.is_empty() {
        return Ok(BTreeMap::new());
    }
    let decisions = conflict_decision::Entity::find()
        .filter(conflict_decision::Column::OrganisationId.eq(organisation_id))
        .filter(conflict_decision::Column::ConflictId.is_in(conflicts.keys().cloned()))
        .filter(conflict_decision::Column::ReversedAtMs.is_null())
        .order_by_asc(conflict_decision::Column::DecidedAtMs)
        .all(db)
        .await?;
    let mut overrides = BTreeMap::new();
    for decision in decisions {
        let Some(conflict) = conflicts.get(&decision.conflict_id) else {
            continue;
        };
        let value = match decision.decision {
            Decision::AcceptOffline => Override::Apply { time_ms: None },
            Decision::CorrectTimes => Override::Apply {
                time_ms: decision.corrected_time_ms,
            },
            Decision::KeepServer => Override::Exclude,
        };
        // Later decisions replace earlier ones.
        overrides.insert(conflict.record_id.clone(), value);
    }
    Ok(overrides)
}

/// Re-derives `employee_id` and persists the differences.
pub async fn rederive(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    settings: &OfflineTrackingSettings,
    journal: &mut Journal,
) -> Result<Rederived, DbErr> {
    let mut records: BTreeMap<String, RecordState> = load_records(db, organisation_id, employee_id)
        .await?
        .into_iter()
        .map(|state| (state.id.clone(), state))
        .collect();
    let entries: BTreeMap<String, manual_entry::Model> = manual_entry::Entity::find()
        .filter(manual_entry::Column::OrganisationId.eq(organisation_id))
        .filter(manual_entry::Column::EmployeeId.eq(employee_id))
        .filter(manual_entry::Column::Status.eq(EntryStatus::Active))
        .all(db)
        .await?
        .into_iter()
        .map(|entry| (entry.id.clone(), entry))
        .collect();
    let mut conflicts: BTreeMap<String, conflict::Model> = conflict::Entity::find()
        .filter(conflict::Column::OrganisationId.eq(organisation_id))
        .filter(conflict::Column::EmployeeId.eq(employee_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id.clone(), row))
        .collect();
    let overrides = load_overrides(db, organisation_id, &conflicts).await?;
    // Records stored by the push running now: its answer reports their outcomes.
    let answered: BTreeSet<String> = records
        .values()
        .filter(|state| state.status == RecordStatus::Received)
        .map(|state| state.id.clone())
        .collect();

    let events: Vec<Event> = records
        .values()
        .map(|state| Event {
            record_id: state.id.clone(),
            device_id: state.device_id.clone(),
            sequence: state.sequence,
            kind: state.kind,
            time_ms: state.trusted_time_ms,
            stale: state.stale,
            suspect_clock: state.suspect_clock,
            outside_geofence: GEOFENCE_FLAGS.iter().any(|flag| state.has_flag(flag)),
            leave_key: state.leave_key.clone(),
        })
        .collect();
    let manual: Vec<ManualEntry> = entries
        .values()
        .map(|entry| ManualEntry {
            id: entry.id.clone(),
            started_at_ms: entry.started_at_ms,
            ended_at_ms: entry.ended_at_ms,
            recorded_at_ms: entry.recorded_at_ms,
        })
        .collect();
    // Derivation is CPU work that grows with the employee's history: off the module's
    // async workers, so one long derivation never stalls other requests.
    let rules = rules(settings);
    let pins: BTreeMap<String, ConflictPolicy> = conflicts
        .values()
        .filter_map(|row| Some((row.conflict_key.clone(), row.policy?)))
        .collect();
    let derived = tokio::task::spawn_blocking(move || {
        derive::derive_pinned(&events, &manual, &overrides, &pins, rules)
    })
    .await
    .map_err(|failure| DbErr::Custom(format!("derivation failed: {failure}")))?;

    let conflict_ids = persist_conflicts(
        db,
        organisation_id,
        employee_id,
        &derived,
        &mut conflicts,
        &answered,
        journal,
    )
    .await?;
    persist_records(
        db,
        employee_id,
        &derived,
        &conflict_ids,
        &conflicts,
        &entries,
        &mut records,
        journal,
    )
    .await?;
    persist_sessions(db, organisation_id, employee_id, &derived, journal).await?;
    persist_entries(db, &derived, &entries, journal).await?;
    persist_leave(db, organisation_id, employee_id, &derived, journal).await?;

    let attendance = derived
        .sessions
        .iter()
        .rev()
        .find(|s| s.ended_at_ms.is_none())
        .map(|open| AttendanceState {
            checked_in_since_ms: open.started_at_ms,
            on_break_since_ms: open
                .breaks
                .iter()
                .rev()
                .find(|b| b.ended_at_ms.is_none())
                .and_then(|b| b.started_at_ms),
        })
        .unwrap_or_default();
    Ok(Rederived {
        records,
        conflicts,
        entries,
        attendance,
    })
}

fn server_columns(server: &Option<ServerRef>) -> (Option<ServerKind>, Option<String>) {
    match server {
        Some(ServerRef::Entry(id)) => (Some(ServerKind::ManualEntry), Some(id.clone())),
        Some(ServerRef::Record(id)) => (Some(ServerKind::Record), Some(id.clone())),
        None => (None, None),
    }
}

fn conflict_change(
    row: &conflict::Model,
    decision: Option<Decision>,
    note: Option<String>,
) -> ChangeKind {
    ChangeKind::Conflict {
        conflict_id: row.id.clone(),
        conflict_type: row.conflict_type,
        resolution: row.resolution,
        record_id: row.record_id.clone(),
        decision,
        note,
        dissolved: row.dissolved,
    }
}

/// Answers the conflict id of every derived conflict key.
async fn persist_conflicts(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    derived: &Derivation,
    conflicts: &mut BTreeMap<String, conflict::Model>,
    answered: &BTreeSet<String>,
    journal: &mut Journal,
) -> Result<BTreeMap<String, String>, DbErr> {
    let announce = |journal: &mut Journal, row: &conflict::Model| {
        let change = conflict_change(row, None, None);
        if answered.contains(&row.record_id) {
            journal.answered_change(Some(employee_id), &row.id, change);
        } else {
            journal.change(Some(employee_id), &row.id, change);
        }
    };
    let now = now_ms();
    let by_key: BTreeMap<String, String> = conflicts
        .values()
        .map(|row| (row.conflict_key.clone(), row.id.clone()))
        .collect();
    let mut ids = BTreeMap::new();
    for (key, found) in &derived.conflicts {
        let (server_kind, server_id) = server_columns(&found.server);
        let resolution = found.resolution;
        let policy = found.policy;
        match by_key.get(key).and_then(|id| conflicts.get(id)).cloned() {
            Some(existing) => {
                ids.insert(key.clone(), existing.id.clone());
                let unchanged = !existing.dissolved
                    && existing.resolution == resolution
                    && existing.server_kind == server_kind
                    && existing.server_id == server_id;
                if unchanged {
                    if existing.policy.is_none() && policy.is_some() {
                        // A conflict from before policies were pinned: pin the one that
                        // gave it its resolution, without a change the device must pull.
                        let mut active = existing.clone().into_active_model();
                        active.policy = Set(policy);
                        let pinned = active.update(db).await?;
                        conflicts.insert(pinned.id.clone(), pinned);
                    }
                    continue;
                }
                let mut active = existing.clone().into_active_model();
                active.policy = Set(existing.policy.or(policy));
                active.resolution = Set(resolution);
                active.server_kind = Set(server_kind);
                active.server_id = Set(server_id);
                active.dissolved = Set(false);
                active.updated_at_ms = Set(now);
                let updated = active.update(db).await?;
                journal.audit(
                    &Actor::System,
                    AuditAction::ConflictUpdated,
                    "conflict",
                    &updated.id,
                    json!({"from": existing.resolution, "to": resolution, "reopened": existing.dissolved}),
                );
                announce(journal, &updated);
                conflicts.insert(updated.id.clone(), updated);
            }
            None => {
                let row = conflict::ActiveModel {
                    id: Set(uuid::Uuid::now_v7().to_string()),
                    organisation_id: Set(organisation_id),
                    employee_id: Set(employee_id),
                    conflict_key: Set(key.clone()),
                    conflict_type: Set(found.conflict_type),
                    record_id: Set(found.record_id.clone()),
                    server_kind: Set(server_kind),
                    server_id: Set(server_id),
                    resolution: Set(resolution),
                    policy: Set(policy),
                    dissolved: Set(false),
                    detected_at_ms: Set(now),
                    updated_at_ms: Set(now),
                }
                .insert(db)
                .await?;
                journal.audit(
                    &Actor::System,
                    AuditAction::ConflictDetected,
                    "conflict",
                    &row.id,
                    json!({
                        "type": row.conflict_type,
                        "record_id": row.record_id,
                        "server_kind": row.server_kind,
                        "server_id": row.server_id,
                        "resolution": row.resolution,
                        "policy": row.policy,
                    }),
                );
                announce(journal, &row);
                ids.insert(key.clone(), row.id.clone());
                conflicts.insert(row.id.clone(), row);
            }
        }
    }
    let gone: Vec<conflict::Model> = conflicts
        .values()
        .filter(|row| !row.dissolved && !derived.conflicts.contains_key(&row.conflict_key))
        .cloned()
        .collect();
    for row in gone {
        let mut active = row.clone().into_active_model();
        active.dissolved = Set(true);
        active.updated_at_ms = Set(now);
        let updated = active.update(db).await?;
        journal.audit(
            &Actor::System,
            AuditAction::ConflictDissolved,
            "conflict",
            &updated.id,
            json!({"type": updated.conflict_type, "record_id": updated.record_id}),
        );
        journal.change(
            Some(employee_id),
            &updated.id,
            conflict_change(&updated, None, None),
        );
        conflicts.insert(updated.id.clone(), updated);
    }
    Ok(ids)
}

/// Stores each record's derived status; a record already answered before (not one this
/// push stored) gets a `record_outcome` change and an audit entry when its status moves.
#[allow(clippy::too_many_arguments)]
async fn persist_records(
    db: &impl ConnectionTrait,
    employee_id: i64,
    derived: &Derivation,
    conflict_ids: &BTreeMap<String, String>,
    conflicts: &BTreeMap<String, conflict::Model>,
    entries: &BTreeMap<String, manual_entry::Model>,
    records: &mut BTreeMap<String, RecordState>,
    journal: &mut Journal,
) -> Result<(), DbErr> {
    // Server sides are described as they were before this derivation moved anything.
    let before = records.clone();
    let sides = ServerSides {
        records: &before,
        entries,
    };
    let now = now_ms();
    for (record_id, verdict) in &derived.verdicts {
        let Some(state) = records.get(record_id).cloned() else {
            continue;
        };
        let (status, conflict_key) = match verdict {
            Verdict::Accepted => (RecordStatus::Accepted, None),
            Verdict::Duplicate { .. } => (
                RecordStatus::Duplicate,
                Some(derive::conflict_key(
                    offline_tracking_protocol::ConflictType::Duplicate,
                    record_id,
                )),
            ),
            Verdict::Conflict { key, applied } => {
                let resolution = derived.conflicts.get(key).map(|c| c.resolution);
                let status = if *applied {
                    RecordStatus::Accepted
                } else if resolution == Some(offline_tracking_protocol::Resolution::PendingReview) {
                    RecordStatus::Held
                } else {
                    RecordStatus::Overruled
                };
                (status, Some(key.clone()))
            }
        };
        let conflict_id = conflict_key.and_then(|key| conflict_ids.get(&key).cloned());
        if state.status == status && state.conflict_id == conflict_id {
            continue;
        }
        let updated = RecordState {
            status,
            conflict_id: conflict_id.clone(),
            ..state.clone()
        };
        let mut update = record::Entity::update_many()
            .col_expr(
                record::Column::Status,
                sea_orm::sea_query::Expr::value(status),
            )
            .col_expr(
                record::Column::ConflictId,
                sea_orm::sea_query::Expr::value(conflict_id.clone()),
            )
            .col_expr(
                record::Column::UpdatedAtMs,
                sea_orm::sea_query::Expr::value(now),
            );
        // A record this push stored gets its first answer in the same write as its
        // status, so the push writes it twice (stored, then settled), not three times.
        if state.status == RecordStatus::Received {
            let conflict = conflict_id.as_ref().and_then(|id| conflicts.get(id));
            let first = serde_json::to_string(&outcome(&updated, conflict, &sides))
                .map_err(|error| DbErr::Custom(format!("record {record_id}: {error}")))?;
            update = update.col_expr(
                record::Column::FirstResult,
                sea_orm::sea_query::Expr::value(first),
            );
        }
        update
            .filter(record::Column::Id.eq(record_id.as_str()))
            .exec(db)
            .await?;
        // A record's first outcome is the push's answer; later changes reach devices here.
        if state.status != RecordStatus::Received {
            journal.audit(
                &Actor::System,
                AuditAction::RecordStatusChanged,
                "record",
                record_id,
                json!({"from": state.status, "to": status, "conflict_id": conflict_id}),
            );
            if let Ok(id) = uuid::Uuid::parse_str(record_id) {
                journal.change(
                    Some(employee_id),
                    record_id,
                    ChangeKind::RecordOutcome(RecordResult {
                        record_id: id,
                        sequence: state.sequence as u64,
                        outcome: outcome(
                            &updated,
                            updated
                                .conflict_id
                                .as_ref()
                                .and_then(|id| conflicts.get(id)),
                            &sides,
                        ),
                    }),
                );
            }
        }
        records.insert(record_id.clone(), updated);
    }
    Ok(())
}

fn stored_breaks(breaks: &[derive::DerivedBreak]) -> StoredJson<Vec<StoredBreak>> {
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

async fn persist_sessions(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    derived: &Derivation,
    journal: &mut Journal,
) -> Result<(), DbErr> {
    let stored: BTreeMap<String, session::Model> = session::Entity::find()
        .filter(session::Column::OrganisationId.eq(organisation_id))
        .filter(session::Column::EmployeeId.eq(employee_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id.clone(), row))
        .collect();
    let now = now_ms();
    let mut seen = BTreeSet::new();
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
            None => {
                session::Entity::insert(row.clone().into_active_model())
                    .exec_without_returning(db)
                    .await?;
            }
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
    for id in stored.keys().filter(|id| !seen.contains(*id)) {
        session::Entity::delete_many()
            .filter(session::Column::OrganisationId.eq(organisation_id))
            .filter(session::Column::EmployeeId.eq(employee_id))
            .filter(session::Column::Id.eq(id.as_str()))
            .exec(db)
            .await?;
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

async fn persist_entries(
    db: &impl ConnectionTrait,
    derived: &Derivation,
    entries: &BTreeMap<String, manual_entry::Model>,
    journal: &mut Journal,
) -> Result<(), DbErr> {
    for entry in entries.values() {
        let superseded = derived.superseded_entries.contains(&entry.id);
        if entry.superseded == superseded {
            continue;
        }
        let mut active = entry.clone().into_active_model();
        active.superseded = Set(superseded);
        active.update(db).await?;
        let action = if superseded {
            AuditAction::ManualEntrySuperseded
        } else {
            AuditAction::ManualEntryRestored
        };
        journal.audit(
            &Actor::System,
            action,
            "manual_entry",
            &entry.id,
            json!({"employee_id": entry.employee_id}),
        );
    }
    Ok(())
}

async fn persist_leave(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    derived: &Derivation,
    journal: &mut Journal,
) -> Result<(), DbErr> {
    let accepted: Vec<&String> = derived
        .verdicts
        .iter()
        .filter(|(_, verdict)| **verdict == Verdict::Accepted)
        .map(|(id, _)| id)
        .collect();
    if accepted.is_empty() {
        return Ok(());
    }
    let leave_records = record::Entity::find()
        .filter(record::Column::Id.is_in(accepted.iter().map(|id| id.as_str())))
        .filter(record::Column::Kind.eq(RecordKind::LeaveRequest.as_str()))
        .all(db)
        .await?;
    for leave_record in leave_records {
        let exists = leave_request::Entity::find_by_id(leave_record.id.as_str())
            .one(db)
            .await?;
        if exists.is_some() {
            continue;
        }
        let Ok(parsed) =
            serde_json::from_str::<offline_tracking_protocol::OfflineRecord>(&leave_record.payload)
        else {
            continue;
        };
        let Some(leave) = parsed.leave else { continue };
        let row = leave_request::ActiveModel {
            id: Set(leave_record.id.clone()),
            organisation_id: Set(organisation_id),
            employee_id: Set(employee_id),
            leave_type: Set(leave.leave_type.trim().to_owned()),
            starts_on: Set(leave.starts_on.clone()),
            ends_on: Set(leave.ends_on.clone()),
            reason: Set(leave.reason.clone()),
            status: Set(LeaveStatus::Pending),
            decided_by: Set(None),
            decided_at_ms: Set(None),
            decision_note: Set(None),
            created_at_ms: Set(now_ms()),
        }
        .insert(db)
        .await?;
        journal.audit(
            &Actor::Device(leave_record.device_id.clone()),
            AuditAction::LeaveRequested,
            "leave_request",
            &row.id,
            json!({"leave_type": row.leave_type, "starts_on": row.starts_on, "ends_on": row.ends_on}),
        );
        journal.change(Some(employee_id), &row.id, crate::leave::change(&row));
    }
    Ok(())
}
