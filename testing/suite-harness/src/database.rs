use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use std::path::Path;

/// A database that exists for one test: a SQLite file in the test's folder, or a fresh
/// database on the server named by `TEST_DATABASE_URL` (created here, dropped on drop).
pub struct TestDatabase {
    /// The URL the suite is given.
    pub url: String,
    server: Option<(String, String)>,
}

/// Replaces the database name (the URL's path) of a server URL.
fn with_database(server_url: &str, name: &str) -> String {
    let scheme_end = server_url.find("://").map(|i| i + 3).unwrap_or(0);
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    let mut url = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

impl TestDatabase {
    /// Creates the database for a test whose files live in `folder`.
    pub async fn create(folder: &Path) -> Self {
        Self::create_on(folder, std::env::var("TEST_DATABASE_URL").ok()).await
    }

    /// An embedded SQLite database in `folder`, whatever `TEST_DATABASE_URL` says: for
    /// tests that compare the answers of two databases.
    pub async fn create_sqlite(folder: &Path) -> Self {
        Self::create_on(folder, None).await
    }

    /// A fresh database on the server named by `server_url`, or an embedded SQLite file in
    /// `folder` with `None`.
    pub async fn create_on(folder: &Path, server_url: Option<String>) -> Self {
        match server_url {
            Some(server_url) if !server_url.is_empty() => {
                let name = format!("suite_test_{}", uuid::Uuid::new_v4().simple());
                let admin = connect(&server_url).await;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                Self {
                    url: with_database(&server_url, &name),
                    server: Some((server_url, name)),
                }
            }
            _ => Self {
                url: format!("sqlite://{}?mode=rwc", folder.join("suite.db").display()),
                server: None,
            },
        }
    }

    /// Opens a connection of the test's own (for inspecting what the suite wrote).
    pub async fn connect(&self) -> DatabaseConnection {
        connect(&self.url).await
    }

    /// Runs a statement directly, as an operator with database access would.
    pub async fn execute(&self, sql: &str) {
        let db = self.connect().await;
        db.execute_unprepared(sql).await.expect("run the statement");
        db.close().await.ok();
    }

    /// Every row of `sql`, each column read as text (NULL as "NULL").
    pub async fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        let db = self.connect().await;
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect("query");
        let mut table = Vec::new();
        for row in rows {
            let mut line = Vec::new();
            for index in 0.. {
                let cell = row
                    .try_get_by_index::<Option<String>>(index)
                    .map(|v| v.unwrap_or_else(|| "NULL".into()))
                    .or_else(|_| {
                        row.try_get_by_index::<Option<i64>>(index)
                            .map(|v| v.map(|n| n.to_string()).unwrap_or_else(|| "NULL".into()))
                    });
                match cell {
                    Ok(cell) => line.push(cell),
                    Err(_) => break,
                }
            }
            table.push(line);
        }
        db.close().await.ok();
        table
    }

    /// The schema of every table: columns, types, nullability and indexes.
    pub async fn schema(&self) -> Vec<Vec<String>> {
        let db = self.connect().await;
        let backend = db.get_database_backend();
        db.close().await.ok();
        let queries: &[&str] = match backend {
            DbBackend::Sqlite => &[
                "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master \
                 WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
            ],
            DbBackend::Postgres => &[
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, \
                 COALESCE(column_default, '')::text FROM information_schema.columns \
                 WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
                "SELECT indexname::text, indexdef::text FROM pg_indexes \
                 WHERE schemaname = 'public' ORDER BY indexname",
            ],
            _ => &[
                "SELECT CAST(table_name AS CHAR), CAST(column_name AS CHAR), CAST(column_type AS CHAR), \
                 CAST(is_nullable AS CHAR) FROM information_schema.columns \
                 WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position",
                "SELECT CAST(table_name AS CHAR), CAST(index_name AS CHAR), CAST(column_name AS CHAR), \
                 CAST(non_unique AS CHAR) FROM information_schema.statistics \
                 WHERE table_schema = DATABASE() ORDER BY table_name, index_name, seq_in_index",
            ],
        };
        let mut schema = Vec::new();
        for query in queries {
            schema.extend(self.rows(query).await);
        }
        schema
    }

    /// The names of the tables that exist.
    pub async fn tables(&self) -> Vec<String> {
        let db = self.connect().await;
        let sql = match db.get_database_backend() {
            DbBackend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            DbBackend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
            }
            _ => {
                "SELECT CAST(table_name AS CHAR) FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1"
            }
        };
        db.close().await.ok();
        self.rows(sql)
            .await
            .into_iter()
            .map(|row| row[0].clone())
            .collect()
    }
}

async fn connect(url: &str) -> DatabaseConnection {
    Database::connect(url)
        .await
        .unwrap_or_else(|error| panic!("connect to {url}: {error}"))
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server_url, name)) = self.server.take() else {
            return;
        };
        // Drop runs inside the test's runtime: use a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let admin = connect(&server_url).await;
                let force = if server_url.starts_with("postgres") {
                    " WITH (FORCE)"
                } else {
                    ""
                };
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}{force}"))
                    .await
                    .map(|_| ())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop the test database: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn server_urls_get_the_test_database() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("mysql://root@127.0.0.1:3306", "t1"),
            "mysql://root@127.0.0.1:3306/t1"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
