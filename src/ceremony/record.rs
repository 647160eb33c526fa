//! The record binds the folder: what the transcript says each of the ceremony folder's files
//! holds, and the check that holds every file to it.
//!
//! Every command that writes a file in the ceremony folder (a working role, a trusted copy,
//! `ceremony.json`, `policy.toml`) ends its transcript lines with a `files` event naming each
//! file it wrote and the SHA-256 of its bytes (`null` for a file it removed), in the same
//! atomic append as the lines saying what it did (see [`super::pending::Pending`]). Folding
//! those events from the first line gives the folder as the record says it is.
//!
//! Every command opens the folder as one snapshot ([`super::Ceremony::open`]) and holds each
//! file to that: a file swapped, restored from an older copy, removed, or added by hand is
//! refused, naming the file, both digests and the transcript line. What the ceremony signs,
//! which roles it has and whether it signs root alone then come from the record, never from
//! which files happen to be there.
//!
//! What this protects against, and what it does not:
//! - a file changed without the transcript (a swapped trusted root, a working role restored
//!   from a backup, a lost `claimed.json`, a deleted `policy.toml`) is caught by its digest;
//! - a transcript removed, while `ceremony.json` says the folder is bound, is caught by the
//!   state file's format (`tuf-ceremony-directory/2`);
//! - someone who rewrites the transcript and the files together is not caught here: the
//!   transcript head read into the signed minutes at export, and the keyholders' signatures
//!   over the head (`transcript sign`, checked by `transcript verify --head`), catch that.
//!
//! Transcripts written before files were recorded have no `files` event. Their folders still
//! open, unbound, and `status` says so; the first command that writes to the folder records
//! every file as it finds it, and from then on the folder is bound.

use super::events::Event;
use crate::transcript::Entry;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The transcript event that records files written or removed.
pub const EVENT: &str = "files";

/// `files`: the files of the ceremony folder one command wrote (their SHA-256) or removed
/// (`null`), by path relative to the folder (`root.json`, `trusted/2.root.json`).
#[derive(Serialize)]
pub struct Files {
    pub files: BTreeMap<String, Option<String>>,
}

impl Event for Files {
    const NAME: &'static str = EVENT;
}

/// What the record says one file holds, and the line that says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// `None`: recorded as removed.
    pub sha256: Option<String>,
    pub seq: u64,
    /// What the record held before that line (`None`: no such file).
    pub previous: Option<String>,
}

/// The folder as the transcript records it.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// Whether any line records files (transcripts of earlier versions have none).
    pub started: bool,
    pub files: BTreeMap<String, Recorded>,
    /// Names the record gives that are not a file of the folder (`../x`, `a/b/c`): only a
    /// transcript written by hand has them.
    pub bad_names: Vec<(String, u64)>,
}

impl Record {
    /// Folds every `files` event, first to last.
    pub fn from_entries(entries: &[Entry]) -> Record {
        let mut record = Record::default();
        for e in entries.iter().filter(|e| e.event() == EVENT) {
            record.started = true;
            let Some(files) = e.fields.get("files").and_then(|v| v.as_object()) else {
                record
                    .bad_names
                    .push(("(files is not an object)".into(), e.seq));
                continue;
            };
            for (name, v) in files.iter() {
                if !is_folder_name(name) {
                    record.bad_names.push((name.to_string(), e.seq));
                    continue;
                }
                record.note(name, v.as_str().map(str::to_string), e.seq);
            }
        }
        record
    }

    /// The SHA-256 the record holds for `name`, if it records the file as present.
    pub fn sha256(&self, name: &str) -> Option<&str> {
        self.files.get(name).and_then(|r| r.sha256.as_deref())
    }

    /// Notes what a command wrote (`Some`) or removed (`None`), at line `seq`.
    pub fn note(&mut self, name: &str, sha256: Option<String>, seq: u64) {
        self.started = true;
        let previous = self.files.get(name).and_then(|r| r.sha256.clone());
        self.files.insert(
            name.to_string(),
            Recorded {
                sha256,
                seq,
                previous,
            },
        );
    }
}

/// A name the record may give: a file at the top of the folder or in `trusted/`, never a
/// path that leaves it or a hidden file.
pub fn is_folder_name(name: &str) -> bool {
    let ok = |part: &str| {
        !part.is_empty() && !part.starts_with('.') && !part.contains(['/', '\\', '\0'])
    };
    match name.split_once('/') {
        // The transcript and the lock are the tool's own, never one of the recorded files.
        None if name == "transcript.jsonl" || name == super::lock::LOCK_FILE => false,
        None => ok(name),
        Some(("trusted", rest)) => ok(rest),
        Some(_) => false,
    }
}

pub use crate::outcome::Mismatch;

/// Compares the files found (name and SHA-256) with the record. `known` are the names the
/// folder may hold (its state file, policy, each role's working file and every file in
/// `trusted/`): one of them found and not recorded was added by hand.
pub fn compare(
    record: &Record,
    found: &BTreeMap<String, String>,
    known: &[String],
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (name, seq) in &record.bad_names {
        out.push(Mismatch {
            file: format!("{name}: not a file of the ceremony folder; the record names it"),
            recorded: None,
            found: None,
            seq: Some(*seq),
        });
    }
    for (name, r) in &record.files {
        let f = found.get(name);
        if r.sha256.as_ref() != f {
            out.push(Mismatch {
                file: name.clone(),
                recorded: r.sha256.clone(),
                found: f.cloned(),
                seq: Some(r.seq),
            });
        }
    }
    for name in known {
        if let Some(f) = found.get(name) {
            if !record.files.contains_key(name) {
                out.push(Mismatch {
                    file: name.clone(),
                    recorded: None,
                    found: Some(f.clone()),
                    seq: None,
                });
            }
        }
    }
    out
}

/// The refusal for a folder that does not match its record: every mismatch, and what to do,
/// in one paragraph (a refusal is shown as one: see `main`).
pub fn refusal(dir: &Path, mismatches: &[Mismatch]) -> crate::error::Error {
    crate::outcome::Refusal::FolderDiffersFromRecord {
        dir: dir.to_path_buf(),
        mismatches: mismatches.to_vec(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(files: &[(&str, Option<&str>, u64)]) -> Record {
        let mut r = Record::default();
        for (name, sha, seq) in files {
            r.note(name, sha.map(str::to_string), *seq);
        }
        r
    }

    fn found(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect()
    }

    #[test]
    fn each_kind_of_difference_is_named_with_both_digests_and_the_line() {
        let r = record(&[
            ("root.json", Some("aa"), 3),
            ("claimed.json", Some("bb"), 4),
            ("policy.toml", None, 9),
        ]);
        let f = found(&[
            ("root.json", "cc"),
            ("targets.json", "dd"),
            ("policy.toml", "ee"),
        ]);
        let known: Vec<String> = ["root.json", "targets.json", "claimed.json", "policy.toml"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let said: Vec<String> = compare(&r, &f, &known)
            .iter()
            .map(Mismatch::describe)
            .collect();
        assert_eq!(said.len(), 4, "{said:#?}");
        assert!(said.iter().any(|s| s.starts_with("root.json: changed: transcript.jsonl line 3 records SHA-256 aa, the folder holds SHA-256 cc")), "{said:#?}");
        assert!(
            said.iter().any(|s| s.starts_with(
                "claimed.json: removed: transcript.jsonl line 4 records it with SHA-256 bb"
            )),
            "{said:#?}"
        );
        assert!(
            said.iter().any(|s| s.starts_with(
                "policy.toml: added by hand: transcript.jsonl line 9 records it as removed"
            )),
            "{said:#?}"
        );
        assert!(
            said.iter().any(|s| s
                .starts_with("targets.json: added by hand: the transcript records no such file")),
            "{said:#?}"
        );
    }

    #[test]
    fn a_folder_that_matches_has_no_mismatch() {
        let r = record(&[("root.json", Some("aa"), 3), ("policy.toml", None, 5)]);
        let f = found(&[("root.json", "aa")]);
        assert!(compare(&r, &f, &["root.json".into(), "policy.toml".into()]).is_empty());
    }

    #[test]
    fn only_names_inside_the_folder_are_files_of_it() {
        for good in ["root.json", "trusted/2.root.json", "policy.toml"] {
            assert!(is_folder_name(good), "{good}");
        }
        for bad in [
            "../root.json",
            "trusted/../x",
            "a/b",
            "trusted/a/b",
            "/etc/passwd",
            ".hidden",
            "trusted/",
            "",
        ] {
            assert!(!is_folder_name(bad), "{bad}");
        }
    }
}
