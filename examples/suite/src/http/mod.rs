//! The suite's HTTP surface: its own routes (`/health`, `/metrics`, `/api/openapi.json`,
//! Settings > Modules) and the module layer (module routes and the sync hub) from host-sdk.

mod auth_token;
mod browser;
mod empty_errors;
pub(crate) mod health;
pub mod metrics;
mod not_found;
mod openapi;
pub mod routes;
pub(crate) mod settings;
pub(crate) mod settings_patch;

use crate::{auth::services::SuiteServices, config::SuiteConfig};
use actix_web::web;
use host_sdk::host::{ModuleRegistry, http::HttpLimits};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use empty_errors::standard_bodies;

/// What every handler shares. Holds no mutable state: suite processes behind a load
/// balancer agree because everything lives in the database.
#[derive(Clone)]
pub struct AppState {
    /// The host's pool.
    pub db: DatabaseConnection,
    /// The modules that started, and those that failed.
    pub registry: Arc<ModuleRegistry>,
    /// Authentication, permissions and settings for the module layer.
    pub services: Arc<SuiteServices>,
    /// Body and page limits.
    pub limits: HttpLimits,
    /// What `/metrics` renders.
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
}

/// The module layer's limits from the configuration.
pub fn limits(config: &SuiteConfig) -> HttpLimits {
    HttpLimits {
        max_body_bytes: config.server.max_body_bytes,
        default_pull_limit: config.sync.default_pull_limit,
        max_pull_limit: config.sync.max_pull_limit,
    }
}

/// Every route of the suite.
pub fn configure(routes: &mut web::ServiceConfig, state: &AppState) {
    routes.app_data(web::Data::new(state.clone()));
    self::routes::mount(routes);
    host_sdk::host::http::configure(
        routes,
        Arc::clone(&state.registry),
        Arc::clone(&state.services),
        state.limits,
    );
    host_sdk::host::http::configure_assets(routes, &state.registry);
    host_sdk::host::http::configure_pages(
        routes,
        Arc::clone(&state.registry),
        Arc::clone(&state.services),
        state.limits,
    );
    routes.default_service(web::to(not_found::answer));
}
