//! sea-orm entities of the suite's own tables.

pub mod api_token;
pub mod browser_session;
pub mod employee;
pub mod installed_module;
pub mod module_setting;
pub mod organisation;
pub mod role_permission;
pub mod user;
