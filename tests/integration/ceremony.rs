//! Whole ceremonies through the command line: rotation rules, detached signatures, the
//! transcript, interruption and resume, and refusals that say what to do.

use crate::scene::{has, has_each, w};
use crate::util::{failed, ok, Scene};
use tuf_ceremony::json::{self, Value};

fn base(s: &Scene, extra: &[&str]) {
    s.keygen(&["alice", "bob", "carol", "snapshot", "timestamp"]);
    s.keygen(extra);
    s.init(&["alice", "bob", "carol"], 2);
}

fn first_ceremony(s: &Scene) {
    s.sign("root", "alice");
    s.sign("root", "bob");
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    s.c("export --out repo");
}

#[test]
fn rotation_signed_by_new_keyholders_only_is_refused() {
    let s = Scene::new();
    base(&s, &["dave", "erin"]);
    first_ceremony(&s);
    s.add_root_key("dave");
    s.add_root_key("erin");
    s.c("root remove-key root alice");
    let out = s.c_run("root remove-key root bob");
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success()
            && warning.contains("the keyholders removed (alice, bob) must still sign"),
        "{warning}"
    );
    s.sign("root", "dave");
    s.sign("root", "erin");
    let refused = s.c_fails("export --out repo", 1);
    assert!(
        refused
            .contains("trusted root v1's root keys (rotation): 0 of 2 signatures, 2 more needed")
            && refused.contains("nothing was written"),
        "{refused}"
    );
    assert!(!s.p("repo/2.root.json").exists());
    let verify = s.c_fails("verify --trusted-root repo/1.root.json", 1);
    has(&verify, "REFUSED");
    has(&verify, "FAILED");
    let status = s.c("status");
    assert!(
        status
            .contains("trusted root v1's root keys (rotation): 0 signed, 2 needed - 2 more needed"),
        "{status}"
    );
    assert!(
        status.contains("missing: alice, bob, carol"),
        "status must name the old keyholders still needed:\n{status}"
    );
    let j = json::parse(s.c("--json status").as_bytes()).unwrap();
    let root = &j.get("roles").and_then(Value::as_array).unwrap()[0];
    let old = &root.get("thresholds").and_then(Value::as_array).unwrap()[1];
    assert_eq!(old.get("met"), Some(&Value::Bool(false)));
    let missing: Vec<&str> = old
        .get("missing")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .filter_map(|m| m.get("keyholder").and_then(Value::as_str))
        .collect();
    assert_eq!(missing, ["alice", "bob", "carol"]);
    // Once two of the old keyholders sign too, it goes through.
    s.sign("root", "alice");
    s.sign("root", "carol");
    s.c("export --out repo");
    s.c("verify --trusted-root repo/1.root.json");
}

#[test]
fn detached_signatures_are_verified_before_merge() {
    let s = Scene::new();
    base(&s, &[]);
    std::fs::create_dir(s.p("usb")).unwrap();
    copy_dir(&s.p("c"), &s.p("other-machine"));
    s.cmd("-C other-machine sign root --signer file:bob.key --detached usb/bob.sig.json --yes");
    // A tampered signature file is refused and nothing is merged.
    let text = s.read("usb/bob.sig.json");
    let v = json::parse(text.as_bytes()).unwrap();
    let sig = v.get("signatures").and_then(Value::as_array).unwrap()[0]
        .get("sig")
        .and_then(Value::as_str)
        .unwrap()
        .to_string();
    let flipped = format!(
        "{}{}",
        if sig.starts_with('0') { "1" } else { "0" },
        &sig[1..]
    );
    std::fs::write(s.p("usb/bad.sig.json"), text.replace(&sig, &flipped)).unwrap();
    let before = s.read("c/root.json");
    let refused = s.c_fails("merge usb/bad.sig.json", 4);
    has(&refused, "does not verify");
    has(&refused, "bob");
    assert_eq!(before, s.read("c/root.json"));
    // A keyid not authorized for root (the online snapshot key's) is refused.
    let shown = s.cmd("--json key show snapshot.pub.json");
    let snapshot_keyid = json::parse(shown.as_bytes())
        .unwrap()
        .get("keyid")
        .and_then(Value::as_str)
        .unwrap()
        .to_string();
    let bob_keyid = v.get("signatures").and_then(Value::as_array).unwrap()[0]
        .get("keyid")
        .and_then(Value::as_str)
        .unwrap()
        .to_string();
    std::fs::write(
        s.p("usb/other.sig.json"),
        text.replace(&bob_keyid, &snapshot_keyid),
    )
    .unwrap();
    let unauthorized = s.c_fails("merge usb/other.sig.json", 4);
    has(&unauthorized, "may not sign root v1");
    assert_eq!(before, s.read("c/root.json"));
    s.c("merge usb/bob.sig.json");
    let status = s.c("status");
    has(&status, "signed:  bob");
    // After an edit the old signature file no longer matches the payload.
    s.c("expires root 300d");
    let stale = s.c_fails("merge usb/bob.sig.json", 4);
    has(&stale, "The metadata changed after it was carried over");
}

#[test]
fn transcript_names_every_signer_and_detects_tampering() {
    let s = Scene::new();
    base(&s, &[]);
    first_ceremony(&s);
    let shown = s.c("transcript show");
    has_each(&shown, &["by alice", "by bob"]);
    s.c("transcript verify");
    let original = s.read("c/transcript.jsonl");
    let lines: Vec<&str> = original.lines().collect();
    // Edit one line: the next line's prev hash no longer matches.
    let edited = original.replacen("\"keyholder\":\"alice\"", "\"keyholder\":\"mallory\"", 1);
    std::fs::write(s.p("c/transcript.jsonl"), &edited).unwrap();
    let bad = s.c_fails("transcript verify", 1);
    let n = lines
        .iter()
        .position(|l| l.contains("\"keyholder\":\"alice\""))
        .unwrap()
        + 2;
    has(&bad, &format!("transcript.jsonl line {n}:"));
    // Delete one line.
    let deleted: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    std::fs::write(s.p("c/transcript.jsonl"), deleted).unwrap();
    let bad = s.c_fails("transcript verify", 1);
    has(&bad, "line 3:");
    // A broken transcript stops the ceremony rather than recording more on top of it.
    let stopped = s.c_fails("expires root 200d", 1);
    has(&stopped, "do not continue this ceremony");
}

#[test]
fn interrupted_commands_leave_old_or_new_files_and_resume() {
    let s = Scene::new();
    base(&s, &[]);
    let before = s.read("c/root.json");
    let crashed = s.run_env(
        &w("-C c sign root --signer file:alice.key --yes"),
        ("TUF_CEREMONY_CRASH_AT", "sign:after-transcript"),
    );
    assert!(!crashed.status.success());
    assert_eq!(
        before,
        s.read("c/root.json"),
        "root.json must be the old file"
    );
    s.c("transcript verify");
    s.sign("root", "alice");
    s.sign("root", "bob");
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    let crashed = s.run_env(
        &w("-C c export --out repo"),
        ("TUF_CEREMONY_CRASH_AT", "export:after-first-file"),
    );
    assert!(!crashed.status.success());
    assert!(s.p("repo/1.root.json").exists() && !s.p("repo/root.json").exists());
    s.c("export --out repo");
    for f in [
        "1.root.json",
        "root.json",
        "targets.json",
        "1.targets.json",
        "claimed.json",
    ] {
        s.cmd(&format!("inspect repo/{f}"));
    }
    let before = s.read("c/root.json");
    let crashed = s.run_env(
        &w("-C c root set-threshold root 3"),
        ("TUF_CEREMONY_CRASH_AT", "edit:after-transcript"),
    );
    assert!(!crashed.status.success());
    assert_eq!(before, s.read("c/root.json"));
    s.c("transcript verify");
    s.c("root set-threshold root 3");
    assert!(s.read("c/root.json").contains("\"version\": 2"));
}

#[test]
fn refusals_name_the_problem_and_what_to_do() {
    let s = Scene::new();
    base(&s, &[]);
    std::fs::write(s.p("wrong"), "not the passphrase at all\n").unwrap();
    let out = s.run_with(
        &w("-C c sign root --signer file:alice.key --yes"),
        "wrong",
        &[],
    );
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("passphrase for alice.key is wrong"));
    let again = s.init_alone(&[]);
    assert_eq!(again.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    s.c_refuses_each(&[
        "root set-threshold root 4 => 4: could never be met",
        "expires root 2001-01-01 => 4: in the past",
    ]);
    let soon = Scene::new();
    soon.keygen(&["alice", "snapshot", "timestamp"]);
    assert!(soon.init_alone(&w("--root-expires 3d")).status.success());
    let expiring = soon.c_fails("sign root --signer file:alice.key --yes", 4);
    has(&expiring, "expires within 7 days");
    has(&expiring, "tuf-ceremony expires root 365d");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(s.p("bob.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
        let open = s.c_fails("sign root --signer file:bob.key --yes", 5);
        has(&open, "chmod 600");
    }
    let dup = s.read("c/root.json").replacen(
        "\"_type\": \"root\",",
        "\"_type\": \"root\",\n  \"_type\": \"root\",",
        1,
    );
    std::fs::write(s.p("dup-root.json"), dup).unwrap();
    let fresh = Scene::new();
    std::fs::copy(s.p("dup-root.json"), fresh.p("root.json")).unwrap();
    let bad = fresh.c_fails("load root.json", 3);
    has(&bad, "root.json: line 5, column");
    has(&bad, "$.signed: the member \"_type\" appears twice");
    assert!(
        !fresh.p("c/root.json").exists(),
        "nothing is loaded from a bad file"
    );
    let exists = s.cmd_fails("key generate --out alice.key", 5);
    has(&exists, "never overwritten");
}

/// The trusted-root rules, fed with roots python-tuf signed (tests/vectors).
#[test]
fn trusted_root_rules_refuse_bad_rotations_skips_and_rollbacks() {
    let v = crate::util::repo_root().join("tests/vectors");
    // `load` in ceremony `c` of the words of `line`, the last a file of tests/vectors.
    let load = |s: &Scene, line: &str| {
        let words = w(line);
        let (file, flags) = words.split_last().unwrap();
        let path = v.join(file);
        let mut args = w("-C c load");
        args.extend(flags);
        args.push(path.to_str().unwrap());
        s.run(&args)
    };

    // load --trusted refuses a rotation signed only by the new root's keys.
    let s = Scene::new();
    ok(
        &load(
            &s,
            "--trusted fail_rotation_signed_by_new_keys_only/1.root.json",
        ),
        "load",
    );
    let refused = failed(
        &load(
            &s,
            "--trusted fail_rotation_signed_by_new_keys_only/2.root.json",
        ),
        4,
        "load",
    );
    has(&refused, "not recorded as trusted");
    has(&refused, "previous trusted root's keys need");
    assert!(!s.p("c/trusted/2.root.json").exists());

    // A working root that skips a version is refused by status, verify and export.
    let s = Scene::new();
    ok(
        &load(&s, "--trusted fail_rotation_skips_version/1.root.json"),
        "load",
    );
    ok(&load(&s, "fail_rotation_skips_version/3.root.json"), "load");
    assert!(s
        .c("status")
        .contains("root v3 skips versions after the trusted root v1"));
    s.c_fails("verify", 1);
    let refused = s.c_fails("export --out repo", 1);
    assert!(
        refused.contains("skips versions") && !s.p("repo").exists(),
        "{refused}"
    );

    // A valid rotation is recorded as trusted; the older root is then a rollback.
    let s = Scene::new();
    ok(
        &load(&s, "--trusted rotation_signed_by_old_and_new/1.root.json"),
        "load",
    );
    ok(
        &load(&s, "--trusted rotation_signed_by_old_and_new/2.root.json"),
        "load",
    );
    ok(
        &load(&s, "rotation_signed_by_old_and_new/1.root.json"),
        "load",
    );
    assert!(s
        .c("status")
        .contains("root v1 would roll back or replace the trusted root v2"));
    let refused = s.c_fails("export --out repo", 1);
    has(&refused, "roll back");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
