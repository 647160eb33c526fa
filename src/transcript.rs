//! The ceremony transcript: who signed what, with which device, when.
//!
//! `transcript.jsonl`: one JSON object a line. Each line carries `seq` (1, 2, …) and `prev`,
//! the SHA-256 of the previous line's bytes (64 zeros for the first), so deleting, editing
//! or reordering any line breaks the chain at a line we can name. Appending rewrites the
//! file atomically with the old bytes as an exact prefix: a crash leaves the old transcript
//! or the new one, never a torn line. Nothing secret is ever recorded.

use crate::error::{Error, Result};
use crate::json::{self, Object, Value};
use crate::outcome::{Broken, Failure};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A transcript file.
pub struct Transcript {
    path: PathBuf,
}

/// One verified line.
#[derive(Clone, Debug)]
pub struct Entry {
    pub seq: u64,
    pub fields: Object,
}

impl Entry {
    pub fn event(&self) -> &str {
        self.fields
            .get("event")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }
}

impl Transcript {
    pub fn new(path: &Path) -> Transcript {
        Transcript {
            path: path.to_path_buf(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads and checks every line: its JSON, its `seq`, and its `prev` hash.
    pub fn read(&self) -> Result<Vec<Entry>> {
        let Some(bytes) = self.read_bytes()? else {
            return Ok(Vec::new());
        };
        let (entries, _) = self.check(&bytes)?;
        Ok(entries)
    }

    /// The file's bytes (bounded, see [`Input::TRANSCRIPT`]), or `None` before the first
    /// event.
    ///
    /// [`Input::TRANSCRIPT`]: crate::fsutil::Input::TRANSCRIPT
    pub fn read_bytes(&self) -> Result<Option<Vec<u8>>> {
        Ok(crate::fsutil::read_bounded_opt(
            &self.path,
            &crate::fsutil::Input::TRANSCRIPT,
        )?)
    }

    fn broken(&self, line: usize, problem: Broken) -> Error {
        Failure::TranscriptChanged {
            file: self.path.clone(),
            line,
            problem,
        }
        .into()
    }

    /// Checks a transcript's bytes: the entries and the hash of the last line. Public for the
    /// fuzz target `transcript`.
    pub fn check(&self, bytes: &[u8]) -> Result<(Vec<Entry>, String)> {
        let mut prev = GENESIS.to_string();
        let mut entries = Vec::new();
        if bytes.is_empty() {
            return Ok((entries, prev));
        }
        if !bytes.ends_with(b"\n") {
            let n = bytes.split(|&b| b == b'\n').count();
            return Err(self.broken(n, Broken::Incomplete));
        }
        for (i, line) in bytes[..bytes.len() - 1].split(|&b| b == b'\n').enumerate() {
            let n = i + 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                return Err(self.broken(n, Broken::Blank));
            }
            // The problem only: what to do about a JSON file one was handed (copy it again)
            // is not what to do about a transcript; `broken` says that.
            let value = json::parse(line)
                .map_err(|e| self.broken(n, Broken::NotJson { problem: e.problem }))?;
            let Value::Object(fields) = value else {
                return Err(self.broken(n, Broken::NotObject));
            };
            match fields.get("seq").and_then(Value::as_i128) {
                Some(seq) if seq == n as i128 => {}
                found => {
                    return Err(self.broken(n, Broken::Seq { found, expected: n }));
                }
            }
            if fields.get("prev").and_then(Value::as_str) != Some(prev.as_str()) {
                return Err(self.broken(n, Broken::Prev { first: n == 1 }));
            }
            prev = hex::encode(Sha256::digest(line));
            entries.push(Entry {
                seq: n as u64,
                fields,
            });
        }
        Ok((entries, prev))
    }

    /// Appends several events in one atomic write: all of them are in the transcript, or
    /// none is. Returns the new entries. The events (each a name and its members, see
    /// `ceremony::events`) must not contain secrets: nothing secret ever reaches this module.
    pub fn append_all(
        &self,
        time: &str,
        events: Vec<(String, Vec<(String, Value)>)>,
    ) -> Result<Vec<Entry>> {
        let old = self.read_bytes()?.unwrap_or_default();
        let (entries, mut prev) = self.check(&old)?;
        let mut seq = entries.len() as u64;
        let mut new = old;
        let mut added = Vec::with_capacity(events.len());
        for (event, fields) in events {
            seq += 1;
            let mut obj = Object::from_pairs(fields);
            obj.insert("seq", Value::Int(i128::from(seq)));
            obj.insert("prev", Value::str(&prev));
            obj.insert("event", Value::str(event));
            obj.insert("time", Value::str(time));
            obj.insert(
                "tool",
                Value::str(concat!("tuf-ceremony ", env!("CARGO_PKG_VERSION"))),
            );
            // Which build wrote this line (see `crate::binary`).
            obj.insert("tool_sha256", Value::str(crate::binary::sha256()));
            let line = json::compact(&Value::Object(obj.clone()));
            prev = hex::encode(Sha256::digest(line.as_bytes()));
            new.extend_from_slice(line.as_bytes());
            new.push(b'\n');
            added.push(Entry { seq, fields: obj });
        }
        if added.is_empty() {
            return Ok(added);
        }
        crate::fsutil::write_atomic(&self.path, &new)?;
        Ok(added)
    }

    /// The hash of the transcript's last line (its head), which `export` and `report`
    /// print so that the keyholders can write it into the signed minutes: a transcript cut
    /// short or restored from an older copy no longer ends in it. [`GENESIS`] for an empty
    /// or missing transcript.
    pub fn head(&self) -> Result<(u64, String)> {
        let bytes = self.read_bytes()?.unwrap_or_default();
        let (entries, head) = self.check(&bytes)?;
        Ok((entries.len() as u64, head))
    }
}
