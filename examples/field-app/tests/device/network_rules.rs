use crate::support::{Field, Mode, Phone, Proxy, wait_for};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn sync_on_wifi_only_is_honoured() {
    let field = Field::start().await;
    field.configure(json!({"sync_on_wifi_only": true})).await;
    let mut phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    phone.record("check-in");
    phone.set_network("cellular");
    phone.start_agent();
    assert!(
        wait_for(10, || async { phone.agent_log().contains("WiFi only") }).await,
        "{}",
        phone.agent_log()
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(field.server_records().await, 0);
    let manual = phone.run(&["sync", "--network", "cellular"]);
    assert!(!manual.status.success());
    assert!(String::from_utf8_lossy(&manual.stderr).contains("WiFi only"));

    phone.set_network("wifi");
    let field = &field;
    assert!(
        wait_for(15, || async move { field.server_records().await == 1 }).await,
        "{}",
        phone.agent_log()
    );
}

#[tokio::test]
async fn with_auto_retry_off_a_failed_sync_waits_for_sync_now() {
    let field = Field::start().await;
    field.configure(json!({"auto_retry": false})).await;
    let proxy = Proxy::start(field.port).await;
    let mut phone = Phone::new();
    phone.register(&proxy.url(), &field.employee);
    phone.record("check-in");
    proxy.set(Mode::RefusePushes {
        retry_after_seconds: 1,
    });
    phone.start_agent();
    let proxy_ref = &proxy;
    assert!(wait_for(10, || async move { !proxy_ref.pushes().is_empty() }).await);
    proxy.set(Mode::Forward);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(proxy.pushes().len(), 1, "no retry by itself");
    assert_eq!(field.server_records().await, 0);
    assert!(
        phone.agent_log().contains("auto retry is off"),
        "{}",
        phone.agent_log()
    );

    let now = phone.run_ok(&["sync"]);
    assert!(now.contains("Synced: 1 accepted"), "{now}");
    assert_eq!(field.server_records().await, 1);
}

#[tokio::test]
async fn with_auto_retry_on_failures_are_retried_no_sooner_than_retry_after() {
    let field = Field::start().await;
    let proxy = Proxy::start(field.port).await;
    let mut phone = Phone::new();
    phone.register(&proxy.url(), &field.employee);
    phone.record("check-in");
    proxy.set(Mode::RefusePushes {
        retry_after_seconds: 2,
    });
    phone.start_agent();
    let proxy_ref = &proxy;
    assert!(wait_for(10, || async move { !proxy_ref.pushes().is_empty() }).await);
    proxy.set(Mode::Forward);
    let field_ref = &field;
    assert!(
        wait_for(15, || async move { field_ref.server_records().await == 1 }).await,
        "{}",
        phone.agent_log()
    );
    let pushes = proxy.pushes();
    assert!(pushes.len() >= 2);
    let waited = pushes[1] - pushes[0];
    assert!(
        waited >= Duration::from_millis(1900),
        "the server asked for 2 s, the agent waited {waited:?}"
    );
    assert!(
        phone.agent_log().contains("retrying in"),
        "{}",
        phone.agent_log()
    );
}
