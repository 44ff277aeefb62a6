//! What an employee can do about a conflict from the device: withdraw their record or add
//! a note. Queued, sent with the next push; the administrator decides the rest.

use crate::clock::Clock;
use crate::error::FieldError;
use crate::store::Store;
use crate::store::entities::{action, queued_record, receipt};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// Queues `action` (`withdraw` or `annotate`) on one of this device's records.
pub async fn queue(
    store: &Store,
    clock: &dyn Clock,
    record_id: &str,
    action_name: &str,
    note: Option<String>,
) -> Result<String, FieldError> {
    store.registered().await?;
    let known = receipt::Entity::find_by_id(record_id)
        .one(store.db())
        .await?
        .is_some()
        || queued_record::Entity::find_by_id(record_id)
            .one(store.db())
            .await?
            .is_some();
    if !known {
        return Err(FieldError::Invalid(format!(
            "this device has no record {record_id}"
        )));
    }
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if action_name == "annotate" && note.is_none() {
        return Err(FieldError::Invalid(
            "a note needs some text: --note \"…\"".into(),
        ));
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(FieldError::Invalid(
            "a note has at most 1000 characters".into(),
        ));
    }
    let id = uuid::Uuid::now_v7().to_string();
    action::ActiveModel {
        id: Set(id.clone()),
        record_id: Set(record_id.to_owned()),
        action: Set(action_name.to_owned()),
        note: Set(note),
        created_at_ms: Set(clock.now()?.wall_clock_ms),
        status: Set("pending".to_owned()),
        code: Set(None),
    }
    .insert(store.db())
    .await?;
    Ok(id)
}
