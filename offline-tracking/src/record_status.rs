//! The states a stored record moves through.

/// Stored, not yet derived (only inside the transaction that stores it).
pub const RECEIVED: &str = "received";
/// Counts in attendance.
pub const ACCEPTED: &str = "accepted";
/// Repeats another record, which counts instead.
pub const DUPLICATE: &str = "duplicate";
/// Lost a conflict; kept with its reason.
pub const OVERRULED: &str = "overruled";
/// Waits for an administrator's decision.
pub const HELD: &str = "held";
/// Broke the organisation's rules; kept for the administrator.
pub const REJECTED: &str = "rejected";
/// Taken back by the employee.
pub const WITHDRAWN: &str = "withdrawn";

/// Statuses derivation looks at (the others are settled for good).
pub const DERIVABLE: [&str; 5] = [RECEIVED, ACCEPTED, DUPLICATE, OVERRULED, HELD];
