//! The web app's files: public (no sign-in), from memory, with an `ETag` a browser
//! revalidates against, and the app's API behind sign-in as before.

use crate::support::OtSuite;

#[tokio::test]
async fn the_app_shell_is_public_and_revalidates_with_its_etag() {
    let (ot, _orgs) = OtSuite::start(&["acme"], 1).await;
    let base = &ot.suite.base_url;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let bare = http
        .get(format!("{base}/apps/offline-tracking"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 301, "relative URLs need the trailing slash");
    assert_eq!(bare.headers()["location"], "/apps/offline-tracking/");

    let page = http
        .get(format!("{base}/apps/offline-tracking/"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let etag = page.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() == 66, "{etag}");
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Sign in and register this phone")
    );

    let again = http
        .get(format!("{base}/apps/offline-tracking/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());

    let worker = http
        .get(format!("{base}/apps/offline-tracking/sw.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(worker.status(), 200);
    assert_eq!(
        worker.headers()["service-worker-allowed"],
        "/apps/offline-tracking/"
    );
    assert!(
        worker.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );

    let missing = http
        .get(format!("{base}/apps/offline-tracking/secret.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    // The app's data stays behind sign-in.
    let config = http
        .get(format!("{base}/api/modules/offline-tracking/config"))
        .send()
        .await
        .unwrap();
    assert_eq!(config.status(), 401);
}
