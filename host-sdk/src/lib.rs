//! # host-sdk
//!
//! The stable contract between the business suite (the host) and the modules it loads as
//! dynamic libraries, such as OfflineTracking.
//!
//! * [`abi`]: the `#[repr(C)]` types that cross the boundary, checked by abi_stable when a
//!   library is loaded.
//! * [`ModuleRoot`]: the table of entry points every module exports.
//! * [`module`]: the module author's side: implement [`module::Module`] and call
//!   [`export_module!`] once. The SDK supplies the `extern "C"` shims, the module's own
//!   tokio runtime, panic catching, `FfiFuture` conversion and the log bridge.
//! * `host` (feature `host`): reading `module.toml`, loading libraries, ordering them, the
//!   registry, mounting routes and the sync hub into actix-web, settings validation.
//! * `db` (feature `sea-orm`): the database connection policy and migration helpers that
//!   the host and sea-orm modules share.
//! * `tokens` (feature `tokens`): bearer secrets, random and stored hashed, for host tokens
//!   and module-issued credentials alike.
//!
//! This crate's version is the ABI version: a library loads only into a suite built with
//! the same `0.MINOR` of host-sdk.

#![warn(missing_docs)]

pub mod abi;
mod body;
mod error_body;
pub mod hub;
pub mod module;
pub mod page;
mod query;
mod root_module;
mod routing;
pub mod schema;

#[cfg(feature = "sea-orm")]
pub mod db;
#[cfg(feature = "host")]
pub mod host;
#[cfg(feature = "throttle")]
pub mod throttle;
#[cfg(feature = "tokens")]
pub mod tokens;

pub use error_body::ErrorBody;
pub use root_module::{ModuleRef, ModuleRoot, ModuleRootPrefix, SDK_VERSION};
pub use routing::{Method, NavSection, Scope, UnknownValue};

#[doc(hidden)]
pub mod __private {
    pub use crate::module::root_module;
    pub use crate::root_module::ROOT_MODULE_SYMBOL;
    pub use abi_stable::library::{
        __call_root_module_loader as call_root_module_loader, CheckTypeLayout, LibHeader,
        RootModuleResult,
    };
}

/// Exports a [`module::Module`] implementation as the library's root module.
///
/// Call it once, at the top level of the module crate (a `cdylib`).
///
/// ```text
/// host_sdk::export_module!(OfflineTracking);
/// ```
///
/// The [`module::Module`] documentation has a complete, compiled example.
#[macro_export]
macro_rules! export_module {
    ($module:ty) => {
        // The symbol name is the one abi_stable looks up (see ROOT_MODULE_SYMBOL); it is
        // written out because abi_stable's attribute macro needs the `abi_stable` crate by
        // name, which a module built against host-sdk alone does not have.
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        #[unsafe(no_mangle)]
        pub static _1as_0lib_1header_0root_bmodule_bloader: $crate::__private::LibHeader = {
            extern "C" fn __host_sdk_root_module() -> $crate::__private::RootModuleResult {
                $crate::__private::call_root_module_loader(
                    $crate::__private::root_module::<$module>,
                )
            }
            // SAFETY: the constructor returns the prefix of a `ModuleRoot`, the root module
            // type this header declares.
            unsafe {
                $crate::__private::LibHeader::from_constructor::<$crate::ModuleRef>(
                    __host_sdk_root_module,
                    $crate::__private::CheckTypeLayout::Yes,
                )
            }
        };
    };
}
