//! The host authenticates and checks the declared permission before a module is called.

use crate::helpers::{Module, SuiteHome};

#[tokio::test]
async fn refused_requests_never_reach_the_module() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let (admin, employee) = home.demo_tokens();
    let suite = home.serve();

    let missing = suite.get_anonymous("/api/modules/probe/echo").await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.code(), "unauthenticated");
    assert_eq!(missing.headers["www-authenticate"], "Bearer");

    let wrong = suite
        .get("/api/modules/probe/echo", "st_not-a-real-token")
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.code(), "invalid_token");

    let basic = suite
        .send(
            reqwest::Method::GET,
            "/api/modules/probe/echo",
            None,
            None,
            &[("authorization", "Basic YWRtaW46YWRtaW4=")],
        )
        .await;
    assert_eq!(basic.status, 401);
    assert_eq!(basic.code(), "invalid_authorization_header");

    let forbidden = suite.get("/admin/modules/probe/secrets", &employee).await;
    assert_eq!(forbidden.status, 403);
    assert_eq!(forbidden.code(), "forbidden");
    assert!(
        forbidden.body["message"]
            .as_str()
            .unwrap()
            .contains("probe.admin")
    );

    // Four refusals, and the probe counted none of them: this is its first call.
    let calls = suite.get("/api/modules/probe/calls", &admin).await;
    assert_eq!(calls.body["calls"], 1);

    let allowed = suite.get("/admin/modules/probe/secrets", &admin).await;
    assert_eq!(allowed.status, 200);
}

#[tokio::test]
async fn default_grants_follow_the_manifest_and_roles() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    home.run_ok(&["demo"]);
    let visitor = home.run_ok(&[
        "user:create",
        "--org",
        "demo",
        "--email",
        "visitor@demo.test",
        "--name",
        "Vi Sitor",
        "--role",
        "visitor",
    ]);
    let token = visitor
        .lines()
        .find_map(|line| line.strip_prefix("Token (shown once): "))
        .unwrap()
        .to_owned();
    let (_, employee) = home.demo_tokens();
    let suite = home.serve();
    // hello.greet is granted to admin and employee by HelloModule's manifest, not to visitor.
    assert_eq!(
        suite
            .get("/api/modules/hello/greet?name=E", &employee)
            .await
            .status,
        200
    );
    // A NUL is refused as bad input on every database, not stored (PostgreSQL cannot).
    for name in ["%00", "a%00b", "%1B%5B31m"] {
        let bad = suite
            .get(&format!("/api/modules/hello/greet?name={name}"), &employee)
            .await;
        assert_eq!((bad.status, bad.code()), (422, "invalid_name"), "{name}");
    }
    let refused = suite.get("/api/modules/hello/greet?name=V", &token).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap()
            .contains("hello.greet")
    );
}

#[tokio::test]
async fn bad_account_input_is_one_line_and_changes_nothing() {
    let home = SuiteHome::new().await;
    home.run_ok(&["demo"]);
    for args in [
        vec![
            "user:create",
            "--org",
            "nowhere",
            "--email",
            "a@b.c",
            "--name",
            "A",
            "--role",
            "admin",
        ],
        vec![
            "user:create",
            "--org",
            "demo",
            "--email",
            "not-an-email",
            "--name",
            "A",
            "--role",
            "admin",
        ],
        vec![
            "user:create",
            "--org",
            "demo",
            "--email",
            "admin@demo.test",
            "--name",
            "A",
            "--role",
            "admin",
        ],
        vec![
            "user:create",
            "--org",
            "demo",
            "--email",
            "x@demo.test",
            "--name",
            "A",
            "--role",
            "Admin!",
        ],
        vec!["org:create", "Demo Again", "--slug", "demo"],
    ] {
        let output = home.run(&args);
        assert!(!output.status.success(), "{args:?} should fail");
        assert_eq!(crate::helpers::error_lines(&output).len(), 1, "{args:?}");
    }
    let users = home
        .database
        .rows("SELECT email FROM users ORDER BY email")
        .await;
    assert_eq!(users.len(), 2, "{users:?}");
}
