//! Pull: how long one device's pull takes as the organisation's change log grows with
//! other employees' changes. The device's own employee has a few days of changes (made by
//! their other phone); the log around them is filled with other employees' entries.

use crate::Size;
use crate::phone::Phone;
use crate::report::{Latencies, Report, growth};
use crate::server::BenchSuite;
use anyhow::{Context, bail};
use offline_tracking::entities::change;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

/// Timed pulls at each size; the median is reported.
const SAMPLES: usize = 15;
/// Changes per pull page, as the field app asks.
const PAGE: u32 = 200;
/// Rows per INSERT when filling the log.
const FILL_ROWS: usize = 1000;
/// Other employees the filler rows belong to.
const OTHERS: i64 = 1000;

pub async fn run(size: Size, database_url: Option<String>) -> anyhow::Result<Report> {
    let sizes: &[i64] = size.pick(&[10_000, 1_000_000], &[1_000, 20_000]);
    let mut suite = BenchSuite::offline_tracking(database_url).await?;
    suite.configure(json!({"max_offline_days": 90})).await?;
    let employee = suite.employees(1).await?.remove(0);
    let mut writer = Phone::register(&suite, &employee).await?;
    let reader = Phone::register(&suite, &employee).await?;
    let client = super::client(1)?;
    let base_url = suite.suite.base_url.clone();
    let days = writer.history(20)?;
    let pushed = writer
        .push(&client, &base_url, writer.push_body(&days)?)
        .await?;
    if pushed.status != 200 || pushed.stored != days.len() {
        bail!(
            "the writer's push stored {} of {}",
            pushed.stored,
            days.len()
        );
    }
    let mut report = Report::new("pull").add("database", suite.backend_name());
    let mut medians = Vec::new();
    let mut expected = None;
    for &rows in sizes {
        fill_to(&suite, rows).await?;
        let mut samples = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let (elapsed, changes) = reader.pull(&client, &base_url, PAGE).await?;
            // Every pull sees the same changes of its employee, whatever the log holds.
            if *expected.get_or_insert(changes) != changes || changes == 0 {
                bail!("a pull saw {changes} changes, earlier ones {expected:?}");
            }
            samples.push(elapsed);
        }
        let median = Latencies::new(samples).median();
        medians.push(median);
        report = report.ms(format!("pull_ms_at_{rows}"), median);
    }
    let ratio = growth(&medians);
    Ok(report
        .add("changes_per_pull", expected.unwrap_or_default())
        .ratio("ratio_largest_to_smallest", ratio))
}

/// Appends other employees' changes until the organisation's log holds `rows` entries,
/// numbered through the organisation's change counter as the module numbers them.
async fn fill_to(suite: &BenchSuite, rows: i64) -> anyhow::Result<()> {
    let organisation = suite.organisation_id();
    let db = &suite.db;
    let existing = suite
        .count(&format!(
            "SELECT COUNT(*) FROM ot_changes WHERE organisation_id = {organisation}"
        ))
        .await?;
    let missing = rows - existing;
    if missing <= 0 {
        return Ok(());
    }
    let template = change::Entity::find()
        .filter(change::Column::OrganisationId.eq(organisation))
        .order_by_asc(change::Column::Seq)
        .one(db)
        .await?
        .context("the writer's push made no change to copy")?;
    db.execute_unprepared(&format!(
        "UPDATE ot_change_counters SET last_seq = last_seq + {missing} WHERE organisation_id = {organisation}"
    ))
    .await?;
    let last = suite
        .count(&format!(
            "SELECT last_seq FROM ot_change_counters WHERE organisation_id = {organisation}"
        ))
        .await?;
    let first = last - missing + 1;
    let mut seq = first;
    while seq <= last {
        let end = (seq + FILL_ROWS as i64 - 1).min(last);
        let batch = (seq..=end).map(|n| change::ActiveModel {
            organisation_id: Set(organisation),
            seq: Set(n),
            employee_id: Set(Some(1_000_000 + n % OTHERS)),
            kind: Set(template.kind.clone()),
            entity_id: Set(template.entity_id.clone()),
            data: Set(template.data.clone()),
            origin_device_id: Set(None),
            created_at_ms: Set(template.created_at_ms),
        });
        change::Entity::insert_many(batch)
            .exec_without_returning(db)
            .await
            .context("filling the change log")?;
        seq = end + 1;
    }
    Ok(())
}
