//! The detached signature file: what `sign --detached` writes on a separate offline machine
//! and `merge` reads on the ceremony machine, carried between them on removable media.
//!
//! ```json
//! {
//!  "attestation": {"device_certificate": "-----BEGIN CERTIFICATE-----\n…",
//!                  "key_certificate": "-----BEGIN CERTIFICATE-----\n…", "kind": "yubihsm-2"},
//!  "ceremony": "<64 hex digits>",
//!  "device": {"description": "…", "identity": "…", "kind": "…"},
//!  "format": "tuf-ceremony-signature/1",
//!  "keyholder": "alice",
//!  "payload_sha256": "<64 hex digits>",
//!  "role": "root",
//!  "signatures": [{"keyid": "…", "sig": "…"}],
//!  "signed_at": "2026-01-01T00:00:00Z",
//!  "version": 2
//! }
//! ```
//!
//! `ceremony` is optional (files written by earlier versions have none): the identity of the
//! ceremony the signature was made for ([`super::identity::identity`]), so that `merge` in
//! another ceremony's folder says so instead of only that the payload differs. Like every
//! member it is the file's word, never a reason to accept a signature.
//!
//! `attestation` is optional: the device's own evidence (its certificates, PEM), written only
//! when the device handed some over, never a verdict. The file is not signed, so `merge`
//! trusts nothing it says: the signatures are verified against the payload and the keys
//! that may sign it, the keyholder is the one recorded for the key, and the certificates are
//! verified again against the CA certificates in force on the ceremony machine.
//!
//! The file is parsed strictly (a duplicate member anywhere is refused) and then into
//! [`Wire`]: a member this tool does not write is refused, never silently dropped.

use crate::attest::{DeviceKind, Evidence};
use crate::display::escape;
use crate::error::{Error, Result};
use crate::json::{self, Object, Value};
use crate::metadata::Signature;
use crate::names::RoleName;
use crate::outcome::{Rejection, Unusable};
use serde::de::{Deserializer, Error as _, IgnoredAny};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The `format` member of a signing request.
pub const REQUEST_FORMAT: &str = "tuf-ceremony-request/1";

/// The `format` member; the `attestation` member added later is optional, so files with and
/// without it share it.
pub use crate::display::SIGNATURE_FORMAT as FORMAT;

/// A parsed, validated signature file.
pub struct SigFile {
    pub path: PathBuf,
    pub role: RoleName,
    pub version: u64,
    pub payload_sha256: String,
    pub keyholder: String,
    pub device: Value,
    pub signed_at: String,
    pub signatures: Vec<Signature>,
    /// The device's attestation certificates, as the file carries them (not yet verified).
    pub attestation: Option<CarriedEvidence>,
    /// SHA-256 of the file's bytes, for the transcript.
    pub file_sha256: String,
    /// The identity of the ceremony it was made for, if the file names one.
    pub ceremony: Option<String>,
}

/// The `attestation` member: a device's certificates for the key that signed, PEM.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedEvidence {
    /// Which device made it ([`kind_name`]).
    pub kind: String,
    /// YubiHSM 2 "Sign Attestation Certificate", YubiKey PIV "attest".
    pub key_certificate: String,
    /// YubiHSM 2 opaque object 0, YubiKey PIV slot f9.
    pub device_certificate: String,
}

/// The file's members as written. Each is read by a function that names the member in its
/// refusal; a missing member is `None` and refused in [`parse_sigfile_bytes`] with the same
/// words.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    #[serde(default, deserialize_with = "format")]
    format: Option<String>,
    #[serde(default, deserialize_with = "role")]
    role: Option<String>,
    #[serde(default, deserialize_with = "version")]
    version: Option<u64>,
    #[serde(default, deserialize_with = "payload_sha256")]
    payload_sha256: Option<String>,
    #[serde(default, deserialize_with = "keyholder")]
    keyholder: Option<String>,
    #[serde(default, deserialize_with = "device")]
    device: Option<BTreeMap<String, IgnoredAny>>,
    #[serde(default, deserialize_with = "signed_at")]
    signed_at: Option<String>,
    #[serde(default, deserialize_with = "signatures")]
    signatures: Option<Vec<WireSignature>>,
    #[serde(default)]
    attestation: Option<CarriedEvidence>,
    #[serde(default, deserialize_with = "ceremony")]
    ceremony: Option<String>,
}

/// A signature file as `sign --detached` writes it (members in key order on disk, as the
/// tool writes every JSON file); [`Wire`] is how one is read back.
#[derive(Serialize)]
pub struct Written<'a> {
    pub format: &'a str,
    pub role: &'a str,
    pub version: u64,
    pub payload_sha256: &'a str,
    pub keyholder: &'a str,
    pub device: super::events::DeviceRecord<'a>,
    pub signed_at: String,
    pub signatures: Vec<WrittenSignature<'a>>,
    /// The device's certificates ([`evidence_value`]); none for a key file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation: Option<crate::output::Embedded>,
    /// The ceremony the signature was made for ([`super::identity::identity`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ceremony: Option<&'a str>,
}

/// One of [`Written::signatures`].
#[derive(Serialize)]
pub struct WrittenSignature<'a> {
    pub keyid: &'a str,
    pub sig: &'a str,
}

/// One of `signatures`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireSignature {
    #[serde(default, deserialize_with = "keyid")]
    keyid: Option<String>,
    #[serde(default, deserialize_with = "sig")]
    sig: Option<String>,
}

fn not_a_string(name: &str) -> String {
    Unusable::NotAString {
        member: name.to_string(),
    }
    .to_string()
}

const NOT_POSITIVE: Unusable = Unusable::VersionNotPositive;
const NOT_OBJECT: Unusable = Unusable::DeviceNotObject;
const NOT_ARRAY: Unusable = Unusable::SignaturesNotArray;

/// A member that must be a string, refused in words naming it.
fn text<'de, D: Deserializer<'de>>(
    d: D,
    name: &str,
) -> std::result::Result<Option<String>, D::Error> {
    String::deserialize(d)
        .map(Some)
        .map_err(|_| D::Error::custom(not_a_string(name)))
}

fn format<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    text(d, "format")
}

fn role<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    text(d, "role")
}

fn payload_sha256<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    text(d, "payload_sha256")
}

fn keyholder<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    text(d, "keyholder")
}

fn signed_at<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    text(d, "signed_at")
}

fn ceremony<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    text(d, "ceremony")
}

fn keyid<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    text(d, "keyid")
}

fn sig<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    text(d, "sig")
}

/// `version`: from 1 to the largest version TUF metadata here may have (`i64::MAX`).
fn version<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<u64>, D::Error> {
    u64::deserialize(d)
        .ok()
        .filter(|v| (1..=i64::MAX as u64).contains(v))
        .map(Some)
        .ok_or_else(|| D::Error::custom(NOT_POSITIVE))
}

fn device<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<BTreeMap<String, IgnoredAny>>, D::Error> {
    BTreeMap::deserialize(d)
        .map(Some)
        .map_err(|_| D::Error::custom(NOT_OBJECT))
}

/// `signatures`: an array (refused in words naming it when it is not one); an element's
/// own problem is named by the element's reader, with its index.
fn signatures<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<WireSignature>>, D::Error> {
    /// Reads the array; `entered` tells a value that is no array from a bad element.
    struct Array<'a> {
        entered: &'a std::cell::Cell<bool>,
    }
    impl<'de> serde::de::Visitor<'de> for Array<'_> {
        type Value = Vec<WireSignature>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            self.entered.set(true);
            let mut out = Vec::new();
            loop {
                let at = out.len();
                match seq.next_element() {
                    Ok(Some(s)) => out.push(s),
                    Ok(None) => return Ok(out),
                    Err(e) => return Err(A::Error::custom(format!("signatures[{at}]: {e}"))),
                }
            }
        }
    }
    let entered = std::cell::Cell::new(false);
    d.deserialize_seq(Array { entered: &entered })
        .map(Some)
        .map_err(|e| match entered.get() {
            true => e,
            false => D::Error::custom(NOT_ARRAY),
        })
}

/// Reads and parses a signature file.
pub fn parse_sigfile(path: &Path) -> Result<SigFile> {
    let bytes = crate::fsutil::read_bounded(path, &crate::fsutil::Input::SIGNATURE_FILE)?;
    parse_sigfile_bytes(path, &bytes)
}

/// Parses a detached signature file's bytes (`path` only names it in errors). Public for the
/// fuzz target `sigfile`.
pub fn parse_sigfile_bytes(path: &Path, bytes: &[u8]) -> Result<SigFile> {
    let bad = |why: Unusable| -> Error {
        Rejection::UnusableSigFile {
            file: path.to_path_buf(),
            why,
        }
        .into()
    };
    let said = |e: &dyn std::fmt::Display| bad(Unusable::Said { why: e.to_string() });
    // 1. Strict JSON: a duplicate member anywhere, or a number that is not an integer, is
    //    refused here with its line and column.
    let value = json::parse(bytes).map_err(|e| said(&e))?;
    if value.get("format").and_then(Value::as_str) == Some(REQUEST_FORMAT) {
        return Err(bad(Unusable::IsRequest));
    }
    if value.get("format").is_none() && value.get("signed").is_some() {
        return Err(bad(Unusable::IsMetadata));
    }
    // 2. The members this tool writes, each of its type, and no other.
    let wire: Wire = serde_json::from_slice(bytes).map_err(|e| said(&e))?;
    let need = |v: Option<String>, name: &str| {
        v.ok_or_else(|| {
            bad(Unusable::NotAString {
                member: name.to_string(),
            })
        })
    };
    // 3. What each member must be.
    if need(wire.format, "format")? != FORMAT {
        return Err(bad(Unusable::OtherFormat));
    }
    // The role names the file the signature is merged into: a name, never a path.
    let role = RoleName::parse(&need(wire.role, "role")?).map_err(|e| said(&e))?;
    let version = wire.version.ok_or_else(|| bad(NOT_POSITIVE))?;
    let payload_sha256 = need(wire.payload_sha256, "payload_sha256")?;
    if payload_sha256.len() != 64 || !payload_sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad(Unusable::PayloadDigestNotHex));
    }
    let keyholder = need(wire.keyholder, "keyholder")?;
    crate::keyfile::check_keyholder_name(&keyholder).map_err(|e| said(&e))?;
    // The device as the strict reader read it, kept whole for the transcript.
    let device = wire
        .device
        .and(value.get("device").cloned())
        .ok_or_else(|| bad(NOT_OBJECT))?;
    let signed_at = need(wire.signed_at, "signed_at")?;
    // The time is the file's word, shown in the report's "when" column: a time as
    // `sign --detached` writes it, never free text that could pass for something else there.
    if crate::time::parse_expires(&signed_at).is_err() {
        return Err(bad(Unusable::SignedAtNotTime));
    }
    if let Some(id) = &wire.ceremony {
        if !super::identity::is_identity(id) {
            return Err(bad(Unusable::CeremonyNotHex));
        }
    }
    let items = wire.signatures.ok_or_else(|| bad(NOT_ARRAY))?;
    let signatures = signatures_of(items).map_err(bad)?;
    Ok(SigFile {
        path: path.to_path_buf(),
        role,
        version,
        payload_sha256,
        keyholder,
        device,
        signed_at,
        signatures,
        attestation: wire.attestation,
        file_sha256: super::digest_hex(bytes),
        ceremony: wire.ceremony,
    })
}

/// The file's signatures: each with a keyid and a signature, no keyid twice, at least one
/// and not more than metadata may hold.
fn signatures_of(items: Vec<WireSignature>) -> std::result::Result<Vec<Signature>, Unusable> {
    if let Some(why) = crate::metadata::too_many_signatures(items.len()) {
        return Err(Unusable::TooManySignatures { why });
    }
    let mut out = Vec::with_capacity(items.len());
    let mut seen = HashSet::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let keyid = item.keyid.ok_or(Unusable::KeyIdMissing { index: i })?;
        let sig = item.sig.ok_or(Unusable::SigMissing { index: i })?;
        if !seen.insert(keyid.clone()) {
            return Err(Unusable::SignsTwice { keyid });
        }
        out.push(Signature {
            keyid,
            sig,
            extra: Object::new(),
        });
    }
    if out.is_empty() {
        return Err(Unusable::NoSignatures);
    }
    Ok(out)
}

/// How the file names a device kind.
pub fn kind_name(kind: DeviceKind) -> &'static str {
    match kind {
        DeviceKind::YubiHsm2 => "yubihsm-2",
        DeviceKind::YubiKeyPiv => "yubikey-piv",
    }
}

/// The `attestation` member for a device's evidence: its certificates, PEM, exactly the
/// bytes the device handed over.
pub fn evidence_value(e: &Evidence) -> Value {
    let pem = |der: &[u8]| {
        x509_cert::der::pem::encode_string("CERTIFICATE", x509_cert::der::pem::LineEnding::LF, der)
            .unwrap_or_default()
    };
    Value::object(vec![
        ("kind", Value::str(kind_name(e.kind))),
        ("key_certificate", Value::str(pem(&e.key_certificate))),
        ("device_certificate", Value::str(pem(&e.device_certificate))),
    ])
}

impl CarriedEvidence {
    /// The member as the file carried it, for the transcript's `merge` line: the strings
    /// exactly as read, checked again by whoever reads the line.
    pub fn to_value(&self) -> Value {
        Value::object(vec![
            ("kind", Value::str(&self.kind)),
            ("key_certificate", Value::str(&self.key_certificate)),
            ("device_certificate", Value::str(&self.device_certificate)),
        ])
    }

    /// The certificates as DER, or why they cannot be read (an unknown device kind, a
    /// certificate that is not PEM): such evidence proves nothing.
    pub fn evidence(&self) -> std::result::Result<Evidence, String> {
        let kind = [DeviceKind::YubiHsm2, DeviceKind::YubiKeyPiv]
            .into_iter()
            .find(|k| kind_name(*k) == self.kind)
            .ok_or_else(|| {
                format!(
                    "its device kind \"{}\" is not one tuf-ceremony verifies (yubihsm-2, yubikey-piv)",
                    escape(&self.kind)
                )
            })?;
        let der = |pem: &str, what: &str| match x509_cert::der::pem::decode_vec(pem.as_bytes()) {
            Ok(("CERTIFICATE", der)) => Ok(der),
            Ok((label, _)) => Err(format!(
                "its {what} is a PEM \"{}\", not a CERTIFICATE",
                escape(label)
            )),
            Err(e) => Err(format!("its {what} is not a PEM certificate ({e})")),
        };
        Ok(Evidence {
            kind,
            key_certificate: der(&self.key_certificate, "key_certificate")?,
            device_certificate: der(&self.device_certificate, "device_certificate")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "00000000000000000000000000000000000000000000000000000000000000ff";

    /// A signature file as `sign --detached` writes it, with `extra` members added.
    fn file(extra: &str) -> String {
        format!(
            r#"{{"device":{{"kind":"key-file"}},"format":"{FORMAT}","keyholder":"alice",
            "payload_sha256":"{DIGEST}","role":"root","signatures":[{{"keyid":"ab","sig":"00"}}],
            "signed_at":"2030-01-01T00:00:00Z","version":1{extra}}}"#
        )
    }

    fn parse(text: &str) -> Result<SigFile> {
        parse_sigfile_bytes(Path::new("a.sig.json"), text.as_bytes())
    }

    fn refusal(text: &str) -> String {
        match parse(text) {
            Ok(_) => panic!("accepted: {text}"),
            Err(e) => e.to_string(),
        }
    }

    /// A file without the attestation member (every file written before it existed) reads
    /// as before.
    #[test]
    fn a_file_without_attestation_reads() {
        let f = parse(&file("")).unwrap();
        assert!(f.attestation.is_none());
        assert_eq!((f.role.as_str(), f.version), ("root", 1));
        assert_eq!(f.signatures.len(), 1);
    }

    /// The `ceremony` member, which earlier files lack, names the ceremony a signature was
    /// made for; anything but 64 hex digits is refused, naming it.
    #[test]
    fn the_ceremony_member_is_optional_and_checked() {
        let id = "0123456789abcdef".repeat(4);
        let f = parse(&file(&format!(",\"ceremony\":\"{id}\""))).unwrap();
        assert_eq!(f.ceremony.as_deref(), Some(id.as_str()));
        assert!(parse(&file("")).unwrap().ceremony.is_none());
        for bad in ["\"ceremony x\"", "\"ABCD\"", "7"] {
            let e = refusal(&file(&format!(",\"ceremony\":{bad}")));
            assert!(e.contains("\"ceremony\""), "{bad}: {e}");
        }
    }

    /// The evidence written is the evidence read back: the device's exact certificate bytes.
    #[test]
    fn the_attestation_member_carries_the_exact_certificates() {
        let e = Evidence {
            kind: DeviceKind::YubiKeyPiv,
            key_certificate: vec![0x30, 0x03, 0x02, 0x01, 0x07],
            device_certificate: (0..=255).collect(),
        };
        let member = json::compact(&evidence_value(&e));
        let f = parse(&file(&format!(",\"attestation\":{member}"))).unwrap();
        let back = f.attestation.unwrap().evidence().unwrap();
        assert_eq!(back.kind, DeviceKind::YubiKeyPiv);
        assert_eq!(back.key_certificate, e.key_certificate);
        assert_eq!(back.device_certificate, e.device_certificate);
    }

    /// A member this tool does not write, at the top or inside a signature or the
    /// attestation, is refused naming it: a signature file is never read in part.
    #[test]
    fn an_unknown_member_is_refused() {
        let e = refusal(&file(",\"comment\":\"hi\""));
        assert!(
            e.contains("not a usable signature file: unknown field `comment`"),
            "{e}"
        );
        let e = refusal(&file("").replace("\"sig\":\"00\"", "\"sig\":\"00\",\"x\":1"));
        assert!(e.contains("signatures[0]: unknown field `x`"), "{e}");
        let e = refusal(&file(
            ",\"attestation\":{\"kind\":\"yubihsm-2\",\"key_certificate\":\"\",\"device_certificate\":\"\",\"verified\":true}",
        ));
        assert!(e.contains("unknown field `verified`"), "{e}");
    }

    /// Each member of the wrong type or missing is refused in words naming it.
    #[test]
    fn each_member_is_refused_by_name() {
        for (from, to, words) in [
            (
                "\"version\":1",
                "\"version\":\"1\"",
                "\"version\" must be a positive integer",
            ),
            (
                "\"version\":1",
                "\"version\":0",
                "\"version\" must be a positive integer",
            ),
            (
                "\"version\":1",
                "\"version\":-3",
                "\"version\" must be a positive integer",
            ),
            (
                "\"role\":\"root\",",
                "",
                "\"role\" is missing or not a string",
            ),
            (
                "\"role\":\"root\"",
                "\"role\":[]",
                "\"role\" is missing or not a string",
            ),
            (
                "\"signed_at\":\"2030-01-01T00:00:00Z\",",
                "",
                "\"signed_at\" is missing",
            ),
            (
                "{\"kind\":\"key-file\"}",
                "\"key-file\"",
                "\"device\" must be an object",
            ),
            (
                "[{\"keyid\":\"ab\",\"sig\":\"00\"}]",
                "{}",
                "\"signatures\" must be an array",
            ),
            ("\"keyid\":\"ab\",", "", "signatures[0].keyid is missing"),
            (
                "\"sig\":\"00\"",
                "\"sig\":0",
                "signatures[0]: \"sig\" is missing or not a string",
            ),
            (
                "[{\"keyid\":\"ab\",\"sig\":\"00\"}]",
                "[]",
                "it holds no signatures",
            ),
            (
                "\"signed_at\":\"2030-01-01T00:00:00Z\"",
                "\"signed_at\":\"2030-01-01T00:00:00Z | signed in person\"",
                "\"signed_at\" must be a UTC time of the form YYYY-MM-DDTHH:MM:SSZ",
            ),
            (
                "\"signed_at\":\"2030-01-01T00:00:00Z\"",
                "\"signed_at\":\"2030-02-30T00:00:00Z\"",
                "\"signed_at\" must be a UTC time",
            ),
        ] {
            let text = file("").replace(from, to);
            assert_ne!(text, file(""), "{from}");
            let e = refusal(&text);
            assert!(e.contains(words), "{to}: {e}");
        }
        let e = refusal(&file(",\"attestation\":\"yes\""));
        assert!(e.contains("not a usable signature file"), "{e}");
    }

    /// Evidence that cannot be read is not refused at parsing (the signature may still be
    /// merged) but proves nothing: an unknown device kind, a member that is not PEM.
    #[test]
    fn unreadable_evidence_is_no_evidence() {
        let carried = |kind: &str, pem: &str| CarriedEvidence {
            kind: kind.into(),
            key_certificate: pem.into(),
            device_certificate: pem.into(),
        };
        let pem = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        assert!(carried("yubihsm-2", pem).evidence().is_ok());
        let e = carried("nitrokey", pem).evidence().unwrap_err();
        assert!(
            e.contains("\"nitrokey\" is not one tuf-ceremony verifies"),
            "{e}"
        );
        let e = carried("yubihsm-2", "MAA=").evidence().unwrap_err();
        assert!(
            e.contains("key_certificate is not a PEM certificate"),
            "{e}"
        );
        let key = pem.replace("CERTIFICATE", "PUBLIC KEY");
        let e = carried("yubihsm-2", &key).evidence().unwrap_err();
        assert!(
            e.contains("is a PEM \"PUBLIC KEY\", not a CERTIFICATE"),
            "{e}"
        );
    }
}
