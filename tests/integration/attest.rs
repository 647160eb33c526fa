//! Device attestation wired into `key generate/show --signer` and `sign`: what is recorded
//! when a device cannot attest (the MockHsm refuses Sign Attestation Certificate; SoftHSM2
//! has no attestation; a key file is no device), and that a bad CA file is refused before
//! any device is asked. Chains themselves are verified by `attest`'s unit tests.

use crate::hardware::{mock_connector, p11, MOCK_PASSWORD};
use crate::scene::{has, lacks, w};
use crate::util::{failed, ok, Scene};

fn attestation_of(json_out: &str) -> tuf_ceremony::json::Value {
    let v = tuf_ceremony::json::parse(json_out.trim().as_bytes()).unwrap();
    v.as_object()
        .and_then(|o| o.get("attestation"))
        .cloned()
        .unwrap_or_else(|| panic!("no attestation in {json_out}"))
}

fn field<'a>(v: &'a tuf_ceremony::json::Value, name: &str) -> &'a str {
    v.as_object()
        .and_then(|o| o.get(name))
        .and_then(|f| f.as_str())
        .unwrap_or_else(|| panic!("no {name} in {v:?}"))
}

/// The YubiHSM 2 is asked for its attestation (the command reaches the device, through the
/// real HTTP connector); the MockHsm answers that it cannot, and the key is generated and
/// shown as "not attested", with the device's answer and what the device would need.
#[test]
fn yubihsm_that_cannot_attest_is_marked_not_attested() {
    let s = Scene::new();
    let mock = mock_connector();
    s.write("hsm-password", &format!("{MOCK_PASSWORD}\n"));
    let reference = format!("yubihsm://127.0.0.1:{}/?key=0x0201&auth=1", mock.port);
    let run = |args: &[&str]| s.run_with(args, "hsm-password", &[]);
    let out = ok(
        &run(&w(&format!(
            "key generate --signer {reference} --scheme ecdsa-p256"
        ))),
        "generate in the YubiHSM",
    );
    has(
        &out,
        "not attested: YubiHSM 2 serial 0123456789 did not sign an attestation certificate",
    );
    has(&out, "sign-attestation-certificate");
    let json = ok(
        &run(&w(&format!("--json key show {reference}"))),
        "key show --json",
    );
    let a = attestation_of(&json);
    assert_eq!(field(&a, "status"), "not-attested");
    assert!(field(&a, "why").contains("object not found"), "{a:?}");
    // The session survives the refusal: the same run went on to print the key.
    has(&json, "\"keyid\"");
}

/// A SoftHSM2 token offers no attestation: its key is shown "not attested", naming the
/// token and its maker.
#[test]
fn softhsm_key_is_not_attested_and_says_why() {
    let s = Scene::new();
    let hsm = s.softhsm(&["attest"]);
    let reference = p11("attest", "root");
    let env = hsm.env();
    let out = ok(
        &s.run_with(
            &w(&format!(
                "key generate --signer {reference} --scheme ecdsa-p256"
            )),
            "pp",
            &env,
        ),
        "generate in SoftHSM",
    );
    has(&out, "not attested: PKCS#11 token \"attest\"");
    has(&out, "SoftHSM");
    let json = ok(
        &s.run_with(&w(&format!("--json key show {reference}")), "pp", &env),
        "show",
    );
    let a = attestation_of(&json);
    assert_eq!(field(&a, "status"), "not-attested");
    assert!(
        field(&a, "why").contains("offers no key attestation"),
        "{a:?}"
    );
}

/// Every sign event records what the device proved about its key, in the transcript only
/// (ceremony.json keeps no copy); a key file is plainly "not attested", and the report shows
/// it beside the device.
#[test]
fn sign_records_the_attestation_in_the_transcript_and_report() {
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    ok(&s.init_alone(&[]), "init");
    s.c("sign root --signer file:alice.key --yes");
    let transcript = s.read("c/transcript.jsonl");
    let sign = transcript
        .lines()
        .find(|l| l.contains("\"event\":\"sign\""))
        .unwrap();
    let entry = tuf_ceremony::json::parse(sign.as_bytes()).unwrap();
    let a = entry
        .as_object()
        .unwrap()
        .get("attestation")
        .unwrap()
        .clone();
    assert_eq!(field(&a, "status"), "not-attested");
    assert!(
        field(&a, "why").contains("is a key file, not a device"),
        "{a:?}"
    );
    ok(&s.c_run("transcript verify"), "transcript verify");
    // The transcript is the record: ceremony.json, neither chained nor signed, keeps no
    // copy for anyone to edit.
    let state = s.read("c/ceremony.json");
    lacks(&state, "attestation");
    ok(&s.c_run("status"), "status reads ceremony.json back");
    s.c("report --out report.md");
    let report = s.read("report.md");
    assert!(
        report
            .contains("key file alice.key; not attested: the line carries no device certificates"),
        "{report}"
    );
}

/// A CA file that is not one is refused (exit 3) before any device or key is touched.
#[test]
fn a_bad_attestation_ca_file_is_refused_before_the_device() {
    let s = Scene::new();
    s.write("ca.pem", "not a certificate\n");
    let e = failed(
        &s.cmd_run("--attestation-ca ca.pem key show yubihsm://127.0.0.1:1/?key=0x0101&auth=1"),
        3,
        "bad CA file",
    );
    has(&e, "ca.pem");
    has(&e, "no PEM certificate");
    // The same through the environment.
    let e = failed(
        &s.run_env(
            &w("key show yubihsm://127.0.0.1:1/?key=0x0101&auth=1"),
            ("TUF_CEREMONY_ATTESTATION_CA", "ca.pem"),
        ),
        3,
        "bad CA file from the environment",
    );
    has(&e, "no PEM certificate");
}

/// Succeeds, and returns standard output and standard error together (warnings are on the
/// latter).
fn succeeded(out: &std::process::Output, what: &str) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what}: {text}");
    text
}

/// The attestation record of the transcript's last `merge` event.
fn last_merge_attestation(s: &Scene) -> tuf_ceremony::json::Value {
    let transcript = s.read("c/transcript.jsonl");
    let line = transcript
        .lines()
        .rfind(|l| l.contains("\"event\":\"merge\""))
        .unwrap_or_else(|| panic!("no merge event in {transcript}"));
    attestation_of(line)
}

/// A ceremony whose only root keyholder, alice, holds an ECDSA P-256 key; a copy of it on a
/// separate machine (`other`), where alice signs root detached into `usb/alice.sig.json`;
/// `ev/`, a YubiHSM 2-shaped certificate chain attesting alice's key, with its test CA
/// (`ev/ca.pem`); and a policy requiring root's keys to be attested.
fn detached_scene() -> Scene {
    let s = Scene::new();
    s.cmd("key generate --out alice.key --keyholder alice --scheme ecdsa-p256");
    s.keygen(&["snapshot", "timestamp"]);
    ok(&s.init_alone(&[]), "init");
    s.copy_to_other_machine();
    let other = ["-C", "other", "sign", "root", "--signer", "file:alice.key"];
    s.ok(&[&other[..], &w("--detached usb/alice.sig.json --yes")].concat());
    s.py("attest_key.py alice.pub.json ev");
    s.write("policy.toml", "[roles.root]\nrequire_attestation = true\n");
    s.c("policy set policy.toml");
    s
}

/// `usb/alice.sig.json` with an `attestation` member holding `key_certificate` (DER) and the
/// scene's device certificate, as `sign --detached` writes a device's evidence, saved as
/// `usb/NAME`.
fn with_evidence(s: &Scene, name: &str, key_certificate: &[u8]) {
    use tuf_ceremony::json::Value;
    let pem = |der: &[u8]| {
        x509_cert::der::pem::encode_string("CERTIFICATE", x509_cert::der::pem::LineEnding::LF, der)
            .unwrap()
    };
    let device = std::fs::read(s.p("ev/device-certificate.der")).unwrap();
    let mut file = tuf_ceremony::json::parse(s.read("usb/alice.sig.json").as_bytes()).unwrap();
    let Value::Object(members) = &mut file else {
        panic!("not an object")
    };
    members.insert(
        "attestation",
        Value::object(vec![
            ("kind", Value::str("yubihsm-2")),
            ("key_certificate", Value::str(pem(key_certificate))),
            ("device_certificate", Value::str(pem(&device))),
        ]),
    );
    std::fs::write(
        s.p(&format!("usb/{name}")),
        tuf_ceremony::json::pretty(&file),
    )
    .unwrap();
}

const UNATTESTED: &str = "roles.root.require_attestation = true, but root's key alice";

/// Separate-machine signing with attestation: the signature file carries the device's
/// certificates, `merge` verifies them against the CA given (--attestation-ca or
/// TUF_CEREMONY_ATTESTATION_CA) and for the key that signed, records what they prove in its
/// transcript event, and the key then meets `require_attestation`. A file without them (a
/// key file signed it, or an older tuf-ceremony wrote it) still merges, recorded as not
/// attested.
#[test]
fn a_detached_signature_carries_its_attestation_and_merge_verifies_and_records_it() {
    let s = detached_scene();
    // A key file has no device: the file carries no attestation, and merges as before.
    assert!(!s.read("usb/alice.sig.json").contains("attestation"));
    let out = succeeded(&s.c_run("merge usb/alice.sig.json"), "merge");
    has(
        &out,
        "not attested: the signature file carries no device attestation",
    );
    let a = last_merge_attestation(&s);
    assert_eq!(field(&a, "status"), "not-attested");
    assert!(s.c("status").contains(UNATTESTED));
    // The same signature with the device's certificates.
    with_evidence(
        &s,
        "attested.sig.json",
        &std::fs::read(s.p("ev/key-certificate.der")).unwrap(),
    );
    let out = succeeded(
        &s.run_env(
            &w("-C c merge usb/attested.sig.json"),
            ("TUF_CEREMONY_ATTESTATION_CA", "ev/ca.pem"),
        ),
        "merge with attestation",
    );
    lacks(&out, "warning");
    has(&out, "attested: YubiHSM 2 serial 7550040, firmware 2.4.0");
    // The CA is the test one, not Yubico's: the screen says which.
    let test_ca = "checked against the CA \"CN=Test YubiHSM Root CA\" (SHA-256 ";
    has(&out, test_ca);
    has(&out, "not one of Yubico's built in");
    let a = last_merge_attestation(&s);
    assert_eq!(field(&a, "status"), "verified");
    assert_eq!(field(&a, "device"), "YubiHSM 2");
    assert_eq!(field(&a, "origin"), "generated");
    // The line carries the certificates themselves, as the file did.
    let line = s
        .read("c/transcript.jsonl")
        .lines()
        .rfind(|l| l.contains("\"event\":\"merge\""))
        .unwrap()
        .to_string();
    let entry = tuf_ceremony::json::parse(line.as_bytes()).unwrap();
    let certs = entry.get("certificates").unwrap();
    assert_eq!(field(certs, "kind"), "yubihsm-2");
    assert!(field(certs, "key_certificate").contains("BEGIN CERTIFICATE"));
    assert!(entry.get("key").is_some() && entry.get("signatures").is_some());
    s.c("transcript verify");
    // Status and export check the certificates again, against the CA certificates they
    // are given: Yubico's when none is, which this test chain does not reach.
    let st = s.c("status");
    has(&st, UNATTESTED);
    let ca = ("TUF_CEREMONY_ATTESTATION_CA", "ev/ca.pem");
    let st = s.c_env("status", &[ca]);
    lacks(&st, UNATTESTED);
    has(&st, "every rule is met");
    s.sign("targets", "alice");
    s.c_env("report --out report.md", &[ca]);
    let report = s.read("report.md");
    has(&report, "; attested: YubiHSM 2 serial 7550040");
    has(&report, test_ca);
    s.c_env("export --out repo", &[ca]);
}

/// A key the device attests as imported, and exportable under wrap, does not meet
/// `require_attestation`: a copy of it exists, or can exist, outside the device. The role's
/// `allow_imported_keys = true` accepts it.
#[test]
fn an_imported_exportable_key_does_not_meet_require_attestation_unless_allowed() {
    let s = detached_scene();
    with_evidence(
        &s,
        "imported.sig.json",
        &std::fs::read(s.p("ev/imported-key-certificate.der")).unwrap(),
    );
    let ca = ("TUF_CEREMONY_ATTESTATION_CA", "ev/ca.pem");
    let out = succeeded(
        &s.run_env(&w("-C c merge usb/imported.sig.json"), ca),
        "merge",
    );
    has(&out, "attested: YubiHSM 2 serial 7550040");
    has(&out, "imported");
    s.sign("targets", "alice");
    let imported = "roles.root.require_attestation = true, but root's key alice (key";
    let st = s.c_env("status", &[ca]);
    has(&st, imported);
    has(&st, "as IMPORTED into the device");
    has(&st, "EXPORTABLE under wrap");
    has(&st, "roles.root.allow_imported_keys = true");
    let e = failed(
        &s.run_env(&w("-C c export --out repo"), ca),
        4,
        "export of an imported key",
    );
    has(&e, imported);
    has(&e, "IMPORTED");
    s.write(
        "policy.toml",
        "[roles.root]\nrequire_attestation = true\nallow_imported_keys = true\n",
    );
    s.c("policy set policy.toml");
    let st = s.c_env("status", &[ca]);
    has(&st, "every rule is met");
    s.c_env("export --out repo", &[ca]);
}

/// Certificates that do not verify never make a key attested, and never stop a signature
/// that verifies on its own: a key certificate whose signature was tampered with, a chain
/// attesting another key, a member that is no certificate at all, and a chain to a CA this
/// machine does not trust (Yubico's, built in, when no --attestation-ca is given). Each is
/// merged with a warning naming the file, and recorded as not attested, saying why; checked
/// again against the same CA certificates, the line proves no more.
#[test]
fn a_detached_signature_with_a_tampered_chain_merges_but_is_not_attested() {
    let s = detached_scene();
    let good = std::fs::read(s.p("ev/key-certificate.der")).unwrap();
    let mut tampered = good.clone();
    let last = tampered.len() - 3;
    tampered[last] ^= 0x01;
    with_evidence(&s, "tampered.sig.json", &tampered);
    let other = std::fs::read(s.p("ev/other-key-certificate.der")).unwrap();
    with_evidence(&s, "other-key.sig.json", &other);
    with_evidence(&s, "good.sig.json", &good);
    let text = s.read("usb/good.sig.json");
    let start = text.find("\"key_certificate\": \"").unwrap() + "\"key_certificate\": \"".len();
    let end = start + text[start..].find('"').unwrap();
    s.write(
        "usb/not-pem.sig.json",
        &format!("{}not a certificate{}", &text[..start], &text[end..]),
    );
    let ca = ("TUF_CEREMONY_ATTESTATION_CA", "ev/ca.pem");
    // (file, the CA given in the environment, why the chain does not verify)
    type Case<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a str);
    let cases: [Case; 4] = [
        (
            "tampered.sig.json",
            Some(ca),
            "its signature does not verify",
        ),
        (
            "other-key.sig.json",
            Some(ca),
            "the device vouches for a different key",
        ),
        (
            "not-pem.sig.json",
            Some(ca),
            "its key_certificate is not a PEM certificate",
        ),
        (
            "good.sig.json",
            None,
            "which is not one of the trusted CA certificates",
        ),
    ];
    for (file, env, why) in cases {
        let path = format!("usb/{file}");
        let args = ["-C", "c", "merge", path.as_str()];
        let out = match env {
            Some(env) => s.run_env(&args, env),
            None => s.run(&args),
        };
        let out = succeeded(&out, file);
        assert!(
            out.contains(&format!(
                "warning: {path}: the device attestation it carries does not verify"
            )) && out.contains(why),
            "{file}: {out}"
        );
        assert!(
            out.contains("merged alice's signature on root v1"),
            "{file}: {out}"
        );
        let a = last_merge_attestation(&s);
        assert_eq!(field(&a, "status"), "not-attested", "{file}");
        assert!(
            field(&a, "why").contains("its attestation does not verify")
                && field(&a, "why").contains(why),
            "{file}: {a:?}"
        );
        // Checked again with the same CA certificates, the line proves no more.
        let args = ["-C", "c", "status"];
        let st = match env {
            Some(env) => s.run_env(&args, env),
            None => s.run(&args),
        };
        let st = ok(&st, "status");
        assert!(st.contains(UNATTESTED), "{file}: {st}");
    }
    s.c_fails("export --out repo", 4);
    // The line of good.sig.json carries its certificates, not the verdict reached without
    // the CA they chain to: checked against that CA, they attest alice's key.
    let st = s.c_env("status", &[ca]);
    lacks(&st, UNATTESTED);
}
