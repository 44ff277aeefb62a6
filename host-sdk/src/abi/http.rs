use super::{KeyValue, ModuleSettings, Principal, key_value::lookup};
use abi_stable::{
    StableAbi,
    std_types::{RString, RVec},
};
use serde::{Serialize, de::DeserializeOwned};

/// One route a module asks the host to mount.
///
/// `scope` is `api` (mounted under `/api/modules/{alias}`), `admin` (under
/// `/admin/modules/{alias}`) or `page` (HTML under `/modules/{alias}`). `path` uses `{name}` segments for parameters. The host checks
/// `permission` before forwarding; an empty permission admits any authenticated user.
/// Module authors build these with [`Route`](crate::module::Route).
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct RouteSpec {
    /// Identifier the host passes back with each request, such as
    /// `POST /admin/devices/{id}/approve`; the SDK derives it from the declaration.
    pub id: RString,
    /// HTTP method, upper-case (`GET`, `POST`, `PUT`, `PATCH`, `DELETE`).
    pub method: RString,
    /// `api`, `admin` or `page`.
    pub scope: RString,
    /// Path below the module's prefix, starting with `/`.
    pub path: RString,
    /// Permission the caller must hold; empty for "any authenticated user".
    pub permission: RString,
    /// One line for route listings.
    pub description: RString,
    /// JSON Schema of the request body; empty when the route reads none.
    pub request_schema: RString,
    /// JSON Schema of an object whose properties are the query parameters; empty when
    /// the route reads none.
    pub query_schema: RString,
    /// JSON Schema of the successful answer's body; empty when undescribed.
    pub response_schema: RString,
    /// For a page listed in the suite's navigation: its section (see
    /// [`NavSection`](crate::NavSection)); empty for a page reached only by links.
    pub nav_section: RString,
    /// For a page listed in the navigation: the link's text.
    pub nav_title: RString,
}

/// A request the host forwards to a module route, after authentication and the
/// permission check. The body is passed through untouched.
#[repr(C)]
#[derive(StableAbi, Clone, Debug)]
pub struct ModuleRequest {
    /// The [`RouteSpec::id`] that matched.
    pub route_id: RString,
    /// The HTTP method.
    pub method: RString,
    /// The path below the module's prefix.
    pub path: RString,
    /// Values of the route's `{name}` segments.
    pub path_params: RVec<KeyValue>,
    /// The raw query string, without `?`.
    pub query: RString,
    /// Request headers, names lower-case, `authorization` removed.
    pub headers: RVec<KeyValue>,
    /// The request body, untouched.
    pub body: RVec<u8>,
    /// Who is calling.
    pub principal: Principal,
    /// The caller's organisation settings for this module.
    pub settings: ModuleSettings,
    /// Correlation id, also in the host's logs.
    pub request_id: RString,
}

impl ModuleRequest {
    /// The value of a `{name}` path segment.
    pub fn param(&self, name: &str) -> Option<&str> {
        lookup(&self.path_params, name)
    }

    /// A request header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        lookup(&self.headers, name)
    }

    /// The first value of a query parameter, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        crate::query::pairs(&self.query)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// Parses the body as JSON, or returns the 400/422 answer to send back.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ModuleResponse> {
        crate::body::parse_json(&self.body)
    }
}

/// A module's answer to a request.
///
/// ```
/// use host_sdk::abi::ModuleResponse;
/// let ok = ModuleResponse::json(200, &serde_json::json!({"hello": "world"}));
/// assert_eq!(ok.status, 200);
/// let refused = ModuleResponse::error(422, "invalid_name", "name must not be empty");
/// assert_eq!(refused.status, 422);
/// assert!(String::from_utf8_lossy(&refused.body).contains("invalid_name"));
/// ```
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct ModuleResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: RVec<KeyValue>,
    /// Response body.
    pub body: RVec<u8>,
}

impl ModuleResponse {
    /// A JSON answer.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self {
                status,
                headers: RVec::from(vec![KeyValue::new("content-type", "application/json")]),
                body: RVec::from(body),
            },
            Err(error) => Self::error(500, "serialization_failed", error.to_string()),
        }
    }

    /// The standard error answer: `{"code": …, "message": …}`.
    pub fn error(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self::json(status, &crate::ErrorBody::new(code, message))
    }

    /// An error answer that lists details, such as one entry per invalid field.
    pub fn error_with_details<D: Serialize>(
        status: u16,
        code: &str,
        message: impl Into<String>,
        details: D,
    ) -> Self {
        match serde_json::to_value(details) {
            Ok(details) => Self::json(
                status,
                &crate::ErrorBody::new(code, message).with_details(details),
            ),
            Err(error) => Self::error(500, "serialization_failed", error.to_string()),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, key: &str, value: &str) -> Self {
        self.headers.push(KeyValue::new(key, value));
        self
    }

    /// A header of this response (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        lookup(&self.headers, name)
    }
}

impl From<super::ModuleError> for ModuleResponse {
    fn from(error: super::ModuleError) -> Self {
        Self::error(error.status, &error.code, error.message.to_string())
    }
}
