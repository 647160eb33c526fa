//! The one seam every signing device sits behind (DESIGN.md "Shape of the code").
//!
//! A signer sees only the bytes to sign, never JSON: the ceremony code decides *what* is
//! signed and checks the result; a backend only produces a signature. Backends: key files
//! (`file:PATH`), and in later builds YubiHSM 2 (`yubihsm://…`) and PKCS#11 (`pkcs11:…`).

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
    #[error("{kind} signers are not in this build of tuf-ceremony yet (\"{reference}\"). Use a key file (file:PATH) for now")]
    NotBuilt {
        kind: &'static str,
        reference: String,
    },
    #[error("the {device} failed to sign: {problem}")]
    Device { device: String, problem: String },
}

/// A signing device: sign bytes, give the public key, describe the device.
pub trait Signer {
    /// The TUF public key of the key this signer holds.
    fn public_key(&self) -> &Key;
    /// Signs `payload`: 64 raw bytes for ed25519, DER for ECDSA (as TUF metadata stores them,
    /// hex-encoded).
    fn sign(&mut self, payload: &[u8]) -> Result<Vec<u8>, SignerError>;
    /// The device, for the transcript.
    fn device(&self) -> Device;
    /// The keyholder name recorded with the key, if any.
    fn keyholder(&self) -> Option<String> {
        None
    }
}

/// A parsed signer reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerRef {
    File(PathBuf),
    YubiHsm(String),
    Pkcs11(String),
}

impl SignerRef {
    /// Parses `file:PATH`, `yubihsm://…`, `pkcs11:…`, or a bare path to a key file.
    pub fn parse(s: &str) -> Result<SignerRef, SignerError> {
        if let Some(path) = s.strip_prefix("file:") {
            if path.is_empty() {
                return Err(SignerError::BadReference {
                    reference: s.into(),
                });
            }
            return Ok(SignerRef::File(PathBuf::from(path)));
        }
        if s.starts_with("yubihsm://") {
            return Ok(SignerRef::YubiHsm(s.into()));
        }
        if s.starts_with("pkcs11:") {
            return Ok(SignerRef::Pkcs11(s.into()));
        }
        if !s.is_empty() && !s.contains("://") && !s.contains(':') {
            return Ok(SignerRef::File(PathBuf::from(s)));
        }
        Err(SignerError::BadReference {
            reference: s.into(),
        })
    }
}

/// Opens the signer a reference names, asking for its secret from `secrets`.
pub fn open(reference: &SignerRef, secrets: &SecretSource) -> Result<Box<dyn Signer>, SignerError> {
    match reference {
        SignerRef::File(path) => Ok(Box::new(crate::keyfile::FileSigner::open(path, secrets)?)),
        SignerRef::YubiHsm(r) => Err(SignerError::NotBuilt {
            kind: "YubiHSM 2",
            reference: r.clone(),
        }),
        SignerRef::Pkcs11(r) => Err(SignerError::NotBuilt {
            kind: "PKCS#11",
            reference: r.clone(),
        }),
    }
}
