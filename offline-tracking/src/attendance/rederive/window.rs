//! How much of an employee's history a push derives again.
//!
//! Derivation reads events in time order and only ever looks back, so a push that adds
//! records later in time cannot change what it made of the time before them, as long as
//! the point where it starts reading is a clean cut: the end of a session, closed by a
//! check-out that derivation accepted, with nothing else at that instant, nothing within
//! the duplicate window after it, no administrator's entry spanning it, and no device
//! whose records on the two sides run against their sequence. Such a cut is taken from
//! the sessions stored by the previous derivation; without one, everything is derived.
//! The property test in `window_tests.rs` checks that deriving from a clean cut gives the
//! full derivation's answer for everything after it.

use crate::entities::states::{EntryStatus, RecordStatus, SessionSource};
use crate::entities::{manual_entry, record, session};
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
pub enum Reach {
    /// Only records this push stored (status `received`): history before them stands.
    NewRecords,
    /// Anything: an administrator's decision or entry, or an employee's action on an
    /// older record.
    Everything,
}

/// Chooses the scope for `reach`. `quiet_ms` is how long after a cut nothing may happen
/// (the duplicate window and the clock tolerance), and how far before the earliest new
/// record the cut must lie.
pub async fn choose(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    reach: Reach,
    quiet_ms: i64,
) -> Result<Scope, DbErr> {
    if reach == Reach::Everything {
        return Ok(Scope::All);
    }
    let employee_records = || {
        record::Entity::find()
            .filter(record::Column::OrganisationId.eq(organisation_id))
            .filter(record::Column::EmployeeId.eq(employee_id))
            .filter(record::Column::Status.is_in(RecordStatus::DERIVABLE))
    };
    let earliest_new: Option<i64> = employee_records()
        .select_only()
        .column_as(
            Expr::expr(Func::min(Expr::col(record::Column::TrustedTimeMs))),
            "earliest",
        )
        .filter(record::Column::Status.eq(RecordStatus::Received))
        .filter(record::Column::Kind.ne(RecordKind::LeaveRequest.as_str()))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    let before = earliest_new.map_or(i64::MAX, |at| at.saturating_sub(quiet_ms));
    // The last offline session that a check-out closed, ending well before the new records.
    let Some((cut, check_out)) = session::Entity::find()
        .select_only()
        .columns([session::Column::EndedAtMs, session::Column::EndRecordId])
        .filter(session::Column::OrganisationId.eq(organisation_id))
        .filter(session::Column::EmployeeId.eq(employee_id))
        .filter(session::Column::Source.eq(SessionSource::Offline))
        .filter(session::Column::EndRecordId.is_not_null())
        .filter(session::Column::EndedAtMs.lt(before))
        .order_by_desc(session::Column::EndedAtMs)
        .into_tuple::<(Option<i64>, Option<String>)>()
        .one(db)
        .await?
        .and_then(|(ended, record)| Some((ended?, record?)))
    else {
        return Ok(Scope::All);
    };
    // It ends at an accepted check-out placed exactly there (no corrected time).
    let closing = record::Entity::find_by_id(check_out.as_str())
        .select_only()
        .columns([
            record::Column::TrustedTimeMs,
            record::Column::Kind,
            record::Column::Status,
        ])
        .into_tuple::<(i64, RecordKind, RecordStatus)>()
        .one(db)
        .await?;
    if closing != Some((cut, RecordKind::CheckOut, RecordStatus::Accepted)) {
        return Ok(Scope::All);
    }
    // Nothing else at that instant, nothing in the quiet time after it.
    let at_cut = employee_records()
        .filter(record::Column::TrustedTimeMs.eq(cut))
        .count(db)
        .await?;
    let next: Option<i64> = employee_records()
        .select_only()
        .column_as(
            Expr::expr(Func::min(Expr::col(record::Column::TrustedTimeMs))),
            "next",
        )
        .filter(record::Column::TrustedTimeMs.gt(cut))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    if at_cut != 1 || next.is_some_and(|next| next <= cut.saturating_add(quiet_ms)) {
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
            .filter(record::Column::Status.is_in(RecordStatus::DERIVABLE))
            .count(db)
            .await?;
        if behind > 0 {
            return Ok(Scope::All);
        }
    }
    Ok(Scope::After(cut))
}
