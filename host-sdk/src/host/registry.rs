use super::{DependencyNode, LoadError, LoadedLibrary, SettingsContract, dependency_order};
use crate::{
    Method, NavSection, Scope,
    abi::{InitContext, ModuleManifest, SyncCollectionSpec},
};
use std::{collections::BTreeSet, sync::Arc};

use super::ModuleHandle;

/// A route of a running module, parsed and ready to mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountedRoute {
    /// The id the module dispatches on.
    pub id: String,
    /// HTTP method.
    pub method: Method,
    /// `api` or `admin`.
    pub scope: Scope,
    /// Path below the module's prefix.
    pub path: String,
    /// Permission the host checks; empty for any authenticated user.
    pub permission: String,
    /// One line for listings.
    pub description: String,
    /// JSON Schema of the request body, if the module described one.
    pub request_schema: Option<serde_json::Value>,
    /// JSON Schema of the query parameters (an object's properties), if described.
    pub query_schema: Option<serde_json::Value>,
    /// JSON Schema of the successful answer, if described.
    pub response_schema: Option<serde_json::Value>,
    /// For a page listed in the navigation: its section and the link's text.
    pub navigation: Option<(NavSection, String)>,
}

/// A module that started: initialised, migrated, its declarations checked.
pub struct RunningModule {
    /// What the library says about itself.
    pub manifest: ModuleManifest,
    /// Calls into the module.
    pub handle: ModuleHandle,
    /// Its routes.
    pub routes: Vec<MountedRoute>,
    /// Its sync collections.
    pub collections: Vec<SyncCollectionSpec>,
    /// Its settings schema and defaults.
    pub settings: SettingsContract,
    /// The public files of its web apps.
    pub assets: Vec<ServedAsset>,
}

/// A public file of a module's web app, ready to serve.
#[derive(Clone, Debug)]
pub struct ServedAsset {
    /// Path below `/apps/{alias}`.
    pub path: String,
    /// Its content type.
    pub content_type: String,
    /// Its bytes (cheap to clone for each answer).
    pub body: actix_web::web::Bytes,
    /// A strong validator: the SHA-256 of the bytes, quoted as an `ETag` is.
    pub etag: String,
    /// For a service worker, the scope it may control.
    pub service_worker_scope: Option<String>,
}

impl RunningModule {
    /// The module's name.
    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    /// The module's alias.
    pub fn alias(&self) -> &str {
        &self.manifest.alias
    }

    /// The module's version.
    pub fn version(&self) -> &str {
        &self.manifest.version
    }
}

/// A module that could not start, and why.
#[derive(Debug, Clone)]
pub struct FailedModule {
    /// The module's name (its folder name when `module.toml` was unreadable).
    pub name: String,
    /// Its alias, when known.
    pub alias: Option<String>,
    /// Its version, when known.
    pub version: Option<String>,
    /// Why it failed.
    pub error: LoadError,
}

/// Where a registered module stands.
pub enum ModuleStatus {
    /// Serving.
    Running(Arc<RunningModule>),
    /// Not serving; the suite serves the others.
    Failed(FailedModule),
}

/// One enabled module of the suite, running or not.
pub struct RegisteredModule {
    /// The module's name.
    pub name: String,
    /// Its status.
    pub status: ModuleStatus,
}

/// The modules a serving suite started, in start order.
#[derive(Default)]
pub struct ModuleRegistry {
    modules: Vec<RegisteredModule>,
}

struct Candidate(LoadedLibrary);

impl DependencyNode for Candidate {
    fn node_name(&self) -> &str {
        &self.0.toml.name
    }
    fn node_requires(&self) -> &[String] {
        &self.0.toml.requires
    }
    fn node_priority(&self) -> i32 {
        self.0.toml.priority
    }
}

impl ModuleRegistry {
    /// Starts the opened libraries in dependency order; `failed` are modules that could not
    /// even be opened. A module whose requirement did not start fails too; every failure
    /// is kept with its reason. `context` builds each module's init context.
    pub async fn start(
        opened: Vec<LoadedLibrary>,
        failed: Vec<FailedModule>,
        context: impl Fn(&LoadedLibrary) -> InitContext,
    ) -> Self {
        let mut registry = ModuleRegistry::default();
        for module in failed {
            registry.modules.push(RegisteredModule {
                name: module.name.clone(),
                status: ModuleStatus::Failed(module),
            });
        }
        let candidates: Vec<Candidate> = opened.into_iter().map(Candidate).collect();
        let order = match dependency_order(&candidates) {
            Ok(order) => order,
            Err(error) => {
                for Candidate(library) in candidates {
                    registry.push_failed(&library, error.clone());
                }
                return registry;
            }
        };
        let mut slots: Vec<Option<LoadedLibrary>> =
            candidates.into_iter().map(|c| Some(c.0)).collect();
        for index in order {
            let Some(library) = slots[index].take() else {
                continue;
            };
            match registry.start_one(&library, &context).await {
                Ok(running) => registry.modules.push(RegisteredModule {
                    name: library.toml.name.clone(),
                    status: ModuleStatus::Running(Arc::new(running)),
                }),
                Err(error) => {
                    tracing::error!(module = %library.toml.name, "{error}");
                    registry.push_failed(&library, error);
                }
            }
        }
        registry
    }

    fn push_failed(&mut self, library: &LoadedLibrary, error: LoadError) {
        self.modules.push(RegisteredModule {
            name: library.toml.name.clone(),
            status: ModuleStatus::Failed(FailedModule {
                name: library.toml.name.clone(),
                alias: Some(library.toml.alias.clone()),
                version: Some(library.toml.version.clone()),
                error,
            }),
        });
    }

    async fn start_one(
        &self,
        library: &LoadedLibrary,
        context: &impl Fn(&LoadedLibrary) -> InitContext,
    ) -> Result<RunningModule, LoadError> {
        let name = library.toml.name.clone();
        for requirement in &library.toml.requires {
            match self.find(requirement).map(|m| &m.status) {
                Some(ModuleStatus::Running(_)) => {}
                Some(ModuleStatus::Failed(_)) => {
                    return Err(LoadError::RequirementFailed {
                        name,
                        requirement: requirement.clone(),
                    });
                }
                None => {
                    return Err(LoadError::MissingRequirement {
                        name,
                        missing: requirement.clone(),
                    });
                }
            }
        }
        let call_error = |action: &'static str| {
            let name = name.clone();
            move |error| LoadError::ModuleCall {
                name,
                action,
                error,
            }
        };
        let handle = library.handle;
        handle
            .init(context(library))
            .await
            .map_err(call_error("init"))?;
        let started = self.check_started(library).await;
        if started.is_err() {
            // It was initialised: let it release its pool before it is set aside.
            let _ = handle.shutdown().await;
        }
        started
    }

    async fn check_started(&self, library: &LoadedLibrary) -> Result<RunningModule, LoadError> {
        let name = library.toml.name.clone();
        let handle = library.handle;
        let call_error = |action: &'static str| {
            let name = name.clone();
            move |error| LoadError::ModuleCall {
                name,
                action,
                error,
            }
        };
        let pending = handle
            .migration_status()
            .await
            .map_err(call_error("reading its migration status"))?
            .iter()
            .filter(|migration| !migration.applied)
            .count();
        if pending > 0 {
            return Err(LoadError::PendingMigrations {
                name,
                count: pending,
            });
        }
        let invalid = |problem: String| LoadError::InvalidDeclaration {
            name: name.clone(),
            problem,
        };
        let routes = parse_routes(handle.routes().map_err(call_error("listing its routes"))?)
            .map_err(invalid)?;
        let collections = handle
            .sync_collections()
            .map_err(call_error("listing its sync collections"))?;
        for collection in &collections {
            if self.collection_owner(&collection.name).is_some() {
                return Err(invalid(format!(
                    "sync collection {:?} is already served by another module",
                    collection.name.as_str()
                )));
            }
        }
        let schema = handle
            .settings_schema()
            .map_err(call_error("reading its settings schema"))?;
        let defaults = handle
            .settings_defaults()
            .map_err(call_error("reading its default settings"))?;
        let settings = SettingsContract::new(schema, defaults).map_err(invalid)?;
        let assets = served_assets(
            handle
                .assets()
                .map_err(call_error("listing its web app files"))?,
        )
        .map_err(invalid)?;
        Ok(RunningModule {
            assets,
            manifest: library.manifest.clone(),
            handle,
            routes,
            collections,
            settings,
        })
    }

    /// Every registered module, in start order (failed ones first).
    pub fn modules(&self) -> &[RegisteredModule] {
        &self.modules
    }

    /// The module called `name`.
    pub fn find(&self, name: &str) -> Option<&RegisteredModule> {
        self.modules.iter().find(|m| m.name == name)
    }

    /// Running modules, in start order.
    pub fn running(&self) -> impl Iterator<Item = &Arc<RunningModule>> {
        self.modules.iter().filter_map(|m| match &m.status {
            ModuleStatus::Running(running) => Some(running),
            ModuleStatus::Failed(_) => None,
        })
    }

    /// Modules that failed.
    pub fn failed(&self) -> impl Iterator<Item = &FailedModule> {
        self.modules.iter().filter_map(|m| match &m.status {
            ModuleStatus::Failed(failed) => Some(failed),
            ModuleStatus::Running(_) => None,
        })
    }

    /// The running module with `alias`.
    pub fn running_by_alias(&self, alias: &str) -> Option<&Arc<RunningModule>> {
        self.running().find(|m| m.alias() == alias)
    }

    /// The running module serving sync collection `name`, and the collection.
    pub fn collection_owner(
        &self,
        name: &str,
    ) -> Option<(&Arc<RunningModule>, &SyncCollectionSpec)> {
        self.running().find_map(|module| {
            module
                .collections
                .iter()
                .find(|c| c.name.as_str() == name)
                .map(|collection| (module, collection))
        })
    }

    /// Drains and stops every running module, dependants first.
    pub async fn shutdown(&self) {
        let running: Vec<&Arc<RunningModule>> = self.running().collect();
        for module in running.into_iter().rev() {
            if let Err(error) = module.handle.shutdown().await {
                tracing::warn!(module = %module.name(), "shutdown failed: {error}");
            }
        }
    }
}

/// Checks a module's public files (paths start with `/`, none twice) and readies them.
fn served_assets(specs: Vec<crate::abi::AssetSpec>) -> Result<Vec<ServedAsset>, String> {
    use sha2::{Digest, Sha256};
    let mut seen = BTreeSet::new();
    specs
        .into_iter()
        .map(|spec| {
            let path = spec.path.into_string();
            if !path.starts_with('/') || path.contains("..") || path.contains('{') {
                return Err(format!(
                    "web app file {path:?} must be a plain path starting with '/'"
                ));
            }
            if !seen.insert(path.clone()) {
                return Err(format!("web app file {path:?} is declared twice"));
            }
            let body = actix_web::web::Bytes::from(spec.body.into_vec());
            Ok(ServedAsset {
                etag: format!("\"{}\"", hex::encode(Sha256::digest(&body))),
                path,
                content_type: spec.content_type.into_string(),
                body,
                service_worker_scope: Some(spec.service_worker_scope.into_string())
                    .filter(|scope| !scope.is_empty()),
            })
        })
        .collect()
}

/// A page's place in the navigation: only a `GET` page can be listed, with a title.
fn navigation(
    spec: &crate::abi::RouteSpec,
    method: Method,
    scope: Scope,
) -> Result<Option<(NavSection, String)>, String> {
    if spec.nav_section.is_empty() {
        return Ok(None);
    }
    let section: NavSection = spec
        .nav_section
        .parse()
        .map_err(|error| format!("route {:?}: {error}", spec.id.as_str()))?;
    if scope != Scope::Page || method != Method::Get || spec.nav_title.trim().is_empty() {
        return Err(format!(
            "route {:?}: only a GET page with a title can be listed in the navigation",
            spec.id.as_str()
        ));
    }
    Ok(Some((section, spec.nav_title.to_string())))
}

fn parse_routes(specs: Vec<crate::abi::RouteSpec>) -> Result<Vec<MountedRoute>, String> {
    let mut seen = BTreeSet::new();
    let mut routes = Vec::with_capacity(specs.len());
    for spec in specs {
        let method: Method = spec
            .method
            .parse()
            .map_err(|error| format!("route {:?}: {error}", spec.id.as_str()))?;
        let scope: Scope = spec
            .scope
            .parse()
            .map_err(|error| format!("route {:?}: {error}", spec.id.as_str()))?;
        if !spec.path.starts_with('/') {
            return Err(format!(
                "route {:?}: path {:?} must start with '/'",
                spec.id.as_str(),
                spec.path.as_str()
            ));
        }
        if !seen.insert((scope.as_str(), method.as_str(), spec.path.to_string())) {
            return Err(format!(
                "route {method} {} is declared twice",
                spec.path.as_str()
            ));
        }
        let schema = |text: &str, what: &str| -> Result<Option<serde_json::Value>, String> {
            if text.is_empty() {
                return Ok(None);
            }
            serde_json::from_str(text).map(Some).map_err(|error| {
                format!(
                    "route {:?}: its {what} schema is not JSON: {error}",
                    spec.id.as_str()
                )
            })
        };
        let request_schema = schema(&spec.request_schema, "request")?;
        let query_schema = schema(&spec.query_schema, "query")?;
        let response_schema = schema(&spec.response_schema, "response")?;
        let navigation = navigation(&spec, method, scope)?;
        routes.push(MountedRoute {
            navigation,
            request_schema,
            query_schema,
            response_schema,
            id: spec.id.into_string(),
            method,
            scope,
            path: spec.path.into_string(),
            permission: spec.permission.into_string(),
            description: spec.description.into_string(),
        });
    }
    Ok(routes)
}
