//! The employee sees each leave request with where it stands and the administrator's
//! note, in `leave-requests` and in `records`.

use crate::support::{Field, Phone, now_ms};

fn request_id(stored: &str) -> String {
    stored.split_whitespace().nth(2).unwrap().to_owned()
}

#[tokio::test]
async fn leave_decisions_reach_the_employee_with_the_administrators_note() {
    let field = Field::start().await;
    let phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    let day = |offset: i64| {
        chrono::DateTime::from_timestamp_millis(now_ms() + offset * 86_400_000)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
    };
    let (soon, later) = (day(10), day(20));
    let sick =
        request_id(&phone.run_ok(&["leave", "--type", "sick", "--from", &soon, "--to", &soon]));
    let annual = request_id(&phone.run_ok(&[
        "leave", "--type", "annual", "--from", &later, "--to", &later,
    ]));
    let before = phone.run_ok(&["leave-requests"]);
    assert!(
        before.contains(&format!("{sick}  sick, {soon} to {soon}  not_sent")),
        "{before}"
    );

    phone.run_ok(&["sync"]);
    let submitted = phone.run_ok(&["leave-requests"]);
    assert!(
        submitted.contains(&format!("{annual}  {later} to {later}  submitted")),
        "{submitted}"
    );

    let decide = |id: String, verdict: &'static str, note: &'static str| {
        let field = &field;
        async move {
            let reply = field
                .suite()
                .post(
                    &format!("/admin/modules/offline-tracking/leave-requests/{id}/{verdict}"),
                    &field.admin,
                    &serde_json::json!({"note": note}),
                )
                .await;
            assert_eq!(reply.status, 200, "{:?}", reply.body);
        }
    };
    decide(
        sick.clone(),
        "reject",
        "a doctor's note is needed from day one",
    )
    .await;
    decide(annual.clone(), "approve", "enjoy").await;
    phone.run_ok(&["sync"]);

    let decided = phone.run_ok(&["leave-requests"]);
    assert!(
        decided.contains(&format!("{sick}  {soon} to {soon}  rejected")),
        "{decided}"
    );
    assert!(
        decided.contains("administrator: a doctor's note is needed from day one"),
        "{decided}"
    );
    assert!(
        decided.contains(&format!("{annual}  {later} to {later}  approved")),
        "{decided}"
    );
    let records = phone.run_ok(&["records"]);
    let line = |id: &str| {
        records
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{records}"))
            .to_owned()
    };
    assert!(line(&sick).contains("leave_request rejected"), "{records}");
    assert!(!line(&sick).contains("accepted"), "{records}");
    assert!(
        line(&sick).contains("administrator: a doctor's note"),
        "{records}"
    );
    assert!(
        line(&annual).contains("leave_request approved"),
        "{records}"
    );
}
