//! Sync Now: push what waits, pull what changed, apply a new configuration.

pub mod client;
pub mod pull;
pub mod push;

use crate::clock::Clock;
use crate::error::FieldError;
use crate::recorder::stamp;
use crate::store::Store;
use crate::store::entities::{device, state};
use client::Client;
use offline_tracking_protocol::{HealthReport, PROTOCOL_VERSION};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, sea_query::Expr,
};

/// The network the device is on, as the OS would report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    Wifi,
    Cellular,
    None,
}

impl Network {
    /// Parses `wifi`, `cellular` or `none`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match text.trim() {
            "wifi" => Ok(Network::Wifi),
            "cellular" => Ok(Network::Cellular),
            "none" | "" => Ok(Network::None),
            other => Err(FieldError::Invalid(format!(
                "network is wifi, cellular or none, not {other:?}"
            ))),
        }
    }

    /// The name in health reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Network::Wifi => "wifi",
            Network::Cellular => "cellular",
            Network::None => "none",
        }
    }
}

/// The sync confirmation.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub pushed: push::Tally,
    pub changes_pulled: usize,
    pub config_applied: Option<i64>,
}

/// Whether syncing is allowed on `network` (WiFi only, a revoked device).
pub async fn check_allowed(store: &Store, network: Network) -> Result<device::Model, FieldError> {
    let mut device = store.registered().await?;
    if device.status == "revoked" {
        // Only an administrator lifts a revocation: ask whether one did, without pushing.
        let reinstated = network != Network::None
            && Client::new(&device)
                .my_status()
                .await
                .ok()
                .flatten()
                .as_deref()
                == Some("active");
        if !reinstated {
            return Err(FieldError::CannotSync(
                "this device was revoked by an administrator; its records stay on it and are sent once an administrator reinstates it".into(),
            ));
        }
        device::Entity::update_many()
            .col_expr(device::Column::Status, Expr::value("active"))
            .exec(store.db())
            .await?;
        device.status = "active".to_owned();
    }
    match network {
        Network::None => return Err(FieldError::CannotSync("there is no network".into())),
        Network::Cellular if store.settings().await?.sync_on_wifi_only => {
            return Err(FieldError::CannotSync(
                "your organisation syncs on WiFi only: connect to WiFi".into(),
            ));
        }
        _ => {}
    }
    Ok(device)
}

/// Fetches and stores the configuration when the server's version is newer.
async fn refresh_config(
    store: &Store,
    client: &Client,
    server_version: i64,
) -> Result<Option<i64>, FieldError> {
    if server_version <= store.state().await?.config_version {
        return Ok(None);
    }
    let (settings, version) = client.config().await?;
    state::Entity::update_many()
        .col_expr(
            state::Column::Settings,
            Expr::value(serde_json::to_string(&settings).unwrap_or_default()),
        )
        .col_expr(state::Column::ConfigVersion, Expr::value(version))
        .filter(state::Column::Id.eq(1))
        .exec(store.db())
        .await?;
    Ok(Some(version))
}

/// One full sync.
pub async fn sync_once(
    store: &Store,
    clock: &dyn Clock,
    network: Network,
) -> Result<Report, FieldError> {
    let device = check_allowed(store, network).await?;
    let client = Client::new(&device);
    let result = async {
        let pushed = push::push_all(store, clock, &client, network.as_str()).await?;
        let (changes_pulled, pulled_version) =
            pull::pull_all(store, &client, clock.now()?.wall_clock_ms).await?;
        let config_applied =
            refresh_config(store, &client, pushed.config_version.max(pulled_version)).await?;
        Ok::<_, FieldError>(Report {
            pushed,
            changes_pulled,
            config_applied,
        })
    }
    .await;
    record_attempt(store, clock, &result).await?;
    if result.is_ok() {
        // The push's health was measured before its answers and the new configuration
        // were applied; this one lets the administrator see the phone as it is now. A
        // failure here costs nothing but freshness: the next push reports again.
        if let Err(problem) = report_health(store, clock, &client, network).await {
            tracing::warn!("the health report after the sync was not delivered: {problem}");
        }
    }
    if let Err(FieldError::Server { code, .. }) = &result
        && code == "device_revoked"
    {
        device::Entity::update_many()
            .col_expr(device::Column::Status, Expr::value("revoked"))
            .exec(store.db())
            .await?;
    }
    result
}

async fn report_health(
    store: &Store,
    clock: &dyn Clock,
    client: &Client,
    network: Network,
) -> Result<(), FieldError> {
    let current = store.state().await?;
    let report = HealthReport {
        protocol_version: PROTOCOL_VERSION,
        device_id: uuid::Uuid::parse_str(&store.registered().await?.device_id)
            .map_err(|_| FieldError::Invalid("the stored device id is damaged".into()))?,
        sent_at: stamp(&clock.now()?, &current),
        health: push::health(store, &current, network.as_str()).await?,
    };
    client.report_health(&report).await
}

/// Remembers how the attempt went: the health report tells the server, and an agent with
/// auto retry off waits for a success after a failure.
async fn record_attempt(
    store: &Store,
    clock: &dyn Clock,
    result: &Result<Report, FieldError>,
) -> Result<(), FieldError> {
    let current = store.state().await?;
    let mut next = current.clone().into_active_model();
    match result {
        Ok(_) => {
            next.failed_attempts = Set(0);
            next.last_error = Set(None);
            next.last_success_at_ms = Set(Some(clock.now()?.wall_clock_ms));
            next.backoff_until_ms = Set(0);
        }
        Err(error) => {
            next.failed_attempts = Set(current.failed_attempts + 1);
            next.last_error = Set(Some(error.to_string()));
        }
    }
    next.update(store.db()).await?;
    Ok(())
}
