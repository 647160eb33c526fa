//! Passphrase-encrypted key files: an ASCII-armored age file (scrypt passphrase recipient)
//! whose plaintext is a PKCS#8 PEM private key under a few `#` comment lines naming the
//! keyholder, scheme and keyid. `rage -d alice.key` opens it, and the PEM inside is what
//! OpenSSL and python's `cryptography` read, so a keyholder is never locked into this tool.
//!
//! Decrypted bytes live in `Zeroizing` buffers and the signing keys zeroize on drop.
//! Key files are created 0600 and never overwritten; a key file others can read is refused.

use crate::keys::{Key, Scheme};
use crate::secret::{ExposeSecret, SecretString};
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// What can go wrong with a key file. Never contains secret material.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error(transparent)]
    Fs(#[from] crate::fsutil::FsError),
    #[error(transparent)]
    Input(#[from] crate::fsutil::InputError),
    #[error("{} already exists; a key file is never overwritten. Choose another name, or move the old file away first", path.display())]
    Exists { path: PathBuf },
    #[error("{} is not an age-encrypted key file ({problem}). Key files are made by `tuf-ceremony key generate`", path.display())]
    NotAge { path: PathBuf, problem: String },
    #[error("{} is encrypted to an age recipient, not with a passphrase. tuf-ceremony key files are passphrase-encrypted", path.display())]
    NotPassphrase { path: PathBuf },
    #[error("the passphrase for {} is wrong, or the file is damaged. Try again; if it keeps failing, compare the file with its backup", path.display())]
    WrongPassphrase { path: PathBuf },
    #[error("{} needs more scrypt work to decrypt than this tool allows ({problem}); it was not made by tuf-ceremony", path.display())]
    ExcessiveWork { path: PathBuf, problem: String },
    #[error("{} decrypts, but does not hold an ed25519, ECDSA P-256 or ECDSA P-384 PKCS#8 private key. Use a key file made by `tuf-ceremony key generate`; an RSA key cannot be a key file and belongs in a PKCS#11 token", path.display())]
    NotAKey { path: PathBuf },
    #[error("{} can be read by other users (mode {mode:o}). A private key file must be readable by you alone: run `chmod 600 {}`", path.display(), path.display())]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("key files hold ed25519, ecdsa-p256 or ecdsa-p384 keys, not {}: tuf-ceremony never holds a private RSA key. Generate an RSA key inside a PKCS#11 token instead (`tuf-ceremony key generate --signer pkcs11:… --scheme rsassa-pss-sha256`)", scheme.name())]
    NotForKeyFiles { scheme: Scheme },
    #[error("cannot encrypt the key: {0}")]
    Encrypt(String),
    #[error("the keyholder name {name:?} is not usable: use 1 to 64 printable characters without '=' or quotes")]
    BadKeyholder { name: String },
}

impl From<crate::fsutil::ReadError> for KeyFileError {
    fn from(e: crate::fsutil::ReadError) -> KeyFileError {
        match e {
            crate::fsutil::ReadError::Fs(e) => KeyFileError::Fs(e),
            crate::fsutil::ReadError::Input(e) => KeyFileError::Input(e),
        }
    }
}

/// The private key inside a key file; every variant zeroizes on drop. Signing with it is
/// the key-file signer's (`signer::file`), which sits above this module.
pub enum SigningKey {
    Ed25519(ed25519_dalek::SigningKey),
    EcdsaP256(p256::ecdsa::SigningKey),
    EcdsaP384(p384::ecdsa::SigningKey),
}

impl SigningKey {
    fn generate(scheme: Scheme) -> Result<SigningKey, KeyFileError> {
        let mut rng = rand_core::OsRng;
        match scheme {
            Scheme::Ed25519 => Ok(SigningKey::Ed25519(ed25519_dalek::SigningKey::generate(
                &mut rng,
            ))),
            Scheme::EcdsaP256 => Ok(SigningKey::EcdsaP256(p256::ecdsa::SigningKey::random(
                &mut rng,
            ))),
            Scheme::EcdsaP384 => Ok(SigningKey::EcdsaP384(p384::ecdsa::SigningKey::random(
                &mut rng,
            ))),
            Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_) => {
                Err(KeyFileError::NotForKeyFiles { scheme })
            }
        }
    }

    pub fn public_key(&self) -> Key {
        match self {
            SigningKey::Ed25519(k) => Key::ed25519(&k.verifying_key()),
            SigningKey::EcdsaP256(k) => Key::ecdsa_p256(k.verifying_key()),
            SigningKey::EcdsaP384(k) => Key::ecdsa_p384(k.verifying_key()),
        }
    }

    fn pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyFileError> {
        let le = p256::pkcs8::LineEnding::LF;
        match self {
            // PKCS#8 v1 (RFC 8410 without the optional public key): ed25519-dalek's default
            // v2 encoding is refused by python's cryptography ("extra data"), and a keyholder
            // must be able to use their key with standard tools.
            SigningKey::Ed25519(k) => ed25519_dalek::pkcs8::KeypairBytes {
                secret_key: k.to_bytes(),
                public_key: None,
            }
            .to_pkcs8_pem(le),
            SigningKey::EcdsaP256(k) => k.to_pkcs8_pem(le),
            SigningKey::EcdsaP384(k) => k.to_pkcs8_pem(le),
        }
        .map_err(|e| KeyFileError::Encrypt(e.to_string()))
    }

    fn from_pem(pem: &str) -> Option<SigningKey> {
        if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
            return Some(SigningKey::Ed25519(k));
        }
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Some(SigningKey::EcdsaP256(k));
        }
        p384::ecdsa::SigningKey::from_pkcs8_pem(pem)
            .ok()
            .map(SigningKey::EcdsaP384)
    }
}

/// Refuses, before a passphrase is asked for, a scheme key files do not hold.
pub fn check_scheme(scheme: Scheme) -> Result<(), KeyFileError> {
    match scheme {
        Scheme::Ed25519 | Scheme::EcdsaP256 | Scheme::EcdsaP384 => Ok(()),
        Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_) => Err(KeyFileError::NotForKeyFiles { scheme }),
    }
}

/// Checks a keyholder name is safe to put in files and on screen.
pub fn check_keyholder_name(name: &str) -> Result<(), KeyFileError> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| !c.is_control() && c != '=' && c != '"' && c != '\'')
        && name.trim() == name;
    if ok {
        Ok(())
    } else {
        Err(KeyFileError::BadKeyholder { name: name.into() })
    }
}

/// The public key file written beside `NAME.key`: `NAME.pub.json`.
fn public_path_for(key_path: &Path) -> PathBuf {
    let name = key_path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = name.strip_suffix(".key").unwrap_or(&name);
    key_path.with_file_name(format!("{stem}.pub.json"))
}

/// Checks neither `NAME.key` nor `NAME.pub.json` exists yet (call it before asking for a
/// passphrase, so nobody types one for nothing); returns the public file's path. The
/// final write is no-clobber too, so a file appearing in between is still never replaced.
pub fn check_can_create(path: &Path) -> Result<PathBuf, KeyFileError> {
    let pub_path = public_path_for(path);
    for p in [path, pub_path.as_path()] {
        if p.exists() {
            return Err(KeyFileError::Exists {
                path: p.to_path_buf(),
            });
        }
    }
    Ok(pub_path)
}

/// Generates a key into a new passphrase-encrypted key file, and its public key file
/// beside it. Returns the public key and the public file's path.
pub fn generate(
    path: &Path,
    scheme: Scheme,
    keyholder: Option<&str>,
    passphrase: &SecretString,
) -> Result<(Key, PathBuf), KeyFileError> {
    if let Some(name) = keyholder {
        check_keyholder_name(name)?;
    }
    let pub_path = check_can_create(path)?;
    let key = SigningKey::generate(scheme)?;
    let public = key.public_key();
    let pem = key.pkcs8_pem()?;
    let mut plaintext = Zeroizing::new(String::new());
    plaintext.push_str("# tuf-ceremony key file, format 1\n");
    if let Some(name) = keyholder {
        plaintext.push_str(&format!("# keyholder: {name}\n"));
    }
    plaintext.push_str(&format!(
        "# scheme: {}\n# keyid: {}\n",
        scheme.name(),
        public.keyid()
    ));
    plaintext.push_str(&pem);

    let encryptor = age::Encryptor::with_user_passphrase(SecretString::from(
        passphrase.expose_secret().to_string(),
    ));
    let mut armored = Vec::new();
    {
        let enc_err = |e: std::io::Error| KeyFileError::Encrypt(e.to_string());
        let armor =
            age::armor::ArmoredWriter::wrap_output(&mut armored, age::armor::Format::AsciiArmor)
                .map_err(enc_err)?;
        let mut writer = encryptor.wrap_output(armor).map_err(enc_err)?;
        writer.write_all(plaintext.as_bytes()).map_err(enc_err)?;
        writer.finish().and_then(|a| a.finish()).map_err(enc_err)?;
    }
    crate::fsutil::write_new_private(path, &armored).map_err(|e| {
        if e.already_exists() {
            KeyFileError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            KeyFileError::Fs(e)
        }
    })?;
    let mut pub_bytes = crate::json::pretty(&public.to_value());
    if pub_bytes.last() != Some(&b'\n') {
        pub_bytes.push(b'\n');
    }
    crate::fsutil::write_new(&pub_path, &pub_bytes)?;
    Ok((public, pub_path))
}

/// Refuses a key file that group or others can read or write (the fix is `chmod 600`).
pub(crate) fn check_private_mode(path: &Path) -> Result<(), KeyFileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path)
            .map_err(|e| KeyFileError::Fs(crate::fsutil::FsError::new("cannot read", path, e)))?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyFileError::TooOpen {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    Ok(())
}

/// A key file once decrypted: the private key (zeroized on drop) and what the file says
/// about it.
pub struct Decrypted {
    pub key: SigningKey,
    /// The public half of `key`.
    pub public: Key,
    /// The SHA-256 of the key file's bytes (hex): the device identity the transcript records.
    pub fingerprint: String,
    /// The keyholder named in the file's comment lines, if any.
    pub keyholder: Option<String>,
}

/// The most scrypt work (log2 of N) a key file may demand; see [`decrypt`].
const MAX_SCRYPT_LOG_N: u8 = 22;

/// Decrypts the armored age file `armored` (read from `path`, which names it in errors)
/// with `passphrase`, and reads the PKCS#8 PEM key inside.
/// Says in plain words why a file is not an age file, for the cases a keyholder meets:
/// an empty file, a plain (unencrypted) PEM key, an armored file cut short, and armor
/// whose text is damaged. age's own words follow for anything else.
fn not_age_problem(bytes: &[u8], age_says: &str) -> String {
    const BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";
    const END: &[u8] = b"-----END AGE ENCRYPTED FILE-----";
    let text = bytes.trim_ascii();
    if text.is_empty() {
        return "the file is empty; restore it from its backup".into();
    }
    if text.starts_with(b"-----BEGIN") && !text.starts_with(BEGIN) {
        let label = text.split(|b| *b == b'\n').next().unwrap_or_default();
        let label = String::from_utf8_lossy(label);
        let label = label.trim().trim_matches('-').trim_start_matches("BEGIN ");
        let plain = if label.contains("ENCRYPTED") {
            ""
        } else {
            " stored unencrypted, which a private key must never be"
        };
        return format!(
            "it is a PEM file (\"{}\"){plain}, not an age file; key files are PKCS#8 keys \
             encrypted with a passphrase by `tuf-ceremony key generate` (or by \
             `rage --passphrase --armor` from a PKCS#8 PEM)",
            crate::display::escape(label)
        );
    }
    if text.starts_with(BEGIN) && !text.ends_with(END) {
        return format!(
            "it is cut short: the armor has no closing \"{}\" line; restore it from its backup",
            String::from_utf8_lossy(END)
        );
    }
    if text.starts_with(BEGIN) && age_says.contains("DecodeError") {
        return "the armored text is damaged (a character that is not base64); restore it \
                from its backup"
            .into();
    }
    age_says.to_string()
}

pub fn decrypt(
    path: &Path,
    armored: &[u8],
    passphrase: SecretString,
) -> Result<Decrypted, KeyFileError> {
    let not_age = |problem: String| KeyFileError::NotAge {
        path: path.to_path_buf(),
        problem,
    };
    let decryptor = age::Decryptor::new(age::armor::ArmoredReader::new(armored))
        .map_err(|e| not_age(not_age_problem(armored, &e.to_string())))?;
    if !decryptor.is_scrypt() {
        return Err(KeyFileError::NotPassphrase {
            path: path.to_path_buf(),
        });
    }
    let mut identity = age::scrypt::Identity::new(passphrase);
    // age's own ceiling is measured on this machine at this moment: on a machine busy
    // with other work it falls below what the file was made with a second ago, and a
    // keyholder's own key is refused. A fixed ceiling instead: 2^22 (4 GiB of memory,
    // several seconds) is above what age chooses when it makes a key (about a second of
    // work) on any current machine, and still bounds what a hostile file can demand.
    identity.set_max_work_factor(MAX_SCRYPT_LOG_N);
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::ExcessiveWork { .. } => KeyFileError::ExcessiveWork {
                path: path.to_path_buf(),
                problem: e.to_string(),
            },
            age::DecryptError::DecryptionFailed
            | age::DecryptError::KeyDecryptionFailed
            | age::DecryptError::NoMatchingKeys => KeyFileError::WrongPassphrase {
                path: path.to_path_buf(),
            },
            other => not_age(other.to_string()),
        })?;
    let mut plaintext = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plaintext)
        .map_err(|_| KeyFileError::WrongPassphrase {
            path: path.to_path_buf(),
        })?;
    let text = std::str::from_utf8(&plaintext).map_err(|_| KeyFileError::NotAKey {
        path: path.to_path_buf(),
    })?;
    let keyholder = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix("# keyholder: "))
        .map(str::to_string);
    let pem_start = text
        .find("-----BEGIN")
        .ok_or_else(|| KeyFileError::NotAKey {
            path: path.to_path_buf(),
        })?;
    let key = SigningKey::from_pem(&text[pem_start..]).ok_or_else(|| KeyFileError::NotAKey {
        path: path.to_path_buf(),
    })?;
    let public = key.public_key();
    Ok(Decrypted {
        key,
        public,
        fingerprint: hex::encode(Sha256::digest(armored)),
        keyholder,
    })
}
