use super::ModuleError;
use abi_stable::{
    StableAbi,
    std_types::{RResult, RString, RVec},
};
use async_ffi::FfiFuture;

/// The most people one directory question may name; a module asks again for more.
pub const MAX_PEOPLE_PER_QUERY: usize = 1000;

/// A module's question to the host's directory: which of these employees belong to the
/// organisation, and what are they called?
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct PeopleQuery {
    /// The organisation asked about; the host answers only its own employees.
    pub organisation_id: i64,
    /// The employee ids, at most [`MAX_PEOPLE_PER_QUERY`].
    pub employee_ids: RVec<i64>,
}

/// An employee of the organisation, as the host's directory knows them.
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// The employee id.
    pub employee_id: i64,
    /// The name to show people.
    pub display_name: RString,
}

/// A page of an organisation's employees, in id order: those with an id above
/// `after_employee_id`, at most `limit` (itself at most [`MAX_PEOPLE_PER_QUERY`]).
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct RosterQuery {
    /// The organisation asked about.
    pub organisation_id: i64,
    /// The last id of the previous page; 0 for the first.
    pub after_employee_id: i64,
    /// How many at most.
    pub limit: u32,
}

/// The host's directory, handed to a module at init.
#[repr(C)]
#[derive(StableAbi, Clone, Copy)]
pub struct DirectorySink {
    /// Answers the employees of the query's organisation among its ids; an id not in the
    /// answer is not an employee of that organisation. The future runs on the host.
    pub people: extern "C" fn(PeopleQuery) -> FfiFuture<RResult<RVec<Person>, ModuleError>>,
    /// Answers a page of the organisation's employees (see [`RosterQuery`]), so a module
    /// can list people it has no record of yet. The future runs on the host.
    pub roster: extern "C" fn(RosterQuery) -> FfiFuture<RResult<RVec<Person>, ModuleError>>,
}

impl std::fmt::Debug for DirectorySink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DirectorySink")
    }
}
