//! The sync hub: one round trip syncs every module. A push envelope names collections;
//! each collection's payload goes, untouched, to the module that registered it.

use super::{
    ApiError, HostServices, ModuleLayer,
    auth::{authenticate, authorize, forwarded_headers},
    body::read_limited,
};
use crate::{
    ErrorBody,
    abi::{ModuleResponse, Principal, SyncPullCall, SyncPushCall},
    host::RunningModule,
    hub::{CollectionAnswer, HubAnswer, HubPush, PULL_PATH, PUSH_PATH},
};
use abi_stable::std_types::{ROption, RString, RVec};
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use base64::Engine;
use serde_json::value::RawValue;
use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{SystemTime, UNIX_EPOCH},
};

pub use crate::hub::SYNC_PROTOCOL_VERSION;

const CURSOR: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub(crate) fn mount<S: HostServices>(config: &mut web::ServiceConfig, layer: &Arc<ModuleLayer<S>>) {
    let push_layer = Arc::clone(layer);
    let pull_layer = Arc::clone(layer);
    config
        .service(web::resource(PUSH_PATH).route(web::post().to(
            move |request: HttpRequest, payload: web::Payload| {
                push(Arc::clone(&push_layer), request, payload)
            },
        )))
        .service(web::resource(PULL_PATH).route(
            web::get().to(move |request: HttpRequest| pull(Arc::clone(&pull_layer), request)),
        ));
}

/// A collection's answer and the `Retry-After` its module asked for (which becomes the
/// hub's own header when it is the only collection).
struct CollectionOutcome {
    answer: CollectionAnswer<Box<RawValue>>,
    retry_after: Option<String>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

fn check_protocol(version: Option<u32>) -> Result<(), ApiError> {
    match version {
        Some(SYNC_PROTOCOL_VERSION) => Ok(()),
        Some(other) => Err(ApiError::new(
            426,
            "protocol_version_unsupported",
            format!(
                "this suite speaks sync protocol {SYNC_PROTOCOL_VERSION}, the app sent {other}: update the app"
            ),
        )),
        None => Err(ApiError::new(
            426,
            "protocol_version_missing",
            format!(
                "every sync request must name its protocol version ({SYNC_PROTOCOL_VERSION}): update the app"
            ),
        )),
    }
}

/// Finds the module of each named collection and checks the caller may use it, before
/// anything is dispatched: a bad envelope changes nothing.
async fn resolve_collections<'r, S: HostServices>(
    layer: &'r ModuleLayer<S>,
    principal: &Principal,
    names: impl Iterator<Item = &'r str>,
) -> Result<Vec<(&'r str, &'r Arc<RunningModule>)>, ApiError> {
    let mut resolved = Vec::new();
    for name in names {
        let Some((module, collection)) = layer.registry.collection_owner(name) else {
            return Err(ApiError::new(
                422,
                "unknown_collection",
                format!("no running module syncs the collection {name:?}"),
            ));
        };
        authorize(layer.services.as_ref(), principal, &collection.permission).await?;
        resolved.push((name, module));
    }
    Ok(resolved)
}

/// A module's answer as an outcome; a body that is not JSON is the module's fault (502).
fn outcome(module: &str, response: ModuleResponse, has_more: Option<bool>) -> CollectionOutcome {
    let retry_after = response.header("retry-after").map(str::to_owned);
    let text = String::from_utf8(response.body.into_vec()).ok();
    match text.and_then(|text| RawValue::from_string(text).ok()) {
        Some(body) => CollectionOutcome {
            answer: CollectionAnswer {
                status: response.status,
                has_more,
                body,
            },
            retry_after,
        },
        None => {
            tracing::error!(
                module,
                "module answered a sync call with a body that is not JSON"
            );
            failure_outcome(ApiError::new(
                502,
                "module_bad_response",
                format!("the module {module} answered with a body that is not JSON"),
            ))
        }
    }
}

fn failure_outcome(error: ApiError) -> CollectionOutcome {
    let body = ErrorBody::new(error.code(), error.to_string());
    let raw = serde_json::to_string(&body)
        .ok()
        .and_then(|text| RawValue::from_string(text).ok())
        .unwrap_or_else(|| RawValue::NULL.to_owned());
    CollectionOutcome {
        answer: CollectionAnswer {
            status: error.status(),
            has_more: None,
            body: raw,
        },
        retry_after: None,
    }
}

/// 200 when every collection succeeded; a single collection's own status when it was the
/// only one and failed (so a client sees 413 or 503 directly); 207 for a mixed answer.
fn answer(
    cursor: Option<String>,
    has_more: Option<bool>,
    outcomes: BTreeMap<String, CollectionOutcome>,
) -> HttpResponse {
    let failures: Vec<&CollectionOutcome> = outcomes
        .values()
        .filter(|outcome| !(200..300).contains(&outcome.answer.status))
        .collect();
    let status = match (failures.as_slice(), outcomes.len()) {
        ([], _) => StatusCode::OK,
        ([only], 1) => StatusCode::from_u16(only.answer.status).unwrap_or(StatusCode::BAD_GATEWAY),
        _ => StatusCode::MULTI_STATUS,
    };
    let retry_after = match failures.as_slice() {
        [only] if outcomes.len() == 1 => only.retry_after.clone(),
        _ => None,
    };
    let mut response = HttpResponse::build(status);
    if let Some(seconds) = retry_after {
        response.insert_header(("retry-after", seconds));
    }
    response.json(HubAnswer {
        protocol_version: SYNC_PROTOCOL_VERSION,
        server_time_ms: now_ms(),
        cursor,
        has_more,
        collections: outcomes
            .into_iter()
            .map(|(name, outcome)| (name, outcome.answer))
            .collect(),
    })
}

async fn push<S: HostServices>(
    layer: Arc<ModuleLayer<S>>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let services = layer.services.as_ref();
    let principal = authenticate(&request, services).await?;
    let body = read_limited(&request, payload, layer.limits.max_body_bytes).await?;
    let envelope: HubPush<&RawValue> = serde_json::from_slice(&body).map_err(|error| {
        if error.is_data() {
            ApiError::new(
                422,
                "invalid_envelope",
                format!("a sync push is {{\"protocol_version\": {SYNC_PROTOCOL_VERSION}, \"collections\": {{…}}}}: {error}"),
            )
        } else {
            ApiError::new(400, "malformed_json", format!("the request body is not valid JSON: {error}"))
        }
    })?;
    check_protocol(envelope.protocol_version)?;
    if envelope.collections.is_empty() {
        return Err(ApiError::new(
            422,
            "no_collections",
            "the push names no collection",
        ));
    }
    let targets = resolve_collections(
        &layer,
        &principal,
        envelope.collections.keys().map(String::as_str),
    )
    .await?;
    let request_id = super::request_id(&request);
    let headers = forwarded_headers(&request);
    let mut outcomes = BTreeMap::new();
    for (name, module) in targets {
        let settings = services
            .module_settings(principal.organisation_id, module)
            .await?;
        let call = SyncPushCall {
            collection: RString::from(name),
            principal: principal.clone(),
            headers: headers.clone(),
            body: RVec::from(envelope.collections[name].get().as_bytes().to_vec()),
            settings,
            request_id: RString::from(request_id.as_str()),
        };
        let result = match module.handle.sync_push(call).await {
            Ok(response) => outcome(module.name(), response, None),
            Err(error) => {
                tracing::error!(
                    module = module.name(),
                    collection = name,
                    request_id,
                    "sync push failed: {error}"
                );
                failure_outcome(ApiError::from(error))
            }
        };
        outcomes.insert(name.to_owned(), result);
    }
    Ok(answer(None, None, outcomes))
}

struct PullQuery {
    protocol_version: Option<u32>,
    cursor: BTreeMap<String, String>,
    limit: u32,
    collections: Option<Vec<String>>,
}

fn parse_pull_query(query: &str, layer_limits: &super::HttpLimits) -> Result<PullQuery, ApiError> {
    let mut parsed = PullQuery {
        protocol_version: None,
        cursor: BTreeMap::new(),
        limit: layer_limits.default_pull_limit,
        collections: None,
    };
    for (key, value) in crate::query::pairs(query) {
        match key.as_str() {
            "protocol_version" => {
                parsed.protocol_version = Some(value.parse().map_err(|_| {
                    ApiError::new(
                        422,
                        "invalid_protocol_version",
                        "protocol_version must be a number",
                    )
                })?)
            }
            "cursor" if !value.is_empty() => parsed.cursor = decode_cursor(&value)?,
            "cursor" => {}
            "limit" => {
                let limit: u32 = value.parse().unwrap_or(0);
                if limit == 0 || limit > layer_limits.max_pull_limit {
                    return Err(ApiError::new(
                        422,
                        "invalid_limit",
                        format!(
                            "limit must be between 1 and {}",
                            layer_limits.max_pull_limit
                        ),
                    ));
                }
                parsed.limit = limit;
            }
            "collections" => {
                parsed.collections = Some(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|name| !name.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            }
            other => {
                return Err(ApiError::new(
                    422,
                    "unknown_parameter",
                    format!(
                        "a pull takes protocol_version, cursor, limit and collections, not {other:?}"
                    ),
                ));
            }
        }
    }
    Ok(parsed)
}

fn decode_cursor(text: &str) -> Result<BTreeMap<String, String>, ApiError> {
    let invalid = || {
        ApiError::new(
            400,
            "invalid_cursor",
            "the cursor was not made by this suite: start again without one",
        )
    };
    let bytes = CURSOR.decode(text).map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

fn encode_cursor(cursor: &BTreeMap<String, String>) -> String {
    CURSOR.encode(serde_json::to_vec(cursor).unwrap_or_default())
}

async fn pull<S: HostServices>(
    layer: Arc<ModuleLayer<S>>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let services = layer.services.as_ref();
    let principal = authenticate(&request, services).await?;
    let query = parse_pull_query(request.query_string(), &layer.limits)?;
    check_protocol(query.protocol_version)?;
    let targets = match &query.collections {
        Some(names) => {
            resolve_collections(&layer, &principal, names.iter().map(String::as_str)).await?
        }
        None => {
            // Everything the caller may pull.
            let mut all = Vec::new();
            for module in layer.registry.running() {
                for collection in &module.collections {
                    let permitted = collection.permission.is_empty()
                        || services
                            .is_permitted(&principal, &collection.permission)
                            .await?;
                    if permitted {
                        all.push((collection.name.as_str(), module));
                    }
                }
            }
            all
        }
    };
    let request_id = super::request_id(&request);
    let headers = forwarded_headers(&request);
    let mut cursor = query.cursor.clone();
    let mut outcomes = BTreeMap::new();
    let mut has_more = false;
    for (name, module) in targets {
        let settings = services
            .module_settings(principal.organisation_id, module)
            .await?;
        let call = SyncPullCall {
            collection: RString::from(name),
            principal: principal.clone(),
            headers: headers.clone(),
            cursor: query
                .cursor
                .get(name)
                .map(|c| RString::from(c.as_str()))
                .into(),
            limit: query.limit,
            settings,
            request_id: RString::from(request_id.as_str()),
        };
        let result = match module.handle.sync_pull(call).await {
            Ok(page) => {
                let succeeded = (200..300).contains(&page.response.status);
                if succeeded {
                    if let ROption::RSome(next) = &page.next_cursor {
                        cursor.insert(name.to_owned(), next.to_string());
                    }
                    has_more |= page.has_more;
                }
                outcome(
                    module.name(),
                    page.response,
                    Some(succeeded && page.has_more),
                )
            }
            Err(error) => {
                tracing::error!(
                    module = module.name(),
                    collection = name,
                    request_id,
                    "sync pull failed: {error}"
                );
                failure_outcome(ApiError::from(error))
            }
        };
        outcomes.insert(name.to_owned(), result);
    }
    Ok(answer(
        Some(encode_cursor(&cursor)),
        Some(has_more),
        outcomes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let mut cursor = BTreeMap::new();
        cursor.insert("offline_tracking".to_owned(), "42".to_owned());
        assert_eq!(decode_cursor(&encode_cursor(&cursor)).unwrap(), cursor);
        assert_eq!(decode_cursor("not-a-cursor").unwrap_err().status(), 400);
    }

    #[test]
    fn pull_limits_are_bounded() {
        let limits = super::super::HttpLimits::default();
        assert_eq!(
            parse_pull_query("limit=0", &limits)
                .err()
                .map(|e| e.status()),
            Some(422)
        );
        assert_eq!(
            parse_pull_query("limit=5000", &limits)
                .err()
                .map(|e| e.status()),
            Some(422)
        );
        assert_eq!(
            parse_pull_query("limit=10&protocol_version=1", &limits)
                .ok()
                .map(|q| q.limit),
            Some(10)
        );
    }
}
