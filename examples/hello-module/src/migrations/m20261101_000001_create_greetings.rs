use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HelloGreetings {
    Table,
    Id,
    OrganisationId,
    Name,
    GreetedAtMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HelloGreetings::Table)
                    .col(big_pk_auto(HelloGreetings::Id))
                    .col(big_integer(HelloGreetings::OrganisationId))
                    .col(string_len(HelloGreetings::Name, 80))
                    .col(big_integer(HelloGreetings::GreetedAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_hello_greetings_org_name")
                    .table(HelloGreetings::Table)
                    .col(HelloGreetings::OrganisationId)
                    .col(HelloGreetings::Name)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HelloGreetings::Table).to_owned())
            .await
    }
}
