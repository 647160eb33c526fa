//! Keyholders across every role: `keyholder retire`, where `key show` finds a key trusted,
//! who left root but still signs elsewhere, one person one key per role, names that look
//! alike, online keys named by role, and `sign` of a key no keyholder is recorded for.

use crate::scene::{has, lacks};
use crate::util::{snapshot, Scene};

/// Ceremony `c`: alice, bob, carol and dave hold root (2 of 4) and targets (1 of 4);
/// claimed is delegated to alice and dave (`claimed_threshold` of 2).
fn four_holders(claimed_threshold: &str) -> Scene {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "dave", "snapshot", "timestamp"]);
    s.c(&format!("init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json --keyholder carol=carol.pub.json --keyholder dave=dave.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json --claimed-key alice=alice.pub.json --claimed-key dave=dave.pub.json --claimed-threshold {claimed_threshold}"));
    s
}

/// [`four_holders`] with root and targets signed by alice and bob, claimed by alice, and
/// exported to `repo`.
fn four_holders_exported() -> Scene {
    let s = four_holders("1");
    s.sign_by("root", &["alice", "bob"]);
    s.sign_by("targets", &["alice", "bob"]);
    s.sign("claimed", "alice");
    s.c("export --out repo");
    s
}

/// A name as messages show it: anything outside printable ASCII as `\u{…}`.
fn escaped(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            ' '..='~' => c.to_string(),
            _ => format!("\\u{{{:x}}}", u32::from(c)),
        })
        .collect()
}

/// The transcript's lines, as text.
fn transcript(s: &Scene) -> Vec<String> {
    s.read("c/transcript.jsonl")
        .lines()
        .map(str::to_string)
        .collect()
}

/// `keyholder retire dave` removes dave's key from root's root and targets roles and from
/// targets' delegation to claimed, in one recorded edit naming each role and the threshold
/// it has now; nothing lists the key afterwards.
#[test]
fn retire_removes_a_keyholder_from_every_role_in_one_edit() {
    let s = four_holders("1");
    let dave = s.keyid("dave.pub.json");
    let before = transcript(&s);
    let out = s.c("keyholder retire dave");
    for line in [
        "retiring dave from every role that lists them: root, targets, claimed",
        "root: dave removed from the root role; root is now 2 of 3",
        "root: dave removed from the targets role; targets is now 1 of 3",
        "targets: dave removed from the delegation to claimed; claimed is now 1 of 1",
    ] {
        assert!(out.contains(&format!("{line}\n")), "{line}:\n{out}");
    }
    for file in ["c/root.json", "c/targets.json"] {
        assert!(
            !s.read(file).contains(&dave),
            "{file} still lists dave's key"
        );
    }
    let after = transcript(&s);
    let new: Vec<&String> = after[before.len()..]
        .iter()
        .filter(|l| !l.contains("\"event\":\"files\""))
        .collect();
    assert_eq!(new.len(), 1, "one recorded edit: {new:#?}");
    for member in [
        "\"event\":\"edit\"",
        "\"action\":\"retire-keyholder\"",
        "\"keyholder\":\"dave\"",
        "{\"file\":\"root\",\"keys\":3,\"role\":\"targets\",\"threshold\":1}",
        "{\"file\":\"targets\",\"keys\":1,\"role\":\"claimed\",\"threshold\":1}",
    ] {
        assert!(new[0].contains(member), "{member} in {}", new[0]);
    }
    // Everything still reads, and dave is nowhere: a second retire has nothing to do.
    s.c("status");
    s.c("transcript verify");
    let e = s.c_fails("keyholder retire dave", 4);
    has(&e, "dave is listed by no role");
}

/// A retirement that would leave a role below its threshold is refused, naming the role and
/// what to do, and changes nothing; `--key` takes a keyid prefix.
#[test]
fn retire_below_a_threshold_is_refused_naming_the_role() {
    let s = four_holders("2");
    let held = snapshot(&s.p("c"));
    let dave = s.keyid("dave.pub.json");
    let e = s.fails(&["-C", "c", "keyholder", "retire", "--key", &dave[..10]], 4);
    assert!(
        e.contains("retiring dave (key "),
        "the key is named for its holder: {e}"
    );
    has(&e, "claimed would have 1 key(s) left, below its threshold of 2 (delegate claimed again with new keys");
    has(&e, "Nothing was changed");
    assert_eq!(held, snapshot(&s.p("c")), "a refused retire changed c");
    let e = s.c_fails("keyholder retire mallory", 3);
    has(&e, "no keyholder named mallory is recorded in this ceremony; its keyholders are: alice, bob, carol, dave");
}

/// `key show` in a ceremony folder says who holds the key and which roles list it, in
/// the working and the trusted metadata.
#[test]
fn key_show_says_where_the_ceremony_trusts_a_key() {
    let s = four_holders_exported();
    s.c("root remove-key targets dave");
    let out = s.c("key show dave.pub.json");
    for line in [
        "in the ceremony c:",
        "  keyholder   dave",
        "  working     root v2 lists it for root; targets v1 lists it for claimed",
        "  trusted     root v1 lists it for root, targets; targets v1 lists it for claimed",
    ] {
        assert!(out.contains(&format!("{line}\n")), "{line}:\n{out}");
    }
    // Outside a ceremony folder only the key is shown.
    let out = s.cmd("key show dave.pub.json");
    lacks(&out, "in the ceremony");
}

/// A keyholder removed from root who still signs other roles is named at the edit and in
/// `status`, with the command that removes them everywhere.
#[test]
fn a_keyholder_removed_from_root_who_still_signs_elsewhere_is_named() {
    let s = four_holders_exported();
    let out = s.c_run("root remove-key root dave");
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    has(&said, "warning: dave is no longer a root keyholder but still signs targets, claimed. To remove them from every role: `tuf-ceremony keyholder retire dave`");
    let status = s.c("status");
    has(&status, "note: dave is no longer a root keyholder but still signs targets, claimed (`tuf-ceremony keyholder retire dave` removes them from every role)");
    s.c("keyholder retire dave");
    let status = s.c("status");
    lacks(&status, "no longer a root keyholder");
}

/// One keyholder with two keys in one role is refused: a threshold is met by distinct
/// people. `init` names the flag; `root add-key` names the role.
#[test]
fn one_keyholder_with_two_keys_in_a_role_is_refused() {
    let s = Scene::new();
    s.keygen(&["alice", "alice2", "bob", "snapshot", "timestamp"]);
    let e = s.c_fails("init --keyholder alice=alice.pub.json --keyholder alice=alice2.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json",
        4,
    );
    has(&e, "error: --keyholder names alice twice (alice.pub.json and alice2.pub.json): a threshold must be met by distinct people");
    assert!(!s.p("c/root.json").exists());
    s.init(&["alice", "bob"], 2);
    s.c_refuses(
        "root add-key root alice2.pub.json --keyholder alice",
        4,
        "root: alice would hold two keys of the root role",
    );
}

/// Where one keyholder has several keys (here one for root, another for targets), `status`
/// says which of their keys signed and which is missing.
#[test]
fn a_keyholder_with_several_keys_is_shown_with_the_key() {
    let s = Scene::new();
    s.keygen(&["alice", "alice-t", "bob", "snapshot", "timestamp"]);
    s.c("init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json --root-threshold 2 --targets-key alice=alice-t.pub.json --targets-key bob=bob.pub.json --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json");
    let root_key = s.keyid("alice.pub.json");
    let targets_key = s.keyid("alice-t.pub.json");
    s.sign("root", "alice");
    let status = s.c("status");
    has(
        &status,
        &format!("signed:  alice (key {}…)", &root_key[..8]),
    );
    has(
        &status,
        &format!("missing: alice (key {}…), bob", &targets_key[..8]),
    );
}

/// Two keyholders whose names look alike (Latin and Cyrillic, or only letter case) are
/// refused, naming both, the look-alike escaped so the difference shows.
#[test]
fn keyholder_names_that_look_alike_are_refused() {
    let s = Scene::new();
    s.keygen(&["alice", "mallory", "snapshot", "timestamp"]);
    for other in ["\u{430}lice", "Alice", "a1ice"] {
        let e = s.c_fails(&format!("init --keyholder alice=alice.pub.json --keyholder {other}=mallory.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json"),
            4,
        );
        let shown = escaped(other);
        assert!(
            e.contains(&format!(
                "error: keyholder names \"{shown}\" and \"alice\" look alike"
            )),
            "{other}: {e}"
        );
        assert!(!s.p("c/root.json").exists());
    }
}

/// The online keys are named by the role they sign, not all one "repository-online-key".
#[test]
fn online_keys_are_named_by_their_role() {
    let s = Scene::ceremony(&["alice"], 1);
    let state = s.read("c/ceremony.json");
    has(&state, "\"name\": \"snapshot online key\"");
    has(&state, "\"name\": \"timestamp online key\"");
    lacks(&state, "repository-online-key");
    let tree = s.c("status --tree");
    has(&tree, "snapshot online key");
    // A person may not take an online key's name.
    let e = s.fails(
        &[
            "-C",
            "c",
            "root",
            "add-key",
            "root",
            "timestamp.pub.json",
            "--keyholder",
            "timestamp online key",
        ],
        3,
    );
    has(&e, "names the repository's online keys");
}

/// Metadata loaded without naming its keyholders: `load` warns and says how to name them;
/// `sign --as mallory` with alice's key is refused (as `merge` refuses a signature file of
/// a key no keyholder is recorded for); once the holder is named as the warning says,
/// alice signs as alice.
#[test]
fn sign_as_someone_with_a_key_nobody_is_recorded_for_is_refused() {
    let s = Scene::ceremony(&["alice"], 1);
    std::fs::create_dir(s.p("in")).unwrap();
    for f in ["root.json", "targets.json"] {
        std::fs::copy(s.p(&format!("c/{f}")), s.p(&format!("in/{f}"))).unwrap();
    }
    let out = s.cmd_run("-C d load in/root.json in/targets.json");
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    let held = snapshot(&s.p("d"));
    let sign_as = |name: &str| {
        vec![
            "-C".to_string(),
            "d".into(),
            "sign".into(),
            "root".into(),
            "--signer".into(),
            "file:alice.key".into(),
            "--yes".into(),
            "--as".into(),
            name.into(),
        ]
    };
    let args = sign_as("mallory");
    let e = s.fails(&args.iter().map(String::as_str).collect::<Vec<_>>(), 4);
    assert!(
        e.contains("this ceremony records no keyholder for this key (keyid ")
            && e.contains("and --as mallory is only your word"),
        "{e}"
    );
    lacks(&e, "mallory signed");
    assert_eq!(held, snapshot(&s.p("d")), "a refused sign changed d");
    has(
        &said,
        "warning: no keyholder is named for 1 key(s) that sign root, targets (",
    );
    has(
        &said,
        "`tuf-ceremony -C d load d/root.json --keyholder NAME=PUBFILE …`",
    );
    s.cmd("-C d load d/root.json --keyholder alice=alice.pub.json");
    let args = sign_as("alice");
    let out = s.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    has(&out, "alice signed root v1");
}
