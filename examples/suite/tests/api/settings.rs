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
async fn a_damaged_settings_row_is_an_error_not_the_defaults() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (admin, employee) = home.demo_tokens();
    let suite = home.serve();
    let saved = suite
        .put(PROBE_SETTINGS, &admin, &json!({"limit": 5}))
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);

    for damage in ["'not json'", "'[5]'"] {
        home.database
            .execute(&format!("UPDATE module_settings SET settings = {damage}"))
            .await;
        let shown = suite.get(PROBE_SETTINGS, &admin).await;
        assert_eq!(shown.status, 500, "{damage}: {:?}", shown.body);
        // The module is not handed the defaults in place of what was saved.
        let echo = suite.get("/api/modules/probe/echo", &employee).await;
        assert!(echo.status >= 500, "{damage}: {:?}", echo.body);
        assert_ne!(echo.body["settings"]["limit"], 10, "{:?}", echo.body);
    }
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

#[tokio::test]
async fn patch_changes_only_the_keys_it_names_and_put_replaces() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking]);
    let (admin, _) = home.demo_tokens();
    let suite = home.serve();
    let path = "/api/settings/modules/offline-tracking";
    let patch = |body: serde_json::Value| {
        let suite = &suite;
        let admin = &admin;
        async move {
            suite
                .send(
                    reqwest::Method::PATCH,
                    path,
                    Some(admin),
                    Some(body.to_string().into_bytes()),
                    &[],
                )
                .await
        }
    };
    let first = suite
        .put(path, &admin, &json!({"max_offline_days": 3}))
        .await;
    assert_eq!(first.status, 200);

    let patched = patch(json!({"storage_limit_mb": 50})).await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(patched.body["settings"]["storage_limit_mb"], 50);
    assert_eq!(patched.body["settings"]["max_offline_days"], 3, "kept");
    assert_eq!(patched.body["version"], 2);

    // null returns a key to its default; a refused patch changes nothing.
    let reset = patch(json!({"max_offline_days": null})).await;
    assert_eq!(reset.status, 200, "{:?}", reset.body);
    assert_eq!(reset.body["settings"]["max_offline_days"], 7);
    assert_eq!(reset.body["settings"]["storage_limit_mb"], 50);
    let refused = patch(json!({"conflict_resolution": "admin_decides"})).await;
    assert_eq!(refused.status, 422);
    let message = refused.body["details"][0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        r#""admin_decides" is not allowed: use one of "server_wins", "client_wins", "latest_wins", "manual""#
    );
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap()
            .contains("server_wins")
    );
    assert_eq!(suite.get(path, &admin).await.body["version"], 3);
    let not_object = patch(json!([1])).await;
    assert_eq!(not_object.status, 422);
    assert!(not_object.body["code"].is_string());

    // Four administrators change four keys at once: no change is lost.
    let changes = [
        json!({"sync_on_wifi_only": true}),
        json!({"auto_retry": false}),
        json!({"qr_required": true}),
        json!({"duplicate_window_seconds": 60}),
    ];
    let answers = futures_util::future::join_all(changes.iter().cloned().map(patch)).await;
    for answer in &answers {
        assert_eq!(answer.status, 200, "{:?}", answer.body);
    }
    let now = suite.get(path, &admin).await.body;
    for change in &changes {
        let (key, value) = change.as_object().unwrap().iter().next().unwrap();
        assert_eq!(&now["settings"][key], value, "{key} lost: {now}");
    }
    assert_eq!(now["version"], 7);

    // PUT replaces the whole document: what it leaves out returns to the default.
    let replaced = suite
        .put(path, &admin, &json!({"max_offline_days": 2}))
        .await;
    assert_eq!(replaced.body["settings"]["storage_limit_mb"], 100);
}
