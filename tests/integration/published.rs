//! `verify --repo DIR`: the exported folder read as a TUF client reads it, and each file
//! compared with the SHA-256 the transcript recorded at export; python-tuf's Updater as the
//! judge of the signature and threshold verdicts.

use crate::scene::{has, w};
use crate::util::{python, repo_root, Scene};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tuf_ceremony::json::Object;
use tuf_ceremony::metadata::{Metadata, Signature};

/// A complete ceremony, exported twice to `repo`: root v1 (alice, bob, carol; 2 of 3),
/// targets and claimed v1, then root v2 (carol out, dave in; signed by alice, bob, dave).
/// The folder holds 1.root.json, 2.root.json, root.json, targets.json, 1.targets.json,
/// claimed.json and 1.claimed.json (consistent snapshots). Made once per run (key files
/// take seconds each), and copied into each test's own scene.
fn exported() -> Scene {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let made = make_exported();
        let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("published-ceremony");
        let _ = std::fs::remove_dir_all(&keep);
        copy_tree(made.path(), &keep);
        keep
    });
    let s = Scene::new();
    copy_tree(template, s.path());
    s
}

/// Copies every file under `from` into `to`, keeping modes (key files stay 0600).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let out = Command::new("cp")
        .arg("-a")
        .arg(from.join("."))
        .arg(to)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn make_exported() -> Scene {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "dave"]);
    s.init_online(
        &w("alice bob carol"),
        2,
        1,
        &w("--claimed-key alice=alice.pub.json --claimed-threshold 1 --claimed-path pkg/*"),
    );
    s.sign("root", "alice");
    s.sign("root", "bob");
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    s.c("export --out repo");
    s.c("root remove-key root carol");
    s.add_root_key("dave");
    s.sign_by("root", &["alice", "bob", "dave"]);
    s.c("export --out repo");
    for f in ["2.root.json", "1.targets.json", "1.claimed.json"] {
        assert!(s.p("repo").join(f).exists(), "{f}");
    }
    s
}

fn verify_repo(s: &Scene, dir: &str) -> std::process::Output {
    s.c_run(&format!("verify --repo {dir}"))
}

/// Rewrites a metadata file as the tool writes it, after `change`.
fn edit(path: &Path, change: impl FnOnce(&mut Metadata)) {
    let mut md = Metadata::from_bytes(&std::fs::read(path).unwrap()).unwrap();
    change(&mut md);
    std::fs::write(path, md.to_file_bytes()).unwrap();
}

fn keyid(s: &Scene, who: &str) -> String {
    s.keyid(&format!("{who}.pub.json"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// (a) The folder as exported passes, from the ceremony's first trusted root and from the
/// folder's own 1.root.json given as the trusted root, walking v1 → v2.
#[test]
fn the_exported_folder_passes() {
    let s = exported();
    let out = s.c("verify --repo repo");
    has(&out, "trust starts from c/trusted/1.root.json");
    has(&out, "2.root.json: root v1 → v2: old root keys 2 signed of 2 needed, new root keys 3 signed of 2 needed - ok");
    has(
        &out,
        "1.targets.json: targets v1, root v2's targets keys: 1 signed of 1 needed - ok",
    );
    has(
        &out,
        "claimed.json: claimed v1, targets v1's delegation to claimed: 1 signed of 1 needed - ok",
    );
    has(&out, "the transcript's last export to repo is at line");
    has(&out, "1.root.json: SHA-256");
    has(&out, "verify: everything a TUF client checks holds in repo");
    let out = s.c("verify --repo repo --trusted-root repo/1.root.json");
    has(&out, "trust starts from repo/1.root.json: root v1");
}

/// (b) A corrupted targets.json fails, naming it: it is not metadata, and not the bytes
/// exported.
#[test]
fn a_corrupted_file_fails_naming_it() {
    let s = exported();
    let bytes = std::fs::read(s.p("repo/targets.json")).unwrap();
    std::fs::write(s.p("repo/targets.json"), &bytes[..bytes.len() / 2]).unwrap();
    let out = crate::util::failed(&verify_repo(&s, "repo"), 1, "verify --repo");
    has(&out, "problem: repo/targets.json: not valid TUF metadata");
    has(&out, "problem: repo/targets.json: SHA-256");
    has(&out, "it is not even valid metadata");
    has(&out, "verify: FAILED");
}

/// (c) 2.root.json with every signature stripped fails: a client trusting v1 refuses it.
#[test]
fn a_root_stripped_of_its_signatures_fails() {
    let s = exported();
    edit(&s.p("repo/2.root.json"), |md| md.signatures.clear());
    let out = crate::util::failed(&verify_repo(&s, "repo"), 1, "verify --repo");
    has(&out, "problem: repo/2.root.json: a client trusting root v1 refuses root v2: it has 0 of the 2 signatures its own root keys need");
    has(&out, "it lacks signatures the export recorded");
}

/// (d) The folder deleted fails, naming it.
#[test]
fn a_deleted_folder_fails() {
    let s = exported();
    std::fs::remove_dir_all(s.p("repo")).unwrap();
    let out = crate::util::failed(&verify_repo(&s, "repo"), 1, "verify --repo");
    has(&out, "problem: repo: no such folder");
    has(&out, "verify: FAILED");
}

/// (e) A file still validly signed but not byte for byte what was exported fails on the
/// transcript's digest: targets.json re-written compact, and targets.json carrying an extra
/// signature the export did not record (which counts for nothing, so a client takes it).
#[test]
fn a_validly_signed_file_with_other_bytes_fails() {
    let s = exported();
    let text = s.read("repo/targets.json");
    let compact = tuf_ceremony::json::compact(&tuf_ceremony::json::parse(text.as_bytes()).unwrap());
    assert_ne!(compact, text);
    std::fs::write(s.p("repo/targets.json"), &compact).unwrap();
    let out = crate::util::failed(&verify_repo(&s, "repo"), 1, "verify --repo");
    has(
        &out,
        "targets.json: targets v1, root v2's targets keys: 1 signed of 1 needed - ok",
    );
    has(&out, "problem: repo/targets.json: SHA-256");
    has(&out, "re-formatted");
    std::fs::write(s.p("repo/targets.json"), &text).unwrap();
    s.c("verify --repo repo");
    let carol = keyid(&s, "carol");
    edit(&s.p("repo/targets.json"), |md| {
        md.signatures.push(Signature {
            keyid: carol.clone(),
            sig: "00".repeat(64),
            extra: Object::new(),
        })
    });
    let out = crate::util::failed(&verify_repo(&s, "repo"), 1, "verify --repo");
    has(&out, "problem: repo/targets.json: SHA-256");
    has(
        &out,
        &format!(
            "it carries signatures the export did not record (keyid {}…)",
            &carol[..8]
        ),
    );
}

/// The rule for which export a folder is compared with: a folder under another name (the
/// stick mounted elsewhere) is compared by file name with the last export that wrote each
/// file; a file only the first export wrote (1.root.json) is compared with that one; a
/// root the last export published must be reachable.
#[test]
fn the_folder_under_another_name_and_older_files() {
    let s = exported();
    copy_dir(&s.p("repo"), &s.p("mnt/stick"));
    let out = s.c("verify --repo mnt/stick");
    assert!(
        out.contains("no export in the transcript names mnt/stick; it is taken for the folder the last export wrote under another name (repo")
            && out.contains("verify: everything a TUF client checks holds in mnt/stick"),
        "{out}"
    );
    // Files added online are named and not compared.
    std::fs::write(s.p("mnt/stick/timestamp.json"), "{}").unwrap();
    let out = s.c("verify --repo mnt/stick");
    has(&out, "timestamp.json: no export in the transcript wrote it");
    // 1.root.json, written by the first export only, is still compared with it.
    edit(&s.p("mnt/stick/1.root.json"), |md| {
        md.signatures.pop();
    });
    let out = crate::util::failed(&verify_repo(&s, "mnt/stick"), 1, "verify --repo");
    let first = s.read("c/transcript.jsonl");
    let line = first
        .lines()
        .position(|l| l.contains("\"event\":\"export\""))
        .unwrap()
        + 1;
    has(&out, "problem: mnt/stick/1.root.json: SHA-256");
    has(
        &out,
        &format!("the export at transcript line {line} recorded"),
    );
    has(&out, "it lacks signatures the export recorded");
    // 2.root.json gone: a client stays at v1, and the root exported last is not reached.
    std::fs::remove_file(s.p("repo/2.root.json")).unwrap();
    let out = crate::util::failed(&verify_repo(&s, "repo"), 1, "verify --repo");
    has(
        &out,
        "problem: repo/2.root.json: root v2, the last one exported",
    );
    has(
        &out,
        "it ends at root v1, as 2.root.json is not in the folder",
    );
    has(&out, "problem: repo/2.root.json: missing");
}

/// python-tuf 7's verdict on a folder: publish snapshot and timestamp over a copy with the
/// online keys, then a real `ngclient.Updater` bootstrapped from its 1.root.json refreshes
/// to root v2 and looks a target up through claimed.
fn python_accepts(s: &Scene, case: &str) -> bool {
    let copy = format!("{case}-py");
    copy_dir(&s.p(case), &s.p(&copy));
    s.py(&format!("judge.py publish {copy} online"));
    let out = Command::new(python())
        .arg(repo_root().join("tests/python/judge.py"))
        .args(["refresh", &copy, &format!("{case}-client"), "2"])
        .current_dir(s.path())
        .output()
        .unwrap();
    out.status.success()
}

/// Our verdict equals python-tuf's on the same folders wherever the question is whether
/// signatures meet thresholds; where the bytes are not the ones exported but every
/// signature still holds, python-tuf accepts and only the transcript's digest refuses.
#[test]
fn the_verdicts_match_python_tuf() {
    let s = exported();
    let alice = keyid(&s, "alice");
    let carol = keyid(&s, "carol");
    type Change = Box<dyn Fn(&Path)>;
    let both = |role: &'static str, f: fn(&mut Metadata)| -> Change {
        Box::new(move |dir: &Path| {
            edit(&dir.join(format!("{role}.json")), f);
            edit(&dir.join(format!("1.{role}.json")), f);
        })
    };
    let flip = |md: &mut Metadata| {
        let sig = &mut md.signatures[0].sig;
        let first = if sig.starts_with('0') { "1" } else { "0" };
        *sig = format!("{first}{}", &sig[1..]);
    };
    let alice_out = alice.clone();
    let signature_cases: Vec<(&str, Change, bool)> = vec![
        ("good", Box::new(|_: &Path| {}), true),
        (
            "root-unsigned",
            Box::new(|d: &Path| edit(&d.join("2.root.json"), |md| md.signatures.clear())),
            false,
        ),
        (
            "root-old-threshold-unmet",
            Box::new(move |d: &Path| {
                edit(&d.join("2.root.json"), |md| {
                    md.signatures.retain(|sig| sig.keyid != alice_out)
                })
            }),
            false,
        ),
        ("targets-bad-signature", both("targets", flip), false),
        (
            "claimed-unsigned",
            both("claimed", |md| md.signatures.clear()),
            false,
        ),
    ];
    for (case, change, expected) in &signature_cases {
        copy_dir(&s.p("repo"), &s.p(case));
        change(&s.p(case));
        let ours = verify_repo(&s, case).status.code();
        let theirs = python_accepts(&s, case);
        assert_eq!(theirs, *expected, "python-tuf on {case}");
        assert_eq!(
            ours,
            Some(if theirs { 0 } else { 1 }),
            "{case}: python-tuf {} it, verify --repo exited {ours:?}:\n{}",
            if theirs { "accepts" } else { "refuses" },
            String::from_utf8_lossy(&verify_repo(&s, case).stdout)
        );
    }
    // Not a signature question: still signed to threshold, so python-tuf accepts, but not
    // what was exported.
    let extra = move |d: &Path| {
        for f in ["targets.json", "1.targets.json"] {
            edit(&d.join(f), |md| {
                md.signatures.push(Signature {
                    keyid: carol.clone(),
                    sig: "00".repeat(64),
                    extra: Object::new(),
                })
            });
        }
    };
    copy_dir(&s.p("repo"), &s.p("targets-extra-signature"));
    extra(&s.p("targets-extra-signature"));
    assert!(python_accepts(&s, "targets-extra-signature"));
    let out = crate::util::failed(
        &verify_repo(&s, "targets-extra-signature"),
        1,
        "verify --repo",
    );
    has(&out, "it carries signatures the export did not record");
}
