use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, IsolationLevel,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Begins a transaction that will write.
///
/// On SQLite it takes the write lock at `BEGIN` (`BEGIN IMMEDIATE`): a deferred transaction
/// that reads first and writes later fails with `SQLITE_BUSY` if another connection wrote
/// in between, which the busy timeout cannot wait out.
///
/// On MySQL/MariaDB it asks for READ COMMITTED, PostgreSQL's default: writers here take a
/// row lock first and then read, and must see what the transaction they waited for
/// committed. Under MySQL's default REPEATABLE READ a read can instead come from a
/// snapshot older than that commit.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let isolation_level = match db.get_database_backend() {
        DbBackend::MySql => Some(IsolationLevel::ReadCommitted),
        _ => None,
    };
    db.begin_with_options(TransactionOptions {
        isolation_level,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
