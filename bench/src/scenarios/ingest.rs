//! Ingest: many phones' records through the sync hub as fast as the server takes them,
//! against the database's own limit for the same rows, measured in the same run.

use super::{Fleet, insert_limit, stored_records};
use crate::Size;
use crate::report::{Report, per_second};
use crate::server::BenchSuite;
use anyhow::bail;
use serde_json::json;

pub async fn run(size: Size, database_url: Option<String>) -> anyhow::Result<Report> {
    let phones = size.pick(500, 20);
    let records = size.pick(200, 40);
    let batch = 200;
    let concurrency = 16;
    let mut suite = BenchSuite::offline_tracking(database_url).await?;
    // Histories reach 50 days back: within what the organisation takes without a remark.
    suite.configure(json!({"max_offline_days": 90})).await?;
    let fleet = Fleet::prepare(&mut suite, phones, records, batch).await?;
    let total = fleet.records();
    let switches_before = suite.context_switches()?;
    let driven = fleet.drive(&suite, concurrency).await?;
    let switches = suite.context_switches()?.saturating_sub(switches_before);
    let (rows, distinct) = stored_records(&suite).await?;
    if driven.errors > 0 || driven.refused > 0 || rows != total as i64 || distinct != rows {
        bail!(
            "ingest lost or duplicated records: sent {total}, {} pushes failed, {} records refused, {rows} rows stored for {distinct} distinct records",
            driven.errors,
            driven.refused
        );
    }
    let rate = per_second(total, driven.elapsed);
    let limits = insert_limit::measure(&suite).await?;
    let mut report = Report::new("ingest")
        .add("database", suite.backend_name())
        .add("records", total)
        .add("phones", phones)
        .add("batch", batch)
        .add("concurrency", concurrency)
        .add("seconds", format!("{:.2}", driven.elapsed.as_secs_f64()))
        .add("records_per_s", format!("{rate:.0}"))
        .add("insert_rows_per_s", format!("{:.0}", limits.insert_per_s))
        .ratio("ratio_to_insert", rate / limits.insert_per_s);
    if let Some(copy) = limits.copy_per_s {
        report = report
            .add("copy_rows_per_s", format!("{copy:.0}"))
            .ratio("ratio_to_copy", rate / copy);
    }
    Ok(report
        .ms("push_p50_ms", driven.latencies.median())
        .ms("push_p99_ms", driven.latencies.percentile(99.0))
        .add(
            "context_switches_per_record",
            format!("{:.1}", switches as f64 / total.max(1) as f64),
        )
        .add("stored_once", rows == distinct))
}
