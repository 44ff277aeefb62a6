use super::LoadError;
use crate::SDK_VERSION;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The `module.toml` beside a module's library, read before the library is opened.
///
/// ```toml
/// name = "OfflineTracking"
/// alias = "offline-tracking"
/// version = "0.1.0"
/// description = "Offline attendance with automatic sync."
/// host_sdk = "0.3"
/// library = "liboffline_tracking.so"
/// requires = []
/// priority = 10
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleToml {
    /// The module's name, also the folder name.
    pub name: String,
    /// URL-safe alias used in paths.
    pub alias: String,
    /// The module's version.
    pub version: String,
    /// One sentence for `module:list`.
    #[serde(default)]
    pub description: String,
    /// The host-sdk version the module was built against (`0.MINOR` or a full version).
    pub host_sdk: String,
    /// The library file, relative to the folder.
    pub library: String,
    /// Modules that must be enabled first.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Start order among independent modules (lower first).
    #[serde(default = "default_priority")]
    pub priority: i32,
}

fn default_priority() -> i32 {
    100
}

impl ModuleToml {
    /// Reads `folder/module.toml`.
    pub fn read(folder: &Path) -> Result<Self, LoadError> {
        let path = folder.join("module.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(LoadError::ManifestMissing {
                    folder: folder.to_path_buf(),
                });
            }
            Err(error) => {
                return Err(LoadError::ManifestInvalid {
                    folder: folder.to_path_buf(),
                    reason: error.to_string(),
                });
            }
        };
        let parsed: Self = toml::from_str(&text).map_err(|error| LoadError::ManifestInvalid {
            folder: folder.to_path_buf(),
            reason: error.message().to_owned(),
        })?;
        parsed.check_fields(folder)?;
        Ok(parsed)
    }

    fn check_fields(&self, folder: &Path) -> Result<(), LoadError> {
        let invalid = |reason: String| LoadError::ManifestInvalid {
            folder: folder.to_path_buf(),
            reason,
        };
        let alias_ok = !self.alias.is_empty()
            && self
                .alias
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !alias_ok {
            return Err(invalid(format!(
                "alias {:?} must be lower-case letters, digits, '-' or '_'",
                self.alias
            )));
        }
        if semver::Version::parse(&self.version).is_err() {
            return Err(invalid(format!(
                "version {:?} is not a semantic version",
                self.version
            )));
        }
        if abi_minor(&self.host_sdk).is_none() {
            return Err(invalid(format!(
                "host_sdk {:?} is not a version such as \"0.1\"",
                self.host_sdk
            )));
        }
        if self.library.contains('/') || self.library.contains("..") {
            return Err(invalid(format!(
                "library {:?} must be a file name inside the module's folder",
                self.library
            )));
        }
        Ok(())
    }

    /// The library's full path.
    pub fn library_path(&self, folder: &Path) -> PathBuf {
        folder.join(&self.library)
    }

    /// Refuses a module whose declared host-sdk ABI differs from the host's.
    pub fn check_sdk(&self) -> Result<(), LoadError> {
        check_sdk_version(&self.name, &self.version, &self.host_sdk)
    }
}

/// The ABI-relevant part of a version: `(major, minor)` for 0.x, `(major, 0)` otherwise.
fn abi_minor(version: &str) -> Option<(u64, u64)> {
    let mut parts = version.trim().split('.');
    let major: u64 = parts.next()?.parse().ok()?;
    let minor: u64 = match parts.next() {
        Some(text) => text.parse().ok()?,
        None => 0,
    };
    Some(if major == 0 { (0, minor) } else { (major, 0) })
}

fn abi_label(version: &str) -> String {
    match abi_minor(version) {
        Some((0, minor)) => format!("0.{minor}"),
        Some((major, _)) => major.to_string(),
        None => version.to_owned(),
    }
}

/// Compares a module's host-sdk version with the host's, with cargo's rule for 0.x: the
/// minor version is the ABI.
pub(crate) fn check_sdk_version(
    name: &str,
    module_version: &str,
    built_with: &str,
) -> Result<(), LoadError> {
    if abi_minor(built_with) == abi_minor(SDK_VERSION) {
        return Ok(());
    }
    Err(LoadError::IncompatibleSdk {
        name: name.to_owned(),
        version: module_version.to_owned(),
        built_with: abi_label(built_with),
        host: abi_label(SDK_VERSION),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minor_version_is_the_abi_for_zero_versions() {
        assert!(check_sdk_version("M", "1.0.0", SDK_VERSION).is_ok());
        let other = format!("0.{}", abi_minor(SDK_VERSION).unwrap().1 + 1);
        let error = check_sdk_version("OfflineTracking", "0.3.0", &other).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "OfflineTracking 0.3.0 was built against host-sdk {other}; this suite has {}: rebuild the module",
                abi_label(SDK_VERSION)
            )
        );
    }

    #[test]
    fn unknown_fields_and_bad_aliases_are_refused() {
        let folder = std::env::temp_dir().join(format!("host-sdk-toml-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("module.toml"),
            "name='A'\nalias='Bad Alias'\nversion='0.1.0'\nhost_sdk='0.1'\nlibrary='liba.so'\n",
        )
        .unwrap();
        let error = ModuleToml::read(&folder).unwrap_err();
        assert!(error.to_string().contains("alias"), "{error}");
        std::fs::write(
            folder.join("module.toml"),
            "name='A'\nalias='a'\nversion='0.1.0'\nhost_sdk='0.1'\nlibrary='liba.so'\ncolour='red'\n",
        )
        .unwrap();
        let error = ModuleToml::read(&folder).unwrap_err();
        assert!(error.to_string().contains("colour"), "{error}");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
