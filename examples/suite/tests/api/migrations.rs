//! `migrate`, `migrate:status` and `module:migrate-rollback` on every database.

use crate::helpers::{Module, SuiteHome, error_lines};

#[tokio::test]
async fn migrate_twice_changes_nothing_the_second_time() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello]);
    let schema = home.database.schema().await;
    let history = home
        .database
        .rows("SELECT version, CAST(applied_at AS CHAR(20)) FROM ot_migrations ORDER BY version")
        .await;
    assert_eq!(history.len(), 6, "OfflineTracking ships six migrations");

    let second = home.run_ok(&["migrate"]);
    assert_eq!(
        second.matches("nothing to migrate").count(),
        3,
        "host, OfflineTracking and HelloModule:\n{second}"
    );
    assert_eq!(home.database.schema().await, schema);
    let history_after = home
        .database
        .rows("SELECT version, CAST(applied_at AS CHAR(20)) FROM ot_migrations ORDER BY version")
        .await;
    assert_eq!(history_after, history);
}

#[tokio::test]
async fn migrate_names_each_migration_once_without_colour_in_a_log_file() {
    let home = SuiteHome::unmigrated().await;
    home.install(Module::OfflineTracking);
    // The spec's order on a fresh installation: enable first, then migrate.
    let enabled = home
        .command(&["module:enable", "OfflineTracking"])
        .env("SUITE__LOG__LEVEL", "info")
        .output()
        .unwrap();
    assert!(
        enabled.status.success(),
        "{}",
        String::from_utf8_lossy(&enabled.stderr)
    );
    let said = String::from_utf8_lossy(&enabled.stdout);
    assert!(said.contains("creating them first"), "{said}");
    assert_eq!(
        said.matches("applied m20261101_000001_host_tables").count(),
        1,
        "{said}"
    );

    // Logging at INFO, to a pipe as to a log file.
    let output = home
        .command(&["migrate"])
        .env("SUITE__LOG__LEVEL", "info")
        .output()
        .unwrap();
    assert!(output.status.success());
    let everything = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for migration in [
        "m20261101_000001_create_devices",
        "m20261101_000002_create_sync_tables",
        "m20261122_000003_count_resent_records",
        "m20261122_000004_pin_conflict_policy",
        "m20261122_000005_assign_sites",
        "m20261122_000006_add_foreign_keys",
    ] {
        assert_eq!(
            everything.matches(migration).count(),
            1,
            "{migration}:\n{everything}"
        );
    }
    assert!(
        !everything.contains('\u{1b}'),
        "no escape codes:\n{everything:?}"
    );
}

#[tokio::test]
async fn rollback_then_migrate_returns_to_the_same_schema() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello]);
    let migrated = home.database.schema().await;
    let tables = home.database.tables().await;
    assert!(tables.contains(&"ot_records".to_owned()), "{tables:?}");
    assert!(
        tables.contains(&"ot_migrations".to_owned()),
        "its own history table"
    );

    // Without a terminal to ask at, a rollback is refused unless forced, and drops nothing.
    let refused = home.run(&["module:migrate-rollback", "OfflineTracking", "--steps", "5"]);
    assert!(!refused.status.success());
    let lines = error_lines(&refused);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("--force"), "{lines:?}");
    assert!(
        lines[0].contains("m20261101_000002_create_sync_tables"),
        "{lines:?}"
    );
    assert_eq!(
        home.database.schema().await,
        migrated,
        "nothing was dropped"
    );

    let output = home.run_ok(&[
        "module:migrate-rollback",
        "OfflineTracking",
        "--steps",
        "5",
        "--force",
    ]);
    assert!(
        output.contains("rolled back m20261122_000006_add_foreign_keys"),
        "{output}"
    );
    assert!(
        output.contains("rolled back m20261122_000005_assign_sites"),
        "{output}"
    );
    assert!(
        output.contains("rolled back m20261122_000004_pin_conflict_policy"),
        "{output}"
    );
    assert!(
        output.contains("rolled back m20261122_000003_count_resent_records"),
        "{output}"
    );
    assert!(
        output.contains("rolled back m20261101_000002_create_sync_tables"),
        "{output}"
    );
    let tables = home.database.tables().await;
    assert!(!tables.contains(&"ot_records".to_owned()), "{tables:?}");
    assert!(
        tables.contains(&"ot_devices".to_owned()),
        "five steps back keep the first migration"
    );
    assert!(
        tables.contains(&"hello_greetings".to_owned()),
        "other modules are untouched"
    );

    let status = home.run_ok(&["migrate:status"]);
    assert!(
        status.contains("[applied] m20261101_000001_create_devices"),
        "{status}"
    );
    assert!(
        status.contains("[pending] m20261101_000002_create_sync_tables"),
        "{status}"
    );

    let output = home.run_ok(&[
        "module:migrate-rollback",
        "OfflineTracking",
        "--steps",
        "5",
        "--force",
    ]);
    assert!(
        output.contains("rolled back m20261101_000001_create_devices"),
        "{output}"
    );
    assert!(
        !home
            .database
            .tables()
            .await
            .contains(&"ot_devices".to_owned())
    );

    home.run_ok(&["migrate"]);
    assert_eq!(home.database.schema().await, migrated);
}

#[tokio::test]
async fn migrate_status_lists_each_module() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking, Module::Hello]);
    let status = home.run_ok(&["migrate:status"]);
    assert!(
        status.contains("[applied] m20261101_000001_host_tables"),
        "{status}"
    );
    assert!(status.contains("OfflineTracking 0.1.0"), "{status}");
    assert!(
        status.contains("[applied] m20261101_000001_create_devices"),
        "{status}"
    );
    assert!(status.contains("HelloModule 0.1.0"), "{status}");
}

#[tokio::test]
async fn commands_before_the_first_migrate_say_so() {
    let home = SuiteHome::unmigrated().await;
    home.install(Module::Hello);
    // Only `migrate` and `module:enable` create the suite's tables; the others say what to do.
    let output = home.run(&["module:disable", "HelloModule"]);
    assert!(!output.status.success());
    assert_eq!(
        error_lines(&output),
        ["error: the suite's own tables are not migrated (2 pending): run `suite migrate` first"]
    );
}

#[tokio::test]
async fn an_older_library_than_the_migrated_one_is_refused() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    // The database was last migrated by a newer HelloModule.
    home.database
        .execute(
            "UPDATE installed_modules SET migrated_version = '0.4.0' WHERE name = 'HelloModule'",
        )
        .await;
    let output = home.run(&["migrate"]);
    assert!(!output.status.success());
    assert_eq!(
        error_lines(&output),
        [
            "error: HelloModule: the database was migrated by version 0.4.0 but the library is 0.1.0: downgrades are refused, install 0.4.0 or newer"
        ]
    );
    let suite = home.serve();
    let health = suite.get_anonymous("/health").await;
    assert_eq!(health.body["modules"][0]["code"], "downgrade_refused");
}
