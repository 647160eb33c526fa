//! Proven keys: the keyholders' signatures over the transcript head (`transcript sign`),
//! proof of possession of every key added, and the ceremony policy (`policy.toml`).

use crate::hardware::{p11, SoftHsm};
use crate::util::{failed, ok, snapshot, Scene};
use tuf_ceremony::ceremony::digest_hex;

/// alice, bob and carol hold root 2-of-3; alice signs targets and claimed.
fn ceremony() -> Scene {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol", "snapshot", "timestamp"]);
    s.init(&["alice", "bob", "carol"], 2);
    s
}

fn signed_ceremony() -> Scene {
    let s = ceremony();
    s.sign("root", "alice");
    s.sign("root", "bob");
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    s
}

fn transcript_sign(s: &Scene, who: &str) -> String {
    s.ok(&[
        "-C",
        "c",
        "transcript",
        "sign",
        "--signer",
        &format!("file:{who}.key"),
        "--yes",
    ])
}

/// Rewrites line `n` (1-based) of the transcript with `edit`, then recomputes every later
/// line's `prev` so that the hash chain holds again: what someone who holds the file and
/// wants a different record would do.
fn rewrite_keeping_the_chain(s: &Scene, n: usize, edit: impl Fn(&str) -> String) {
    let text = s.read("c/transcript.jsonl");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut old_hash = digest_hex(lines[n - 1].as_bytes());
    lines[n - 1] = edit(&lines[n - 1]);
    let mut new_hash = digest_hex(lines[n - 1].as_bytes());
    for line in lines.iter_mut().skip(n) {
        let next_old = digest_hex(line.as_bytes());
        let from = format!("\"prev\":\"{old_hash}\"");
        assert!(line.contains(&from), "{line}");
        *line = line.replace(&from, &format!("\"prev\":\"{new_hash}\""));
        old_hash = next_old;
        new_hash = digest_hex(line.as_bytes());
    }
    let out: String = lines.iter().map(|l| format!("{l}\n")).collect();
    s.write("c/transcript.jsonl", &out);
}

/// A threshold of root's keyholders sign the head; verify reports the head and the
/// signers. A rewrite of an earlier line with every later `prev` recomputed keeps the chain
/// intact, and verify then fails naming each signature that no longer matches.
#[test]
fn a_signed_transcript_rewritten_with_its_chain_recomputed_is_found() {
    let s = signed_ceremony();
    let unsigned = s.ok(&["-C", "c", "transcript", "verify"]);
    assert!(
        unsigned.contains("not signed by its keyholders"),
        "{unsigned}"
    );

    let lines_before = s.read("c/transcript.jsonl").lines().count();
    let a = transcript_sign(&s, "alice");
    assert!(
        a.contains(&format!("signed the transcript head (line {lines_before})")),
        "{a}"
    );
    assert!(a.contains("1 signed, 2 needed - not yet met"), "{a}");
    let b = transcript_sign(&s, "bob");
    // Both sign the same head: the last line that is not itself a head signature.
    assert!(b.contains(&format!("(line {lines_before})")), "{b}");
    assert!(b.contains("2 signed, 2 needed - met"), "{b}");
    let again = transcript_sign(&s, "bob");
    assert!(again.contains("already signed"), "{again}");

    // A key no role of the ceremony lists may not sign.
    s.keygen(&["mallory"]);
    let e = s.fails(
        &[
            "-C",
            "c",
            "transcript",
            "sign",
            "--signer",
            "file:mallory.key",
            "--yes",
        ],
        4,
    );
    assert!(
        e.contains("not one of the keys this ceremony's roles list"),
        "{e}"
    );

    let v = s.ok(&["-C", "c", "transcript", "verify"]);
    assert!(
        v.contains(&format!("signed head: line {lines_before}")),
        "{v}"
    );
    assert!(v.contains("2 signed, 2 needed - met: alice"), "{v}");
    assert!(v.contains("bob (key"), "{v}");
    // The ceremony report prints the signed head and its signers.
    s.ok(&["-C", "c", "report", "--out", "r.md"]);
    let report = s.read("r.md");
    assert!(report.contains("## The signed transcript"), "{report}");
    assert!(
        report.contains(&format!("signed head: line {lines_before}")),
        "{report}"
    );
    assert!(
        report.contains("2 signed, 2 needed - met: alice"),
        "{report}"
    );
    let shown = s.ok(&["-C", "c", "transcript", "show"]);
    assert!(
        shown.contains("transcript-sign") && shown.contains("by alice"),
        "{shown}"
    );

    // The signed message is the domain-separated head object, verifiable by anyone with
    // the key: checked here with the line's own hash.
    let transcript = s.read("c/transcript.jsonl");
    let head_line = transcript.lines().nth(lines_before - 1).unwrap();
    let head = digest_hex(head_line.as_bytes());
    assert!(transcript.contains(&format!("\"head\":\"{head}\"")));

    // Rewrite line 2 (the init of root) and recompute the chain after it.
    rewrite_keeping_the_chain(&s, 2, |l| {
        l.replace("\"event\":\"init\"", "\"event\":\"init \"")
    });
    let e = failed(
        &s.run(&["-C", "c", "transcript", "verify"]),
        1,
        "a rewritten transcript",
    );
    assert!(
        e.contains("hash chain intact"),
        "the chain was recomputed:\n{e}"
    );
    for (who, line) in [("alice", lines_before + 1), ("bob", lines_before + 2)] {
        assert!(
            e.contains(&format!(
                "the transcript signature on line {line} by {who} (key"
            )) && e.contains("no longer matches the transcript up to line"),
            "{who}:\n{e}"
        );
    }
    assert!(
        e.contains(&format!("line {lines_before} now hashes to")),
        "{e}"
    );
}

/// The transcript head is signed with a key generated in a PKCS#11 token (SoftHSM), the
/// same device the keyholder signs metadata with.
#[test]
fn a_softhsm_token_signs_the_transcript_head() {
    let s = Scene::new();
    let hsm = SoftHsm::new(&s);
    let env = hsm.env();
    hsm.init_token("alice-token");
    s.keygen(&["bob", "snapshot", "timestamp"]);
    let out = s.run_with(
        &[
            "key",
            "generate",
            "--signer",
            &p11("alice-token", "tuf-root"),
            "--scheme",
            "ecdsa-p256",
            "--pub-out",
            "alice.pub.json",
        ],
        "pp",
        &env,
    );
    ok(&out, "key generate --signer pkcs11");
    s.init(&["alice", "bob"], 2);
    let signed = s.run_with(
        &[
            "-C",
            "c",
            "transcript",
            "sign",
            "--signer",
            &p11("alice-token", "tuf-root"),
            "--yes",
        ],
        "pp",
        &env,
    );
    let said = ok(&signed, "transcript sign --signer pkcs11");
    assert!(said.contains("alice signed the transcript head"), "{said}");
    transcript_sign(&s, "bob");
    let v = s.ok(&["-C", "c", "transcript", "verify"]);
    assert!(v.contains("2 signed, 2 needed - met"), "{v}");
    let line = s
        .read("c/transcript.jsonl")
        .lines()
        .find(|l| l.contains("\"event\":\"transcript-sign\""))
        .unwrap()
        .to_string();
    assert!(line.contains("\"kind\":\"pkcs11\""), "{line}");
    assert!(line.contains("ecdsa-sha2-nistp256"), "{line}");
    // Both keys signed, so both are proven, in every role that lists them.
    let st = s.ok(&["-C", "c", "status"]);
    assert!(!st.contains("UNPROVEN"), "{st}");
    assert!(proven(&st, "alice", "signed the transcript head"), "{st}");
}

/// Whether `status` shows `who`'s key, added to root, as unproven.
fn unproven(st: &str, who: &str) -> bool {
    st.lines().any(|l| {
        l.contains(&format!("  {who} (key")) && l.contains(" in root") && l.contains("UNPROVEN")
    })
}

/// Whether `status` shows `who`'s key, added to root, as proven by `how`.
fn proven(st: &str, who: &str, how: &str) -> bool {
    st.lines().any(|l| {
        l.contains(&format!("  {who} (key"))
            && l.contains(" in root")
            && l.contains(&format!("proven ({how})"))
    })
}

/// Each key added is unproven until a signature by it is verified here: by `sign`, by
/// `transcript sign`, or carried in by `load` and verifying in the working metadata.
#[test]
fn keys_added_are_unproven_until_their_holder_signs_with_them() {
    let s = ceremony();
    let st = s.ok(&["-C", "c", "status"]);
    assert!(
        st.contains("3 key(s) added in this ceremony, 3 unproven"),
        "{st}"
    );
    for who in ["alice", "bob", "carol"] {
        assert!(unproven(&st, who), "{who}:\n{st}");
    }
    assert!(!st.contains("proven ("), "{st}");

    s.sign("root", "alice");
    let st = s.ok(&["-C", "c", "status"]);
    assert!(proven(&st, "alice", "signed in this ceremony"), "{st}");
    assert!(unproven(&st, "bob"), "{st}");

    s.keygen(&["dave"]);
    s.add_root_key("dave");
    // The edit dropped alice's signature and replaced the payload she signed: her line's
    // signature can no longer be checked against anything the folder holds, so it proves
    // nothing until she signs the new version.
    let st = s.ok(&["-C", "c", "status"]);
    assert!(unproven(&st, "dave"), "{st}");
    assert!(unproven(&st, "alice"), "{st}");
    s.sign("root", "alice");
    let st = s.ok(&["-C", "c", "status"]);
    assert!(proven(&st, "alice", "signed in this ceremony"), "{st}");
    transcript_sign(&s, "dave");
    let st = s.ok(&["-C", "c", "status"]);
    assert!(proven(&st, "dave", "signed the transcript head"), "{st}");

    // A claimed project's developer signs no metadata in a ceremony: their key is proven by
    // signing the transcript.
    s.keygen(&["kenneth"]);
    s.ok(&[
        "-C",
        "c",
        "claimed",
        "add-project",
        "requests",
        "--key",
        "kenneth.pub.json",
    ]);
    let project_key = |st: &str, state: &str| {
        st.lines()
            .any(|l| l.contains(" in claimed's projects: ") && l.contains(state))
    };
    assert!(project_key(&s.ok(&["-C", "c", "status"]), "UNPROVEN"));
    transcript_sign(&s, "kenneth");
    let st = s.ok(&["-C", "c", "status"]);
    assert!(
        project_key(&st, "proven (signed the transcript head)"),
        "{st}"
    );

    // Signatures carried in by `load` prove their keys when they verify; carol, who did
    // not sign, stays unproven.
    s.sign("root", "alice");
    s.sign("root", "bob");
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    s.ok(&["-C", "c", "export", "--out", "repo"]);
    s.ok(&[
        "-C",
        "c2",
        "load",
        "repo/root.json",
        "--keyholder",
        "alice=alice.pub.json",
        "--keyholder",
        "carol=carol.pub.json",
    ]);
    let st = s.ok(&["-C", "c2", "status"]);
    assert!(
        proven(
            &st,
            "alice",
            "a signature that verifies in the working metadata"
        ),
        "{st}"
    );
    assert!(unproven(&st, "carol"), "{st}");
}

/// Puts `text` in force as the ceremony policy (`policy set`, which records it).
fn policy(s: &Scene, text: &str) {
    s.write("policy.toml", text);
    let out = s.run(&["-C", "c", "policy", "set", "policy.toml"]);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(3),
        "policy set: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Each rule in turn forbids what the ceremony holds: `sign` and `export` refuse (exit 4)
/// naming the rule, and change nothing; `status` lists the violation.
#[test]
fn a_policy_that_forbids_each_rule_makes_sign_and_export_refuse_naming_it() {
    let s = signed_ceremony();
    let sign_root = [
        "-C",
        "c",
        "sign",
        "root",
        "--signer",
        "file:carol.key",
        "--yes",
    ];
    let export = ["-C", "c", "export", "--out", "repo"];
    // (policy, the words of the refusal, whether `sign root` refuses it too)
    let cases: [(&str, &str, bool); 7] = [
        (
            "[roles.root]\nmin_threshold = 3\n",
            "policy.toml: roles.root.min_threshold = 3, but root's threshold is 2",
            true,
        ),
        (
            "[roles.root]\nschemes = [\"ecdsa-sha2-nistp256\"]\n",
            "policy.toml: roles.root.schemes = [\"ecdsa-sha2-nistp256\"], but root's key alice (key",
            true,
        ),
        (
            "[roles.root]\nmax_expiry_days = 30\n",
            "policy.toml: roles.root.max_expiry_days = 30, but root expires",
            true,
        ),
        (
            "[roles.root]\nrequire_attestation = true\n",
            "policy.toml: roles.root.require_attestation = true, but root's key alice (key",
            // Signing with the device is how a key's attestation is recorded.
            false,
        ),
        (
            "allow_key_in_two_roles = false\n",
            "policy.toml: allow_key_in_two_roles = false, but key alice (key",
            // alice's key serves root, targets and claimed: root's payload lists two.
            true,
        ),
        (
            "require_proof_of_possession = true\n",
            "policy.toml: require_proof_of_possession = true, but carol (key",
            false,
        ),
        (
            "[roles.claimd]\nmin_threshold = 1\n",
            "policy.toml: roles.claimd: this ceremony has no role of that name",
            true,
        ),
    ];
    for (text, words, sign_refuses) in cases {
        policy(&s, text);
        let before = snapshot(&s.p("c"));
        let e = s.fails(&export, 4);
        assert!(e.contains(words), "export with {text:?}:\n{e}");
        assert_eq!(
            snapshot(&s.p("c")),
            before,
            "a refused export changed nothing"
        );
        assert!(!s.p("repo").exists());
        let st = s.ok(&["-C", "c", "status"]);
        let listed = if sign_refuses {
            "violation: "
        } else {
            "before export: "
        };
        assert!(
            st.contains(listed) && st.contains(words),
            "status with {text:?}:\n{st}"
        );
        if sign_refuses {
            let e = s.fails(&sign_root, 4);
            assert!(e.contains(words), "sign with {text:?}:\n{e}");
            assert_eq!(
                snapshot(&s.p("c")),
                before,
                "a refused sign changed nothing"
            );
        }
    }
    // A rule about targets' payload does not stop root from being signed.
    policy(&s, "[roles.targets]\nmax_expiry_days = 30\n");
    let e = s.fails(
        &[
            "-C",
            "c",
            "sign",
            "targets",
            "--signer",
            "file:bob.key",
            "--yes",
        ],
        4,
    );
    assert!(
        e.contains("roles.targets.max_expiry_days = 30, but targets expires"),
        "{e}"
    );
    s.ok(&sign_root);
    // A key whose device attestation verified, as the transcript records it, meets the
    // attestation rule; one without does not.
    policy(&s, "[roles.root]\nrequire_attestation = true\n");
    let unattested =
        "before export: policy.toml: roles.root.require_attestation = true, but root's key alice";
    let st = s.ok(&["-C", "c", "status"]);
    assert!(st.contains(unattested), "{st}");
    // Key files cannot attest: `sign` recorded each of them as not attested, in the
    // transcript only; ceremony.json keeps no copy.
    let state = s.read("c/ceremony.json");
    assert!(!state.contains("attestation"), "{state}");
    // Writing a verified record into ceremony.json (as an older version kept one there)
    // proves nothing: the file no longer matches the record, and every command refuses.
    let claimed = state.replace(
        "\"key\": {",
        "\"attestation\": {\"status\": \"verified\"},\n   \"key\": {",
    );
    assert_ne!(claimed, state);
    s.write("c/ceremony.json", &claimed);
    let e = s.fails(&["-C", "c", "status"], 4);
    assert!(e.contains("ceremony.json: changed"), "{e}");
    s.write("c/ceremony.json", &state);
    let st = s.ok(&["-C", "c", "status"]);
    assert!(st.contains(unattested), "{st}");
    let e = s.fails(&["-C", "c", "export", "--out", "repo"], 4);
    assert!(
        e.contains("require_attestation = true, but root's key alice"),
        "{e}"
    );
    // A verdict is not evidence: each sign event rewritten to record a verified
    // attestation, in a transcript whose chain holds, makes no key attested (the lines carry
    // no device certificates to check). Such a record names no key either, and a record
    // that names no key never counts for the keyids its line files signatures under.
    let transcript = s.read("c/transcript.jsonl");
    let signs: Vec<usize> = transcript
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("\"event\":\"sign\""))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(signs.len() >= 3, "{transcript}");
    for n in signs {
        rewrite_keeping_the_chain(&s, n, |l| {
            assert!(l.contains("\"status\":\"not-attested\""), "{l}");
            let line = tuf_ceremony::json::parse(l.as_bytes()).unwrap();
            let record = line.get("attestation").unwrap();
            assert!(record.get("key").is_none(), "{l}");
            l.replace("\"status\":\"not-attested\"", "\"status\":\"verified\"")
        });
    }
    s.ok(&["-C", "c", "transcript", "verify"]);
    let st = s.ok(&["-C", "c", "status"]);
    assert!(st.contains(unattested), "{st}");
    let e = s.fails(&["-C", "c", "export", "--out", "repo"], 4);
    assert!(
        e.contains("require_attestation = true, but root's key alice"),
        "{e}"
    );
}

/// A policy the ceremony meets: sign and export pass, and the policy's SHA-256 is recorded
/// in the transcript when `policy set` puts it in force and again when it changes.
#[test]
fn a_ceremony_that_meets_its_policy_is_signed_and_exported_with_the_policy_recorded() {
    let s = signed_ceremony();
    let meets = "require_proof_of_possession = true\n\n[roles.root]\nschemes = [\"ed25519\"]\nmin_threshold = 2\nmax_expiry_days = 366\n\n[roles.targets]\nmin_threshold = 1\n\n[roles.claimed]\nmax_expiry_days = 400\n";
    let policy_events = |s: &Scene| {
        s.read("c/transcript.jsonl")
            .lines()
            .filter(|l| l.contains("\"event\":\"policy\""))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    policy(&s, meets);
    assert_eq!(policy_events(&s).len(), 1);
    // carol is unproven: export waits for her.
    let e = s.fails(&["-C", "c", "export", "--out", "repo"], 4);
    assert!(
        e.contains("require_proof_of_possession = true, but carol"),
        "{e}"
    );
    // A sign that fails records nothing.
    s.write("taken.sig.json", "{}");
    let before = snapshot(&s.p("c"));
    s.fails(
        &[
            "-C",
            "c",
            "sign",
            "root",
            "--signer",
            "file:carol.key",
            "--yes",
            "--detached",
            "taken.sig.json",
        ],
        4,
    );
    assert_eq!(snapshot(&s.p("c")), before);
    s.sign("root", "carol");
    let recorded = policy_events(&s);
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert!(recorded[0].contains(&digest_hex(meets.as_bytes())));
    let st = s.ok(&["-C", "c", "status"]);
    assert!(st.contains("every rule is met"), "{st}");

    // Changed: recorded again by `policy set`.
    let changed = format!("{meets}\n[roles.snapshot]\nmin_threshold = 1\n");
    policy(&s, &changed);
    s.ok(&["-C", "c", "export", "--out", "repo"]);
    let recorded = policy_events(&s);
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    assert!(recorded[1].contains(&digest_hex(changed.as_bytes())));
    assert!(s.p("repo/1.root.json").exists());
}

/// A misspelt rule or a value of the wrong type is an error naming the file, the line and
/// the field, never a rule silently dropped.
#[test]
fn a_malformed_policy_is_refused_naming_the_file_and_field() {
    let s = signed_ceremony();
    for (text, words) in [
        (
            "[roles.root]\nmin_treshold = 3\n",
            "line 2: unknown field `min_treshold`",
        ),
        (
            "require_proof = true\n",
            "line 1: unknown field `require_proof`",
        ),
        (
            "[roles.root]\n\nmin_threshold = \"3\"\n",
            "line 3: invalid type: string \"3\"",
        ),
        ("[roles.root\n", "line 1"),
    ] {
        // Refused by `policy set`, which puts nothing in force and changes nothing.
        s.write("policy.toml", text);
        let before = snapshot(&s.p("c"));
        let e = s.fails(&["-C", "c", "policy", "set", "policy.toml"], 3);
        assert!(
            e.contains("policy.toml: ") && e.contains(words),
            "{text:?}:\n{e}"
        );
        assert_eq!(snapshot(&s.p("c")), before);
        // Written into the folder by hand, it is refused by every command before it is
        // read: it was never put in force.
        s.write("c/policy.toml", text);
        for args in [
            &[
                "-C",
                "c",
                "sign",
                "root",
                "--signer",
                "file:carol.key",
                "--yes",
            ][..],
            &["-C", "c", "export", "--out", "repo"][..],
            &["-C", "c", "status"][..],
        ] {
            let e = s.fails(args, 4);
            assert!(e.contains("policy.toml: added by hand"), "{args:?}:\n{e}");
        }
        std::fs::remove_file(s.p("c/policy.toml")).unwrap();
        assert_eq!(snapshot(&s.p("c")), before);
    }
}

/// Puts `text` in force as the ceremony policy; `policy set` must accept it.
fn policy_in_force(s: &Scene, text: &str) -> String {
    s.write("policy.toml", text);
    s.ok(&["-C", "c", "policy", "set", "policy.toml"])
}

/// `require_proof_of_possession` per role: a claimed project's developers never come to a
/// ceremony, so `[roles.claimed.projects]` can say their keys need no proof while every
/// other key still does; a role's own table overrides the global value either way.
#[test]
fn proof_of_possession_is_asked_per_role_and_of_projects_separately() {
    let s = signed_ceremony();
    // carol (root and targets) never signed; prove her with the transcript head.
    transcript_sign(&s, "carol");
    s.keygen(&["dev"]);
    s.ok(&[
        "-C",
        "c",
        "claimed",
        "add-project",
        "alpha",
        "--key",
        "dev.pub.json",
    ]);
    s.sign("claimed", "alice");
    let export = |out: &str| s.run(&["-C", "c", "export", "--out", out]);

    // The global rule alone asks the developer too: export waits for a key that never comes.
    policy_in_force(&s, "require_proof_of_possession = true\n");
    let e = failed(&export("repo-1"), 4, "export, global rule");
    assert!(
        e.contains("policy.toml: require_proof_of_possession = true, but dev (key")
            || e.contains("policy.toml: require_proof_of_possession = true, but key"),
        "{e}"
    );
    assert!(e.contains("claimed's projects"), "{e}");

    // The projects' table overrides the global value, and is named.
    policy_in_force(
        &s,
        "require_proof_of_possession = false\n[roles.claimed.projects]\nrequire_proof_of_possession = true\n",
    );
    let e = failed(&export("repo-3"), 4, "export, projects rule");
    assert!(
        e.contains("policy.toml: roles.claimed.projects.require_proof_of_possession = true, but"),
        "{e}"
    );
    // Projects exempt, everything else proven: export passes.
    let said = policy_in_force(
        &s,
        "require_proof_of_possession = true\n[roles.claimed.projects]\nrequire_proof_of_possession = false\n",
    );
    assert!(said.contains("is now in force"), "{said}");
    let st = s.ok(&["-C", "c", "status"]);
    assert!(st.contains("every rule is met"), "{st}");
    s.ok(&["-C", "c", "export", "--out", "repo-2"]);

    // A role's own rule for its keys; the projects table is for a delegated role only.
    let s = signed_ceremony();
    let export = |out: &str| s.run(&["-C", "c", "export", "--out", out]);
    policy_in_force(&s, "[roles.root]\nrequire_proof_of_possession = true\n");
    let e = failed(&export("repo-4"), 4, "export, root's rule");
    assert!(
        e.contains("policy.toml: roles.root.require_proof_of_possession = true, but carol (key"),
        "{e}"
    );
    policy_in_force(
        &s,
        "[roles.root.projects]\nrequire_proof_of_possession = false\n",
    );
    let e = failed(&export("repo-5"), 4, "export, root.projects");
    assert!(
        e.contains("policy.toml: roles.root.projects: root is not a delegated role signed in this ceremony"),
        "{e}"
    );
}

/// Rules for an online delegated role (PEP 480's recently-claimed) apply to it, as for
/// snapshot and timestamp: the role is in targets' delegations, signed by the repository.
#[test]
fn rules_for_an_online_delegated_role_apply() {
    let s = signed_ceremony();
    s.ok(&[
        "-C",
        "c",
        "delegate",
        "recently-claimed",
        "--online-key",
        "timestamp.pub.json",
        "--threshold",
        "1",
        "--path",
        "*/*",
    ]);
    s.sign("targets", "alice");
    let said = policy_in_force(
        &s,
        "[roles.recently-claimed]\nmin_threshold = 1\nschemes = [\"ed25519\"]\n",
    );
    assert!(!said.contains("violation"), "{said}");
    let st = s.ok(&["-C", "c", "status"]);
    assert!(st.contains("every rule is met"), "{st}");
    policy_in_force(&s, "[roles.recently-claimed]\nmin_threshold = 2\n");
    let e = s.fails(
        &[
            "-C",
            "c",
            "sign",
            "targets",
            "--signer",
            "file:alice.key",
            "--yes",
        ],
        4,
    );
    assert!(
        e.contains("policy.toml: roles.recently-claimed.min_threshold = 2, but recently-claimed's threshold is 1"),
        "{e}"
    );
    // Its keys never sign here: asking them to prove themselves would never be met.
    policy_in_force(
        &s,
        "[roles.recently-claimed]\nrequire_proof_of_possession = true\n",
    );
    let st = s.ok(&["-C", "c", "status"]);
    assert!(
        st.contains("roles.recently-claimed.require_proof_of_possession = true: recently-claimed is signed online"),
        "{st}"
    );
}

/// `allow_key_in_two_roles = false` sees claimed's projects: a developer key that is also
/// a root key is refused (sign claimed, sign root, export), named with both roles.
#[test]
fn a_project_key_that_is_also_a_root_key_breaks_one_key_one_role() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "snapshot", "timestamp"]);
    // alice holds root and targets; bob holds claimed; bob's key is also a project's.
    s.ok(&[
        "-C",
        "c",
        "init",
        "--keyholder",
        "alice=alice.pub.json",
        "--root-threshold",
        "1",
        "--targets-threshold",
        "1",
        "--online-key",
        "snapshot=snapshot.pub.json",
        "--online-key",
        "timestamp=timestamp.pub.json",
        "--claimed-key",
        "bob=bob.pub.json",
        "--claimed-threshold",
        "1",
    ]);
    s.keygen(&["dev"]);
    for (project, key) in [("alpha", "dev.pub.json"), ("beta", "dev.pub.json")] {
        s.ok(&["-C", "c", "claimed", "add-project", project, "--key", key]);
    }
    // (alice's key serves root and targets: a violation of its own, beside the one tested.)
    policy_in_force(&s, "allow_key_in_two_roles = false\n");
    let st = s.ok(&["-C", "c", "status"]);
    // A developer of two projects is one role's key, not two.
    assert!(
        !st.lines()
            .any(|l| l.contains("violation:") && l.contains("claimed's projects")),
        "{st}"
    );
    s.ok(&[
        "-C",
        "c",
        "claimed",
        "add-project",
        "gamma",
        "--key",
        "alice.pub.json",
    ]);
    let words = "serves root and targets and claimed's projects";
    let st = s.ok(&["-C", "c", "status"]);
    assert!(st.contains(words), "{st}");
    let e = s.fails(
        &[
            "-C",
            "c",
            "sign",
            "claimed",
            "--signer",
            "file:bob.key",
            "--yes",
        ],
        4,
    );
    assert!(
        e.contains("allow_key_in_two_roles = false, but key alice (key") && e.contains(words),
        "{e}"
    );
    let e = s.fails(&["-C", "c", "export", "--out", "repo"], 4);
    assert!(e.contains(words), "{e}");
}
