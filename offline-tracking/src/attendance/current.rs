//! The employee's attendance now, as stored: what the last derivation wrote. A push that
//! brings nothing new answers from here instead of deriving again, so it writes nothing.

use crate::entities::session;
use offline_tracking_protocol::AttendanceState;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

/// One break as a session row stores it.
#[derive(Deserialize)]
struct StoredBreak {
    started_at_ms: Option<i64>,
    ended_at_ms: Option<i64>,
}

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
    let breaks: Vec<StoredBreak> = serde_json::from_str(&open.breaks).map_err(|error| {
        DbErr::Custom(format!(
            "session {} of employee {employee_id} has unreadable breaks: {error}",
            open.id
        ))
    })?;
    Ok(AttendanceState {
        checked_in_since_ms: open.started_at_ms,
        on_break_since_ms: breaks
            .iter()
            .rev()
            .find(|b| b.ended_at_ms.is_none())
            .and_then(|b| b.started_at_ms),
    })
}
