use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OtDevices {
    Table,
    Id,
    OrganisationId,
    EmployeeId,
    RegisteredBy,
    InstallId,
    Platform,
    AppVersion,
    PublicKey,
    TokenHash,
    Status,
    RegisteredAtMs,
    DecidedAtMs,
    DecidedBy,
    RevokeReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OtDevices::Table)
                    .col(string_len(OtDevices::Id, 36).primary_key())
                    .col(big_integer(OtDevices::OrganisationId))
                    .col(big_integer(OtDevices::EmployeeId))
                    .col(big_integer(OtDevices::RegisteredBy))
                    .col(string_len(OtDevices::InstallId, 100))
                    .col(string_len(OtDevices::Platform, 50))
                    .col(string_len(OtDevices::AppVersion, 50))
                    .col(string_len_uniq(OtDevices::PublicKey, 64))
                    .col(string_len_uniq(OtDevices::TokenHash, 64))
                    .col(string_len(OtDevices::Status, 20))
                    .col(big_integer(OtDevices::RegisteredAtMs))
                    .col(big_integer_null(OtDevices::DecidedAtMs))
                    .col(big_integer_null(OtDevices::DecidedBy))
                    .col(string_len_null(OtDevices::RevokeReason, 500))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ot_devices_org_employee")
                    .table(OtDevices::Table)
                    .col(OtDevices::OrganisationId)
                    .col(OtDevices::EmployeeId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ot_devices_org_status")
                    .table(OtDevices::Table)
                    .col(OtDevices::OrganisationId)
                    .col(OtDevices::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OtDevices::Table).to_owned())
            .await
    }
}
