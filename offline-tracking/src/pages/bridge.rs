//! Pages are drawn from the same answers the JSON API gives: a page asks the module's own
//! handler, with the page's caller, and reads the answer into the fields it shows. What an
//! administrator sees in the browser is therefore what the API says, and every action a
//! page takes goes through the same checks and the same audit as the API's.

use crate::OfflineTracking;
use crate::api::ApiResult;
use crate::people;
use host_sdk::abi::{ModuleRequest, ModuleResponse, RString, RVec};
use host_sdk::module::IntoModuleResponse;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The page's request as a JSON route would receive it: the same caller, path parameters
/// and settings, with `query` and `body`.
pub fn as_api(request: &ModuleRequest, query: &str, body: Option<&Value>) -> ModuleRequest {
    let mut api = request.clone();
    api.query = RString::from(query);
    api.body = RVec::from(body.map(|b| b.to_string().into_bytes()).unwrap_or_default());
    api
}

/// Reads a JSON route's answer for a page, with employees named; a refusal is the answer
/// the page gives (the host shows its message in the shell, with its status).
pub async fn read<T: DeserializeOwned>(
    ot: &OfflineTracking,
    request: &ModuleRequest,
    answer: ApiResult<ModuleResponse>,
) -> Result<T, ModuleResponse> {
    let answer = answer.into_module_response();
    if !(200..300).contains(&answer.status) {
        return Err(answer);
    }
    let named = people::with_names(&ot.directory, request.principal.organisation_id, answer).await;
    serde_json::from_slice(&named.body).map_err(|error| {
        tracing::error!("a page could not read its module's answer: {error}");
        ModuleResponse::error(500, "page_failed", "this page could not read its data")
    })
}

/// Runs an action for a page and, when it succeeds, sends the browser to `then`.
pub fn after(answer: ApiResult<ModuleResponse>, then: &str) -> ModuleResponse {
    let answer = answer.into_module_response();
    if (200..300).contains(&answer.status) {
        ModuleResponse::see_other(then)
    } else {
        answer
    }
}

/// A JSON object of the form's fields named in `fields`, leaving out empty ones (an
/// optional field left blank is absent, as in the API).
pub fn form_json(request: &ModuleRequest, fields: &[&str]) -> Value {
    let mut object = Map::new();
    for (name, value) in request.form() {
        if fields.contains(&name.as_str()) && !value.trim().is_empty() {
            object.insert(name, Value::String(value));
        }
    }
    Value::Object(object)
}

/// An askama page as a module page answer.
pub fn render(title: &str, page: &impl askama::Template) -> ModuleResponse {
    match page.render() {
        Ok(html) => ModuleResponse::page(200, title, html),
        Err(error) => {
            tracing::error!("rendering {title}: {error}");
            ModuleResponse::error(500, "page_failed", "this page could not be drawn")
        }
    }
}

/// Where the module's pages live.
pub const PAGES: &str = "/modules/offline-tracking";

/// The organisation's time zone, which pages show times in (UTC when the settings cannot
/// be read: the page still shows the right instants, labelled).
pub fn zone(request: &ModuleRequest) -> chrono_tz::Tz {
    request
        .settings
        .parse::<offline_tracking_settings::OfflineTrackingSettings>()
        .map(|settings| settings.zone())
        .unwrap_or(chrono_tz::UTC)
}
