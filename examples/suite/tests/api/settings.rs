//! Settings > Modules > {Module}: validated against the module's schema, per organisation.

use crate::helpers::{Module, SuiteHome};
use serde_json::json;

const PROBE_SETTINGS: &str = "/api/settings/modules/probe";

#[tokio::test]
async fn invalid_settings_name_the_json_path_and_change_nothing() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (admin, _) = home.demo_tokens();
    let suite = home.serve();

    let too_big = suite
        .put(PROBE_SETTINGS, &admin, &json!({"limit": 50}))
        .await;
    assert_eq!(too_big.status, 422);
    assert_eq!(too_big.code(), "settings_invalid");
    assert_eq!(too_big.body["details"][0]["path"], "/limit");

    let unknown = suite
        .put(PROBE_SETTINGS, &admin, &json!({"colour": "red"}))
        .await;
    assert_eq!(unknown.status, 422);

    // A rule only the module knows, reported the same way.
    let shouting = suite
        .put(PROBE_SETTINGS, &admin, &json!({"label": "LOUD"}))
        .await;
    assert_eq!(shouting.status, 422);
    assert_eq!(shouting.body["details"][0]["path"], "/label");

    let not_object = suite.put(PROBE_SETTINGS, &admin, &json!([1, 2])).await;
    assert_eq!(not_object.status, 422);

    let broken = suite
        .send(
            reqwest::Method::PUT,
            PROBE_SETTINGS,
            Some(&admin),
            Some(b"{oops".to_vec()),
            &[],
        )
        .await;
    assert_eq!(broken.status, 400);
    assert_eq!(broken.code(), "malformed_json");

    let current = suite.get(PROBE_SETTINGS, &admin).await;
    assert_eq!(current.status, 200);
    assert_eq!(current.body["version"], 0);
    assert_eq!(
        current.body["settings"],
        json!({"limit": 3, "label": "probe"})
    );
    assert_eq!(current.body["schema"]["properties"]["limit"]["maximum"], 10);
}

#[tokio::test]
async fn saved_settings_reach_the_module_with_a_new_version() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (admin, employee) = home.demo_tokens();
    let suite = home.serve();

    let saved = suite
        .put(PROBE_SETTINGS, &admin, &json!({"limit": 5}))
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(saved.body["version"], 1);
    assert_eq!(saved.body["module_notified"], true);
    assert_eq!(
        saved.body["settings"],
        json!({"limit": 5, "label": "probe"})
    );

    let echo = suite.get("/api/modules/probe/echo", &employee).await;
    assert_eq!(echo.body["settings"]["limit"], 5);
    assert_eq!(echo.body["settings_version"], 1);

    let again = suite
        .put(
            PROBE_SETTINGS,
            &admin,
            &json!({"limit": 6, "label": "quiet"}),
        )
        .await;
    assert_eq!(again.body["version"], 2);
}

#[tokio::test]
async fn only_administrators_open_module_settings() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (admin, employee) = home.demo_tokens();
    let suite = home.serve();
    let refused = suite
        .put(PROBE_SETTINGS, &employee, &json!({"limit": 5}))
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(suite.get(PROBE_SETTINGS, &employee).await.status, 403);
    let unknown = suite
        .get("/api/settings/modules/nothing-here", &admin)
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.code(), "unknown_module");
    assert_eq!(suite.get(PROBE_SETTINGS, &admin).await.body["version"], 0);
}

#[tokio::test]
async fn offline_tracking_settings_are_refused_out_of_bounds() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking]);
    let (admin, employee) = home.demo_tokens();
    let suite = home.serve();
    let path = "/api/settings/modules/offline-tracking";
    let refused = suite
        .put(path, &admin, &json!({"max_offline_days": 900}))
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.body["details"][0]["path"], "/max_offline_days");
    let duplicated = suite
        .put(
            path,
            &admin,
            &json!({"sync_priorities": ["check_out", "check_out"]}),
        )
        .await;
    assert_eq!(duplicated.status, 422);
    assert_eq!(duplicated.body["details"][0]["path"], "/sync_priorities/1");

    let saved = suite
        .put(
            path,
            &admin,
            &json!({"max_offline_days": 3, "sync_on_wifi_only": true}),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    let config = suite
        .get("/api/modules/offline-tracking/config", &employee)
        .await;
    assert_eq!(config.body["config_version"], 1);
    assert_eq!(config.body["settings"]["max_offline_days"], 3);
    assert_eq!(config.body["settings"]["sync_on_wifi_only"], true);
    assert_eq!(config.body["settings"]["storage_limit_mb"], 100);
}
