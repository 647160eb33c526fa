//! Hardware signers against real software tokens: SoftHSM2 through PKCS#11, and the
//! `yubihsm` crate's MockHsm behind tools/mock-yubihsm-connector, reached through
//! tuf-ceremony's real HTTP connector.

use crate::scene::{has, has_each, keyid_in, lacks};
use crate::util::{failed, ok, repo_root, Scene};
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
    let hsm = s.softhsm(&["alice-token", "bob-token"]);
    let env = hsm.env();
    s.keygen(&["carol"]);
    s.py("judge.py online-keys online");
    softhsm_generates_keys(&s, &env);
    s.init_online(
        &["alice", "bob", "carol"],
        2,
        1,
        &["--targets-key", "alice=alice.pub.json"],
    );
    softhsm_refusals(&s, &env);
    softhsm_signs_and_python_tuf_accepts(&s, &env);
}

/// Keys generated in the tokens; never replaced; `key show` reads them from the token.
fn softhsm_generates_keys(s: &Scene, env: &[(&str, &str)]) {
    let said = s.hsm(
        env,
        "key generate --signer p11:alice-token/tuf-root --scheme ed25519 --pub-out alice.pub.json",
    );
    has(&said, "\"keytype\": \"ed25519\"");
    s.hsm(
        env,
        "key generate --signer p11:bob-token/tuf-root --scheme ecdsa-p256 --pub-out bob.pub.json",
    );
    // Generating again under the same label is refused: a device key is never replaced.
    let again = s.hsm_run(env, "key generate --signer p11:bob-token/tuf-root");
    has(&failed(&again, 5, "regenerate"), "never replaces a key");

    // key show reads the public key from the token and agrees with the file.
    let shown = s.hsm(env, "key show p11:bob-token/tuf-root");
    assert_eq!(keyid_in(&shown), s.keyid("bob.pub.json"));
}

/// Wrong PIN, token not present, key object missing, module missing, wrong key: each a
/// specific error, and nothing changed.
fn softhsm_refusals(s: &Scene, env: &[(&str, &str)]) {
    s.write("wrong-pin", "0000\n");
    let module_missing = "-C c sign root --signer \
        pkcs11:token=alice-token;object=tuf-root?module-path=/nonexistent/libp11.so --yes";
    s.secret_refuses_each(
        env,
        &[
            (
                "wrong-pin",
                "-C c sign root --signer p11:alice-token/tuf-root --yes",
                5,
                &["wrong PIN", "alice-token"],
            ),
            // The error lists the tokens present.
            (
                "pp",
                "-C c sign root --signer p11:dave-token/tuf-root --yes",
                5,
                &["no token matching", "\"alice-token\""],
            ),
            // The error lists the keys there.
            (
                "pp",
                "-C c sign root --signer p11:alice-token/no-such-key --yes",
                5,
                &["no private key object \"no-such-key\"", "\"tuf-root\""],
            ),
            (
                "pp",
                module_missing,
                5,
                &["/nonexistent/libp11.so does not exist"],
            ),
            // Wrong key: bob's token may sign root but not targets; the error says whose key.
            (
                "pp",
                "-C c sign targets --signer p11:bob-token/tuf-root --yes",
                4,
                &[
                    "recorded as bob's key",
                    "is ecdsa-sha2-nistp256, but targets lists only ed25519",
                ],
            ),
        ],
    );
}

/// Two tokens and a key file sign root, alice's token signs targets; python-tuf accepts the
/// export, and the transcript names each token by label, model and serial, never the PIN.
fn softhsm_signs_and_python_tuf_accepts(s: &Scene, env: &[(&str, &str)]) {
    for line in [
        "-C c sign root --signer p11:alice-token/tuf-root --yes",
        "-C c sign root --signer p11:bob-token/tuf-root --yes",
        "-C c sign root --signer file:carol.key --yes",
        "-C c sign targets --signer p11:alice-token/tuf-root --yes",
    ] {
        s.hsm(env, line);
    }
    s.c("export --out repo");
    has_each(
        &s.py("judge.py verify repo"),
        &[
            "root v1: python-tuf verified each of its 3 signature(s)",
            "targets v1: verified by root v1",
        ],
    );

    let signs = transcript_devices(s);
    assert_eq!(signs.len(), 4, "{signs:?}");
    has(&signs[0], "\"kind\":\"pkcs11\"");
    has(
        &signs[0],
        "token=alice-token;manufacturer=SoftHSM project;model=SoftHSM v2;serial=",
    );
    has(&signs[1], "token=bob-token");
    has(&signs[2], "\"kind\":\"key-file\"");
    lacks(&s.read("c/transcript.jsonl"), crate::util::PASSPHRASE);
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
    yubihsm_generates_keys_and_reports_errors(&s, &yh);
    s.init_online(&["alice", "bob"], 2, 1, &[]);
    for (role, key) in [("root", 0x0101), ("root", 0x0102), ("targets", 0x0101)] {
        yubihsm(&s, &format!("-C c sign {role} --signer {} --yes", yh(key)));
    }
    s.c("export --out repo");
    has(
        &s.py("judge.py verify repo"),
        "root v1: python-tuf verified each of its 2 signature(s)",
    );
    let signs = transcript_devices(&s);
    assert_eq!(signs.len(), 3);
    for l in &signs {
        has(l, "yubihsm2:serial=0123456789;key=0x010");
        lacks(l, MOCK_PASSWORD);
    }
    yubihsm_refuses_an_oversized_ed25519_root(&s, &yh);
}

/// `line` in the scene folder with the MockHsm password; must succeed; returns stdout.
fn yubihsm(s: &Scene, line: &str) -> String {
    ok(&s.secret_run("hsm-password", &[], line), line)
}

/// Keys generated in the device and shown with its serial; then the errors: wrong
/// password, key missing, connector not running.
fn yubihsm_generates_keys_and_reports_errors(s: &Scene, yh: &dyn Fn(u16) -> String) {
    yubihsm(
        s,
        &format!(
            "key generate --signer {} --pub-out alice.pub.json",
            yh(0x0101)
        ),
    );
    yubihsm(
        s,
        &format!(
            "key generate --signer {} --scheme ecdsa-p256 --pub-out bob.pub.json",
            yh(0x0102)
        ),
    );
    let shown = yubihsm(s, &format!("key show {}", yh(0x0102)));
    has(&shown, "YubiHSM 2 serial 0123456789, key 0x0102");

    s.write("bad-password", "not-the-password\n");
    let bad = s.secret_run("bad-password", &[], &format!("key show {}", yh(0x0101)));
    has(
        &failed(&bad, 5, "bad password"),
        "password for authentication key 1 was not accepted",
    );
    let missing = s.secret_run("hsm-password", &[], &format!("key show {}", yh(0x0777)));
    has(
        &failed(&missing, 5, "missing key"),
        "no key with object id 0x0777",
    );
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let line = format!("key show yubihsm://127.0.0.1:{dead}/?key=1");
    let no_connector = s.secret_run("hsm-password", &[], &line);
    has(
        &failed(&no_connector, 5, "no connector"),
        "Start yubihsm-connector",
    );
}

/// A real large root: five more keyholders with ECDSA keys (made by python-tuf). Its
/// payload is over 2019 bytes, which MockHsm (limit 2042) would sign but a real YubiHSM 2
/// refuses; tuf-ceremony refuses first. (Few device sessions are used here: yubihsm 0.42
/// cannot close a session, and MockHsm, like the device, holds at most 16.)
fn yubihsm_refuses_an_oversized_ed25519_root(s: &Scene, yh: &dyn Fn(u16) -> String) {
    let more = ["carol", "dave", "erin", "frank", "grace"];
    s.py(&format!("judge.py ecdsa-pubs . {}", more.join(" ")));
    for who in more {
        s.add_root_key(who);
    }
    let size = s.cmd("inspect c/root.json --canonical").len();
    assert!(size > 2019, "the rotated root is only {size} bytes");
    // No --yes and stdin closed: the size refusal must come before the confirmation.
    let payload = format!("the payload to sign is {size} bytes");
    s.secret_refuses_each(
        &[],
        &[(
            "hsm-password",
            &format!("-C c sign root --signer {}", yh(0x0101)),
            5,
            &[
                &payload,
                "at most 2019 bytes",
                "ecdsa-p256",
                "nothing was sent to the device",
            ],
        )],
    );
    yubihsm(s, &format!("-C c sign root --signer {} --yes", yh(0x0102)));
    has(&s.c("status"), "bob");
}
