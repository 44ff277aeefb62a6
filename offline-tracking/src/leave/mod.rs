//! Leave requests made offline: pending until an administrator approves or rejects them.

pub mod routes;

use crate::entities::leave_request;
use offline_tracking_protocol::ChangeKind;

/// The change that tells the employee's devices where a leave request stands.
pub fn change(request: &leave_request::Model) -> ChangeKind {
    ChangeKind::LeaveRequest {
        request_id: request.id.clone(),
        status: request.status.to_string(),
        starts_on: request.starts_on.clone(),
        ends_on: request.ends_on.clone(),
        note: request.decision_note.clone(),
    }
}
