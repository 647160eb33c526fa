//! What a command prints can fail, and says so; every command honours `--json`.

use crate::util::{bin, Scene};
use std::process::{Command, Stdio};

/// `inspect --canonical > f` on a full disk must not exit 0 with a truncated payload.
#[test]
fn a_failed_write_to_standard_output_is_an_error() {
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    crate::util::ok(&s.init_alone(&[]), "init");
    for args in [
        vec!["inspect", "--canonical", "c/root.json"],
        vec!["inspect", "--digest", "c/root.json"],
        vec!["-C", "c", "status"],
        vec!["-C", "c", "--json", "status"],
        vec!["completions", "bash"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(bin())
            .current_dir(s.path())
            .args(&args)
            .stdout(Stdio::from(full))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(6), "{args:?}: {err}");
        assert!(err.contains("standard output"), "{args:?}: {err}");
    }
}

/// `--json` gives one JSON document on standard output for every command, including
/// those with no report of their own (sign, merge, verify, export).
#[test]
fn every_command_honours_json() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "snapshot", "timestamp"]);
    s.init(&["alice", "bob"], 1);
    let json = |args: &[&str]| {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = s.ok(&all);
        tuf_ceremony::json::parse(out.trim_end().as_bytes())
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}):\n{out}"))
    };
    json(&[
        "-C",
        "c",
        "sign",
        "root",
        "--signer",
        "file:alice.key",
        "--yes",
    ]);
    json(&[
        "-C",
        "c",
        "sign",
        "targets",
        "--signer",
        "file:bob.key",
        "--yes",
        "--detached",
        "bob.sig.json",
    ]);
    let merged = json(&["-C", "c", "merge", "bob.sig.json"]);
    assert!(
        tuf_ceremony::json::compact(&merged).contains("merged bob"),
        "{merged:?}"
    );
    json(&[
        "-C",
        "c",
        "sign",
        "claimed",
        "--signer",
        "file:alice.key",
        "--yes",
    ]);
    json(&["-C", "c", "status"]);
    json(&["-C", "c", "export", "--out", "repo"]);
    json(&["-C", "c", "verify", "--trusted-root", "repo/1.root.json"]);
    json(&["-C", "c", "transcript", "verify"]);
}
