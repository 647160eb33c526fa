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
use std::path::{Path, PathBuf};

/// The writes of one command, not yet made.
#[must_use = "nothing is written until commit()"]
pub struct Pending<'c> {
    ceremony: &'c Ceremony,
    /// The command's name for its crash points (`edit:after-transcript`).
    name: &'static str,
    files: Vec<Prepared>,
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
        crate::fsutil::refuse_link_below(&dir, self.ceremony.transcript().path())?;
        self.folder(&dir, 0o700)
    }

    /// Replaces (or creates) `path` with `bytes`.
    pub fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.ensure_parent(path)?;
        let mut fill = |emit: crate::fsutil::Sink<'_>| emit(bytes);
        self.files
            .push(crate::fsutil::prepare_atomic_with(path, &mut fill)?);
        Ok(())
    }

    /// Creates `path`, which must not exist (it is refused if it appears before commit).
    pub fn write_new(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.ensure_parent(path)?;
        let prepared = crate::fsutil::prepare_new(path, bytes, 0o644).map_err(|e| {
            if e.already_exists() {
                Error::Refused(format!(
                    "{} already exists; it is never overwritten. Nothing was changed; move it away or choose another folder",
                    path.display()
                ))
            } else {
                e.into()
            }
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

    /// The state file, `ceremony.json`.
    pub fn state(&mut self) -> Result<()> {
        let path = self.ceremony.dir.join(super::STATE_FILE);
        let bytes = self.ceremony.state_bytes();
        super::State::from_bytes(&bytes, &path).map_err(|e| {
            Error::Refused(format!(
                "the new {} would not read back ({e}); nothing was written",
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
    pub fn commit(mut self) -> Result<()> {
        if !self.events.is_empty() {
            self.ceremony_folder()?;
            let events = std::mem::take(&mut self.events);
            self.ceremony
                .transcript()
                .append_all(&crate::time::format_expires(self.ceremony.now), events)?;
            crate::fault::point(&format!("{}:after-transcript", self.name));
        }
        self.committed = true;
        for (i, f) in std::mem::take(&mut self.files).into_iter().enumerate() {
            f.commit()?;
            if i == 0 {
                crate::fault::point(&format!("{}:after-first-file", self.name));
            }
        }
        Ok(())
    }

    /// Makes the folder `path` goes in, and refuses a symbolic link on the way to it inside
    /// the ceremony folder (`trusted/` pointing elsewhere), or at `path` itself: every
    /// writer's files pass here before anything is made or written.
    fn ensure_parent(&mut self, path: &Path) -> Result<()> {
        crate::fsutil::refuse_link_below(&self.ceremony.dir, path)?;
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
        Error::Refused(format!(
            "{}: the new file would hold a value that tuf-ceremony and TUF clients cannot read ({e}); nothing was written. Choose a smaller value",
            path.display()
        ))
    })
}
