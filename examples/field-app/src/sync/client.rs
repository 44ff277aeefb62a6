//! HTTP to the suite: registration, the sync hub's push and pull, the configuration.

use crate::error::FieldError;
use crate::store::entities::device;
use host_sdk::hub::{HubAnswer, HubPush, PULL_PATH, PUSH_PATH, SYNC_PROTOCOL_VERSION};
use offline_tracking_protocol::{
    COLLECTION, DEVICE_ID_HEADER, DEVICE_TOKEN_HEADER, DeviceRegistered, HealthReport,
    PullResponse, PushRequest, PushResponse, RegisterDevice,
};
use offline_tracking_settings::OfflineTrackingSettings;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;

const MODULE_PATH: &str = "/api/modules/offline-tracking";

/// A client for one registered device.
pub struct Client {
    http: reqwest::Client,
    base: String,
    employee_token: String,
    device_id: String,
    device_token: String,
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap_or_default()
}

fn unreachable(error: reqwest::Error) -> FieldError {
    FieldError::Unreachable(error.to_string())
}

/// Reads an answer: JSON on success, the error body (and Retry-After) otherwise.
async fn answer<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, FieldError> {
    let status = response.status().as_u16();
    let retry_after_seconds = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let body: Value = response.json().await.map_err(unreachable)?;
    if (200..300).contains(&status) {
        return serde_json::from_value(body).map_err(|error| {
            FieldError::Invalid(format!("the server's answer was not understood: {error}"))
        });
    }
    // A hub answer carries the collection's own error inside.
    let hub = serde_json::from_value::<HubAnswer<Value>>(body.clone()).ok();
    let error = hub
        .as_ref()
        .and_then(|hub| hub.collection(COLLECTION))
        .map_or(&body, |collection| &collection.body);
    Err(FieldError::Server {
        status,
        code: error["code"].as_str().unwrap_or("unknown").to_owned(),
        message: error["message"].as_str().unwrap_or_default().to_owned(),
        retry_after_seconds,
    })
}

/// This collection's body of a successful hub answer, and the answer's cursor.
fn collection_of<T>(mut hub: HubAnswer<T>, what: &str) -> Result<(T, Option<String>), FieldError> {
    let body = hub
        .collections
        .remove(COLLECTION)
        .ok_or_else(|| FieldError::Invalid(format!("the {what} answer has no {COLLECTION}")))?
        .body;
    Ok((body, hub.cursor))
}

/// Registers a device with the employee's token.
pub async fn register(
    base: &str,
    employee_token: &str,
    body: &RegisterDevice,
) -> Result<DeviceRegistered, FieldError> {
    let response = http()
        .post(format!(
            "{}{MODULE_PATH}/devices",
            base.trim_end_matches('/')
        ))
        .bearer_auth(employee_token)
        .json(body)
        .send()
        .await
        .map_err(unreachable)?;
    answer(response).await
}

impl Client {
    /// A client for `device`.
    pub fn new(device: &device::Model) -> Self {
        Self {
            http: http(),
            base: device.server_url.trim_end_matches('/').to_owned(),
            employee_token: device.employee_token.clone(),
            device_id: device.device_id.clone(),
            device_token: device.device_token.clone(),
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.employee_token)
            .header(DEVICE_ID_HEADER, &self.device_id)
            .header(DEVICE_TOKEN_HEADER, &self.device_token)
    }

    /// Whether the suite answers its health check: the device's test of connectivity.
    pub async fn reachable(&self) -> bool {
        self.http
            .get(format!("{}/health", self.base))
            .timeout(Duration::from_secs(3))
            .send()
            .await
            .is_ok_and(|response| response.status().is_success())
    }

    /// This device's status as the server holds it now (`active`, `revoked`…).
    pub async fn my_status(&self) -> Result<Option<String>, FieldError> {
        let response = self
            .request(reqwest::Method::GET, &format!("{MODULE_PATH}/devices"))
            .send()
            .await
            .map_err(unreachable)?;
        let body: Value = answer(response).await?;
        Ok(body["devices"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["device_id"] == self.device_id.as_str())
            .and_then(|d| d["status"].as_str())
            .map(str::to_owned))
    }

    /// Tells the server how the device is at the end of a sync.
    pub async fn report_health(&self, report: &HealthReport) -> Result<(), FieldError> {
        let response = self
            .request(
                reqwest::Method::POST,
                &format!("{MODULE_PATH}/devices/health"),
            )
            .json(report)
            .send()
            .await
            .map_err(unreachable)?;
        answer::<Value>(response).await.map(drop)
    }

    /// Pushes through the hub.
    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse, FieldError> {
        let response = self
            .request(reqwest::Method::POST, PUSH_PATH)
            .json(&HubPush::one(COLLECTION, request))
            .send()
            .await
            .map_err(unreachable)?;
        let hub: HubAnswer<PushResponse> = answer(response).await?;
        Ok(collection_of(hub, "push")?.0)
    }

    /// Pulls a page from the hub's opaque `cursor`; answers the page and the next cursor.
    pub async fn pull(
        &self,
        cursor: &str,
        limit: u32,
    ) -> Result<(PullResponse, String), FieldError> {
        let response = self
            // Every value is URL-safe: the hub's cursor is base64url.
            .request(
                reqwest::Method::GET,
                &format!(
                    "{PULL_PATH}?protocol_version={SYNC_PROTOCOL_VERSION}&collections={COLLECTION}&limit={limit}&cursor={cursor}"
                ),
            )
            .send()
            .await
            .map_err(unreachable)?;
        let hub: HubAnswer<PullResponse> = answer(response).await?;
        let (page, next) = collection_of(hub, "pull")?;
        Ok((page, next.unwrap_or_else(|| cursor.to_owned())))
    }

    /// The organisation's configuration and its version.
    pub async fn config(&self) -> Result<(OfflineTrackingSettings, i64), FieldError> {
        let response = self
            .request(reqwest::Method::GET, &format!("{MODULE_PATH}/config"))
            .send()
            .await
            .map_err(unreachable)?;
        let body: Value = answer(response).await?;
        let settings = serde_json::from_value(body["settings"].clone()).map_err(|error| {
            FieldError::Invalid(format!("the configuration was not understood: {error}"))
        })?;
        Ok((settings, body["config_version"].as_i64().unwrap_or(0)))
    }
}
