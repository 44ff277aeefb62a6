//! The host's directory of people, as modules reach it.
//!
//! A host implements [`Directory`] over its own tables and installs it once, from inside
//! its async runtime, with [`install_directory`]; [`directory_sink`] is what it hands each
//! module in [`InitContext`](crate::abi::InitContext). A module's question runs as a task on
//! the host's runtime (where the host's database pool lives); the module awaits the answer
//! on its own runtime.

use crate::abi::{
    DirectorySink, MAX_PEOPLE_PER_QUERY, ModuleError, PeopleQuery, Person, RosterQuery,
};
use abi_stable::std_types::{RResult, RString, RVec};
use async_ffi::{FfiFuture, FutureExt};
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

/// What the host knows about people.
pub trait Directory: Send + Sync + 'static {
    /// The employees of `organisation_id` among `employee_ids` (at most
    /// [`MAX_PEOPLE_PER_QUERY`], without repeats), each with a display name. An id that is
    /// not an employee of that organisation is left out.
    fn people(
        &self,
        organisation_id: i64,
        employee_ids: Vec<i64>,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Person>, String>> + Send>>;

    /// The employees of `organisation_id` with an id above `after_employee_id`, in id
    /// order, at most `limit` (at most [`MAX_PEOPLE_PER_QUERY`]).
    fn roster(
        &self,
        organisation_id: i64,
        after_employee_id: i64,
        limit: u32,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Person>, String>> + Send>>;
}

struct Installed {
    directory: Arc<dyn Directory>,
    runtime: tokio::runtime::Handle,
}

static INSTALLED: OnceLock<Installed> = OnceLock::new();

/// Installs the host's directory; call it once, inside the runtime that should run the
/// lookups. A second call keeps the first directory and answers false.
pub fn install_directory(directory: Arc<dyn Directory>) -> bool {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return false;
    };
    INSTALLED.set(Installed { directory, runtime }).is_ok()
}

fn unavailable(message: &str) -> ModuleError {
    ModuleError::internal("directory_unavailable", message)
}

extern "C" fn people(query: PeopleQuery) -> FfiFuture<RResult<RVec<Person>, ModuleError>> {
    let ids: BTreeSet<i64> = query.employee_ids.iter().copied().collect();
    if ids.len() > MAX_PEOPLE_PER_QUERY {
        let error = ModuleError::internal(
            "directory_query_too_large",
            format!("a directory question names at most {MAX_PEOPLE_PER_QUERY} people"),
        );
        return async move { RResult::RErr(error) }.into_ffi();
    }
    let Some(installed) = INSTALLED.get() else {
        return async { RResult::RErr(unavailable("this host has no directory")) }.into_ffi();
    };
    let directory = Arc::clone(&installed.directory);
    let organisation_id = query.organisation_id;
    on_host(installed, async move {
        directory
            .people(organisation_id, ids.into_iter().collect())
            .await
    })
}

extern "C" fn roster(query: RosterQuery) -> FfiFuture<RResult<RVec<Person>, ModuleError>> {
    if usize::try_from(query.limit).map_or(true, |limit| limit > MAX_PEOPLE_PER_QUERY) {
        let error = ModuleError::internal(
            "directory_query_too_large",
            format!("a roster page holds at most {MAX_PEOPLE_PER_QUERY} people"),
        );
        return async move { RResult::RErr(error) }.into_ffi();
    }
    let Some(installed) = INSTALLED.get() else {
        return async { RResult::RErr(unavailable("this host has no directory")) }.into_ffi();
    };
    let directory = Arc::clone(&installed.directory);
    on_host(installed, async move {
        directory
            .roster(query.organisation_id, query.after_employee_id, query.limit)
            .await
    })
}

/// Runs a lookup on the host's runtime (its database pool belongs there) and lets the
/// module wait for the answer on its own.
fn on_host(
    installed: &Installed,
    lookup: impl Future<Output = Result<Vec<Person>, String>> + Send + 'static,
) -> FfiFuture<RResult<RVec<Person>, ModuleError>> {
    let task = installed.runtime.spawn(lookup);
    async move {
        match task.await {
            Ok(Ok(people)) => RResult::ROk(RVec::from(people)),
            Ok(Err(message)) => RResult::RErr(unavailable(&message)),
            Err(_) => RResult::RErr(unavailable("the directory lookup stopped")),
        }
    }
    .into_ffi()
}

/// The callback a host passes in [`InitContext`](crate::abi::InitContext).
pub fn directory_sink() -> DirectorySink {
    DirectorySink { people, roster }
}

/// A person, for a host's [`Directory`] implementation.
pub fn person(employee_id: i64, display_name: &str) -> Person {
    Person {
        employee_id,
        display_name: RString::from(display_name),
    }
}
