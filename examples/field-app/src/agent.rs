//! Automatic mode: a long-running agent that notices when the suite is reachable again and
//! syncs by itself, honours "sync on WiFi only", and after a failure either retries with
//! exponential backoff and jitter (auto retry on, honouring Retry-After) or waits for a
//! manual sync (auto retry off).

use crate::clock::Clock;
use crate::error::FieldError;
use crate::store::Store;
use crate::store::entities::{action, queued_record, state};
use crate::sync::client::Client;
use crate::sync::{Network, Report, check_allowed, sync_once};
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};
use std::path::PathBuf;
use std::time::Duration;

/// Where the agent learns the network type (a CLI cannot see the radio).
#[derive(Clone, Debug)]
pub enum NetworkSource {
    /// Always this network.
    Fixed(Network),
    /// Read from a file at each turn (`wifi`, `cellular`, `none`; a missing file is none).
    File(PathBuf),
}

impl NetworkSource {
    fn read(&self) -> Network {
        match self {
            NetworkSource::Fixed(network) => *network,
            NetworkSource::File(path) => std::fs::read_to_string(path)
                .ok()
                .and_then(|text| Network::parse(&text).ok())
                .unwrap_or(Network::None),
        }
    }
}

/// How the agent behaves.
#[derive(Clone, Debug)]
pub struct Options {
    pub network: NetworkSource,
    /// How often it looks around.
    pub poll: Duration,
    /// How often it pulls when nothing waits to be pushed.
    pub pull_every: Duration,
    /// First retry delay.
    pub base_backoff: Duration,
    /// Longest retry delay.
    pub max_backoff: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            network: NetworkSource::Fixed(Network::Wifi),
            poll: Duration::from_secs(2),
            pull_every: Duration::from_secs(300),
            base_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(300),
        }
    }
}

/// What the agent tells whoever watches it.
#[derive(Clone, Debug)]
pub enum Event {
    Waiting(String),
    Synced(Report),
    Failed {
        error: String,
        retry_in: Option<Duration>,
    },
}

/// The delay before retry number `failures` (1 for the first): exponential from `base`,
/// capped at `max`, with full jitter in its upper half, and never before `retry_after`.
pub fn backoff(
    failures: i32,
    base: Duration,
    max: Duration,
    retry_after: Option<Duration>,
) -> Duration {
    let exponent = failures.clamp(1, 20) as u32 - 1;
    let ceiling = base.saturating_mul(2u32.saturating_pow(exponent)).min(max);
    let half = ceiling / 2;
    let jittered =
        half + Duration::from_millis(rand::rng().random_range(0..=half.as_millis().max(1) as u64));
    match retry_after {
        Some(server) if server > jittered => server,
        _ => jittered,
    }
}

async fn has_work(store: &Store) -> Result<bool, FieldError> {
    let records = queued_record::Entity::find().count(store.db()).await?;
    let actions = action::Entity::find()
        .filter(action::Column::Status.eq("pending"))
        .count(store.db())
        .await?;
    Ok(records + actions > 0)
}

/// What one turn of the agent came to.
enum Turn {
    Waiting(String),
    Idle,
    Synced(Report),
    Failed {
        error: String,
        retry_in: Option<Duration>,
    },
}

/// One look around: sync when there is a reason to and nothing stands in the way.
async fn turn(
    store: &Store,
    clock: &dyn Clock,
    options: &Options,
    pull_due: bool,
) -> Result<Turn, FieldError> {
    let network = options.network.read();
    let current = store.state().await?;
    let settings = store.settings().await?;
    let now = clock.now()?.wall_clock_ms;
    if current.failed_attempts > 0 && !settings.auto_retry {
        return Ok(Turn::Waiting(
            "the last sync failed and auto retry is off: run `field-app sync`".into(),
        ));
    }
    if current.backoff_until_ms > now {
        return Ok(Turn::Idle);
    }
    let device = match check_allowed(store, network).await {
        Ok(device) => device,
        Err(FieldError::NotRegistered) => return Err(FieldError::NotRegistered),
        Err(error) => return Ok(Turn::Waiting(error.to_string())),
    };
    if !Client::new(&device).reachable().await {
        return Ok(Turn::Waiting("offline: the suite is not reachable".into()));
    }
    if !has_work(store).await? && !pull_due {
        return Ok(Turn::Idle);
    }
    match sync_once(store, clock, network).await {
        Ok(report) => Ok(Turn::Synced(report)),
        Err(error) => {
            let failures = store.state().await?.failed_attempts;
            let retry_in = settings.auto_retry.then(|| {
                backoff(
                    failures,
                    options.base_backoff,
                    options.max_backoff,
                    error.retry_after_seconds().map(Duration::from_secs),
                )
            });
            if let Some(delay) = retry_in {
                state::Entity::update_many()
                    .col_expr(
                        state::Column::BackoffUntilMs,
                        Expr::value(now + delay.as_millis() as i64),
                    )
                    .filter(state::Column::Id.eq(1))
                    .exec(store.db())
                    .await?;
            }
            Ok(Turn::Failed {
                error: error.to_string(),
                retry_in,
            })
        }
    }
}

/// Runs until `stop` completes.
pub async fn run(
    store: &Store,
    clock: &dyn Clock,
    options: &Options,
    mut on_event: impl FnMut(Event),
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), FieldError> {
    tokio::pin!(stop);
    let mut last_sync: Option<std::time::Instant> = None;
    let mut last_waiting = String::new();
    loop {
        let pull_due = last_sync.is_none_or(|at| at.elapsed() >= options.pull_every);
        match turn(store, clock, options, pull_due).await {
            Ok(Turn::Waiting(why)) => {
                // Said once, not at every turn.
                if why != last_waiting {
                    on_event(Event::Waiting(why.clone()));
                    last_waiting = why;
                }
            }
            Ok(Turn::Idle) => {}
            Ok(Turn::Synced(report)) => {
                last_waiting.clear();
                last_sync = Some(std::time::Instant::now());
                on_event(Event::Synced(report));
            }
            Ok(Turn::Failed { error, retry_in }) => {
                last_waiting.clear();
                on_event(Event::Failed { error, retry_in });
            }
            Err(FieldError::NotRegistered) => return Err(FieldError::NotRegistered),
            Err(error) => on_event(Event::Failed {
                error: error.to_string(),
                retry_in: None,
            }),
        }
        tokio::select! {
            () = &mut stop => return Ok(()),
            () = tokio::time::sleep(options.poll) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_caps_and_yields_to_retry_after() {
        let base = Duration::from_secs(2);
        let max = Duration::from_secs(60);
        for _ in 0..50 {
            let first = backoff(1, base, max, None);
            assert!(
                first >= Duration::from_secs(1) && first <= Duration::from_secs(2),
                "{first:?}"
            );
            let fourth = backoff(4, base, max, None);
            assert!(
                fourth >= Duration::from_secs(8) && fourth <= Duration::from_secs(16),
                "{fourth:?}"
            );
            let capped = backoff(15, base, max, None);
            assert!(capped <= max && capped >= max / 2, "{capped:?}");
            assert_eq!(
                backoff(1, base, max, Some(Duration::from_secs(30))),
                Duration::from_secs(30)
            );
        }
    }
}
