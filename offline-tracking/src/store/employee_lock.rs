//! One employee's records are processed by one transaction at a time, whichever suite
//! process or connection they arrive on: two phones of one employee, or a resend racing
//! its original, cannot interleave.

use crate::clock::now_ms;
use crate::entities::employee_lock;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, sea_query::Expr,
    sea_query::OnConflict,
};

/// Takes the employee's lock (held until the transaction ends), creating its row the first
/// time. Run it first in the transaction, so everything read afterwards is current.
pub async fn lock(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    employee_id: i64,
) -> Result<(), DbErr> {
    for _attempt in 0..2 {
        let updated = employee_lock::Entity::update_many()
            .col_expr(employee_lock::Column::TouchedAtMs, Expr::value(now_ms()))
            .filter(employee_lock::Column::OrganisationId.eq(organisation_id))
            .filter(employee_lock::Column::EmployeeId.eq(employee_id))
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            return Ok(());
        }
        employee_lock::Entity::insert(employee_lock::ActiveModel {
            organisation_id: Set(organisation_id),
            employee_id: Set(employee_id),
            touched_at_ms: Set(now_ms()),
        })
        .on_conflict(
            OnConflict::columns([
                employee_lock::Column::OrganisationId,
                employee_lock::Column::EmployeeId,
            ])
            .do_nothing_on([
                employee_lock::Column::OrganisationId,
                employee_lock::Column::EmployeeId,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Err(DbErr::Custom("could not lock the employee".to_owned()))
}
