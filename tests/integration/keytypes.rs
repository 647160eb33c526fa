//! Every key type python-tuf 7 counts, end to end: keys made by tuf-ceremony (key files,
//! SoftHSM2 through PKCS#11, the YubiHSM 2 mock) and by python-tuf (securesystemslib's
//! CryptoSigner) sign one root, and each side counts the other's signatures.

use crate::hardware::{mock_connector, p11, MOCK_PASSWORD};
use crate::scene::{has, init_line, keyid_in, lacks, w};
use crate::util::{failed, ok, Scene};
use tuf_ceremony::metadata::Metadata;

/// A root of ed25519, P-256, P-384 and RSA keys: six keyholders sign it in the ceremony
/// (ed25519, P-256 and P-384 key files, a P-384 and an RSA key in SoftHSM, a P-384 key in
/// the YubiHSM mock), it is exported, python-tuf adds the signatures of its own RSA and
/// P-384 keys, and then python-tuf counts all eight, and so does tuf-ceremony. The tool
/// signs first and python-tuf last, so the test does not depend on how `load` treats a
/// signature it cannot check.
#[test]
fn a_root_of_every_key_type_is_signed_by_tuf_ceremony_and_python_tuf_and_each_counts_all() {
    let s = Scene::new();
    let hsm = s.softhsm(&["dave-token", "heidi-token"]);
    let env = hsm.env();
    let mock = mock_connector();
    s.write("hsm-password", &format!("{MOCK_PASSWORD}\n"));
    let yubihsm = format!("yubihsm://127.0.0.1:{}/?key=0x0201&auth=1", mock.port);

    make_a_key_of_every_type(&s, &env, &yubihsm);
    init_names_the_p384_keys_tough_cannot_read(&s);
    six_keyholders_sign_root(&s, &env, &yubihsm);
    python_tuf_cosigns_and_both_count_all_eight(&s);
    load_reads_python_tufs_signatures(&s);
}

/// Key files (ed25519, P-256, P-384), device keys (P-384 and RSA in SoftHSM, P-384 in the
/// YubiHSM mock), and python-tuf's own RSA-3072 and P-384 keys.
fn make_a_key_of_every_type(s: &Scene, env: &[(&str, &str)], yubihsm: &str) {
    // Key files: ed25519, P-256 and P-384; python's cryptography reads the P-384 one.
    for (who, scheme) in [
        ("alice", "ed25519"),
        ("bob", "ecdsa-p256"),
        ("carol", "ecdsa-p384"),
    ] {
        let out = s.cmd(&format!(
            "key generate --out {who}.key --keyholder {who} --scheme {scheme}"
        ));
        has(&out, "keyid ");
    }
    let opened = s.py("judge.py open-keyfile carol.key pp carol.pub.json");
    has(&opened, "ecdsa-sha2-nistp384 key matches");

    // Device keys: P-384 and RSA in SoftHSM, P-384 in the YubiHSM mock.
    let gen = |signer: &str, scheme: &str, pubfile: &str, secret: &str| {
        let out = s.run_with(
            &w(&format!(
                "key generate --signer {signer} --scheme {scheme} --pub-out {pubfile}"
            )),
            secret,
            env,
        );
        ok(&out, &format!("key generate {scheme} in {signer}"));
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let warned = gen(
        &p11("dave-token", "root"),
        "ecdsa-p384",
        "dave.pub.json",
        "pp",
    );
    assert!(
        warned.contains("cannot read ecdsa-sha2-nistp384 keys"),
        "generating a P-384 key names the clients that cannot use it: {warned}"
    );
    let warned = gen(
        &p11("heidi-token", "root"),
        "rsassa-pss-sha256",
        "heidi.pub.json",
        "pp",
    );
    assert_eq!(
        warned, "",
        "an RSA-3072 rsassa-pss-sha256 key needs no warning"
    );
    gen(yubihsm, "ecdsa-p384", "erin.pub.json", "hsm-password");
    let heidi = s.read("heidi.pub.json");
    has(&heidi, "\"keytype\": \"rsa\"");
    has(&heidi, "rsassa-pss-sha256");
    // The token's public key reads back as the same key.
    let shown = ok(
        &s.run_with(&["key", "show", &p11("heidi-token", "root")], "pp", env),
        "key show",
    );
    assert_eq!(keyid_in(&shown), s.keyid("heidi.pub.json"));

    // python-tuf's own keys: RSA-3072 (rsassa-pss-sha256) and P-384.
    s.py("keytypes.py make-keys py");
    std::fs::copy(s.p("py/rsa.pub.json"), s.p("frank.pub.json")).unwrap();
    std::fs::copy(s.p("py/p384.pub.json"), s.p("grace.pub.json")).unwrap();
}

/// init names the P-384 keyholders tough-based clients cannot use; root add-key and status
/// say the same.
fn init_names_the_p384_keys_tough_cannot_read(s: &Scene) {
    // init names the P-384 keyholders tough-based clients cannot use; status repeats it.
    s.py("judge.py online-keys online");
    let holders = ["alice", "bob", "carol", "dave", "erin", "frank", "heidi"];
    let out = s.c_run(&init_line(
        &holders,
        "6",
        "--targets-key alice=alice.pub.json",
    ));
    ok(&out, "init");
    let warnings = String::from_utf8_lossy(&out.stderr).to_string();
    for who in ["carol", "dave", "erin"] {
        assert!(
            warnings
                .lines()
                .any(|l| l.contains(&format!("root: {who} (key "))
                    && l.contains("tough-based clients")
                    && l.contains("refuse the whole file")),
            "init does not warn about {who}'s P-384 key:\n{warnings}"
        );
    }
    for who in ["alice", "bob", "frank", "heidi"] {
        assert!(
            !warnings.contains(&format!("root: {who} (key ")),
            "init warns about {who}'s key:\n{warnings}"
        );
    }
    // The last keyholder joins with root add-key, which warns the same way.
    let out = s.c_run("root add-key root grace.pub.json --keyholder grace");
    ok(&out, "root add-key");
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(
        warned.contains("grace (key ") && warned.contains("cannot read ecdsa-sha2-nistp384"),
        "{warned}"
    );
    let status = String::from_utf8_lossy(&s.c_run("status").stderr).to_string();
    assert_eq!(
        status
            .matches("is ecdsa/ecdsa-sha2-nistp384, which tough does not read")
            .count(),
        4,
        "status names each P-384 key once:\n{status}"
    );
    assert!(
        !status.contains("cannot read ecdsa-sha2-nistp384 keys"),
        "status names a P-384 key for tough twice, in two wordings:\n{status}"
    );
}

/// Six signatures from tuf-ceremony: three key files and three devices.
fn six_keyholders_sign_root(s: &Scene, env: &[(&str, &str)], yubihsm: &str) {
    // Six signatures from tuf-ceremony: three key files and three devices.
    s.sign_by("root", &["alice", "bob", "carol"]);
    let sign = |signer: &str, secret: &str| {
        ok(
            &s.run_with(
                &w(&format!("-C c sign root --signer {signer} --yes")),
                secret,
                env,
            ),
            &format!("sign root with {signer}"),
        )
    };
    sign(&p11("dave-token", "root"), "pp");
    sign(yubihsm, "hsm-password");
    sign(&p11("heidi-token", "root"), "pp");
    s.sign("targets", "alice");
    let transcript = s.read("c/transcript.jsonl");
    assert!(transcript.contains("yubihsm2:serial=0123456789;key=0x0201"));
    assert!(transcript.contains("token=heidi-token"));
    s.c("export --out repo");
}

fn python_tuf_cosigns_and_both_count_all_eight(s: &Scene) {
    // python-tuf adds its RSA and P-384 signatures to the exported root, then checks every
    // signature on its own and counts all eight keys.
    s.py("keytypes.py cosign repo/1.root.json py");
    let judged = s.py("judge.py verify repo");
    has(
        &judged,
        "root v1: python-tuf verified each of its 8 signature(s)",
    );
    let counted = s.py("keytypes.py counted repo/1.root.json");
    let counted_ids: Vec<&str> = counted
        .lines()
        .filter_map(|l| l.strip_prefix("counted "))
        .collect();
    assert_eq!(counted_ids.len(), 8, "{counted}");
    for (scheme, n) in [
        ("ed25519/ed25519", 1),
        ("ecdsa/ecdsa-sha2-nistp256", 1),
        ("ecdsa/ecdsa-sha2-nistp384", 4),
        ("rsa/rsassa-pss-sha256 salt-32", 2),
    ] {
        assert_eq!(
            counted_ids.iter().filter(|l| l.ends_with(scheme)).count(),
            n,
            "{scheme}: {counted}"
        );
    }

    // tuf-ceremony counts the same eight, python-tuf's two included.
    let md = Metadata::from_bytes(&std::fs::read(s.p("repo/1.root.json")).unwrap()).unwrap();
    let report = tuf_ceremony::verify::verify_root(&md, None);
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.own.counted.len(), 8, "{:?}", report.own);
    for pubfile in ["frank.pub.json", "grace.pub.json"] {
        let id = s.keyid(pubfile);
        assert!(
            counted_ids.iter().any(|l| l.starts_with(&id)),
            "python-tuf did not count {pubfile}"
        );
        assert!(
            md.signatures.iter().any(|sig| sig.keyid == id),
            "{pubfile} did not sign"
        );
    }
}

fn load_reads_python_tufs_signatures(s: &Scene) {
    // load reads python-tuf's signatures as valid (it refuses a file with a signature by an
    // authorized key that does not verify), records the root as trusted, and names each
    // P-384 key for tough.
    let out = s.cmd_run("-C again load repo/1.root.json");
    ok(&out, "load the co-signed root");
    let warned = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        warned
            .matches("is ecdsa/ecdsa-sha2-nistp384, which tough does not read")
            .count(),
        4,
        "{warned}"
    );
    assert!(
        !warned.contains("cannot read ecdsa-sha2-nistp384 keys"),
        "load names a P-384 key for tough twice, in two wordings:\n{warned}"
    );
    s.cmd("-C trusting load --trusted repo/1.root.json");
    let inspected = s.cmd("inspect repo/1.root.json");
    assert_eq!(inspected.matches("  verifies").count(), 8, "{inspected}");
    has(&inspected, "threshold: 8 of 6 distinct keys signed - met");
}

/// A P-384 key file signs (SHA-384 over the payload, DER), and the keyholder's key files
/// never hold RSA: the scheme is refused before a passphrase is asked for.
#[test]
fn key_files_sign_with_p384_and_refuse_rsa() {
    let s = Scene::new();
    s.cmd("key generate --out carol.key --keyholder carol --scheme ecdsa-p384");
    s.init_online(&["carol"], 1, 1, &[]);
    s.sign("root", "carol");
    let md = Metadata::from_bytes(&std::fs::read(s.p("c/root.json")).unwrap()).unwrap();
    let sig = hex::decode(&md.signatures[0].sig).unwrap();
    assert_eq!(sig[0], 0x30, "a DER SEQUENCE");
    assert!(tuf_ceremony::verify::verify_root(&md, None).ok());

    // No passphrase file: a refusal that came after asking for one would fail differently.
    let out = s.bare_run("key generate --out rsa.key --scheme rsassa-pss-sha256");
    let e = failed(&out, 3, "an RSA key file");
    has(&e, "key files hold ed25519, ecdsa-p256 or ecdsa-p384 keys");
    has(&e, "--scheme rsassa-pss-sha256");
    assert!(!s.p("rsa.key").exists());
}

/// Hex-encoded ECDSA keys (go-tuf v0, Sigstore's roots 1 to 4) are shown and explained by
/// `inspect` and `status`, never counted, and never a reason for either to fail.
#[test]
fn hex_ecdsa_keys_are_explained_and_not_counted() {
    let s = Scene::new();
    s.py("keytypes.py hex-root hex");
    let why = "python-tuf 7 does not read hex ECDSA keys; this key's signatures are not counted";

    let inspected = s.cmd("inspect hex/signed.json");
    has(&inspected, why);
    assert!(
        inspected.contains("not counted: "),
        "the hex key's signature is labelled, not called invalid: {inspected}"
    );
    has(&inspected, "threshold: 1 of 1 distinct keys signed - met");

    s.c("load hex/unsigned-by-hex.json");
    let out = s.c_run("status");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    lacks(&all, "panicked");
    has(&all, why);
}

/// An RSA key listed under another scheme than the token signs with (the same key as
/// rsa-pkcs1v15-sha256): the token's RSA-PSS signature would not count there, so sign
/// refuses before anything is signed, and nothing changes.
#[test]
fn an_rsa_key_listed_with_another_scheme_is_not_signed_for() {
    let s = Scene::new();
    let hsm = s.softhsm(&["heidi-token"]);
    let env = hsm.env();
    s.hsm(&env, "key generate --signer p11:heidi-token/root --scheme rsassa-pss-sha256 --pub-out pss.pub.json");
    s.write(
        "heidi.pub.json",
        &s.read("pss.pub.json")
            .replace("rsassa-pss-sha256", "rsa-pkcs1v15-sha256"),
    );
    s.init_online(&["heidi"], 1, 1, &[]);
    let before = crate::util::snapshot(&s.p("c"));
    let out = s.hsm_run(&env, "-C c sign root --signer p11:heidi-token/root --yes");
    let e = failed(&out, 4, "sign for a key listed with another scheme");
    has(
        &e,
        "with scheme rsa-pkcs1v15-sha256, but the device signs rsassa-pss-sha256",
    );
    has(&e, "Nothing was signed");
    assert_eq!(
        before,
        crate::util::snapshot(&s.p("c")),
        "the refusal changed the ceremony"
    );
}
