use abi_stable::{
    StableAbi,
    std_types::{RString, RVec},
};

/// What a module says about itself. The host compares it with the `module.toml` it read
/// before opening the library.
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct ModuleManifest {
    /// The module's name, such as `OfflineTracking`.
    pub name: RString,
    /// URL-safe alias used in paths, such as `offline-tracking`.
    pub alias: RString,
    /// The module's own version.
    pub version: RString,
    /// One sentence for `module:list`.
    pub description: RString,
    /// Names of modules that must be enabled first.
    pub requires: RVec<RString>,
    /// Order among modules with no dependency between them: lower starts first.
    pub priority: i32,
    /// Permissions the module's routes use, with the roles that get them by default.
    pub permissions: RVec<PermissionSpec>,
}

/// A permission a module declares, granted at `migrate` to the listed roles.
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct PermissionSpec {
    /// Dotted name such as `offline_tracking.admin`.
    pub name: RString,
    /// What it allows.
    pub description: RString,
    /// Roles that hold it unless an operator changes the grants.
    pub default_roles: RVec<RString>,
}
