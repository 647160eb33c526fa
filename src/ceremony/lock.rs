//! One writer at a time in a ceremony folder.
//!
//! Every command reads a role, changes it and renames the new file into place. Two of them at
//! once in one folder would each keep only their own change: one keyholder's signature lost,
//! or a `sign` of the old payload undoing a revocation that had just been reported done. So a
//! command that changes the folder holds an exclusive `flock(2)` on `ceremony.lock` for its
//! whole read, check and write; a command that only reads holds a shared one, so it never sees
//! one file of a change without the other.
//!
//! The kernel releases the lock when the process ends, however it ends: a crashed or killed
//! command never leaves a stale lock behind. A second command waits a bounded time (the
//! holder may be a keyholder reading the sign screen) and then refuses, naming the holder's
//! process id and command, which the holder writes into the lock file while it holds it.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file in the ceremony folder. It is never removed: removing a file others may
/// have open and locked would let two commands hold "the" lock at once.
pub const LOCK_FILE: &str = "ceremony.lock";

/// How long a command waits for another to finish before it refuses, unless
/// `TUF_CEREMONY_LOCK_WAIT` gives a number of seconds.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(20);

/// Whether a command changes the folder or only reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads only: many at once, none while a writer holds the folder.
    Read,
    /// Changes the folder: alone.
    Write,
}

/// A held lock on a ceremony folder; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct FolderLock {
    file: Option<File>,
    access: Access,
}

impl FolderLock {
    /// Takes the folder's lock for `command` (shown to anyone who has to wait), waiting at
    /// most `wait`. A folder that does not exist holds no ceremony to protect, and a
    /// read-only copy of one (an auditor's) cannot be changed by anyone: no lock is needed.
    pub fn acquire(
        dir: &Path,
        access: Access,
        command: &str,
        wait: Duration,
    ) -> Result<FolderLock> {
        let path = dir.join(LOCK_FILE);
        let file = match open(&path, access) {
            Ok(f) => f,
            // No folder: the command itself will say there is no ceremony here.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !dir.exists() => {
                return Ok(FolderLock { file: None, access })
            }
            Err(e) if access == Access::Read && unlockable(&e) => {
                return Ok(FolderLock { file: None, access })
            }
            Err(e) => {
                return Err(
                    crate::fsutil::FsError::new("cannot open the lock file", &path, e).into(),
                )
            }
        };
        let op = match access {
            Access::Read => libc::LOCK_SH,
            Access::Write => libc::LOCK_EX,
        };
        let start = Instant::now();
        let mut told = false;
        loop {
            // SAFETY: flock(2) on a file descriptor this function owns.
            let rc = unsafe { libc::flock(file.as_raw_fd(), op | libc::LOCK_NB) };
            if rc == 0 {
                break;
            }
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(crate::fsutil::FsError::new("cannot lock", &path, e).into());
            }
            let holder = holder(&path);
            if start.elapsed() >= wait {
                return Err(Error::Refused(format!(
                    "{} is in use by another tuf-ceremony command ({holder}); waited {} s. One command at a time changes a ceremony folder. Let that command finish (a keyholder may be reading its sign screen), then run this one again",
                    dir.display(),
                    wait.as_secs()
                )));
            }
            if !told && start.elapsed() >= Duration::from_secs(1) {
                eprintln!(
                    "waiting for another tuf-ceremony command to finish in {} ({holder})…",
                    dir.display()
                );
                told = true;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let mut lock = FolderLock {
            file: Some(file),
            access,
        };
        if access == Access::Write {
            lock.write_holder(command);
        }
        Ok(lock)
    }

    /// Writes "pid N: COMMAND" into the lock file, for whoever has to wait. Best effort:
    /// the lock itself is the flock, not these words.
    fn write_holder(&mut self, command: &str) {
        if let Some(f) = self.file.as_mut() {
            let _ = f.set_len(0);
            let _ = f.rewind();
            let _ = write!(
                f,
                "pid {}: tuf-ceremony {}",
                std::process::id(),
                crate::display::escape(command)
            );
            let _ = f.flush();
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Clear the holder's words before the lock goes (closing the file releases it), so
        // that nobody is told of a holder that has finished.
        if self.access == Access::Write {
            if let Some(f) = self.file.as_mut() {
                let _ = f.set_len(0);
            }
        }
    }
}

fn open(path: &Path, access: Access) -> std::io::Result<File> {
    let created = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path);
    match created {
        Err(e) if access == Access::Read && unlockable(&e) => {
            // A read-only copy: a shared lock on the existing file still keeps out writers
            // that can open it.
            OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .open(path)
        }
        other => other,
    }
}

/// Errors that mean nobody can change the folder through this path (absent, read-only).
fn unlockable(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound
            | std::io::ErrorKind::PermissionDenied
            | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Who holds the lock, in the holder's own words (escaped), or that a reader does.
fn holder(path: &PathBuf) -> String {
    let mut text = String::new();
    if let Ok(f) = File::open(path) {
        let _ = f.take(300).read_to_string(&mut text);
    }
    let text = text.trim();
    if text.is_empty() {
        "another command is reading the folder".to_string()
    } else {
        crate::display::escape(text).into_owned()
    }
}

/// The wait from `TUF_CEREMONY_LOCK_WAIT` (seconds), or [`DEFAULT_WAIT`].
pub fn wait_from_env() -> Duration {
    std::env::var("TUF_CEREMONY_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s.min(24 * 3600)))
        .unwrap_or(DEFAULT_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_waits_for_a_writer_and_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let first =
            FolderLock::acquire(dir.path(), Access::Write, "sign root", DEFAULT_WAIT).unwrap();
        let e = FolderLock::acquire(
            dir.path(),
            Access::Write,
            "merge",
            Duration::from_millis(100),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains(&format!(
                "pid {}: tuf-ceremony sign root",
                std::process::id()
            )),
            "{e}"
        );
        let e = FolderLock::acquire(
            dir.path(),
            Access::Read,
            "status",
            Duration::from_millis(50),
        )
        .unwrap_err();
        assert_eq!(e.exit_code(), 4);
        drop(first);
        // Released: the holder's words are gone and the next one gets it.
        assert_eq!(std::fs::read(dir.path().join(LOCK_FILE)).unwrap(), b"");
        FolderLock::acquire(dir.path(), Access::Write, "merge", Duration::ZERO).unwrap();
    }

    #[test]
    fn readers_share_and_keep_writers_out() {
        let dir = tempfile::tempdir().unwrap();
        let a = FolderLock::acquire(dir.path(), Access::Read, "status", Duration::ZERO).unwrap();
        let _b = FolderLock::acquire(dir.path(), Access::Read, "verify", Duration::ZERO).unwrap();
        let e = FolderLock::acquire(dir.path(), Access::Write, "sign", Duration::from_millis(50))
            .unwrap_err()
            .to_string();
        assert!(e.contains("reading the folder"), "{e}");
        drop(a);
    }

    #[test]
    fn a_missing_folder_is_read_without_a_lock() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("nothing-here");
        assert!(FolderLock::acquire(&gone, Access::Read, "status", Duration::ZERO).is_ok());
        assert!(!gone.exists());
    }
}
