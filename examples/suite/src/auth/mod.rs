//! Who is calling: bearer tokens, the principal they resolve to, and permission grants.

pub mod grants;
pub mod services;
pub mod token;
