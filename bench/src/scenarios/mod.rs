//! The scenarios, and what several of them share: a fleet of phones that push their
//! records at once.

pub mod boundary;
pub mod device;
pub mod herd;
pub mod history;
pub mod ingest;
mod insert_limit;
pub mod pull;

use crate::phone::Phone;
use crate::report::Latencies;
use crate::server::BenchSuite;
use futures_util::{StreamExt, stream};
use std::time::{Duration, Instant};

/// An HTTP client with a connection for each of `concurrency` requests in flight.
pub fn client(concurrency: usize) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(120))
        .build()?)
}

/// Phones with their pushes prepared (signed and serialised before the clock starts).
pub struct Fleet {
    pub phones: Vec<Phone>,
    /// Per phone, its push bodies in order and the records in each.
    pushes: Vec<Vec<(Vec<u8>, usize)>>,
}

/// What a fleet's pushes came to.
pub struct Driven {
    pub elapsed: Duration,
    pub latencies: Latencies,
    pub pushes: usize,
    /// Records the server stored (accepted, duplicate or conflict).
    pub stored: usize,
    /// Records the server refused or asked for again.
    pub refused: usize,
    /// Pushes that failed: not answered 200, or no answer at all.
    pub errors: usize,
}

impl Fleet {
    /// `phones` employees, each with a registered phone holding `records` records of its
    /// history, to be pushed `batch` at a time.
    pub async fn prepare(
        suite: &mut BenchSuite,
        phones: usize,
        records: usize,
        batch: usize,
    ) -> anyhow::Result<Self> {
        let employees = suite.employees(phones).await?;
        let suite_ref = &*suite;
        let registered: Vec<anyhow::Result<Phone>> = stream::iter(&employees)
            .map(|employee| Phone::register(suite_ref, employee))
            .buffered(8)
            .collect()
            .await;
        let mut fleet = Fleet {
            phones: Vec::with_capacity(phones),
            pushes: Vec::with_capacity(phones),
        };
        for phone in registered {
            let mut phone = phone?;
            let history = phone.history(records)?;
            let pushes = history
                .chunks(batch)
                .map(|chunk| Ok((phone.push_body(chunk)?, chunk.len())))
                .collect::<anyhow::Result<Vec<_>>>()?;
            fleet.phones.push(phone);
            fleet.pushes.push(pushes);
        }
        Ok(fleet)
    }

    /// Every record prepared.
    pub fn records(&self) -> usize {
        self.pushes
            .iter()
            .flat_map(|pushes| pushes.iter().map(|(_, count)| count))
            .sum()
    }

    /// Every phone sends its pushes one after another, `concurrency` phones at a time.
    pub async fn drive(self, suite: &BenchSuite, concurrency: usize) -> anyhow::Result<Driven> {
        let client = client(concurrency)?;
        let base_url = suite.suite.base_url.as_str();
        let started = Instant::now();
        let per_phone: Vec<Vec<anyhow::Result<crate::phone::Pushed>>> =
            stream::iter(self.phones.iter().zip(self.pushes))
                .map(|(phone, pushes)| {
                    let client = &client;
                    async move {
                        let mut answers = Vec::with_capacity(pushes.len());
                        for (body, _) in pushes {
                            answers.push(phone.push(client, base_url, body).await);
                        }
                        answers
                    }
                })
                .buffer_unordered(concurrency)
                .collect()
                .await;
        let elapsed = started.elapsed();
        let mut latencies = Vec::new();
        let (mut stored, mut refused, mut errors, mut pushes) = (0, 0, 0, 0);
        for answer in per_phone.into_iter().flatten() {
            pushes += 1;
            match answer {
                Ok(pushed) if pushed.status == 200 => {
                    latencies.push(pushed.elapsed);
                    stored += pushed.stored;
                    refused += pushed.refused;
                }
                Ok(_) | Err(_) => errors += 1,
            }
        }
        Ok(Driven {
            elapsed,
            latencies: Latencies::new(latencies),
            pushes,
            stored,
            refused,
            errors,
        })
    }
}

/// Records stored in the organisation, and how many of them are distinct records: equal
/// when every record is stored exactly once.
pub async fn stored_records(suite: &BenchSuite) -> anyhow::Result<(i64, i64)> {
    let organisation = suite.organisation_id();
    let rows = suite
        .count(&format!(
            "SELECT COUNT(*) FROM ot_records WHERE organisation_id = {organisation}"
        ))
        .await?;
    let distinct = suite
        .count(&format!(
            "SELECT COUNT(*) FROM (SELECT DISTINCT device_id, sequence FROM ot_records WHERE organisation_id = {organisation}) AS records"
        ))
        .await?;
    Ok((rows, distinct))
}
