//! The printable ceremony report, rendered by headless Chromium.

use crate::util::{ok, Scene};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

fn ceremony_with_projects(s: &Scene) {
    s.keygen(&["alice", "bob"]);
    s.init_online(
        &["alice", "bob"],
        2,
        1,
        &[
            "--claimed-key",
            "bob=bob.pub.json",
            "--claimed-threshold",
            "1",
            "--claimed-path",
            "*/*",
        ],
    );
    s.ok(&[
        "-C",
        "c",
        "delegate",
        "recently-claimed",
        "--online-key",
        "online/recently-claimed.pub.json",
        "--threshold",
        "1",
        "--path",
        "*/*",
    ]);
    let names: Vec<String> = (1..=9).map(|i| format!("project-{i}")).collect();
    let mut args = vec!["ecdsa-pubs", "dev"];
    args.extend(names.iter().map(String::as_str));
    s.python("judge.py", &args);
    for n in &names {
        s.ok(&[
            "-C",
            "c",
            "claimed",
            "add-project",
            n,
            "--key",
            &format!("dev/{n}.pub.json"),
        ]);
    }
    s.sign("root", "alice");
    s.ok(&[
        "-C",
        "c",
        "sign",
        "root",
        "--signer",
        "file:bob.key",
        "--yes",
        "--detached",
        "bob.sig.json",
    ]);
    s.ok(&["-C", "c", "merge", "bob.sig.json"]);
    s.sign("targets", "alice");
    s.sign("claimed", "bob");
    s.ok(&["-C", "c", "export", "--out", "repo"]);
}

#[test]
fn the_report_shows_signers_and_the_delegation_picture_in_a_browser() {
    let s = Scene::new();
    ceremony_with_projects(&s);
    let tree = s.ok(&["-C", "c", "status", "--tree"]);
    let file_tree = s.ok(&["inspect", "repo/claimed.json", "--tree"]);
    assert!(
        file_tree.starts_with("targets v1  (1 signature(s))"),
        "{file_tree}"
    );
    assert!(file_tree.contains("├─ project-1  (1 of 1: "), "{file_tree}");
    assert!(
        file_tree.contains("└─ … 3 more  (9 delegations in all)"),
        "{file_tree}"
    );
    assert!(
        tree.contains("└─ claimed v1  (1 of 1: bob)")
            || tree.contains("├─ claimed v1  (1 of 1: bob)"),
        "{tree}"
    );
    assert!(tree.contains("… 3 more projects"), "{tree}");

    s.ok(&["-C", "c", "report", "--out", "report.md"]);
    let md = s.read("report.md");
    for want in [
        "| root | 1 | alice |",
        "| root | 1 | bob |",
        "signed elsewhere, merged",
        "| claimed | 1 | bob |",
        "project-1",
        "Witness: name",
    ] {
        assert!(md.contains(want), "report.md lacks {want:?}:\n{md}");
    }
    s.ok(&["-C", "c", "report", "--out", "report.html"]);
    let html = s.read("report.html");
    assert!(
        !html.contains("http://") || html.matches("http://").count() == 1,
        "the page must fetch nothing"
    );
    let e = s.fails(&["-C", "c", "report", "--out", "report.html"], 4);
    assert!(e.contains("never overwritten"), "{e}");

    assert!(
        std::path::Path::new(CHROMIUM).exists(),
        "Chromium is missing: run scripts/test.sh (it installs Debian's chromium)"
    );
    let url = format!("file://{}", s.p("report.html").display());
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let profile = format!("--user-data-dir={}", s.p("chromium-profile").display());
    let dom = Command::new(CHROMIUM)
        .args(flags)
        .arg(&profile)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = ok(&dom, "chromium --dump-dom");
    for want in [
        "id=\"signers\"",
        "<svg",
        "claimed v1",
        "targets v1",
        "root v1",
        "… 3 more projects",
        "recently-claimed",
    ] {
        assert!(dom.contains(want), "the rendered page lacks {want:?}");
    }
    let png = s.p("report.png");
    let shot = Command::new(CHROMIUM)
        .args(flags)
        .arg(&profile)
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1200,2200")
        .arg("--hide-scrollbars")
        .arg(&url)
        .output()
        .unwrap();
    ok(&shot, "chromium --screenshot");
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        bytes.len() > 30_000,
        "the screenshot is nearly empty ({} bytes)",
        bytes.len()
    );
    if let Ok(keep) = std::env::var("TUF_CEREMONY_KEEP_REPORT") {
        std::fs::copy(&png, keep).unwrap();
    }
}

#[test]
fn man_pages_and_completions_come_from_the_command_definitions() {
    let s = Scene::new();
    let out = s.ok(&["manpages", "--out", "man"]);
    assert!(out.contains("man pages into"), "{out}");
    for page in [
        "tuf-ceremony.1",
        "tuf-ceremony-sign.1",
        "tuf-ceremony-claimed-import-recently-claimed.1",
    ] {
        let text = s.read(&format!("man/{page}"));
        assert!(text.contains(".TH"), "{page} is not a man page");
    }
    assert!(
        s.read("man/tuf-ceremony-sign.1").contains("Example"),
        "the example is missing from the page"
    );
    for shell in ["bash", "zsh", "fish"] {
        let script = s.ok(&["completions", shell]);
        assert!(
            script.contains("import-recently-claimed"),
            "{shell} completions lack subcommands"
        );
    }
}

/// The expiry planner: status lists roles expiring within a window, soonest first, and
/// `expires ROLE` without a date suggests one from the policy and changes nothing.
#[test]
fn the_expiry_planner_lists_roles_soonest_first_and_suggests_dates() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    s.python("judge.py", &["online-keys", "."]);
    let out = s.init_alone(&[
        "--claimed-key",
        "alice=alice.pub.json",
        "--claimed-threshold",
        "1",
        "--targets-expires",
        "40d",
        "--claimed-expires",
        "20d",
    ]);
    ok(&out, "init");
    let status = s.run(&["-C", "c", "status", "--within", "90d"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
    let claimed = text.find("claimed v1 expires").expect(&text);
    let targets = text.find("targets v1 expires").expect(&text);
    assert!(claimed < targets, "not soonest first:\n{text}");
    assert!(
        !text.contains("root v1 expires 20"),
        "root (a year away) is not within 90 days:\n{text}"
    );
    let quiet = s.ok(&["-C", "c", "status", "--within", "10d"]);
    assert!(quiet.contains("nothing expires within 10 days"), "{quiet}");
    let before = crate::util::snapshot(&s.p("c"));
    let suggested = s.ok(&["-C", "c", "expires", "claimed"]);
    assert!(
        suggested.contains("The policy signs claimed for 182 days"),
        "{suggested}"
    );
    assert_eq!(
        before,
        crate::util::snapshot(&s.p("c")),
        "a suggestion changed the ceremony"
    );
}
