//! Bearer secrets: 256 random bits, shown to their owner once, stored as SHA-256.
//!
//! A fast hash is right for these: with 256 bits of entropy there is nothing to
//! brute-force, and lookups by hash stay a single indexed query.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new secret, such as `st_3q2…`: `prefix`, then 32 random bytes in URL-safe base64.
///
/// ```
/// let token = host_sdk::tokens::generate("dt_");
/// assert!(token.starts_with("dt_"));
/// assert_ne!(token, host_sdk::tokens::generate("dt_"));
/// ```
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// What is stored for a secret: its SHA-256, hex-encoded (64 characters).
///
/// ```
/// let hash = host_sdk::tokens::hash("st_example");
/// assert_eq!(hash.len(), 64);
/// assert_eq!(hash, host_sdk::tokens::hash("st_example"));
/// ```
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
