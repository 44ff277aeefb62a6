//! The device's Ed25519 key: made once at registration from the OS's randomness.

use crate::error::FieldError;
use offline_tracking_protocol::DeviceKey;
use rand::RngCore;

/// A new key.
pub fn generate() -> DeviceKey {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    DeviceKey::from_secret(secret)
}

/// The key stored as hex.
pub fn from_hex(text: &str) -> Result<DeviceKey, FieldError> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<_, _>>()
        .map_err(|_| {
            FieldError::Invalid("the stored device key is damaged: register again".into())
        })?;
    let secret: [u8; 32] = bytes.try_into().map_err(|_| {
        FieldError::Invalid("the stored device key is damaged: register again".into())
    })?;
    Ok(DeviceKey::from_secret(secret))
}

/// The key's secret as hex, for the store.
pub fn to_hex(key: &DeviceKey) -> String {
    key.secret()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
