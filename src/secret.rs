//! Secrets: passphrases, PINs and HSM authentication passwords.
//!
//! They come from the terminal without echo, or for automation from a file named with
//! `--passphrase-file` (for example `/dev/fd/3`): never from argv, where `ps` and shell
//! history would show them. They are held as `SecretString`, whose `Debug` prints nothing,
//! and the bytes read from a file are zeroized.

use crate::fsutil::{read_bounded, Input, ReadError};
pub use age::secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Where secrets come from.
#[derive(Clone, Debug)]
pub enum SecretSource {
    /// The controlling terminal, without echo.
    Terminal,
    /// The first line of a file or pipe (automation; see `--passphrase-file`).
    File(PathBuf),
}

/// Why a secret could not be read. Never contains the secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read the {what} from the terminal ({source}). Run this on a terminal, or give --passphrase-file PATH (for example --passphrase-file /dev/fd/3)")]
    NoTerminal {
        what: String,
        source: std::io::Error,
    },
    #[error("cannot read the {what} from {}: {source}", path.display())]
    File {
        what: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the two {what}s typed do not match; nothing was written. Run the command again")]
    Mismatch { what: String },
    #[error("the {what} is empty")]
    Empty { what: String },
    #[error("the {what} is shorter than {min} characters. A key kept offline deserves a long passphrase: several random words")]
    TooShort { what: String, min: usize },
    #[error("the {what} in {} is not UTF-8 text", path.display())]
    NotText { what: String, path: PathBuf },
    /// The passphrase file is a device, or longer than any passphrase.
    #[error("cannot read the {what}: {source}")]
    Input {
        what: String,
        source: crate::fsutil::InputError,
    },
}

/// Shortest passphrase accepted for a new key file.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Reads one secret. `what` names it in prompts and errors ("passphrase for alice.key").
/// With `confirm`, a terminal user types it twice.
pub fn read_secret(
    what: &str,
    source: &SecretSource,
    confirm: bool,
) -> Result<SecretString, SecretError> {
    let secret = match source {
        SecretSource::File(path) => read_from_file(what, path)?,
        SecretSource::Terminal => {
            let first = prompt(&format!("Enter the {what}: "), what)?;
            if confirm {
                let second = prompt(&format!("Type the {what} again: "), what)?;
                if first.expose_secret() != second.expose_secret() {
                    return Err(SecretError::Mismatch { what: what.into() });
                }
            }
            first
        }
    };
    if secret.expose_secret().is_empty() {
        return Err(SecretError::Empty { what: what.into() });
    }
    Ok(secret)
}

/// Checks a new key file's passphrase is long enough.
pub fn check_new_passphrase(secret: &SecretString, what: &str) -> Result<(), SecretError> {
    if secret.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(SecretError::TooShort {
            what: what.into(),
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

/// Prompts on the terminal. `text` can name a device by its own label, so it passes
/// through the display net ([`crate::display::line`]).
fn prompt(text: &str, what: &str) -> Result<SecretString, SecretError> {
    rpassword::prompt_password(crate::display::line(text).as_ref())
        .map(SecretString::from)
        .map_err(|source| SecretError::NoTerminal {
            what: what.into(),
            source,
        })
}

/// Reads the secret from `path`: its first line, as a person would type it. A text editor
/// on Windows saves a byte-order mark before it and `\r\n` after it; neither is part of what
/// was typed, so both are removed, and a key made with a typed passphrase opens with the
/// same passphrase saved by any editor. Read bounded ([`Input::PASSPHRASE`]): a pipe such as
/// `/dev/fd/3` is fine, a device such as `/dev/zero` is refused.
fn read_from_file(what: &str, path: &Path) -> Result<SecretString, SecretError> {
    let bytes = Zeroizing::new(read_bounded(path, &Input::PASSPHRASE).map_err(|e| match e {
        ReadError::Fs(e) => SecretError::File {
            what: what.into(),
            path: path.into(),
            source: e.source,
        },
        ReadError::Input(source) => SecretError::Input {
            what: what.into(),
            source,
        },
    })?);
    let text = std::str::from_utf8(&bytes).map_err(|_| SecretError::NotText {
        what: what.into(),
        path: path.into(),
    })?;
    Ok(SecretString::from(first_line(text).to_string()))
}

/// The first line of `text`, without a leading byte-order mark or the line's `\r`.
fn first_line(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let line = text.split('\n').next().unwrap_or("");
    line.strip_suffix('\r').unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an editor adds around a passphrase is not part of it; what is inside the line is.
    #[test]
    fn first_line_drops_what_editors_add() {
        for (saved, typed) in [
            ("pass", "pass"),
            ("pass\n", "pass"),
            ("pass\r\n", "pass"),
            ("\u{feff}pass\r\n", "pass"),
            ("\u{feff}pass\n", "pass"),
            ("\u{feff}pass", "pass"),
            ("pass\nsecond line\n", "pass"),
            (" pass \r\n", " pass "),
            ("pa\u{feff}ss\n", "pa\u{feff}ss"),
            ("\u{feff}\u{feff}pass\n", "\u{feff}pass"),
        ] {
            assert_eq!(first_line(saved), typed, "{saved:?}");
        }
    }
}
