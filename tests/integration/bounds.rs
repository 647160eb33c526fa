//! Bounded work on hostile input: inputs that are devices, FIFOs or far larger than any real
//! file are refused before they are read; signature lists far longer than any real one are
//! refused by count; what an editor adds around a passphrase is not part of it; a secret
//! typed into a signer reference is never repeated, however its name is spelt.
//!
//! The hostile runs go through [`run_hostile`]: memory capped, so a missing bound fails fast
//! with "out of memory" instead of exhausting the machine, and a deadline, so a missing bound
//! that blocks (a FIFO) fails the test instead of hanging it. Nothing here asserts a time.

use crate::scene::w;
use crate::util::{failed, ok, snapshot, Scene, PASSPHRASE};
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Far more than any command here needs; only a command blocked for good reaches it.
const DEADLINE: Duration = Duration::from_secs(120);

/// What a hostile run may allocate (private writable memory): far above what any refused
/// input needs, far below what reading `/dev/zero` would take.
const MEMORY_CAP: u64 = 256 << 20;

/// Runs the tool in the scene with `args` (the scene's passphrase file unless `args` gives
/// one), standard input from `stdin`, memory capped and under [`DEADLINE`]; fails the test
/// if the tool is still running then.
fn run_hostile(s: &Scene, args: &[&str], stdin: Stdio) -> Output {
    run_capped(s, args, stdin, MEMORY_CAP)
}

/// [`run_hostile`] with a memory cap of `cap` bytes.
fn run_capped(s: &Scene, args: &[&str], stdin: Stdio, cap: u64) -> Output {
    let out_path = s.p(".hostile.out");
    let err_path = s.p(".hostile.err");
    let mut cmd = Command::new(crate::util::bin());
    cmd.current_dir(s.path());
    if !args.contains(&"--passphrase-file") {
        cmd.arg("--passphrase-file").arg(s.p("pp"));
    }
    cmd.args(args)
        .stdin(stdin)
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: cap,
                rlim_max: cap,
            };
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{args:?} was still running after {} s and was killed: it blocked on its input",
                DEADLINE.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    }
}

/// [`run_hostile`] with standard input closed, asserting exit `code`; returns all output.
fn refused(s: &Scene, args: &[&str], code: i32) -> String {
    failed(
        &run_hostile(s, args, Stdio::null()),
        code,
        &format!("{args:?}"),
    )
}

fn assert_has(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "expected {w:?} in:\n{text}");
    }
}

/// Alice's ceremony `c`: root v1 signed by alice, targets unsigned.
fn ceremony(s: &Scene) {
    s.keygen(&["alice", "snapshot", "timestamp"]);
    ok(&s.init_alone(&[]), "init");
    s.sign("root", "alice");
}

/// `text` (the tool's readable JSON) with `extra` more signatures, by distinct keyids
/// `offset..offset+extra` that no role lists, before its own.
fn with_extra_signatures(text: &str, offset: usize, extra: usize) -> String {
    let mut added = String::with_capacity(extra * 100);
    for i in offset..offset + extra {
        added.push_str(&format!("{{\"keyid\": \"{i:064x}\", \"sig\": \"00\"}},\n"));
    }
    let at = "\"signatures\": [";
    assert!(text.contains(at), "no signatures list in:\n{text}");
    text.replacen(at, &format!("{at}\n{added}"), 1)
}

#[test]
fn merge_of_80000_keyids_is_refused_by_size_and_1025_by_count() {
    let s = Scene::new();
    ceremony(&s);
    s.c("sign root --signer file:alice.key --yes --detached alice.sig.json");
    let own = s.read("alice.sig.json");
    let before = snapshot(&s.p("c"));

    s.write("huge.sig.json", &with_extra_signatures(&own, 0, 80_000));
    let text = refused(&s, &w("-C c merge huge.sig.json"), 3);
    assert_has(&text, &["huge.sig.json", "signature file", "4 MiB"]);

    s.write("many.sig.json", &with_extra_signatures(&own, 0, 1024));
    let text = refused(&s, &w("-C c merge many.sig.json"), 3);
    assert_has(
        &text,
        &["many.sig.json", "1025 signatures", "more than the 1024"],
    );

    // At the limit the file is read and its signatures checked: the first keyid no role
    // lists is refused by name.
    s.write("limit.sig.json", &with_extra_signatures(&own, 0, 1023));
    let text = refused(&s, &w("-C c merge limit.sig.json"), 4);
    assert_has(&text, &["limit.sig.json", "may not sign root"]);
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refused merge changed the ceremony"
    );
}

#[test]
fn load_of_a_root_with_100000_extra_signatures_is_refused_by_count() {
    let s = Scene::new();
    ceremony(&s);
    let own = s.read("c/root.json");
    std::fs::create_dir(s.p("in")).unwrap();
    std::fs::write(s.p("in/root.json"), with_extra_signatures(&own, 0, 100_000)).unwrap();
    let before = snapshot(&s.p("c"));
    let text = refused(&s, &w("-C c load in/root.json"), 3);
    assert_has(
        &text,
        &["in/root.json", "$.signatures", "100001 signatures", "1024"],
    );
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refused load changed the ceremony"
    );
    let verified = run_hostile(&s, &w("-C c transcript verify"), Stdio::null());
    assert_has(
        &ok(&verified, "transcript verify"),
        &["every signature in the metadata is accounted for"],
    );

    // Up to the limit a load goes through, and the transcript accounts for every signature.
    std::fs::write(s.p("in/root.json"), with_extra_signatures(&own, 0, 1023)).unwrap();
    let out = run_hostile(&s, &w("-C c load in/root.json"), Stdio::null());
    assert_has(&ok(&out, "load"), &["1023 signature(s) added"]);
    let verified = run_hostile(&s, &w("-C c transcript verify"), Stdio::null());
    assert_has(
        &ok(&verified, "transcript verify"),
        &["every signature in the metadata is accounted for"],
    );

    // Another 1023 would make a working file the tool could not read back: never written.
    std::fs::write(s.p("in/root.json"), with_extra_signatures(&own, 5000, 1023)).unwrap();
    let before = snapshot(&s.p("c"));
    let text = refused(&s, &w("-C c load in/root.json"), 4);
    assert_has(&text, &["in/root.json would hold 2047 signatures"]);
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refused load changed the ceremony"
    );
}

#[test]
fn devices_fifos_and_oversized_files_are_refused_before_they_are_read() {
    let s = Scene::new();
    ceremony(&s);
    let fifo = |name: &str| {
        let path = std::ffi::CString::new(s.p(name).to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    };
    let device = "a character device";

    let text = refused(&s, &w("-C c merge /dev/zero"), 3);
    assert_has(&text, &["/dev/zero", device, "signature file"]);
    fifo("sig.fifo");
    let text = refused(&s, &w("-C c merge sig.fifo"), 3);
    assert_has(&text, &["sig.fifo", "FIFO", "signature file"]);

    // A passphrase file is a file or a pipe, never a device.
    let text = refused(
        &s,
        &w("--passphrase-file /dev/zero -C c sign targets --signer file:alice.key --yes"),
        5,
    );
    assert_has(&text, &["/dev/zero", device, "passphrase file"]);

    std::os::unix::fs::symlink("/dev/zero", s.p("zero.key")).unwrap();
    let text = refused(&s, &w("-C c sign targets --signer file:zero.key --yes"), 5);
    assert_has(&text, &["zero.key", device, "key file"]);

    let text = refused(&s, &w("key show /dev/zero"), 5);
    assert_has(&text, &["/dev/zero", device]);
    let text = refused(
        &s,
        &w("-C c root add-key root /dev/zero --keyholder zed"),
        3,
    );
    assert_has(&text, &["/dev/zero", device, "public key file"]);
    // A public key file a byte over its limit, and a sparse transcript of 1 GiB and a byte:
    // refused by their size, unread.
    let big = std::fs::File::create(s.p("big.pub.json")).unwrap();
    big.set_len((64 << 10) + 1).unwrap();
    let text = refused(
        &s,
        &w("-C c root add-key root big.pub.json --keyholder zed"),
        3,
    );
    assert_has(&text, &["big.pub.json", "65537 bytes", "64 KiB"]);

    // The ceremony's own files: the state file and the transcript.
    let moved = s.p("c-saved");
    std::fs::rename(s.p("c/ceremony.json"), &moved).unwrap();
    std::os::unix::fs::symlink("/dev/zero", s.p("c/ceremony.json")).unwrap();
    let text = refused(&s, &w("-C c status"), 3);
    assert_has(&text, &["ceremony.json", device, "ceremony state file"]);
    std::fs::remove_file(s.p("c/ceremony.json")).unwrap();
    std::fs::rename(&moved, s.p("c/ceremony.json")).unwrap();

    std::fs::rename(s.p("c/transcript.jsonl"), &moved).unwrap();
    fifo("c/transcript.jsonl");
    let text = refused(&s, &w("-C c transcript verify"), 3);
    assert_has(&text, &w("transcript.jsonl FIFO transcript"));
    std::fs::remove_file(s.p("c/transcript.jsonl")).unwrap();
    let sparse = std::fs::File::create(s.p("c/transcript.jsonl")).unwrap();
    sparse.set_len((1 << 30) + 1).unwrap();
    let text = refused(&s, &w("-C c transcript verify"), 3);
    assert_has(&text, &["transcript.jsonl", "1073741825 bytes", "1 GiB"]);
    std::fs::rename(&moved, s.p("c/transcript.jsonl")).unwrap();

    // A confirmation read from a standard input that never ends a line. (The key file's
    // scrypt takes 256 MiB before the question is asked.)
    let out = run_capped(
        &s,
        &w("-C c sign targets --signer file:alice.key"),
        Stdio::from(std::fs::File::open("/dev/zero").unwrap()),
        1 << 30,
    );
    let text = failed(&out, 4, "sign with /dev/zero as standard input");
    assert_has(&text, &["not confirmed; nothing was signed"]);
    assert_has(&s.c("status"), &["targets v1"]);
}

#[test]
fn export_refuses_a_root_json_that_is_a_device_or_a_fifo() {
    let s = Scene::new();
    ceremony(&s);
    s.sign("targets", "alice");
    let before = snapshot(&s.p("c"));

    std::fs::create_dir(s.p("to-zero")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", s.p("to-zero/root.json")).unwrap();
    let text = refused(&s, &w("-C c export --out to-zero"), 3);
    assert_has(&text, &["to-zero/root.json", "a character device"]);

    std::fs::create_dir(s.p("to-fifo")).unwrap();
    let path = std::ffi::CString::new(s.p("to-fifo/root.json").to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let text = refused(&s, &w("-C c export --out to-fifo"), 3);
    assert_has(&text, &["to-fifo/root.json", "FIFO"]);
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refused export changed the ceremony"
    );

    // A symbolic link to a regular file is read like the file.
    s.c("export --out repo");
    std::fs::create_dir(s.p("linked")).unwrap();
    std::os::unix::fs::symlink(s.p("repo/root.json"), s.p("linked/root.json")).unwrap();
    let out = s.c("export --out linked");
    assert_has(&out, &["unchanged linked/root.json"]);
}

#[test]
fn passphrase_from_a_pipe_is_read_bounded() {
    let s = Scene::new();
    ceremony(&s);
    let sign = format!(
        "'{}' --passphrase-file /dev/fd/3 -C c sign targets --signer file:alice.key --yes",
        crate::util::bin().display()
    );
    // The README's way: the passphrase on file descriptor 3, a pipe.
    let out = Command::new("bash")
        .current_dir(s.path())
        .arg("-c")
        .arg(format!("{sign} 3< <(printf '%s\\n' \"$PP\")"))
        .env("PP", PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_has(
        &ok(&out, "sign with the passphrase on a pipe"),
        &["alice signed targets"],
    );
    // A pipe that carries more than any passphrase is refused, not read to its end.
    let out = Command::new("bash")
        .current_dir(s.path())
        .arg("-c")
        .arg(format!(
            "{sign} 3< <(head -c 100000 /dev/zero | tr '\\0' a)"
        ))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = failed(&out, 5, "sign with 100000 bytes on the pipe");
    assert_has(
        &text,
        &["/dev/fd/3", "more than the 64 KiB", "passphrase file"],
    );
}

#[test]
fn passphrase_saved_with_a_bom_and_crlf_opens_a_key_made_with_it_typed() {
    let s = Scene::new();
    // The key is made with the passphrase as typed: "PASSPHRASE\n" (the scene's file).
    ceremony(&s);
    std::fs::write(s.p("windows-pp"), format!("\u{feff}{PASSPHRASE}\r\n")).unwrap();
    let out = s.run_with(
        &w("-C c sign targets --signer file:alice.key --yes"),
        "windows-pp",
        &[],
    );
    assert_has(
        &ok(
            &out,
            "sign with a passphrase file saved by a Windows editor",
        ),
        &["alice signed targets"],
    );
}

#[test]
fn secret_attributes_in_a_reference_are_never_echoed_however_spelt() {
    let s = Scene::new();
    let secret = "7391642858";
    for (reference, name) in [
        (
            format!("pkcs11:token=a;object=b?module-path=/m.so&PIN-VALUE={secret}"),
            "PIN-VALUE",
        ),
        (
            format!("pkcs11:token=a;object=b?module-path=/m.so&pin%2Dvalue={secret}"),
            "pin%2Dvalue",
        ),
        (
            format!("pkcs11:token=a;object=b;Pin-Source={secret}?module-path=/m.so"),
            "Pin-Source",
        ),
        (
            format!("yubihsm://usb/?key=1&pass%77ord={secret}"),
            "pass%77ord",
        ),
        (
            format!("yubihsm://usb/?key=1&PASSWORD={secret}"),
            "PASSWORD",
        ),
        (format!("yubihsm://usb/?key=1&colour={secret}"), "colour"),
        (
            format!("yubihsm://usb/?key=1&serial=1=password={secret}"),
            "serial",
        ),
    ] {
        for args in [
            vec!["key", "show", reference.as_str()],
            vec!["key", "generate", "--signer", reference.as_str()],
        ] {
            let out = s.run(&args);
            assert!(!out.status.success(), "{args:?} succeeded");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                text.contains(name),
                "{args:?} does not name {name}:\n{text}"
            );
            assert!(
                !text.contains(secret),
                "{args:?} echoed the secret:\n{text}"
            );
        }
    }
}
