use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    Slug,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
    OrganisationId,
    FullName,
    EmployeeNumber,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    OrganisationId,
    Email,
    FullName,
    Roles,
    EmployeeId,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    CreatedAtMs,
    RevokedAtMs,
}

#[derive(DeriveIden)]
enum InstalledModules {
    Table,
    Name,
    Alias,
    Version,
    Status,
    MigratedVersion,
    UpdatedAtMs,
}

#[derive(DeriveIden)]
enum ModuleSettings {
    Table,
    OrganisationId,
    ModuleAlias,
    Settings,
    Version,
    UpdatedAtMs,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum RolePermissions {
    Table,
    Role,
    Permission,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(big_pk_auto(Organisations::Id))
                    .col(string_len(Organisations::Name, 200))
                    .col(string_len_uniq(Organisations::Slug, 100))
                    .col(big_integer(Organisations::CreatedAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Employees::Table)
                    .col(big_pk_auto(Employees::Id))
                    .col(big_integer(Employees::OrganisationId))
                    .col(string_len(Employees::FullName, 200))
                    .col(string_len_null(Employees::EmployeeNumber, 50))
                    .col(big_integer(Employees::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_employees_organisation")
                            .from(Employees::Table, Employees::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_employees_organisation")
                    .table(Employees::Table)
                    .col(Employees::OrganisationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(big_integer(Users::OrganisationId))
                    .col(string_len_uniq(Users::Email, 200))
                    .col(string_len(Users::FullName, 200))
                    .col(string_len(Users::Roles, 500))
                    .col(big_integer_null(Users::EmployeeId))
                    .col(big_integer(Users::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_organisation")
                            .from(Users::Table, Users::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_employee")
                            .from(Users::Table, Users::EmployeeId)
                            .to(Employees::Table, Employees::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(big_pk_auto(ApiTokens::Id))
                    .col(big_integer(ApiTokens::UserId))
                    .col(string_len(ApiTokens::Name, 100))
                    .col(string_len_uniq(ApiTokens::TokenHash, 64))
                    .col(big_integer(ApiTokens::CreatedAtMs))
                    .col(big_integer_null(ApiTokens::RevokedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_user")
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(InstalledModules::Table)
                    .col(string_len(InstalledModules::Name, 100).primary_key())
                    .col(string_len_uniq(InstalledModules::Alias, 100))
                    .col(string_len(InstalledModules::Version, 50))
                    .col(string_len(InstalledModules::Status, 20))
                    .col(string_len_null(InstalledModules::MigratedVersion, 50))
                    .col(big_integer(InstalledModules::UpdatedAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModuleSettings::Table)
                    .col(big_integer(ModuleSettings::OrganisationId))
                    .col(string_len(ModuleSettings::ModuleAlias, 100))
                    .col(text(ModuleSettings::Settings))
                    .col(big_integer(ModuleSettings::Version))
                    .col(big_integer(ModuleSettings::UpdatedAtMs))
                    .col(big_integer(ModuleSettings::UpdatedBy))
                    .primary_key(
                        Index::create()
                            .col(ModuleSettings::OrganisationId)
                            .col(ModuleSettings::ModuleAlias),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_module_settings_organisation")
                            .from(ModuleSettings::Table, ModuleSettings::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RolePermissions::Table)
                    .col(string_len(RolePermissions::Role, 50))
                    .col(string_len(RolePermissions::Permission, 100))
                    .primary_key(
                        Index::create()
                            .col(RolePermissions::Role)
                            .col(RolePermissions::Permission),
                    )
                    .to_owned(),
            )
            .await?;
        // Administrators hold every permission; other grants come from module manifests.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(RolePermissions::Table)
                    .columns([RolePermissions::Role, RolePermissions::Permission])
                    .values_panic(["admin".into(), "*".into()])
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RolePermissions::Table.into_iden(),
            ModuleSettings::Table.into_iden(),
            InstalledModules::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Users::Table.into_iden(),
            Employees::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
