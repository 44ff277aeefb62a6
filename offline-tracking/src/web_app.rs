//! The employee's web app (`web/`): plain JavaScript modules, embedded in this library
//! and served by the suite under `/apps/offline-tracking/` to anyone; everything the app
//! then asks of the server needs the employee's sign-in.

use host_sdk::module::Asset;

const JS: &str = "text/javascript; charset=utf-8";

/// Every file of the app.
pub fn assets() -> Vec<Asset> {
    vec![
        Asset::new(
            "/",
            "text/html; charset=utf-8",
            include_bytes!("../web/index.html"),
        ),
        Asset::new("/app.js", JS, include_bytes!("../web/app.js")),
        Asset::new("/db.js", JS, include_bytes!("../web/db.js")),
        Asset::new("/record.js", JS, include_bytes!("../web/record.js")),
        Asset::new("/sign.js", JS, include_bytes!("../web/sign.js")),
        Asset::new("/sync.js", JS, include_bytes!("../web/sync.js")),
        Asset::new(
            "/app.css",
            "text/css; charset=utf-8",
            include_bytes!("../web/app.css"),
        ),
        Asset::new(
            "/manifest.webmanifest",
            "application/manifest+json",
            include_bytes!("../web/manifest.webmanifest"),
        ),
        Asset::new(
            "/icon.svg",
            "image/svg+xml",
            include_bytes!("../web/icon.svg"),
        ),
        Asset::new("/sw.js", JS, include_bytes!("../web/sw.js"))
            .service_worker_scope("/apps/offline-tracking/"),
    ]
}
