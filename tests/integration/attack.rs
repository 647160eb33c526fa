//! Hostile signature files, metadata and transcript lines against `merge`'s attestation
//! check, proof of possession and the policy's `require_attestation`: a key counts as
//! attested only when a device attested that very key, whatever keyids the metadata lists
//! it under, and a transcript line counts only for the evidence it carries.

use crate::scene::{has, lacks};
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
    s.cmd("key generate --out alice.key --keyholder alice --scheme ecdsa-p256");
    s.keygen(&["bob", "snapshot", "timestamp"]);
    s.c("init --keyholder bob=bob.pub.json --keyholder alice=alice.pub.json --root-threshold 1 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json");
    s.c("delegate aaa --key alice=alice.pub.json --threshold 1 --path x/*");
    // targets, rewritten to list alice's key under bob's keyid, and loaded in its place.
    let alice_id = keyid_of(&s, "c/targets.json", "alice");
    let bob_id = keyid_of(&s, "c/root.json", "bob");
    std::fs::rename(s.p("c/targets.json"), s.p("targets.json")).unwrap();
    replace_in(&s, "targets.json", &alice_id, &bob_id);
    s.c("load targets.json");
    // Alice signs aaa on a separate machine; her device's chain goes into the file.
    s.copy_to_other_machine();
    s.cmd("-C other sign aaa --signer file:alice.key --detached usb/alice.sig.json --yes");
    assert!(s.read("usb/alice.sig.json").contains(&bob_id));
    s.py("attest_key.py alice.pub.json ev");
    with_chain(
        &s,
        "usb/alice.sig.json",
        "ev",
        "key-certificate",
        "usb/attested.sig.json",
    );
    s.write("policy.toml", "[roles.root]\nrequire_attestation = true\n");
    s.c("policy set policy.toml");
    let out = s.c_env(
        "merge usb/attested.sig.json",
        &[("TUF_CEREMONY_ATTESTATION_CA", "ev/ca.pem")],
    );
    has(&out, "attested: YubiHSM 2 serial 7550040");
    // The attestation is checked again against the CA given, as `merge` checked it.
    let st = s.c_env("status", &[("TUF_CEREMONY_ATTESTATION_CA", "ev/ca.pem")]);
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
    s.cmd(&format!("inspect --digest c/{role}.json"))
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
    let ca: &[(&str, &str)] = &[("TUF_CEREMONY_ATTESTATION_CA", "ca.pem")];
    alice_attested_and_carol_unproven(&s, ca);
    mallory_appends_verdicts_for_carol(&s);
    ok(&s.c_run("transcript verify"), "the chain holds");
    the_appended_verdicts_count_for_nothing(&s, ca);

    // carol signs with her attested device: her key is proven and attested, and export
    // passes, given the CA her device chains to. Without it, the attestation is checked
    // against Yubico's CAs, and export waits.
    s.c_env("merge usb/carol-attested.sig.json", ca);
    let e = s.c_fails("export --out repo", 4);
    has(&e, "require_attestation = true, but root's key alice");
    has(
        &e,
        "that verifies against Yubico's CA certificates, built in",
    );
    has(&s.c_env("status", ca), "every rule is met");
    s.c_env("export --out repo", ca);
}

/// Root 1-of-2 (alice, carol, ECDSA key files) whose root alice signed on another machine
/// with an attested device, merged under a policy requiring attestation; carol's attested
/// signature file waits in `usb/`.
fn alice_attested_and_carol_unproven(s: &Scene, ca: &[(&str, &str)]) {
    for who in ["alice", "carol"] {
        s.cmd(&format!(
            "key generate --out {who}.key --keyholder {who} --scheme ecdsa-p256"
        ));
    }
    s.keygen(&["snapshot", "timestamp"]);
    s.c("init --keyholder alice=alice.pub.json --keyholder carol=carol.pub.json --root-threshold 1 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json");
    // alice signs root on a separate machine with her attested device; carol's signature
    // file is made there too, and kept for the end.
    s.copy_to_other_machine();
    for who in ["alice", "carol"] {
        s.cmd(&format!(
            "-C other sign root --signer file:{who}.key --detached usb/{who}.sig.json --yes"
        ));
        let (pubkey, ev) = (format!("{who}.pub.json"), format!("ev-{who}"));
        s.python("attest_key.py", &[pubkey.as_str(), ev.as_str()]);
        with_chain(
            s,
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
    s.c_env("merge usb/alice-attested.sig.json", ca);
    s.sign("targets", "alice");
    s.write(
        "policy.toml",
        "require_proof_of_possession = true\n\n[roles.root]\nrequire_attestation = true\n",
    );
    s.c("policy set policy.toml");
    let st = s.c_env("status", ca);
    has(&st, "require_attestation = true, but root's key carol");
    lacks(&st, "root's key alice");
}

/// mallory appends two verdicts for carol's key to the transcript, one merge and one sign,
/// and a genuine line of alice's copied under mallory's name, keeping the hash chain.
fn mallory_appends_verdicts_for_carol(s: &Scene) {
    // The two lines, appended by hand.
    let root = payload_of(s, "root");
    let carol_id = keyid_of(s, "c/root.json", "carol");
    let carol_key = s.read("carol.pub.json");
    let carol_key =
        tuf_ceremony::json::compact(&tuf_ceremony::json::parse(carol_key.as_bytes()).unwrap());
    let device = r#""device":{"description":"YubiHSM 2 serial 7550040","identity":"serial 7550040","kind":"yubihsm"}"#;
    let summary = "attested: YubiHSM 2 serial 7550040, firmware 2.4.0, generated, not exportable under wrap; capabilities sign-ecdsa";
    append_chained(
        s,
        &format!(
            r#""attestation":{{"device":"YubiHSM 2","firmware":"2.4.0","key":{carol_key},"origin":"generated","policy":"not exportable","serial":7550040,"status":"verified","summary":"{summary}"}},{device},"event":"merge","file":"usb/carol.sig.json","file_sha256":"{root}","keyholder":"mallory","keyids":["{carol_id}"],"payload_sha256":"{root}","role":"root","signed_at":"2030-01-01T00:00:00Z","time":"2030-01-01T00:00:00Z","version":1"#
        ),
    );
    append_chained(
        s,
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
    append_chained(s, &copy[1..copy.len() - 1]);
}

/// The appended lines prove neither possession nor attestation: status, export and the
/// report count carol's key unproven, and the copied line is alice's.
fn the_appended_verdicts_count_for_nothing(s: &Scene, ca: &[(&str, &str)]) {
    let st = s.c_env("status", ca);
    has(&st, "require_attestation = true, but root's key carol");
    assert!(
        st.lines()
            .any(|l| l.contains("  carol (key") && l.contains("UNPROVEN")),
        "{st}"
    );
    let before = crate::util::snapshot(&s.p("c"));
    let e = s.c_env_fails("export --out repo", ca, 4);
    has(&e, "require_attestation = true, but root's key carol");
    has(&e, "require_proof_of_possession = true, but carol");
    assert_eq!(crate::util::snapshot(&s.p("c")), before);
    assert!(!s.p("repo").exists());

    s.c_env("report --out report.md", ca);
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
        has(row, "recorded, no evidence");
        lacks(row, "; attested: ");
        lacks(row, "signed here");
        lacks(row, "merged");
    }
    // The copied line is alice's, and her device's: that is what its evidence shows.
    let alice: Vec<&&str> = rows.iter().filter(|l| l.contains("| alice |")).collect();
    assert_eq!(alice.len(), 2, "{md}");
    for row in alice {
        has(row, "; attested: YubiHSM 2 serial 7550040");
        has(row, "merged");
        // Checked against a CA that is not Yubico's: the report names it.
        has(
            row,
            "checked against the CA \"CN=Test YubiHSM Root CA\" (SHA-256",
        );
    }
}

#[test]
fn a_signature_file_with_two_keys_signatures_is_refused() {
    let s = Scene::ceremony(&["alice", "bob"], 1);
    s.keygen(&["bob2"]);
    for role in ["root", "targets", "claimed"] {
        s.sign(role, "alice");
    }
    s.c("export --out repo");
    s.c("root remove-key root bob");
    s.c("root add-key root bob2.pub.json --keyholder bob");
    for key in ["bob", "bob2"] {
        s.c(&format!(
            "sign root --signer file:{key}.key --detached {key}.sig.json --yes"
        ));
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
    let e = s.c_fails("merge joined.sig.json", 4);
    has(&e, "its signatures were made by 2 different keys");
    has(&e, "Nothing was merged");
    assert_eq!(crate::util::snapshot(&s.p("c")), before);
    // Each on its own merges.
    s.c("merge bob.sig.json bob2.sig.json");
}
