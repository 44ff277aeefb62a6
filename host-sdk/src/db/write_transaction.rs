use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Begins a transaction that will write.
///
/// On SQLite it takes the write lock at `BEGIN` (`BEGIN IMMEDIATE`): a deferred transaction
/// that reads first and writes later fails with `SQLITE_BUSY` if another connection wrote
/// in between, which the busy timeout cannot wait out. Other engines begin normally.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
