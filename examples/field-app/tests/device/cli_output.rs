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
