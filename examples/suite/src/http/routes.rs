//! The suite's own routes, each one value: method, path, who may call it, its schemas and
//! how it is served. The server mounts this list and the API description lists it, so the
//! two cannot disagree.

use super::{auth_token, browser, health, metrics, openapi, settings, settings_patch};
use actix_web::{Route, web};
use host_sdk::Method;
use host_sdk::host::openapi::{Access, Operation};
use host_sdk::schema::schema_for;
use serde_json::{Map, Value};

/// One of the suite's own routes.
pub struct SuiteRoute {
    method: Method,
    path: &'static str,
    summary: &'static str,
    access: Access,
    request: fn() -> Option<Value>,
    response: fn() -> Option<Value>,
    content_type: &'static str,
    serve: fn(Route) -> Route,
}

fn none() -> Option<Value> {
    None
}

fn settings_object() -> Option<Value> {
    Some(schema_for::<Map<String, Value>>())
}

fn settings_view() -> Option<Value> {
    Some(schema_for::<settings::SettingsView>())
}

/// Every route the suite itself serves (the sync hub and modules' routes come from
/// host-sdk and the modules).
pub const SUITE_ROUTES: &[SuiteRoute] = &[
    SuiteRoute {
        method: Method::Get,
        path: "/health",
        summary: "The suite, its database and every enabled module",
        access: Access::Public,
        request: none,
        response: || Some(schema_for::<health::HealthReport>()),
        content_type: "application/json",
        serve: |route| route.to(health::get),
    },
    SuiteRoute {
        method: Method::Get,
        path: "/metrics",
        summary: "Requests, latency, module health, database pool and modules' own metrics, in the Prometheus text format",
        access: Access::Public,
        request: none,
        response: || Some(schema_for::<String>()),
        content_type: "text/plain",
        serve: |route| route.to(metrics::get),
    },
    SuiteRoute {
        method: Method::Get,
        path: "/api/openapi.json",
        summary: "This description: every route of the suite and of every running module",
        access: Access::Public,
        request: none,
        response: || Some(schema_for::<Map<String, Value>>()),
        content_type: "application/json",
        serve: |route| route.to(openapi::get),
    },
    SuiteRoute {
        method: Method::Get,
        path: "/",
        summary: "The signed-in home page (the sign-in page for anyone else)",
        access: Access::Public,
        request: none,
        response: none,
        content_type: "text/html",
        serve: |route| route.to(browser::home::show),
    },
    SuiteRoute {
        method: Method::Get,
        path: "/sign-in",
        summary: "The sign-in form",
        access: Access::Public,
        request: none,
        response: none,
        content_type: "text/html",
        serve: |route| route.to(browser::sign_in::show),
    },
    SuiteRoute {
        method: Method::Post,
        path: "/sign-in",
        summary: "Sign in with e-mail and password (a form post with its CSRF token); starts a browser session",
        access: Access::Public,
        request: none,
        response: none,
        content_type: "text/html",
        serve: |route| route.to(browser::sign_in::submit),
    },
    SuiteRoute {
        method: Method::Post,
        path: "/sign-out",
        summary: "End this browser session (a form post with the session's CSRF token)",
        access: Access::Public,
        request: none,
        response: none,
        content_type: "text/html",
        serve: |route| route.to(browser::sign_out::submit),
    },
    SuiteRoute {
        method: Method::Get,
        path: "/settings/modules",
        summary: "Settings > Modules: every installed module with its version, status, migrations and health",
        access: Access::Public,
        request: none,
        response: none,
        content_type: "text/html",
        serve: |route| route.to(browser::home::show),
    },
    SuiteRoute {
        method: Method::Get,
        path: "/settings/modules/{alias}",
        summary: "Settings > Modules > {Module}: a form made from the module's settings schema",
        access: Access::Public,
        request: none,
        response: none,
        content_type: "text/html",
        serve: |route| route.to(browser::module_settings::show),
    },
    SuiteRoute {
        method: Method::Post,
        path: "/settings/modules/{alias}",
        summary: "Save the fields of the settings form that changed (a form post with the session's CSRF token)",
        access: Access::Public,
        request: none,
        response: none,
        content_type: "text/html",
        serve: |route| route.to(browser::module_settings::submit),
    },
    SuiteRoute {
        method: Method::Post,
        path: "/api/auth/token",
        summary: "Sign in with login and password and get a bearer token for the JSON API",
        access: Access::Public,
        request: || Some(schema_for::<auth_token::TokenRequest>()),
        response: || Some(schema_for::<auth_token::TokenAnswer>()),
        content_type: "application/json",
        serve: |route| route.to(auth_token::issue),
    },
    SuiteRoute {
        method: Method::Get,
        path: "/api/settings/modules/{alias}",
        summary: "An organisation's settings of a module, with their version and schema",
        access: Access::Bearer,
        request: none,
        response: settings_view,
        content_type: "application/json",
        serve: |route| route.to(settings::get),
    },
    SuiteRoute {
        method: Method::Put,
        path: "/api/settings/modules/{alias}",
        summary: "Replace an organisation's settings of a module (keys left out take their defaults)",
        access: Access::Bearer,
        request: settings_object,
        response: settings_view,
        content_type: "application/json",
        serve: |route| route.to(settings::put),
    },
    SuiteRoute {
        method: Method::Patch,
        path: "/api/settings/modules/{alias}",
        summary: "Change the named settings of a module (RFC 7396 merge patch; null restores a default)",
        access: Access::Bearer,
        request: settings_object,
        response: settings_view,
        content_type: "application/json",
        serve: |route| route.to(settings_patch::patch),
    },
];

/// Mounts [`SUITE_ROUTES`], one resource per path so a path answers each of its methods.
pub fn mount(config: &mut web::ServiceConfig) {
    let mut paths: Vec<&str> = SUITE_ROUTES.iter().map(|route| route.path).collect();
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        let resource = SUITE_ROUTES.iter().filter(|route| route.path == path).fold(
            web::resource(path),
            |resource, route| {
                let method = host_sdk::host::http::actix_method(route.method);
                resource.route((route.serve)(web::method(method)))
            },
        );
        config.service(resource);
    }
}

/// The suite's routes as the API description lists them.
pub fn operations() -> Vec<Operation> {
    SUITE_ROUTES
        .iter()
        .map(|route| {
            Operation::new(route.method, route.path, route.summary)
                .access(route.access)
                .request((route.request)())
                .response((route.response)())
                .content_type(route.content_type)
        })
        .collect()
}
