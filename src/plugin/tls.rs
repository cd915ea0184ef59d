//! AutoMTLS as go-plugin does it: a fresh self-signed server certificate per process, sent in
//! the handshake line, and client authentication that accepts exactly the certificate Terraform
//! passed in `PLUGIN_CLIENT_CERT`, so no other process can call the provider.
//!
//! Terraform's client certificate is ECDSA P-521/SHA-512 and marked as a CA. The stock rustls
//! client verifier would reject it as an end entity, so [`TerraformClientVerifier`] pins the
//! exact bytes instead and checks the handshake signature with aws-lc-rs, which has P-521.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("PLUGIN_CLIENT_CERT does not hold a PEM certificate: {0}")]
    ClientCert(String),
    #[error("could not create the server certificate: {0}")]
    ServerCert(String),
    #[error("could not build the TLS configuration: {0}")]
    Config(String),
}

/// The server's certificate and key for this process.
pub struct ServerIdentity {
    pub cert_der: CertificateDer<'static>,
    key_der: PrivateKeyDer<'static>,
}

/// A P-256 key (fast to generate) and a certificate for `localhost`, valid from the past,
/// usable for server auth; Terraform trusts exactly this certificate.
pub fn server_identity() -> Result<ServerIdentity, TlsError> {
    let err = |e: rcgen::Error| TlsError::ServerCert(e.to_string());
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(err)?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).map_err(err)?;
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "HashiCorp");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    // Same shape as go-plugin's own certificate: a self-signed CA that may serve and sign.
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::days(30);
    let cert = params.self_signed(&key).map_err(err)?;
    Ok(ServerIdentity {
        cert_der: cert.der().clone(),
        key_der: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    })
}

/// Parses `PLUGIN_CLIENT_CERT` (PEM) into the one certificate that may connect.
pub fn parse_client_cert(pem: &str) -> Result<CertificateDer<'static>, TlsError> {
    CertificateDer::from_pem_slice(pem.as_bytes()).map_err(|e| TlsError::ClientCert(e.to_string()))
}

/// The rustls server configuration: TLS 1.2/1.3, ALPN `h2`, mandatory client auth pinned to
/// Terraform's certificate.
pub fn server_config(
    identity: &ServerIdentity,
    client_cert: CertificateDer<'static>,
) -> Result<rustls::ServerConfig, TlsError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(TerraformClientVerifier {
        expected: client_cert,
        provider: provider.clone(),
    });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![identity.cert_der.clone()],
            identity.key_der.clone_key(),
        )
        .map_err(|e| TlsError::Config(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// Accepts only the exact certificate bytes Terraform handed us, and verifies that the peer
/// holds its private key (the handshake signature) with a backend that supports P-521.
#[derive(Debug)]
pub struct TerraformClientVerifier {
    expected: CertificateDer<'static>,
    provider: Arc<CryptoProvider>,
}

impl ClientCertVerifier for TerraformClientVerifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "client certificate is not the one Terraform passed in PLUGIN_CLIENT_CERT".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p521_sha512_is_verifiable() {
        let p = rustls::crypto::aws_lc_rs::default_provider();
        assert!(
            p.signature_verification_algorithms
                .supported_schemes()
                .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
        );
    }

    #[test]
    fn server_identity_builds_a_config() {
        let id = server_identity().expect("identity");
        let other = server_identity().expect("other");
        assert_ne!(
            id.cert_der, other.cert_der,
            "a fresh certificate per process"
        );
        server_config(&id, other.cert_der.clone()).expect("config");
    }

    #[test]
    fn bad_client_cert_pem_is_an_error() {
        assert!(parse_client_cert("not a certificate").is_err());
    }
}
