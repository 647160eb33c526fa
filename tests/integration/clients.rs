//! The clients pre-flight: `tuf-ceremony clients` says, per TUF client, whether it accepts
//! the folder's metadata as it would be exported, and the commands that make or change that
//! metadata warn naming each client that would refuse it. The spec version is a choice made
//! at `init`; a file loaded from elsewhere keeps its own.

use crate::scene::{has, init_line, lacks, w};
use crate::util::Scene;

fn init_args(folder: &str, holders: &[&str], threshold: &str) -> Vec<String> {
    let line = format!("-C {folder} {}", init_line(holders, threshold, ""));
    w(&line).into_iter().map(String::from).collect()
}

fn run(s: &Scene, args: &[String]) -> (String, String) {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = s.run(&refs);
    let stdout = crate::util::ok(&out, &format!("{args:?}"));
    (stdout, String::from_utf8_lossy(&out.stderr).to_string())
}

/// `clients --json` of `folder`: client id → (accepts, refusals joined).
fn verdicts(s: &Scene, folder: &str) -> (serde_json::Value, Vec<(String, bool, String)>) {
    let text = s.cmd(&format!("-C {folder} --json clients"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let list = v["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["client"].as_str().unwrap().to_string(),
                c["accepts"].as_bool().unwrap(),
                c["refusals"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
        .collect();
    (v, list)
}

fn refusing(list: &[(String, bool, String)]) -> Vec<&str> {
    list.iter()
        .filter(|(_, accepts, _)| !accepts)
        .map(|(id, _, _)| id.as_str())
        .collect()
}

/// By default root and targets carry spec_version 1.0.31, which rust-tuf refuses ("Unknown
/// spec version"): `init` warns naming it and `clients` says why. `init --spec-version 1.0`
/// writes what rust-tuf reads, every client accepts it, python-tuf verifies the export, and
/// a file loaded from elsewhere keeps its own spec_version. A version python-tuf refuses is
/// refused.
#[test]
fn the_spec_version_is_chosen_at_init_and_the_preflight_names_who_needs_what() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    s.py("judge.py online-keys online");
    let (_, warned) = run(&s, &init_args("d", &["alice"], "1"));
    has(&warned, "rust-tuf (tuf 0.3) would refuse this repository");
    has(&warned, "spec_version \"1.0.31\"");
    let (v, list) = verdicts(&s, "d");
    assert_eq!(refusing(&list), ["rust-tuf"], "{list:?}");
    assert_eq!(v["files"][0]["spec_version"], "1.0.31");
    let text = s.cmd("-C d clients");
    has(&text, "python-tuf 7: accepts");
    has(
        &text,
        "rust-tuf (tuf 0.3): refuses: root.json: spec_version \"1.0.31\"",
    );

    let mut args = init_args("c", &["alice"], "1");
    args.extend(["--spec-version".to_string(), "1.0".to_string()]);
    let (_, warned) = run(&s, &args);
    lacks(&warned, "rust-tuf");
    for f in ["c/root.json", "c/targets.json"] {
        assert!(s.read(f).contains("\"spec_version\": \"1.0\""), "{f}");
    }
    let (_, list) = verdicts(&s, "c");
    assert!(refusing(&list).is_empty(), "{list:?}");
    s.sign("root", "alice");
    s.sign("targets", "alice");
    s.c("export --out repo");
    s.py("judge.py verify repo");
    assert!(s
        .read("repo/root.json")
        .contains("\"spec_version\": \"1.0\""));

    // Loaded elsewhere: its own spec_version is kept.
    std::fs::create_dir_all(s.p("in")).unwrap();
    for f in ["root.json", "targets.json"] {
        s.write(&format!("in/{f}"), &s.read(&format!("c/{f}")));
    }
    s.cmd("-C e load in/root.json in/targets.json --keyholder alice=alice.pub.json");
    let (v, _) = verdicts(&s, "e");
    assert_eq!(v["files"][0]["spec_version"], "1.0");

    for bad in ["2.0", "1", "1.0.x"] {
        let mut args = init_args("f", &["alice"], "1");
        args.extend(["--spec-version".to_string(), bad.to_string()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = s.fails(&refs, 3);
        has(&e, "--spec-version");
        has(&e, bad);
        assert!(!s.p("f/root.json").exists());
    }
}

/// A P-384 key a root threshold needs: @tufjs/models up to 5.0.0 verifies ECDSA with
/// SHA-256, so tuf-js before 6.0.2 counts one key fewer than the threshold. `key generate`,
/// `init`, `status` and `export` name it; tuf-js 6.0.2 accepts.
#[test]
fn a_p384_root_key_is_named_for_tuf_js_before_6_0_2() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    let out = s.cmd_run("key generate --out carol.key --keyholder carol --scheme ecdsa-p384");
    crate::util::ok(&out, "key generate");
    let err = String::from_utf8_lossy(&out.stderr);
    has(
        &err,
        "tuf-js before 6.0.2: signatures by this key never count",
    );
    lacks(&err, "tuf-js 6.0.2:");
    s.py("judge.py online-keys online");
    let mut args = init_args("c", &["alice", "carol"], "2");
    args.extend(["--spec-version".to_string(), "1.0".to_string()]);
    let (_, warned) = run(&s, &args);
    let named = "tuf-js before 6.0.2 would refuse this repository: root.json: the root role needs 2 signature(s) but tuf-js before 6.0.2 can count at most 1";
    has(&warned, named);
    has(&warned, "SHA-256 whatever the scheme");
    let (_, list) = verdicts(&s, "c");
    assert_eq!(
        refusing(&list),
        ["tough", "tuf-js<6.0.2", "rust-tuf"],
        "{list:?}"
    );
    let status = s.c_run("status");
    assert!(String::from_utf8_lossy(&status.stderr).contains(named));
    s.sign("root", "alice");
    s.sign("root", "carol");
    s.sign("targets", "alice");
    let out = s.c_run("export --out repo");
    crate::util::ok(&out, "export");
    assert!(String::from_utf8_lossy(&out.stderr).contains(named));
    s.py("judge.py verify repo");
}
