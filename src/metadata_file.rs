//! A metadata file by path: the one reader every command uses (bounded read, strict
//! parse, [`Metadata::load`](crate::metadata::Metadata::load)), naming the file in any
//! error, with a progress line on a terminal for files that take a second or more.

use crate::display;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::metadata::{Loaded, Metadata, Payload};
use std::io::IsTerminal;
use std::path::Path;

/// Reads and validates a metadata file, naming it in any error.
pub fn read_metadata(path: &Path) -> Result<Metadata> {
    Ok(read_loaded(path)?.metadata)
}

/// [`read_metadata`], also returning the payload its signatures cover.
pub fn read_metadata_with_payload(path: &Path) -> Result<(Metadata, Payload)> {
    let loaded = read_loaded(path)?;
    Ok((loaded.metadata, loaded.payload))
}

/// The one reader of a metadata file by path: bounded read, then [`Metadata::load`].
pub fn read_loaded(path: &Path) -> Result<Loaded> {
    let bytes = fsutil::read(path)?;
    // Progress for files that take a second or more to check (PyPI-scale claimed), on a
    // terminal only so scripts and logs stay clean.
    let show = bytes.len() >= PROGRESS_BYTES && std::io::stderr().is_terminal();
    if show {
        eprint!(
            "checking {} ({} MB)… ",
            display::path(path),
            bytes.len() / 1_000_000
        );
    }
    // The file's buffer is handed over: load reuses it for the payload (27 MB at PyPI scale).
    let loaded = Metadata::load(bytes).map_err(|e| Error::format(path, e));
    if show {
        eprintln!("done");
    }
    loaded
}

/// Files at least this large get a progress line on a terminal.
const PROGRESS_BYTES: usize = 8_000_000;
