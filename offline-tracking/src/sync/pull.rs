//! A pull of the `offline_tracking` collection: the changes for the device's employee
//! since its cursor, in the organisation's change order, without the device's own writes.

use super::push::record_refusal;
use crate::api::{ApiResult, Caller, Problem, database, error};
use crate::clock::now_ms;
use crate::devices::credential;
use crate::entities::change;
use host_sdk::abi::{ModuleResponse, ROption, RString, SyncPullCall, SyncPullResult};
use offline_tracking_protocol::{Change, PROTOCOL_VERSION, PullResponse};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

const MAX_PAGE: u32 = 1000;

/// Answers a pull.
pub async fn pull(db: &DatabaseConnection, call: &SyncPullCall) -> SyncPullResult {
    run(db, call).await.unwrap_or_else(|error| SyncPullResult {
        response: error.into(),
        next_cursor: ROption::RNone,
        has_more: false,
    })
}

async fn run(db: &DatabaseConnection, call: &SyncPullCall) -> ApiResult<SyncPullResult> {
    let caller = Caller::new(&call.principal, &call.settings)?;
    let employee_id = caller.employee()?;
    let device =
        match credential::authenticate(db, &caller, employee_id, None, &call.headers).await? {
            Ok(device) => device,
            Err(refusal) => {
                record_refusal(db, &caller, Some(employee_id), &refusal, now_ms(), "pull").await;
                return Err(refusal.error());
            }
        };
    let after: i64 = match call.cursor.as_ref().into_option() {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|seq| *seq >= 0)
            .ok_or_else(|| {
                error(
                    Problem::BadRequest,
                    "invalid_cursor",
                    "the cursor was not made by this server: start again without one",
                )
            })?,
    };
    let limit = call.limit.clamp(1, MAX_PAGE);
    let rows = change::Entity::find()
        .filter(change::Column::OrganisationId.eq(caller.organisation_id))
        .filter(change::Column::Seq.gt(after))
        .filter(
            Condition::any()
                .add(change::Column::EmployeeId.eq(employee_id))
                .add(change::Column::EmployeeId.is_null()),
        )
        .order_by_asc(change::Column::Seq)
        .limit(u64::from(limit) + 1)
        .all(db)
        .await
        .map_err(database("reading changes"))?;
    let has_more = rows.len() > limit as usize;
    let page: Vec<change::Model> = rows.into_iter().take(limit as usize).collect();
    // The cursor moves past everything read, the device's own writes included.
    let next = page.last().map(|row| row.seq).unwrap_or(after);
    let changes = page
        .into_iter()
        .filter(|row| row.origin_device_id.as_deref() != Some(device.id.as_str()))
        .map(|row| Change {
            seq: row.seq,
            at_ms: row.created_at_ms,
            kind: row.data.0,
        })
        .collect();
    Ok(SyncPullResult {
        response: ModuleResponse::json(
            crate::api::SUCCESS,
            &PullResponse {
                protocol_version: PROTOCOL_VERSION,
                server_time_ms: now_ms(),
                changes,
                next_cursor: next.to_string(),
                has_more,
                config_version: caller.config_version,
            },
        ),
        next_cursor: ROption::RSome(RString::from(next.to_string())),
        has_more,
    })
}
