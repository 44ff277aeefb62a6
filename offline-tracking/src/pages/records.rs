//! Attendance > Records: offline records with their evidence (GPS with accuracy, mock
//! flag, face match, QR site, trusted time and clock offset, flags) and the sessions
//! derived from them, for one employee or everyone, over a period.

use super::bridge::{PAGES, as_api, read, render};
use super::views::{Attendance, RecordRow, Records, SessionRow};
use crate::OfflineTracking;
use crate::clock::parse_time;
use crate::{admin, attendance};
use askama::Template;
use chrono::NaiveDate;
use host_sdk::abi::{ModuleRequest, ModuleResponse};

const DAY_MS: i64 = 86_400_000;

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsPage<'a> {
    pages: &'a str,
    employee_id: String,
    from: String,
    to: String,
    records: Vec<RecordRow>,
    sessions: Vec<SessionRow>,
}

/// A day given in the form (`YYYY-MM-DD`), as the millisecond its day starts (UTC).
fn day_start(text: &str) -> Result<Option<i64>, ModuleResponse> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|start| Some(start.and_utc().timestamp_millis()))
        .ok_or_else(|| {
            ModuleResponse::error(
                422,
                "invalid_day",
                format!("{text:?} is not a day such as 2026-12-07"),
            )
        })
}

/// `GET /modules/offline-tracking/records?employee_id=&from=&to=`
pub async fn show(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    match build(ot, request).await {
        Ok(answer) | Err(answer) => answer,
    }
}

async fn build(
    ot: &OfflineTracking,
    request: &ModuleRequest,
) -> Result<ModuleResponse, ModuleResponse> {
    let employee_id = request.query_param("employee_id").unwrap_or_default();
    let from = request.query_param("from").unwrap_or_default();
    let to = request.query_param("to").unwrap_or_default();
    let from_ms = day_start(from.trim())?;
    // The period includes its last day.
    let to_ms = day_start(to.trim())?.map(|start| start.saturating_add(DAY_MS));
    // Both queries are built whole before any await (a serializer is not Send).
    let (records_query, sessions_query) = {
        let mut records = form_urlencoded::Serializer::new(String::new());
        let mut sessions = form_urlencoded::Serializer::new(String::new());
        if !employee_id.trim().is_empty() {
            records.append_pair("employee_id", employee_id.trim());
            sessions.append_pair("employee_id", employee_id.trim());
        }
        records.append_pair("limit", "1000");
        if let Some(to_ms) = to_ms {
            records.append_pair("before_time", &to_ms.to_string());
            sessions.append_pair("to", &to_ms.to_string());
        }
        if let Some(from_ms) = from_ms {
            sessions.append_pair("from", &from_ms.to_string());
        }
        (records.finish(), sessions.finish())
    };
    let records_request = as_api(request, &records_query, None);
    let records: Records = read(
        ot,
        request,
        admin::records::list(&ot.db, &records_request).await,
    )
    .await?;
    let sessions_request = as_api(request, &sessions_query, None);
    let sessions: Attendance = read(
        ot,
        request,
        attendance::routes::list(&ot.db, &sessions_request).await,
    )
    .await?;
    let records = records
        .records
        .into_iter()
        .filter(|record| match (from_ms, parse_time(&record.trusted_time)) {
            (Some(from_ms), Some(at)) => at >= from_ms,
            _ => true,
        })
        .collect();
    Ok(render(
        "Records",
        &RecordsPage {
            pages: PAGES,
            employee_id,
            from,
            to,
            records,
            sessions: sessions.sessions,
        },
    ))
}
