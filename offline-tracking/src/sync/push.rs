//! A push of the `offline_tracking` collection: a batch of signed records, the employee's
//! actions and the device's health, processed in one transaction under the employee's
//! lock. A resent batch, a superset of it or the same records on a second connection at
//! the same time get the first answers and change nothing.

use super::health::{self, SessionInfo, Tally};
use super::ingest::{self, Batch, Ingested};
use super::{actions, telemetry};
use crate::api::{
    ApiResult, Caller, Problem, database, error, is_transient, is_unique_violation, ok,
};
use crate::attendance::rederive::window::Reach;
use crate::attendance::{current, rederive};
use crate::clock::now_ms;
use crate::devices::credential::{self, Refusal};
use crate::entities::states::RecordStatus;
use crate::entities::{face_enrollment, site, site_assignment};
use crate::store::audit_action::AuditAction;
use crate::store::employee_lock;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleResponse, SyncPushCall};
use offline_tracking_protocol::{
    MAX_BATCH_BYTES, MAX_BATCH_RECORDS, OfflineRecord, Outcome, PROTOCOL_VERSION, PushRequest,
    PushResponse, RecordResult,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Attempts before a busy database makes the push answer `retry_later`.
const ATTEMPTS: u32 = 4;

/// Answers a push.
pub async fn push(db: &DatabaseConnection, call: &SyncPushCall) -> ModuleResponse {
    let started = std::time::Instant::now();
    let answer = run(db, call).await.unwrap_or_else(ModuleResponse::from);
    telemetry::push_answered(&answer, started.elapsed());
    answer
}

fn check_request(request: &PushRequest) -> ApiResult<()> {
    health::check_envelope(request.protocol_version, &request.sent_at, &request.health)?;
    let bytes: usize = request.records.iter().map(|r| r.size()).sum();
    if request.records.len() > MAX_BATCH_RECORDS || bytes > MAX_BATCH_BYTES {
        return Err(error(
            Problem::TooLarge,
            "batch_too_large",
            format!(
                "a push carries at most {MAX_BATCH_RECORDS} records and {MAX_BATCH_BYTES} bytes of them; this one has {} records and {bytes} bytes: send the rest in another push",
                request.records.len()
            ),
        ));
    }
    Ok(())
}

async fn run(db: &DatabaseConnection, call: &SyncPushCall) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&call.principal, &call.settings)?;
    let employee_id = caller.employee()?;
    let request: PushRequest = call.json()?;
    check_request(&request)?;
    let started = now_ms();
    let device_id = request.device_id.to_string();
    let device =
        match credential::authenticate(db, &caller, employee_id, Some(&device_id), &call.headers)
            .await?
        {
            Ok(device) => device,
            Err(refusal) => {
                record_refusal(db, &caller, Some(employee_id), &refusal, started, "push").await;
                return Err(refusal.error());
            }
        };
    if !caller.settings.enabled {
        let refusal = Refusal {
            problem: Problem::Forbidden,
            code: "offline_tracking_disabled",
            message:
                "offline tracking is turned off for this organisation: records stay on the device"
                    .to_owned(),
            device_id: Some(device.id.clone()),
            retry_after_seconds: None,
        };
        record_refusal(db, &caller, Some(employee_id), &refusal, started, "push").await;
        return Err(refusal.error());
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        match process(db, &caller, employee_id, &device, &request, started).await {
            Ok(answer) => return Ok(answer),
            // A busy database, or a race with a concurrent copy of this push that the
            // next attempt will see committed.
            Err(problem)
                if (is_transient(&problem) || is_unique_violation(&problem))
                    && attempt < ATTEMPTS =>
            {
                tracing::debug!(attempt, "push retried: {problem}");
                tokio::time::sleep(Duration::from_millis(25 << attempt)).await;
            }
            Err(problem) if is_transient(&problem) => {
                tracing::warn!("push answered retry_later: {problem}");
                return Ok(retry_later(&request));
            }
            Err(problem) => return Err(database("processing the push")(problem)),
        }
    }
}

async fn process(
    db: &DatabaseConnection,
    caller: &Caller,
    employee_id: i64,
    device: &crate::entities::device::Model,
    request: &PushRequest,
    received_at_ms: i64,
) -> Result<ModuleResponse, DbErr> {
    let organisation_id = caller.organisation_id;
    let transaction = host_sdk::db::begin_write(db).await?;
    employee_lock::lock(&transaction, organisation_id, employee_id).await?;
    let sync_session_id = uuid::Uuid::now_v7().to_string();
    let employee = EmployeeContext::load(&transaction, organisation_id, employee_id).await?;
    let mut journal = Journal::new(organisation_id, Some(device.id.clone()));
    let batch = Batch {
        organisation_id,
        employee_id,
        device,
        settings: &caller.settings,
        sent_at: &request.sent_at,
        received_at_ms,
        sync_session_id: &sync_session_id,
        face_enrolled: employee.face_enrolled,
        sites: &employee.sites,
        assigned_sites: &employee.assigned_sites,
    };
    let ingest::Ingestion {
        records: ingested,
        earliest_attendance_ms,
    } = ingest::ingest(&transaction, &batch, &request.records, &mut journal).await?;
    let action_results = actions::apply(
        &transaction,
        organisation_id,
        employee_id,
        &device.id,
        &request.actions,
        &mut journal,
    )
    .await?;
    // A resend of records that all have their answers, with no new action, changes
    // nothing: it is answered from storage and derives nothing, so it writes no record,
    // session, conflict, change or audit entry.
    let brings_nothing_new =
        journal.is_empty() && !ingested.iter().any(|item| item.result == Ingested::Stored);
    let stored: Vec<String> = ingested
        .iter()
        .filter(|item| item.result == Ingested::Stored)
        .map(|item| item.record_id.to_string())
        .collect();
    let rederived = if brings_nothing_new {
        None
    } else {
        Some(
            rederive::rederive(
                &transaction,
                organisation_id,
                employee_id,
                &caller.settings,
                // An employee's action may change a record from any time; records alone
                // only add to the end of what is derived.
                if request.actions.is_empty() {
                    Reach::NewRecords {
                        earliest_ms: earliest_attendance_ms,
                        stored: &stored,
                    }
                } else {
                    Reach::Everything
                },
                &mut journal,
            )
            .await?,
        )
    };
    let attendance = match &rederived {
        Some(rederived) => rederived.attendance.clone(),
        None => current::current(&transaction, organisation_id, employee_id).await?,
    };
    let answers = Answers::collect(&transaction, ingested, rederived.as_ref()).await?;
    let sync = SessionInfo {
        id: &sync_session_id,
        organisation_id,
        employee_id: Some(employee_id),
        device_id: Some(&device.id),
        started_at_ms: received_at_ms,
    };
    record_sync(
        &transaction,
        &sync,
        (employee_id, &device.id),
        request,
        &answers,
    )
    .await?;
    if !brings_nothing_new {
        let tally = &answers.tally;
        journal.audit(
            &Actor::Device(device.id.clone()),
            AuditAction::SyncPush,
            "sync_session",
            &sync_session_id,
            json!({
            "records": tally.received,
            "accepted": tally.accepted,
            "duplicates": tally.duplicates,
            "conflicts": tally.conflicts,
            "rejected": tally.rejected,
            "resent": tally.resent,
            "actions": action_results.len(),
            }),
        );
    }
    audit_coalesced(
        &mut journal,
        Some(&device.id),
        credential::take_suppressed(&device.id),
    );
    let changes = journal.flush(&transaction).await?;
    transaction.commit().await?;
    telemetry::push_committed(
        answers.newly_answered(),
        request.sent_at.wall_clock_ms.saturating_sub(received_at_ms),
    );
    Ok(ok(&PushResponse {
        protocol_version: PROTOCOL_VERSION,
        server_time_ms: now_ms(),
        results: answers.results,
        action_results,
        changes,
        config_version: caller.config_version,
        attendance,
    }))
}

/// What validation needs to know about the employee beyond the records.
struct EmployeeContext {
    /// The organisation's sites by id.
    sites: BTreeMap<String, site::Model>,
    /// The sites assigned to the employee; empty: every site.
    assigned_sites: BTreeSet<String>,
    /// Whether the employee is enrolled in face recognition.
    face_enrolled: bool,
}

impl EmployeeContext {
    async fn load(
        db: &impl ConnectionTrait,
        organisation_id: i64,
        employee_id: i64,
    ) -> Result<Self, DbErr> {
        let sites = site::Entity::find()
            .filter(site::Column::OrganisationId.eq(organisation_id))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        let assigned_sites = site_assignment::Entity::find()
            .filter(site_assignment::Column::OrganisationId.eq(organisation_id))
            .filter(site_assignment::Column::EmployeeId.eq(employee_id))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.site_id)
            .collect();
        let face_enrolled = face_enrollment::Entity::find_by_id((organisation_id, employee_id))
            .one(db)
            .await?
            .is_some_and(|row| row.enrolled);
        Ok(Self {
            sites,
            assigned_sites,
            face_enrolled,
        })
    }
}

/// The push's answer for each record, in push order, and their count.
struct Answers {
    results: Vec<RecordResult>,
    tally: Tally,
    /// Positions in `results` of records answered for the first time, for the metrics.
    newly_answered: Vec<usize>,
}

impl Answers {
    /// Each record's answer: from ingestion, from storage for a resend, or from
    /// derivation for a record this push stored.
    async fn collect(
        db: &impl ConnectionTrait,
        ingested: Vec<ingest::IngestedRecord>,
        rederived: Option<&rederive::Rederived>,
    ) -> Result<Self, DbErr> {
        let mut answers = Answers {
            results: Vec::with_capacity(ingested.len()),
            tally: Tally::default(),
            newly_answered: Vec::new(),
        };
        let mut first_answers: BTreeMap<uuid::Uuid, Outcome> = BTreeMap::new();
        for item in ingested {
            let outcome = match item.result {
                Ingested::Resent(outcome) => {
                    answers.tally.count_resent();
                    outcome
                }
                Ingested::Answered(outcome) => {
                    answers.tally.count(&outcome);
                    answers.newly_answered.push(answers.results.len());
                    outcome
                }
                // The same record twice in one push: counted once.
                Ingested::Stored if first_answers.contains_key(&item.record_id) => {
                    first_answers[&item.record_id].clone()
                }
                Ingested::Stored => {
                    let id = item.record_id.to_string();
                    // Derivation stored the first answer with the record's status.
                    let outcome = match rederived.and_then(|r| r.outcome_of(&id)) {
                        Some(outcome) => outcome,
                        // Settled in this very push: withdrawn by an action it carried.
                        None => {
                            let outcome = settled_outcome(db, &id).await?;
                            ingest::remember_first_result(db, &id, &outcome).await?;
                            outcome
                        }
                    };
                    first_answers.insert(item.record_id, outcome.clone());
                    answers.newly_answered.push(answers.results.len());
                    answers.tally.count(&outcome);
                    outcome
                }
            };
            answers.results.push(RecordResult {
                record_id: item.record_id,
                sequence: item.sequence,
                outcome,
            });
        }
        Ok(answers)
    }

    fn newly_answered(&self) -> impl Iterator<Item = &RecordResult> {
        self.newly_answered
            .iter()
            .filter_map(|&index| self.results.get(index))
    }
}

/// Stores the device's health as it is after this push, and the sync session.
async fn record_sync(
    db: &impl ConnectionTrait,
    sync: &SessionInfo<'_>,
    (employee_id, device_id): (i64, &str),
    request: &PushRequest,
    answers: &Answers,
) -> Result<(), DbErr> {
    // The device lets go of every record that got a final answer: the admin sees the
    // queue as it is after this push, not as it was before it.
    let answered_finally: BTreeSet<uuid::Uuid> = answers
        .results
        .iter()
        .filter(|result| !matches!(result.outcome, Outcome::RetryLater { .. }))
        .map(|result| result.record_id)
        .collect();
    health::store_report(
        db,
        sync.organisation_id,
        employee_id,
        device_id,
        &health::after_answers(&request.health, answered_finally.len()),
        &request.sent_at,
        sync.started_at_ms,
    )
    .await?;
    health::store_session(db, sync, &answers.tally, None).await
}

/// One audit entry for the refusals a throttled device was given while it waited.
fn audit_coalesced(
    journal: &mut Journal,
    device_id: Option<&str>,
    suppressed: Option<host_sdk::throttle::Suppressed>,
) {
    if let (Some(device_id), Some(suppressed)) = (device_id, suppressed) {
        journal.audit(
            &Actor::Device(device_id.to_owned()),
            AuditAction::SyncRefusalsCoalesced,
            "device",
            device_id,
            json!({
                "code": credential::THROTTLED,
                "count": suppressed.count,
                "first_at_ms": suppressed.first_ms,
                "last_at_ms": suppressed.last_ms,
            }),
        );
    }
}

/// The final outcome of a record this push stored that derivation no longer looks at:
/// withdrawn by an action in the same push. Never `retry_later`: the first answer is kept
/// for good and every resend gets it again, so a record without a final answer fails the
/// whole push instead (rolled back; the device sends it again).
async fn settled_outcome(
    db: &impl sea_orm::ConnectionTrait,
    record_id: &str,
) -> Result<Outcome, DbErr> {
    let stored = crate::entities::record::Entity::find_by_id(record_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::Custom(format!("record {record_id} vanished during its push")))?;
    if !matches!(
        stored.status,
        RecordStatus::Withdrawn | RecordStatus::Rejected
    ) {
        return Err(DbErr::Custom(format!(
            "record {record_id} was stored as {} but derivation gave it no outcome",
            stored.status
        )));
    }
    Ok(Outcome::Rejected {
        code: stored
            .status_code
            .unwrap_or_else(|| stored.status.to_string()),
        message: stored.status_message.unwrap_or_default(),
    })
}

/// The database stayed busy: every record is to be sent again later.
fn retry_later(request: &PushRequest) -> ModuleResponse {
    let results = request
        .records
        .iter()
        .map(|signed| {
            let record: Option<OfflineRecord> = signed.record().ok();
            RecordResult {
                record_id: record.as_ref().map(|r| r.id).unwrap_or_default(),
                sequence: record.as_ref().map(|r| r.sequence).unwrap_or_default(),
                outcome: Outcome::RetryLater {
                    code: "server_busy".to_owned(),
                    message: "the server is busy: the app sends these again shortly".to_owned(),
                    retry_after_seconds: 5,
                },
            }
        })
        .collect();
    ModuleResponse::json(
        Problem::Unavailable.status(),
        &PushResponse {
            protocol_version: PROTOCOL_VERSION,
            server_time_ms: now_ms(),
            results,
            action_results: Vec::new(),
            changes: None,
            config_version: 0,
            attendance: Default::default(),
        },
    )
    .with_header("retry-after", "5")
}

/// A refused sync leaves an audit entry and a failed sync session, nothing else. Refusals
/// of a device that failed too often are not written one by one: they are counted, and the
/// count goes into the device's next audited refusal or successful push.
pub async fn record_refusal(
    db: &DatabaseConnection,
    caller: &Caller,
    employee_id: Option<i64>,
    refusal: &Refusal,
    started_at_ms: i64,
    direction: &str,
) {
    if refusal.code == credential::THROTTLED {
        return;
    }
    let coalesced = refusal
        .device_id
        .as_deref()
        .and_then(credential::take_suppressed);
    let stored = async {
        let transaction = host_sdk::db::begin_write(db).await?;
        let session_id = uuid::Uuid::now_v7().to_string();
        health::store_session(
            &transaction,
            &SessionInfo {
                id: &session_id,
                organisation_id: caller.organisation_id,
                employee_id,
                device_id: refusal.device_id.as_deref(),
                started_at_ms,
            },
            &Tally::default(),
            Some(refusal.code),
        )
        .await?;
        let mut journal = Journal::new(caller.organisation_id, None);
        audit_coalesced(&mut journal, refusal.device_id.as_deref(), coalesced);
        // The header as sent is the client's: kept in the details (bounded, JSON-escaped),
        // and the subject only when it is a device id at all.
        let named: String = caller
            .device_id
            .as_deref()
            .unwrap_or_default()
            .chars()
            .take(120)
            .collect();
        let subject = match &refusal.device_id {
            Some(device_id) => device_id.clone(),
            None if uuid::Uuid::parse_str(&named).is_ok() => named.clone(),
            None => "unnamed".to_owned(),
        };
        journal.audit(
            &Actor::User(caller.user_id),
            AuditAction::SyncRefused,
            "device",
            &subject,
            json!({"code": refusal.code, "direction": direction, "named_device": named, "employee_id": employee_id}),
        );
        journal.flush(&transaction).await?;
        transaction.commit().await
    };
    if let Err(problem) = stored.await {
        tracing::error!("could not record a refused sync: {problem}");
    }
}
