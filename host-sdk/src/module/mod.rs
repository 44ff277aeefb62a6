//! The module author's side: implement [`Module`], then call
//! [`export_module!`](crate::export_module) once.
//!
//! The SDK generates the `extern "C"` entry points, runs every call on the module's own
//! tokio runtime, catches panics at every entry point, converts futures to `FfiFuture`
//! and forwards the module's `tracing` events to the host.

mod asset;
mod declarations;
mod directory;
mod log_bridge;
mod metrics_bridge;
mod route;
mod runtime;
mod shims;

pub use asset::Asset;
pub use declarations::{Manifest, ModuleContext, SyncCollection};
pub use directory::HostDirectory;
pub use route::{HandlerFuture, IntoModuleResponse, Route};

use crate::abi::{
    MigrationInfo, ModuleError, ModuleHealth, ModuleResponse, SettingsChange, SettingsProblem,
    SyncPullCall, SyncPullResult, SyncPushCall,
};
use std::future::Future;

/// A suite module.
///
/// Only [`manifest`](Module::manifest), [`init`](Module::init) and usually
/// [`routes`](Module::routes) need writing; everything else has a sensible default (no
/// migrations, empty settings, no routes, no sync collections).
///
/// `init` runs once per process, on the module's runtime, and must not run migrations:
/// the operator runs those with `suite migrate`.
///
/// # Example
///
/// ```
/// use host_sdk::{Method, abi::{ModuleError, ModuleRequest, ModuleResponse}};
/// use host_sdk::module::{Manifest, Module, ModuleContext, Route};
/// use std::sync::Arc;
///
/// pub struct Greeter;
///
/// impl Module for Greeter {
///     fn manifest() -> Manifest {
///         Manifest::new("Greeter", "greeter", env!("CARGO_PKG_VERSION"))
///             .description("Says hello.")
///             .permission("greeter.greet", "May be greeted", &["admin", "employee"])
///     }
///
///     async fn init(_context: ModuleContext) -> Result<Self, ModuleError> {
///         Ok(Greeter)
///     }
///
///     fn routes() -> Vec<Route<Self>> {
///         vec![Route::api(Method::Get, "/hello", Greeter::hello).permission("greeter.greet")]
///     }
/// }
///
/// impl Greeter {
///     async fn hello(self: Arc<Self>, _request: ModuleRequest) -> ModuleResponse {
///         ModuleResponse::json(200, &serde_json::json!({"hello": "world"}))
///     }
/// }
///
/// host_sdk::export_module!(Greeter);
/// ```
pub trait Module: Sized + Send + Sync + 'static {
    /// Name, alias, version, dependencies and permissions.
    fn manifest() -> Manifest;

    /// Builds the module from what the host passed: open the database pool here.
    fn init(context: ModuleContext) -> impl Future<Output = Result<Self, ModuleError>> + Send;

    /// Releases resources; runs after every call in flight has finished.
    fn shutdown(&self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Every migration the module ships and whether it is applied.
    fn migration_status(
        &self,
    ) -> impl Future<Output = Result<Vec<MigrationInfo>, ModuleError>> + Send {
        async { Ok(Vec::new()) }
    }

    /// Applies pending migrations and returns their names in order.
    fn migrate_up(&self) -> impl Future<Output = Result<Vec<String>, ModuleError>> + Send {
        async { Ok(Vec::new()) }
    }

    /// Rolls back the last `steps` migrations and returns their names in order.
    fn migrate_down(
        &self,
        steps: u32,
    ) -> impl Future<Output = Result<Vec<String>, ModuleError>> + Send {
        let _ = steps;
        async { Ok(Vec::new()) }
    }

    /// JSON Schema of the per-organisation settings. The host validates every change
    /// against it before the module sees it.
    fn settings_schema() -> serde_json::Value {
        serde_json::json!({"type": "object", "additionalProperties": false})
    }

    /// The settings an organisation has before anyone changes them.
    fn settings_defaults() -> serde_json::Value {
        serde_json::json!({})
    }

    /// Rules the schema cannot express. Runs after schema validation passed.
    fn validate_settings(settings: &serde_json::Value) -> Vec<SettingsProblem> {
        let _ = settings;
        Vec::new()
    }

    /// Called after the host stored an organisation's new settings.
    fn settings_changed(
        &self,
        change: SettingsChange,
    ) -> impl Future<Output = Result<(), ModuleError>> + Send {
        let _ = change;
        async { Ok(()) }
    }

    /// Routes the host mounts for this module, each with the handler that serves it.
    fn routes() -> Vec<Route<Self>> {
        Vec::new()
    }

    /// Public files of the module's web apps, served under `/apps/{alias}` without
    /// sign-in (see [`Asset`]).
    fn assets() -> Vec<Asset> {
        Vec::new()
    }

    /// Sync collections this module serves through the suite's sync hub.
    fn sync_collections() -> Vec<SyncCollection> {
        Vec::new()
    }

    /// Receives one collection's part of a hub push.
    fn sync_push(&self, call: SyncPushCall) -> impl Future<Output = ModuleResponse> + Send {
        async move {
            ModuleResponse::error(
                404,
                "unknown_collection",
                format!("this module does not sync {}", call.collection),
            )
        }
    }

    /// Serves one collection's page of a hub pull.
    fn sync_pull(&self, call: SyncPullCall) -> impl Future<Output = SyncPullResult> + Send {
        async move {
            SyncPullResult {
                response: ModuleResponse::error(
                    404,
                    "unknown_collection",
                    format!("this module does not sync {}", call.collection),
                ),
                next_cursor: abi_stable::std_types::ROption::RNone,
                has_more: false,
            }
        }
    }

    /// The module's own health check, shown on `/health`.
    fn health(&self) -> impl Future<Output = ModuleHealth> + Send {
        async {
            ModuleHealth {
                healthy: true,
                detail: Default::default(),
            }
        }
    }
}

#[doc(hidden)]
pub use shims::root_module;
