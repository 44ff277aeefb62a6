//! The static QR code of a site: `OTQR1.<site id>.<signature>`, where the signature is
//! HMAC-SHA256 of the organisation and site under the site's secret. A printed code cannot
//! be forged for another site or organisation, and it can be verified offline by the
//! server later.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const VERSION: &str = "OTQR1";

fn mac(secret: &str, organisation_id: i64, site_id: &str) -> Hmac<Sha256> {
    // Any key length is valid for HMAC, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(format!("{VERSION}|{organisation_id}|{site_id}").as_bytes());
    mac
}

/// The text to print as the site's QR code.
pub fn payload(secret: &str, organisation_id: i64, site_id: &str) -> String {
    let signature = mac(secret, organisation_id, site_id)
        .finalize()
        .into_bytes();
    format!("{VERSION}.{site_id}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The site a payload names, if it has the right shape (verify it with [`verify`]).
pub fn site_id(payload: &str) -> Option<&str> {
    let mut parts = payload.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(VERSION), Some(site), Some(_), None) => Some(site),
        _ => None,
    }
}

/// Whether `payload` is the genuine code of the site with this secret.
pub fn verify(secret: &str, organisation_id: i64, site_id: &str, payload: &str) -> bool {
    let Some(signature) = payload.rsplit('.').next() else {
        return false;
    };
    let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    mac(secret, organisation_id, site_id)
        .verify_slice(&signature)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_verifies_only_for_its_site_organisation_and_secret() {
        let code = payload("secret", 1, "site-a");
        assert_eq!(site_id(&code), Some("site-a"));
        assert!(verify("secret", 1, "site-a", &code));
        assert!(!verify("secret", 2, "site-a", &code));
        assert!(!verify("other", 1, "site-a", &code));
        assert!(!verify("secret", 1, "site-b", &code));
        let forged = code.replace("site-a", "site-b");
        assert!(!verify("secret", 1, "site-b", &forged));
        assert_eq!(site_id("not a code"), None);
    }
}
