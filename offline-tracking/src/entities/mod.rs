//! sea-orm entities of OfflineTracking's tables (all prefixed `ot_`).

pub mod audit_entry;
pub mod audit_head;
pub mod change;
pub mod conflict;
pub mod conflict_decision;
pub mod device;
pub mod employee_action;
pub mod employee_lock;
pub mod face_enrollment;
pub mod health_report;
pub mod leave_request;
pub mod manual_entry;
pub mod record;
pub mod session;
pub mod site;
pub mod site_assignment;
pub mod states;
pub mod sync_session;
