use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, sqlx};
use std::{str::FromStr, time::Duration};

/// The database engines the suite supports, told apart by URL scheme.
///
/// ```
/// use host_sdk::db::Backend;
/// assert_eq!(Backend::from_url("sqlite://./data/suite.db?mode=rwc"), Some(Backend::Sqlite));
/// assert_eq!(Backend::from_url("mariadb://root@127.0.0.1/suite"), Some(Backend::MySql));
/// assert_eq!(Backend::from_url("oracle://x"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    MySql,
}

impl Backend {
    /// Which engine a URL names, if a supported one.
    pub fn from_url(url: &str) -> Option<Self> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            "mysql" | "mariadb" => Some(Backend::MySql),
            _ => None,
        }
    }
}

/// Rows SQLite samples per index when it gathers statistics: enough for the planner,
/// a few milliseconds for any table size.
const SQLITE_ANALYSIS_ROWS: u32 = 1000;

/// Opens a pool of at most `max_connections` on `url` with the suite's policy.
///
/// SQLite gets WAL (readers never wait for the writer), a busy timeout (writers wait for
/// each other instead of failing) and full fsync on commit (an acknowledged record survives
/// a power cut), and keeps its planner's statistics fresh. Every pool in the process must run the same SQLite library: see
/// [`sqlite_library`](super::sqlite_library).
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let backend = Backend::from_url(url).ok_or_else(|| {
        DbErr::Custom(format!(
            "unsupported database URL {url:?}: use sqlite://, postgres:// or mysql://"
        ))
    })?;
    // sqlx reads `mariadb://` as an unknown scheme; it speaks the MySQL protocol.
    let url = match url.strip_prefix("mariadb://") {
        Some(rest) => format!("mysql://{rest}"),
        None => url.to_owned(),
    };
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(max_connections.max(1))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    if backend == Backend::Sqlite {
        let sqlite = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
            .map_err(|error| DbErr::Custom(format!("invalid SQLite URL {url:?}: {error}")))?;
        if let Some(folder) = sqlite.get_filename().parent()
            && !folder.as_os_str().is_empty()
        {
            std::fs::create_dir_all(folder).map_err(|error| {
                DbErr::Custom(format!("cannot create {}: {error}", folder.display()))
            })?;
        }
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
                // Without statistics SQLite's planner can pick an index that walks a whole
                // table; `optimize` gathers them for the tables whose size changed a lot,
                // bounded to a sample of rows, when a connection opens and when it closes.
                .analysis_limit(SQLITE_ANALYSIS_ROWS)
                .pragma("optimize", "0x10002")
                .optimize_on_close(true, SQLITE_ANALYSIS_ROWS)
        });
    }
    Database::connect(options).await
}
