//! A ceremony's identity, so that a signature or a request carried to another machine is
//! only ever taken back into the ceremony it was made for.

use super::{digest_hex, Ceremony};
use crate::error::Result;

/// Whether `id` looks like a ceremony identity: 64 lower-case hex digits.
pub fn is_identity(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A ceremony's identity: the SHA-256 of its transcript's first line (the line the folder's
/// first command wrote, with its time, tool and what it began with), which every later line
/// chains to. A copy of the folder has the same identity; another ceremony has another.
/// `None` for a folder without a transcript.
pub fn identity(c: &Ceremony) -> Result<Option<String>> {
    let transcript = c.transcript_read()?;
    let bytes = &transcript.bytes;
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    Ok((!first.is_empty()).then(|| digest_hex(first)))
}

pub use crate::display::ceremony_id as shown;
