use crate::support::{HOUR, OtSuite, Recording};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};

#[tokio::test]
async fn verify_finds_an_edited_a_deleted_and_a_truncated_entry() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let base = midnight_days_ago(1);
    phone
        .push_new(
            &ot.suite,
            vec![
                Recording::at(CheckIn, base + 8 * HOUR),
                Recording::at(CheckOut, base + 16 * HOUR),
            ],
        )
        .await;
    let intact = ot.admin_get(org, "/audit/verify").await;
    assert_eq!(intact.body["intact"], true, "{:?}", intact.body);
    let entries = intact.body["entries_checked"].as_i64().unwrap();
    assert_eq!(entries, 4, "registration, two records, the sync");

    // Someone with database access rewrites history.
    ot.home
        .database
        .execute("UPDATE ot_audit SET details = '{\"kind\":\"check_out\"}' WHERE seq = 2")
        .await;
    let edited = ot.admin_get(org, "/audit/verify").await;
    assert_eq!(edited.body["intact"], false);
    let problems = edited.body["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["seq"] == 2 && p["problem"] == "edited"),
        "{problems:?}"
    );

    ot.home
        .database
        .execute("DELETE FROM ot_audit WHERE seq = 3")
        .await;
    let deleted = ot.admin_get(org, "/audit/verify").await;
    let problems = deleted.body["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["seq"] == 3 && p["problem"] == "missing"),
        "{problems:?}"
    );

    ot.home
        .database
        .execute(&format!("DELETE FROM ot_audit WHERE seq = {entries}"))
        .await;
    let truncated = ot.admin_get(org, "/audit/verify").await;
    let problems = truncated.body["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["problem"] == "head_mismatch"),
        "{problems:?}"
    );
}
