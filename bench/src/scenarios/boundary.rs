//! Boundary: what calling a handler across the module boundary costs. One actix-web app,
//! built here from the suite's own parts (its configuration, module catalog, module
//! context and services), serves the same trivial handler twice: inside the loaded Probe
//! library (`GET /api/modules/probe/items/{id}`), and compiled into the app
//! (`GET /native/items/{id}`). Both authenticate the bearer token through the suite's
//! services, check the (empty) permission and read the module's settings, then answer
//! `{"id": …}`; only the module's call crosses the boundary. They take turns under the
//! same load.

use crate::Size;
use crate::report::{Latencies, Report, per_second};
use crate::server::BenchSuite;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::{Context, anyhow, bail};
use futures_util::{StreamExt, stream};
use host_sdk::host::http::{HostServices, HttpLimits, authenticate, authorize};
use host_sdk::host::{ModuleRegistry, RunningModule};
use std::sync::Arc;
use std::time::{Duration, Instant};
use suite::auth::services::SuiteServices;
use suite::config::SuiteConfig;
use suite::modules::{catalog::Catalog, context::init_context};
use suite_harness::Module;

const MODULE_PATH: &str = "/api/modules/probe/items/42";
const NATIVE_PATH: &str = "/native/items/42";
/// Turns each side takes, so drift in the machine's speed hits both alike.
const ROUNDS: usize = 4;

pub async fn run(size: Size, database_url: Option<String>) -> anyhow::Result<Report> {
    let requests = size.pick(40_000, 2_000);
    let concurrency = 16;
    let mut suite = BenchSuite::start(database_url, &[Module::Hello, Module::Probe]).await?;
    let token = suite.employees(1).await?.remove(0).token;
    let base_url = serve_twins(&suite)?;
    let client = super::client(concurrency)?;
    // Warm both up: connections, the modules' runtime, the database pool.
    for path in [MODULE_PATH, NATIVE_PATH] {
        load(&client, &base_url, path, &token, 500, concurrency).await?;
    }
    let (mut module, mut native) = (Vec::new(), Vec::new());
    let (mut module_time, mut native_time) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..ROUNDS {
        let (elapsed, samples) = load(
            &client,
            &base_url,
            MODULE_PATH,
            &token,
            requests / ROUNDS,
            concurrency,
        )
        .await?;
        module_time += elapsed;
        module.extend(samples);
        let (elapsed, samples) = load(
            &client,
            &base_url,
            NATIVE_PATH,
            &token,
            requests / ROUNDS,
            concurrency,
        )
        .await?;
        native_time += elapsed;
        native.extend(samples);
    }
    let (module_count, native_count) = (module.len(), native.len());
    let (module, native) = (Latencies::new(module), Latencies::new(native));
    Ok(Report::new("boundary")
        .add("database", suite.backend_name())
        .add("requests", requests)
        .add("concurrency", concurrency)
        .ms("module_p50_ms", module.median())
        .ms("module_p99_ms", module.percentile(99.0))
        .ms("native_p50_ms", native.median())
        .ms("native_p99_ms", native.percentile(99.0))
        .add(
            "module_per_s",
            format!("{:.0}", per_second(module_count, module_time)),
        )
        .add(
            "native_per_s",
            format!("{:.0}", per_second(native_count, native_time)),
        )
        .ratio(
            "ratio_p50",
            module.median().as_secs_f64() / native.median().as_secs_f64().max(f64::EPSILON),
        )
        .ratio(
            "ratio_p99",
            module.percentile(99.0).as_secs_f64()
                / native.percentile(99.0).as_secs_f64().max(f64::EPSILON),
        ))
}

/// `count` GETs of `path`, `concurrency` at a time; every one must be answered 200.
async fn load(
    client: &reqwest::Client,
    base_url: &str,
    path: &str,
    token: &str,
    count: usize,
    concurrency: usize,
) -> anyhow::Result<(Duration, Vec<Duration>)> {
    let url = format!("{base_url}{path}");
    let started = Instant::now();
    let answers: Vec<anyhow::Result<Duration>> = stream::iter(0..count)
        .map(|_| {
            let request = client.get(&url).bearer_auth(token);
            async move {
                let sent = Instant::now();
                let response = request.send().await?;
                let status = response.status();
                response.bytes().await?;
                if !status.is_success() {
                    bail!("{path} was answered {status}");
                }
                Ok(sent.elapsed())
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let elapsed = started.elapsed();
    Ok((elapsed, answers.into_iter().collect::<anyhow::Result<_>>()?))
}

/// What the compiled-in twin needs: the suite's services and the module whose settings
/// it reads, as the module route does.
struct Native {
    services: Arc<SuiteServices>,
    module: Arc<RunningModule>,
}

/// The compiled-in twin of Probe's `GET /items/{id}`.
async fn native_item(
    request: HttpRequest,
    id: web::Path<String>,
    native: web::Data<Native>,
) -> Result<HttpResponse, host_sdk::host::http::ApiError> {
    let principal = authenticate(&request, native.services.as_ref()).await?;
    authorize(native.services.as_ref(), &principal, "").await?;
    native
        .services
        .module_settings(principal.organisation_id, &native.module)
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"id": id.into_inner()})))
}

/// Serves the twins on a thread of their own (actix-web runs its own runtime) and
/// answers their base URL.
fn serve_twins(suite: &BenchSuite) -> anyhow::Result<String> {
    let mut config = SuiteConfig::load(None)?;
    config.database.url = suite.home.database.url.clone();
    config.modules.path = suite.home.path().join("modules");
    config.data_dir = suite.home.path().join("data");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let started = sender.clone();
        let served = actix_web::rt::System::new().block_on(async move {
            let db = host_sdk::db::connect(&config.database.url, config.database.max_connections)
                .await?;
            let catalog = Catalog::load(&config.modules.path, &db).await?;
            let (opened, failed) = catalog.open_enabled();
            let registry = Arc::new(
                ModuleRegistry::start(opened, failed, |library| init_context(&config, library))
                    .await,
            );
            let module = registry
                .running_by_alias("probe")
                .cloned()
                .ok_or_else(|| anyhow!("the Probe module did not start"))?;
            let services = Arc::new(SuiteServices::new(db));
            let native = web::Data::new(Native {
                services: services.clone(),
                module,
            });
            let server = HttpServer::new(move || {
                let (registry, services) = (registry.clone(), services.clone());
                App::new()
                    .app_data(native.clone())
                    .configure(move |routes| {
                        host_sdk::host::http::configure(
                            routes,
                            registry,
                            services,
                            HttpLimits::default(),
                        )
                    })
                    .route("/native/items/{id}", web::get().to(native_item))
            })
            .workers(config.server.workers.max(1))
            .bind(("127.0.0.1", 0))?;
            let address = server
                .addrs()
                .first()
                .copied()
                .context("the twins' server has no address")?;
            let _ = started.send(Ok(format!("http://{address}")));
            server.run().await?;
            anyhow::Ok(())
        });
        if let Err(error) = served {
            let _ = sender.send(Err(error));
        }
    });
    receiver
        .recv_timeout(Duration::from_secs(60))
        .context("the twins' server did not start")?
}
