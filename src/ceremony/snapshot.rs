//! The folder as one command sees it: every file read once at open, held to what the
//! transcript records for it (see [`super::record`]), and each metadata file parsed at most
//! once. This is the second `impl Ceremony` block: opening a folder for audit, reading the
//! snapshot, finishing a write a crash left undone, holding files to the record, and noting
//! what a commit wrote.

use super::lock::{Access, Held};
use super::{
    as_root, check_type, digest_hex, json, policy, read_role_file, record, Ceremony, Error,
    Metadata, Parsed, Payload, Result, RoleName, Root, State, STATE_FILE, STATE_FORMAT,
};
use crate::json::Value;
use crate::transcript::Entry;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The folder's files as the command found them (each read once), the record they are held
/// to, and each metadata file parsed at most once.
#[derive(Default)]
pub(super) struct Snapshot {
    /// The bytes of every file of the folder, by path relative to it.
    pub(super) files: RefCell<BTreeMap<String, Rc<Vec<u8>>>>,
    /// Metadata parsed from `files`, by the same name.
    pub(super) parsed: RefCell<HashMap<String, Parsed>>,
    /// What the transcript records for each file.
    pub(super) record: RefCell<record::Record>,
    /// Whether `ceremony.json` says the folder is bound by its record (format `/2`).
    pub(super) bound_state: bool,
    /// The files that differ from the record, found at open.
    pub(super) mismatches: Vec<record::Mismatch>,
    /// The transcript, read and chain-checked once; dropped when this command appends to
    /// it, so that what is read after a write is the transcript as written.
    pub(super) transcript: RefCell<Option<Rc<TranscriptRead>>>,
}

/// The transcript as a command read it: its bytes, its checked lines and its head.
pub struct TranscriptRead {
    /// Whether the file exists at all.
    pub present: bool,
    pub bytes: Vec<u8>,
    pub entries: Vec<Entry>,
    /// The SHA-256 of the last line ([`crate::transcript::GENESIS`] when there is none).
    pub head: String,
}

/// The SHA-256 of every file. A file whose bytes equal an earlier one's (after an export,
/// `claimed.json`, `trusted/claimed.json` and `trusted/N.claimed.json` are one content) is
/// held once and hashed once: its bytes are compared in full, and equal bytes have the
/// same digest.
fn digests_of(files: &mut BTreeMap<String, Rc<Vec<u8>>>) -> BTreeMap<String, String> {
    let mut seen: Vec<(Rc<Vec<u8>>, String)> = Vec::new();
    let mut digests = BTreeMap::new();
    for (name, bytes) in files.iter_mut() {
        let same = seen
            .iter()
            .find(|(b, _)| b.len() == bytes.len() && b.as_slice() == bytes.as_slice());
        let digest = match same {
            Some((b, d)) => {
                *bytes = Rc::clone(b);
                d.clone()
            }
            None => {
                let d = digest_hex(bytes);
                seen.push((Rc::clone(bytes), d.clone()));
                d
            }
        };
        digests.insert(name.clone(), digest);
    }
    digests
}

impl Ceremony {
    /// Opens a ceremony directory without refusing what differs from the record, for the
    /// commands that examine it (`transcript show`, `transcript verify`): they report each
    /// difference ([`mismatches`](Self::mismatches)) instead.
    ///
    /// The folder is held (`access`) before anything in it is read, until the returned
    /// ceremony is dropped.
    pub fn open_for_audit(dir: &Path, now: i64, access: Access) -> Result<Ceremony> {
        let held = Held::existing(dir, access)?;
        Ceremony::read_folder(dir, now, held)
    }

    /// Reads the folder held by `held` as one snapshot, without holding it to the record.
    pub(super) fn read_folder(dir: &Path, now: i64, held: Held) -> Result<Ceremony> {
        let path = dir.join(STATE_FILE);
        let Some(bytes) = crate::fsutil::read_bounded_opt(&path, &crate::fsutil::Input::STATE)?
        else {
            // Run one folder too high, `-C` forgotten: name the ceremony folders here.
            let inside = crate::hints::ceremony_folders(dir, STATE_FILE);
            if let Some(first) = inside.first() {
                let here = if dir == Path::new(".") {
                    "this folder".to_string()
                } else {
                    dir.display().to_string()
                };
                return Err(Error::Invalid(format!(
                    "{here} is not a ceremony folder (no {STATE_FILE}); it holds ceremony folders {}: add -C {}",
                    inside.join(", "),
                    if dir == Path::new(".") {
                        PathBuf::from(first)
                    } else {
                        dir.join(first)
                    }
                    .display()
                )));
            }
            return Err(Error::Invalid(format!(
                "{} is not a ceremony directory (no {STATE_FILE}). Start one with `tuf-ceremony -C {} init …` or `load …`",
                dir.display(),
                dir.display()
            )));
        };
        let state = State::from_bytes(&bytes, &path)?;
        let bound_state = json::parse(&bytes)
            .ok()
            .and_then(|v| {
                v.get("format")
                    .and_then(Value::as_str)
                    .map(|f| f == STATE_FORMAT)
            })
            .unwrap_or(false);
        let mut c = Ceremony {
            dir: dir.to_path_buf(),
            state,
            now,
            trust: Default::default(),
            _held: held,
            snapshot: Snapshot {
                bound_state,
                ..Snapshot::default()
            },
        };
        // The folder's own files and folders only, never through a symbolic link (see
        // `super::refuse_link_below`): checked once here for every command, and again
        // by every write.
        let fixed = [STATE_FILE, policy::FILE, "transcript.jsonl"].map(|n| dir.join(n));
        for role in c.roles() {
            for path in [c.working_path(&role), c.trusted_path(&role)] {
                super::refuse_link_below(dir, &path)?;
            }
        }
        for path in fixed {
            super::refuse_link_below(dir, &path)?;
        }
        c.read_snapshot(bytes)?;
        Ok(c)
    }

    /// A ceremony over `dir` as it is, not held to any record: for unit tests that build a
    /// folder by hand.
    #[cfg(test)]
    pub(crate) fn unrecorded(dir: &Path, state: State, now: i64) -> Ceremony {
        let mut c = Ceremony {
            dir: dir.to_path_buf(),
            state,
            now,
            trust: Default::default(),
            _held: Held::none(dir),
            snapshot: Snapshot::default(),
        };
        let bytes = c.state_bytes();
        c.read_snapshot(bytes).expect("the folder reads");
        c.snapshot.mismatches.clear();
        c
    }

    /// Reads every file of the folder once (the state file's bytes are given), folds the
    /// transcript's record, finishes a write the transcript records but a crash left
    /// undone, and notes each file that differs from the record.
    fn read_snapshot(&mut self, state_bytes: Vec<u8>) -> Result<()> {
        let transcript = self.transcript_read()?;
        let missing_transcript = !transcript.present;
        let record = record::Record::from_entries(&transcript.entries);
        let (known, odd) = self.known_files()?;
        let mut names: Vec<String> = known.clone();
        names.extend(record.files.keys().cloned());
        names.sort();
        names.dedup();
        let mut files = BTreeMap::new();
        files.insert(STATE_FILE.to_string(), Rc::new(state_bytes));
        for name in &names {
            if name == STATE_FILE {
                continue;
            }
            let path = self.dir.join(name);
            let input = if name == policy::FILE {
                &policy::INPUT
            } else {
                &crate::fsutil::Input::METADATA
            };
            if let Some(bytes) = crate::fsutil::read_bounded_opt(&path, input)? {
                files.insert(name.clone(), Rc::new(bytes));
            }
        }
        let mut digests = digests_of(&mut files);
        if record.started {
            self.finish_interrupted(&record, &mut files, &mut digests)?;
        }
        let mut mismatches = odd;
        if missing_transcript {
            // Every command that makes a folder writes its first transcript line: a folder
            // without one lost it.
            mismatches.push(record::Mismatch::odd(
                "transcript.jsonl: missing; every ceremony folder has one from its first command. Put it back from the ceremony's backup".to_string(),
            ));
        }
        if record.started {
            mismatches.extend(record::compare(&record, &digests, &known));
            // A delegated role the state lists has a working file the record holds.
            for role in &self.state.delegated {
                let name = role.file_name();
                if record.sha256(&name).is_none() && !mismatches.iter().any(|m| m.file == name) {
                    mismatches.push(record::Mismatch::odd(format!(
                        "{name}: ceremony.json lists the role {}, but the record holds no {name}",
                        crate::display::escape(role)
                    )));
                }
            }
        } else if self.snapshot.bound_state && !missing_transcript {
            mismatches.push(record::Mismatch {
                file: "transcript.jsonl: it records none of the folder's files, but ceremony.json says the folder is bound by its record; the transcript was removed or replaced by an older copy".into(),
                recorded: None,
                found: None,
                seq: None,
            });
        }
        self.snapshot.files = RefCell::new(files);
        self.snapshot.record = RefCell::new(record);
        self.snapshot.mismatches = mismatches;
        Ok(())
    }

    /// The files this folder may hold: its state file, its policy, each role's working file
    /// and every file in `trusted/` (the temporary files of a write in progress aside).
    fn known_files(&self) -> Result<(Vec<String>, Vec<record::Mismatch>)> {
        let mut known = vec![STATE_FILE.to_string(), policy::FILE.to_string()];
        known.extend(self.roles().iter().map(|r| r.file_name()));
        let mut odd = Vec::new();
        let trusted = self.trusted_dir();
        match std::fs::read_dir(&trusted) {
            Ok(entries) => {
                for e in entries {
                    let e =
                        e.map_err(|e| crate::fsutil::FsError::new("cannot list", &trusted, e))?;
                    // Only regular files with names the record can hold belong here: a
                    // folder, a link (even a dangling one) or a name that is not UTF-8 was
                    // put there by hand, and is refused rather than skipped or misread.
                    let regular = std::fs::symlink_metadata(e.path())
                        .map(|m| m.file_type().is_file())
                        .unwrap_or(false);
                    let Some(name) = e.file_name().to_str().map(str::to_string) else {
                        odd.push(record::Mismatch::odd(format!(
                            "trusted/{}: a name that is not UTF-8, put there by hand",
                            e.file_name().to_string_lossy()
                        )));
                        continue;
                    };
                    if is_temporary(&name) && regular {
                        continue;
                    }
                    if !regular {
                        odd.push(record::Mismatch::odd(format!(
                            "trusted/{}: not a regular file (a folder, a link or a device), put there by hand",
                            crate::display::escape(&name)
                        )));
                        continue;
                    }
                    known.push(format!("trusted/{name}"));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(crate::fsutil::FsError::new("cannot list", &trusted, e).into()),
        }
        Ok((known, odd))
    }

    /// A command killed after its transcript lines were appended and before all its files
    /// were renamed into place leaves each such file's new bytes in a temporary file beside
    /// it. A file whose recorded digest is that of such a temporary file is put in place
    /// now: the folder only moves towards what the record says.
    fn finish_interrupted(
        &self,
        record: &record::Record,
        files: &mut BTreeMap<String, Rc<Vec<u8>>>,
        digests: &mut BTreeMap<String, String>,
    ) -> Result<()> {
        // Only a file still as the record held it before its last recorded write (or still
        // absent, for a new one): anything else was changed by hand and is refused below,
        // never overwritten.
        let behind: Vec<(String, String)> = record
            .files
            .iter()
            .filter_map(|(n, r)| {
                let want = r.sha256.as_ref()?;
                let found = digests.get(n);
                (found != Some(want) && found == r.previous.as_ref())
                    .then(|| (n.clone(), want.clone()))
            })
            .collect();
        if behind.is_empty() {
            return Ok(());
        }
        let mut temps: Vec<(PathBuf, String)> = Vec::new();
        for folder in [self.dir.clone(), self.trusted_dir()] {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for e in entries.flatten() {
                if is_temporary(&e.file_name().to_string_lossy()) {
                    if let Ok(bytes) = crate::fsutil::read(&e.path()) {
                        temps.push((e.path(), digest_hex(&bytes)));
                    }
                }
            }
        }
        for (name, want) in behind {
            let target = self.dir.join(&name);
            // Two files may hold the same bytes (`trusted/root.json` and its versioned
            // copy): each temporary file is put in place once.
            let Some(i) = temps
                .iter()
                .position(|(p, d)| *d == want && p.parent() == target.parent())
            else {
                continue;
            };
            let (temp, _) = temps.remove(i);
            let temp = &temp;
            match std::fs::rename(temp, &target) {
                Ok(()) => {}
                // Another command reading the folder finished it first.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(
                        crate::fsutil::FsError::new("cannot finish writing", &target, e).into(),
                    )
                }
            }
            eprintln!(
                "warning: {}: the command recorded at the end of the transcript was interrupted before this file was in place; it is put in place now, as recorded (SHA-256 {want})",
                crate::display::path(&target)
            );
            if let Some(bytes) =
                crate::fsutil::read_bounded_opt(&target, &crate::fsutil::Input::METADATA)?
            {
                digests.insert(name.clone(), digest_hex(&bytes));
                files.insert(name, Rc::new(bytes));
            }
        }
        Ok(())
    }

    /// The files that differ from the record (empty when the folder is held).
    pub fn mismatches(&self) -> &[record::Mismatch] {
        &self.snapshot.mismatches
    }

    /// Refuses a folder that differs from its record, naming every difference.
    pub fn held(&self) -> Result<()> {
        if self.snapshot.mismatches.is_empty() {
            return Ok(());
        }
        Err(record::refusal(&self.dir, &self.snapshot.mismatches))
    }

    /// [`held`](Self::held), except for the named files, which the command replaces and
    /// records.
    pub fn held_except_files(&self, replaced: &[String]) -> Result<()> {
        let left: Vec<record::Mismatch> = self
            .snapshot
            .mismatches
            .iter()
            .filter(|m| !replaced.contains(&m.file))
            .cloned()
            .collect();
        if left.is_empty() {
            return Ok(());
        }
        Err(record::refusal(&self.dir, &left))
    }

    /// [`held`](Self::held), except for the working files of `roles` that were moved out
    /// of the folder: `load` brings in a new version of a role whose working file was moved
    /// away on purpose. A file changed in place is still refused: what is loaded is never
    /// compared with a file changed by hand.
    pub fn held_except_moved_away(&self, roles: &[RoleName]) -> Result<()> {
        let names: Vec<String> = roles.iter().map(|r| r.file_name()).collect();
        let left: Vec<record::Mismatch> = self
            .snapshot
            .mismatches
            .iter()
            .filter(|m| !(names.contains(&m.file) && m.found.is_none() && m.recorded.is_some()))
            .cloned()
            .collect();
        if left.is_empty() {
            return Ok(());
        }
        Err(record::refusal(&self.dir, &left))
    }

    /// Whether the folder is bound by its record (its transcript records its files). A
    /// folder written by an earlier version is bound from its next recorded change.
    pub fn is_bound(&self) -> bool {
        self.snapshot.record.borrow().started
    }

    /// Every trusted root verified from the first one kept by the rotation rule (TUF spec
    /// 5.3.4: each version exactly one more, signed by a threshold of the previous root's
    /// root keys and of its own), and `trusted/root.json` the last of them. The problems
    /// found, in words; empty when the chain holds. The first trusted root is the anchor:
    /// it was published before this ceremony, or checked when it was loaded.
    pub fn trusted_root_problems(&self) -> Result<Vec<String>> {
        let mut versions: Vec<u64> = self
            .snapshot
            .files
            .borrow()
            .keys()
            .filter_map(|n| {
                n.strip_prefix("trusted/")?
                    .strip_suffix(".root.json")?
                    .parse()
                    .ok()
            })
            .collect();
        versions.sort_unstable();
        let mut problems = Vec::new();
        let mut prev: Option<(u64, Root)> = None;
        for v in versions {
            let Some(md) = self.trusted_version(&RoleName::ROOT, v)? else {
                continue;
            };
            let root = as_root(&md)?.clone();
            if let Some((pv, old)) = &prev {
                let r = crate::verify::verify_root(&md, Some(old));
                if !r.ok() {
                    let mut why = r.problems.clone();
                    if let Some(t) = &r.previous {
                        if !t.met() {
                            why.push(format!(
                                "{} of {} signatures of trusted root v{pv}'s root keys",
                                t.counted.len(),
                                t.threshold
                            ));
                        }
                    }
                    if !r.own.met() {
                        why.push(format!(
                            "{} of {} signatures of its own root keys",
                            r.own.counted.len(),
                            r.own.threshold
                        ));
                    }
                    problems.push(format!(
                        "trusted/{}: trusted root v{v} does not follow v{pv} by the rotation rule (TUF spec 5.3.4): {}",
                        RoleName::ROOT.versioned_file_name(v),
                        why.join("; ")
                    ));
                }
            }
            prev = Some((v, root));
        }
        if let (Some((last, _)), Some(latest)) = (&prev, self.trusted(&RoleName::ROOT)?) {
            if latest.version() != *last {
                problems.push(format!(
                    "trusted/root.json is v{}, but the last trusted root kept is trusted/{}",
                    latest.version(),
                    RoleName::ROOT.versioned_file_name(*last)
                ));
            }
        }
        Ok(problems)
    }

    /// The SHA-256 the record holds for one of the folder's files (`None`: no such file, or
    /// recorded as removed).
    pub fn recorded_sha256(&self, name: &str) -> Option<String> {
        self.snapshot
            .record
            .borrow()
            .sha256(name)
            .map(str::to_string)
    }

    /// The bytes of one of the folder's files as the snapshot holds them.
    pub fn held_bytes(&self, name: &str) -> Option<Rc<Vec<u8>>> {
        self.snapshot.files.borrow().get(name).cloned()
    }

    /// Metadata already parsed from a file of this command's snapshot whose bytes are
    /// exactly `bytes`. After an export the folder holds one file up to three times (the
    /// working `claimed.json`, `trusted/claimed.json` and `trusted/N.claimed.json`), and
    /// parsing is a function of the bytes alone, so each distinct content is parsed once.
    /// Equality is of the bytes themselves, not of a digest.
    pub(super) fn parsed_same_bytes(&self, bytes: &Rc<Vec<u8>>) -> Option<Parsed> {
        let files = self.snapshot.files.borrow();
        let parsed = self.snapshot.parsed.borrow();
        parsed.iter().find_map(|(name, pair)| {
            let other = files.get(name)?;
            (Rc::ptr_eq(other, bytes) || other.as_slice() == bytes.as_slice()).then(|| pair.clone())
        })
    }

    /// The file names and digests the first recorded write of an unbound folder records
    /// besides its own: every file found.
    pub(crate) fn unrecorded_files(&self) -> Vec<(String, String)> {
        if self.is_bound() {
            return Vec::new();
        }
        self.snapshot
            .files
            .borrow()
            .iter()
            .map(|(n, b)| (n.clone(), digest_hex(b)))
            .collect()
    }

    /// The transcript, read and its hash chain checked once per command (the folder is
    /// held, so nobody else appends meanwhile): every reader in the command uses these
    /// bytes and lines. A broken chain is refused here, naming the line.
    pub fn transcript_read(&self) -> Result<Rc<TranscriptRead>> {
        if let Some(t) = self.snapshot.transcript.borrow().as_ref() {
            return Ok(Rc::clone(t));
        }
        let file = self.transcript();
        let bytes = file.read_bytes()?;
        let present = bytes.is_some();
        let bytes = bytes.unwrap_or_default();
        let (entries, head) = file.check(&bytes)?;
        let read = Rc::new(TranscriptRead {
            present,
            bytes,
            entries,
            head,
        });
        *self.snapshot.transcript.borrow_mut() = Some(Rc::clone(&read));
        Ok(read)
    }

    /// This command appended to the transcript: the next read takes it as written.
    pub fn transcript_appended(&self) {
        self.snapshot.transcript.borrow_mut().take();
    }

    /// After a commit: the snapshot holds what was written, and the record what was noted.
    pub(crate) fn committed(&self, written: Vec<(String, Option<Rc<Vec<u8>>>)>, seq: u64) {
        self.transcript_appended();
        let mut files = self.snapshot.files.borrow_mut();
        let mut parsed = self.snapshot.parsed.borrow_mut();
        let mut record = self.snapshot.record.borrow_mut();
        for (name, bytes) in written {
            parsed.remove(&name);
            match bytes {
                Some(b) => {
                    record.note(&name, Some(digest_hex(&b)), seq);
                    files.insert(name, b);
                }
                None => {
                    record.note(&name, None, seq);
                    files.remove(&name);
                }
            }
        }
    }
}

/// Whether a file name is one of the temporary files a write makes beside its target.
fn is_temporary(name: &str) -> bool {
    name.starts_with(".tuf-ceremony-") && name.ends_with(".tmp")
}

/// Each role's metadata as this command's snapshot holds it: parsed once per distinct
/// content, shared by every reader.
impl Ceremony {
    /// A trusted version of a role (`trusted/N.ROLE.json`), from the snapshot.
    pub fn trusted_version(&self, role: &RoleName, version: u64) -> Result<Option<Metadata>> {
        Ok(self
            .read_role(&self.trusted_versioned_path(role, version), role)?
            .map(|p| p.0.clone()))
    }

    /// A role's working metadata, if the directory has it.
    pub fn working_opt(&self, role: &RoleName) -> Result<Option<Metadata>> {
        Ok(self.working_shared(role)?.map(|p| p.0.clone()))
    }

    /// [`working_opt`](Self::working_opt) with the payload its signatures cover.
    pub fn working_with_payload(&self, role: &RoleName) -> Result<Option<(Metadata, Payload)>> {
        Ok(self.working_shared(role)?.map(|p| (*p).clone()))
    }

    /// [`working_with_payload`](Self::working_with_payload) as the snapshot holds it, for a
    /// caller that only reads it: a claimed role of 100,000 projects is not copied.
    pub fn working_shared(&self, role: &RoleName) -> Result<Option<Parsed>> {
        self.read_role(&self.working_path(role), role)
    }

    /// The working metadata of `role` to change, taken out of this command's snapshot
    /// (`parsed` is what [`working_shared`](Self::working_shared) gave): the file is about
    /// to be rewritten, so the snapshot lets go of its copy and a claimed role of 100,000
    /// projects is not copied when nothing else holds it.
    pub fn take_working(&self, role: &RoleName, parsed: Parsed) -> Metadata {
        if let Ok(rel) = self.working_path(role).strip_prefix(&self.dir) {
            let name = rel.to_string_lossy().to_string();
            let mut cache = self.snapshot.parsed.borrow_mut();
            if cache.get(&name).is_some_and(|p| Rc::ptr_eq(p, &parsed)) {
                cache.remove(&name);
            }
        }
        match Rc::try_unwrap(parsed) {
            Ok((md, _)) => md,
            Err(shared) => shared.0.clone(),
        }
    }

    /// The last published (trusted) version of a role, if recorded.
    pub fn trusted(&self, role: &RoleName) -> Result<Option<Metadata>> {
        Ok(self.trusted_shared(role)?.map(|p| p.0.clone()))
    }

    /// [`trusted`](Self::trusted) with the payload its signatures cover.
    pub fn trusted_with_payload(&self, role: &RoleName) -> Result<Option<(Metadata, Payload)>> {
        Ok(self.trusted_shared(role)?.map(|p| (*p).clone()))
    }

    /// [`trusted_with_payload`](Self::trusted_with_payload) as the snapshot holds it.
    pub fn trusted_shared(&self, role: &RoleName) -> Result<Option<Parsed>> {
        self.read_role(&self.trusted_path(role), role)
    }

    /// A role's file, if `role` is one of this ceremony's ([`is_role`](Self::is_role)), from
    /// the snapshot: parsed once per command, whoever asks.
    fn read_role(&self, path: &Path, role: &RoleName) -> Result<Option<Parsed>> {
        if !self.is_role(role) {
            return Ok(None);
        }
        let name = match path.strip_prefix(&self.dir) {
            Ok(rel) => rel.to_string_lossy().to_string(),
            Err(_) => return Ok(read_role_file(path, role)?.map(Rc::new)),
        };
        if let Some(hit) = self.snapshot.parsed.borrow().get(&name) {
            return Ok(Some(Rc::clone(hit)));
        }
        let Some(bytes) = self.held_bytes(&name) else {
            return Ok(None);
        };
        let pair = match self.parsed_same_bytes(&bytes) {
            Some(pair) => pair,
            None => {
                let loaded =
                    Metadata::load(bytes.as_ref().clone()).map_err(|e| Error::format(path, e))?;
                Rc::new((loaded.metadata, loaded.payload))
            }
        };
        check_type(&pair.0, role, path)?;
        self.snapshot
            .parsed
            .borrow_mut()
            .insert(name, Rc::clone(&pair));
        Ok(Some(pair))
    }
}
