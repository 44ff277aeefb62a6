//! History: how long one push of a day's records takes as the employee's stored history
//! grows. For each size a fresh employee's history is pushed through the hub as their
//! phone would have sent it over the years: the server's clock is moved back to each
//! push's time, so no record arrives later than the organisation's max offline days. Then
//! the server runs on the real clock again and the employee's second phone pushes the
//! last days, one day a push, timed.

use crate::Size;
use crate::phone::{DAY_MS, HOUR_MS, Phone};
use crate::report::{Latencies, Report, growth};
use crate::server::{BenchSuite, ServerClock};
use anyhow::{Context, bail};
use offline_tracking_protocol::{MAX_BATCH_RECORDS, SignedRecord};
use serde_json::json;
use std::time::Duration;

/// Timed pushes at each size; the median is reported.
const SAMPLES: usize = 5;
/// A push of the seeded history spans at most this long, well within max offline days.
const MOST_DAYS_A_PUSH: i64 = 30;

pub async fn run(size: Size, database_url: Option<String>) -> anyhow::Result<Report> {
    let sizes: &[usize] = size.pick(&[100, 1_000, 10_000, 100_000], &[100, 1_000]);
    let mut suite = BenchSuite::offline_tracking(database_url).await?;
    suite.configure(json!({"max_offline_days": 90})).await?;
    let mut report = Report::new("history").add("database", suite.backend_name());
    let mut medians = Vec::new();
    for &records in sizes {
        let median = one_size(&mut suite, records).await?;
        medians.push(median);
        report = report.ms(format!("push_ms_at_{records}"), median);
    }
    let ratio = growth(&medians);
    // Pushed in time, the history holds no conflict: none is derived over and over.
    let organisation = suite.organisation_id();
    let conflicts = suite
        .count(&format!(
            "SELECT COUNT(*) FROM ot_conflicts WHERE organisation_id = {organisation}"
        ))
        .await?;
    Ok(report
        .ratio("ratio_largest_to_smallest", ratio)
        .add("conflicts", conflicts))
}

/// A new employee with `records` records of history: the median time of a day's push.
async fn one_size(suite: &mut BenchSuite, records: usize) -> anyhow::Result<Duration> {
    let employee = suite.employees(1).await?.remove(0);
    let mut seeder = Phone::register(suite, &employee).await?;
    let mut today = Phone::register(suite, &employee).await?;
    let client = super::client(1)?;
    // The last SAMPLES days are today's phone's; the history ends before them.
    let recent = today.history(SAMPLES * 4)?;
    let first_recent_ms = recent
        .first()
        .map(|signed| signed.record().map(|r| r.device_time.wall_clock_ms))
        .transpose()?
        .context("no recent records")?;
    let history = seeder.history_before(records, first_recent_ms - DAY_MS)?;
    let clock = ServerClock::new()?;
    suite.serve_again(Some(&clock))?;
    for push in pushes_in_time(&history)? {
        let sent_ms = push.last_ms + HOUR_MS;
        clock.set(sent_ms)?;
        let body = seeder.push_body_at(push.records, sent_ms)?;
        push_all(
            &seeder,
            &client,
            suite,
            body,
            push.records.len(),
            "seeding the history",
        )
        .await?;
    }
    suite.serve_again(None)?;
    let mut samples = Vec::with_capacity(SAMPLES);
    for day in recent.chunks(4) {
        let body = today.push_body(day)?;
        samples.push(push_all(&today, &client, suite, body, day.len(), "a day's push").await?);
    }
    Ok(Latencies::new(samples).median())
}

/// Records of one push, and the time of its last record.
struct Push<'a> {
    records: &'a [SignedRecord],
    last_ms: i64,
}

/// The history cut into pushes of at most 500 records spanning at most 30 days.
fn pushes_in_time(history: &[SignedRecord]) -> anyhow::Result<Vec<Push<'_>>> {
    let times = history
        .iter()
        .map(|signed| Ok(signed.record()?.device_time.wall_clock_ms))
        .collect::<anyhow::Result<Vec<i64>>>()?;
    let mut pushes = Vec::new();
    let mut start = 0;
    while start < history.len() {
        let mut end = start + 1;
        while end < history.len()
            && end - start < MAX_BATCH_RECORDS
            && times[end] - times[start] < MOST_DAYS_A_PUSH * DAY_MS
        {
            end += 1;
        }
        pushes.push(Push {
            records: &history[start..end],
            last_ms: times[end - 1],
        });
        start = end;
    }
    Ok(pushes)
}

/// Sends a push and fails unless every record was stored; answers how long it took.
async fn push_all(
    phone: &Phone,
    client: &reqwest::Client,
    suite: &BenchSuite,
    body: Vec<u8>,
    records: usize,
    doing: &str,
) -> anyhow::Result<Duration> {
    let pushed = phone.push(client, &suite.suite.base_url, body).await?;
    if pushed.status != 200 || pushed.stored != records {
        bail!(
            "{doing}: {} of {records} records stored (status {}); the server logged:\n{}",
            pushed.stored,
            pushed.status,
            suite.log_tail()
        );
    }
    Ok(pushed.elapsed)
}
