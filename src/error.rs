//! The tool's error type: every variant says what is wrong, about which file, role or key,
//! and what to do next. Exit codes are part of the command-line interface (README
//! "Exit codes") and are decided here only.

use crate::format_error::FormatError;
use crate::fsutil::{FsError, InputError, ReadError};
use crate::keyfile::KeyFileError;
use crate::outcome::{kind_of, Bug, Failure, Refusal, Rejection};
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
    /// A rule the operation would break, with its facts (src/outcome.rs). Boxed, as the
    /// other typed outcomes: a `Result` stays small on the paths that succeed.
    #[error(transparent)]
    Refusal(Box<Refusal>),
    /// Input that is not acceptable, with its facts (src/outcome.rs).
    #[error(transparent)]
    Rejection(Box<Rejection>),
    /// What a client checks does not hold, with its facts (src/outcome.rs).
    #[error(transparent)]
    Failure(Box<Failure>),
    /// A bug in the tool: an invariant of its own making does not hold.
    #[error(transparent)]
    Internal(Box<Bug>),
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Error {
        Error::Refusal(Box::new(r))
    }
}

impl From<Rejection> for Error {
    fn from(r: Rejection) -> Error {
        Error::Rejection(Box::new(r))
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        Error::Failure(Box::new(f))
    }
}

impl From<Bug> for Error {
    fn from(b: Bug) -> Error {
        Error::Internal(Box::new(b))
    }
}

impl Error {
    /// The process exit status for this error (see README "Exit codes").
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Failed(_) | Error::Transcript(_) | Error::Failure(_) => 1,
            Error::Format { .. } | Error::Input(_) | Error::Invalid(_) | Error::Rejection(_) => 3,
            Error::Refused(_) | Error::Refusal(_) => 4,
            Error::Signer(_) | Error::KeyFile(_) | Error::Secret(_) => 5,
            Error::Fs(_) => 6,
            Error::Internal(_) => 7,
        }
    }

    /// A stable name for the outcome, for `--json` and scripts: `refused.stale-signature`,
    /// `failed.gate-closed`, `internal`; for an error not yet typed, its class alone.
    pub fn kind(&self) -> String {
        let typed = |class: &str, debug: String| format!("{class}.{}", kind_of(&debug));
        match self {
            Error::Refusal(r) => typed("refused", format!("{r:?}")),
            Error::Rejection(r) => typed("invalid", format!("{r:?}")),
            Error::Failure(f) => typed("failed", format!("{f:?}")),
            Error::Internal(_) => "internal".into(),
            Error::Failed(_) => "failed".into(),
            Error::Transcript(_) => "transcript".into(),
            Error::Format { .. } => "invalid.format".into(),
            Error::Input(_) => "invalid.input".into(),
            Error::Invalid(_) => "invalid".into(),
            Error::Refused(_) => "refused".into(),
            Error::Signer(_) => "signer".into(),
            Error::KeyFile(_) => "key-file".into(),
            Error::Secret(_) => "secret".into(),
            Error::Fs(_) => "fs".into(),
        }
    }

    /// The error as `--json` prints it on standard output, so a script reads what happened
    /// from the same typed value the message comes from: `{"error": {"exit_code": 4,
    /// "kind": "refused.stale-signature", "message": "…"}}`.
    pub fn to_json(&self) -> crate::json::Value {
        use crate::json::{Object, Value};
        let mut error = Object::new();
        error.insert("exit_code", Value::Int(self.exit_code().into()));
        error.insert("kind", Value::Str(self.kind()));
        error.insert("message", Value::Str(self.to_string()));
        let mut doc = Object::new();
        doc.insert("error", Value::Object(error));
        Value::Object(doc)
    }

    /// A bug found before anything was written (see [`Bug`]).
    pub fn bug(what: impl Into<String>) -> Error {
        Bug::new(what).into()
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

/// A name that is not a role name is invalid input.
impl From<crate::names::NameError> for Error {
    fn from(e: crate::names::NameError) -> Self {
        Error::Invalid(e.to_string())
    }
}

/// A name that looks like another one already used is refused.
impl From<crate::names::NameClash> for Error {
    fn from(e: crate::names::NameClash) -> Self {
        Error::Refused(e.to_string())
    }
}

/// A keyholder name that looks like one already recorded is refused.
impl From<crate::names::KeyholderClash> for Error {
    fn from(e: crate::names::KeyholderClash) -> Self {
        Error::Refused(e.to_string())
    }
}

/// A new file could not be written: one already there is the refusal `exists` (a file this
/// tool never overwrites), anything else the file system's own error.
pub fn unless_exists(e: FsError, exists: impl FnOnce() -> crate::outcome::Refusal) -> Error {
    if e.already_exists() {
        Error::from(exists())
    } else {
        e.into()
    }
}
