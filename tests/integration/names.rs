//! Names are never paths: every way a role or project name reaches the tool (an argument,
//! ceremony.json, a loaded file's name, a detached signature file, a project list) is
//! refused when it could act as a path, collide with the tool's own files or a versioned
//! file, be too long for a file name, hide characters, or equal another name of the
//! ceremony after case folding; and a refusal changes nothing, inside the ceremony folder
//! or outside it.

use crate::scene::{has, w};
use crate::util::{failed, snapshot, Scene};
use std::path::PathBuf;

/// Writes `NAME.pub.json`, an ed25519 public key made from `seed` (no key file: nothing
/// here is signed, and scrypt would cost seconds a key).
fn public_key(s: &Scene, name: &str, seed: u8) {
    let secret = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
    let key = tuf_ceremony::keys::Key::ed25519(&secret.verifying_key());
    std::fs::write(
        s.p(&format!("{name}.pub.json")),
        tuf_ceremony::json::pretty(&key.to_value()),
    )
    .unwrap();
}

/// Ceremony `c` (root, targets and claimed, alice alone) with an export-like folder
/// `repo` beside it holding a copy of claimed.json, as after an export.
fn scene() -> Scene {
    let s = Scene::new();
    for (i, name) in ["alice", "snapshot", "timestamp"].iter().enumerate() {
        public_key(&s, name, i as u8 + 1);
    }
    s.init(&["alice"], 1);
    std::fs::create_dir_all(s.p("repo")).unwrap();
    std::fs::copy(s.p("c/claimed.json"), s.p("repo/claimed.json")).unwrap();
    std::fs::copy(s.p("c/root.json"), s.p("repo/1.root.json")).unwrap();
    s
}

/// Runs `args`, asserts it fails with `code`, that the whole scene (the ceremony folder and
/// everything beside it) is byte-for-byte unchanged, and that the message shows no raw
/// control or text-direction character. Returns the message.
fn refused(s: &Scene, args: &[&str], code: i32) -> String {
    let before = snapshot(s.path());
    let said = failed(&s.run(args), code, &format!("{args:?}"));
    assert_eq!(
        snapshot(s.path()),
        before,
        "{args:?} changed files:\n{said}"
    );
    assert!(
        !said
            .chars()
            .any(|c| (c.is_control() && c != '\n') || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
        "the message shows a raw hostile character: {said:?}"
    );
    said
}

fn delegate(name: &str) -> Vec<String> {
    [
        "-C",
        "c",
        "delegate",
        name,
        "--key",
        "alice=alice.pub.json",
        "--threshold",
        "1",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}

fn refused_delegate(s: &Scene, name: &str, code: i32) -> String {
    let args = delegate(name);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(s, &refs, code)
}

#[test]
fn expires_with_a_path_does_not_rewrite_an_exported_file() {
    let s = scene();
    let said = refused(&s, &w("-C c expires ../repo/claimed 30d"), 3);
    has(&said, "\"../repo/claimed\"");
    has(&said, "never a path");
    // Through any command that names a role.
    for args in [
        &w("-C c sign ../repo/claimed --signer file:x.key")[..],
        &w("-C c claimed add-project p --key alice.pub.json --role ../repo/claimed"),
        &w("-C c claimed remove-project p --role ../repo/claimed"),
        &w("-C c claimed import-recently-claimed repo/claimed.json --out out --from ../repo/claimed"),
    ] {
        refused(&s, args, 3);
    }
}

#[test]
fn changes_with_a_path_reads_nothing_outside_the_ceremony() {
    let s = scene();
    std::fs::copy(s.p("c/claimed.json"), s.p("x.json")).unwrap();
    let said = refused(&s, &w("-C c changes ../x"), 3);
    has(&said, "never a path");
    assert!(!said.contains("contents"), "it read ../x.json: {said}");
}

#[test]
fn delegate_to_a_versioned_or_the_tools_own_file_name_is_refused() {
    let s = scene();
    let said = refused_delegate(&s, "1.root", 3);
    has(&said, "read as a version");
    let said = refused_delegate(&s, "ceremony", 3);
    has(&said, "keeps its own ceremony");
    for name in [
        "Ceremony",
        "transcript",
        "trusted",
        "moved-projects",
        "..",
        ".x",
        "Root",
        "targets",
        "con",
    ] {
        refused_delegate(&s, name, 3);
    }
}

#[test]
fn delegate_to_a_name_equal_to_claimed_but_for_case_is_refused() {
    let s = scene();
    let said = refused_delegate(&s, "Claimed", 4);
    has(&said, "\"Claimed\" differs from \"claimed\"");
    has(&said, "letter case");
    // Also against a delegation with no file here (an online role).
    public_key(&s, "online", 9);
    s.c("delegate recently-claimed --online-key online.pub.json --threshold 1");
    let said = refused_delegate(&s, "Recently-Claimed", 4);
    has(&said, "\"recently-claimed\"");
}

/// A 251-character name used to fail writing its file (exit 6) after targets.json and
/// ceremony.json had changed; it is refused before anything is read or written.
#[test]
fn delegate_to_a_name_too_long_for_a_file_is_refused_up_front() {
    let s = scene();
    let said = refused_delegate(&s, &"a".repeat(251), 3);
    has(&said, "251 bytes");
    has(&said, "limit of 200 bytes");
    // The limit leaves room for the versioned file: 200 works end to end.
    let args = delegate(&"b".repeat(200));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    s.ok(&refs);
    assert!(s.p(&format!("c/{}.json", "b".repeat(200))).exists());
}

#[test]
fn a_name_with_a_text_direction_character_is_refused_and_shown_escaped() {
    let s = scene();
    let said = refused_delegate(&s, "clai\u{202e}med", 3);
    has(&said, "clai\\u{202e}med");
    has(&said, "U+202E");
    for name in [
        "claimed\u{200b}",
        "cl\u{430}imed",
        "a\u{1b}[2Jb",
        "claimed ",
    ] {
        refused_delegate(&s, name, 3);
    }
    refused(
        &s,
        &[
            "-C",
            "c",
            "sign",
            "clai\u{202e}med",
            "--signer",
            "file:x.key",
        ],
        3,
    );
}

/// Writes a detached signature file naming `role`, otherwise well formed.
fn sigfile(s: &Scene, file: &str, role: &str) -> PathBuf {
    let text = format!(
        r#"{{"format":"tuf-ceremony-signature/1","role":{},"version":1,"payload_sha256":"{}","keyholder":"alice","device":{{"kind":"file","identity":"x","description":"x"}},"signed_at":"2026-01-01T00:00:00Z","signatures":[{{"keyid":"{}","sig":"00"}}]}}"#,
        tuf_ceremony::json::compact(&tuf_ceremony::json::Value::str(role)),
        "0".repeat(64),
        "1".repeat(64)
    );
    s.write(file, &text);
    s.p(file)
}

#[test]
fn a_signature_file_whose_role_is_not_a_name_is_refused() {
    let s = scene();
    for (role, rule) in [
        ("../x", "never a path"),
        ("ceremony", "keeps its own ceremony"),
        ("1.root", "read as a version"),
        ("clai\u{202e}med", "U+202E"),
    ] {
        sigfile(&s, "bad.sig.json", role);
        let said = refused(&s, &w("-C c merge bad.sig.json"), 3);
        assert!(
            said.contains("not a usable signature file") && said.contains(rule),
            "{role}: {said}"
        );
    }
    // A name of another letter case is not this ceremony's role: nothing is read for it.
    sigfile(&s, "case.sig.json", "Claimed");
    let said = refused(&s, &w("-C c merge case.sig.json"), 3);
    has(&said, "this ceremony has claimed");
}

#[test]
fn a_state_file_listing_a_role_that_is_not_a_name_is_refused() {
    use tuf_ceremony::json::{self, Value};
    let s = scene();
    let state = json::parse(s.read("c/ceremony.json").as_bytes()).unwrap();
    for (list, rule) in [
        (&["../x"][..], "never a path"),
        (&["1.root"], "read as a version"),
        (&["ceremony"], "keeps its own ceremony"),
        (&["claimed", "Claimed"], "letter case"),
        (&["root"], "top-level"),
    ] {
        let mut hostile = state.clone();
        let Value::Object(o) = &mut hostile else {
            panic!("ceremony.json is an object")
        };
        o.insert(
            "delegated_roles",
            Value::Array(list.iter().map(|n| Value::str(*n)).collect()),
        );
        std::fs::write(s.p("c/ceremony.json"), json::pretty(&hostile)).unwrap();
        for args in [&w("-C c status")[..], &w("-C c export --out repo2")] {
            let said = refused(&s, args, 3);
            assert!(
                said.contains("ceremony.json") && said.contains(rule),
                "{list:?}: {said}"
            );
        }
    }
}

#[test]
fn load_of_a_file_whose_name_makes_no_role_name_is_refused() {
    let s = scene();
    // Targets metadata (claimed's) under names that would make roles `1.root` (writing
    // c/1.root.json, and with --trusted c/trusted/1.root.json) and `ceremony`.
    std::fs::create_dir_all(s.p("in")).unwrap();
    for (file, rule) in [
        ("1.1.root.json", "read as a version"),
        ("ceremony.json", "keeps its own ceremony"),
        ("Claimed.json", "letter case"),
        ("con.json", "device"),
    ] {
        std::fs::copy(s.p("c/claimed.json"), s.p(&format!("in/{file}"))).unwrap();
        let path = format!("in/{file}");
        let code = if file == "Claimed.json" { 4 } else { 3 };
        for trusted in [false, true] {
            let mut args = vec!["-C", "c", "load", &path];
            if trusted {
                args.push("--trusted");
            }
            let said = refused(&s, &args, code);
            assert!(said.contains(rule) && said.contains(file), "{file}: {said}");
        }
        std::fs::remove_file(s.p(&path)).unwrap();
    }
}

#[test]
fn project_names_are_names_too() {
    let s = scene();
    public_key(&s, "dev", 7);
    let add = |name: &str| {
        vec![
            "-C".to_string(),
            "c".into(),
            "claimed".into(),
            "add-project".into(),
            name.into(),
            "--key".into(),
            "dev.pub.json".into(),
        ]
    };
    for (name, code, rule) in [
        ("../x", 3, "never a path"),
        ("1.root", 3, "read as a version"),
        ("foo.", 3, "PEP 508"),
        ("x\u{202e}", 3, "U+202E"),
        ("Root", 3, "top-level"),
        ("claimed", 4, "\"claimed\""),
        ("Claimed", 4, "\"claimed\""),
    ] {
        let args = add(name);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let said = refused(&s, &refs, code);
        assert!(said.contains(rule), "{name}: {said}");
    }
    let long = "p".repeat(201);
    let args = add(&long);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(refused(&s, &refs, 3).contains("limit of 200 bytes"));
    // Real project names, including ones the tool keeps for its own files.
    for name in ["Foo_Bar", "zope.interface", "lock"] {
        let args = add(name);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        s.ok(&refs);
    }
}

#[test]
fn real_world_role_names_work_end_to_end() {
    let s = scene();
    for name in ["registry.npmjs.org", "bins-0f", "Foo_Bar"] {
        let args = delegate(name);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        s.ok(&refs);
        assert!(s.p(&format!("c/{name}.json")).exists());
        s.c(&format!("expires {name} 30d"));
        s.c(&format!("changes {name}"));
    }
    let status = s.c("status");
    has(&status, "registry.npmjs.org");
}

/// On a case-insensitive disk `Claimed.json` is `claimed.json`. A copy under that name
/// stands in for it here: a name that is not one of the ceremony's roles is never read or
/// edited as one, whatever files the folder holds.
#[test]
fn a_role_named_like_the_ceremonys_but_for_case_is_never_read_or_edited() {
    let s = scene();
    std::fs::copy(s.p("c/claimed.json"), s.p("c/Claimed.json")).unwrap();
    for args in [
        &w("-C c expires Claimed 30d")[..],
        &w("-C c changes Claimed"),
        &w("-C c sign Claimed --signer file:x.key"),
    ] {
        let said = refused(&s, args, 3);
        assert!(
            said.contains("no Claimed metadata") && said.contains("this ceremony has claimed"),
            "{args:?}: {said}"
        );
    }
}
