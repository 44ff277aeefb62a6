//! Signing in: users get a password (hashed with Argon2id; none until one is set), and
//! browser sessions live in the database, so every suite process shares them and an
//! administrator can be signed out everywhere.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    PasswordHash,
}

#[derive(DeriveIden)]
enum BrowserSessions {
    Table,
    /// The SHA-256 of the cookie's secret: a stolen table signs nobody in.
    IdHash,
    UserId,
    /// The session's CSRF token, sent in every form it renders.
    CsrfToken,
    CreatedAtMs,
    LastSeenAtMs,
    ExpiresAtMs,
    SignedOutAtMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_len_null(Users::PasswordHash, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BrowserSessions::Table)
                    .col(string_len(BrowserSessions::IdHash, 64).primary_key())
                    .col(big_integer(BrowserSessions::UserId))
                    .col(string_len(BrowserSessions::CsrfToken, 64))
                    .col(big_integer(BrowserSessions::CreatedAtMs))
                    .col(big_integer(BrowserSessions::LastSeenAtMs))
                    .col(big_integer(BrowserSessions::ExpiresAtMs))
                    .col(big_integer_null(BrowserSessions::SignedOutAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BrowserSessions::Table, BrowserSessions::UserId)
                            .to(Users::Table, Alias::new("id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_browser_sessions_user")
                    .table(BrowserSessions::Table)
                    .col(BrowserSessions::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BrowserSessions::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::PasswordHash)
                    .to_owned(),
            )
            .await
    }
}
