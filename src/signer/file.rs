//! The key-file signer (`file:PATH`): a passphrase-encrypted key file opened for signing.
//! The file format (age, scrypt limits, the PEM inside) is [`crate::keyfile`]'s; this
//! module only asks for the passphrase, opens the file and signs bytes with its key.

use super::{Device, Signer, SignerError};
use crate::keyfile::{self, KeyFileError, SigningKey};
use crate::keys::Key;
use crate::secret::SecretSource;
use std::path::{Path, PathBuf};

/// A key file opened for signing.
pub struct FileSigner {
    key: SigningKey,
    public: Key,
    path: PathBuf,
    fingerprint: String,
    keyholder: Option<String>,
}

impl FileSigner {
    /// Decrypts a key file, asking for its passphrase from `secrets`.
    pub fn open(path: &Path, secrets: &SecretSource) -> Result<FileSigner, SignerError> {
        // Read first: a device or FIFO is refused as such, not for its permissions.
        let armored = crate::fsutil::read_bounded(path, &crate::fsutil::Input::KEY_FILE)
            .map_err(KeyFileError::from)?;
        keyfile::check_private_mode(path)?;
        let what = format!("passphrase for {}", path.display());
        let passphrase = crate::secret::read_secret(&what, secrets, false)?;
        let opened = keyfile::decrypt(path, &armored, passphrase)?;
        Ok(FileSigner {
            key: opened.key,
            public: opened.public,
            path: path.to_path_buf(),
            fingerprint: opened.fingerprint,
            keyholder: opened.keyholder,
        })
    }
}

/// Signs with a key file's key: 64 raw bytes for Ed25519, DER for ECDSA (as TUF metadata
/// stores them, hex-encoded).
fn sign_with(key: &SigningKey, payload: &[u8]) -> Vec<u8> {
    match key {
        SigningKey::Ed25519(k) => ed25519_dalek::Signer::sign(k, payload).to_bytes().to_vec(),
        SigningKey::EcdsaP256(k) => {
            let sig: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(k, payload);
            sig.to_der().as_bytes().to_vec()
        }
        SigningKey::EcdsaP384(k) => {
            let sig: p384::ecdsa::Signature = p384::ecdsa::signature::Signer::sign(k, payload);
            sig.to_der().as_bytes().to_vec()
        }
    }
}

impl Signer for FileSigner {
    fn public_key(&self) -> &Key {
        &self.public
    }

    fn sign(&mut self, payload: &[u8]) -> Result<Vec<u8>, SignerError> {
        Ok(sign_with(&self.key, payload))
    }

    fn device(&self) -> Device {
        Device {
            kind: "key-file".into(),
            identity: format!("sha256:{}", self.fingerprint),
            description: format!("key file {}", self.path.display()),
        }
    }

    fn keyholder(&self) -> Option<String> {
        self.keyholder.clone()
    }
}
