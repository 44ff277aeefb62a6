//! The permissions OfflineTracking's routes declare.

/// Employees recording their own attendance from their own devices.
pub const RECORD: &str = "offline_tracking.record";
/// Administrators: devices, sites, conflicts, sync status, audit.
pub const ADMIN: &str = "offline_tracking.admin";
