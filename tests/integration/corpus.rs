//! The bad-input corpus: tests/corpus, made by scripts/gen-corpus.py, one file per
//! way an input can be wrong or hostile. Every case must end with a non-zero exit (never a
//! panic or a signal), a one-paragraph error that names the file it is about, and no change
//! to the ceremony directory.

use crate::util::{repo_root, snapshot, Scene};
use std::path::{Path, PathBuf};
use std::process::Output;

fn cases(kind: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("tests/corpus").join(kind);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

/// Checks a refusal and returns a problem, if any.
fn judge(case: &Path, out: &Output, names: &str) -> Option<String> {
    let err = String::from_utf8_lossy(&out.stderr);
    let all = format!("{err}{}", String::from_utf8_lossy(&out.stdout));
    let name = case.file_name().unwrap().to_string_lossy();
    let problem = match out.status.code() {
        None => Some("killed by a signal".to_string()),
        Some(0) => Some("accepted".to_string()),
        Some(101) => Some("panicked".to_string()),
        Some(_) if all.contains("panicked") => Some("panicked".to_string()),
        Some(_) if !err.starts_with("error: ") => Some("no \"error: \" line".to_string()),
        Some(_) if err.trim_end().contains("\n\n") => Some("more than one paragraph".to_string()),
        Some(_) if err.len() > 2000 => Some(format!("a {}-byte error", err.len())),
        Some(_) if !err.contains(names) => Some(format!("does not name {names}")),
        Some(_) => None,
    };
    problem.map(|p| {
        format!(
            "{name}: {p}\n    {}",
            all.trim_end().replace('\n', "\n    ")
        )
    })
}

fn report(kind: &str, problems: Vec<String>, n: usize) {
    assert!(n > 0, "no {kind} cases");
    assert!(
        problems.is_empty(),
        "{} of {n} {kind} cases went wrong:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// An empty folder stays empty: nothing is created for metadata that is refused.
#[test]
fn metadata_corpus_is_refused_at_load() {
    let s = Scene::new();
    let mut problems = Vec::new();
    let all = cases("metadata");
    for case in &all {
        let out = s.run(&["-C", "c", "load", case.to_str().unwrap()]);
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        if let Some(p) = judge(case, &out, &name) {
            problems.push(p);
        }
        if s.p("c").exists() {
            problems.push(format!("{name}: the refused load left files behind"));
            std::fs::remove_dir_all(s.p("c")).unwrap();
        }
    }
    report("metadata", problems, all.len());
}

/// Files python-tuf reads whose keys or signatures cannot count (a keyid it takes as given,
/// a key no signature can be checked with, a signature that does not verify) load as
/// working copies, with a warning naming what is wrong, but are never recorded as trusted:
/// no valid signature meets the root threshold. The refusal changes nothing.
#[test]
fn readable_but_unsigned_corpus_loads_but_is_never_trusted() {
    let s = Scene::new();
    let mut problems = Vec::new();
    let all = cases("metadata-trusted");
    for case in &all {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let dir = format!("c-{}", case.file_stem().unwrap().to_string_lossy());
        let out = s.run(&["-C", &dir, "load", case.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || !err.contains("warning: ") || err.contains("panicked") {
            problems.push(format!(
                "{name}: load should succeed with a warning: {:?}\n    {err}",
                out.status.code()
            ));
        }
        let trusted_dir = format!("t-{}", case.file_stem().unwrap().to_string_lossy());
        let out = s.run(&[
            "-C",
            &trusted_dir,
            "load",
            "--trusted",
            case.to_str().unwrap(),
        ]);
        if let Some(p) = judge(case, &out, &name) {
            problems.push(p);
        }
        if out.status.code() == Some(4)
            && !String::from_utf8_lossy(&out.stderr).contains("signatures its own root keys need")
        {
            problems.push(format!(
                "{name}: refused for another reason than the threshold"
            ));
        }
        if s.p(&trusted_dir).exists() {
            problems.push(format!("{name}: the refused load left files behind"));
        }
    }
    report("readable but unsigned", problems, all.len());
}

/// Expired and far-future payloads load, but no keyholder may sign them.
#[test]
fn expiry_corpus_is_refused_at_sign() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    let mut problems = Vec::new();
    let all = cases("metadata-sign");
    for case in &all {
        let dir = format!("c-{}", case.file_stem().unwrap().to_string_lossy());
        s.ok(&["-C", &dir, "load", case.to_str().unwrap()]);
        let before = snapshot(&s.p(&dir));
        let out = s.run(&[
            "-C",
            &dir,
            "sign",
            "root",
            "--signer",
            "file:alice.key",
            "--yes",
        ]);
        if let Some(p) = judge(case, &out, "expire") {
            problems.push(p);
        }
        if before != snapshot(&s.p(&dir)) {
            problems.push(format!(
                "{}: the refusal changed the ceremony",
                case.display()
            ));
        }
    }
    report("expiry", problems, all.len());
}

/// A ceremony with alice's root v1, for the cases that need one.
fn ceremony(s: &Scene) -> (String, String) {
    s.keygen(&["alice"]);
    s.init_online(&["alice"], 1, 1, &[]);
    let shown = s.ok(&["key", "show", "alice.pub.json"]);
    let keyid = shown
        .lines()
        .find_map(|l| l.strip_prefix("keyid "))
        .unwrap()
        .to_string();
    let digest = s
        .ok(&["inspect", "--digest", "c/root.json"])
        .trim()
        .to_string();
    (keyid, digest)
}

#[test]
fn signature_file_corpus_is_refused_by_merge() {
    let s = Scene::new();
    let (keyid, digest) = ceremony(&s);
    let mut problems = Vec::new();
    let all = cases("sigfile");
    for case in &all {
        let text = std::fs::read_to_string(case).unwrap();
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        s.write(
            &name,
            &text
                .replace("@KEYID@", &keyid)
                .replace("@DIGEST@", &digest)
                .replace("@VERSION@", "1"),
        );
        let before = snapshot(&s.p("c"));
        let out = s.run(&["-C", "c", "merge", &name]);
        if let Some(p) = judge(case, &out, &name) {
            problems.push(p);
        }
        if before != snapshot(&s.p("c")) {
            problems.push(format!("{name}: the refused merge changed the ceremony"));
        }
    }
    report("signature file", problems, all.len());
}

#[test]
fn key_file_corpus_is_refused_by_sign() {
    let s = Scene::new();
    ceremony(&s);
    let mut problems = Vec::new();
    let all = cases("keyfile");
    for case in &all {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        std::fs::copy(case, s.p(&name)).unwrap();
        let mut perms = std::fs::metadata(s.p(&name)).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
        std::fs::set_permissions(s.p(&name), perms).unwrap();
        let before = snapshot(&s.p("c"));
        let out = s.run(&[
            "-C",
            "c",
            "sign",
            "root",
            "--signer",
            &format!("file:{name}"),
            "--yes",
        ]);
        if let Some(p) = judge(case, &out, &name) {
            problems.push(p);
        }
        if before != snapshot(&s.p("c")) {
            problems.push(format!("{name}: the refused signing changed the ceremony"));
        }
    }
    report("key file", problems, all.len());
}

#[test]
fn transcript_corpus_is_detected_and_stops_the_ceremony() {
    let s = Scene::new();
    ceremony(&s);
    let mut problems = Vec::new();
    let all = cases("transcript");
    for case in &all {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        std::fs::copy(case, s.p("c/transcript.jsonl")).unwrap();
        let before = snapshot(&s.p("c"));
        let out = s.run(&["-C", "c", "transcript", "verify"]);
        if out.status.code() != Some(1) {
            problems.push(format!(
                "{name}: transcript verify exited {:?}",
                out.status.code()
            ));
        }
        let out = s.run(&["-C", "c", "expires", "targets", "300d"]);
        if let Some(p) = judge(case, &out, "transcript.jsonl") {
            problems.push(p);
        }
        if before != snapshot(&s.p("c")) {
            problems.push(format!("{name}: an edit went ahead on a broken transcript"));
        }
    }
    report("transcript", problems, all.len());
}

#[test]
fn rotation_corpus_is_refused_by_load_trusted() {
    let s = Scene::new();
    let mut problems = Vec::new();
    let mut n = 0;
    for dir in cases("rotation") {
        n += 1;
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut files = cases(&format!("rotation/{name}"));
        files.sort_by_key(|f| {
            let f = f.file_name().unwrap().to_string_lossy().to_string();
            f.split('.').next().unwrap().parse::<u64>().unwrap()
        });
        let last = files.pop().unwrap();
        let c = format!("c-{name}");
        for f in &files {
            s.ok(&["-C", &c, "load", "--trusted", f.to_str().unwrap()]);
        }
        let before = if s.p(&c).exists() {
            snapshot(&s.p(&c))
        } else {
            Vec::new()
        };
        let out = s.run(&["-C", &c, "load", "--trusted", last.to_str().unwrap()]);
        let last_name = last.file_name().unwrap().to_string_lossy().to_string();
        if let Some(p) = judge(&last, &out, &last_name) {
            problems.push(format!("{name}/{p}"));
        }
        let after = if s.p(&c).exists() {
            snapshot(&s.p(&c))
        } else {
            Vec::new()
        };
        if before != after {
            problems.push(format!("{name}: the refused load changed the ceremony"));
        }
    }
    report("rotation", problems, n);
}
