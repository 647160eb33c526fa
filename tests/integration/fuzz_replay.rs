//! The fuzz corpora replayed on every `cargo test`: each file of each target's corpus goes
//! through the very checks the fuzz target runs (fuzz/checks.rs, shared by both), so an
//! entry that once made a target panic, or a change that makes a kept entry panic, fails
//! here without cargo-fuzz. The inputs are those scripts/fuzz.sh gives each target: its
//! committed seeds (fuzz/seeds/TARGET), the corpus a local run grew (fuzz/corpus/TARGET, not
//! committed, when present) and the test files it seeds from.

#[path = "../../fuzz/checks.rs"]
mod checks;

use crate::util::repo_root;
use std::path::{Path, PathBuf};

/// A fuzz target: its name, its check, and the folders scripts/fuzz.sh seeds it from
/// besides its own seeds and corpus.
type Target = (&'static str, fn(&[u8]), &'static [&'static str]);

const TARGETS: [Target; 5] = [
    (
        "metadata",
        checks::metadata,
        &["tests/vectors", "tests/corpus/metadata"],
    ),
    (
        "canonical",
        checks::canonical,
        &["tests/vectors", "tests/corpus/metadata"],
    ),
    ("sigfile", checks::sigfile, &["tests/corpus/sigfile"]),
    ("signer_ref", checks::signer_ref, &[]),
    (
        "transcript",
        checks::transcript,
        &["tests/corpus/transcript"],
    ),
];

/// Every file under `dir`, at any depth (none when it does not exist).
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_fuzz_corpus_entry_passes_its_targets_checks() {
    let root = repo_root();
    let mut panicked = Vec::new();
    for (target, check, extra) in TARGETS {
        let mut files = Vec::new();
        files_under(&root.join("fuzz/seeds").join(target), &mut files);
        let seeds = files.len();
        files_under(&root.join("fuzz/corpus").join(target), &mut files);
        for dir in extra {
            files_under(&root.join(dir), &mut files);
        }
        // The committed seeds are what this test is for: a target without them would pass
        // by reading nothing.
        assert!(seeds > 0, "fuzz/seeds/{target} holds no files");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                panicked.push(format!("{target}: {}", file.display()));
            }
        }
    }
    assert!(
        panicked.is_empty(),
        "fuzz corpus entries that panic (each must become a fix and a regression test):\n{}",
        panicked.join("\n")
    );
}
