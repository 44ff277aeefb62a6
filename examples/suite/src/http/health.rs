use super::AppState;
use actix_web::{HttpResponse, web};
use host_sdk::host::ModuleStatus;
use serde::Serialize;

#[derive(Serialize, schemars::JsonSchema)]
struct ModuleReport {
    name: String,
    alias: Option<String>,
    version: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
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
    let mut modules = Vec::new();
    for module in state.registry.modules() {
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
