//! Attendance > Records: offline records with their evidence (GPS with accuracy, mock
//! flag, face match, QR site, trusted time and clock offset, flags) and the sessions
//! derived from them, for one employee or everyone, over a period.

use super::bridge::{PAGES, after, as_api, read, render};
use super::views::{Attendance, Devices, RecordRow, Records, SessionRow, Sites};
use crate::OfflineTracking;
use crate::{admin, attendance};
use askama::Template;
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use offline_tracking_protocol::OfflineRecord;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsPage<'a> {
    pages: &'a str,
    zone: chrono_tz::Tz,
    csrf: &'a str,
    employee_id: String,
    from: String,
    to: String,
    records: Vec<(RecordRow, Evidence)>,
    sessions: Vec<SessionRow>,
    /// The employees with a device, by name, for the choice of whose records to show.
    employees: Vec<(String, String)>,
}

/// What the signed record says beyond the stored columns.
#[derive(Default)]
struct Evidence {
    /// `gps`, `network`, … and whether the phone said the location was mocked.
    provider: Option<String>,
    mock_location: bool,
    /// Matched or not, with the score against the threshold.
    face: Option<String>,
    qr_scanned: bool,
    /// The name of the site the record was made at.
    site: Option<String>,
}

impl Evidence {
    fn of(payload: Option<&serde_json::Value>) -> Self {
        let Some(record) =
            payload.and_then(|value| serde_json::from_value::<OfflineRecord>(value.clone()).ok())
        else {
            return Self::default();
        };
        Self {
            provider: record.gps.as_ref().map(|gps| gps.provider.clone()),
            mock_location: record.gps.as_ref().is_some_and(|gps| gps.mock_location),
            face: record.face.map(|face| {
                format!(
                    "{} (score {:.2}, threshold {:.2}, {})",
                    if face.matched { "matched" } else { "no match" },
                    face.score,
                    face.threshold,
                    face.model
                )
            }),
            qr_scanned: record.qr.is_some(),
            site: None,
        }
    }
}

/// A day given in the form (`YYYY-MM-DD`), checked.
fn day(text: &str) -> Result<Option<NaiveDate>, ModuleResponse> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            ModuleResponse::error(
                422,
                "invalid_day",
                format!("{text:?} is not a day such as 2026-12-07"),
            )
        })
}

/// The millisecond `day` starts in the organisation's time zone.
fn start_of(day: NaiveDate, zone: &Tz) -> Option<i64> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|start| zone.from_local_datetime(&start).earliest())
        .map(|start| start.timestamp_millis())
}

/// `POST /modules/offline-tracking/records/entries` with `employee_id`, `started_at`,
/// optional `ended_at` (both `YYYY-MM-DDTHH:MM` in the organisation's time zone, as a
/// browser's date-time field sends them) and `note`: attendance entered on the server.
pub async fn enter(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let zone = super::bridge::zone(request);
    let employee_id = request.form_value("employee_id").unwrap_or_default();
    let Ok(employee_id) = employee_id.trim().parse::<i64>() else {
        return ModuleResponse::error(422, "invalid_entry", "choose an employee");
    };
    let local = |name: &str| -> Result<Option<i64>, ModuleResponse> {
        let text = request.form_value(name).unwrap_or_default();
        if text.trim().is_empty() {
            return Ok(None);
        }
        chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|time| zone.from_local_datetime(&time).earliest())
            .map(|time| Some(time.timestamp_millis()))
            .ok_or_else(|| {
                ModuleResponse::error(
                    422,
                    "invalid_entry",
                    format!("{name} is a date and time such as 2026-12-07T09:00, not {text:?}"),
                )
            })
    };
    let started = match local("started_at") {
        Ok(Some(started)) => started,
        Ok(None) => return ModuleResponse::error(422, "invalid_entry", "started_at is needed"),
        Err(refusal) => return refusal,
    };
    let ended = match local("ended_at") {
        Ok(ended) => ended,
        Err(refusal) => return refusal,
    };
    let mut body = serde_json::json!({
        "employee_id": employee_id,
        "started_at": started,
        "note": request.form_value("note").unwrap_or_default(),
    });
    if let Some(ended) = ended {
        body["ended_at"] = ended.into();
    }
    let api = as_api(request, "", Some(&body));
    after(
        attendance::routes::create_entry(&ot.db, &ot.directory, &api).await,
        &format!("{PAGES}/records?employee_id={employee_id}"),
    )
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
    let zone = super::bridge::zone(request);
    let from_ms = day(from.trim())?.and_then(|first| start_of(first, &zone));
    // The period includes its last day: it ends when the next one starts.
    let to_ms = day(to.trim())?
        .and_then(|last| last.succ_opt())
        .and_then(|next| start_of(next, &zone));
    // Both queries are built whole before any await (a serializer is not Send).
    let (records_query, sessions_query) = {
        let mut records = form_urlencoded::Serializer::new(String::new());
        let mut sessions = form_urlencoded::Serializer::new(String::new());
        if !employee_id.trim().is_empty() {
            records.append_pair("employee_id", employee_id.trim());
            sessions.append_pair("employee_id", employee_id.trim());
        }
        records.append_pair("limit", "1000");
        records.append_pair("evidence", "true");
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
    let devices_request = as_api(request, "", None);
    let devices: Devices = read(
        ot,
        request,
        crate::devices::routes::list(&ot.db, &devices_request).await,
    )
    .await?;
    let employees: BTreeMap<i64, String> = devices
        .devices
        .into_iter()
        .map(|device| {
            let name = device
                .employee_name
                .unwrap_or_else(|| format!("Employee {}", device.employee_id));
            (device.employee_id, name)
        })
        .collect();
    let mut employees: Vec<(String, String)> = employees
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    employees.sort_by(|a, b| a.1.cmp(&b.1));
    let sites_request = as_api(request, "", None);
    let sites: Sites = read(
        ot,
        request,
        crate::sites::routes::list(&ot.db, &sites_request).await,
    )
    .await?;
    let site_names: BTreeMap<String, String> = sites
        .sites
        .into_iter()
        .map(|site| (site.site_id, site.name))
        .collect();
    let records = records
        .records
        .into_iter()
        .filter(|record| {
            from_ms.is_none_or(|from_ms| record.trusted_time.0.timestamp_millis() >= from_ms)
        })
        .map(|record| {
            let mut evidence = Evidence::of(record.payload.as_ref());
            evidence.site = record.site_id.as_ref().map(|id| {
                site_names
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| format!("site {id}"))
            });
            (record, evidence)
        })
        .collect();
    Ok(render(
        "Records",
        &RecordsPage {
            pages: PAGES,
            zone,
            csrf: request.csrf_token(),
            employee_id,
            from,
            to,
            records,
            sessions: sessions.sessions,
            employees,
        },
    ))
}
