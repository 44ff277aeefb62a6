//! `suite serve`

use super::{Failure, connect_migrated};
use crate::directory::SuiteDirectory;
use crate::{
    auth::services::SuiteServices,
    config::SuiteConfig,
    http::{self, AppState},
    modules::{catalog::Catalog, context::init_context},
};
use actix_web::{App, HttpServer};
use host_sdk::host::ModuleRegistry;
use std::{io::Write, sync::Arc};

/// Starts every enabled module and serves until SIGINT or SIGTERM, then drains the
/// modules. A module that fails to start is reported and left out; the suite serves the
/// rest and `/health` says why.
pub fn run(config: SuiteConfig) -> Result<(), Failure> {
    actix_web::rt::System::new().block_on(serve(config))
}

async fn serve(config: SuiteConfig) -> Result<(), Failure> {
    let metrics = http::metrics::install().map_err(|error| anyhow::anyhow!(error))?;
    let db = connect_migrated(&config).await?;
    // Before modules start, so their first question finds it; lookups run on this runtime.
    host_sdk::host::install_directory(Arc::new(SuiteDirectory::new(db.clone())));
    let catalog = Catalog::load(&config.modules.path, &db).await?;
    let (opened, failed) = catalog.open_enabled();
    let registry =
        ModuleRegistry::start(opened, failed, |library| init_context(&config, library)).await;
    for module in registry.running() {
        tracing::info!(
            module = module.name(),
            version = module.version(),
            "module started"
        );
    }
    for module in registry.failed() {
        tracing::error!(module = %module.name, "module not started: {}", module.error);
    }
    let state = AppState {
        db: db.clone(),
        registry: Arc::new(registry),
        services: Arc::new(SuiteServices::new(db)),
        limits: http::limits(&config),
        metrics,
    };
    let app_state = state.clone();
    let server = HttpServer::new(move || {
        App::new()
            .wrap(http::standard_bodies())
            // Outermost, so the access line has the status the client finally gets.
            .wrap(actix_web::middleware::from_fn(
                host_sdk::host::http::access_log,
            ))
            .configure(|routes| http::configure(routes, &app_state))
    })
    .workers(config.server.workers.max(1));
    let address = (config.server.host.as_str(), config.server.port);
    let (server, scheme) = match &config.server.tls {
        Some(tls) => (
            server.bind_rustls_0_23(address, crate::tls::server_config(tls)?),
            "https",
        ),
        None => (server.bind(address), "http"),
    };
    let server = server.map_err(|error| {
        anyhow::anyhow!(
            "cannot listen on {}:{} (server.host/server.port, SUITE__SERVER__PORT): {error}",
            config.server.host,
            config.server.port
        )
    })?;
    for address in server.addrs() {
        // Tests and scripts read this line to learn the port.
        println!("Suite listening on {scheme}://{address}");
    }
    let _ = std::io::stdout().flush();
    let result = server.run().await;
    tracing::info!("stopping modules");
    state.registry.shutdown().await;
    result.map_err(|error| anyhow::anyhow!("the server stopped with an error: {error}").into())
}
