//! A signed transcript head: the message keyholders sign, and each recorded signature
//! checked again over the transcript as it is now. This is evidence ([`super::evidence`]
//! for metadata signatures): `transcript verify`, the report and proof of possession
//! ([`super::proof`]) count a head signature only when it verifies here.
//!
//! # What is signed
//!
//! The canonical JSON (securesystemslib `encode_canonical`, as TUF metadata payloads) of
//!
//! ```text
//! {"_type":"tuf-ceremony-transcript-head","head":"<64 hex digits>","seq":N}
//! ```
//!
//! where `seq` is the line number of the line signed and `head` the SHA-256 of that line's
//! bytes (without its newline). A TUF signature covers the canonical form of a metadata
//! file's `signed` object, whose `_type` is `root`, `targets`, `snapshot` or `timestamp`
//! (TUF spec 4.2); a message whose `_type` is `tuf-ceremony-transcript-head` is therefore
//! never a payload a client accepts, and no metadata payload is ever this message: the
//! domains cannot be confused either way.
//!
//! The line signed is the last line that is not itself a transcript-head signature, so
//! keyholders who sign one after another all sign the same head.

use super::short;
use crate::display::escape;
use crate::json::{self, Value};
use crate::keys::Key;
use crate::transcript::Entry;
use sha2::{Digest, Sha256};

/// The transcript event that holds one keyholder's signature over a head.
pub const EVENT: &str = "transcript-sign";

/// The `_type` that keeps a head signature apart from every TUF payload.
pub const HEAD_TYPE: &str = "tuf-ceremony-transcript-head";

/// The bytes a keyholder signs for the head `head` of line `seq` (see the module docs).
pub fn head_message(seq: u64, head: &str) -> Vec<u8> {
    json::canonical(&Value::object(vec![
        ("_type", Value::str(HEAD_TYPE)),
        ("head", Value::str(head)),
        ("seq", Value::Int(i128::from(seq))),
    ]))
}

/// The SHA-256 of each line of a transcript's bytes, in order (line 1 first).
pub fn line_hashes(bytes: &[u8]) -> Vec<String> {
    bytes
        .strip_suffix(b"\n")
        .map(|b| {
            b.split(|&c| c == b'\n')
                .map(|l| hex::encode(Sha256::digest(l)))
                .collect()
        })
        .unwrap_or_default()
}

/// One transcript-head signature as recorded.
pub struct HeadSignature {
    /// The line it signs.
    pub seq: u64,
    pub keyholder: String,
    pub keyid: String,
    pub key: Key,
}

/// What one recorded head signature is, checked against the transcript as it is now.
pub(super) enum Checked {
    Valid(HeadSignature),
    /// Why it no longer matches (or cannot be read), in words naming it.
    Broken(String),
}

pub(super) fn check_entry(e: &Entry, hashes: &[String]) -> Checked {
    let who = format!(
        "the transcript signature on line {} by {}",
        e.seq,
        escape(e.str("keyholder").unwrap_or("(no name)"))
    );
    let seq = e
        .fields
        .get("head_seq")
        .and_then(Value::as_i128)
        .and_then(|s| u64::try_from(s).ok())
        .filter(|s| *s >= 1 && *s < e.seq);
    let (Some(seq), Some(recorded), Some(sig), Some(key)) = (
        seq,
        e.str("head"),
        e.str("sig"),
        e.fields
            .get("key")
            .and_then(|k| Key::from_value(k, "$.key").ok()),
    ) else {
        return Checked::Broken(format!(
            "{who} cannot be read (head_seq, head, sig or key is missing or malformed)"
        ));
    };
    let keyid = e.str("keyid").unwrap_or("").to_string();
    let actual = &hashes[(seq - 1) as usize];
    if key.verify(&head_message(seq, actual), sig).is_err() {
        let why = if actual != recorded {
            format!(
                "line {seq} now hashes to {}, but the signature was made over {}",
                short(actual),
                short(recorded)
            )
        } else {
            "it does not verify with the key it names".to_string()
        };
        return Checked::Broken(format!(
            "{who} (key {}) no longer matches the transcript up to line {seq}: {why}. The transcript was rewritten after it was signed; keep the file as evidence and compare it with the ceremony's backups",
            short(&keyid)
        ));
    }
    Checked::Valid(HeadSignature {
        seq,
        keyholder: e.str("keyholder").unwrap_or("").to_string(),
        keyid,
        key,
    })
}

/// Every recorded head signature that still verifies over the transcript as it is now.
pub fn valid_signatures(entries: &[Entry], hashes: &[String]) -> Vec<HeadSignature> {
    entries
        .iter()
        .filter(|e| e.event() == EVENT)
        .filter_map(|e| match check_entry(e, hashes) {
            Checked::Valid(s) => Some(s),
            Checked::Broken(_) => None,
        })
        .collect()
}
