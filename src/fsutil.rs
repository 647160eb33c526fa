//! Files that are never half-written.
//!
//! Every write goes to a temporary file in the same directory, is flushed to disk
//! (`fsync`), then renamed over the target, and the directory is synced so the rename
//! survives a power cut. A process killed at any instant leaves the old file or the new
//! one, never a mix.

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

/// Where a streaming writer puts each piece of a file (the same shape as a JSON
/// writer's sink, so a metadata writer streams straight into the temporary file).
pub type Sink<'s> = &'s mut dyn FnMut(&[u8]);

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
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(FsError::new(
                    "cannot create the folder",
                    dir,
                    std::io::Error::other(format!(
                        "{} is a file, not a folder; choose another folder",
                        d.display()
                    )),
                ))
            }
            Err(e) => return Err(FsError::new("cannot create the folder", &d, e)),
        }
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(made)
}

/// The first symbolic link on the way from `base` down to `path`: each folder between them,
/// and `path` itself, is looked at without following links (`lstat`). `base` itself is not:
/// a ceremony folder may be reached through a link (a mount point's, a user's shortcut),
/// but what the tool keeps inside it must be the folder's own. Stops at the first name that
/// does not exist (nothing under it can), and at a `path` outside `base`.
pub fn link_below(base: &Path, path: &Path) -> Option<PathBuf> {
    let rest = path.strip_prefix(base).ok()?;
    let mut at = base.to_path_buf();
    for part in rest.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => return Some(at),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
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

/// A kind of input file, with the most this tool reads of it. Every file the tool reads goes through [`read_bounded`] with one
/// of these, so a device (`/dev/zero`), a FIFO or a file far beyond any real one is refused
/// with a message instead of filling memory or hanging.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Input {
    /// How the file is named in errors ("signature file").
    pub what: &'static str,
    /// The largest size read, in bytes.
    pub max_bytes: u64,
    /// Whether a pipe or FIFO is read too (to its end, at most `max_bytes`): a secret given
    /// as `--passphrase-file /dev/fd/3` comes through a pipe.
    pub pipe_ok: bool,
}

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

impl Input {
    /// TUF metadata (working, trusted, loaded, imported, exported). Claimed metadata with a
    /// million delegated projects is about 270 MB as the ceremony keeps it.
    pub const METADATA: Input = Input::file("metadata file", GIB);
    /// `transcript.jsonl`: a line per event, for the life of a ceremony.
    pub const TRANSCRIPT: Input = Input::file("transcript", GIB);
    /// `ceremony.json`: keyholders and delegated role names.
    pub const STATE: Input = Input::file("ceremony state file", 64 * MIB);
    /// A detached signature file (`sign --detached`): at most
    /// `MAX_SIGNATURES` signatures (the metadata model's limit).
    pub const SIGNATURE_FILE: Input = Input::file("signature file", 4 * MIB);
    /// An age-encrypted key file (under 1 KiB as `key generate` writes it).
    pub const KEY_FILE: Input = Input::file("key file", 64 * KIB);
    /// A public key file (a TUF key object or an SPKI PEM key).
    pub const PUBLIC_KEY: Input = Input::file("public key file", 64 * KIB);
    /// `--passphrase-file`: a regular file, or a pipe such as `/dev/fd/3`.
    pub const PASSPHRASE: Input = Input {
        what: "passphrase file",
        max_bytes: 64 * KIB,
        pipe_ok: true,
    };

    const fn file(what: &'static str, max_bytes: u64) -> Input {
        Input {
            what,
            max_bytes,
            pipe_ok: false,
        }
    }
}

/// "64 KiB", "4 MiB", "1 GiB": a limit as people read it.
fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= GIB && b % GIB == 0 => format!("{} GiB", b / GIB),
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= KIB && b % KIB == 0 => format!("{} KiB", b / KIB),
        b => format!("{b} bytes"),
    }
}

/// An input file refused before it was read: not a regular file, or larger than any real
/// file of its kind.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{} is {found}, not a regular file, so it was not read as a {what}. Only a regular file (or a symbolic link to one){} is read: give another path, or put a regular file there", path.display(), if *pipe_ok { " or a pipe such as /dev/fd/3" } else { "" })]
    NotAFile {
        path: PathBuf,
        what: &'static str,
        found: &'static str,
        pipe_ok: bool,
    },
    #[error("{}: this {what} is {}the {} any real {what} needs; it was not used. Check that this is the right file", path.display(), match size { Some(s) => format!("{s} bytes, more than "), None => "more than ".to_string() }, size_text(*limit))]
    TooLarge {
        path: PathBuf,
        what: &'static str,
        /// The size, when known before reading (a regular file); a pipe's is not.
        size: Option<u64>,
        limit: u64,
    },
}

/// Why a file could not be read: a filesystem error, or an input refused.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Fs(#[from] FsError),
    #[error(transparent)]
    Input(#[from] InputError),
}

impl ReadError {
    /// Whether the file does not exist.
    pub fn not_found(&self) -> bool {
        matches!(self, ReadError::Fs(e) if e.source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// What a file that is not a regular file is, for [`InputError::NotAFile`].
pub(crate) fn file_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "a character device (such as /dev/zero or a terminal)";
        }
        if t.is_block_device() {
            return "a block device (a disk)";
        }
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

#[cfg(unix)]
fn is_pipe(t: std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    t.is_fifo()
}

#[cfg(not(unix))]
fn is_pipe(_: std::fs::FileType) -> bool {
    false
}

/// Opens `path` for reading without waiting: a FIFO with no writer would otherwise block the
/// open itself, before its type could be checked. A terminal never becomes the controlling
/// one. For `input.pipe_ok` the open blocks as usual (a secret's writer may come later).
fn open_input(path: &Path, input: &Input) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nonblock = if input.pipe_ok { 0 } else { libc::O_NONBLOCK };
        options.custom_flags(libc::O_NOCTTY | nonblock);
    }
    options.open(path)
}

/// Back to blocking reads once the file is known to be a regular file, for filesystems
/// (network, FUSE) that would honour `O_NONBLOCK` on one.
#[cfg(unix)]
#[allow(unsafe_code)] // fcntl
pub(crate) fn set_blocking(file: &std::fs::File) {
    use std::os::unix::io::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a file descriptor this function's caller owns, with no pointers.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 && flags & libc::O_NONBLOCK != 0 {
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
}

#[cfg(not(unix))]
pub(crate) fn set_blocking(_: &std::fs::File) {}

/// Reads a whole input file of kind `input`, naming it on failure. The type and size are
/// checked on the opened file (no window between a check and the open): anything but a
/// regular file (or a pipe, where `input.pipe_ok`) is refused, and so is a file larger than
/// `input.max_bytes`; at most `max_bytes + 1` bytes are ever read, so a file that grows
/// while it is read, or a pipe that never ends, is refused too. Symbolic links are followed.
pub fn read_bounded(path: &Path, input: &Input) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let cannot = |e| FsError::new("cannot read", path, e);
    let file = open_input(path, input).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let kind = meta.file_type();
    let regular = kind.is_file();
    let accepted = regular || (input.pipe_ok && is_pipe(kind));
    if !accepted {
        return Err(InputError::NotAFile {
            path: path.to_path_buf(),
            what: input.what,
            found: file_kind(kind),
            pipe_ok: input.pipe_ok,
        }
        .into());
    }
    let too_large = |size| InputError::TooLarge {
        path: path.to_path_buf(),
        what: input.what,
        size,
        limit: input.max_bytes,
    };
    let mut bytes = Vec::new();
    if regular {
        if meta.len() > input.max_bytes {
            return Err(too_large(Some(meta.len())).into());
        }
        set_blocking(&file);
        // The size is known and bounded: one allocation, plus the byte that shows growth.
        bytes.reserve_exact(meta.len() as usize + 1);
    } else {
        // A pipe's size is not known: room for all of it at once, so that no reallocation
        // leaves a copy of a secret behind in freed memory (pipes carry passphrases only).
        bytes.reserve_exact(input.max_bytes.min(MIB) as usize + 1);
    }
    file.take(input.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > input.max_bytes {
        return Err(too_large(None).into());
    }
    Ok(bytes)
}

/// [`read_bounded`], with `None` for a file that does not exist.
pub fn read_bounded_opt(path: &Path, input: &Input) -> Result<Option<Vec<u8>>, ReadError> {
    match read_bounded(path, input) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads a metadata file ([`Input::METADATA`]), naming it on failure.
pub fn read(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_bounded(path, &Input::METADATA)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(e: ReadError) -> String {
        match e {
            ReadError::Input(InputError::NotAFile { found, .. }) => format!("not a file: {found}"),
            ReadError::Input(InputError::TooLarge { size, limit, .. }) => {
                format!("too large: {size:?} > {limit}")
            }
            ReadError::Fs(e) => format!("fs: {e}"),
        }
    }

    const SMALL: Input = Input::file("test file", 16);

    #[cfg(unix)]
    #[allow(unsafe_code)] // mkfifo
    fn mkfifo(path: &Path) {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    /// Regular files (and links to them) up to the limit are read; anything larger, and
    /// anything that is not a regular file, is refused without reading.
    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"0123456789abcdef").unwrap();
        assert_eq!(read_bounded(&file, &SMALL).unwrap(), b"0123456789abcdef");
        std::fs::write(&file, b"0123456789abcdefX").unwrap();
        assert_eq!(
            kind_of(read_bounded(&file, &SMALL).unwrap_err()),
            "too large: Some(17) > 16"
        );
        assert_eq!(
            kind_of(read_bounded(dir.path(), &SMALL).unwrap_err()),
            "not a file: a directory"
        );
        assert!(read_bounded_opt(&dir.path().join("missing"), &SMALL)
            .unwrap()
            .is_none());
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::fs::write(&file, b"short").unwrap();
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(read_bounded(&link, &SMALL).unwrap(), b"short");
            let null = dir.path().join("null");
            std::os::unix::fs::symlink("/dev/null", &null).unwrap();
            assert!(kind_of(read_bounded(&null, &SMALL).unwrap_err())
                .starts_with("not a file: a character device"));
        }
    }

    /// A FIFO with no writer is refused at once (the open does not wait for one); a pipe
    /// is read where secrets may come from one, but never past the limit.
    #[cfg(unix)]
    #[test]
    fn fifos_are_refused_without_waiting_and_pipes_read_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        assert_eq!(
            kind_of(read_bounded(&fifo, &SMALL).unwrap_err()),
            "not a file: a FIFO (named pipe)"
        );
        let pipe_ok = Input {
            pipe_ok: true,
            ..SMALL
        };
        for (written, expected) in [
            (b"secret\n".to_vec(), Ok(b"secret\n".to_vec())),
            (vec![b'a'; 100_000], Err("too large: None > 16".to_string())),
        ] {
            let writer = {
                let fifo = fifo.clone();
                std::thread::spawn(move || {
                    use std::io::Write;
                    let mut w = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                    // The reader stops early on the long one: a broken pipe is expected.
                    let _ = w.write_all(&written);
                })
            };
            let got = read_bounded(&fifo, &pipe_ok).map_err(kind_of);
            assert_eq!(got, expected);
            writer.join().unwrap();
        }
    }

    /// A link on the way from the ceremony folder to a file, or at the file, is found; the
    /// folder itself may be reached through one, and a path outside it is not looked at.
    #[cfg(unix)]
    #[test]
    fn symbolic_links_below_a_folder_are_found_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("c");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(base.join("real")).unwrap();
        std::fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, base.join("trusted")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("f"), base.join("linked.json")).unwrap();
        assert_eq!(link_below(&base, &base.join("real/new.json")), None);
        assert_eq!(link_below(&base, &base.join("missing/x/y.json")), None);
        assert_eq!(
            link_below(&base, &base.join("trusted/root.json")),
            Some(base.join("trusted"))
        );
        assert_eq!(
            link_below(&base, &base.join("linked.json")),
            Some(base.join("linked.json"))
        );
        assert_eq!(link_below(&base, &elsewhere.join("x")), None);
        let via = dir.path().join("via");
        std::os::unix::fs::symlink(&base, &via).unwrap();
        assert_eq!(link_below(&via, &via.join("real/new.json")), None);
        let e =
            crate::ceremony::refuse_link_below(&base, &base.join("trusted/root.json")).unwrap_err();
        assert_eq!(e.exit_code(), 4);
        assert!(e.to_string().contains("is a symbolic link (to "), "{e}");
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(size_text(GIB), "1 GiB");
        assert_eq!(size_text(4 * MIB), "4 MiB");
        assert_eq!(size_text(64 * KIB), "64 KiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }
}
