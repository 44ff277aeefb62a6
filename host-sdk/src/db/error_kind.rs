//! What a database failure means, judged by the driver's error code (SQLSTATE on
//! PostgreSQL, the error number on MySQL/MariaDB, the result code on SQLite), never by the
//! text of its message, which differs between servers, versions and locales.

use sea_orm::sqlx::error::DatabaseError;
use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr, SqlErr};

/// PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
const PG_TRANSIENT: [&str; 3] = ["40001", "40P01", "55P03"];
/// MySQL/MariaDB: lock wait timeout exceeded, deadlock found.
const MYSQL_TRANSIENT: [u16; 2] = [1205, 1213];
/// SQLite primary result codes: SQLITE_BUSY, SQLITE_LOCKED.
const SQLITE_TRANSIENT: [i64; 2] = [5, 6];

fn database_error(error: &DbErr) -> Option<&dyn DatabaseError> {
    match error {
        DbErr::Conn(RuntimeErr::SqlxError(error))
        | DbErr::Exec(RuntimeErr::SqlxError(error))
        | DbErr::Query(RuntimeErr::SqlxError(error)) => match error.as_ref() {
            sea_orm::sqlx::Error::Database(database) => Some(database.as_ref()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether trying again may succeed: a deadlock, a serialization failure, a lock or busy
/// timeout, or no pool connection free in time. Such a failure must never be answered as
/// final.
pub fn is_transient(error: &DbErr) -> bool {
    if matches!(error, DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)) {
        return true;
    }
    if let DbErr::Conn(RuntimeErr::SqlxError(inner))
    | DbErr::Exec(RuntimeErr::SqlxError(inner))
    | DbErr::Query(RuntimeErr::SqlxError(inner)) = error
        && matches!(inner.as_ref(), sea_orm::sqlx::Error::PoolTimedOut)
    {
        return true;
    }
    let Some(database) = database_error(error) else {
        return false;
    };
    if let Some(mysql) = database.try_downcast_ref::<sea_orm::sqlx::mysql::MySqlDatabaseError>() {
        return MYSQL_TRANSIENT.contains(&mysql.number());
    }
    let code = database.code();
    if database
        .try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>()
        .is_some()
    {
        return code.is_some_and(|code| PG_TRANSIENT.contains(&code.as_ref()));
    }
    if database
        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_some()
    {
        // Extended codes (SQLITE_BUSY_SNAPSHOT = 517…) carry the primary code in the low byte.
        return code
            .and_then(|code| code.parse::<i64>().ok())
            .is_some_and(|code| SQLITE_TRANSIENT.contains(&(code & 0xff)));
    }
    false
}

/// Whether the failure is a unique-constraint violation (a concurrent writer got there
/// first), on any of the three databases.
pub fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}
