//! Passwords: hashed with Argon2id (the `argon2` crate's defaults), checked in constant
//! time, and bounded before any work is done on them.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use std::sync::OnceLock;

/// Shortest password accepted.
pub const MIN_CHARS: usize = 10;
/// Longest password accepted: hashing work must not grow with what a client sends.
pub const MAX_BYTES: usize = 256;

/// Why a new password is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WeakPassword {
    /// Too short to resist guessing.
    #[error("a password has at least {MIN_CHARS} characters")]
    TooShort,
    /// Longer than the suite hashes.
    #[error("a password has at most {MAX_BYTES} bytes")]
    TooLong,
    /// Control characters cannot be typed reliably.
    #[error("a password has no control characters")]
    ControlCharacters,
}

/// Checks a new password's bounds.
pub fn check_new(password: &str) -> Result<(), WeakPassword> {
    if password.len() > MAX_BYTES {
        return Err(WeakPassword::TooLong);
    }
    if password.chars().count() < MIN_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if password.chars().any(char::is_control) {
        return Err(WeakPassword::ControlCharacters);
    }
    Ok(())
}

/// The PHC string to store for `password`.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored hash. With no hash (the user never set a
/// password, or does not exist), a dummy hash is still checked, so the answer takes the
/// same time whether the login exists or not.
pub fn verify(stored: Option<&str>, password: &str) -> bool {
    if password.len() > MAX_BYTES {
        return false;
    }
    let candidate = stored.unwrap_or_else(|| dummy_hash());
    let Ok(parsed) = PasswordHash::new(candidate) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    matches && stored.is_some()
}

/// The hash of a random password nobody knows, made once per process with the same
/// parameters as real ones, so checking it costs what checking a real one costs.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 24];
        rand::rng().fill_bytes(&mut secret);
        hash(&hex::encode(secret)).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(Some(&stored), "correct horse battery"));
        assert!(!verify(Some(&stored), "correct horse batterY"));
        assert!(!verify(None, "correct horse battery"));
        assert!(!verify(Some("not a hash"), "anything at all"));
    }

    #[test]
    fn new_passwords_are_bounded() {
        assert_eq!(check_new("short"), Err(WeakPassword::TooShort));
        assert_eq!(check_new(&"x".repeat(300)), Err(WeakPassword::TooLong));
        assert_eq!(
            check_new("ten chars\u{7}!"),
            Err(WeakPassword::ControlCharacters)
        );
        assert_eq!(check_new("ten chars ok"), Ok(()));
    }

    #[test]
    fn the_dummy_hash_parses() {
        assert!(PasswordHash::new(dummy_hash()).is_ok());
    }
}
