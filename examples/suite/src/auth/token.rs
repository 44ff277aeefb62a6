//! Bearer tokens of people: `st_…`, shown once, stored hashed (see `host_sdk::tokens`).

/// A new token's text.
pub fn generate() -> String {
    host_sdk::tokens::generate("st_")
}

/// What is stored for a token.
pub fn hash(token: &str) -> String {
    host_sdk::tokens::hash(token)
}
