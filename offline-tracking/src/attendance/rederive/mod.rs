//! Re-derives one employee's attendance from everything stored and writes what changed:
//! record outcomes, conflicts, sessions, superseded entries and leave requests, each
//! change journaled for pull and audit. Runs inside the caller's transaction, after the
//! employee's lock was taken.

mod conflicts;
mod entries;
mod leave;
mod records;
mod sessions;
pub mod window;

use super::derive::{self, Event, ManualEntry, Override, Rules};
use super::outcome::{RecordState, ServerSides, outcome};
use crate::entities::states::{EntryStatus, RecordStatus};
use crate::entities::{conflict, conflict_decision, manual_entry, record};
use crate::store::journal::Journal;
use crate::sync::validate::GEOFENCE_FLAGS;
use chrono::NaiveDate;
use conflicts::persist_conflicts;
use entries::persist_entries;
use leave::persist_leave;
use offline_tracking_protocol::{AttendanceState, Decision, RecordKind};
use offline_tracking_settings::{ConflictPolicy, OfflineTrackingSettings};
use records::persist_records;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use sessions::persist_sessions;
use std::collections::{BTreeMap, BTreeSet};
use window::{Reach, Scope};

const DAY_MS: i64 = 86_400_000;
/// Ids per `IN (…)` list: well under every backend's bound on parameters.
const IDS_PER_QUERY: usize = 500;

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
    scope: Scope,
    reach: Reach<'_>,
) -> Result<Vec<RecordState>, DbErr> {
    let employee_records = || {
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
    };
    let Scope::After(cut) = scope else {
        return employee_records()
            .filter(record::Column::Status.is_in(RecordStatus::DERIVABLE))
            .into_model::<RecordState>()
            .all(db)
            .await;
    };
    // The statuses are sorted out here: with them in the query, a planner may read the
    // organisation's records by status instead of the employee's by time.
    let mut records: Vec<RecordState> = employee_records()
        .filter(record::Column::TrustedTimeMs.gt(cut))
        .into_model::<RecordState>()
        .all(db)
        .await?
        .into_iter()
        .filter(|state| RecordStatus::DERIVABLE.contains(&state.status))
        .collect();
    // This push's records, whatever their time: a leave request may be older than the cut.
    // Read by id, so no planner has an index to choose between.
    let after_cut: BTreeSet<String> = records.iter().map(|state| state.id.clone()).collect();
    if let Reach::NewRecords { stored, .. } = reach {
        let missing: Vec<&String> = stored
            .iter()
            .filter(|id| !after_cut.contains(*id))
            .collect();
        for chunk in missing.chunks(IDS_PER_QUERY) {
            records.extend(
                employee_records()
                    .filter(record::Column::Id.is_in(chunk.iter().map(|id| id.as_str())))
                    .into_model::<RecordState>()
                    .all(db)
                    .await?
                    .into_iter()
                    .filter(|state| RecordStatus::DERIVABLE.contains(&state.status)),
            );
        }
    }
    // A leave request repeats the first one with the same type and dates, whenever either
    // was sent: every leave request with the keys of those read is read too.
    let keys: BTreeSet<String> = records
        .iter()
        .filter(|state| state.kind == RecordKind::LeaveRequest)
        .filter_map(|state| state.leave_key.clone())
        .collect();
    if !keys.is_empty() {
        let loaded: BTreeSet<String> = records.iter().map(|state| state.id.clone()).collect();
        let earlier = employee_records()
            .filter(record::Column::Status.is_in(RecordStatus::DERIVABLE))
            .filter(record::Column::Kind.eq(RecordKind::LeaveRequest.as_str()))
            .filter(record::Column::LeaveKey.is_in(keys))
            .into_model::<RecordState>()
            .all(db)
            .await?;
        records.extend(
            earlier
                .into_iter()
                .filter(|state| !loaded.contains(&state.id)),
        );
    }
    Ok(records)
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

/// Re-derives `employee_id` and persists the differences: all of their history, or with
/// [`Reach::NewRecords`] what lies after a clean cut before this push's records (see
/// [`window`]).
pub async fn rederive(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    settings: &OfflineTrackingSettings,
    reach: Reach<'_>,
    journal: &mut Journal,
) -> Result<Rederived, DbErr> {
    let rules = rules(settings);
    let quiet_ms = rules
        .duplicate_window_ms
        .max(rules.order_tolerance_ms)
        .saturating_add(1);
    let mut conflicts: BTreeMap<String, conflict::Model> = conflict::Entity::find()
        .filter(conflict::Column::OrganisationId.eq(organisation_id))
        .filter(conflict::Column::EmployeeId.eq(employee_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id.clone(), row))
        .collect();
    let mut overrides = load_overrides(db, organisation_id, &conflicts).await?;
    // A corrected time may move a record across any cut: then everything is derived.
    let corrected = overrides
        .values()
        .any(|value| matches!(value, Override::Apply { time_ms: Some(_) }));
    let scope = if corrected {
        Scope::All
    } else {
        window::choose(db, organisation_id, employee_id, reach, quiet_ms).await?
    };
    let mut records: BTreeMap<String, RecordState> =
        load_records(db, organisation_id, employee_id, scope, reach)
            .await?
            .into_iter()
            .map(|state| (state.id.clone(), state))
            .collect();
    if scope != Scope::All {
        // Conflicts of records before the cut stay as they are: derivation does not see
        // them, and must not dissolve them.
        conflicts.retain(|_, row| records.contains_key(&row.record_id));
        overrides.retain(|record_id, _| records.contains_key(record_id));
    }
    let mut entries_query = manual_entry::Entity::find()
        .filter(manual_entry::Column::OrganisationId.eq(organisation_id))
        .filter(manual_entry::Column::EmployeeId.eq(employee_id))
        .filter(manual_entry::Column::Status.eq(EntryStatus::Active));
    if let Scope::After(cut) = scope {
        entries_query = entries_query.filter(manual_entry::Column::StartedAtMs.gt(cut));
    }
    let entries: BTreeMap<String, manual_entry::Model> = entries_query
        .all(db)
        .await?
        .into_iter()
        .map(|entry| (entry.id.clone(), entry))
        .collect();
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
    persist_sessions(db, organisation_id, employee_id, &derived, scope, journal).await?;
    persist_entries(db, &derived, &entries, journal).await?;
    persist_leave(
        db,
        organisation_id,
        employee_id,
        &derived,
        &records,
        journal,
    )
    .await?;

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
