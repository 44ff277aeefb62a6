use super::{
    ApiError, HostServices, ModuleLayer,
    auth::{authenticate, authorize, forwarded_headers},
    body::read_limited,
    response::to_http,
};
use crate::{
    Method, Scope,
    abi::{KeyValue, ModuleRequest},
    host::{MountedRoute, RunningModule},
};
use abi_stable::std_types::{RString, RVec};
use actix_web::{HttpRequest, HttpResponse, http, web};
use std::{collections::BTreeMap, sync::Arc};

struct RouteTarget {
    module: Arc<RunningModule>,
    route: MountedRoute,
    prefix: String,
}

/// The actix-web method of a route's [`Method`].
pub fn actix_method(method: Method) -> http::Method {
    match method {
        Method::Get => http::Method::GET,
        Method::Post => http::Method::POST,
        Method::Put => http::Method::PUT,
        Method::Patch => http::Method::PATCH,
        Method::Delete => http::Method::DELETE,
    }
}

/// `module`'s routes of the scopes `wanted` admits, by full path, so that one actix
/// resource answers every method of a path.
pub(crate) fn by_path(
    module: &RunningModule,
    wanted: impl Fn(Scope) -> bool,
) -> BTreeMap<String, Vec<&MountedRoute>> {
    let mut grouped: BTreeMap<String, Vec<&MountedRoute>> = BTreeMap::new();
    for route in module.routes.iter().filter(|route| wanted(route.scope)) {
        let full_path = format!("{}{}", route.scope.prefix(module.alias()), route.path);
        grouped.entry(full_path).or_default().push(route);
    }
    grouped
}

/// Mounts running modules' routes, grouped by path so one path can answer several methods,
/// and a 503 for everything under a failed module's prefixes.
pub(crate) fn mount<S: HostServices>(config: &mut web::ServiceConfig, layer: &Arc<ModuleLayer<S>>) {
    for module in layer.registry.running() {
        for (full_path, routes) in by_path(module, |scope| scope != Scope::Page) {
            let mut resource = web::resource(full_path);
            for route in routes {
                let target = Arc::new(RouteTarget {
                    module: Arc::clone(module),
                    route: route.clone(),
                    prefix: route.scope.prefix(module.alias()),
                });
                let layer = Arc::clone(layer);
                resource = resource.route(web::method(actix_method(route.method)).to(
                    move |request: HttpRequest, payload: web::Payload| {
                        forward(Arc::clone(&layer), Arc::clone(&target), request, payload)
                    },
                ));
            }
            config.service(resource);
        }
    }
    for failed in layer.registry.failed() {
        let Some(alias) = &failed.alias else { continue };
        let reason = failed.error.to_string();
        for scope in [Scope::Api, Scope::Admin, Scope::Page] {
            let prefix = scope.prefix(alias);
            let reason = reason.clone();
            config.service(
                web::resource([prefix.clone(), format!("{prefix}/{{tail:.*}}")]).to(move || {
                    let reason = reason.clone();
                    async move {
                        Err::<HttpResponse, _>(ApiError::new(503, "module_unavailable", reason))
                    }
                }),
            );
        }
    }
}

async fn forward<S: HostServices>(
    layer: Arc<ModuleLayer<S>>,
    target: Arc<RouteTarget>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let services = layer.services.as_ref();
    // Who and whether first: an unauthorised caller's body is never read and the module
    // is never called.
    let principal = authenticate(&request, services).await?;
    authorize(services, &principal, &target.route.permission).await?;
    let body = read_limited(&request, payload, layer.limits.max_body_bytes).await?;
    let settings = services
        .module_settings(principal.organisation_id, &target.module)
        .await?;
    let request_id = super::request_id(&request);
    let path = request
        .path()
        .strip_prefix(target.prefix.as_str())
        .unwrap_or(request.path());
    let module_request = ModuleRequest {
        route_id: RString::from(target.route.id.as_str()),
        method: RString::from(target.route.method.as_str()),
        path: RString::from(path),
        path_params: request
            .match_info()
            .iter()
            .map(|(name, value)| KeyValue::new(name, value))
            .collect(),
        query: RString::from(request.query_string()),
        headers: forwarded_headers(&request),
        body: RVec::from(body),
        principal,
        settings,
        request_id: RString::from(request_id.as_str()),
    };
    let module_name = target.module.name();
    match target.module.handle.handle(module_request).await {
        Ok(answer) => {
            let mut response = to_http(module_name, answer);
            if let Ok(value) = http::header::HeaderValue::from_str(&request_id) {
                response
                    .headers_mut()
                    .insert(http::header::HeaderName::from_static("x-request-id"), value);
            }
            Ok(response)
        }
        Err(error) => {
            tracing::error!(
                module = module_name,
                route = %target.route.id,
                request_id,
                "module call failed: {error}"
            );
            Err(ApiError::from(error))
        }
    }
}
