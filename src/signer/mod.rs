//! The one seam every signing device sits behind.
//!
//! A signer sees only the bytes to sign, never JSON: the ceremony code decides *what* is
//! signed and checks the result; a backend only produces a signature. Backends: key files
//! (`file:PATH`), YubiHSM 2 (`yubihsm://…`, feature `yubihsm`) and PKCS#11 tokens
//! (`pkcs11:…`, feature `pkcs11`), both hardware backends on by default.

pub mod file;
#[cfg(feature = "pkcs11")]
pub mod pkcs11;
pub mod uri;
#[cfg(feature = "yubihsm")]
pub mod yubihsm;

use crate::keys::Key;
use crate::secret::SecretSource;
use std::path::PathBuf;

/// The device a signature came from, for the transcript. Never holds a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// `key-file`, `yubihsm` or `pkcs11`.
    pub kind: String,
    /// What identifies this very device: a key file's SHA-256, a YubiHSM serial, a token
    /// label and serial.
    pub identity: String,
    /// One line for people ("key file alice.key").
    pub description: String,
}

/// Why signing failed. Each variant says what to do.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    #[error("{0}")]
    Secret(#[from] crate::secret::SecretError),
    #[error(transparent)]
    KeyFile(#[from] crate::keyfile::KeyFileError),
    #[error("\"{reference}\" is not a signer reference. Use file:PATH, yubihsm://usb/?serial=S&key=ID&auth=ID, yubihsm://HOST:PORT/?key=ID&auth=ID, or pkcs11:token=…;object=…?module-path=…")]
    BadReference { reference: String },
    #[error("{kind} signers are not in this build of tuf-ceremony (\"{reference}\"): it was built without that feature. Use a build with default features, or a key file (file:PATH)")]
    NotBuilt {
        kind: &'static str,
        reference: String,
    },
    #[error("{device}: {problem}")]
    Device { device: String, problem: String },
    #[error(transparent)]
    Reference(#[from] uri::UriError),
    #[error("the payload to sign is {len} bytes, but {device} signs Ed25519 messages of at most {max} bytes (a limit of the device's firmware); nothing was sent to the device. Metadata this large needs a key that hashes on the host: generate an ecdsa-p256 key in the device (`tuf-ceremony key generate --signer … --scheme ecdsa-p256`) and rotate it in for this keyholder")]
    PayloadTooLarge {
        device: String,
        len: usize,
        max: usize,
    },
}

/// A signing device: sign bytes, give the public key, describe the device.
pub trait Signer {
    /// The TUF public key of the key this signer holds.
    fn public_key(&self) -> &Key;
    /// Signs `payload`: 64 raw bytes for ed25519, DER for ECDSA, the RSASSA-PSS signature
    /// for RSA (as TUF metadata stores them, hex-encoded).
    fn sign(&mut self, payload: &[u8]) -> Result<Vec<u8>, SignerError>;
    /// Refuses, before the keyholder is asked to confirm, a payload this device cannot
    /// sign (the YubiHSM 2's Ed25519 size limit).
    fn check_payload(&self, _payload: &[u8]) -> Result<(), SignerError> {
        Ok(())
    }
    /// The device, for the transcript.
    fn device(&self) -> Device;
    /// The keyholder name recorded with the key, if any.
    fn keyholder(&self) -> Option<String> {
        None
    }
    /// The device's attestation of this key (see [`crate::attest`]), or why there is none.
    fn attestation(&mut self) -> AttestationEvidence {
        Err(no_attestation(&self.device()))
    }
}

/// What a device hands over to prove where its key lives: its attestation certificates
/// (verified by [`crate::attest::judge`]), or, in plain words, why it has none.
pub type AttestationEvidence = Result<crate::attest::Evidence, String>;

/// Why a device without an attestation command has no attestation.
fn no_attestation(device: &Device) -> String {
    if device.kind == "key-file" {
        format!(
            "{} is a key file, not a device: nothing can prove where its private key has been",
            device.description
        )
    } else {
        format!("{} offers no key attestation", device.description)
    }
}

/// A parsed signer reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerRef {
    File(PathBuf),
    YubiHsm(uri::YubiHsmRef),
    Pkcs11(uri::Pkcs11Ref),
}

impl SignerRef {
    /// Parses `file:PATH`, `yubihsm://…`, `pkcs11:…`, or a bare path to a key file.
    pub fn parse(s: &str) -> Result<SignerRef, SignerError> {
        // A reference that is not understood is repeated in the error, so hide anything that
        // looks like a secret typed into it (found by fuzzing: `password=…:` was echoed).
        let bad = || SignerError::BadReference {
            reference: uri::redact(s),
        };
        if let Some(path) = s.strip_prefix("file:") {
            if path.is_empty() {
                return Err(bad());
            }
            return Ok(SignerRef::File(PathBuf::from(path)));
        }
        if s.starts_with("yubihsm://") {
            return Ok(SignerRef::YubiHsm(uri::YubiHsmRef::parse(s)?));
        }
        if s.starts_with("pkcs11:") {
            return Ok(SignerRef::Pkcs11(uri::Pkcs11Ref::parse(s)?));
        }
        if !s.is_empty() && !s.contains("://") && !s.contains(':') {
            return Ok(SignerRef::File(PathBuf::from(s)));
        }
        Err(bad())
    }
}

/// Opens the signer a reference names, asking for its secret from `secrets`.
pub fn open(reference: &SignerRef, secrets: &SecretSource) -> Result<Box<dyn Signer>, SignerError> {
    match reference {
        SignerRef::File(path) => Ok(Box::new(file::FileSigner::open(path, secrets)?)),
        #[cfg(feature = "yubihsm")]
        SignerRef::YubiHsm(r) => Ok(Box::new(yubihsm::YubiHsmSigner::open(r, secrets)?)),
        #[cfg(not(feature = "yubihsm"))]
        SignerRef::YubiHsm(r) => Err(SignerError::NotBuilt {
            kind: "YubiHSM 2",
            reference: r.text.clone(),
        }),
        #[cfg(feature = "pkcs11")]
        SignerRef::Pkcs11(r) => Ok(Box::new(pkcs11::Pkcs11Signer::open(r, secrets)?)),
        #[cfg(not(feature = "pkcs11"))]
        SignerRef::Pkcs11(r) => Err(SignerError::NotBuilt {
            kind: "PKCS#11",
            reference: r.text.clone(),
        }),
    }
}

/// The public key a signer holds, for `key show`: without a PIN where the device allows it
/// (PKCS#11 public objects); a YubiHSM 2 or a key file must be opened.
///
/// Also returns the device's attestation of the key, or why there is none.
pub fn show_public(
    reference: &SignerRef,
    secrets: &SecretSource,
) -> Result<(Key, Device, AttestationEvidence), SignerError> {
    match reference {
        #[cfg(feature = "pkcs11")]
        SignerRef::Pkcs11(r) => pkcs11::show_public(r, secrets),
        other => {
            let mut s = open(other, secrets)?;
            let evidence = s.attestation();
            Ok((s.public_key().clone(), s.device(), evidence))
        }
    }
}

/// Generates a key inside a device (`key generate --signer`), returning its public key and
/// the device, for the keyholder to hand in as NAME.pub.json, and the device's attestation
/// of the new key (or why there is none), asked for in the same session.
pub fn generate_in_device(
    reference: &SignerRef,
    scheme: crate::keys::Scheme,
    secrets: &SecretSource,
) -> Result<(Key, Device, AttestationEvidence), SignerError> {
    let _ = (scheme, secrets);
    match reference {
        SignerRef::File(p) => Err(SignerError::BadReference {
            reference: format!(
                "file:{} (to make a key file, use `key generate --out {}`)",
                p.display(),
                p.display()
            ),
        }),
        #[cfg(feature = "yubihsm")]
        SignerRef::YubiHsm(r) => yubihsm::generate(r, scheme, secrets),
        #[cfg(not(feature = "yubihsm"))]
        SignerRef::YubiHsm(r) => Err(SignerError::NotBuilt {
            kind: "YubiHSM 2",
            reference: r.text.clone(),
        }),
        #[cfg(feature = "pkcs11")]
        SignerRef::Pkcs11(r) => pkcs11::generate(r, scheme, secrets),
        #[cfg(not(feature = "pkcs11"))]
        SignerRef::Pkcs11(r) => Err(SignerError::NotBuilt {
            kind: "PKCS#11",
            reference: r.text.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression for a crash the signer_ref fuzz target found (crash-0fc28142…): an
    /// unknown reference with a password in it must not be echoed.
    #[test]
    fn an_unknown_reference_does_not_echo_a_password() {
        for input in [
            "password=ccs11:\n=:&&/&&",
            "usb:?pin-value=123456",
            "x:y;password=hunter22",
        ] {
            let e = SignerRef::parse(input).unwrap_err().to_string();
            for secret in ["ccs11", "123456", "hunter22", "s11:d"] {
                assert!(!e.contains(secret), "{input:?} echoed {secret}: {e}");
            }
            assert!(e.contains("(hidden)"), "{e}");
        }
    }
}
