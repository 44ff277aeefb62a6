//! The employee's web app in a real browser against the real suite: sign in and register
//! with a Web Crypto key, check in online, keep recording with the suite down (the service
//! worker serves the app), close and reopen the browser, and see the app sync by itself
//! when the suite is back, every record stored exactly once.

use crate::support::{Field, Mode, Proxy};
use fantoccini::Locator;
use serde_json::json;
use std::time::{Duration, Instant};
use suite_harness::Browser;

const APP: &str = "/apps/offline-tracking/";

/// Lets the page read a GPS fix, as a phone that allowed location would, and run
/// Background Sync (which a phone's browser grants a site the person uses; headless
/// Chromium does not by itself).
async fn allow_location(browser: &Browser, origin: &str) {
    browser
        .devtools(
            "Browser.grantPermissions",
            json!({"origin": origin, "permissions": ["geolocation", "backgroundSync"]}),
        )
        .await;
    browser
        .devtools(
            "Emulation.setGeolocationOverride",
            json!({"latitude": 52.52, "longitude": 13.405, "accuracy": 12}),
        )
        .await;
}

/// The states the app shows for its records, oldest first.
async fn record_states(browser: &Browser) -> Vec<String> {
    let answer = browser
        .client()
        .execute(
            "return [...document.querySelectorAll('#records tbody tr')].reverse()
               .map(row => row.cells[1].textContent + ': ' + row.cells[3].textContent)",
            vec![],
        )
        .await
        .unwrap_or(serde_json::Value::Null);
    answer
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits (at most 20 s) until the app shows `expected`.
async fn wait_for_states(browser: &Browser, expected: &[&str]) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let states = record_states(browser).await;
        if states == expected {
            return;
        }
        if Instant::now() > deadline {
            let page = browser.text().await;
            panic!("the app shows {states:?}, not {expected:?}:\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits (at most 20 s) until the app shows its attendance screen; an error it shows
/// instead fails the test with that message.
async fn wait_until_registered(browser: &Browser) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer = browser
            .client()
            .execute(
                "return [document.getElementById('attendance').hidden,
                         document.getElementById('message').textContent]",
                vec![],
            )
            .await
            .unwrap();
        if answer[0] == false {
            return;
        }
        let message = answer[1].as_str().unwrap_or_default();
        assert!(message.is_empty(), "the app says: {message}");
        assert!(Instant::now() < deadline, "not registered after 20 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn click(browser: &Browser, label: &str) {
    browser
        .click(Locator::XPath(&format!(
            "//button[normalize-space()='{label}']"
        )))
        .await;
}

#[tokio::test]
async fn an_employee_lives_a_day_offline_in_the_web_app_and_it_syncs_by_itself() {
    let mut field = Field::start().await;
    let origin = field.url();
    let browser = signed_in_app(&field, &origin).await;
    // The employee types the code printed at the site (no camera in this browser).
    let site = field
        .suite()
        .post(
            "/admin/modules/offline-tracking/sites",
            &field.admin,
            &json!({"name": "North depot"}),
        )
        .await;
    assert_eq!(site.status, 201, "{:?}", site.body);
    browser
        .fill("site-code", site.body["qr_payload"].as_str().unwrap())
        .await;
    click(&browser, "Check in").await;
    wait_for_states(&browser, &["Check in: accepted"]).await;
    assert_eq!(browser.text_of("#state").await, "Checked in");
    assert_eq!(field.server_records().await, 1);
    let stored = field.admin_get("/records").await;
    assert_eq!(
        stored["records"][0]["site_id"], site.body["site_id"],
        "{stored}"
    );
    // The browser finds nothing missing to install it to the home screen.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = browser
            .devtools("Page.getInstallabilityErrors", json!({}))
            .await;
        let errors = found["installabilityErrors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if errors.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "not installable: {errors:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // The suite goes away; the app still opens (from its service worker) and records.
    field.stop();
    browser.open(&format!("{origin}{APP}")).await;
    wait_for_states(&browser, &["Check in: accepted"]).await;
    // Each record is tried at once; with the suite gone no answer comes, so it shows as
    // sent without an answer, and is sent again later.
    click(&browser, "Start break").await;
    wait_for_states(
        &browser,
        &["Check in: accepted", "Break start: sent, no answer yet"],
    )
    .await;
    assert_eq!(browser.text_of("#state").await, "On a break");
    click(&browser, "End break").await;
    click(&browser, "Check out").await;
    request_leave(&browser, "2027-01-04", "2027-01-08").await;
    wait_for_states(
        &browser,
        &[
            "Check in: accepted",
            "Break start: sent, no answer yet",
            "Break end: sent, no answer yet",
            "Check out: sent, no answer yet",
            "Leave request (annual, 2027-01-04 to 2027-01-08): sent, no answer yet",
        ],
    )
    .await;
    browser.screenshot("web-app-offline").await;
    // What the phone signed, to compare with what the server keeps as evidence.
    let signed = browser
        .client()
        .execute(
            "return import('./db.js').then(db => db.all('queue'))
                 .then(queue => queue.map(r => [r.record_id, r.payload]))",
            vec![],
        )
        .await
        .unwrap();

    // The browser is closed and opened again once the suite is back: the app syncs by
    // itself, and the server holds each record once.
    let profile = browser.profile();
    browser.close().await;
    field.restart();
    let browser = Browser::start_with_profile(profile).await;
    allow_location(&browser, &origin).await;
    browser.open(&format!("{origin}{APP}")).await;
    wait_for_states(
        &browser,
        &[
            "Check in: accepted",
            "Break start: accepted",
            "Break end: accepted",
            "Check out: accepted",
            "Leave request (annual, 2027-01-04 to 2027-01-08): accepted",
        ],
    )
    .await;
    assert_eq!(browser.text_of("#state").await, "Checked out");
    assert_eq!(field.server_records().await, 5);
    for pair in signed.as_array().unwrap() {
        let record = field
            .admin_get(&format!("/records/{}", pair[0].as_str().unwrap()))
            .await;
        assert_eq!(
            record["signed_payload"], pair[1],
            "the server keeps the bytes the phone signed"
        );
    }
    let kinds: Vec<String> = field.admin_get("/records").await["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    let status = field.admin_get("/sync/status").await;
    assert_eq!(status["pending_records"], 0, "{status}");
    browser.screenshot("web-app-synced").await;
    browser.close().await;
}

/// Records `count` check-ins at once in the page, through the app's own recorder.
const RECORD_MANY: &str = "
    const count = arguments[0];
    return import('./record.js').then(m => Promise.all(
        Array.from({length: count}, () => m.record('check_in').then(e => e.sequence))));";

#[tokio::test]
async fn two_tabs_recording_at_once_take_gap_free_numbers_and_nothing_is_stored_twice() {
    let mut field = Field::start().await;
    field.configure(json!({"gps_required": false})).await;
    let origin = field.url();
    let browser = signed_in_app(&field, &origin).await;
    field.stop();

    let client = browser.client();
    let first = client.window().await.unwrap();
    let second = client.new_window(true).await.unwrap().handle;
    client.switch_to_window(second.clone()).await.unwrap();
    allow_location(&browser, &origin).await;
    browser.open(&format!("{origin}{APP}")).await;
    // The first tab starts ten records and does not wait; the second records ten while
    // the first is still at it.
    client.switch_to_window(first.clone()).await.unwrap();
    client
        .execute(
            &format!("window.recorded = (() => {{ {RECORD_MANY} }})();"),
            vec![json!(10)],
        )
        .await
        .unwrap();
    client.switch_to_window(second).await.unwrap();
    let from_second = client.execute(RECORD_MANY, vec![json!(10)]).await.unwrap();
    client.switch_to_window(first).await.unwrap();
    let from_first = client
        .execute("return window.recorded;", vec![])
        .await
        .unwrap();
    let mut sequences: Vec<u64> = [from_first, from_second]
        .iter()
        .flat_map(|list| list.as_array().cloned().unwrap_or_default())
        .filter_map(|n| n.as_u64())
        .collect();
    sequences.sort_unstable();
    assert_eq!(sequences, (1..=20).collect::<Vec<u64>>());

    // Back online, every record reaches the server once.
    field.restart();
    click(&browser, "Sync Now").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while field.server_records().await < 20 {
        assert!(Instant::now() < deadline, "{}", browser.text().await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let stored = field
        .home
        .database
        .rows("SELECT COUNT(*), COUNT(DISTINCT sequence), MIN(sequence), MAX(sequence) FROM ot_records")
        .await;
    assert_eq!(stored[0], ["20", "20", "1", "20"]);
    browser.close().await;
}

#[tokio::test]
async fn the_app_shows_a_conflict_the_employee_withdraws_it_and_leave_decisions_come_back() {
    let field = Field::start().await;
    let origin = field.url();
    let browser = signed_in_app(&field, &origin).await;
    let devices = field.admin_get("/devices").await;
    let employee_id = devices["devices"][0]["employee_id"].as_i64().unwrap();
    let now = crate::support::now_ms();
    let entry = field
        .suite()
        .post(
            "/admin/modules/offline-tracking/attendance/entries",
            &field.admin,
            &json!({"employee_id": employee_id, "started_at": now - 2 * 3_600_000, "ended_at": now + 2 * 3_600_000, "note": "HR entered the shift"}),
        )
        .await;
    assert_eq!(entry.status, 201, "{:?}", entry.body);

    click(&browser, "Check in").await;
    wait_for_states(&browser, &["Check in: conflict"]).await;
    let shown = browser.text().await;
    assert!(shown.contains("overlap, server kept"), "{shown}");

    browser
        .fill(
            &format!("note-{}", conflict_id(&browser).await),
            "the HR entry is right",
        )
        .await;
    click(&browser, "Withdraw my record").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = browser.text().await;
        if page.contains("It no longer applies.") && page.contains("You: withdraw applied") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the outcome did not come back:\n{page}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        click(&browser, "Sync Now").await;
    }
    let records = field.admin_get("/records").await;
    assert_eq!(records["records"][0]["status"], "withdrawn", "{records}");
    assert_eq!(
        browser.text_of("#state").await,
        "Not checked in",
        "a withdrawn check-in does not count"
    );

    // A leave request; the administrator approves it; the app shows the decision.
    request_leave(&browser, "2027-01-04", "2027-01-08").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let request_id = loop {
        let pending = field.admin_get("/leave-requests?status=pending").await;
        if let Some(id) = pending["leave_requests"][0]["request_id"].as_str() {
            break id.to_owned();
        }
        assert!(Instant::now() < deadline, "{}", browser.text().await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let decided = field
        .suite()
        .post(
            &format!("/admin/modules/offline-tracking/leave-requests/{request_id}/approve"),
            &field.admin,
            &json!({"note": "enjoy"}),
        )
        .await;
    assert_eq!(decided.status, 200, "{:?}", decided.body);
    click(&browser, "Sync Now").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !browser.text().await.contains("leave approved: enjoy") {
        assert!(Instant::now() < deadline, "{}", browser.text().await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    browser.screenshot("web-app-conflict-and-leave").await;
    browser.close().await;
}

async fn conflict_id(browser: &Browser) -> String {
    browser
        .client()
        .find(Locator::Css("#conflicts li"))
        .await
        .unwrap()
        .attr("data-conflict")
        .await
        .unwrap()
        .expect("the conflict's id")
}

/// Opens the app at `origin` and signs the demo employee in.
async fn signed_in_app(field: &Field, origin: &str) -> Browser {
    let browser = Browser::start().await;
    allow_location(&browser, origin).await;
    browser.open(&format!("{origin}{APP}")).await;
    browser
        .wait_until(
            "return document.getElementById('sign-in').hidden === false",
            "the app shows its sign-in form",
        )
        .await;
    browser.fill("login", &field.people.employee_email).await;
    browser
        .fill("password", &field.people.employee_password)
        .await;
    click(&browser, "Sign in and register this phone").await;
    wait_until_registered(&browser).await;
    browser
}

async fn wait_for_server_records(field: &Field, count: i64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while field.server_records().await < count {
        assert!(
            Instant::now() < deadline,
            "the server never held {count} records"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn an_answer_lost_after_the_server_committed_is_resent_without_a_duplicate() {
    let field = Field::start().await;
    let proxy = Proxy::start(field.port).await;
    let browser = signed_in_app(&field, &proxy.url()).await;

    proxy.set(Mode::DropPushAnswers);
    click(&browser, "Check in").await;
    wait_for_server_records(&field, 1).await;
    wait_for_states(&browser, &["Check in: sent, no answer yet"]).await;

    proxy.set(Mode::Forward);
    click(&browser, "Sync Now").await;
    wait_for_states(&browser, &["Check in: accepted"]).await;
    assert_eq!(
        field.server_records().await,
        1,
        "the resend stored nothing new"
    );

    // A busy suite asks to come back in a second: the app retries by itself, after it.
    proxy.set(Mode::RefusePushes {
        retry_after_seconds: 1,
    });
    let before = proxy.pushes().len();
    click(&browser, "Start break").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while proxy.pushes().len() < before + 2 {
        assert!(Instant::now() < deadline, "no retry: {:?}", proxy.pushes());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let attempts = proxy.pushes();
    let gap = attempts[before + 1] - attempts[before];
    assert!(
        gap >= Duration::from_millis(900),
        "retried after {gap:?}, before Retry-After"
    );
    proxy.set(Mode::Forward);
    wait_for_states(&browser, &["Check in: accepted", "Break start: accepted"]).await;
    browser.close().await;
}

#[tokio::test]
async fn a_browser_killed_in_the_middle_of_a_sync_loses_and_duplicates_nothing() {
    let field = Field::start().await;
    let proxy = Proxy::start(field.port).await;
    let origin = proxy.url();
    let browser = signed_in_app(&field, &origin).await;
    proxy.set(Mode::RefusePushes {
        retry_after_seconds: 3600,
    });
    click(&browser, "Check in").await;
    click(&browser, "Start break").await;
    wait_for_states(&browser, &["Check in: pending", "Break start: pending"]).await;

    // The push reaches the suite, which commits it; the browser dies before the answer.
    proxy.set(Mode::HoldPushAnswers(Duration::from_secs(30)));
    click(&browser, "Sync Now").await;
    wait_for_server_records(&field, 2).await;
    let profile = browser.profile();
    browser.kill();

    proxy.set(Mode::Forward);
    let browser = Browser::start_with_profile(profile).await;
    allow_location(&browser, &origin).await;
    browser.open(&format!("{origin}{APP}")).await;
    wait_for_states(&browser, &["Check in: accepted", "Break start: accepted"]).await;
    assert_eq!(field.server_records().await, 2);
    browser.close().await;
}

/// Makes the page's `navigator.connection.type` say `connection_type` and announces the
/// change, as a phone's browser does when it moves between networks. Desktop Chromium
/// does not report the type at all (the DevTools protocol's emulation does not set it), so
/// the test stands in for the phone here.
async fn network(browser: &Browser, connection_type: &str) {
    browser
        .client()
        .execute(
            "Object.defineProperty(navigator.connection, 'type', {value: arguments[0], configurable: true});
             navigator.connection.dispatchEvent(new Event('change'));",
            vec![json!(connection_type)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn wifi_only_auto_retry_off_and_the_storage_limit_follow_the_organisation() {
    let field = Field::start().await;
    field
        .configure(json!({"sync_on_wifi_only": true, "auto_retry": false, "storage_limit_mb": 1, "max_offline_days": 1}))
        .await;
    let proxy = Proxy::start(field.port).await;
    let browser = signed_in_app(&field, &proxy.url()).await;
    browser
        .client()
        .find(Locator::XPath(
            "//summary[starts-with(normalize-space(), \"Your organisation's settings\")]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let settings = browser.text_of("#settings").await;
    assert!(settings.contains("Sync on WiFi only yes"), "{settings}");
    assert!(settings.contains("Storage limit (MB) 1"), "{settings}");

    // Where the browser cannot tell the network, the app does not sync by itself.
    click(&browser, "Check in").await;
    wait_for_states(&browser, &["Check in: pending"]).await;
    assert!(
        browser.text_of("#message").await.contains("cannot tell"),
        "{}",
        browser.text_of("#message").await
    );
    // On a mobile network nothing is sent, not even on Sync Now; on WiFi it syncs by itself.
    network(&browser, "cellular").await;
    click(&browser, "Sync Now").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        browser
            .text_of("#message")
            .await
            .contains("syncs on WiFi only")
    );
    assert!(
        proxy.pushes().is_empty(),
        "nothing went over the mobile network"
    );
    network(&browser, "wifi").await;
    wait_for_states(&browser, &["Check in: accepted"]).await;

    // With auto retry off, a refused sync waits for Sync Now.
    proxy.set(Mode::RefusePushes {
        retry_after_seconds: 1,
    });
    let before = proxy.pushes().len();
    click(&browser, "Start break").await;
    wait_for_states(&browser, &["Check in: accepted", "Break start: pending"]).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(proxy.pushes().len(), before + 1, "one attempt, no retry");
    proxy.set(Mode::Forward);
    click(&browser, "Sync Now").await;
    wait_for_states(&browser, &["Check in: accepted", "Break start: accepted"]).await;

    // At the storage limit the app refuses a new record instead of losing an old one.
    proxy.set(Mode::RefusePushes {
        retry_after_seconds: 3600,
    });
    browser
        .client()
        .execute(
            "return import('./db.js').then(db => db.transact(['queue'], 'readwrite', ({queue}) => {
                 queue.put({sequence: 1000000, record_id: 'filler', kind: 'check_in',
                            payload: 'x'.repeat(1024 * 1024), signature: '', recorded_at_ms: Date.now(),
                            state: 'pending'});
             }))",
            vec![],
        )
        .await
        .unwrap();
    click(&browser, "End break").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !browser
        .text_of("#message")
        .await
        .contains("your organisation's limit")
    {
        assert!(Instant::now() < deadline, "{}", browser.text().await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A record that waited longer than max offline days is kept, with a warning.
    browser
        .client()
        .execute(
            "return import('./db.js').then(db => db.transact(['queue'], 'readwrite', ({queue}) => {
                 queue.put({sequence: 999999, record_id: 'old', kind: 'check_in', payload: '{}',
                            signature: '', recorded_at_ms: Date.now() - 2 * 86400000, state: 'pending'});
             }))",
            vec![],
        )
        .await
        .unwrap();
    click(&browser, "Sync Now").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let limits = browser.text_of("#limits").await;
        if limits.contains("waited more than 1 day") {
            let class = browser
                .client()
                .find(Locator::Id("limits"))
                .await
                .unwrap()
                .attr("class")
                .await
                .unwrap();
            assert_eq!(class.as_deref(), Some("warn"), "{limits}");
            break;
        }
        assert!(Instant::now() < deadline, "{limits}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.close().await;
}

/// Background Sync, where the browser has it: a record made while the page has no network
/// is sent by the app's service worker, not by the page (which waits for the `online`
/// event), even after the page is closed. Headless Chromium's network emulation reaches
/// only the page, so the worker sees a network at once; on a phone the browser fires the
/// worker's sync when the network returns.
#[tokio::test]
async fn a_record_made_offline_is_sent_by_the_service_worker_with_the_page_closed() {
    let field = Field::start().await;
    let origin = field.url();
    let browser = signed_in_app(&field, &origin).await;
    browser
        .devtools(
            "Network.emulateNetworkConditions",
            json!({"offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await;
    click(&browser, "Check in").await;
    wait_for_states(&browser, &["Check in: pending"]).await;
    // The page has asked for a background sync (or the worker already ran it) before it
    // is closed.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let tags = browser
            .client()
            .execute(
                "return navigator.serviceWorker.ready.then(r => r.sync.getTags())",
                vec![],
            )
            .await
            .unwrap();
        let asked = tags
            .as_array()
            .is_some_and(|tags| tags.iter().any(|tag| tag == "offline-tracking"));
        if asked || field.server_records().await == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no background sync was asked for"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.open("about:blank").await;
    wait_for_server_records(&field, 1).await;
    let stored = field.admin_get("/records").await;
    assert_eq!(stored["records"][0]["kind"], "check_in", "{stored}");
    browser.close().await;
}

/// Requests annual leave from `first` to `last` in the app's form.
async fn request_leave(browser: &Browser, first: &str, last: &str) {
    let form = browser
        .client()
        .find(Locator::Id("leave-form"))
        .await
        .unwrap();
    if !form.is_displayed().await.unwrap_or(false) {
        browser
            .click(Locator::XPath(
                "//summary[normalize-space()='Request leave']",
            ))
            .await;
    }
    browser
        .client()
        .execute(
            "document.getElementById('starts_on').value = arguments[0];
             document.getElementById('ends_on').value = arguments[1];",
            vec![json!(first), json!(last)],
        )
        .await
        .unwrap();
    click(browser, "Request leave").await;
}
