use super::{LoadError, ModuleToml};
use std::path::{Path, PathBuf};

/// One folder of the modules directory and what its `module.toml` says.
#[derive(Debug, Clone)]
pub struct ModuleFolder {
    /// The folder's name (the module's name when installed correctly).
    pub folder_name: String,
    /// The folder.
    pub path: PathBuf,
    /// The parsed `module.toml`, or why it could not be read.
    pub manifest: Result<ModuleToml, LoadError>,
}

/// Lists the module folders of `modules_dir`, sorted by name. A missing directory is an
/// empty list: a suite with no modules installed.
pub fn discover(modules_dir: &Path) -> std::io::Result<Vec<ModuleFolder>> {
    let entries = match std::fs::read_dir(modules_dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut folders = Vec::new();
    for entry in entries {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let path = entry.path();
        folders.push(ModuleFolder {
            folder_name: entry.file_name().to_string_lossy().into_owned(),
            manifest: ModuleToml::read(&path),
            path,
        });
    }
    folders.sort_by(|a, b| a.folder_name.cmp(&b.folder_name));
    Ok(folders)
}
