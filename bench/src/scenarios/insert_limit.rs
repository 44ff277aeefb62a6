//! The database's own limit for the ingest: the rows the suite stored, written again into
//! a copy of the records table (same columns, indexes and constraints) in the same
//! database, by multi-row `INSERT … ON CONFLICT DO NOTHING` of 1,000 rows (`ON DUPLICATE
//! KEY UPDATE id = id` on MySQL), and by `COPY` on PostgreSQL.

use crate::report::per_second;
use crate::server::BenchSuite;
use anyhow::Context;
use offline_tracking::entities::record;
use sea_orm::sea_query::{Alias, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryTrait,
};
use std::time::{Duration, Instant};

const COPY_TABLE: &str = "ot_records_limit";
/// Rows per INSERT: 31 columns each stays under every backend's bound on parameters.
const ROWS_PER_INSERT: usize = 1000;

/// Rows per second by multi-row INSERT, and by COPY where the database has it.
pub struct Limits {
    pub insert_per_s: f64,
    pub copy_per_s: Option<f64>,
}

/// Measures both limits with the organisation's stored records.
pub async fn measure(suite: &BenchSuite) -> anyhow::Result<Limits> {
    let db = &suite.db;
    let rows = record::Entity::find()
        .filter(record::Column::OrganisationId.eq(suite.organisation_id()))
        .all(db)
        .await
        .context("reading the stored records")?;
    create_copy_table(suite).await?;
    // MySQL has no `DO NOTHING`: a key that exists is "updated" to itself instead.
    let on_conflict = match db.get_database_backend() {
        DbBackend::MySql => OnConflict::column(record::Column::Id)
            .update_column(record::Column::Id)
            .to_owned(),
        _ => OnConflict::column(record::Column::Id)
            .do_nothing()
            .to_owned(),
    };
    let started = Instant::now();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = record::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .into_query();
        insert
            .into_table(Alias::new(COPY_TABLE))
            .on_conflict(on_conflict.clone());
        db.execute(&insert).await.context("the multi-row INSERT")?;
    }
    let insert_elapsed = started.elapsed();
    let copy_per_s = match db.get_database_backend() {
        DbBackend::Postgres => Some(per_second(rows.len(), copy_again(suite).await?)),
        _ => None,
    };
    db.execute_unprepared(&format!("DROP TABLE {COPY_TABLE}"))
        .await?;
    Ok(Limits {
        insert_per_s: per_second(rows.len(), insert_elapsed),
        copy_per_s,
    })
}

async fn create_copy_table(suite: &BenchSuite) -> anyhow::Result<()> {
    let db = &suite.db;
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE TABLE {COPY_TABLE} (LIKE ot_records INCLUDING ALL)"
            ))
            .await?;
        }
        DbBackend::MySql => {
            db.execute_unprepared(&format!("CREATE TABLE {COPY_TABLE} LIKE ot_records"))
                .await?;
        }
        _ => {
            // SQLite copies a table by its schema text: the table's and its indexes'.
            let schema = suite
                .home
                .database
                .rows("SELECT sql FROM sqlite_master WHERE tbl_name = 'ot_records' AND sql IS NOT NULL")
                .await;
            for row in schema {
                let statement = row
                    .first()
                    .context("a schema row without its SQL")?
                    .replace("ot_records", COPY_TABLE);
                db.execute_unprepared(&statement).await?;
            }
        }
    }
    Ok(())
}

/// Empties the copy and fills it again with `COPY … FROM STDIN`; answers how long the
/// `COPY` took. The rows are read out with `COPY … TO STDOUT` first, off the clock.
async fn copy_again(suite: &BenchSuite) -> anyhow::Result<Duration> {
    use futures_util::TryStreamExt;
    let pool = suite.db.get_postgres_connection_pool();
    let mut connection = pool.acquire().await?;
    let organisation = suite.organisation_id();
    let text: Vec<u8> = connection
        .copy_out_raw(&format!(
            "COPY (SELECT * FROM ot_records WHERE organisation_id = {organisation}) TO STDOUT"
        ))
        .await?
        .try_fold(Vec::new(), |mut all, chunk| async move {
            all.extend_from_slice(&chunk);
            Ok(all)
        })
        .await?;
    suite
        .db
        .execute_unprepared(&format!("TRUNCATE {COPY_TABLE}"))
        .await?;
    let started = Instant::now();
    let mut copy = connection
        .copy_in_raw(&format!("COPY {COPY_TABLE} FROM STDIN"))
        .await?;
    copy.send(text).await?;
    copy.finish().await?;
    Ok(started.elapsed())
}
