//! Foreign keys between OfflineTracking's own tables, as the data model implies them.
//! References to the suite's tables (organisations, employees, users) are left out: a
//! module does not constrain the host's schema. Polymorphic references (a conflict's
//! server side, an employee action's record, which may name a record that never arrived)
//! are left out too.
//!
//! PostgreSQL and MySQL add each constraint to the table in place. SQLite cannot add a
//! constraint to an existing table, so each child table is rebuilt: its rows are set
//! aside, the table is created again from its own stored definition with the constraints
//! appended, and the rows are put back, with foreign keys deferred to the end of the
//! migration's transaction so the order of the rebuilds does not matter.
//!
//! Existing data: a nullable reference to a row that does not exist is cleared first
//! (it pointed nowhere already); a required one cannot dangle unless someone edited the
//! database by hand, and then the migration stops with the database's own error.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

/// One reference: `table.column` points at `parent.id`.
struct Reference {
    table: &'static str,
    column: &'static str,
    parent: &'static str,
    nullable: bool,
}

const fn reference(
    table: &'static str,
    column: &'static str,
    parent: &'static str,
    nullable: bool,
) -> Reference {
    Reference {
        table,
        column,
        parent,
        nullable,
    }
}

const REFERENCES: &[Reference] = &[
    reference("ot_records", "device_id", "ot_devices", false),
    reference("ot_records", "site_id", "ot_sites", true),
    reference("ot_records", "conflict_id", "ot_conflicts", true),
    reference("ot_conflicts", "record_id", "ot_records", false),
    reference(
        "ot_conflict_decisions",
        "conflict_id",
        "ot_conflicts",
        false,
    ),
    reference("ot_sessions", "start_record_id", "ot_records", true),
    reference("ot_sessions", "end_record_id", "ot_records", true),
    reference("ot_sessions", "manual_entry_id", "ot_manual_entries", true),
    reference(
        "ot_manual_entries",
        "replaces_id",
        "ot_manual_entries",
        true,
    ),
    reference("ot_leave_requests", "id", "ot_records", false),
    reference("ot_health_reports", "device_id", "ot_devices", false),
    reference("ot_employee_actions", "device_id", "ot_devices", false),
    reference("ot_sync_sessions", "device_id", "ot_devices", true),
    reference("ot_site_assignments", "site_id", "ot_sites", false),
];

impl Reference {
    fn name(&self) -> String {
        format!("fk_{}_{}", self.table, self.column)
    }

    /// The clause SQLite keeps in the table's definition.
    fn sqlite_clause(&self) -> String {
        format!(
            ", CONSTRAINT \"{}\" FOREIGN KEY (\"{}\") REFERENCES \"{}\" (\"id\")",
            self.name(),
            self.column,
            self.parent
        )
    }
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            // One transaction: the rebuild is all or nothing, and deferred checks hold.
            let transaction = manager.begin().await?;
            clear_dangling(&transaction).await?;
            rebuild_sqlite_tables(&transaction, true).await?;
            return transaction.commit().await;
        }
        clear_dangling(manager).await?;
        for reference in REFERENCES {
            manager
                .create_foreign_key(
                    ForeignKey::create()
                        .name(reference.name())
                        .from(Alias::new(reference.table), Alias::new(reference.column))
                        .to(Alias::new(reference.parent), Alias::new("id"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            let transaction = manager.begin().await?;
            rebuild_sqlite_tables(&transaction, false).await?;
            return transaction.commit().await;
        }
        for reference in REFERENCES {
            manager
                .drop_foreign_key(
                    ForeignKey::drop()
                        .name(reference.name())
                        .table(Alias::new(reference.table))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// Clears nullable references to rows that do not exist.
async fn clear_dangling(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for reference in REFERENCES.iter().filter(|r| r.nullable) {
        let statement = Query::update()
            .table(Alias::new(reference.table))
            .value(Alias::new(reference.column), Option::<String>::None)
            .and_where(Expr::col(Alias::new(reference.column)).is_not_null())
            .and_where(
                Expr::col(Alias::new(reference.column)).not_in_subquery(
                    Query::select()
                        .column(Alias::new("id"))
                        .from(Alias::new(reference.parent))
                        .to_owned(),
                ),
            )
            .to_owned();
        manager.exec_stmt(statement).await?;
    }
    Ok(())
}

/// Rebuilds every child table on SQLite, with (`add`) or without its foreign keys.
async fn rebuild_sqlite_tables(manager: &SchemaManager<'_>, add: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    // Dropping a parent table while its children still have rows is only allowed once
    // the check waits for the end of the transaction, by which time the rows are back.
    db.execute_unprepared("PRAGMA defer_foreign_keys = ON")
        .await?;
    let mut tables: Vec<&str> = REFERENCES.iter().map(|r| r.table).collect();
    tables.dedup();
    for table in tables {
        let clauses: String = REFERENCES
            .iter()
            .filter(|r| r.table == table)
            .map(Reference::sqlite_clause)
            .collect();
        let definition = stored_sql(db, "table", table).await?.pop().ok_or_else(|| {
            DbErr::Migration(format!(
                "table {table} is missing: cannot add its foreign keys"
            ))
        })?;
        let rebuilt = if add {
            let end = definition.rfind(')').ok_or_else(|| {
                DbErr::Migration(format!("the definition of {table} has no closing bracket"))
            })?;
            format!("{}{clauses}{}", &definition[..end], &definition[end..])
        } else {
            definition.replace(&clauses, "")
        };
        let indexes = stored_sql(db, "index", table).await?;
        let aside = format!("{table}_rebuild");
        db.execute_unprepared(&format!(
            "CREATE TABLE \"{aside}\" AS SELECT * FROM \"{table}\""
        ))
        .await?;
        db.execute_unprepared(&format!("DROP TABLE \"{table}\""))
            .await?;
        db.execute_unprepared(&rebuilt).await?;
        db.execute_unprepared(&format!(
            "INSERT INTO \"{table}\" SELECT * FROM \"{aside}\""
        ))
        .await?;
        db.execute_unprepared(&format!("DROP TABLE \"{aside}\""))
            .await?;
        for index in indexes {
            db.execute_unprepared(&index).await?;
        }
    }
    Ok(())
}

/// The stored `CREATE` statements of a table (`kind` "table") or of its named indexes
/// (`kind` "index"; automatic indexes have none and come back with the table).
async fn stored_sql(
    db: &impl ConnectionTrait,
    kind: &str,
    table: &str,
) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL",
            [kind.into(), table.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect()
}
