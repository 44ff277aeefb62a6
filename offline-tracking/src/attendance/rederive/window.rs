//! How much of an employee's history a push derives again.
//!
//! Derivation reads events in time order and only ever looks back, so a push that adds
//! records later in time cannot change what it made of the time before them, as long as
//! the point where it starts reading is a clean cut: a check-out that derivation accepted
//! (so nothing was open after it), with nothing else at that instant, nothing within the
//! duplicate window after it, no administrator's entry spanning it, and no device whose
//! records on the two sides run against their sequence. The check-out's status is the one
//! the previous derivation stored; without such a cut, everything is derived.
//! The property test in `window_tests.rs` checks that deriving from a clean cut gives the
//! full derivation's answer for everything after it.

use crate::entities::states::{EntryStatus, RecordStatus};
use crate::entities::{manual_entry, record};
use offline_tracking_protocol::RecordKind;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// How much history a re-derivation reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everything the employee ever recorded.
    All,
    /// Attendance after this instant (exclusive), the sessions and entries after it, and
    /// the leave requests that new ones may repeat.
    After(i64),
}

/// What the caller changed, which bounds what must be derived again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach<'a> {
    /// Only the records this push stored: history before them stands.
    NewRecords {
        /// The trusted time of the earliest new check-in, check-out or break (none: only
        /// leave requests).
        earliest_ms: Option<i64>,
        /// The ids of the records this push stored, read whatever their time.
        stored: &'a [String],
    },
    /// Anything: an administrator's decision or entry, or an employee's action on an
    /// older record.
    Everything,
}

/// Records read back from the new ones for an accepted check-out to cut at.
const LOOK_BACK: u64 = 32;

/// Chooses the scope for `reach`. `quiet_ms` is how long after a cut nothing may happen
/// (the duplicate window and the clock tolerance), and how far before the earliest new
/// record the cut must lie.
pub async fn choose(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    reach: Reach<'_>,
    quiet_ms: i64,
) -> Result<Scope, DbErr> {
    let earliest_new = match reach {
        Reach::Everything => return Ok(Scope::All),
        Reach::NewRecords { earliest_ms, .. } => earliest_ms,
    };
    // Only the employee's time index is usable by these queries (statuses and kinds are
    // sorted out here), so no planner can choose to read the organisation's records by
    // status instead. Counting records of every status only makes a cut rarer.
    let employee_records = || {
        record::Entity::find()
            .filter(record::Column::OrganisationId.eq(organisation_id))
            .filter(record::Column::EmployeeId.eq(employee_id))
    };
    let before = earliest_new.map_or(i64::MAX, |at| at.saturating_sub(quiet_ms));
    // The last check-out derivation accepted well before the new records: it closed a
    // session (or an orphan's), so nothing is open after it. It is among the last few
    // records before them, or there is no cut.
    let latest: Vec<(i64, RecordKind, RecordStatus)> = employee_records()
        .select_only()
        .columns([
            record::Column::TrustedTimeMs,
            record::Column::Kind,
            record::Column::Status,
        ])
        .filter(record::Column::TrustedTimeMs.lt(before))
        .order_by_desc(record::Column::TrustedTimeMs)
        .limit(LOOK_BACK)
        .into_tuple()
        .all(db)
        .await?;
    let Some(cut) = latest
        .iter()
        .find(|(_, kind, status)| {
            *kind == RecordKind::CheckOut && *status == RecordStatus::Accepted
        })
        .map(|(at, _, _)| *at)
    else {
        return Ok(Scope::All);
    };
    // Nothing else at that instant, nothing in the quiet time after it.
    let from_cut: Vec<i64> = employee_records()
        .select_only()
        .column(record::Column::TrustedTimeMs)
        .filter(record::Column::TrustedTimeMs.gte(cut))
        .order_by_asc(record::Column::TrustedTimeMs)
        .limit(2)
        .into_tuple()
        .all(db)
        .await?;
    if from_cut
        .get(1)
        .is_some_and(|next| *next <= cut.saturating_add(quiet_ms))
    {
        return Ok(Scope::All);
    }
    // No administrator's entry spans the cut.
    let spanning = manual_entry::Entity::find()
        .filter(manual_entry::Column::OrganisationId.eq(organisation_id))
        .filter(manual_entry::Column::EmployeeId.eq(employee_id))
        .filter(manual_entry::Column::Status.eq(EntryStatus::Active))
        .filter(manual_entry::Column::StartedAtMs.lte(cut))
        .filter(
            sea_orm::Condition::any()
                .add(manual_entry::Column::EndedAtMs.is_null())
                .add(manual_entry::Column::EndedAtMs.gt(cut)),
        )
        .count(db)
        .await?;
    if spanning > 0 {
        return Ok(Scope::All);
    }
    // Every device's records after the cut come after its records before it in sequence.
    let firsts: Vec<(String, i64)> = employee_records()
        .select_only()
        .column(record::Column::DeviceId)
        .column_as(
            Expr::expr(Func::min(Expr::col(record::Column::Sequence))),
            "first",
        )
        .filter(record::Column::TrustedTimeMs.gt(cut))
        .group_by(record::Column::DeviceId)
        .into_tuple()
        .all(db)
        .await?;
    for (device_id, first) in firsts {
        let behind = record::Entity::find()
            .filter(record::Column::DeviceId.eq(device_id.as_str()))
            .filter(record::Column::Sequence.gt(first))
            .filter(record::Column::TrustedTimeMs.lte(cut))
            .count(db)
            .await?;
        if behind > 0 {
            return Ok(Scope::All);
        }
    }
    Ok(Scope::After(cut))
}
