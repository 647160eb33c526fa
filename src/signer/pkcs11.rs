//! PKCS#11 signer, through `cryptoki`, which loads the token's
//! module at run time: SoftHSM2, YubiKey PIV (ykcs11), Nitrokey HSM and smart cards (OpenSC).
//!
//! - Ed25519 is CKM_EDDSA over the whole message (pure Ed25519, RFC 8032), which is what TUF's
//!   `ed25519` scheme verifies.
//! - ECDSA P-256 (P-384) is CKM_ECDSA over a SHA-256 (SHA-384) digest computed on the host
//!   (ykcs11 and OpenSC tokens do not all offer CKM_ECDSA_SHA256). PKCS#11 returns the raw
//!   `r || s`; TUF's `ecdsa-sha2-nistp256`/`-nistp384` store DER, so it is converted here.
//! - RSA keys sign `rsassa-pss-sha256` (the RSA scheme every major client reads) with
//!   CKM_RSA_PKCS_PSS over a SHA-256 digest computed on the host, MGF1-SHA-256 and a 32-byte
//!   salt (securesystemslib signs with the digest length, and tough verifies only that).
//!   Hashing on the host, as for ECDSA, sends 32 bytes to the token whatever the metadata's
//!   size, and works with tokens that lack CKM_SHA256_RSA_PKCS_PSS.
//! - Keys generated here are CKA_SENSITIVE and not CKA_EXTRACTABLE: the private key never
//!   leaves the token.
//!
//! The PIN is a secret like a passphrase (terminal or `--passphrase-file`), never part of the
//! reference.

use super::uri::Pkcs11Ref;
use super::{AttestationEvidence, Device, Signer, SignerError};
use crate::keys::{Key, RsaHash, Scheme};
use crate::secret::{ExposeSecret, SecretSource};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::eddsa::{EddsaParams, EddsaSignatureScheme};
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use sha2::Digest;

/// DER of the Ed25519 curve OID 1.3.101.112 (RFC 8410), as CKA_EC_PARAMS.
const OID_ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
/// DER of the P-256 curve OID 1.2.840.10045.3.1.7, as CKA_EC_PARAMS.
const OID_P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// DER of the P-384 curve OID 1.3.132.0.34, as CKA_EC_PARAMS.
const OID_P384: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];
/// The size of RSA keys generated in a token: NIST's choice for keys used beyond 2030.
const RSA_GENERATED_BITS: u64 = 3072;
/// The RSA-PSS salt length tuf-ceremony signs with: SHA-256's digest length.
const PSS_SALT_LEN: u64 = 32;
/// The printable-string form some modules use for Ed25519 (PKCS#11 3.0 allows both).
const NAME_ED25519: &[u8] = &[
    0x13, 0x0c, b'e', b'd', b'w', b'a', b'r', b'd', b's', b'2', b'5', b'5', b'1', b'9',
];

/// What identifies a token, for the transcript.
#[derive(Clone, Debug)]
struct TokenId {
    label: String,
    manufacturer: String,
    model: String,
    serial: String,
}

/// A private key in a PKCS#11 token, with a logged-in session.
pub struct Pkcs11Signer {
    session: Session,
    private: ObjectHandle,
    key: Key,
    token: TokenId,
    reference: Pkcs11Ref,
}

fn dev_err(r: &Pkcs11Ref, problem: impl Into<String>) -> SignerError {
    SignerError::Device {
        device: format!(
            "PKCS#11 {} (module {})",
            r.token_description(),
            r.module_path.display()
        ),
        problem: problem.into(),
    }
}

fn rv(e: &CkError) -> Option<RvError> {
    match e {
        CkError::Pkcs11(rv, _) => Some(*rv),
        _ => None,
    }
}

/// Says what to do about an error from the token during `doing`.
fn explain(r: &Pkcs11Ref, doing: &str, e: &CkError) -> SignerError {
    let problem = match rv(e) {
        Some(
            RvError::DeviceRemoved
            | RvError::TokenNotPresent
            | RvError::SessionHandleInvalid
            | RvError::SessionClosed
            | RvError::DeviceError,
        ) => format!(
            "the token went away while {doing} ({e}). Nothing was signed. Plug it back in and run the command again"
        ),
        Some(RvError::KeyTypeInconsistent | RvError::KeyFunctionNotPermitted) => format!(
            "the key cannot be used to sign ({e}); it may not be a signing key. Use the token's signing key"
        ),
        Some(RvError::MechanismInvalid) => format!(
            "the token does not offer the signing mechanism this key needs ({e}). YubiKey PIV (ykcs11) signs with ecdsa-p256 only: use an ecdsa-p256 key there"
        ),
        _ => format!("{doing} failed: {e}"),
    };
    dev_err(r, problem)
}

fn text(s: &str) -> String {
    s.trim_end_matches([' ', '\0']).to_string()
}

/// Loads the module and finds the one slot whose token matches the reference.
fn find_token(r: &Pkcs11Ref) -> Result<(Pkcs11, Slot, TokenId), SignerError> {
    if !r.module_path.exists() {
        return Err(dev_err(
            r,
            format!(
                "the PKCS#11 module {} does not exist. Install it (Debian: softhsm2, ykcs11, opensc-pkcs11) or correct module-path in the reference",
                r.module_path.display()
            ),
        ));
    }
    let ctx = Pkcs11::new(&r.module_path).map_err(|e| {
        dev_err(
            r,
            format!(
                "{} could not be loaded as a PKCS#11 module ({e}). Check module-path names the token's PKCS#11 library (a .so file)",
                r.module_path.display()
            ),
        )
    })?;
    ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .map_err(|e| explain(r, "initialising the module", &e))?;
    let slots = ctx
        .get_slots_with_token()
        .map_err(|e| explain(r, "listing tokens", &e))?;
    let mut seen = Vec::new();
    let mut found = Vec::new();
    for slot in slots {
        let Ok(info) = ctx.get_token_info(slot) else {
            continue;
        };
        if !info.token_initialized() {
            continue;
        }
        let id = TokenId {
            label: text(info.label()),
            manufacturer: text(info.manufacturer_id()),
            model: text(info.model()),
            serial: text(info.serial_number()),
        };
        let matches = r.token.as_ref().is_none_or(|t| *t == id.label)
            && r.serial.as_ref().is_none_or(|t| *t == id.serial)
            && r.model.as_ref().is_none_or(|t| *t == id.model)
            && r.manufacturer
                .as_ref()
                .is_none_or(|t| *t == id.manufacturer)
            && r.slot_id.is_none_or(|s| s == slot.id());
        seen.push(format!(
            "\"{}\" ({}, serial {})",
            id.label, id.model, id.serial
        ));
        if matches {
            found.push((slot, id));
        }
    }
    match found.len() {
        1 => {
            let (slot, id) = found.remove(0);
            Ok((ctx, slot, id))
        }
        0 => Err(dev_err(
            r,
            if seen.is_empty() {
                "no token is present. Plug in the keyholder's token (or, for SoftHSM, check SOFTHSM2_CONF) and run the command again".to_string()
            } else {
                format!(
                    "no token matching it is present; tokens present: {}. Plug in the right token or correct the reference",
                    seen.join(", ")
                )
            },
        )),
        _ => Err(dev_err(
            r,
            format!(
                "several tokens match: {}. Add serial=… to the reference to pick one",
                found
                    .iter()
                    .map(|(_, t)| format!("\"{}\" serial {}", t.label, t.serial))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// Opens a session on the token and logs in as the user, asking for the PIN.
fn login(
    r: &Pkcs11Ref,
    ctx: &Pkcs11,
    slot: Slot,
    token: &TokenId,
    rw: bool,
    secrets: &SecretSource,
) -> Result<Session, SignerError> {
    let info = ctx
        .get_token_info(slot)
        .map_err(|e| explain(r, "reading the token", &e))?;
    if info.user_pin_locked() {
        return Err(dev_err(
            r,
            "the token's user PIN is locked after too many wrong tries. Nothing was tried. Unblock it with the security officer PIN or PUK (softhsm2-util, `ykman piv access unblock-pin`, or the Nitrokey tools), then sign again",
        ));
    }
    let session = if rw {
        ctx.open_rw_session(slot)
    } else {
        ctx.open_ro_session(slot)
    }
    .map_err(|e| explain(r, "opening a session", &e))?;
    if info.protected_authentication_path() {
        session
            .login(UserType::User, None)
            .map_err(|e| explain(r, "logging in on the token's PIN pad", &e))?;
        return Ok(session);
    }
    let what = format!(
        "PIN of token \"{}\" ({}, serial {})",
        token.label, token.model, token.serial
    );
    let pin = crate::secret::read_secret(&what, secrets, false)?;
    let result = session.login(
        UserType::User,
        Some(&AuthPin::from(pin.expose_secret().to_string())),
    );
    drop(pin);
    match result {
        Ok(()) => Ok(session),
        Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(session),
        Err(e) => {
            let after = ctx.get_token_info(slot).ok();
            let tries = match after {
                Some(i) if i.user_pin_locked() => {
                    " The token has now LOCKED the PIN: unblock it with the security officer PIN or PUK before signing".to_string()
                }
                Some(i) if i.user_pin_final_try() => {
                    " The token says ONE try is left before it locks the PIN; check the PIN before typing it again".to_string()
                }
                Some(i) if i.user_pin_count_low() => {
                    " The token says few tries are left before it locks the PIN".to_string()
                }
                _ => String::new(),
            };
            match rv(&e) {
                Some(RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange) => Err(
                    dev_err(r, format!("wrong PIN; nothing was signed.{tries}")),
                ),
                Some(RvError::PinLocked) => Err(dev_err(
                    r,
                    "the PIN is locked after too many wrong tries. Unblock it with the security officer PIN or PUK, then sign again",
                )),
                _ => Err(explain(r, "logging in", &e)),
            }
        }
    }
}

/// The template that finds the referenced key of one class.
fn template(r: &Pkcs11Ref, class: ObjectClass) -> Vec<Attribute> {
    let mut t = vec![Attribute::Class(class)];
    if let Some(o) = &r.object {
        t.push(Attribute::Label(o.as_bytes().to_vec()));
    }
    if let Some(id) = &r.id {
        t.push(Attribute::Id(id.clone()));
    }
    t
}

/// Labels of the private keys on the token, for "no such key" messages.
fn key_labels(session: &Session) -> String {
    let handles = session
        .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
        .unwrap_or_default();
    let mut labels = Vec::new();
    for h in handles.into_iter().take(20) {
        if let Ok(attrs) = session.get_attributes(h, &[AttributeType::Label]) {
            for a in attrs {
                if let Attribute::Label(l) = a {
                    labels.push(format!("\"{}\"", String::from_utf8_lossy(&l)));
                }
            }
        }
    }
    if labels.is_empty() {
        "it holds no private keys".into()
    } else {
        format!("its private keys are {}", labels.join(", "))
    }
}

/// Strips a DER OCTET STRING wrapper from CKA_EC_POINT if there is one.
fn unwrap_octet_string(point: &[u8], raw_len: usize) -> Option<&[u8]> {
    if point.len() == raw_len {
        return Some(point);
    }
    match point {
        [0x04, n, rest @ ..] if usize::from(*n) == rest.len() && rest.len() == raw_len => {
            Some(rest)
        }
        [0x04, 0x81, n, rest @ ..] if usize::from(*n) == rest.len() && rest.len() == raw_len => {
            Some(rest)
        }
        _ => None,
    }
}

/// Reads the public key object that pairs with the private key.
fn public_key(r: &Pkcs11Ref, session: &Session, private: ObjectHandle) -> Result<Key, SignerError> {
    let ids = session
        .get_attributes(private, &[AttributeType::Id, AttributeType::Label])
        .map_err(|e| explain(r, "reading the key", &e))?;
    let mut t = vec![Attribute::Class(ObjectClass::PUBLIC_KEY)];
    for a in ids {
        match a {
            Attribute::Id(id) if !id.is_empty() => t.push(Attribute::Id(id)),
            Attribute::Label(l) if !l.is_empty() && r.id.is_none() => t.push(Attribute::Label(l)),
            _ => {}
        }
    }
    let found = session
        .find_objects(&t)
        .map_err(|e| explain(r, "finding the public key", &e))?;
    let Some(public) = found.first() else {
        return Err(dev_err(
            r,
            format!(
                "{} has no matching public key object on the token, so its public key cannot be read. Import the public key onto the token with the same id",
                r.object_description()
            ),
        ));
    };
    read_public(r, session, *public)
}

/// Reads a public key object as a TUF key.
fn read_public(r: &Pkcs11Ref, session: &Session, public: ObjectHandle) -> Result<Key, SignerError> {
    // Attributes a key of this type does not have are left out of the answer.
    let attrs = session
        .get_attributes(
            public,
            &[
                AttributeType::KeyType,
                AttributeType::EcParams,
                AttributeType::EcPoint,
                AttributeType::Modulus,
                AttributeType::PublicExponent,
            ],
        )
        .map_err(|e| explain(r, "reading the public key", &e))?;
    let (mut ktype, mut params, mut point) = (None, None, None);
    let (mut modulus, mut exponent) = (None, None);
    for a in attrs {
        match a {
            Attribute::KeyType(k) => ktype = Some(k),
            Attribute::EcParams(p) => params = Some(p),
            Attribute::EcPoint(p) => point = Some(p),
            Attribute::Modulus(m) => modulus = Some(m),
            Attribute::PublicExponent(e) => exponent = Some(e),
            _ => {}
        }
    }
    let unsupported = || {
        dev_err(
            r,
            format!(
                "{} is not an Ed25519, P-256, P-384 or RSA key; TUF metadata here uses ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384 or rsassa-pss-sha256. Generate one with `tuf-ceremony key generate --signer {} --scheme ed25519|ecdsa-p256|ecdsa-p384|rsassa-pss-sha256`",
                r.object_description(),
                r.text
            ),
        )
    };
    if ktype == Some(KeyType::RSA) {
        let (Some(n), Some(e)) = (modulus, exponent) else {
            return Err(unsupported());
        };
        let key = rsa::RsaPublicKey::new_with_max_size(
            rsa::BigUint::from_bytes_be(&n),
            rsa::BigUint::from_bytes_be(&e),
            16_384,
        )
        .map_err(|e| dev_err(r, format!("the token's RSA public key is not usable: {e}")))?;
        return Ok(Key::rsa(&key, Scheme::RsaPss(RsaHash::Sha256)));
    }
    let point = point.ok_or_else(unsupported)?;
    let params = params.unwrap_or_default();
    match ktype {
        Some(KeyType::EC_EDWARDS) if params == OID_ED25519 || params == NAME_ED25519 => {
            let raw = unwrap_octet_string(&point, 32).ok_or_else(unsupported)?;
            let bytes: [u8; 32] = raw.try_into().map_err(|_| unsupported())?;
            let vk = ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|e| {
                dev_err(r, format!("the token's Ed25519 public key is invalid: {e}"))
            })?;
            Ok(Key::ed25519(&vk))
        }
        Some(KeyType::EC) if params == OID_P256 => {
            let raw = unwrap_octet_string(&point, 65).ok_or_else(unsupported)?;
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(raw)
                .map_err(|e| dev_err(r, format!("the token's P-256 public key is invalid: {e}")))?;
            Ok(Key::ecdsa_p256(&vk))
        }
        Some(KeyType::EC) if params == OID_P384 => {
            let raw = unwrap_octet_string(&point, 97).ok_or_else(unsupported)?;
            let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(raw)
                .map_err(|e| dev_err(r, format!("the token's P-384 public key is invalid: {e}")))?;
            Ok(Key::ecdsa_p384(&vk))
        }
        _ => Err(unsupported()),
    }
}

fn device(r: &Pkcs11Ref, t: &TokenId) -> Device {
    let object = r.object_description();
    Device {
        kind: "pkcs11".into(),
        identity: format!(
            "pkcs11:token={};manufacturer={};model={};serial={};{}",
            t.label,
            t.manufacturer,
            t.model,
            t.serial,
            match (&r.object, &r.id) {
                (Some(o), _) => format!("object={o}"),
                (None, Some(id)) => format!("id={}", hex::encode(id)),
                (None, None) => String::new(),
            }
        ),
        description: format!(
            "PKCS#11 token \"{}\" ({}, serial {}), {object}",
            t.label, t.model, t.serial
        ),
    }
}

/// The CKA_ID of ykcs11's slot f9 object, the YubiKey's attestation key and its certificate
/// (ykcs11 documentation, "Key Mapping": ids 1-25 are slots 9a, 9c, 9d, 9e, 82-95, f9).
const YKCS11_F9_ID: u8 = 25;

/// The key's CKA_ID, if it has one.
fn object_id(session: &Session, handle: ObjectHandle) -> Option<Vec<u8>> {
    session
        .get_attributes(handle, &[AttributeType::Id])
        .ok()?
        .into_iter()
        .find_map(|a| match a {
            Attribute::Id(id) if !id.is_empty() => Some(id),
            _ => None,
        })
}

/// A YubiKey's PIV attestation through Yubico's ykcs11 module (its documentation,
/// "Attestation Certificates"): the certificate attesting a key is a certificate object with
/// the key's CKA_ID that is not stored on the token (`CKA_TOKEN` false; ykcs11 makes it with
/// the PIV attest command when read), and the device's certificate is slot f9's. Other
/// tokens (SoftHSM2, Nitrokey, …) offer no attestation this tool reads.
fn attestation(session: &Session, token: &TokenId, key_id: Option<Vec<u8>>) -> AttestationEvidence {
    if !token.manufacturer.starts_with("Yubico") {
        return Err(format!(
            "PKCS#11 token \"{}\" ({} by {}) offers no key attestation tuf-ceremony can read (only a YubiKey's PIV keys, through Yubico's ykcs11 module, are attested)",
            token.label, token.model, token.manufacturer
        ));
    }
    let Some(key_id) = key_id else {
        return Err(
            "the key has no CKA_ID, so ykcs11 cannot name its attestation certificate".into(),
        );
    };
    let certificate = |id: Vec<u8>, on_token: bool, what: &str| -> Result<Vec<u8>, String> {
        let template = [
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::Id(id),
            Attribute::Token(on_token),
        ];
        let found = session
            .find_objects(&template)
            .map_err(|e| format!("the YubiKey did not list {what} ({e})"))?;
        let Some(handle) = found.first() else {
            return Err(format!("the YubiKey has no {what} (a key imported rather than generated in it cannot be attested; an f9 slot emptied or replaced cannot vouch)"));
        };
        session
            .get_attributes(*handle, &[AttributeType::Value])
            .map_err(|e| format!("the YubiKey did not hand over {what} ({e})"))?
            .into_iter()
            .find_map(|a| match a {
                Attribute::Value(v) => Some(v),
                _ => None,
            })
            .ok_or_else(|| format!("the YubiKey's {what} has no value"))
    };
    Ok(crate::attest::Evidence {
        kind: crate::attest::DeviceKind::YubiKeyPiv,
        key_certificate: certificate(key_id, false, "attestation certificate for this key")?,
        device_certificate: certificate(
            vec![YKCS11_F9_ID],
            true,
            "attestation certificate in slot f9",
        )?,
    })
}

/// The public key a reference names, read without logging in when the token shows public
/// objects (most do), so `key show` needs no PIN. Falls back to logging in.
pub fn show_public(
    r: &Pkcs11Ref,
    secrets: &SecretSource,
) -> Result<(Key, Device, AttestationEvidence), SignerError> {
    let (ctx, slot, token) = find_token(r)?;
    let session = ctx
        .open_ro_session(slot)
        .map_err(|e| explain(r, "opening a session", &e))?;
    let found = session
        .find_objects(&template(r, ObjectClass::PUBLIC_KEY))
        .map_err(|e| explain(r, "finding the public key", &e))?;
    if let [public] = found.as_slice() {
        let key = read_public(r, &session, *public)?;
        let evidence = attestation(&session, &token, object_id(&session, *public));
        return Ok((key, device(r, &token), evidence));
    }
    // Logging in opens the module again: it is finalized first, or its second
    // C_Initialize fails ("already initialized") and hides what `sign` would say.
    drop(session);
    let _ = ctx.finalize();
    let mut signer = Pkcs11Signer::open(r, secrets)?;
    let d = signer.device();
    let evidence = signer.attestation();
    Ok((signer.key, d, evidence))
}

impl Pkcs11Signer {
    /// Finds the token and key, and logs in.
    pub fn open(r: &Pkcs11Ref, secrets: &SecretSource) -> Result<Pkcs11Signer, SignerError> {
        let (ctx, slot, token) = find_token(r)?;
        let session = login(r, &ctx, slot, &token, false, secrets)?;
        let found = session
            .find_objects(&template(r, ObjectClass::PRIVATE_KEY))
            .map_err(|e| explain(r, "finding the key", &e))?;
        let private = match found.as_slice() {
            [one] => *one,
            [] => {
                return Err(dev_err(
                    r,
                    format!(
                        "there is no private key {} on token \"{}\"; {}. Correct object= or id= in the reference, or generate one with `tuf-ceremony key generate --signer …`",
                        r.object_description(),
                        token.label,
                        key_labels(&session)
                    ),
                ))
            }
            _ => {
                return Err(dev_err(
                    r,
                    format!(
                        "{} private keys match {}; add id=… to the reference to pick one",
                        found.len(),
                        r.object_description()
                    ),
                ))
            }
        };
        let key = public_key(r, &session, private)?;
        Ok(Pkcs11Signer {
            session,
            private,
            key,
            token,
            reference: r.clone(),
        })
    }
}

/// The key-pair mechanism for `scheme` and the attribute that says which key to make (the
/// curve, or the RSA modulus size).
fn key_pair_mechanism(
    r: &Pkcs11Ref,
    scheme: Scheme,
) -> Result<(Mechanism<'static>, Attribute), SignerError> {
    Ok(match scheme {
        Scheme::Ed25519 => (
            Mechanism::EccEdwardsKeyPairGen,
            Attribute::EcParams(OID_ED25519.to_vec()),
        ),
        Scheme::EcdsaP256 => (
            Mechanism::EccKeyPairGen,
            Attribute::EcParams(OID_P256.to_vec()),
        ),
        Scheme::EcdsaP384 => (
            Mechanism::EccKeyPairGen,
            Attribute::EcParams(OID_P384.to_vec()),
        ),
        Scheme::RsaPss(RsaHash::Sha256) => (
            Mechanism::RsaPkcsKeyPairGen,
            Attribute::ModulusBits(RSA_GENERATED_BITS.into()),
        ),
        Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_) => {
            return Err(dev_err(
                r,
                format!(
                    "tuf-ceremony generates RSA keys for rsassa-pss-sha256 only (the RSA scheme every major TUF client reads), not {}. Nothing was generated",
                    scheme.name()
                ),
            ))
        }
    })
}

/// Generates a key pair in the token: the private half sensitive and never extractable.
pub fn generate(
    r: &Pkcs11Ref,
    scheme: Scheme,
    secrets: &SecretSource,
) -> Result<(Key, Device, AttestationEvidence), SignerError> {
    // An unsupported scheme is refused before the PIN is asked for.
    key_pair_mechanism(r, scheme)?;
    let (ctx, slot, token) = find_token(r)?;
    let session = login(r, &ctx, slot, &token, true, secrets)?;
    for class in [ObjectClass::PRIVATE_KEY, ObjectClass::PUBLIC_KEY] {
        let existing = session
            .find_objects(&template(r, class))
            .map_err(|e| explain(r, "checking for an existing key", &e))?;
        if !existing.is_empty() {
            return Err(dev_err(
                r,
                format!(
                    "token \"{}\" already holds {}; tuf-ceremony never replaces a key in a device. Choose another object= label",
                    token.label,
                    r.object_description()
                ),
            ));
        }
    }
    let id = match &r.id {
        Some(id) => id.clone(),
        None => {
            let mut id = vec![0u8; 16];
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut id);
            id
        }
    };
    let label = r.object.clone().unwrap_or_else(|| hex::encode(&id));
    let (mechanism, key_attribute) = key_pair_mechanism(r, scheme)?;
    let mut public_t = vec![
        Attribute::Token(true),
        Attribute::Private(false),
        Attribute::Verify(true),
        key_attribute,
        Attribute::Label(label.as_bytes().to_vec()),
        Attribute::Id(id.clone()),
    ];
    if scheme.is_rsa() {
        public_t.push(Attribute::PublicExponent(vec![0x01, 0x00, 0x01]));
    }
    let private_t = vec![
        Attribute::Token(true),
        Attribute::Private(true),
        Attribute::Sign(true),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
        Attribute::Label(label.as_bytes().to_vec()),
        Attribute::Id(id.clone()),
    ];
    let (_, private) = session
        .generate_key_pair(&mechanism, &public_t, &private_t)
        .map_err(|e| explain(r, "generating a key pair", &e))?;
    let mut named = r.clone();
    named.object = Some(label);
    let key = public_key(&named, &session, private)?;
    let evidence = attestation(&session, &token, Some(id));
    Ok((key, device(&named, &token), evidence))
}

impl Pkcs11Signer {
    /// CKM_ECDSA over a digest computed on the host: the raw `r || s`.
    fn sign_ecdsa(&self, digest: &[u8]) -> Result<Vec<u8>, SignerError> {
        self.session
            .sign(&Mechanism::Ecdsa, self.private, digest)
            .map_err(|e| explain(&self.reference, "signing", &e))
    }
}

fn malformed_ecdsa(r: &Pkcs11Ref, len: usize, e: impl std::fmt::Display) -> SignerError {
    dev_err(
        r,
        format!("the token returned a malformed ECDSA signature ({len} bytes: {e})"),
    )
}

impl Signer for Pkcs11Signer {
    fn attestation(&mut self) -> AttestationEvidence {
        attestation(
            &self.session,
            &self.token,
            object_id(&self.session, self.private),
        )
    }

    fn public_key(&self) -> &Key {
        &self.key
    }

    fn sign(&mut self, payload: &[u8]) -> Result<Vec<u8>, SignerError> {
        let r = &self.reference;
        match self.key.scheme() {
            Some(Scheme::Ed25519) => self
                .session
                .sign(
                    &Mechanism::Eddsa(EddsaParams::new(EddsaSignatureScheme::Pure)),
                    self.private,
                    payload,
                )
                .map_err(|e| explain(r, "signing", &e)),
            Some(Scheme::EcdsaP256) => {
                let raw = self.sign_ecdsa(&sha2::Sha256::digest(payload))?;
                let sig = p256::ecdsa::Signature::from_slice(&raw)
                    .map_err(|e| malformed_ecdsa(r, raw.len(), e))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            Some(Scheme::EcdsaP384) => {
                let raw = self.sign_ecdsa(&sha2::Sha384::digest(payload))?;
                let sig = p384::ecdsa::Signature::from_slice(&raw)
                    .map_err(|e| malformed_ecdsa(r, raw.len(), e))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            Some(Scheme::RsaPss(RsaHash::Sha256)) => {
                let params = PkcsPssParams {
                    hash_alg: MechanismType::SHA256,
                    mgf: PkcsMgfType::MGF1_SHA256,
                    s_len: PSS_SALT_LEN.into(),
                };
                self.session
                    .sign(
                        &Mechanism::RsaPkcsPss(params),
                        self.private,
                        &sha2::Sha256::digest(payload),
                    )
                    .map_err(|e| explain(r, "signing", &e))
            }
            Some(Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_)) | None => Err(dev_err(
                r,
                format!("key scheme {} cannot sign here", self.key.scheme),
            )),
        }
    }

    fn device(&self) -> Device {
        device(&self.reference, &self.token)
    }
}
