//! One file per command. Each prints its progress on stdout and returns every failure as
//! one line for stderr.

pub mod accounts;
pub mod migrate;
pub mod migrate_rollback;
pub mod migrate_status;
pub mod module_disable;
pub mod module_enable;
pub mod module_list;
pub mod serve;

use host_sdk::host::LoadError;

/// Why a command failed: one line per problem.
#[derive(Debug)]
pub struct Failure(Vec<String>);

impl Failure {
    /// Several problems at once.
    pub fn many(lines: Vec<String>) -> Self {
        Self(lines)
    }

    /// The lines to print.
    pub fn lines(&self) -> &[String] {
        &self.0
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Self(vec![format!("{error:#}")])
    }
}

impl From<LoadError> for Failure {
    fn from(error: LoadError) -> Self {
        Self(vec![error.to_string()])
    }
}

impl From<sea_orm::DbErr> for Failure {
    fn from(error: sea_orm::DbErr) -> Self {
        Self(vec![format!("database error: {error}")])
    }
}

/// Connects and insists the suite's own tables exist (every command but `migrate`).
pub(crate) async fn connect_migrated(
    config: &crate::config::SuiteConfig,
) -> Result<sea_orm::DatabaseConnection, Failure> {
    let db = crate::db::connect(config).await?;
    crate::db::require_host_schema(&db).await?;
    Ok(db)
}
