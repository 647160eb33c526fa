//! The tool's error type: every variant says what is wrong, about which file, role or key,
//! and what to do next. Exit codes are part of the command-line interface (README
//! "Exit codes") and are decided here only.

use crate::format_error::FormatError;
use crate::fsutil::{FsError, InputError, ReadError};
use crate::keyfile::KeyFileError;
use crate::secret::SecretError;
use crate::signer::SignerError;
use std::path::PathBuf;

/// Anything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error(transparent)]
    Fs(#[from] FsError),
    /// An input file was refused before it was read: a device, a FIFO, or far larger than
    /// any real file of its kind.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A metadata or signature file is malformed or breaks a format rule.
    #[error("{}: {error}", file.display())]
    Format { file: PathBuf, error: FormatError },
    /// Input that is not acceptable (a key file, a signature file, an argument's value).
    #[error("{0}")]
    Invalid(String),
    /// The operation would break a rule (a threshold that cannot be met, an expired
    /// payload, a signer that is not authorized, overwriting a different file).
    #[error("{0}")]
    Refused(String),
    /// Verification found that what a client checks does not hold.
    #[error("{0}")]
    Failed(String),
    /// The signing device or its secret failed.
    #[error(transparent)]
    Signer(#[from] SignerError),
    /// A key file problem.
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    /// A passphrase or PIN could not be read.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// The transcript's chain is broken or a signature is unaccounted for.
    #[error("{0}")]
    Transcript(String),
}

impl Error {
    /// The process exit status for this error (see README "Exit codes").
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Failed(_) | Error::Transcript(_) => 1,
            Error::Format { .. } | Error::Input(_) | Error::Invalid(_) => 3,
            Error::Refused(_) => 4,
            Error::Signer(_) | Error::KeyFile(_) | Error::Secret(_) => 5,
            Error::Fs(_) => 6,
        }
    }

    pub fn format(file: impl Into<PathBuf>, error: FormatError) -> Error {
        Error::Format {
            file: file.into(),
            error,
        }
    }
}

impl From<ReadError> for Error {
    fn from(e: ReadError) -> Error {
        match e {
            ReadError::Fs(e) => Error::Fs(e),
            ReadError::Input(e) => Error::Input(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
