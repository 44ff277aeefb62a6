//! Database failures are told apart by the driver's error code on every database: a real
//! deadlock (or, on SQLite, a busy database) is transient, a real duplicate key is a
//! unique violation, and neither is mistaken for the other.

use crate::helpers::TestDatabase;
use host_sdk::db::{is_transient, is_unique_violation};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};

async fn table(db: &DatabaseConnection) {
    db.execute_unprepared("CREATE TABLE kinds (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
        .await
        .unwrap();
    db.execute_unprepared("INSERT INTO kinds (id, v) VALUES (1, 0), (2, 0)")
        .await
        .unwrap();
}

/// Two transactions that each lock a row the other then wants: the server kills one.
async fn deadlock(db: &DatabaseConnection) -> DbErr {
    let first = db.begin().await.unwrap();
    let second = db.begin().await.unwrap();
    first
        .execute_unprepared("UPDATE kinds SET v = 1 WHERE id = 1")
        .await
        .unwrap();
    second
        .execute_unprepared("UPDATE kinds SET v = 2 WHERE id = 2")
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        first.execute_unprepared("UPDATE kinds SET v = 1 WHERE id = 2"),
        second.execute_unprepared("UPDATE kinds SET v = 2 WHERE id = 1"),
    );
    match (a, b) {
        (Err(error), _) | (_, Err(error)) => error,
        _ => panic!("no deadlock was reported"),
    }
}

/// A second writer that does not wait while the first holds the write lock.
async fn busy(url: &str) -> DbErr {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use std::str::FromStr;
    let options = SqliteConnectOptions::from_str(url)
        .unwrap()
        .busy_timeout(std::time::Duration::ZERO);
    let pool = SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .unwrap();
    let db = sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
    let holder = db.begin().await.unwrap();
    holder
        .execute_unprepared("UPDATE kinds SET v = 1 WHERE id = 1")
        .await
        .unwrap();
    let error = db
        .execute_unprepared("UPDATE kinds SET v = 2 WHERE id = 2")
        .await
        .expect_err("the second writer is refused at once");
    holder.rollback().await.unwrap();
    error
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_and_unique_failures_are_told_apart_by_code() {
    let folder = tempfile::tempdir().unwrap();
    let database = TestDatabase::create(folder.path()).await;
    let db = host_sdk::db::connect(&database.url, 4).await.unwrap();
    table(&db).await;

    let duplicate = db
        .execute_unprepared("INSERT INTO kinds (id, v) VALUES (1, 9)")
        .await
        .expect_err("the key exists");
    assert!(is_unique_violation(&duplicate), "{duplicate}");
    assert!(!is_transient(&duplicate), "{duplicate}");

    let transient = if database.url.starts_with("sqlite:") {
        busy(&database.url).await
    } else {
        deadlock(&db).await
    };
    assert!(is_transient(&transient), "{transient:?}");
    assert!(!is_unique_violation(&transient), "{transient}");

    let missing = db
        .execute_unprepared("SELECT nothing FROM no_such_table")
        .await
        .expect_err("no such table");
    assert!(
        !is_transient(&missing) && !is_unique_violation(&missing),
        "{missing}"
    );
    db.close().await.unwrap();
}
