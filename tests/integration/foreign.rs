//! Files made by other tools, co-signed in place: a tuf-on-ci signing event changes by the
//! signature line alone, keyholders are named as the file names them, and a keyholder who
//! signs with a key this tool cannot read (a Sigstore identity) blocks nobody.
//!
//! The tuf-on-ci signing event is Sigstore's root v15 as it was being signed
//! (tests/data/real/sigstore-root-signing/signing-event-v15, sources in SOURCES.md): each
//! state there is the one before with one keyholder's placeholder filled by tuf-on-ci's own
//! signer.

use crate::scene::{has, lacks, w};
use crate::util::{repo_root, Scene};
use tuf_ceremony::json::{self, Value};

fn event(name: &str) -> std::path::PathBuf {
    repo_root()
        .join("tests/data/real/sigstore-root-signing")
        .join(name)
}

const V14: &str = "root_history/14.root.json";
const STATES: [&str; 3] = [
    "signing-event-v15/05-251b6c9a.empty-sigs-3.root.json",
    "signing-event-v15/06-92a232ef.empty-sigs-2.root.json",
    "signing-event-v15/07-e8ec65b9.empty-sigs-1.root.json",
];

fn doc(path: &std::path::Path) -> Value {
    json::parse(&std::fs::read(path).unwrap()).unwrap()
}

fn get<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| v.get(k).unwrap())
}

/// The signature `after` holds that `before` holds as a placeholder: (keyid, sig).
fn filled(before: &Value, after: &Value) -> (String, String) {
    let sigs = |d: &Value| -> Vec<(String, String)> {
        get(d, &["signatures"])
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let text = |k| s.get(k).unwrap().as_str().unwrap().to_string();
                (text("keyid"), text("sig"))
            })
            .collect()
    };
    let (b, a) = (sigs(before), sigs(after));
    let new: Vec<_> = a.into_iter().filter(|s| !b.contains(s)).collect();
    assert_eq!(new.len(), 1, "one signature added");
    new[0].clone()
}

/// A signature file as `sign --detached` writes it, carrying one signature made elsewhere.
fn sigfile(keyholder: &str, payload_sha256: &str, keyid: &str, sig: &str) -> String {
    let v = Value::object(vec![
        ("format", Value::str("tuf-ceremony-signature/1")),
        ("role", Value::str("root")),
        ("version", Value::Int(15)),
        ("payload_sha256", Value::str(payload_sha256)),
        ("keyholder", Value::str(keyholder)),
        (
            "device",
            Value::object(vec![
                ("description", Value::str("YubiKey PIV (tuf-on-ci-sign)")),
                ("identity", Value::str("unknown")),
                ("kind", Value::str("pkcs11")),
            ]),
        ),
        ("signed_at", Value::str("2025-09-01T00:00:00Z")),
        (
            "signatures",
            Value::Array(vec![Value::object(vec![
                ("keyid", Value::str(keyid)),
                ("sig", Value::str(sig)),
            ])]),
        ),
    ]);
    String::from_utf8(json::pretty(&v)).unwrap()
}

/// Co-signing a real tuf-on-ci signing event here gives, byte for byte, the file tuf-on-ci's
/// own signer gave: the placeholder filled where it stands, nothing else changed (no final
/// newline added, no signature moved). Keyholders the ceremony has no record of are named
/// as the file names them (`x-tuf-on-ci-keyowner`).
#[test]
fn a_tuf_on_ci_signing_event_cosigned_here_changes_by_the_signature_alone() {
    let s = Scene::new();
    s.ok(&["-C", "c", "load", "--trusted", event(V14).to_str().unwrap()]);
    let states: Vec<std::path::PathBuf> = STATES.iter().map(|n| event(n)).collect();
    // Each keyholder's public key, from the file's key object.
    let mut keyholders = Vec::new();
    for pair in states.windows(2) {
        let (keyid, _) = filled(&doc(&pair[0]), &doc(&pair[1]));
        let after = doc(&pair[1]);
        let key = get(&after, &w(&format!("signed keys {keyid}")));
        let owner = key
            .get("x-tuf-on-ci-keyowner")
            .and_then(Value::as_str)
            .unwrap()
            .to_string();
        let pem = get(key, &["keyval", "public"]).as_str().unwrap();
        s.write(&format!("{keyid}.pem"), pem);
        keyholders.push(format!("{owner}={keyid}.pem"));
    }
    let first = states[0].to_str().unwrap();
    let mut args = vec!["-C", "c", "load", first];
    for k in &keyholders {
        args.extend(["--keyholder", k.as_str()]);
    }
    s.ok(&args);
    assert_eq!(
        std::fs::read(s.p("c/root.json")).unwrap(),
        std::fs::read(&states[0]).unwrap(),
        "loaded as it was made"
    );
    let status = s.c("status");
    has(&status, "@mnm678 (named in the file)");
    has(&status, "@joshuagl (named in the file)");
    let payload = {
        let out = s.cmd("--json -C c status");
        let v = json::parse(out.as_bytes()).unwrap();
        get(&v, &["roles"]).as_array().unwrap()[0]
            .get("payload_sha256")
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    };
    for (i, pair) in states.windows(2).enumerate() {
        let (keyid, sig) = filled(&doc(&pair[0]), &doc(&pair[1]));
        let owner = keyholders[i].split('=').next().unwrap();
        let file = format!("sig{i}.json");
        s.write(&file, &sigfile(owner, &payload, &keyid, &sig));
        s.c(&format!("merge {file}"));
        assert_eq!(
            String::from_utf8(std::fs::read(s.p("c/root.json")).unwrap()).unwrap(),
            String::from_utf8(std::fs::read(&pair[1]).unwrap()).unwrap(),
            "co-signed here as tuf-on-ci's signer co-signed it ({})",
            pair[1].display()
        );
    }
    let status = s.c("status");
    has(&status, "@bobcallaway, ");
}

/// `inspect` labels tuf-on-ci's empty placeholders as `load` and `status` do: not a
/// signature that fails.
#[test]
fn inspect_labels_placeholders_as_load_does() {
    let s = Scene::new();
    let file = event(STATES[0]);
    let out = s.ok(&["inspect", file.to_str().unwrap()]);
    let placeholders = out
        .lines()
        .filter(|l| {
            l.ends_with("an empty placeholder (\"sig\": \"\"), not a signature; not counted")
        })
        .count();
    assert_eq!(placeholders, 3, "{out}");
    lacks(&out, "DOES NOT VERIFY");
    has(&out, "held by @mnm678 (as the file names it)");
}

/// A keyholder who signs with Sigstore, as tuf-on-ci lists one (keytype `sigstore-oidc`,
/// scheme `Fulcio`, an identity and an issuer instead of a public key; the object
/// tuf-on-ci-delegate builds), in a root laid out as python-tuf writes it, with a
/// placeholder for each keyholder still to sign.
struct SigstoreRoot {
    file: String,
    sigstore_keyid: String,
}

fn sigstore_root(s: &Scene) -> SigstoreRoot {
    s.keygen(&["alice", "bob", "snapshot", "timestamp"]);
    s.c("init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json");
    let mut root = doc(&s.p("c/root.json"));
    let sigstore = Value::object(vec![
        ("keytype", Value::str("sigstore-oidc")),
        ("scheme", Value::str("Fulcio")),
        (
            "keyval",
            Value::object(vec![
                ("identity", Value::str("jku@example.com")),
                ("issuer", Value::str("https://accounts.google.com")),
            ]),
        ),
        ("x-tuf-on-ci-keyowner", Value::str("@jku")),
    ]);
    // Its keyid as securesystemslib computes it (keytype, scheme and keyval).
    let sigstore_keyid = {
        use sha2::Digest;
        let mut core = sigstore.clone();
        if let Value::Object(o) = &mut core {
            o.remove("x-tuf-on-ci-keyowner");
        }
        hex::encode(sha2::Sha256::digest(json::canonical(&core)))
    };
    let Value::Object(top) = &mut root else {
        panic!()
    };
    let Some(Value::Object(signed)) = top.get_mut("signed") else {
        panic!()
    };
    let mut keyids = Vec::new();
    if let Some(Value::Object(keys)) = signed.get_mut("keys") {
        keys.insert(sigstore_keyid.clone(), sigstore);
    }
    if let Some(Value::Object(roles)) = signed.get_mut("roles") {
        if let Some(Value::Object(r)) = roles.get_mut("root") {
            if let Some(Value::Array(ids)) = r.get_mut("keyids") {
                ids.push(Value::str(&sigstore_keyid));
                keyids = ids.clone();
            }
        }
    }
    // @jku signed first (a Sigstore bundle beside the signature), the others are to come.
    let mut sigs = vec![Value::object(vec![
        (
            "bundle",
            Value::object(vec![(
                "mediaType",
                Value::str("application/vnd.dev.sigstore.bundle.v0.3+json"),
            )]),
        ),
        ("keyid", Value::str(&sigstore_keyid)),
        ("sig", Value::str("MEUCIGizDcZAAO/kQ9hkmR2FHLTPI834p7FFH4pZw85GjIdhAiEA0ARhLom3QwQGZfs0mVC/rqjLswJp3x7D0VgFBJ8ZAyU=")),
    ])];
    for id in keyids
        .iter()
        .filter(|id| id.as_str() != Some(&sigstore_keyid))
    {
        sigs.push(Value::object(vec![
            ("keyid", id.clone()),
            ("sig", Value::str("")),
        ]));
    }
    top.insert("signatures", Value::Array(sigs));
    let mut text = json::pretty(&root);
    text.pop(); // python-tuf writes no final newline
    std::fs::create_dir_all(s.p("event")).unwrap();
    std::fs::write(s.p("event/root.json"), &text).unwrap();
    SigstoreRoot {
        file: "event/root.json".into(),
        sigstore_keyid,
    }
}

/// The lines of `after` that differ from `before` (same line count required).
fn changed_lines(before: &str, after: &str) -> Vec<String> {
    let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    assert_eq!(b.len(), a.len(), "{after}");
    b.iter()
        .zip(&a)
        .filter(|(x, y)| x != y)
        .map(|(_, y)| y.to_string())
        .collect()
}

/// A file with a Sigstore keyholder loads with a warning naming the key type and what
/// python-tuf makes of it, and the other keyholders co-sign it in place. The Sigstore
/// signature is kept as written, labelled "not verifiable here" and never counted: the
/// threshold of 2 is met by alice and bob alone. Loaded as trusted, the file is refused, as
/// python-tuf 7 refuses it.
#[test]
fn a_sigstore_keyholder_blocks_nobody() {
    let s = Scene::new();
    let root = sigstore_root(&s);
    let out = s.run(&[
        "-C",
        "d",
        "load",
        &root.file,
        "--keyholder",
        "alice=alice.pub.json",
        "--keyholder",
        "bob=bob.pub.json",
    ]);
    let text = crate::util::ok(&out, "load");
    let warnings = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        warnings.contains("is sigstore-oidc/Fulcio, a key type tuf-ceremony does not verify")
            && warnings.contains("(@jku)")
            && warnings.contains("python-tuf 7 cannot read this key type as installed"),
        "{text}{warnings}"
    );
    let original = s.read(&root.file);
    assert_eq!(s.read("d/root.json"), original, "loaded as it was made");

    let sign = |who: &str| s.cmd(&format!("-C d sign root --signer file:{who}.key --yes"));
    sign("alice");
    let status = s.cmd("-C d status");
    has(&status, "1 signed, 2 needed");
    has(&status, "not verifiable here (signed with a key this tool does not check; never counted here): @jku (named in the file)");
    has(
        &status,
        "not verifiable here: its key is sigstore-oidc/Fulcio",
    );
    let after_alice = s.read("d/root.json");
    let changed = changed_lines(&original, &after_alice);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].starts_with("   \"sig\": \"") && !after_alice.ends_with('\n'));

    sign("bob");
    let status = s.cmd("-C d status");
    has(&status, "2 signed, 2 needed - met");
    // Met here, yet not ready: python-tuf 7 as installed refuses the whole file.
    has(&status, "NOT READY");
    has(&status, "problem: root.json: key ");
    has(
        &status,
        "python-tuf 7 cannot read this key type as installed",
    );
    let signed = s.read("d/root.json");
    assert_eq!(changed_lines(&original, &signed).len(), 2);
    // The Sigstore key and signature are kept byte for byte (every other line is unchanged).
    assert!(signed.contains(&format!("\"keyid\": \"{}\"", root.sigstore_keyid)));

    // Published, it is judged as python-tuf 7 judges it: refused for the key it cannot read.
    std::fs::write(s.p("signed.json"), &signed).unwrap();
    let refused = s.cmd_fails("-C e load --trusted signed.json", 3);
    has(&refused, "Unsupported public key");
    let cases = Value::Array(vec![Value::object(vec![
        ("id", Value::str("signed")),
        ("old", Value::Null),
        ("new", Value::str(s.p("signed.json").display().to_string())),
    ])]);
    std::fs::write(s.p("cases.json"), json::pretty(&cases)).unwrap();
    let verdicts = s.py("real_verdicts.py cases.json");
    let verdicts = json::parse(verdicts.as_bytes()).unwrap();
    let python = get(&verdicts.as_array().unwrap()[0], &["python"]);
    assert_eq!(python.get("ok"), Some(&Value::Bool(false)));
    let why = python.get("why").and_then(Value::as_str).unwrap();
    has(why, "Unsupported public key");
}
