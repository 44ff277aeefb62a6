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
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
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
    let rows = changes_after(db, caller.organisation_id, employee_id, after, limit)
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

/// The first `limit + 1` changes after `after` that the employee's devices read: the
/// employee's own and the organisation's (no employee), in `seq` order.
///
/// Two queries, one per kind, each a range scan of `(organisation_id, employee_id, seq)`
/// that stops after `limit + 1` rows, merged here. One query with `employee_id = ? OR
/// employee_id IS NULL` lets a planner walk the organisation's whole log in `seq` order
/// instead, so a pull would cost in proportion to every employee's history.
pub async fn changes_after(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<change::Model>, DbErr> {
    let wanted = u64::from(limit) + 1;
    let page = |employee: Option<i64>| page_query(organisation_id, employee, after, wanted).all(db);
    let mut rows = page(Some(employee_id)).await?;
    rows.extend(page(None).await?);
    rows.sort_by_key(|row| row.seq);
    rows.truncate(wanted as usize);
    Ok(rows)
}

/// The changes after `after` of one employee (`None`: the organisation's own), in `seq`
/// order, at most `wanted`. Public so a test can check each database's plan for it.
pub fn page_query(
    organisation_id: i64,
    employee: Option<i64>,
    after: i64,
    wanted: u64,
) -> Select<change::Entity> {
    change::Entity::find()
        .filter(change::Column::OrganisationId.eq(organisation_id))
        .filter(match employee {
            Some(id) => change::Column::EmployeeId.eq(id),
            None => change::Column::EmployeeId.is_null(),
        })
        .filter(change::Column::Seq.gt(after))
        .order_by_asc(change::Column::Seq)
        .limit(wanted)
}
