//! Turning request bodies into typed values with the standard error answers.

use crate::abi::ModuleResponse;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// Parses `bytes` as JSON into `T`.
///
/// Text that is not JSON at all answers 400 `malformed_json`; JSON of the wrong shape
/// answers 422 `invalid_body`. Both name the line and column serde stopped at.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ModuleResponse> {
    serde_json::from_slice(bytes).map_err(|error| match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => ModuleResponse::error(
            400,
            "malformed_json",
            format!("the request body is not valid JSON: {error}"),
        ),
        Category::Data => ModuleResponse::error(
            422,
            "invalid_body",
            format!("the request body does not have the expected shape: {error}"),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Named {
        #[allow(dead_code)]
        name: String,
    }

    #[test]
    fn broken_json_is_a_400_and_wrong_shape_a_422() {
        assert_eq!(parse_json::<Named>(b"{nope").unwrap_err().status, 400);
        assert_eq!(
            parse_json::<Named>(b"{\"name\": 3}").unwrap_err().status,
            422
        );
        assert!(parse_json::<Named>(b"{\"name\": \"Ada\"}").is_ok());
    }
}
