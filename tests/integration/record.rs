//! The record is the truth: every file of a ceremony folder is held to the digests the
//! transcript records, so a file swapped, restored from an older copy, removed or added by
//! hand is refused (exit 4) by every command, naming it, both digests and the line; a
//! deliberate change goes through a command that records it (`load`, `policy set`,
//! `policy remove`).

use crate::scene::{has, lacks, w};
use crate::util::Scene;

/// alice and bob hold root (2 of 2), alice targets and claimed (`*/*`); everything signed
/// and exported to `repo`, so `trusted/` holds v1 of each role.
fn exported() -> Scene {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol"]);
    s.init_online(
        &["alice", "bob"],
        2,
        1,
        &w("--claimed-key alice=alice.pub.json --claimed-threshold 1 --claimed-path */*"),
    );
    for (role, who) in [
        ("root", "alice"),
        ("root", "bob"),
        ("targets", "alice"),
        ("claimed", "alice"),
    ] {
        s.sign(role, who);
    }
    s.c("export --out repo");
    s
}

/// Asserts `args` is refused with exit 4, naming each of `files` as the record's words.
fn refused(s: &Scene, args: &[&str], files: &[&str], how: &str) -> String {
    let said = s.fails(args, 4);
    assert!(
        said.contains("the folder does not match its record"),
        "{args:?}: {said}"
    );
    for f in files {
        assert!(
            said.contains(&format!("{f}: {how}")),
            "{args:?}: {f}: {said}"
        );
    }
    if how != "added by hand" {
        assert!(said.contains("transcript.jsonl line "), "{args:?}: {said}");
    }
    said
}

/// The published root v1 with a stranger's key added as a root key, unsigned, put in
/// place of every copy of the trusted root: nothing shows it, nothing exports it.
#[test]
fn a_swapped_trusted_root_is_refused_by_every_command() {
    let s = exported();
    let mut root: serde_json::Value = serde_json::from_str(&s.read("c/trusted/root.json")).unwrap();
    let carol: serde_json::Value = serde_json::from_str(&s.read("carol.pub.json")).unwrap();
    let id = "c".repeat(64);
    root["signed"]["keys"][&id] = carol;
    root["signed"]["roles"]["root"]["keyids"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::Value::String(id));
    root["signatures"] = serde_json::json!([]);
    let swapped = serde_json::to_string_pretty(&root).unwrap();
    for f in [
        "c/trusted/root.json",
        "c/trusted/1.root.json",
        "c/root.json",
    ] {
        s.write(f, &swapped);
    }
    let said = refused(
        &s,
        &w("-C c expires root 400d"),
        &w("trusted/root.json trusted/1.root.json root.json"),
        "changed",
    );
    has(&said, "Nothing was changed");
    refused(&s, &w("-C c status"), &["trusted/root.json"], "changed");
    refused(
        &s,
        &w("-C c sign root --signer file:alice.key --yes"),
        &["root.json"],
        "changed",
    );
    refused(
        &s,
        &w("-C c export --out repo2"),
        &["trusted/root.json"],
        "changed",
    );
    assert!(!s.p("repo2").exists());
    // The audit commands still open the folder and name what differs.
    let audit = s.c_fails("transcript verify", 1);
    has(&audit, "problem: trusted/root.json: changed");
}

/// A revocation signed (root v2 without bob) is not undone by copying the trusted v1 back
/// over the working root.
#[test]
fn a_signed_revocation_is_not_undone_by_restoring_a_file() {
    let s = exported();
    s.c("root remove-key root bob --threshold 1");
    s.sign("root", "alice");
    s.sign("root", "bob");
    let v1 = s.read("c/trusted/root.json");
    s.write("c/root.json", &v1);
    refused(&s, &w("-C c status"), &["root.json"], "changed");
    let audit = s.c_fails("transcript verify", 1);
    has(&audit, "problem: root.json: changed");
    refused(&s, &w("-C c export --out repo"), &["root.json"], "changed");
    assert!(!s.p("repo/2.root.json").exists());
}

/// A role file lost after signing is refused, never skipped: claimed.json in a ceremony
/// that signs it, targets.json in one made by `init` (never taken for root-only).
#[test]
fn a_lost_role_file_is_refused_not_skipped() {
    let s = exported();
    s.c("expires claimed 200d");
    s.sign("claimed", "alice");
    std::fs::remove_file(s.p("c/claimed.json")).unwrap();
    refused(&s, &w("-C c status"), &["claimed.json"], "removed");
    refused(&s, &w("-C c verify"), &["claimed.json"], "removed");
    refused(
        &s,
        &w("-C c export --out repo3"),
        &["claimed.json"],
        "removed",
    );
    assert!(!s.p("repo3").exists());

    let t = Scene::new();
    t.keygen(&["alice"]);
    t.init_online(&["alice"], 1, 1, &[]);
    t.sign("root", "alice");
    std::fs::remove_file(t.p("c/targets.json")).unwrap();
    let said = refused(&t, &w("-C c status"), &["targets.json"], "removed");
    lacks(&said, "root only");
    refused(
        &t,
        &w("-C c export --out repo"),
        &["targets.json"],
        "removed",
    );
    assert!(!t.p("repo").exists());
}

/// A file added by hand (a role file the ceremony never wrote, a trusted copy) is refused.
#[test]
fn a_file_added_by_hand_is_refused() {
    let s = exported();
    let v1 = s.read("c/trusted/root.json");
    s.write("c/trusted/7.root.json", &v1);
    refused(
        &s,
        &w("-C c status"),
        &["trusted/7.root.json"],
        "added by hand",
    );
}

/// The policy in force is the one the record holds: deleting or editing `policy.toml` by
/// hand is refused; `policy set` and `policy remove` are the recorded acts, and `status`
/// and `export` name a removed policy.
#[test]
fn the_policy_changes_only_through_a_recorded_act() {
    let s = Scene::new();
    s.keygen(&["alice", "bob"]);
    s.init_online(&["alice", "bob"], 2, 1, &[]);
    s.write("policy.toml", "[roles.root]\nmin_threshold = 2\n");
    let set = s.c("policy set policy.toml");
    has(&set, "is now in force");
    s.sign("root", "alice");
    s.sign("root", "bob");
    s.sign("targets", "alice");
    // Removed by hand between sign and export: refused, naming the file.
    std::fs::remove_file(s.p("c/policy.toml")).unwrap();
    refused(
        &s,
        &w("-C c export --out repo"),
        &["policy.toml"],
        "removed",
    );
    // Loosened by hand: refused.
    s.write("c/policy.toml", "[roles.root]\nmin_threshold = 1\n");
    refused(&s, &w("-C c status"), &["policy.toml"], "changed");
    // Put back as recorded, then removed as a recorded act.
    s.write("c/policy.toml", "[roles.root]\nmin_threshold = 2\n");
    s.c("status");
    let removed = s.c("policy remove");
    has(&removed, "removed and recorded");
    assert!(!s.p("c/policy.toml").exists());
    let status = s.c("status");
    has(&status, "policy: removed (transcript.jsonl line ");
    let export = s.c("export --out repo");
    has(&export, "policy: removed (transcript.jsonl line ");
    // A policy written into the folder by hand is not in force until `policy set`.
    s.write("c/policy.toml", "[roles.root]\nmin_threshold = 5\n");
    refused(&s, &w("-C c status"), &["policy.toml"], "added by hand");
    let set = s.c("policy set c/policy.toml");
    assert!(
        set.contains("violation:") || set.contains("is now in force"),
        "{set}"
    );
    s.c("status");
}

/// `load` does not launder a file changed by hand in the folder: what it loads is compared
/// with what the record holds, so loading the swapped file in place is refused too. With
/// the recorded file put back, the folder opens again.
#[test]
fn load_does_not_launder_a_swapped_working_file() {
    let s = exported();
    let original = s.read("c/root.json");
    let v1 = s.read("c/trusted/root.json");
    let mut swapped: serde_json::Value = serde_json::from_str(&v1).unwrap();
    swapped["signed"]["expires"] = serde_json::json!("2031-01-01T00:00:00Z");
    swapped["signatures"] = serde_json::json!([]);
    s.write(
        "c/root.json",
        &serde_json::to_string_pretty(&swapped).unwrap(),
    );
    refused(&s, &w("-C c status"), &["root.json"], "changed");
    refused(&s, &w("-C c load c/root.json"), &["root.json"], "changed");
    s.write("c/root.json", &original);
    s.c("status");
}

/// A leftover temporary file is put in place only over the file as the record held it
/// before its last write: a file changed by hand is refused, never overwritten, and the
/// transcript and lock are never targets.
#[test]
fn an_interrupted_write_never_overwrites_a_file_changed_by_hand() {
    let s = exported();
    s.c("expires targets 100d");
    let recorded = s.read("c/targets.json");
    // As if the last write had been interrupted before its rename: the new bytes beside.
    s.write("c/.tuf-ceremony-test01.tmp", &recorded);
    s.write("c/targets.json", "{\"tampered\": true}\n");
    refused(&s, &w("-C c status"), &["targets.json"], "changed");
    assert_eq!(s.read("c/targets.json"), "{\"tampered\": true}\n");
    // Entries in trusted/ that cannot be recorded files are refused, not skipped.
    std::fs::remove_file(s.p("c/.tuf-ceremony-test01.tmp")).unwrap();
    s.write("c/targets.json", &recorded);
    std::fs::create_dir(s.p("c/trusted/sub")).unwrap();
    let said = s.c_fails("status", 4);
    has(&said, "trusted/sub: not a regular file");
    std::fs::remove_dir(s.p("c/trusted/sub")).unwrap();
    std::os::unix::fs::symlink("nowhere", s.p("c/trusted/2.root.json")).unwrap();
    let said = s.c_fails("status", 4);
    has(&said, "trusted/2.root.json: not a regular file");
    std::fs::remove_file(s.p("c/trusted/2.root.json")).unwrap();
    s.c("status");
}

/// A transcript removed is refused, whatever the state file's format says: with the
/// format downgraded to an earlier version's, the folder is not taken for an unbound one.
#[test]
fn a_removed_transcript_is_refused() {
    let s = exported();
    std::fs::remove_file(s.p("c/transcript.jsonl")).unwrap();
    let said = s.c_fails("status", 4);
    has(&said, "transcript.jsonl: missing");
    let state = s
        .read("c/ceremony.json")
        .replace("tuf-ceremony-directory/2", "tuf-ceremony-directory/1");
    s.write("c/ceremony.json", &state);
    let said = s.c_fails("export --out repo2", 4);
    has(&said, "transcript.jsonl: missing");
    assert!(!s.p("repo2").exists());
}

/// A folder whose transcript predates file records still opens, unbound; its first
/// recorded change records every file as found, and from then on it is held.
#[test]
fn a_folder_of_an_earlier_version_is_bound_from_its_next_change() {
    let s = exported();
    // As an earlier version left it: no `files` lines, state file format 1.
    let transcript = s.read("c/transcript.jsonl");
    let mut prev = "0".repeat(64);
    let mut kept = String::new();
    let mut seq = 0;
    for line in transcript.lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["event"] == "files" {
            continue;
        }
        seq += 1;
        v["seq"] = serde_json::json!(seq);
        v["prev"] = serde_json::json!(prev);
        let text = tuf_ceremony::json::compact(
            &tuf_ceremony::json::parse(serde_json::to_string(&v).unwrap().as_bytes()).unwrap(),
        );
        use sha2::Digest;
        prev = hex::encode(sha2::Sha256::digest(text.as_bytes()));
        kept.push_str(&text);
        kept.push('\n');
    }
    s.write("c/transcript.jsonl", &kept);
    let state = s
        .read("c/ceremony.json")
        .replace("tuf-ceremony-directory/2", "tuf-ceremony-directory/1");
    s.write("c/ceremony.json", &state);
    let audit = s.c("transcript verify");
    has(&audit, "written by an earlier version");
    s.c("status");
    s.c("expires targets 100d");
    assert!(s
        .read("c/ceremony.json")
        .contains("tuf-ceremony-directory/2"));
    std::fs::remove_file(s.p("c/trusted/claimed.json")).unwrap();
    refused(&s, &w("-C c status"), &["trusted/claimed.json"], "removed");
}
