//! RSTUF (Repository Service for TUF) on the other side: its own CLI code (repository-service-tuf
//! 1.0.0b1, driven offline by tests/python/rstuf.py) writes the payloads tuf-ceremony reads,
//! and its dataclasses and helpers, with python-tuf, read what tuf-ceremony writes back.
//! A root-only ceremony (RSTUF signs targets and below online) is complete with root alone.

use crate::scene::{has, has_each, lacks};
use crate::util::{snapshot, Scene};

/// RSTUF's REST API (its own pydantic models, tests/python/rstuf_api.py) accepts the `kind`
/// payload `file` tuf-ceremony wrote, hands its worker the root as written, and every
/// signature in it verifies there.
fn rstuf_api_accepts(s: &Scene, kind: &str, file: &str) {
    let judged = s.py(&format!("rstuf_api.py {kind} {file}"));
    assert!(judged.starts_with("accepted: "), "{kind} {file}: {judged}");
    if kind != "sign" {
        has(&judged, "signature(s) by its keys verify over");
    }
}

/// alice holds a tuf-ceremony key file; carol and the online key are RSTUF-side PEM keys.
/// RSTUF's `ceremony` makes root v1 (2 of alice and carol) and carol signs it there.
fn rstuf_bootstrap_payload(s: &Scene) {
    s.cmd("key generate --out alice.key --keyholder alice --scheme ecdsa-p256");
    s.py("rstuf.py keys keys");
    s.py("rstuf.py pem alice.pub.json alice.pub.pem");
    s.py("rstuf.py ceremony keys alice.pub.pem ceremony-payload.json");
}

/// A scene with [`rstuf_bootstrap_payload`] made, and the payload's text.
fn payload_made() -> (Scene, String) {
    let s = Scene::new();
    rstuf_bootstrap_payload(&s);
    let payload = s.read("ceremony-payload.json");
    (s, payload)
}

/// The bootstrap, carried through tuf-ceremony: imported, signed by alice, written back
/// and exported (root alone).
fn bootstrap(s: &Scene) {
    rstuf_bootstrap_payload(s);
    let out = s.c(&format!("rstuf import ceremony-payload.json {NAMED}"));
    has(&out, "an RSTUF bootstrap payload");
    has(&out, "(RSTUF name \"carol\"): held by carol");
    let status = s.c("status");
    has(&status, "NOT READY");
    has(&status, "missing: alice");
    s.sign("root", "alice");
    let status = s.c("status");
    assert!(
        status.contains("READY") && !status.contains("NOT READY"),
        "{status}"
    );
    has(&status, "root only: this ceremony signs root alone");
    s.c("rstuf export --bootstrap ceremony-payload.json --out signed-payload.json");
    has(
        &s.py("rstuf.py check-bootstrap signed-payload.json ceremony-payload.json"),
        "python-tuf verifies 2 of threshold 2",
    );
    rstuf_api_accepts(s, "bootstrap", "signed-payload.json");
    let out = s.c("export --out repo");
    has(&out, "root only");
    let mut files: Vec<String> = std::fs::read_dir(s.p("repo"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["1.root.json", "root.json"]);
    // The folder as exported, root alone; the RSTUF payload's export is not a folder's.
    let verified = s.c("verify --repo repo");
    has_each(
        &verified,
        &[
            "root only",
            "1.root.json: SHA-256",
            "everything a TUF client checks holds in repo",
        ],
    );
}

/// An RSTUF bootstrap end to end: RSTUF's `ceremony` writes the payload, tuf-ceremony
/// collects the missing signature and writes the payload back (RSTUF's CeremonyPayload
/// rebuilds it, every signature verifies as its bootstrap requires), exports root alone,
/// and a python-tuf Updater trusts it once the online key signs the rest.
#[test]
fn rstuf_bootstrap_end_to_end() {
    let s = Scene::new();
    bootstrap(&s);
    has(
        &s.py("rstuf.py refresh repo keys 1"),
        "ngclient.Updater refreshed to root v1",
    );
    s.c("report --out report.md");
    s.c("transcript verify");
}

/// A root rotation end to end: RSTUF's `metadata update` replaces carol with dave (carol
/// signs there, for the old root), tuf-ceremony adds alice and dave, writes the update
/// payload back (RSTUF's UpdatePayload; python-tuf verifies both thresholds), exports
/// 2.root.json, and an Updater from 1.root.json reaches v2.
#[test]
fn rstuf_rotation_end_to_end() {
    let s = Scene::new();
    bootstrap(&s);
    s.cmd("key generate --out dave.key --keyholder dave --scheme ecdsa-p256");
    s.py("rstuf.py pem dave.pub.json dave.pub.pem");
    s.py("rstuf.py update keys repo/1.root.json dave.pub.pem update-payload.json");
    let out = s.c("rstuf import update-payload.json --keyholder dave=dave.pub.json");
    has(&out, "root v1 here is the published one");
    // Before anyone signs here, a metadata update would be pending in RSTUF.
    s.sign("root", "alice");
    s.sign("root", "dave");
    s.c("rstuf export --update update-payload.json --out signed-update.json");
    let judged =
        s.py("rstuf.py check-update signed-update.json repo/1.root.json update-payload.json");
    has(&judged, "root v1 -> v2");
    rstuf_api_accepts(&s, "update", "signed-update.json");
    s.c("export --out repo");
    assert!(s.p("repo/2.root.json").exists());
    has(
        &s.py("rstuf.py refresh repo keys 2"),
        "ngclient.Updater refreshed to root v2",
    );
    s.c("transcript verify");
}

/// The sign flow both ways: tuf-ceremony reads RSTUF's pending-signatures response and
/// writes alice's sign payload, which RSTUF's SignPayload and python-tuf accept; and it
/// imports the sign payload RSTUF's own `metadata sign` writes, as `merge` would.
#[test]
fn rstuf_sign_payloads_both_ways() {
    let s = Scene::new();
    rstuf_bootstrap_payload(&s);
    s.py("rstuf.py pending ceremony-payload.json pending.json");
    let out = s.c(&format!("rstuf import pending.json {NAMED}"));
    has(&out, "an RSTUF pending-signatures response");
    // Nothing to write for a keyholder who has not signed.
    has(
        &s.c_fails("rstuf export --sign --keyholder alice --out a.json", 4),
        "holds no signature by alice",
    );
    s.sign("root", "alice");
    s.c("rstuf export --sign --keyholder alice --out alice-sign-payload.json");
    has(
        &s.py("rstuf.py check-sign pending.json alice-sign-payload.json alice"),
        "the root is fully signed",
    );
    rstuf_api_accepts(&s, "sign", "alice-sign-payload.json");

    // RSTUF's `metadata sign`, with alice's key, read by a second ceremony.
    s.py("rstuf.py unlock alice.key pp alice-rstuf.pem");
    s.py("rstuf.py sign pending.json alice alice-rstuf.pem rstuf-sign.json");
    s.cmd(&format!("-C d rstuf import pending.json {NAMED}"));
    // A signature that does not verify over this root is refused, and changes nothing.
    s.write("bad-sign.json", &damaged_sig(&s.read("rstuf-sign.json")));
    s.cmd("-C d status"); // (makes the folder's lock file, which stays)
    let before = snapshot(&s.p("d"));
    let e = s.cmd_fails("-C d rstuf import bad-sign.json", 4);
    has(&e, "does not verify");
    assert_eq!(snapshot(&s.p("d")), before);
    let out = s.cmd("-C d rstuf import rstuf-sign.json");
    has(&out, "imported alice's signature on root v1");
    let status = s.cmd("-C d status");
    assert!(
        status.contains("READY") && !status.contains("NOT READY"),
        "{status}"
    );
    s.cmd("-C d transcript verify");
}

/// go-tuf's add-signatures list and a bare {keyid, sig} get merge's checks: a key with
/// no recorded keyholder, an empty placeholder and a key that may not sign are refused,
/// each changing nothing; a good one is imported.
#[test]
fn bare_and_go_tuf_signatures_get_merges_checks() {
    let s = Scene::new();
    rstuf_bootstrap_payload(&s);
    // Only carol named: alice's signature cannot be recorded for anyone yet.
    s.c("rstuf import ceremony-payload.json --keyholder carol=keys/carol.pub.pem");
    s.py("rstuf.py pending ceremony-payload.json pending.json");
    s.py("rstuf.py unlock alice.key pp alice-rstuf.pem");
    s.py("rstuf.py sign pending.json alice alice-rstuf.pem rstuf-sign.json");
    let text = s.read("rstuf-sign.json");
    let field = |name: &str| {
        let start = text.find(&format!("\"{name}\": \"")).unwrap() + name.len() + 5;
        let end = start + text[start..].find('"').unwrap();
        text[start..end].to_string()
    };
    let (keyid, sig) = (field("keyid"), field("sig"));
    s.write(
        "go-tuf.json",
        &format!(r#"[{{"keyid":"{keyid}","sig":"{sig}"}}]"#),
    );
    s.write(
        "bare.json",
        &format!(r#"{{"keyid":"{keyid}","sig":"{sig}"}}"#),
    );
    s.write(
        "placeholder.json",
        &format!(r#"{{"keyid":"{keyid}","sig":""}}"#),
    );
    let online_keyid = "00".repeat(32);
    s.write(
        "online.json",
        &format!(r#"{{"keyid":"{online_keyid}","sig":"{sig}"}}"#),
    );
    s.c("status"); // (makes the folder's lock file, which stays)
    let before = snapshot(&s.p("c"));
    has(
        &s.c_fails("rstuf import go-tuf.json", 4),
        "records no keyholder",
    );
    has(
        &s.c_fails("rstuf import placeholder.json", 3),
        "placeholder",
    );
    has(
        &s.c_fails("rstuf import online.json", 4),
        "may not sign root",
    );
    assert_eq!(snapshot(&s.p("c")), before);
    let out = s.c("rstuf import go-tuf.json --keyholder alice=alice.pub.json");
    has(&out, "a go-tuf add-signatures list");
    has(&out, "2 signed, 2 needed (met)");
    // The same signature again, bare: it replaces itself.
    s.c("rstuf import bare.json");
    s.c("transcript verify");
}

/// Written back to RSTUF is only what its bootstrap accepts: a signature that does not
/// verify is left out with a warning; the payload must carry this ceremony's root.
#[test]
fn the_bootstrap_payload_holds_only_verifying_signatures() {
    // carol's signature, damaged, travels in a second payload loaded into the ceremony.
    let s = imported_payload();
    // A changed working file is brought in by `load`, which records it.
    damage_carols_signature(&s);
    s.sign("root", "alice");
    let out = s.c_run("rstuf export --bootstrap ceremony-payload.json --out signed.json");
    let text = crate::util::ok(&out, "rstuf export --bootstrap");
    let err = String::from_utf8_lossy(&out.stderr);
    has(&err, "is left out: it does not verify");
    has(&text, "still needed from carol");
    let written = s.read("signed.json");
    assert_eq!(written.matches("\"sig\"").count(), 1, "{written}");
    // Another root's payload is refused: the signatures here do not cover it.
    let other = s
        .read("ceremony-payload.json")
        .replace("\"version\": 1", "\"version\": 7");
    s.write("other.json", &other);
    has(
        &s.c_fails("rstuf export --bootstrap other.json --out x.json", 4),
        "is not the root of this ceremony",
    );
    // Never overwritten.
    has(
        &s.c_fails(
            "rstuf export --bootstrap ceremony-payload.json --out signed.json",
            4,
        ),
        "already exists",
    );
}

/// A folder that once exported targets is never taken for a root-only ceremony: with
/// targets.json gone, export still refuses.
#[test]
fn a_ceremony_that_exported_targets_is_not_root_only() {
    let s = Scene::alice_alone();
    s.sign_by("root", &["alice"]);
    s.sign_by("targets", &["alice"]);
    let status = s.c("status");
    lacks(&status, "root only");
    s.c("export --out repo");
    std::fs::remove_file(s.p("c/targets.json")).unwrap();
    // The record holds targets.json: its loss is refused, never taken for root-only.
    has(&s.c_fails("export --out repo2", 4), "targets.json: removed");
    lacks(&s.c_fails("status", 4), "root only");
}

/// After the [`bootstrap`], root v2 here (a new expiry), signed by alice alone.
fn root_v2_signed_by_alice() -> Scene {
    let s = Scene::new();
    bootstrap(&s);
    s.c("expires root 400d");
    s.sign("root", "alice");
    s
}

/// Routine re-signing of an RSTUF root: a new expiry makes root v2 here; alice signs and
/// the update payload goes to RSTUF partly signed; RSTUF serves it as pending (with the
/// trusted root), carol signs it with RSTUF's own `metadata sign`, and her sign payload
/// completes the rotation here too.
#[test]
fn rstuf_routine_resigning_through_a_pending_update() {
    let s = root_v2_signed_by_alice();
    let out = s.c("rstuf export --update --out update-payload.json");
    has(&out, "RSTUF will hold this root as pending");
    s.py("rstuf.py pending update-payload.json pending.json repo/1.root.json");
    // The pending root is the working root, and its trusted root the published one.
    let out = s.c("rstuf import pending.json");
    has(&out, "same payload as the working copy");
    s.py("rstuf.py sign pending.json carol keys/carol.pem carol-sign-payload.json");
    let out = s.c("rstuf import carol-sign-payload.json");
    has(&out, "imported carol's signature on root v2");
    s.c("rstuf export --update --out signed-update.json");
    s.py("rstuf.py check-update signed-update.json repo/1.root.json");
    rstuf_api_accepts(&s, "update", "signed-update.json");
    s.c("export --out repo");
    has(
        &s.py("rstuf.py refresh repo keys 2"),
        "ngclient.Updater refreshed to root v2",
    );
}

/// The `event` of a transcript line.
fn event(line: &tuf_ceremony::json::Value) -> Option<&str> {
    line.get("event").unwrap().as_str()
}

/// The last transcript line of event `name` in `lines`.
fn last_event<'a>(
    lines: &'a [tuf_ceremony::json::Value],
    name: &str,
) -> &'a tuf_ceremony::json::Value {
    lines.iter().rev().find(|l| event(l) == Some(name)).unwrap()
}

/// The transcript of ceremony `c`, one parsed line each.
fn transcript(s: &Scene) -> Vec<tuf_ceremony::json::Value> {
    s.read("c/transcript.jsonl")
        .lines()
        .map(|l| tuf_ceremony::json::parse(l.as_bytes()).unwrap())
        .collect()
}

/// `line` (in ceremony `c`) is refused as `export` refuses the same folder: the same exit
/// code and the same words, with nothing written to `out` and nothing changed in the
/// ceremony folder.
fn refused_as_export_is(s: &Scene, line: &str, out: &str) {
    s.c("status"); // (makes the folder's lock file, which stays)
    let before = snapshot(&s.p("c"));
    let export = s.c_fails("export --out repo-refused", 4);
    has(&export, "export refused by the ceremony policy");
    let rstuf = s.c_fails(line, 4);
    assert_eq!(rstuf, export, "{line}");
    assert!(!s.p(out).exists(), "{line} wrote {out}");
    assert!(!s.p("repo-refused").exists());
    assert_eq!(snapshot(&s.p("c")), before, "{line}");
}

/// Every `rstuf export` mode passes the same policy gate as `export`: a root that breaks
/// `policy.toml` (a threshold below `min_threshold`, a key added here and never proven
/// under `require_proof_of_possession`, a key without a verified device attestation under
/// `require_attestation`) is not written for RSTUF either, even partly signed, for RSTUF
/// to complete.
#[test]
fn rstuf_export_is_refused_for_what_the_policy_refuses() {
    let s = imported_payload();
    let bootstrap = "rstuf export --bootstrap ceremony-payload.json --out signed-payload.json";
    // Only carol signed (in RSTUF): a partial payload, but alice's key is unproven.
    set_policy(&s, "require_proof_of_possession = true\n");
    refused_as_export_is(&s, bootstrap, "signed-payload.json");
    s.sign("root", "alice");
    let sign = "rstuf export --sign --keyholder alice --out alice-sign.json";
    for policy in [
        "[roles.root]\nmin_threshold = 3\n",
        "[roles.root]\nrequire_attestation = true\n",
    ] {
        set_policy(&s, policy);
        refused_as_export_is(&s, bootstrap, "signed-payload.json");
        refused_as_export_is(&s, sign, "alice-sign.json");
    }
}

/// Puts `text` in force as the ceremony policy (`policy set`, a recorded act).
fn set_policy(s: &Scene, text: &str) {
    s.write("policy.toml", text);
    s.c("policy set policy.toml");
}

/// `rstuf export --update` (with or without RSTUF's update payload) is refused as `export`
/// refuses a root rotation that breaks the policy.
#[test]
fn rstuf_export_update_is_refused_for_what_the_policy_refuses() {
    let s = root_v2_signed_by_alice();
    set_policy(&s, "[roles.root]\nmin_threshold = 3\n");
    refused_as_export_is(&s, "rstuf export --update --out update.json", "update.json");
    set_policy(&s, "[roles.root]\nrequire_attestation = true\n");
    refused_as_export_is(&s, "rstuf export --update --out update.json", "update.json");
}

/// What passes the gate is written, and the transcript's `export` line records what was
/// checked: the policy's digest (after the `policy` line, in the same write) and root's
/// thresholds as they stand in what was written, met or, for RSTUF to complete, not.
#[test]
fn rstuf_export_records_the_policy_and_the_thresholds_it_was_checked_against() {
    let s = imported_payload();
    let policy = "[roles.root]\nmin_threshold = 2\n";
    set_policy(&s, policy);
    let digest = tuf_ceremony::ceremony::digest_hex(policy.as_bytes());
    let root_keyids = |s: &Scene| -> Vec<String> {
        let root = tuf_ceremony::json::parse(s.read("c/root.json").as_bytes()).unwrap();
        let ids = root
            .get("signed")
            .unwrap()
            .get("roles")
            .unwrap()
            .get("root")
            .unwrap();
        ids.get("keyids")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let keyids = root_keyids(&s);
    // The threshold is checked against what is written, so each line is checked alike.
    let check = |line: &tuf_ceremony::json::Value,
                 thresholds: &tuf_ceremony::json::Value,
                 counted: usize| {
        assert_eq!(event(line), Some("export"));
        assert_eq!(
            line.get("policy_sha256").unwrap().as_str(),
            Some(digest.as_str()),
            "{}",
            tuf_ceremony::json::compact(line)
        );
        let t = &thresholds.as_array().unwrap()[0];
        assert_eq!(
            t.get("label").unwrap().as_str(),
            Some("root v1's own root keys")
        );
        assert_eq!(t.get("threshold").unwrap().as_i128(), Some(2));
        assert_eq!(
            t.get("met"),
            Some(&tuf_ceremony::json::Value::Bool(counted >= 2))
        );
        let ids = t.get("counted").unwrap().as_array().unwrap();
        assert_eq!(ids.len(), counted);
        assert!(ids
            .iter()
            .all(|id| keyids.iter().any(|k| Some(k.as_str()) == id.as_str())));
    };
    // Partly signed (carol only): RSTUF will hold it pending; the policy holds already.
    let out = s.c("rstuf export --bootstrap ceremony-payload.json --out partial.json");
    has(&out, "RSTUF will hold this root as pending");
    let lines = transcript(&s);
    // The policy line was written by `policy set`; the export line names the same digest.
    let policy_line = last_event(&lines, "policy");
    let export_line = &lines[lines.len() - 1];
    assert_eq!(
        policy_line.get("sha256").unwrap().as_str(),
        Some(digest.as_str())
    );
    assert_eq!(
        export_line.get("rstuf").unwrap().as_str(),
        Some("bootstrap")
    );
    check(export_line, export_line.get("thresholds").unwrap(), 1);
    // Fully signed: bootstrap, then the repository's export.
    s.sign("root", "alice");
    s.c("rstuf export --bootstrap ceremony-payload.json --out signed-payload.json");
    let lines = transcript(&s);
    let last = lines.last().unwrap();
    // The policy is unchanged since it was recorded: the export line alone names it.
    // (before it, alice's `sign` line and the `files` line recording the root it wrote).
    assert_eq!(event(&lines[lines.len() - 3]), Some("sign"));
    assert_eq!(event(&lines[lines.len() - 2]), Some("files"));
    check(last, last.get("thresholds").unwrap(), 2);
    s.c("export --out repo");
    let lines = transcript(&s);
    // The export line, then the `files` line recording the trusted copies it wrote.
    let last = last_event(&lines, "export");
    let root = &last.get("roles").unwrap().as_array().unwrap()[0];
    assert_eq!(root.get("role").unwrap().as_str(), Some("root"));
    check(last, root.get("thresholds").unwrap(), 2);
    s.c("transcript verify");
}

/// RSTUF's online key (targets, snapshot and timestamp in root) never signs in a root-only
/// ceremony, so `require_proof_of_possession` never asks it to: once alice signs (carol
/// signed in RSTUF), export passes, and status lists no key of root's targets role.
#[test]
fn the_online_key_is_never_asked_to_prove_itself_in_an_rstuf_ceremony() {
    let s = imported_payload();
    s.sign("root", "alice");
    set_policy(&s, "require_proof_of_possession = true\n");
    let st = s.c("status");
    lacks(&st, " in targets");
    has(&st, "every rule is met");
    let out = s.c("export --out repo");
    has(&out, "every rule met");
    s.c("rstuf export --bootstrap ceremony-payload.json --out signed-payload.json");
}

/// The keyholders of the RSTUF bootstrap payload: alice and carol, named.
const NAMED: &str = "--keyholder alice=alice.pub.json --keyholder carol=keys/carol.pub.pem";

/// `rstuf import` of the payload with keyholders alice and carol named; must succeed.
fn import_named(s: &Scene, payload: &str) -> std::process::Output {
    let line = format!("rstuf import {payload} {NAMED}");
    let out = s.c_run(&line);
    crate::util::ok(&out, &line);
    out
}

/// RSTUF's bootstrap payload imported into ceremony `c`, alice and carol named.
fn imported_payload() -> Scene {
    let s = Scene::new();
    rstuf_bootstrap_payload(&s);
    import_named(&s, "ceremony-payload.json");
    s
}

/// `text` with one character of its first `"sig"` value changed, so that it no longer
/// verifies.
fn damaged_sig(text: &str) -> String {
    let at = text.find("\"sig\": \"").unwrap() + 8 + 10;
    let flipped = if &text[at..at + 1] == "0" { "1" } else { "0" };
    let mut bad = text.to_string();
    bad.replace_range(at..at + 1, flipped);
    bad
}

/// Ceremony `c`'s root with carol's signature damaged, brought in by `load` (which records
/// a changed working file).
fn damage_carols_signature(s: &Scene) {
    let bad = damaged_sig(&s.read("c/root.json"));
    s.reload_with(
        &[("root.json", &bad)],
        &["alice=alice.pub.json", "carol=keys/carol.pub.pem"],
    );
}

/// RSTUF's API checks a bootstrap's settings against its models (`BinsRole`:
/// `number_of_delegated_bins` 2 to 16384): `rstuf import` warns, and `rstuf export
/// --bootstrap` refuses to write a payload RSTUF would refuse, naming the member.
#[test]
fn bootstrap_settings_rstuf_refuses_are_refused() {
    let (s, payload) = payload_made();
    let at = payload.find("\"number_of_delegated_bins\"").unwrap();
    let colon = at + payload[at..].find(':').unwrap() + 1;
    let start = colon + payload[colon..].find(|c: char| c.is_ascii_digit()).unwrap();
    let end = start
        + payload[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap();
    let mut bins1 = payload.clone();
    bins1.replace_range(start..end, "1");
    s.write("bins1.json", &bins1);
    let out = import_named(&s, "bins1.json");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("RSTUF's API would refuse these settings")
            && err.contains("number_of_delegated_bins is 1"),
        "{err}"
    );
    s.sign("root", "alice");
    let e = s.c_fails("rstuf export --bootstrap bins1.json --out signed.json", 4);
    assert!(
        e.contains("RSTUF's API would refuse this bootstrap payload's settings")
            && e.contains("$.settings.roles.bins.number_of_delegated_bins is 1"),
        "{e}"
    );
    assert!(!s.p("signed.json").exists());
    // The payload RSTUF made, with the same root, is written.
    s.c("rstuf export --bootstrap ceremony-payload.json --out signed.json");
}

/// RSTUF's worker refuses a bootstrap with no signature that verifies ("Metadata requires
/// at least one valid signature"): with carol's signature damaged and alice not yet signed,
/// nothing is written, and the refusal says RSTUF would refuse it.
#[test]
fn a_bootstrap_with_no_valid_signature_is_never_written() {
    let s = imported_payload();
    damage_carols_signature(&s);
    let e = s.c_fails(
        "rstuf export --bootstrap ceremony-payload.json --out signed.json",
        4,
    );
    assert!(
        e.contains("RSTUF refuses a bootstrap with none")
            && e.contains("Metadata requires at least one valid signature"),
        "{e}"
    );
    assert!(!s.p("signed.json").exists());
    // One signature that verifies is enough for RSTUF to hold the root as pending.
    s.sign("root", "alice");
    let out = s.c("rstuf export --bootstrap ceremony-payload.json --out signed.json");
    has(&out, "RSTUF will hold this root as pending");
}

/// A field of root's signed RSTUF's API refuses (not x-<vendor>-<name>) is named at import,
/// and by `clients`; x-<vendor>-<name> passes.
#[test]
fn signed_fields_rstuf_refuses_are_named() {
    let (s, payload) = payload_made();
    let at = payload.find("\"_type\"").unwrap();
    for (field, refused) in [("custom", true), ("x-foo", true), ("x-acme-foo", false)] {
        let mut edited = payload.clone();
        edited.insert_str(at, &format!("\"{field}\": 1, "));
        s.write("edited.json", &edited);
        let _ = std::fs::remove_dir_all(s.p("c"));
        let out = import_named(&s, "edited.json");
        let err = String::from_utf8_lossy(&out.stderr);
        let named = format!("root's signed has the field \"{field}\", which RSTUF's API refuses");
        assert_eq!(err.contains(&named), refused, "{field}: {err}");
        let clients = s.c("clients");
        assert_eq!(
            clients.contains("RSTUF API 1.0: refuses") && clients.contains(&named),
            refused,
            "{field}: {clients}"
        );
    }
}

/// RSTUF's REST API, with its own models (tests/python/rstuf_api.py), judges what `rstuf
/// export --bootstrap` writes for a root whose signed has an extra field: "custom" (not
/// x-<vendor>-<name>) is written with a warning that RSTUF's API refuses it, and the API's
/// BootstrapPayload refuses it, as does its MetadataPostPayload with the same root;
/// "x-acme-foo" is written without that warning, both accept it, and alice's signature
/// verifies over the root RSTUF's worker gets.
#[test]
fn rstuf_api_refuses_the_signed_field_rstuf_export_warns_about() {
    use tuf_ceremony::json::{self, Value};
    let s = Scene::new();
    // The judge itself: the API's own example payloads pass.
    let examples = s.py("rstuf_api.py examples");
    assert_eq!(examples.matches(": accepted: ").count(), 3, "{examples}");
    rstuf_bootstrap_payload(&s);
    let payload = s.read("ceremony-payload.json");
    let at = payload.find("\"_type\"").unwrap();
    for (field, refused) in [("custom", true), ("x-acme-foo", false)] {
        let mut edited = payload.clone();
        edited.insert_str(at, &format!("\"{field}\": 1, "));
        s.write("edited.json", &edited);
        let _ = std::fs::remove_dir_all(s.p("c"));
        let _ = std::fs::remove_file(s.p("signed.json"));
        import_named(&s, "edited.json");
        s.sign("root", "alice");
        let out = s.c_run("rstuf export --bootstrap edited.json --out signed.json");
        crate::util::ok(&out, "rstuf export --bootstrap");
        let err = String::from_utf8_lossy(&out.stderr);
        let warning = format!("root's signed has the field \"{field}\", which RSTUF's API refuses");
        assert_eq!(err.contains(&warning), refused, "{field}: {err}");
        let judged = s.py("rstuf_api.py bootstrap signed.json");
        assert_eq!(
            judged.starts_with(
                "refused: BootstrapPayload: Value error, Invalid: `custom` field name"
            ),
            refused,
            "{field}: {judged}"
        );
        if !refused {
            // carol's signature no longer verifies over the edited root: left out.
            assert!(
                judged.starts_with("accepted: ")
                    && judged.contains(
                        "all 1 signature(s) by its keys verify over the root the worker gets"
                    ),
                "{judged}"
            );
        }
        let written = json::parse(s.read("signed.json").as_bytes()).unwrap();
        let root = written.get("metadata").unwrap().get("root").unwrap();
        let update = Value::object(vec![(
            "metadata",
            Value::object(vec![("root", root.clone())]),
        )]);
        std::fs::write(s.p("update.json"), json::pretty(&update)).unwrap();
        let judged = s.py("rstuf_api.py update update.json");
        assert_eq!(
            judged.starts_with(
                "refused: MetadataPostPayload: Value error, Invalid: `custom` field name"
            ),
            refused,
            "{field}: {judged}"
        );
        if !refused {
            has(&judged, "all 1 signature(s) by its keys verify");
        }
    }
}
