use crate::support::{DAY, Field, HOUR, Phone, now_ms, wait_for};
use std::collections::BTreeSet;

#[tokio::test]
async fn a_week_offline_then_the_agent_syncs_every_record_exactly_once() {
    let mut field = Field::start().await;
    let mut phone = Phone::new();
    phone.register(&field.url(), &field.employee);
    field.stop();

    // The phone rebooted at the start of the week; the suite is gone all week.
    let boot_at = now_ms() - 7 * DAY;
    let first_day = (now_ms() - 6 * DAY) / DAY * DAY;
    let mut stored = Vec::new();
    for day in 0..5 {
        for (command, hour) in [
            ("check-in", 8),
            ("break-start", 12),
            ("break-end", 13),
            ("check-out", 17),
        ] {
            let at = first_day + day * DAY + hour * HOUR;
            phone.set_clock(at - now_ms(), "boot-week", boot_at, 0);
            stored.push(phone.record(command));
        }
    }
    phone.set_clock(0, "boot-week", boot_at, 0);
    assert!(
        phone
            .records()
            .iter()
            .all(|(_, _, state, _)| state == "pending")
    );

    phone.start_agent();
    assert!(
        wait_for(15, || async { phone.agent_log().contains("offline") }).await,
        "the agent notices the suite is unreachable: {}",
        phone.agent_log()
    );
    field.restart();
    let field = &field;
    assert!(
        wait_for(30, || async move { field.server_records().await == 20 }).await,
        "the agent syncs by itself when the suite is back: {}",
        phone.agent_log()
    );
    assert!(
        wait_for(10, || async {
            phone
                .records()
                .iter()
                .all(|(_, _, state, _)| state == "accepted")
        })
        .await,
        "{:?}",
        phone.records()
    );
    phone.stop_agents();

    assert_eq!(field.server_records().await, 20, "every record once");
    let on_server: BTreeSet<String> = field.admin_get("/records?limit=100").await["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["record_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(on_server, stored.iter().cloned().collect::<BTreeSet<_>>());
    let sessions = field.admin_get("/attendance").await;
    let sessions = sessions["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 5, "{sessions:?}");
    let monday = sessions[0]["started_at_ms"].as_i64().unwrap();
    assert!(
        (monday - (first_day + 8 * HOUR)).abs() < 10_000,
        "placed on the day it happened"
    );
}
