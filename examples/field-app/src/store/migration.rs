//! The device database's tables (`fa_…`), tracked in `fa_migrations`.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(CreateDeviceTables)]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("fa_migrations").into_iden()
    }
}

#[derive(DeriveMigrationName)]
struct CreateDeviceTables;

#[derive(DeriveIden)]
enum FaDevice {
    Table,
    Id,
    DeviceId,
    ServerUrl,
    EmployeeToken,
    DeviceToken,
    SecretKey,
    EmployeeId,
    Status,
    RegisteredAtMs,
}

#[derive(DeriveIden)]
enum FaState {
    Table,
    Id,
    NextSequence,
    AnchorServerMs,
    AnchorMonotonicMs,
    AnchorBootId,
    PullCursor,
    LastSuccessAtMs,
    FailedAttempts,
    LastError,
    BackoffUntilMs,
    ConfigVersion,
    Settings,
}

#[derive(DeriveIden)]
enum FaRecords {
    Table,
    Id,
    Sequence,
    Kind,
    Payload,
    Signature,
    SizeBytes,
    RecordedAtMs,
    Essential,
    State,
}

#[derive(DeriveIden)]
enum FaReceipts {
    Table,
    RecordId,
    Sequence,
    Kind,
    RecordedAtMs,
    Status,
    Code,
    Message,
    ConflictId,
    ConflictType,
    Resolution,
    Applied,
    TrustedTimeMs,
    AcknowledgedAtMs,
}

#[derive(DeriveIden)]
enum FaActions {
    Table,
    Id,
    RecordId,
    Action,
    Note,
    CreatedAtMs,
    Status,
    Code,
}

#[derive(DeriveIden)]
enum FaConflicts {
    Table,
    ConflictId,
    RecordId,
    ConflictType,
    Resolution,
    Decision,
    Note,
    Dissolved,
    UpdatedAtMs,
}

#[derive(DeriveIden)]
enum FaSessions {
    Table,
    SessionId,
    Source,
    StartedAtMs,
    EndedAtMs,
    Breaks,
}

#[derive(DeriveIden)]
enum FaLeave {
    Table,
    RequestId,
    Status,
    StartsOn,
    EndsOn,
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDeviceTables {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FaDevice::Table)
                    .col(integer(FaDevice::Id).primary_key())
                    .col(string_len(FaDevice::DeviceId, 36))
                    .col(text(FaDevice::ServerUrl))
                    .col(text(FaDevice::EmployeeToken))
                    .col(text(FaDevice::DeviceToken))
                    .col(string_len(FaDevice::SecretKey, 64))
                    .col(big_integer(FaDevice::EmployeeId))
                    .col(string_len(FaDevice::Status, 20))
                    .col(big_integer(FaDevice::RegisteredAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaState::Table)
                    .col(integer(FaState::Id).primary_key())
                    .col(big_integer(FaState::NextSequence))
                    .col(big_integer_null(FaState::AnchorServerMs))
                    .col(big_integer_null(FaState::AnchorMonotonicMs))
                    .col(text_null(FaState::AnchorBootId))
                    .col(text(FaState::PullCursor))
                    .col(big_integer_null(FaState::LastSuccessAtMs))
                    .col(integer(FaState::FailedAttempts))
                    .col(text_null(FaState::LastError))
                    .col(big_integer(FaState::BackoffUntilMs))
                    .col(big_integer(FaState::ConfigVersion))
                    .col(text(FaState::Settings))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaRecords::Table)
                    .col(string_len(FaRecords::Id, 36).primary_key())
                    .col(big_integer_uniq(FaRecords::Sequence))
                    .col(string_len(FaRecords::Kind, 20))
                    .col(text(FaRecords::Payload))
                    .col(text(FaRecords::Signature))
                    .col(big_integer(FaRecords::SizeBytes))
                    .col(big_integer(FaRecords::RecordedAtMs))
                    .col(boolean(FaRecords::Essential))
                    .col(string_len(FaRecords::State, 10))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaReceipts::Table)
                    .col(string_len(FaReceipts::RecordId, 36).primary_key())
                    .col(big_integer(FaReceipts::Sequence))
                    .col(string_len(FaReceipts::Kind, 20))
                    .col(big_integer(FaReceipts::RecordedAtMs))
                    .col(string_len(FaReceipts::Status, 20))
                    .col(text_null(FaReceipts::Code))
                    .col(text_null(FaReceipts::Message))
                    .col(text_null(FaReceipts::ConflictId))
                    .col(text_null(FaReceipts::ConflictType))
                    .col(text_null(FaReceipts::Resolution))
                    .col(boolean(FaReceipts::Applied))
                    .col(big_integer_null(FaReceipts::TrustedTimeMs))
                    .col(big_integer(FaReceipts::AcknowledgedAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaActions::Table)
                    .col(string_len(FaActions::Id, 36).primary_key())
                    .col(string_len(FaActions::RecordId, 36))
                    .col(string_len(FaActions::Action, 20))
                    .col(text_null(FaActions::Note))
                    .col(big_integer(FaActions::CreatedAtMs))
                    .col(string_len(FaActions::Status, 20))
                    .col(text_null(FaActions::Code))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaConflicts::Table)
                    .col(text(FaConflicts::ConflictId).primary_key())
                    .col(text(FaConflicts::RecordId))
                    .col(string_len(FaConflicts::ConflictType, 20))
                    .col(string_len(FaConflicts::Resolution, 20))
                    .col(text_null(FaConflicts::Decision))
                    .col(text_null(FaConflicts::Note))
                    .col(boolean(FaConflicts::Dissolved))
                    .col(big_integer(FaConflicts::UpdatedAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaSessions::Table)
                    .col(text(FaSessions::SessionId).primary_key())
                    .col(string_len(FaSessions::Source, 10))
                    .col(big_integer_null(FaSessions::StartedAtMs))
                    .col(big_integer_null(FaSessions::EndedAtMs))
                    .col(text(FaSessions::Breaks))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaLeave::Table)
                    .col(text(FaLeave::RequestId).primary_key())
                    .col(string_len(FaLeave::Status, 20))
                    .col(string_len(FaLeave::StartsOn, 10))
                    .col(string_len(FaLeave::EndsOn, 10))
                    .col(text_null(FaLeave::Note))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FaLeave::Table.into_iden(),
            FaSessions::Table.into_iden(),
            FaConflicts::Table.into_iden(),
            FaActions::Table.into_iden(),
            FaReceipts::Table.into_iden(),
            FaRecords::Table.into_iden(),
            FaState::Table.into_iden(),
            FaDevice::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
