//! The OfflineTracking module, loaded by the suite as a dynamic library.

mod attendance;
mod config_route;
mod entities;
mod permissions;

use host_sdk::{
    Method,
    abi::{MigrationInfo, ModuleError, ModuleRequest, ModuleResponse, SettingsProblem},
    module::{Manifest, Module, ModuleContext, Route},
};
use offline_tracking_migrations::Migrator;
use offline_tracking_settings::OfflineTrackingSettings;
use sea_orm::DatabaseConnection;
use serde_json::Value;

/// The module: its own database pool on the suite's database.
pub struct OfflineTracking {
    db: DatabaseConnection,
}

impl Module for OfflineTracking {
    fn manifest() -> Manifest {
        Manifest::new(
            "OfflineTracking",
            "offline-tracking",
            env!("CARGO_PKG_VERSION"),
        )
        .description(
            "Offline attendance: records made without network, synced and checked when it returns.",
        )
        .priority(10)
        .permission(
            permissions::RECORD,
            "Record attendance from a registered device and see one's own records",
            &["employee"],
        )
        .permission(
            permissions::ADMIN,
            "Manage devices, sites, conflicts and see sync status",
            &["admin"],
        )
    }

    async fn init(context: ModuleContext) -> Result<Self, ModuleError> {
        Ok(Self {
            db: context.connect_database().await?,
        })
    }

    async fn shutdown(&self) {
        let _ = self.db.close_by_ref().await;
    }

    async fn migration_status(&self) -> Result<Vec<MigrationInfo>, ModuleError> {
        host_sdk::db::migration_status::<Migrator>(&self.db).await
    }

    async fn migrate_up(&self) -> Result<Vec<String>, ModuleError> {
        host_sdk::db::migrate_up::<Migrator>(&self.db).await
    }

    async fn migrate_down(&self, steps: u32) -> Result<Vec<String>, ModuleError> {
        host_sdk::db::migrate_down::<Migrator>(&self.db, steps).await
    }

    fn settings_schema() -> Value {
        offline_tracking_settings::schema()
    }

    fn settings_defaults() -> Value {
        serde_json::to_value(OfflineTrackingSettings::default()).unwrap_or_default()
    }

    fn validate_settings(settings: &Value) -> Vec<SettingsProblem> {
        match serde_json::from_value::<OfflineTrackingSettings>(settings.clone()) {
            Ok(parsed) => parsed
                .problems()
                .into_iter()
                .map(|problem| SettingsProblem::new(problem.path, problem.message))
                .collect(),
            Err(error) => vec![SettingsProblem::new("", error.to_string())],
        }
    }

    fn routes() -> Vec<Route> {
        vec![
            Route::api(Method::Get, "/config", "config.show")
                .permission(permissions::RECORD)
                .describe(
                    "The organisation's effective configuration for devices, with its version",
                ),
        ]
    }

    async fn handle(&self, request: ModuleRequest) -> ModuleResponse {
        match request.route_id.as_str() {
            "config.show" => config_route::show(&request),
            other => ModuleResponse::error(404, "unknown_route", format!("no route {other}")),
        }
    }
}

host_sdk::export_module!(OfflineTracking);
