//! Which published TUF clients would reject what python-tuf 7 accepts, so that a warning
//! names exactly those clients and no other; and the pre-flight ([`judge`]): per client,
//! "accepts" or "refuses: why" for the metadata as it would be exported.
//!
//! What is established, from each client's code:
//! - tough 0.24 (awslabs/tough `schema/de.rs` `deserialize_keys`, `schema/key.rs`): reading
//!   root, it recomputes every keyid of `keys` over the whole key object and refuses the
//!   whole root on a mismatch ([`crate::keys::keyid_warning`]), and it reads only the keys
//!   in [`TOUGH_ROOT_KEYS`]: any other key in root's `keys`, even one no role lists, makes the
//!   whole root unreadable for it. A delegation's `keys` are read the same way, so the
//!   delegating targets file is refused whole (the pre-flight, [`judge`]).
//! - python-tuf 7 (`Root.from_dict`) and go-tuf v2 (`VerifyDelegate`) take keyids as given.
//!
//! - The other clients' rules are on [`Client`], each citing the file and version read.
//!
//! Nothing here decides what counts or is refused: these are warnings.

use crate::display::escape;
use crate::json::{self, Value};
use crate::keys::{delegated_keyid_warning, keyid_warning, Key, KeyIdMatch, RsaHash, Scheme};
use crate::metadata::Metadata;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};

/// The keytype/scheme pairs tough reads in root (`enum Key`, tagged by keytype, with one
/// scheme each: `RsaScheme::RsassaPssSha256`, `Ed25519Scheme`, `EcdsaScheme::EcdsaSha2Nistp256`;
/// `EcdsaOld` is the old keytype spelled like the scheme).
pub const TOUGH_ROOT_KEYS: [(&str, &str); 4] = [
    ("ed25519", "ed25519"),
    ("ecdsa", "ecdsa-sha2-nistp256"),
    ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"),
    ("rsa", "rsassa-pss-sha256"),
];

/// The keytype/scheme pairs python-tuf 7 reads (securesystemslib 1.6
/// `KEY_FOR_TYPE_AND_SCHEME`). `Key.from_dict` refuses any other pair with "Unsupported
/// public key", and with it the whole file, even when no role lists the key.
pub const PYTHON_TUF_KEYS: [(&str, &str); 19] = [
    ("dsa", "pgp+dsa-fips-180-2"),
    ("ecdsa", "ecdsa-sha2-nistp256"),
    ("ecdsa", "ecdsa-sha2-nistp384"),
    ("ecdsa", "ecdsa-sha2-nistp521"),
    ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"),
    ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"),
    ("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521"),
    ("ed25519", "ed25519"),
    ("eddsa", "pgp+eddsa-ed25519"),
    ("ml-dsa", "ml-dsa-44/1"),
    ("ml-dsa", "ml-dsa-65/1"),
    ("ml-dsa", "ml-dsa-87/1"),
    ("rsa", "pgp+rsa-pkcsv1.5"),
    ("rsa", "rsa-pkcs1v15-sha256"),
    ("rsa", "rsa-pkcs1v15-sha384"),
    ("rsa", "rsa-pkcs1v15-sha512"),
    ("rsa", "rsassa-pss-sha256"),
    ("rsa", "rsassa-pss-sha384"),
    ("rsa", "rsassa-pss-sha512"),
];

/// Why python-tuf 7 refuses a file that lists `key`, if it does: its keytype/scheme pair is
/// not one python-tuf reads ([`PYTHON_TUF_KEYS`]).
pub fn python_tuf_refuses_key(keyid: &str, key: &Key) -> Option<String> {
    let pair = (key.keytype.as_str(), key.scheme.as_str());
    if PYTHON_TUF_KEYS.contains(&pair) {
        return None;
    }
    Some(format!(
        "key {} is {}/{}, a keytype and scheme python-tuf 7 does not read: it refuses the whole \
         file (\"Unsupported public key\"), even if no role lists the key",
        escape(keyid),
        escape(&key.keytype),
        escape(&key.scheme)
    ))
}

/// Whether tough reads `key` in root (its keytype and scheme are in [`TOUGH_ROOT_KEYS`]).
pub fn tough_reads(key: &Key) -> bool {
    TOUGH_ROOT_KEYS.contains(&(key.keytype.as_str(), key.scheme.as_str()))
}

/// A warning for a key in root's `keys` that tough cannot read, if it is one.
pub fn tough_key_warning(keyid: &str, key: &Key, place: &str) -> Option<String> {
    if tough_reads(key) {
        return None;
    }
    // Only a key python-tuf reads is said to be read by it: of a Sigstore identity or any
    // other type, python-tuf's own warning speaks.
    let python_tuf = if python_tuf_refuses_key(keyid, key).is_none() {
        ", while python-tuf 7 reads it"
    } else {
        ""
    };
    Some(format!(
        "{place}: key {} is {}/{}, which tough does not read: tough, and clients built on it, \
         reject the whole root (one such key anywhere in root's keys is enough){python_tuf}. \
         Give that keyholder an ed25519, ecdsa-sha2-nistp256 or rsassa-pss-sha256 key if \
         tough-based clients must read this root.",
        escape(keyid),
        escape(&key.keytype),
        escape(&key.scheme)
    ))
}

/// Every warning about root's keys: keyids against both conventions, then key types, each
/// naming the clients that reject the root.
pub fn root_key_warnings(keys: &BTreeMap<String, Key>, place: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (keyid, key) in keys {
        out.extend(keyid_warning(&escape(keyid), key.check_keyid(keyid), place));
        out.extend(tough_key_warning(keyid, key, place));
    }
    out
}

/// Every warning about the keys a targets role delegates to: their keyids. Which clients
/// cannot read a delegated key's type is the pre-flight's to say ([`judge`]: tough reads a
/// delegation's keys as it reads root's, and refuses the file over one it cannot read).
pub fn delegated_key_warnings(keys: &BTreeMap<String, Key>, place: &str) -> Vec<String> {
    keys.iter()
        .filter_map(|(keyid, key)| {
            delegated_keyid_warning(&escape(keyid), key.check_keyid(keyid), place)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The pre-flight: what each client accepts, judged over the metadata as it would be exported.
// ---------------------------------------------------------------------------------------------

/// A TUF client (or service) whose acceptance of the exported metadata is judged here. Each
/// rule below is read from that client's code, at the version named in [`Client::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    /// python-tuf 7.0 (`tuf/api/_payload.py`, securesystemslib 1.x keys): the judge of every
    /// test; whatever it refuses, this tool refuses to load.
    PythonTuf,
    /// go-tuf v2.4 (`metadata/keys.go` `ToPublicKey`, `metadata/metadata.go`
    /// `VerifyDelegate`).
    GoTuf,
    /// tough 0.24, and tuftool, Bottlerocket and sigstore-rs built on it
    /// (`tough/src/schema/mod.rs`, `schema/de.rs`, `schema/key.rs`).
    Tough,
    /// tuf-js before 6.0.2 (@tufjs/models up to 5.0.0; npm 11 bundles tuf-js 4.1.0, and
    /// sigstore-js up to @sigstore/tuf 4 uses it): `src/utils/key.ts` `getPublicKey` and
    /// `src/utils/verify.ts`, which calls `crypto.verify(undefined, …)`, so OpenSSL's default
    /// digest for EC keys, SHA-256, whatever the scheme.
    TufJsBefore602,
    /// tuf-js 6.0.2 (@tufjs/models 5.0.2): ECDSA verified with the scheme's hash, P-384 read.
    TufJs602,
    /// rust-tuf, the crate `tuf` 0.3 (0.3.0-beta14: `src/pouf/pouf1/shims.rs`,
    /// `src/crypto.rs`).
    RustTuf,
    /// RSTUF (Repository Service for TUF): its API 1.0 (1.0.0rc1 and 1.0.1,
    /// `repository_service_tuf_api/common_models.py` and `bootstrap.py`), whose worker 1.0
    /// loads root with python-tuf. It takes root only from a ceremony.
    Rstuf,
}

/// How a client treats a key a role lists.
#[derive(Clone, Debug, PartialEq, Eq)]
enum KeyUse {
    /// Its signatures can count.
    Counts,
    /// Read, but its signatures never count: why.
    NeverCounts(String),
    /// The client fails the whole role's verification on it: why.
    Fails(String),
}

impl Client {
    /// Every client judged, in the order they are listed.
    pub const ALL: [Client; 7] = [
        Client::PythonTuf,
        Client::GoTuf,
        Client::Tough,
        Client::TufJsBefore602,
        Client::TufJs602,
        Client::RustTuf,
        Client::Rstuf,
    ];

    /// The client's name, with the versions judged.
    pub fn name(self) -> &'static str {
        match self {
            Client::PythonTuf => "python-tuf 7",
            Client::GoTuf => "go-tuf v2",
            Client::Tough => "tough 0.24 (tuftool)",
            Client::TufJsBefore602 => "tuf-js before 6.0.2",
            Client::TufJs602 => "tuf-js 6.0.2",
            Client::RustTuf => "rust-tuf (tuf 0.3)",
            Client::Rstuf => "RSTUF API 1.0",
        }
    }

    /// A short machine name for `--json`.
    pub fn id(self) -> &'static str {
        match self {
            Client::PythonTuf => "python-tuf",
            Client::GoTuf => "go-tuf",
            Client::Tough => "tough",
            Client::TufJsBefore602 => "tuf-js<6.0.2",
            Client::TufJs602 => "tuf-js>=6.0.2",
            Client::RustTuf => "rust-tuf",
            Client::Rstuf => "rstuf",
        }
    }

    /// What the client accepts, in words: `(spec_version, keys, keyids, thresholds, fields,
    /// expires)`. Shown by `tuf-ceremony clients` and in docs/interop.md.
    pub fn accepts(self) -> [&'static str; 6] {
        match self {
            Client::PythonTuf => [
                "1.x: two or three numeric parts, major 1",
                "securesystemslib's keytype/scheme pairs (ed25519, ecdsa P-256/P-384/P-521, rsa PSS and PKCS#1 v1.5); any other key in a file refuses that file",
                "as given, never recomputed",
                "at least 1; keys counted once each",
                "any unknown field kept",
                "YYYY-MM-DDTHH:MM:SSZ only",
            ],
            Client::GoTuf => [
                "any string",
                "ed25519, ecdsa/ecdsa-sha2-nistp256 (P-256 and, under keytype ecdsa, P-384), rsa verified as rsassa-pss-sha256; a role listing another keytype fails",
                "as given, never recomputed",
                "distinct public keys counted",
                "any unknown field kept",
                "RFC 3339",
            ],
            Client::Tough => [
                "any string",
                "in root and in delegations: ed25519, ecdsa-sha2-nistp256 (keytype ecdsa or ecdsa-sha2-nistp256), rsa rsassa-pss-sha256; any other key refuses the whole file",
                "in root and in delegations: the SHA-256 of the whole key object; any other refuses the whole file",
                "at least 1",
                "root must have consistent_snapshot; unknown fields kept",
                "RFC 3339",
            ],
            Client::TufJsBefore602 => [
                "1.x: two or three numeric parts, major 1",
                "ed25519, ecdsa P-256 (any ecdsa keytype), rsa rsassa-pss-sha256; a P-384 key's signatures never count (verified with SHA-256)",
                "as given, never recomputed",
                "at least 1",
                "any unknown field kept; keyval values must be strings",
                "any date JavaScript parses",
            ],
            Client::TufJs602 => [
                "1.x: two or three numeric parts, major 1",
                "ed25519, ecdsa-sha2-nistp256/384 (keytype ecdsa or the scheme), rsa rsassa-pss-sha256/384/512",
                "as given, never recomputed",
                "at least 1",
                "any unknown field kept; keyval values must be strings",
                "any date JavaScript parses",
            ],
            Client::RustTuf => [
                "\"1.0\" or \"1.0.0\" only (\"Unknown spec version\" otherwise)",
                "ed25519 (hex) only count; a key of another type is read but never counts, and a PEM key (ECDSA, RSA) in a file makes every signature over that file fail (its canonical JSON escapes the newlines)",
                "the SHA-256 of {keytype, scheme, keyid_hash_algorithms, keyval.public}; a key under another keyid is ignored",
                "at least 1, and no more than the role's keyids",
                "root must have consistent_snapshot; unknown fields ignored",
                "RFC 3339",
            ],
            Client::Rstuf => [
                "as python-tuf (its worker loads root with python-tuf)",
                "as python-tuf; keyval may hold only public, issuer and identity (strings)",
                "as given",
                "as python-tuf; one online key shared by timestamp, snapshot and targets",
                "unknown fields of signed only as x-<vendor>-<name>; unknown key and role fields are dropped on a metadata update, so signatures over them fail",
                "as python-tuf",
            ],
        }
    }

    /// Why the client refuses a file whose `spec_version` is `v`, if it does.
    pub fn spec_version_refusal(self, v: &str) -> Option<String> {
        match self {
            Client::GoTuf | Client::Tough => None,
            Client::RustTuf => (!matches!(v, "1.0" | "1.0.0")).then(|| {
                format!(
                    "spec_version \"{}\": rust-tuf reads only \"1.0\" or \"1.0.0\" (\"Unknown spec version\"); `init --spec-version 1.0` writes what it reads",
                    escape(v)
                )
            }),
            Client::PythonTuf | Client::TufJsBefore602 | Client::TufJs602 | Client::Rstuf => {
                check_spec_version(v).err()
            }
        }
    }

    /// Why listing `key` in a file (in root's `keys` or a delegation's) refuses that whole
    /// file, before any signature is looked at, if it does.
    fn key_refusal(self, keyid: &str, key: &Key) -> Option<String> {
        let id = crate::display::short(keyid);
        match self {
            Client::PythonTuf | Client::Rstuf => {
                if let Some(why) = python_tuf_refuses_key(keyid, key) {
                    return Some(why);
                }
                if self == Client::Rstuf {
                    return crate::rstuf::key_refusal(keyid, key);
                }
                None
            }
            Client::GoTuf => None,
            // tough reads a delegation's keys as root's (`Delegations::keys` and `Root::keys`
            // are both deserialized by `de::deserialize_keys`).
            Client::Tough => {
                if !tough_reads(key) {
                    return Some(format!(
                        "key {id} is {}/{}, which tough does not read: it refuses the whole file",
                        escape(&key.keytype),
                        escape(&key.scheme)
                    ));
                }
                match key.check_keyid(keyid) {
                    KeyIdMatch::Both | KeyIdMatch::WholeObjectOnly => None,
                    _ => Some(format!(
                        "keyid {id} is not the SHA-256 of the whole key object, which tough recomputes: it refuses the whole file"
                    )),
                }
            }
            Client::TufJsBefore602 | Client::TufJs602 => key
                .keyval_extra
                .iter()
                .find(|(_, v)| v.as_str().is_none())
                .map(|(k, _)| {
                    format!(
                        "key {id}'s keyval.{} is not a string: tuf-js refuses the file (\"keyval must be a string record\")",
                        escape(k)
                    )
                }),
            Client::RustTuf => rust_tuf_key_refusal(&id, key),
        }
    }

    /// How the client treats a key a role lists.
    fn key_use(self, keyid: &str, key: &Key) -> KeyUse {
        // Words only for a key that does not count: judging 100,000 delegations allocates
        // nothing for the keys that do.
        let pair = || format!("{}/{}", escape(&key.keytype), escape(&key.scheme));
        match self {
            Client::PythonTuf | Client::Rstuf => KeyUse::Counts,
            Client::Tough => {
                if tough_reads(key) {
                    KeyUse::Counts
                } else {
                    KeyUse::NeverCounts(format!("{} is not read by tough", pair()))
                }
            }
            Client::GoTuf => match key.keytype.as_str() {
                "ed25519" => KeyUse::Counts,
                "ecdsa" | "ecdsa-sha2-nistp256" => match key.scheme() {
                    Some(Scheme::EcdsaP256) | Some(Scheme::EcdsaP384) => KeyUse::Counts,
                    _ => KeyUse::NeverCounts(format!("go-tuf verifies {} with SHA-256, which its signatures are not made with", pair())),
                },
                "rsa" if key.scheme == "rsassa-pss-sha256" => KeyUse::Counts,
                "rsa" => KeyUse::NeverCounts(format!("go-tuf verifies every RSA key as rsassa-pss-sha256, not {}", pair())),
                _ => KeyUse::Fails(format!(
                    "go-tuf cannot read {} (\"unsupported public key type\") and fails the role's whole verification",
                    pair()
                )),
            },
            Client::TufJsBefore602 => match (key.keytype.as_str(), key.scheme()) {
                ("ed25519", Some(Scheme::Ed25519)) => KeyUse::Counts,
                ("rsa", Some(Scheme::RsaPss(RsaHash::Sha256))) => KeyUse::Counts,
                (_, Some(Scheme::EcdsaP256)) => KeyUse::Counts,
                (_, Some(Scheme::EcdsaP384)) => KeyUse::NeverCounts(
                    "@tufjs/models up to 5.0.0 verifies ECDSA with SHA-256 whatever the scheme, so a P-384 signature never verifies (tuf-js 6.0.2 reads it)".into(),
                ),
                _ => KeyUse::NeverCounts(format!("tuf-js before 6.0.2 does not verify {}", pair())),
            },
            Client::TufJs602 => match (key.keytype.as_str(), key.scheme()) {
                ("ed25519", Some(Scheme::Ed25519)) => KeyUse::Counts,
                ("rsa", Some(Scheme::RsaPss(_))) => KeyUse::Counts,
                (_, Some(Scheme::EcdsaP256 | Scheme::EcdsaP384)) => KeyUse::Counts,
                _ => KeyUse::NeverCounts(format!("tuf-js 6.0.2 does not verify {}", pair())),
            },
            Client::RustTuf => {
                if key.keytype != "ed25519" {
                    KeyUse::NeverCounts(format!("rust-tuf verifies ed25519 keys only, not {}", pair()))
                } else if rust_tuf_keyid(key).as_deref() != Some(keyid) {
                    KeyUse::NeverCounts(
                        "rust-tuf ignores a key listed under a keyid other than the SHA-256 of its keytype, scheme, keyid_hash_algorithms and keyval.public"
                            .into(),
                    )
                } else {
                    KeyUse::Counts
                }
            }
        }
    }
}

/// Validates a `spec_version` this tool writes: python-tuf 7's rule (`Signed.__init__`: two or
/// three parts, each digits, major version "1"), which tuf-js shares.
pub fn check_spec_version(v: &str) -> Result<(), String> {
    let parts: Vec<&str> = v.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if (2..=3).contains(&parts.len()) && numeric && parts[0] == "1" {
        return Ok(());
    }
    Err(format!(
        "spec_version \"{}\" is not a 1.x TUF specification version (two or three numbers, major version 1, such as \"1.0.31\" or \"1.0\"): python-tuf and tuf-js refuse it",
        escape(v)
    ))
}

/// The keyid rust-tuf computes for `key` (`crypto.rs` `calculate_key_id`: SHA-256 of the
/// canonical `{keytype, scheme, keyid_hash_algorithms (if present), keyval: {public}}`), or
/// `None` when `keyid_hash_algorithms` is not a list of strings.
fn rust_tuf_keyid(key: &Key) -> Option<String> {
    let mut obj = vec![
        ("keytype", Value::str(&key.keytype)),
        ("scheme", Value::str(&key.scheme)),
        (
            "keyval",
            Value::object(vec![("public", Value::str(key.public.as_deref()?))]),
        ),
    ];
    if let Some(algs) = key.extra.get("keyid_hash_algorithms") {
        let list = algs.as_array()?;
        if list.iter().any(|a| a.as_str().is_none()) {
            return None;
        }
        obj.push(("keyid_hash_algorithms", algs.clone()));
    }
    Some(hex::encode(Sha256::digest(json::canonical(
        &Value::object(obj),
    ))))
}

/// Why rust-tuf refuses a file listing `key` (its key deserializer fails), if it does.
fn rust_tuf_key_refusal(id: &str, key: &Key) -> Option<String> {
    let Some(public) = key.public.as_deref() else {
        return Some(format!(
            "key {id} ({}) has no keyval.public: rust-tuf refuses the file",
            escape(&key.keytype)
        ));
    };
    if rust_tuf_keyid(key).is_none() {
        return Some(format!(
            "key {id}'s keyid_hash_algorithms is not a list of strings: rust-tuf refuses the file"
        ));
    }
    if key.keytype != "ed25519" {
        return None;
    }
    if key.scheme != "ed25519" {
        return Some(format!(
            "key {id} is ed25519 with scheme \"{}\": rust-tuf refuses the file",
            escape(&key.scheme)
        ));
    }
    let p = public.as_bytes();
    if p.len() != 64
        || !p
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
    {
        return Some(format!(
            "key {id}'s ed25519 public key is not 64 lowercase hex digits: rust-tuf refuses the file"
        ));
    }
    None
}

/// Why rust-tuf verifies no signature over `md`, if it does not: its canonical JSON
/// (`src/pouf/pouf1/mod.rs` `canonicalize`) writes each string through serde_json, which
/// escapes control characters (`\n`, `\u001f`), where TUF's canonical JSON (securesystemslib's
/// `encode_canonical`, which python-tuf and this tool sign) escapes only `"` and `\\`. A
/// string holding one, such as the newlines of an ECDSA or RSA key's PEM, gives rust-tuf
/// other bytes than were signed, so every signature over the file fails there. Canonical
/// JSON has no whitespace outside strings, so any byte below 0x20 in the payload is in one.
fn rust_tuf_canonical_refusal(md: &Metadata) -> Option<String> {
    if !md.payload().iter().any(|&b| b < 0x20) {
        return None;
    }
    Some(
        "a string in signed holds a control character (such as the newlines of a PEM key), which \
         rust-tuf's canonical JSON escapes where TUF's does not: rust-tuf hashes other bytes \
         than were signed, so no signature over it verifies (\"signature threshold not met: \
         0/N\"); keep keys with a PEM keyval (ECDSA, RSA) out of files rust-tuf must read"
            .into(),
    )
}

/// One client's verdict on the metadata as it would be exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub client: Client,
    /// Why it refuses; empty when it accepts.
    pub refusals: Vec<String>,
    /// What it accepts with a difference worth knowing (a key whose signatures never count).
    pub notes: Vec<String>,
}

impl Verdict {
    pub fn accepts(&self) -> bool {
        self.refusals.is_empty()
    }

    /// "accepts" or "refuses: why; why".
    pub fn summary(&self) -> String {
        if self.accepts() {
            "accepts".into()
        } else {
            format!("refuses: {}", self.refusals.join("; "))
        }
    }

    /// The verdict for `--json`.
    pub fn to_value(&self) -> Value {
        let list = |v: &[String]| Value::Array(v.iter().map(|s| Value::str(s.as_str())).collect());
        Value::object(vec![
            ("client", Value::str(self.client.id())),
            ("name", Value::str(self.client.name())),
            ("accepts", Value::Bool(self.accepts())),
            ("refusals", list(&self.refusals)),
            ("notes", list(&self.notes)),
        ])
    }
}

/// A role's keys and threshold, wherever they are listed.
struct RoleSpec<'a> {
    /// The file that lists the role.
    file: &'a str,
    /// The role's name, and whether root lists it (else a delegation).
    name: &'a str,
    in_root: bool,
    keyids: &'a [String],
    threshold: u64,
}

impl RoleSpec<'_> {
    /// "root.json: the root role", "targets.json: the delegation to claimed": made only
    /// when there is something to say.
    fn what(&self) -> String {
        if self.in_root {
            format!("{}: the {} role", self.file, self.name)
        } else {
            format!("{}: the delegation to {}", self.file, escape(self.name))
        }
    }
}

/// Judges one role for `client`: a key it fails on, or fewer countable keys than the
/// threshold, refuses; a key that never counts with the threshold still reachable is a note.
///
/// `odd` holds the keyids of `keys` that do not simply count for `client` ([`odd_keys`]): a
/// role listing none of them has nothing to say, so a claimed role's 100,000 delegations
/// are judged without a lookup each.
fn judge_role(
    client: Client,
    keys: &BTreeMap<String, Key>,
    odd: &HashSet<&str>,
    r: &RoleSpec<'_>,
    v: &mut Verdict,
) {
    if client == Client::RustTuf && (r.threshold == 0 || (r.keyids.len() as u64) < r.threshold) {
        v.refusals.push(format!(
            "{} has threshold {} over {} keyid(s): rust-tuf refuses a threshold above the number of keys",
            r.what(),
            r.threshold,
            r.keyids.len()
        ));
        return;
    }
    if odd.is_empty() || !r.keyids.iter().any(|id| odd.contains(id.as_str())) {
        return;
    }
    let mut counted = 0u64;
    let mut never = Vec::new();
    for id in r.keyids {
        let Some(key) = keys.get(id) else { continue };
        match client.key_use(id, key) {
            KeyUse::Counts => counted += 1,
            KeyUse::NeverCounts(why) => never.push(format!(
                "key {} never counts ({why})",
                crate::display::short(id)
            )),
            KeyUse::Fails(why) => v.refusals.push(format!(
                "{} lists key {}: {why}",
                r.what(),
                crate::display::short(id)
            )),
        }
    }
    if never.is_empty() {
        return;
    }
    if counted < r.threshold {
        v.refusals.push(format!(
            "{} needs {} signature(s) but {} can count at most {counted}: {}",
            r.what(),
            r.threshold,
            client.name(),
            never.join(", ")
        ));
    } else {
        v.notes.push(format!("{}: {}", r.what(), never.join(", ")));
    }
}

/// The keyids in `keys` whose key does not simply count for `client`.
fn odd_keys(client: Client, keys: &BTreeMap<String, Key>) -> HashSet<&str> {
    keys.iter()
        .filter(|(id, key)| client.key_use(id, key) != KeyUse::Counts)
        .map(|(id, _)| id.as_str())
        .collect()
}

/// Judges one file (named `file`) for `client`.
fn judge_file(client: Client, file: &str, md: &Metadata, v: &mut Verdict) {
    if client == Client::Rstuf && md.root().is_none() {
        return; // RSTUF takes root from a ceremony; it signs the other roles itself
    }
    let common = md.signed.common();
    if let Some(why) = client.spec_version_refusal(&common.spec_version) {
        v.refusals.push(format!("{file}: {why}"));
    }
    if client == Client::RustTuf {
        if let Some(why) = rust_tuf_canonical_refusal(md) {
            v.refusals.push(format!("{file}: {why}"));
        }
    }
    if let Some(root) = md.root() {
        if root.consistent_snapshot.is_none() && matches!(client, Client::Tough | Client::RustTuf) {
            v.refusals.push(format!(
                "{file}: root has no consistent_snapshot, which {} requires",
                client.name()
            ));
        }
        if client == Client::Rstuf {
            v.refusals.extend(
                crate::rstuf::signed_field_refusals(&root.extra)
                    .into_iter()
                    .map(|w| format!("{file}: {w}")),
            );
            v.refusals.extend(
                crate::rstuf::role_field_refusals(root)
                    .into_iter()
                    .map(|w| format!("{file}: {w}")),
            );
        }
        for (id, key) in &root.keys {
            if let Some(why) = client.key_refusal(id, key) {
                v.refusals.push(format!("{file}: {why}"));
            }
        }
        let odd = odd_keys(client, &root.keys);
        for (name, r) in &root.roles {
            let spec = RoleSpec {
                file,
                name,
                in_root: true,
                keyids: &r.keyids,
                threshold: r.threshold,
            };
            judge_role(client, &root.keys, &odd, &spec, v);
        }
    }
    if let Some(d) = md.targets().and_then(|t| t.delegations.as_ref()) {
        for (id, key) in &d.keys {
            if let Some(why) = client.key_refusal(id, key) {
                v.refusals.push(format!("{file}: {why}"));
            }
        }
        let odd = odd_keys(client, &d.keys);
        for r in d.roles.iter().flatten() {
            let spec = RoleSpec {
                file,
                name: &r.name,
                in_root: false,
                keyids: &r.keyids,
                threshold: r.threshold,
            };
            judge_role(client, &d.keys, &odd, &spec, v);
        }
    }
}

/// The pre-flight: each client's verdict on `files` (`(file name, metadata)`), the metadata
/// as it would be exported. Pure.
pub fn judge(files: &[(String, &Metadata)]) -> Vec<Verdict> {
    judge_only(files, |_| true)
}

/// [`judge`] for the clients `wanted` keeps only: the others are not looked at (a claimed
/// role of 100,000 projects is read once per client judged).
fn judge_only(files: &[(String, &Metadata)], wanted: impl Fn(Client) -> bool) -> Vec<Verdict> {
    Client::ALL
        .iter()
        .filter(|&&client| wanted(client))
        .map(|&client| {
            let mut v = Verdict {
                client,
                refusals: Vec::new(),
                notes: Vec::new(),
            };
            for (file, md) in files {
                judge_file(client, file, md, &mut v);
            }
            v
        })
        .collect()
}

/// Warnings for the clients that would refuse `files`: one per client, naming it and why.
/// python-tuf and tough are left out: this tool refuses what python-tuf refuses, and tough's
/// refusals have warnings of their own ([`root_key_warnings`]).
pub fn refusal_warnings(
    files: &[(String, &Metadata)],
    relevant: impl Fn(Client) -> bool,
) -> Vec<String> {
    judge_only(files, |client| {
        !matches!(client, Client::PythonTuf | Client::Tough) && relevant(client)
    })
    .into_iter()
    .filter(|v| !v.accepts())
        .map(|v| {
            format!(
                "{} would refuse this repository: {}. (`tuf-ceremony clients` lists what each client accepts.)",
                v.client.name(),
                v.refusals.join("; ")
            )
        })
        .collect()
}

/// What clients make of a newly generated key: one warning per client that could never
/// count its signatures. rust-tuf is left out here: it counts ed25519 keys alone (so it
/// would speak against every hardware key a YubiKey PIV can make) and refuses the spec
/// version this tool writes unless `init --spec-version 1.0` asked for it; a ceremony whose
/// clients include rust-tuf is told so once, for the folder (`status`, `export`, `clients`).
pub fn key_warnings(key: &Key) -> Vec<String> {
    let id = key.keyid();
    Client::ALL
        .iter()
        .filter(|c| !matches!(c, Client::PythonTuf | Client::Tough | Client::RustTuf))
        .filter_map(|&c| match c.key_use(&id, key) {
            KeyUse::Counts => None,
            KeyUse::NeverCounts(why) | KeyUse::Fails(why) => Some(format!(
                "{}: signatures by this key never count ({why}); a role that needs it to meet its threshold is refused there",
                c.name()
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::json::Object;
    use crate::metadata::{Common, RoleKeys, Root, Signed};

    fn ed(seed: u8) -> Key {
        Key::ed25519(&ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key())
    }

    fn p384(seed: u8) -> Key {
        let sk = p384::ecdsa::SigningKey::from_slice(&[seed; 48]).unwrap();
        Key::ecdsa_p384(sk.verifying_key())
    }

    /// Root v1 with `keys`; root's role lists them all with `threshold`, the other roles
    /// the first key with threshold 1.
    fn root(keys: &[Key], threshold: u64, spec: &str) -> Metadata {
        let ids: Vec<String> = keys.iter().map(Key::keyid).collect();
        let mut roles = BTreeMap::new();
        for name in ["root", "snapshot", "targets", "timestamp"] {
            let (keyids, t) = if name == "root" {
                (ids.clone(), threshold)
            } else {
                (vec![ids[0].clone()], 1)
            };
            roles.insert(
                name.to_string(),
                RoleKeys {
                    keyids,
                    threshold: t,
                    extra: Object::new(),
                },
            );
        }
        Metadata {
            layout: Default::default(),
            signed: Signed::Root(Root {
                common: Common {
                    spec_version: spec.into(),
                    version: 1,
                    expires: "2030-01-01T00:00:00Z".into(),
                    expires_at: 1_893_456_000,
                },
                consistent_snapshot: Some(true),
                keys: ids.into_iter().zip(keys.iter().cloned()).collect(),
                roles,
                extra: Object::new(),
            }),
            signatures: Vec::new(),
            extra: Object::new(),
        }
    }

    fn verdicts(md: &Metadata) -> BTreeMap<&'static str, Verdict> {
        judge(&[("root.json".to_string(), md)])
            .into_iter()
            .map(|v| (v.client.id(), v))
            .collect()
    }

    fn refused(v: &BTreeMap<&'static str, Verdict>) -> Vec<&'static str> {
        v.values()
            .filter(|v| !v.accepts())
            .map(|v| v.client.id())
            .collect()
    }

    /// What this tool writes by default (spec_version 1.0.31, ed25519 keys): every client
    /// accepts it but rust-tuf, which reads only "1.0" and "1.0.0"; with "1.0" all accept.
    #[test]
    fn the_spec_version_is_what_rust_tuf_refuses() {
        let v = verdicts(&root(&[ed(1), ed(2)], 2, "1.0.31"));
        assert_eq!(refused(&v), ["rust-tuf"]);
        assert!(
            v["rust-tuf"].summary().contains("\"1.0.31\""),
            "{:?}",
            v["rust-tuf"]
        );
        assert!(v["rust-tuf"].summary().starts_with("refuses: "));
        assert_eq!(v["python-tuf"].summary(), "accepts");
        for spec in ["1.0", "1.0.0"] {
            assert!(refused(&verdicts(&root(&[ed(1), ed(2)], 2, spec))).is_empty());
        }
        for ok in ["1.0", "1.0.31", "1.2.3"] {
            assert!(check_spec_version(ok).is_ok(), "{ok}");
        }
        for bad in ["2.0", "1", "1.0.0.0", "1.a", "01.0", "", "1..0", "v1.0"] {
            assert!(check_spec_version(bad).is_err(), "{bad}");
        }
    }

    /// A P-384 key a root's threshold needs: tuf-js before 6.0.2 verifies it with SHA-256
    /// and so counts one key fewer ("root was signed by 1/2 keys"); tuf-js 6.0.2 and go-tuf
    /// count it; tough refuses the whole root; rust-tuf counts ed25519 only, and reads no
    /// signature over a file holding a PEM key. With the
    /// threshold reachable without it, tuf-js before 6.0.2 accepts, with a note.
    #[test]
    fn a_p384_root_key_is_refused_by_tuf_js_before_6_0_2() {
        let v = verdicts(&root(&[ed(1), p384(3)], 2, "1.0"));
        assert_eq!(refused(&v), ["rust-tuf", "tough", "tuf-js<6.0.2"]);
        let old = v["tuf-js<6.0.2"].summary();
        assert!(
            old.contains("needs 2 signature(s) but tuf-js before 6.0.2 can count at most 1"),
            "{old}"
        );
        assert!(old.contains("SHA-256 whatever the scheme"), "{old}");
        let v = verdicts(&root(&[ed(1), ed(2), p384(3)], 2, "1.0"));
        assert!(v["tuf-js<6.0.2"].accepts());
        assert_eq!(v["tuf-js<6.0.2"].notes.len(), 1);
        assert!(v["tuf-js>=6.0.2"].notes.is_empty());
        // rust-tuf reads no signature over a root holding a PEM key (see below).
        assert!(v["rust-tuf"].summary().contains("control character"));
        assert!(!key_warnings(&p384(3)).is_empty());
        assert!(key_warnings(&p384(3))
            .iter()
            .any(|w| w.starts_with("tuf-js before 6.0.2: ")));
        assert!(key_warnings(&ed(1)).is_empty());
    }

    /// rust-tuf's canonical JSON escapes control characters as serde_json does (a PEM key's
    /// newlines become `\n`) where TUF's canonical JSON writes them as they are, so over a
    /// file holding a PEM key it hashes other bytes than were signed and no signature
    /// verifies, an ed25519 one included (tuf 0.3.0-beta14 on a root of an ed25519 and a P-256
    /// key, threshold 1, signed by both: "signature threshold not met: 0/1"). A file of
    /// ed25519 keys alone (hex) holds no such string.
    #[test]
    fn rust_tuf_verifies_no_signature_over_a_file_holding_a_pem_key() {
        let p256 = |seed: u8| {
            Key::ecdsa_p256(
                p256::ecdsa::SigningKey::from_slice(&[seed; 32])
                    .unwrap()
                    .verifying_key(),
            )
        };
        let v = verdicts(&root(&[ed(1), p256(2)], 1, "1.0"));
        let rt = v["rust-tuf"].summary();
        assert!(!v["rust-tuf"].accepts(), "{rt}");
        assert!(
            rt.contains("root.json: ") && rt.contains("no signature over it verifies"),
            "{rt}"
        );
        assert!(v["python-tuf"].accepts() && v["tuf-js<6.0.2"].accepts());
        let v = verdicts(&root(&[ed(1), ed(2)], 1, "1.0"));
        assert!(v["rust-tuf"].accepts(), "{:?}", v["rust-tuf"]);
    }

    /// tough reads a delegation's keys as it reads root's (`Delegations::keys` is deserialized
    /// by the same `deserialize_keys`): a targets file delegating to a P-384 key is refused
    /// whole (tough 0.24 on such an export: "Failed to parse targets metadata: Invalid
    /// SubjectPublicKeyInfo document"), and so is one whose delegated keyid is not the SHA-256
    /// of the whole key object.
    #[test]
    fn tough_refuses_a_targets_file_delegating_to_a_key_it_does_not_read() {
        use crate::metadata::{DelegatedRole, Delegations, Targets};
        let targets = |key: Key, keyid: String| Metadata {
            layout: Default::default(),
            signed: Signed::Targets(Targets {
                common: Common {
                    spec_version: "1.0".into(),
                    version: 1,
                    expires: "2030-01-01T00:00:00Z".into(),
                    expires_at: 1_893_456_000,
                },
                targets: Object::new(),
                delegations: Some(Delegations {
                    keys: BTreeMap::from([(keyid.clone(), key)]),
                    roles: Some(vec![DelegatedRole {
                        name: "claimed".into(),
                        keyids: vec![keyid],
                        threshold: 1,
                        terminating: false,
                        paths: Some(vec!["pkg/*".into()]),
                        path_hash_prefixes: None,
                        extra: Object::new(),
                    }]),
                    extra: Object::new(),
                }),
                extra: Object::new(),
            }),
            signatures: Vec::new(),
            extra: Object::new(),
        };
        let judged = |md: &Metadata| -> BTreeMap<&'static str, Verdict> {
            judge(&[("targets.json".to_string(), md)])
                .into_iter()
                .map(|v| (v.client.id(), v))
                .collect()
        };
        let v = judged(&targets(p384(3), p384(3).keyid()));
        let t = v["tough"].summary();
        assert!(t.starts_with("refuses: targets.json: key "), "{t}");
        assert!(t.contains("which tough does not read"), "{t}");
        assert!(v["python-tuf"].accepts() && v["tuf-js>=6.0.2"].accepts());
        let v = judged(&targets(ed(1), "ab".repeat(32)));
        assert!(v["tough"]
            .summary()
            .contains("not the SHA-256 of the whole key object"));
        assert!(judged(&targets(ed(1), ed(1).keyid()))["tough"].accepts());
    }

    /// go-tuf fails a role's whole verification on a keytype it cannot read, and verifies
    /// every RSA key as RSA-PSS; rust-tuf ignores a key listed under a keyid other than its
    /// own convention's and refuses a threshold above the number of keys.
    #[test]
    fn go_tuf_and_rust_tuf_rules() {
        let mut legacy = p384(3);
        legacy.keytype = "ecdsa-sha2-nistp384".into();
        let v = verdicts(&root(&[ed(1), legacy], 1, "1.0"));
        assert!(v["go-tuf"]
            .summary()
            .contains("unsupported public key type"));
        let mut pkcs = ed(4);
        pkcs.keytype = "rsa".into();
        pkcs.scheme = "rsa-pkcs1v15-sha256".into();
        let v = verdicts(&root(&[ed(1), pkcs], 2, "1.0"));
        assert!(
            v["go-tuf"].summary().contains("as rsassa-pss-sha256"),
            "{:?}",
            v["go-tuf"]
        );
        // A key field beyond keytype/scheme/keyval: listed under the securesystemslib keyid,
        // rust-tuf (which hashes keytype, scheme and keyval.public only) still finds it.
        let mut named = ed(5);
        named.extra.insert("x-rstuf-key-name", Value::str("alice"));
        let v = verdicts(&root(&[ed(1), named.clone()], 2, "1.0"));
        assert!(v["rust-tuf"].accepts(), "{:?}", v["rust-tuf"]);
        // keyid_hash_algorithms is in rust-tuf's hash: the securesystemslib keyid is not its.
        named.extra.insert(
            "keyid_hash_algorithms",
            Value::Array(vec![Value::str("sha256")]),
        );
        let v = verdicts(&root(&[ed(1), named], 2, "1.0"));
        assert!(
            v["rust-tuf"].summary().contains("rust-tuf ignores a key"),
            "{:?}",
            v["rust-tuf"]
        );
        let mut over = root(&[ed(1)], 1, "1.0");
        if let Signed::Root(r) = &mut over.signed {
            r.roles.get_mut("root").unwrap().threshold = 2;
            r.consistent_snapshot = None;
        }
        let v = verdicts(&over);
        assert!(v["rust-tuf"].summary().contains("threshold 2 over 1 keyid"));
        assert!(v["tough"].summary().contains("no consistent_snapshot"));
    }

    /// RSTUF's API: unknown fields of signed only as x-<vendor>-<name>; keyval members other
    /// than public, issuer and identity refused; other key fields dropped (so refused).
    #[test]
    fn rstuf_refuses_unknown_signed_and_key_fields() {
        for (field, refused_by_rstuf) in [
            ("custom", true),
            ("x-foo", true),
            ("xa-b-c", true),
            ("x-acme-foo", false),
        ] {
            let mut md = root(&[ed(1)], 1, "1.0");
            if let Signed::Root(r) = &mut md.signed {
                r.extra.insert(field, Value::Int(1));
            }
            let v = verdicts(&md);
            assert_eq!(
                !v["rstuf"].accepts(),
                refused_by_rstuf,
                "{field}: {:?}",
                v["rstuf"]
            );
            assert!(v["python-tuf"].accepts());
        }
        let mut k = ed(1);
        k.keyval_extra.insert("private", Value::str(""));
        let v = verdicts(&root(&[k], 1, "1.0"));
        assert!(v["rstuf"]
            .summary()
            .contains("keyval member(s) \"private\" that RSTUF's API refuses"));
        let mut k = ed(1);
        k.extra.insert("custom", Value::Int(1));
        let v = verdicts(&root(&[k], 1, "1.0"));
        assert!(v["rstuf"].summary().contains("drops on a metadata update"));
    }

    fn key() -> Key {
        Key::ed25519(&ed25519_dalek::SigningKey::from_bytes(&[5u8; 32]).verifying_key())
    }

    /// Warnings name tough for what tough rejects (a keyid it recomputes differently, a key
    /// it cannot read), and nothing for what every client accepts: in particular a keyid over
    /// the whole object, which python-tuf 7 verifies (Sigstore roots 5 to 15).
    #[test]
    fn only_what_a_client_rejects_is_warned_and_the_client_is_named() {
        let mut k = key();
        k.extra.insert(
            "keyid_hash_algorithms",
            Value::Array(vec![Value::str("sha256")]),
        );
        let whole = k.keyid_whole_object();
        let core = k.keyid();
        let none: BTreeMap<String, Key> = [(whole.clone(), k.clone())].into();
        assert!(root_key_warnings(&none, "root.json").is_empty());
        for id in [core.clone(), "ab".repeat(32)] {
            let keys: BTreeMap<String, Key> = [(id.clone(), k.clone())].into();
            let w = root_key_warnings(&keys, "root.json");
            assert_eq!(w.len(), 1, "{w:?}");
            assert!(
                w[0].contains("tough, and clients built on it, hash")
                    || w[0].contains("tough, and clients built on it, reject")
            );
            assert!(w[0].contains("python-tuf 7 and go-tuf v2 take keyids as given"));
            assert!(!w[0].contains("go-tuf will"), "{}", w[0]);
            let d = delegated_key_warnings(&keys, "claimed.json");
            assert_eq!(d.len(), 1);
            assert!(
                !d[0].contains("tough"),
                "not established for delegations: {}",
                d[0]
            );
        }
        let mut odd = key();
        odd.scheme = "ecdsa-sha2-nistp256".into();
        assert!(python_tuf_refuses_key("k", &odd)
            .unwrap()
            .contains("ed25519/ecdsa-sha2-nistp256"));
        assert!(python_tuf_refuses_key("k", &key()).is_none());
        let mut p384 = key();
        p384.keytype = "ecdsa".into();
        p384.scheme = "ecdsa-sha2-nistp384".into();
        let keys: BTreeMap<String, Key> = [(p384.keyid(), p384)].into();
        let w = root_key_warnings(&keys, "root.json");
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("ecdsa/ecdsa-sha2-nistp384, which tough does not read"));
        assert!(python_tuf_refuses_key("k", keys.values().next().unwrap()).is_none());
    }
}
