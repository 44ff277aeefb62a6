use crate::abi::ModuleResponse;
use actix_web::{
    HttpResponse,
    http::{
        StatusCode,
        header::{HeaderName, HeaderValue},
    },
};

/// Turns a module's answer into an HTTP response. A status outside 100–599 or a header
/// that is not valid HTTP is a fault of the module, answered 502.
pub(crate) fn to_http(module: &str, response: ModuleResponse) -> HttpResponse {
    let Ok(status) = StatusCode::from_u16(response.status) else {
        tracing::error!(
            module,
            status = response.status,
            "module answered an invalid status"
        );
        return bad_gateway(module, "an invalid HTTP status");
    };
    let mut builder = HttpResponse::build(status);
    for pair in response.headers.iter() {
        let name = HeaderName::from_bytes(pair.key.as_bytes());
        let value = HeaderValue::from_str(&pair.value);
        match (name, value) {
            (Ok(name), Ok(value)) => {
                builder.insert_header((name, value));
            }
            _ => {
                tracing::error!(module, header = %pair.key, "module answered an invalid header");
                return bad_gateway(module, "an invalid HTTP header");
            }
        }
    }
    builder.body(response.body.into_vec())
}

fn bad_gateway(module: &str, what: &str) -> HttpResponse {
    HttpResponse::BadGateway().json(crate::ErrorBody::new(
        "module_bad_response",
        format!("the module {module} answered {what}"),
    ))
}
