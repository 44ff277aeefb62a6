//! Signing in and out in a real browser (headless Chromium over WebDriver).

use crate::helpers::{Module, SuiteHome};
use suite_harness::Browser;

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn an_administrator_signs_in_and_out_in_a_browser_and_an_employee_sees_no_admin_page() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    home.create_acme_with_people(PASSWORD);
    let suite = home.serve();
    let browser = Browser::start().await;

    // Home sends a stranger to the form.
    browser.open(&format!("{}/", suite.base_url)).await;
    assert_eq!(browser.path().await, "/sign-in");
    browser.fill("email", "alex@acme.test").await;
    browser.fill("password", "not the password").await;
    browser.press("Sign in").await;
    assert!(
        browser
            .text()
            .await
            .contains("The e-mail or the password is wrong."),
        "{}",
        browser.text().await
    );

    browser.fill("email", "alex@acme.test").await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
    assert_eq!(browser.path().await, "/");
    let home_page = browser.text().await;
    assert!(home_page.contains("Signed in as Alex Admin"), "{home_page}");
    assert!(home_page.contains("HelloModule"), "{home_page}");
    browser.screenshot("home-admin").await;

    browser.press("Sign out").await;
    assert_eq!(browser.path().await, "/sign-in");
    browser.open(&format!("{}/", suite.base_url)).await;
    assert_eq!(browser.path().await, "/sign-in", "signed out for good");

    browser.fill("email", "sam@acme.test").await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
    let employee_page = browser.text().await;
    assert!(
        employee_page.contains("no administrator pages"),
        "{employee_page}"
    );
    assert!(!employee_page.contains("HelloModule"), "{employee_page}");
    browser.close().await;
}
