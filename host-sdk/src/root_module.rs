//! The root module: the one table of entry points every module library exports.

use crate::abi::{
    AssetSpec, InitContext, MigrationInfo, ModuleError, ModuleHealth, ModuleManifest,
    ModuleRequest, ModuleResponse, RouteSpec, SettingsChange, SettingsProblem, SyncCollectionSpec,
    SyncPullCall, SyncPullResult, SyncPushCall,
};
use abi_stable::{
    StableAbi, declare_root_module_statics,
    library::RootModule,
    package_version_strings,
    sabi_types::VersionStrings,
    std_types::{RResult, RStr, RString, RVec},
};
use async_ffi::FfiFuture;

/// A module's entry points, as an abi_stable prefix struct.
///
/// Fields up to `health` are present in every module built with this SDK version. Fields
/// added in later versions go after it and are read through accessors that return
/// `Option`, so a host meets an older module as "lacking feature X", never as a crash.
///
/// Every entry point catches panics and reports them as a [`ModuleError`]; asynchronous
/// ones run on the module's own runtime and hand back an [`FfiFuture`] the host only polls.
/// Module authors never fill this struct by hand: [`export_module!`](crate::export_module)
/// builds it from a [`Module`](crate::module::Module) implementation.
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = ModuleRef, prefix_fields = ModuleRootPrefix)))]
#[sabi(missing_field(option))]
pub struct ModuleRoot {
    /// The module's self-description.
    pub manifest: extern "C" fn() -> RResult<ModuleManifest, ModuleError>,
    /// Starts the module: its runtime, log bridge and database pool. Runs no migrations.
    pub init: extern "C" fn(InitContext) -> FfiFuture<RResult<(), ModuleError>>,
    /// Stops taking calls, waits for running ones, then releases resources.
    pub shutdown: extern "C" fn() -> FfiFuture<RResult<(), ModuleError>>,
    /// Every migration the module ships and whether it is applied.
    pub migration_status: extern "C" fn() -> FfiFuture<RResult<RVec<MigrationInfo>, ModuleError>>,
    /// Applies pending migrations; answers the names applied, in order.
    pub migrate_up: extern "C" fn() -> FfiFuture<RResult<RVec<RString>, ModuleError>>,
    /// Rolls back the last `steps` migrations; answers the names rolled back, in order.
    pub migrate_down: extern "C" fn(u32) -> FfiFuture<RResult<RVec<RString>, ModuleError>>,
    /// The JSON Schema of the module's per-organisation settings.
    pub settings_schema: extern "C" fn() -> RResult<RString, ModuleError>,
    /// The default settings document.
    pub settings_defaults: extern "C" fn() -> RResult<RString, ModuleError>,
    /// Checks the module's schema cannot express (cross-field rules).
    pub validate_settings: extern "C" fn(RStr<'_>) -> RResult<RVec<SettingsProblem>, ModuleError>,
    /// Called after the host stored new settings for an organisation.
    pub settings_changed: extern "C" fn(SettingsChange) -> FfiFuture<RResult<(), ModuleError>>,
    /// The routes to mount.
    pub routes: extern "C" fn() -> RResult<RVec<RouteSpec>, ModuleError>,
    /// Answers one request to one of the module's routes.
    pub handle: extern "C" fn(ModuleRequest) -> FfiFuture<RResult<ModuleResponse, ModuleError>>,
    /// The sync collections the module serves through the hub.
    pub sync_collections: extern "C" fn() -> RResult<RVec<SyncCollectionSpec>, ModuleError>,
    /// Receives one collection's part of a hub push.
    pub sync_push: extern "C" fn(SyncPushCall) -> FfiFuture<RResult<ModuleResponse, ModuleError>>,
    /// Serves one collection's page of a hub pull.
    pub sync_pull: extern "C" fn(SyncPullCall) -> FfiFuture<RResult<SyncPullResult, ModuleError>>,
    /// The module's own health check.
    pub health: extern "C" fn() -> FfiFuture<RResult<ModuleHealth, ModuleError>>,
    /// The public files of the module's web apps.
    #[sabi(last_prefix_field)]
    pub assets: extern "C" fn() -> RResult<RVec<AssetSpec>, ModuleError>,
}

impl RootModule for ModuleRef {
    declare_root_module_statics! {ModuleRef}
    const BASE_NAME: &'static str = "host_sdk_module";
    const NAME: &'static str = "host_sdk_module";
    // The version of this crate is the ABI version: the host refuses a library built with
    // another 0.MINOR.
    const VERSION_STRINGS: VersionStrings = package_version_strings!();
}

/// The host-sdk version this crate was built as (the ABI version), for messages.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The symbol abi_stable looks up in a library to find its root module.
///
/// `export_module!` has to spell it out because abi_stable's own attribute macro refers to
/// the `abi_stable` crate by absolute path, which a module that depends on `host-sdk` alone
/// does not have. A test pins it to abi_stable's constant.
#[doc(hidden)]
pub const ROOT_MODULE_SYMBOL: &str = "_1as_0lib_1header_0root_bmodule_bloader";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exported_symbol_is_the_one_abi_stable_looks_up() {
        assert_eq!(
            ROOT_MODULE_SYMBOL,
            abi_stable::library::ROOT_MODULE_LOADER_NAME
        );
    }
}
