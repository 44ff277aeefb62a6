//! The sync hub's envelope, shared by the host that serves it and every client that
//! speaks it: one round trip carries each module's collection, untouched.
//!
//! A push is `POST` [`PUSH_PATH`] with a [`HubPush`]; a pull is `GET` [`PULL_PATH`] with
//! the query `protocol_version`, `collections`, `limit` and `cursor`. Both are answered
//! with a [`HubAnswer`], whose `collections` hold each module's own answer.
//!
//! ```
//! use host_sdk::hub::{HubAnswer, HubPush, SYNC_PROTOCOL_VERSION};
//! use serde_json::{Value, json};
//! let push = HubPush::one("offline_tracking", json!({"records": []}));
//! assert_eq!(push.protocol_version, Some(SYNC_PROTOCOL_VERSION));
//! let answer: HubAnswer<Value> = serde_json::from_value(json!({
//!     "protocol_version": 1, "server_time_ms": 5,
//!     "collections": {"offline_tracking": {"status": 200, "body": {"ok": true}}}
//! })).unwrap();
//! assert_eq!(answer.collection("offline_tracking").unwrap().body, json!({"ok": true}));
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The hub's envelope version. Clients send it in every push (`protocol_version`) and pull
/// (`?protocol_version=`); any other value is answered 426.
pub const SYNC_PROTOCOL_VERSION: u32 = 1;

/// Where a client pushes.
pub const PUSH_PATH: &str = "/api/v1/sync/push";

/// Where a client pulls.
pub const PULL_PATH: &str = "/api/v1/sync/pull";

/// A push: each named collection's payload, for the module that registered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HubPush<T> {
    /// [`SYNC_PROTOCOL_VERSION`]; a push without it is answered 426.
    pub protocol_version: Option<u32>,
    /// Payloads by collection name.
    pub collections: BTreeMap<String, T>,
}

impl<T> HubPush<T> {
    /// A push of one collection at this protocol version.
    pub fn one(collection: &str, payload: T) -> Self {
        Self {
            protocol_version: Some(SYNC_PROTOCOL_VERSION),
            collections: BTreeMap::from([(collection.to_owned(), payload)]),
        }
    }
}

/// One collection's part of a hub answer: the module's own status and body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CollectionAnswer<T> {
    /// The HTTP status the module answered for its collection.
    pub status: u16,
    /// For a pull: whether the collection has more changes after this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// The module's answer (or the `{"code", "message"}` error body).
    pub body: T,
}

/// The hub's answer to a push or a pull.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HubAnswer<T> {
    /// [`SYNC_PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The server's clock when it answered.
    pub server_time_ms: i64,
    /// For a pull: the opaque cursor to send next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// For a pull: whether any collection has more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// Each collection's answer, by name.
    pub collections: BTreeMap<String, CollectionAnswer<T>>,
}

impl<T> HubAnswer<T> {
    /// The answer of one collection, if the hub has one.
    pub fn collection(&self, name: &str) -> Option<&CollectionAnswer<T>> {
        self.collections.get(name)
    }
}

/// The query of a pull, as the API description lists it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PullParameters {
    /// [`SYNC_PROTOCOL_VERSION`]; a pull without it is answered 426.
    pub protocol_version: u32,
    /// The cursor of the previous answer; empty or absent for the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Changes per collection in this page (the server bounds it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Comma-separated collection names; every permitted collection when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collections: Option<String>,
}
