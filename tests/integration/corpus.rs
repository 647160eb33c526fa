//! The bad-input corpus: tests/corpus, made by scripts/gen-corpus.py, one file per way an
//! input can be wrong or hostile. Every case must end with a non-zero exit (never a panic or
//! a signal), a one-paragraph error that names the file it is about, and no change to the
//! ceremony directory; and it must be refused for its own reason: each folder's
//! `cases.json` pins the exit code and a substring of the error that belongs to the check
//! the case is about, so a file refused by another check (a duplicate key case that trips
//! over something else in it first) fails here.

use crate::scene::has;
use crate::util::{repo_root, snapshot, Scene};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The name of each folder's manifest of expected refusals.
const MANIFEST: &str = "cases.json";

/// The folders of the corpus, each judged by one procedure below.
const FOLDERS: [&str; 8] = [
    "metadata",
    "role-name",
    "metadata-trusted",
    "metadata-sign",
    "sigfile",
    "keyfile",
    "transcript",
    "rotation",
];

/// The refusal a case must get.
#[derive(Debug)]
struct Expected {
    /// The exit code.
    exit: i32,
    /// A substring of standard error.
    error: String,
    /// metadata-trusted only: a substring of the warning the plain `load` gives.
    warning: Option<String>,
}

/// Reads `dir`'s manifest and pairs each case (a file, or for rotation a folder) with its
/// expectation: every case must have one, and every expectation a case.
fn expectations_in(dir: &Path) -> Result<Vec<(PathBuf, Expected)>, String> {
    let text = std::fs::read_to_string(dir.join(MANIFEST))
        .map_err(|e| format!("{}: {e}", dir.join(MANIFEST).display()))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{MANIFEST}: {e}"))?;
    let manifest = manifest
        .as_object()
        .ok_or_else(|| format!("{MANIFEST}: not an object"))?;
    let mut wanted = BTreeMap::new();
    for (name, e) in manifest {
        let field = |k: &str| e.get(k).and_then(serde_json::Value::as_str);
        let exit = e.get("exit").and_then(serde_json::Value::as_i64);
        let (Some(exit), Some(error)) = (exit, field("error")) else {
            return Err(format!(
                "{MANIFEST}: {name}: needs an integer exit and an error"
            ));
        };
        if exit == 0 || error.trim().is_empty() {
            return Err(format!(
                "{MANIFEST}: {name}: an expectation that cannot fail"
            ));
        }
        let expected = Expected {
            exit: exit as i32,
            error: error.to_string(),
            warning: field("warning").map(str::to_string),
        };
        wanted.insert(name.clone(), expected);
    }
    let mut out = Vec::new();
    let mut unexpected = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != MANIFEST)
        .collect();
    names.sort();
    for name in names {
        match wanted.remove(&name) {
            Some(expected) => out.push((dir.join(&name), expected)),
            None => unexpected.push(name),
        }
    }
    let missing: Vec<String> = wanted.into_keys().collect();
    if !unexpected.is_empty() || !missing.is_empty() {
        return Err(format!(
            "{}: cases without an expectation: {unexpected:?}; expectations without a case: \
             {missing:?} (regenerate with scripts/gen-corpus.py)",
            dir.display()
        ));
    }
    if out.is_empty() {
        return Err(format!("{}: no cases", dir.display()));
    }
    Ok(out)
}

fn expectations(kind: &str) -> Vec<(PathBuf, Expected)> {
    expectations_in(&repo_root().join("tests/corpus").join(kind)).unwrap_or_else(|e| panic!("{e}"))
}

/// Checks a refusal and returns a problem, if any.
fn judge(case: &Path, out: &Output, expected: &Expected, names: &str) -> Option<String> {
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
        Some(code) if code != expected.exit => Some(format!(
            "exited {code}, not {}: refused by another check?",
            expected.exit
        )),
        Some(_) if !err.contains(&expected.error) => Some(format!(
            "refused, but not for its reason: the error does not say {:?}",
            expected.error
        )),
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

/// Every folder of the corpus has a manifest that pairs each case with its expected
/// refusal, both ways, and every folder is judged by a test here.
#[test]
fn every_corpus_case_has_its_expected_refusal() {
    let root = repo_root().join("tests/corpus");
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    folders.sort();
    let mut known = FOLDERS.map(str::to_string).to_vec();
    known.sort();
    assert_eq!(folders, known, "a corpus folder no test here judges");
    for kind in FOLDERS {
        expectations(kind);
    }
}

/// The manifest check fails both ways: a case without an expectation, and an expectation
/// whose case is gone.
#[test]
fn a_case_without_expectation_or_an_expectation_without_case_is_caught() {
    let s = Scene::new();
    std::fs::create_dir(s.p("k")).unwrap();
    let one = r#"{"a.json": {"exit": 3, "error": "appears twice"}}"#;
    s.write("k/cases.json", one);
    s.write("k/a.json", "{}");
    assert_eq!(expectations_in(&s.p("k")).unwrap().len(), 1);
    s.write("k/b.json", "{}");
    let e = expectations_in(&s.p("k")).unwrap_err();
    has(&e, r#"cases without an expectation: ["b.json"]"#);
    std::fs::remove_file(s.p("k/b.json")).unwrap();
    std::fs::remove_file(s.p("k/a.json")).unwrap();
    let e = expectations_in(&s.p("k")).unwrap_err();
    has(&e, r#"expectations without a case: ["a.json"]"#);
    s.write("k/a.json", "{}");
    s.write("k/cases.json", r#"{"a.json": {"exit": 0, "error": "x"}}"#);
    assert!(expectations_in(&s.p("k")).is_err());
}

/// The judge refuses a refusal for another reason: a wrong exit code, or an error that
/// does not carry the pinned substring.
#[test]
fn a_refusal_for_another_reason_is_caught() {
    use std::os::unix::process::ExitStatusExt;
    let case = Path::new("root-duplicate-key-expires.json");
    let expected = Expected {
        exit: 3,
        error: r#"the member "expires" appears twice"#.to_string(),
        warning: None,
    };
    let out = |code: i32, err: &str| Output {
        status: std::process::ExitStatus::from_raw(code << 8),
        stdout: Vec::new(),
        stderr: err.as_bytes().to_vec(),
    };
    let right =
        r#"error: root-duplicate-key-expires.json: $.signed: the member "expires" appears twice"#;
    assert_eq!(
        judge(case, &out(3, right), &expected, "root-duplicate"),
        None
    );
    let other = "error: root-duplicate-key-expires.json: $.signed.version: must be an integer";
    let p = judge(case, &out(3, other), &expected, "root-duplicate").unwrap();
    has(&p, "not for its reason");
    let p = judge(case, &out(4, right), &expected, "root-duplicate").unwrap();
    has(&p, "exited 4, not 3");
}

/// An empty folder stays empty: nothing is created for metadata that is refused. The
/// role-name cases hold good metadata under a file name no role may have (`load` names
/// the role after the file).
#[test]
fn metadata_corpus_is_refused_at_load() {
    let s = Scene::new();
    let mut problems = Vec::new();
    let mut n = 0;
    for kind in ["metadata", "role-name"] {
        for (case, expected) in expectations(kind) {
            n += 1;
            let out = s.run(&["-C", "c", "load", case.to_str().unwrap()]);
            let name = case.file_name().unwrap().to_string_lossy().to_string();
            if let Some(p) = judge(&case, &out, &expected, &name) {
                problems.push(format!("{kind}/{p}"));
            }
            if s.p("c").exists() {
                problems.push(format!("{name}: the refused load left files behind"));
                std::fs::remove_dir_all(s.p("c")).unwrap();
            }
        }
    }
    report("metadata", problems, n);
}

/// Files python-tuf reads whose keys or signatures cannot count (a keyid it takes as given,
/// a key no signature can be checked with, a signature that does not verify) load as
/// working copies, with a warning naming what is wrong, but are never recorded as trusted:
/// no valid signature meets the root threshold, for the reason the case is about. The
/// refusal changes nothing.
#[test]
fn readable_but_unsigned_corpus_loads_but_is_never_trusted() {
    let s = Scene::new();
    let mut problems = Vec::new();
    let all = expectations("metadata-trusted");
    for (case, expected) in &all {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let dir = format!("c-{}", case.file_stem().unwrap().to_string_lossy());
        let out = s.run(&["-C", &dir, "load", case.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        let warning = expected.warning.as_deref().expect("a warning to expect");
        if !out.status.success() || !err.contains("warning: ") || err.contains("panicked") {
            problems.push(format!(
                "{name}: load should succeed with a warning: {:?}\n    {err}",
                out.status.code()
            ));
        } else if !err.contains(warning) {
            problems.push(format!(
                "{name}: the load does not warn {warning:?}\n    {err}"
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
        if let Some(p) = judge(case, &out, expected, &name) {
            problems.push(p);
        }
        if s.p(&trusted_dir).exists() {
            problems.push(format!("{name}: the refused load left files behind"));
        }
    }
    report("readable but unsigned", problems, all.len());
}

/// Alice's keyid and public key (hex), as `key show` and her public key file give them.
fn alice(s: &Scene) -> (String, String) {
    let keyid = s.keyid("alice.pub.json");
    let key: serde_json::Value = serde_json::from_str(&s.read("alice.pub.json")).unwrap();
    let public = key["keyval"]["public"].as_str().unwrap().to_string();
    (keyid, public)
}

/// Payloads that load, listing alice's own key, but that no keyholder may sign (expired,
/// expiring too far ahead, a keyid that is not its key's).
#[test]
fn sign_corpus_is_refused_at_sign() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    let (keyid, public) = alice(&s);
    let mut problems = Vec::new();
    let all = expectations("metadata-sign");
    for (case, expected) in &all {
        let stem = case.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(case).unwrap();
        s.write(
            "root.json",
            &text.replace("@KEYID@", &keyid).replace("@PUBLIC@", &public),
        );
        let dir = format!("c-{stem}");
        s.cmd(&format!("-C {dir} load root.json"));
        let before = snapshot(&s.p(&dir));
        let out = s.cmd_run(&format!("-C {dir} sign root --signer file:alice.key --yes"));
        if let Some(p) = judge(case, &out, expected, "root") {
            problems.push(p);
        }
        if before != snapshot(&s.p(&dir)) {
            problems.push(format!("{stem}: the refusal changed the ceremony"));
        }
    }
    report("sign", problems, all.len());
}

/// A ceremony with alice's root v1, for the cases that need one.
fn ceremony(s: &Scene) -> (String, String) {
    s.keygen(&["alice"]);
    s.init_online(&["alice"], 1, 1, &[]);
    let (keyid, _) = alice(s);
    let digest = s.cmd("inspect --digest c/root.json").trim().to_string();
    (keyid, digest)
}

/// Each case of `tests/corpus/KIND`, put in place by `place` (which returns the name the
/// messages use for it), is refused by `attempt` as its expectation says, and the refused
/// `act` leaves ceremony `c` as it was; `label` names the corpus in the summary.
fn each_refused_in_c(
    s: &Scene,
    kind: &str,
    label: &str,
    act: &str,
    place: impl Fn(&Path) -> String,
    attempt: impl Fn(&str) -> Output,
) {
    let mut problems = Vec::new();
    let all = expectations(kind);
    for (case, expected) in &all {
        let name = place(case);
        let before = snapshot(&s.p("c"));
        let out = attempt(&name);
        if let Some(p) = judge(case, &out, expected, &name) {
            problems.push(p);
        }
        if before != snapshot(&s.p("c")) {
            problems.push(format!("{name}: the refused {act} changed the ceremony"));
        }
    }
    report(label, problems, all.len());
}

#[test]
fn signature_file_corpus_is_refused_by_merge() {
    let s = Scene::new();
    let (keyid, digest) = ceremony(&s);
    let place = |case: &Path| {
        let text = std::fs::read_to_string(case).unwrap();
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        s.write(
            &name,
            &text
                .replace("@KEYID@", &keyid)
                .replace("@DIGEST@", &digest)
                .replace("@VERSION@", "1"),
        );
        name
    };
    let merge = |name: &str| s.c_run(&format!("merge {name}"));
    each_refused_in_c(&s, "sigfile", "signature file", "merge", place, merge);
}

#[test]
fn key_file_corpus_is_refused_by_sign() {
    let s = Scene::new();
    ceremony(&s);
    let place = |case: &Path| {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        std::fs::copy(case, s.p(&name)).unwrap();
        let mut perms = std::fs::metadata(s.p(&name)).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
        std::fs::set_permissions(s.p(&name), perms).unwrap();
        name
    };
    let sign = |name: &str| s.c_run(&format!("sign root --signer file:{name} --yes"));
    each_refused_in_c(&s, "keyfile", "key file", "signing", place, sign);
}

/// `transcript verify` reports the break, and an edit refuses to go on from it; both
/// name the same line and reason.
#[test]
fn transcript_corpus_is_detected_and_stops_the_ceremony() {
    let s = Scene::new();
    ceremony(&s);
    let mut problems = Vec::new();
    let all = expectations("transcript");
    for (case, expected) in &all {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        std::fs::copy(case, s.p("c/transcript.jsonl")).unwrap();
        let before = snapshot(&s.p("c"));
        let out = s.c_run("transcript verify");
        if let Some(p) = judge(case, &out, expected, "transcript.jsonl") {
            problems.push(format!("transcript verify: {p}"));
        }
        let out = s.c_run("expires targets 300d");
        if let Some(p) = judge(case, &out, expected, "transcript.jsonl") {
            problems.push(format!("expires: {p}"));
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
    let all = expectations("rotation");
    for (dir, expected) in &all {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
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
        if let Some(p) = judge(&last, &out, expected, &last_name) {
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
    report("rotation", problems, all.len());
}
