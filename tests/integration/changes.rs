//! What a keyholder is shown before signing is everything they sign: every field of
//! `signed` that changed, at every level and whether TUF defines it or not, in plain words;
//! TAP 15 hash bins (`succinct_roles`, made here by python-tuf) on the signing screen, in
//! `changes`, `inspect`, the trees and the report; and `inspect` reads files made elsewhere
//! whose role names or expiry formats this tool would not load, saying why.

use crate::scene::{has, w};
use crate::util::Scene;
use std::process::Output;
use tuf_ceremony::json::{self, Value};

fn answering(s: &Scene, args: &[&str], input: &str) -> Output {
    s.run_input(args, input)
}

/// The signing screen for `role` in ceremony `dir`, answered "no".
fn screen(s: &Scene, dir: &str, role: &str, who: &str) -> String {
    let out = answering(
        s,
        &w(&format!("-C {dir} sign {role} --signer file:{who}.key")),
        "no\n",
    );
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn has_all(what: &str, text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "{what} does not say {w:?}:\n{text}");
    }
}

fn no_debug_text(what: &str, text: &str) {
    assert!(
        !text.contains("Some(") && !text.contains("None"),
        "{what} shows Rust's debugging text:\n{text}"
    );
}

/// The member `name` of a JSON object.
fn member<'v>(v: &'v mut Value, name: &str) -> &'v mut Value {
    match v {
        Value::Object(o) => o.get_mut(name).unwrap(),
        _ => panic!("not an object"),
    }
}

/// Root v2 of a published root v1, made elsewhere: consistent_snapshot off, another spec
/// version, a key owner written into alice's key, a signing policy added; unsigned.
#[test]
fn every_field_changed_in_root_is_on_the_signing_screen() {
    let s = Scene::alice_alone_exported();
    let alice = s.keyid("alice.pub.json");

    let mut doc = json::parse(s.read("repo/1.root.json").as_bytes()).unwrap();
    *member(&mut doc, "signatures") = Value::Array(Vec::new());
    let signed = member(&mut doc, "signed");
    *member(signed, "version") = Value::Int(2);
    *member(signed, "consistent_snapshot") = Value::Bool(false);
    *member(signed, "spec_version") = Value::str("1.0.30");
    let key = member(member(signed, "keys"), &alice);
    if let Value::Object(k) = key {
        k.insert("x-keyowner", Value::str("@mallory"));
    }
    if let Value::Object(o) = signed {
        o.insert(
            "x-policy",
            Value::object(vec![("expiry-days", Value::Int(365))]),
        );
    }
    std::fs::create_dir(s.p("next")).unwrap();
    s.write(
        "next/2.root.json",
        &String::from_utf8(json::pretty(&doc)).unwrap(),
    );
    s.cmd("-C c2 load --trusted repo/1.root.json");
    s.cmd("-C c2 load next/2.root.json --keyholder alice=alice.pub.json");
    let wanted = [
        "version 1 → 2",
        "root: consistent_snapshot changed from true to false",
        "root: spec_version changed from \"1.0.31\" to \"1.0.30\"",
        &format!(
            "keys: key {}… (alice): unknown field x-keyowner added: \"@mallory\"",
            &alice[..8]
        ),
        "root: unknown field x-policy added: {\"expiry-days\": 365}",
    ];
    let changes = s.cmd("-C c2 changes root");
    has_all("changes root", &changes, &wanted);
    no_debug_text("changes root", &changes);
    let shown = screen(&s, "c2", "root", "alice");
    has_all("the signing screen", &shown, &wanted);
    no_debug_text("the signing screen", &shown);
    let status = s.cmd("-C c2 status --changes");
    no_debug_text("status --changes", &status);
}

/// A targets made by python-tuf that delegates every path to hash bins (TAP 15): the bins
/// python-tuf names are named on the signing screen, in `inspect`, in both trees and in the
/// report; a next version that changes their threshold and number is shown changed.
#[test]
fn hash_bins_made_by_python_tuf_are_shown_and_their_changes_too() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    s.py("judge.py online-keys online");
    s.py("judge.py online-keys online2");
    let made = s.py("succinct.py make made alice.pub.json online/snapshot.pub.json online/timestamp.pub.json online/recently-claimed.pub.json");
    has(&made, "256 bins, bins-00 … bins-ff");
    s.c("load made/root.json made/targets.json --keyholder alice=alice.pub.json");
    let bins = "256 hash bins, bins-00 … bins-ff";
    let first = screen(&s, "c", "targets", "alice");
    has_all(
        "the signing screen",
        &first,
        &[&format!("succinct_roles: every target path is delegated to {bins} (name prefix \"bins\", bit length 8), each signed by 1 of [an unnamed key ")],
    );
    let inspected = s.cmd("inspect made/targets.json");
    has_all(
        "inspect",
        &inspected,
        &[&format!("delegates every target path to {bins} (succinct_roles: name prefix \"bins\", bit length 8): 1 of 1 keys, each bin terminating")],
    );
    let file_tree = s.cmd("inspect made/targets.json --tree");
    has_all(
        "inspect --tree",
        &file_tree,
        &["└─ bins-00 … bins-ff  (256 hash bins, 1 of 1: "],
    );
    s.sign("root", "alice");
    s.sign("targets", "alice");
    let tree = s.c("status --tree");
    has_all(
        "status --tree",
        &tree,
        &["└─ bins-00 … bins-ff  (256 hash bins, 1 of 1: key "],
    );
    s.c("report --out report.md");
    has_all(
        "the report",
        &s.read("report.md"),
        &["bins-00 … bins-ff  (256 hash bins, 1 of 1: "],
    );
    s.c("export --out repo");

    let next = s.py(
        "succinct.py next repo/targets.json next/targets.json online2/recently-claimed.pub.json",
    );
    has(&next, "1024 bins, bins-000 … bins-3ff");
    s.cmd("-C c2 load --trusted repo/1.root.json repo/targets.json");
    s.cmd("-C c2 load repo/1.root.json next/targets.json --keyholder alice=alice.pub.json");
    let wanted = [
        "succinct_roles: key added for an unnamed key ",
        "succinct_roles: threshold changes from 1 to 2 (of 2 keys)",
        "succinct_roles: bit length changed from 8 to 10: 1024 hash bins, bins-000 … bins-3ff (were 256, bins-00 … bins-ff)",
    ];
    has_all("changes targets", &s.cmd("-C c2 changes targets"), &wanted);
    has_all(
        "the signing screen",
        &screen(&s, "c2", "targets", "alice"),
        &wanted,
    );

    // A bin's own metadata is checked against the keys the bins are delegated to.
    std::fs::copy(s.p("made/targets.json"), s.p("bins-0a.json")).unwrap();
    let bin = s.cmd("inspect bins-0a.json --delegator repo/targets.json");
    has_all(
        "inspect a bin",
        &bin,
        &["threshold: 0 of 1 distinct keys signed - NOT met"],
    );
}

/// `inspect --delegator` finds the role a file holds as `load` does: the file name without
/// `.json` and a leading version, dots and all.
#[test]
fn inspect_finds_a_dotted_role_as_load_names_it() {
    let s = Scene::alice_alone();
    s.c("delegate registry.npmjs.org --key alice=alice.pub.json --threshold 1 --path npm/*");
    for role in ["root", "targets", "registry.npmjs.org"] {
        s.sign(role, "alice");
    }
    std::fs::copy(
        s.p("c/registry.npmjs.org.json"),
        s.p("3.registry.npmjs.org.json"),
    )
    .unwrap();
    for file in ["c/registry.npmjs.org.json", "3.registry.npmjs.org.json"] {
        let out = s.cmd(&format!("inspect {file} --delegator c/targets.json"));
        has_all(
            &format!("inspect {file}"),
            &out,
            &["verifies", "threshold: 1 of 1 distinct keys signed - met"],
        );
    }
}

/// A file this tool will not load (an expiry python-tuf 7 refuses too, as Sigstore's first
/// roots have; a delegated role name that looks like a path) is still shown by `inspect`,
/// with why it is refused; `load` still refuses it.
#[test]
fn inspect_shows_a_file_it_refuses_and_says_why() {
    let s = Scene::alice_alone();
    s.sign("root", "alice");
    let sigstore_expiry = "2021-12-18T13:28:12.99008-06:00";
    let mut doc = json::parse(s.read("c/root.json").as_bytes()).unwrap();
    *member(member(&mut doc, "signed"), "expires") = Value::str(sigstore_expiry);
    s.write(
        "old-root.json",
        &String::from_utf8(json::pretty(&doc)).unwrap(),
    );
    let python = s.py("succinct.py reads old-root.json");
    has(&python, "python-tuf refuses it");

    let out = s.cmd("inspect old-root.json");
    has_all(
        "inspect",
        &out,
        &[
            &format!("expires {sigstore_expiry}"),
            &format!("REFUSED: $.signed.expires: \"{sigstore_expiry}\" is not of the form YYYY-MM-DDTHH:MM:SSZ"),
            "python-tuf 7 refuses this expiry format too",
            "this tool shows the file but will not load or sign it",
            "keys (",
        ],
    );
    // The payload is the file's own: its signature by alice is still found.
    let digest = s.cmd("inspect --digest old-root.json");
    assert_eq!(digest.trim().len(), 64);
    has_all(
        "inspect --tree",
        &s.cmd("inspect old-root.json --tree"),
        &["root v1"],
    );
    let refused = s.cmd_fails("-C d load old-root.json", 3);
    has_all("load", &refused, &[sigstore_expiry]);
    // What is said of python-tuf is what python-tuf does, for each form this tool refuses.
    for expiry in [
        "2030-08-15T14:30:45.0000001Z",
        "2030-08-15T14:30:45+00:00",
        "2030-08-15T14:30:45z",
        "2030-8-15T14:30:45Z",
    ] {
        *member(member(&mut doc, "signed"), "expires") = Value::str(expiry);
        s.write(
            "other.json",
            &String::from_utf8(json::pretty(&doc)).unwrap(),
        );
        let python = s.py("succinct.py reads other.json");
        let shown = s.cmd("inspect other.json");
        has_all("inspect", &shown, &["REFUSED: $.signed.expires"]);
        assert_eq!(
            shown.contains("python-tuf 7 refuses this expiry format too"),
            python.contains("python-tuf refuses it"),
            "{expiry}: {python}\n{shown}"
        );
    }

    s.c("delegate claimed --key alice=alice.pub.json --threshold 1");
    let text = s.read("c/targets.json").replace("\"claimed\"", "\"../a\"");
    s.write("fishy.json", &text);
    let python = s.py("succinct.py reads fishy.json");
    has(&python, "python-tuf reads it");
    let out = s.cmd("inspect fishy.json");
    has_all(
        "inspect",
        &out,
        &[
            "delegates ../a: 1 of 1 keys",
            "REFUSED: $.signed.delegations.roles[0].name: \"../a\" looks like a path",
            "this tool shows the file but will not load or sign it",
        ],
    );
    let tree = s.cmd("inspect fishy.json --tree");
    has_all("inspect --tree", &tree, &["└─ ../a  (1 of 1: "]);
    s.cmd_fails("-C e load fishy.json", 3);
}
