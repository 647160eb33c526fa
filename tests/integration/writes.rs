//! What a command writes stays in the ceremony folder, and is what the tool can read back:
//! no write through a symbolic link inside the folder, no file handed out that the reader
//! would refuse.

use crate::scene::{has, w};
use crate::util::{failed, ok, snapshot, Scene};

/// alice alone holds root and targets; both signed, ready to export.
fn ready_to_export(s: &Scene) {
    s.keygen(&["alice", "snapshot", "timestamp"]);
    ok(&s.init_alone(&[]), "init");
    s.sign("root", "alice");
    s.sign("targets", "alice");
}

/// `trusted/` made a symbolic link to another folder: export (which writes the trusted
/// copies there) and a reading command are refused, naming the link, and nothing is
/// written in the other folder. A linked working file is refused the same way. With the
/// real folder back, export works.
#[test]
fn a_symbolic_link_inside_the_ceremony_folder_is_refused_and_nothing_written_through_it() {
    let s = Scene::new();
    ready_to_export(&s);
    assert!(!s.p("c/trusted").exists());
    std::fs::create_dir(s.p("elsewhere")).unwrap();
    std::os::unix::fs::symlink(s.p("elsewhere"), s.p("c/trusted")).unwrap();
    let before = snapshot(&s.p("c"));
    let text = s.c_fails("export --out repo", 4);
    has(&text, "c/trusted is a symbolic link");
    has(&text, "Put the real folder");
    let text = s.c_fails("status", 4);
    has(&text, "c/trusted is a symbolic link");
    assert_eq!(
        std::fs::read_dir(s.p("elsewhere")).unwrap().count(),
        0,
        "a command wrote through the link"
    );
    assert!(!s.p("repo").exists());
    assert_eq!(before, snapshot(&s.p("c")));
    std::fs::remove_file(s.p("c/trusted")).unwrap();

    // A working role file linked to a copy outside: read nor replaced.
    std::fs::rename(s.p("c/targets.json"), s.p("targets-copy.json")).unwrap();
    std::os::unix::fs::symlink(s.p("targets-copy.json"), s.p("c/targets.json")).unwrap();
    let copy = s.read("targets-copy.json");
    let text = s.c_fails("expires targets 100d", 4);
    has(&text, "c/targets.json is a symbolic link");
    assert!(std::fs::symlink_metadata(s.p("c/targets.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(copy, s.read("targets-copy.json"));
    std::fs::remove_file(s.p("c/targets.json")).unwrap();
    std::fs::rename(s.p("targets-copy.json"), s.p("c/targets.json")).unwrap();

    s.c("export --out repo");
    assert!(s.p("c/trusted/root.json").is_file());
    assert_eq!(std::fs::read_dir(s.p("elsewhere")).unwrap().count(), 0);
}

/// `claimed import-recently-claimed` hands the online side recently-claimed one version on.
/// From version 2^63-1 that would be 2^63, which no TUF client nor tuf-ceremony reads: the
/// move is refused, and nothing is written or changed.
#[test]
fn a_recently_claimed_at_the_largest_version_is_not_moved_to_an_unreadable_next_one() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    s.init_online(
        &["alice"],
        1,
        1,
        &w("--claimed-key alice=alice.pub.json --claimed-threshold 1 --claimed-path */*"),
    );
    s.c("delegate recently-claimed --online-key online/recently-claimed.pub.json --threshold 1 --path */*");
    s.py("judge.py make-recently-claimed online online-repo beta:d1:1");
    let v1 = s.read("online-repo/recently-claimed.json");
    assert_eq!(v1.matches("\"version\": 1").count(), 1, "{v1}");
    s.write(
        "rc-max.json",
        &v1.replacen("\"version\": 1", "\"version\": 9223372036854775807", 1),
    );
    std::fs::create_dir(s.p("max-repo")).unwrap();
    s.py("judge.py sign-online online recently-claimed rc-max.json max-repo");
    let before = snapshot(&s.p("c"));
    let text = s.c_fails(
        "claimed import-recently-claimed max-repo/recently-claimed.json --out for-online",
        4,
    );
    has(&text, "for-online/recently-claimed.json");
    has(&text, "v9223372036854775807");
    has(&text, "nothing was changed or written");
    assert!(!s.p("for-online").exists(), "a refused move wrote files");
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refused move changed the ceremony"
    );
    // The same projects from a version that has a next one move as usual.
    let out =
        s.c("claimed import-recently-claimed online-repo/recently-claimed.json --out for-online");
    has(&out, "moved 1 project(s)");
}

/// Outputs never go into the ceremony folder: an export, a report, a signature file or a
/// key file given a path inside it (at its top, in `trusted/`, or in a new sub-folder) is
/// refused, naming the folder, and the folder is byte for byte as it was. The same
/// outputs beside the folder are written.
#[test]
fn an_output_inside_the_ceremony_folder_is_refused_and_nothing_written() {
    let s = Scene::new();
    ready_to_export(&s);
    let before = snapshot(&s.p("c"));
    let cases: [&[&str]; 6] = [
        &w("-C c export --out c/repo"),
        &w("-C c export --out c/trusted/repo"),
        &w("-C c report --out c/report.html"),
        &w("key generate --out c/trusted/9.root.key --keyholder x"),
        &w("key generate --out c/new/x.key --keyholder x"),
        &w("-C c sign root --signer file:alice.key --detached c/alice.sig.json --yes"),
    ];
    for args in cases {
        let text = failed(&s.run(args), 4, &format!("{args:?}"));
        assert!(
            text.contains("inside the ceremony folder") && text.contains("Nothing was written"),
            "{args:?}: {text}"
        );
        assert_eq!(snapshot(&s.p("c")), before, "{args:?} changed the folder");
    }
    ok(&s.c_run("export --out repo"), "export beside");
    ok(&s.c_run("report --out report.html"), "report");
}
