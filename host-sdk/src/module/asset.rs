//! Public files of a module's web app, such as an offline-first employee app: served to
//! anyone under `/apps/{alias}`, with an `ETag` so browsers revalidate cheaply, and read
//! once when the module starts (not one call into the module per download).

use crate::abi::AssetSpec;
use abi_stable::std_types::{RString, RVec};

/// A file of a module's web app.
///
/// ```
/// use host_sdk::module::Asset;
/// let page = Asset::new("/", "text/html; charset=utf-8", b"<!doctype html><title>App</title>");
/// let worker = Asset::new("/sw.js", "text/javascript", b"self.addEventListener('fetch', () => {});")
///     .service_worker_scope("/apps/offline-tracking/");
/// assert_eq!(page.into_abi().path.as_str(), "/");
/// assert_eq!(worker.into_abi().service_worker_scope.as_str(), "/apps/offline-tracking/");
/// ```
#[derive(Clone, Debug)]
pub struct Asset {
    inner: AssetSpec,
}

impl Asset {
    /// The file at `path` below `/apps/{alias}`, answered with `content_type`.
    pub fn new(path: &str, content_type: &str, body: &[u8]) -> Self {
        Self {
            inner: AssetSpec {
                path: path.into(),
                content_type: content_type.into(),
                body: RVec::from(body.to_vec()),
                service_worker_scope: RString::new(),
            },
        }
    }

    /// Marks the file as a service worker that may control `scope` (a path prefix).
    pub fn service_worker_scope(mut self, scope: &str) -> Self {
        self.inner.service_worker_scope = scope.into();
        self
    }

    /// The ABI form.
    pub fn into_abi(self) -> AssetSpec {
        self.inner
    }
}
