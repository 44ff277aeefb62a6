//! The host's side of the contract (feature `host`).
//!
//! The life of a module in a host: [`discover`] the folders of the modules directory,
//! read each [`ModuleToml`] (before any code is opened), [`LoadedLibrary::open`] the
//! library (ABI and version checks, manifest comparison), put them in
//! [`dependency_order`], start them in a [`ModuleRegistry`], and mount their routes and
//! sync collections with [`http::configure`]. Every failure is a [`LoadError`] whose
//! `Display` is the one line an operator reads.

mod directory;
mod discovery;
pub mod http;
mod library;
mod library_file;
mod load_error;
mod log_sink;
mod metrics_sink;
mod module_handle;
mod module_toml;
pub mod openapi;
mod ordering;
mod registry;
mod settings_contract;

pub use directory::{Directory, directory_sink, install_directory, person};
pub use discovery::{ModuleFolder, discover};
pub use library::LoadedLibrary;
pub use load_error::{LoadError, is_module_name};
pub use log_sink::log_sink;
pub use metrics_sink::metrics_sink;
pub use module_handle::ModuleHandle;
pub use module_toml::ModuleToml;
pub use ordering::{DependencyNode, dependency_order};
pub use registry::{
    FailedModule, ModuleRegistry, ModuleStatus, MountedRoute, RegisteredModule, RunningModule,
    ServedAsset,
};
pub use settings_contract::SettingsContract;
