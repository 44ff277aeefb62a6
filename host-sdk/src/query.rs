//! Query-string decoding shared by requests and the sync hub.

/// Decoded `name=value` pairs of a raw query string (without the `?`).
pub(crate) fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned()))
}
