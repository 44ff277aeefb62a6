//! A pull reads the employee's changes through the `(organisation_id, employee_id, seq)`
//! index on every database, with and without the planner's statistics, so its cost does
//! not grow with the other employees' history (`bench pull` measures the latency).

use crate::support::OtSuite;
use host_sdk::db::StoredJson;
use offline_tracking::entities::change;
use offline_tracking::pull_page_query;
use offline_tracking_protocol::ChangeKind;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryTrait,
    Statement,
};

const INDEX: &str = "idx_ot_changes_employee_seq";

/// Every text cell of the database's plan for `statement`.
async fn plan(db: &DatabaseConnection, statement: Statement) -> String {
    let backend = db.get_database_backend();
    let explain = match backend {
        DbBackend::Sqlite => "EXPLAIN QUERY PLAN",
        _ => "EXPLAIN",
    };
    let rows = db
        .query_all_raw(Statement {
            sql: format!("{explain} {}", statement.sql),
            ..statement
        })
        .await
        .expect("the plan");
    let mut text = Vec::new();
    for row in rows {
        for index in 0..16 {
            if let Ok(Some(cell)) = row.try_get_by_index::<Option<String>>(index) {
                text.push(cell);
            }
        }
    }
    text.join(" | ")
}

/// 20,040 changes in organisation 1: most of them other employees', about 40 of employee 7
/// and about 40 for the whole organisation.
async fn fill(db: &DatabaseConnection) {
    for start in (1..=20_040i64).step_by(1000) {
        let rows = (start..start + 1000)
            .filter(|seq| *seq <= 20_040)
            .map(|seq| {
                let employee = if seq % 500 == 0 {
                    None
                } else if seq % 501 == 0 {
                    Some(7)
                } else {
                    Some(1000 + seq % 500)
                };
                change::ActiveModel {
                    organisation_id: Set(1),
                    seq: Set(seq),
                    employee_id: Set(employee),
                    kind: Set("session_removed".to_owned()),
                    entity_id: Set("s".to_owned()),
                    data: Set(StoredJson(ChangeKind::SessionRemoved {
                        session_id: "s".to_owned(),
                    })),
                    origin_device_id: Set(None),
                    created_at_ms: Set(0),
                }
            });
        change::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await
            .expect("fill the change log");
    }
}

#[tokio::test]
async fn a_pull_reads_through_the_employee_index_with_or_without_statistics() {
    let (ot, _) = OtSuite::start(&["acme"], 0).await;
    let db = ot.home.database.connect().await;
    fill(&db).await;
    let backend = db.get_database_backend();
    let check = |when: &'static str| {
        let db = &db;
        async move {
            for employee in [Some(7), None] {
                let statement = pull_page_query(1, employee, 15_000, 201).build(backend);
                let plan = plan(db, statement).await;
                assert!(
                    plan.contains(INDEX),
                    "{when}, the pull of {employee:?} does not use {INDEX}: {plan}"
                );
            }
        }
    };
    // SQLite without statistics, as a new installation is; the servers have theirs.
    if backend == DbBackend::Sqlite {
        check("without statistics").await;
    }
    let analyze = match backend {
        DbBackend::Sqlite => "PRAGMA optimize=0x10002",
        DbBackend::Postgres => "ANALYZE ot_changes",
        _ => "ANALYZE TABLE ot_changes",
    };
    db.execute_unprepared(analyze).await.expect("statistics");
    check("with statistics").await;
}
