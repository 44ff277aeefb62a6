//! `GET /api/openapi.json`

use super::{AppState, routes};
use actix_web::{HttpResponse, web};
use host_sdk::host::openapi::{self, Operation};

/// The OpenAPI 3.1 description of every route this process serves: the suite's own, the
/// sync hub's and every running module's.
pub async fn get(state: web::Data<AppState>) -> HttpResponse {
    let operations: Vec<Operation> = routes::operations()
        .into_iter()
        .chain(openapi::hub_operations())
        .chain(openapi::module_operations(&state.registry))
        .collect();
    HttpResponse::Ok().json(openapi::document(
        "Business suite",
        env!("CARGO_PKG_VERSION"),
        &operations,
    ))
}
