//! Yubico's attestation extensions (OID arc `1.3.6.1.4.1.41482`, Yubico's Private Enterprise
//! Number; allocations in Yubico's "Yubico OID arc" page: `.3` PIV attestation, `.4` YubiHSM
//! attestation).
//!
//! **YubiHSM 2** (Yubico developers' site, YubiHSM2/Concepts/Attestation, "Certificate
//! Extensions"; python-yubihsm `KeyAttestationExtensions`): each value is a DER element:
//! `.4.1` firmware version (OCTET STRING, 3 bytes), `.4.2` serial number (INTEGER), `.4.3`
//! origin (BIT STRING), `.4.4` domains (BIT STRING), `.4.5` capabilities (BIT STRING), `.4.6`
//! object id (INTEGER), `.4.9` label (UTF8String), `.4.12` FIPS-approved mode (BOOLEAN, FIPS
//! models from firmware 2.4.1).
//!
//! **YubiKey PIV** (Yubico developers' site, PIV/Introduction/PIV_attestation): `.3.3`
//! firmware version, 3 raw bytes (`040300` is 4.3.0); `.3.7` serial number, a DER INTEGER;
//! `.3.8` usage policy, 2 raw bytes, PIN policy then touch policy; `.3.9` form factor, 1 raw
//! byte. A YubiKey attests only keys generated in it ("this is only done if the key has
//! been generated on device").

use super::chain::Cert;
use super::{AttestError, DeviceKind};
use x509_cert::der::asn1::{BitString, OctetString, Utf8StringRef};
use x509_cert::der::oid::ObjectIdentifier;
use x509_cert::der::Decode;

const HSM_FIRMWARE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.4.1");
const HSM_SERIAL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.4.2");
const HSM_ORIGIN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.4.3");
const HSM_DOMAINS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.4.4");
const HSM_CAPABILITIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.4.5");
const HSM_OBJECT_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.4.6");
const HSM_LABEL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.4.9");
const PIV_FIRMWARE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.3.3");
const PIV_SERIAL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.3.7");
const PIV_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.3.8");
const PIV_FORM_FACTOR: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.41482.3.9");

/// Where a key came from, as the device attests it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrigin {
    /// Generated inside the device; it has never existed anywhere else.
    Generated,
    /// Imported into the device in the clear: it existed outside it.
    Imported,
    /// Imported under wrap (YubiHSM 2 origin bit 0x10): a wrapped copy exists, or existed,
    /// outside the device. `generated` says whether it was first generated in a YubiHSM.
    ImportedWrapped { generated: bool },
}

impl KeyOrigin {
    /// The word `ceremony.json` and the transcript record.
    pub fn name(self) -> &'static str {
        match self {
            KeyOrigin::Generated => "generated",
            KeyOrigin::Imported => "imported",
            KeyOrigin::ImportedWrapped { generated: true } => "generated-then-imported-wrapped",
            KeyOrigin::ImportedWrapped { generated: false } => "imported-wrapped",
        }
    }

    /// In plain words, for the keyholder.
    pub fn describe(self) -> &'static str {
        match self {
            KeyOrigin::Generated => "generated in the device (the private key has never left it)",
            KeyOrigin::Imported => "IMPORTED into the device: the private key existed outside it",
            KeyOrigin::ImportedWrapped { generated: true } => "generated in a YubiHSM 2, then exported wrapped and IMPORTED into this one: a wrapped copy exists outside it",
            KeyOrigin::ImportedWrapped { generated: false } => "IMPORTED wrapped into the device: the private key existed outside it",
        }
    }

    /// YubiHSM 2 origin byte (python-yubihsm `ORIGIN`: 0x01 generated, 0x02 imported, 0x10
    /// imported wrapped, set with one of the first two).
    fn from_hsm(bits: u8) -> Option<KeyOrigin> {
        match bits {
            0x01 => Some(KeyOrigin::Generated),
            0x02 => Some(KeyOrigin::Imported),
            0x11 => Some(KeyOrigin::ImportedWrapped { generated: true }),
            0x12 | 0x10 => Some(KeyOrigin::ImportedWrapped { generated: false }),
            _ => None,
        }
    }
}

/// When a YubiKey asks for the PIN before using the key (`41482.3.8`, first byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinPolicy {
    Never,
    Once,
    Always,
    /// A value Yubico's page does not list (newer firmware may add some).
    Other(u8),
}

impl PinPolicy {
    fn from_byte(b: u8) -> PinPolicy {
        match b {
            1 => PinPolicy::Never,
            2 => PinPolicy::Once,
            3 => PinPolicy::Always,
            b => PinPolicy::Other(b),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PinPolicy::Never => "never",
            PinPolicy::Once => "once",
            PinPolicy::Always => "always",
            PinPolicy::Other(_) => "unknown",
        }
    }

    pub fn describe(self) -> String {
        match self {
            PinPolicy::Never => "never (anyone holding the YubiKey can sign)".into(),
            PinPolicy::Once => "once per session".into(),
            PinPolicy::Always => "before every signature".into(),
            PinPolicy::Other(b) => format!("unknown value 0x{b:02x}"),
        }
    }
}

/// When a YubiKey asks for a touch before using the key (`41482.3.8`, second byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TouchPolicy {
    Never,
    Always,
    Cached,
    /// A value Yubico's page does not list.
    Other(u8),
}

impl TouchPolicy {
    fn from_byte(b: u8) -> TouchPolicy {
        match b {
            1 => TouchPolicy::Never,
            2 => TouchPolicy::Always,
            3 => TouchPolicy::Cached,
            b => TouchPolicy::Other(b),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TouchPolicy::Never => "never",
            TouchPolicy::Always => "always",
            TouchPolicy::Cached => "cached",
            TouchPolicy::Other(_) => "unknown",
        }
    }

    pub fn describe(self) -> String {
        match self {
            TouchPolicy::Never => "never".into(),
            TouchPolicy::Always => "a touch for every signature".into(),
            TouchPolicy::Cached => "a touch, remembered for 15 seconds".into(),
            TouchPolicy::Other(b) => format!("unknown value 0x{b:02x}"),
        }
    }
}

/// Capability bit names, bit 0 first (YubiHSM 2 "Capability" table, as
/// yubihsm-parse-attestation lists them).
const CAPABILITIES: [&str; 56] = [
    "get-opaque",
    "put-opaque",
    "put-authentication-key",
    "put-asymmetric-key",
    "generate-asymmetric-key",
    "sign-pkcs",
    "sign-pss",
    "sign-ecdsa",
    "sign-eddsa",
    "decrypt-pkcs",
    "decrypt-oaep",
    "derive-ecdh",
    "export-wrapped",
    "import-wrapped",
    "put-wrap-key",
    "generate-wrap-key",
    "exportable-under-wrap",
    "set-option",
    "get-option",
    "get-pseudo-random",
    "put-mac-key",
    "generate-hmac-key",
    "sign-hmac",
    "verify-hmac",
    "get-log-entries",
    "sign-ssh-certificate",
    "get-template",
    "put-template",
    "reset-device",
    "decrypt-otp",
    "create-otp-aead",
    "randomize-otp-aead",
    "rewrap-from-otp-aead-key",
    "rewrap-to-otp-aead-key",
    "sign-attestation-certificate",
    "put-otp-aead-key",
    "generate-otp-aead-key",
    "wrap-data",
    "unwrap-data",
    "delete-opaque",
    "delete-authentication-key",
    "delete-asymmetric-key",
    "delete-wrap-key",
    "delete-hmac-key",
    "delete-template",
    "delete-otp-aead-key",
    "change-authentication-key",
    "put-symmetric-key",
    "generate-symmetric-key",
    "delete-symmetric-key",
    "decrypt-ecb",
    "encrypt-ecb",
    "decrypt-cbc",
    "encrypt-cbc",
    "put-public-wrap-key",
    "delete-public-wrap-key",
];

/// Bit 16: the key may be exported wrapped (then a copy can exist outside the device).
const EXPORTABLE_UNDER_WRAP: u64 = 1 << 16;

/// What a YubiHSM 2 attests about the key object itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HsmObject {
    pub id: u16,
    pub label: String,
    /// Domains 1-16, as a bit mask (bit 0 is domain 1).
    pub domains: u16,
    /// Capabilities as a bit mask (bit 0 is get-opaque).
    pub capabilities: u64,
}

impl HsmObject {
    pub fn domain_list(&self) -> Vec<u16> {
        (0..16)
            .filter(|i| self.domains & (1 << i) != 0)
            .map(|i| i + 1)
            .collect()
    }

    pub fn capability_names(&self) -> Vec<String> {
        (0..64)
            .filter(|i| self.capabilities & (1u64 << i) != 0)
            .map(|i| match CAPABILITIES.get(i) {
                Some(n) => n.to_string(),
                None => format!("bit-{i}"),
            })
            .collect()
    }

    pub fn exportable(&self) -> bool {
        self.capabilities & EXPORTABLE_UNDER_WRAP != 0
    }

    /// The capabilities in one phrase, saying first whether the key can be exported.
    pub fn policy(&self) -> String {
        format!(
            "{}; capabilities {}",
            if self.exportable() {
                "EXPORTABLE under wrap"
            } else {
                "not exportable"
            },
            self.capability_names().join(",")
        )
    }

    pub fn describe(&self) -> String {
        format!(
            "object 0x{:04x} \"{}\", domains {:?}: {}",
            self.id,
            crate::display::escape(&self.label),
            self.domain_list(),
            self.policy()
        )
    }
}

/// The facts read from the extensions.
pub(crate) struct Facts {
    pub serial: u64,
    pub firmware: String,
    pub origin: KeyOrigin,
    pub pin_policy: Option<PinPolicy>,
    pub touch_policy: Option<TouchPolicy>,
    pub form_factor: Option<String>,
    pub object: Option<HsmObject>,
}

/// Reads Yubico's extensions from the key's certificate (and the device's, where the key's
/// lacks one the device's carries).
pub(crate) fn read(kind: DeviceKind, key: &Cert, device: &Cert) -> Result<Facts, AttestError> {
    let _ = device;
    match kind {
        DeviceKind::YubiHsm2 => read_hsm(key),
        DeviceKind::YubiKeyPiv => read_piv(key),
    }
}

/// An extension of `cert` that must be there.
fn required<'a>(
    cert: &'a Cert,
    oid: &ObjectIdentifier,
    name: &'static str,
    kind: DeviceKind,
) -> Result<&'a [u8], AttestError> {
    cert.extension(oid)
        .ok_or_else(|| AttestError::MissingExtension {
            what: cert.what.clone(),
            oid: oid_text(oid),
            name,
            kind: kind.name(),
        })
}

/// The OID as text, for messages (one of the constants above).
fn oid_text(oid: &ObjectIdentifier) -> &'static str {
    [
        (HSM_FIRMWARE, "1.3.6.1.4.1.41482.4.1"),
        (HSM_SERIAL, "1.3.6.1.4.1.41482.4.2"),
        (HSM_ORIGIN, "1.3.6.1.4.1.41482.4.3"),
        (HSM_DOMAINS, "1.3.6.1.4.1.41482.4.4"),
        (HSM_CAPABILITIES, "1.3.6.1.4.1.41482.4.5"),
        (HSM_OBJECT_ID, "1.3.6.1.4.1.41482.4.6"),
        (HSM_LABEL, "1.3.6.1.4.1.41482.4.9"),
        (PIV_FIRMWARE, "1.3.6.1.4.1.41482.3.3"),
        (PIV_SERIAL, "1.3.6.1.4.1.41482.3.7"),
        (PIV_POLICY, "1.3.6.1.4.1.41482.3.8"),
        (PIV_FORM_FACTOR, "1.3.6.1.4.1.41482.3.9"),
    ]
    .iter()
    .find(|(o, _)| o == oid)
    .map(|(_, t)| *t)
    .unwrap_or("1.3.6.1.4.1.41482")
}

fn malformed(
    cert: &Cert,
    oid: &ObjectIdentifier,
    name: &'static str,
    problem: &str,
) -> AttestError {
    AttestError::BadExtension {
        what: cert.what.clone(),
        oid: oid_text(oid),
        name,
        problem: problem.to_string(),
    }
}

/// Big-endian bytes as an unsigned number (at most 8 bytes).
fn be(bytes: &[u8]) -> Option<u64> {
    (bytes.len() <= 8).then(|| bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
}

fn firmware_text(b: &[u8]) -> String {
    format!("{}.{}.{}", b[0], b[1], b[2])
}

fn read_hsm(cert: &Cert) -> Result<Facts, AttestError> {
    let kind = DeviceKind::YubiHsm2;
    let v = required(cert, &HSM_FIRMWARE, "firmware version", kind)?;
    let firmware = OctetString::from_der(v)
        .ok()
        .filter(|o| o.as_bytes().len() == 3)
        .map(|o| firmware_text(o.as_bytes()))
        .ok_or_else(|| {
            malformed(
                cert,
                &HSM_FIRMWARE,
                "firmware version",
                "not an OCTET STRING of 3 bytes",
            )
        })?;
    let v = required(cert, &HSM_SERIAL, "serial number", kind)?;
    let serial = u64::from_der(v).map_err(|_| {
        malformed(
            cert,
            &HSM_SERIAL,
            "serial number",
            "not a non-negative INTEGER",
        )
    })?;
    let bits = |oid: &ObjectIdentifier, name: &'static str| -> Result<u64, AttestError> {
        let v = required(cert, oid, name, kind)?;
        BitString::from_der(v)
            .ok()
            .and_then(|b| be(b.raw_bytes()))
            .ok_or_else(|| malformed(cert, oid, name, "not a BIT STRING of at most 8 bytes"))
    };
    let origin_bits = bits(&HSM_ORIGIN, "key origin")?;
    let origin = u8::try_from(origin_bits)
        .ok()
        .and_then(KeyOrigin::from_hsm)
        .ok_or_else(|| {
            malformed(
                cert,
                &HSM_ORIGIN,
                "key origin",
                &format!("0x{origin_bits:02x} is none of generated (0x01), imported (0x02), imported wrapped (0x10 with either)"),
            )
        })?;
    let domains = bits(&HSM_DOMAINS, "domains")?;
    let capabilities = bits(&HSM_CAPABILITIES, "capabilities")?;
    let v = required(cert, &HSM_OBJECT_ID, "object id", kind)?;
    let id = u16::from_der(v)
        .map_err(|_| malformed(cert, &HSM_OBJECT_ID, "object id", "not an INTEGER 0-65535"))?;
    // The label is informative only; a device that leaves it out still attests the key.
    let label = match cert.extension(&HSM_LABEL) {
        Some(v) => Utf8StringRef::from_der(v)
            .map(|s| s.as_str().trim_end_matches('\0').to_string())
            .map_err(|_| malformed(cert, &HSM_LABEL, "label", "not a UTF8String"))?,
        None => String::new(),
    };
    Ok(Facts {
        serial,
        firmware,
        origin,
        pin_policy: None,
        touch_policy: None,
        form_factor: None,
        object: Some(HsmObject {
            id,
            label,
            domains: u16::try_from(domains).unwrap_or(u16::MAX),
            capabilities,
        }),
    })
}

fn read_piv(cert: &Cert) -> Result<Facts, AttestError> {
    let kind = DeviceKind::YubiKeyPiv;
    let v = required(cert, &PIV_FIRMWARE, "firmware version", kind)?;
    if v.len() != 3 {
        return Err(malformed(
            cert,
            &PIV_FIRMWARE,
            "firmware version",
            "not 3 bytes",
        ));
    }
    let firmware = firmware_text(v);
    let v = required(cert, &PIV_SERIAL, "serial number", kind)?;
    let serial = u64::from_der(v).map_err(|_| {
        malformed(
            cert,
            &PIV_SERIAL,
            "serial number",
            "not a non-negative INTEGER",
        )
    })?;
    let v = required(cert, &PIV_POLICY, "PIN and touch policy", kind)?;
    let [pin, touch] = v else {
        return Err(malformed(
            cert,
            &PIV_POLICY,
            "PIN and touch policy",
            "not 2 bytes",
        ));
    };
    // Form factor: firmware 5 and later; older YubiKeys leave it out.
    let form_factor = match cert.extension(&PIV_FORM_FACTOR) {
        Some([b]) => Some(form_factor(*b)),
        Some(_) => {
            return Err(malformed(
                cert,
                &PIV_FORM_FACTOR,
                "form factor",
                "not 1 byte",
            ));
        }
        None => None,
    };
    Ok(Facts {
        serial,
        firmware,
        origin: KeyOrigin::Generated,
        pin_policy: Some(PinPolicy::from_byte(*pin)),
        touch_policy: Some(TouchPolicy::from_byte(*touch)),
        form_factor,
        object: None,
    })
}

/// Yubico's form factor byte: the low bits name the shape, 0x80 marks a FIPS device.
fn form_factor(b: u8) -> String {
    let shape = match b & 0x7f {
        1 => "USB-A keychain".to_string(),
        2 => "USB-A nano".to_string(),
        3 => "USB-C keychain".to_string(),
        4 => "USB-C nano".to_string(),
        5 => "Lightning and USB-C".to_string(),
        other => format!("unknown (0x{other:02x})"),
    };
    if b & 0x80 != 0 {
        format!("{shape}, FIPS")
    } else {
        shape
    }
}
