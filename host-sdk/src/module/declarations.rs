//! Builders a module author uses to describe the module, its routes and collections.

use crate::abi::{ModuleManifest, PermissionSpec, SyncCollectionSpec};
use abi_stable::std_types::{RString, RVec};
use std::path::PathBuf;

fn rstrings<I: IntoIterator<Item = S>, S: AsRef<str>>(items: I) -> RVec<RString> {
    items
        .into_iter()
        .map(|s| RString::from(s.as_ref()))
        .collect()
}

/// What a module says about itself.
///
/// ```
/// use host_sdk::module::Manifest;
/// let manifest = Manifest::new("Reports", "reports", "1.2.0")
///     .description("Monthly attendance reports.")
///     .requires("OfflineTracking")
///     .priority(20);
/// assert_eq!(manifest.name(), "Reports");
/// ```
#[derive(Clone, Debug)]
pub struct Manifest {
    inner: ModuleManifest,
}

impl Manifest {
    /// A module called `name`, mounted under `alias`, at `version`
    /// (usually `env!("CARGO_PKG_VERSION")`).
    pub fn new(name: &str, alias: &str, version: &str) -> Self {
        Self {
            inner: ModuleManifest {
                name: name.into(),
                alias: alias.into(),
                version: version.into(),
                description: RString::new(),
                requires: RVec::new(),
                priority: 100,
                permissions: RVec::new(),
            },
        }
    }

    /// One sentence for `module:list`.
    pub fn description(mut self, text: &str) -> Self {
        self.inner.description = text.into();
        self
    }

    /// A module that must be enabled before this one.
    pub fn requires(mut self, module_name: &str) -> Self {
        self.inner.requires.push(module_name.into());
        self
    }

    /// Start order among independent modules (lower first; default 100).
    pub fn priority(mut self, priority: i32) -> Self {
        self.inner.priority = priority;
        self
    }

    /// Declares a permission and the roles that hold it by default.
    pub fn permission(mut self, name: &str, description: &str, default_roles: &[&str]) -> Self {
        self.inner.permissions.push(PermissionSpec {
            name: name.into(),
            description: description.into(),
            default_roles: rstrings(default_roles),
        });
        self
    }

    /// The module's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The ABI form of the manifest.
    pub fn into_abi(self) -> ModuleManifest {
        self.inner
    }
}

/// A sync collection served through the hub.
///
/// ```
/// use host_sdk::module::SyncCollection;
/// let collection = SyncCollection::new("offline_tracking").permission("offline_tracking.sync");
/// assert_eq!(collection.into_abi().name.as_str(), "offline_tracking");
/// ```
#[derive(Clone, Debug)]
pub struct SyncCollection {
    inner: SyncCollectionSpec,
}

impl SyncCollection {
    /// A collection called `name` in the hub's envelope.
    pub fn new(name: &str) -> Self {
        Self {
            inner: SyncCollectionSpec {
                name: name.into(),
                permission: RString::new(),
                description: RString::new(),
            },
        }
    }

    /// The permission needed to push or pull it.
    pub fn permission(mut self, permission: &str) -> Self {
        self.inner.permission = permission.into();
        self
    }

    /// One line for listings.
    pub fn describe(mut self, text: &str) -> Self {
        self.inner.description = text.into();
        self
    }

    /// The ABI form of the collection.
    pub fn into_abi(self) -> SyncCollectionSpec {
        self.inner
    }
}

/// What [`Module::init`](super::Module::init) receives.
#[derive(Clone, Debug)]
pub struct ModuleContext {
    /// The suite's database URL.
    pub database_url: String,
    /// A folder the module may write to.
    pub data_dir: PathBuf,
    /// The suite's version.
    pub host_version: String,
    /// Threads of the module's runtime.
    pub worker_threads: u32,
    /// Upper bound for the module's database pool.
    pub max_db_connections: u32,
    /// The host's SQLite library identity (see
    /// [`InitContext::sqlite_library`](crate::abi::InitContext::sqlite_library)).
    pub sqlite_library: u64,
    /// The host's directory of people: display names, and who is an employee of an
    /// organisation.
    pub directory: super::HostDirectory,
}

#[cfg(feature = "sea-orm")]
impl ModuleContext {
    /// Opens the module's own pool on the suite's database, sized as the host allotted.
    ///
    /// On SQLite it first checks that this module runs the host's SQLite library, and
    /// refuses otherwise: a module that bundles its own SQLite would corrupt the shared
    /// file. Build modules with `LIBSQLITE3_SYS_USE_PKG_CONFIG=1` (this workspace's
    /// `.cargo/config.toml` sets it).
    pub async fn connect_database(
        &self,
    ) -> Result<sea_orm::DatabaseConnection, crate::abi::ModuleError> {
        use crate::db::{Backend, sqlite_library};
        if Backend::from_url(&self.database_url) == Some(Backend::Sqlite)
            && self.sqlite_library != sqlite_library()
        {
            return Err(crate::abi::ModuleError::internal(
                "sqlite_library_mismatch",
                "this module carries its own copy of SQLite, which would corrupt the suite's \
                 database file: rebuild it with LIBSQLITE3_SYS_USE_PKG_CONFIG=1 so it links the \
                 system SQLite like the suite",
            ));
        }
        crate::db::connect(&self.database_url, self.max_db_connections)
            .await
            .map_err(|error| {
                crate::abi::ModuleError::internal("database_unavailable", error.to_string())
            })
    }
}
