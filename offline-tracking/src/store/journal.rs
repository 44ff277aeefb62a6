//! Everything a transaction reports besides its own rows: changes for devices to pull and
//! audit entries. Collected while the transaction works, written at its end (so the
//! organisation-wide counters are held as briefly as possible).

use super::audit_action::AuditAction;
use super::{audit, sequence};
use crate::clock::now_ms;
use crate::entities::change;
use host_sdk::db::StoredJson;
use offline_tracking_protocol::{ChangeKind, ChangeRange};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use serde_json::Value;

/// Who did something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A device, by id.
    Device(String),
    /// A user (an administrator or the employee), by id.
    User(i64),
    /// The module itself (derivation, policy).
    System,
}

impl Actor {
    fn kind(&self) -> &'static str {
        match self {
            Actor::Device(_) => "device",
            Actor::User(_) => "user",
            Actor::System => "system",
        }
    }

    fn id(&self) -> String {
        match self {
            Actor::Device(id) => id.clone(),
            Actor::User(id) => id.to_string(),
            Actor::System => "offline-tracking".to_owned(),
        }
    }
}

struct PendingChange {
    employee_id: Option<i64>,
    entity_id: String,
    kind: ChangeKind,
    /// The push that wrote it already told its device.
    answered: bool,
}

/// The changes and audit entries of one transaction.
pub struct Journal {
    organisation_id: i64,
    origin_device: Option<String>,
    changes: Vec<PendingChange>,
    audit: Vec<audit::NewEntry>,
}

impl Journal {
    /// A journal for work in `organisation_id`; `origin_device` is the device whose push
    /// this is (its pulls skip the changes its push answer already reported).
    pub fn new(organisation_id: i64, origin_device: Option<String>) -> Self {
        Self {
            organisation_id,
            origin_device,
            changes: Vec::new(),
            audit: Vec::new(),
        }
    }

    /// Nothing was reported: the transaction changed nothing worth a change or an audit
    /// entry.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.audit.is_empty()
    }

    /// A change `employee_id`'s devices (or, with `None`, every device) should pull.
    pub fn change(&mut self, employee_id: Option<i64>, entity_id: &str, kind: ChangeKind) {
        self.changes.push(PendingChange {
            employee_id,
            entity_id: entity_id.to_owned(),
            kind,
            answered: false,
        });
    }

    /// A change the push answer itself reports to the pushing device (the outcome of a
    /// record it pushed): that device's pulls skip it, other devices get it.
    pub fn answered_change(&mut self, employee_id: Option<i64>, entity_id: &str, kind: ChangeKind) {
        self.changes.push(PendingChange {
            employee_id,
            entity_id: entity_id.to_owned(),
            kind,
            answered: true,
        });
    }

    /// An audit entry.
    pub fn audit(
        &mut self,
        actor: &Actor,
        action: AuditAction,
        subject_kind: &str,
        subject_id: &str,
        details: Value,
    ) {
        self.audit.push(audit::NewEntry {
            occurred_at_ms: now_ms(),
            actor_kind: actor.kind().to_owned(),
            actor_id: actor.id(),
            action: action.as_str().to_owned(),
            subject_kind: subject_kind.to_owned(),
            subject_id: subject_id.to_owned(),
            details: details.to_string(),
        });
    }

    /// Writes everything; answers where the changes landed in the pull sequence.
    pub async fn flush(self, db: &impl ConnectionTrait) -> Result<Option<ChangeRange>, DbErr> {
        let mut range = None;
        if !self.changes.is_empty() {
            let count = self.changes.len() as i64;
            let first =
                sequence::reserve(db, "ot_change_counters", self.organisation_id, count, &[])
                    .await?;
            let now = now_ms();
            let rows = self
                .changes
                .into_iter()
                .enumerate()
                .map(|(offset, pending)| {
                    // The tag the change serialises with, kept in its own column for queries.
                    let kind = serde_json::to_value(&pending.kind)
                        .ok()
                        .and_then(|data| data["kind"].as_str().map(str::to_owned))
                        .unwrap_or_default();
                    change::ActiveModel {
                        organisation_id: Set(self.organisation_id),
                        seq: Set(first + offset as i64),
                        employee_id: Set(pending.employee_id),
                        kind: Set(kind),
                        entity_id: Set(pending.entity_id),
                        data: Set(StoredJson(pending.kind)),
                        origin_device_id: Set(self
                            .origin_device
                            .clone()
                            .filter(|_| pending.answered)),
                        created_at_ms: Set(now),
                    }
                });
            change::Entity::insert_many(rows)
                .exec_without_returning(db)
                .await?;
            range = Some(ChangeRange {
                from: first,
                to: first + count - 1,
            });
        }
        audit::append(db, self.organisation_id, self.audit).await?;
        Ok(range)
    }
}
