//! X.509 certificates and the chain from a device's certificate to a trusted root.
//!
//! Parsing is the `x509-cert` crate's (RFC 5280 structures, strict DER); signatures are
//! checked with the `rsa`, `p256`, `p384` and `ed25519-dalek` crates the tool already uses for
//! TUF keys. The chain is built from the trusted store alone: an intermediate the device does
//! not carry (Yubico's newer PIV and YubiHSM 2 chains have two) must be in the store.

use super::{AttestError, DeviceKind};
use crate::keys::{Key, RsaHash, Scheme};
use crate::time::UnixTime;
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::der::asn1::AnyRef;
use x509_cert::der::oid::ObjectIdentifier;
use x509_cert::der::{Decode, DecodePem, Encode, SliceReader};
use x509_cert::Certificate;

/// Yubico's CA certificates for the YubiHSM 2 (sources: `ca/SOURCES.md`).
const YUBIHSM_CA_PEM: &str = include_str!("ca/yubihsm.pem");
/// Yubico's CA certificates for YubiKey PIV (sources: `ca/SOURCES.md`).
const PIV_CA_PEM: &str = include_str!("ca/piv.pem");

/// No Yubico chain is longer: key, device, then at most three CA certificates.
const MAX_CA_DEPTH: usize = 5;

/// A trusted CA file is a handful of certificates; anything larger is not one.
const MAX_CA_CERTIFICATES: usize = 64;

// Signature algorithm identifiers (RFC 4055 section 5, RFC 5758 section 3.2, RFC 8410).
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// One parsed certificate, with the exact bytes its signature covers.
pub(crate) struct Cert {
    cert: Certificate,
    /// The DER of `tbsCertificate` as it was received (its signature covers these bytes).
    tbs: Vec<u8>,
    /// The whole certificate's DER, for its fingerprint.
    der: Vec<u8>,
    /// What the keyholder calls this certificate, for errors.
    pub what: String,
}

impl Cert {
    /// Parses a DER certificate; `what` names it in errors.
    pub fn parse(der: &[u8], what: &str) -> Result<Cert, AttestError> {
        let unreadable = |e: x509_cert::der::Error| AttestError::Unreadable {
            what: what.to_string(),
            problem: e.to_string(),
        };
        let cert = Certificate::from_der(der).map_err(unreadable)?;
        // The signed bytes are taken from the input, not re-encoded: the outer SEQUENCE's
        // first element, whole.
        let outer = AnyRef::from_der(der).map_err(unreadable)?;
        let mut inner = SliceReader::new(outer.value()).map_err(unreadable)?;
        let tbs = AnyRef::decode(&mut inner)
            .and_then(|t| t.to_der())
            .map_err(unreadable)?;
        Ok(Cert {
            cert,
            tbs,
            der: der.to_vec(),
            what: what.to_string(),
        })
    }

    /// The subject, as RFC 4514 writes it (`CN=Yubico PIV Root CA Serial 263751`).
    pub fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }

    fn issuer(&self) -> String {
        self.cert.tbs_certificate.issuer.to_string()
    }

    fn subject_der(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate
            .subject
            .to_der()
            .unwrap_or_default()
    }

    fn issuer_der(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate
            .issuer
            .to_der()
            .unwrap_or_default()
    }

    /// A root names itself as its issuer.
    fn is_self_issued(&self) -> bool {
        self.subject_der() == self.issuer_der()
    }

    /// SHA-256 of the certificate's DER, hex (its fingerprint).
    pub fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(&self.der))
    }

    /// The value of the extension `oid`, if present (the bytes inside its OCTET STRING).
    pub fn extension(&self, oid: &ObjectIdentifier) -> Option<&[u8]> {
        self.cert
            .tbs_certificate
            .extensions
            .as_ref()?
            .iter()
            .find(|e| &e.extn_id == oid)
            .map(|e| e.extn_value.as_bytes())
    }

    /// The SubjectPublicKeyInfo, DER.
    fn spki_der(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .unwrap_or_default()
    }

    /// Checks `now` lies within the certificate's validity period (RFC 5280 4.1.2.5: both
    /// ends inclusive).
    pub fn check_validity(&self, now: UnixTime) -> Result<(), AttestError> {
        let validity = &self.cert.tbs_certificate.validity;
        let secs = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
        let (not_before, not_after) = (secs(validity.not_before), secs(validity.not_after));
        if now < not_before {
            return Err(AttestError::NotYetValid {
                what: self.what.clone(),
                subject: self.subject(),
                not_before: crate::time::format_expires(not_before),
                now: crate::time::format_expires(now),
            });
        }
        if now > not_after {
            return Err(AttestError::Expired {
                what: self.what.clone(),
                subject: self.subject(),
                not_after: crate::time::format_expires(not_after),
                now: crate::time::format_expires(now),
            });
        }
        Ok(())
    }

    /// Checks this certificate names `issuer` as its issuer and carries its signature.
    pub fn check_issued_by(&self, issuer: &Cert) -> Result<(), AttestError> {
        if self.issuer_der() != issuer.subject_der() {
            return Err(AttestError::BadSignature {
                what: self.what.clone(),
                issuer: self.issuer(),
                issuer_what: format!("{} (\"{}\")", issuer.what, issuer.subject()),
            });
        }
        self.check_signature_by(issuer)
    }

    /// Verifies this certificate's signature with `issuer`'s public key.
    fn check_signature_by(&self, issuer: &Cert) -> Result<(), AttestError> {
        let algorithm = self.cert.signature_algorithm.oid;
        let unsupported = || AttestError::UnsupportedSignature {
            what: self.what.clone(),
            algorithm: algorithm_name(&algorithm),
        };
        let bad = || AttestError::BadSignature {
            what: self.what.clone(),
            issuer: self.issuer(),
            issuer_what: format!("{} (\"{}\")", issuer.what, issuer.subject()),
        };
        let signature = self.cert.signature.as_bytes().ok_or_else(bad)?;
        let spki = issuer.spki_der();
        let ok = match algorithm {
            a if a == SHA256_WITH_RSA => rsa_verify::<Sha256>(&spki, &self.tbs, signature),
            a if a == SHA384_WITH_RSA => rsa_verify::<Sha384>(&spki, &self.tbs, signature),
            a if a == SHA512_WITH_RSA => rsa_verify::<Sha512>(&spki, &self.tbs, signature),
            a if a == ECDSA_WITH_SHA256 => {
                ecdsa_verify(&spki, &Sha256::digest(&self.tbs), signature)
            }
            a if a == ECDSA_WITH_SHA384 => {
                ecdsa_verify(&spki, &Sha384::digest(&self.tbs), signature)
            }
            a if a == ECDSA_WITH_SHA512 => {
                ecdsa_verify(&spki, &Sha512::digest(&self.tbs), signature)
            }
            a if a == ED25519 => ed25519_verify(&spki, &self.tbs, signature),
            _ => return Err(unsupported()),
        };
        match ok {
            Verdict::Good => Ok(()),
            Verdict::Bad => Err(bad()),
            Verdict::KeyDoesNotFit => Err(unsupported()),
        }
    }
}

/// What a signature check found.
enum Verdict {
    Good,
    Bad,
    /// The issuer's key is of a kind the algorithm cannot use (an RSA signature from an EC
    /// key, or a curve not checked here).
    KeyDoesNotFit,
}

fn rsa_verify<D>(spki: &[u8], tbs: &[u8], signature: &[u8]) -> Verdict
where
    D: Digest + x509_cert::der::oid::AssociatedOid,
{
    use rsa::pkcs8::DecodePublicKey;
    let Ok(key) = rsa::RsaPublicKey::from_public_key_der(spki) else {
        return Verdict::KeyDoesNotFit;
    };
    match key.verify(rsa::Pkcs1v15Sign::new::<D>(), &D::digest(tbs), signature) {
        Ok(()) => Verdict::Good,
        Err(_) => Verdict::Bad,
    }
}

fn ecdsa_verify(spki: &[u8], digest: &[u8], signature: &[u8]) -> Verdict {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    use p256::pkcs8::DecodePublicKey;
    if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(spki) {
        return match p256::ecdsa::Signature::from_der(signature)
            .and_then(|s| key.verify_prehash(digest, &s))
        {
            Ok(()) => Verdict::Good,
            Err(_) => Verdict::Bad,
        };
    }
    if let Ok(key) = p384::ecdsa::VerifyingKey::from_public_key_der(spki) {
        return match p384::ecdsa::Signature::from_der(signature)
            .and_then(|s| key.verify_prehash(digest, &s))
        {
            Ok(()) => Verdict::Good,
            Err(_) => Verdict::Bad,
        };
    }
    Verdict::KeyDoesNotFit
}

fn ed25519_verify(spki: &[u8], tbs: &[u8], signature: &[u8]) -> Verdict {
    use ed25519_dalek::pkcs8::DecodePublicKey;
    let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_der(spki) else {
        return Verdict::KeyDoesNotFit;
    };
    match ed25519_dalek::Signature::from_slice(signature).and_then(|s| key.verify_strict(tbs, &s)) {
        Ok(()) => Verdict::Good,
        Err(_) => Verdict::Bad,
    }
}

/// A signature algorithm's usual name, or its OID.
fn algorithm_name(oid: &ObjectIdentifier) -> String {
    let known = [
        ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
        ("1.2.840.113549.1.1.10", "RSASSA-PSS"),
        ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
        ("1.3.101.113", "Ed448"),
    ];
    let text = oid.to_string();
    match known.iter().find(|(o, _)| *o == text) {
        Some((_, name)) => format!("{name} ({text})"),
        None => format!("the algorithm {text}"),
    }
}

/// The public key a certificate holds, as a TUF key (the scheme securesystemslib gives that
/// kind of key; only the key itself is compared).
fn key_of(cert: &Cert) -> Option<Key> {
    use p256::pkcs8::DecodePublicKey;
    let spki = cert.spki_der();
    if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_der(&spki) {
        return Some(Key::ed25519(&k));
    }
    if let Ok(k) = p256::PublicKey::from_public_key_der(&spki) {
        return Some(Key::ecdsa_p256(&k.into()));
    }
    if let Ok(k) = p384::PublicKey::from_public_key_der(&spki) {
        return Some(Key::ecdsa_p384(&k.into()));
    }
    rsa::RsaPublicKey::from_public_key_der(&spki)
        .ok()
        .map(|k| Key::rsa(&k, Scheme::RsaPss(RsaHash::Sha256)))
}

/// Checks the key a certificate attests is `enrolled` (the same raw public key, whatever
/// the scheme it is listed under).
pub(crate) fn check_same_key(cert: &Cert, enrolled: &Key) -> Result<(), AttestError> {
    let attested = key_of(cert);
    if attested.as_ref().map(Key::identity) == Some(enrolled.identity()) {
        return Ok(());
    }
    Err(AttestError::KeyMismatch {
        what: cert.what.clone(),
        attested: match attested {
            Some(k) => format!("with keyid {} ({})", k.keyid(), k.scheme),
            None => "of a kind TUF keys cannot be".into(),
        },
        enrolled: format!("keyid {} ({})", enrolled.keyid(), enrolled.scheme),
    })
}

/// Whether the certificate whose DER has this SHA-256 (hex) is one of Yubico's CA
/// certificates built into the binary, for either device kind.
pub(crate) fn is_yubico_ca(sha256_hex: &str) -> bool {
    static BUILT_IN: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    BUILT_IN
        .get_or_init(|| {
            [DeviceKind::YubiHsm2, DeviceKind::YubiKeyPiv]
                .into_iter()
                .filter_map(|kind| TrustStore::yubico(kind).ok())
                .flat_map(|store| store.certs.iter().map(Cert::sha256_hex).collect::<Vec<_>>())
                .collect()
        })
        .iter()
        .any(|h| h == sha256_hex)
}

/// The CA certificates an attestation must chain to: roots (self-issued) and the
/// intermediates Yubico publishes.
pub struct TrustStore {
    certs: Vec<Cert>,
    /// Where they came from, for errors ("Yubico's, built in", or a file name).
    source: String,
}

impl TrustStore {
    /// Yubico's CA certificates for `kind`, built into the binary.
    pub fn yubico(kind: DeviceKind) -> Result<TrustStore, AttestError> {
        let (pem, source) = match kind {
            DeviceKind::YubiHsm2 => (YUBIHSM_CA_PEM, "Yubico's YubiHSM 2 CAs, built in"),
            DeviceKind::YubiKeyPiv => (PIV_CA_PEM, "Yubico's PIV CAs, built in"),
        };
        TrustStore::from_pem(pem.as_bytes(), source)
    }

    /// The certificates in a PEM file (`--attestation-ca`): every `-----BEGIN
    /// CERTIFICATE-----` block; text between blocks is ignored. At least one must be a root.
    pub fn from_pem(bytes: &[u8], source: &str) -> Result<TrustStore, AttestError> {
        let bad = |problem: String| AttestError::BadCaFile {
            source_name: source.to_string(),
            problem,
        };
        let text = std::str::from_utf8(bytes).map_err(|_| bad("it is not text".into()))?;
        const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
        const END: &str = "-----END CERTIFICATE-----";
        let mut certs = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find(BEGIN) {
            let Some(len) = rest[start..].find(END) else {
                return Err(bad(
                    "a certificate has no -----END CERTIFICATE----- line".into()
                ));
            };
            let block = &rest[start..start + len + END.len()];
            rest = &rest[start + len + END.len()..];
            if certs.len() == MAX_CA_CERTIFICATES {
                return Err(bad(format!(
                    "it holds more than {MAX_CA_CERTIFICATES} certificates"
                )));
            }
            let n = certs.len() + 1;
            let cert = Certificate::from_pem(block.as_bytes())
                .map_err(|e| bad(format!("certificate {n} is not a valid certificate ({e})")))?;
            let der = cert
                .to_der()
                .map_err(|e| bad(format!("certificate {n}: {e}")))?;
            let subject = cert.tbs_certificate.subject.to_string();
            certs.push(Cert::parse(
                &der,
                &format!("the CA certificate \"{subject}\" ({source})"),
            )?);
        }
        if certs.is_empty() {
            return Err(bad("it holds no PEM certificate".into()));
        }
        if !certs.iter().any(Cert::is_self_issued) {
            return Err(bad(
                "none of its certificates is a root (a certificate issued by itself)".into(),
            ));
        }
        Ok(TrustStore {
            certs,
            source: source.to_string(),
        })
    }

    /// Where the certificates came from (what errors name).
    #[cfg(test)]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The CA certificates above `device`, up to and including a trusted root, each signature
    /// checked and each within its validity period at `now`.
    pub(crate) fn chain_to_root(
        &self,
        device: &Cert,
        kind: DeviceKind,
        now: UnixTime,
    ) -> Result<Vec<&Cert>, AttestError> {
        let mut path: Vec<&Cert> = Vec::new();
        let mut current = device;
        for _ in 0..MAX_CA_DEPTH {
            let wanted = current.issuer_der();
            let candidates: Vec<&Cert> = self
                .certs
                .iter()
                .filter(|c| c.subject_der() == wanted)
                .collect();
            if candidates.is_empty() {
                return Err(AttestError::UnknownIssuer {
                    what: current.what.clone(),
                    issuer: current.issuer(),
                    store: self.source.clone(),
                    kind: kind.name(),
                });
            }
            // Yubico re-issued its PIV root under the same name: the first that verifies.
            let mut first_error = None;
            let mut found = None;
            for c in candidates {
                match current.check_signature_by(c) {
                    Ok(()) => {
                        found = Some(c);
                        break;
                    }
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            let Some(issuer) = found else {
                return Err(first_error.unwrap_or(AttestError::ChainTooLong {
                    what: current.what.clone(),
                    max: MAX_CA_DEPTH,
                }));
            };
            issuer.check_validity(now)?;
            path.push(issuer);
            if issuer.is_self_issued() {
                return Ok(path);
            }
            current = issuer;
        }
        Err(AttestError::ChainTooLong {
            what: device.what.clone(),
            max: MAX_CA_DEPTH,
        })
    }
}
