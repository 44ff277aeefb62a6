//! The sites an employee may work at. An employee with none assigned may work at every
//! site of the organisation; the geofence of every GPS record, where the organisation
//! checks it, uses these.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OtSiteAssignments {
    Table,
    OrganisationId,
    EmployeeId,
    SiteId,
    AssignedAtMs,
    AssignedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OtSiteAssignments::Table)
                    .col(big_integer(OtSiteAssignments::OrganisationId))
                    .col(big_integer(OtSiteAssignments::EmployeeId))
                    .col(string_len(OtSiteAssignments::SiteId, 36))
                    .col(big_integer(OtSiteAssignments::AssignedAtMs))
                    .col(big_integer(OtSiteAssignments::AssignedBy))
                    .primary_key(
                        Index::create()
                            .col(OtSiteAssignments::OrganisationId)
                            .col(OtSiteAssignments::EmployeeId)
                            .col(OtSiteAssignments::SiteId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OtSiteAssignments::Table).to_owned())
            .await
    }
}
