//! Air gap and secret hygiene: a whole key-file ceremony runs in a network
//! namespace with no interfaces, under strace, and opens no socket; no file it wrote and
//! nothing it printed holds a private key or passphrase; core dumps are off while it waits
//! with a key open.

use crate::scene::w;
use crate::util::{bin, ok, Scene};
use std::process::{Command, Output, Stdio};

/// Runs the tool inside `unshare -n` (no network at all) under `strace -f`, recording
/// every socket-family system call.
fn run_isolated(s: &Scene, args: &[&str], trace: &str) -> Output {
    Command::new("unshare")
        .arg("-n")
        .arg("strace")
        .args(w(
            "-f -qq -e trace=socket,connect,bind,sendto,socketpair -o",
        ))
        .arg(s.p(trace))
        .arg(bin())
        .arg("--passphrase-file")
        .arg(s.p("pp"))
        .args(args)
        .current_dir(s.path())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_key_file_ceremony_opens_no_socket_and_leaks_no_secret() {
    for tool in ["unshare", "strace"] {
        assert!(
            Command::new(tool).arg("--version").output().is_ok(),
            "{tool} is missing: run scripts/test.sh (it installs strace; unshare is in util-linux)"
        );
    }
    let s = Scene::new();
    // The check can fail: naming a YubiHSM behind yubihsm-connector is the one network use,
    // and the trace shows it.
    let control = run_isolated(
        &s,
        &w("key show yubihsm://127.0.0.1:12345/?key=1"),
        "control.txt",
    );
    assert_eq!(control.status.code(), Some(5));
    let calls = std::fs::read_to_string(s.p("control.txt")).unwrap();
    assert!(
        calls.contains("socket("),
        "strace recorded no socket call: {calls}"
    );
    std::fs::remove_file(s.p("control.txt")).unwrap();
    s.py("judge.py online-keys online");
    let steps: Vec<Vec<&str>> = vec![
        w("key generate --out alice.key --keyholder alice"),
        w("key generate --out bob.key --keyholder bob --scheme ecdsa-p256"),
        w("-C c init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=online/snapshot.pub.json --online-key timestamp=online/timestamp.pub.json"),
        w("-C c sign root --signer file:alice.key --yes"),
        w("-C c sign root --signer file:bob.key --yes --detached bob.sig.json"),
        w("-C c merge bob.sig.json"),
        w("-C c sign targets --signer file:bob.key --yes"),
        w("key show file:alice.key"),
        w("-C c status"),
        w("-C c export --out repo"),
        w("-C c verify"),
        w("-C c transcript show"),
    ];
    let mut printed: Vec<u8> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let trace = format!("trace-{i}.txt");
        let out = run_isolated(&s, step, &trace);
        ok(&out, &format!("{step:?} in an empty network namespace"));
        printed.extend_from_slice(&out.stdout);
        printed.extend_from_slice(&out.stderr);
        let calls = std::fs::read_to_string(s.p(&trace)).unwrap();
        assert!(
            calls.trim().is_empty(),
            "{step:?} made socket system calls:\n{calls}"
        );
        std::fs::remove_file(s.p(&trace)).unwrap();
    }
    s.py("judge.py verify repo");

    // Key files are 0600; the tool refuses one others can read (tested in ceremony.rs too).
    for k in ["alice.key", "bob.key"] {
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(s.p(k)).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600, "{k} is {mode:o}");
    }

    // Every form of every secret, searched for in everything printed and every file written.
    let mut forms: Vec<Vec<u8>> = Vec::new();
    for k in ["alice", "bob"] {
        s.py(&format!("judge.py secret-forms {k}.key pp {k}.forms"));
        for line in s.read(&format!("{k}.forms")).lines() {
            forms.push(hex::decode(line).unwrap());
        }
        std::fs::remove_file(s.p(&format!("{k}.forms"))).unwrap();
    }
    assert!(forms.len() >= 8);
    let mut files = crate::util::snapshot(s.path());
    files.retain(|(p, _)| {
        let name = p.file_name().unwrap().to_string_lossy();
        name != "pp" && !name.ends_with(".key") && !p.starts_with(s.p("online"))
    });
    assert!(files.len() > 10, "only {} files to search", files.len());
    for form in &forms {
        let hit = |hay: &[u8]| hay.windows(form.len()).any(|w| w == form.as_slice());
        assert!(!hit(&printed), "a secret was printed");
        for (p, bytes) in &files {
            assert!(!hit(bytes), "a secret is in {}", p.display());
        }
    }
}

/// While `sign` waits for the keyholder's "yes" with the key decrypted in memory, the
/// process has core dumps disabled.
#[test]
fn core_dumps_are_off_while_a_key_is_open() {
    let s = Scene::alice_alone();
    let mut child = Command::new(bin())
        .current_dir(s.path())
        .arg("--passphrase-file")
        .arg(s.p("pp"))
        .args(w("-C c sign root --signer file:alice.key"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the prompt: the key is open by then.
    let mut out = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("Type \"yes\"") {
        let n = std::io::Read::read(&mut out, &mut buf).unwrap();
        assert!(
            n > 0,
            "sign ended before asking: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap()
        .to_string();
    drop(child.stdin.take());
    let _ = child.wait();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], &["0", "0"], "{core}");
}
