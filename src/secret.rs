//! Secrets: passphrases, PINs and HSM authentication passwords.
//!
//! They come from the terminal without echo, or for automation from a file named with
//! `--passphrase-file` (for example `/dev/fd/3`): never from argv, where `ps` and shell
//! history would show them. They are held as `SecretString`, whose `Debug` prints nothing,
//! and the bytes read from a file are zeroized.

pub use age::secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Where secrets come from.
#[derive(Clone, Debug)]
pub enum SecretSource {
    /// The controlling terminal, without echo.
    Terminal,
    /// The first line of a file (automation; see `--passphrase-file`).
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

fn read_from_file(what: &str, path: &Path) -> Result<SecretString, SecretError> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|source| SecretError::File {
        what: what.into(),
        path: path.into(),
        source,
    })?);
    let text = std::str::from_utf8(&bytes).map_err(|_| SecretError::NotText {
        what: what.into(),
        path: path.into(),
    })?;
    let line = text.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    Ok(SecretString::from(line.to_string()))
}
