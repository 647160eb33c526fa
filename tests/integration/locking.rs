//! One writer at a time: commands run side by side in one ceremony folder lose nothing.
//! Each race is run several rounds; without the folder lock each loses a change in most.

use crate::scene::{has, w};
use crate::util::{bin, failed, ok, snapshot, Scene};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn spawn(s: &Scene, args: &[&str]) -> Child {
    Command::new(bin())
        .current_dir(s.path())
        .arg("--passphrase-file")
        .arg(s.p("pp"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signature_count(s: &Scene, role: &str) -> usize {
    let md = tuf_ceremony::ceremony::read_metadata(&s.p(&format!("c/{role}.json"))).unwrap();
    md.signatures.len()
}

/// After a race every one of the `n` signatures on `role` is kept and the transcript holds;
/// then `expires` drops them all, so that the next round starts again.
fn kept_then_dropped(s: &Scene, role: &str, n: usize, round: usize, days: usize) {
    assert_eq!(
        signature_count(s, role),
        n,
        "round {round}: a signature was lost"
    );
    s.c("transcript verify");
    let out = s.c(&format!("expires {role} {days}d"));
    has(&out, &format!("dropped {n} signature(s)"));
}

#[test]
fn two_signs_at_once_keep_both_signatures() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    for round in 0..3 {
        let a = spawn(&s, &w("-C c sign root --signer file:alice.key --yes"));
        let b = spawn(&s, &w("-C c sign root --signer file:bob.key --yes"));
        ok(&a.wait_with_output().unwrap(), "alice's sign");
        ok(&b.wait_with_output().unwrap(), "bob's sign");
        // The next round starts from an unsigned root again.
        kept_then_dropped(&s, "root", 2, round, 300 + round);
    }
}

#[test]
fn twenty_merges_at_once_keep_twenty_signatures() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    s.py("sigfiles.py keys 20");
    let keys: String = (0..20)
        .map(|i| format!(" --key k{i}=k{i}.pub.json"))
        .collect();
    s.c(&format!("delegate team --threshold 20 --path team/*{keys}"));
    for round in 0..2 {
        s.py("sigfiles.py sign c/team.json team 20");
        let merges: Vec<Child> = (0..20)
            .map(|i| spawn(&s, &w(&format!("-C c merge s{i}.sig.json"))))
            .collect();
        for (i, m) in merges.into_iter().enumerate() {
            ok(&m.wait_with_output().unwrap(), &format!("merge {i}"));
        }
        kept_then_dropped(&s, "team", 20, round, 100 + round);
    }
}

/// The sign reads root, spends seconds in scrypt opening the key file, then writes: without
/// the lock, a revocation made meanwhile is overwritten by the old root plus the signature.
#[test]
fn a_sign_during_a_revocation_cannot_undo_it() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    let carol = tuf_ceremony::ceremony::read_public_key(&s.p("carol.pub.json"))
        .unwrap()
        .keyid();
    for round in 0..3 {
        let sign = spawn(&s, &w("-C c sign root --signer file:carol.key --yes"));
        std::thread::sleep(std::time::Duration::from_millis(300));
        let out = s.c("root remove-key root carol");
        has(&out, "carol (key");
        // Signed first (then the removal dropped the signature), or refused after it: either
        // way carol is not a root key now.
        let signed = sign.wait_with_output().unwrap();
        assert!(
            signed.status.success() || signed.status.code() == Some(4),
            "{signed:?}"
        );
        let root = s.read("c/root.json");
        let md = tuf_ceremony::ceremony::read_metadata(&s.p("c/root.json")).unwrap();
        let keyids = &md.root().unwrap().role("root").unwrap().keyids;
        assert!(
            !keyids.contains(&carol),
            "round {round}: the revocation was undone:\n{root}"
        );
        assert!(
            md.signatures.iter().all(|sig| sig.keyid != carol),
            "round {round}"
        );
        s.c("transcript verify");
        s.c("root add-key root carol.pub.json --keyholder carol");
    }
}

/// A command that finds the folder busy waits, then refuses, naming who holds it.
#[test]
fn a_busy_folder_names_its_holder() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    // `sign` without --yes holds the folder while it waits for the keyholder's "yes".
    let mut sign = Command::new(bin())
        .current_dir(s.path())
        .args(w(
            "--passphrase-file pp -C c sign root --signer file:alice.key",
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = sign.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::Read;
        let mut text = Vec::new();
        let mut stdout = stdout;
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).unwrap_or(0) == 1 {
            text.push(byte[0]);
            if String::from_utf8_lossy(&text).contains("Type \"yes\"") {
                break;
            }
        }
        String::from_utf8_lossy(&text).to_string()
    });
    let screen = reader.join().unwrap();
    has(&screen, "Type \"yes\"");
    let before = snapshot(&s.p("c"));
    let busy = s.run_with(
        &w("-C c root set-threshold root 3"),
        "pp",
        &[("TUF_CEREMONY_LOCK_WAIT", "1")],
    );
    let text = crate::util::failed(&busy, 4, "a second writer");
    has(&text, &format!("pid {}", sign.id()));
    has(&text, "sign root --signer file:alice.key");
    let reader = s.run_with(&w("-C c status"), "pp", &[("TUF_CEREMONY_LOCK_WAIT", "1")]);
    crate::util::failed(&reader, 4, "a reader while a writer holds the folder");
    assert_eq!(before, snapshot(&s.p("c")));
    drop(sign.stdin.take());
    let _ = sign.wait();
    // Released with the process: the next command runs at once.
    s.c("root set-threshold root 3");
}

fn mkfifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// Waits for `child` at most `limit`; a child still running then is killed and `None`
/// returned.
fn output_within(mut child: Child, limit: Duration) -> Option<Output> {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The holder's words are written into `ceremony.lock` in place: one that is a hard link
/// to a file outside the folder is refused, by writers and readers, and that file keeps
/// its contents. Once removed, as the message says, the folder works again.
#[test]
fn a_hard_linked_lock_file_is_refused_and_the_other_file_kept() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    s.write("precious.txt", "precious");
    let lock = s.p("c/ceremony.lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::hard_link(s.p("precious.txt"), &lock).unwrap();
    let before = snapshot(&s.p("c"));
    for args in [
        &w("-C c root set-threshold root 3")[..],
        &w("-C c status")[..],
    ] {
        let text = s.fails(args, 4);
        has(&text, "c/ceremony.lock");
        has(&text, "hard links");
        has(&text, "Remove");
    }
    assert_eq!(s.read("precious.txt"), "precious");
    assert_eq!(before, snapshot(&s.p("c")));
    std::fs::remove_file(&lock).unwrap();
    s.c("root set-threshold root 3");
    assert_eq!(s.read("precious.txt"), "precious");
}

/// A FIFO as `ceremony.lock` is refused at once: no command blocks on it, the one that
/// would hold the folder nor the one that would wait and read who holds it.
#[test]
fn a_fifo_lock_file_is_refused_without_waiting() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    let lock = s.p("c/ceremony.lock");
    std::fs::remove_file(&lock).unwrap();
    mkfifo(&lock);
    // Without --yes, `sign` would hold the folder while it waits for the keyholder.
    let holder = Command::new(bin())
        .current_dir(s.path())
        .args(w("--passphrase-file pp -C c sign root"))
        .args(["--signer", "file:alice.key"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let waiter = Command::new(bin())
        .current_dir(s.path())
        .args(w("--passphrase-file pp -C c root set-threshold root 3"))
        .env("TUF_CEREMONY_LOCK_WAIT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let waited = output_within(waiter, Duration::from_secs(20));
    let held = output_within(holder, Duration::from_secs(5));
    let waited = waited.expect("the second command hung on the FIFO past its 1 s wait");
    let text = failed(&waited, 4, "a command finding a FIFO as the lock file");
    has(&text, "c/ceremony.lock");
    has(&text, "FIFO");
    has(&text, "Remove");
    let held = held.expect("the first command hung on the FIFO");
    failed(&held, 4, "a command opening a FIFO as the lock file");
    std::fs::remove_file(&lock).unwrap();
    s.c("root set-threshold root 3");
}

/// `--signer=pkcs11:…` is one word: the device reference in it (here with a PIN typed
/// into a token value) reaches neither the lock file nor the message of a command that
/// waits for the folder.
#[test]
fn a_device_reference_after_an_equals_sign_stays_out_of_the_lock_file() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    let hsm = crate::hardware::SoftHsm::new(&s);
    let token = "a=pin-value=s3cr3t";
    hsm.init_token(token);
    // The token's PIN comes from a FIFO nobody writes to: the holder waits there, holding
    // the folder, after its device reference was accepted.
    mkfifo(&s.p("pin"));
    let signer = format!(
        "--signer=pkcs11:token={token};object=root?module-path={}",
        crate::hardware::SOFTHSM_MODULE
    );
    let mut holder = Command::new(bin())
        .current_dir(s.path())
        .envs(hsm.env())
        .args([
            "--passphrase-file",
            "pin",
            "-C",
            "c",
            "sign",
            "root",
            &signer,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let words = loop {
        let words = s.read("c/ceremony.lock");
        if !words.is_empty() || start.elapsed() > Duration::from_secs(20) {
            break words;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let busy = s.run_with(
        &w("-C c root set-threshold root 3"),
        "pp",
        &[("TUF_CEREMONY_LOCK_WAIT", "1")],
    );
    let _ = holder.kill();
    let _ = holder.wait();
    has(&words, &format!("pid {}", holder.id()));
    has(&words, "sign root --signer=pkcs11:…");
    let text = failed(&busy, 4, "a writer waiting for the folder");
    has(&text, "sign root --signer=pkcs11:…");
    for secret in ["s3cr3t", "token=", "module-path"] {
        assert!(
            !words.contains(secret),
            "{secret} in the lock file: {words}"
        );
        assert!(!text.contains(secret), "{secret} in the message: {text}");
    }
}

/// The lock belongs to a ceremony: a command run in a folder that holds none says so and
/// leaves no `ceremony.lock` there (nor in a folder it made for an `init` it refused).
#[test]
fn a_folder_that_is_not_a_ceremony_gets_no_lock_file() {
    let s = Scene::new();
    std::fs::create_dir(s.p("plain")).unwrap();
    for args in [
        &w("-C plain status")[..],
        &w("-C plain sign root --signer file:x.key"),
        &w("-C plain export --out out"),
    ] {
        let text = failed(&s.run(args), 3, "a command outside a ceremony");
        has(&text, "not a ceremony directory");
        assert!(
            !s.p("plain/ceremony.lock").exists(),
            "{args:?} left a lock file"
        );
    }
    // An init refused before it writes anything leaves no folder behind.
    let out = s.cmd_run("-C fresh init --keyholder alice=missing.pub.json --root-threshold 1 --targets-threshold 1 --online-key snapshot=missing.pub.json --online-key timestamp=missing.pub.json");
    assert!(!out.status.success(), "init with a missing key succeeded");
    assert!(!s.p("fresh").exists(), "a refused init left its folder");
}
