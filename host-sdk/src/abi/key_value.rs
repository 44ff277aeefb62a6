use abi_stable::{StableAbi, std_types::RString};

/// One name/value pair: a header, a path parameter or a query parameter.
///
/// ```
/// use host_sdk::abi::KeyValue;
/// let pair = KeyValue::new("x-device-id", "phone-1");
/// assert_eq!(pair.key.as_str(), "x-device-id");
/// ```
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    /// The name; header names are lower-case.
    pub key: RString,
    /// The value, as text.
    pub value: RString,
}

impl KeyValue {
    /// Builds a pair from anything string-like.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: RString::from(key.into()),
            value: RString::from(value.into()),
        }
    }
}

/// Finds the first value stored under `key` (compared ASCII case-insensitively).
pub(crate) fn lookup<'a>(pairs: &'a [KeyValue], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|pair| pair.key.eq_ignore_ascii_case(key))
        .map(|pair| pair.value.as_str())
}
