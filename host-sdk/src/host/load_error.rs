use crate::abi::ModuleError;
use std::path::PathBuf;

/// Why a module cannot be enabled, loaded or started. `Display` is the single line an
/// operator reads in the CLI and in `/health`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// No folder of that name in the modules directory.
    #[error("{name}: no such module in {modules_dir} (expected {modules_dir}/{name}/module.toml)")]
    NotInstalled {
        /// The name asked for.
        name: String,
        /// The modules directory searched.
        modules_dir: String,
    },
    /// Not a plain folder name: refused before anything touches the filesystem, so that
    /// nothing outside the modules folder is ever opened.
    #[error(
        "{name:?} is not a module name: a module is named by its folder in the modules directory (letters, digits, '_' and '-')"
    )]
    InvalidName {
        /// The name given.
        name: String,
    },
    /// The folder has no `module.toml`.
    #[error("{folder}: no module.toml, so this folder is not an installed module")]
    ManifestMissing {
        /// The module's folder.
        folder: PathBuf,
    },
    /// `module.toml` exists but cannot be read or parsed.
    #[error("{folder}/module.toml is invalid: {reason}")]
    ManifestInvalid {
        /// The module's folder.
        folder: PathBuf,
        /// The parser's explanation.
        reason: String,
    },
    /// The library file named by `module.toml` is not there.
    #[error("{name}: library {path} is missing: build the module and copy its library there")]
    LibraryMissing {
        /// The module's name.
        name: String,
        /// Where the library was expected.
        path: PathBuf,
    },
    /// The file exists but the dynamic loader refuses it (corrupt, wrong architecture).
    #[error("{name}: {path} is not a loadable library ({reason}): reinstall the module")]
    NotALibrary {
        /// The module's name.
        name: String,
        /// The library file.
        path: PathBuf,
        /// The loader's explanation.
        reason: String,
    },
    /// A valid library that does not export a host-sdk root module.
    #[error("{name}: {path} is not a suite module (it exports no host-sdk root module)")]
    NotAModule {
        /// The module's name.
        name: String,
        /// The library file.
        path: PathBuf,
    },
    /// Built against another ABI version of host-sdk.
    #[error(
        "{name} {version} was built against host-sdk {built_with}; this suite has {host}: rebuild the module"
    )]
    IncompatibleSdk {
        /// The module's name.
        name: String,
        /// The module's version.
        version: String,
        /// The host-sdk version the module was built with (`0.MINOR`).
        built_with: String,
        /// The host's host-sdk version (`0.MINOR`).
        host: String,
    },
    /// Same version number, different type layout: built from modified SDK sources.
    #[error(
        "{name} {version} was built against a different host-sdk layout than this suite's {host}: rebuild the module ({detail})"
    )]
    LayoutMismatch {
        /// The module's name.
        name: String,
        /// The module's version.
        version: String,
        /// The host's host-sdk version.
        host: String,
        /// The first line of abi_stable's report.
        detail: String,
    },
    /// `module.toml` and the library disagree.
    #[error(
        "{name}: module.toml says {field} {in_toml:?} but the library says {in_library:?}: reinstall the module"
    )]
    ManifestMismatch {
        /// The module's name (from `module.toml`).
        name: String,
        /// The field that differs.
        field: &'static str,
        /// The value in `module.toml`.
        in_toml: String,
        /// The value the library reports.
        in_library: String,
    },
    /// A module this one requires is not enabled.
    #[error("{name} requires {missing}, which is not enabled: enable {missing} first")]
    MissingRequirement {
        /// The module being enabled or started.
        name: String,
        /// The required module.
        missing: String,
    },
    /// A module this one requires failed to start.
    #[error("{name} requires {requirement}, which failed to start")]
    RequirementFailed {
        /// The module that cannot start.
        name: String,
        /// The required module that failed.
        requirement: String,
    },
    /// Modules that require each other.
    #[error("modules {names} require each other: remove the cycle from their requires")]
    DependencyCycle {
        /// The modules in the cycle, comma-separated.
        names: String,
    },
    /// Disabling a module that enabled modules need.
    #[error("{name} is required by {dependents}: disable {dependents} first")]
    RequiredBy {
        /// The module being disabled.
        name: String,
        /// The enabled modules that require it, comma-separated.
        dependents: String,
    },
    /// The database was migrated by a newer version of the module.
    #[error(
        "{name}: the database was migrated by version {installed} but the library is {library}: downgrades are refused, install {installed} or newer"
    )]
    Downgrade {
        /// The module's name.
        name: String,
        /// The version recorded at the last migrate.
        installed: String,
        /// The library's version.
        library: String,
    },
    /// The module's schema is behind its library.
    #[error("{name} has {count} pending migration(s): run `suite migrate`")]
    PendingMigrations {
        /// The module's name.
        name: String,
        /// How many migrations are pending.
        count: usize,
    },
    /// The module declared something the host cannot use (a bad route, a bad schema).
    #[error("{name}: {problem}")]
    InvalidDeclaration {
        /// The module's name.
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// A call into the module failed (init, migration, manifest…).
    #[error("{name}: {action} failed: {error}")]
    ModuleCall {
        /// The module's name.
        name: String,
        /// What the host asked for.
        action: &'static str,
        /// The module's error.
        error: ModuleError,
    },
}

/// Whether `name` can be a module's folder name: 1 to 64 ASCII letters, digits, `_` and
/// `-`, not starting with `-`. Anything else (`..`, a slash, a NUL) could reach outside
/// the modules folder or confuse a shell.
pub fn is_module_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl LoadError {
    /// A stable code for JSON answers (`/health`).
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::NotInstalled { .. } => "not_installed",
            LoadError::InvalidName { .. } => "invalid_name",
            LoadError::ManifestMissing { .. } => "manifest_missing",
            LoadError::ManifestInvalid { .. } => "manifest_invalid",
            LoadError::LibraryMissing { .. } => "library_missing",
            LoadError::NotALibrary { .. } => "not_a_library",
            LoadError::NotAModule { .. } => "not_a_module",
            LoadError::IncompatibleSdk { .. } => "incompatible_sdk",
            LoadError::LayoutMismatch { .. } => "layout_mismatch",
            LoadError::ManifestMismatch { .. } => "manifest_mismatch",
            LoadError::MissingRequirement { .. } => "missing_requirement",
            LoadError::RequirementFailed { .. } => "requirement_failed",
            LoadError::DependencyCycle { .. } => "dependency_cycle",
            LoadError::RequiredBy { .. } => "required_by_others",
            LoadError::Downgrade { .. } => "downgrade_refused",
            LoadError::PendingMigrations { .. } => "pending_migrations",
            LoadError::InvalidDeclaration { .. } => "invalid_declaration",
            LoadError::ModuleCall { .. } => "module_call_failed",
        }
    }
}
