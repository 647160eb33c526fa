//! Device attestation wired into `key generate/show --signer` and `sign`: what is recorded
//! when a device cannot attest (the MockHsm refuses Sign Attestation Certificate; SoftHSM2
//! has no attestation; a key file is no device), and that a bad CA file is refused before
//! any device is asked. Chains themselves are verified by `attest`'s unit tests.

use crate::hardware::{mock_connector, p11, SoftHsm, MOCK_PASSWORD};
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
        &run(&[
            "key",
            "generate",
            "--signer",
            &reference,
            "--scheme",
            "ecdsa-p256",
        ]),
        "generate in the YubiHSM",
    );
    assert!(
        out.contains(
            "not attested: YubiHSM 2 serial 0123456789 did not sign an attestation certificate"
        ),
        "{out}"
    );
    assert!(out.contains("sign-attestation-certificate"), "{out}");
    let json = ok(
        &run(&["--json", "key", "show", &reference]),
        "key show --json",
    );
    let a = attestation_of(&json);
    assert_eq!(field(&a, "status"), "not-attested");
    assert!(field(&a, "why").contains("object not found"), "{a:?}");
    // The session survives the refusal: the same run went on to print the key.
    assert!(json.contains("\"keyid\""), "{json}");
}

/// A SoftHSM2 token offers no attestation: its key is shown "not attested", naming the
/// token and its maker.
#[test]
fn softhsm_key_is_not_attested_and_says_why() {
    let s = Scene::new();
    let hsm = SoftHsm::new(&s);
    hsm.init_token("attest");
    let reference = p11("attest", "root");
    let env = hsm.env();
    let out = ok(
        &s.run_with(
            &[
                "key",
                "generate",
                "--signer",
                &reference,
                "--scheme",
                "ecdsa-p256",
            ],
            "pp",
            &env,
        ),
        "generate in SoftHSM",
    );
    assert!(
        out.contains("not attested: PKCS#11 token \"attest\"") && out.contains("SoftHSM"),
        "{out}"
    );
    let json = ok(
        &s.run_with(&["--json", "key", "show", &reference], "pp", &env),
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
    s.ok(&[
        "-C",
        "c",
        "sign",
        "root",
        "--signer",
        "file:alice.key",
        "--yes",
    ]);
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
    ok(
        &s.run(&["-C", "c", "transcript", "verify"]),
        "transcript verify",
    );
    // The transcript is the record: ceremony.json, neither chained nor signed, keeps no
    // copy for anyone to edit.
    let state = s.read("c/ceremony.json");
    assert!(!state.contains("attestation"), "{state}");
    ok(
        &s.run(&["-C", "c", "status"]),
        "status reads ceremony.json back",
    );
    s.ok(&["-C", "c", "report", "--out", "report.md"]);
    let report = s.read("report.md");
    assert!(report.contains("not attested: key file"), "{report}");
}

/// A CA file that is not one is refused (exit 3) before any device or key is touched.
#[test]
fn a_bad_attestation_ca_file_is_refused_before_the_device() {
    let s = Scene::new();
    s.write("ca.pem", "not a certificate\n");
    let e = failed(
        &s.run(&[
            "--attestation-ca",
            "ca.pem",
            "key",
            "show",
            "yubihsm://127.0.0.1:1/?key=0x0101&auth=1",
        ]),
        3,
        "bad CA file",
    );
    assert!(
        e.contains("ca.pem") && e.contains("no PEM certificate"),
        "{e}"
    );
    // The same through the environment.
    let e = failed(
        &s.run_env(
            &["key", "show", "yubihsm://127.0.0.1:1/?key=0x0101&auth=1"],
            ("TUF_CEREMONY_ATTESTATION_CA", "ca.pem"),
        ),
        3,
        "bad CA file from the environment",
    );
    assert!(e.contains("no PEM certificate"), "{e}");
}
