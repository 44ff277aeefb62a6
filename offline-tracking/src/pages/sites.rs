//! Attendance > Sites: the sites with their geofences, a form to add one, and each site's
//! static QR code as an SVG image to print.

use super::bridge::{PAGES, after, as_api, read, render};
use super::views::{SiteQr, Sites};
use crate::OfflineTracking;
use crate::sites;
use askama::Template;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use qrcode::QrCode;
use qrcode::render::svg;
use serde_json::{Map, Value};

#[derive(Template)]
#[template(path = "sites.html")]
struct SitesPage<'a> {
    pages: &'a str,
    csrf: &'a str,
    sites: Sites,
}

/// `GET /modules/offline-tracking/sites`
pub async fn show(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let api = as_api(request, "", None);
    match read(ot, request, sites::routes::list(&ot.db, &api).await).await {
        Ok(sites) => render(
            "Sites",
            &SitesPage {
                pages: PAGES,
                csrf: request.csrf_token(),
                sites,
            },
        ),
        Err(refusal) => refusal,
    }
}

/// `POST /modules/offline-tracking/sites` with `name` and, for a geofence, `latitude`,
/// `longitude` and `radius_m`.
pub async fn create(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let body = match site_body(request) {
        Ok(body) => body,
        Err(refusal) => return refusal,
    };
    let api = as_api(request, "", Some(&body));
    after(
        sites::routes::create(&ot.db, &api).await,
        &format!("{PAGES}/sites"),
    )
}

/// `POST /modules/offline-tracking/sites/{site_id}`: the same fields, for an existing
/// site (blank geofence fields remove its geofence).
pub async fn update(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let body = match site_body(request) {
        Ok(body) => body,
        Err(refusal) => return refusal,
    };
    let api = as_api(request, "", Some(&body));
    after(
        sites::routes::update(&ot.db, &api).await,
        &format!("{PAGES}/sites"),
    )
}

/// The API body of a site form: the name as typed, the geofence's numbers as numbers.
fn site_body(request: &ModuleRequest) -> Result<Value, ModuleResponse> {
    let mut body = Map::new();
    for (name, value) in request.form() {
        let value = value.trim();
        match name.as_str() {
            "name" => {
                body.insert(name, Value::String(value.to_owned()));
            }
            "latitude" | "longitude" | "radius_m" if !value.is_empty() => {
                let Some(number) = value
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                else {
                    return Err(ModuleResponse::error(
                        422,
                        "invalid_number",
                        format!("{name} must be a number, not {value:?}"),
                    ));
                };
                body.insert(name, Value::Number(number));
            }
            _ => {}
        }
    }
    Ok(Value::Object(body))
}

/// `GET /modules/offline-tracking/sites/{site_id}/qr.svg`: the code a phone scans at the
/// site, as an image.
pub async fn qr_image(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let api = as_api(request, "", None);
    let site: SiteQr = match read(ot, request, sites::routes::qr_code(&ot.db, &api).await).await {
        Ok(site) => site,
        Err(refusal) => return refusal,
    };
    let code = match QrCode::new(site.qr_payload.as_bytes()) {
        Ok(code) => code,
        Err(error) => {
            tracing::error!(
                site = site.name,
                "a site's QR payload does not fit a QR code: {error}"
            );
            return ModuleResponse::error(500, "qr_failed", "the QR code could not be drawn");
        }
    };
    let image = code
        .render::<svg::Color>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build();
    ModuleResponse {
        status: 200,
        headers: Default::default(),
        body: image.into_bytes().into(),
    }
    .with_header("content-type", "image/svg+xml")
    .with_header("cache-control", "private, no-store")
}
