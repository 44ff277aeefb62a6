use super::version_guard;
use crate::entities::installed_module;
use host_sdk::host::{FailedModule, LoadError, LoadedLibrary, ModuleFolder, ModuleToml, discover};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use std::path::{Path, PathBuf};

/// The modules folder and the `installed_modules` table side by side.
pub struct Catalog {
    /// The modules folder.
    pub modules_dir: PathBuf,
    /// Its sub-folders, sorted by name.
    pub folders: Vec<ModuleFolder>,
    /// What the database records.
    pub rows: Vec<installed_module::Model>,
}

impl Catalog {
    /// Reads the folder and the table.
    pub async fn load(modules_dir: &Path, db: &DatabaseConnection) -> anyhow::Result<Self> {
        let folders = discover(modules_dir).map_err(|error| {
            anyhow::anyhow!(
                "cannot read the modules folder {}: {error}",
                modules_dir.display()
            )
        })?;
        let rows = installed_module::Entity::find().all(db).await?;
        Ok(Self {
            modules_dir: modules_dir.to_path_buf(),
            folders,
            rows,
        })
    }

    /// The database row of module `name`.
    pub fn row(&self, name: &str) -> Option<&installed_module::Model> {
        self.rows.iter().find(|row| row.name == name)
    }

    /// Names of enabled modules.
    pub fn enabled_names(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|row| row.is_enabled())
            .map(|row| row.name.clone())
            .collect()
    }

    /// Reads `module.toml` of the installed module `name`.
    pub fn manifest(&self, name: &str) -> Result<ModuleToml, LoadError> {
        read_installed_manifest(&self.modules_dir, name)
    }

    /// Opens the library of the installed module `name` (a dry load: no init) and checks
    /// it is not older than what last migrated the database.
    pub fn open(&self, name: &str) -> Result<LoadedLibrary, LoadError> {
        let manifest = self.manifest(name)?;
        let library = LoadedLibrary::open(&self.modules_dir.join(name), manifest)?;
        version_guard::refuse_downgrade(self.row(name), &library)?;
        Ok(library)
    }

    /// Opens every enabled module; those that cannot be opened come back as failures.
    pub fn open_enabled(&self) -> (Vec<LoadedLibrary>, Vec<FailedModule>) {
        let mut opened = Vec::new();
        let mut failed = Vec::new();
        for row in self.rows.iter().filter(|row| row.is_enabled()) {
            match self.open(&row.name) {
                Ok(library) => opened.push(library),
                Err(error) => failed.push(FailedModule {
                    name: row.name.clone(),
                    alias: Some(row.alias.clone()),
                    version: Some(row.version.clone()),
                    error,
                }),
            }
        }
        (opened, failed)
    }
}

/// `module.toml` of `modules_dir/name`, insisting the folder and the manifest agree on the
/// name (the folder name is how operators address a module).
pub fn read_installed_manifest(modules_dir: &Path, name: &str) -> Result<ModuleToml, LoadError> {
    if !host_sdk::host::is_module_name(name) {
        return Err(LoadError::InvalidName {
            name: name.to_owned(),
        });
    }
    let folder = modules_dir.join(name);
    if !folder.is_dir() {
        return Err(LoadError::NotInstalled {
            name: name.to_owned(),
            modules_dir: modules_dir.display().to_string(),
        });
    }
    let manifest = ModuleToml::read(&folder)?;
    if manifest.name != name {
        return Err(LoadError::ManifestInvalid {
            folder,
            reason: format!(
                "it names the module {:?} but sits in the folder {name:?}: the folder must carry the module's name",
                manifest.name
            ),
        });
    }
    Ok(manifest)
}

/// Loads the rows of `installed_modules` (for callers without a catalog).
pub async fn installed_rows(
    db: &DatabaseConnection,
) -> Result<Vec<installed_module::Model>, DbErr> {
    installed_module::Entity::find().all(db).await
}
