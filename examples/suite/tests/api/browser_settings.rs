//! Settings > Modules > {Module} in a real browser: a form made from each module's schema.

use crate::helpers::{Module, SuiteHome};
use fantoccini::Locator;
use serde_json::json;
use suite_harness::Browser;

const PASSWORD: &str = "correct horse battery";

async fn token(suite: &suite_harness::RunningSuite, login: &str) -> String {
    let issued = suite
        .post_anonymous(
            "/api/auth/token",
            &json!({"login": login, "password": PASSWORD}),
        )
        .await;
    assert_eq!(issued.status, 201, "{:?}", issued.body);
    issued.body["token"].as_str().unwrap().to_owned()
}

async fn field_error(browser: &Browser, name: &str) -> Option<String> {
    match browser
        .client()
        .find(Locator::Id(&format!("{name}-error")))
        .await
    {
        Ok(element) => Some(element.text().await.unwrap()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn an_administrator_configures_modules_in_a_form_made_from_their_schemas() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello]);
    home.create_acme_with_people(PASSWORD);
    let suite = home.serve();
    let admin_token = token(&suite, "alex@acme.test").await;
    let employee_token = token(&suite, "sam@acme.test").await;
    let browser = Browser::start().await;
    browser.open(&format!("{}/sign-in", suite.base_url)).await;
    browser.fill("email", "alex@acme.test").await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
    browser
        .client()
        .find(Locator::LinkText("OfflineTracking"))
        .await
        .expect("a link to the module's settings")
        .click()
        .await
        .unwrap();
    assert_eq!(browser.path().await, "/settings/modules/offline-tracking");
    let page = browser.text().await;
    assert!(page.contains("Configuration version 0"), "{page}");
    assert!(
        page.contains("Server wins: "),
        "choices carry their labels: {page}"
    );

    // The browser itself refuses a value below the schema's minimum...
    browser.fill("max_offline_days", "0").await;
    browser.press("Save").await;
    assert!(
        !browser.text().await.contains("Nothing was saved"),
        "the browser kept the form"
    );
    // ...and so does the server, beside the field, when the browser's check is bypassed.
    browser
        .client()
        .execute(
            "document.querySelector('form[action^=\"/settings\"]').noValidate = true",
            vec![],
        )
        .await
        .unwrap();
    browser.press("Save").await;
    let refused = browser.text().await;
    assert!(refused.contains("Nothing was saved"), "{refused}");
    assert!(
        field_error(&browser, "max_offline_days").await.is_some(),
        "{refused}"
    );
    assert!(refused.contains("Configuration version 0"), "{refused}");

    // Meanwhile another administrator turns GPS off through the API.
    let patched = suite
        .send(
            reqwest::Method::PATCH,
            "/api/settings/modules/offline-tracking",
            Some(&admin_token),
            Some(json!({"gps_required": false}).to_string().into_bytes()),
            &[],
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);

    // This form still shows GPS on; saving 14 days does not turn it back on.
    browser.fill("max_offline_days", "14").await;
    browser.press("Save").await;
    let saved = browser.text().await;
    assert!(
        saved.contains("Saved. The configuration is now version 2."),
        "{saved}"
    );
    browser.screenshot("settings-offline-tracking").await;

    // The employee's device reads the new configuration on its next sync.
    let config = suite
        .get("/api/modules/offline-tracking/config", &employee_token)
        .await;
    assert_eq!(
        config.body["settings"]["max_offline_days"], 14,
        "{:?}",
        config.body
    );
    assert_eq!(
        config.body["settings"]["gps_required"], false,
        "{:?}",
        config.body
    );
    assert_eq!(config.body["config_version"], 2);

    // HelloModule gets a form too, with no code of its own for it.
    browser
        .open(&format!("{}/settings/modules/hello", suite.base_url))
        .await;
    browser.fill("greeting", "Howdy").await;
    browser.press("Save").await;
    assert!(browser.text().await.contains("now version 1"));
    let greeted = suite
        .get("/api/modules/hello/greet?name=Ada", &employee_token)
        .await;
    assert_eq!(greeted.body["message"], "Howdy, Ada!", "{:?}", greeted.body);

    // A forged form post changes nothing.
    browser
        .client()
        .execute(
            "document.querySelector('form[action^=\"/settings\"] input[name=csrf]').value = 'csrf_forged'",
            vec![],
        )
        .await
        .unwrap();
    browser.fill("greeting", "Hacked").await;
    browser.press("Save").await;
    assert!(
        browser
            .text()
            .await
            .contains("did not come from your session")
    );
    let greeted = suite
        .get("/api/modules/hello/greet?name=Ada", &employee_token)
        .await;
    assert_eq!(greeted.body["message"], "Howdy, Ada!");
    browser.close().await;
}
