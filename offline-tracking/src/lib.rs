//! The OfflineTracking module, loaded by the suite as a dynamic library.
//!
//! Employees' devices record attendance without network and push signed records through
//! the suite's sync hub (collection `offline_tracking`); this module verifies, places in
//! time and stores every record, derives attendance and conflicts from the evidence,
//! keeps a tamper-evident audit trail and serves administrators' routes.

mod admin;
mod api;
pub mod attendance;
mod clock;
mod config_route;
mod conflicts;
mod devices;
// Public for the benchmarks, which copy the records table to measure the database's own
// insert limit with the same rows.
pub mod entities;
pub mod fuzzing;
/// The query a pull pages through the change log with (for the test of its plans).
pub use sync::pull::page_query as pull_page_query;
mod leave;
mod pages;
mod people;
mod permissions;
mod routes;
mod sites;
mod store;
mod sync;
mod text;
mod web_app;

use crate::api::Problem;
use crate::store::audit_action::AuditAction;
use host_sdk::{
    abi::{
        MigrationInfo, ModuleError, ModuleResponse, SettingsChange, SettingsProblem, SyncPullCall,
        SyncPullResult, SyncPushCall,
    },
    module::{Manifest, Module, ModuleContext, Route, SyncCollection},
};
use offline_tracking_migrations::Migrator;
use offline_tracking_protocol::{COLLECTION, ChangeKind};
use offline_tracking_settings::OfflineTrackingSettings;
use sea_orm::DatabaseConnection;
use serde_json::Value;
use store::journal::{Actor, Journal};

/// The module: its own database pool on the suite's database.
pub struct OfflineTracking {
    db: DatabaseConnection,
    directory: host_sdk::module::HostDirectory,
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
        sync::telemetry::describe();
        Ok(Self {
            db: context.connect_database().await?,
            directory: context.directory,
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

    /// Devices learn of the new configuration through pull; the change is audited.
    async fn settings_changed(&self, change: SettingsChange) -> Result<(), ModuleError> {
        let failed =
            |error: sea_orm::DbErr| ModuleError::internal("database_error", error.to_string());
        // The host validated the document before storing it; one that does not parse
        // here is refused rather than audited as nothing.
        let settings: Value = serde_json::from_str(&change.settings.json).map_err(|error| {
            ModuleError::internal("invalid_settings", format!("the new settings: {error}"))
        })?;
        let transaction = host_sdk::db::begin_write(&self.db).await.map_err(failed)?;
        let mut journal = Journal::new(change.organisation_id, None);
        journal.audit(
            &Actor::User(change.changed_by),
            AuditAction::SettingsChanged,
            "settings",
            &change.settings.version.to_string(),
            settings,
        );
        journal.change(
            None,
            &change.settings.version.to_string(),
            ChangeKind::Config {
                config_version: change.settings.version,
            },
        );
        journal.flush(&transaction).await.map_err(failed)?;
        transaction.commit().await.map_err(failed)?;
        Ok(())
    }

    fn assets() -> Vec<host_sdk::module::Asset> {
        web_app::assets()
    }

    fn routes() -> Vec<Route<Self>> {
        routes::all()
    }

    fn sync_collections() -> Vec<SyncCollection> {
        vec![
            SyncCollection::new(COLLECTION)
                .permission(permissions::RECORD)
                .describe(
                    "Offline attendance records, their outcomes and the employee's attendance",
                ),
        ]
    }

    async fn sync_push(&self, call: SyncPushCall) -> ModuleResponse {
        if call.collection.as_str() != COLLECTION {
            return api::error(
                Problem::NotFound,
                "unknown_collection",
                format!("no collection {}", call.collection),
            )
            .into();
        }
        sync::push::push(&self.db, &call).await
    }

    async fn sync_pull(&self, call: SyncPullCall) -> SyncPullResult {
        sync::pull::pull(&self.db, &call).await
    }
}

host_sdk::export_module!(OfflineTracking);
