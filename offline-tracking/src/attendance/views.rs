//! Sessions, entries and records as the API shows them.

use crate::clock::iso;
use crate::entities::{manual_entry, record, session};
use serde_json::{Value, json};

/// A derived session.
pub fn session_json(row: &session::Model) -> Value {
    json!({
        "session_id": row.id,
        "employee_id": row.employee_id,
        "source": row.source,
        "started_at_ms": row.started_at_ms,
        "started_at": row.started_at_ms.map(iso),
        "ended_at_ms": row.ended_at_ms,
        "ended_at": row.ended_at_ms.map(iso),
        "start_record_id": row.start_record_id,
        "end_record_id": row.end_record_id,
        "manual_entry_id": row.manual_entry_id,
        "breaks": row.breaks,
        "flags": row.flags,
    })
}

/// A manual entry.
pub fn entry_json(row: &manual_entry::Model) -> Value {
    json!({
        "entry_id": row.id,
        "employee_id": row.employee_id,
        "started_at_ms": row.started_at_ms,
        "started_at": iso(row.started_at_ms),
        "ended_at_ms": row.ended_at_ms,
        "ended_at": row.ended_at_ms.map(iso),
        "note": row.note,
        "recorded_at": iso(row.recorded_at_ms),
        "recorded_by": row.recorded_by,
        "status": row.status,
        "replaces": row.replaces_id,
        "superseded_by_offline_record": row.superseded,
    })
}

/// A record; `evidence` adds the signed payload and signature.
pub fn record_json(row: &record::Model, evidence: bool) -> Value {
    let mut value = json!({
        "record_id": row.id,
        "employee_id": row.employee_id,
        "device_id": row.device_id,
        "sequence": row.sequence,
        "kind": row.kind,
        "status": row.status,
        "status_code": row.status_code,
        "status_message": row.status_message,
        "conflict_id": row.conflict_id,
        "trusted_time_ms": row.trusted_time_ms,
        "trusted_time": iso(row.trusted_time_ms),
        "time_source": row.time_source,
        "device_wall_clock": iso(row.device_wall_ms),
        "clock_offset_ms": row.clock_offset_ms,
        "flags": row.flags,
        "gps": row.latitude.map(|latitude| json!({"latitude": latitude, "longitude": row.longitude, "accuracy_m": row.accuracy_m})),
        "site_id": row.site_id,
        "received_at": iso(row.received_at_ms),
        "employee_note": row.employee_note,
    });
    if evidence {
        // Text that is not JSON is shown as it is stored, not hidden.
        value["payload"] = serde_json::from_str::<Value>(&row.payload)
            .unwrap_or_else(|_| Value::String(row.payload.clone()));
        value["signed_payload"] = json!(row.payload);
        value["signature"] = json!(row.signature);
        value["first_result"] = json!(row.first_result);
    }
    value
}
