//! Support for OfflineTracking's end-to-end tests: organisations with their own policy,
//! and devices that record, sign and sync like the field app would.

mod device;
mod org;

pub use device::{DAY, HOUR, Recording, TestDevice, collection_body, now_ms, statuses_and_codes};
pub use org::{Org, OtSuite, policy};
