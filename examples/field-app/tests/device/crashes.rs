use crate::support::{Field, Mode, Phone, Proxy, wait_for};
use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;

/// A small deterministic scatter of delays.
fn delays(count: usize) -> Vec<Duration> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            Duration::from_millis(state % 60)
        })
        .collect()
}

#[tokio::test]
async fn killing_the_phone_while_recording_or_syncing_loses_and_duplicates_nothing() {
    let field = Field::start().await;
    let proxy = Proxy::start(field.port).await;
    let mut phone = Phone::new();
    phone.register(&proxy.url(), &field.employee);

    // Killed at any instant of recording: a record the phone said it stored is there,
    // and sequence numbers stay gap-free.
    let mut confirmed = BTreeSet::new();
    for delay in delays(12) {
        let child = phone.spawn(&["break-start", "--lat", "52.52", "--lon", "13.405"]);
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
    }
    let log = phone.agent_log();
    for line in log.lines().filter(|l| l.starts_with("Stored")) {
        confirmed.insert(line.split_whitespace().nth(2).unwrap().to_owned());
    }
    phone.stop_agents();
    let kept = phone.records();
    let kept_ids: BTreeSet<String> = kept.iter().map(|(_, _, _, id)| id.clone()).collect();
    assert!(
        confirmed.is_subset(&kept_ids),
        "a confirmed record was lost: {confirmed:?} vs {kept_ids:?}"
    );
    let sequences: Vec<i64> = kept.iter().map(|(seq, _, _, _)| *seq).collect();
    assert_eq!(
        sequences,
        (1..=sequences.len() as i64).collect::<Vec<_>>(),
        "gap-free"
    );
    phone.record("check-in");
    let total = phone.records().len() as i64;

    // Killed in the middle of a sync, after the server committed and before the answer
    // arrived: the next sync resends, the server answers as before.
    proxy.set(Mode::HoldPushAnswers(Duration::from_secs(5)));
    let mut syncing = phone
        .command_for_test(&["sync"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let field_ref = &field;
    assert!(
        wait_for(
            20,
            || async move { field_ref.server_records().await == total }
        )
        .await
    );
    let _ = syncing.kill();
    let _ = syncing.wait();
    assert!(
        phone
            .records()
            .iter()
            .all(|(_, _, state, _)| state == "sent")
    );

    proxy.set(Mode::Forward);
    let out = phone.run_ok(&["sync"]);
    assert!(out.contains("Synced:"), "{out}");
    assert_eq!(field.server_records().await, total, "nothing duplicated");
    let states: BTreeSet<String> = phone
        .records()
        .into_iter()
        .map(|(_, _, state, _)| state)
        .collect();
    assert!(
        !states.contains("pending") && !states.contains("sent"),
        "{states:?}"
    );
}
