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
use crate::outcome::Refusal;
use std::fs::{File, OpenOptions};
use std::io::{Seek, Write};
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
            Ok(f) => check_lock_file(f, &path)?,
            // No folder: the command itself will say there is no ceremony here.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !dir.exists() => {
                return Ok(FolderLock { file: None, access })
            }
            Err(e) if access == Access::Read && unlockable(&e) => {
                return Ok(FolderLock { file: None, access })
            }
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(not_a_lock_file(&path, "a symbolic link"))
            }
            Err(e) if e.raw_os_error() == Some(libc::EISDIR) => {
                return Err(not_a_lock_file(&path, "a directory"))
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
            #[allow(unsafe_code)]
            // SAFETY: flock(2) on a file descriptor this function owns.
            let rc = unsafe { libc::flock(file.as_raw_fd(), op | libc::LOCK_NB) };
            if rc == 0 {
                break;
            }
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(crate::fsutil::FsError::new("cannot lock", &path, e).into());
            }
            let holder = holder(&file);
            if start.elapsed() >= wait {
                return Err(Refusal::FolderInUse {
                    dir: dir.to_path_buf(),
                    holder,
                    waited: wait.as_secs(),
                }
                .into());
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

/// Opens (or creates) the lock file without following a symbolic link and without waiting:
/// a FIFO put in its place would otherwise block the open itself (see [`check_lock_file`]).
fn open(path: &Path, access: Access) -> std::io::Result<File> {
    let flags = libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC;
    let created = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(flags)
        .open(path);
    match created {
        Err(e) if access == Access::Read && unlockable(&e) => {
            // A read-only copy: a shared lock on the existing file still keeps out writers
            // that can open it.
            OpenOptions::new().read(true).custom_flags(flags).open(path)
        }
        other => other,
    }
}

/// Keeps the opened lock file only if it is the folder's own: a regular file with one
/// name. The holder's words are written into it in place, so a hard link (to a file
/// anywhere else on the disk) would have that file truncated and overwritten, and a FIFO
/// would hang every command that reads who holds the folder. Checked on the opened file,
/// so nothing can be swapped in between the check and the use.
fn check_lock_file(file: File, path: &Path) -> Result<File> {
    use std::os::unix::fs::MetadataExt;
    let meta = file
        .metadata()
        .map_err(|e| crate::fsutil::FsError::new("cannot read the lock file", path, e))?;
    if !meta.file_type().is_file() {
        return Err(not_a_lock_file(
            path,
            crate::fsutil::file_kind(meta.file_type()),
        ));
    }
    match meta.nlink() {
        1 => {}
        0 => {
            return Err(Refusal::LockRemoved {
                file: path.to_path_buf(),
            }
            .into())
        }
        n => {
            return Err(not_a_lock_file(
                path,
                &format!("a file with {n} names (hard links; another file, perhaps outside the folder, is this same file)"),
            ))
        }
    }
    // A regular file: back to ordinary reads and writes (see `fsutil::set_blocking`).
    crate::fsutil::set_blocking(&file);
    Ok(file)
}

/// The refusal of a `ceremony.lock` that is not one this tool made; `found` says what it
/// is instead ("a FIFO (named pipe)").
fn not_a_lock_file(path: &Path, found: &str) -> Error {
    Refusal::NotALockFile {
        file: path.to_path_buf(),
        found: found.to_string(),
    }
    .into()
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

/// Who holds the lock, in the holder's own words (escaped), or that a reader does. Read
/// from this command's own open lock file, a regular file (see [`check_lock_file`]): the
/// read never waits, whatever is put at the path meanwhile.
fn holder(file: &File) -> String {
    use std::os::unix::fs::FileExt;
    let mut buf = [0u8; 300];
    let mut len = 0;
    while len < buf.len() {
        match file.read_at(&mut buf[len..], len as u64) {
            Ok(0) | Err(_) => break,
            Ok(n) => len += n,
        }
    }
    let text = String::from_utf8_lossy(&buf[..len]);
    let text = text.trim();
    if text.is_empty() {
        "another command is reading the folder".to_string()
    } else {
        crate::display::escape(text).into_owned()
    }
}

/// A ceremony folder held for one command: its lock, taken before the folder is read and
/// released when the command's [`super::Ceremony`] is dropped, so that everything the command
/// reads and writes is one consistent snapshot.
#[derive(Debug)]
pub struct Held {
    lock: Option<FolderLock>,
    dir: PathBuf,
    /// Folders `init` or `load` made to hold a new ceremony: removed again, with the lock
    /// file, if the command ends having written nothing else into them.
    made: Vec<PathBuf>,
}

impl Held {
    /// Holds an existing ceremony folder. A folder that is not a ceremony (no state file,
    /// and no lock file that another command starting one may hold) is left untouched: no
    /// lock file is made in it, and the caller says there is no ceremony here.
    pub fn existing(dir: &Path, access: Access) -> Result<Held> {
        let started = [super::STATE_FILE, LOCK_FILE]
            .iter()
            .any(|name| std::fs::symlink_metadata(dir.join(name)).is_ok());
        let lock = if started {
            Some(FolderLock::acquire(
                dir,
                access,
                &holder_words(std::env::args().skip(1)),
                wait_from_env(),
            )?)
        } else {
            None
        };
        Ok(Held {
            lock,
            dir: dir.to_path_buf(),
            made: Vec::new(),
        })
    }

    /// No hold at all: a ceremony held in memory (a signing request read on another
    /// machine), which has no folder anyone else could change, or a unit test's.
    pub(crate) fn none(dir: &Path) -> Held {
        Held {
            lock: None,
            dir: dir.to_path_buf(),
            made: Vec::new(),
        }
    }

    /// Holds a folder a command may start a ceremony in (`init`, `load`, `rstuf import`),
    /// making it (0700) if needed; what this made is removed again if the command writes
    /// nothing into it.
    pub fn to_start(dir: &Path) -> Result<Held> {
        let made = crate::fsutil::create_dirs(dir, 0o700)?;
        match FolderLock::acquire(
            dir,
            Access::Write,
            &holder_words(std::env::args().skip(1)),
            wait_from_env(),
        ) {
            Ok(lock) => Ok(Held {
                lock: Some(lock),
                dir: dir.to_path_buf(),
                made,
            }),
            Err(e) => {
                crate::fsutil::remove_made_dirs(&made);
                Err(e)
            }
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        drop(self.lock.take());
        if self.made.is_empty() {
            return;
        }
        let only_lock = std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .all(|e| e.file_name() == LOCK_FILE)
            })
            .unwrap_or(false);
        if only_lock {
            let _ = std::fs::remove_file(self.dir.join(LOCK_FILE));
            crate::fsutil::remove_made_dirs(&self.made);
        }
    }
}

/// The command line as the lock file shows it to whoever waits: each word as typed, except
/// a hardware device reference (`pkcs11:…`, `yubihsm://…`, in any letter case), whose
/// attributes could hold a PIN or password and are left out wherever it starts in the word:
/// `--signer=pkcs11:…` is one word, and so is `key=yubihsm://…`. At most 200 characters.
/// Passphrases and PINs never come from the command line, but a device reference typed
/// with a PIN in it (refused later) must not reach the lock file either.
pub fn holder_words(args: impl Iterator<Item = String>) -> String {
    const SCHEMES: [&str; 2] = ["pkcs11:", "yubihsm:"];
    let words: Vec<String> = args
        .map(|w| {
            // ASCII lower-casing keeps every byte where it was, so `at` indexes `w` too.
            let lower = w.to_ascii_lowercase();
            let first = SCHEMES
                .iter()
                .filter_map(|s| lower.find(s).map(|at| (at, *s)))
                .min();
            match first {
                Some((at, scheme)) => format!("{}{scheme}…", &w[..at]),
                None => w,
            }
        })
        .collect();
    words.join(" ").chars().take(200).collect()
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

    #[cfg(unix)]
    #[allow(unsafe_code)] // mkfifo
    fn mkfifo(path: &Path) {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    /// A lock file that is not the folder's own regular file is refused before it is
    /// locked or written: a hard link's other file keeps its contents, a FIFO does not
    /// hang the command, a symbolic link is not followed.
    #[test]
    fn only_a_regular_lock_file_with_one_name_is_used() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("c");
        std::fs::create_dir(&folder).unwrap();
        let lock = folder.join(LOCK_FILE);
        let outside = dir.path().join("precious.txt");
        std::fs::write(&outside, b"precious").unwrap();
        std::fs::hard_link(&outside, &lock).unwrap();
        for access in [Access::Write, Access::Read] {
            let e = FolderLock::acquire(&folder, access, "sign root", DEFAULT_WAIT).unwrap_err();
            assert_eq!(e.exit_code(), 4, "{e}");
            let text = e.to_string();
            assert!(
                text.contains("2 names") && text.contains("Remove"),
                "{text}"
            );
        }
        assert_eq!(std::fs::read(&outside).unwrap(), b"precious");
        std::fs::remove_file(&lock).unwrap();
        mkfifo(&lock);
        let start = Instant::now();
        for access in [Access::Write, Access::Read] {
            let e = FolderLock::acquire(&folder, access, "merge", DEFAULT_WAIT).unwrap_err();
            assert_eq!(e.exit_code(), 4, "{e}");
            assert!(e.to_string().contains("FIFO"), "{e}");
        }
        assert!(start.elapsed() < Duration::from_secs(5));
        std::fs::remove_file(&lock).unwrap();
        std::os::unix::fs::symlink(&outside, &lock).unwrap();
        let e = FolderLock::acquire(&folder, Access::Write, "merge", DEFAULT_WAIT).unwrap_err();
        assert_eq!(e.exit_code(), 4, "{e}");
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read(&outside).unwrap(), b"precious");
        // Removed as the message says: a new lock file is made and used.
        std::fs::remove_file(&lock).unwrap();
        FolderLock::acquire(&folder, Access::Write, "merge", Duration::ZERO).unwrap();
    }

    #[test]
    fn a_missing_folder_is_read_without_a_lock() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("nothing-here");
        assert!(FolderLock::acquire(&gone, Access::Read, "status", Duration::ZERO).is_ok());
        assert!(!gone.exists());
    }

    /// A PIN typed into a device reference never reaches the lock file.
    #[test]
    fn the_lock_holder_words_leave_device_references_out() {
        let args = [
            "-C",
            "c",
            "sign",
            "root",
            "--signer",
            "pkcs11:token=a;object=b?pin-value=1234",
        ];
        let words = holder_words(args.iter().map(|a| a.to_string()));
        assert_eq!(words, "-C c sign root --signer pkcs11:…");
        let args = [
            "sign",
            "--signer",
            "YubiHSM://usb/?password=secret",
            "--signer",
            "file:a.key",
        ];
        let words = holder_words(args.iter().map(|a| a.to_string()));
        assert!(!words.contains("secret"), "{words}");
        assert!(words.ends_with("file:a.key"), "{words}");
    }

    /// `--flag=value` is one word: a device reference after the `=` (or anywhere else in
    /// a word), in any letter case, is left out just the same.
    #[test]
    fn the_lock_holder_words_leave_out_references_inside_a_word() {
        let args = [
            "sign",
            "root",
            "--signer=pkcs11:token=a;object=b?pin-value=1234",
            "--signer=YubiHSM://usb/?password=secret",
            "--signer=PKCS11:token=a?PIN-VALUE=4321",
            "-C=c",
            "--as=yubihsm:x",
            "--signer=file:a.key",
        ];
        let words = holder_words(args.iter().map(|a| a.to_string()));
        assert_eq!(
            words,
            "sign root --signer=pkcs11:… --signer=yubihsm:… --signer=pkcs11:… -C=c --as=yubihsm:… --signer=file:a.key"
        );
        for secret in ["1234", "4321", "secret", "token", "usb"] {
            assert!(!words.contains(secret), "{secret} in {words}");
        }
    }
}
