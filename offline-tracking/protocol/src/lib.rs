//! The OfflineTracking sync protocol, shared by the server module and the device app.

mod record_kind;

pub use record_kind::RecordKind;
