//! What a command prints can fail, and says so; every command honours `--json`.

use crate::scene::w;
use crate::util::{bin, Scene};
use std::process::{Command, Stdio};

/// `inspect --canonical > f` on a full disk must not exit 0 with a truncated payload.
#[test]
fn a_failed_write_to_standard_output_is_an_error() {
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    crate::util::ok(&s.init_alone(&[]), "init");
    for args in [
        w("inspect --canonical c/root.json"),
        w("inspect --digest c/root.json"),
        w("-C c status"),
        w("-C c --json status"),
        w("completions bash"),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(bin())
            .current_dir(s.path())
            .args(&args)
            .stdout(Stdio::from(full))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(6), "{args:?}: {err}");
        assert!(err.contains("standard output"), "{args:?}: {err}");
    }
}

/// `--json` gives one JSON document on standard output for every command, including
/// those with no report of their own (sign, merge, verify, export).
#[test]
fn every_command_honours_json() {
    let s = Scene::ceremony(&["alice", "bob"], 1);
    let json = |args: &[&str]| {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = s.ok(&all);
        tuf_ceremony::json::parse(out.trim_end().as_bytes())
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}):\n{out}"))
    };
    json(&w("-C c sign root --signer file:alice.key --yes"));
    json(&w(
        "-C c sign targets --signer file:bob.key --yes --detached bob.sig.json",
    ));
    let merged = json(&w("-C c merge bob.sig.json"));
    assert!(
        tuf_ceremony::json::compact(&merged).contains(r#""keyholder":"bob""#)
            && tuf_ceremony::json::compact(&merged).contains(r#""verdict":"merged""#),
        "{merged:?}"
    );
    json(&w("-C c sign claimed --signer file:alice.key --yes"));
    json(&w("-C c status"));
    json(&w("-C c export --out repo"));
    json(&w("-C c verify --trusted-root repo/1.root.json"));
    json(&w("-C c transcript verify"));
}

/// The `--json` reports keep their fields, names and order (keys sorted, as every JSON the
/// tool writes): a script reading them does not break when the code behind them changes.
#[test]
fn json_reports_keep_their_fields_and_order() {
    let s = Scene::ceremony(&["alice", "bob"], 2);
    let compact = |text: &str| {
        let v = tuf_ceremony::json::parse(text.trim_end().as_bytes())
            .unwrap_or_else(|e| panic!("no JSON ({e}):\n{text}"));
        assert_eq!(text, format!("{}\n", tuf_ceremony::json::compact(&v)));
        v
    };
    // key show: the key as TUF writes it, and its keyid.
    let key = tuf_ceremony::json::parse(s.read("alice.pub.json").as_bytes()).unwrap();
    let text = s.cmd("key show alice.pub.json");
    let keyid = text.lines().find_map(|l| l.strip_prefix("keyid ")).unwrap();
    assert_eq!(
        s.cmd("--json key show alice.pub.json"),
        format!(
            "{{\"key\":{},\"keyid\":\"{keyid}\"}}\n",
            tuf_ceremony::json::compact(&key)
        )
    );
    // inspect: type, version, expires, payload digest, why refused.
    let digest = s.cmd("inspect --digest c/root.json");
    let digest = digest.split_whitespace().next().unwrap();
    let out = s.cmd("--json inspect c/root.json");
    let v = compact(&out);
    let expires = v.get("expires").and_then(|e| e.as_str()).unwrap();
    assert_eq!(
        out,
        format!("{{\"expires\":\"{expires}\",\"payload_sha256\":\"{digest}\",\"refused\":[],\"type\":\"root\",\"version\":1}}\n")
    );
    // status: every level's fields, in order.
    s.sign("root", "alice");
    let v = compact(&s.c("--json status"));
    let fields = |v: &tuf_ceremony::json::Value| -> Vec<String> {
        v.as_object().unwrap().keys().cloned().collect()
    };
    assert_eq!(
        fields(&v),
        [
            "added_keys",
            "expiring",
            "policy",
            "ready",
            "roles",
            "root_only",
            "trusted_root_expired"
        ]
    );
    let root = &v.get("roles").unwrap().as_array().unwrap()[0];
    assert_eq!(
        fields(root),
        [
            "expires",
            "notes",
            "payload_sha256",
            "problems",
            "ready",
            "role",
            "thresholds",
            "version",
            "warnings"
        ]
    );
    let threshold = &root.get("thresholds").unwrap().as_array().unwrap()[0];
    assert_eq!(
        fields(threshold),
        ["label", "met", "missing", "signed", "threshold"]
    );
    let signed = threshold.get("signed").unwrap().as_array().unwrap();
    assert_eq!(
        tuf_ceremony::json::compact(&signed[0]),
        format!("{{\"keyholder\":\"alice\",\"keyid\":\"{keyid}\"}}")
    );
    assert_eq!(
        tuf_ceremony::json::compact(threshold.get("met").unwrap()),
        "false"
    );
    // verify: the verdict and what it rests on, not prose.
    // (verify exits 1 here: root lacks bob's signature.)
    let out = s.c_run("--json verify --trusted-root c/root.json");
    assert_eq!(out.status.code(), Some(1));
    let v = compact(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        fields(&v),
        ["files", "problems", "repo", "roles", "verdict", "warnings"]
    );
    assert_eq!(v.get("verdict").and_then(|v| v.as_str()), Some("failed"));
    // A command with no value of its own: its lines and warnings.
    let v = compact(&s.c("--json expires root 200d"));
    assert_eq!(fields(&v), ["lines", "warnings"]);
    assert!(
        v.get("lines").unwrap().as_array().unwrap()[0]
            .as_str()
            .unwrap()
            .starts_with("root: expires "),
        "{v:?}"
    );
}
