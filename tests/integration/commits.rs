//! A command that fails changes nothing, a value the tool writes is one it can read back,
//! online and offline keys stay apart at every edit, folders are made private whatever the
//! umask, and the transcript can be anchored to the head written in the minutes.

use crate::scene::has;
use crate::util::{failed, snapshot, Scene};

#[test]
fn values_no_reader_accepts_are_refused_before_writing() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    s.c_refuses("expires root 8000y", 3, "past 9999-12-31T23:59:59Z");
    // Every later command still reads the folder.
    s.c("status");
}

#[test]
fn a_name_too_long_for_a_file_changes_nothing() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    let before = snapshot(&s.p("c"));
    let name = "n".repeat(251);
    let out = s.c_run(&format!(
        "delegate {name} --key alice=alice.pub.json --threshold 1"
    ));
    assert!(!out.status.success(), "{out:?}");
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a failed delegate changed the ceremony"
    );
    s.c("delegate team --key alice=alice.pub.json --threshold 1");
}

#[test]
fn online_and_offline_keys_stay_apart_at_every_edit() {
    let s = Scene::ceremony(&["alice", "bob", "carol"], 2);
    let before = snapshot(&s.p("c"));
    let e = s.c_fails("root add-key snapshot alice.pub.json", 4);
    has(&e, "alice's offline key");
    has(&e, "signed online");
    let e = s.c_fails("root add-key root snapshot.pub.json", 4);
    has(&e, "the repository's online key");
    has(&e, "signed offline");
    let e = s.c_fails("root add-key targets timestamp.pub.json", 4);
    has(&e, "the repository's online key");
    let e = s.c_fails("delegate team --key ops=snapshot.pub.json --threshold 1", 4);
    assert!(
        e.contains("snapshot.pub.json") || e.contains("online"),
        "{e}"
    );
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refused edit changed the ceremony"
    );
    // A new key for timestamp is the repository's: accepted, and kept from offline roles.
    s.keygen(&["online2"]);
    s.c("root add-key timestamp online2.pub.json");
    s.c_fails("root add-key root online2.pub.json", 4);
}

#[cfg(unix)]
#[test]
fn folders_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    let tool = crate::util::bin();
    let run = |args: &str| {
        let out = std::process::Command::new("sh")
            .current_dir(s.path())
            .arg("-c")
            .arg(format!(
                "umask 000; exec '{}' --passphrase-file pp {args}",
                tool.display()
            ))
            .output()
            .unwrap();
        crate::util::ok(&out, args)
    };
    run("-C c init --keyholder alice=alice.pub.json --root-threshold 1 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json");
    run("-C c sign root --signer file:alice.key --yes");
    run("-C c sign targets --signer file:alice.key --yes");
    run("-C c export --out out/repo");
    let mode = |p: &str| std::fs::metadata(s.p(p)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("c"), 0o700);
    assert_eq!(mode("c/trusted"), 0o700);
    assert_eq!(mode("out"), 0o755);
    assert_eq!(mode("out/repo"), 0o755);
    assert_eq!(mode("c/root.json"), 0o644);
    assert_eq!(mode("c/ceremony.lock"), 0o600);
}

#[test]
fn a_refused_init_leaves_no_folder() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    let e = s.cmd_fails("-C new init --keyholder alice=alice.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json",
        4,
    );
    has(&e, "could never be met");
    assert!(!s.p("new").exists());
}

fn head_of(out: &str) -> String {
    out.lines()
        .find_map(|l| {
            l.strip_prefix("transcript head (line ")
                .map(|r| r.split(": ").nth(1).unwrap().trim().to_string())
        })
        .unwrap_or_else(|| panic!("no head in:\n{out}"))
}

#[test]
fn the_transcript_is_held_to_the_head_in_the_minutes() {
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    crate::util::ok(&s.init_alone(&[]), "init");
    s.sign("root", "alice");
    let older = s.read("c/transcript.jsonl");
    s.sign("targets", "alice");
    let out = s.c("export --out repo");
    let head = head_of(&out);
    assert_eq!(head.len(), 64, "{out}");
    has(&out, "in words: ");
    // The exported files' digests are in the transcript: the record and the files bind.
    let transcript = s.read("c/transcript.jsonl");
    let root_digest =
        tuf_ceremony::ceremony::digest_hex(&std::fs::read(s.p("repo/1.root.json")).unwrap());
    assert!(transcript.contains(&root_digest));

    let ok = s.c(&format!("transcript verify --head {head}"));
    has(&ok, "nothing was added or removed since");
    // The report prints the same head.
    let report = s.c("report --out r.md");
    assert_eq!(head_of(&report), head);

    // The export's line dropped: the chain is intact, but the head is gone.
    let cut: String = transcript
        .lines()
        .take(transcript.lines().count() - 1)
        .map(|l| format!("{l}\n"))
        .collect();
    s.write("c/transcript.jsonl", &cut);
    // Without the head, the chain is intact, but the files the export wrote are no longer
    // in the record, so the record catches it too.
    let e = failed(
        &s.c_run("transcript verify"),
        1,
        "a cut transcript without the head",
    );
    has(&e, "problem: trusted/");
    let e = failed(
        &s.c_run(&format!("transcript verify --head {head}")),
        1,
        "a cut transcript",
    );
    has(&e, "no line of the transcript has the head given");
    // An older copy restored: the same.
    s.write("c/transcript.jsonl", &older);
    failed(
        &s.c_run(&format!("transcript verify --head {head}")),
        1,
        "an older transcript",
    );
    // Back to the real one, and the ceremony goes on: the lines added since are named.
    s.write("c/transcript.jsonl", &transcript);
    s.c("expires root 200d");
    let later = s.c(&format!("transcript verify --head {head}"));
    has(&later, "line(s) after it were added since");
    // A prefix is not a head.
    s.fails(
        &["-C", "c", "transcript", "verify", "--head", &head[..16]],
        3,
    );
}
