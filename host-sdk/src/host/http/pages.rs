//! Modules' HTML pages under `/modules/{alias}`, inside the host's shell.
//!
//! The host says who is signed in and draws its layout ([`PageServices`]); this layer does
//! the rest for every module alike: sign-in and permission checks, the CSRF check on every
//! form post before the module is called, the navigation (only links the person may
//! open), and what to do with each kind of answer (see [`crate::page`]).

use super::{
    ApiError, HostServices, ModuleLayer,
    auth::{authorize, forwarded_headers},
    body::read_limited,
    module_routes::{actix_method, by_path},
    response::to_http,
};
use crate::abi::{KeyValue, ModuleRequest, ModuleResponse, ModuleSettings, Principal};
use crate::host::{ModuleRegistry, MountedRoute, RunningModule};
use crate::page::{CSRF_FIELD, CSRF_HEADER, PAGE_TITLE_HEADER, is_local_path};
use crate::{Method, NavSection, Scope};
use abi_stable::std_types::{RString, RVec};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use std::{collections::BTreeMap, future::Future, sync::Arc};

/// The signed-in person behind a browser request.
#[derive(Clone, Debug)]
pub struct BrowserCaller {
    /// Who they are to modules and permission checks.
    pub principal: Principal,
    /// Their name, for the shell.
    pub display_name: String,
    /// Their session's CSRF token, which every form they post must carry.
    pub csrf_token: String,
}

/// One link of the navigation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavLink {
    /// The section it is listed under.
    pub section: NavSection,
    /// The link's text.
    pub title: String,
    /// Where it leads.
    pub href: String,
}

/// A page for the host to wrap in its layout.
#[derive(Debug)]
pub struct ShellPage<'a> {
    /// Who is looking.
    pub caller: &'a BrowserCaller,
    /// The page's title.
    pub title: String,
    /// The page's HTML, already escaped; `None` for a message page.
    pub html: Option<String>,
    /// A message to show instead of content, such as why the page is refused.
    pub message: Option<String>,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The path asked for, to mark the current link.
    pub path: String,
}

/// What the host supplies for pages, beyond [`HostServices`].
pub trait PageServices: HostServices {
    /// The signed-in person of this request (from its session cookie); `None` when there
    /// is none or it has ended.
    fn signed_in(
        &self,
        request: &HttpRequest,
    ) -> impl Future<Output = Result<Option<BrowserCaller>, ApiError>>;

    /// The host's layout around `page`, with the modules' links `navigation` (the host
    /// adds its own).
    fn shell(
        &self,
        page: ShellPage<'_>,
        navigation: Vec<NavLink>,
    ) -> impl Future<Output = HttpResponse>;

    /// Where a browser without a session is sent.
    fn sign_in_path(&self) -> &str {
        "/sign-in"
    }
}

/// The links of every running module's listed pages that `principal` may open, in the
/// order of [`NavSection::ALL`], then module order.
pub async fn navigation<S: HostServices>(
    registry: &ModuleRegistry,
    services: &S,
    principal: &Principal,
) -> Vec<NavLink> {
    let mut by_section: BTreeMap<NavSection, Vec<NavLink>> = BTreeMap::new();
    for module in registry.running() {
        for route in &module.routes {
            let Some((section, title)) = &route.navigation else {
                continue;
            };
            let permitted = route.permission.is_empty()
                || services
                    .is_permitted(principal, &route.permission)
                    .await
                    .unwrap_or(false);
            if permitted {
                by_section.entry(*section).or_default().push(NavLink {
                    section: *section,
                    title: title.clone(),
                    href: format!("{}{}", Scope::Page.prefix(module.alias()), route.path),
                });
            }
        }
    }
    by_section.into_values().flatten().collect()
}

struct PageTarget {
    module: Arc<RunningModule>,
    route: MountedRoute,
}

/// Mounts every running module's pages, and a "module unavailable" page under each failed
/// module's page prefix.
pub fn configure_pages<S: PageServices>(
    config: &mut web::ServiceConfig,
    registry: Arc<ModuleRegistry>,
    services: Arc<S>,
    limits: super::HttpLimits,
) {
    let layer = Arc::new(ModuleLayer {
        registry,
        services,
        limits,
    });
    for module in layer.registry.running() {
        for (full_path, routes) in by_path(module, |scope| scope == Scope::Page) {
            let mut resource = web::resource(full_path);
            for route in routes {
                let target = Arc::new(PageTarget {
                    module: Arc::clone(module),
                    route: route.clone(),
                });
                let layer = Arc::clone(&layer);
                resource = resource.route(web::method(actix_method(route.method)).to(
                    move |request: HttpRequest, payload: web::Payload| {
                        serve(Arc::clone(&layer), Arc::clone(&target), request, payload)
                    },
                ));
            }
            config.service(resource);
        }
    }
}

async fn serve<S: PageServices>(
    layer: Arc<ModuleLayer<S>>,
    target: Arc<PageTarget>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let services = layer.services.as_ref();
    let caller = match services.signed_in(&request).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return see_other(services.sign_in_path()),
        Err(error) => return plain(&error),
    };
    let shell = Shell {
        layer: &layer,
        caller: &caller,
        path: request.path().to_owned(),
    };
    if let Err(refusal) = authorize(services, &caller.principal, &target.route.permission).await {
        return shell
            .message(
                StatusCode::FORBIDDEN,
                "Not allowed",
                format!("{refusal}. Ask an administrator if you need this page."),
            )
            .await;
    }
    let body = match read_limited(&request, payload, layer.limits.max_body_bytes).await {
        Ok(body) => body,
        Err(error) => return shell.refused(&error).await,
    };
    if target.route.method != Method::Get && !carries_csrf(&body, &caller.csrf_token) {
        tracing::warn!(
            user_id = caller.principal.user_id,
            route = %target.route.id,
            "page form refused: missing or wrong CSRF token"
        );
        return shell
            .message(
                StatusCode::FORBIDDEN,
                "Form refused",
                "This form did not come from your session, so nothing was changed. \
                 Reload the page and try again."
                    .to_owned(),
            )
            .await;
    }
    let settings = match services
        .module_settings(caller.principal.organisation_id, &target.module)
        .await
    {
        Ok(settings) => settings,
        Err(error) => return shell.refused(&error).await,
    };
    let answer = match call(&target, &request, &caller, body, settings).await {
        Ok(answer) => answer,
        Err(error) => return shell.refused(&error).await,
    };
    shell.answer(&target, answer).await
}

/// Whether an urlencoded form body carries the session's CSRF token (compared in
/// constant time).
fn carries_csrf(body: &[u8], expected: &str) -> bool {
    let given = form_urlencoded::parse(body)
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    !expected.is_empty()
        && given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

async fn call(
    target: &PageTarget,
    request: &HttpRequest,
    caller: &BrowserCaller,
    body: Vec<u8>,
    settings: ModuleSettings,
) -> Result<ModuleResponse, ApiError> {
    let prefix = Scope::Page.prefix(target.module.alias());
    let mut headers = forwarded_headers(request);
    headers.retain(|pair| pair.key.as_str() != CSRF_HEADER);
    headers.push(KeyValue::new(CSRF_HEADER, &caller.csrf_token));
    let module_request = ModuleRequest {
        route_id: RString::from(target.route.id.as_str()),
        method: RString::from(target.route.method.as_str()),
        path: RString::from(
            request
                .path()
                .strip_prefix(&prefix)
                .unwrap_or(request.path()),
        ),
        path_params: request
            .match_info()
            .iter()
            .map(|(name, value)| KeyValue::new(name, value))
            .collect(),
        query: RString::from(request.query_string()),
        headers,
        body: RVec::from(body),
        principal: caller.principal.clone(),
        settings,
        request_id: RString::from(super::request_id(request).as_str()),
    };
    target
        .module
        .handle
        .handle(module_request)
        .await
        .map_err(ApiError::from)
}

struct Shell<'a, S> {
    layer: &'a ModuleLayer<S>,
    caller: &'a BrowserCaller,
    path: String,
}

impl<S: PageServices> Shell<'_, S> {
    async fn render(&self, page: ShellPage<'_>) -> HttpResponse {
        let services = self.layer.services.as_ref();
        let links = navigation(&self.layer.registry, services, &self.caller.principal).await;
        services.shell(page, links).await
    }

    async fn message(&self, status: StatusCode, title: &str, message: String) -> HttpResponse {
        self.render(ShellPage {
            caller: self.caller,
            title: title.to_owned(),
            html: None,
            message: Some(message),
            status,
            path: self.path.clone(),
        })
        .await
    }

    async fn refused(&self, error: &ApiError) -> HttpResponse {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let title = status.canonical_reason().unwrap_or("Problem");
        self.message(status, title, error.to_string()).await
    }

    /// What the browser gets for the module's answer.
    async fn answer(&self, target: &PageTarget, answer: ModuleResponse) -> HttpResponse {
        let module = target.module.name();
        let content_type = answer.header("content-type").unwrap_or_default().to_owned();
        if (300..400).contains(&answer.status) {
            return match answer.header("location") {
                Some(location) if is_local_path(location) => see_other(location),
                _ => {
                    tracing::error!(module, "a page redirected off the suite; refused");
                    self.message(
                        StatusCode::BAD_GATEWAY,
                        "Problem",
                        format!("{module} sent the browser somewhere it may not go."),
                    )
                    .await
                }
            };
        }
        let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
        if content_type.starts_with("text/html") {
            let title = answer
                .header(PAGE_TITLE_HEADER)
                .map(str::to_owned)
                .or_else(|| target.route.navigation.as_ref().map(|(_, t)| t.clone()))
                .unwrap_or_else(|| module.to_owned());
            let html = String::from_utf8_lossy(&answer.body).into_owned();
            return self
                .render(ShellPage {
                    caller: self.caller,
                    title,
                    html: Some(html),
                    message: None,
                    status,
                    path: self.path.clone(),
                })
                .await;
        }
        if answer.status >= 400 && content_type.starts_with("application/json") {
            let message = serde_json::from_slice::<crate::ErrorBody>(&answer.body)
                .map(|body| body.message)
                .unwrap_or_else(|_| format!("{module} could not answer."));
            let title = status.canonical_reason().unwrap_or("Problem");
            return self.message(status, title, message).await;
        }
        to_http(module, answer)
    }
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// An answer when even the shell cannot be drawn (the host could not say who is signed in).
fn plain(error: &ApiError) -> HttpResponse {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::RETRY_AFTER, "2"))
        .body(format!("{error}; try again."))
}

#[cfg(test)]
mod tests {
    use super::carries_csrf;

    #[test]
    fn a_form_passes_only_with_the_sessions_own_token() {
        assert!(carries_csrf(b"name=Ada&csrf=csrf_abc", "csrf_abc"));
        assert!(!carries_csrf(b"name=Ada", "csrf_abc"), "missing");
        assert!(!carries_csrf(b"csrf=csrf_abd", "csrf_abc"), "forged");
        assert!(!carries_csrf(b"csrf=csrf_ab", "csrf_abc"), "shorter");
        assert!(
            !carries_csrf(b"csrf=", ""),
            "a session without a token admits nothing"
        );
    }
}
