//! python-tuf 7 as the judge of what we export (tests/python/judge.py).

use crate::scene::has;
use crate::util::Scene;

fn digest(s: &Scene, file: &str) -> String {
    s.cmd(&format!("inspect --digest {file}"))
        .trim()
        .to_string()
}

/// A real ngclient.Updater, bootstrapped with 1.root.json, refreshes through two root
/// rotations (each revoking a keyholder and adding one; one new key is ECDSA) to targets
/// and claimed, with snapshot/timestamp made by the test with the online keys it made.
#[test]
fn updater_refreshes_through_rotations_v1_v2_v3() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "erin"]);
    s.cmd("key generate --out dave.key --keyholder dave --scheme ecdsa-p256");
    s.py("judge.py online-keys online");
    s.c("init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json --keyholder carol=carol.pub.json --root-threshold 2 --targets-threshold 1 --online-key snapshot=online/snapshot.pub.json --online-key timestamp=online/timestamp.pub.json --claimed-key alice=alice.pub.json --claimed-threshold 1 --claimed-path pkg/*");
    s.sign_by("root", &["alice", "bob"]);
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    s.c("export --out repo");

    // v2: carol revoked, dave (ECDSA) added; old keys alice+bob and new keys sign.
    s.c("root remove-key root carol");
    s.add_root_key("dave");
    assert!(
        s.read("c/root.json").contains("\"version\": 2"),
        "one edit session bumps the version once"
    );
    s.sign_by("root", &["alice", "bob", "dave"]);
    s.c("export --out repo");

    // v3: alice revoked from root, erin added; carol also revoked from targets.
    s.c("root remove-key root alice");
    s.add_root_key("erin");
    s.c("root remove-key targets carol");
    // A revoked key's signature no longer counts anywhere: carol may sign neither v3 nor targets.
    let refused = s.c_fails("sign root --signer file:carol.key --yes", 4);
    has(&refused, "not one of the keys that may sign root v3");
    s.sign_by("root", &["bob", "dave", "erin"]);
    let status = s.c("status");
    has(&status, "root v3");
    has(
        &status,
        "trusted root v2's root keys (rotation): 2 signed, 2 needed - met",
    );
    s.c("export --out repo");
    s.c("verify --trusted-root repo/1.root.json");
    let refused = s.c_fails("sign targets --signer file:carol.key --yes", 4);
    has(&refused, "not one of the keys");

    let judged = s.py("judge.py verify repo");
    has(&judged, "root v2 -> v3: old and new thresholds met");
    has(&judged, "claimed v1: verified by targets v1");
    s.py("judge.py publish repo online");
    let refreshed = s.py("judge.py refresh repo client 3");
    has(&refreshed, "ngclient.Updater refreshed to root v3");
    has(&refreshed, "through claimed v1");
    s.c("transcript verify");
}

/// Metadata python-tuf made, loaded, signed and exported, keeps its signed bytes exactly,
/// and the Updater resolves a target through claimed.
#[test]
fn python_tuf_metadata_keeps_its_signed_bytes() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol"]);
    s.py("judge.py online-keys online");
    s.py("judge.py make-unsigned made alice.pub.json,bob.pub.json,carol.pub.json,online/snapshot.pub.json,online/timestamp.pub.json");
    s.c("load made/root.json made/targets.json made/claimed.json --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json");
    s.sign_by("root", &["alice", "bob"]);
    s.sign("targets", "carol");
    s.sign("claimed", "alice");
    s.c("export --out repo");
    for role in ["root", "targets", "claimed"] {
        assert_eq!(
            digest(&s, &format!("repo/{role}.json")),
            s.read(&format!("made/{role}.digest")).trim(),
            "{role}: signed bytes changed"
        );
    }
    s.py("judge.py verify repo");
    s.py("judge.py publish repo online");
    let out = s.py("judge.py refresh repo client 1");
    has(&out, "through claimed v1: found");
    has(&out, "target length 12");
}

/// Key files are real age files: rage opens them (and refuses a wrong passphrase), and the
/// PEM inside is the key python's cryptography reads, for ed25519 and ECDSA P-256.
#[test]
fn rage_opens_key_files_and_the_key_inside_matches() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    s.cmd("key generate --out dave.key --keyholder dave --scheme ecdsa-p256");
    for who in ["alice", "dave"] {
        let out = s.py(&format!(
            "judge.py open-keyfile {who}.key pp {who}.pub.json"
        ));
        has(&out, &format!("rage opened {who}.key"));
    }
    let armored = s.read("alice.key");
    assert!(
        armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"),
        "{armored}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(s.p("alice.key"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }
}
