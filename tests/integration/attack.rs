//! Hostile signature files and metadata against `merge`'s attestation check and the
//! policy's `require_attestation`: a key counts as attested only when a device attested that
//! very key, whatever keyids the metadata lists it under.

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
    let st = s.ok(&["-C", "c", "status"]);
    let unattested = |who: &str| {
        st.contains(&format!(
            "roles.root.require_attestation = true, but root's key {who} "
        ))
    };
    assert!(unattested("bob"), "bob's key counted as attested: {st}");
    assert!(!unattested("alice"), "alice's key is not attested: {st}");
}
