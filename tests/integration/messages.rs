//! Messages for the common slips: a role name mistyped, `-C` forgotten, another
//! ceremony's key file, a name that holds two keys, a wrong token object; and `--help`
//! that describes every argument.

use crate::hardware::{p11, SoftHsm};
use crate::util::{failed, ok, Scene};

/// A ceremony `c` with alice, bob and carol, root 2 of 3, claimed delegated to alice.
fn ceremony() -> Scene {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "snapshot", "timestamp"]);
    s.init(&["alice", "bob", "carol"], 2);
    s
}

/// `sign claimd`: names the roles the ceremony has and the nearest one, never advises
/// creating a role of the mistyped name.
#[test]
fn a_mistyped_role_names_the_roles_and_the_nearest() {
    let s = ceremony();
    let e = s.fails(
        &["-C", "c", "sign", "claimd", "--signer", "file:alice.key", "--yes"],
        3,
    );
    assert!(
        e.contains("no role claimd in this ceremony (c); did you mean claimed? roles: root, targets, claimed"),
        "{e}"
    );
    assert!(!e.contains("Create it with"), "{e}");
    // Far from every role: no guess, still the list.
    let e = s.fails(&["-C", "c", "changes", "unclaimed-projects"], 3);
    assert!(
        e.contains("no role unclaimed-projects in this ceremony (c); roles: root, targets, claimed"),
        "{e}"
    );
    assert!(!e.contains("did you mean"), "{e}");
}

/// `sign Root`: one line, not the naming rules.
#[test]
fn a_top_level_role_in_capitals_is_one_line() {
    let s = ceremony();
    let e = s.fails(&["-C", "c", "sign", "Root", "--signer", "file:alice.key"], 3);
    assert_eq!(
        e.trim_end(),
        "error: there is no role \"Root\": role names are case-sensitive; did you mean root?"
    );
    let e = s.fails(&["-C", "c", "expires", "TARGETS", "30d"], 3);
    assert!(e.contains("did you mean targets?"), "{e}");
    // Naming a new role so is still explained in full.
    let e = s.fails(
        &["-C", "c", "delegate", "Root", "--key", "bob=bob.pub.json", "--threshold", "1"],
        3,
    );
    assert!(e.contains("is a top-level role"), "{e}");
}

/// `-C` forgotten in the folder that holds the ceremony folders: they are named.
#[test]
fn a_folder_of_ceremony_folders_names_them() {
    let s = ceremony();
    std::fs::create_dir(s.p("not-a-ceremony")).unwrap();
    s.ok(&[
        "-C",
        "b",
        "init",
        "--keyholder",
        "alice=alice.pub.json",
        "--root-threshold",
        "1",
        "--targets-threshold",
        "1",
        "--online-key",
        "snapshot=snapshot.pub.json",
        "--online-key",
        "timestamp=timestamp.pub.json",
    ]);
    let e = s.fails(&["status"], 3);
    assert!(
        e.contains(
            "this folder is not a ceremony folder (no ceremony.json); it holds ceremony folders b, c: add -C b"
        ),
        "{e}"
    );
    // A folder with none keeps the advice to start one.
    let e = failed(
        &std::process::Command::new(crate::util::bin())
            .args(["-C", "not-a-ceremony", "status"])
            .current_dir(s.path())
            .output()
            .unwrap(),
        3,
        "status",
    );
    assert!(e.contains("Start one with"), "{e}");
}

/// alice's key file from another ceremony: not the key recorded for alice, both keyids
/// named.
#[test]
fn another_ceremonys_key_file_is_named_as_such() {
    let s = ceremony();
    std::fs::create_dir(s.p("old")).unwrap();
    s.ok(&["key", "generate", "--out", "old/alice.key", "--keyholder", "alice"]);
    let id = |file: &str| {
        let shown = s.ok(&["--json", "key", "show", file]);
        let shown = tuf_ceremony::json::parse(shown.as_bytes()).unwrap();
        shown.get("keyid").unwrap().as_str().unwrap()[..8].to_string()
    };
    let (recorded, other) = (id("alice.pub.json"), id("old/alice.pub.json"));
    let e = s.fails(
        &["-C", "c", "sign", "root", "--signer", "file:old/alice.key", "--yes"],
        4,
    );
    assert!(
        e.contains(&format!(
            "(keyid {other}…) is not the key recorded for alice: this ceremony records alice's key as {recorded}…"
        )),
        "{e}"
    );
}

/// A name that holds two keys of a role (the repository's online key, old and new) is
/// refused, naming both keyids and how to pick one; nothing is removed.
#[test]
fn a_name_of_two_keys_is_not_removed_at_once() {
    let s = ceremony();
    s.ok(&["key", "generate", "--out", "timestamp2.key"]);
    s.ok(&["-C", "c", "root", "add-key", "timestamp", "timestamp2.pub.json"]);
    let before = crate::util::snapshot(&s.p("c"));
    let e = s.fails(
        &["-C", "c", "root", "remove-key", "timestamp", "repository-online-key"],
        3,
    );
    assert!(
        e.contains("\"repository-online-key\" names 2 keys of the timestamp role: "),
        "{e}"
    );
    assert!(
        e.contains("Give the keyid of the one to remove (or its first 8+ hex digits), e.g. `tuf-ceremony root remove-key timestamp "),
        "{e}"
    );
    assert_eq!(before, crate::util::snapshot(&s.p("c")));
    // Either keyid, as advised, removes that key alone.
    let hint = e.split("remove-key timestamp ").nth(1).unwrap();
    let prefix: String = hint.chars().take(8).collect();
    let out = s.ok(&["-C", "c", "root", "remove-key", "timestamp", &prefix]);
    assert!(out.contains("timestamp is now 1 of 1"), "{out}");
}

/// `key show` with an object the token does not hold says what `sign` says, never the
/// module's "already initialized".
#[test]
fn key_show_of_a_missing_token_object_says_what_sign_says() {
    let s = ceremony();
    let hsm = SoftHsm::new(&s);
    let env = hsm.env();
    hsm.init_token("alice-token");
    ok(
        &s.run_with(
            &[
                "key",
                "generate",
                "--signer",
                &p11("alice-token", "tuf-root"),
                "--pub-out",
                "tok.pub.json",
            ],
            "pp",
            &env,
        ),
        "key generate",
    );
    let wrong = p11("alice-token", "tuf-rot");
    let shown = failed(&s.run_with(&["key", "show", &wrong], "pp", &env), 5, "key show");
    assert!(!shown.contains("already been initialized"), "{shown}");
    assert!(
        shown.contains("there is no private key object \"tuf-rot\" on token \"alice-token\"; its private keys are \"tuf-root\""),
        "{shown}"
    );
    let signed = failed(
        &s.run_with(&["-C", "c", "sign", "root", "--signer", &wrong], "pp", &env),
        5,
        "sign",
    );
    assert_eq!(signed, shown);
}

/// Every argument of every subcommand says in `--help` what it is for.
#[test]
fn every_argument_has_help() {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for a in c.get_arguments() {
            let id = a.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if a.get_help().is_none() && a.get_long_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in c.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(
        &tuf_ceremony::cli::Cli::command(),
        "tuf-ceremony",
        &mut missing,
    );
    assert!(missing.is_empty(), "arguments without help: {missing:?}");
}

/// `init` without `--claimed-expires` gives claimed the expiry `expires claimed` suggests
/// (half a year, PEP 458), not root's year.
#[test]
fn init_gives_claimed_the_suggested_expiry() {
    let s = ceremony();
    let v = tuf_ceremony::json::parse(s.read("c/claimed.json").as_bytes()).unwrap();
    let expires = v
        .get("signed")
        .and_then(|v| v.get("expires"))
        .and_then(|v| v.as_str())
        .unwrap()
        .to_string();
    let suggested = s.ok(&["-C", "c", "expires", "claimed"]);
    assert!(
        suggested.contains(&format!("To set it: tuf-ceremony expires claimed {}", &expires[..10])),
        "claimed expires {expires}; {suggested}"
    );
}
