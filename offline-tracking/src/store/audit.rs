//! The audit trail: append-only and tamper-evident.
//!
//! Each organisation's entries form a hash chain: an entry's hash covers its own fields
//! and the previous entry's hash, and the chain's end is kept in `ot_audit_heads`. Editing
//! an entry breaks its hash; deleting one leaves a gap in the numbers or a broken link;
//! deleting the last ones disagrees with the head. [`verify`] finds all three.

use super::sequence;
use crate::entities::{audit_entry, audit_head};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::Expr,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before an organisation's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry not yet written.
pub struct NewEntry {
    pub occurred_at_ms: i64,
    pub actor_kind: String,
    pub actor_id: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub details: String,
}

/// The hash of an entry: every field, length-prefixed so no two entries encode alike.
fn entry_hash(prev_hash: &str, organisation_id: i64, seq: i64, entry: &NewEntry) -> String {
    let mut hasher = Sha256::new();
    let organisation = organisation_id.to_string();
    let seq = seq.to_string();
    let occurred = entry.occurred_at_ms.to_string();
    for field in [
        prev_hash,
        &organisation,
        &seq,
        &occurred,
        &entry.actor_kind,
        &entry.actor_id,
        &entry.action,
        &entry.subject_kind,
        &entry.subject_id,
        &entry.details,
    ] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Appends entries to the organisation's chain.
pub async fn append(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    entries: Vec<NewEntry>,
) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let count = entries.len() as i64;
    let first = sequence::reserve(
        db,
        "ot_audit_heads",
        organisation_id,
        count,
        &[("last_hash", GENESIS.into())],
    )
    .await?;
    // The head row is locked by the reservation above and read after it, so it carries
    // the hash of the entry just before ours whatever the isolation level.
    let mut prev_hash = audit_head::Entity::find_by_id(organisation_id)
        .one(db)
        .await?
        .map(|head| head.last_hash)
        .ok_or_else(|| DbErr::Custom("the audit chain's head vanished".to_owned()))?;
    let mut rows = Vec::with_capacity(entries.len());
    for (offset, entry) in entries.into_iter().enumerate() {
        let seq = first + offset as i64;
        let hash = entry_hash(&prev_hash, organisation_id, seq, &entry);
        rows.push(audit_entry::ActiveModel {
            organisation_id: Set(organisation_id),
            seq: Set(seq),
            occurred_at_ms: Set(entry.occurred_at_ms),
            actor_kind: Set(entry.actor_kind),
            actor_id: Set(entry.actor_id),
            action: Set(entry.action),
            subject_kind: Set(entry.subject_kind),
            subject_id: Set(entry.subject_id),
            details: Set(entry.details),
            prev_hash: Set(prev_hash.clone()),
            hash: Set(hash.clone()),
        });
        prev_hash = hash;
    }
    audit_entry::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastHash, Expr::value(prev_hash))
        .filter(audit_head::Column::OrganisationId.eq(organisation_id))
        .exec(db)
        .await?;
    Ok(())
}

/// One problem [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The entry concerned.
    pub seq: i64,
    /// `edited`, `missing`, `chain_broken` or `head_mismatch`.
    pub problem: &'static str,
    /// For a person.
    pub detail: String,
}

/// The result of a verification.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// No problem found.
    pub intact: bool,
    /// Entries checked.
    pub entries_checked: u64,
    /// What was found.
    pub problems: Vec<Problem>,
}

const PAGE: u64 = 1000;

/// Walks the organisation's whole chain.
pub async fn verify(
    db: &impl ConnectionTrait,
    organisation_id: i64,
) -> Result<Verification, DbErr> {
    let mut problems = Vec::new();
    let mut checked = 0u64;
    let mut expected_seq = 1i64;
    let mut prev_hash = GENESIS.to_owned();
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::OrganisationId.eq(organisation_id))
            .filter(audit_entry::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_entry::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let page_len = page.len() as u64;
        for row in page {
            checked += 1;
            if row.seq != expected_seq {
                problems.push(Problem {
                    seq: expected_seq,
                    problem: "missing",
                    detail: format!("entries {expected_seq} to {} are gone", row.seq - 1),
                });
            }
            if row.prev_hash != prev_hash {
                problems.push(Problem {
                    seq: row.seq,
                    problem: "chain_broken",
                    detail: "it does not link to the entry before it".to_owned(),
                });
            }
            let recomputed = entry_hash(
                &row.prev_hash,
                organisation_id,
                row.seq,
                &NewEntry {
                    occurred_at_ms: row.occurred_at_ms,
                    actor_kind: row.actor_kind.clone(),
                    actor_id: row.actor_id.clone(),
                    action: row.action.clone(),
                    subject_kind: row.subject_kind.clone(),
                    subject_id: row.subject_id.clone(),
                    details: row.details.clone(),
                },
            );
            if recomputed != row.hash {
                problems.push(Problem {
                    seq: row.seq,
                    problem: "edited",
                    detail: format!(
                        "its content no longer matches its hash ({} {})",
                        row.action, row.subject_id
                    ),
                });
            }
            prev_hash = row.hash;
            expected_seq = row.seq + 1;
        }
        if page_len < PAGE {
            break;
        }
    }
    let head = audit_head::Entity::find_by_id(organisation_id)
        .one(db)
        .await?;
    let (head_seq, head_hash) = head
        .map(|h| (h.last_seq, h.last_hash))
        .unwrap_or((0, GENESIS.to_owned()));
    if head_seq != expected_seq - 1 || head_hash != prev_hash {
        problems.push(Problem {
            seq: head_seq,
            problem: "head_mismatch",
            detail: format!(
                "the chain ends at entry {} but {head_seq} were written: the last entries were removed or altered",
                expected_seq - 1
            ),
        });
    }
    Ok(Verification {
        intact: problems.is_empty(),
        entries_checked: checked,
        problems,
    })
}
