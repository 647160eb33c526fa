//! The README's "A ceremony in ten commands" runs as written: the block is taken from
//! README.md and run by bash, each `tuf-ceremony` line unchanged. Only what a person
//! supplies at the keyboard is supplied here (as scripts/rehearse/lib.sh does): the
//! passphrase from a file, and "yes" to each confirmation.

use crate::scene::has;
use crate::util::{bin, repo_root, PASSPHRASE};
use std::process::Command;

/// The first ```sh block after the heading `## A ceremony in ten commands`.
fn ten_commands() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let at = readme
        .find("\n## A ceremony in ten commands\n")
        .expect("README.md has no \"A ceremony in ten commands\"");
    let rest = &readme[at..];
    let start = rest.find("```sh\n").expect("no ```sh block") + "```sh\n".len();
    let end = rest[start..].find("```").expect("unclosed block") + start;
    rest[start..end].to_string()
}

#[test]
fn the_readmes_ten_commands_run_as_written() {
    let block = ten_commands();
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("pp"), format!("{PASSPHRASE}\n")).unwrap();
    // `tuf-ceremony` on PATH: the binary under test with the passphrase file, and a
    // keyboard that answers "yes".
    std::fs::create_dir(p("bin")).unwrap();
    let wrapper = format!(
        "#!/bin/sh\nyes yes | \"{}\" --passphrase-file \"{}\" \"$@\"\n",
        bin().display(),
        p("pp").display()
    );
    std::fs::write(p("bin/tuf-ceremony"), wrapper).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        p("bin/tuf-ceremony"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    std::fs::write(p("ten.sh"), format!("set -euo pipefail\n{block}")).unwrap();
    let path = format!(
        "{}:{}",
        p("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg("ten.sh")
        .current_dir(dir.path())
        .env("PATH", path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the README's ten commands failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // It made a whole ceremony: root v2 exported after v1, and the record verifies.
    for f in ["1.root.json", "2.root.json", "targets.json", "claimed.json"] {
        assert!(p("repo").join(f).exists(), "repo/{f} missing:\n{stdout}");
    }
    has(
        &stdout,
        "every file is byte for byte what the transcript recorded at export",
    );
}
