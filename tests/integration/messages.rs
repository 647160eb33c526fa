//! Messages for the common slips: a role name mistyped, `-C` forgotten, another
//! ceremony's key file, a name that holds two keys, a wrong token object; and `--help`
//! that describes every argument.

use crate::hardware::p11;
use crate::scene::{has, lacks, w};
use crate::util::{failed, ok, Scene};

/// A ceremony `c` with alice, bob and carol, root 2 of 3, claimed delegated to alice.
fn ceremony() -> Scene {
    Scene::ceremony(&["alice", "bob", "carol"], 2)
}

/// `sign claimd`: names the roles the ceremony has and the nearest one, never advises
/// creating a role of the mistyped name.
#[test]
fn a_mistyped_role_names_the_roles_and_the_nearest() {
    let s = ceremony();
    let e = s.c_fails("sign claimd --signer file:alice.key --yes", 3);
    has(
        &e,
        "no role claimd in this ceremony (c); did you mean claimed? roles: root, targets, claimed",
    );
    lacks(&e, "Create it with");
    // Far from every role: no guess, still the list.
    let e = s.c_fails("changes unclaimed-projects", 3);
    has(
        &e,
        "no role unclaimed-projects in this ceremony (c); roles: root, targets, claimed",
    );
    lacks(&e, "did you mean");
}

/// `sign Root`: one line, not the naming rules.
#[test]
fn a_top_level_role_in_capitals_is_one_line() {
    let s = ceremony();
    let e = s.c_fails("sign Root --signer file:alice.key", 3);
    assert_eq!(
        e.trim_end(),
        "error: there is no role \"Root\": role names are case-sensitive; did you mean root?"
    );
    let e = s.c_fails("expires TARGETS 30d", 3);
    has(&e, "did you mean targets?");
    // Naming a new role so is still explained in full.
    let e = s.c_fails("delegate Root --key bob=bob.pub.json --threshold 1", 3);
    has(&e, "is a top-level role");
}

/// `-C` forgotten in the folder that holds the ceremony folders: they are named.
#[test]
fn a_folder_of_ceremony_folders_names_them() {
    let s = ceremony();
    std::fs::create_dir(s.p("not-a-ceremony")).unwrap();
    s.cmd("-C b init --keyholder alice=alice.pub.json --root-threshold 1 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json");
    let e = s.cmd_fails("status", 3);
    has(&e, "this folder is not a ceremony folder (no ceremony.json); it holds ceremony folders b, c: add -C b");
    // A folder with none keeps the advice to start one.
    let e = failed(&s.bare_run("-C not-a-ceremony status"), 3, "status");
    has(&e, "Start one with");
}

/// alice's key file from another ceremony: not the key recorded for alice, both keyids
/// named.
#[test]
fn another_ceremonys_key_file_is_named_as_such() {
    let s = ceremony();
    std::fs::create_dir(s.p("old")).unwrap();
    s.cmd("key generate --out old/alice.key --keyholder alice");
    let id = |file: &str| {
        let shown = s.cmd(&format!("--json key show {file}"));
        let shown = tuf_ceremony::json::parse(shown.as_bytes()).unwrap();
        shown.get("keyid").unwrap().as_str().unwrap()[..8].to_string()
    };
    let (recorded, other) = (id("alice.pub.json"), id("old/alice.pub.json"));
    let e = s.c_fails("sign root --signer file:old/alice.key --yes", 4);
    has(&e, &format!(
            "(keyid {other}…) is not the key recorded for alice: this ceremony records alice's key as {recorded}…"
        ));
}

/// A name that holds two keys of a role (the repository's online key, old and new) is
/// refused, naming both keyids and how to pick one; nothing is removed.
#[test]
fn a_name_of_two_keys_is_not_removed_at_once() {
    let s = ceremony();
    s.cmd("key generate --out timestamp2.key");
    s.c("root add-key timestamp timestamp2.pub.json");
    let before = crate::util::snapshot(&s.p("c"));
    let e = s.fails(
        &[
            "-C",
            "c",
            "root",
            "remove-key",
            "timestamp",
            "timestamp online key",
        ],
        3,
    );
    has(
        &e,
        "\"timestamp online key\" names 2 keys of the timestamp role: ",
    );
    has(&e, "Give the keyid of the one to remove (or its first 8+ hex digits), e.g. `tuf-ceremony root remove-key timestamp ");
    assert_eq!(before, crate::util::snapshot(&s.p("c")));
    // Either keyid, as advised, removes that key alone.
    let hint = e.split("remove-key timestamp ").nth(1).unwrap();
    let prefix: String = hint.chars().take(8).collect();
    let out = s.c(&format!("root remove-key timestamp {prefix}"));
    has(&out, "timestamp is now 1 of 1");
}

/// `key show` with an object the token does not hold says what `sign` says, never the
/// module's "already initialized".
#[test]
fn key_show_of_a_missing_token_object_says_what_sign_says() {
    let s = ceremony();
    let hsm = s.softhsm(&["alice-token"]);
    let env = hsm.env();
    s.hsm(
        &env,
        "key generate --signer p11:alice-token/tuf-root --pub-out tok.pub.json",
    );
    let wrong = p11("alice-token", "tuf-rot");
    let shown = failed(
        &s.run_with(&w(&format!("key show {wrong}")), "pp", &env),
        5,
        "key show",
    );
    lacks(&shown, "already been initialized");
    has(&shown, "there is no private key object \"tuf-rot\" on token \"alice-token\"; its private keys are \"tuf-root\"");
    let signed = failed(
        &s.run_with(&w(&format!("-C c sign root --signer {wrong}")), "pp", &env),
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
    let suggested = s.c("expires claimed");
    assert!(
        suggested.contains(&format!(
            "To set it: tuf-ceremony expires claimed {}",
            &expires[..10]
        )),
        "claimed expires {expires}; {suggested}"
    );
}

/// `status --within`: the roles expiring within the window on standard output and in
/// `--json`, not as warnings only.
#[test]
fn the_expiry_plan_is_printed_and_in_json() {
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    ok(&s.init_alone(&w("--root-expires 10d")), "init");
    let out = s.c_run("status --within 20d");
    let stdout = ok(&out, "status");
    let at = stdout
        .find("expiring within 20 days, soonest first:\n  root v1 expires ")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        stdout[at..].contains("re-sign it with a new expiry"),
        "{stdout}"
    );
    let v = tuf_ceremony::json::parse(s.c("--json status --within 20d").as_bytes()).unwrap();
    let list = v.get("expiring").unwrap().as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].get("role").unwrap().as_str(), Some("root"));
    assert_eq!(
        list[0].get("expired"),
        Some(&tuf_ceremony::json::Value::Bool(false))
    );
    assert_eq!(
        v.get("trusted_root_expired"),
        Some(&tuf_ceremony::json::Value::Null)
    );
}

/// `expires ROLE DATE` inside the week `sign` refuses, or the window `status` warns about,
/// says so at the edit; a date well ahead says nothing.
#[test]
fn an_expiry_inside_the_warning_window_warns_at_the_edit() {
    let s = ceremony();
    let out = s.c_run("expires targets 10d");
    ok(&out, "expires");
    let err = String::from_utf8_lossy(&out.stderr);
    has(&err, "warning: targets now expires ");
    has(&err, "within the 30 days `status` warns about");
    let out = s.c_run("expires targets 5d");
    ok(&out, "expires");
    let err = String::from_utf8_lossy(&out.stderr);
    has(
        &err,
        "`sign` refuses a role that expires within 7 days, so it cannot be signed",
    );
    let out = s.c_run("expires targets 200d");
    ok(&out, "expires");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// python-tuf writes root v1, expired on 2020-01-01, signed by alice's key file (opened
/// with rage, as a keyholder could): a published root that has since expired.
const EXPIRED_ROOT: &str = r#"import json, sys
from datetime import datetime, timezone
import pyrage
from cryptography.hazmat.primitives import serialization
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import Metadata, Root
from tuf.api.serialization.json import JSONSerializer
def pub(name):
    d = json.load(open(f"{name}.pub.json"))
    import hashlib
    from securesystemslib.formats import encode_canonical
    kid = hashlib.sha256(encode_canonical({"keytype": d["keytype"], "scheme": d["scheme"], "keyval": d["keyval"]}).encode()).hexdigest()
    return SSlibKey.from_dict(kid, dict(d))
passphrase = open(sys.argv[1]).readline().rstrip("\n")
text = pyrage.passphrase.decrypt(open("alice.key", "rb").read(), passphrase).decode()
priv = serialization.load_pem_private_key(text[text.index("-----BEGIN"):].encode(), None)
root = Root(version=1, expires=datetime(2020, 1, 1, tzinfo=timezone.utc), consistent_snapshot=True)
alice = pub("alice")
root.add_key(alice, "root"); root.add_key(alice, "targets")
root.add_key(pub("snapshot"), "snapshot"); root.add_key(pub("timestamp"), "timestamp")
md = Metadata(root)
md.sign(CryptoSigner(priv, alice))
md.to_file("1.root.json", JSONSerializer(compact=False))
"#;

/// A trusted root that has expired is flagged by `status` (and in `--json`), and a date
/// already past is said to be past, never "(in 0 days)" or "(in -N days)".
#[test]
fn status_flags_an_expired_trusted_root() {
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    s.write("mk.py", EXPIRED_ROOT);
    ok(
        &std::process::Command::new(crate::util::python())
            .args(["mk.py", "pp"])
            .current_dir(s.path())
            .output()
            .unwrap(),
        "python mk.py",
    );
    s.c("load --trusted 1.root.json --keyholder alice=alice.pub.json");
    let stdout = s.c("status");
    has(
        &stdout,
        "the trusted root v1 (the one clients hold) expired at 2020-01-01T00:00:00Z (EXPIRED ",
    );
    let v = tuf_ceremony::json::parse(s.c("--json status").as_bytes()).unwrap();
    let flagged = v.get("trusted_root_expired").unwrap();
    assert_eq!(
        flagged.get("version"),
        Some(&tuf_ceremony::json::Value::Int(1))
    );
    assert_eq!(
        flagged.get("expires").and_then(|e| e.as_str()),
        Some("2020-01-01T00:00:00Z")
    );
    // The same root as working metadata: its line says it has expired.
    s.c("load 1.root.json");
    let stdout = s.c("status --within 10d");
    assert!(
        !stdout.contains("(in -") && !stdout.contains("in 0 days"),
        "{stdout}"
    );
    has(&stdout, "root v1  expires 2020-01-01T00:00:00Z (EXPIRED ");
    has(&stdout, "  root v1 expires 2020-01-01T00:00:00Z (EXPIRED ");
}

/// `--json` of `sign`, `merge`, `export` and `verify` carries fields a script reads (the
/// verdict, role, version, keyholder, files and their digests), not lines of prose; the
/// prose is unchanged without `--json`.
#[test]
fn json_of_sign_merge_export_and_verify_carries_fields() {
    let s = ceremony();
    let parse = |out: &str| tuf_ceremony::json::parse(out.trim_end().as_bytes()).unwrap();
    let field = |v: &tuf_ceremony::json::Value, k: &str| -> String {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_else(|| panic!("no {k} in {v:?}"))
            .to_string()
    };
    let digest = s.cmd("inspect --digest c/root.json");
    let digest = digest.trim();
    let v = parse(&s.c("--json sign root --signer file:alice.key --yes"));
    assert!(v.get("lines").is_none(), "{v:?}");
    assert_eq!(field(&v, "verdict"), "signed");
    assert_eq!(field(&v, "role"), "root");
    assert_eq!(field(&v, "keyholder"), "alice");
    assert_eq!(field(&v, "payload_sha256"), digest);
    assert_eq!(v.get("version"), Some(&tuf_ceremony::json::Value::Int(1)));
    let t = &v.get("thresholds").unwrap().as_array().unwrap()[0];
    assert_eq!(t.get("signed"), Some(&tuf_ceremony::json::Value::Int(1)));
    assert_eq!(t.get("threshold"), Some(&tuf_ceremony::json::Value::Int(2)));
    // Signing again: nothing to do, said as a verdict.
    let v = parse(&s.c("--json sign root --signer file:alice.key --yes"));
    assert_eq!(field(&v, "verdict"), "already-signed");
    // bob signs detached; merge names the file, its keyholder and digests.
    let v = parse(&s.c("--json sign root --signer file:bob.key --detached bob.sig.json --yes"));
    assert_eq!(field(&v, "verdict"), "signed-detached");
    assert_eq!(field(&v, "detached"), "bob.sig.json");
    let v = parse(&s.c("--json merge bob.sig.json"));
    assert_eq!(field(&v, "verdict"), "merged");
    let m = &v.get("merged").unwrap().as_array().unwrap()[0];
    assert_eq!(field(m, "file"), "bob.sig.json");
    assert_eq!(field(m, "keyholder"), "bob");
    assert_eq!(field(m, "role"), "root");
    assert_eq!(field(m, "payload_sha256"), digest);
    assert_eq!(field(m, "file_sha256").len(), 64);
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    // export: every file with its digest, and the transcript head.
    let v = parse(&s.c("--json export --out repo"));
    assert_eq!(field(&v, "verdict"), "exported");
    assert_eq!(field(&v, "transcript_head").len(), 64);
    let files = v.get("files").unwrap().as_array().unwrap();
    let root = files
        .iter()
        .find(|f| field(f, "file") == "repo/1.root.json")
        .unwrap_or_else(|| panic!("{files:?}"));
    use sha2::Digest;
    let on_disk = hex::encode(sha2::Sha256::digest(
        std::fs::read(s.p("repo/1.root.json")).unwrap(),
    ));
    assert_eq!(field(root, "sha256"), on_disk);
    // verify, of the folder and of the working metadata.
    let v = parse(&s.c("--json verify --repo repo"));
    assert_eq!(field(&v, "verdict"), "ok");
    assert!(v.get("problems").unwrap().as_array().unwrap().is_empty());
    let files = v.get("files").unwrap().as_array().unwrap();
    assert!(
        files
            .iter()
            .any(|f| field(f, "file") == "1.root.json" && field(f, "sha256") == on_disk),
        "{files:?}"
    );
    let v = parse(&s.c("--json verify"));
    assert_eq!(field(&v, "verdict"), "ok");
    assert_eq!(v.get("roles").unwrap().as_array().unwrap().len(), 3);
    // Without --json, the words are as they were.
    let out = s.c("verify");
    assert!(
        out.ends_with("verify: everything a TUF client checks holds\n"),
        "{out}"
    );
}

/// With `--json`, a command that fails prints its error as one JSON document on standard
/// output too: its exit code, its kind (the typed outcome it comes from) and its message.
#[test]
fn json_of_an_error_names_its_kind() {
    let s = ceremony();
    let error = |args: &[&str], code: i32| {
        let out = s.run(args);
        failed(&out, code, &format!("{args:?}"));
        let v = tuf_ceremony::json::parse(&out.stdout).unwrap();
        let e = v.get("error").unwrap_or_else(|| panic!("{v:?}")).clone();
        let text = |k: &str| e.get(k).and_then(|x| x.as_str()).unwrap().to_string();
        assert_eq!(
            e.get("exit_code"),
            Some(&tuf_ceremony::json::Value::Int(code.into()))
        );
        (text("kind"), text("message"))
    };
    // The export gate: nothing is signed yet.
    let (kind, message) = error(&["-C", "c", "--json", "export", "--out", "repo"], 1);
    assert_eq!(kind, "failed.gate-closed");
    assert!(
        message.starts_with("export refused; nothing was written."),
        "{message}"
    );
    // A signature file is never overwritten.
    let detached = [
        "-C",
        "c",
        "--json",
        "sign",
        "root",
        "--signer",
        "file:bob.key",
        "--detached",
        "bob.sig.json",
        "--yes",
    ];
    ok(&s.run(&detached), "sign --detached");
    let (kind, message) = error(&detached, 4);
    assert_eq!(kind, "refused.sig-file-exists");
    assert!(
        message.contains("a signature file is never overwritten"),
        "{message}"
    );
    // Without --json, standard output stays empty.
    let out = s.run(
        &detached[..2]
            .iter()
            .chain(&detached[3..])
            .copied()
            .collect::<Vec<_>>(),
    );
    failed(&out, 4, "sign --detached again");
    assert!(out.stdout.is_empty());
}
