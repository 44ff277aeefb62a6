use crate::entities::installed_module;
use host_sdk::host::{LoadError, LoadedLibrary};

/// Refuses a library older than the version whose migrations last ran: its code would run
/// against a schema it does not know.
pub fn refuse_downgrade(
    row: Option<&installed_module::Model>,
    library: &LoadedLibrary,
) -> Result<(), LoadError> {
    let Some(installed) = row.and_then(|row| row.migrated_version.as_deref()) else {
        return Ok(());
    };
    let (Ok(installed_version), Ok(library_version)) = (
        semver::Version::parse(installed),
        semver::Version::parse(&library.toml.version),
    ) else {
        return Ok(());
    };
    if library_version < installed_version {
        return Err(LoadError::Downgrade {
            name: library.toml.name.clone(),
            installed: installed.to_owned(),
            library: library.toml.version.clone(),
        });
    }
    Ok(())
}
