//! `suite serve`: modules mounted through the plugin boundary, failures contained.

use crate::helpers::{Module, SuiteHome};

#[tokio::test]
async fn two_modules_in_one_process_each_keep_their_own_entry_points() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello, Module::Probe]);
    let (admin, employee) = home.demo_tokens();
    let suite = home.serve();

    let greeting = suite
        .get("/api/modules/hello/greet?name=Ada", &employee)
        .await;
    assert_eq!(greeting.status, 200, "{:?}", greeting.body);
    assert_eq!(greeting.body["message"], "Hello, Ada!");

    let config = suite
        .get("/api/modules/offline-tracking/config", &employee)
        .await;
    assert_eq!(config.status, 200, "{:?}", config.body);
    assert_eq!(config.body["settings"]["max_offline_days"], 7);

    let echo = suite.get("/api/modules/probe/echo", &admin).await;
    assert_eq!(echo.status, 200, "{:?}", echo.body);
    assert_eq!(echo.body["roles"], serde_json::json!(["admin"]));

    let health = suite.get_anonymous("/health").await;
    assert_eq!(health.body["status"], "ok", "{:?}", health.body);
    let names: Vec<&str> = health.body["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    // Dependency order, then priority: OfflineTracking (10), HelloModule (50), Probe.
    assert_eq!(names, ["OfflineTracking", "HelloModule", "Probe"]);
}

#[tokio::test]
async fn a_broken_module_is_reported_and_the_others_are_served() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello]);
    let (_, employee) = home.demo_tokens();
    // A bad deploy replaces the library after it was enabled.
    std::fs::write(
        home.module_dir("OfflineTracking")
            .join("liboffline_tracking.so"),
        b"truncated during copy",
    )
    .unwrap();
    let suite = home.serve();

    let health = suite.get_anonymous("/health").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body["status"], "degraded");
    let modules = health.body["modules"].as_array().unwrap();
    let broken = modules
        .iter()
        .find(|m| m["name"] == "OfflineTracking")
        .unwrap();
    assert_eq!(broken["status"], "failed");
    assert_eq!(broken["code"], "not_a_library");
    assert!(
        broken["reason"]
            .as_str()
            .unwrap()
            .contains("is not a loadable library"),
        "{broken:?}"
    );
    let hello = modules.iter().find(|m| m["name"] == "HelloModule").unwrap();
    assert_eq!(hello["status"], "running");

    let greeting = suite
        .get("/api/modules/hello/greet?name=Bo", &employee)
        .await;
    assert_eq!(greeting.status, 200);
    let unavailable = suite
        .get("/api/modules/offline-tracking/config", &employee)
        .await;
    assert_eq!(unavailable.status, 503);
    assert_eq!(unavailable.code(), "module_unavailable");
}

#[tokio::test]
async fn a_library_cut_short_is_refused_before_it_is_mapped_and_the_others_are_served() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello]);
    let (_, employee) = home.demo_tokens();
    // A deploy that copied a fifth of the library: mapped, it would kill the whole
    // process with SIGBUS at the first touch of a page past the end.
    let library = home
        .module_dir("OfflineTracking")
        .join("liboffline_tracking.so");
    let bytes = std::fs::read(&library).unwrap();
    std::fs::remove_file(&library).unwrap();
    std::fs::write(&library, &bytes[..bytes.len() / 5]).unwrap();

    let listed = home.run(&["module:list"]);
    let listing = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.status.success(),
        "module:list lists a damaged module, it does not die: {listed:?}"
    );
    assert!(
        listing.contains("not a complete shared library"),
        "{listing}"
    );

    let suite = home.serve();
    let health = suite.get_anonymous("/health").await;
    let modules = health.body["modules"].as_array().unwrap();
    let broken = modules
        .iter()
        .find(|m| m["name"] == "OfflineTracking")
        .unwrap();
    assert_eq!(broken["code"], "not_a_library", "{broken}");
    let hello = modules.iter().find(|m| m["name"] == "HelloModule").unwrap();
    assert_eq!(hello["status"], "running");
    let greeting = suite
        .get("/api/modules/hello/greet?name=Bo", &employee)
        .await;
    assert_eq!(greeting.status, 200);
}

#[tokio::test]
async fn a_method_a_path_does_not_serve_is_a_405_with_the_standard_body() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello]);
    let (admin, employee) = home.demo_tokens();
    let suite = home.serve();
    for (method, path, token) in [
        (reqwest::Method::GET, "/api/v1/sync/push", &employee),
        (
            reqwest::Method::DELETE,
            "/api/settings/modules/hello",
            &admin,
        ),
        (
            reqwest::Method::DELETE,
            "/api/modules/hello/greet",
            &employee,
        ),
    ] {
        let reply = suite
            .send(method.clone(), path, Some(token), None, &[])
            .await;
        assert_eq!(
            (reply.status, reply.code()),
            (405, "method_not_allowed"),
            "{method} {path}: {:?}",
            reply.body
        );
        assert!(
            reply.body["message"].as_str().unwrap().contains(path),
            "{:?}",
            reply.body
        );
    }
}

#[tokio::test]
async fn a_panicking_handler_fails_its_request_only() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (admin, _) = home.demo_tokens();
    let suite = home.serve();

    let panicked = suite.get("/api/modules/probe/panic", &admin).await;
    assert_eq!(panicked.status, 500);
    assert_eq!(panicked.code(), "module_panicked");
    assert!(
        panicked.body["message"]
            .as_str()
            .unwrap()
            .contains("the probe panics on purpose"),
        "{:?}",
        panicked.body
    );
    for _ in 0..3 {
        let next = suite.get("/api/modules/probe/echo", &admin).await;
        assert_eq!(
            next.status, 200,
            "the suite must keep serving after a panic"
        );
    }
    let health = suite.get_anonymous("/health").await;
    assert_eq!(health.body["status"], "ok");
}

#[tokio::test]
async fn path_parameters_query_headers_and_bodies_cross_the_boundary() {
    let mut home = SuiteHome::new().await;
    home.set_env("SUITE__SERVER__MAX_BODY_BYTES", "1024");
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (admin, _) = home.demo_tokens();
    let suite = home.serve();

    let item = suite.get("/api/modules/probe/items/abc-42", &admin).await;
    assert_eq!(item.body["id"], "abc-42");

    let echo = suite
        .send(
            reqwest::Method::GET,
            "/api/modules/probe/echo?x=1&y=two",
            Some(&admin),
            None,
            &[("x-device-id", "phone-7")],
        )
        .await;
    assert_eq!(echo.body["query"], "x=1&y=two");
    assert_eq!(echo.body["device_id"], "phone-7");
    assert_eq!(
        echo.body["has_authorization_header"], false,
        "the token never reaches a module"
    );
    assert_eq!(
        echo.body["settings"]["limit"], 3,
        "defaults reach the module"
    );
    assert_eq!(echo.body["settings_version"], 0);

    let body = serde_json::json!({"text": "x".repeat(100)});
    let small = suite.post("/api/modules/probe/echo", &admin, &body).await;
    assert_eq!(small.status, 200);
    assert_eq!(small.body["bytes"], body.to_string().len());
    let large = serde_json::json!({"text": "x".repeat(2000)});
    let refused = suite.post("/api/modules/probe/echo", &admin, &large).await;
    assert_eq!(refused.status, 413);
    assert_eq!(refused.code(), "payload_too_large");

    let unknown = suite.get("/api/modules/probe/nowhere", &admin).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.code(), "not_found");
}

#[tokio::test]
async fn serve_refuses_a_module_whose_migrations_are_pending() {
    let home = SuiteHome::new().await;
    home.install(Module::OfflineTracking);
    home.run_ok(&["module:enable", "OfflineTracking"]);
    // No `migrate`: serve never migrates by itself.
    let suite = home.serve();
    let health = suite.get_anonymous("/health").await;
    let module = &health.body["modules"][0];
    assert_eq!(module["status"], "failed");
    assert_eq!(module["code"], "pending_migrations");
    assert_eq!(
        module["reason"],
        "OfflineTracking has 6 pending migration(s): run `suite migrate`"
    );
    assert!(
        !home
            .database
            .tables()
            .await
            .contains(&"ot_devices".to_owned())
    );
}

#[tokio::test]
async fn sigterm_drains_the_modules_and_exits_cleanly() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    let suite = home.serve();
    assert_eq!(suite.get_anonymous("/health").await.status, 200);
    let log_before = suite.log();
    assert!(log_before.contains("module started"), "{log_before}");
    let log_path = home.path().to_path_buf();
    assert!(suite.stop(), "serve must exit 0 on SIGTERM");
    let logs: String = std::fs::read_dir(log_path)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("serve-"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(logs.contains("stopping modules"), "{logs}");
}

#[tokio::test]
async fn module_log_events_reach_the_host_tagged_with_the_module() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    let (_, employee) = home.demo_tokens();
    let suite = home.serve();
    suite
        .get("/api/modules/hello/greet?name=Log", &employee)
        .await;
    let log = suite.log();
    let line = log
        .lines()
        .find(|line| line.contains("greeted"))
        .unwrap_or_else(|| panic!("no greeting event in the host's log:\n{log}"));
    assert!(line.contains("HelloModule"), "{line}");
}
