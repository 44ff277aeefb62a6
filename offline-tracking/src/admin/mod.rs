//! What administrators watch: records, sync status and rates, sequence gaps, the audit
//! trail, face enrollment.

pub mod audit_routes;
pub mod employees;
pub mod enrollment;
pub mod gaps;
pub mod records;
pub mod sync_rates;
pub mod sync_status;
