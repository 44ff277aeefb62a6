use crate::OfflineRecord;
use base64::{Engine, engine::general_purpose::STANDARD};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A record as it travels: the record's JSON text, and the device's Ed25519 signature of
/// exactly those bytes (base64). The server verifies the bytes before parsing them and
/// keeps them as evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedRecord {
    /// The [`OfflineRecord`] as JSON text.
    pub payload: String,
    /// Base64 of the 64-byte signature of `payload`'s UTF-8 bytes.
    pub signature: String,
}

/// Why a signed record was not accepted as genuine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// The public key is not a valid Ed25519 key.
    BadKey,
    /// The signature is not base64 of 64 bytes.
    Malformed,
    /// The signature does not verify: the payload was not signed by this device.
    Forged,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignatureError::BadKey => "the device's public key is not a valid Ed25519 key",
            SignatureError::Malformed => "the signature is not base64 of 64 bytes",
            SignatureError::Forged => {
                "the signature does not match the record and the device's key"
            }
        })
    }
}

impl std::error::Error for SignatureError {}

/// Parses a base64 Ed25519 public key.
pub fn public_key_from_base64(text: &str) -> Result<VerifyingKey, SignatureError> {
    let bytes = STANDARD.decode(text).map_err(|_| SignatureError::BadKey)?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| SignatureError::BadKey)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| SignatureError::BadKey)
}

impl SignedRecord {
    /// Checks the signature against the device's public key (base64).
    pub fn verify(&self, public_key: &str) -> Result<(), SignatureError> {
        let key = public_key_from_base64(public_key)?;
        let bytes = STANDARD
            .decode(&self.signature)
            .map_err(|_| SignatureError::Malformed)?;
        let bytes: [u8; 64] = bytes.try_into().map_err(|_| SignatureError::Malformed)?;
        key.verify_strict(self.payload.as_bytes(), &Signature::from_bytes(&bytes))
            .map_err(|_| SignatureError::Forged)
    }

    /// Parses the payload (after [`verify`](Self::verify)).
    pub fn record(&self) -> Result<OfflineRecord, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }

    /// Size of the payload and signature, for batch limits.
    pub fn size(&self) -> usize {
        self.payload.len() + self.signature.len()
    }
}

/// A device's Ed25519 key pair.
///
/// ```
/// use offline_tracking_protocol::DeviceKey;
/// let key = DeviceKey::from_secret([7; 32]);
/// let signed = key.sign_payload("{\"hello\":1}".to_owned());
/// assert!(signed.verify(&key.public_key_base64()).is_ok());
/// ```
pub struct DeviceKey {
    signing: SigningKey,
}

impl DeviceKey {
    /// The key with this 32-byte secret (generate it from a secure random source).
    pub fn from_secret(secret: [u8; 32]) -> Self {
        Self {
            signing: SigningKey::from_bytes(&secret),
        }
    }

    /// The secret, for the device's own storage.
    pub fn secret(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }

    /// The public key as base64, as registered with the server.
    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.signing.verifying_key().to_bytes())
    }

    /// Signs exactly these bytes.
    pub fn sign_payload(&self, payload: String) -> SignedRecord {
        let signature = self.signing.sign(payload.as_bytes());
        SignedRecord {
            payload,
            signature: STANDARD.encode(signature.to_bytes()),
        }
    }

    /// Serialises and signs a record.
    pub fn sign(&self, record: &OfflineRecord) -> Result<SignedRecord, serde_json::Error> {
        Ok(self.sign_payload(serde_json::to_string(record)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_payload_or_another_key_does_not_verify() {
        let key = DeviceKey::from_secret([1; 32]);
        let other = DeviceKey::from_secret([2; 32]);
        let signed = key.sign_payload("{\"a\":1}".into());
        assert!(signed.verify(&key.public_key_base64()).is_ok());
        assert_eq!(
            signed.verify(&other.public_key_base64()),
            Err(SignatureError::Forged)
        );
        let tampered = SignedRecord {
            payload: "{\"a\":2}".into(),
            ..signed.clone()
        };
        assert_eq!(
            tampered.verify(&key.public_key_base64()),
            Err(SignatureError::Forged)
        );
        let garbled = SignedRecord {
            signature: "!!".into(),
            ..signed
        };
        assert_eq!(
            garbled.verify(&key.public_key_base64()),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            public_key_from_base64("AAAA").err(),
            Some(SignatureError::BadKey)
        );
    }
}
