//! Who is calling: bearer tokens, browser sessions and passwords, the principal they
//! resolve to, and permission grants.

pub mod browser_session;
pub mod grants;
pub mod password;
pub mod services;
pub mod token;
