//! Files that are never half-written (DESIGN.md "Writes are atomic").
//!
//! Every write goes to a temporary file in the same directory, is flushed to disk
//! (`fsync`), then renamed over the target, and the directory is synced so the rename
//! survives a power cut. A process killed at any instant leaves the old file or the new
//! one, never a mix.

use crate::json::Sink;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A filesystem failure, naming the file and what was being done.
#[derive(Debug, thiserror::Error)]
#[error("{action} {}: {source}{}", path.display(), hint(source))]
pub struct FsError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// What to do about the common failures.
fn hint(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            ". The disk is full: the file was left as it was. Free some space and run the command again"
        }
        std::io::ErrorKind::PermissionDenied => {
            ". Check the file's and folder's owner and permissions"
        }
        std::io::ErrorKind::ReadOnlyFilesystem => {
            ". The disk is mounted read-only; copy the ceremony folder to a writable one"
        }
        _ => "",
    }
}

impl FsError {
    pub fn new(action: &'static str, path: &Path, source: std::io::Error) -> FsError {
        FsError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether the error is "already exists".
    pub fn already_exists(&self) -> bool {
        self.source.kind() == std::io::ErrorKind::AlreadyExists
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// What a streaming write is given: a function to call with each piece of the file.
pub type Fill<'f> = &'f mut dyn FnMut(Sink<'_>);

/// A whole buffer as a [`Fill`], in two halves (so fault injection can stop between them).
fn halves(bytes: &[u8]) -> impl FnMut(Sink<'_>) + '_ {
    move |emit: Sink<'_>| {
        let half = bytes.len() / 2;
        emit(&bytes[..half]);
        emit(&bytes[half..]);
    }
}

fn temp_with(path: &Path, fill: Fill<'_>) -> Result<tempfile::NamedTempFile, FsError> {
    let dir = parent_of(path);
    // NamedTempFile creates the file with mode 0600: nothing is readable by others even
    // before the rename.
    let mut tmp = tempfile::Builder::new()
        .prefix(".tuf-ceremony-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| FsError::new("cannot create a temporary file beside", path, e))?;
    crate::fault::step();
    let mut failed = None;
    let mut pieces = 0usize;
    {
        let file = tmp.as_file_mut();
        let mut emit = |bytes: &[u8]| {
            if failed.is_none() {
                if let Err(e) = file.write_all(bytes) {
                    failed = Some(e);
                }
                pieces += 1;
                if pieces == 1 {
                    crate::fault::step();
                }
            }
        };
        fill(&mut emit);
    }
    if pieces == 0 {
        crate::fault::step();
    }
    if let Some(e) = failed {
        return Err(FsError::new("cannot write", path, e));
    }
    crate::fault::step();
    tmp.as_file()
        .sync_all()
        .map_err(|e| FsError::new("cannot flush to disk", path, e))?;
    crate::fault::step();
    Ok(tmp)
}

fn sync_dir(path: &Path) {
    if let Ok(dir) = std::fs::File::open(parent_of(path)) {
        let _ = dir.sync_all();
    }
}

/// Replaces `path` with `bytes` atomically (mode 0644 for metadata others must read).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    write_atomic_with(path, &mut halves(bytes))
}

/// [`write_atomic`] for a file written piece by piece by `fill`, so a large file (a 27 MB
/// claimed.json) never exists whole in memory.
pub fn write_atomic_with(path: &Path, fill: Fill<'_>) -> Result<(), FsError> {
    prepare_atomic_with(path, fill)?.commit()
}

/// The first half of [`write_atomic_with`]: the new file written and flushed to disk beside
/// `path`, not yet in its place. [`Prepared::commit`] puts it there; dropping it instead
/// removes it and leaves `path` as it was. Lets a caller do other work (check a signature)
/// while the file is written, and decide only then.
pub fn prepare_atomic_with(path: &Path, fill: Fill<'_>) -> Result<Prepared, FsError> {
    prepare(path, fill, 0o644, false)
}

/// [`prepare_atomic_with`] for a file that must not exist yet: [`Prepared::commit`] refuses
/// to replace one that appeared meanwhile.
pub fn prepare_new(path: &Path, bytes: &[u8], mode: u32) -> Result<Prepared, FsError> {
    if path.exists() {
        return Err(FsError::new(
            "will not overwrite",
            path,
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        ));
    }
    prepare(path, &mut halves(bytes), mode, true)
}

fn prepare(path: &Path, fill: Fill<'_>, mode: u32, new: bool) -> Result<Prepared, FsError> {
    check_name_length(path)?;
    let tmp = temp_with(path, fill)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(Prepared {
        tmp,
        path: path.to_path_buf(),
        new,
    })
}

/// The longest file name (in bytes) the filesystems a ceremony lives on accept (Linux's
/// NAME_MAX). The temporary file's name is short and random, so an over-long final name
/// would only fail at the rename: checked before anything is written instead.
const NAME_MAX: usize = 255;

fn check_name_length(path: &Path) -> Result<(), FsError> {
    let len = path.file_name().map_or(0, |n| n.len());
    if len > NAME_MAX {
        return Err(FsError::new(
            "cannot create",
            path,
            std::io::Error::other(format!(
                "its name is {len} bytes, more than the {NAME_MAX} a file name may have; nothing was written"
            )),
        ));
    }
    Ok(())
}

/// A file written beside its target by [`prepare_atomic_with`], waiting to replace it.
#[must_use = "dropping a Prepared file removes it; call commit() to put it in place"]
pub struct Prepared {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    /// The target must not exist: the rename refuses to replace one.
    new: bool,
}

impl Prepared {
    /// Renames the file over its target (atomically) and syncs the directory.
    pub fn commit(self) -> Result<(), FsError> {
        let path = self.path;
        if self.new {
            self.tmp
                .persist_noclobber(&path)
                .map_err(|e| FsError::new("will not overwrite", &path, e.error))?;
        } else {
            self.tmp
                .persist(&path)
                .map_err(|e| FsError::new("cannot replace", &path, e.error))?;
        }
        crate::fault::step();
        sync_dir(&path);
        Ok(())
    }

    /// The file this will replace or create.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Creates `dir` and any missing parents with `mode` (0700 for a ceremony folder, 0755 for
/// an export), whatever the process's umask lets through: `create_dir_all` would make them
/// 0777 under `umask 000`. Returns the folders it made, outermost first, so that a command
/// that fails afterwards can remove them again.
pub fn create_dirs(dir: &Path, mode: u32) -> Result<Vec<PathBuf>, FsError> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.as_os_str().is_empty() || d.is_dir() {
            break;
        }
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    missing.reverse();
    let mut made = Vec::new();
    for d in missing {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(mode);
        }
        match builder.create(&d) {
            Ok(()) => {
                #[cfg(unix)]
                {
                    // The mode given to mkdir is masked by the umask; set it exactly.
                    use std::os::unix::fs::PermissionsExt;
                    let _ = std::fs::set_permissions(&d, std::fs::Permissions::from_mode(mode));
                }
                made.push(d);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(FsError::new("cannot create the folder", &d, e)),
        }
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(made)
}

/// Removes folders [`create_dirs`] made, innermost first, where they are still empty.
pub fn remove_made_dirs(made: &[PathBuf]) {
    for d in made.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
}

/// Creates `path` with `bytes` atomically, mode 0600, refusing to replace an existing file.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    create_new(path, bytes, 0o600)
}

/// Creates `path` with `bytes` atomically (mode 0644), refusing to replace an existing file.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    create_new(path, bytes, 0o644)
}

fn create_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), FsError> {
    let tmp = temp_with(path, &mut halves(bytes))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.persist_noclobber(path)
        .map_err(|e| FsError::new("will not overwrite", path, e.error))?;
    crate::fault::step();
    sync_dir(path);
    Ok(())
}

/// Reads a whole file, naming it on failure.
pub fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    std::fs::read(path).map_err(|e| FsError::new("cannot read", path, e))
}
