//! The printable ceremony report, rendered by headless Chromium.

use crate::scene::{has, has_each, lacks, w};
use crate::util::{ok, Scene};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

fn ceremony_with_projects(s: &Scene) {
    s.keygen(&["alice", "bob"]);
    s.init_online(
        &["alice", "bob"],
        2,
        1,
        &w("--claimed-key bob=bob.pub.json --claimed-threshold 1 --claimed-path */*"),
    );
    s.c("delegate recently-claimed --online-key online/recently-claimed.pub.json --threshold 1 --path */*");
    let names: Vec<String> = (1..=9).map(|i| format!("project-{i}")).collect();
    let mut args = w("ecdsa-pubs dev");
    args.extend(names.iter().map(String::as_str));
    s.python("judge.py", &args);
    for n in &names {
        s.c(&format!("claimed add-project {n} --key dev/{n}.pub.json"));
    }
    s.sign("root", "alice");
    s.c("sign root --signer file:bob.key --yes --detached bob.sig.json");
    s.c("merge bob.sig.json");
    s.sign("targets", "alice");
    s.sign("claimed", "bob");
    s.c("export --out repo");
}

#[test]
fn the_report_shows_signers_and_the_delegation_picture_in_a_browser() {
    let s = Scene::new();
    ceremony_with_projects(&s);
    let tree = s.c("status --tree");
    let file_tree = s.cmd("inspect repo/claimed.json --tree");
    assert!(
        file_tree.starts_with("targets v1  (1 signature(s))"),
        "{file_tree}"
    );
    has(&file_tree, "├─ project-1  (1 of 1: ");
    has(&file_tree, "└─ … 3 more  (9 delegations in all)");
    assert!(
        tree.contains("└─ claimed v1  (1 of 1: bob)")
            || tree.contains("├─ claimed v1  (1 of 1: bob)"),
        "{tree}"
    );
    has(&tree, "… 3 more projects");

    s.c("report --out report.md");
    let md = s.read("report.md");
    has_each(
        &md,
        &[
            "| root | 1 | alice |",
            "| root | 1 | bob |",
            "signed elsewhere, merged",
            "| claimed | 1 | bob |",
            "project-1",
            "Witness: name",
        ],
    );
    s.c("report --out report.html");
    let html = s.read("report.html");
    assert!(
        !html.contains("http://") || html.matches("http://").count() == 1,
        "the page must fetch nothing"
    );
    let e = s.c_fails("report --out report.html", 4);
    has(&e, "never overwritten");

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
    has_each(
        &dom,
        &[
            "id=\"signers\"",
            "<svg",
            "claimed v1",
            "targets v1",
            "root v1",
            "… 3 more projects",
            "recently-claimed",
        ],
    );
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
    let out = s.cmd("manpages --out man");
    has(&out, "man pages into");
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
        let script = s.cmd(&format!("completions {shell}"));
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
    s.py("judge.py online-keys .");
    let out = s.init_alone(&w("--claimed-key alice=alice.pub.json --claimed-threshold 1 --targets-expires 40d --claimed-expires 20d"));
    ok(&out, "init");
    let status = s.c_run("status --within 90d");
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
    let quiet = s.c("status --within 10d");
    has(&quiet, "nothing expires within 10 days");
    let before = crate::util::snapshot(&s.p("c"));
    let suggested = s.c("expires claimed");
    has(&suggested, "The policy signs claimed for 182 days");
    assert_eq!(
        before,
        crate::util::snapshot(&s.p("c")),
        "a suggestion changed the ceremony"
    );
}

/// The text of the Markdown report's section `title`, up to the next section.
fn section<'a>(md: &'a str, title: &str) -> &'a str {
    let heading = format!("\n## {title}\n");
    let start = md
        .find(&heading)
        .unwrap_or_else(|| panic!("no section {title:?} in:\n{md}"))
        + heading.len();
    let end = md[start..].find("\n## ").map_or(md.len(), |i| start + i);
    &md[start..end]
}

fn has_all(what: &str, text: &str, wanted: &[&str]) {
    for want in wanted {
        assert!(text.contains(want), "{what} lacks {want:?}:\n{text}");
    }
}

/// The first ceremony: root 2 of alice, bob, carol; targets; claimed (alice) with one
/// project whose developer key is `dev/mallory.pub.json`; signed and exported to `repo`.
fn first_ceremony(s: &Scene) {
    s.keygen(&["alice", "bob", "carol", "frank", "gina"]);
    s.init_online(
        &w("alice bob carol"),
        2,
        1,
        &w("--claimed-key alice=alice.pub.json --claimed-threshold 1 --claimed-path */*"),
    );
    s.py("judge.py ecdsa-pubs dev mallory");
    s.c("claimed add-project proj --key dev/mallory.pub.json");
    s.sign("root", "alice");
    s.sign("root", "bob");
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    s.c("export --out repo");
}

/// The next ceremony in the same folder (runbooks 3 and 4): carol's root key removed,
/// frank's and gina's added, the developer key revoked from claimed; signed, not exported.
fn revocation_ceremony(s: &Scene) {
    s.c("root remove-key root carol");
    s.add_root_key("frank");
    s.add_root_key("gina");
    let shown = s.cmd("key show dev/mallory.pub.json");
    let keyid = shown
        .lines()
        .find_map(|l| l.strip_prefix("keyid "))
        .expect(&shown);
    s.ok(&["-C", "c", "claimed", "revoke-key", &keyid[..12]]);
    s.sign_by("root", &["alice", "bob", "frank", "gina"]);
    s.sign("claimed", "alice");
}

/// What the revocation ceremony changed, as the report must show it before and after
/// export: against the versions the first ceremony exported, not against themselves.
const REVOCATION_CHANGES: &[&str] = &[
    "**root v1 → v2**",
    "- root: key REMOVED (revoked) for carol (key ",
    "- root: key added for frank (key ",
    "gina (key ",
    "**targets v1: not changed in this ceremony**",
    "**claimed v1 → v2**",
    "- delegation proj: key REMOVED (revoked) for an unnamed key ",
];

const REVOCATION_KEYS: &[&str] = &[
    "- proof of possession: 2 key(s) added in this ceremony, 0 unproven",
    "- frank (key ",
    "- gina (key ",
    ") in root: proven (signed in this ceremony)",
];

/// A report made after `export` (the order every runbook uses) is the record of the
/// ceremony that exported: its revocations and the keys it added (not "first version" and
/// "no key was added", which comparing the exported versions with themselves gave), every
/// exported file with its SHA-256, the transcript head, and a sign-off line for each
/// keyholder who signed and for two witnesses.
#[test]
fn a_report_made_after_export_shows_what_the_ceremony_revoked_added_and_exported() {
    let s = Scene::new();
    first_ceremony(&s);
    revocation_ceremony(&s);
    s.c("export --out repo2");
    s.c("transcript sign --signer file:alice.key --yes");
    let printed = s.c("report --out after.md");
    let md = s.read("after.md");
    assert!(
        md.starts_with("# TUF key ceremony report: c\n"),
        "the ceremony's name: {md}"
    );
    has_all(
        "the changes",
        section(&md, "What this ceremony changed"),
        REVOCATION_CHANGES,
    );
    lacks(&md, "first version");
    has_all(
        "the keys added",
        section(&md, "Keys added and proof of possession"),
        REVOCATION_KEYS,
    );

    // Every file exported, with the SHA-256 of the bytes written.
    let exported = section(&md, "Exported files");
    has(exported, "Exported to `repo2` at ");
    let mut files = 0;
    for entry in std::fs::read_dir(s.p("repo2")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let digest = hex::encode(sha2::Digest::finalize(sha2::Digest::chain_update(
            <sha2::Sha256 as sha2::Digest>::new(),
            std::fs::read(&path).unwrap(),
        )));
        has_all(
            "the exported files",
            exported,
            &[&format!("| {name} | `{digest}` |")],
        );
        files += 1;
    }
    assert_eq!(files, 6, "{exported}");

    // The head the command printed is the head on the paper, in hex and in words.
    let head: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("transcript head (line ") || l.starts_with("  in words: "))
        .map(str::trim_start)
        .collect();
    assert_eq!(head.len(), 2, "{printed}");
    let shown = section(&md, "Transcript head");
    for l in head {
        has_all("the transcript head", shown, &[&format!("- {l}\n")]);
    }

    let signoff = section(&md, "Sign-off");
    let line = "name ______________________  signature ______________________  date __________";
    has_all(
        "the sign-off",
        signoff,
        &[
            &format!("Ceremony administrator: {line}"),
            &format!("Keyholder alice (signed root v2, claimed v2, the transcript): {line}"),
            &format!("Keyholder bob (signed root v2): {line}"),
            &format!("Keyholder frank (signed root v2): {line}"),
            &format!("Keyholder gina (signed root v2): {line}"),
        ],
    );
    assert_eq!(
        signoff.matches(&format!("Witness: {line}")).count(),
        2,
        "{signoff}"
    );
    assert!(
        !signoff.contains("carol"),
        "carol signed nothing: {signoff}"
    );

    // The printed page says the same.
    s.c("report --out after.html");
    let html = s.read("after.html");
    let digest = |file: &str| {
        let line = exported
            .lines()
            .find(|l| l.starts_with(&format!("| {file} |")))
            .unwrap();
        line.split('`').nth(1).unwrap().to_string()
    };
    has_all(
        "the HTML report",
        &html,
        &[
            "<h1>TUF key ceremony report: c</h1>",
            "<h3>root v1 → v2</h3>",
            "<li>root: key REMOVED (revoked) for carol (key ",
            "<h3>claimed v1 → v2</h3>",
            "<li>delegation proj: key REMOVED (revoked) for an unnamed key ",
            "proof of possession: 2 key(s) added in this ceremony, 0 unproven",
            &format!(
                "<tr><td>2.root.json</td><td><code>{}</code></td></tr>",
                digest("2.root.json")
            ),
            "<ul id=\"transcript-head\"><li>transcript head (line ",
            "<p><b>Keyholder frank (signed root v2)</b><br>name<span class=\"line\"></span> signature",
        ],
    );
}

/// A report made before export (to check the record before anything is published) shows
/// the same changes, keys added and sign-off as the one made after, and says nothing was
/// exported yet.
#[test]
fn a_report_made_before_export_says_what_the_one_made_after_says() {
    let s = Scene::new();
    first_ceremony(&s);
    revocation_ceremony(&s);
    s.c("report --out before.md");
    let before = s.read("before.md");
    has_all(
        "the changes",
        section(&before, "What this ceremony changed"),
        REVOCATION_CHANGES,
    );
    has_all(
        "the keys added",
        section(&before, "Keys added and proof of possession"),
        REVOCATION_KEYS,
    );
    has_all(
        "the exported files",
        section(&before, "Exported files"),
        &["Not exported yet"],
    );
    has_all(
        "the sign-off",
        section(&before, "Sign-off"),
        &[
            "Keyholder alice (signed root v2, claimed v2): name",
            "Keyholder frank (signed root v2): name",
        ],
    );
    s.c("export --out repo2");
    s.c("report --out after.md");
    let after = s.read("after.md");
    for title in [
        "What this ceremony changed",
        "Keys added and proof of possession",
        "Sign-off",
    ] {
        assert_eq!(
            section(&before, title),
            section(&after, title),
            "{title} differs before and after export"
        );
    }
}

/// `export` keeps every role under its version in `trusted/`, and keeps a version recorded
/// by `load --trusted` before replacing it: a ceremony that began from published metadata
/// reports its changes against what it loaded, after export too.
#[test]
fn export_keeps_every_trusted_version_for_the_report() {
    let s = Scene::alice_alone_exported();
    for role in ["root", "targets"] {
        assert_eq!(
            s.read(&format!("c/trusted/1.{role}.json")),
            s.read(&format!("c/trusted/{role}.json")),
            "trusted/1.{role}.json"
        );
    }

    s.cmd("-C c2 load --trusted repo/1.root.json repo/targets.json");
    s.cmd("-C c2 load repo/1.root.json repo/targets.json --keyholder alice=alice.pub.json");
    assert!(!s.p("c2/trusted/1.targets.json").exists());
    s.cmd("-C c2 expires targets 20w");
    s.cmd("-C c2 sign targets --signer file:alice.key --yes");
    s.cmd("-C c2 export --out repo2");
    assert_eq!(
        s.read("c2/trusted/1.targets.json"),
        s.read("repo/targets.json")
    );
    assert_eq!(
        s.read("c2/trusted/2.targets.json"),
        s.read("repo2/targets.json")
    );
    s.cmd("-C c2 report --out r.md");
    let md = s.read("r.md");
    has_all(
        "the changes",
        section(&md, "What this ceremony changed"),
        &[
            "**root v1: not changed in this ceremony**",
            "**targets v1 → v2**",
            "- version 1 → 2",
            "- expiry ",
        ],
    );
    has_all(
        "the keys added",
        section(&md, "Keys added and proof of possession"),
        &["no key was added in this ceremony"],
    );
}
