//! The CLI as a shell user pipes it: a reader that stops early ends `field-app` quietly,
//! as it ends `ls`, never with a panic.

use crate::support::{Field, Phone};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

#[tokio::test]
async fn records_into_a_pipe_closed_early_is_no_crash() {
    let field = Field::start().await;
    let phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    phone.record("check-in");
    phone.record("check-out");
    // `field-app records | head -0`: the reader is gone before the first line is written.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = phone
        .command_for_test(&["records"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        output.status.signal(),
        Some(libc::SIGPIPE),
        "ended by SIGPIPE like any Unix filter: {:?} {stderr}",
        output.status
    );
}

#[tokio::test]
async fn register_takes_the_token_from_the_environment_and_help_speaks_plainly() {
    let field = Field::start().await;
    let phone = Phone::new();
    let output = phone
        .command_for_test(&["register", "--server", &field.url()])
        .env("FIELD_APP_TOKEN", &field.employee)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let help = phone.run_ok(&["register", "--help"]);
    assert!(help.contains("FIELD_APP_TOKEN"), "{help}");
    let help = phone.run_ok(&["--help"]);
    assert!(help.contains("shift_ms"), "{help}");
    assert!(
        !help.contains("field_app::"),
        "no Rust paths in help: {help}"
    );
}

#[tokio::test]
async fn records_reads_right_after_a_clock_change_and_with_a_fresh_record() {
    let field = Field::start().await;
    let phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    phone.record("check-in");
    let fresh = phone.run_ok(&["records"]);
    assert!(
        fresh.contains("too old: 7 days."),
        "a fresh record has all 7 days: {fresh}"
    );
    assert!(fresh.contains("0.0 of 100 MB used"), "{fresh}");

    // The user moves the phone's clock back two hours: the record now lies ahead of it.
    let booted = crate::support::now_ms() - 3_600_000;
    phone.set_clock(0, "boot-2", booted, -2 * 3_600_000);
    let moved = phone.run_ok(&["records"]);
    assert!(moved.contains("clock moved back"), "{moved}");
    assert!(!moved.contains(" -"), "no negative ages: {moved}");

    // An action applied is reported in words, with nothing stray after it.
    phone.set_clock(0, "boot-2", booted, 0);
    phone.run_ok(&["sync"]);
    let record = phone.records()[0].3.clone();
    phone.run_ok(&["withdraw", &record, "--note", "wrong button"]);
    let synced = phone.run_ok(&["sync"]);
    assert!(
        synced.contains("your actions: 1 applied, 0 refused"),
        "{synced}"
    );
    assert!(!synced.contains("[]"), "{synced}");
}

#[tokio::test]
async fn a_record_refused_with_its_whole_push_is_pending_not_sent() {
    let field = Field::start().await;
    let phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    field.configure(serde_json::json!({"enabled": false})).await;
    phone.record("check-in");
    let refused = phone.run(&["sync"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("turned off"),
        "{refused:?}"
    );
    let records = phone.records();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(
        records[0].2, "pending",
        "the server has none of it: {records:?}"
    );

    field.configure(serde_json::json!({"enabled": true})).await;
    phone.run_ok(&["sync"]);
    assert_eq!(phone.records()[0].2, "accepted");
}
