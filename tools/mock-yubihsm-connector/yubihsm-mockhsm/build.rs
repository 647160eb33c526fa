//! Makes this package's source: the yubihsm crate as Cargo unpacked it from crates.io
//! (checked against Cargo.lock's checksum when Cargo downloaded it), copied to
//! `target/yubihsm-mockhsm/` (its `src/` and the README its docs include) and patched with
//! `mockhsm-p384.patch`. Every hunk must apply at the exact place it names: anything else
//! stops the build rather than compiling a MockHsm nobody reviewed.

use std::fs;
use std::path::{Path, PathBuf};

const CRATE: &str = "yubihsm-0.42.1";

fn main() {
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=mockhsm-p384.patch");
    let out = here.join("../../../target/yubihsm-mockhsm");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();
    let upstream = upstream_crate(&out);
    copy_dir(&upstream.join("src"), &out.join("src"));
    fs::copy(upstream.join("README.md"), out.join("README.md")).unwrap();
    let patch = fs::read_to_string(here.join("mockhsm-p384.patch")).unwrap();
    apply(&patch, &out);
}

/// The crate in Cargo's registry cache: unpacked, or unpacked here from the downloaded
/// `.crate`.
fn upstream_crate(out: &Path) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let registries = |kind: &str| -> Vec<PathBuf> {
        let dir = home.join("registry").join(kind);
        let mut found: Vec<PathBuf> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    };
    for r in registries("src") {
        let dir = r.join(CRATE);
        if dir.join(".cargo-ok").is_file() && dir.join("src/lib.rs").is_file() {
            return dir;
        }
    }
    for r in registries("cache") {
        let archive = r.join(format!("{CRATE}.crate"));
        if archive.is_file() {
            let status = std::process::Command::new("tar")
                .arg("-xzf")
                .arg(&archive)
                .arg("-C")
                .arg(out)
                .status()
                .expect("running tar");
            assert!(
                status.success(),
                "tar could not unpack {}",
                archive.display()
            );
            return out.join(CRATE);
        }
    }
    panic!(
        "{CRATE} is not in Cargo's registry cache ({}): run `cargo fetch --locked`, then build again",
        home.display()
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Applies a unified diff (`+++ b/PATH` headers, `@@ -LINE,N +LINE,N @@` hunks) under
/// `root`; text before the first header is a comment.
fn apply(patch: &str, root: &Path) {
    let mut lines = patch.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(path) = line.strip_prefix("+++ b/") else {
            continue;
        };
        let file = root.join(path);
        let text = fs::read_to_string(&file).unwrap();
        let mut body: Vec<String> = text.lines().map(str::to_string).collect();
        let mut offset: isize = 0;
        while let Some(hunk) = lines.next_if(|l| l.starts_with("@@ -")) {
            let start: isize = hunk[4..].split([',', ' ']).next().unwrap().parse().unwrap();
            let (mut old, mut new) = (Vec::new(), Vec::new());
            while let Some(l) = lines.next_if(|l| {
                [' ', '-', '+'].iter().any(|c| l.starts_with(*c)) && !l.starts_with("--- ")
            }) {
                let (kind, rest) = l.split_at(1);
                if kind != "+" {
                    old.push(rest.to_string());
                }
                if kind != "-" {
                    new.push(rest.to_string());
                }
            }
            let at = usize::try_from(start - 1 + offset).unwrap();
            assert!(
                body.get(at..at + old.len()) == Some(&old[..]),
                "mockhsm-p384.patch: the hunk {hunk} does not apply to {path}"
            );
            body.splice(at..at + old.len(), new.iter().cloned());
            offset += new.len() as isize - old.len() as isize;
        }
        fs::write(&file, body.join("\n") + "\n").unwrap();
    }
}
