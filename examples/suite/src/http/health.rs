use super::AppState;
use actix_web::{HttpResponse, web};
use host_sdk::host::{ModuleRegistry, ModuleStatus};
use serde::Serialize;

/// How one enabled module stands: running, unhealthy by its own check, or failed to
/// start (with why).
#[derive(Serialize, schemars::JsonSchema)]
pub struct ModuleReport {
    pub name: String,
    pub alias: Option<String>,
    pub version: Option<String>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Every enabled module's report, asking each running one for its health.
pub async fn module_reports(registry: &ModuleRegistry) -> Vec<ModuleReport> {
    let mut modules = Vec::new();
    for module in registry.modules() {
        modules.push(match &module.status {
            ModuleStatus::Running(running) => {
                let health = running.handle.health().await;
                let (status, reason) = match health {
                    Ok(health) if health.healthy => ("running", None),
                    Ok(health) => ("unhealthy", Some(health.detail.to_string())),
                    Err(error) => ("unhealthy", Some(error.to_string())),
                };
                ModuleReport {
                    name: running.name().to_owned(),
                    alias: Some(running.alias().to_owned()),
                    version: Some(running.version().to_owned()),
                    status,
                    code: None,
                    reason,
                }
            }
            ModuleStatus::Failed(failed) => ModuleReport {
                name: failed.name.clone(),
                alias: failed.alias.clone(),
                version: failed.version.clone(),
                status: "failed",
                code: Some(failed.error.code().to_owned()),
                reason: Some(failed.error.to_string()),
            },
        });
    }
    modules
}

/// What `GET /health` answers.
#[derive(Serialize, schemars::JsonSchema)]
pub struct HealthReport {
    status: &'static str,
    version: &'static str,
    database: &'static str,
    modules: Vec<ModuleReport>,
}

/// `GET /health`: the suite, its database and every enabled module, with the reason of
/// each failure. 200 while the database answers (a failed module degrades, it does not
/// stop the suite); 503 when it does not.
pub async fn get(state: web::Data<AppState>) -> HttpResponse {
    let database_ok = state.db.ping().await.is_ok();
    let modules = module_reports(&state.registry).await;
    let all_running = modules.iter().all(|m| m.status == "running");
    let report = HealthReport {
        status: if database_ok && all_running {
            "ok"
        } else {
            "degraded"
        },
        version: env!("CARGO_PKG_VERSION"),
        database: if database_ok { "ok" } else { "unreachable" },
        modules,
    };
    if database_ok {
        HttpResponse::Ok().json(report)
    } else {
        HttpResponse::ServiceUnavailable().json(report)
    }
}
