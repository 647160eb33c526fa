//! `sign`: the moment a keyholder's key is used (signatures carried back from another machine
//! are taken in by [`super::merge`]).
//!
//! Before anything is signed the keyholder sees, in plain words, what they sign: role,
//! version, expiry, the changes against the trusted version, and the payload's SHA-256 in
//! hex and as PGP words to compare aloud with the printed script. Then they type "yes".
//! Every new signature is verified before it is saved, and recorded in the transcript
//! before the metadata file is replaced (so a crash between the two leaves a recorded
//! signature that is simply made again, never an unrecorded one).

use super::pending::Pending;
use super::{short, Ceremony, Report, Requirement};
use crate::display::escape;
use crate::error::{Error, Result};
use crate::json::{Object, Value};
use crate::keys::{delegated_keyid_warning, keyid_warning, Key, KeyIdMatch};
use crate::metadata::{Metadata, Payload, Signature};
use crate::names::RoleName;
use crate::outcome::{Failure, Refusal};
use crate::output::{SignJson, ThresholdCount};
use crate::secret::SecretSource;
use crate::signer::{Device, SignerRef};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How close to expiry a payload may be and still be signed.
pub const MIN_VALIDITY_SECONDS: i64 = 7 * 86_400;

/// Nothing is signed to last longer than this (10 years): see [`presign_checks`].
pub const MAX_VALIDITY_SECONDS: i64 = 3653 * 86_400;

use super::detached::write_detached;
/// The signature file `sign --detached` writes and `merge` reads, re-exported where the fuzz
/// target `sigfile` has always found its parser.
pub use super::sigfile::parse_sigfile_bytes;
use super::sign_record::{Origin, SignRecord};
use super::sign_screen::{already_signed_line, detached_line, signer_line, summary};

/// Options of `sign`.
pub struct SignOptions {
    pub role: RoleName,
    pub signer: SignerRef,
    pub as_name: Option<String>,
    pub detached: Option<PathBuf>,
    pub yes: bool,
    /// The CA certificates the device's attestation must chain to.
    pub trust: crate::attest::Trust,
}

/// The checks made before any key is touched: expiry, and every keyid against both
/// conventions. Returns warnings; refuses on what no client would accept.
pub fn presign_checks(
    c: &Ceremony,
    role: &str,
    md: &Metadata,
    reqs: &[Requirement],
) -> Result<Vec<String>> {
    let common = md.signed.common();
    if common.expires_at <= c.now + MIN_VALIDITY_SECONDS {
        return Err(Refusal::ExpiresTooSoon {
            role: role.to_string(),
            version: common.version,
            expires: common.expires.clone(),
            expired: common.expires_at <= c.now,
        }
        .into());
    }
    if common.expires_at > c.now + MAX_VALIDITY_SECONDS {
        return Err(Refusal::ExpiresTooLate {
            role: role.to_string(),
            version: common.version,
            expires: common.expires.clone(),
            years: (common.expires_at - c.now) / (365 * 86_400),
        }
        .into());
    }
    // The keys this payload lists: a keyid that matches neither convention is refused here,
    // whatever clients that take keyids as given would accept, so that no new payload is
    // signed with one (a published root with one still loads, with a warning).
    // Borrowed, not cloned: claimed lists thousands of developer keys.
    let no_keys = BTreeMap::new();
    let own = md.own_keys().unwrap_or(&no_keys);
    let in_root = md.root().is_some();
    let own_place = format!("{role}.json");
    // A key of a type not verified here (tuf-on-ci lists its online Sigstore identity as
    // "abcd") is not refused for its keyid: no client that checks keyids reads it anyway.
    for (id, key) in own {
        if key.scheme().is_some() && key.check_keyid(id) == KeyIdMatch::Neither {
            let w = if in_root {
                keyid_warning(&escape(id), KeyIdMatch::Neither, &own_place)
            } else {
                delegated_keyid_warning(&escape(id), KeyIdMatch::Neither, &own_place)
            };
            return Err(Refusal::KeyIdMatchesNeither {
                warning: w.unwrap_or_default(),
            }
            .into());
        }
    }
    let mut warnings = if in_root {
        super::load_check::root_key_warnings(own, &own_place)
    } else {
        crate::clients::delegated_key_warnings(own, &own_place)
    };
    // The keys of the metadata that delegates to this payload, as far as they sign it.
    for r in reqs {
        let listed: HashSet<&String> = r.authorized.keyids.iter().collect();
        for (id, key) in r
            .authorized
            .keys
            .iter()
            .filter(|(id, k)| listed.contains(id) && own.get(*id) != Some(*k))
        {
            let w = if role == "targets" || role == "root" {
                keyid_warning(&escape(id), key.check_keyid(id), &r.label)
            } else {
                delegated_keyid_warning(&escape(id), key.check_keyid(id), &r.label)
            };
            warnings.extend(w);
        }
    }
    let mut seen = HashSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
    Ok(warnings)
}

/// The keyids under which `key` is authorized by any of the requirements, with the key
/// object each requirement holds for it.
fn matching_keyids(reqs: &[Requirement], key: &Key) -> Vec<(String, Key)> {
    let identity = key.identity();
    let mut out: Vec<(String, Key)> = Vec::new();
    let mut seen = HashSet::new();
    for r in reqs {
        for id in &r.authorized.keyids {
            if let Some(k) = r.authorized.keys.get(id) {
                if k.identity() == identity && seen.insert(id.as_str()) {
                    out.push((id.clone(), k.clone()));
                }
            }
        }
    }
    out
}

/// Adds `new` signatures to `signatures`, each replacing any there by the same keyid where it
/// stands (a placeholder filled keeps its place, so a file another tool wrote changes in that
/// line alone), the others appended.
pub(super) fn replace_signatures(signatures: &mut Vec<Signature>, new: Vec<Signature>) {
    let at: HashMap<String, usize> = signatures
        .iter()
        .enumerate()
        .map(|(i, s)| (s.keyid.clone(), i))
        .collect();
    for s in new {
        match at.get(&s.keyid) {
            Some(&i) => signatures[i] = s,
            None => signatures.push(s),
        }
    }
}

/// `sign ROLE`.
pub fn sign(
    c: &Ceremony,
    opts: &SignOptions,
    secrets: &SecretSource,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<Report> {
    sign_from(c, opts, secrets, confirm, Origin::Folder)
}

/// [`sign`], in the ceremony folder or from a signing request (`origin`): the same steps,
/// the same screen.
pub(super) fn sign_from(
    c: &Ceremony,
    opts: &SignOptions,
    secrets: &SecretSource,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
    origin: Origin,
) -> Result<Report> {
    let role = &opts.role;
    let mut report = Report::default();
    // 1. Read the role and what it must be signed by (TUF spec 5.3.4 for a root rotation).
    let (parsed, reqs) = read_for_signing(c, role, &mut report)?;
    let (md, payload) = (&parsed.0, parsed.1.clone());
    // 2. Open the device and check its key may sign this role.
    let mut signer = crate::signer::open(&opts.signer, secrets)?;
    let key = signer.public_key().clone();
    let named = opts.as_name.clone().or_else(|| signer.keyholder());
    let matches =
        authorize(c, role, md, &reqs, &key, &signer.device().description).map_err(|e| {
            not_the_recorded_key(c, named.as_deref(), &key, &signer.device().description)
                .unwrap_or(e)
        })?;
    check_scheme(role, signer.as_ref(), &key, &matches)?;
    signer.check_payload(&payload.bytes)?;
    if opts.detached.is_none() && already_signed(md, &matches, &payload.bytes) {
        report.line(already_signed_line(c, role, md, &matches, &key));
        report.json = Some(sign_json(
            "already-signed",
            role,
            md,
            &payload,
            c.keyholder_of(&key).unwrap_or_default(),
            &matches,
            None,
            counts(&reqs, md, &payload),
        )?);
        return Ok(report);
    }
    // 3. Name the keyholder: the one the ceremony records for the key (from a request, only
    //    the one it names: the name a key file holds is its owner's word alone).
    let keyholder = match origin {
        Origin::Folder => resolve_keyholder(c, opts.as_name.as_deref(), &key, signer.keyholder())?,
        Origin::Request { .. } => {
            named_keyholder(c, &key)?;
            resolve_keyholder(c, opts.as_name.as_deref(), &key, None)?
        }
    };
    // 3a. Where the key lives, as the device proves it.
    let evidence = signer.attestation();
    let attestation = judge_attestation(c, evidence.clone(), &key, &opts.trust, &mut report);
    // 4. Show what is signed; the keyholder confirms.
    let device = signer.device();
    let signer_line = signer_line(&keyholder, &key, &device, &attestation);
    let text = summary(c, role, md, &payload, &signer_line)?;
    if !opts.yes && !confirm(&text)? {
        return Err(Refusal::NotConfirmed.into());
    }
    // 5. Sign. The signature counts only once it verifies against the key, and against
    //    each key object it is filed under: checked before anything that holds it is
    //    saved or recorded.
    let sig_hex = hex::encode(signer.sign(&payload.bytes)?);
    let check_new = || verify_new(&key, &matches, &payload.bytes, &sig_hex, &device);
    let new_sigs = new_signatures(&matches, &sig_hex);
    let record = SignRecord {
        role,
        version: md.version(),
        digest: payload.sha256_hex(),
        keyholder: &keyholder,
        keyids: matches.iter().map(|(id, _)| id.as_str()).collect(),
        scheme: &key.scheme,
        device: &device,
        attestation: Some(attestation.to_value()),
        sig: &sig_hex,
        key: &key,
        certificates: evidence.as_ref().ok().map(super::sigfile::evidence_value),
    };
    // 6a. Detached: a signature file to carry to the ceremony machine.
    if let Some(out) = &opts.detached {
        check_new()?;
        write_detached(c, out, &record, &new_sigs, evidence.as_ref().ok(), origin)?;
        report.line(detached_line(&record, out));
        report.json = Some(sign_json(
            "signed-detached",
            role,
            md,
            &payload,
            &keyholder,
            &matches,
            Some(out),
            Vec::new(),
        )?);
        return Ok(report);
    }
    // 6b. Saved into the working file: verified, recorded, committed, in that order.
    let mut md = c.take_working(role, parsed);
    replace_signatures(&mut md.signatures, new_sigs);
    save_checked(c, role, &md, check_new, |p| {
        if let Some(policy) = super::policy_record::event(c)? {
            p.record(&policy)?;
        }
        p.record(&record.event(None))
    })?;
    report.line(format!(
        "{} signed {} v{} (payload {})",
        escape(&keyholder),
        escape(role),
        md.version(),
        short(&record.digest)
    ));
    // 7. Where the thresholds stand, each requirement checked once for the words and
    //    `--json` alike.
    let checked: Vec<_> = reqs
        .iter()
        .map(|r| (r.label.as_str(), r.check(&md, &payload.bytes)))
        .collect();
    super::sign_screen::checked_lines(&checked, &mut report);
    report.json = Some(sign_json(
        "signed",
        role,
        &md,
        &payload,
        &keyholder,
        &matches,
        None,
        counts_of(&checked),
    )?);
    Ok(report)
}

/// Each requirement counted, for `--json`.
fn counts(reqs: &[Requirement], md: &Metadata, payload: &Payload) -> Vec<ThresholdCount> {
    reqs.iter()
        .map(|r| (r.label.as_str(), r.check(md, &payload.bytes)))
        .collect::<Vec<_>>()
        .iter()
        .map(count_of)
        .collect()
}

/// [`counts`] of requirements already checked.
fn counts_of(checked: &[(&str, crate::verify::ThresholdReport)]) -> Vec<ThresholdCount> {
    checked.iter().map(count_of).collect()
}

fn count_of((label, t): &(&str, crate::verify::ThresholdReport)) -> ThresholdCount {
    ThresholdCount {
        label: label.to_string(),
        signed: t.counted.len(),
        threshold: t.threshold,
        met: t.met(),
    }
}

/// `sign --json`: the fields of what was signed (the lines say the same in words).
#[allow(clippy::too_many_arguments)]
fn sign_json(
    verdict: &'static str,
    role: &RoleName,
    md: &Metadata,
    payload: &Payload,
    keyholder: &str,
    matches: &[(String, Key)],
    detached: Option<&Path>,
    thresholds: Vec<ThresholdCount>,
) -> Result<Value> {
    Ok(crate::output::to_value(&SignJson {
        verdict,
        role: role.to_string(),
        version: md.version(),
        keyholder: keyholder.to_string(),
        keyids: matches.iter().map(|(id, _)| id.clone()).collect(),
        payload_sha256: payload.sha256_hex(),
        detached: detached.map(|p| p.display().to_string()),
        thresholds,
    })?)
}

/// Step 1 of [`sign`]: the working metadata and its payload, the requirements it must meet,
/// and the checks made before any key is touched ([`presign_checks`], the policy's).
fn read_for_signing(
    c: &Ceremony,
    role: &RoleName,
    report: &mut Report,
) -> Result<(super::Parsed, Vec<Requirement>)> {
    let parsed = c.working_shared(role)?.ok_or_else(|| c.no_working(role))?;
    let md = &parsed.0;
    let reqs = c.requirements(role, md)?;
    for w in presign_checks(c, role, md, &reqs)? {
        report.warn(w);
    }
    super::policy::check_sign(c, role)?;
    Ok((parsed, reqs))
}

/// Step 2 of [`sign`]: the same RSA key may be listed under another scheme than the device
/// signs with: its signature would not count there, so nothing is signed.
fn check_scheme(
    role: &RoleName,
    signer: &dyn crate::signer::Signer,
    key: &Key,
    matches: &[(String, Key)],
) -> Result<()> {
    if let Some((id, listed)) = matches.iter().find(|(_, k)| k.scheme != key.scheme) {
        return Err(Refusal::SchemeMismatch {
            role: role.to_string(),
            device: signer.device().description.clone(),
            keyid: id.clone(),
            listed_scheme: listed.scheme.clone(),
            device_scheme: key.scheme.clone(),
        }
        .into());
    }
    Ok(())
}

/// Step 3a of [`sign`]: where the key lives, as the device proves it (crate::attest),
/// recorded with the signature. An attestation that does not verify is shown and recorded,
/// not a reason to refuse: whether the key may sign is root's to say.
fn judge_attestation(
    c: &Ceremony,
    evidence: crate::signer::AttestationEvidence,
    key: &Key,
    trust: &crate::attest::Trust,
    report: &mut Report,
) -> crate::attest::Status {
    crate::attest::judge(evidence, key, trust, c.now).unwrap_or_else(|e| {
        report.warn(format!(
            "the device's attestation of this key does not verify: {e}"
        ));
        crate::attest::Status::NotAttested(format!("its attestation does not verify: {e}"))
    })
}

/// Step 5 of [`sign`]: the new signature verifies against the device's key and against
/// each key object it is filed under; otherwise nothing is saved.
fn verify_new(
    key: &Key,
    matches: &[(String, Key)],
    payload: &[u8],
    sig_hex: &str,
    device: &Device,
) -> Result<()> {
    // The device's key, then each key object the signature is filed under that differs
    // from it (another scheme for the same RSA key): the same key and scheme would check
    // the same bytes the same way twice.
    let listed = matches.iter().map(|(_, k)| k).filter(|k| *k != key);
    for k in std::iter::once(key).chain(listed) {
        crate::verify::signature_verifies(k, payload, sig_hex).map_err(|why| {
            Failure::NewSignatureInvalid {
                device: device.description.clone(),
                scheme: k.scheme.clone(),
                why,
            }
        })?;
    }
    Ok(())
}

/// Step 5 of [`sign`]: the one signature, filed under each keyid the key is listed as.
fn new_signatures(matches: &[(String, Key)], sig_hex: &str) -> Vec<Signature> {
    matches
        .iter()
        .map(|(id, _)| Signature {
            keyid: id.clone(),
            sig: sig_hex.to_string(),
            extra: Object::new(),
        })
        .collect()
}

/// Step 2 of [`sign`]: the keyids of `role` the device's key is, or a refusal naming who
/// may sign (and, if the key is of another scheme than the role's keys, saying so).
fn authorize(
    c: &Ceremony,
    role: &RoleName,
    md: &Metadata,
    reqs: &[Requirement],
    key: &Key,
    device: &str,
) -> Result<Vec<(String, Key)>> {
    let matches = matching_keyids(reqs, key);
    if !matches.is_empty() {
        return Ok(matches);
    }
    let mut needed: Vec<String> = Vec::new();
    let mut schemes: Vec<String> = Vec::new();
    for r in reqs {
        for id in &r.authorized.keyids {
            let who = c.who(id, r.authorized.keys.get(id));
            if !needed.contains(&who) {
                needed.push(who);
            }
            if let Some(k) = r.authorized.keys.get(id) {
                if !schemes.contains(&k.scheme) {
                    schemes.push(k.scheme.clone());
                }
            }
        }
    }
    Err(Refusal::KeyMayNotSign {
        device: device.to_string(),
        keyid: key.keyid(),
        owner: c.keyholder_of(key).map(str::to_string),
        role: role.to_string(),
        version: md.version(),
        may_sign: needed,
        key_scheme: key.scheme.clone(),
        role_schemes: schemes,
    }
    .into())
}

/// Whether every keyid the key signs under already holds a signature of it that verifies.
fn already_signed(md: &Metadata, matches: &[(String, Key)], payload: &[u8]) -> bool {
    matches.iter().all(|(id, k)| {
        md.signatures.iter().any(|s| {
            &s.keyid == id && crate::verify::signature_verifies(k, payload, &s.sig).is_ok()
        })
    })
}

/// Step 2 of [`sign`], when the key may not sign: a key with no recorded keyholder that
/// says it is (or is signed `--as`) a keyholder this ceremony records another key for is
/// most often that keyholder's key of another ceremony. Says so, naming both keyids.
fn not_the_recorded_key(
    c: &Ceremony,
    named: Option<&str>,
    key: &Key,
    device: &str,
) -> Option<Error> {
    let name = named?;
    if c.keyholder_of(key).is_some() {
        return None;
    }
    let recorded: Vec<String> = c
        .state
        .keyholders
        .iter()
        .filter(|k| k.name == name)
        .map(|k| k.key.keyid())
        .collect();
    if recorded.is_empty() {
        return None;
    }
    Some(
        Refusal::NotTheRecordedKey {
            device: device.to_string(),
            keyid: key.keyid(),
            name: name.to_string(),
            recorded,
        }
        .into(),
    )
}

/// Step 3 of [`sign`]: the keyholder the ceremony records for the key; `--as` may only
/// repeat it. `--as` never names the holder of a key nobody is recorded for: a name typed
/// at the signing moment is only that person's word, and the transcript would record
/// whoever they said, so it is refused as `merge` refuses a signature file's word. Such a
/// key signs under the name its key file was made with (`key generate --keyholder`), if
/// any.
pub(super) fn resolve_keyholder(
    c: &Ceremony,
    as_name: Option<&str>,
    key: &Key,
    from_device: Option<String>,
) -> Result<String> {
    let keyholder = match (as_name, c.keyholder_of(key)) {
        (Some(given), Some(rec)) if given != rec => {
            return Err(Refusal::AsOtherKeyholder {
                recorded: rec.to_string(),
                given: given.to_string(),
            }
            .into())
        }
        (_, Some(rec)) => rec.to_string(),
        (Some(given), None) => {
            return Err(Refusal::AsWithoutKeyholder {
                keyid: key.keyid(),
                given: given.to_string(),
                dir: c.dir.clone(),
            }
            .into());
        }
        (None, None) => from_device.ok_or_else(|| Refusal::NoKeyholder {
            keyid: key.keyid(),
            dir: c.dir.clone(),
        })?,
    };
    crate::keyfile::check_keyholder_name(&keyholder)?;
    Ok(keyholder)
}

/// Saves `md`, which holds a new signature, as the role's working file only if `check` (the
/// new signature verifies) passes, then `record` (its transcript lines) succeeds, in that
/// order: verified, recorded, committed. The new file is written beside the old one and
/// replaces it last, with the `files` line that records its digest (see [`Pending`]); a
/// failed check or record removes it and leaves the old file. Killed at any point, the
/// ceremony holds the old file or the new one, as with any other write.
fn save_checked(
    c: &Ceremony,
    role: &RoleName,
    md: &Metadata,
    check: impl Fn() -> Result<()>,
    record: impl FnOnce(&mut Pending) -> Result<()>,
) -> Result<()> {
    check()?;
    let mut p = Pending::new(c, "sign");
    p.working_signed(role, md)?;
    record(&mut p)?;
    p.commit()
}

/// From a request, only a keyholder the request names for the key signs: the name a key
/// file holds, or one given with `--as`, is the signer's word alone, and `merge` would
/// refuse a signature by a key its ceremony names nobody for.
fn named_keyholder(c: &Ceremony, key: &Key) -> Result<()> {
    if c.keyholder_of(key).is_some() {
        return Ok(());
    }
    Err(Refusal::RequestNamesNoKeyholder {
        dir: c.dir.clone(),
        keyid: key.keyid(),
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceremony::sigfile::parse_sigfile;

    /// `sign --detached` puts the device's attestation certificates (never a verdict) into
    /// the signature file, exactly as the device handed them over, so that `merge` can
    /// verify them; a signer with none (a key file) writes the file as before.
    #[test]
    fn a_detached_signature_file_carries_the_devices_certificates() {
        let dir = tempfile::tempdir().unwrap();
        let c = Ceremony::open_or_create(dir.path(), 0).unwrap();
        let device = Device {
            kind: "yubihsm".into(),
            identity: "serial 7550040".into(),
            description: "YubiHSM 2 serial 7550040".into(),
        };
        let record = SignRecord {
            role: &RoleName::ROOT,
            version: 1,
            digest: "ab".repeat(32),
            keyholder: "alice",
            keyids: vec!["cd"],
            scheme: "ecdsa-sha2-nistp256",
            device: &device,
            attestation: None,
            sig: "00",
            key: &key(),
            certificates: None,
        };
        let sigs = new_signatures(&[("cd".into(), key())], "00");
        let evidence = crate::attest::Evidence {
            kind: crate::attest::DeviceKind::YubiHsm2,
            key_certificate: vec![1, 2, 3],
            device_certificate: vec![4, 5, 6, 7],
        };
        let with = dir.path().join("with.sig.json");
        write_detached(&c, &with, &record, &sigs, Some(&evidence), Origin::Folder).unwrap();
        let carried = parse_sigfile(&with).unwrap().attestation.unwrap();
        let back = carried.evidence().unwrap();
        assert_eq!(back.kind, crate::attest::DeviceKind::YubiHsm2);
        assert_eq!(back.key_certificate, evidence.key_certificate);
        assert_eq!(back.device_certificate, evidence.device_certificate);
        let without = dir.path().join("without.sig.json");
        write_detached(&c, &without, &record, &sigs, None, Origin::Folder).unwrap();
        assert!(parse_sigfile(&without).unwrap().attestation.is_none());
        let text = std::fs::read_to_string(&without).unwrap();
        assert!(!text.contains("attestation"), "{text}");
    }

    fn key() -> Key {
        Key::ed25519(&ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key())
    }

    /// A signature counts only once it verifies: when the check fails (or the transcript
    /// cannot record it), the working file stays the old one and nothing is left beside it.
    #[test]
    fn a_new_signature_is_saved_only_after_it_verifies_and_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let c = Ceremony::open_or_create(dir.path(), 0).unwrap();
        let md = Metadata::from_bytes(
            br#"{"signatures":[{"keyid":"k","sig":"00"}],"signed":{"_type":"targets",
            "expires":"2030-01-01T00:00:00Z","spec_version":"1.0.31","targets":{},"version":1}}"#,
        )
        .unwrap();
        std::fs::create_dir_all(dir.path()).unwrap();
        let path = c.working_path(&RoleName::CLAIMED);
        std::fs::write(&path, b"old").unwrap();
        let listing = || {
            let mut names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect();
            names.sort();
            names
        };
        let before = listing();

        let recorded = std::cell::Cell::new(false);
        let bad = save_checked(
            &c,
            &RoleName::CLAIMED,
            &md,
            || {
                Err(Failure::NewSignatureInvalid {
                    device: "a test device".into(),
                    scheme: "ed25519".into(),
                    why: "does not verify".into(),
                }
                .into())
            },
            |_| {
                recorded.set(true);
                Ok(())
            },
        );
        assert!(bad.is_err());
        assert!(!recorded.get(), "a failed check must not be recorded");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(listing(), before);

        let unrecorded = save_checked(
            &c,
            &RoleName::CLAIMED,
            &md,
            || Ok(()),
            |_| Err(Error::bug("a record made to fail")),
        );
        assert!(unrecorded.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(listing(), before);

        save_checked(
            &c,
            &RoleName::CLAIMED,
            &md,
            || Ok(()),
            |_| {
                recorded.set(true);
                Ok(())
            },
        )
        .unwrap();
        assert!(recorded.get());
        assert_eq!(std::fs::read(&path).unwrap(), md.to_file_bytes());
        // Beside the file: the transcript recording it, and the state file of a folder
        // bound by its record; nothing temporary is left.
        let mut expected = before.clone();
        expected.extend(["ceremony.json".to_string(), "transcript.jsonl".to_string()]);
        expected.sort();
        assert_eq!(listing(), expected);
    }
}
