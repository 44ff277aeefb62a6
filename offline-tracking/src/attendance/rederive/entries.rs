//! Marks manual entries superseded by offline records, or restored.

use crate::attendance::derive::Derivation;
use crate::entities::manual_entry;
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, IntoActiveModel, Set};
use serde_json::json;
use std::collections::BTreeMap;

pub(super) async fn persist_entries(
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
