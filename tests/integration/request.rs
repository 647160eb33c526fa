//! Signing at another site: `request write` on the ceremony machine, `request sign` on a
//! machine holding only the request and a key, `merge` back; the request is untrusted input,
//! and a signature made for another ceremony is refused for that reason.

use crate::scene::{has, lacks, w};
use crate::util::{bin, failed, ok, snapshot, Scene};
use std::process::{Command, Output, Stdio};

/// Runbook 1 then 3 in short: root v1 (alice and bob, 2 of 2) exported to `repo`, then root
/// v2 adds frank. The working root v2 follows the trusted v1.
fn rotated(s: &Scene) {
    s.keygen(&["alice", "bob", "frank"]);
    s.init_online(&["alice", "bob"], 2, 1, &[]);
    s.sign("root", "alice");
    s.sign("root", "bob");
    s.sign("targets", "alice");
    s.c("export --out repo");
    s.add_root_key("frank");
    std::fs::create_dir_all(s.p("usb")).unwrap();
}

/// The keyholder's machine: a folder holding only what they were given (`files`, copied
/// from the scene), in which the tool runs with `args` and `input` on standard input.
fn remote(s: &Scene, dir: &str, files: &[&str], args: &[&str], input: &str) -> Output {
    let there = s.p(dir);
    std::fs::create_dir_all(&there).unwrap();
    for f in files {
        let name = std::path::Path::new(f).file_name().unwrap();
        if !there.join(name).exists() {
            std::fs::copy(s.p(f), there.join(name)).unwrap();
        }
    }
    let mut child = Command::new(bin())
        .current_dir(&there)
        .arg("--passphrase-file")
        .arg(s.p("pp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

/// The part of a sign screen that must be the same wherever it is shown: from "You are
/// about to sign" to the payload's words (the "signing as" line names the signer's device).
fn screen(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let start = text
        .find("You are about to sign:")
        .unwrap_or_else(|| panic!("no sign screen:\n{text}"));
    let end = text[start..].find("  signing as").unwrap() + start;
    text[start..end].to_string()
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The whole workflow: the request is written outside the folder and recorded; bob signs
/// it in a folder holding only the request and his key file, seeing the screen alice sees
/// on the ceremony machine (the same changes, the same payload words); his signature merges
/// for bob; the rotation exported after it is accepted by python-tuf.
#[test]
fn a_request_signed_elsewhere_shows_the_same_screen_merges_and_python_tuf_accepts_it() {
    let s = Scene::new();
    rotated(&s);
    s.c_refuses(
        "request write root --out c/request.json",
        4,
        "is inside the ceremony folder",
    );

    let wrote = s.c("request write root --out usb/request.json");
    has(&wrote, "root v2: payload SHA-256");
    let shown = s.c("transcript show");
    has(&shown, " request ");
    let last = s.read("c/transcript.jsonl");
    let recorded = last
        .lines()
        .rfind(|l| l.contains("\"event\":\"request\""))
        .unwrap();
    let digest =
        tuf_ceremony::ceremony::digest_hex(&std::fs::read(s.p("usb/request.json")).unwrap());
    has(recorded, &digest);

    // Both screens, for the same key, answered "no".
    let here = s.run_input(&w("-C c sign root --signer file:alice.key"), "no\n");
    failed(&here, 4, "sign root, answered no");
    let there = remote(
        &s,
        "alice-site",
        &["usb/request.json", "alice.key"],
        &w("request sign request.json --signer file:alice.key --out alice.sig.json"),
        "no\n",
    );
    failed(&there, 4, "request sign, answered no");
    let (here, there) = (screen(&here), screen(&there));
    assert_eq!(here, there, "the two screens differ");
    has(&here, "changes against the trusted root v1");
    has(&here, "key added for frank");
    has(&here, "in words");

    // bob signs at his site; the name comes from the request.
    let signed = remote(
        &s,
        "bob-site",
        &["usb/request.json", "bob.key"],
        &w("request sign request.json --signer file:bob.key --out bob.sig.json --yes"),
        "",
    );
    let said = ok(&signed, "request sign by bob");
    has(&said, "bob signed root v2 into bob.sig.json");
    let sig = json(&s.p("bob-site/bob.sig.json"));
    assert_eq!(sig["format"], "tuf-ceremony-signature/1");
    assert_eq!(sig["keyholder"], "bob");
    assert_eq!(
        sig["ceremony"],
        json(&s.p("usb/request.json"))["ceremony"],
        "the signature names the ceremony of the request"
    );
    let entries: Vec<_> = std::fs::read_dir(s.p("bob-site"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        entries.len(),
        3,
        "bob's site holds more than it was given: {entries:?}"
    );

    let merged = s.c("merge bob-site/bob.sig.json");
    has(&merged, "merged bob's signature on root v2");
    s.sign("root", "alice");
    s.sign("root", "frank");
    s.c("export --out repo");
    let judged = s.py("judge.py verify repo");
    has(&judged, "root v1 -> v2");
}

/// A change made to a request on the way.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

/// What the stick carries could have been changed on the way: metadata that is not what the
/// request states, a trusted version that is not the one before, a trusted root no
/// threshold signed, a member the tool does not write, a name that is no name, a device
/// instead of a file. Each is refused before anything is shown or signed.
#[test]
fn a_tampered_request_is_refused_before_anything_is_signed() {
    let s = Scene::new();
    rotated(&s);
    s.c("request write root --out usb/request.json");
    let good = json(&s.p("usb/request.json"));
    // bob signs `request` at his own site.
    let sign = |request: &str, extra: &str| {
        let line = format!(
            "request sign {request} --signer file:bob.key --out bob.sig.json --yes {extra}"
        );
        remote(&s, "bob-site", &["bob.key"], &w(&line), "")
    };
    let cases: Vec<(&str, Edit, i32, &str)> = vec![
        (
            "metadata changed",
            Box::new(|v| v["working"]["root"]["signed"]["expires"] = "2035-01-01T00:00:00Z".into()),
            4,
            "It was changed after it was written",
        ),
        (
            "stated digest changed",
            Box::new(|v| v["roles"][0]["payload_sha256"] = "ab".repeat(32).into()),
            4,
            "It was changed after it was written",
        ),
        (
            "trusted version not the one before",
            Box::new(|v| v["trusted"]["root"] = v["working"]["root"].clone()),
            4,
            "the trusted root it holds is v2, not v1",
        ),
        (
            "trusted root unsigned",
            Box::new(|v| v["trusted"]["root"]["signatures"] = serde_json::json!([])),
            4,
            "is not signed by a threshold of its own root keys",
        ),
        (
            "unknown member",
            Box::new(|v| v["comment"] = "sign quickly".into()),
            3,
            "has a member this tool does not write: \"comment\"",
        ),
        (
            "keyholder name with a control character",
            Box::new(|v| v["keyholders"][0]["name"] = "alice\u{1b}[2J".into()),
            3,
            "$.keyholders[0].name",
        ),
        (
            "role name that is a path",
            Box::new(|v| v["roles"][0]["role"] = "../root".into()),
            3,
            "$.roles[0].role",
        ),
    ];
    for (what, edit, code, words) in cases {
        let mut v = good.clone();
        edit(&mut v);
        let name = format!("usb/{}.json", what.replace(' ', "-"));
        s.write(&name, &serde_json::to_string_pretty(&v).unwrap());
        let out = sign(&format!("../{name}"), "");
        let said = failed(&out, code, what);
        assert!(said.contains(words), "{what}: {said}");
        assert!(
            !said.contains("You are about to sign"),
            "{what}: shown: {said}"
        );
        assert!(!s.p("bob-site/bob.sig.json").exists(), "{what}: signed");
    }
    let out = sign("/dev/zero", "");
    let said = failed(&out, 3, "a device as the request");
    has(&said, "signing request");

    // The name is the request's for the key, never the signer's word: `--as` may only
    // repeat it, and a request that names bob's key as someone else's makes a signature
    // that `merge` refuses against the ceremony's own record.
    let said = failed(
        &sign("../usb/request.json", "--as mallory"),
        4,
        "--as another name",
    );
    has(&said, "this key is recorded as bob's");
    let mut renamed = good.clone();
    for k in renamed["keyholders"].as_array_mut().unwrap() {
        if k["name"] == "bob" {
            k["name"] = "mallory".into();
        }
    }
    s.write(
        "usb/renamed.json",
        &serde_json::to_string(&renamed).unwrap(),
    );
    ok(
        &sign("../usb/renamed.json", ""),
        "a request naming bob's key as mallory's",
    );
    let said = s.c_fails("merge bob-site/bob.sig.json", 4);
    has(&said, "is recorded in this ceremony as bob's");
}

/// A signature file (made in a folder, or from a request) for another ceremony is refused
/// with that reason, not as metadata changed on the way; so is that ceremony's request.
#[test]
fn a_signature_for_another_ceremony_is_refused_with_that_reason() {
    let s = Scene::new();
    rotated(&s);
    // Another ceremony, begun with other keyholders.
    s.cmd("-C other init --keyholder alice=alice.pub.json --root-threshold 1 --targets-threshold 1 --online-key snapshot=online/snapshot.pub.json --online-key timestamp=online/timestamp.pub.json");
    s.cmd("-C other sign root --signer file:alice.key --detached usb/other-alice.sig.json --yes");
    let before = snapshot(&s.p("c"));
    // A detached signature made in the other ceremony's folder.
    let said = s.c_fails("merge usb/other-alice.sig.json", 4);
    has(&said, "this signature was made for ceremony");
    has(&said, ", this folder is ceremony");
    // One made from the other ceremony's request.
    s.cmd("-C other request write root --out usb/other-request.json");
    let from_request = remote(
        &s,
        "alice-site",
        &["usb/other-request.json", "alice.key"],
        &w("request sign other-request.json --signer file:alice.key --out alice.sig.json --yes"),
        "",
    );
    ok(&from_request, "request sign of the other ceremony");
    for sig in ["usb/other-alice.sig.json", "alice-site/alice.sig.json"] {
        let said = s.c_fails(&format!("merge {sig}"), 4);
        assert!(
            said.contains("this signature was made for ceremony")
                && said.contains(", this folder is ceremony"),
            "{sig}: {said}"
        );
        lacks(&said, "changed after it was carried over");
    }
    let said = s.c_fails("merge usb/other-request.json", 4);
    has(&said, "this signing request was made for ceremony");
    assert_eq!(
        snapshot(&s.p("c")),
        before,
        "a refused merge changed the folder"
    );
    // This ceremony's own request, given to merge by mistake, is named for what it is.
    s.c("request write root --out usb/request.json");
    let said = s.c_fails("merge usb/request.json", 3);
    has(&said, "it is a signing request");
}
