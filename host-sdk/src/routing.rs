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
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// Under `/api/modules/{alias}`: what employees' apps and integrations call.
    Api,
    /// Under `/admin/modules/{alias}`: the administrator's pages.
    Admin,
}

impl Scope {
    /// The name that crosses the boundary.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Api => "api",
            Scope::Admin => "admin",
        }
    }

    /// The URL prefix of this scope for the module with `alias`.
    pub fn prefix(self, alias: &str) -> String {
        format!("/{}/modules/{alias}", self.as_str())
    }
}

impl FromStr for Scope {
    type Err = UnknownValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "api" => Ok(Scope::Api),
            "admin" => Ok(Scope::Admin),
            other => Err(UnknownValue::new("route scope", other)),
        }
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
