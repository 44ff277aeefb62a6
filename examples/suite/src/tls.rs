//! HTTPS for `suite serve` (`[server.tls]`), with rustls and the ring provider: a phone's
//! browser runs the employee's web app (service worker, Web Crypto) only over HTTPS.

use crate::config::TlsConfig;
use anyhow::Context;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The rustls configuration for `tls`, or a one-line reason it cannot be used.
pub fn server_config(tls: &TlsConfig) -> anyhow::Result<rustls::ServerConfig> {
    let certificates: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(&tls.certificate)
            .and_then(|certificates| certificates.collect())
            .with_context(|| {
                format!(
                    "server.tls.certificate {}: not a readable PEM certificate chain",
                    tls.certificate.display()
                )
            })?;
    anyhow::ensure!(
        !certificates.is_empty(),
        "server.tls.certificate {} holds no certificate",
        tls.certificate.display()
    );
    let key = PrivateKeyDer::from_pem_file(&tls.private_key).with_context(|| {
        format!(
            "server.tls.private_key {}: not a readable PEM private key",
            tls.private_key.display()
        )
    })?;
    // The only provider compiled in is ring (aws-lc-rs would need CMake and minutes of C
    // compilation on every build machine), so the crate's default is ring's.
    rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .context("server.tls: the private key does not match the certificate")
}
