//! Signer references for hardware devices.
//!
//! - `yubihsm://usb/?serial=S&key=ID&auth=ID` and `yubihsm://HOST:PORT/?key=ID&auth=ID`
//!   (through yubihsm-connector);
//! - `pkcs11:token=…;object=…?module-path=…` as RFC 7512 defines it: path attributes
//!   separated by `;`, query attributes by `&`, values percent-encoded.
//!
//! Parsing is pure and always built, so a reference is checked (and a typo reported) even in a
//! build without the hardware features. Unknown attributes are refused rather than ignored:
//! at a ceremony a misspelt `serail=` silently picking "any device" would be worse than an
//! error. A PIN is never accepted in a reference (`pin-value`), because the reference is on
//! the command line, where `ps` and shell history show it.

use std::path::PathBuf;

/// Why a hardware signer reference is wrong. Each message says how to write it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("signer reference \"{reference}\": {problem}")]
pub struct UriError {
    pub reference: String,
    pub problem: String,
}

/// How to reach a YubiHSM 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YubiHsmConnector {
    /// Directly over USB; `serial` picks one device when several are plugged in.
    Usb { serial: Option<u32> },
    /// Through a yubihsm-connector process (`yubihsm-connector -d`), by default on
    /// 127.0.0.1:12345.
    Http { host: String, port: u16 },
}

/// A parsed `yubihsm://` reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YubiHsmRef {
    pub text: String,
    pub connector: YubiHsmConnector,
    /// The asymmetric key's object id.
    pub key: u16,
    /// The authentication key's object id (the YubiHSM default is 1).
    pub auth: u16,
    /// Label for a key generated in the device (`key generate --signer`).
    pub label: Option<String>,
    /// Domain (1..=16) for a key generated in the device; default 1.
    pub domain: u8,
}

/// A parsed RFC 7512 `pkcs11:` reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pkcs11Ref {
    pub text: String,
    pub module_path: PathBuf,
    pub token: Option<String>,
    pub serial: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub slot_id: Option<u64>,
    /// CKA_LABEL of the key.
    pub object: Option<String>,
    /// CKA_ID of the key.
    pub id: Option<Vec<u8>>,
}

/// PKCS#11 modules people are likely to have, named when a reference has no module-path.
pub const KNOWN_MODULES: &[(&str, &str)] = &[
    ("SoftHSM2", "/usr/lib/softhsm/libsofthsm2.so"),
    (
        "YubiKey PIV (ykcs11)",
        "/usr/lib/x86_64-linux-gnu/libykcs11.so",
    ),
    (
        "OpenSC (Nitrokey HSM, smart cards)",
        "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    ),
];

fn err(reference: &str, problem: impl Into<String>) -> UriError {
    let (shown, hidden) = redact_parts(reference);
    // Problems quote names and the values of known attributes only; any hidden value that
    // still appears in one (inside another value, say) is taken out too.
    let mut problem = problem.into();
    for value in hidden.iter().filter(|v| v.chars().count() >= 4) {
        problem = problem.replace(value.as_str(), "(hidden)");
    }
    UriError {
        reference: shown,
        problem,
    }
}

/// What to do about a PIN given in a `pkcs11:` reference.
const PIN_ADVICE: &str = "the PIN is never taken from the command line or a reference. Remove it; you will be asked for the PIN (or give --passphrase-file)";

/// Attributes of a `yubihsm://` reference whose values may be shown: none is a secret.
const YUBIHSM_SHOWN: &[&str] = &["serial", "key", "auth", "label", "domain"];

/// Attributes of a `pkcs11:` reference whose values may be shown: none is a secret.
const PKCS11_SHOWN: &[&str] = &[
    "token",
    "serial",
    "manufacturer",
    "model",
    "object",
    "id",
    "slot-id",
    "type",
    "library-description",
    "library-manufacturer",
    "library-version",
    "slot-description",
    "slot-manufacturer",
    "module-path",
];

/// An attribute name as a person means it: percent-decoded and case-folded, so `PIN-VALUE`,
/// `pin%2Dvalue` and `pin-value` are one name.
fn normalized_name(name: &str) -> String {
    match percent_decode(name) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).to_lowercase(),
        Err(_) => name.to_lowercase(),
    }
}

/// Whether an attribute name (normalized) looks like it would carry a PIN or password.
fn secret_looking(normalized: &str) -> bool {
    let letters: String = normalized.chars().filter(|c| c.is_alphanumeric()).collect();
    ["pin", "pass", "pwd", "secret"]
        .iter()
        .any(|w| letters.contains(w))
}

/// Whether a value holds another attribute (`token=a=pin-value=1234`): shown as hidden.
fn holds_attribute(value: &str) -> bool {
    value.contains('=') || value.to_ascii_lowercase().contains("%3d")
}

/// A value of a known, non-secret attribute, as problems quote it.
fn shown(value: &str) -> &str {
    if holds_attribute(value) {
        "(hidden)"
    } else {
        value
    }
}

/// The reference as errors may repeat it. Only the values of attributes the reference's
/// scheme knows and that are not secret are shown; every other value (an unknown name, a
/// secret-looking one however it is spelt or encoded, a part without `=`) is `(hidden)`,
/// so an error never repeats a PIN someone typed into a reference.
pub(crate) fn redact(reference: &str) -> String {
    redact_parts(reference).0
}

/// [`redact`], also returning the values it hid.
fn redact_parts(reference: &str) -> (String, Vec<String>) {
    let known: &[&str] = if reference.starts_with("yubihsm://") {
        YUBIHSM_SHOWN
    } else if reference.starts_with("pkcs11:") {
        PKCS11_SHOWN
    } else {
        &[]
    };
    let mut out = String::with_capacity(reference.len());
    let mut hidden = Vec::new();
    let mut first = true;
    let mut rest = reference;
    while !rest.is_empty() {
        let end = rest.find(['?', '&', ';']).unwrap_or(rest.len());
        let part = &rest[..end];
        match part.split_once('=') {
            // The scheme and authority (`yubihsm://usb/`, `pkcs11:`), or a path.
            None if first => out.push_str(part),
            None if part.is_empty() => {}
            None => {
                out.push_str("(hidden)");
                hidden.push(part.to_string());
            }
            Some((name_part, value)) => {
                // The first part may start with the scheme: `pkcs11:token`.
                let name = name_part.rsplit([':', '/']).next().unwrap_or(name_part);
                out.push_str(name_part);
                out.push('=');
                if known.contains(&name) && !holds_attribute(value) {
                    out.push_str(value);
                } else {
                    out.push_str("(hidden)");
                    hidden.push(value.to_string());
                }
            }
        }
        first = false;
        // The separator itself, if any.
        match rest[end..].chars().next() {
            Some(sep) => {
                out.push(sep);
                rest = &rest[end + sep.len_utf8()..];
            }
            None => rest = "",
        }
    }
    (out, hidden)
}

/// Refuses an attribute the parser does not take: as a secret (whatever its spelling or
/// encoding), with `secret_advice`, or as unknown, with `known_advice`.
fn not_taken(reference: &str, name: &str, secret_advice: &str, unknown: String) -> UriError {
    let normalized = normalized_name(name);
    if secret_looking(&normalized) {
        let read_as = if normalized == name {
            String::new()
        } else {
            format!(" (read as {normalized})")
        };
        err(
            reference,
            format!("{name}={read_as} is refused: {secret_advice}"),
        )
    } else {
        err(reference, unknown)
    }
}

/// Decodes `%XX` escapes (RFC 3986) into bytes.
pub fn percent_decode(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    format!("\"{}\" has a % not followed by two hex digits", shown(s))
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn decode_text(reference: &str, name: &str, value: &str) -> Result<String, UriError> {
    let bytes = percent_decode(value).map_err(|p| err(reference, format!("{name}: {p}")))?;
    String::from_utf8(bytes).map_err(|_| {
        err(
            reference,
            format!("{name} is not UTF-8 after percent-decoding"),
        )
    })
}

/// Parses a YubiHSM object id: decimal or `0x` hex, 1..=65535.
fn object_id(reference: &str, name: &str, v: &str) -> Result<u16, UriError> {
    let parsed = match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(h) => u16::from_str_radix(h, 16).ok(),
        None => v.parse::<u16>().ok(),
    };
    match parsed {
        Some(n) if n > 0 => Ok(n),
        _ => Err(err(
            reference,
            format!(
                "{name}={} is not an object id (1 to 65535, decimal or 0x hex)",
                shown(v)
            ),
        )),
    }
}

/// Splits `a=b&c=d` (or `;`-separated) into pairs, refusing repeats.
fn pairs<'a>(
    reference: &str,
    text: &'a str,
    sep: char,
) -> Result<Vec<(&'a str, &'a str)>, UriError> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for part in text.split(sep).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            err(
                reference,
                "an attribute has no \"=\" (shown as (hidden)); write each as NAME=VALUE",
            )
        })?;
        if out.iter().any(|(seen, _)| *seen == k) {
            return Err(err(reference, format!("{k} is given twice")));
        }
        out.push((k, v));
    }
    Ok(out)
}

impl YubiHsmRef {
    /// Parses `yubihsm://usb/?…` or `yubihsm://HOST:PORT/?…`.
    pub fn parse(s: &str) -> Result<YubiHsmRef, UriError> {
        let rest = s
            .strip_prefix("yubihsm://")
            .ok_or_else(|| err(s, "must start with yubihsm://"))?;
        let (authority, query) = match rest.split_once('?') {
            Some((a, q)) => (a, q),
            None => (rest, ""),
        };
        let authority = authority.strip_suffix('/').unwrap_or(authority);
        let mut serial = None;
        let mut key = None;
        let mut auth = 1u16;
        let mut label = None;
        let mut domain = 1u8;
        for (k, v) in pairs(s, query, '&')? {
            match k {
                "serial" => {
                    serial = Some(v.parse::<u32>().map_err(|_| {
                        err(s, format!("serial={} is not a YubiHSM serial number (digits only, as printed on the device)", shown(v)))
                    })?)
                }
                "key" => key = Some(object_id(s, "key", v)?),
                "auth" => auth = object_id(s, "auth", v)?,
                "label" => label = Some(decode_text(s, "label", v)?),
                "domain" => {
                    domain = match v.parse::<u8>() {
                        Ok(d @ 1..=16) => d,
                        _ => return Err(err(s, format!("domain={} must be 1 to 16", shown(v)))),
                    }
                }
                other => {
                    return Err(not_taken(
                        s,
                        other,
                        "a password on the command line can be read by anyone on this machine (ps, shell history). Remove it; you will be asked for the authentication key's password",
                        format!("unknown attribute \"{other}\"; a YubiHSM reference takes key, auth, serial (USB), label and domain (key generation)"),
                    ))
                }
            }
        }
        let key = key.ok_or_else(|| {
            err(s, "name the key's object id with key=ID (for example yubihsm://usb/?key=0x0101&auth=1)")
        })?;
        let connector = if authority == "usb" {
            YubiHsmConnector::Usb { serial }
        } else {
            if serial.is_some() {
                return Err(err(s, "serial= applies to yubihsm://usb/ only; yubihsm-connector serves the one device it is started for"));
            }
            let (host, port) = authority.rsplit_once(':').ok_or_else(|| {
                err(s, "write yubihsm://usb/?… for USB, or yubihsm://HOST:PORT/?… for yubihsm-connector (usually 127.0.0.1:12345)")
            })?;
            let port = port
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| err(s, format!("\"{}\" is not a port number", shown(port))))?;
            if host.is_empty() || host.contains(['/', '@', ' ', '=']) {
                return Err(err(s, format!("\"{}\" is not a host name", shown(host))));
            }
            YubiHsmConnector::Http {
                host: host.to_string(),
                port,
            }
        };
        Ok(YubiHsmRef {
            text: s.into(),
            connector,
            key,
            auth,
            label,
            domain,
        })
    }
}

impl Pkcs11Ref {
    /// Parses an RFC 7512 URI.
    pub fn parse(s: &str) -> Result<Pkcs11Ref, UriError> {
        let rest = s
            .strip_prefix("pkcs11:")
            .ok_or_else(|| err(s, "must start with pkcs11:"))?;
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, q),
            None => (rest, ""),
        };
        let mut r = Pkcs11Ref {
            text: s.into(),
            module_path: PathBuf::new(),
            token: None,
            serial: None,
            manufacturer: None,
            model: None,
            slot_id: None,
            object: None,
            id: None,
        };
        for (k, v) in pairs(s, path, ';')? {
            match k {
                "token" => r.token = Some(decode_text(s, k, v)?),
                "serial" => r.serial = Some(decode_text(s, k, v)?),
                "manufacturer" => r.manufacturer = Some(decode_text(s, k, v)?),
                "model" => r.model = Some(decode_text(s, k, v)?),
                "object" => r.object = Some(decode_text(s, k, v)?),
                "id" => {
                    r.id = Some(percent_decode(v).map_err(|p| err(s, format!("id: {p}")))?)
                }
                "slot-id" => {
                    r.slot_id = Some(v.parse::<u64>().map_err(|_| {
                        err(s, format!("slot-id={} is not a number", shown(v)))
                    })?)
                }
                "type" => {
                    if v != "private" {
                        return Err(err(s, format!("type={}: a signer is a private key; write type=private or leave it out", shown(v))));
                    }
                }
                "library-description" | "library-manufacturer" | "library-version"
                | "slot-description" | "slot-manufacturer" => {}
                other => {
                    return Err(not_taken(
                        s,
                        other,
                        PIN_ADVICE,
                        format!("unknown path attribute \"{other}\"; use token, object, id, serial, model, manufacturer or slot-id"),
                    ))
                }
            }
        }
        let mut module = None;
        for (k, v) in pairs(s, query, '&')? {
            match k {
                "module-path" => module = Some(decode_text(s, k, v)?),
                other => {
                    return Err(not_taken(
                        s,
                        other,
                        PIN_ADVICE,
                        format!("unknown query attribute \"{other}\"; use module-path"),
                    ))
                }
            }
        }
        let module = module.ok_or_else(|| {
            let present: Vec<String> = KNOWN_MODULES
                .iter()
                .filter(|(_, p)| std::path::Path::new(p).exists())
                .map(|(n, p)| format!("{p} ({n})"))
                .collect();
            let hint = if present.is_empty() {
                "none of the usual modules is installed here".to_string()
            } else {
                format!("installed here: {}", present.join(", "))
            };
            err(
                s,
                format!("name the PKCS#11 module with ?module-path=PATH ({hint})"),
            )
        })?;
        if r.object.is_none() && r.id.is_none() {
            return Err(err(s, "name the key with object=LABEL (or id=%01…)"));
        }
        r.module_path = PathBuf::from(module);
        Ok(r)
    }

    /// The token attributes as written, for messages.
    pub fn token_description(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.token {
            parts.push(format!("token \"{t}\""));
        }
        if let Some(v) = &self.serial {
            parts.push(format!("serial {v}"));
        }
        if let Some(v) = &self.model {
            parts.push(format!("model {v}"));
        }
        if let Some(v) = &self.manufacturer {
            parts.push(format!("manufacturer {v}"));
        }
        if let Some(v) = self.slot_id {
            parts.push(format!("slot {v}"));
        }
        if parts.is_empty() {
            "any token".into()
        } else {
            parts.join(", ")
        }
    }

    /// The key as written, for messages.
    pub fn object_description(&self) -> String {
        match (&self.object, &self.id) {
            (Some(o), Some(id)) => format!("object \"{o}\" (id {})", hex::encode(id)),
            (Some(o), None) => format!("object \"{o}\""),
            (None, Some(id)) => format!("object with id {}", hex::encode(id)),
            (None, None) => "a key".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yubihsm_references() {
        let r = YubiHsmRef::parse("yubihsm://usb/?serial=12345678&key=0x0101&auth=2").unwrap();
        assert_eq!(
            r.connector,
            YubiHsmConnector::Usb {
                serial: Some(12345678)
            }
        );
        assert_eq!((r.key, r.auth, r.domain), (0x0101, 2, 1));
        let r = YubiHsmRef::parse("yubihsm://127.0.0.1:12345/?key=7").unwrap();
        assert_eq!(
            r.connector,
            YubiHsmConnector::Http {
                host: "127.0.0.1".into(),
                port: 12345
            }
        );
        assert_eq!((r.key, r.auth), (7, 1));
        for bad in [
            "yubihsm://usb/",
            "yubihsm://usb/?key=0",
            "yubihsm://usb/?key=70000",
            "yubihsm://usb/?key=1&serail=5",
            "yubihsm://usb/?key=1&password=x",
            "yubihsm://usb/?key=1&key=2",
            "yubihsm://host/?key=1",
            "yubihsm://h:0/?key=1",
            "yubihsm://h:1/?key=1&serial=3",
            "yubihsm://usb/?key=1&domain=17",
        ] {
            assert!(YubiHsmRef::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn pkcs11_references() {
        let r = Pkcs11Ref::parse(
            "pkcs11:token=Root%20Key%201;object=alice;id=%01%a0?module-path=/usr/lib/softhsm/libsofthsm2.so",
        )
        .unwrap();
        assert_eq!(r.token.as_deref(), Some("Root Key 1"));
        assert_eq!(r.object.as_deref(), Some("alice"));
        assert_eq!(r.id, Some(vec![1, 0xa0]));
        assert_eq!(
            r.module_path,
            PathBuf::from("/usr/lib/softhsm/libsofthsm2.so")
        );
        for bad in [
            "pkcs11:token=a;object=b",
            "pkcs11:token=a?module-path=/m.so",
            "pkcs11:token=a;object=b?module-path=/m.so&pin-value=1234",
            "pkcs11:token=a;object=b;tokne=c?module-path=/m.so",
            "pkcs11:token=a%2;object=b?module-path=/m.so",
            "pkcs11:token=a;object=b;type=public?module-path=/m.so",
        ] {
            assert!(Pkcs11Ref::parse(bad).is_err(), "{bad} was accepted");
        }
        let e = Pkcs11Ref::parse("pkcs11:object=b?module-path=/m.so&pin-value=1234").unwrap_err();
        assert!(e.problem.contains("never taken from the command line"));
        assert!(!e.to_string().contains("1234"), "{e}");
    }

    /// A secret attribute is recognised however its name is spelt or percent-encoded, is
    /// named in the error, and its value appears nowhere in it; so is every value of an
    /// unknown attribute, a part without `=`, and an attribute hidden inside another's value.
    #[test]
    fn secret_and_unknown_values_are_never_repeated() {
        let secret = "7391642858";
        for (reference, named) in [
            (
                format!("pkcs11:object=b?module-path=/m.so&PIN-VALUE={secret}"),
                "PIN-VALUE= (read as pin-value) is refused",
            ),
            (
                format!("pkcs11:object=b?module-path=/m.so&pin%2Dvalue={secret}"),
                "pin%2Dvalue= (read as pin-value) is refused",
            ),
            (
                format!("pkcs11:object=b;PIN-SOURCE={secret}?module-path=/m.so"),
                "PIN-SOURCE= (read as pin-source) is refused",
            ),
            (
                format!("pkcs11:object=b?module-path=/m.so&flavour={secret}"),
                "unknown query attribute \"flavour\"",
            ),
            (
                format!("pkcs11:object=b?module-path=/m.so&{secret}"),
                "has no \"=\"",
            ),
            (
                format!("pkcs11:token=a%3Dpin-value%3D{secret}%;object=b?module-path=/m.so"),
                "token: \"(hidden)\"",
            ),
            (
                format!("yubihsm://usb/?key=1&pass%77ord={secret}"),
                "pass%77ord= (read as password) is refused",
            ),
            (
                format!("yubihsm://usb/?key=1&Pin={secret}"),
                "Pin= (read as pin) is refused",
            ),
            (
                format!("yubihsm://usb/?key=1&serial=1=password={secret}"),
                "serial=(hidden) is not",
            ),
            (
                format!("yubihsm://pin={secret}@host:1/?key=1"),
                "\"(hidden)\" is not a host name",
            ),
        ] {
            let e = match reference.strip_prefix("pkcs11:") {
                Some(_) => Pkcs11Ref::parse(&reference).unwrap_err(),
                None => YubiHsmRef::parse(&reference).unwrap_err(),
            };
            let text = e.to_string();
            assert!(text.contains(named), "{reference}: {text}");
            assert!(!text.contains(secret), "{reference}: {text}");
            assert!(e.reference.contains("(hidden)"), "{reference}: {text}");
        }
        // Known attributes stay readable, so the keyholder can see what to fix.
        let e = YubiHsmRef::parse("yubihsm://usb/?key=1&serial=12x4").unwrap_err();
        assert_eq!(e.reference, "yubihsm://usb/?key=1&serial=12x4");
        assert!(e.problem.contains("serial=12x4 is not"), "{e}");
    }
}
