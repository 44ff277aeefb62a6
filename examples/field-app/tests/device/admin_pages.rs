//! The administrator's pages in a real browser, against phones that really synced: what
//! Offline Sync Status shows agrees with the phones, a conflict decided and reversed with
//! clicks reaches the phone, an approved leave request reaches it, and a new site's QR
//! code is an image on the page.

use crate::support::{Field, HOUR, Phone, now_ms};
use fantoccini::Locator;
use serde_json::json;
use suite_harness::Browser;

const PAGES: &str = "/modules/offline-tracking";

async fn sign_in(field: &Field) -> Browser {
    let browser = Browser::start().await;
    browser.open(&format!("{}/sign-in", field.url())).await;
    browser.fill("email", &field.people.admin_email).await;
    browser.fill("password", &field.people.admin_password).await;
    browser.press("Sign in").await;
    browser
}

/// Clicks the button `label` inside the element matching `scope`, and waits for the page
/// it leads to.
async fn press_in(browser: &Browser, scope: &str, label: &str) {
    let before = browser.client().find(Locator::Css("html")).await.unwrap();
    browser
        .client()
        .find(Locator::XPath(&format!(
            "{scope}//button[normalize-space()='{label}']"
        )))
        .await
        .unwrap_or_else(|error| panic!("no {label:?} in {scope}: {error}"))
        .click()
        .await
        .unwrap();
    for _ in 0..100 {
        if before.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn waiting(phone: &Phone) -> i64 {
    let status = phone.run_ok(&["status"]);
    status
        .lines()
        .find_map(|line| line.strip_prefix("Waiting: "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no waiting count in:\n{status}"))
}

#[tokio::test]
async fn the_admin_pages_agree_with_the_phones_and_their_decisions_reach_them() {
    let field = Field::start().await;
    field
        .configure(json!({"conflict_resolution": "manual", "time_zone": "Europe/Berlin"}))
        .await;
    let phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    let devices = field.admin_get("/devices").await;
    let device_id = devices["devices"][0]["device_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let employee_id = devices["devices"][0]["employee_id"].as_i64().unwrap();

    // HR entered a shift; the phone checks in during it, offline: an overlap for a person.
    let entry = field
        .suite()
        .post(
            "/admin/modules/offline-tracking/attendance/entries",
            &field.admin,
            &json!({"employee_id": employee_id, "started_at": now_ms() - 2 * HOUR, "ended_at": now_ms() + 2 * HOUR, "note": "HR entered the shift"}),
        )
        .await;
    assert_eq!(entry.status, 201, "{:?}", entry.body);
    phone.record("check-in");
    let day = chrono::DateTime::from_timestamp_millis(now_ms() + 10 * 86_400_000)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    let leave = phone.run_ok(&["leave", "--type", "annual", "--from", &day, "--to", &day]);
    let synced = phone.run_ok(&["sync"]);
    assert!(synced.contains("1 conflict(s)"), "{synced}");

    let browser = sign_in(&field).await;
    browser
        .click(Locator::LinkText("Offline Sync Status"))
        .await;
    assert_eq!(browser.path().await, format!("{PAGES}/sync-status"));
    let page = browser.text().await;
    browser.screenshot("offline-sync-status").await;

    // What waits, as the phone and the API say.
    let api = field.admin_get("/sync/status").await;
    let phone_waiting = waiting(&phone);
    assert_eq!(
        browser
            .text_of(&format!("tr[data-device='{device_id}'] td.pending"))
            .await,
        phone_waiting.to_string()
    );
    assert_eq!(
        browser.text_of("#pending-total").await,
        api["pending_records"].to_string()
    );
    let name = devices["devices"][0]["employee_name"]
        .as_str()
        .expect("the directory names the employee");
    assert!(page.contains(name), "names, not ids: {page}");
    let rates = field
        .admin_get(&format!(
            "/sync/rates?from={}&to={}",
            now_ms() - 7 * 86_400_000,
            now_ms() + 1000
        ))
        .await;
    let summary = browser.text_of("#rate-summary").await;
    assert!(
        summary.starts_with(&format!(
            "{} syncs: {} succeeded, {} failed",
            rates["syncs"], rates["succeeded"], rates["failed"]
        )),
        "{summary} vs {rates}"
    );
    assert!(
        browser
            .client()
            .find(Locator::Css("svg.chart rect"))
            .await
            .is_ok(),
        "the rate chart is drawn"
    );
    assert!(page.contains("Intact:"), "the audit check: {page}");

    // Decide the conflict with clicks; the phone receives the decision on its next sync.
    browser.click(Locator::LinkText("Review")).await;
    browser.fill("note", "the employee was on site").await;
    browser
        .click(Locator::Css("#decision option[value='accept_offline']"))
        .await;
    browser.press("Decide").await;
    assert_eq!(browser.text_of("#resolution").await, "offline_applied");
    assert!(
        browser.text().await.contains(" CET"),
        "times in the organisation's zone"
    );
    assert!(
        browser
            .text_of("#server-side")
            .await
            .contains("Note: HR entered the shift"),
        "both sides are shown"
    );
    browser.screenshot("conflict-decided").await;
    phone.run_ok(&["sync"]);
    let seen = phone.run_ok(&["conflicts"]);
    assert!(seen.contains("offline_applied"), "{seen}");

    // Reverse it: the conflict waits for a person again, and the phone learns that too.
    browser.fill("reverse-note", "decided too early").await;
    browser.press("Reverse").await;
    assert_eq!(browser.text_of("#resolution").await, "pending_review");
    phone.run_ok(&["sync"]);
    let reversed = phone.run_ok(&["conflicts"]);
    assert!(reversed.contains("pending_review"), "{reversed}");
    let audit = field.admin_get("/audit?subject_kind=conflict").await;
    let actors: Vec<_> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["actor"]["kind"] == "user")
        .collect();
    assert!(
        actors.len() >= 2,
        "the decision and the reversal are audited with the acting user: {audit}"
    );

    // Approve the leave request; the phone shows the decision.
    let request_id = leave
        .split_whitespace()
        .find(|word| word.len() == 36)
        .unwrap_or_else(|| panic!("no request id in {leave}"))
        .to_owned();
    browser
        .open(&format!("{}{PAGES}/sync-status", field.url()))
        .await;
    browser.fill(&format!("note-{request_id}"), "enjoy").await;
    press_in(
        &browser,
        &format!("//tr[@data-leave='{request_id}']"),
        "Approve",
    )
    .await;
    assert!(
        !browser.text().await.contains(&request_id),
        "no longer waiting"
    );
    phone.run_ok(&["sync"]);
    let decided = phone.run_ok(&["leave-requests"]);
    assert!(decided.contains("approved"), "{decided}");

    // A site and its QR code, as an image the browser decoded.
    browser.click(Locator::LinkText("Sites")).await;
    browser.fill("site-name", "North depot").await;
    browser.press("Add site").await;
    assert!(browser.text().await.contains("North depot"));
    let width = browser
        .client()
        .execute(
            "const img = document.querySelector('img.qr');
             return new Promise(done => img.complete ? done(img.naturalWidth)
               : img.addEventListener('load', () => done(img.naturalWidth)));",
            vec![],
        )
        .await
        .unwrap();
    assert!(width.as_u64().unwrap_or(0) >= 256, "a QR image: {width}");
    browser.screenshot("sites").await;

    // Give it a geofence later; its QR code stays the same.
    browser
        .click(Locator::XPath(
            "//summary[normalize-space()='Edit North depot']",
        ))
        .await;
    let site_id = field.admin_get("/sites").await["sites"][0]["site_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let qr_before = field.admin_get(&format!("/sites/{site_id}/qr")).await;
    browser.fill(&format!("latitude-{site_id}"), "52.52").await;
    browser
        .fill(&format!("longitude-{site_id}"), "13.405")
        .await;
    browser.fill(&format!("radius-{site_id}"), "150").await;
    browser.press("Save North depot").await;
    let edited = browser.text().await;
    assert!(
        edited.contains("Geofence: 150 m around 52.52, 13.405"),
        "{edited}"
    );
    assert_eq!(
        field.admin_get(&format!("/sites/{site_id}/qr")).await["qr_payload"],
        qr_before["qr_payload"]
    );

    // Employees: everyone in the directory, enrolled in face recognition and given a
    // site with clicks.
    browser.click(Locator::LinkText("Employees")).await;
    let row = format!("//tr[@data-employee='{employee_id}']");
    press_in(&browser, &row, "Enroll").await;
    browser
        .click(Locator::XPath(&format!("{row}//input[@value='{site_id}']")))
        .await;
    press_in(&browser, &row, "Save sites").await;
    let listed = field.admin_get("/employees").await;
    let sam = listed["employees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["employee_id"] == employee_id)
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(sam["face_enrolled"], true, "{sam}");
    assert_eq!(sam["site_ids"], json!([site_id]), "{sam}");
    assert!(
        browser
            .text_of(&format!("tr[data-employee='{employee_id}']"))
            .await
            .contains("enrolled")
    );
    let first_page = field.admin_get("/employees?limit=1").await;
    assert_eq!(first_page["employees"].as_array().unwrap().len(), 1);
    assert!(first_page["next_after_id"].is_i64(), "{first_page}");

    // The employee's records with their evidence, in the organisation's zone.
    browser
        .open(&format!(
            "{}{PAGES}/records?employee_id={employee_id}",
            field.url()
        ))
        .await;
    let records = browser.text().await;
    assert!(records.contains("check_in (#1)"), "{records}");
    assert!(records.contains("(gps)"), "the GPS provider: {records}");
    assert!(records.contains("Times are in Europe/Berlin"), "{records}");
    browser.screenshot("records").await;

    // Attendance entered on the server, in the organisation's local time.
    browser
        .click(Locator::XPath(
            "//summary[normalize-space()='Enter attendance for this employee']",
        ))
        .await;
    browser
        .client()
        .execute(
            "document.getElementById('started_at').value = '2026-12-01T09:00';
             document.getElementById('ended_at').value = '2026-12-01T17:30';",
            vec![],
        )
        .await
        .unwrap();
    browser.fill("entry-note", "forgot the phone at home").await;
    browser.press("Enter attendance").await;
    let entered = browser.text().await;
    assert!(
        entered.contains("2026-12-01 09:00:00 CET") && entered.contains("2026-12-01 17:30:00 CET"),
        "{entered}"
    );

    // On a phone's screen the page reflows: nothing but the tables scrolls sideways.
    browser.client().set_window_size(390, 844).await.unwrap();
    browser
        .open(&format!("{}{PAGES}/sync-status", field.url()))
        .await;
    let overflow = browser
        .client()
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    browser.screenshot("offline-sync-status-phone").await;
    let widest = browser
        .client()
        .execute(
            "return [...document.querySelectorAll('body *')]
               .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                 && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
               .slice(0, 3).map(e => e.tagName + '#' + e.id + '.' + e.className).join(', ')",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "wider than the screen by {overflow}: {widest}"
    );

    // Settings saved in the browser reach the phone at its next sync.
    browser
        .open(&format!(
            "{}/settings/modules/offline-tracking",
            field.url()
        ))
        .await;
    browser.fill("max_offline_days", "14").await;
    browser.press("Save").await;
    let saved_version = browser.text_of("#config-version").await;
    phone.run_ok(&["sync"]);
    let status = phone.run_ok(&["status"]);
    assert!(
        status.contains(&format!("Configuration version {saved_version}")),
        "the phone runs version {saved_version}: {status}"
    );

    // A second phone under device approval: approved, revoked and reinstated with clicks.
    browser.client().set_window_size(1280, 900).await.unwrap();
    field
        .configure(json!({"device_approval_required": true}))
        .await;
    let second = Phone::new();
    second.register(&field.url(), &field.employee);
    let pending = field.admin_get("/devices?status=pending_approval").await;
    let second_id = pending["devices"][0]["device_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{pending}"))
        .to_owned();
    let device_row = format!("//tr[@data-device='{second_id}']");
    let device_status = || async {
        field.admin_get("/devices").await["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["device_id"] == second_id.as_str())
            .unwrap()["status"]
            .clone()
    };
    browser
        .open(&format!("{}{PAGES}/sync-status", field.url()))
        .await;
    press_in(&browser, &device_row, "Approve").await;
    assert_eq!(device_status().await, "active");
    browser
        .fill(&format!("revoke-{second_id}"), "phone lost")
        .await;
    press_in(&browser, &device_row, "Revoke").await;
    assert_eq!(device_status().await, "revoked");
    browser
        .fill(&format!("reinstate-{second_id}"), "phone found")
        .await;
    press_in(&browser, &device_row, "Reinstate").await;
    assert_eq!(device_status().await, "active");
    browser.close().await;
}
