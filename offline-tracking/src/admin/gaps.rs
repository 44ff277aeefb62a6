//! Sequence numbers a device used that never arrived (an app reinstalled with records
//! never sent, records lost on the phone): shown, never silently accepted.

use crate::api::{ApiResult, Caller, database, not_found, ok, path_uuid};
use crate::entities::{audit_entry, device, health_report, record};
use crate::store::audit_action::AuditAction;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Ranges of `1..=last` missing from `present`, in time proportional to what is stored,
/// never to the numbers themselves (a device chooses those).
pub fn missing_ranges(present: &BTreeSet<i64>, last: i64) -> Vec<(i64, i64)> {
    let mut ranges = Vec::new();
    if last < 1 {
        return ranges;
    }
    let mut next_expected: i64 = 1;
    for &sequence in present.range(1..=last) {
        if sequence > next_expected {
            ranges.push((next_expected, sequence - 1));
        }
        next_expected = sequence.saturating_add(1);
    }
    if next_expected <= last {
        ranges.push((next_expected, last));
    }
    ranges
}

/// `GET /admin/modules/offline-tracking/devices/{device_id}/gaps`
pub async fn gaps(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let device_id = path_uuid(request, "device_id", "device")?;
    let fail = || database("reading sequence gaps");
    let found = device::Entity::find_by_id(device_id.as_str())
        .filter(device::Column::OrganisationId.eq(caller.organisation_id))
        .one(db)
        .await
        .map_err(fail())?
        .ok_or_else(|| not_found("device", &device_id))?;
    let stored: BTreeSet<i64> = record::Entity::find()
        .select_only()
        .column(record::Column::Sequence)
        .filter(record::Column::DeviceId.eq(found.id.as_str()))
        .into_tuple::<i64>()
        .all(db)
        .await
        .map_err(fail())?
        .into_iter()
        .collect();
    let refused: BTreeSet<i64> = audit_entry::Entity::find()
        .filter(audit_entry::Column::OrganisationId.eq(caller.organisation_id))
        .filter(audit_entry::Column::SubjectKind.eq("device"))
        .filter(audit_entry::Column::SubjectId.eq(found.id.as_str()))
        .filter(audit_entry::Column::Action.eq(AuditAction::RecordRefused.as_str()))
        .all(db)
        .await
        .map_err(fail())?
        .iter()
        .filter_map(|entry| {
            serde_json::from_str::<Value>(&entry.details).ok()?["sequence"].as_i64()
        })
        .collect();
    let reported = health_report::Entity::find()
        .filter(health_report::Column::DeviceId.eq(found.id.as_str()))
        .order_by_desc(health_report::Column::ReportedAtMs)
        .one(db)
        .await
        .map_err(fail())?
        .map(|h| h.last_recorded_sequence)
        .unwrap_or(0);
    let highest = stored.iter().next_back().copied().unwrap_or(0);
    let ranges: Vec<Value> = missing_ranges(&stored, highest)
        .into_iter()
        .map(|(from, to)| {
            let refused_here: Vec<i64> = refused.range(from..=to).copied().collect();
            json!({"from": from, "to": to, "refused": refused_here})
        })
        .collect();
    Ok(ok(&json!({
        "device_id": found.id,
        "device_status": found.status,
        "highest_sequence_received": highest,
        "last_sequence_reported": reported,
        "not_yet_received": (reported - highest).max(0),
        "gaps": ranges,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_are_reported_as_ranges() {
        let present: BTreeSet<i64> = [1, 2, 5, 6, 9].into_iter().collect();
        assert_eq!(missing_ranges(&present, 9), [(3, 4), (7, 8)]);
        assert_eq!(missing_ranges(&BTreeSet::new(), 2), [(1, 2)]);
        assert!(missing_ranges(&present, 0).is_empty());
        assert_eq!(missing_ranges(&present, 5), [(3, 4)]);
        let far: BTreeSet<i64> = [1, (1 << 53) - 1].into_iter().collect();
        assert_eq!(missing_ranges(&far, (1 << 53) - 1), [(2, (1 << 53) - 2)]);
    }
}
