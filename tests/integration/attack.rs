//! Hostile signature files, metadata and transcript lines against `merge`'s attestation
//! check, proof of possession and the policy's `require_attestation`: a key counts as
//! attested only when a device attested that very key, whatever keyids the metadata lists
//! it under, and a transcript line counts only for the evidence it carries.

use crate::util::{ok, Scene};
use tuf_ceremony::json::Value;

/// The keyid under which `role` lists keyholder `who`'s key in ceremony `c`'s `file`.
fn keyid_of(s: &Scene, file: &str, who: &str) -> String {
    let pubkey = tuf_ceremony::json::parse(s.read(&format!("{who}.pub.json")).as_bytes()).unwrap();
    let public = pubkey.get("keyval").and_then(|k| k.get("public")).cloned();
    let md = tuf_ceremony::json::parse(s.read(file).as_bytes()).unwrap();
    let signed = md.get("signed").unwrap();
    let keys = signed
        .get("keys")
        .or_else(|| signed.get("delegations").and_then(|d| d.get("keys")))
        .and_then(Value::as_object)
        .unwrap();
    let found = keys
        .iter()
        .find(|(_, k)| k.get("keyval").and_then(|v| v.get("public")).cloned() == public)
        .map(|(id, _)| id.to_string());
    found.unwrap_or_else(|| panic!("{who}'s key is not in {file}"))
}

/// `file` with every occurrence of `from` replaced by `to`.
fn replace_in(s: &Scene, file: &str, from: &str, to: &str) {
    let text = s.read(file);
    assert!(text.contains(from), "{from} not in {file}");
    s.write(file, &text.replace(from, to));
}

/// A delegation lists alice's key under bob's root keyid (a keyid that is not the key's
/// hash loads with a warning only). Alice's device attests her key; she signs the delegated
/// role detached and the file carries her chain, which verifies for her key. The merge event
/// records the keyid the signature is filed under, and the policy used to look that keyid up
/// across every role: root lists it as bob's key, so bob's root key counted as attested by
/// alice's device, and alice's (the one attested) did not.
#[test]
fn an_attestation_counts_for_the_key_attested_not_for_the_keyid_it_is_filed_under() {
    let s = Scene::new();
    s.ok(&[
        "key",
        "generate",
        "--out",
        "alice.key",
        "--keyholder",
        "alice",
        "--scheme",
        "ecdsa-p256",
    ]);
    s.keygen(&["bob", "snapshot", "timestamp"]);
    s.ok(&[
        "-C",
        "c",
        "init",
        "--keyholder",
        "bob=bob.pub.json",
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
    s.ok(&[
        "-C",
        "c",
        "delegate",
        "aaa",
        "--key",
        "alice=alice.pub.json",
        "--threshold",
        "1",
        "--path",
        "x/*",
    ]);
    // targets, rewritten to list alice's key under bob's keyid, and loaded in its place.
    let alice_id = keyid_of(&s, "c/targets.json", "alice");
    let bob_id = keyid_of(&s, "c/root.json", "bob");
    std::fs::rename(s.p("c/targets.json"), s.p("targets.json")).unwrap();
    replace_in(&s, "targets.json", &alice_id, &bob_id);
    s.ok(&["-C", "c", "load", "targets.json"]);
    // Alice signs aaa on a separate machine; her device's chain goes into the file.
    let copied = std::process::Command::new("cp")
        .args(["-a", "c", "other"])
        .current_dir(s.path())
        .status()
        .unwrap();
    assert!(copied.success());
    std::fs::create_dir(s.p("usb")).unwrap();
    s.ok(&[
        "-C",
        "other",
        "sign",
        "aaa",
        "--signer",
        "file:alice.key",
        "--detached",
        "usb/alice.sig.json",
        "--yes",
    ]);
    assert!(s.read("usb/alice.sig.json").contains(&bob_id));
    s.python("attest_key.py", &["alice.pub.json", "ev"]);
    let mut file = tuf_ceremony::json::parse(s.read("usb/alice.sig.json").as_bytes()).unwrap();
    let Value::Object(members) = &mut file else {
        panic!("not an object")
    };
    members.insert(
        "attestation",
        Value::object(vec![
            ("kind", Value::str("yubihsm-2")),
            (
                "key_certificate",
                Value::str(s.read("ev/key-certificate.pem")),
            ),
            (
                "device_certificate",
                Value::str(s.read("ev/device-certificate.pem")),
            ),
        ]),
    );
    std::fs::write(
        s.p("usb/attested.sig.json"),
        tuf_ceremony::json::pretty(&file),
    )
    .unwrap();
    s.write("policy.toml", "[roles.root]\nrequire_attestation = true\n");
    s.ok(&["-C", "c", "policy", "set", "policy.toml"]);
    let out = ok(
        &s.run_env(
            &["-C", "c", "merge", "usb/attested.sig.json"],
            ("TUF_CEREMONY_ATTESTATION_CA", "ev/ca.pem"),
        ),
        "merge",
    );
    assert!(out.contains("attested: YubiHSM 2 serial 7550040"), "{out}");
    // The attestation is checked again against the CA given, as `merge` checked it.
    let st = ok(
        &s.run_env(
            &["-C", "c", "status"],
            ("TUF_CEREMONY_ATTESTATION_CA", "ev/ca.pem"),
        ),
        "status",
    );
    let unattested = |who: &str| {
        st.contains(&format!(
            "roles.root.require_attestation = true, but root's key {who} "
        ))
    };
    assert!(unattested("bob"), "bob's key counted as attested: {st}");
    assert!(!unattested("alice"), "alice's key is not attested: {st}");
}

/// Appends `members` (a JSON object's members, without `seq` and `prev`) to ceremony `c`'s
/// transcript as its next line, with the `seq` and `prev` that keep the hash chain: what
/// anyone holding the file can do.
fn append_chained(s: &Scene, members: &str) {
    let text = s.read("c/transcript.jsonl");
    let last = text.lines().last().unwrap();
    let prev = tuf_ceremony::ceremony::digest_hex(last.as_bytes());
    let seq = text.lines().count() + 1;
    s.write(
        "c/transcript.jsonl",
        &format!("{text}{{{members},\"prev\":\"{prev}\",\"seq\":{seq}}}\n"),
    );
}

/// The payload SHA-256 of ceremony `c`'s working `role`.
fn payload_of(s: &Scene, role: &str) -> String {
    s.ok(&["inspect", "--digest", &format!("c/{role}.json")])
        .trim()
        .to_string()
}

/// `file` with an `attestation` member holding the certificates `ev/NAME.pem` and
/// `ev/device-certificate.pem`, as `sign --detached` writes a YubiHSM 2's, saved as `out`.
fn with_chain(s: &Scene, file: &str, ev: &str, name: &str, out: &str) {
    let mut v = tuf_ceremony::json::parse(s.read(file).as_bytes()).unwrap();
    let Value::Object(members) = &mut v else {
        panic!("not an object")
    };
    members.insert(
        "attestation",
        Value::object(vec![
            ("kind", Value::str("yubihsm-2")),
            (
                "key_certificate",
                Value::str(s.read(&format!("{ev}/{name}.pem"))),
            ),
            (
                "device_certificate",
                Value::str(s.read(&format!("{ev}/device-certificate.pem"))),
            ),
        ]),
    );
    std::fs::write(s.p(out), tuf_ceremony::json::pretty(&v)).unwrap();
}

/// Two lines appended by hand, with the chain computed as the tool computes it: a `merge`
/// whose attestation says `verified` for carol's key, and a `sign` under carol's keyid, both
/// naming mallory, who holds no key. They carry a verdict and no evidence (no signature, no
/// certificates), so they prove nothing: carol's key stays unproven and unattested, export
/// is refused, and the report shows mallory's lines as recorded without evidence, never as
/// signed or attested. A copy of a genuine line under mallory's name is checked for what it
/// proves (alice's signature and device) and shown as alice's. When carol then signs with
/// her attested device, the same policy is met, against the CA that attested her device:
/// the one the exporting command is given.
#[test]
fn hand_appended_verdicts_prove_neither_possession_nor_attestation() {
    let s = Scene::new();
    for who in ["alice", "carol"] {
        s.ok(&[
            "key",
            "generate",
            "--out",
            &format!("{who}.key"),
            "--keyholder",
            who,
            "--scheme",
            "ecdsa-p256",
        ]);
    }
    s.keygen(&["snapshot", "timestamp"]);
    s.ok(&[
        "-C",
        "c",
        "init",
        "--keyholder",
        "alice=alice.pub.json",
        "--keyholder",
        "carol=carol.pub.json",
        "--root-threshold",
        "1",
        "--targets-threshold",
        "1",
        "--online-key",
        "snapshot=snapshot.pub.json",
        "--online-key",
        "timestamp=timestamp.pub.json",
    ]);
    // alice signs root on a separate machine with her attested device; carol's signature
    // file is made there too, and kept for the end.
    let copied = std::process::Command::new("cp")
        .args(["-a", "c", "other"])
        .current_dir(s.path())
        .status()
        .unwrap();
    assert!(copied.success());
    std::fs::create_dir(s.p("usb")).unwrap();
    for who in ["alice", "carol"] {
        s.ok(&[
            "-C",
            "other",
            "sign",
            "root",
            "--signer",
            &format!("file:{who}.key"),
            "--detached",
            &format!("usb/{who}.sig.json"),
            "--yes",
        ]);
        let (pubkey, ev) = (format!("{who}.pub.json"), format!("ev-{who}"));
        s.python("attest_key.py", &[pubkey.as_str(), ev.as_str()]);
        with_chain(
            &s,
            &format!("usb/{who}.sig.json"),
            &format!("ev-{who}"),
            "key-certificate",
            &format!("usb/{who}-attested.sig.json"),
        );
    }
    // Each run of attest_key.py makes its own test CA: the CA file holds both.
    s.write(
        "ca.pem",
        &format!("{}{}", s.read("ev-alice/ca.pem"), s.read("ev-carol/ca.pem")),
    );
    let ca = ("TUF_CEREMONY_ATTESTATION_CA", "ca.pem");
    ok(
        &s.run_env(&["-C", "c", "merge", "usb/alice-attested.sig.json"], ca),
        "merge alice",
    );
    s.sign("targets", "alice");
    s.write(
        "policy.toml",
        "require_proof_of_possession = true\n\n[roles.root]\nrequire_attestation = true\n",
    );
    s.ok(&["-C", "c", "policy", "set", "policy.toml"]);
    let st = ok(&s.run_env(&["-C", "c", "status"], ca), "status");
    assert!(
        st.contains("require_attestation = true, but root's key carol"),
        "{st}"
    );
    assert!(!st.contains("root's key alice"), "{st}");

    // The two lines, appended by hand.
    let root = payload_of(&s, "root");
    let carol_id = keyid_of(&s, "c/root.json", "carol");
    let carol_key = s.read("carol.pub.json");
    let carol_key =
        tuf_ceremony::json::compact(&tuf_ceremony::json::parse(carol_key.as_bytes()).unwrap());
    let device = r#""device":{"description":"YubiHSM 2 serial 7550040","identity":"serial 7550040","kind":"yubihsm"}"#;
    let summary = "attested: YubiHSM 2 serial 7550040, firmware 2.4.0, generated, not exportable under wrap; capabilities sign-ecdsa";
    append_chained(
        &s,
        &format!(
            r#""attestation":{{"device":"YubiHSM 2","firmware":"2.4.0","key":{carol_key},"origin":"generated","policy":"not exportable","serial":7550040,"status":"verified","summary":"{summary}"}},{device},"event":"merge","file":"usb/carol.sig.json","file_sha256":"{root}","keyholder":"mallory","keyids":["{carol_id}"],"payload_sha256":"{root}","role":"root","signed_at":"2030-01-01T00:00:00Z","time":"2030-01-01T00:00:00Z","version":1"#
        ),
    );
    append_chained(
        &s,
        &format!(
            r#""attestation":{{"key":{carol_key},"status":"verified","summary":"{summary}"}},{device},"event":"sign","keyholder":"mallory","keyids":["{carol_id}"],"payload_sha256":"{root}","role":"root","scheme":"ecdsa-sha2-nistp256","time":"2030-01-01T00:00:00Z","version":1"#
        ),
    );
    // A genuine line copied under mallory's name proves what its evidence proves: alice's.
    let transcript = s.read("c/transcript.jsonl");
    let genuine = transcript
        .lines()
        .find(|l| l.contains("\"event\":\"merge\""))
        .unwrap();
    let v = tuf_ceremony::json::parse(genuine.as_bytes()).unwrap();
    let Value::Object(mut members) = v else {
        panic!("not an object")
    };
    for gone in ["seq", "prev"] {
        members.remove(gone);
    }
    members.insert("keyholder", Value::str("mallory"));
    let copy = tuf_ceremony::json::compact(&Value::Object(members));
    append_chained(&s, &copy[1..copy.len() - 1]);
    ok(
        &s.run(&["-C", "c", "transcript", "verify"]),
        "the chain holds",
    );

    let st = ok(&s.run_env(&["-C", "c", "status"], ca), "status");
    assert!(
        st.contains("require_attestation = true, but root's key carol"),
        "{st}"
    );
    assert!(
        st.lines()
            .any(|l| l.contains("  carol (key") && l.contains("UNPROVEN")),
        "{st}"
    );
    let before = crate::util::snapshot(&s.p("c"));
    let e = crate::util::failed(
        &s.run_env(&["-C", "c", "export", "--out", "repo"], ca),
        4,
        "export with hand-appended verdicts",
    );
    assert!(
        e.contains("require_attestation = true, but root's key carol")
            && e.contains("require_proof_of_possession = true, but carol"),
        "{e}"
    );
    assert_eq!(crate::util::snapshot(&s.p("c")), before);
    assert!(!s.p("repo").exists());

    ok(
        &s.run_env(&["-C", "c", "report", "--out", "report.md"], ca),
        "report",
    );
    let md = s.read("report.md");
    let rows: Vec<&str> = md
        .split("## Who signed")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("| root"))
        .collect();
    let mallory: Vec<&&str> = rows.iter().filter(|l| l.contains("| mallory |")).collect();
    assert_eq!(mallory.len(), 2, "{md}");
    for row in mallory {
        assert!(row.contains("recorded, no evidence"), "{row}");
        assert!(!row.contains("; attested: "), "{row}");
        assert!(
            !row.contains("signed here") && !row.contains("merged"),
            "{row}"
        );
    }
    // The copied line is alice's, and her device's: that is what its evidence shows.
    let alice: Vec<&&str> = rows.iter().filter(|l| l.contains("| alice |")).collect();
    assert_eq!(alice.len(), 2, "{md}");
    for row in alice {
        assert!(
            row.contains("; attested: YubiHSM 2 serial 7550040") && row.contains("merged"),
            "{row}"
        );
        // Checked against a CA that is not Yubico's: the report names it.
        assert!(
            row.contains("checked against the CA \"CN=Test YubiHSM Root CA\" (SHA-256"),
            "{row}"
        );
    }

    // carol signs with her attested device: her key is proven and attested, and export
    // passes, given the CA her device chains to. Without it, the attestation is checked
    // against Yubico's CAs, and export waits.
    ok(
        &s.run_env(&["-C", "c", "merge", "usb/carol-attested.sig.json"], ca),
        "merge carol",
    );
    let e = s.fails(&["-C", "c", "export", "--out", "repo"], 4);
    assert!(
        e.contains("require_attestation = true, but root's key alice")
            && e.contains("that verifies against Yubico's CA certificates, built in"),
        "{e}"
    );
    let st = ok(&s.run_env(&["-C", "c", "status"], ca), "status");
    assert!(st.contains("every rule is met"), "{st}");
    ok(
        &s.run_env(&["-C", "c", "export", "--out", "repo"], ca),
        "export",
    );
}

/// A signature file holds the signatures of one key, which its transcript line names with
/// the device certificates that attest it: a file joining the signatures of two keys (both
/// held by bob, so each passes the keyholder check) is refused, and nothing is merged. bob
/// moved to a new key in a rotation (one person holds one key of a role), so his old key
/// may sign root v2 for the trusted root v1 and his new one for root v2 itself.
#[test]
fn a_signature_file_with_two_keys_signatures_is_refused() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "bob2", "snapshot", "timestamp"]);
    s.init(&["alice", "bob"], 1);
    for role in ["root", "targets", "claimed"] {
        s.sign(role, "alice");
    }
    s.ok(&["-C", "c", "export", "--out", "repo"]);
    s.ok(&["-C", "c", "root", "remove-key", "root", "bob"]);
    s.ok(&[
        "-C",
        "c",
        "root",
        "add-key",
        "root",
        "bob2.pub.json",
        "--keyholder",
        "bob",
    ]);
    for key in ["bob", "bob2"] {
        s.ok(&[
            "-C",
            "c",
            "sign",
            "root",
            "--signer",
            &format!("file:{key}.key"),
            "--detached",
            &format!("{key}.sig.json"),
            "--yes",
        ]);
    }
    let mut joined = tuf_ceremony::json::parse(s.read("bob.sig.json").as_bytes()).unwrap();
    let other = tuf_ceremony::json::parse(s.read("bob2.sig.json").as_bytes()).unwrap();
    let Value::Object(members) = &mut joined else {
        panic!("not an object")
    };
    let mut sigs = members
        .get("signatures")
        .and_then(Value::as_array)
        .unwrap()
        .to_vec();
    sigs.extend(
        other
            .get("signatures")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .cloned(),
    );
    members.insert("signatures", Value::Array(sigs));
    std::fs::write(s.p("joined.sig.json"), tuf_ceremony::json::pretty(&joined)).unwrap();
    let before = crate::util::snapshot(&s.p("c"));
    let e = s.fails(&["-C", "c", "merge", "joined.sig.json"], 4);
    assert!(
        e.contains("its signatures were made by 2 different keys")
            && e.contains("Nothing was merged"),
        "{e}"
    );
    assert_eq!(crate::util::snapshot(&s.p("c")), before);
    // Each on its own merges.
    s.ok(&["-C", "c", "merge", "bob.sig.json", "bob2.sig.json"]);
}
