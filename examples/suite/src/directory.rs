//! The suite's directory for modules: its employees' names, per organisation.

use crate::entities::employee;
use host_sdk::abi::Person;
use host_sdk::host::{Directory, person};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::future::Future;
use std::pin::Pin;

/// The directory's answer for employee rows.
fn people(rows: &[employee::Model]) -> Vec<Person> {
    rows.iter()
        .map(|row| person(row.id, &row.full_name))
        .collect()
}

/// [`Directory`] over the suite's `employees` table.
pub struct SuiteDirectory {
    db: DatabaseConnection,
}

impl SuiteDirectory {
    /// Wraps the host's pool.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

impl Directory for SuiteDirectory {
    fn people(
        &self,
        organisation_id: i64,
        employee_ids: Vec<i64>,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Person>, String>> + Send>> {
        let db = self.db.clone();
        Box::pin(async move {
            let found = employee::Entity::find()
                .filter(employee::Column::OrganisationId.eq(organisation_id))
                .filter(employee::Column::Id.is_in(employee_ids))
                .all(&db)
                .await
                .map_err(|error| format!("the suite's directory failed: {error}"))?;
            Ok(people(&found))
        })
    }

    fn roster(
        &self,
        organisation_id: i64,
        after_employee_id: i64,
        limit: u32,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Person>, String>> + Send>> {
        let db = self.db.clone();
        Box::pin(async move {
            let found = employee::Entity::find()
                .filter(employee::Column::OrganisationId.eq(organisation_id))
                .filter(employee::Column::Id.gt(after_employee_id))
                .order_by_asc(employee::Column::Id)
                .limit(u64::from(limit))
                .all(&db)
                .await
                .map_err(|error| format!("the suite's directory failed: {error}"))?;
            Ok(people(&found))
        })
    }
}
