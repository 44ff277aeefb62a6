//! Guessing tokens and device credentials: failures are logged without the secret,
//! throttled with 429 and Retry-After, and do not grow the audit trail by a row each.

use crate::support::{HOUR, OtSuite, Recording, collection_body};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::RecordKind;
use serde_json::json;
use std::time::Duration;

fn retry_after(reply: &suite_harness::Reply) -> u64 {
    reply.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn random_bearer_tokens_are_logged_without_the_token_and_throttled() {
    let (ot, _orgs) = OtSuite::start(&["acme"], 1).await;
    let guesses: Vec<String> = (0..60)
        .map(|_| format!("guess-{}", uuid::Uuid::new_v4().simple()))
        .collect();
    let mut statuses = Vec::new();
    for guess in &guesses {
        let reply = ot
            .suite
            .get("/api/modules/offline-tracking/records", guess)
            .await;
        if reply.status == 429 {
            assert_eq!(reply.code(), "too_many_failed_attempts");
            assert!(retry_after(&reply) >= 1);
        }
        statuses.push(reply.status);
    }
    let refused = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(refused + throttled, guesses.len(), "{statuses:?}");
    assert!(
        (20..=22).contains(&refused),
        "twenty failures are allowed at once, then 429s: {statuses:?}"
    );
    let log = ot.suite.log();
    assert!(
        log.matches("bearer authentication failed").count() >= refused,
        "{log}"
    );
    for guess in &guesses {
        assert!(!log.contains(guess.as_str()), "a token reached the log");
    }
}

#[tokio::test]
async fn wrong_device_credentials_are_throttled_and_audited_together() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let org = &orgs[0];
    let mut phone = ot.device(org, 0).await;
    let record = phone.signed(Recording::at(
        RecordKind::CheckIn,
        midnight_days_ago(1) + 8 * HOUR,
    ));
    let real_token = std::mem::replace(&mut phone.token, "dt_wrong".to_owned());
    let mut statuses = Vec::new();
    for _ in 0..50 {
        let reply = phone
            .push_raw(&ot.suite, phone.push_body(&[], json!([])))
            .await;
        statuses.push(reply.status);
    }
    let refused = statuses.iter().filter(|s| **s == 401).count();
    // Ten are allowed; the eleventh spends the allowance and is still answered (and
    // audited) as itself; every later one waits.
    assert_eq!(refused, 11, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 39);
    let audited = |action: &'static str| {
        let ot = &ot;
        async move {
            ot.count(&format!(
                "SELECT COUNT(*) FROM ot_audit WHERE action = '{action}'"
            ))
            .await
        }
    };
    assert_eq!(
        audited("sync.refused").await,
        11,
        "no row per throttled refusal"
    );

    // The device with its real credential, once the wait is over: its push goes through,
    // and the 39 refusals it was given meanwhile become one audit entry.
    phone.token = real_token;
    let reply = loop {
        let reply = phone.push(&ot.suite, std::slice::from_ref(&record)).await;
        if reply.status != 429 {
            break reply;
        }
        tokio::time::sleep(Duration::from_secs(retry_after(&reply).min(10))).await;
    };
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(collection_body(&reply)["results"][0]["status"], "accepted");
    let coalesced = ot
        .audit_of(org, "device", &phone.id.to_string())
        .await
        .into_iter()
        .find(|entry| entry["action"] == "sync.refusals_coalesced")
        .expect("one entry for the throttled refusals");
    assert!(
        coalesced["details"]["count"].as_u64().unwrap() >= 39,
        "{coalesced}"
    );
}
