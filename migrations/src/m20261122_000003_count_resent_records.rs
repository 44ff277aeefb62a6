//! Sync sessions count resent records apart from first outcomes, so the admin's rates count
//! each record once and show retries as retries. Existing sessions get 0: their resends were
//! counted among their outcomes, which cannot be told apart now.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OtSyncSessions {
    Table,
    Resent,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OtSyncSessions::Table)
                    .add_column(integer(OtSyncSessions::Resent).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OtSyncSessions::Table)
                    .drop_column(OtSyncSessions::Resent)
                    .to_owned(),
            )
            .await
    }
}
