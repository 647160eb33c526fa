//! python-tuf 7 as the judge of what we export (tests/python/judge.py).

use crate::util::Scene;

fn digest(s: &Scene, file: &str) -> String {
    s.ok(&["inspect", "--digest", file]).trim().to_string()
}

/// A real ngclient.Updater, bootstrapped with 1.root.json, refreshes through two root
/// rotations (each revoking a keyholder and adding one; one new key is ECDSA) to targets
/// and claimed, with snapshot/timestamp made by the test with the online keys it made.
#[test]
fn updater_refreshes_through_rotations_v1_v2_v3() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "erin"]);
    s.ok(&[
        "key",
        "generate",
        "--out",
        "dave.key",
        "--keyholder",
        "dave",
        "--scheme",
        "ecdsa-p256",
    ]);
    s.python("judge.py", &["online-keys", "online"]);
    s.ok(&[
        "-C",
        "c",
        "init",
        "--keyholder",
        "alice=alice.pub.json",
        "--keyholder",
        "bob=bob.pub.json",
        "--keyholder",
        "carol=carol.pub.json",
        "--root-threshold",
        "2",
        "--targets-threshold",
        "1",
        "--online-key",
        "snapshot=online/snapshot.pub.json",
        "--online-key",
        "timestamp=online/timestamp.pub.json",
        "--claimed-key",
        "alice=alice.pub.json",
        "--claimed-threshold",
        "1",
        "--claimed-path",
        "pkg/*",
    ]);
    for who in ["alice", "bob"] {
        s.sign("root", who);
    }
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    s.ok(&["-C", "c", "export", "--out", "repo"]);

    // v2: carol revoked, dave (ECDSA) added; old keys alice+bob and new keys sign.
    s.ok(&["-C", "c", "root", "remove-key", "root", "carol"]);
    s.add_root_key("dave");
    assert!(
        s.read("c/root.json").contains("\"version\": 2"),
        "one edit session bumps the version once"
    );
    for who in ["alice", "bob", "dave"] {
        s.sign("root", who);
    }
    s.ok(&["-C", "c", "export", "--out", "repo"]);

    // v3: alice revoked from root, erin added; carol also revoked from targets.
    s.ok(&["-C", "c", "root", "remove-key", "root", "alice"]);
    s.add_root_key("erin");
    s.ok(&["-C", "c", "root", "remove-key", "targets", "carol"]);
    // A revoked key's signature no longer counts anywhere: carol may sign neither v3 nor targets.
    let refused = s.fails(
        &[
            "-C",
            "c",
            "sign",
            "root",
            "--signer",
            "file:carol.key",
            "--yes",
        ],
        4,
    );
    assert!(
        refused.contains("not one of the keys that may sign root v3"),
        "{refused}"
    );
    for who in ["bob", "dave", "erin"] {
        s.sign("root", who);
    }
    let status = s.ok(&["-C", "c", "status"]);
    assert!(
        status.contains("root v3")
            && status.contains("trusted root v2's root keys (rotation): 2 signed, 2 needed - met"),
        "{status}"
    );
    s.ok(&["-C", "c", "export", "--out", "repo"]);
    s.ok(&["-C", "c", "verify", "--trusted-root", "repo/1.root.json"]);
    let refused = s.fails(
        &[
            "-C",
            "c",
            "sign",
            "targets",
            "--signer",
            "file:carol.key",
            "--yes",
        ],
        4,
    );
    assert!(refused.contains("not one of the keys"), "{refused}");

    let judged = s.python("judge.py", &["verify", "repo"]);
    assert!(
        judged.contains("root v2 -> v3: old and new thresholds met")
            && judged.contains("claimed v1: verified by targets v1"),
        "{judged}"
    );
    s.python("judge.py", &["publish", "repo", "online"]);
    let refreshed = s.python("judge.py", &["refresh", "repo", "client", "3"]);
    assert!(
        refreshed.contains("ngclient.Updater refreshed to root v3")
            && refreshed.contains("through claimed v1"),
        "{refreshed}"
    );
    s.ok(&["-C", "c", "transcript", "verify"]);
}

/// Metadata python-tuf made, loaded, signed and exported, keeps its signed bytes exactly,
/// and the Updater resolves a target through claimed.
#[test]
fn python_tuf_metadata_keeps_its_signed_bytes() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol"]);
    s.python("judge.py", &["online-keys", "online"]);
    s.python("judge.py", &["make-unsigned", "made", "alice.pub.json,bob.pub.json,carol.pub.json,online/snapshot.pub.json,online/timestamp.pub.json"]);
    s.ok(&[
        "-C",
        "c",
        "load",
        "made/root.json",
        "made/targets.json",
        "made/claimed.json",
        "--keyholder",
        "alice=alice.pub.json",
        "--keyholder",
        "bob=bob.pub.json",
    ]);
    for who in ["alice", "bob"] {
        s.sign("root", who);
    }
    s.sign("targets", "carol");
    s.sign("claimed", "alice");
    s.ok(&["-C", "c", "export", "--out", "repo"]);
    for role in ["root", "targets", "claimed"] {
        assert_eq!(
            digest(&s, &format!("repo/{role}.json")),
            s.read(&format!("made/{role}.digest")).trim(),
            "{role}: signed bytes changed"
        );
    }
    s.python("judge.py", &["verify", "repo"]);
    s.python("judge.py", &["publish", "repo", "online"]);
    let out = s.python("judge.py", &["refresh", "repo", "client", "1"]);
    assert!(
        out.contains("through claimed v1: found") && out.contains("target length 12"),
        "{out}"
    );
}

/// Key files are real age files: rage opens them (and refuses a wrong passphrase), and the
/// PEM inside is the key python's cryptography reads, for ed25519 and ECDSA P-256.
#[test]
fn rage_opens_key_files_and_the_key_inside_matches() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    s.ok(&[
        "key",
        "generate",
        "--out",
        "dave.key",
        "--keyholder",
        "dave",
        "--scheme",
        "ecdsa-p256",
    ]);
    for who in ["alice", "dave"] {
        let out = s.python(
            "judge.py",
            &[
                "open-keyfile",
                &format!("{who}.key"),
                "pp",
                &format!("{who}.pub.json"),
            ],
        );
        assert!(out.contains(&format!("rage opened {who}.key")), "{out}");
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
