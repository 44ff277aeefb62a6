//! `GET /metrics`: the Prometheus text format, rendered by the `metrics` ecosystem's
//! exporter. Requests and latency are counted by the access-log middleware, modules'
//! own metrics arrive through host-sdk; module health and the database pool are read
//! when scraped, so they are never stale.

use super::AppState;
use actix_web::{HttpResponse, web};
use host_sdk::host::ModuleStatus;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Latency buckets in seconds: a local read takes milliseconds, a herd of pushes seconds.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Installs the process's metrics recorder; call once, before serving.
pub fn install() -> Result<PrometheusHandle, String> {
    let handle = PrometheusBuilder::new()
        .set_buckets(&LATENCY_BUCKETS)
        .and_then(|builder| builder.install_recorder())
        .map_err(|error| format!("cannot start the metrics recorder: {error}"))?;
    metrics::describe_counter!(
        "http_requests_total",
        "Requests answered, by method, route and status"
    );
    metrics::describe_histogram!(
        "http_request_duration_seconds",
        "Time to answer, by method and route"
    );
    metrics::describe_gauge!(
        "suite_module_up",
        "1 for a module that is running, 0 for one that failed to start"
    );
    metrics::describe_gauge!(
        "suite_db_pool_connections",
        "The suite's database pool: open connections by state"
    );
    Ok(handle)
}

/// Renders every metric, after reading module health and pool use.
pub async fn get(state: web::Data<AppState>) -> HttpResponse {
    for module in state.registry.modules() {
        let up = matches!(module.status, ModuleStatus::Running(_));
        metrics::gauge!("suite_module_up", "module" => module.name.clone()).set(if up {
            1.0
        } else {
            0.0
        });
    }
    if let Some((open, idle)) = pool_use(&state.db) {
        metrics::gauge!("suite_db_pool_connections", "state" => "idle").set(idle as f64);
        metrics::gauge!("suite_db_pool_connections", "state" => "in_use")
            .set(open.saturating_sub(idle) as f64);
    }
    state.metrics.run_upkeep();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}

/// Open and idle connections of the suite's own pool.
fn pool_use(db: &sea_orm::DatabaseConnection) -> Option<(u32, u32)> {
    let sizes = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        sea_orm::DatabaseBackend::MySql => {
            let pool = db.get_mysql_connection_pool();
            (pool.size(), pool.num_idle())
        }
        sea_orm::DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => return None,
    };
    Some((sizes.0, u32::try_from(sizes.1).unwrap_or(u32::MAX)))
}
