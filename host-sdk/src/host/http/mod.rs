//! Mounting modules into an actix-web app: their routes under `/api/modules/{alias}` and
//! `/admin/modules/{alias}`, and the sync hub at `/api/v1/sync/push` and `/api/v1/sync/pull`.
//!
//! The host supplies [`HostServices`]: who a bearer token belongs to, which permissions a
//! principal holds and an organisation's settings for a module. Everything else (body
//! limits, permission checks, panics turned into 500s, routing to the right module) is
//! done here, identically for every host.

mod access_log;
mod api_error;
mod assets;
mod auth;
mod body;
mod module_routes;
mod pages;
mod response;
mod sync_hub;

pub use access_log::{REQUEST_ID_HEADER, RequestId, access_log, request_id};
pub use api_error::ApiError;
pub use assets::{apps_prefix, configure_assets};
pub use auth::{DEVICE_HEADER, authenticate, authorize};
pub use body::read_limited;
pub use module_routes::actix_method;
pub use pages::{BrowserCaller, NavLink, PageServices, ShellPage, configure_pages, navigation};
pub use sync_hub::SYNC_PROTOCOL_VERSION;

use super::{ModuleRegistry, RunningModule};
use crate::abi::{ModuleSettings, Principal};
use actix_web::web;
use std::{future::Future, sync::Arc};

/// What the host knows that the module layer needs.
pub trait HostServices: 'static {
    /// Resolves a bearer token to the principal it belongs to; an unknown or revoked token
    /// is a 401.
    fn authenticate(&self, token: &str) -> impl Future<Output = Result<Principal, ApiError>>;

    /// Whether `principal` holds `permission`.
    fn is_permitted(
        &self,
        principal: &Principal,
        permission: &str,
    ) -> impl Future<Output = Result<bool, ApiError>>;

    /// The organisation's effective settings for `module` (its defaults when never saved).
    fn module_settings(
        &self,
        organisation_id: i64,
        module: &RunningModule,
    ) -> impl Future<Output = Result<ModuleSettings, ApiError>>;
}

/// Size limits of the module layer.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// Largest request body forwarded to a module or the sync hub, in bytes.
    pub max_body_bytes: usize,
    /// Page size of a pull when the client names none.
    pub default_pull_limit: u32,
    /// Largest page size a client may ask for.
    pub max_pull_limit: u32,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: 8 * 1024 * 1024,
            default_pull_limit: 200,
            max_pull_limit: 1000,
        }
    }
}

/// Everything a request handler of this layer needs, shared by the app's workers.
pub(crate) struct ModuleLayer<S> {
    pub registry: Arc<ModuleRegistry>,
    pub services: Arc<S>,
    pub limits: HttpLimits,
}

/// Mounts every running module's routes, an "unavailable" answer for failed modules'
/// prefixes, and the sync hub.
pub fn configure<S: HostServices>(
    config: &mut web::ServiceConfig,
    registry: Arc<ModuleRegistry>,
    services: Arc<S>,
    limits: HttpLimits,
) {
    let layer = Arc::new(ModuleLayer {
        registry,
        services,
        limits,
    });
    sync_hub::mount(config, &layer);
    module_routes::mount(config, &layer);
}
