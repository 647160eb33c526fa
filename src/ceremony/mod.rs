//! A ceremony directory: the working metadata being signed, the trusted metadata it follows,
//! the named keyholders, and the transcript.
//!
//! Layout (all written atomically):
//! - `ceremony.json`: the keyholders (name and public key) and the delegated roles signed
//!   offline (such as PEP 480's `claimed`);
//! - `root.json`, `targets.json`, `<delegated>.json`: the working metadata, with the
//!   signatures collected so far;
//! - `trusted/root.json`, `trusted/N.root.json`, `trusted/targets.json`, …: the last
//!   published version of each role, which the next one must follow (TUF spec 5.3.4);
//! - `transcript.jsonl`: the hash-chained record of the ceremony.
//!
//! A ceremony stopped at any point resumes from the directory: every command re-reads and
//! re-validates it.

pub mod audit;
pub mod changes;
pub mod claimed;
pub mod edit;
pub mod export;
pub mod report;
pub mod sign;
pub mod status;

use crate::error::{Error, Result};
use crate::json::{self, Object, Value};
use crate::keys::Key;
use crate::metadata::{KeysRead, Metadata, Payload, Root, Signed};
use crate::transcript::Transcript;
use crate::verify::ThresholdReport;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The name of the state file that marks a ceremony directory.
pub const STATE_FILE: &str = "ceremony.json";
const STATE_FORMAT: &str = "tuf-ceremony-directory/1";

/// A named person and the public key they hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyholder {
    pub name: String,
    pub key: Key,
}

/// What `ceremony.json` records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub keyholders: Vec<Keyholder>,
    /// Delegated targets roles signed in this ceremony, e.g. `claimed`.
    pub delegated: Vec<String>,
}

/// An open ceremony directory.
pub struct Ceremony {
    pub dir: PathBuf,
    pub state: State,
    /// "Now", passed in so that everything below is testable with a fixed clock.
    pub now: i64,
}

/// One set of signatures a role needs: the keys of one delegating metadata.
#[derive(Clone, Debug)]
pub struct Requirement {
    /// Plain words: "root v2's own root keys", "trusted root v1's root keys".
    pub label: String,
    pub keys: BTreeMap<String, Key>,
    pub keyids: Vec<String>,
    pub threshold: u64,
}

impl Requirement {
    pub fn check(&self, md: &Metadata, payload: &[u8]) -> ThresholdReport {
        crate::verify::check_threshold(
            payload,
            &md.signatures,
            &self.keys,
            &self.keyids,
            self.threshold,
        )
    }

    /// [`check`](Self::check) with the signature check given (see
    /// [`crate::verify::check_threshold_with`]).
    pub fn check_with(
        &self,
        md: &Metadata,
        verify: &dyn Fn(&Key, &str) -> std::result::Result<(), String>,
    ) -> ThresholdReport {
        crate::verify::check_threshold_with(
            &md.signatures,
            &self.keys,
            &self.keyids,
            self.threshold,
            verify,
        )
    }
}

/// The SHA-256 of a payload, hex.
pub fn digest_hex(payload: &[u8]) -> String {
    hex::encode(Sha256::digest(payload))
}

/// Reads and validates a metadata file, naming it in any error.
pub fn read_metadata(path: &Path) -> Result<Metadata> {
    Ok(read_metadata_with_payload(path)?.0)
}

/// [`read_metadata`], also returning the payload its signatures cover (written once while
/// reading, as a check, so a caller that verifies need not write it again).
pub fn read_metadata_with_payload(path: &Path) -> Result<(Metadata, Payload)> {
    read_metadata_with(path, None)
}

/// [`read_metadata_with_payload`], calling `on_keys` with a targets role's delegated keys
/// as soon as they are read (see [`KeysRead`]).
pub fn read_metadata_with(
    path: &Path,
    on_keys: Option<KeysRead<'_>>,
) -> Result<(Metadata, Payload)> {
    let bytes = crate::fsutil::read(path)?;
    // Progress for files that take a second or more to check (PyPI-scale claimed), on a
    // terminal only so scripts and logs stay clean.
    let show = bytes.len() >= PROGRESS_BYTES && std::io::stderr().is_terminal();
    if show {
        eprint!(
            "checking {} ({} MB)… ",
            crate::display::path(path),
            bytes.len() / 1_000_000
        );
    }
    let md = Metadata::from_file_bytes_with(bytes, on_keys).map_err(|e| Error::format(path, e));
    if show {
        eprintln!("done");
    }
    md
}

/// Files at least this large get a progress line on a terminal.
const PROGRESS_BYTES: usize = 8_000_000;

/// Reads a public key file: a TUF key object (as `key generate` writes), a securesystemslib
/// key dict (its `keyid` and `keyid_hash_algorithms` are dropped), or an SPKI PEM public
/// key. Only keytype/scheme/keyval are kept, so both keyid conventions agree.
pub fn read_public_key(path: &Path) -> Result<Key> {
    let bytes = crate::fsutil::read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    if text.trim_start().starts_with("-----BEGIN PUBLIC KEY-----") {
        use p256::pkcs8::DecodePublicKey;
        if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_pem(text.trim()) {
            return Ok(Key::ed25519(&k));
        }
        if let Ok(k) = p256::PublicKey::from_public_key_pem(text.trim()) {
            return Ok(Key::ecdsa_p256(&k.into()));
        }
        return Err(Error::Invalid(format!(
            "{}: a PEM public key, but neither ed25519 nor ECDSA P-256",
            path.display()
        )));
    }
    let value = json::parse(&bytes)
        .map_err(|e| Error::format(path, crate::metadata::FormatError::new("$", e.to_string())))?;
    let key = Key::from_value(&value, "$").map_err(|e| Error::format(path, e))?;
    let key = Key {
        extra: Object::new(),
        ..key
    };
    key.material()
        .map_err(|why| Error::Invalid(format!("{}: {why}", path.display())))?;
    Ok(key)
}

/// Parses `NAME=PATH` as given to `--keyholder`.
pub fn split_named(arg: &str, flag: &str) -> Result<(String, PathBuf)> {
    match arg.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            crate::keyfile::check_keyholder_name(name)?;
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => Err(Error::Invalid(format!(
            "{flag} takes NAME=PUBFILE (for example {flag} alice=alice.pub.json), not \"{arg}\""
        ))),
    }
}

impl State {
    fn to_value(&self) -> Value {
        let keyholders = self
            .keyholders
            .iter()
            .map(|k| {
                Value::object(vec![
                    ("name", Value::str(&k.name)),
                    ("keyid", Value::str(k.key.keyid())),
                    ("key", k.key.to_value()),
                ])
            })
            .collect();
        Value::object(vec![
            ("format", Value::str(STATE_FORMAT)),
            ("keyholders", Value::Array(keyholders)),
            (
                "delegated_roles",
                Value::Array(
                    self.delegated
                        .iter()
                        .map(|d| Value::str(d.as_str()))
                        .collect(),
                ),
            ),
        ])
    }

    fn from_bytes(bytes: &[u8], path: &Path) -> Result<State> {
        let bad = |why: &str| {
            Error::Invalid(format!(
                "{}: {why}. This file is written by tuf-ceremony; restore it from the ceremony's backup",
                path.display()
            ))
        };
        let value = json::parse(bytes).map_err(|e| bad(&e.to_string()))?;
        if value.get("format").and_then(Value::as_str) != Some(STATE_FORMAT) {
            return Err(bad("not a tuf-ceremony directory state file (format)"));
        }
        let mut state = State::default();
        for (i, k) in value
            .get("keyholders")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("no keyholders list"))?
            .iter()
            .enumerate()
        {
            let name = k
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("a keyholder has no name"))?;
            let key = Key::from_value(
                k.get("key").unwrap_or(&Value::Null),
                &format!("$.keyholders[{i}].key"),
            )
            .map_err(|e| bad(&e.to_string()))?;
            state.keyholders.push(Keyholder {
                name: name.to_string(),
                key,
            });
        }
        for d in value
            .get("delegated_roles")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("no delegated_roles list"))?
        {
            let name = d
                .as_str()
                .ok_or_else(|| bad("a delegated role name is not a string"))?;
            crate::metadata::check_role_name(name).map_err(|e| bad(&e))?;
            state.delegated.push(name.to_string());
        }
        Ok(state)
    }
}

impl Ceremony {
    /// Opens an existing ceremony directory.
    pub fn open(dir: &Path, now: i64) -> Result<Ceremony> {
        let path = dir.join(STATE_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Invalid(format!(
                    "{} is not a ceremony directory (no {STATE_FILE}). Start one with `tuf-ceremony -C {} init …` or `load …`",
                    dir.display(),
                    dir.display()
                )))
            }
            Err(e) => return Err(crate::fsutil::FsError::new("cannot read", &path, e).into()),
        };
        let state = State::from_bytes(&bytes, &path)?;
        Ok(Ceremony {
            dir: dir.to_path_buf(),
            state,
            now,
        })
    }

    /// Opens a ceremony directory, creating it (and its state file) if needed.
    pub fn open_or_create(dir: &Path, now: i64) -> Result<Ceremony> {
        if dir.join(STATE_FILE).exists() {
            return Ceremony::open(dir, now);
        }
        // Nothing is written until the command has checked its input: a refused `init` or
        // `load` leaves no half-made ceremony behind. The first write creates the folder.
        Ok(Ceremony {
            dir: dir.to_path_buf(),
            state: State::default(),
            now,
        })
    }

    /// Creates the ceremony folder if this is its first write.
    fn ensure_dir(&self) -> Result<()> {
        if !self.dir.is_dir() {
            std::fs::create_dir_all(&self.dir)
                .map_err(|e| crate::fsutil::FsError::new("cannot create", &self.dir, e))?;
        }
        Ok(())
    }

    pub fn save_state(&self) -> Result<()> {
        self.ensure_dir()?;
        crate::fsutil::write_atomic(
            &self.dir.join(STATE_FILE),
            &json::pretty(&self.state.to_value()),
        )?;
        Ok(())
    }

    pub fn transcript(&self) -> Transcript {
        Transcript::new(&self.dir.join("transcript.jsonl"))
    }

    /// Appends an event to the transcript, stamped with the ceremony's clock.
    pub fn record(&self, event: &str, fields: Vec<(&str, Value)>) -> Result<()> {
        self.ensure_dir()?;
        self.transcript()
            .append(event, &crate::time::format_expires(self.now), fields)?;
        Ok(())
    }

    /// The roles this ceremony signs, in signing order.
    pub fn roles(&self) -> Vec<String> {
        let mut roles = vec!["root".to_string(), "targets".to_string()];
        roles.extend(self.state.delegated.iter().cloned());
        roles
    }

    pub fn working_path(&self, role: &str) -> PathBuf {
        self.dir.join(format!("{role}.json"))
    }

    pub fn trusted_dir(&self) -> PathBuf {
        self.dir.join("trusted")
    }

    pub fn trusted_path(&self, role: &str) -> PathBuf {
        self.trusted_dir().join(format!("{role}.json"))
    }

    /// The working metadata of a role, which must exist.
    pub fn working(&self, role: &str) -> Result<Metadata> {
        self.working_opt(role)?.ok_or_else(|| self.no_working(role))
    }

    /// The error for a role with no working metadata.
    pub fn no_working(&self, role: &str) -> Error {
        let role = crate::display::escape(role);
        Error::Invalid(format!(
            "there is no {role} metadata in {} ({role}.json). Create it with `init` (root, targets), `delegate` (a delegated role), or bring it in with `load`",
            self.dir.display()
        ))
    }

    /// A role's working metadata, if the directory has it.
    pub fn working_opt(&self, role: &str) -> Result<Option<Metadata>> {
        Ok(read_role_file(&self.working_path(role), role, None)?.map(|(md, _)| md))
    }

    /// [`working_opt`](Self::working_opt) with the payload its signatures cover.
    pub fn working_with_payload(&self, role: &str) -> Result<Option<(Metadata, Payload)>> {
        read_role_file(&self.working_path(role), role, None)
    }

    /// [`working_with_payload`](Self::working_with_payload), calling `on_keys` with the
    /// role's delegated keys as soon as they are read (see [`KeysRead`]).
    pub fn working_with(
        &self,
        role: &str,
        on_keys: KeysRead<'_>,
    ) -> Result<Option<(Metadata, Payload)>> {
        read_role_file(&self.working_path(role), role, Some(on_keys))
    }

    /// The last published (trusted) version of a role, if recorded.
    pub fn trusted(&self, role: &str) -> Result<Option<Metadata>> {
        Ok(read_role_file(&self.trusted_path(role), role, None)?.map(|(md, _)| md))
    }

    /// [`trusted`](Self::trusted) with the payload its signatures cover.
    pub fn trusted_with_payload(&self, role: &str) -> Result<Option<(Metadata, Payload)>> {
        read_role_file(&self.trusted_path(role), role, None)
    }

    /// Saves working metadata atomically.
    pub fn save_working(&self, role: &str, md: &Metadata) -> Result<()> {
        self.prepare_working(role, md)?.commit()?;
        Ok(())
    }

    /// Writes working metadata beside the role's file, to replace it on
    /// [`commit`](crate::fsutil::Prepared::commit) (see [`crate::fsutil::prepare_atomic_with`]).
    pub fn prepare_working(&self, role: &str, md: &Metadata) -> Result<crate::fsutil::Prepared> {
        self.ensure_dir()?;
        Ok(crate::fsutil::prepare_atomic_with(
            &self.working_path(role),
            &mut |emit| md.write_file_to(emit),
        )?)
    }

    /// The keyholder recorded for a key, matched by the key itself, not its keyid.
    pub fn keyholder_of(&self, key: &Key) -> Option<&str> {
        let id = key.identity();
        self.state
            .keyholders
            .iter()
            .find(|k| k.key.identity() == id)
            .map(|k| k.name.as_str())
    }

    /// Records (or confirms) that `name` holds `key`.
    pub fn name_key(&mut self, name: &str, key: &Key) -> Result<()> {
        let id = key.identity();
        if let Some(existing) = self
            .state
            .keyholders
            .iter()
            .find(|k| k.key.identity() == id)
        {
            if existing.name != name {
                return Err(Error::Refused(format!(
                    "key {} is already recorded as {}'s, not {name}'s. One key belongs to one keyholder",
                    short(&key.keyid()),
                    existing.name
                )));
            }
            return Ok(());
        }
        self.state.keyholders.push(Keyholder {
            name: name.to_string(),
            key: Key {
                extra: Object::new(),
                ..key.clone()
            },
        });
        Ok(())
    }

    /// "alice (ed25519 key 1a2b3c4d…)" or "an unnamed key 1a2b3c4d…", for showing: the
    /// name is escaped ([`crate::display::escape`]).
    pub fn describe(&self, keyid: &str, key: Option<&Key>) -> String {
        match key.and_then(|k| self.keyholder_of(k)) {
            Some(name) => format!("{} (key {})", crate::display::escape(name), short(keyid)),
            None => format!("an unnamed key {}", short(keyid)),
        }
    }

    /// Just the keyholder's name, or the short keyid, for showing (escaped).
    pub fn who(&self, keyid: &str, key: Option<&Key>) -> String {
        match key.and_then(|k| self.keyholder_of(k)) {
            Some(name) => crate::display::escape(name).into_owned(),
            None => format!("key {}", short(keyid)),
        }
    }

    /// What a role's working metadata must be signed by. Root: its own root keys, and for a
    /// rotation also the trusted root's (spec 5.3.4). Targets: root's targets keys. A
    /// delegated role: the keys targets delegates it to.
    pub fn requirements(&self, role: &str, md: &Metadata) -> Result<Vec<Requirement>> {
        match role {
            "root" => {
                let root = md
                    .root()
                    .ok_or_else(|| Error::Invalid("root.json is not root metadata".into()))?;
                let own = root
                    .role("root")
                    .ok_or_else(|| Error::Invalid("root has no root role".into()))?;
                let mut reqs = vec![Requirement {
                    label: format!("root v{}'s own root keys", root.common.version),
                    keys: root.keys.clone(),
                    keyids: own.keyids.clone(),
                    threshold: own.threshold,
                }];
                if let Some(trusted) = self.trusted("root")? {
                    let old = trusted
                        .root()
                        .ok_or_else(|| Error::Invalid("trusted/root.json is not root".into()))?;
                    if old.common.version < root.common.version {
                        let r = old.role("root").ok_or_else(|| {
                            Error::Invalid("trusted root has no root role".into())
                        })?;
                        reqs.push(Requirement {
                            label: format!(
                                "trusted root v{}'s root keys (rotation)",
                                old.common.version
                            ),
                            keys: old.keys.clone(),
                            keyids: r.keyids.clone(),
                            threshold: r.threshold,
                        });
                    }
                }
                Ok(reqs)
            }
            "targets" => {
                let root_md = self.working("root")?;
                let root = root_md
                    .root()
                    .ok_or_else(|| Error::Invalid("root.json is not root metadata".into()))?;
                let r = root
                    .role("targets")
                    .ok_or_else(|| Error::Invalid("root has no targets role".into()))?;
                Ok(vec![Requirement {
                    label: format!("root v{}'s targets keys", root.common.version),
                    keys: root.keys.clone(),
                    keyids: r.keyids.clone(),
                    threshold: r.threshold,
                }])
            }
            name => {
                let targets_md = self.working("targets")?;
                let t = targets_md
                    .targets()
                    .ok_or_else(|| Error::Invalid("targets.json is not targets metadata".into()))?;
                let d = t.delegations.as_ref().and_then(|d| d.role(name).map(|r| (d, r))).ok_or_else(|| {
                    Error::Refused(format!(
                        "targets v{} does not delegate to \"{name}\", so nothing authorizes its keys. Add the delegation with `tuf-ceremony delegate {name} …`",
                        t.common.version
                    ))
                })?;
                Ok(vec![Requirement {
                    label: format!("targets v{}'s delegation to {name}", t.common.version),
                    keys: d.0.keys.clone(),
                    keyids: d.1.keyids.clone(),
                    threshold: d.1.threshold,
                }])
            }
        }
    }

    /// The version an edited role must have: one past the trusted version, set once.
    pub fn next_version(&self, role: &str, current: u64) -> Result<u64> {
        let trusted = self.trusted(role)?.map(|t| t.version()).unwrap_or(0);
        Ok(if current <= trusted {
            trusted + 1
        } else {
            current
        })
    }
}

/// Reads a role's file if it exists, checking its `_type` fits the role.
fn read_role_file(
    path: &Path,
    role: &str,
    on_keys: Option<KeysRead<'_>>,
) -> Result<Option<(Metadata, Payload)>> {
    if !path.exists() {
        return Ok(None);
    }
    let (md, payload) = read_metadata_with(path, on_keys)?;
    check_type(&md, role, path)?;
    Ok(Some((md, payload)))
}

/// Checks the `_type` fits the role the file stands for.
pub fn check_type(md: &Metadata, role: &str, path: &Path) -> Result<()> {
    let expected = if role == "root" { "root" } else { "targets" };
    if md.signed.type_name() != expected {
        return Err(Error::Invalid(format!(
            "{}: holds {} metadata, but this file must hold {role} metadata (_type \"{expected}\")",
            path.display(),
            md.signed.type_name()
        )));
    }
    Ok(())
}

/// The first 8 hex digits of a keyid or digest, followed by an ellipsis. A keyid is any
/// string a metadata file holds, so what is shown is escaped ([`crate::display::escape`]).
pub fn short(hex: &str) -> String {
    let cut: String = hex.chars().take(8).collect();
    let cut = crate::display::escape(&cut).into_owned();
    if hex.chars().nth(8).is_some() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// The root role data of a metadata known to be root.
pub fn as_root(md: &Metadata) -> Result<&Root> {
    md.root().ok_or_else(|| {
        Error::Invalid(format!(
            "expected root metadata, found {}",
            md.signed.type_name()
        ))
    })
}

/// Mutable access to the root in a metadata known to be root.
pub fn as_root_mut(md: &mut Metadata) -> Result<&mut Root> {
    match &mut md.signed {
        Signed::Root(r) => Ok(r),
        other => Err(Error::Invalid(format!(
            "expected root metadata, found {}",
            other.type_name()
        ))),
    }
}

/// What a command has to say: lines for stdout, warnings for stderr, and a machine-readable
/// value for `--json`.
#[derive(Debug, Default)]
pub struct Report {
    pub lines: Vec<String>,
    pub warnings: Vec<String>,
    pub json: Option<Value>,
}

impl Report {
    pub fn line(&mut self, s: impl Into<String>) {
        self.lines.push(s.into());
    }

    pub fn warn(&mut self, s: impl Into<String>) {
        self.warnings.push(s.into());
    }
}
