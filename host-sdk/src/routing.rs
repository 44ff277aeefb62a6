//! Route vocabulary shared by modules (which declare routes) and the host (which mounts them).

use std::{fmt, str::FromStr};

/// HTTP methods a module route may use.
///
/// ```
/// use host_sdk::Method;
/// assert_eq!("POST".parse::<Method>().unwrap(), Method::Post);
/// assert_eq!(Method::Delete.as_str(), "DELETE");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The upper-case name that crosses the boundary.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl FromStr for Method {
    type Err = UnknownValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "GET" => Ok(Method::Get),
            "POST" => Ok(Method::Post),
            "PUT" => Ok(Method::Put),
            "PATCH" => Ok(Method::Patch),
            "DELETE" => Ok(Method::Delete),
            other => Err(UnknownValue::new("HTTP method", other)),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a route is mounted.
///
/// ```
/// use host_sdk::Scope;
/// assert_eq!(Scope::Admin.prefix("offline-tracking"), "/admin/modules/offline-tracking");
/// assert_eq!(Scope::Page.prefix("offline-tracking"), "/modules/offline-tracking");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// Under `/api/modules/{alias}`: what employees' apps and integrations call.
    Api,
    /// Under `/admin/modules/{alias}`: the administrators' JSON API.
    Admin,
    /// Under `/modules/{alias}`: HTML pages for a signed-in browser. The host checks the
    /// session and, on every form post, its CSRF token, and renders its shell (navigation,
    /// the signed-in user, sign-out) around what the module answers.
    Page,
}

impl Scope {
    /// The name that crosses the boundary.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Api => "api",
            Scope::Admin => "admin",
            Scope::Page => "page",
        }
    }

    /// The URL prefix of this scope for the module with `alias`.
    pub fn prefix(self, alias: &str) -> String {
        match self {
            Scope::Api | Scope::Admin => format!("/{}/modules/{alias}", self.as_str()),
            Scope::Page => format!("/modules/{alias}"),
        }
    }
}

impl FromStr for Scope {
    type Err = UnknownValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "api" => Ok(Scope::Api),
            "admin" => Ok(Scope::Admin),
            "page" => Ok(Scope::Page),
            other => Err(UnknownValue::new("route scope", other)),
        }
    }
}

/// The sections of the suite's navigation a module's page can be listed under.
///
/// ```
/// use host_sdk::NavSection;
/// assert_eq!("attendance".parse::<NavSection>().unwrap(), NavSection::Attendance);
/// assert_eq!(NavSection::Settings.label(), "Settings");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum NavSection {
    /// Attendance: time records, sync status, sites.
    Attendance,
    /// Employees: people and their details.
    Employees,
    /// Reports.
    Reports,
    /// Settings: modules and their configuration.
    Settings,
}

impl NavSection {
    /// Every section, in the order the navigation shows them.
    pub const ALL: [NavSection; 4] = [
        NavSection::Attendance,
        NavSection::Employees,
        NavSection::Reports,
        NavSection::Settings,
    ];

    /// The name that crosses the boundary.
    pub fn as_str(self) -> &'static str {
        match self {
            NavSection::Attendance => "attendance",
            NavSection::Employees => "employees",
            NavSection::Reports => "reports",
            NavSection::Settings => "settings",
        }
    }

    /// The heading a person reads.
    pub fn label(self) -> &'static str {
        match self {
            NavSection::Attendance => "Attendance",
            NavSection::Employees => "Employees",
            NavSection::Reports => "Reports",
            NavSection::Settings => "Settings",
        }
    }
}

impl FromStr for NavSection {
    type Err = UnknownValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        NavSection::ALL
            .into_iter()
            .find(|section| section.as_str() == text)
            .ok_or_else(|| UnknownValue::new("navigation section", text))
    }
}

/// A string crossing the boundary that this SDK version does not know, such as a method a
/// newer module uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    what: &'static str,
    value: String,
}

impl UnknownValue {
    fn new(what: &'static str, value: &str) -> Self {
        Self {
            what,
            value: value.to_owned(),
        }
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.what, self.value)
    }
}

impl std::error::Error for UnknownValue {}
