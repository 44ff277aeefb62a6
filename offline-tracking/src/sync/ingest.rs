//! Stores the records of one push: each is verified against the device's key, answered
//! from storage if it was seen before (exactly once), validated, placed in time and
//! stored. Derivation then decides what the new ones mean.

use super::trusted_time::{self, TrustedTime};
use super::validate::{self, Failure};
use crate::entities::states::RecordStatus;
use crate::entities::{device, record, site};
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use host_sdk::db::StoredJson;
use offline_tracking_protocol::{DeviceTime, OfflineRecord, Outcome, SignedRecord};
use offline_tracking_settings::OfflineTrackingSettings;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

const DAY_MS: i64 = 86_400_000;

/// Everything the push knows that ingestion needs.
pub struct Batch<'a> {
    pub organisation_id: i64,
    pub employee_id: i64,
    pub device: &'a device::Model,
    pub settings: &'a OfflineTrackingSettings,
    pub sent_at: &'a DeviceTime,
    pub received_at_ms: i64,
    pub sync_session_id: &'a str,
    pub face_enrolled: bool,
    pub sites: &'a BTreeMap<String, site::Model>,
    /// The sites assigned to the employee; empty: every site.
    pub assigned_sites: &'a BTreeSet<String>,
}

/// What ingestion made of one pushed record.
#[derive(Clone, Debug, PartialEq)]
pub enum Ingested {
    /// Its answer is already known: a refusal or a rejection.
    Answered(Outcome),
    /// Sent before: its first answer, again.
    Resent(Outcome),
    /// Stored; derivation gives its outcome.
    Stored,
}

/// One pushed record, in push order.
#[derive(Clone, Debug, PartialEq)]
pub struct IngestedRecord {
    /// The record's id (nil when the payload could not be read).
    pub record_id: uuid::Uuid,
    /// Its sequence (0 when the payload could not be read).
    pub sequence: u64,
    /// What happened.
    pub result: Ingested,
}

fn refused(code: &str, message: impl Into<String>) -> Outcome {
    Outcome::Rejected {
        code: code.to_owned(),
        message: message.into(),
    }
}

fn fingerprint(payload: &str) -> String {
    hex::encode(Sha256::digest(payload.as_bytes()))
}

/// Checks every signature of a push on a blocking thread: a full batch is hundreds of
/// curve operations, CPU work that must not hold one of the module's async workers.
async fn verify_all(
    signed: &[SignedRecord],
    public_key: &str,
) -> Result<Vec<Result<(), offline_tracking_protocol::SignatureError>>, DbErr> {
    let (signed, public_key) = (signed.to_vec(), public_key.to_owned());
    tokio::task::spawn_blocking(move || {
        signed.iter().map(|item| item.verify(&public_key)).collect()
    })
    .await
    .map_err(|failure| DbErr::Custom(format!("signature checks failed: {failure}")))
}

/// What ingestion made of a push's records.
pub struct Ingestion {
    /// Each record's result, in the order the records were sent.
    pub records: Vec<IngestedRecord>,
    /// The trusted time of the earliest attendance record (not a leave request) stored
    /// for derivation: where what this push changes can begin.
    pub earliest_attendance_ms: Option<i64>,
}

/// Ingests the pushed records: each is refused, answered from storage, or stored for
/// derivation. The answers come back in the order the records were sent.
pub async fn ingest(
    db: &impl ConnectionTrait,
    batch: &Batch<'_>,
    signed: &[SignedRecord],
    journal: &mut Journal,
) -> Result<Ingestion, DbErr> {
    let mut results: Vec<Option<IngestedRecord>> = vec![None; signed.len()];
    let parsed = read_signed(batch, signed, &mut results, journal).await?;
    let mut known = Known::load(db, &batch.device.id, &parsed).await?;
    let mut in_this_push: BTreeSet<uuid::Uuid> = BTreeSet::new();
    let mut rows = Vec::new();
    for (index, record) in parsed {
        let sent_before = known.by_id.contains_key(&record.id.to_string());
        let result = if !sent_before && !in_this_push.insert(record.id) {
            // The same new record twice in one push: the first copy answers for both.
            Ingested::Stored
        } else {
            ingest_one(
                batch,
                &signed[index],
                &record,
                &mut known,
                &mut rows,
                journal,
            )?
        };
        results[index] = Some(IngestedRecord {
            record_id: record.id,
            sequence: record.sequence,
            result,
        });
    }
    // The push's records in multi-row INSERTs. Nothing above reads them back: a record
    // sent twice in this push was caught by `in_this_push`, and the highest sequence is
    // carried in `known`.
    let earliest_attendance_ms = rows
        .iter()
        .filter_map(|row| match (&row.kind, &row.status, &row.trusted_time_ms) {
            (Set(kind), Set(RecordStatus::Received), Set(time))
                if *kind != offline_tracking_protocol::RecordKind::LeaveRequest =>
            {
                Some(*time)
            }
            _ => None,
        })
        .min();
    for chunk in rows.chunks(RECORDS_PER_INSERT) {
        record::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(Ingestion {
        records: results.into_iter().flatten().collect(),
        earliest_attendance_ms,
    })
}

/// Records per INSERT: 31 columns each stays under every backend's bound on parameters.
const RECORDS_PER_INSERT: usize = 500;

/// Verifies every signature (off the async workers) and reads each record. A record that
/// fails gets its answer in `results` and an audit entry; the others come back with their
/// position, in sequence order.
async fn read_signed(
    batch: &Batch<'_>,
    signed: &[SignedRecord],
    results: &mut [Option<IngestedRecord>],
    journal: &mut Journal,
) -> Result<Vec<(usize, OfflineRecord)>, DbErr> {
    let actor = Actor::Device(batch.device.id.clone());
    let mut parsed: Vec<(usize, OfflineRecord)> = Vec::new();
    let verified = verify_all(signed, &batch.device.public_key).await?;
    for ((index, item), verification) in signed.iter().enumerate().zip(verified) {
        let refusal = match verification {
            Err(error) => Some(("invalid_signature", error.to_string(), None)),
            Ok(()) => match item.record() {
                Err(error) => Some((
                    "malformed_record",
                    format!("the record cannot be read: {error}"),
                    None,
                )),
                Ok(record) if record.device_id.to_string() != batch.device.id => Some((
                    "device_mismatch",
                    "the record names another device than the one pushing it".to_owned(),
                    Some(record),
                )),
                // Checked before anything stores or compares the number as an i64.
                Ok(record) => match validate::stored_sequence(record.sequence) {
                    Err(failure) => Some((failure.code, failure.message, Some(record))),
                    Ok(_) => {
                        parsed.push((index, record));
                        None
                    }
                },
            },
        };
        if let Some((code, message, record)) = refusal {
            journal.audit(
                &actor,
                AuditAction::RecordRefused,
                "device",
                &batch.device.id,
                json!({"code": code, "sequence": record.as_ref().map(|r| r.sequence), "payload_sha256": fingerprint(&item.payload)}),
            );
            results[index] = Some(IngestedRecord {
                record_id: record.as_ref().map(|r| r.id).unwrap_or_default(),
                sequence: record.as_ref().map(|r| r.sequence).unwrap_or_default(),
                result: Ingested::Answered(refused(code, message)),
            });
        }
    }
    parsed.sort_by_key(|(_, record)| (record.sequence, record.id));
    Ok(parsed)
}

/// What is already stored about the pushed records and their device.
struct Known {
    /// Stored records with the pushed ids.
    by_id: BTreeMap<String, record::Model>,
    /// The device's stored records with the pushed sequence numbers.
    by_sequence: BTreeMap<i64, String>,
    /// The device's highest stored sequence number, raised as records are stored.
    highest: i64,
}

impl Known {
    async fn load(
        db: &impl ConnectionTrait,
        device_id: &str,
        parsed: &[(usize, OfflineRecord)],
    ) -> Result<Self, DbErr> {
        let ids: Vec<String> = parsed.iter().map(|(_, r)| r.id.to_string()).collect();
        let sequences: Vec<i64> = parsed.iter().map(|(_, r)| r.sequence as i64).collect();
        let by_id = if ids.is_empty() {
            BTreeMap::new()
        } else {
            record::Entity::find()
                .filter(record::Column::Id.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|row| (row.id.clone(), row))
                .collect()
        };
        // One range of the `(device_id, sequence)` index from the lowest pushed sequence
        // to the highest, kept where pushed: a list of hundreds of sequences in one `IN`
        // made PostgreSQL read the device's every record. The range holds at most the
        // device's own records.
        let by_sequence = match (sequences.iter().min(), sequences.iter().max()) {
            (Some(lowest), Some(highest)) => {
                let pushed: BTreeSet<i64> = sequences.iter().copied().collect();
                record::Entity::find()
                    .select_only()
                    .columns([record::Column::Sequence, record::Column::Id])
                    .filter(record::Column::DeviceId.eq(device_id))
                    .filter(record::Column::Sequence.between(*lowest, *highest))
                    .into_tuple::<(i64, String)>()
                    .all(db)
                    .await?
                    .into_iter()
                    .filter(|(sequence, _)| pushed.contains(sequence))
                    .collect()
            }
            _ => BTreeMap::new(),
        };
        let highest = record::Entity::find()
            .select_only()
            .column_as(
                Expr::expr(sea_orm::sea_query::Func::max(Expr::col(
                    record::Column::Sequence,
                ))),
                "highest",
            )
            .filter(record::Column::DeviceId.eq(device_id))
            .into_tuple::<Option<i64>>()
            .one(db)
            .await?
            .flatten()
            .unwrap_or(0);
        Ok(Self {
            by_id,
            by_sequence,
            highest,
        })
    }
}

/// One readable record not seen before in this push: answered from storage when it was
/// sent before, refused, stored as rejected, or stored for derivation.
fn ingest_one(
    batch: &Batch<'_>,
    signed: &SignedRecord,
    record: &OfflineRecord,
    known: &mut Known,
    rows: &mut Vec<record::ActiveModel>,
    journal: &mut Journal,
) -> Result<Ingested, DbErr> {
    let actor = Actor::Device(batch.device.id.clone());
    let id = record.id.to_string();
    if let Some(stored) = known.by_id.get(&id) {
        // A resend: the first answer, unchanged, and nothing written.
        return Ok(if stored.device_id == batch.device.id {
            // Every committed record has its first answer; one without is a damaged row.
            let first: Outcome =
                stored.first_result.0.clone().ok_or_else(|| {
                    DbErr::Custom(format!("record {id} has no first answer stored"))
                })?;
            Ingested::Resent(first)
        } else {
            Ingested::Answered(refused(
                "record_id_conflict",
                "another device already sent a record with this id",
            ))
        });
    }
    if known
        .by_sequence
        .get(&(record.sequence as i64))
        .is_some_and(|other| *other != id)
    {
        journal.audit(
            &actor,
            AuditAction::RecordRefused,
            "device",
            &batch.device.id,
            json!({"code": "sequence_conflict", "sequence": record.sequence, "record_id": id}),
        );
        return Ok(Ingested::Answered(refused(
            "sequence_conflict",
            format!(
                "sequence {} was already used by another record of this device",
                record.sequence
            ),
        )));
    }
    let checked = validate::check(
        record,
        &validate::Context {
            settings: batch.settings,
            organisation_id: batch.organisation_id,
            face_enrolled: batch.face_enrolled,
            sites: batch.sites,
            assigned_sites: batch.assigned_sites,
            now_ms: batch.received_at_ms,
            highest_sequence: known.highest,
        },
    );
    match checked {
        Ok(valid) => {
            let disposition = Disposition::Valid(valid);
            rows.push(row(
                batch,
                signed,
                record,
                &disposition,
                journal,
                &mut known.highest,
            ));
            Ok(Ingested::Stored)
        }
        Err(Failure {
            code,
            message,
            keep: false,
        }) => {
            journal.audit(
                &actor,
                AuditAction::RecordRefused,
                "device",
                &batch.device.id,
                json!({"code": code, "sequence": record.sequence, "record_id": id, "payload_sha256": fingerprint(&signed.payload)}),
            );
            Ok(Ingested::Answered(refused(code, message)))
        }
        Err(Failure {
            code,
            message,
            keep: true,
        }) => {
            let rejection = Disposition::Rejected { code, message };
            rows.push(row(
                batch,
                signed,
                record,
                &rejection,
                journal,
                &mut known.highest,
            ));
            journal.audit(
                &actor,
                AuditAction::RecordRejected,
                "record",
                &id,
                json!({"code": code, "sequence": record.sequence}),
            );
            Ok(Ingested::Answered(rejection.outcome()))
        }
    }
}

/// How a record is stored: valid (derivation decides) or rejected for good.
enum Disposition {
    Valid(validate::Valid),
    Rejected { code: &'static str, message: String },
}

impl Disposition {
    fn outcome(&self) -> Outcome {
        match self {
            Disposition::Valid(_) => unreachable!("a valid record's outcome comes from derivation"),
            Disposition::Rejected { code, message } => refused(code, message.clone()),
        }
    }

    fn valid(&self) -> Option<&validate::Valid> {
        match self {
            Disposition::Valid(valid) => Some(valid),
            Disposition::Rejected { .. } => None,
        }
    }
}

/// The row one record is stored as.
fn row(
    batch: &Batch<'_>,
    signed: &SignedRecord,
    record: &OfflineRecord,
    disposition: &Disposition,
    journal: &mut Journal,
    highest: &mut i64,
) -> record::ActiveModel {
    let placed: TrustedTime = trusted_time::reconstruct(
        &record.device_time,
        batch.sent_at,
        batch.received_at_ms,
        i64::from(batch.settings.clock_skew_tolerance_seconds) * 1000,
    );
    let mut flags: Vec<String> = placed.flags.iter().map(|f| (*f).to_owned()).collect();
    let sequence = record.sequence as i64;
    if sequence > highest.saturating_add(1) {
        flags.push("sequence_gap_before".to_owned());
        journal.audit(
            &Actor::Device(batch.device.id.clone()),
            AuditAction::SequenceGapDetected,
            "device",
            &batch.device.id,
            json!({"missing_from": highest.saturating_add(1), "missing_to": sequence - 1}),
        );
    }
    *highest = (*highest).max(sequence);
    let stale =
        batch.received_at_ms - placed.time_ms > i64::from(batch.settings.max_offline_days) * DAY_MS;
    if stale {
        flags.push("stale".to_owned());
    }
    if placed.suspect {
        flags.push("suspect_clock".to_owned());
    }
    let valid = disposition.valid();
    // Held for review by the geofence: derivation reads the flag and holds the record.
    if let Some(code) = valid.and_then(|v| v.held_by_geofence) {
        flags.push(code.to_owned());
    }
    let (status, code, message, first_result) = match disposition {
        Disposition::Valid(_) => (RecordStatus::Received, None, None, None),
        Disposition::Rejected { code, message } => (
            RecordStatus::Rejected,
            Some((*code).to_owned()),
            Some(message.clone()),
            Some(disposition.outcome()),
        ),
    };
    let row = record::ActiveModel {
        id: Set(record.id.to_string()),
        organisation_id: Set(batch.organisation_id),
        employee_id: Set(batch.employee_id),
        device_id: Set(batch.device.id.clone()),
        sequence: Set(sequence),
        kind: Set(record.kind),
        payload: Set(signed.payload.clone()),
        signature: Set(signed.signature.clone()),
        device_wall_ms: Set(record.device_time.wall_clock_ms),
        monotonic_ms: Set(record.device_time.monotonic_ms),
        boot_id: Set(record.device_time.boot_id.clone()),
        trusted_time_ms: Set(placed.time_ms),
        time_source: Set(placed.source),
        clock_offset_ms: Set(placed.clock_offset_ms),
        stale: Set(stale),
        suspect_clock: Set(placed.suspect),
        flags: Set(StoredJson(flags.clone())),
        latitude: Set(record.gps.as_ref().map(|g| g.latitude)),
        longitude: Set(record.gps.as_ref().map(|g| g.longitude)),
        accuracy_m: Set(record.gps.as_ref().map(|g| g.accuracy_m)),
        site_id: Set(valid.and_then(|v| v.site_id.clone())),
        leave_key: Set(valid.and_then(|v| v.leave_key.clone())),
        received_at_ms: Set(batch.received_at_ms),
        sync_session_id: Set(batch.sync_session_id.to_owned()),
        status: Set(status),
        status_code: Set(code),
        status_message: Set(message),
        conflict_id: Set(None),
        first_result: Set(StoredJson(first_result)),
        employee_note: Set(None),
        updated_at_ms: Set(batch.received_at_ms),
    };
    if valid.is_some() {
        journal.audit(
            &Actor::Device(batch.device.id.clone()),
            AuditAction::RecordReceived,
            "record",
            &record.id.to_string(),
            json!({
                "sequence": record.sequence,
                "kind": record.kind.as_str(),
                "trusted_time_ms": placed.time_ms,
                "time_source": placed.source,
                "clock_offset_ms": placed.clock_offset_ms,
                "flags": flags,
            }),
        );
    }
    row
}

/// Stores the outcome a newly stored record was first answered with.
pub async fn remember_first_result(
    db: &impl ConnectionTrait,
    record_id: &str,
    outcome: &Outcome,
) -> Result<(), DbErr> {
    record::Entity::update_many()
        .col_expr(
            record::Column::FirstResult,
            Expr::value(StoredJson(Some(outcome.clone()))),
        )
        .filter(record::Column::Id.eq(record_id))
        .exec(db)
        .await?;
    Ok(())
}
