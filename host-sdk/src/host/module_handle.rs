use crate::{
    ModuleRef,
    abi::{
        AssetSpec, InitContext, MigrationInfo, ModuleError, ModuleHealth, ModuleManifest,
        ModuleRequest, ModuleResponse, RouteSpec, SettingsChange, SettingsProblem,
        SyncCollectionSpec, SyncPullCall, SyncPullResult, SyncPushCall,
    },
};
use abi_stable::std_types::{RStr, RString};

/// Safe, typed calls into a loaded module. Cheap to copy.
///
/// Asynchronous calls run on the module's own runtime; awaiting them here only polls.
#[derive(Clone, Copy)]
pub struct ModuleHandle {
    root: ModuleRef,
}

impl ModuleHandle {
    pub(crate) fn new(root: ModuleRef) -> Self {
        Self { root }
    }

    /// The module's self-description.
    pub fn manifest(&self) -> Result<ModuleManifest, ModuleError> {
        (self.root.manifest())().into_result()
    }

    /// Starts the module (runtime, log bridge, database pool).
    pub async fn init(&self, context: InitContext) -> Result<(), ModuleError> {
        (self.root.init())(context).await.into_result()
    }

    /// Drains and stops the module.
    pub async fn shutdown(&self) -> Result<(), ModuleError> {
        (self.root.shutdown())().await.into_result()
    }

    /// The module's migrations and whether each is applied.
    pub async fn migration_status(&self) -> Result<Vec<MigrationInfo>, ModuleError> {
        (self.root.migration_status())()
            .await
            .into_result()
            .map(|list| list.into_vec())
    }

    /// Applies pending migrations.
    pub async fn migrate_up(&self) -> Result<Vec<String>, ModuleError> {
        (self.root.migrate_up())()
            .await
            .into_result()
            .map(|names| names.into_iter().map(RString::into_string).collect())
    }

    /// Rolls back `steps` migrations.
    pub async fn migrate_down(&self, steps: u32) -> Result<Vec<String>, ModuleError> {
        (self.root.migrate_down())(steps)
            .await
            .into_result()
            .map(|names| names.into_iter().map(RString::into_string).collect())
    }

    /// The settings JSON Schema.
    pub fn settings_schema(&self) -> Result<serde_json::Value, ModuleError> {
        let text = (self.root.settings_schema())().into_result()?;
        parse_declared_json(&text, "settings schema")
    }

    /// The default settings.
    pub fn settings_defaults(&self) -> Result<serde_json::Value, ModuleError> {
        let text = (self.root.settings_defaults())().into_result()?;
        parse_declared_json(&text, "default settings")
    }

    /// The module's own checks on a settings document.
    pub fn validate_settings(&self, json: &str) -> Result<Vec<SettingsProblem>, ModuleError> {
        (self.root.validate_settings())(RStr::from_str(json))
            .into_result()
            .map(|problems| problems.into_vec())
    }

    /// Tells the module an organisation's settings changed.
    pub async fn settings_changed(&self, change: SettingsChange) -> Result<(), ModuleError> {
        (self.root.settings_changed())(change).await.into_result()
    }

    /// The routes to mount.
    pub fn routes(&self) -> Result<Vec<RouteSpec>, ModuleError> {
        (self.root.routes())().into_result().map(|r| r.into_vec())
    }

    /// The public files of the module's web apps.
    pub fn assets(&self) -> Result<Vec<AssetSpec>, ModuleError> {
        (self.root.assets())().into_result().map(|a| a.into_vec())
    }

    /// Forwards a request.
    pub async fn handle(&self, request: ModuleRequest) -> Result<ModuleResponse, ModuleError> {
        (self.root.handle())(request).await.into_result()
    }

    /// The sync collections served.
    pub fn sync_collections(&self) -> Result<Vec<SyncCollectionSpec>, ModuleError> {
        (self.root.sync_collections())()
            .into_result()
            .map(|c| c.into_vec())
    }

    /// Forwards one collection's part of a push.
    pub async fn sync_push(&self, call: SyncPushCall) -> Result<ModuleResponse, ModuleError> {
        (self.root.sync_push())(call).await.into_result()
    }

    /// Asks one collection for a page of changes.
    pub async fn sync_pull(&self, call: SyncPullCall) -> Result<SyncPullResult, ModuleError> {
        (self.root.sync_pull())(call).await.into_result()
    }

    /// The module's health check.
    pub async fn health(&self) -> Result<ModuleHealth, ModuleError> {
        (self.root.health())().await.into_result()
    }
}

fn parse_declared_json(text: &str, what: &str) -> Result<serde_json::Value, ModuleError> {
    serde_json::from_str(text).map_err(|error| {
        ModuleError::internal(
            "invalid_declaration",
            format!("the module's {what} is not JSON: {error}"),
        )
    })
}
