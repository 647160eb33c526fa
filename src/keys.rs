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

use crate::format_error::FormatError;
use crate::json::{self, Object, Value};
use ed25519_dalek::Verifier as _;
use p256::pkcs8::{DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts as _;
use sha2::{Digest, Sha256};

/// A public key as it appears in metadata, every field kept for byte-exact round trips.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Key {
    pub keytype: String,
    pub scheme: String,
    /// `keyval.public`: hex for ed25519, SPKI PEM for ECDSA and RSA. Always there for the
    /// keys python-tuf reads; a key of another type (a Sigstore identity, `sigstore-oidc`,
    /// has `identity` and `issuer` instead) may have none, or one that is not a string, which
    /// then stays in `keyval_extra` as written.
    pub public: Option<String>,
    /// Other members of `keyval` (kept, and part of both keyid conventions).
    pub keyval_extra: Object,
    /// Members of the key object beyond keytype/scheme/keyval (only tough hashes these).
    pub extra: Object,
}

/// The hash an RSA scheme signs with. SHA-224 is missing on purpose: securesystemslib can
/// verify `*-sha224` signatures, but python-tuf 7 cannot load such a key at all.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RsaHash {
    Sha256,
    Sha384,
    Sha512,
}

impl RsaHash {
    const ALL: [RsaHash; 3] = [RsaHash::Sha256, RsaHash::Sha384, RsaHash::Sha512];

    /// The digest of `parts` concatenated.
    fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            d.finalize().to_vec()
        }
        match self {
            RsaHash::Sha256 => run::<Sha256>(parts),
            RsaHash::Sha384 => run::<sha2::Sha384>(parts),
            RsaHash::Sha512 => run::<sha2::Sha512>(parts),
        }
    }

    fn len(self) -> usize {
        match self {
            RsaHash::Sha256 => 32,
            RsaHash::Sha384 => 48,
            RsaHash::Sha512 => 64,
        }
    }
}

/// The signature schemes this tool checks: every (keytype, scheme) pair whose signatures
/// python-tuf 7 counts (securesystemslib 1.6 `KEY_FOR_TYPE_AND_SCHEME` and
/// `SSlibKey._verify`), except P-521 and ML-DSA.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scheme {
    Ed25519,
    EcdsaP256,
    EcdsaP384,
    /// RSASSA-PSS with MGF1 over the same hash (RFC 8017 8.1).
    RsaPss(RsaHash),
    /// RSASSA-PKCS1-v1_5 (RFC 8017 8.2).
    RsaPkcs1v15(RsaHash),
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Ed25519 => "ed25519",
            Scheme::EcdsaP256 => "ecdsa-sha2-nistp256",
            Scheme::EcdsaP384 => "ecdsa-sha2-nistp384",
            Scheme::RsaPss(RsaHash::Sha256) => "rsassa-pss-sha256",
            Scheme::RsaPss(RsaHash::Sha384) => "rsassa-pss-sha384",
            Scheme::RsaPss(RsaHash::Sha512) => "rsassa-pss-sha512",
            Scheme::RsaPkcs1v15(RsaHash::Sha256) => "rsa-pkcs1v15-sha256",
            Scheme::RsaPkcs1v15(RsaHash::Sha384) => "rsa-pkcs1v15-sha384",
            Scheme::RsaPkcs1v15(RsaHash::Sha512) => "rsa-pkcs1v15-sha512",
        }
    }

    /// The scheme a TUF key object names (its `scheme` field).
    fn from_name(s: &str) -> Option<Scheme> {
        match s {
            "ed25519" => Some(Scheme::Ed25519),
            "ecdsa-sha2-nistp256" => Some(Scheme::EcdsaP256),
            "ecdsa-sha2-nistp384" => Some(Scheme::EcdsaP384),
            _ => RsaHash::ALL.into_iter().find_map(|h| {
                let pss = Scheme::RsaPss(h);
                let pkcs1 = Scheme::RsaPkcs1v15(h);
                [pss, pkcs1].into_iter().find(|x| x.name() == s)
            }),
        }
    }

    /// Parses what a person types on the command line: the short names, or any scheme's
    /// TUF name (a signer that cannot make that kind of key says so).
    pub fn from_cli(s: &str) -> Option<Scheme> {
        match s {
            "ed25519" => Some(Scheme::Ed25519),
            "ecdsa-p256" | "ecdsa" | "p256" => Some(Scheme::EcdsaP256),
            "ecdsa-p384" | "p384" => Some(Scheme::EcdsaP384),
            "rsa" | "rsa-pss" => Some(Scheme::RsaPss(RsaHash::Sha256)),
            other => Scheme::from_name(other),
        }
    }

    /// An RSA scheme (PSS or PKCS#1 v1.5).
    pub fn is_rsa(self) -> bool {
        matches!(self, Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_))
    }
}

/// Decoded public key material, ready to verify.
#[derive(Clone, Debug)]
pub enum PublicKeyMaterial {
    Ed25519(ed25519_dalek::VerifyingKey),
    EcdsaP256(p256::ecdsa::VerifyingKey),
    EcdsaP384(p384::ecdsa::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

/// The largest RSA modulus read, in bits: OpenSSL (under python-tuf's `cryptography`) refuses
/// to use a larger one, so its signatures never count there either.
const RSA_MAX_BITS: usize = 16_384;

/// The (keytype, scheme) pairs python-tuf 7 can load (securesystemslib 1.6
/// `KEY_FOR_TYPE_AND_SCHEME`). A key outside this list makes python-tuf refuse the whole
/// file that holds it ("Unsupported public key").
fn python_tuf_loads(keytype: &str, scheme: &str) -> bool {
    matches!(
        (keytype, scheme),
        (
            "ecdsa",
            "ecdsa-sha2-nistp256" | "ecdsa-sha2-nistp384" | "ecdsa-sha2-nistp521"
        ) | ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256")
            | ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384")
            | ("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521")
            | ("ed25519", "ed25519")
            | ("ml-dsa", "ml-dsa-44/1" | "ml-dsa-65/1" | "ml-dsa-87/1")
            | (
                "rsa",
                "rsassa-pss-sha256"
                    | "rsassa-pss-sha384"
                    | "rsassa-pss-sha512"
                    | "rsa-pkcs1v15-sha256"
                    | "rsa-pkcs1v15-sha384"
                    | "rsa-pkcs1v15-sha512"
                    | "pgp+rsa-pkcsv1.5"
            )
            | ("dsa", "pgp+dsa-fips-180-2")
            | ("eddsa", "pgp+eddsa-ed25519")
    )
}

/// The members of a key object in which the tools that wrote it name the key's holder:
/// tuf-on-ci's `x-tuf-on-ci-keyowner` (the keyholder's GitHub handle) and RSTUF's
/// `x-rstuf-key-name`. Only the file's word: a ceremony's own record of who holds a key
/// comes first wherever a keyholder is named.
pub const OWNER_FIELDS: [&str; 2] = ["x-tuf-on-ci-keyowner", "x-rstuf-key-name"];

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
            public: Some(hex::encode(public.as_bytes())),
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
        Key::pem("ecdsa", Scheme::EcdsaP256, pem)
    }

    /// Builds the TUF key object for an ECDSA P-384 public key, as securesystemslib writes
    /// it (keytype `ecdsa`, SPKI PEM).
    pub fn ecdsa_p384(public: &p384::ecdsa::VerifyingKey) -> Key {
        let pem = p384::PublicKey::from(public)
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_default();
        Key::pem("ecdsa", Scheme::EcdsaP384, pem)
    }

    /// Builds the TUF key object for an RSA public key with `scheme` (SPKI PEM, as
    /// securesystemslib writes it; `rsassa-pss-sha256` is its default and the one RSA scheme
    /// every major client reads).
    pub fn rsa(public: &rsa::RsaPublicKey, scheme: Scheme) -> Key {
        let pem = public.to_public_key_pem(LineEnding::LF).unwrap_or_default();
        Key::pem("rsa", scheme, pem)
    }

    fn pem(keytype: &str, scheme: Scheme, public: String) -> Key {
        Key {
            keytype: keytype.into(),
            scheme: scheme.name().into(),
            public: Some(public),
            keyval_extra: Object::new(),
            extra: Object::new(),
        }
    }

    /// Reads a bare PEM public key (SubjectPublicKeyInfo) as a TUF key with the scheme
    /// securesystemslib gives that kind of key (`SSlibKey.from_crypto`): ed25519,
    /// ecdsa-sha2-nistp256, ecdsa-sha2-nistp384 or rsassa-pss-sha256.
    pub fn from_public_pem(text: &str) -> Option<Key> {
        let text = text.trim();
        if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_pem(text) {
            return Some(Key::ed25519(&k));
        }
        if let Ok(k) = p256::PublicKey::from_public_key_pem(text) {
            return Some(Key::ecdsa_p256(&k.into()));
        }
        if let Ok(k) = p384::PublicKey::from_public_key_pem(text) {
            return Some(Key::ecdsa_p384(&k.into()));
        }
        rsa_from_pem(text)
            .ok()
            .map(|(k, _)| Key::rsa(&k, Scheme::RsaPss(RsaHash::Sha256)))
    }

    /// The keyholder's name as the file gives it ([`OWNER_FIELDS`]), if it gives one.
    pub fn named_in_file(&self) -> Option<&str> {
        OWNER_FIELDS
            .iter()
            .find_map(|f| self.extra.get(f).and_then(Value::as_str))
            .filter(|name| !name.trim().is_empty())
    }

    /// Reads a key object; `path` names it in errors.
    pub fn from_value(value: &Value, path: &str) -> Result<Key, FormatError> {
        Key::from_owned(value.clone(), path)
    }

    /// [`from_value`](Self::from_value), taking the value (no copy of it is made).
    pub fn from_owned(value: Value, path: &str) -> Result<Key, FormatError> {
        Key::from_owned_at(value, &|| path.to_string())
    }

    /// [`from_owned`](Self::from_owned), with the path made only for an error (PyPI's
    /// claimed lists thousands of keys, each of which would otherwise format its path).
    pub fn from_owned_at(value: Value, path: &dyn Fn() -> String) -> Result<Key, FormatError> {
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
        // python-tuf refuses a key it reads without a string `public` (securesystemslib
        // `SSlibKey`), and so does this tool. A key of any other type is kept exactly as
        // written, whatever its `keyval` holds: its signatures are not checked here, and the
        // keyholders who hold other keys can still sign the file that lists it.
        let public = if python_tuf_loads(&keytype, &scheme) {
            Some(take_str(&mut keyval, "public", &keyval_path)?)
        } else if let Some(Value::Str(_)) = keyval.get("public") {
            take_str(&mut keyval, "public", &keyval_path).ok()
        } else {
            None
        };
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
        let keyval = |w: &mut json::Writer| match &self.public {
            Some(p) => {
                let public = |w: &mut json::Writer| w.str(p);
                w.object(&mut [("public", &public)], &self.keyval_extra);
            }
            None => w.object(&mut [], &self.keyval_extra),
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
        if let Some(p) = &self.public {
            keyval.insert("public", Value::str(p));
        }
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

    /// The scheme if we support it and the keytype agrees with it (the pairs python-tuf 7
    /// accepts: ECDSA keys may also carry the legacy keytype equal to their scheme).
    pub fn scheme(&self) -> Option<Scheme> {
        let scheme = Scheme::from_name(&self.scheme)?;
        let keytype_fits = match scheme {
            Scheme::Ed25519 => self.keytype == "ed25519",
            Scheme::EcdsaP256 | Scheme::EcdsaP384 => {
                self.keytype == "ecdsa" || self.keytype == self.scheme
            }
            Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_) => self.keytype == "rsa",
        };
        keytype_fits.then_some(scheme)
    }

    /// Decodes the public key. The error is a sentence saying what is wrong with it and
    /// what that means for its signatures.
    pub fn material(&self) -> Result<PublicKeyMaterial, String> {
        self.decoded().map(|(_, m)| m)
    }

    fn decoded(&self) -> Result<(Scheme, PublicKeyMaterial), String> {
        let Some(scheme) = self.scheme() else {
            return Err(self.unsupported());
        };
        let not_counted = "; its signatures are not counted";
        // Every scheme checked here is one python-tuf reads, so `public` is a string.
        let public = self.public.as_deref().unwrap_or_default();
        let material = match scheme {
            Scheme::Ed25519 => {
                let bytes = hex::decode(public).map_err(|_| {
                    format!("keyval.public of an ed25519 key must be hex{not_counted}")
                })?;
                let arr: [u8; 32] = bytes.try_into().map_err(|_| {
                    format!(
                        "keyval.public of an ed25519 key must be 32 bytes (64 hex digits){not_counted}"
                    )
                })?;
                ed25519_dalek::VerifyingKey::from_bytes(&arr)
                    .map(PublicKeyMaterial::Ed25519)
                    .map_err(|_| {
                        format!("keyval.public is not a valid ed25519 point{not_counted}")
                    })?
            }
            Scheme::EcdsaP256 | Scheme::EcdsaP384 if is_hex(public) => {
                return Err(format!(
                    "keyval.public of this {} key is a hex-encoded point, as older go-tuf \
                     and Sigstore's first roots wrote ECDSA keys; python-tuf 7 does not read \
                     hex ECDSA keys; this key's signatures are not counted (tough reads \
                     them; re-list the key as SubjectPublicKeyInfo PEM for python-tuf)",
                    scheme.name()
                ))
            }
            Scheme::EcdsaP256 => p256::PublicKey::from_public_key_pem(public.trim_end())
                .map(|k| PublicKeyMaterial::EcdsaP256(k.into()))
                .map_err(|_| {
                    format!(
                        "keyval.public of an ecdsa-sha2-nistp256 key must be a P-256 public \
                         key in SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----){not_counted}"
                    )
                })?,
            Scheme::EcdsaP384 => p384::PublicKey::from_public_key_pem(public.trim_end())
                .map(|k| PublicKeyMaterial::EcdsaP384(k.into()))
                .map_err(|_| {
                    format!(
                        "keyval.public of an ecdsa-sha2-nistp384 key must be a P-384 public \
                         key in SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----){not_counted}"
                    )
                })?,
            Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_) => rsa_from_pem(public)
                .map(|(k, _)| PublicKeyMaterial::Rsa(k))
                .map_err(|why| format!("{why}{not_counted}"))?,
        };
        Ok((scheme, material))
    }

    /// Why a key's (keytype, scheme) is not checked here, and what python-tuf 7 makes of it.
    fn unsupported(&self) -> String {
        let pair = format!(
            "keytype \"{}\" with scheme \"{}\"",
            crate::display::escape(&self.keytype),
            crate::display::escape(&self.scheme)
        );
        if python_tuf_loads(&self.keytype, &self.scheme) {
            format!(
                "{pair}: python-tuf 7 reads this key, but tuf-ceremony cannot check its \
                 signatures, so they are not counted here (they may count for python-tuf)"
            )
        } else {
            format!(
                "{pair} is not a key python-tuf 7 can load: it refuses the whole file that \
                 lists it, and its signatures are not counted here"
            )
        }
    }

    /// What makes two key objects the same key, whatever their keyids or formatting: the
    /// scheme and the raw public key. A key counts once toward a threshold however many
    /// keyids point at it (the spec's "unique keys"). An RSA key is
    /// the same key under every RSA scheme: one private key, one keyholder.
    pub fn identity(&self) -> String {
        match self.material() {
            Ok(PublicKeyMaterial::Ed25519(k)) => format!("ed25519:{}", hex::encode(k.as_bytes())),
            Ok(PublicKeyMaterial::EcdsaP256(k)) => {
                format!("p256:{}", hex::encode(k.to_encoded_point(true).as_bytes()))
            }
            Ok(PublicKeyMaterial::EcdsaP384(k)) => {
                format!("p384:{}", hex::encode(k.to_encoded_point(true).as_bytes()))
            }
            Ok(PublicKeyMaterial::Rsa(k)) => format!(
                "rsa:{}:{}",
                hex::encode(k.n().to_bytes_be()),
                hex::encode(k.e().to_bytes_be())
            ),
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

    /// Checks a hex signature over `payload` as python-tuf 7 does (securesystemslib
    /// `SSlibKey._verify` on OpenSSL). Returns why it does not verify.
    pub fn verify(&self, payload: &[u8], sig_hex: &str) -> Result<(), String> {
        let sig = hex::decode(sig_hex).map_err(|_| "the signature is not hex".to_string())?;
        let mismatch = || "the signature does not match the payload and key".to_string();
        match self.decoded()? {
            (_, PublicKeyMaterial::Ed25519(k)) => {
                let sig = ed25519_dalek::Signature::from_slice(&sig)
                    .map_err(|_| "an ed25519 signature must be 64 bytes".to_string())?;
                k.verify_strict(payload, &sig).map_err(|_| mismatch())
            }
            (_, PublicKeyMaterial::EcdsaP256(k)) => {
                let sig = p256::ecdsa::Signature::from_der(&sig)
                    .map_err(|_| "an ecdsa-sha2-nistp256 signature must be DER".to_string())?;
                k.verify(payload, &sig).map_err(|_| mismatch())
            }
            (_, PublicKeyMaterial::EcdsaP384(k)) => {
                let sig = p384::ecdsa::Signature::from_der(&sig)
                    .map_err(|_| "an ecdsa-sha2-nistp384 signature must be DER".to_string())?;
                k.verify(payload, &sig).map_err(|_| mismatch())
            }
            (Scheme::RsaPss(h), PublicKeyMaterial::Rsa(k)) => {
                verify_pss(&k, h, payload, &sig).ok_or_else(mismatch)
            }
            (Scheme::RsaPkcs1v15(h), PublicKeyMaterial::Rsa(k)) => {
                let digest = h.digest(&[payload]);
                let padding = match h {
                    RsaHash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                    RsaHash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                    RsaHash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                };
                k.verify(padding, &digest, &sig).map_err(|_| mismatch())
            }
            (_, PublicKeyMaterial::Rsa(_)) => Err(self.unsupported()),
        }
    }

    /// What keyholders must know about this key, if anything: why its signatures do not
    /// count (its material cannot be read), or else what a major client does with it that
    /// python-tuf does not ([`client_warning`](Self::client_warning)).
    pub fn caveat(&self) -> Option<String> {
        match self.material() {
            Ok(_) => self.client_warning(),
            Err(why) => Some(why),
        }
    }

    /// What a major client does with this key that python-tuf does not: one paragraph for
    /// the keyholders, or `None`. Each claim comes from the client's code: tough
    /// (awslabs/tough `tough/src/schema/key.rs`, `decoded.rs`, `spki.rs`) deserializes the
    /// key map of root (and of a delegating targets) strictly, so a key it cannot parse
    /// fails the whole file before any signature is looked at; it verifies RSA with
    /// aws-lc-rs's `RSA_PSS_2048_8192_SHA256` only.
    pub fn client_warning(&self) -> Option<String> {
        const TOUGH: &str = "tough-based clients (tough, tuftool, Bottlerocket, sigstore-rs)";
        let scheme = self.scheme()?;
        let what = format!("this {} key", scheme.name());
        match scheme {
            Scheme::EcdsaP384 => Some(format!(
                "{TOUGH} cannot read ecdsa-sha2-nistp384 keys and refuse the whole file that \
                 lists {what}, before looking at any signature ({} it). If such clients use \
                 this repository, use ed25519 or ecdsa-sha2-nistp256 keys instead",
                // go-tuf v2 reads P-384 under keytype "ecdsa" only (metadata/keys.go).
                if self.keytype == "ecdsa" {
                    "python-tuf and go-tuf read"
                } else {
                    "python-tuf reads"
                }
            )),
            Scheme::RsaPss(RsaHash::Sha256) => {
                match rsa_from_pem(self.public.as_deref().unwrap_or_default()) {
                    Ok((_, false)) => Some(format!(
                        "{TOUGH} read RSA keys only as SubjectPublicKeyInfo PEM (-----BEGIN \
                     PUBLIC KEY-----), so they refuse the whole file that lists {what} (a \
                     PKCS#1 -----BEGIN RSA PUBLIC KEY-----). Re-list the key as \
                     SubjectPublicKeyInfo PEM"
                    )),
                    Ok((k, true)) if !(2048..=8192).contains(&k.n().bits()) => Some(format!(
                        "{TOUGH} count signatures only by RSA keys of 2048 to 8192 bits; {what} \
                     has {} bits, so its signatures do not count there",
                        k.n().bits()
                    )),
                    _ => None,
                }
            }
            s if s.is_rsa() => Some(format!(
                "{TOUGH} read only rsassa-pss-sha256 RSA keys and refuse the whole file that \
                 lists {what}, before looking at any signature (python-tuf reads it). If \
                 such clients use this repository, list the key as rsassa-pss-sha256 and \
                 sign with RSA-PSS"
            )),
            _ => None,
        }
    }
}

/// A non-empty string of hex digits (an ECDSA point written by older go-tuf).
fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads an RSA public key from PEM as `cryptography`'s `load_pem_public_key` does:
/// SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, what securesystemslib writes) or
/// PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`). Returns the key and whether it was SPKI.
fn rsa_from_pem(pem: &str) -> Result<(rsa::RsaPublicKey, bool), String> {
    use rsa::pkcs1::der::Decode as _;
    let bad = |what: &str| {
        format!(
            "keyval.public of an RSA key must be an RSA public key in SubjectPublicKeyInfo \
             PEM (-----BEGIN PUBLIC KEY-----); {what}"
        )
    };
    let (label, der) = rsa::pkcs8::der::pem::decode_vec(pem.trim().as_bytes())
        .map_err(|_| bad("this is not PEM"))?;
    let (pkcs1, spki) = match label {
        "PUBLIC KEY" => {
            let info = rsa::pkcs8::SubjectPublicKeyInfoRef::from_der(&der)
                .map_err(|_| bad("this PEM is not a SubjectPublicKeyInfo"))?;
            if info.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
                return Err(bad("this is a public key of another kind"));
            }
            let bits = info
                .subject_public_key
                .as_bytes()
                .ok_or_else(|| bad("its key bits are malformed"))?;
            (bits.to_vec(), true)
        }
        "RSA PUBLIC KEY" => (der, false),
        _ => return Err(bad("this PEM holds something else")),
    };
    let parsed = rsa::pkcs1::RsaPublicKey::from_der(&pkcs1)
        .map_err(|_| bad("its RSAPublicKey is malformed"))?;
    let n = rsa::BigUint::from_bytes_be(parsed.modulus.as_bytes());
    let e = rsa::BigUint::from_bytes_be(parsed.public_exponent.as_bytes());
    let key = rsa::RsaPublicKey::new_with_max_size(n, e, RSA_MAX_BITS).map_err(|e| {
        bad(&format!(
            "this one is not usable ({e}; at most {RSA_MAX_BITS} bits are read)"
        ))
    })?;
    Ok((key, spki))
}

/// RSASSA-PSS verification accepting any salt length, as python-tuf does (securesystemslib
/// verifies with `PSS.AUTO`, OpenSSL's RSA_PSS_SALTLEN_AUTO). The salt length is read from
/// the signature ([`pss_salt_len`]), then the `rsa` crate checks the signature with it.
/// `None` when it does not verify.
fn verify_pss(key: &rsa::RsaPublicKey, hash: RsaHash, payload: &[u8], sig: &[u8]) -> Option<()> {
    // OpenSSL reads a signature shorter than the modulus as the number it encodes.
    let k = key.size();
    let mut padded = vec![0u8; k.checked_sub(sig.len())?];
    padded.extend_from_slice(sig);
    let salt = pss_salt_len(key, hash, &padded)?;
    let scheme = match hash {
        RsaHash::Sha256 => rsa::Pss::new_with_salt::<Sha256>(salt),
        RsaHash::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
        RsaHash::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
    };
    key.verify(scheme, &hash.digest(&[payload]), &padded).ok()
}

/// The salt length of an RSASSA-PSS signature: RFC 8017 9.1.2 EMSA-PSS-VERIFY steps 4 to
/// 10, with sLen found where the zero padding of DB ends (OpenSSL's
/// `RSA_verify_PKCS1_PSS_mgf1` with RSA_PSS_SALTLEN_AUTO, checks in the same order).
/// `None` for anything that is not a PSS encoding.
fn pss_salt_len(key: &rsa::RsaPublicKey, hash: RsaHash, sig: &[u8]) -> Option<usize> {
    let s = rsa::BigUint::from_bytes_be(sig);
    if &s >= key.n() {
        return None;
    }
    // RSAVP1 (RFC 8017 5.2.2): m = s^e mod n.
    let m = s.modpow(key.e(), key.n()).to_bytes_be();
    let k = key.size();
    let mut em = vec![0u8; k.checked_sub(m.len())?];
    em.extend_from_slice(&m);
    let em_bits = key.n().bits() - 1;
    let em_len = em_bits.div_ceil(8);
    // When emBits is a multiple of 8, EM is one octet shorter than the modulus, and the
    // octet before it must be zero.
    let em = match k - em_len {
        0 => &em[..],
        1 if em[0] == 0 => &em[1..],
        _ => return None,
    };
    let h_len = hash.len();
    if em_len < h_len + 2 || em[em_len - 1] != 0xbc {
        return None;
    }
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = &rest[..h_len];
    let unused_bits = 8 * em_len - em_bits;
    if unused_bits > 0 && masked_db[0] >> (8 - unused_bits) != 0 {
        return None;
    }
    // DB = maskedDB xor MGF1(H), its top unused bits cleared.
    let mut db = masked_db.to_vec();
    for (counter, chunk) in db.chunks_mut(h_len).enumerate() {
        let c = u32::try_from(counter).ok()?.to_be_bytes();
        for (d, m) in chunk.iter_mut().zip(hash.digest(&[h, &c])) {
            *d ^= m;
        }
    }
    db[0] &= 0xff >> unused_bits;
    let last = db.len() - 1;
    let one = db[..last].iter().position(|b| *b != 0).unwrap_or(last);
    (db[one] == 0x01).then_some(last - one)
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
            ekey.public
                .as_deref()
                .unwrap()
                .starts_with("-----BEGIN PUBLIC KEY-----\n")
                && ekey
                    .public
                    .as_deref()
                    .unwrap()
                    .ends_with("-----END PUBLIC KEY-----\n")
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

    /// One file of tests/key-vectors (scripts/gen-key-vectors.py): a key, its keyid and
    /// signatures with python-tuf's verdict on each.
    struct Vector {
        file: String,
        key: Key,
        keyid: String,
        payload: Vec<u8>,
        loads: bool,
        cases: Vec<(String, String, bool)>,
    }

    fn vectors() -> Vec<Vector> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/key-vectors");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let doc = json::parse(&std::fs::read(&path).unwrap()).unwrap();
            let text = |v: &Value, name: &str| v.get(name).unwrap().as_str().unwrap().to_string();
            let cases = doc.get("cases").unwrap().as_array().unwrap();
            out.push(Vector {
                file: path.file_name().unwrap().to_string_lossy().to_string(),
                key: Key::from_value(doc.get("key").unwrap(), "key").unwrap(),
                keyid: text(&doc, "keyid"),
                payload: text(&doc, "payload").into_bytes(),
                loads: doc.get("python_tuf_loads").unwrap().as_bool().unwrap(),
                cases: cases
                    .iter()
                    .map(|c| {
                        let counts = c.get("python_tuf").unwrap().as_bool().unwrap();
                        (text(c, "name"), text(c, "sig"), counts)
                    })
                    .collect(),
            });
        }
        out.sort_by(|a, b| a.file.cmp(&b.file));
        assert!(out.len() >= 16, "only {} key vectors", out.len());
        out
    }

    /// Every signature python-tuf counts is counted here, and no other: RSA-PSS with any
    /// salt length (python-tuf verifies with PSS.AUTO) but not with another MGF1 hash or
    /// padding; PKCS#1 v1.5; P-384 and P-256 under both keytypes, high or low s, DER only;
    /// RSA keys of 1024 to 6144 bits, in SPKI or PKCS#1 PEM. Keyids agree with
    /// securesystemslib's.
    #[test]
    fn key_vectors_count_what_python_tuf_counts() {
        let mut checked = 0;
        for v in vectors() {
            assert_eq!(v.key.keyid(), v.keyid, "{}: keyid", v.file);
            for (name, sig, counts) in &v.cases {
                let got = v.key.verify(&v.payload, sig);
                assert_eq!(got.is_ok(), *counts, "{}: {name}: {got:?}", v.file);
                checked += 1;
            }
            if !v.loads {
                let why = v.key.material().unwrap_err();
                assert!(why.contains("not a key python-tuf 7 can load"), "{why}");
            }
        }
        assert!(checked >= 80, "only {checked} cases");
    }

    /// A key python-tuf made from a PEM public key (`SSlibKey.from_crypto`) is the key this
    /// tool makes from the same PEM, byte for byte: the same keyid either way.
    #[test]
    fn keys_made_from_pem_match_securesystemslib() {
        let mut seen = 0;
        for v in vectors() {
            let default_scheme = matches!(
                (v.key.keytype.as_str(), v.key.scheme.as_str()),
                ("ecdsa", "ecdsa-sha2-nistp256" | "ecdsa-sha2-nistp384")
                    | ("rsa", "rsassa-pss-sha256")
            );
            let pem = v.key.public.as_deref().unwrap();
            if !default_scheme || !pem.starts_with("-----BEGIN PUBLIC KEY-----") {
                continue;
            }
            let made = Key::from_public_pem(pem)
                .unwrap_or_else(|| panic!("{}: the PEM was not read", v.file));
            // A P-384 key listed as P-256 is read as the P-384 key it is.
            if made.scheme == v.key.scheme {
                assert_eq!(made, v.key, "{}", v.file);
                seen += 1;
            }
        }
        assert!(seen >= 5, "only {seen} keys compared");
    }

    /// The hex ECDSA keys of older go-tuf and Sigstore's first roots are explained, not
    /// counted; keys tough cannot use are named as such, and the keys every client reads
    /// carry no warning.
    #[test]
    fn caveats_explain_what_each_client_does_with_a_key() {
        for v in vectors() {
            let caveat = v.key.caveat().unwrap_or_default();
            let want = match v.file.as_str() {
                "hex-ecdsa-sha2-nistp256.json" => {
                    "python-tuf 7 does not read hex ECDSA keys; this key's signatures are not counted"
                }
                f if f.contains("nistp384") => "cannot read ecdsa-sha2-nistp384 keys",
                "rsa1024-rsassa-pss-sha256.json" => "this rsassa-pss-sha256 key has 1024 bits",
                "rsa6144-rsassa-pss-sha256.json" => "",
                "rsa3072-pkcs1-pem-rsassa-pss-sha256.json" => "(a PKCS#1 -----BEGIN RSA",
                "rsa3072-rsassa-pss-sha224.json" => "not a key python-tuf 7 can load",
                "p384-key-as-ecdsa-sha2-nistp256.json" => "must be a P-256 public key",
                f if f.contains("rsa-pkcs1v15") || f.contains("pss-sha384") => {
                    "read only rsassa-pss-sha256 RSA keys"
                }
                f if f.contains("pss-sha512") => "read only rsassa-pss-sha256 RSA keys",
                _ => "",
            };
            if want.is_empty() {
                assert_eq!(caveat, "", "{}", v.file);
            } else {
                assert!(caveat.contains(want), "{}: {caveat}", v.file);
            }
            if want.contains("nistp384") || want.contains("rsassa-pss-sha256 RSA") {
                assert!(caveat.contains("refuse the whole file"), "{caveat}");
            }
        }
    }

    /// RSA keys count once toward a threshold whatever scheme lists them: one private key
    /// is one keyholder.
    #[test]
    fn an_rsa_key_is_the_same_key_under_every_scheme() {
        let all = vectors();
        let pss = &all
            .iter()
            .find(|v| v.file == "rsa2048-rsassa-pss-sha256.json")
            .unwrap()
            .key;
        let pkcs1 = &all
            .iter()
            .find(|v| v.file == "rsa2048-rsa-pkcs1v15-sha512.json")
            .unwrap()
            .key;
        assert_ne!(pss.keyid(), pkcs1.keyid());
        assert_eq!(pss.identity(), pkcs1.identity());
        assert!(pss.identity().starts_with("rsa:"));
    }

    #[test]
    fn identity_ignores_keyid_and_extra_fields() {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[1u8; 32]);
        let a = Key::ed25519(&sk.verifying_key());
        let mut b = a.clone();
        b.extra.insert("x-name", Value::str("alice"));
        b.public = b.public.map(|p| p.to_uppercase());
        assert_eq!(a.identity(), b.identity());
    }
}
