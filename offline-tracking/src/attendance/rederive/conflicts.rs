//! Stores derived conflicts: new ones, changed ones and dissolved ones, each announced
//! to devices and audited.

use crate::attendance::derive::{Derivation, ServerRef};
use crate::clock::now_ms;
use crate::entities::conflict;
use crate::entities::states::ServerKind;
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use offline_tracking_protocol::{ChangeKind, Decision};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, IntoActiveModel, Set};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn server_columns(server: &Option<ServerRef>) -> (Option<ServerKind>, Option<String>) {
    match server {
        Some(ServerRef::Entry(id)) => (Some(ServerKind::ManualEntry), Some(id.clone())),
        Some(ServerRef::Record(id)) => (Some(ServerKind::Record), Some(id.clone())),
        None => (None, None),
    }
}

pub(super) fn conflict_change(
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
pub(super) async fn persist_conflicts(
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
