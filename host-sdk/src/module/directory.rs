//! The host's directory as a module asks it: who belongs to an organisation, and their
//! names.

use crate::abi::{DirectorySink, MAX_PEOPLE_PER_QUERY, ModuleError, PeopleQuery, RosterQuery};
use abi_stable::std_types::RVec;
use std::collections::{BTreeMap, BTreeSet};

/// The host's directory, from [`ModuleContext::directory`](super::ModuleContext::directory).
#[derive(Clone, Copy, Debug)]
pub struct HostDirectory {
    sink: DirectorySink,
}

impl HostDirectory {
    pub(crate) fn new(sink: DirectorySink) -> Self {
        Self { sink }
    }

    /// The display names of the employees of `organisation_id` among `employee_ids`. An
    /// id absent from the answer is not an employee of that organisation. Asks the host
    /// in batches of [`MAX_PEOPLE_PER_QUERY`].
    pub async fn names(
        &self,
        organisation_id: i64,
        employee_ids: impl IntoIterator<Item = i64>,
    ) -> Result<BTreeMap<i64, String>, ModuleError> {
        let ids: Vec<i64> = employee_ids
            .into_iter()
            .collect::<BTreeSet<i64>>()
            .into_iter()
            .collect();
        let mut names = BTreeMap::new();
        for chunk in ids.chunks(MAX_PEOPLE_PER_QUERY) {
            let query = PeopleQuery {
                organisation_id,
                employee_ids: RVec::from(chunk.to_vec()),
            };
            let people = (self.sink.people)(query).await.into_result()?;
            names.extend(
                people
                    .into_iter()
                    .map(|person| (person.employee_id, person.display_name.into_string())),
            );
        }
        Ok(names)
    }

    /// A page of the employees of `organisation_id` in id order: those with an id above
    /// `after_employee_id` (0 for the first page), at most `limit` (capped at
    /// [`MAX_PEOPLE_PER_QUERY`]), as (id, name).
    pub async fn roster(
        &self,
        organisation_id: i64,
        after_employee_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, String)>, ModuleError> {
        let query = RosterQuery {
            organisation_id,
            after_employee_id,
            limit: limit.min(u32::try_from(MAX_PEOPLE_PER_QUERY).unwrap_or(u32::MAX)),
        };
        let people = (self.sink.roster)(query).await.into_result()?;
        Ok(people
            .into_iter()
            .map(|person| (person.employee_id, person.display_name.into_string()))
            .collect())
    }

    /// Whether `employee_id` is an employee of `organisation_id`.
    pub async fn is_employee(
        &self,
        organisation_id: i64,
        employee_id: i64,
    ) -> Result<bool, ModuleError> {
        Ok(self
            .names(organisation_id, [employee_id])
            .await?
            .contains_key(&employee_id))
    }
}
