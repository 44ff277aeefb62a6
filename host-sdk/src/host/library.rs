use super::{LoadError, ModuleHandle, ModuleToml, library_file, module_toml::check_sdk_version};
use crate::{ModuleRef, SDK_VERSION, abi::ModuleManifest};
use abi_stable::library::{LibraryError, lib_header_from_path};
use std::path::{Path, PathBuf};

/// A module library that passed every check before start: `module.toml`, the ABI version,
/// the type layout, and agreement between `module.toml` and what the library says.
///
/// Opening a library runs none of the module's code beyond building its entry-point table;
/// `init` is a separate step. Libraries are never unloaded.
#[derive(Clone)]
pub struct LoadedLibrary {
    /// The module's folder.
    pub folder: PathBuf,
    /// What `module.toml` says.
    pub toml: ModuleToml,
    /// What the library says about itself.
    pub manifest: ModuleManifest,
    /// Calls into the library.
    pub handle: ModuleHandle,
}

impl std::fmt::Debug for LoadedLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedLibrary")
            .field("folder", &self.folder)
            .field("toml", &self.toml)
            .finish_non_exhaustive()
    }
}

impl LoadedLibrary {
    /// Opens the library of the module in `folder`.
    ///
    /// Each library is opened through its own `LibHeader`, never through
    /// `RootModule::load_from_*`: those cache the first module of a root-module type in a
    /// static and would hand every later module the first one's entry points.
    pub fn open(folder: &Path, toml: ModuleToml) -> Result<Self, LoadError> {
        toml.check_sdk()?;
        let path = toml.library_path(folder);
        if !path.is_file() {
            return Err(LoadError::LibraryMissing {
                name: toml.name.clone(),
                path,
            });
        }
        library_file::check_complete(&path).map_err(|reason| LoadError::NotALibrary {
            name: toml.name.clone(),
            path: path.clone(),
            reason,
        })?;
        let header =
            lib_header_from_path(&path).map_err(|error| map_library_error(&toml, &path, error))?;
        // The library's own record of the host-sdk it was built with: module.toml may lie.
        let built_with = header.version_strings().version.to_string();
        check_sdk_version(&toml.name, &toml.version, &built_with)?;
        let root = header
            .init_root_module::<ModuleRef>()
            .map_err(|error| map_library_error(&toml, &path, error))?;
        let handle = ModuleHandle::new(root);
        let manifest = handle.manifest().map_err(|error| LoadError::ModuleCall {
            name: toml.name.clone(),
            action: "reading its manifest",
            error,
        })?;
        compare_manifests(&toml, &manifest)?;
        Ok(Self {
            folder: folder.to_path_buf(),
            toml,
            manifest,
            handle,
        })
    }
}

fn compare_manifests(toml: &ModuleToml, manifest: &ModuleManifest) -> Result<(), LoadError> {
    let mismatch = |field: &'static str, in_toml: String, in_library: String| {
        Err(LoadError::ManifestMismatch {
            name: toml.name.clone(),
            field,
            in_toml,
            in_library,
        })
    };
    if manifest.name.as_str() != toml.name {
        return mismatch("name", toml.name.clone(), manifest.name.to_string());
    }
    if manifest.alias.as_str() != toml.alias {
        return mismatch("alias", toml.alias.clone(), manifest.alias.to_string());
    }
    if manifest.version.as_str() != toml.version {
        return mismatch(
            "version",
            toml.version.clone(),
            manifest.version.to_string(),
        );
    }
    let mut in_toml = toml.requires.clone();
    let mut in_library: Vec<String> = manifest.requires.iter().map(|r| r.to_string()).collect();
    in_toml.sort();
    in_library.sort();
    if in_toml != in_library {
        return mismatch("requires", in_toml.join(", "), in_library.join(", "));
    }
    Ok(())
}

/// Maps abi_stable's loader errors to one operator line.
pub(crate) fn map_library_error(toml: &ModuleToml, path: &Path, error: LibraryError) -> LoadError {
    match error {
        LibraryError::OpenError { err, .. } => LoadError::NotALibrary {
            name: toml.name.clone(),
            path: path.to_path_buf(),
            reason: first_line(&err.to_string()),
        },
        LibraryError::GetSymbolError { .. } => LoadError::NotAModule {
            name: toml.name.clone(),
            path: path.to_path_buf(),
        },
        LibraryError::IncompatibleVersionNumber { actual_version, .. } => {
            LoadError::IncompatibleSdk {
                name: toml.name.clone(),
                version: toml.version.clone(),
                built_with: format!("{}.{}", actual_version.major, actual_version.minor),
                host: sdk_label(),
            }
        }
        LibraryError::InvalidAbiHeader(header) => LoadError::IncompatibleSdk {
            name: toml.name.clone(),
            version: toml.version.clone(),
            built_with: format!(
                "a host-sdk on abi_stable {}.{}",
                header.abi_major, header.abi_minor
            ),
            host: sdk_label(),
        },
        other => LoadError::LayoutMismatch {
            name: toml.name.clone(),
            version: toml.version.clone(),
            host: sdk_label(),
            detail: first_line(&other.to_string()),
        },
    }
}

fn sdk_label() -> String {
    let mut parts = SDK_VERSION.split('.');
    match (parts.next(), parts.next()) {
        (Some("0"), Some(minor)) => format!("0.{minor}"),
        (Some(major), _) => major.to_owned(),
        _ => SDK_VERSION.to_owned(),
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("no detail")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use abi_stable::sabi_types::VersionNumber;

    fn toml() -> ModuleToml {
        ModuleToml {
            name: "OfflineTracking".into(),
            alias: "offline-tracking".into(),
            version: "0.3.0".into(),
            description: String::new(),
            host_sdk: "0.3".into(),
            library: "liboffline_tracking.so".into(),
            requires: vec![],
            priority: 10,
        }
    }

    #[test]
    fn abi_stables_version_error_becomes_the_operator_line() {
        let error = LibraryError::IncompatibleVersionNumber {
            library_name: "host_sdk_module",
            expected_version: VersionNumber {
                major: 0,
                minor: 4,
                patch: 0,
            },
            actual_version: VersionNumber {
                major: 0,
                minor: 2,
                patch: 1,
            },
        };
        let line = map_library_error(&toml(), Path::new("x.so"), error).to_string();
        assert_eq!(
            line,
            format!(
                "OfflineTracking 0.3.0 was built against host-sdk 0.2; this suite has {}: rebuild the module",
                sdk_label()
            )
        );
    }
}
