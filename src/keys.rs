//! TUF public keys: parsing, keyids, and signature checks (TUF spec 1.0, "Key objects";
//! securesystemslib key formats as python-tuf 7 reads them).
//!
//! Two keyid conventions exist in the wild and both must be understood:
//! - securesystemslib (python-tuf, go-tuf): sha256 of the canonical `{keytype, scheme,
//!   keyval}` only;
//! - tough (tuftool, Bottlerocket): sha256 of the canonical *whole* key object, `x-` and other
//!   extra fields included.
//!
//! For a key without extra fields they agree. tough recomputes every keyid of root's keys
//! over the whole object and rejects the root on a mismatch; python-tuf 7 and go-tuf v2 take
//! keyids as given. A key with extra fields whose keyid was made the first way has broken
//! real roots for tough-based clients, so every keyid is checked against both and the
//! warning names the clients that reject it ([`keyid_warning`]).

use crate::json::{self, Object, Value};
use ed25519_dalek::Verifier as _;
use p256::pkcs8::{DecodePublicKey, EncodePublicKey, LineEnding};
use sha2::{Digest, Sha256};

/// A public key as it appears in metadata, every field kept for byte-exact round trips.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Key {
    pub keytype: String,
    pub scheme: String,
    /// `keyval.public`: hex for ed25519, SPKI PEM for ECDSA.
    pub public: String,
    /// Other members of `keyval` (kept, and part of both keyid conventions).
    pub keyval_extra: Object,
    /// Members of the key object beyond keytype/scheme/keyval (only tough hashes these).
    pub extra: Object,
}

/// The signature schemes this tool can check and make.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scheme {
    Ed25519,
    EcdsaP256,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Ed25519 => "ed25519",
            Scheme::EcdsaP256 => "ecdsa-sha2-nistp256",
        }
    }

    /// Parses what a person types on the command line.
    pub fn from_cli(s: &str) -> Option<Scheme> {
        match s {
            "ed25519" => Some(Scheme::Ed25519),
            "ecdsa-p256" | "ecdsa-sha2-nistp256" | "ecdsa" | "p256" => Some(Scheme::EcdsaP256),
            _ => None,
        }
    }
}

/// Decoded public key material, ready to verify.
#[derive(Clone, Debug)]
pub enum PublicKeyMaterial {
    Ed25519(ed25519_dalek::VerifyingKey),
    EcdsaP256(p256::ecdsa::VerifyingKey),
}

/// How a keyid relates to its key under the two conventions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KeyIdMatch {
    /// Matches both (the key has no extra fields, or both hashes happen to agree).
    Both,
    /// Matches the securesystemslib convention only; tough rejects it in root.
    SecuresystemslibOnly,
    /// Matches the whole-object convention only: what the TUF specification and tough
    /// compute; python-tuf 7 and go-tuf v2 never recompute a keyid, so no client rejects it.
    WholeObjectOnly,
    /// Matches neither: tough rejects it in root; python-tuf 7 and go-tuf v2 accept it.
    Neither,
}

impl Key {
    /// Builds the TUF key object for an ed25519 public key.
    pub fn ed25519(public: &ed25519_dalek::VerifyingKey) -> Key {
        Key {
            keytype: "ed25519".into(),
            scheme: "ed25519".into(),
            public: hex::encode(public.as_bytes()),
            keyval_extra: Object::new(),
            extra: Object::new(),
        }
    }

    /// Builds the TUF key object for an ECDSA P-256 public key (SPKI PEM, LF line ends, as
    /// securesystemslib writes it).
    pub fn ecdsa_p256(public: &p256::ecdsa::VerifyingKey) -> Key {
        let pem = p256::PublicKey::from(public)
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_default();
        Key {
            keytype: "ecdsa".into(),
            scheme: "ecdsa-sha2-nistp256".into(),
            public: pem,
            keyval_extra: Object::new(),
            extra: Object::new(),
        }
    }

    /// Reads a key object; `path` names it in errors.
    pub fn from_value(value: &Value, path: &str) -> Result<Key, crate::metadata::FormatError> {
        Key::from_owned(value.clone(), path)
    }

    /// [`from_value`](Self::from_value), taking the value (no copy of it is made).
    pub fn from_owned(value: Value, path: &str) -> Result<Key, crate::metadata::FormatError> {
        Key::from_owned_at(value, &|| path.to_string())
    }

    /// [`from_owned`](Self::from_owned), with the path made only for an error (PyPI's
    /// claimed lists thousands of keys, each of which would otherwise format its path).
    pub fn from_owned_at(
        value: Value,
        path: &dyn Fn() -> String,
    ) -> Result<Key, crate::metadata::FormatError> {
        use crate::metadata::FormatError;
        let mut extra = match value {
            Value::Object(obj) => obj,
            other => {
                return Err(FormatError::new(
                    &path(),
                    format!("must be a key object, found {}", other.kind()),
                ))
            }
        };
        let take_str =
            |o: &mut Object, name: &str, at: &dyn Fn() -> String| -> Result<String, FormatError> {
                match o.remove(name) {
                    Some(Value::Str(s)) => Ok(s),
                    Some(other) => Err(FormatError::new(
                        &format!("{}.{name}", at()),
                        format!("must be a string, found {}", other.kind()),
                    )),
                    None => Err(FormatError::new(
                        &at(),
                        format!("the required field \"{name}\" is missing"),
                    )),
                }
            };
        let keytype = take_str(&mut extra, "keytype", path)?;
        let scheme = take_str(&mut extra, "scheme", path)?;
        let keyval_path = || format!("{}.keyval", path());
        let mut keyval = match extra.remove("keyval") {
            Some(Value::Object(o)) => o,
            Some(other) => {
                return Err(FormatError::new(
                    &keyval_path(),
                    format!("must be an object, found {}", other.kind()),
                ))
            }
            None => {
                return Err(FormatError::new(
                    &path(),
                    "the required field \"keyval\" is missing",
                ))
            }
        };
        let public = take_str(&mut keyval, "public", &keyval_path)?;
        // Usually nothing is left: keep no spare capacity (claimed has thousands of keys).
        keyval.shrink_to_fit();
        extra.shrink_to_fit();
        Ok(Key {
            keytype,
            scheme,
            public,
            keyval_extra: keyval,
            extra,
        })
    }

    /// The key object as it appears in metadata.
    pub fn to_value(&self) -> Value {
        let mut obj = self.extra.clone();
        obj.insert("keytype", Value::str(&self.keytype));
        obj.insert("scheme", Value::str(&self.scheme));
        obj.insert("keyval", Value::Object(self.keyval_value()));
        Value::Object(obj)
    }

    /// Writes the key object as [`to_value`](Self::to_value) gives it, without building
    /// it (the payload of PyPI's claimed holds thousands of keys).
    pub fn write_json(&self, w: &mut json::Writer<'_>) {
        let keytype = |w: &mut json::Writer| w.str(&self.keytype);
        let scheme = |w: &mut json::Writer| w.str(&self.scheme);
        let keyval = |w: &mut json::Writer| {
            let public = |w: &mut json::Writer| w.str(&self.public);
            w.object(&mut [("public", &public)], &self.keyval_extra);
        };
        w.object(
            &mut [
                ("keytype", &keytype),
                ("keyval", &keyval),
                ("scheme", &scheme),
            ],
            &self.extra,
        );
    }

    fn keyval_value(&self) -> Object {
        let mut keyval = self.keyval_extra.clone();
        keyval.insert("public", Value::str(&self.public));
        keyval
    }

    /// keyid by the securesystemslib convention: sha256 of canonical {keytype, scheme, keyval}.
    pub fn keyid(&self) -> String {
        let v = Value::object(vec![
            ("keytype", Value::str(&self.keytype)),
            ("scheme", Value::str(&self.scheme)),
            ("keyval", Value::Object(self.keyval_value())),
        ]);
        hex::encode(Sha256::digest(json::canonical(&v)))
    }

    /// keyid by tough's convention: sha256 of the canonical whole key object.
    pub fn keyid_whole_object(&self) -> String {
        hex::encode(Sha256::digest(json::canonical(&self.to_value())))
    }

    /// Compares a keyid found in metadata with both conventions.
    pub fn check_keyid(&self, keyid: &str) -> KeyIdMatch {
        let a = self.keyid() == keyid;
        // With no fields beyond keytype/scheme/keyval the two conventions hash the same
        // object (thousands of developer keys in PEP 480's claimed are checked this way).
        let b = if self.extra.is_empty() {
            a
        } else {
            self.keyid_whole_object() == keyid
        };
        match (a, b) {
            (true, true) => KeyIdMatch::Both,
            (true, false) => KeyIdMatch::SecuresystemslibOnly,
            (false, true) => KeyIdMatch::WholeObjectOnly,
            (false, false) => KeyIdMatch::Neither,
        }
    }

    /// The scheme if we support it and the keytype agrees with it.
    pub fn scheme(&self) -> Option<Scheme> {
        match (self.keytype.as_str(), self.scheme.as_str()) {
            ("ed25519", "ed25519") => Some(Scheme::Ed25519),
            ("ecdsa" | "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256") => Some(Scheme::EcdsaP256),
            _ => None,
        }
    }

    /// Decodes the public key. The error says what is wrong with it.
    pub fn material(&self) -> Result<PublicKeyMaterial, String> {
        match self.scheme() {
            Some(Scheme::Ed25519) => {
                let bytes = hex::decode(&self.public)
                    .map_err(|_| "keyval.public of an ed25519 key must be hex".to_string())?;
                let arr: [u8; 32] = bytes.try_into().map_err(|_| {
                    "keyval.public of an ed25519 key must be 32 bytes (64 hex digits)".to_string()
                })?;
                ed25519_dalek::VerifyingKey::from_bytes(&arr)
                    .map(PublicKeyMaterial::Ed25519)
                    .map_err(|_| "keyval.public is not a valid ed25519 point".to_string())
            }
            Some(Scheme::EcdsaP256) => p256::PublicKey::from_public_key_pem(self.public.trim_end())
                .map(|k| PublicKeyMaterial::EcdsaP256(k.into()))
                .map_err(|_| {
                    "keyval.public of an ecdsa-sha2-nistp256 key must be a P-256 public key in \
                     SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----)"
                        .to_string()
                }),
            None => Err(format!(
                "keytype \"{}\" with scheme \"{}\" is not supported (supported: ed25519/ed25519, \
                 ecdsa/ecdsa-sha2-nistp256)",
                self.keytype, self.scheme
            )),
        }
    }

    /// What makes two key objects the same key, whatever their keyids or formatting: the
    /// scheme and the raw public key. A key counts once toward a threshold however many
    /// keyids point at it (the spec's "unique keys").
    pub fn identity(&self) -> String {
        match self.material() {
            Ok(PublicKeyMaterial::Ed25519(k)) => format!("ed25519:{}", hex::encode(k.as_bytes())),
            Ok(PublicKeyMaterial::EcdsaP256(k)) => {
                format!("p256:{}", hex::encode(k.to_encoded_point(true).as_bytes()))
            }
            Err(_) => format!(
                "other:{}",
                String::from_utf8_lossy(&json::canonical(&Value::object(vec![
                    ("keytype", Value::str(&self.keytype)),
                    ("scheme", Value::str(&self.scheme)),
                    ("keyval", Value::Object(self.keyval_value())),
                ])))
            ),
        }
    }

    /// Checks a hex signature over `payload`. Returns why it does not verify.
    pub fn verify(&self, payload: &[u8], sig_hex: &str) -> Result<(), String> {
        let sig = hex::decode(sig_hex).map_err(|_| "the signature is not hex".to_string())?;
        match self.material()? {
            PublicKeyMaterial::Ed25519(k) => {
                let sig = ed25519_dalek::Signature::from_slice(&sig)
                    .map_err(|_| "an ed25519 signature must be 64 bytes".to_string())?;
                k.verify_strict(payload, &sig)
                    .map_err(|_| "the signature does not match the payload and key".to_string())
            }
            PublicKeyMaterial::EcdsaP256(k) => {
                let sig = p256::ecdsa::Signature::from_der(&sig)
                    .map_err(|_| "an ecdsa-sha2-nistp256 signature must be DER".to_string())?;
                k.verify(payload, &sig)
                    .map_err(|_| "the signature does not match the payload and key".to_string())
            }
        }
    }
}

/// A one-paragraph warning for a keyid of root's `keys` that some client rejects, naming
/// exactly those clients; `None` when every client accepts it.
///
/// Only tough recomputes keyids: it hashes the whole key object when it reads root
/// (awslabs/tough `schema/de.rs` `deserialize_keys`) and refuses the whole root when one
/// keyid differs. python-tuf 7 (`Root.from_dict`) and go-tuf v2 (`VerifyDelegate`) look keys
/// up by the keyid as written and never recompute it; a keyid that matches the whole object
/// only is what tough computes, so no client rejects it.
pub fn keyid_warning(keyid: &str, m: KeyIdMatch, place: &str) -> Option<String> {
    match m {
        KeyIdMatch::Both | KeyIdMatch::WholeObjectOnly => None,
        KeyIdMatch::SecuresystemslibOnly => Some(format!(
            "{place}: keyid {keyid} is the SHA-256 of the key's keytype, scheme and keyval \
             only, but the key object has other fields. tough, and clients built on it, hash \
             the whole key object and reject the whole root; python-tuf 7 and go-tuf v2 take \
             keyids as given and accept it. Remove the extra fields from the key, or list it \
             under the SHA-256 of its whole object (`tuf-ceremony inspect` shows both keyids \
             of every key)."
        )),
        KeyIdMatch::Neither => Some(format!(
            "{place}: keyid {keyid} is not the SHA-256 of its key under either convention \
             (the whole key object, or keytype/scheme/keyval). tough, and clients built on \
             it, reject the whole root; python-tuf 7 and go-tuf v2 take keyids as given and \
             accept it. List the key under its real keyid (`tuf-ceremony inspect` shows it)."
        )),
    }
}

/// [`keyid_warning`] for a key that a targets role delegates to. No client's treatment of
/// such keyids is established beyond python-tuf 7 and go-tuf v2 taking them as given, so
/// the warning says what is wrong and names no client that rejects it.
pub fn delegated_keyid_warning(keyid: &str, m: KeyIdMatch, place: &str) -> Option<String> {
    let what = match m {
        KeyIdMatch::Both | KeyIdMatch::WholeObjectOnly => return None,
        KeyIdMatch::SecuresystemslibOnly => {
            "is the SHA-256 of the key's keytype, scheme and keyval only, not of the whole key \
             object (which has other fields)"
        }
        KeyIdMatch::Neither => {
            "is not the SHA-256 of its key under either convention (the whole key object, or \
             keytype/scheme/keyval)"
        }
    };
    Some(format!(
        "{place}: keyid {keyid} {what}, which the TUF specification asks for; python-tuf 7 and \
         go-tuf v2 take keyids as given. List the key under the SHA-256 of its whole object \
         (`tuf-ceremony inspect` shows both keyids of every key)."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyid_conventions_differ_only_with_extra_fields() {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let mut key = Key::ed25519(&sk.verifying_key());
        assert_eq!(key.check_keyid(&key.keyid()), KeyIdMatch::Both);
        let plain_id = key.keyid();
        key.extra.insert("x-tough-note", Value::str("hello"));
        assert_eq!(key.keyid(), plain_id);
        assert_ne!(key.keyid_whole_object(), plain_id);
        assert_eq!(key.check_keyid(&plain_id), KeyIdMatch::SecuresystemslibOnly);
        assert_eq!(
            key.check_keyid(&key.keyid_whole_object()),
            KeyIdMatch::WholeObjectOnly
        );
        assert_eq!(key.check_keyid(&"0".repeat(64)), KeyIdMatch::Neither);
    }

    /// The direct writer gives the bytes of the tree writer, in both styles, extra fields
    /// (beside keyval's and in it) included: payloads are written with it.
    #[test]
    fn direct_writer_matches_the_tree() {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[3u8; 32]);
        let mut key = Key::ed25519(&sk.verifying_key());
        for round in 0..3 {
            for style in [json::Style::Canonical, json::Style::Pretty] {
                let mut w = json::Writer::new(style, 64);
                key.write_json(&mut w);
                let mut tree = json::Writer::new(style, 64);
                tree.value(&key.to_value());
                assert_eq!(w.out, tree.out, "round {round}, {style:?}");
            }
            match round {
                0 => key.extra.insert("a-first", Value::Int(-1)),
                _ => key.keyval_extra.insert("zz", Value::str("\"x\"")),
            }
        }
    }

    #[test]
    fn ed25519_and_ecdsa_signatures_verify_and_tampering_fails() {
        use ed25519_dalek::Signer as _;
        let sk = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
        let key = Key::ed25519(&sk.verifying_key());
        let sig = hex::encode(sk.sign(b"payload").to_bytes());
        assert!(key.verify(b"payload", &sig).is_ok());
        assert!(key.verify(b"payloaD", &sig).is_err());

        let ek = p256::ecdsa::SigningKey::from_slice(&[3u8; 32]).unwrap();
        let ekey = Key::ecdsa_p256(ek.verifying_key());
        assert!(
            ekey.public.starts_with("-----BEGIN PUBLIC KEY-----\n")
                && ekey.public.ends_with("-----END PUBLIC KEY-----\n")
        );
        let esig: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(&ek, b"payload");
        let der = hex::encode(esig.to_der().as_bytes());
        assert!(ekey.verify(b"payload", &der).is_ok());
        assert!(ekey.verify(b"other", &der).is_err());
        assert!(
            ekey.verify(b"payload", &hex::encode(esig.to_bytes()))
                .is_err(),
            "raw r||s is not DER"
        );
    }

    #[test]
    fn identity_ignores_keyid_and_extra_fields() {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[1u8; 32]);
        let a = Key::ed25519(&sk.verifying_key());
        let mut b = a.clone();
        b.extra.insert("x-name", Value::str("alice"));
        b.public = b.public.to_uppercase();
        assert_eq!(a.identity(), b.identity());
    }
}
