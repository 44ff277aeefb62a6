//! The module's process-wide state: its tokio runtime, its instance and the call gate.
//!
//! Each module library carries its own copy of these statics (the SDK is linked into every
//! library), so two modules in one host never share them.

use super::{Module, ModuleContext, log_bridge, metrics_bridge, route::RouteTable};
use crate::abi::{InitContext, ModuleError};
use abi_stable::std_types::RResult;
use async_ffi::{FfiFuture, FutureExt};
use std::{
    any::Any,
    future::Future,
    panic::{AssertUnwindSafe, catch_unwind},
    path::PathBuf,
    sync::{
        Arc, OnceLock,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
};
use tokio::{runtime::Runtime, sync::Notify};

static RUNTIME: OnceLock<Runtime> = OnceLock::new();
static INSTANCE: OnceLock<Arc<dyn Any + Send + Sync>> = OnceLock::new();
static ROUTES: OnceLock<Box<dyn Any + Send + Sync>> = OnceLock::new();
static GATE: CallGate = CallGate::new();

/// Counts calls in flight so `shutdown` can wait for them, and refuses new ones once
/// shutdown began.
struct CallGate {
    in_flight: AtomicUsize,
    closing: AtomicBool,
    idle: Notify,
}

struct CallGuard;

impl CallGate {
    const fn new() -> Self {
        Self {
            in_flight: AtomicUsize::new(0),
            closing: AtomicBool::new(false),
            idle: Notify::const_new(),
        }
    }

    fn enter(&'static self) -> Option<CallGuard> {
        if self.closing.load(Ordering::SeqCst) {
            return None;
        }
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        // Shutdown may have started between the check and the increment.
        if self.closing.load(Ordering::SeqCst) {
            self.leave();
            return None;
        }
        Some(CallGuard)
    }

    fn leave(&self) {
        if self.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    async fn drained(&self) {
        loop {
            let notified = self.idle.notified();
            tokio::pin!(notified);
            // Register before checking, so a notification between the two is not lost.
            notified.as_mut().enable();
            if self.in_flight.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        GATE.leave();
    }
}

fn ready<T: Send + 'static>(value: Result<T, ModuleError>) -> FfiFuture<RResult<T, ModuleError>> {
    let value: RResult<T, ModuleError> = value.into();
    async move { value }.into_ffi()
}

/// Describes a panic payload for the error message.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

pub(crate) fn panicked(entry_point: &str, payload: &(dyn Any + Send)) -> ModuleError {
    ModuleError::internal(
        "module_panicked",
        format!(
            "the module panicked in {entry_point}: {}",
            panic_message(payload)
        ),
    )
}

/// Runs a synchronous entry point, turning a panic into an error.
pub(crate) fn guard_sync<T>(
    entry_point: &str,
    body: impl FnOnce() -> Result<T, ModuleError>,
) -> RResult<T, ModuleError> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result.into(),
        Err(payload) => RResult::RErr(panicked(entry_point, payload.as_ref())),
    }
}

/// Spawns `future` on the module's runtime and hands back a future the host can poll from
/// any executor. A panic inside becomes a `module_panicked` error.
fn spawn_on_runtime<T, Fut>(
    runtime: &Runtime,
    entry_point: &'static str,
    future: Fut,
) -> FfiFuture<RResult<T, ModuleError>>
where
    T: Send + 'static,
    Fut: Future<Output = Result<T, ModuleError>> + Send + 'static,
{
    let task = runtime.spawn(future);
    async move {
        let result = match task.await {
            Ok(result) => result,
            Err(join_error) if join_error.is_panic() => {
                Err(panicked(entry_point, join_error.into_panic().as_ref()))
            }
            Err(_) => Err(ModuleError::internal(
                "module_call_cancelled",
                format!("the module's runtime stopped during {entry_point}"),
            )),
        };
        RResult::from(result)
    }
    .into_ffi()
}

/// Starts the module: runtime, log bridge, then `M::init` on the runtime.
pub(crate) fn start<M: Module>(context: InitContext) -> FfiFuture<RResult<(), ModuleError>> {
    if INSTANCE.get().is_some() {
        return ready(Err(ModuleError::internal(
            "already_initialised",
            "the module was already initialised in this process",
        )));
    }
    let prepared = catch_unwind(AssertUnwindSafe(|| {
        let manifest = M::manifest().into_abi();
        log_bridge::install(context.log_sink, context.log_level, &manifest.name);
        metrics_bridge::install(context.metrics_sink, &manifest.name);
        let threads = context.worker_threads.max(1) as usize;
        let thread_name = format!("{}-worker", manifest.alias);
        let runtime = RUNTIME.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(threads)
                .thread_name(thread_name)
                .enable_all()
                .build()
                .unwrap_or_else(|error| panic!("cannot start the module's runtime: {error}"))
        });
        let module_context = ModuleContext {
            database_url: context.database_url.to_string(),
            data_dir: PathBuf::from(context.data_dir.as_str()),
            host_version: context.host_version.to_string(),
            worker_threads: context.worker_threads,
            max_db_connections: context.max_db_connections.max(1),
            sqlite_library: context.sqlite_library,
            directory: super::HostDirectory::new(context.directory),
        };
        // Built once: each request then finds its handler by the id its declaration made.
        let _ = ROUTES.set(Box::new(RouteTable::new(M::routes())));
        (runtime, module_context)
    }));
    let (runtime, module_context) = match prepared {
        Ok(prepared) => prepared,
        Err(payload) => return ready(Err(panicked("init", payload.as_ref()))),
    };
    spawn_on_runtime(runtime, "init", async move {
        let instance = M::init(module_context).await?;
        INSTANCE
            .set(Arc::new(instance))
            .map_err(|_| ModuleError::internal("already_initialised", "init ran twice"))?;
        tracing::debug!("module initialised");
        Ok(())
    })
}

/// The module's routes with their handlers, built when the module started.
pub(crate) fn route_table<M: Module>() -> Result<&'static RouteTable<M>, ModuleError> {
    ROUTES
        .get()
        .and_then(|table| table.downcast_ref::<RouteTable<M>>())
        .ok_or_else(|| {
            ModuleError::new(
                503,
                "module_not_initialised",
                "a request arrived before the module started",
            )
        })
}

/// Runs `call` against the initialised module on its runtime.
pub(crate) fn call<M, T, Fut>(
    entry_point: &'static str,
    call: impl FnOnce(Arc<M>) -> Fut,
) -> FfiFuture<RResult<T, ModuleError>>
where
    M: Module,
    T: Send + 'static,
    Fut: Future<Output = Result<T, ModuleError>> + Send + 'static,
{
    let Some(guard) = GATE.enter() else {
        return ready(Err(ModuleError::new(
            503,
            "module_shutting_down",
            "the module is shutting down",
        )));
    };
    let (Some(runtime), Some(instance)) = (RUNTIME.get(), INSTANCE.get()) else {
        return ready(Err(ModuleError::new(
            503,
            "module_not_initialised",
            format!("{entry_point} was called before init"),
        )));
    };
    let Ok(instance) = Arc::clone(instance).downcast::<M>() else {
        return ready(Err(ModuleError::internal(
            "module_type_mismatch",
            "the module instance has an unexpected type",
        )));
    };
    let future = match catch_unwind(AssertUnwindSafe(|| call(instance))) {
        Ok(future) => future,
        Err(payload) => return ready(Err(panicked(entry_point, payload.as_ref()))),
    };
    spawn_on_runtime(runtime, entry_point, async move {
        // The guard lives as long as the call, so shutdown waits for it.
        let _guard = guard;
        future.await
    })
}

/// Refuses new calls, waits for running ones, then lets the module release its resources.
pub(crate) fn stop<M: Module>() -> FfiFuture<RResult<(), ModuleError>> {
    GATE.closing.store(true, Ordering::SeqCst);
    let Some(runtime) = RUNTIME.get() else {
        return ready(Ok(()));
    };
    let instance = INSTANCE
        .get()
        .and_then(|instance| Arc::clone(instance).downcast::<M>().ok());
    spawn_on_runtime(runtime, "shutdown", async move {
        GATE.drained().await;
        if let Some(instance) = instance {
            instance.shutdown().await;
        }
        tracing::debug!("module shut down");
        Ok(())
    })
}
