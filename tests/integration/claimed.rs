//! PEP 480 claimed delegations: project edits, key revocation, and the periodic
//! move from the online recently-claimed role, judged by a python-tuf Updater.

use crate::scene::{has, has_each, lacks, w};
use crate::util::{failed, snapshot, Scene};

fn claimed_json(s: &Scene) -> String {
    s.read("c/claimed.json")
}

/// A ceremony (in `c`) whose root, targets and claimed alice holds alone, claimed
/// delegating `*/*`.
fn alice_claims() -> Scene {
    let s = Scene::new();
    s.keygen(&["alice"]);
    s.init_online(
        &["alice"],
        1,
        1,
        &w("--claimed-key alice=alice.pub.json --claimed-threshold 1 --claimed-path */*"),
    );
    s
}

#[test]
fn projects_move_from_recently_claimed_and_a_client_finds_them_through_claimed() {
    let s = alice_claims();
    let said = s.c("delegate recently-claimed --online-key online/recently-claimed.pub.json --threshold 1 --path */*");
    has(&said, "signed online by the repository");
    assert!(!s.p("c/recently-claimed.json").exists());

    // The online side: recently-claimed v1 with beta (one developer) and gamma (two, 2-of-2).
    s.py("judge.py make-recently-claimed online online-repo beta:d1:1 gamma:d1+d2:2");
    // A project claimed directly, with a developer key made by python-tuf.
    s.py("judge.py ecdsa-pubs dev alpha-dev");
    s.c("claimed add-project alpha --key dev/alpha-dev.pub.json");
    assert!(claimed_json(&s).contains("\"alpha/*\""));

    // Refusals change nothing: a name equal under PEP 503, a path-like name, an unreachable
    // threshold, removing a project that is not there.
    s.c_refuses_each(&[
        "claimed add-project ALPHA --key dev/alpha-dev.pub.json => 4: already delegates project \"alpha\"",
        "claimed add-project ../root --key dev/alpha-dev.pub.json => 3: ../root",
        "claimed add-project delta --key dev/alpha-dev.pub.json --threshold 2 => 4: cannot be met by 1 key",
        "claimed remove-project nope => 3: does not delegate nope",
    ]);

    // A tampered recently-claimed is refused: its signature no longer verifies.
    let good = s.read("online-repo/recently-claimed.json");
    let tampered = good.replacen("beta/*", "beta/**", 1);
    assert_ne!(good, tampered);
    s.write("tampered-rc.json", &tampered);
    s.c_refuses(
        "claimed import-recently-claimed tampered-rc.json --out x",
        4,
        "not signed by a threshold",
    );
    // An --out folder that cannot be made (its parent is a file) fails before anything is
    // changed, so the move can simply be run again with a good folder.
    s.write("a-file", "not a folder");
    s.c_refuses(
        "claimed import-recently-claimed online-repo/recently-claimed.json --out a-file/for-online",
        6,
        "a-file/for-online",
    );

    let out =
        s.c("claimed import-recently-claimed online-repo/recently-claimed.json --out for-online");
    has(&out, "moved 2 project(s)");
    assert_eq!(s.read("for-online/moved-projects.txt"), "beta\ngamma\n");
    let next_rc = s.read("for-online/recently-claimed.json");
    has(&next_rc, "\"version\": 2");
    lacks(&next_rc, "beta");
    let claimed = claimed_json(&s);
    let order: Vec<usize> = ["\"alpha\"", "\"beta\"", "\"gamma\""]
        .iter()
        .map(|n| claimed.find(n).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "role order is alpha, beta, gamma"
    );
    let summary = s.c("status --changes");
    has(&summary, "changes in claimed v");
    has(&summary, "delegates beta: 1 of");
    // Moving the same projects twice is refused (the same version again: a rollback).
    let e = s.c_fails(
        "claimed import-recently-claimed online-repo/recently-claimed.json --out again",
        4,
    );
    has(&e, "v1 was already moved into claimed");

    revoke_d2_and_remove_alpha(&s);

    for role in ["root", "targets", "claimed"] {
        s.sign(role, "alice");
    }
    s.c("export --out repo");
    // The online side signs its new recently-claimed; beta's own metadata is published.
    s.py("judge.py sign-online online recently-claimed for-online/recently-claimed.json repo");
    for f in ["1.beta.json", "beta.json"] {
        std::fs::copy(s.p(&format!("online-repo/{f}")), s.p(&format!("repo/{f}"))).unwrap();
    }
    let judged = s.py("judge.py verify repo");
    has(&judged, "claimed v");
    s.py("judge.py publish repo online");
    let found = s.py("judge.py lookup repo . beta/beta-1.0.tar.gz claimed beta");
    has(&found, "through targets -> claimed -> beta");
}

/// Revoking d2 leaves gamma (2-of-2) below its threshold, and says so; removing alpha prunes
/// its developer key; the transcript records each edit.
fn revoke_d2_and_remove_alpha(s: &Scene) {
    let keyid = s.keyid("online/d2.pub.json");
    let out = s.ok(&["-C", "c", "--json", "claimed", "revoke-key", &keyid[..12]]);
    has(&out, "\"below_threshold\":[\"gamma\"]");
    assert!(
        !claimed_json(s).contains(&keyid),
        "the revoked key is gone from claimed"
    );
    // Removing alpha prunes its developer key.
    let alpha_id = s.keyid("dev/alpha-dev.pub.json");
    assert!(claimed_json(s).contains(&alpha_id));
    s.c("claimed remove-project alpha");
    assert!(
        !claimed_json(s).contains(&alpha_id),
        "alpha's key was not pruned"
    );

    // The transcript records each edit.
    let t = s.read("c/transcript.jsonl");
    has_each(
        &t,
        &[
            "claimed-add-project",
            "claimed-import-recently-claimed",
            "claimed-revoke-key",
            "claimed-remove-project",
        ],
    );
}

#[test]
fn project_names_normalise_as_pep_503_says() {
    use tuf_ceremony::ceremony::claimed::normalize;
    assert_eq!(normalize("Foo_Bar"), "foo-bar");
    assert_eq!(normalize("foo.-_bar"), "foo-bar");
    assert_eq!(normalize("Requests"), "requests");
    assert_ne!(normalize("foobar"), normalize("foo-bar"));
    // Outside a ceremony the command says where it looked.
    let s = Scene::new();
    let out = s.cmd_run("-C nowhere claimed remove-project x");
    let e = failed(&out, 3, "claimed in a folder with no ceremony");
    assert!(e.contains("nowhere") || e.contains("ceremony"), "{e}");
}

/// `status` checks a targets role's delegated keys on a second thread while the delegations
/// that follow them are still being parsed (only when they come first, in canonical order).
/// Both ways must find the same: a key that is no curve point (a warning) and a keyid that
/// matches neither convention (a warning), among more keys than one thread checks alone.
#[test]
fn status_finds_bad_delegated_keys_whichever_order_the_file_is_in() {
    use tuf_ceremony::json::{self, Value};
    let s = alice_claims();
    let mut doc = json::parse(claimed_json(&s).as_bytes()).unwrap();
    let Some(Value::Object(signed)) = (match &mut doc {
        Value::Object(o) => o.get_mut("signed"),
        _ => None,
    }) else {
        panic!("claimed.json has no signed")
    };
    let key = |public: String| {
        Value::object(vec![
            ("keytype", Value::str("ed25519")),
            ("scheme", Value::str("ed25519")),
            (
                "keyval",
                Value::object(vec![("public", Value::str(public))]),
            ),
        ])
    };
    let keyid = |k: &Value| hex::encode(sha2::Sha256::digest(json::canonical(k)));
    use sha2::Digest;
    let mut keys = Vec::new();
    for i in 0..300u32 {
        let sk =
            ed25519_dalek::SigningKey::from_bytes(&sha2::Sha256::digest(i.to_be_bytes()).into());
        let k = key(hex::encode(sk.verifying_key().as_bytes()));
        keys.push((keyid(&k), k));
    }
    // The first 32 bytes that are not an ed25519 point.
    let not_a_point = (0u8..=255)
        .map(|b| [b; 32])
        .find(|b| ed25519_dalek::VerifyingKey::from_bytes(b).is_err())
        .unwrap();
    let bad_point = key(hex::encode(not_a_point));
    let bad_point_id = keyid(&bad_point);
    keys.push((bad_point_id.clone(), bad_point));
    let wrong_id = "ab".repeat(32);
    let (_, some_key) = keys[0].clone();
    keys.push((wrong_id.clone(), some_key));
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    signed.insert(
        "delegations",
        Value::object(vec![
            (
                "keys",
                Value::object(
                    keys.iter()
                        .map(|(id, k)| (id.as_str(), k.clone()))
                        .collect(),
                ),
            ),
            ("roles", Value::Array(Vec::new())),
        ]),
    );
    let canonical_order = String::from_utf8(json::pretty(&doc)).unwrap();
    // The same document with `_type` moved to the end of `signed` (read as a tree).
    let type_line = "\"_type\": \"targets\",";
    has(&canonical_order, type_line);
    let mut type_last = canonical_order.replacen(type_line, "", 1);
    let cut = type_last.find("\"version\"").unwrap();
    let end = cut + type_last[cut..].find('\n').unwrap();
    type_last.insert_str(end, ", \"_type\": \"targets\"");

    let mut said = Vec::new();
    for text in [&canonical_order, &type_last] {
        // Brought in as a changed file is: loaded, which records it.
        s.reload_with(&[("claimed.json", text)], &["alice=alice.pub.json"]);
        let out = s.c_run("status");
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        has(&text, &format!("key {}", &bad_point_id[..8]));
        has(&text, "not a valid ed25519 point");
        has(&text, &wrong_id);
        // Whole days left depend on the second each run started: not part of the finding.
        let days = days_blanked(&text);
        said.push(days);
    }
    assert_eq!(said[0], said[1]);
}

/// `text` with every "N days" written as "_ days".
fn days_blanked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" days") {
        let head = &rest[..i];
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&head[..head.len() - digits]);
        out.push_str(if digits > 0 { "_ days" } else { " days" });
        rest = &rest[i + 5..];
    }
    out.push_str(rest);
    out
}

/// The line number (1-based) of the last transcript line that contains `text`.
fn line_of(s: &Scene, text: &str) -> usize {
    let t = s.read("c/transcript.jsonl");
    t.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(text))
        .last()
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("no {text} in the transcript:\n{t}"))
}

/// `alice_claims` with recently-claimed delegated to the online key.
fn alice_claims_with_recently_claimed() -> Scene {
    let s = alice_claims();
    s.c("delegate recently-claimed --online-key online/recently-claimed.pub.json --threshold 1 --path */*");
    s
}

/// A developer key `claimed revoke-key` took out is never brought back without a word:
/// neither by `claimed add-project` nor by a recently-claimed that still lists it. The
/// refusal names the key, the project and the transcript line of the revocation, and
/// changes nothing.
#[test]
fn a_revoked_developer_key_is_not_brought_back() {
    let s = alice_claims_with_recently_claimed();
    // The online side's recently-claimed: beta (d1) and gamma (d2).
    s.py("judge.py make-recently-claimed online online-repo beta:d1:1 gamma:d2:1");
    // d2 is claimed for alpha directly, then revoked (stolen, say).
    s.c("claimed add-project alpha --key online/d2.pub.json");
    s.c("claimed revoke-key online/d2.pub.json");
    let revoked_at = line_of(&s, "claimed-revoke-key");
    let keyid = s.keyid("online/d2.pub.json");
    let line = format!("transcript.jsonl line {revoked_at}");

    let before = snapshot(&s.p("c"));
    let e = s.c_fails("claimed add-project delta --key online/d2.pub.json", 4);
    has(&e, "project delta's developer key");
    has(&e, &keyid[..8]);
    has(&e, "was revoked from claimed");
    has(&e, &line);
    let e = s.c_fails(
        "claimed import-recently-claimed online-repo/recently-claimed.json --out for-online",
        4,
    );
    has(&e, "project gamma's developer key");
    has(&e, &keyid[..8]);
    has(&e, &line);
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refusal changed the ceremony"
    );
    assert!(!s.p("for-online").exists());
    // The revocation records the key itself, not only the keyid it was listed under.
    let revoke_line = s
        .read("c/transcript.jsonl")
        .lines()
        .nth(revoked_at - 1)
        .unwrap()
        .to_string();
    has(&revoke_line, "\"revoked_keys\":[\"");

    // A flag that readmits nothing is a mistake, refused; the key named is brought back on
    // purpose, said on screen and recorded in the transcript with the line it was revoked at.
    s.keygen(&["other"]);
    let e = s.c_fails(
        "claimed add-project epsilon --key other.pub.json --readmit-revoked-key deadbeef00",
        3,
    );
    has(&e, "--readmit-revoked-key deadbeef00");
    assert_eq!(before, snapshot(&s.p("c")));
    let out = s.run(&[
        "-C",
        "c",
        "claimed",
        "add-project",
        "delta",
        "--key",
        "online/d2.pub.json",
        "--readmit-revoked-key",
        &keyid[..12],
    ]);
    let said = crate::util::ok(&out, "add-project --readmit-revoked-key")
        + &String::from_utf8_lossy(&out.stderr);
    has(&said, &format!("revoked at {line} is trusted again"));
    let readmitted = s
        .read("c/transcript.jsonl")
        .lines()
        .nth(line_of(&s, "claimed-add-project") - 1)
        .unwrap()
        .to_string();
    has(
        &readmitted,
        &format!("\"readmitted\":{{\"keyids\":[\"{keyid}\"]"),
    );
    has(&readmitted, &format!("\"revoked_at_lines\":[{revoked_at}]"));
    // Trusted again: the move brings it in without a word.
    s.c("claimed import-recently-claimed online-repo/recently-claimed.json --out for-online");
}

/// Moving from a recently-claimed no newer than the last one moved from is a rollback
/// (TUF spec 5.6.5): refused, naming both versions. The transcript's event records the
/// role and version moved from.
#[test]
fn an_older_or_equal_recently_claimed_is_refused_as_a_rollback() {
    let s = alice_claims_with_recently_claimed();
    s.py("judge.py make-recently-claimed online rc-a beta:d1:1");
    // Another v1, with another project: what an attacker replaying a stale file, or an
    // online side that lost its state, would bring.
    s.py("judge.py make-recently-claimed online rc-b gamma:d2:1");
    s.c("claimed import-recently-claimed rc-a/recently-claimed.json --out out-a");
    let moved_at = line_of(&s, "claimed-import-recently-claimed");
    let transcript = s.read("c/transcript.jsonl");
    let moved = transcript.lines().nth(moved_at - 1).unwrap();
    has(moved, "\"from_role\":\"recently-claimed\"");
    has(moved, "\"from_version\":1");
    let before = snapshot(&s.p("c"));
    let e = s.c_fails(
        "claimed import-recently-claimed rc-b/recently-claimed.json --out out-b",
        4,
    );
    has(
        &e,
        "is recently-claimed v1, but v1 was already moved into claimed",
    );
    has(&e, &format!("transcript.jsonl line {moved_at}"));
    has(&e, "rollback");
    assert_eq!(before, snapshot(&s.p("c")));
    assert!(!claimed_json(&s).contains("gamma"));
}

/// `delegate claimed` again without `--path` keeps claimed's paths (`*/*`; `*` would match
/// no project file, python-tuf matching `*` within one segment); with `--path` the screen
/// and `changes` say the paths changed, from what to what.
#[test]
fn delegating_again_without_path_keeps_the_paths() {
    let s = alice_claims();
    for role in ["root", "targets", "claimed"] {
        s.sign(role, "alice");
    }
    s.c("export --out repo");
    let targets = || s.read("c/targets.json");
    assert!(targets().contains("\"*/*\""));
    let out = s.c("delegate claimed --key alice=alice.pub.json --threshold 1");
    assert!(targets().contains("\"*/*\""), "{}", targets());
    has(&out, "paths */* kept");
    let out = s.c("delegate claimed --key alice=alice.pub.json --threshold 1 --path pkg/*");
    has(&out, "paths changed from */* to pkg/*");
    let changes = s.c("changes targets");
    has(
        &changes,
        "delegation claimed: paths changed from */* to pkg/*",
    );
}

/// `delegate --help`'s example delegates claimed as the README says: not terminating, so
/// a project claimed does not know is looked up in recently-claimed.
#[test]
fn delegate_help_does_not_make_claimed_terminating() {
    let s = Scene::new();
    let help = s.cmd("delegate --help");
    let example = help
        .lines()
        .find(|l| l.contains("tuf-ceremony delegate claimed"))
        .unwrap_or_else(|| panic!("{help}"));
    lacks(example, "--terminating");
    has(example, "--path '*/*'");
}
