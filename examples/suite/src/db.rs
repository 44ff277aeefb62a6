//! The suite's connection to the shared database.

use crate::{config::SuiteConfig, host_migrations::HostMigrator};
use anyhow::{Context, bail};
use sea_orm::DatabaseConnection;
use sea_orm_migration::MigratorTrait;

/// Opens the host's pool.
pub async fn connect(config: &SuiteConfig) -> anyhow::Result<DatabaseConnection> {
    host_sdk::db::connect(&config.database.url, config.database.max_connections)
        .await
        .with_context(|| format!("cannot open the database {}", redact(&config.database.url)))
}

/// Refuses to go on when the suite's own tables are missing or behind.
pub async fn require_host_schema(db: &DatabaseConnection) -> anyhow::Result<()> {
    let pending = HostMigrator::get_migration_with_status_read_only(db)
        .await
        .context("cannot read the suite's migration status")?
        .iter()
        .filter(|m| m.status() == sea_orm_migration::MigrationStatus::Pending)
        .count();
    if pending > 0 {
        bail!(
            "the suite's own tables are not migrated ({pending} pending): run `suite migrate` first"
        );
    }
    Ok(())
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Milliseconds since the Unix epoch, as every suite timestamp is stored.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            super::redact("postgres://app:secret@db/suite"),
            "postgres://app:***@db/suite"
        );
        assert_eq!(
            super::redact("sqlite://./data/suite.db"),
            "sqlite://./data/suite.db"
        );
    }
}
