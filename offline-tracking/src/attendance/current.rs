//! The employee's attendance now, as stored: what the last derivation wrote. A push that
//! brings nothing new answers from here instead of deriving again, so it writes nothing.

use crate::entities::session;
use offline_tracking_protocol::AttendanceState;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// Whether `employee_id` is checked in, and on a break, according to the stored sessions.
pub async fn current(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
) -> Result<AttendanceState, DbErr> {
    let open = session::Entity::find()
        .filter(session::Column::OrganisationId.eq(organisation_id))
        .filter(session::Column::EmployeeId.eq(employee_id))
        .filter(session::Column::EndedAtMs.is_null())
        .order_by_desc(session::Column::StartedAtMs)
        .one(db)
        .await?;
    let Some(open) = open else {
        return Ok(AttendanceState::default());
    };
    Ok(AttendanceState {
        checked_in_since_ms: open.started_at_ms,
        on_break_since_ms: open
            .breaks
            .iter()
            .rev()
            .find(|b| b.ended_at_ms.is_none())
            .and_then(|b| b.started_at_ms),
    })
}
