use super::{KeyValue, ModuleResponse, ModuleSettings, Principal};
use abi_stable::{
    StableAbi,
    std_types::{ROption, RString, RVec},
};

/// A sync collection a module serves through the suite's sync hub
/// (`POST /api/v1/sync/push`, `GET /api/v1/sync/pull`).
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct SyncCollectionSpec {
    /// Collection name in the hub's envelope, such as `offline_tracking`.
    pub name: RString,
    /// Permission a caller needs to push or pull it; empty for any authenticated user.
    pub permission: RString,
    /// One line for listings.
    pub description: RString,
}

/// The part of a hub push addressed to one collection.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct SyncPushCall {
    /// The collection name.
    pub collection: RString,
    /// Who is pushing.
    pub principal: Principal,
    /// Request headers (lower-case names, `authorization` removed).
    pub headers: RVec<KeyValue>,
    /// The collection's payload, exactly the bytes the client sent.
    pub body: RVec<u8>,
    /// The caller's organisation settings for this module.
    pub settings: ModuleSettings,
    /// Correlation id.
    pub request_id: RString,
}

impl SyncPushCall {
    /// Parses the collection's payload as JSON, or returns the 400/422 answer to send back.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, ModuleResponse> {
        crate::body::parse_json(&self.body)
    }

    /// A request header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        super::key_value::lookup(&self.headers, name)
    }
}

/// A hub pull of one collection.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct SyncPullCall {
    /// The collection name.
    pub collection: RString,
    /// Who is pulling.
    pub principal: Principal,
    /// Request headers (lower-case names, `authorization` removed).
    pub headers: RVec<KeyValue>,
    /// The module's own cursor from the previous pull, absent on the first pull.
    pub cursor: ROption<RString>,
    /// Most changes the caller wants in this page.
    pub limit: u32,
    /// The caller's organisation settings for this module.
    pub settings: ModuleSettings,
    /// Correlation id.
    pub request_id: RString,
}

/// A page of changes from one collection.
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct SyncPullResult {
    /// The page itself (or an error answer).
    pub response: ModuleResponse,
    /// Where the next pull continues; `None` keeps the caller's cursor.
    pub next_cursor: ROption<RString>,
    /// Whether more changes are waiting beyond this page.
    pub has_more: bool,
}
