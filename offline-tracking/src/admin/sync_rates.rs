//! Sync success and failure rates over a time window, by day.

use crate::api::{ApiResult, Caller, Problem, database, error, ok, query_time};
use crate::clock::now_ms;
use crate::entities::states::SyncOutcome;
use crate::entities::sync_session;
use chrono::DateTime;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

const DAY_MS: i64 = 86_400_000;
const MAX_WINDOW_DAYS: i64 = 92;

/// Records the window's syncs carried: each record's first outcome once, and resends (a
/// record sent again after its answer was lost or not yet seen) apart, as retries.
#[derive(Default, Serialize)]
struct RecordCounts {
    accepted: i64,
    duplicates: i64,
    conflicts: i64,
    rejected: i64,
    retry_later: i64,
    resent: i64,
}

impl RecordCounts {
    fn of(sessions: &[sync_session::Model]) -> Self {
        sessions.iter().fold(Self::default(), |mut sum, s| {
            sum.accepted += i64::from(s.accepted);
            sum.duplicates += i64::from(s.duplicates);
            sum.conflicts += i64::from(s.conflicts);
            sum.rejected += i64::from(s.rejected);
            sum.retry_later += i64::from(s.retry_later);
            sum.resent += i64::from(s.resent);
            sum
        })
    }
}

/// `GET /admin/modules/offline-tracking/sync/rates?from=&to=` (default: the last 7 days)
pub async fn rates(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let to = query_time(request, "to")?.unwrap_or_else(now_ms);
    let from = query_time(request, "from")?.unwrap_or(to - 7 * DAY_MS);
    if from >= to || to - from > MAX_WINDOW_DAYS * DAY_MS {
        return Err(error(
            Problem::Invalid,
            "invalid_window",
            format!("from must be before to, at most {MAX_WINDOW_DAYS} days apart"),
        ));
    }
    let sessions: Vec<sync_session::Model> = sync_session::Entity::find()
        .filter(sync_session::Column::OrganisationId.eq(caller.organisation_id))
        .filter(sync_session::Column::StartedAtMs.gte(from))
        .filter(sync_session::Column::StartedAtMs.lt(to))
        .all(db)
        .await
        .map_err(database("reading sync rates"))?;
    let records = RecordCounts::of(&sessions);
    let rows: Vec<(i64, SyncOutcome, Option<String>)> = sessions
        .into_iter()
        .map(|s| (s.started_at_ms, s.outcome, s.error_code))
        .collect();
    let mut days: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut codes: BTreeMap<String, u64> = BTreeMap::new();
    let (mut succeeded, mut failed) = (0u64, 0u64);
    for (started, outcome, code) in &rows {
        let day = DateTime::from_timestamp_millis(*started)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let bucket = days.entry(day).or_default();
        if *outcome == SyncOutcome::Succeeded {
            succeeded += 1;
            bucket.0 += 1;
        } else {
            failed += 1;
            bucket.1 += 1;
            *codes
                .entry(code.clone().unwrap_or_else(|| "unknown".into()))
                .or_default() += 1;
        }
    }
    let total = succeeded + failed;
    Ok(ok(&json!({
        "from_ms": from,
        "to_ms": to,
        "syncs": total,
        "succeeded": succeeded,
        "failed": failed,
        "success_rate": if total == 0 { None } else { Some(succeeded as f64 / total as f64) },
        "failure_codes": codes,
        "records": records,
        "days": days.iter().map(|(day, (ok, failed))| json!({"day": day, "succeeded": ok, "failed": failed})).collect::<Vec<_>>(),
    })))
}
