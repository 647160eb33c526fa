//! `rstuf import` and `rstuf export`: the offline half of an RSTUF (Repository Service for
//! TUF) ceremony. RSTUF signs root offline and every other role online; its CLI carries
//! JSON payloads between its server and the offline machine (shapes in [`crate::rstuf`]).
//!
//! In: the root a payload carries is loaded exactly as `load` loads a file (its signed
//! bytes unchanged, the trusted root of a rotation recorded as `load --trusted` records
//! it); a signature carried alone (RSTUF's sign payload, a bare `{keyid, sig}`, go-tuf's
//! `add-signatures` list) is added only as `merge` adds one: it verifies over the exact
//! payload, by a key that may sign the role, whose keyholder this ceremony records.
//!
//! Out: the bootstrap or update payload with the signatures collected (every other member
//! as read), or one sign payload. Only signatures that verify by a key of the role go in:
//! RSTUF's bootstrap refuses the whole payload for one that does not, an empty `"sig": ""`
//! placeholder included.

use super::events;
use super::load::{load_sources, Source};
use super::pending::Pending;
use super::{digest_hex, read_public_key, short, Ceremony, Report, Requirement};
use crate::display::{self, escape};
use crate::error::{Error, Result};
use crate::json::{self, Object, Value};
use crate::metadata::{Metadata, Payload, Signature};
use crate::names::RoleName;
use crate::outcome::{Refusal, Rejection};
use crate::rstuf::{self as payloads, BareSignature, Incoming};
use crate::verify::Label;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What `rstuf export` writes.
pub enum ExportKind {
    /// The bootstrap payload read from this file, with the signatures collected.
    Bootstrap(PathBuf),
    /// A metadata update payload (root rotation); with a file, that payload's other
    /// members are kept.
    Update(Option<PathBuf>),
    /// One sign payload: the named keyholder's signature on root.
    Sign { keyholder: String },
}

/// Reads an RSTUF document, naming the file in any error.
fn read_incoming(path: &Path) -> Result<(Incoming, Vec<u8>)> {
    let bytes = crate::fsutil::read(path)?;
    let incoming = payloads::read(&bytes).map_err(|why| {
        Error::Invalid(format!(
            "{}: not a document RSTUF hands over: {why}",
            display::path(path)
        ))
    })?;
    Ok((incoming, bytes))
}

/// Loads a root carried in a payload through the one load path.
fn load_root(value: &Value, path: &Path, at: &str) -> Result<(Metadata, Payload)> {
    let loaded = Metadata::load_value(value.clone())
        .map_err(|e| Error::format(format!("{} ({at})", path.display()), e))?;
    if loaded.metadata.root().is_none() {
        return Err(Error::Invalid(format!(
            "{} ({at}): holds {} metadata, not root",
            display::path(path),
            loaded.metadata.signed.type_name()
        )));
    }
    Ok((loaded.metadata, loaded.payload))
}

/// `rstuf import FILE`.
pub fn import(
    c: &mut Ceremony,
    path: &Path,
    role: &RoleName,
    keyholders: &[(String, PathBuf)],
) -> Result<Report> {
    let (incoming, bytes) = read_incoming(path)?;
    let mut note = None;
    let (root, trusted_root, at) = match &incoming {
        Incoming::Bootstrap(doc) | Incoming::Update(doc) => (
            payloads::root_in(doc).map_err(Error::Invalid)?.clone(),
            None,
            "metadata.root",
        ),
        Incoming::Pending {
            root,
            trusted_root,
            others,
        } => {
            if !others.is_empty() {
                // Only root is signed offline; the rest is RSTUF's to sign.
                note = Some(format!(
                    "{} also lists {} pending; those are signed with RSTUF's own tools",
                    display::path(path),
                    escape(&others.join(", "))
                ));
            }
            (root.clone(), trusted_root.clone(), "data.metadata.root")
        }
        Incoming::SignPayload { role, signature } => {
            let role = RoleName::parse(role)
                .map_err(|e| Error::Invalid(format!("{}: $.role: {e}", display::path(path))))?;
            return import_signatures(
                c,
                path,
                &bytes,
                incoming.kind(),
                &role,
                std::slice::from_ref(signature),
                keyholders,
            );
        }
        Incoming::Bare(s) => {
            return import_signatures(
                c,
                path,
                &bytes,
                incoming.kind(),
                role,
                std::slice::from_ref(s),
                keyholders,
            )
        }
        Incoming::GoTuf(list) => {
            return import_signatures(c, path, &bytes, incoming.kind(), role, list, keyholders)
        }
    };
    // A root in a payload: checked as a file of its own would be, then loaded by `load`.
    let (md, _) = load_root(&root, path, at)?;
    let mut sources = Vec::new();
    if let Some(t) = &trusted_root {
        let at = "data.metadata.trusted_root";
        load_root(t, path, at)?;
        sources.push(Source {
            label: PathBuf::from(format!("{} ({at})", path.display())),
            bytes: json::pretty(t),
            trusted: true,
            successor: false,
        });
    }
    sources.push(Source {
        label: PathBuf::from(format!("{} ({at})", path.display())),
        bytes: json::pretty(&root),
        trusted: false,
        successor: true,
    });
    let mut report = load_sources(c, sources, keyholders)?;
    report
        .lines
        .insert(0, format!("{}: {}", display::path(path), incoming.kind()));
    report.warnings.extend(note);
    if let Incoming::Bootstrap(doc) = &incoming {
        if let Some(settings) = doc.get("settings").and_then(Value::as_object) {
            for why in payloads::settings_refusals(settings) {
                report.warn(format!(
                    "{}: RSTUF's API would refuse these settings: {why}; `rstuf export --bootstrap` will refuse this payload",
                    display::path(path)
                ));
            }
        }
    }
    let place = format!("{} ({at})", path.display());
    for w in payloads::root_warnings(super::as_root(&md)?, &place) {
        report.warn(w);
    }
    describe_keys(c, &md, &mut report);
    Ok(report)
}

/// One line per root key: its RSTUF name and the keyholder recorded for it, so the
/// administrator can name the keyholders (`--keyholder NAME=PUBFILE`) before anyone signs.
fn describe_keys(c: &Ceremony, md: &Metadata, report: &mut Report) {
    let Some(root) = md.root() else { return };
    let Some(own) = root.role("root") else { return };
    report.line(format!(
        "root v{} needs {} of its {} root key(s):",
        root.common.version,
        own.threshold,
        own.keyids.len()
    ));
    let mut unnamed = false;
    for id in &own.keyids {
        let key = root.keys.get(id);
        let rstuf_name = key
            .and_then(|k| k.extra.get(payloads::KEY_NAME_FIELD))
            .and_then(Value::as_str)
            .map(|n| format!(" (RSTUF name \"{}\")", escape(n)))
            .unwrap_or_default();
        let holder = match key.and_then(|k| c.keyholder_of(k)) {
            Some(name) => format!("held by {}", escape(name)),
            None => {
                unnamed = true;
                "no keyholder recorded".to_string()
            }
        };
        report.line(format!("  key {}{rstuf_name}: {holder}", short(id)));
    }
    if unnamed {
        report.line("Name each keyholder before they sign: `tuf-ceremony rstuf import FILE --keyholder NAME=PUBFILE` (the RSTUF name is the payload's word, not a record of who holds the key)");
    }
}

/// The keyids the requirements authorize, each with its key (see
/// [`crate::verify::authorized_keys`]).
fn authorized(reqs: &[Requirement]) -> HashMap<&str, &crate::keys::Key> {
    crate::verify::authorized_keys(reqs.iter().map(|r| &r.authorized))
}

/// Adds signatures carried alone, after the checks `merge` makes of a signature file:
/// each verifies over the current payload, by a key that may sign the role, whose
/// keyholder this ceremony records. All or nothing.
fn import_signatures(
    c: &mut Ceremony,
    path: &Path,
    bytes: &[u8],
    kind: &str,
    role: &RoleName,
    sigs: &[BareSignature],
    keyholders: &[(String, PathBuf)],
) -> Result<Report> {
    // 1. Name the keyholders given on the command line.
    for (name, pubfile) in keyholders {
        let key = read_public_key(pubfile)?;
        c.name_key(name, &key)?;
    }
    let c: &Ceremony = c;
    // 2. The payload the signatures must cover, and who may sign it.
    let (mut md, payload) = c
        .working_with_payload(role)?
        .ok_or_else(|| c.no_working(role))
        .map_err(|e| Rejection::SignsNoWorkingRole {
            file: path.to_path_buf(),
            role: role.to_string(),
            why: e.to_string(),
        })?;
    let file = display::path(path);
    let reqs = c.requirements(role, &md)?;
    // 3. Every signature checked before any is kept.
    let keys = authorized(&reqs);
    let checked = check_imported(c, path, role, &md, &payload, &keys, sigs)?;
    // 4. Recorded, added (replacing an earlier signature by the same keyid), committed.
    let mut p = Pending::new(c, "merge");
    let mut report = Report::default();
    let file_sha256 = digest_hex(bytes);
    for (s, keyholder) in &checked {
        p.record(&events::MergeImported {
            role: role.as_str(),
            version: md.version(),
            payload_sha256: payload.sha256_hex(),
            keyholder,
            keyids: vec![s.keyid.as_str()],
            device: events::DeviceRecord {
                kind: "imported",
                identity: &file_sha256,
                description: kind,
            },
            file: path.display().to_string(),
            file_sha256: file_sha256.clone(),
            signatures: vec![events::SignatureRecord {
                keyid: &s.keyid,
                sig: &s.sig,
            }],
            key: keys
                .get(s.keyid.as_str())
                .map(|k| crate::output::Embedded(super::evidence::key_value(k))),
        })?;
        report.line(format!(
            "imported {}'s signature on {} v{} from {file} ({kind})",
            escape(keyholder),
            escape(role),
            md.version()
        ));
    }
    let replaced: std::collections::HashSet<&str> =
        checked.iter().map(|(s, _)| s.keyid.as_str()).collect();
    md.signatures
        .retain(|e| !replaced.contains(e.keyid.as_str()));
    md.signatures.extend(checked.iter().map(|(s, _)| Signature {
        keyid: s.keyid.clone(),
        sig: s.sig.clone(),
        extra: Object::new(),
    }));
    p.working(role, &md)?;
    if !keyholders.is_empty() {
        p.state()?;
    }
    p.commit()?;
    // 5. Where the thresholds stand now.
    super::sign_screen::threshold_lines(&reqs, &md, &payload, &mut report);
    Ok(report)
}

/// Step 3 of [`import_signatures`]: each signature once, by a key that may sign the role,
/// verifying over the exact payload, by a key whose keyholder this ceremony records, with
/// that keyholder's name. One that fails refuses the whole file.
fn check_imported<'s>(
    c: &Ceremony,
    path: &Path,
    role: &RoleName,
    md: &Metadata,
    payload: &Payload,
    keys: &HashMap<&str, &crate::keys::Key>,
    sigs: &'s [BareSignature],
) -> Result<Vec<(&'s BareSignature, String)>> {
    let mut checked = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in sigs {
        if !seen.insert(s.keyid.as_str()) {
            return Err(Rejection::ImportedKeyIdTwice {
                file: path.to_path_buf(),
                keyid: s.keyid.clone(),
            }
            .into());
        }
        let key = keys.get(s.keyid.as_str()).copied().ok_or_else(|| {
            Refusal::ImportedKeyIdMayNotSign {
                file: path.to_path_buf(),
                keyid: s.keyid.clone(),
                role: role.to_string(),
                version: md.version(),
            }
        })?;
        crate::verify::signature_verifies(key, &payload.bytes, &s.sig).map_err(|why| {
            Refusal::ImportedSignatureInvalid {
                file: path.to_path_buf(),
                signer: c.describe(&s.keyid, Some(key)),
                role: role.to_string(),
                version: md.version(),
                payload: payload.sha256_hex(),
                why,
            }
        })?;
        let keyholder = c
            .keyholder_of(key)
            .ok_or_else(|| Refusal::ImportedNoKeyholder {
                file: path.to_path_buf(),
                keyid: s.keyid.clone(),
            })?;
        checked.push((s, keyholder.to_string()));
    }
    Ok(checked)
}

/// The signatures of `md` that RSTUF counts: each verifies by a key that `reqs` authorize
/// (the root's own root keys for a bootstrap; the trusted root's too for an update).
/// Every other signature is named in a warning and left out.
fn verifying(
    c: &Ceremony,
    md: &Metadata,
    payload: &Payload,
    reqs: &[Requirement],
    report: &mut Report,
) -> Vec<Signature> {
    let keys = authorized(reqs);
    let mut out = Vec::new();
    for s in &md.signatures {
        let why = match crate::verify::verified_by(&payload.bytes, s, &keys) {
            Ok(_) => {
                out.push(Signature {
                    keyid: s.keyid.clone(),
                    sig: s.sig.clone(),
                    extra: Object::new(),
                });
                continue;
            }
            Err(Label::NotAuthorized) => "its keyid may not sign this root".to_string(),
            Err(Label::EmptyPlaceholder) => "an empty placeholder".to_string(),
            Err(Label::Invalid(why)) => format!("it does not verify ({why})"),
            Err(other) => other.describe(),
        };
        report.warn(format!(
            "the signature by {} is left out: {why}. RSTUF refuses a bootstrap holding any signature that does not verify",
            c.describe(&s.keyid, keys.get(s.keyid.as_str()).copied())
        ));
    }
    out
}

/// `rstuf export --bootstrap FILE | --update [FILE] | --sign --keyholder NAME --out OUT`.
///
/// Every mode writes signed root metadata that RSTUF publishes, so every mode passes the
/// export gate (`export::gate`) and writes only the root it clears: the ceremony's policy
/// is applied exactly as `export` applies it (same refusal, same exit code), and the
/// transcript's `export` line records the policy's digest and root's thresholds. No mode
/// requires the thresholds met (`Demand::SignaturesStillToCollect`):
///
/// - `--bootstrap` and `--update` may carry a root below its threshold on purpose: RSTUF
///   then holds it as pending signatures and the missing keyholders may sign it with
///   RSTUF's own tools (`rstuf admin metadata sign`), and RSTUF publishes it without it
///   passing through this ceremony again. A bootstrap needs at least one signature that
///   verifies (RSTUF's worker refuses one with none), so `--bootstrap` refuses to write one
///   without; its `settings` are checked against RSTUF's models too. So the policy must hold already here: this may
///   be the ceremony's last look at the root RSTUF publishes.
/// - `--sign` writes one keyholder's signature for a root RSTUF holds pending; that
///   signature may be the one that completes it, so the same policy holds for it.
pub fn export(c: &Ceremony, kind: &ExportKind, out: &Path) -> Result<Report> {
    let mut report = Report::default();
    let role = RoleName::ROOT;
    let cleared = super::export::gate(
        c,
        std::slice::from_ref(&role),
        super::export::Demand::SignaturesStillToCollect,
        &mut report,
    )?;
    let (md, payload) = cleared.metadata(c, &role)?;
    let root = super::as_root(md)?;
    let place = c.working_path(&role).display().to_string();
    for w in payloads::root_warnings(root, &place) {
        report.warn(w);
    }
    let reqs = c.requirements(&role, md)?;
    let trusted = c.trusted(&role)?.filter(|t| t.version() < md.version());
    let (value, what) = match kind {
        ExportKind::Sign { keyholder } => {
            let s = keyholder_signature(c, md, &payload, &reqs, keyholder)?;
            report.line(format!(
                "{}'s signature on root v{} (keyid {}) for `rstuf admin send sign`",
                escape(keyholder),
                md.version(),
                short(&s.keyid)
            ));
            (payloads::sign_payload(role.as_str(), &s), "sign")
        }
        ExportKind::Bootstrap(from) => {
            if let Some(t) = &trusted {
                return Err(Error::Refused(format!(
                    "root v{} follows the trusted root v{}: that is a rotation, which RSTUF takes as a metadata update. Use `tuf-ceremony rstuf export --update`",
                    md.version(),
                    t.version()
                )));
            }
            let doc = match read_incoming(from)?.0 {
                Incoming::Bootstrap(doc) => doc,
                other => {
                    return Err(Error::Invalid(format!(
                        "{}: {}, not the RSTUF bootstrap payload (`rstuf admin ceremony --out`) --bootstrap takes",
                        display::path(from),
                        other.kind()
                    )))
                }
            };
            same_root(&doc, from, md, &payload)?;
            refuse_settings(&doc, from)?;
            let own = &reqs[..1];
            let sigs = verifying(c, md, &payload, own, &mut report);
            if sigs.is_empty() {
                // repository-service-tuf-worker 1.0.0rc1 to 1.0.2, `bootstrap`: a root with no
                // signature fails ("Metadata requires at least one valid signature"); it is
                // held as pending only with at least one that verifies.
                return Err(Error::Refused(format!(
                    "root v{} holds no signature by one of its root keys that verifies, and RSTUF refuses a bootstrap with none (\"Metadata requires at least one valid signature\"); nothing was written. Have a keyholder sign first: `tuf-ceremony sign root --signer …`",
                    md.version()
                )));
            }
            let root_value = with_signatures(md, sigs);
            (payloads::with_root(&doc, root_value), "bootstrap")
        }
        ExportKind::Update(from) => {
            let Some(t) = &trusted else {
                return Err(Error::Refused(format!(
                    "there is no trusted root older than root v{} in this ceremony, so this is no rotation: RSTUF's metadata update needs the root it replaces. Record it with `tuf-ceremony load --trusted N.root.json` (the root RSTUF serves now), or use --bootstrap",
                    md.version()
                )));
            };
            if t.version() + 1 != md.version() {
                return Err(Error::Refused(format!(
                    "root v{} does not follow the trusted root v{} by one version; RSTUF takes only v{}",
                    md.version(),
                    t.version(),
                    t.version() + 1
                )));
            }
            let root_value = with_signatures(md, verifying(c, md, &payload, &reqs, &mut report));
            match from {
                Some(from) => {
                    let doc = match read_incoming(from)?.0 {
                        Incoming::Update(doc) => doc,
                        other => {
                            return Err(Error::Invalid(format!(
                                "{}: {}, not the RSTUF metadata update payload (`rstuf admin metadata update --out`) --update takes",
                                display::path(from),
                                other.kind()
                            )))
                        }
                    };
                    same_root(&doc, from, md, &payload)?;
                    (payloads::with_root(&doc, root_value), "update")
                }
                None => (payloads::update_payload(root_value), "update"),
            }
        }
    };
    let bytes = json::pretty(&value);
    let counted: Vec<String> = cleared
        .thresholds(&role)
        .into_iter()
        .flat_map(|t| t.counted)
        .collect();
    check_written(&bytes, kind, &payload, &counted)?;
    if what != "sign" {
        let written = payloads::read(&bytes)
            .ok()
            .and_then(|i| match i {
                Incoming::Bootstrap(d) | Incoming::Update(d) => payloads::root_in(&d).ok().cloned(),
                _ => None,
            })
            .and_then(|v| Metadata::from_value(v).ok());
        if let Some(w) = written {
            summarize(c, &w, &payload, &reqs, &mut report);
        }
    }
    let mut p = Pending::new(c, "export");
    p.write_new(out, &bytes)?;
    cleared.record(
        &mut p,
        &events::RstufExport {
            out: out.display().to_string(),
            rstuf: what,
            role: role.as_str(),
            version: md.version(),
            payload_sha256: payload.sha256_hex(),
            files: vec![events::FileDigest {
                file: out
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default(),
                sha256: digest_hex(&bytes),
            }],
            policy_sha256: cleared.policy_sha256(),
            thresholds: cleared.thresholds(&role),
        },
    )?;
    p.commit()?;
    report.line(format!(
        "wrote {} (RSTUF {what} payload); on the online machine: `rstuf admin send {what} {}`",
        display::path(out),
        out.file_name()
            .map(|f| display::path(Path::new(f)))
            .unwrap_or_default()
    ));
    Ok(report)
}

/// Refuses a bootstrap payload whose `settings` RSTUF's API would refuse (see
/// [`payloads::settings_refusals`]): the payload would be written for nothing.
fn refuse_settings(doc: &Object, from: &Path) -> Result<()> {
    let Some(settings) = doc.get("settings").and_then(Value::as_object) else {
        return Ok(());
    };
    let why = payloads::settings_refusals(settings);
    if why.is_empty() {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "{}: RSTUF's API would refuse this bootstrap payload's settings: {}; nothing was written. Make the payload again with `rstuf admin ceremony`",
        display::path(from),
        why.join("; ")
    )))
}

/// Refuses a payload whose root is not the working root: the signatures collected cover
/// the working root's bytes, and would not verify over another.
fn same_root(doc: &Object, from: &Path, md: &Metadata, payload: &Payload) -> Result<()> {
    let value = payloads::root_in(doc)
        .map_err(|why| Error::Invalid(format!("{}: {why}", display::path(from))))?;
    let (theirs, their_payload) = load_root(value, from, "metadata.root")?;
    if their_payload.sha256 != payload.sha256 {
        return Err(Error::Refused(format!(
            "{}: its root v{} (payload {}) is not the root of this ceremony, v{} (payload {}); the signatures collected here would not verify over it. Give the payload this ceremony's root was imported from",
            display::path(from),
            theirs.version(),
            short(&their_payload.sha256_hex()),
            md.version(),
            short(&payload.sha256_hex())
        )));
    }
    Ok(())
}

/// The working root with `signatures` instead of its own, as a JSON value (written by the
/// metadata model, so `signed` keeps its bytes).
fn with_signatures(md: &Metadata, signatures: Vec<Signature>) -> Value {
    let mut out = md.clone();
    out.signatures = signatures;
    out.to_value()
}

/// Defence in depth: what is written reads back as the same kind of document, and its
/// root (if any) loads with exactly the payload the signatures were checked over and still
/// holds every signature the gate counted (`counted`), so the thresholds the transcript
/// records are those of what was written.
fn check_written(
    bytes: &[u8],
    kind: &ExportKind,
    payload: &Payload,
    counted: &[String],
) -> Result<()> {
    let back = payloads::read(bytes)
        .map_err(|why| Error::bug(format!("the RSTUF payload would not read back: {why}")))?;
    let root = match (&back, kind) {
        (Incoming::Bootstrap(d), ExportKind::Bootstrap(_))
        | (Incoming::Update(d), ExportKind::Update(_)) => payloads::root_in(d)
            .map_err(|why| Error::bug(format!("the RSTUF payload written has no root: {why}")))?,
        (Incoming::SignPayload { .. }, ExportKind::Sign { .. }) => return Ok(()),
        _ => {
            return Err(Error::bug(format!(
                "the RSTUF payload reads back as {}",
                back.kind()
            )))
        }
    };
    let loaded = Metadata::load_value(root.clone())
        .map_err(|e| Error::bug(format!("the root written would not load: {e}")))?;
    if loaded.payload.sha256 != payload.sha256 {
        return Err(Error::bug(
            "the root written has other signed bytes than the working root",
        ));
    }
    let sigs = &loaded.metadata.signatures;
    if let Some(id) = counted
        .iter()
        .find(|id| !sigs.iter().any(|s| s.keyid == **id))
    {
        return Err(Error::bug(format!(
            "the root written lacks the signature by {} that its thresholds counted",
            short(id)
        )));
    }
    Ok(())
}

/// Where each threshold stands in what was written; below a threshold RSTUF keeps the root
/// pending until the missing keyholders' sign payloads arrive.
fn summarize(
    c: &Ceremony,
    written: &Metadata,
    payload: &Payload,
    reqs: &[Requirement],
    report: &mut Report,
) {
    let mut pending = false;
    for r in reqs {
        let t = r.check(written, &payload.bytes);
        let names: Vec<String> = t
            .missing
            .iter()
            .map(|id| c.who(id, r.authorized.keys.get(id)))
            .collect();
        report.line(format!(
            "  {}: {} signed, {} needed{}",
            r.label,
            t.counted.len(),
            t.threshold,
            if t.met() {
                " (met)".to_string()
            } else {
                format!("; still needed from {}", names.join(", "))
            }
        ));
        pending |= !t.met();
    }
    if pending {
        report.line("RSTUF will hold this root as pending signatures; each missing keyholder signs it and sends a sign payload (`tuf-ceremony rstuf export --sign --keyholder NAME`, or `rstuf admin metadata sign`)");
    }
}

/// The keyholder's verified signature on the working root.
fn keyholder_signature(
    c: &Ceremony,
    md: &Metadata,
    payload: &Payload,
    reqs: &[Requirement],
    keyholder: &str,
) -> Result<BareSignature> {
    let Some(holder) = c.state.keyholders.iter().find(|k| k.name == keyholder) else {
        return Err(Error::Invalid(format!(
            "no keyholder named {} in this ceremony (`tuf-ceremony status` names them)",
            escape(keyholder)
        )));
    };
    let identity = holder.key.identity();
    let keys = authorized(reqs);
    md.signatures
        .iter()
        .find(|s| {
            crate::verify::verified_by(&payload.bytes, s, &keys)
                .is_ok_and(|k| k.identity() == identity)
        })
        .map(|s| BareSignature {
            keyid: s.keyid.clone(),
            sig: s.sig.clone(),
        })
        .ok_or_else(|| {
            Error::Refused(format!(
                "root v{} holds no signature by {} that verifies; nothing was written. Sign first: `tuf-ceremony sign root --signer …`",
                md.version(),
                escape(keyholder)
            ))
        })
}
