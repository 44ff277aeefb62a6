use abi_stable::{
    StableAbi,
    std_types::{ROption, RString, RVec},
};

/// Who is calling: resolved by the host from the bearer token before any module sees the
/// request. A module trusts these fields; it never sees the token itself.
///
/// ```
/// use host_sdk::abi::Principal;
/// let admin = Principal::new(1, 7).with_roles(["admin"]);
/// assert!(admin.has_role("admin"));
/// assert!(admin.employee_id.is_none());
/// ```
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The organisation every query of this call must be scoped to.
    pub organisation_id: i64,
    /// The authenticated user.
    pub user_id: i64,
    /// The employee record linked to the user, when the user is an employee.
    pub employee_id: ROption<i64>,
    /// The user's roles, such as `admin` or `employee`.
    pub roles: RVec<RString>,
    /// The device the request names in its `X-Device-Id` header, unverified: a module that
    /// cares checks that the device belongs to this employee.
    pub device_id: ROption<RString>,
}

impl Principal {
    /// A principal with no employee, no roles and no device.
    pub fn new(organisation_id: i64, user_id: i64) -> Self {
        Self {
            organisation_id,
            user_id,
            employee_id: ROption::RNone,
            roles: RVec::new(),
            device_id: ROption::RNone,
        }
    }

    /// Replaces the roles.
    pub fn with_roles<I, S>(mut self, roles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.roles = roles.into_iter().map(|r| RString::from(r.into())).collect();
        self
    }

    /// Whether the principal holds `role`.
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r.as_str() == role)
    }

    /// The employee id, if the user is an employee.
    pub fn employee(&self) -> Option<i64> {
        self.employee_id.into_option()
    }

    /// The device named by the request, if any.
    pub fn device(&self) -> Option<&str> {
        self.device_id.as_ref().map(|d| d.as_str()).into_option()
    }
}
