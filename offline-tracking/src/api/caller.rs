use super::{ApiResult, Problem, error};
use host_sdk::abi::{ModuleSettings, Principal};
use offline_tracking_settings::OfflineTrackingSettings;

/// Who is calling and under which settings: what the host resolved, in this module's
/// terms.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Every query is scoped to it.
    pub organisation_id: i64,
    /// The user.
    pub user_id: i64,
    /// The employee the user records as, if any.
    pub employee_id: Option<i64>,
    /// The device the request names (`X-Device-Id`), unverified.
    pub device_id: Option<String>,
    /// The organisation's settings.
    pub settings: OfflineTrackingSettings,
    /// Their version: what devices call the configuration version.
    pub config_version: i64,
}

impl Caller {
    /// Reads the principal and settings the host passed.
    pub fn new(principal: &Principal, settings: &ModuleSettings) -> ApiResult<Self> {
        let parsed = settings
            .parse::<OfflineTrackingSettings>()
            .map_err(|problem| {
                tracing::error!("stored settings do not parse: {problem}");
                error(
                    Problem::Internal,
                    "invalid_settings",
                    "the organisation's settings cannot be read",
                )
            })?;
        Ok(Self {
            organisation_id: principal.organisation_id,
            user_id: principal.user_id,
            employee_id: principal.employee(),
            device_id: principal.device().map(str::to_owned),
            settings: parsed,
            config_version: settings.version,
        })
    }

    /// The employee, or 403 for users who are not employees.
    pub fn employee(&self) -> ApiResult<i64> {
        self.employee_id.ok_or_else(|| {
            error(
                Problem::Forbidden,
                "not_an_employee",
                "only an employee records attendance; this user has no employee record",
            )
        })
    }
}
