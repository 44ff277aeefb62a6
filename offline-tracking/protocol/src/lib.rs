//! The OfflineTracking sync protocol: the one definition of what a device and the server
//! say to each other, used by the server module and by the device app.
//!
//! A device records [`OfflineRecord`]s with no network, signs each one with its Ed25519
//! key ([`SignedRecord`]: the signature covers the exact JSON bytes, so nothing depends on
//! how either side would re-serialise a number), and pushes them in batches
//! ([`PushRequest`]) through the suite's sync hub under the collection [`COLLECTION`].
//! The server answers one [`RecordResult`] per record ([`PushResponse`]); later changes
//! reach the device through pulls ([`PullResponse`]).
//!
//! All times are milliseconds since the Unix epoch; calendar dates are `YYYY-MM-DD`.

mod conflict;
mod device;
mod limits;
mod pull;
mod push;
mod record;
mod record_kind;
mod signing;
mod stored_name;

pub use conflict::{ConflictType, Decision, Resolution};
pub use device::{DeviceRegistered, DeviceStatus, RegisterDevice};
pub use limits::{MAX_BATCH_BYTES, MAX_BATCH_RECORDS};
pub use pull::{Change, ChangeKind, PullResponse};
pub use push::{
    ActionOutcome, ActionResult, AttendanceState, ChangeRange, ConflictAction, DeviceHealth,
    EmployeeAction, HealthReport, Outcome, PushRequest, PushResponse, RecordResult, ServerSide,
};
pub use record::{DeviceTime, FaceMatch, GpsFix, LeaveDetails, OfflineRecord, QrScan, TimeAnchor};
pub use record_kind::RecordKind;
pub use signing::{DeviceKey, SignatureError, SignedRecord, public_key_from_base64};
pub use stored_name::UnknownName;

/// The version of this protocol, carried by every push and pull.
pub const PROTOCOL_VERSION: u32 = 1;

/// The sync hub collection OfflineTracking serves.
pub const COLLECTION: &str = "offline_tracking";

/// Header naming the device (the suite passes it to the module as the principal's device).
pub const DEVICE_ID_HEADER: &str = "x-device-id";

/// Header carrying the device credential issued at registration.
pub const DEVICE_TOKEN_HEADER: &str = "x-device-token";
