//! `merge`: signatures made on another machine (`sign --detached`, `request sign`) brought
//! back on the USB stick. Each is checked as `sign` checks its own before it is saved: made
//! for this ceremony, over the payload the folder holds now, by a key the role lists, by the
//! keyholder the ceremony records for that key; and it is recorded in the transcript with
//! the signature itself and any device certificates, so the record is evidence.

use super::pending::Pending;
use super::sigfile::{parse_sigfile, SigFile};
use super::sign::replace_signatures;
use super::{Ceremony, Report};
use crate::display::{self, escape};
use crate::error::{Error, Result};
use crate::fsutil::Input;
use crate::json::{self, Value};
use crate::keys::Key;
use crate::metadata::{Metadata, Payload};
use crate::names::RoleName;
use crate::outcome::{Refusal, Rejection};
use crate::output::{Embedded, MergeJson, MergedJson};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `merge SIGFILE…`: verifies each detached signature against the current payload and the
/// keys that may sign it, then adds them. Nothing is added unless every file checks out.
///
/// A signature is recorded for the keyholder this ceremony records for the key that made
/// it ([`Ceremony::keyholder_of`]), never for the name written in the file: anyone can
/// write a name into a file, and the transcript and report would then say the wrong person
/// signed. A file whose name differs from the recorded one is refused, as `sign --as` is.
///
/// The device attestation a file carries is verified here, against `trust`, as `sign`
/// verifies a device's: only what verifies on this machine is recorded as attested.
pub fn merge(c: &Ceremony, files: &[PathBuf], trust: &crate::attest::Trust) -> Result<Report> {
    let mut report = Report::default();
    // 1. Every signature file parsed, and made for this ceremony: one that names another
    //    is refused with that reason, not as a payload that changed on the way.
    let mut parsed = Vec::new();
    let here = super::identity::identity(c)?;
    for path in files {
        let f = parse_sigfile(path).map_err(|e| merge_refusal(c, path, e))?;
        check_same_ceremony(&f, here.as_deref())?;
        parsed.push(f);
    }
    // 2. Verified: each file against the working role it signs, before anything is written.
    //    Each role is read once, with the payload written while reading: several signature
    //    files for a PyPI-scale claimed do not each write and hash its 20 MB again.
    let mut by_role: BTreeMap<RoleName, (Metadata, Payload)> = BTreeMap::new();
    // Each file with the keyholder recorded for the key that made its signatures, and what
    // its device attestation proves.
    let mut checked: Vec<(SigFile, String, Key, crate::attest::Status)> = Vec::new();
    for f in parsed {
        read_signed_role(c, &mut by_role, &f)?;
        let (keyholder, key) = verify_sigfile(c, &f, &by_role[&f.role])?;
        let attestation = judge_carried(c, &f, &key, trust, &mut report);
        checked.push((f, keyholder, key, attestation));
    }
    // 3. Recorded: every transcript line and every changed role are written together, or
    //    nothing is.
    let mut pending = Pending::new(c, "merge");
    let mut merged = Vec::new();
    for (f, keyholder, key, attestation) in checked {
        let (md, _) = by_role
            .get_mut(&f.role)
            .ok_or_else(|| Error::bug(format!("merge lost the working {} it read", f.role)))?;
        pending.record(&merge_event(&f, &keyholder, &key, &attestation))?;
        merged.push(MergedJson {
            file: f.path.display().to_string(),
            file_sha256: f.file_sha256.clone(),
            role: f.role.to_string(),
            version: f.version,
            keyholder: keyholder.clone(),
            keyids: f.signatures.iter().map(|s| s.keyid.clone()).collect(),
            payload_sha256: f.payload_sha256.clone(),
            attestation: attestation.summary(),
        });
        replace_signatures(&mut md.signatures, f.signatures);
        report.line(format!(
            "merged {}'s signature on {} v{} from {} ({})",
            escape(&keyholder),
            escape(&f.role),
            f.version,
            display::path(&f.path),
            escape(&attestation.summary())
        ));
    }
    // 4. Committed.
    for (role, (md, _)) in &by_role {
        pending.working(role, md)?;
    }
    pending.commit()?;
    report.json = Some(crate::output::to_value(&MergeJson {
        verdict: "merged",
        merged,
    })?);
    Ok(report)
}

/// Step 2 of [`merge`]: what the device attestation a signature file carries proves about
/// the key that made its signatures (`key`, verified already). The certificates are
/// verified here as `sign` verifies a device's: a chain to a CA in `trust`, valid at the
/// ceremony's clock, attesting this very key. Evidence that does not verify is recorded as
/// not attested and warned about; it never stops the signature, which stands on its own,
/// and never counts as attested.
fn judge_carried(
    c: &Ceremony,
    f: &SigFile,
    key: &Key,
    trust: &crate::attest::Trust,
    report: &mut Report,
) -> crate::attest::Status {
    use crate::attest::Status;
    let Some(carried) = &f.attestation else {
        return Status::NotAttested("the signature file carries no device attestation".into());
    };
    let verified = carried.evidence().and_then(|evidence| {
        let store = trust.store(evidence.kind).map_err(|e| e.to_string())?;
        crate::attest::verify(&evidence, key, &store, c.now).map_err(|e| e.to_string())
    });
    verified.map(Status::Verified).unwrap_or_else(|why| {
        report.warn(format!(
            "{}: the device attestation it carries does not verify: {why}. The signature is merged (it verifies on its own); the key is recorded as not attested",
            display::path(&f.path)
        ));
        Status::NotAttested(format!("its attestation does not verify: {why}"))
    })
}

/// Step 2 of [`merge`]: the working role `f` signs, read into `by_role` the first time a
/// file names it, so that each role is read (and its payload hashed) once.
fn read_signed_role(
    c: &Ceremony,
    by_role: &mut BTreeMap<RoleName, (Metadata, Payload)>,
    f: &SigFile,
) -> Result<()> {
    if !by_role.contains_key(&f.role) {
        let read = c
            .working_with_payload(&f.role)
            .and_then(|read| read.ok_or_else(|| c.no_working(&f.role)))
            .map_err(|e| Rejection::SignsNoWorkingRole {
                file: f.path.clone(),
                role: f.role.to_string(),
                why: e.to_string(),
            })?;
        by_role.insert(f.role.clone(), read);
    }
    Ok(())
}

/// Step 2 of [`merge`]: the file signs this very payload and version, each of its
/// signatures is by a key that may sign the role and verifies (only such a signature counts
/// toward a threshold), and the keyholder is the one recorded for the key. Returns the
/// keyholder and the key: a signature file holds the signatures of one key (`sign
/// --detached` writes one key's, filed under each keyid it is listed as), which its
/// device's certificates attest and its transcript line names.
fn verify_sigfile(
    c: &Ceremony,
    f: &SigFile,
    (md, payload): &(Metadata, Payload),
) -> Result<(String, Key)> {
    let digest = payload.sha256_hex();
    if f.payload_sha256 != digest || f.version != md.version() {
        return Err(Refusal::StaleSignature {
            file: f.path.clone(),
            role: f.role.to_string(),
            signed_version: f.version,
            signed_payload: f.payload_sha256.clone(),
            version: md.version(),
            payload: digest,
        }
        .into());
    }
    let reqs = c.requirements(&f.role, md)?;
    let authorized = crate::verify::authorized_keys(reqs.iter().map(|r| &r.authorized));
    let mut keyholder = None;
    let mut keys: Vec<Key> = Vec::new();
    for s in &f.signatures {
        let key =
            authorized
                .get(s.keyid.as_str())
                .copied()
                .ok_or_else(|| Refusal::KeyIdMayNotSign {
                    file: f.path.clone(),
                    keyid: s.keyid.clone(),
                    role: f.role.to_string(),
                    version: md.version(),
                })?;
        crate::verify::signature_verifies(key, &payload.bytes, &s.sig).map_err(|why| {
            Refusal::MergedSignatureInvalid {
                file: f.path.clone(),
                signer: c.describe(&s.keyid, Some(key)),
                why,
            }
        })?;
        keyholder = Some(recorded_keyholder(c, f, &s.keyid, key)?);
        if !keys.iter().any(|k| k.identity() == key.identity()) {
            keys.push(key.clone());
        }
    }
    let keyholder = keyholder.ok_or_else(|| Rejection::SigFileEmpty {
        file: f.path.clone(),
    })?;
    match <[Key; 1]>::try_from(keys) {
        Ok([key]) => Ok((keyholder, key)),
        Err(keys) => Err(Refusal::SigFileOfManyKeys {
            file: f.path.clone(),
            keys: keys.len(),
        }
        .into()),
    }
}

/// Step 3 of [`merge`]: the transcript's `merge` event, with the signature file's own
/// digest, so an audit can tie the signatures added to the file carried over, and what its
/// device attestation proved here (`attestation`, as a `sign` event records it).
fn merge_event<'a>(
    f: &'a SigFile,
    keyholder: &'a str,
    key: &Key,
    attestation: &crate::attest::Status,
) -> super::events::Merge<'a> {
    super::events::Merge {
        attestation: Embedded(attestation.to_value()),
        role: f.role.as_str(),
        version: f.version,
        payload_sha256: &f.payload_sha256,
        keyholder,
        keyids: f.signatures.iter().map(|s| s.keyid.as_str()).collect(),
        device: Embedded(f.device.clone()),
        signed_at: &f.signed_at,
        file: f.path.display().to_string(),
        file_sha256: &f.file_sha256,
        signatures: f
            .signatures
            .iter()
            .map(|s| super::events::SignatureRecord {
                keyid: &s.keyid,
                sig: &s.sig,
            })
            .collect(),
        key: Some(Embedded(super::evidence::key_value(key))),
        certificates: f.attestation.as_ref().map(|a| Embedded(a.to_value())),
    }
}

/// The keyholder this ceremony records for `key`, which made the signature `keyid` in `f`
/// (already verified), checked against the name the file gives. Refuses a different name,
/// and a key no keyholder is recorded for: the file's word alone names nobody.
fn recorded_keyholder(c: &Ceremony, f: &SigFile, keyid: &str, key: &Key) -> Result<String> {
    match c.keyholder_of(key) {
        Some(recorded) if recorded == f.keyholder => Ok(recorded.to_string()),
        Some(recorded) => Err(Refusal::SigFileOtherKeyholder {
            file: f.path.clone(),
            claimed: f.keyholder.clone(),
            keyid: keyid.to_string(),
            recorded: recorded.to_string(),
        }
        .into()),
        None => Err(Refusal::SigFileNoKeyholder {
            file: f.path.clone(),
            keyid: keyid.to_string(),
            claimed: f.keyholder.clone(),
            dir: c.dir.clone(),
            role: f.role.to_string(),
        }
        .into()),
    }
}

/// `merge`: a file that is no signature file (`e`, why) but a signing request is named as
/// one, and one from another ceremony with that reason.
fn merge_refusal(c: &Ceremony, path: &Path, e: Error) -> Error {
    let theirs = crate::fsutil::read_bounded(path, &Input::SIGNATURE_FILE)
        .ok()
        .and_then(|b| json::parse(&b).ok())
        .filter(|v| v.get("format").and_then(Value::as_str) == Some(super::sigfile::REQUEST_FORMAT))
        .and_then(|v| {
            v.get("ceremony")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    match (theirs, super::identity::identity(c)) {
        (Some(theirs), Ok(Some(here))) if theirs != here => Refusal::RequestOfOtherCeremony {
            file: path.to_path_buf(),
            theirs,
            here,
        }
        .into(),
        _ => e,
    }
}

/// `merge`: a signature file that names another ceremony is refused with that reason (its
/// payload would differ too, but the fix is another folder, not another signature).
fn check_same_ceremony(f: &SigFile, here: Option<&str>) -> Result<()> {
    match (&f.ceremony, here) {
        (Some(theirs), Some(here)) if theirs != here => Err(Refusal::SignatureOfOtherCeremony {
            file: f.path.clone(),
            theirs: theirs.clone(),
            here: here.to_string(),
        }
        .into()),
        _ => Ok(()),
    }
}
