//! My leave requests: each request with where it stands (waiting to be sent, refused,
//! submitted, approved, rejected, withdrawn) and the administrator's note.

use crate::error::FieldError;
use crate::store::Store;
use crate::store::entities::{leave, queued_record, receipt};
use offline_tracking_protocol::{OfflineRecord, RecordKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Where a leave request stands, as the employee reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeaveStatus {
    /// Still on the phone.
    NotSentYet,
    /// The server refused the record itself (the code says why).
    Refused(String),
    /// The server has it; no decision yet.
    Submitted,
    /// An administrator's decision, or the employee's withdrawal, as the server reported it.
    Decided(String),
}

impl LeaveStatus {
    /// One word for a table column.
    pub fn word(&self) -> &str {
        match self {
            LeaveStatus::NotSentYet => "not_sent",
            LeaveStatus::Refused(_) => "refused",
            LeaveStatus::Submitted => "submitted",
            LeaveStatus::Decided(status) => status,
        }
    }
}

/// One leave request.
#[derive(Clone, Debug)]
pub struct LeaveLine {
    /// The request (its record's id).
    pub request_id: String,
    /// Its type, when the phone still holds the record.
    pub leave_type: Option<String>,
    /// First and last day, when known.
    pub days: Option<(String, String)>,
    pub status: LeaveStatus,
    /// The administrator's note.
    pub note: Option<String>,
}

/// What the server last said about a leave request, if anything.
pub async fn decision(store: &Store, request_id: &str) -> Result<Option<leave::Model>, FieldError> {
    Ok(leave::Entity::find_by_id(request_id)
        .one(store.db())
        .await?)
}

/// Every leave request the phone knows of, oldest first.
pub async fn leave_requests(store: &Store) -> Result<Vec<LeaveLine>, FieldError> {
    store.registered().await?;
    let kind = RecordKind::LeaveRequest.as_str();
    let mut lines = Vec::new();
    let waiting = queued_record::Entity::find()
        .filter(queued_record::Column::Kind.eq(kind))
        .order_by_asc(queued_record::Column::Sequence)
        .all(store.db())
        .await?;
    for record in waiting {
        let details = serde_json::from_str::<OfflineRecord>(&record.payload)
            .ok()
            .and_then(|r| r.leave);
        lines.push(LeaveLine {
            request_id: record.id,
            leave_type: details.as_ref().map(|d| d.leave_type.clone()),
            days: details.map(|d| (d.starts_on, d.ends_on)),
            status: LeaveStatus::NotSentYet,
            note: None,
        });
    }
    let answered = receipt::Entity::find()
        .filter(receipt::Column::Kind.eq(kind))
        .order_by_asc(receipt::Column::Sequence)
        .all(store.db())
        .await?;
    for receipt in answered {
        let known = decision(store, &receipt.record_id).await?;
        let status = match (&known, receipt.status.as_str()) {
            (Some(row), _) => LeaveStatus::Decided(row.status.clone()),
            (None, "rejected") => LeaveStatus::Refused(receipt.code.clone().unwrap_or_default()),
            (None, "duplicate") => LeaveStatus::Decided("duplicate".to_owned()),
            (None, _) => LeaveStatus::Submitted,
        };
        let status = match status {
            // The server's record of a request not yet decided says `pending`.
            LeaveStatus::Decided(word) if word == "pending" => LeaveStatus::Submitted,
            other => other,
        };
        lines.push(LeaveLine {
            request_id: receipt.record_id,
            leave_type: None,
            days: known
                .as_ref()
                .map(|row| (row.starts_on.clone(), row.ends_on.clone())),
            status,
            note: known.and_then(|row| row.note),
        });
    }
    Ok(lines)
}
