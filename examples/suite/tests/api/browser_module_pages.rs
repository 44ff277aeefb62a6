//! Pages a module contributes to the suite's shell, in a real browser: HelloModule's
//! Reports > Greetings (no host code of its own), the navigation each person sees, the
//! CSRF check the host makes before a module sees a form, and refusals.

use crate::helpers::{Module, SuiteHome};
use fantoccini::Locator;
use suite_harness::Browser;

const PASSWORD: &str = "correct horse battery";

async fn sign_in(browser: &Browser, base_url: &str, email: &str) {
    browser.open(&format!("{base_url}/sign-in")).await;
    browser.fill("email", email).await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
}

async fn greetings(home: &SuiteHome) -> String {
    home.database
        .rows("SELECT COUNT(*) FROM hello_greetings")
        .await[0][0]
        .clone()
}

#[tokio::test]
async fn a_module_page_lives_in_the_shell_behind_session_permission_and_csrf() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello]);
    home.create_acme_with_people(PASSWORD);
    let suite = home.serve();

    // Without a session, a module's page sends the browser to sign in.
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/modules/hello/greetings", suite.base_url))
        .await;
    assert_eq!(browser.path().await, "/sign-in");

    sign_in(&browser, &suite.base_url, "alex@acme.test").await;
    let navigation = browser.text_of("header nav").await;
    for link in [
        "Offline Sync Status",
        "Sites",
        "Records",
        "Greetings",
        "Modules",
    ] {
        assert!(navigation.contains(link), "{link} in {navigation}");
    }
    browser.click(Locator::LinkText("Greetings")).await;
    assert_eq!(browser.path().await, "/modules/hello/greetings");
    assert!(
        browser
            .text()
            .await
            .contains("Nobody has been greeted yet.")
    );
    browser.fill("name", "Ada").await;
    browser.press("Greet").await;
    let greeted = browser.text().await;
    assert!(greeted.contains("Hello, Ada!"), "{greeted}");
    assert!(
        greeted.contains("Signed in as Alex Admin"),
        "inside the shell: {greeted}"
    );
    assert_eq!(greetings(&home).await, "1");
    browser.screenshot("hello-greetings").await;

    // A forged token: the host refuses the form before the module sees it.
    browser
        .client()
        .execute(
            "document.querySelector('main input[name=csrf]').value = 'csrf_forged'",
            vec![],
        )
        .await
        .unwrap();
    browser.fill("name", "Mallory").await;
    browser.press("Greet").await;
    let refused = browser.text().await;
    assert!(refused.contains("nothing was changed"), "{refused}");
    assert_eq!(greetings(&home).await, "1");

    // A module's refusal is shown in the shell with its message.
    browser
        .open(&format!(
            "{}/modules/offline-tracking/conflicts/not-a-uuid",
            suite.base_url
        ))
        .await;
    let missing = browser.text().await;
    assert!(missing.contains("Signed in as Alex Admin"), "{missing}");
    browser.close().await;

    // An employee sees the pages they may use, and is refused the administrator's.
    let browser = Browser::start().await;
    sign_in(&browser, &suite.base_url, "sam@acme.test").await;
    let navigation = browser.text_of("header nav").await;
    assert!(navigation.contains("Greetings"), "{navigation}");
    assert!(!navigation.contains("Offline Sync Status"), "{navigation}");
    browser
        .open(&format!(
            "{}/modules/offline-tracking/sync-status",
            suite.base_url
        ))
        .await;
    let refused = browser.text().await;
    assert!(refused.contains("Not allowed"), "{refused}");
    assert!(!refused.contains("Devices"), "{refused}");

    // A session that ended (here: expired) no longer opens a module's page.
    home.database
        .execute("UPDATE browser_sessions SET expires_at_ms = 0")
        .await;
    browser
        .open(&format!("{}/modules/hello/greetings", suite.base_url))
        .await;
    assert_eq!(browser.path().await, "/sign-in");
    browser.close().await;
}
