//! The device's durable store: one SQLite file, WAL, every commit fsynced. A record is
//! either committed (and then survives a crash) or the employee is told it was not.

pub mod entities;
mod migration;

use crate::error::FieldError;
use entities::{device, queued_record, state};
use offline_tracking_settings::OfflineTrackingSettings;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, QuerySelect, Set,
    sea_query::{Expr, Func},
};
use sea_orm_migration::MigratorTrait;
use std::path::Path;

/// The device's database.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
}

const STATE_ROW: i32 = 1;

impl Store {
    /// Opens (creating if needed) the store in `folder`.
    pub async fn open(folder: &Path) -> Result<Self, FieldError> {
        std::fs::create_dir_all(folder).map_err(|error| {
            FieldError::Invalid(format!("cannot create {}: {error}", folder.display()))
        })?;
        let url = format!("sqlite://{}?mode=rwc", folder.join("device.db").display());
        // The suite's connection policy: WAL, busy timeout, full fsync on commit.
        let db = host_sdk::db::connect(&url, 2).await?;
        migration::Migrator::up(&db, None).await?;
        if state::Entity::find_by_id(STATE_ROW)
            .one(&db)
            .await?
            .is_none()
        {
            state::ActiveModel {
                id: Set(STATE_ROW),
                next_sequence: Set(1),
                anchor_server_ms: Set(None),
                anchor_monotonic_ms: Set(None),
                anchor_boot_id: Set(None),
                pull_cursor: Set(String::new()),
                last_success_at_ms: Set(None),
                failed_attempts: Set(0),
                last_error: Set(None),
                backoff_until_ms: Set(0),
                config_version: Set(0),
                settings: Set(
                    serde_json::to_string(&OfflineTrackingSettings::default()).unwrap_or_default()
                ),
            }
            .insert(&db)
            .await?;
        }
        Ok(Self { db })
    }

    /// The connection.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The registration, if any.
    pub async fn device(&self) -> Result<Option<device::Model>, FieldError> {
        Ok(device::Entity::find_by_id(1).one(&self.db).await?)
    }

    /// The registration, or the error that says to register.
    pub async fn registered(&self) -> Result<device::Model, FieldError> {
        self.device().await?.ok_or(FieldError::NotRegistered)
    }

    /// The sync state.
    pub async fn state(&self) -> Result<state::Model, FieldError> {
        state::Entity::find_by_id(STATE_ROW)
            .one(&self.db)
            .await?
            .ok_or_else(|| FieldError::Invalid("the device store has no state row".into()))
    }

    /// The organisation's settings as last fetched (the defaults before the first fetch).
    pub async fn settings(&self) -> Result<OfflineTrackingSettings, FieldError> {
        Ok(serde_json::from_str(&self.state().await?.settings).unwrap_or_default())
    }

    /// Bytes of offline data waiting to be sent.
    pub async fn storage_used(&self) -> Result<i64, FieldError> {
        let used: Option<i64> = queued_record::Entity::find()
            .select_only()
            .column_as(
                Expr::expr(Func::sum(Expr::col(queued_record::Column::SizeBytes))),
                "used",
            )
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        Ok(used.unwrap_or(0))
    }
}
