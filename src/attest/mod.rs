//! Device attestation: proof, signed by the device maker, that a keyholder's key was made
//! inside a particular YubiHSM 2 or YubiKey and cannot leave it.
//!
//! A TUF root is only as safe as its keys; a public key file says nothing about where its
//! private half lives. Yubico devices answer that question with X.509 certificates:
//!
//! - **YubiHSM 2**: the device signs, with its attestation key (object 0, made at the factory),
//!   a certificate for one of its asymmetric keys ("Sign Attestation Certificate"). The
//!   attestation key's own certificate (opaque object 0) chains to "Yubico YubiHSM Root CA"
//!   (or, on newer devices, to "Yubico Attestation Root 1").
//! - **YubiKey PIV**: the PIV "attest" command makes a certificate for the key in one slot,
//!   signed by the key in slot f9, whose factory certificate chains to "Yubico PIV Root CA
//!   Serial 263751" (firmware 5.7.4 and later: "Yubico Attestation Root 1").
//!
//! This module is pure: DER certificates, the trusted CA certificates and "now" in; the
//! verified facts out. No device, file or clock is touched here. It checks, in order:
//! 1. every certificate parses (DER, X.509);
//! 2. each is within its validity period at the ceremony's clock;
//! 3. the key certificate is signed by the device certificate, and the device certificate
//!    chains, signature by signature, to one of the trusted roots;
//! 4. the public key it attests is the keyholder's enrolled key;
//! 5. Yubico's extensions are present, and are read: serial, firmware, key origin, and the
//!    PIN/touch policy (PIV) or capabilities and domains (YubiHSM 2).
//!
//! Yubico's CA certificates ship inside the binary (`src/attest/ca/`, sources in its
//! `SOURCES.md`); [`TrustStore::from_pem`] replaces them with a file's.

mod chain;
mod yubico;

pub use chain::TrustStore;
pub use yubico::{KeyOrigin, PinPolicy, TouchPolicy};

use crate::keys::Key;
use crate::time::UnixTime;

/// Which device made the attestation: they differ in their CA, their extensions (OID arcs
/// `1.3.6.1.4.1.41482.4` and `.3`) and what they say about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceKind {
    YubiHsm2,
    YubiKeyPiv,
}

impl DeviceKind {
    /// How a keyholder names the device.
    pub fn name(self) -> &'static str {
        match self {
            DeviceKind::YubiHsm2 => "YubiHSM 2",
            DeviceKind::YubiKeyPiv => "YubiKey (PIV)",
        }
    }

    /// What the device's own certificate is called, and where it is read from.
    fn device_certificate(self) -> &'static str {
        match self {
            DeviceKind::YubiHsm2 => "the device's attestation certificate (opaque object 0)",
            DeviceKind::YubiKeyPiv => "the device's attestation certificate (slot f9)",
        }
    }

    /// What the certificate for the key itself is called.
    fn key_certificate(self) -> &'static str {
        match self {
            DeviceKind::YubiHsm2 => "the key's attestation certificate",
            DeviceKind::YubiKeyPiv => "the slot's attestation certificate (PIV attest)",
        }
    }
}

/// The certificates a device hands out for one key, DER-encoded.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub kind: DeviceKind,
    /// The certificate for the key: YubiHSM 2 "Sign Attestation Certificate", PIV "attest".
    pub key_certificate: Vec<u8>,
    /// The certificate of the key that signed it: YubiHSM 2 opaque object 0, PIV slot f9.
    pub device_certificate: Vec<u8>,
}

/// What a verified attestation proves, for `ceremony.json`, the transcript and the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attestation {
    pub kind: DeviceKind,
    /// The device's serial number (YubiHSM 2: `41482.4.2`; PIV: `41482.3.7`).
    pub serial: u64,
    /// The firmware version, `major.minor.patch` (`41482.4.1`; PIV `41482.3.3`).
    pub firmware: String,
    /// Whether the key was generated inside the device.
    pub origin: KeyOrigin,
    /// PIV only (`41482.3.8`): when the YubiKey asks for the PIN.
    pub pin_policy: Option<PinPolicy>,
    /// PIV only (`41482.3.8`): when the YubiKey asks for a touch.
    pub touch_policy: Option<TouchPolicy>,
    /// PIV only (`41482.3.9`): the YubiKey's form factor, as Yubico names it.
    pub form_factor: Option<String>,
    /// YubiHSM 2 only: the key's object id, label, domains and capabilities.
    pub object: Option<yubico::HsmObject>,
    /// Subjects from the key's certificate up to the trusted root, in order.
    pub chain: Vec<String>,
    /// SHA-256 of the trusted root's DER, hex.
    pub root_sha256: String,
    /// Whether that root is one of Yubico's CA certificates built into the binary. When it
    /// is not (`--attestation-ca`), the attestation says which CA vouched for the device
    /// ([`Attestation::ca_note`]): a CA file names whoever made it, not the device's maker.
    pub yubico_root: bool,
    /// The key attested, as a TUF key object (`keytype`, `scheme`, `keyval`), recorded with
    /// the attestation so that it counts for this key only, never for another key the
    /// metadata happens to list under a keyid the event names.
    pub key: crate::json::Value,
}

impl Attestation {
    /// One line per fact, in plain words, for the terminal and the report.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![
            format!(
                "attested by {} serial {}, firmware {}",
                self.kind.name(),
                self.serial,
                self.firmware
            ),
            format!("key origin: {}", self.origin.describe()),
        ];
        if let Some(p) = self.pin_policy {
            out.push(format!("PIN policy: {}", p.describe()));
        }
        if let Some(t) = self.touch_policy {
            out.push(format!("touch policy: {}", t.describe()));
        }
        if let Some(f) = &self.form_factor {
            out.push(format!("form factor: {f}"));
        }
        if let Some(o) = &self.object {
            out.push(o.describe());
        }
        if let Some(note) = self.ca_note() {
            out.push(note);
        }
        out.push(format!(
            "certificate chain: {} (root SHA-256 {})",
            self.chain
                .iter()
                .map(|s| crate::display::escape(s))
                .collect::<Vec<_>>()
                .join(" <- "),
            self.root_sha256
        ));
        out
    }

    /// Which CA the chain ends at when it is not one of Yubico's built in: its subject and
    /// the SHA-256 of its DER, so that whoever reads the attestation sees who vouched for
    /// the device. `None` for Yubico's own roots.
    pub fn ca_note(&self) -> Option<String> {
        if self.yubico_root {
            return None;
        }
        Some(format!(
            "checked against the CA \"{}\" (SHA-256 {}), not one of Yubico's built in",
            crate::display::escape(self.chain.last().map(String::as_str).unwrap_or("")),
            self.root_sha256
        ))
    }

    /// Whether the device says a copy of the key exists, or can exist, outside it: imported
    /// (in the clear or wrapped), or a YubiHSM 2 key with the `exportable-under-wrap`
    /// capability. Such a key is not one only the device holds.
    pub fn may_exist_outside(&self) -> bool {
        self.origin != KeyOrigin::Generated || self.object.as_ref().is_some_and(|o| o.exportable())
    }

    /// The policy in one short phrase: PIN and touch (PIV), capabilities (YubiHSM 2).
    pub fn policy(&self) -> String {
        match (&self.object, self.pin_policy, self.touch_policy) {
            (Some(o), _, _) => o.policy(),
            (None, pin, touch) => format!(
                "PIN {}, touch {}",
                pin.map(PinPolicy::name).unwrap_or("unknown"),
                touch.map(TouchPolicy::name).unwrap_or("unknown")
            ),
        }
    }
}

/// Why an attestation does not prove what it should. Each names the certificate and says
/// what to do.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AttestError {
    /// A certificate is not DER X.509.
    #[error("{what} cannot be read as an X.509 certificate ({problem}). The device answered something else than a certificate: check the device and try again; do not enrol this key until its attestation verifies")]
    Unreadable { what: String, problem: String },
    /// A certificate's issuer is not among the trusted CA certificates.
    #[error("{what} is issued by \"{issuer}\", which is not one of the trusted CA certificates ({store}): it does not chain to Yubico's {kind} attestation CA. The device may not be a genuine {kind}, or its attestation key was replaced. Do not enrol this key; if your organisation replaced the attestation key with its own CA's, give that CA with --attestation-ca FILE")]
    UnknownIssuer {
        what: String,
        issuer: String,
        store: String,
        kind: &'static str,
    },
    /// A certificate's signature does not verify with its issuer's key.
    #[error("{what} names \"{issuer}\" as its issuer, but its signature does not verify with that certificate's key: it was not signed by {issuer_what}. The chain is forged or corrupted, so it does not chain to Yubico's CA. Do not enrol this key")]
    BadSignature {
        what: String,
        issuer: String,
        issuer_what: String,
    },
    /// A certificate's signature algorithm is not one checked here.
    #[error("{what} is signed with {algorithm}, which tuf-ceremony does not verify (it checks RSA PKCS#1 v1.5 with SHA-256/384/512, ECDSA P-256/P-384 with SHA-256/384/512 and Ed25519, what Yubico's CAs and devices use). Its attestation cannot be checked here; do not rely on it")]
    UnsupportedSignature { what: String, algorithm: String },
    /// A certificate's validity period ended before the ceremony's clock.
    #[error("{what} (\"{subject}\") expired at {not_after}; the ceremony's clock says {now}. Check the offline machine's clock (`date -u`); if it is right, the certificate can no longer vouch for the key: do not enrol it")]
    Expired {
        what: String,
        subject: String,
        not_after: String,
        now: String,
    },
    /// A certificate's validity period starts after the ceremony's clock.
    #[error("{what} (\"{subject}\") is not valid before {not_before}; the ceremony's clock says {now}. The offline machine's clock is probably wrong: set it (`date -u -s …`) and run the command again")]
    NotYetValid {
        what: String,
        subject: String,
        not_before: String,
        now: String,
    },
    /// The attested key is not the keyholder's enrolled key.
    #[error("{what} attests the key {attested}, but the key being enrolled is {enrolled}: the device vouches for a different key. Check the reference names the right key (key=/object=/id=), and enrol only a key whose attestation matches")]
    KeyMismatch {
        what: String,
        attested: String,
        enrolled: String,
    },
    /// A Yubico extension that every genuine attestation carries is missing.
    #[error("{what} has no {name} extension ({oid}), which every {kind} attestation carries. It is not a genuine {kind} attestation; do not enrol this key")]
    MissingExtension {
        what: String,
        oid: &'static str,
        name: &'static str,
        kind: &'static str,
    },
    /// A Yubico extension is present but not in Yubico's format.
    #[error("{what}: its {name} extension ({oid}) is not in Yubico's format ({problem}). Do not enrol this key")]
    BadExtension {
        what: String,
        oid: &'static str,
        name: &'static str,
        problem: String,
    },
    /// The chain is longer than any Yubico chain, or loops.
    #[error("{what}: the certificate chain is longer than {max} certificates without reaching a trusted root. Do not enrol this key")]
    ChainTooLong { what: String, max: usize },
    /// The trusted CA file is unusable.
    #[error("the attestation CA certificates in {source_name} cannot be used: {problem}. Give a PEM file of CA certificates (-----BEGIN CERTIFICATE-----) with --attestation-ca, or leave it out to use Yubico's, built in")]
    BadCaFile {
        source_name: String,
        problem: String,
    },
}

/// Verifies a device's attestation of `enrolled`, at the ceremony's clock `now`, against the
/// CA certificates in `store`.
pub fn verify(
    evidence: &Evidence,
    enrolled: &Key,
    store: &TrustStore,
    now: UnixTime,
) -> Result<Attestation, AttestError> {
    let kind = evidence.kind;
    let key_what = kind.key_certificate().to_string();
    let device_what = kind.device_certificate().to_string();
    // 1. Parse.
    let key_cert = chain::Cert::parse(&evidence.key_certificate, &key_what)?;
    let device_cert = chain::Cert::parse(&evidence.device_certificate, &device_what)?;
    // 2. Validity at the ceremony's clock, leaf first.
    key_cert.check_validity(now)?;
    device_cert.check_validity(now)?;
    // 3. Signatures up to a trusted root.
    key_cert.check_issued_by(&device_cert)?;
    let path = store.chain_to_root(&device_cert, kind, now)?;
    // 4. The key attested is the key enrolled.
    chain::check_same_key(&key_cert, enrolled)?;
    // 5. Yubico's extensions.
    let facts = yubico::read(kind, &key_cert, &device_cert)?;
    let mut subjects = vec![key_cert.subject(), device_cert.subject()];
    subjects.extend(path.iter().map(|c| c.subject()));
    let root_sha256 = path
        .last()
        .map(|c| c.sha256_hex())
        .unwrap_or_else(|| device_cert.sha256_hex());
    let yubico_root = chain::is_yubico_ca(&root_sha256);
    Ok(Attestation {
        kind,
        serial: facts.serial,
        firmware: facts.firmware,
        origin: facts.origin,
        pin_policy: facts.pin_policy,
        touch_policy: facts.touch_policy,
        form_factor: facts.form_factor,
        object: facts.object,
        chain: subjects,
        root_sha256,
        yubico_root,
        key: enrolled.to_value(),
    })
}

/// Which CA certificates an attestation must chain to.
#[derive(Clone, Debug, Default)]
pub enum Trust {
    /// Yubico's, built in (per device kind).
    #[default]
    Yubico,
    /// The PEM certificates of a file (`--attestation-ca`, `TUF_CEREMONY_ATTESTATION_CA`).
    File { name: String, pem: Vec<u8> },
}

impl Trust {
    /// The CA certificates in words: "Yubico's CA certificates, built in" or the file's.
    pub fn describe(&self) -> String {
        match self {
            Trust::Yubico => "Yubico's CA certificates, built in".to_string(),
            Trust::File { name, .. } => format!(
                "the CA certificates in {} (--attestation-ca)",
                crate::display::escape(name)
            ),
        }
    }

    /// The store for `kind`.
    pub fn store(&self, kind: DeviceKind) -> Result<TrustStore, AttestError> {
        match self {
            Trust::Yubico => TrustStore::yubico(kind),
            Trust::File { name, pem } => TrustStore::from_pem(pem, name),
        }
    }
}

/// What is known about where a key lives, for `key generate`/`key show`, the transcript and
/// the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The device proved it: a chain to a trusted root, for this very key.
    Verified(Attestation),
    /// The device offers no attestation, or would not give one; the reason in plain words.
    NotAttested(String),
}

/// Judges what a device handed over: verifies certificates, or records why there are none.
/// `evidence` is the device's answer: its certificates, or why it has none.
pub fn judge(
    evidence: Result<Evidence, String>,
    enrolled: &Key,
    trust: &Trust,
    now: UnixTime,
) -> Result<Status, AttestError> {
    match evidence {
        Err(why) => Ok(Status::NotAttested(why)),
        Ok(e) => verify(&e, enrolled, &trust.store(e.kind)?, now).map(Status::Verified),
    }
}

impl Status {
    /// Lines for the terminal: the facts, or "not attested: why".
    pub fn lines(&self) -> Vec<String> {
        match self {
            Status::Verified(a) => a.lines(),
            Status::NotAttested(why) => vec![format!("not attested: {why}")],
        }
    }

    /// One phrase for a table cell (the report's device column).
    pub fn summary(&self) -> String {
        match self {
            Status::Verified(a) => format!(
                "attested: {} serial {}, firmware {}, {}, {}{}",
                a.kind.name(),
                a.serial,
                a.firmware,
                a.origin.name(),
                a.policy(),
                a.ca_note().map(|n| format!("; {n}")).unwrap_or_default()
            ),
            Status::NotAttested(why) => format!("not attested: {why}"),
        }
    }

    /// The record written to the transcript and `--json`: `status` is `verified` or
    /// `not-attested`.
    pub fn to_value(&self) -> crate::json::Value {
        use crate::json::Value;
        match self {
            Status::Verified(a) => Value::object(vec![
                ("status", Value::str("verified")),
                ("device", Value::str(a.kind.name())),
                ("serial", Value::Int(i128::from(a.serial))),
                ("firmware", Value::str(&a.firmware)),
                ("origin", Value::str(a.origin.name())),
                ("policy", Value::str(a.policy())),
                ("root_sha256", Value::str(&a.root_sha256)),
                ("key", a.key.clone()),
                ("summary", Value::str(self.summary())),
            ]),
            Status::NotAttested(why) => Value::object(vec![
                ("status", Value::str("not-attested")),
                ("why", Value::str(why)),
                ("summary", Value::str(self.summary())),
            ]),
        }
    }
}

#[cfg(test)]
mod tests;
