//! Everything offline attendance needs beyond devices: the records (immutable events),
//! what is derived from them, what admins enter, and the bookkeeping of sync and audit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OtRecords {
    Table,
    Id,
    OrganisationId,
    EmployeeId,
    DeviceId,
    Sequence,
    Kind,
    Payload,
    Signature,
    DeviceWallMs,
    MonotonicMs,
    BootId,
    TrustedTimeMs,
    TimeSource,
    ClockOffsetMs,
    Stale,
    SuspectClock,
    Flags,
    Latitude,
    Longitude,
    AccuracyM,
    SiteId,
    LeaveKey,
    ReceivedAtMs,
    SyncSessionId,
    Status,
    StatusCode,
    StatusMessage,
    ConflictId,
    FirstResult,
    EmployeeNote,
    UpdatedAtMs,
}

#[derive(DeriveIden)]
enum OtManualEntries {
    Table,
    Id,
    OrganisationId,
    EmployeeId,
    StartedAtMs,
    EndedAtMs,
    Note,
    RecordedAtMs,
    RecordedBy,
    Status,
    ReplacesId,
    Superseded,
}

#[derive(DeriveIden)]
enum OtSessions {
    Table,
    Id,
    OrganisationId,
    EmployeeId,
    Source,
    StartedAtMs,
    EndedAtMs,
    StartRecordId,
    EndRecordId,
    ManualEntryId,
    Breaks,
    Flags,
    UpdatedAtMs,
}

#[derive(DeriveIden)]
enum OtLeaveRequests {
    Table,
    Id,
    OrganisationId,
    EmployeeId,
    LeaveType,
    StartsOn,
    EndsOn,
    Reason,
    Status,
    DecidedBy,
    DecidedAtMs,
    DecisionNote,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum OtSites {
    Table,
    Id,
    OrganisationId,
    Name,
    Secret,
    Latitude,
    Longitude,
    RadiusM,
    CreatedAtMs,
    CreatedBy,
}

#[derive(DeriveIden)]
enum OtConflicts {
    Table,
    Id,
    OrganisationId,
    EmployeeId,
    ConflictKey,
    ConflictType,
    RecordId,
    ServerKind,
    ServerId,
    Resolution,
    Dissolved,
    DetectedAtMs,
    UpdatedAtMs,
}

#[derive(DeriveIden)]
enum OtConflictDecisions {
    Table,
    Id,
    OrganisationId,
    ConflictId,
    Decision,
    CorrectedTimeMs,
    Note,
    DecidedBy,
    DecidedAtMs,
    ReversedAtMs,
    ReversedBy,
    ReverseNote,
}

#[derive(DeriveIden)]
enum OtSyncSessions {
    Table,
    Id,
    OrganisationId,
    EmployeeId,
    DeviceId,
    StartedAtMs,
    FinishedAtMs,
    Outcome,
    ErrorCode,
    RecordsReceived,
    Accepted,
    Duplicates,
    Conflicts,
    Rejected,
    RetryLater,
}

#[derive(DeriveIden)]
enum OtHealthReports {
    Table,
    Id,
    OrganisationId,
    DeviceId,
    EmployeeId,
    ReportedAtMs,
    QueueDepth,
    OldestPendingMs,
    StorageUsedBytes,
    AppVersion,
    ConfigVersion,
    FailedAttempts,
    LastSuccessAtMs,
    LastRecordedSequence,
    Network,
    ClockOffsetMs,
}

#[derive(DeriveIden)]
enum OtChanges {
    Table,
    OrganisationId,
    Seq,
    EmployeeId,
    Kind,
    EntityId,
    Data,
    OriginDeviceId,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum OtChangeCounters {
    Table,
    OrganisationId,
    LastSeq,
}

#[derive(DeriveIden)]
enum OtAudit {
    Table,
    OrganisationId,
    Seq,
    OccurredAtMs,
    ActorKind,
    ActorId,
    Action,
    SubjectKind,
    SubjectId,
    Details,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum OtAuditHeads {
    Table,
    OrganisationId,
    LastSeq,
    LastHash,
}

#[derive(DeriveIden)]
enum OtEmployeeLocks {
    Table,
    OrganisationId,
    EmployeeId,
    TouchedAtMs,
}

#[derive(DeriveIden)]
enum OtFaceEnrollments {
    Table,
    OrganisationId,
    EmployeeId,
    Enrolled,
    UpdatedAtMs,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum OtEmployeeActions {
    Table,
    Id,
    OrganisationId,
    EmployeeId,
    DeviceId,
    RecordId,
    Action,
    Note,
    ReceivedAtMs,
    Result,
}

const UUID_LEN: u32 = 36;
const KEY_LEN: u32 = 120;

fn index(
    name: &str,
    table: impl IntoIden,
    columns: &[&dyn Fn() -> DynIden],
) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column());
    }
    statement.to_owned()
}

fn unique_index(
    name: &str,
    table: impl IntoIden,
    columns: &[&dyn Fn() -> DynIden],
) -> IndexCreateStatement {
    let mut statement = index(name, table, columns);
    statement.unique();
    statement
}

macro_rules! cols {
    ($($column:expr),+ $(,)?) => {
        &[$(&|| $column.into_iden()),+]
    };
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_ot_records(manager).await?;
        create_ot_manual_entries(manager).await?;
        create_ot_sessions(manager).await?;
        create_ot_leave_requests(manager).await?;
        create_ot_sites(manager).await?;
        create_ot_conflicts(manager).await?;
        create_ot_conflict_decisions(manager).await?;
        create_ot_sync_sessions(manager).await?;
        create_ot_health_reports(manager).await?;
        create_ot_changes(manager).await?;
        create_ot_audit(manager).await?;
        create_ot_employee_locks(manager).await?;
        create_ot_face_enrollments(manager).await?;
        create_ot_employee_actions(manager).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OtEmployeeActions::Table.into_iden(),
            OtFaceEnrollments::Table.into_iden(),
            OtEmployeeLocks::Table.into_iden(),
            OtAuditHeads::Table.into_iden(),
            OtAudit::Table.into_iden(),
            OtChangeCounters::Table.into_iden(),
            OtChanges::Table.into_iden(),
            OtHealthReports::Table.into_iden(),
            OtSyncSessions::Table.into_iden(),
            OtConflictDecisions::Table.into_iden(),
            OtConflicts::Table.into_iden(),
            OtSites::Table.into_iden(),
            OtLeaveRequests::Table.into_iden(),
            OtSessions::Table.into_iden(),
            OtManualEntries::Table.into_iden(),
            OtRecords::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// `ot_records` and its indexes.
async fn create_ot_records(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtRecords::Table)
                .col(string_len(OtRecords::Id, UUID_LEN).primary_key())
                .col(big_integer(OtRecords::OrganisationId))
                .col(big_integer(OtRecords::EmployeeId))
                .col(string_len(OtRecords::DeviceId, UUID_LEN))
                .col(big_integer(OtRecords::Sequence))
                .col(string_len(OtRecords::Kind, 20))
                .col(text(OtRecords::Payload))
                .col(string_len(OtRecords::Signature, 100))
                .col(big_integer(OtRecords::DeviceWallMs))
                .col(big_integer(OtRecords::MonotonicMs))
                .col(string_len(OtRecords::BootId, 100))
                .col(big_integer(OtRecords::TrustedTimeMs))
                .col(string_len(OtRecords::TimeSource, 20))
                .col(big_integer_null(OtRecords::ClockOffsetMs))
                .col(boolean(OtRecords::Stale))
                .col(boolean(OtRecords::SuspectClock))
                .col(text(OtRecords::Flags))
                .col(double_null(OtRecords::Latitude))
                .col(double_null(OtRecords::Longitude))
                .col(double_null(OtRecords::AccuracyM))
                .col(string_len_null(OtRecords::SiteId, UUID_LEN))
                .col(string_len_null(OtRecords::LeaveKey, KEY_LEN))
                .col(big_integer(OtRecords::ReceivedAtMs))
                .col(string_len(OtRecords::SyncSessionId, UUID_LEN))
                .col(string_len(OtRecords::Status, 20))
                .col(string_len_null(OtRecords::StatusCode, 50))
                .col(string_len_null(OtRecords::StatusMessage, 500))
                .col(string_len_null(OtRecords::ConflictId, UUID_LEN))
                .col(text(OtRecords::FirstResult))
                .col(text_null(OtRecords::EmployeeNote))
                .col(big_integer(OtRecords::UpdatedAtMs))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(unique_index(
            "uq_ot_records_device_sequence",
            OtRecords::Table,
            cols![OtRecords::DeviceId, OtRecords::Sequence],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_ot_records_employee_time",
            OtRecords::Table,
            cols![
                OtRecords::OrganisationId,
                OtRecords::EmployeeId,
                OtRecords::TrustedTimeMs
            ],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_ot_records_org_status",
            OtRecords::Table,
            cols![
                OtRecords::OrganisationId,
                OtRecords::Status,
                OtRecords::ReceivedAtMs
            ],
        ))
        .await?;
    Ok(())
}

/// `ot_manual_entries` and its indexes.
async fn create_ot_manual_entries(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtManualEntries::Table)
                .col(string_len(OtManualEntries::Id, UUID_LEN).primary_key())
                .col(big_integer(OtManualEntries::OrganisationId))
                .col(big_integer(OtManualEntries::EmployeeId))
                .col(big_integer(OtManualEntries::StartedAtMs))
                .col(big_integer_null(OtManualEntries::EndedAtMs))
                .col(text(OtManualEntries::Note))
                .col(big_integer(OtManualEntries::RecordedAtMs))
                .col(big_integer(OtManualEntries::RecordedBy))
                .col(string_len(OtManualEntries::Status, 20))
                .col(string_len_null(OtManualEntries::ReplacesId, UUID_LEN))
                .col(boolean(OtManualEntries::Superseded))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_manual_entries_employee",
            OtManualEntries::Table,
            cols![
                OtManualEntries::OrganisationId,
                OtManualEntries::EmployeeId,
                OtManualEntries::StartedAtMs
            ],
        ))
        .await?;
    Ok(())
}

/// `ot_sessions` and its indexes.
async fn create_ot_sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtSessions::Table)
                .col(string_len(OtSessions::Id, KEY_LEN))
                .col(big_integer(OtSessions::OrganisationId))
                .col(big_integer(OtSessions::EmployeeId))
                .col(string_len(OtSessions::Source, 10))
                .col(big_integer_null(OtSessions::StartedAtMs))
                .col(big_integer_null(OtSessions::EndedAtMs))
                .col(string_len_null(OtSessions::StartRecordId, UUID_LEN))
                .col(string_len_null(OtSessions::EndRecordId, UUID_LEN))
                .col(string_len_null(OtSessions::ManualEntryId, UUID_LEN))
                .col(text(OtSessions::Breaks))
                .col(text(OtSessions::Flags))
                .col(big_integer(OtSessions::UpdatedAtMs))
                .primary_key(
                    Index::create()
                        .col(OtSessions::OrganisationId)
                        .col(OtSessions::EmployeeId)
                        .col(OtSessions::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_sessions_org_start",
            OtSessions::Table,
            cols![OtSessions::OrganisationId, OtSessions::StartedAtMs],
        ))
        .await?;
    Ok(())
}

/// `ot_leave_requests` and its indexes.
async fn create_ot_leave_requests(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtLeaveRequests::Table)
                .col(string_len(OtLeaveRequests::Id, UUID_LEN).primary_key())
                .col(big_integer(OtLeaveRequests::OrganisationId))
                .col(big_integer(OtLeaveRequests::EmployeeId))
                .col(string_len(OtLeaveRequests::LeaveType, 50))
                .col(string_len(OtLeaveRequests::StartsOn, 10))
                .col(string_len(OtLeaveRequests::EndsOn, 10))
                .col(text_null(OtLeaveRequests::Reason))
                .col(string_len(OtLeaveRequests::Status, 20))
                .col(big_integer_null(OtLeaveRequests::DecidedBy))
                .col(big_integer_null(OtLeaveRequests::DecidedAtMs))
                .col(text_null(OtLeaveRequests::DecisionNote))
                .col(big_integer(OtLeaveRequests::CreatedAtMs))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_leave_org_status",
            OtLeaveRequests::Table,
            cols![OtLeaveRequests::OrganisationId, OtLeaveRequests::Status],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_ot_leave_employee",
            OtLeaveRequests::Table,
            cols![OtLeaveRequests::OrganisationId, OtLeaveRequests::EmployeeId],
        ))
        .await?;
    Ok(())
}

/// `ot_sites` and its indexes.
async fn create_ot_sites(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtSites::Table)
                .col(string_len(OtSites::Id, UUID_LEN).primary_key())
                .col(big_integer(OtSites::OrganisationId))
                .col(string_len(OtSites::Name, 200))
                .col(string_len(OtSites::Secret, 64))
                .col(double_null(OtSites::Latitude))
                .col(double_null(OtSites::Longitude))
                .col(double_null(OtSites::RadiusM))
                .col(big_integer(OtSites::CreatedAtMs))
                .col(big_integer(OtSites::CreatedBy))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_sites_org",
            OtSites::Table,
            cols![OtSites::OrganisationId],
        ))
        .await?;
    Ok(())
}

/// `ot_conflicts` and its indexes.
async fn create_ot_conflicts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtConflicts::Table)
                .col(string_len(OtConflicts::Id, UUID_LEN).primary_key())
                .col(big_integer(OtConflicts::OrganisationId))
                .col(big_integer(OtConflicts::EmployeeId))
                .col(string_len(OtConflicts::ConflictKey, KEY_LEN))
                .col(string_len(OtConflicts::ConflictType, 20))
                .col(string_len(OtConflicts::RecordId, UUID_LEN))
                .col(string_len_null(OtConflicts::ServerKind, 20))
                .col(string_len_null(OtConflicts::ServerId, KEY_LEN))
                .col(string_len(OtConflicts::Resolution, 20))
                .col(boolean(OtConflicts::Dissolved))
                .col(big_integer(OtConflicts::DetectedAtMs))
                .col(big_integer(OtConflicts::UpdatedAtMs))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(unique_index(
            "uq_ot_conflicts_key",
            OtConflicts::Table,
            cols![OtConflicts::OrganisationId, OtConflicts::ConflictKey],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_ot_conflicts_org_resolution",
            OtConflicts::Table,
            cols![
                OtConflicts::OrganisationId,
                OtConflicts::Resolution,
                OtConflicts::DetectedAtMs
            ],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_ot_conflicts_employee",
            OtConflicts::Table,
            cols![OtConflicts::OrganisationId, OtConflicts::EmployeeId],
        ))
        .await?;
    Ok(())
}

/// `ot_conflict_decisions` and its indexes.
async fn create_ot_conflict_decisions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtConflictDecisions::Table)
                .col(string_len(OtConflictDecisions::Id, UUID_LEN).primary_key())
                .col(big_integer(OtConflictDecisions::OrganisationId))
                .col(string_len(OtConflictDecisions::ConflictId, UUID_LEN))
                .col(string_len(OtConflictDecisions::Decision, 20))
                .col(big_integer_null(OtConflictDecisions::CorrectedTimeMs))
                .col(text(OtConflictDecisions::Note))
                .col(big_integer(OtConflictDecisions::DecidedBy))
                .col(big_integer(OtConflictDecisions::DecidedAtMs))
                .col(big_integer_null(OtConflictDecisions::ReversedAtMs))
                .col(big_integer_null(OtConflictDecisions::ReversedBy))
                .col(text_null(OtConflictDecisions::ReverseNote))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_decisions_conflict",
            OtConflictDecisions::Table,
            cols![OtConflictDecisions::ConflictId],
        ))
        .await?;
    Ok(())
}

/// `ot_sync_sessions` and its indexes.
async fn create_ot_sync_sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtSyncSessions::Table)
                .col(string_len(OtSyncSessions::Id, UUID_LEN).primary_key())
                .col(big_integer(OtSyncSessions::OrganisationId))
                .col(big_integer_null(OtSyncSessions::EmployeeId))
                .col(string_len_null(OtSyncSessions::DeviceId, UUID_LEN))
                .col(big_integer(OtSyncSessions::StartedAtMs))
                .col(big_integer(OtSyncSessions::FinishedAtMs))
                .col(string_len(OtSyncSessions::Outcome, 20))
                .col(string_len_null(OtSyncSessions::ErrorCode, 50))
                .col(integer(OtSyncSessions::RecordsReceived))
                .col(integer(OtSyncSessions::Accepted))
                .col(integer(OtSyncSessions::Duplicates))
                .col(integer(OtSyncSessions::Conflicts))
                .col(integer(OtSyncSessions::Rejected))
                .col(integer(OtSyncSessions::RetryLater))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_sync_sessions_org_time",
            OtSyncSessions::Table,
            cols![OtSyncSessions::OrganisationId, OtSyncSessions::StartedAtMs],
        ))
        .await?;
    manager
        .create_index(index(
            "idx_ot_sync_sessions_device_time",
            OtSyncSessions::Table,
            cols![OtSyncSessions::DeviceId, OtSyncSessions::StartedAtMs],
        ))
        .await?;
    Ok(())
}

/// `ot_health_reports` and its indexes.
async fn create_ot_health_reports(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtHealthReports::Table)
                .col(string_len(OtHealthReports::Id, UUID_LEN).primary_key())
                .col(big_integer(OtHealthReports::OrganisationId))
                .col(string_len(OtHealthReports::DeviceId, UUID_LEN))
                .col(big_integer(OtHealthReports::EmployeeId))
                .col(big_integer(OtHealthReports::ReportedAtMs))
                .col(integer(OtHealthReports::QueueDepth))
                .col(big_integer_null(OtHealthReports::OldestPendingMs))
                .col(big_integer(OtHealthReports::StorageUsedBytes))
                .col(string_len(OtHealthReports::AppVersion, 50))
                .col(big_integer(OtHealthReports::ConfigVersion))
                .col(integer(OtHealthReports::FailedAttempts))
                .col(big_integer_null(OtHealthReports::LastSuccessAtMs))
                .col(big_integer(OtHealthReports::LastRecordedSequence))
                .col(string_len_null(OtHealthReports::Network, 20))
                .col(big_integer_null(OtHealthReports::ClockOffsetMs))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_health_device_time",
            OtHealthReports::Table,
            cols![OtHealthReports::DeviceId, OtHealthReports::ReportedAtMs],
        ))
        .await?;
    Ok(())
}

/// `ot_changes` with its indexes, and `ot_change_counters`, which numbers them.
async fn create_ot_changes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtChanges::Table)
                .col(big_integer(OtChanges::OrganisationId))
                .col(big_integer(OtChanges::Seq))
                .col(big_integer_null(OtChanges::EmployeeId))
                .col(string_len(OtChanges::Kind, 30))
                .col(string_len(OtChanges::EntityId, KEY_LEN))
                .col(text(OtChanges::Data))
                .col(string_len_null(OtChanges::OriginDeviceId, UUID_LEN))
                .col(big_integer(OtChanges::CreatedAtMs))
                .primary_key(
                    Index::create()
                        .col(OtChanges::OrganisationId)
                        .col(OtChanges::Seq),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_changes_employee_seq",
            OtChanges::Table,
            cols![
                OtChanges::OrganisationId,
                OtChanges::EmployeeId,
                OtChanges::Seq
            ],
        ))
        .await?;
    manager
        .create_table(
            Table::create()
                .table(OtChangeCounters::Table)
                .col(big_integer(OtChangeCounters::OrganisationId).primary_key())
                .col(big_integer(OtChangeCounters::LastSeq))
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// `ot_audit` with its indexes, and `ot_audit_heads`, the end of each chain.
async fn create_ot_audit(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtAudit::Table)
                .col(big_integer(OtAudit::OrganisationId))
                .col(big_integer(OtAudit::Seq))
                .col(big_integer(OtAudit::OccurredAtMs))
                .col(string_len(OtAudit::ActorKind, 20))
                .col(string_len(OtAudit::ActorId, KEY_LEN))
                .col(string_len(OtAudit::Action, 60))
                .col(string_len(OtAudit::SubjectKind, 30))
                .col(string_len(OtAudit::SubjectId, KEY_LEN))
                .col(text(OtAudit::Details))
                .col(string_len(OtAudit::PrevHash, 64))
                .col(string_len(OtAudit::Hash, 64))
                .primary_key(
                    Index::create()
                        .col(OtAudit::OrganisationId)
                        .col(OtAudit::Seq),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_audit_subject",
            OtAudit::Table,
            cols![
                OtAudit::OrganisationId,
                OtAudit::SubjectKind,
                OtAudit::SubjectId
            ],
        ))
        .await?;
    manager
        .create_table(
            Table::create()
                .table(OtAuditHeads::Table)
                .col(big_integer(OtAuditHeads::OrganisationId).primary_key())
                .col(big_integer(OtAuditHeads::LastSeq))
                .col(string_len(OtAuditHeads::LastHash, 64))
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// `ot_employee_locks` and its indexes.
async fn create_ot_employee_locks(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtEmployeeLocks::Table)
                .col(big_integer(OtEmployeeLocks::OrganisationId))
                .col(big_integer(OtEmployeeLocks::EmployeeId))
                .col(big_integer(OtEmployeeLocks::TouchedAtMs))
                .primary_key(
                    Index::create()
                        .col(OtEmployeeLocks::OrganisationId)
                        .col(OtEmployeeLocks::EmployeeId),
                )
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// `ot_face_enrollments` and its indexes.
async fn create_ot_face_enrollments(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtFaceEnrollments::Table)
                .col(big_integer(OtFaceEnrollments::OrganisationId))
                .col(big_integer(OtFaceEnrollments::EmployeeId))
                .col(boolean(OtFaceEnrollments::Enrolled))
                .col(big_integer(OtFaceEnrollments::UpdatedAtMs))
                .col(big_integer(OtFaceEnrollments::UpdatedBy))
                .primary_key(
                    Index::create()
                        .col(OtFaceEnrollments::OrganisationId)
                        .col(OtFaceEnrollments::EmployeeId),
                )
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// `ot_employee_actions` and its indexes.
async fn create_ot_employee_actions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OtEmployeeActions::Table)
                .col(string_len(OtEmployeeActions::Id, UUID_LEN).primary_key())
                .col(big_integer(OtEmployeeActions::OrganisationId))
                .col(big_integer(OtEmployeeActions::EmployeeId))
                .col(string_len(OtEmployeeActions::DeviceId, UUID_LEN))
                .col(string_len(OtEmployeeActions::RecordId, UUID_LEN))
                .col(string_len(OtEmployeeActions::Action, 20))
                .col(text_null(OtEmployeeActions::Note))
                .col(big_integer(OtEmployeeActions::ReceivedAtMs))
                .col(text(OtEmployeeActions::Result))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "idx_ot_actions_record",
            OtEmployeeActions::Table,
            cols![OtEmployeeActions::RecordId],
        ))
        .await?;
    Ok(())
}
