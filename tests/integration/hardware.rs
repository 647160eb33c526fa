//! Hardware signers against real software tokens: SoftHSM2 through PKCS#11, and the
//! `yubihsm` crate's MockHsm behind tools/mock-yubihsm-connector, reached through
//! tuf-ceremony's real HTTP connector.

use crate::util::{failed, ok, repo_root, snapshot, Scene};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub const SOFTHSM_MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
/// MockHsm's authentication key 1 password.
pub const MOCK_PASSWORD: &str = "password";

/// A private SoftHSM2 token store in the scene.
pub struct SoftHsm {
    conf: String,
}

impl SoftHsm {
    pub fn new(s: &Scene) -> SoftHsm {
        assert!(
            std::path::Path::new(SOFTHSM_MODULE).exists(),
            "SoftHSM2 is not installed: run scripts/test.sh (it installs Debian's softhsm2)"
        );
        std::fs::create_dir_all(s.p("tokens")).unwrap();
        s.write(
            "softhsm2.conf",
            &format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                s.p("tokens").display()
            ),
        );
        SoftHsm {
            conf: s.p("softhsm2.conf").display().to_string(),
        }
    }

    /// A throwaway token whose user PIN is the scene passphrase.
    pub fn init_token(&self, label: &str) {
        let out = Command::new("softhsm2-util")
            .env("SOFTHSM2_CONF", &self.conf)
            .args(["--init-token", "--free", "--label", label])
            .args(["--so-pin", "so-pin-1234", "--pin", crate::util::PASSPHRASE])
            .output()
            .unwrap();
        ok(&out, "softhsm2-util --init-token");
    }

    pub fn env(&self) -> [(&str, &str); 1] {
        [("SOFTHSM2_CONF", self.conf.as_str())]
    }
}

pub fn p11(token: &str, object: &str) -> String {
    format!("pkcs11:token={token};object={object}?module-path={SOFTHSM_MODULE}")
}

fn transcript_devices(s: &Scene) -> Vec<String> {
    s.read("c/transcript.jsonl")
        .lines()
        .filter(|l| l.contains("\"event\":\"sign\""))
        .map(str::to_string)
        .collect()
}

/// A 2-of-3 root signed with two SoftHSM tokens (ed25519 and ecdsa-p256 keys generated in the
/// token by tuf-ceremony) and a key file; python-tuf accepts the export. Then the errors a
/// keyholder meets: wrong PIN, token not plugged in, wrong key, key object missing.
#[test]
fn softhsm_tokens_sign_a_root_ceremony_python_tuf_accepts() {
    let s = Scene::new();
    let hsm = SoftHsm::new(&s);
    let env = hsm.env();
    hsm.init_token("alice-token");
    hsm.init_token("bob-token");
    s.keygen(&["carol"]);
    s.python("judge.py", &["online-keys", "online"]);

    let gen = |token: &str, scheme: &str, pubfile: &str| {
        let out = s.run_with(
            &[
                "key",
                "generate",
                "--signer",
                &p11(token, "tuf-root"),
                "--scheme",
                scheme,
                "--pub-out",
                pubfile,
            ],
            "pp",
            &env,
        );
        ok(&out, "key generate --signer pkcs11")
    };
    let said = gen("alice-token", "ed25519", "alice.pub.json");
    assert!(said.contains("\"keytype\": \"ed25519\""), "{said}");
    gen("bob-token", "ecdsa-p256", "bob.pub.json");
    // Generating again under the same label is refused: a device key is never replaced.
    let again = s.run_with(
        &["key", "generate", "--signer", &p11("bob-token", "tuf-root")],
        "pp",
        &env,
    );
    assert!(failed(&again, 5, "regenerate").contains("never replaces a key"));

    // key show reads the public key from the token and agrees with the file.
    let shown = ok(
        &s.run_with(&["key", "show", &p11("bob-token", "tuf-root")], "pp", &env),
        "key show",
    );
    let from_file = s.ok(&["key", "show", "bob.pub.json"]);
    let keyid = |t: &str| {
        t.lines()
            .find_map(|l| l.strip_prefix("keyid "))
            .unwrap()
            .to_string()
    };
    assert_eq!(keyid(&shown), keyid(&from_file));

    s.init_online(
        &["alice", "bob", "carol"],
        2,
        1,
        &["--targets-key", "alice=alice.pub.json"],
    );
    let sign = |role: &str, signer: &str, secret: &str| {
        s.run_with(
            &["-C", "c", "sign", role, "--signer", signer, "--yes"],
            secret,
            &env,
        )
    };

    // Wrong PIN: a specific error, exit 5, nothing changed.
    s.write("wrong-pin", "0000\n");
    let before = snapshot(&s.p("c"));
    let e = failed(
        &sign("root", &p11("alice-token", "tuf-root"), "wrong-pin"),
        5,
        "wrong PIN",
    );
    assert!(e.contains("wrong PIN"), "{e}");
    assert!(e.contains("alice-token"), "{e}");
    // Token not present.
    let e = failed(
        &sign("root", &p11("dave-token", "tuf-root"), "pp"),
        5,
        "missing token",
    );
    assert!(e.contains("no token matching"), "{e}");
    assert!(
        e.contains("\"alice-token\""),
        "the error lists the tokens present: {e}"
    );
    // Key object missing.
    let e = failed(
        &sign("root", &p11("alice-token", "no-such-key"), "pp"),
        5,
        "missing key",
    );
    assert!(e.contains("no private key object \"no-such-key\""), "{e}");
    assert!(
        e.contains("\"tuf-root\""),
        "the error lists the keys there: {e}"
    );
    // Module missing.
    let e = failed(
        &sign(
            "root",
            "pkcs11:token=alice-token;object=tuf-root?module-path=/nonexistent/libp11.so",
            "pp",
        ),
        5,
        "missing module",
    );
    assert!(e.contains("/nonexistent/libp11.so does not exist"), "{e}");
    // Wrong key: bob's token may sign root but not targets; the error says whose key it is.
    let e = failed(
        &sign("targets", &p11("bob-token", "tuf-root"), "pp"),
        4,
        "wrong key",
    );
    assert!(e.contains("recorded as bob's key"), "{e}");
    assert!(
        e.contains("is ecdsa-sha2-nistp256, but targets lists only ed25519"),
        "{e}"
    );
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refused signing changed the ceremony"
    );

    ok(
        &sign("root", &p11("alice-token", "tuf-root"), "pp"),
        "alice signs root",
    );
    ok(
        &sign("root", &p11("bob-token", "tuf-root"), "pp"),
        "bob signs root",
    );
    ok(&sign("root", "file:carol.key", "pp"), "carol signs root");
    ok(
        &sign("targets", &p11("alice-token", "tuf-root"), "pp"),
        "alice signs targets",
    );
    s.ok(&["-C", "c", "export", "--out", "repo"]);
    let judged = s.python("judge.py", &["verify", "repo"]);
    assert!(
        judged.contains("root v1: python-tuf verified each of its 3 signature(s)"),
        "{judged}"
    );
    assert!(
        judged.contains("targets v1: verified by root v1"),
        "{judged}"
    );

    // The transcript names each token by label, model and serial; never the PIN.
    let signs = transcript_devices(&s);
    assert_eq!(signs.len(), 4, "{signs:?}");
    assert!(signs[0].contains("\"kind\":\"pkcs11\""), "{}", signs[0]);
    assert!(
        signs[0]
            .contains("token=alice-token;manufacturer=SoftHSM project;model=SoftHSM v2;serial="),
        "{}",
        signs[0]
    );
    assert!(signs[1].contains("token=bob-token"), "{}", signs[1]);
    assert!(signs[2].contains("\"kind\":\"key-file\""), "{}", signs[2]);
    assert!(!s
        .read("c/transcript.jsonl")
        .contains(crate::util::PASSPHRASE));
}

/// The mock connector, killed when the test ends.
pub struct MockConnector {
    child: Child,
    pub port: u16,
}

impl Drop for MockConnector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn mock_connector() -> MockConnector {
    let bin: PathBuf = repo_root().join("target/debug/mock-yubihsm-connector");
    assert!(
        bin.exists(),
        "{} is missing: run scripts/test.sh (it builds it with `cargo build -p mock-yubihsm-connector`)",
        bin.display()
    );
    for _ in 0..20 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(&bin)
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let _ = std::io::BufRead::read_line(&mut out, &mut line);
        if line.trim() == "ready" {
            return MockConnector { child, port };
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("mock-yubihsm-connector did not start");
}

/// YubiHSM 2 end to end through the HTTP connector against MockHsm: keys generated in the
/// device (ed25519 and ecdsa-p256) sign a root and targets that python-tuf accepts, the
/// device serial is in the transcript, and a root too large for the device's Ed25519 limit
/// is refused before anything is sent (even before the confirmation prompt), while the
/// ECDSA key signs it.
#[test]
fn yubihsm_mock_signs_ed25519_and_ecdsa_and_refuses_oversized_ed25519() {
    let s = Scene::new();
    let mock = mock_connector();
    s.write("hsm-password", &format!("{MOCK_PASSWORD}\n"));
    let yh = |key: u16| format!("yubihsm://127.0.0.1:{}/?key=0x{key:04x}&auth=1", mock.port);
    let run = |args: &[&str]| s.run_with(args, "hsm-password", &[]);
    ok(
        &run(&[
            "key",
            "generate",
            "--signer",
            &yh(0x0101),
            "--pub-out",
            "alice.pub.json",
        ]),
        "generate ed25519 in the YubiHSM",
    );
    ok(
        &run(&[
            "key",
            "generate",
            "--signer",
            &yh(0x0102),
            "--scheme",
            "ecdsa-p256",
            "--pub-out",
            "bob.pub.json",
        ]),
        "generate ecdsa-p256 in the YubiHSM",
    );
    let shown = ok(&run(&["key", "show", &yh(0x0102)]), "key show");
    assert!(
        shown.contains("YubiHSM 2 serial 0123456789, key 0x0102"),
        "{shown}"
    );

    // Errors: wrong password, key missing, connector not running.
    s.write("bad-password", "not-the-password\n");
    let e = failed(
        &s.run_with(&["key", "show", &yh(0x0101)], "bad-password", &[]),
        5,
        "bad password",
    );
    assert!(
        e.contains("password for authentication key 1 was not accepted"),
        "{e}"
    );
    let e = failed(&run(&["key", "show", &yh(0x0777)]), 5, "missing key");
    assert!(e.contains("no key with object id 0x0777"), "{e}");
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = failed(
        &run(&["key", "show", &format!("yubihsm://127.0.0.1:{dead}/?key=1")]),
        5,
        "no connector",
    );
    assert!(e.contains("Start yubihsm-connector"), "{e}");

    s.init_online(&["alice", "bob"], 2, 1, &[]);
    for (role, key) in [("root", 0x0101), ("root", 0x0102), ("targets", 0x0101)] {
        ok(
            &run(&["-C", "c", "sign", role, "--signer", &yh(key), "--yes"]),
            "sign with the YubiHSM",
        );
    }
    s.ok(&["-C", "c", "export", "--out", "repo"]);
    let judged = s.python("judge.py", &["verify", "repo"]);
    assert!(
        judged.contains("root v1: python-tuf verified each of its 2 signature(s)"),
        "{judged}"
    );
    let signs = transcript_devices(&s);
    assert_eq!(signs.len(), 3);
    for l in &signs {
        assert!(l.contains("yubihsm2:serial=0123456789;key=0x010"), "{l}");
        assert!(!l.contains(MOCK_PASSWORD), "{l}");
    }

    // A real large root: five more keyholders with ECDSA keys (made by python-tuf). Its
    // payload is over 2019 bytes, which MockHsm (limit 2042) would sign but a real YubiHSM 2
    // refuses; tuf-ceremony refuses first. (Few device sessions are used here: yubihsm 0.42
    // cannot close a session, and MockHsm, like the device, holds at most 16.)
    let more = ["carol", "dave", "erin", "frank", "grace"];
    let mut args = vec!["ecdsa-pubs", "."];
    args.extend_from_slice(&more);
    s.python("judge.py", &args);
    for who in more {
        s.add_root_key(who);
    }
    let size = s.ok(&["inspect", "c/root.json", "--canonical"]).len();
    assert!(size > 2019, "the rotated root is only {size} bytes");
    let before = snapshot(&s.p("c"));
    // No --yes and stdin closed: the size refusal must come before the confirmation.
    let e = failed(
        &run(&["-C", "c", "sign", "root", "--signer", &yh(0x0101)]),
        5,
        "oversized ed25519",
    );
    assert!(
        e.contains(&format!("the payload to sign is {size} bytes")),
        "{e}"
    );
    assert!(e.contains("at most 2019 bytes"), "{e}");
    assert!(e.contains("ecdsa-p256"), "{e}");
    assert!(e.contains("nothing was sent to the device"), "{e}");
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "the refusal changed the ceremony"
    );
    ok(
        &run(&["-C", "c", "sign", "root", "--signer", &yh(0x0102), "--yes"]),
        "ECDSA signs the large root",
    );
    let status = s.ok(&["-C", "c", "status"]);
    assert!(status.contains("bob"), "{status}");
}
