//! `[server.tls]`: the suite serves HTTPS itself, so a phone's browser runs the employee's
//! web app (a secure context) without a proxy; the session cookie is then `Secure`.

use crate::helpers::{Module, SuiteHome, error_lines};
use fantoccini::Locator;
use serde_json::json;
use suite_harness::Browser;

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn the_suite_serves_https_and_the_web_app_runs_there_as_a_secure_context() {
    let mut home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking]);
    home.create_acme_with_people(PASSWORD);

    // A certificate file that is not there: one line, no server.
    let missing = home.path().join("missing.pem");
    home.set_env(
        "SUITE__SERVER__TLS__CERTIFICATE",
        &missing.display().to_string(),
    );
    home.set_env(
        "SUITE__SERVER__TLS__PRIVATE_KEY",
        &missing.display().to_string(),
    );
    let refused = home.run(&["serve"]);
    assert!(!refused.status.success());
    let lines = error_lines(&refused);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("server.tls.certificate"), "{lines:?}");

    let issued = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let certificate = home.path().join("suite.crt");
    let key = home.path().join("suite.key");
    std::fs::write(&certificate, issued.cert.pem()).unwrap();
    std::fs::write(&key, issued.key_pair.serialize_pem()).unwrap();
    home.set_env(
        "SUITE__SERVER__TLS__CERTIFICATE",
        &certificate.display().to_string(),
    );
    home.set_env(
        "SUITE__SERVER__TLS__PRIVATE_KEY",
        &key.display().to_string(),
    );
    let suite = home.serve();
    assert!(
        suite.base_url.starts_with("https://127.0.0.1:"),
        "{}",
        suite.base_url
    );

    let browser = Browser::start_trusting_test_certificates().await;
    browser
        .open(&format!("{}/apps/offline-tracking/", suite.base_url))
        .await;
    let context = browser
        .client()
        .execute(
            "return [window.isSecureContext, location.protocol, 'serviceWorker' in navigator]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(context, json!([true, "https:", true]));
    browser
        .wait_until(
            "return document.getElementById('sign-in').hidden === false",
            "the app shows its sign-in form",
        )
        .await;
    browser.fill("login", "sam@acme.test").await;
    browser.fill("password", PASSWORD).await;
    browser
        .client()
        .find(Locator::XPath(
            "//button[normalize-space()='Sign in and register this phone']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let shown = browser
            .client()
            .execute(
                "return document.getElementById('attendance').hidden",
                vec![],
            )
            .await
            .unwrap();
        if shown == json!(false) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{}",
            browser.text().await
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    // An administrator's session cookie over HTTPS is Secure.
    browser.open(&format!("{}/sign-in", suite.base_url)).await;
    browser.fill("email", "alex@acme.test").await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
    let cookies = browser.devtools("Network.getAllCookies", json!({})).await;
    let session = cookies["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|cookie| cookie["name"] == "suite_session")
        .unwrap_or_else(|| panic!("{cookies}"))
        .clone();
    assert_eq!(session["secure"], true, "{session}");
    assert_eq!(session["httpOnly"], true, "{session}");
    browser.close().await;
}
