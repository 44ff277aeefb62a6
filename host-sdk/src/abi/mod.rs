//! Types that cross the boundary between the host and a module.
//!
//! Everything here is `#[repr(C)]` and derives [`StableAbi`](abi_stable::StableAbi), so the
//! host checks its layout when it loads a library. Only stable-ABI types appear: `RString`,
//! `RVec`, `ROption`, `RResult` and plain integers. Values that may gain new cases later
//! (HTTP methods, route scopes) cross as strings, which the receiving side parses and
//! reports when unknown, instead of as Rust enums that could not grow safely.

mod asset;
mod directory;
mod error;
mod http;
mod key_value;
mod lifecycle;
mod logging;
mod manifest;
mod metrics;
mod principal;
mod settings;
mod sync;

pub use asset::AssetSpec;
pub use directory::{DirectorySink, MAX_PEOPLE_PER_QUERY, PeopleQuery, Person, RosterQuery};
pub use error::ModuleError;
pub use http::{ModuleRequest, ModuleResponse, RouteSpec};
pub use key_value::KeyValue;
pub use lifecycle::{InitContext, MigrationInfo, ModuleHealth};
pub use logging::{LogLevel, LogRecord, LogSink};
pub use manifest::{ModuleManifest, PermissionSpec};
pub use metrics::{MetricEvent, MetricLabel, MetricOp, MetricsSink};
pub use principal::Principal;
pub use settings::{ModuleSettings, SettingsChange, SettingsProblem};
pub use sync::{SyncCollectionSpec, SyncPullCall, SyncPullResult, SyncPushCall};

/// The stable-ABI standard types used in these structs, re-exported so a module or host
/// needs no direct `abi_stable` dependency.
pub use abi_stable::std_types::{ROption, RResult, RStr, RString, RVec};
