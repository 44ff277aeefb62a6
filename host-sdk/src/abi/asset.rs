use abi_stable::{
    StableAbi,
    std_types::{RString, RVec},
};

/// A file a module serves to anyone, without sign-in, under `/apps/{alias}` + `path`: the
/// shell of a web app (its HTML, scripts, styles, icons, manifest and service worker).
/// Everything the app then asks of the server goes through authenticated routes.
/// Module authors build these with [`Asset`](crate::module::Asset).
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct AssetSpec {
    /// Path below `/apps/{alias}`, starting with `/` (`/` itself is the app's page).
    pub path: RString,
    /// The `Content-Type` to answer with.
    pub content_type: RString,
    /// The file's bytes.
    pub body: RVec<u8>,
    /// For a service worker: the scope it may control (sent as `Service-Worker-Allowed`);
    /// empty otherwise.
    pub service_worker_scope: RString,
}
