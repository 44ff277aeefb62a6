//! Registering the device once, online: a new key, the server's device id and credential,
//! the first time anchor and the configuration.

use crate::clock::Clock;
use crate::error::FieldError;
use crate::keys;
use crate::store::Store;
use crate::store::entities::{device, queued_record, state};
use crate::sync::client::{self, Client};
use offline_tracking_protocol::{DeviceRegistered, RegisterDevice};
use sea_orm::{
    ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set, sea_query::Expr,
};

/// Registers this device with the suite at `server_url` for the employee owning
/// `employee_token`.
pub async fn register(
    store: &Store,
    clock: &dyn Clock,
    server_url: &str,
    employee_token: &str,
    platform: &str,
) -> Result<DeviceRegistered, FieldError> {
    if let Some(existing) = store.device().await? {
        return Err(FieldError::AlreadyRegistered(existing.device_id));
    }
    register_fresh(store, clock, server_url, employee_token, platform).await
}

/// Registers this phone anew after an administrator revoked it: a new key and a new device.
///
/// Refused while records signed with the revoked key wait: they are never re-signed
/// under the new one. An administrator who reinstates the device lets them be sent.
pub async fn register_again(
    store: &Store,
    clock: &dyn Clock,
    server_url: &str,
    employee_token: &str,
    platform: &str,
) -> Result<DeviceRegistered, FieldError> {
    let Some(existing) = store.device().await? else {
        return Err(FieldError::Invalid(
            "this phone was never registered: run `field-app register` without --again".into(),
        ));
    };
    if existing.status != "revoked" {
        return Err(FieldError::Invalid(format!(
            "device {} is {}: --again is only for a device an administrator revoked",
            existing.device_id, existing.status
        )));
    }
    let waiting = queued_record::Entity::find().count(store.db()).await?;
    if waiting > 0 {
        return Err(FieldError::Invalid(format!(
            "{waiting} record(s) made on this device wait, signed with its revoked key, and are never re-signed under a new one: ask an administrator to reinstate device {} so they are sent",
            existing.device_id
        )));
    }
    // The new device counts its records from 1 and pulls the employee's history afresh.
    let transaction = host_sdk::db::begin_write(store.db()).await?;
    device::Entity::delete_by_id(existing.id)
        .exec(&transaction)
        .await?;
    state::Entity::update_many()
        .col_expr(state::Column::NextSequence, Expr::value(1))
        .col_expr(state::Column::PullCursor, Expr::value(""))
        .col_expr(state::Column::FailedAttempts, Expr::value(0))
        .col_expr(
            state::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .col_expr(state::Column::BackoffUntilMs, Expr::value(0))
        .exec(&transaction)
        .await?;
    transaction.commit().await?;
    register_fresh(store, clock, server_url, employee_token, platform).await
}

async fn register_fresh(
    store: &Store,
    clock: &dyn Clock,
    server_url: &str,
    employee_token: &str,
    platform: &str,
) -> Result<DeviceRegistered, FieldError> {
    if !(server_url.starts_with("http://") || server_url.starts_with("https://")) {
        return Err(FieldError::Invalid(format!(
            "--server must be a URL such as http://127.0.0.1:8080, not {server_url:?}"
        )));
    }
    let key = keys::generate();
    let registered = client::register(
        server_url,
        employee_token,
        &RegisterDevice {
            install_id: uuid::Uuid::new_v4().to_string(),
            platform: platform.to_owned(),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            public_key: key.public_key_base64(),
        },
    )
    .await?;
    let reading = clock.now()?;
    let row = device::ActiveModel {
        id: Set(1),
        device_id: Set(registered.device_id.to_string()),
        server_url: Set(server_url.trim_end_matches('/').to_owned()),
        employee_token: Set(employee_token.to_owned()),
        device_token: Set(registered.device_token.clone()),
        secret_key: Set(keys::to_hex(&key)),
        employee_id: Set(registered.employee_id),
        status: Set(registered.status.as_str().to_owned()),
        registered_at_ms: Set(reading.wall_clock_ms),
    }
    .insert(store.db())
    .await?;
    let mut current = state::Entity::find_by_id(1)
        .one(store.db())
        .await?
        .ok_or_else(|| FieldError::Invalid("the device store has no state row".into()))?
        .into_active_model();
    current.anchor_server_ms = Set(Some(registered.server_time_ms));
    current.anchor_monotonic_ms = Set(Some(reading.monotonic_ms));
    current.anchor_boot_id = Set(Some(reading.boot_id));
    current.update(store.db()).await?;
    // The configuration now, so the first records follow the organisation's rules.
    if let Ok((settings, version)) = Client::new(&row).config().await {
        let mut current = store.state().await?.into_active_model();
        current.settings = Set(serde_json::to_string(&settings).unwrap_or_default());
        current.config_version = Set(version);
        current.update(store.db()).await?;
    }
    Ok(registered)
}
