//! Modules' web app files under `/apps/{alias}`: public, answered from memory, with a
//! strong `ETag` so a browser (or a service worker refreshing its cache) revalidates with
//! `If-None-Match` and gets `304 Not Modified` when nothing changed.

use crate::host::{ModuleRegistry, ServedAsset};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use std::sync::Arc;

/// The URL prefix of `alias`'s web app files.
pub fn apps_prefix(alias: &str) -> String {
    format!("/apps/{alias}")
}

/// Mounts every running module's web app files.
pub fn configure_assets(config: &mut web::ServiceConfig, registry: &ModuleRegistry) {
    for module in registry.running() {
        let prefix = apps_prefix(module.alias());
        if module.assets.iter().any(|asset| asset.path == "/") {
            // The app's relative URLs resolve against `/apps/{alias}/`, not `/apps/`.
            let location = format!("{prefix}/");
            config.route(
                &prefix,
                web::get().to(move || {
                    let location = location.clone();
                    async move {
                        HttpResponse::MovedPermanently()
                            .insert_header((header::LOCATION, location))
                            .finish()
                    }
                }),
            );
        }
        for asset in &module.assets {
            let asset = Arc::new(asset.clone());
            config.route(
                &format!("{prefix}{}", asset.path),
                web::get().to(move |request: HttpRequest| {
                    let asset = Arc::clone(&asset);
                    async move { serve(&request, &asset) }
                }),
            );
        }
    }
}

fn serve(request: &HttpRequest, asset: &ServedAsset) -> HttpResponse {
    let unchanged = request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == asset.etag
        });
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, asset.etag.as_str()))
        // Always revalidate: a new release must reach the app at its next online start,
        // and a 304 costs one round trip with no body.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if let Some(scope) = &asset.service_worker_scope
        && let Ok(value) = HeaderValue::from_str(scope)
    {
        response.insert_header(("service-worker-allowed", value));
    }
    if unchanged {
        return response.finish();
    }
    response
        .content_type(asset.content_type.as_str())
        .body(asset.body.clone())
}
