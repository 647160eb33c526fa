//! All of one command's writes, prepared before any is made.
//!
//! A command that changes several files (an edit and the state file; a move of projects and
//! the files for the online side; an export and the trusted copies) must not stop half way
//! with some changed and an error: a retry could then be refused for what the first attempt
//! left behind. So each file is first written in full beside its target and flushed to disk,
//! every folder it needs is made, every metadata file is read back as the reader would, and
//! only when all of that has succeeded are the transcript lines appended (one atomic write)
//! and the files renamed into place. Anything that fails before that point removes what was
//! prepared, leaving every file as it was.
//!
//! The renames at the end cannot run out of space and are each atomic; a power cut among
//! them leaves each file old or new, with the transcript already saying what the command
//! did, and the command can be run again.

use super::Ceremony;
use crate::error::{Error, Result};
use crate::fsutil::Prepared;
use crate::json::Value;
use crate::metadata::Metadata;
use crate::names::RoleName;
use crate::outcome::Refusal;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The writes of one command, not yet made.
#[must_use = "nothing is written until commit()"]
pub struct Pending<'c> {
    ceremony: &'c Ceremony,
    /// The command's name for its crash points (`edit:after-transcript`).
    name: &'static str,
    files: Vec<Prepared>,
    /// The ceremony folder's files this command writes (their bytes) or removes (`None`),
    /// by name relative to the folder: the `files` event records them (see
    /// [`super::record`]).
    folder_files: Vec<(String, Option<Rc<Vec<u8>>>)>,
    /// Files removed at commit, after the renames.
    removals: Vec<PathBuf>,
    events: Vec<(String, Vec<(String, Value)>)>,
    /// Folders made for the prepared files, removed again if the command does not commit.
    made_dirs: Vec<PathBuf>,
    committed: bool,
}

impl<'c> Pending<'c> {
    pub fn new(ceremony: &'c Ceremony, name: &'static str) -> Pending<'c> {
        Pending {
            ceremony,
            name,
            files: Vec::new(),
            folder_files: Vec::new(),
            removals: Vec::new(),
            events: Vec::new(),
            made_dirs: Vec::new(),
            committed: false,
        }
    }

    /// Makes `dir` (and its parents) with `mode` if missing; removed again unless the
    /// command commits.
    pub fn folder(&mut self, dir: &Path, mode: u32) -> Result<()> {
        let made = crate::fsutil::create_dirs(dir, mode)?;
        self.made_dirs.extend(made);
        Ok(())
    }

    /// The ceremony folder itself (0700: it is the keyholders' working record), with its
    /// transcript, which every commit appends to, never a symbolic link.
    fn ceremony_folder(&mut self) -> Result<()> {
        let dir = self.ceremony.dir.clone();
        super::refuse_link_below(&dir, self.ceremony.transcript().path())?;
        self.folder(&dir, 0o700)
    }

    /// The name of `path` relative to the ceremony folder, when it is one of the folder's
    /// files (at its top or in `trusted/`).
    fn folder_name(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.ceremony.dir).ok()?;
        let name = rel.to_str()?.to_string();
        super::record::is_folder_name(&name).then_some(name)
    }

    /// Replaces (or creates) `path` with `bytes`.
    pub fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.ensure_parent(path)?;
        if let Some(name) = self.folder_name(path) {
            self.folder_files.retain(|(n, _)| *n != name);
            self.folder_files
                .push((name, Some(Rc::new(bytes.to_vec()))));
        }
        let mut fill = |emit: crate::fsutil::Sink<'_>| emit(bytes);
        self.files
            .push(crate::fsutil::prepare_atomic_with(path, &mut fill)?);
        Ok(())
    }

    /// Removes one of the ceremony folder's files at commit, recording its removal.
    pub fn remove(&mut self, path: &Path) -> Result<()> {
        if let Some(name) = self.folder_name(path) {
            self.folder_files.retain(|(n, _)| *n != name);
            self.folder_files.push((name, None));
        }
        self.removals.push(path.to_path_buf());
        Ok(())
    }

    /// Creates `path`, which must not exist (it is refused if it appears before commit).
    pub fn write_new(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        match self.folder_name(path) {
            Some(name) => self
                .folder_files
                .push((name, Some(Rc::new(bytes.to_vec())))),
            None => super::refuse_output_inside(path, "a file made for outside the ceremony")?,
        }
        self.ensure_parent(path)?;
        let prepared = crate::fsutil::prepare_new(path, bytes, 0o644).map_err(|e| {
            crate::error::unless_exists(e, || Refusal::NeverOverwritten {
                file: path.to_path_buf(),
            })
        })?;
        self.files.push(prepared);
        Ok(())
    }

    /// Writes a metadata file, after checking that what is written is exactly what the
    /// reader accepts: a value the tool writes must be one it can read back (an expiry past
    /// year 9999 or a version past 2^63-1 would lock every later command out of the folder).
    pub fn metadata(&mut self, path: &Path, md: &Metadata) -> Result<()> {
        self.metadata_to(&[path], md)
    }

    /// [`metadata`](Self::metadata) for one metadata written to several files (a root and
    /// its versioned copy): written and read back once.
    pub fn metadata_to(&mut self, paths: &[&Path], md: &Metadata) -> Result<()> {
        let bytes = md.to_file_bytes();
        if let Some(first) = paths.first() {
            readable(first, &bytes)?;
        }
        for path in paths {
            self.write(path, &bytes)?;
        }
        Ok(())
    }

    /// A role's working file in the ceremony folder.
    pub fn working(&mut self, role: &RoleName, md: &Metadata) -> Result<()> {
        let path = self.ceremony.working_path(role);
        self.metadata(&path, md)
    }

    /// A role's working file after signatures were added to it: the signed part is the one
    /// read (and checked) at open, so only the signature count is checked before writing.
    pub fn working_signed(&mut self, role: &RoleName, md: &Metadata) -> Result<()> {
        let path = self.ceremony.working_path(role);
        if let Some(why) = crate::metadata::too_many_signatures(md.signatures.len()) {
            return Err(Refusal::WouldHoldTooManySignatures {
                file: path,
                role: role.to_string(),
                why,
            }
            .into());
        }
        self.write(&path, &md.to_file_bytes())
    }

    /// The state file, `ceremony.json`.
    pub fn state(&mut self) -> Result<()> {
        let path = self.ceremony.dir.join(super::STATE_FILE);
        let bytes = self.ceremony.state_bytes();
        super::State::from_bytes(&bytes, &path).map_err(|e| {
            Error::bug(format!(
                "the new {} would not read back ({e})",
                path.display()
            ))
        })?;
        self.write(&path, &bytes)
    }

    /// A transcript line, appended at commit with the others in one write.
    pub fn record(&mut self, event: &impl super::events::Event) -> Result<()> {
        self.events.push(super::events::line(event)?);
        Ok(())
    }

    /// Appends the transcript lines, then puts every file in place, in the order prepared.
    ///
    /// The lines end with a `files` event recording the digest of each of the ceremony
    /// folder's files written or removed (see [`super::record`]); the first recorded write
    /// in a folder of an earlier version also records every file as it found it, and the
    /// state file in the format that marks the folder bound.
    pub fn commit(mut self) -> Result<()> {
        let writes_state = self
            .folder_files
            .iter()
            .any(|(n, _)| n == super::STATE_FILE);
        if !self.folder_files.is_empty() && !self.ceremony.is_bound() && !writes_state {
            self.state()?;
        }
        let mut recorded: std::collections::BTreeMap<String, Option<String>> = self
            .ceremony
            .unrecorded_files()
            .into_iter()
            .filter(|(n, _)| !self.folder_files.iter().any(|(w, _)| w == n))
            .map(|(n, d)| (n, Some(d)))
            .collect();
        if !self.folder_files.is_empty() {
            for (name, bytes) in &self.folder_files {
                recorded.insert(name.clone(), bytes.as_ref().map(|b| super::digest_hex(b)));
            }
            self.record(&super::record::Files {
                files: recorded.clone(),
            })?;
        }
        let mut files_seq = 0;
        if !self.events.is_empty() {
            self.ceremony_folder()?;
            let events = std::mem::take(&mut self.events);
            let added = self
                .ceremony
                .transcript()
                .append_all(&crate::time::format_expires(self.ceremony.now), events)?;
            files_seq = added.last().map_or(0, |e| e.seq);
            crate::fault::point(&format!("{}:after-transcript", self.name));
        }
        self.committed = true;
        for (i, f) in std::mem::take(&mut self.files).into_iter().enumerate() {
            f.commit()?;
            if i == 0 {
                crate::fault::point(&format!("{}:after-first-file", self.name));
            }
        }
        for path in std::mem::take(&mut self.removals) {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(crate::fsutil::FsError::new("cannot remove", &path, e).into()),
            }
        }
        // The snapshot and the record now hold what was written, for the rest of the
        // command; an unbound folder's other files were recorded as they were found.
        let mut noted: Vec<(String, Option<Rc<Vec<u8>>>)> = std::mem::take(&mut self.folder_files);
        for (name, _) in recorded {
            if !noted.iter().any(|(n, _)| *n == name) {
                let held = self.ceremony.held_bytes(&name);
                noted.push((name, held));
            }
        }
        self.ceremony.committed(noted, files_seq);
        Ok(())
    }

    /// Makes the folder `path` goes in, and refuses a symbolic link on the way to it inside
    /// the ceremony folder (`trusted/` pointing elsewhere), or at `path` itself: every
    /// writer's files pass here before anything is made or written.
    fn ensure_parent(&mut self, path: &Path) -> Result<()> {
        super::refuse_link_below(&self.ceremony.dir, path)?;
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => return Ok(()),
        };
        if parent == self.ceremony.dir {
            return self.ceremony_folder();
        }
        if parent == self.ceremony.trusted_dir() {
            self.ceremony_folder()?;
            return self.folder(&parent, 0o700);
        }
        self.folder(&parent, 0o755)
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if !self.committed {
            // Prepared files remove themselves when dropped; then their folders can go.
            self.files.clear();
            crate::fsutil::remove_made_dirs(&self.made_dirs);
        }
    }
}

/// Checks that `bytes` read back as metadata, naming the file and the problem if not.
fn readable(path: &Path, bytes: &[u8]) -> Result<()> {
    Metadata::from_bytes(bytes).map(|_| ()).map_err(|e| {
        Refusal::ValueUnreadable {
            file: path.to_path_buf(),
            why: e.to_string(),
        }
        .into()
    })
}
