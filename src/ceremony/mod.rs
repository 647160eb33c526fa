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

pub mod changes;
pub mod claimed;
pub mod delegate;
pub mod detached;
pub mod edits;
pub mod events;
pub mod evidence;
pub mod export;
pub mod head_signatures;
pub mod identity;
pub mod init;
pub mod keyholders;
pub mod load;
pub mod load_check;
pub mod lock;
pub mod merge;
pub mod pending;
pub mod policy;
pub mod policy_record;
pub mod preflight;
pub mod proof;
pub mod published;
pub mod record;
pub mod report;
pub mod request;
pub mod retire;
pub mod root_only;
pub mod rstuf;
pub mod sigfile;
pub mod sign;
pub mod sign_record;
pub mod sign_screen;
mod snapshot;
mod state;
pub mod status;
pub mod transcript_check;
pub mod transcript_sign;
pub mod verify_cmd;

use crate::display::short;
use crate::error::{Error, Result};
use crate::json::{self, Object};
use crate::keys::Key;
use crate::metadata::{Metadata, Payload, Root, Signed};
/// The one reader of metadata files and the command report, re-exported where commands
/// have always found them.
pub use crate::metadata_file::{read_metadata, read_metadata_with_payload};
use crate::names::{self as names, NameKind, RoleName};
use crate::outcome::{Refusal, Rejection};
pub use crate::output::Report;
use crate::transcript::Transcript;
use crate::verify::{Authorized, ThresholdReport};
pub use lock::Access;
use sha2::{Digest, Sha256};
use snapshot::Snapshot;
pub use snapshot::TranscriptRead;
use state::STATE_FORMAT;
pub use state::{Keyholder, State, STATE_FILE};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A role's file as this command's snapshot parsed it, shared by every reader.
pub type Parsed = Rc<(Metadata, Payload)>;

/// An open ceremony directory: one snapshot of its files, read once and held to the record.
pub struct Ceremony {
    pub dir: PathBuf,
    pub state: State,
    /// "Now", passed in so that everything below is testable with a fixed clock.
    pub now: i64,
    /// The CA certificates device attestations recorded in the transcript are checked
    /// against again ([`evidence`]): Yubico's built in, unless the command was given
    /// `--attestation-ca`.
    pub trust: crate::attest::Trust,
    snapshot: Snapshot,
    /// The folder's lock, held from before the snapshot was read until this is dropped.
    _held: lock::Held,
}

/// One set of signatures a role needs: the keys of one delegating metadata.
#[derive(Clone, Debug)]
pub struct Requirement {
    /// Plain words: "root v2's own root keys", "trusted root v1's root keys".
    pub label: String,
    pub authorized: Authorized,
}

impl Requirement {
    pub fn check(&self, md: &Metadata, payload: &[u8]) -> ThresholdReport {
        self.authorized.check(payload, &md.signatures)
    }
}

/// Refuses to read or write `path` in the ceremony folder `base` through a symbolic link
/// (see [`crate::fsutil::link_below`]). The tool writes beside a file and renames into its folder: through
/// a linked folder (`trusted/` pointing elsewhere) a command would change files outside the
/// ceremony, and a linked file would be read as the ceremony's own while another file it
/// never saw is the one replaced.
pub fn refuse_link_below(base: &Path, path: &Path) -> Result<()> {
    let Some(link) = crate::fsutil::link_below(base, path) else {
        return Ok(());
    };
    Err(Refusal::LinkInFolder {
        target: std::fs::read_link(&link).ok(),
        link,
        dir: base.to_path_buf(),
    }
    .into())
}

/// The ceremony folder `path` would be written in, if any: the nearest folder, at or above
/// what exists of `path` (links resolved), that holds a [`STATE_FILE`].
pub fn ceremony_holding(path: &Path) -> Option<PathBuf> {
    let mut at = path;
    while std::fs::symlink_metadata(at).is_err() {
        match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => at = p,
            _ => {
                at = Path::new(".");
                break;
            }
        }
    }
    let real = std::fs::canonicalize(at).ok()?;
    real.ancestors()
        .find(|a| a.join(STATE_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Refuses to write an output (`what`: an export, a report, a signature file, a key) inside
/// a ceremony folder. The folder holds only the files its record names, each checked
/// against the transcript when a command opens it: a file put there by another command
/// would either be refused at the next command or, in `trusted/`, be taken for the
/// ceremony's own. Outputs go outside it, on the USB stick or beside the folder.
pub fn refuse_output_inside(out: &Path, what: &str) -> Result<()> {
    match ceremony_holding(out) {
        None => Ok(()),
        Some(dir) => Err(Refusal::OutputInsideFolder {
            out: out.to_path_buf(),
            dir,
            what: what.to_string(),
        }
        .into()),
    }
}

/// The SHA-256 of a payload, hex.
pub fn digest_hex(payload: &[u8]) -> String {
    hex::encode(Sha256::digest(payload))
}

/// Reads a public key file: a TUF key object (as `key generate` writes), a securesystemslib
/// key dict (its `keyid` and `keyid_hash_algorithms` are dropped), or an SPKI PEM public
/// key. Only keytype/scheme/keyval are kept, so both keyid conventions agree.
pub fn read_public_key(path: &Path) -> Result<Key> {
    let bytes = crate::fsutil::read_bounded(path, &crate::fsutil::Input::PUBLIC_KEY)?;
    let text = String::from_utf8_lossy(&bytes);
    if text.trim_start().starts_with("-----BEGIN PUBLIC KEY-----") {
        return Key::from_public_pem(&text).ok_or_else(|| {
            Rejection::PemKeyType {
                file: path.to_path_buf(),
            }
            .into()
        });
    }
    let value = json::parse(&bytes).map_err(|e| {
        Error::format(
            path,
            crate::format_error::FormatError::new("$", e.to_string()),
        )
    })?;
    let key = Key::from_value(&value, "$").map_err(|e| Error::format(path, e))?;
    let key = Key {
        extra: Object::new(),
        ..key
    };
    key.material()
        .map_err(|why| Rejection::PublicKeyUnreadable {
            file: path.to_path_buf(),
            why,
        })?;
    Ok(key)
}

/// Parses `NAME=PATH` as given to `--keyholder`.
pub fn split_named(arg: &str, flag: &str) -> Result<(String, PathBuf)> {
    match arg.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            crate::keyfile::check_keyholder_name(name)?;
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => Err(Rejection::NotNamePath {
            flag: flag.to_string(),
            arg: arg.to_string(),
        }
        .into()),
    }
}

impl Ceremony {
    /// Opens an existing ceremony directory as one snapshot held to its record: a file
    /// swapped, restored, removed or added by hand is refused (exit 4), naming it (see
    /// [`record`]).
    ///
    /// `access` says whether the command changes the folder (it is then alone in it) or
    /// only reads it (any number of readers, no writer): see [`lock`].
    pub fn open(dir: &Path, now: i64, access: Access) -> Result<Ceremony> {
        let c = Ceremony::open_for_audit(dir, now, access)?;
        c.held()?;
        Ok(c)
    }

    /// Opens a ceremony directory, creating it (and its state file) if needed. An existing
    /// one is not yet held to its record: `init` and `load` refuse any difference
    /// ([`held`](Self::held)) once they have checked their own input.
    ///
    /// The folder is made (0700) if needed and held alone; a folder this made is removed
    /// again if the command writes nothing into it.
    pub fn open_or_create(dir: &Path, now: i64) -> Result<Ceremony> {
        let held = lock::Held::to_start(dir)?;
        if dir.join(STATE_FILE).exists() {
            return Ceremony::read_folder(dir, now, held);
        }
        // Nothing is written until the command has checked its input: a refused `init` or
        // `load` leaves no half-made ceremony behind. The first write creates the folder.
        Ok(Ceremony {
            dir: dir.to_path_buf(),
            state: State::default(),
            now,
            trust: Default::default(),
            _held: held,
            snapshot: Snapshot {
                bound_state: true,
                ..Snapshot::default()
            },
        })
    }

    /// Creates the ceremony folder (0700, whatever the umask) if this is its first write.
    fn ensure_dir(&self) -> Result<()> {
        crate::fsutil::create_dirs(&self.dir, 0o700)?;
        Ok(())
    }

    /// What `ceremony.json` holds for the current state.
    pub fn state_bytes(&self) -> Vec<u8> {
        self.state.to_bytes()
    }

    pub fn transcript(&self) -> Transcript {
        Transcript::new(&self.dir.join("transcript.jsonl"))
    }

    /// Appends an event to the transcript, stamped with the ceremony's clock.
    pub fn record(&self, event: &impl events::Event) -> Result<()> {
        let line = events::line(event)?;
        self.ensure_dir()?;
        self.transcript()
            .append_all(&crate::time::format_expires(self.now), vec![line])?;
        self.transcript_appended();
        Ok(())
    }

    /// The roles this ceremony signs, in signing order.
    pub fn roles(&self) -> Vec<RoleName> {
        let mut roles = vec![RoleName::ROOT, RoleName::TARGETS];
        roles.extend(self.state.delegated.iter().cloned());
        roles
    }

    /// Whether `role` is one of [`roles`](Self::roles). Only these have files here: on a
    /// case-insensitive disk `Claimed.json` opens `claimed.json`, so a name that is not
    /// one of them is never read or edited as if it were.
    pub fn is_role(&self, role: &RoleName) -> bool {
        *role == RoleName::ROOT || *role == RoleName::TARGETS || self.state.delegated.contains(role)
    }

    pub fn working_path(&self, role: &RoleName) -> PathBuf {
        self.dir.join(role.file_name())
    }

    pub fn trusted_dir(&self) -> PathBuf {
        self.dir.join("trusted")
    }

    pub fn trusted_path(&self, role: &RoleName) -> PathBuf {
        self.trusted_dir().join(role.file_name())
    }

    /// `trusted/N.ROLE.json`: trusted versions are kept by version (every root, and every
    /// role `export` writes or replaces), so a client's update from any earlier root can be
    /// replayed (TUF spec 5.3.4) and the report can show what a ceremony changed after its
    /// export.
    pub fn trusted_versioned_path(&self, role: &RoleName, version: u64) -> PathBuf {
        self.trusted_dir().join(role.versioned_file_name(version))
    }

    /// The working metadata of a role, which must exist.
    pub fn working(&self, role: &RoleName) -> Result<Metadata> {
        Ok(self.working_read(role)?.0.clone())
    }

    /// [`working`](Self::working) as the snapshot holds it, for a caller that only reads it.
    pub fn working_read(&self, role: &RoleName) -> Result<Parsed> {
        self.working_shared(role)?
            .ok_or_else(|| self.no_working(role))
    }

    /// The error for a role with no working metadata.
    pub fn no_working(&self, role: &RoleName) -> Error {
        let roles = self.roles();
        let case_of =
            match names::check_distinct(NameKind::Role, role, roles.iter().map(|r| r.as_str()), "")
            {
                Err(clash) => Some(clash.other),
                Ok(()) => None,
            };
        if case_of.is_none() && !role.is_top_level() && !self.is_role(role) {
            // A delegated role this ceremony does not have: most often a slip of the
            // keyboard, so name the roles it has and the nearest one.
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            let nearest = crate::hints::nearest(role.as_str(), names.iter().copied());
            return Rejection::NoSuchRole {
                role: role.to_string(),
                dir: self.dir.clone(),
                nearest: nearest.map(str::to_string),
                roles: names.iter().map(|n| n.to_string()).collect(),
            }
            .into();
        }
        Rejection::NoWorkingFile {
            role: role.to_string(),
            dir: self.dir.clone(),
            file_name: role.file_name(),
            case_of,
        }
        .into()
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
                return Err(Refusal::KeyOfAnother {
                    keyid: key.keyid(),
                    recorded: existing.name.clone(),
                    name: name.to_string(),
                }
                .into());
            }
            return Ok(());
        }
        names::check_keyholder_distinct(
            name,
            self.state.keyholders.iter().map(|k| k.name.as_str()),
        )?;
        self.state.keyholders.push(Keyholder {
            name: name.to_string(),
            key: Key {
                extra: Object::new(),
                ..key.clone()
            },
        });
        Ok(())
    }

    /// "alice (key 1a2b3c4d…)", "@alice (named in the file; key 1a2b3c4d…)" for a key
    /// the ceremony records no keyholder for but the file names (tuf-on-ci's and RSTUF's
    /// owner fields, [`Key::named_in_file`]), or "an unnamed key 1a2b3c4d…", for showing:
    /// the name is escaped ([`crate::display::escape`]).
    pub fn describe(&self, keyid: &str, key: Option<&Key>) -> String {
        match key.and_then(|k| self.keyholder_of(k)) {
            Some(name) => format!("{} (key {})", crate::display::escape(name), short(keyid)),
            None => match key.and_then(Key::named_in_file) {
                Some(name) => format!(
                    "{} (named in the file; key {})",
                    crate::display::escape(name),
                    short(keyid)
                ),
                None => format!("an unnamed key {}", short(keyid)),
            },
        }
    }

    /// Just the keyholder's name, the name the file gives the key (marked so), or the short
    /// keyid, for showing (escaped). A keyholder recorded with several keys (an old and a
    /// new one, one per role) is shown with the key as well, "alice (key 1a2b3c4d)", so that
    /// a list of who signed and who is missing says which of their keys.
    pub fn who(&self, keyid: &str, key: Option<&Key>) -> String {
        match key.and_then(|k| self.keyholder_of(k)) {
            Some(name)
                if self
                    .state
                    .keyholders
                    .iter()
                    .filter(|k| k.name == name)
                    .nth(1)
                    .is_some() =>
            {
                self.describe(keyid, key)
            }
            Some(name) => crate::display::escape(name).into_owned(),
            None => match key.and_then(Key::named_in_file) {
                Some(name) => format!("{} (named in the file)", crate::display::escape(name)),
                None => format!("key {}", short(keyid)),
            },
        }
    }

    /// What a role's working metadata must be signed by. Root: its own root keys, and for a
    /// rotation also the trusted root's (spec 5.3.4). Targets: root's targets keys. A
    /// delegated role: the keys targets delegates it to.
    pub fn requirements(&self, role: &RoleName, md: &Metadata) -> Result<Vec<Requirement>> {
        match role.as_str() {
            "root" => {
                let root = md.root().ok_or(Rejection::NotOfType {
                    file: "root.json",
                    expected: "root",
                })?;
                let own = root.role("root").ok_or(Rejection::RootLacksRole {
                    whose: "root",
                    role: "root",
                })?;
                let mut reqs = vec![Requirement {
                    label: format!("root v{}'s own root keys", root.common.version),
                    authorized: Authorized::new(&root.keys, &own.keyids, own.threshold),
                }];
                if let Some(trusted) = self.trusted_shared(&RoleName::ROOT)? {
                    let old = trusted.0.root().ok_or(Rejection::NotOfType {
                        file: "trusted/root.json",
                        expected: "root",
                    })?;
                    if old.common.version < root.common.version {
                        let r = old.role("root").ok_or(Rejection::RootLacksRole {
                            whose: "trusted root",
                            role: "root",
                        })?;
                        reqs.push(Requirement {
                            label: format!(
                                "trusted root v{}'s root keys (rotation)",
                                old.common.version
                            ),
                            authorized: Authorized::new(&old.keys, &r.keyids, r.threshold),
                        });
                    }
                }
                Ok(reqs)
            }
            "targets" => {
                let root_md = self.working_read(&RoleName::ROOT)?;
                let root = root_md.0.root().ok_or(Rejection::NotOfType {
                    file: "root.json",
                    expected: "root",
                })?;
                let r = root.role("targets").ok_or(Rejection::RootLacksRole {
                    whose: "root",
                    role: "targets",
                })?;
                Ok(vec![Requirement {
                    label: format!("root v{}'s targets keys", root.common.version),
                    authorized: Authorized::new(&root.keys, &r.keyids, r.threshold),
                }])
            }
            name => {
                let targets_md = self.working_read(&RoleName::TARGETS)?;
                let t = targets_md.0.targets().ok_or(Rejection::NotOfType {
                    file: "targets.json",
                    expected: "targets",
                })?;
                let d = t
                    .delegations
                    .as_ref()
                    .and_then(|d| d.role(name).map(|r| (d, r)))
                    .ok_or_else(|| Refusal::NotDelegated {
                        version: t.common.version,
                        role: name.to_string(),
                    })?;
                Ok(vec![Requirement {
                    label: format!("targets v{}'s delegation to {name}", t.common.version),
                    authorized: Authorized::new(&d.0.keys, &d.1.keyids, d.1.threshold),
                }])
            }
        }
    }

    /// The version an edited role must have: one past the trusted version, set once.
    pub fn next_version(&self, role: &RoleName, current: u64) -> Result<u64> {
        let trusted = self
            .trusted_shared(role)?
            .map(|t| t.0.version())
            .unwrap_or(0);
        if current > trusted {
            return Ok(current);
        }
        // Versions are at most 2^63-1 (what python-tuf and this tool read).
        trusted
            .checked_add(1)
            .filter(|v| *v <= i64::MAX as u64)
            .ok_or_else(|| {
                Refusal::LastVersion {
                    role: role.to_string(),
                    trusted,
                }
                .into()
            })
    }
}

/// Reads a role's file if it exists, checking its `_type` fits the role.
pub(super) fn read_role_file(path: &Path, role: &str) -> Result<Option<(Metadata, Payload)>> {
    if !path.exists() {
        return Ok(None);
    }
    let (md, payload) = read_metadata_with_payload(path)?;
    check_type(&md, role, path)?;
    Ok(Some((md, payload)))
}

/// Checks the `_type` fits the role the file stands for.
pub fn check_type(md: &Metadata, role: &str, path: &Path) -> Result<()> {
    let expected = if role == "root" { "root" } else { "targets" };
    if md.signed.type_name() != expected {
        return Err(Rejection::FileOfOtherType {
            file: path.to_path_buf(),
            found: md.signed.type_name().to_string(),
            role: role.to_string(),
            expected,
        }
        .into());
    }
    Ok(())
}

/// The root role data of a metadata known to be root.
pub fn as_root(md: &Metadata) -> Result<&Root> {
    md.root().ok_or_else(|| {
        Rejection::ExpectedRoot {
            found: md.signed.type_name().to_string(),
        }
        .into()
    })
}

/// Mutable access to the root in a metadata known to be root.
pub fn as_root_mut(md: &mut Metadata) -> Result<&mut Root> {
    match &mut md.signed {
        Signed::Root(r) => Ok(r),
        other => Err(Rejection::ExpectedRoot {
            found: other.type_name().to_string(),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Value;

    fn a_state() -> State {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        State {
            keyholders: vec![Keyholder {
                name: "alice".into(),
                key: Key::ed25519(&key),
            }],
            delegated: vec![RoleName::parse_delegated("claimed").unwrap()],
        }
    }

    /// `ceremony.json` is written byte for byte as the tree writer wrote it before the file
    /// had a struct of its own (sorted members, one-space indent, final newline), so a
    /// ceremony folder does not change by being opened and saved with this version.
    #[test]
    fn the_state_file_keeps_its_bytes() {
        let state = a_state();
        let k = &state.keyholders[0];
        let tree = Value::object(vec![
            ("format", Value::str(STATE_FORMAT)),
            (
                "keyholders",
                Value::Array(vec![Value::object(vec![
                    ("name", Value::str(&k.name)),
                    ("keyid", Value::str(k.key.keyid())),
                    ("key", k.key.to_value()),
                ])]),
            ),
            ("delegated_roles", Value::Array(vec![Value::str("claimed")])),
        ]);
        let bytes = state.to_bytes();
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            String::from_utf8_lossy(&json::pretty(&tree))
        );
        assert_eq!(
            State::from_bytes(&bytes, Path::new("c/ceremony.json")).unwrap(),
            state
        );
        let empty = State::default().to_bytes();
        assert_eq!(
            String::from_utf8_lossy(&empty),
            "{\n \"delegated_roles\": [],\n \"format\": \"tuf-ceremony-directory/2\",\n \"keyholders\": []\n}\n"
        );
    }

    /// A keyholder's attestation copy, which earlier versions wrote, still reads (so their
    /// folders open) and is dropped at the next save: only the transcript says whether a
    /// key is attested.
    #[test]
    fn an_old_attestation_copy_is_read_and_not_written_again() {
        let state = a_state();
        let text = String::from_utf8(state.to_bytes()).unwrap();
        assert!(!text.contains("attestation"), "{text}");
        let old = text.replace(
            "\"key\": {",
            "\"attestation\": {\"status\": \"verified\", \"serial\": 1},\n   \"key\": {",
        );
        assert_ne!(old, text);
        let back = State::from_bytes(old.as_bytes(), Path::new("c/ceremony.json")).unwrap();
        assert_eq!(back, state);
        assert_eq!(String::from_utf8(back.to_bytes()).unwrap(), text);
    }

    /// A member this tool does not write is refused, naming the file and the member: the
    /// next save would otherwise drop it without a word.
    #[test]
    fn an_unknown_member_of_the_state_file_is_refused() {
        let text = String::from_utf8(a_state().to_bytes()).unwrap();
        for (edited, member) in [
            (text.replacen("{", "{\n \"extra\": 1,", 1), "extra"),
            (
                text.replacen(
                    "\"name\": \"alice\"",
                    "\"name\": \"alice\", \"pin\": \"x\"",
                    1,
                ),
                "pin",
            ),
        ] {
            let e = State::from_bytes(edited.as_bytes(), Path::new("c/ceremony.json")).unwrap_err();
            let said = e.to_string();
            assert_eq!(e.exit_code(), 3, "{said}");
            assert!(said.starts_with("c/ceremony.json: "), "{said}");
            assert!(
                said.contains(&format!("unknown field `{member}`")),
                "{said}"
            );
        }
    }

    /// A duplicate member inside a keyholder's key is refused (the strict reader runs
    /// before the struct is filled), naming where it is.
    #[test]
    fn a_duplicate_member_in_a_state_file_key_is_refused() {
        let text = String::from_utf8(a_state().to_bytes()).unwrap();
        let edited = text.replacen(
            "\"keytype\": \"ed25519\"",
            "\"keytype\": \"ed25519\", \"keytype\": \"rsa\"",
            1,
        );
        assert_ne!(edited, text);
        let said = State::from_bytes(edited.as_bytes(), Path::new("c/ceremony.json"))
            .unwrap_err()
            .to_string();
        assert!(said.starts_with("c/ceremony.json: "), "{said}");
        assert!(said.contains("\"keytype\" appears twice"), "{said}");
    }

    /// After a trusted root at the largest version a reader accepts, an edit must be refused
    /// rather than write version 2^63, which no later command (nor any client) could read.
    #[test]
    fn no_version_past_the_largest_readable_one_is_made() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("trusted")).unwrap();
        let root = format!(
            r#"{{"signatures":[],"signed":{{"_type":"root","consistent_snapshot":true,"expires":"2030-01-01T00:00:00Z","keys":{{}},"roles":{{"root":{{"keyids":[],"threshold":1}},"snapshot":{{"keyids":[],"threshold":1}},"targets":{{"keyids":[],"threshold":1}},"timestamp":{{"keyids":[],"threshold":1}}}},"spec_version":"1.0.31","version":{}}}}}"#,
            i64::MAX
        );
        std::fs::write(dir.path().join("trusted/root.json"), root).unwrap();
        let c = Ceremony::unrecorded(dir.path(), State::default(), 0);
        assert_eq!(
            c.trusted(&RoleName::ROOT).unwrap().unwrap().version(),
            i64::MAX as u64
        );
        let e = c.next_version(&RoleName::ROOT, 5).unwrap_err();
        assert_eq!(e.exit_code(), 4);
        assert!(
            e.to_string().contains("the largest a TUF version can be"),
            "{e}"
        );
        assert_eq!(c.next_version(&RoleName::TARGETS, 5).unwrap(), 5);
    }

    /// The trusted roots kept in `trusted/` are checked as a chain by the rotation rule
    /// (TUF spec 5.3.4): a v2 that v1's root keys did not sign is named, with the count of
    /// v1's signatures; a v2 signed by both v1's and its own keys holds.
    #[test]
    fn a_trusted_root_not_signed_by_the_one_before_is_named() {
        use ed25519_dalek::Signer as _;
        let keyholder = |seed: u8| {
            let sk = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
            let key = Key::ed25519(&sk.verifying_key());
            (sk, key)
        };
        let root = |version: u64, key: &Key| {
            let id = key.keyid();
            let text = format!(
                r#"{{"signatures":[],"signed":{{"_type":"root","consistent_snapshot":true,"expires":"2030-01-01T00:00:00Z","keys":{{"{id}":{}}},"roles":{{"root":{{"keyids":["{id}"],"threshold":1}},"snapshot":{{"keyids":["{id}"],"threshold":1}},"targets":{{"keyids":["{id}"],"threshold":1}},"timestamp":{{"keyids":["{id}"],"threshold":1}}}},"spec_version":"1.0.31","version":{version}}}}}"#,
                json::compact(&key.to_value())
            );
            Metadata::from_bytes(text.as_bytes()).unwrap()
        };
        let signed = |mut md: Metadata, by: &[&(ed25519_dalek::SigningKey, Key)]| {
            let payload = md.payload();
            for (sk, key) in by {
                md.signatures.push(crate::metadata::Signature {
                    keyid: key.keyid(),
                    sig: hex::encode(sk.sign(&payload).to_bytes()),
                    extra: Object::new(),
                });
            }
            md.to_file_bytes()
        };
        let (a, b) = (keyholder(1), keyholder(2));
        for (v2_signers, holds) in [(vec![&b], false), (vec![&a, &b], true)] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join("trusted")).unwrap();
            let v1 = signed(root(1, &a.1), &[&a]);
            let v2 = signed(root(2, &b.1), &v2_signers);
            std::fs::write(dir.path().join("trusted/1.root.json"), &v1).unwrap();
            std::fs::write(dir.path().join("trusted/2.root.json"), &v2).unwrap();
            std::fs::write(dir.path().join("trusted/root.json"), &v2).unwrap();
            let c = Ceremony::unrecorded(dir.path(), State::default(), 0);
            let problems = c.trusted_root_problems().unwrap();
            if holds {
                assert!(problems.is_empty(), "{problems:?}");
            } else {
                assert_eq!(problems.len(), 1, "{problems:?}");
                assert!(
                    problems[0].contains("v2")
                        && problems[0].contains("0 of 1 signatures of trusted root v1's root keys"),
                    "{problems:?}"
                );
            }
        }
    }
}
