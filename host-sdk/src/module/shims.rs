//! The `extern "C"` entry points, generic over the module type. `export_module!` points the
//! root module at the instantiation for the author's type.

use super::{Asset, Module, runtime};
use crate::abi::{
    AssetSpec, InitContext, MigrationInfo, ModuleError, ModuleHealth, ModuleManifest,
    ModuleRequest, ModuleResponse, RouteSpec, SettingsChange, SettingsProblem, SyncCollectionSpec,
    SyncPullCall, SyncPullResult, SyncPushCall,
};
use crate::root_module::{ModuleRef, ModuleRoot};
use abi_stable::{
    prefix_type::PrefixTypeTrait,
    std_types::{RResult, RStr, RString, RVec},
};
use async_ffi::FfiFuture;
use tracing::Instrument;

/// The span every call made for a request runs in, so each event the module logs carries
/// the request's id to the host's log.
fn request_span(request_id: &str) -> tracing::Span {
    tracing::error_span!(super::log_bridge::REQUEST_SPAN, request_id)
}

extern "C" fn manifest<M: Module>() -> RResult<ModuleManifest, ModuleError> {
    runtime::guard_sync("manifest", || Ok(M::manifest().into_abi()))
}

extern "C" fn init<M: Module>(context: InitContext) -> FfiFuture<RResult<(), ModuleError>> {
    runtime::start::<M>(context)
}

extern "C" fn shutdown<M: Module>() -> FfiFuture<RResult<(), ModuleError>> {
    runtime::stop::<M>()
}

extern "C" fn migration_status<M: Module>() -> FfiFuture<RResult<RVec<MigrationInfo>, ModuleError>>
{
    runtime::call::<M, _, _>("migration_status", |module| async move {
        module.migration_status().await.map(RVec::from)
    })
}

extern "C" fn migrate_up<M: Module>() -> FfiFuture<RResult<RVec<RString>, ModuleError>> {
    runtime::call::<M, _, _>("migrate_up", |module| async move {
        let applied = module.migrate_up().await?;
        Ok(applied.into_iter().map(RString::from).collect())
    })
}

extern "C" fn migrate_down<M: Module>(
    steps: u32,
) -> FfiFuture<RResult<RVec<RString>, ModuleError>> {
    runtime::call::<M, _, _>("migrate_down", move |module| async move {
        let reverted = module.migrate_down(steps).await?;
        Ok(reverted.into_iter().map(RString::from).collect())
    })
}

extern "C" fn settings_schema<M: Module>() -> RResult<RString, ModuleError> {
    runtime::guard_sync("settings_schema", || {
        Ok(RString::from(M::settings_schema().to_string()))
    })
}

extern "C" fn settings_defaults<M: Module>() -> RResult<RString, ModuleError> {
    runtime::guard_sync("settings_defaults", || {
        Ok(RString::from(M::settings_defaults().to_string()))
    })
}

extern "C" fn validate_settings<M: Module>(
    json: RStr<'_>,
) -> RResult<RVec<SettingsProblem>, ModuleError> {
    runtime::guard_sync("validate_settings", || {
        let value: serde_json::Value = serde_json::from_str(json.as_str()).map_err(|error| {
            ModuleError::new(
                422,
                "settings_not_json",
                format!("settings are not JSON: {error}"),
            )
        })?;
        Ok(RVec::from(M::validate_settings(&value)))
    })
}

extern "C" fn settings_changed<M: Module>(
    change: SettingsChange,
) -> FfiFuture<RResult<(), ModuleError>> {
    runtime::call::<M, _, _>("settings_changed", |module| async move {
        module.settings_changed(change).await
    })
}

extern "C" fn routes<M: Module>() -> RResult<RVec<RouteSpec>, ModuleError> {
    runtime::guard_sync("routes", || {
        Ok(M::routes()
            .iter()
            .map(|route| route.spec().clone())
            .collect())
    })
}

extern "C" fn assets<M: Module>() -> RResult<RVec<AssetSpec>, ModuleError> {
    runtime::guard_sync("assets", || {
        Ok(M::assets().into_iter().map(Asset::into_abi).collect())
    })
}

extern "C" fn handle<M: Module>(
    request: ModuleRequest,
) -> FfiFuture<RResult<ModuleResponse, ModuleError>> {
    let span = request_span(&request.request_id);
    runtime::call::<M, _, _>("handle", |module| {
        let answer =
            runtime::route_table::<M>().map(|table| table.serve(module, request).instrument(span));
        async move { Ok(answer?.await) }
    })
}

extern "C" fn sync_collections<M: Module>() -> RResult<RVec<SyncCollectionSpec>, ModuleError> {
    runtime::guard_sync("sync_collections", || {
        Ok(M::sync_collections()
            .into_iter()
            .map(|collection| collection.into_abi())
            .collect())
    })
}

extern "C" fn sync_push<M: Module>(
    call: SyncPushCall,
) -> FfiFuture<RResult<ModuleResponse, ModuleError>> {
    let span = request_span(&call.request_id);
    runtime::call::<M, _, _>("sync_push", |module| {
        async move { Ok(module.sync_push(call).await) }.instrument(span)
    })
}

extern "C" fn sync_pull<M: Module>(
    call: SyncPullCall,
) -> FfiFuture<RResult<SyncPullResult, ModuleError>> {
    let span = request_span(&call.request_id);
    runtime::call::<M, _, _>("sync_pull", |module| {
        async move { Ok(module.sync_pull(call).await) }.instrument(span)
    })
}

extern "C" fn health<M: Module>() -> FfiFuture<RResult<ModuleHealth, ModuleError>> {
    runtime::call::<M, _, _>("health", |module| async move { Ok(module.health().await) })
}

/// Builds the root module for `M`. Called once per process by abi_stable's loader.
pub fn root_module<M: Module>() -> ModuleRef {
    ModuleRoot {
        manifest: manifest::<M>,
        init: init::<M>,
        shutdown: shutdown::<M>,
        migration_status: migration_status::<M>,
        migrate_up: migrate_up::<M>,
        migrate_down: migrate_down::<M>,
        settings_schema: settings_schema::<M>,
        settings_defaults: settings_defaults::<M>,
        validate_settings: validate_settings::<M>,
        settings_changed: settings_changed::<M>,
        routes: routes::<M>,
        handle: handle::<M>,
        sync_collections: sync_collections::<M>,
        sync_push: sync_push::<M>,
        sync_pull: sync_pull::<M>,
        health: health::<M>,
        assets: assets::<M>,
    }
    .leak_into_prefix()
}
