//! Each conflict remembers the policy that settled it, so changing the organisation's
//! policy never re-settles history. Existing conflicts get none: the next derivation
//! pins the policy in force then (their resolution as it stands is what the policy in
//! force gave them).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OtConflicts {
    Table,
    Policy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OtConflicts::Table)
                    .add_column(string_len_null(OtConflicts::Policy, 20))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OtConflicts::Table)
                    .drop_column(OtConflicts::Policy)
                    .to_owned(),
            )
            .await
    }
}
