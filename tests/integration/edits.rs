//! `init` and `delegate`, and `status`'s checks of each role: what they report and what
//! they refuse, word for word, so that their steps can be rearranged without a keyholder
//! seeing a different message.

use crate::scene::{has, w};
use crate::util::{snapshot, Scene};

/// The `init` arguments for ceremony `d` with alice alone, the thresholds, plus `extra`.
fn init_d<'a>(root: &'a str, targets: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "-C",
        "d",
        "init",
        "--keyholder",
        "alice=alice.pub.json",
        "--root-threshold",
        root,
        "--targets-threshold",
        targets,
        "--online-key",
        "snapshot=snapshot.pub.json",
    ];
    args.extend_from_slice(extra);
    args
}

/// Each refusal of `init` names what to give instead, with its exit code, and leaves no
/// ceremony behind; `init` never overwrites an existing one.
#[test]
fn init_refusals_name_what_to_give_and_make_nothing() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "snapshot", "timestamp"]);
    let timestamp = "timestamp=timestamp.pub.json";
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            init_d("1", "1", &[]),
            3,
            "init needs the online timestamp public key: --online-key timestamp=PUBFILE (the repository signs timestamp automatically; only its public key goes into root)",
        ),
        (
            init_d("1", "1", &w("--online-key timestamp=timestamp.pub.json --online-key claimed=bob.pub.json")),
            3,
            "--online-key takes snapshot=PUBFILE or timestamp=PUBFILE, not claimed=…",
        ),
        (
            init_d("1", "1", &w("--online-key timestamp=timestamp.pub.json --keyholder bob=alice.pub.json")),
            4,
            "alice.pub.json holds a key already given for another keyholder; each keyholder needs a key of their own",
        ),
        (
            init_d("0", "1", &["--online-key", timestamp]),
            4,
            "the root threshold must be at least 1",
        ),
        (
            init_d(
                "1",
                "2",
                &w("--online-key timestamp=timestamp.pub.json --targets-key bob=bob.pub.json"),
            ),
            4,
            "the targets threshold would be 2 but only 1 key(s) are listed, so it could never be met. Add keys first, or choose a threshold of at most 1",
        ),
        (
            init_d("1", "1", &w("--online-key timestamp=timestamp.pub.json --claimed-key carol=carol.pub.json --claimed-threshold 2")),
            4,
            "the claimed threshold would be 2 but only 1 key(s) are listed, so it could never be met. Add keys first, or choose a threshold of at most 1",
        ),
    ];
    for (args, code, message) in cases {
        let e = s.fails(&args, code);
        assert!(e.contains(&format!("error: {message}\n")), "{args:?}: {e}");
        assert!(
            !s.p("d/root.json").exists() && !s.p("d/targets.json").exists(),
            "{args:?} left metadata behind"
        );
    }

    s.ok(&init_d("1", "1", &["--online-key", timestamp]));
    let before = snapshot(&s.p("d"));
    let e = s.fails(&init_d("1", "1", &["--online-key", timestamp]), 4);
    has(&e, "error: d/root.json already exists; `init` starts a new ceremony and never overwrites. Use a new directory (-C DIR), or edit the existing metadata\n");
    assert_eq!(before, snapshot(&s.p("d")), "a refused init changed d");
}

/// `init` names the files it made (the delegated role first, root last), the thresholds and
/// the root keyholders, then what to do next; the keys land where they were given.
#[test]
fn init_reports_its_files_thresholds_and_next_step() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "snapshot", "timestamp"]);
    let out = s.cmd("-C e init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=snapshot.pub.json --claimed-key carol=carol.pub.json --claimed-path pkg/*");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 9, "{out}");
    for (line, file) in lines.iter().zip(["claimed", "targets", "root"]) {
        assert!(
            line.starts_with(&format!("created e/{file}.json (v1, unsigned, expires 20"))
                && line.ends_with("Z)"),
            "{out}"
        );
    }
    assert_eq!(
        lines[3],
        "root: 2 of 2 keyholders (alice, bob); targets: 1 of 2; online snapshot and timestamp keys recorded"
    );
    // Each keyholder's keyid, for the witness (runbook 01), then every role to sign.
    assert_eq!(
        lines[4],
        "keyholders and their keyids (check each against the one written down):"
    );
    for (line, who) in lines[5..8].iter().zip(["alice", "bob", "carol"]) {
        assert_eq!(
            *line,
            format!("  {who}: {}", s.keyid(&format!("{who}.pub.json")))
        );
    }
    assert_eq!(
        lines[8],
        "Next: the keyholders sign root, targets, claimed: `tuf-ceremony sign ROLE` for each; `tuf-ceremony status` shows who is still needed."
    );
    let root = tuf_ceremony::json::parse(s.read("e/root.json").as_bytes()).unwrap();
    let roles = root.get("signed").and_then(|v| v.get("roles")).unwrap();
    let ids = |role: &str| {
        let list = roles.get(role).and_then(|r| r.get("keyids")).unwrap();
        let list = list.as_array().unwrap();
        list.iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (alice, bob, snap) = (
        s.keyid("alice.pub.json"),
        s.keyid("bob.pub.json"),
        s.keyid("snapshot.pub.json"),
    );
    assert_eq!(ids("root"), [alice.clone(), bob.clone()]);
    assert_eq!(ids("targets"), [alice, bob]);
    // One online key for both online roles is listed once, under one keyid.
    assert_eq!(ids("snapshot"), std::slice::from_ref(&snap));
    assert_eq!(ids("timestamp"), [snap]);
    let targets = s.read("e/targets.json");
    has(&targets, &s.keyid("carol.pub.json"));
    has(&targets, "\"pkg/*\"");
}

/// `delegate` says whether it made a delegation or updated one, names the keyholders of a
/// new one, makes no file for a role signed online, and drops a key no delegation uses.
#[test]
fn delegate_reports_new_updated_and_online_roles_and_prunes_keys() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "snapshot", "timestamp"]);
    s.c("init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json");
    let out = s.c("delegate claimed --key alice=alice.pub.json --threshold 1");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(
        lines[0],
        "targets: delegates claimed to 1 of 1 keys (alice)"
    );
    assert!(
        lines[1].starts_with("created c/claimed.json (v1, unsigned, expires 20"),
        "{out}"
    );
    let alice = s.keyid("alice.pub.json");
    assert!(s.read("c/targets.json").contains(&alice));

    let out = s.c("delegate claimed --key bob=bob.pub.json --key carol=carol.pub.json --threshold 2 --path a/*");
    assert_eq!(
        out,
        "targets: delegation to claimed updated: 2 of 2 keys; paths changed from * to a/*\n"
    );
    let targets = s.read("c/targets.json");
    assert!(
        !targets.contains(&alice),
        "alice's key stays in delegations though no role lists it:\n{targets}"
    );
    has(&targets, "\"a/*\"");

    let out = s.c("delegate recently-claimed --online-key snapshot.pub.json --threshold 1");
    assert_eq!(
        out,
        "targets: delegates recently-claimed to 1 of 1 keys (snapshot online key)\n\
         recently-claimed is signed online by the repository: no recently-claimed.json is made here\n"
    );
    assert!(!s.p("c/recently-claimed.json").exists());

    s.c_refuses("delegate claimed --key bob=bob.pub.json --threshold 2", 4, "error: the claimed threshold would be 2 but only 1 key(s) are listed, so it could never be met. Add keys first, or choose a threshold of at most 1\n");
}

/// `status` calls an expired role a problem, naming the command that fixes it, and one
/// expiring within 30 days a warning with the days left.
#[test]
fn status_names_expired_and_soon_expiring_roles() {
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    let out = s.init_alone(&w("--root-expires 10d --targets-expires 2020-01-01"));
    crate::util::ok(&out, "init");
    let v = tuf_ceremony::json::parse(s.c("--json status").as_bytes()).unwrap();
    let roles = v.get("roles").unwrap().as_array().unwrap();
    let strings = |role: &tuf_ceremony::json::Value, field: &str| -> Vec<String> {
        let list = role.get(field).unwrap().as_array().unwrap();
        list.iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let (root, targets) = (&roles[0], &roles[1]);
    let expires = root.get("expires").unwrap().as_str().unwrap();
    // Ten days from init, less the moments since.
    let warnings = strings(root, "warnings");
    assert!(
        [9, 10]
            .iter()
            .any(|d| warnings == [format!("root v1 expires in {d} days ({expires})")]),
        "{warnings:?}"
    );
    assert!(strings(root, "problems").is_empty());
    assert_eq!(
        strings(targets, "problems"),
        ["targets v1 expired at 2020-01-01T00:00:00Z; set a new expiry with `tuf-ceremony expires targets 365d` and sign again"]
    );
    assert!(strings(targets, "warnings").is_empty());
}
