//! sea-orm entities of the device's tables.

pub mod action;
pub mod conflict;
pub mod device;
pub mod leave;
pub mod queued_record;
pub mod receipt;
pub mod session;
pub mod state;
