//! Numbers handed out in commit order.
//!
//! Each organisation has one counter row. A transaction takes its numbers by updating
//! that row, which holds the row's lock until the transaction ends, so a transaction that
//! took lower numbers has always committed before a later one can take higher numbers.
//! A reader that sees number N therefore also sees every number below N: a pull cursor can
//! never step over a change that commits late.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// Reserves `count` numbers in `table` (which has `organisation_id` and `last_seq`) and
/// answers the first. Call it as late as possible in the transaction: the row stays
/// locked until the transaction ends.
pub async fn reserve(
    db: &impl ConnectionTrait,
    table: &str,
    organisation_id: i64,
    count: i64,
    initial_columns: &[(&str, Value)],
) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    for _attempt in 0..2 {
        let updated = db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                placeholders(
                    backend,
                    &format!(
                        "UPDATE {table} SET last_seq = last_seq + ? WHERE organisation_id = ?"
                    ),
                ),
                [count.into(), organisation_id.into()],
            ))
            .await?;
        if updated.rows_affected() == 1 {
            let row = db
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    placeholders(
                        backend,
                        &format!("SELECT last_seq FROM {table} WHERE organisation_id = ?"),
                    ),
                    [organisation_id.into()],
                ))
                .await?
                .ok_or_else(|| DbErr::Custom(format!("{table} row vanished")))?;
            let last: i64 = row.try_get_by_index(0)?;
            return Ok(last - count + 1);
        }
        // First use in this organisation: create the row, then take the numbers.
        let mut columns = vec!["organisation_id".to_owned(), "last_seq".to_owned()];
        let mut values: Vec<Value> = vec![organisation_id.into(), 0i64.into()];
        for (column, value) in initial_columns {
            columns.push((*column).to_owned());
            values.push(value.clone());
        }
        let marks = vec!["?"; columns.len()].join(", ");
        let insert = match backend {
            DbBackend::MySql => format!(
                "INSERT IGNORE INTO {table} ({}) VALUES ({marks})",
                columns.join(", ")
            ),
            _ => format!(
                "INSERT INTO {table} ({}) VALUES ({marks}) ON CONFLICT (organisation_id) DO NOTHING",
                columns.join(", ")
            ),
        };
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            placeholders(backend, &insert),
            values,
        ))
        .await?;
    }
    Err(DbErr::Custom(format!(
        "could not reserve numbers in {table}"
    )))
}

/// Rewrites `?` placeholders as `$1, $2…` for PostgreSQL.
pub fn placeholders(backend: DbBackend, sql: &str) -> String {
    if backend != DbBackend::Postgres {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut index = 0;
    for c in sql.chars() {
        if c == '?' {
            index += 1;
            out.push('$');
            out.push_str(&index.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_gets_numbered_placeholders() {
        assert_eq!(
            placeholders(DbBackend::Postgres, "a = ? AND b = ?"),
            "a = $1 AND b = $2"
        );
        assert_eq!(placeholders(DbBackend::Sqlite, "a = ?"), "a = ?");
    }
}
