//! The herd at shift start: thousands of phones that were offline for days come back at
//! once, each with its records in one push.

use super::{Fleet, stored_records};
use crate::Size;
use crate::report::{Report, per_second};
use crate::server::BenchSuite;
use anyhow::bail;
use serde_json::json;

pub async fn run(size: Size, database_url: Option<String>) -> anyhow::Result<Report> {
    let phones = size.pick(2000, 64);
    let records = 40;
    let concurrency = size.pick(128, 32);
    let mut suite = BenchSuite::offline_tracking(database_url).await?;
    suite.configure(json!({"max_offline_days": 90})).await?;
    let fleet = Fleet::prepare(&mut suite, phones, records, records).await?;
    let total = fleet.records();
    let driven = fleet.drive(&suite, concurrency).await?;
    let (rows, distinct) = stored_records(&suite).await?;
    let lost = (total as i64 - distinct).max(0);
    let duplicated = rows - distinct;
    if lost > 0 || duplicated > 0 {
        bail!("the herd lost {lost} and duplicated {duplicated} of {total} records");
    }
    Ok(Report::new("herd")
        .add("database", suite.backend_name())
        .add("phones", phones)
        .add("records", total)
        .add("pushes", driven.pushes)
        .add("concurrency", concurrency)
        .add("seconds", format!("{:.2}", driven.elapsed.as_secs_f64()))
        .add(
            "records_per_s",
            format!("{:.0}", per_second(driven.stored, driven.elapsed)),
        )
        .ms("p50_ms", driven.latencies.median())
        .ms("p95_ms", driven.latencies.percentile(95.0))
        .ms("p99_ms", driven.latencies.percentile(99.0))
        .add("errors", driven.errors)
        .add("refused", driven.refused)
        .add("lost", lost)
        .add("duplicated", duplicated)
        .add("peak_rss_mib", format!("{:.0}", suite.peak_rss_mib()?)))
}
