//! Is this sync really from this employee's registered, active device?

use crate::api::{ApiError, Problem};
use crate::api::{Caller, database};
use crate::entities::device;
use host_sdk::abi::{KeyValue, ModuleResponse};
use host_sdk::throttle::{FailureThrottle, Suppressed, retry_after_seconds};
use offline_tracking_protocol::{DEVICE_TOKEN_HEADER, DeviceStatus};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::sync::LazyLock;
use std::time::Duration;

/// The code of a refusal made because the device failed too often: not audited one by
/// one, but counted and written as one entry (see [`take_suppressed`]).
pub const THROTTLED: &str = "too_many_failed_attempts";

/// Wrong credentials per device: ten at once, then ten a minute. Beyond that a device is
/// refused with 429 for a while, so a guesser learns nothing and the audit trail does not
/// grow by a row per guess.
static CREDENTIAL_FAILURES: LazyLock<FailureThrottle> =
    LazyLock::new(|| FailureThrottle::new(10, 10));

/// The refusals made while `device_id` waited, once, for one coalesced audit entry.
pub fn take_suppressed(device_id: &str) -> Option<Suppressed> {
    CREDENTIAL_FAILURES.take_suppressed(device_id)
}

/// Why a device may not sync. Each becomes an audited refusal of the whole request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub problem: Problem,
    pub code: &'static str,
    pub message: String,
    /// The device concerned, when it exists in this organisation.
    pub device_id: Option<String>,
    /// Seconds the device must wait (sent as `Retry-After`).
    pub retry_after_seconds: Option<u64>,
}

impl Refusal {
    fn new(
        problem: Problem,
        code: &'static str,
        message: impl Into<String>,
        device_id: Option<&str>,
    ) -> Self {
        Self {
            problem,
            code,
            message: message.into(),
            device_id: device_id.map(str::to_owned),
            retry_after_seconds: None,
        }
    }

    fn throttled(device_id: &str, wait: Duration) -> Self {
        let seconds = retry_after_seconds(wait);
        Self {
            retry_after_seconds: Some(seconds),
            ..Self::new(
                Problem::TooManyRequests,
                THROTTLED,
                format!("too many wrong device credentials: try again in {seconds} s"),
                Some(device_id),
            )
        }
    }

    /// The error the device is answered with.
    pub fn error(&self) -> ApiError {
        let error = ApiError::new(self.problem, self.code, self.message.clone());
        match self.retry_after_seconds {
            Some(seconds) => error.retry_after(seconds),
            None => error,
        }
    }
}

fn header<'a>(headers: &'a [KeyValue], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|pair| pair.key.eq_ignore_ascii_case(name))
        .map(|pair| pair.value.as_str())
}

/// Checks the device named by `X-Device-Id` (and by the body, when it names one), its
/// credential, its owner and its status.
pub async fn authenticate(
    db: &DatabaseConnection,
    caller: &Caller,
    employee_id: i64,
    named_in_body: Option<&str>,
    headers: &[KeyValue],
) -> Result<Result<device::Model, Refusal>, ModuleResponse> {
    let Some(device_id) = caller.device_id.as_deref() else {
        return Ok(Err(Refusal::new(
            Problem::Unauthorized,
            "device_not_named",
            "a sync must name its device in the X-Device-Id header",
            None,
        )));
    };
    if uuid::Uuid::parse_str(device_id).is_err() {
        return Ok(Err(Refusal::new(
            Problem::Invalid,
            "invalid_device_id",
            "X-Device-Id must be the device's id, a UUID",
            None,
        )));
    }
    if named_in_body.is_some_and(|body| body != device_id) {
        return Ok(Err(Refusal::new(
            Problem::Invalid,
            "device_mismatch",
            "the X-Device-Id header and the push name different devices",
            None,
        )));
    }
    let found = device::Entity::find_by_id(device_id)
        .filter(device::Column::OrganisationId.eq(caller.organisation_id))
        .one(db)
        .await
        .map_err(database("loading the device"))?;
    let Some(found) = found else {
        return Ok(Err(Refusal::new(
            Problem::Forbidden,
            "unknown_device",
            "this device is not registered in this organisation: register it again",
            None,
        )));
    };
    if found.employee_id != employee_id {
        return Ok(Err(Refusal::new(
            Problem::Forbidden,
            "device_not_yours",
            "this device is registered to another employee",
            Some(&found.id),
        )));
    }
    if let Some(wait) = CREDENTIAL_FAILURES.check(&found.id) {
        return Ok(Err(Refusal::throttled(&found.id, wait)));
    }
    let token = header(headers, DEVICE_TOKEN_HEADER).unwrap_or_default();
    if host_sdk::tokens::hash(token) != found.token_hash {
        // This refusal is audited as itself; once the allowance is spent, the next ones
        // are 429s, counted and audited together.
        let throttled = CREDENTIAL_FAILURES.failed(&found.id).is_some();
        tracing::warn!(device = %found.id, throttled, "wrong device credential");
        return Ok(Err(Refusal::new(
            Problem::Unauthorized,
            "device_credential_invalid",
            "the device credential (X-Device-Token) is missing or wrong",
            Some(&found.id),
        )));
    }
    match found.status {
        DeviceStatus::Active => Ok(Ok(found)),
        DeviceStatus::PendingApproval => Ok(Err(Refusal::new(
            Problem::Forbidden,
            "device_not_approved",
            "this device waits for an administrator's approval; its records stay on it until then",
            Some(&found.id),
        ))),
        DeviceStatus::Revoked => Ok(Err(Refusal::new(
            Problem::Forbidden,
            "device_revoked",
            "this device was revoked by an administrator: its records stay on it until an administrator reinstates it",
            Some(&found.id),
        ))),
    }
}
