//! A module's routes. Each route is one value: method, path, permission, description,
//! the shapes of its request and answer, and the handler that serves it. What a module
//! declares is therefore exactly what it serves; nobody writes a route id, and nothing
//! dispatches on one by hand.

use crate::abi::{ModuleRequest, ModuleResponse, RouteSpec};
use crate::{Method, NavSection, Scope};
use abi_stable::std_types::RString;
use schemars::JsonSchema;
use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc};

/// The future a route's handler returns, boxed so routes of one module fit in one list.
pub type HandlerFuture = Pin<Box<dyn Future<Output = ModuleResponse> + Send>>;

type Handler<M> = Arc<dyn Fn(Arc<M>, ModuleRequest) -> HandlerFuture + Send + Sync>;

/// What a handler may return: an answer, or a result whose both sides are answers (a
/// module's own error type implements this once, and maps to HTTP there).
pub trait IntoModuleResponse {
    /// The answer the host sends.
    fn into_module_response(self) -> ModuleResponse;
}

impl IntoModuleResponse for ModuleResponse {
    fn into_module_response(self) -> ModuleResponse {
        self
    }
}

impl<T: IntoModuleResponse, E: IntoModuleResponse> IntoModuleResponse for Result<T, E> {
    fn into_module_response(self) -> ModuleResponse {
        match self {
            Ok(answer) => answer.into_module_response(),
            Err(answer) => answer.into_module_response(),
        }
    }
}

/// A route to mount, with the handler that serves it.
///
/// The handler receives the module instance and the request; the host has already checked
/// the caller's token and the route's permission.
///
/// ```
/// use host_sdk::{Method, abi::ModuleResponse, module::Route};
///
/// struct Counter;
///
/// let route = Route::admin(Method::Post, "/devices/{id}/approve", |_: std::sync::Arc<Counter>, request| async move {
///     ModuleResponse::json(200, &serde_json::json!({"approved": request.param("id")}))
/// })
/// .permission("offline_tracking.admin")
/// .describe("Approve a device");
/// assert_eq!(route.spec().path.as_str(), "/devices/{id}/approve");
/// assert_eq!(route.spec().id.as_str(), "POST /admin/devices/{id}/approve");
/// ```
pub struct Route<M> {
    spec: RouteSpec,
    handler: Handler<M>,
}

impl<M: Send + Sync + 'static> Route<M> {
    /// A route under `/{scope}/modules/{alias}` + `path`, served by `handler`.
    pub fn new<F, Fut>(scope: Scope, method: Method, path: &str, handler: F) -> Self
    where
        F: Fn(Arc<M>, ModuleRequest) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: IntoModuleResponse,
    {
        let handler: Handler<M> = Arc::new(move |module, request| {
            let answer = handler(module, request);
            Box::pin(async move { answer.await.into_module_response() })
        });
        Self {
            spec: RouteSpec {
                id: route_id(scope, method, path).into(),
                method: method.as_str().into(),
                scope: scope.as_str().into(),
                path: path.into(),
                permission: RString::new(),
                description: RString::new(),
                request_schema: RString::new(),
                query_schema: RString::new(),
                response_schema: RString::new(),
                nav_section: RString::new(),
                nav_title: RString::new(),
            },
            handler,
        }
    }

    /// A route under `/api/modules/{alias}`.
    pub fn api<F, Fut>(method: Method, path: &str, handler: F) -> Self
    where
        F: Fn(Arc<M>, ModuleRequest) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: IntoModuleResponse,
    {
        Self::new(Scope::Api, method, path, handler)
    }

    /// A route under `/admin/modules/{alias}`.
    pub fn admin<F, Fut>(method: Method, path: &str, handler: F) -> Self
    where
        F: Fn(Arc<M>, ModuleRequest) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: IntoModuleResponse,
    {
        Self::new(Scope::Admin, method, path, handler)
    }

    /// An HTML page under `/modules/{alias}` for a signed-in browser: answer with
    /// [`ModuleResponse::page`] (the host puts its shell around it) or
    /// [`ModuleResponse::see_other`] after a form post.
    pub fn page<F, Fut>(method: Method, path: &str, handler: F) -> Self
    where
        F: Fn(Arc<M>, ModuleRequest) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: IntoModuleResponse,
    {
        Self::new(Scope::Page, method, path, handler)
    }

    /// Lists this page in the suite's navigation under `section`, as `title`; the host
    /// shows the link only to people who hold the page's permission.
    pub fn in_navigation(mut self, section: NavSection, title: &str) -> Self {
        self.spec.nav_section = section.as_str().into();
        self.spec.nav_title = title.into();
        self
    }

    /// The permission the host checks before forwarding.
    pub fn permission(mut self, permission: &str) -> Self {
        self.spec.permission = permission.into();
        self
    }

    /// One line for route listings and the API description.
    pub fn describe(mut self, text: &str) -> Self {
        self.spec.description = text.into();
        self
    }

    /// The JSON body this route reads, for the API description.
    pub fn request<T: JsonSchema>(mut self) -> Self {
        self.spec.request_schema = schema_text::<T>().into();
        self
    }

    /// The query parameters this route reads (an object's properties), for the API
    /// description.
    pub fn query<T: JsonSchema>(mut self) -> Self {
        self.spec.query_schema = schema_text::<T>().into();
        self
    }

    /// The JSON body of this route's successful answer, for the API description.
    pub fn response<T: JsonSchema>(mut self) -> Self {
        self.spec.response_schema = schema_text::<T>().into();
        self
    }

    /// What the host is told about this route.
    pub fn spec(&self) -> &RouteSpec {
        &self.spec
    }
}

fn schema_text<T: JsonSchema>() -> String {
    crate::schema::schema_for::<T>().to_string()
}

/// The id the host passes back with each request: unique per method, scope and path, so
/// it follows from the declaration and nobody spells it.
fn route_id(scope: Scope, method: Method, path: &str) -> String {
    format!("{} /{}{path}", method.as_str(), scope.as_str())
}

/// The routes of a module by id, built once from [`Module::routes`](super::Module::routes).
pub(crate) struct RouteTable<M> {
    handlers: HashMap<String, Handler<M>>,
}

impl<M: Send + Sync + 'static> RouteTable<M> {
    pub(crate) fn new(routes: Vec<Route<M>>) -> Self {
        let handlers = routes
            .into_iter()
            .map(|route| (route.spec.id.to_string(), route.handler))
            .collect();
        Self { handlers }
    }

    /// Serves `request` with the handler of the route it matched.
    pub(crate) fn serve(&self, module: Arc<M>, request: ModuleRequest) -> HandlerFuture {
        match self.handlers.get(request.route_id.as_str()) {
            Some(handler) => handler(module, request),
            None => {
                let answer = ModuleResponse::error(
                    404,
                    "unknown_route",
                    format!("this module has no route {}", request.route_id),
                );
                Box::pin(async move { answer })
            }
        }
    }
}
