use crate::support::{Field, Mode, Phone, Proxy};

#[tokio::test]
async fn an_answer_lost_after_the_server_committed_is_retried_without_duplicates() {
    let field = Field::start().await;
    let proxy = Proxy::start(field.port).await;
    let phone = Phone::new();
    phone.register(&proxy.url(), &field.employee);
    for command in ["check-in", "break-start", "break-end"] {
        phone.record(command);
    }
    proxy.set(Mode::DropPushAnswers);
    let cut = phone.run(&["sync"]);
    assert!(!cut.status.success());
    let error = String::from_utf8_lossy(&cut.stderr);
    assert!(
        error.starts_with("error: the server is unreachable"),
        "{error}"
    );
    assert_eq!(
        field.server_records().await,
        3,
        "the server committed before the answer was lost"
    );
    assert!(
        phone
            .records()
            .iter()
            .all(|(_, _, state, _)| state == "sent"),
        "{:?}",
        phone.records()
    );

    proxy.set(Mode::Forward);
    let retried = phone.run_ok(&["sync"]);
    assert!(
        retried.contains("Synced: 3 accepted"),
        "the first answers, again: {retried}"
    );
    assert_eq!(field.server_records().await, 3, "no duplicate");
    assert!(
        phone
            .records()
            .iter()
            .all(|(_, _, state, _)| state == "accepted")
    );
}
