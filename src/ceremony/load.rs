//! `load`: metadata made elsewhere brought into a ceremony, as working files or (`--trusted`)
//! as the published versions the next ones must follow (TUF spec 5.3.4). Each file is
//! checked by [`super::load_check`] before it is taken.

use super::edits::read_named;
use super::events;
use super::load_check::{check_loadable, judge_trusted_root, Findings};
use super::pending::Pending;
use super::{as_root, digest_hex, Ceremony, Report};
use crate::error::{Error, Result};
use crate::metadata::{Loaded, Metadata, Payload};
use crate::names::{self as names, NameKind, RoleName};
use crate::outcome::{Refusal, Rejection};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

fn load_event(
    p: &mut Pending<'_>,
    role: &RoleName,
    md: &Metadata,
    payload: &Payload,
    file: Option<(&Path, &[u8])>,
    trusted: bool,
) -> Result<()> {
    p.record(&events::Load {
        role: role.as_str(),
        version: md.version(),
        payload_sha256: payload.sha256_hex(),
        trusted,
        signatures: md.signatures.iter().map(|s| s.keyid.as_str()).collect(),
        file: file.map(|(path, _)| path.display().to_string()),
        file_sha256: file.map(|(_, bytes)| digest_hex(bytes)),
    })
}

/// The role a loaded file stands for: root by its `_type`; targets or a delegated role by
/// its file name (`targets.json`, `3.targets.json`, `claimed.json`).
fn role_of(md: &Metadata, path: &Path) -> Result<RoleName> {
    if md.root().is_some() {
        return Ok(RoleName::ROOT);
    }
    if md.targets().is_none() {
        return Err(Rejection::OnlineRoleLoaded {
            file: path.to_path_buf(),
            type_name: md.signed.type_name().to_string(),
        }
        .into());
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = file.strip_suffix(".json").unwrap_or(&file);
    let stem = match stem.split_once('.') {
        Some((n, rest)) if n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => stem,
    };
    if stem == "targets" {
        return Ok(RoleName::TARGETS);
    }
    // The name becomes the role's file name here and in trusted/: a file whose name would
    // make it `1.root`, `ceremony` or a path is refused before anything is written.
    RoleName::parse_delegated(stem).map_err(|name| {
        Rejection::FileNameNotRole {
            file: path.to_path_buf(),
            name,
        }
        .into()
    })
}

/// `load`: imports metadata made elsewhere without changing its signed bytes; with
/// `trusted`, records it as the last published version the next one must follow.
pub fn load(
    c: &mut Ceremony,
    files: &[PathBuf],
    trusted: bool,
    keyholders: &[(String, PathBuf)],
) -> Result<Report> {
    let mut sources = Vec::with_capacity(files.len());
    for path in files {
        let bytes = crate::fsutil::read(path)?;
        sources.push(Source {
            label: path.clone(),
            bytes,
            trusted,
            successor: false,
        });
    }
    load_sources(c, sources, keyholders)
}

/// One metadata document for [`load_sources`]: a file's bytes, or a document carried inside
/// another file (an RSTUF payload), named by `label` in messages and the transcript.
pub struct Source {
    pub label: PathBuf,
    pub bytes: Vec<u8>,
    /// Record it as the trusted (published) version rather than as working metadata.
    pub trusted: bool,
    /// A later version may replace a working file that is already published (the same
    /// payload as the trusted version), which loses nothing: how a rotation made elsewhere
    /// (an RSTUF metadata update) follows the last export.
    pub successor: bool,
}

/// A document of [`load_sources`] once parsed: where it came from, its bytes, its metadata
/// and payload, its role, and whether it is (trusted, a successor).
type Parsed = (PathBuf, Vec<u8>, Metadata, Payload, RoleName, (bool, bool));

/// [`load`] of documents already read; each may be trusted or working, and all are
/// checked before anything is written (one transcript write, one commit).
pub fn load_sources(
    c: &mut Ceremony,
    sources: Vec<Source>,
    keyholders: &[(String, PathBuf)],
) -> Result<Report> {
    let mut report = Report::default();
    // 1. The keyholders named on the command line.
    read_named(c, keyholders)?;
    // 2. Validate everything before changing anything: each document parsed, its role named.
    let mut loaded = parse_sources(c, sources)?;
    //    The folder held to its record first: what is loaded is compared with what the
    //    record holds, never with a file changed by hand in its place. A working file of
    //    a role loaded now may have been moved away on purpose.
    let replaced: Vec<RoleName> = loaded
        .iter()
        .filter(|(_, _, _, _, _, (trusted, _))| !trusted)
        .map(|(_, _, _, _, role, _)| role.clone())
        .collect();
    c.held_except_moved_away(&replaced)?;
    // 3. Delegators before the roles they delegate to, older versions first, trusted first.
    loaded.sort_by_key(|(_, _, md, _, role, (trusted, _))| {
        (role != "root", role != "targets", md.version(), !trusted)
    });
    // 4. Each checked against the metadata that delegates to it.
    check_sources(c, &loaded, &mut report)?;
    for (_, _, _, _, role, _) in &loaded {
        if role != "root" && role != "targets" && !c.state.delegated.contains(role) {
            c.state.delegated.push(role.clone());
        }
    }
    let c: &Ceremony = c;
    let mut p = Pending::new(c, "load");
    // 5. Prepared and recorded, one document at a time. What this command has staged so
    //    far is read before the files on disk: a chain of trusted roots loaded at once is
    //    checked link by link, and nothing is written until every file has passed.
    let mut staged_trusted: BTreeMap<RoleName, Metadata> = BTreeMap::new();
    let mut staged_working: BTreeMap<RoleName, (Metadata, Payload)> = BTreeMap::new();
    for (path, bytes, md, payload, role, (trusted, successor)) in loaded {
        if trusted {
            load_trusted(
                c,
                &mut p,
                &mut staged_trusted,
                &role,
                &md,
                &path,
                &mut report,
            )?;
            load_event(&mut p, &role, &md, &payload, Some((&path, &bytes)), true)?;
            report.line(format!(
                "trusted {role} v{} recorded from {}: the next {role} must follow it",
                md.version(),
                path.display()
            ));
            continue;
        }
        let md = stage_working(
            c,
            &mut staged_working,
            (&path, &role, md, &payload, successor),
            &mut report,
        )?;
        load_event(&mut p, &role, &md, &payload, Some((&path, &bytes)), false)?;
        report.line(format!(
            "loaded {} as {role} v{} ({} signature(s)); its signed bytes are unchanged (payload sha256 {})",
            path.display(),
            md.version(),
            md.signatures.len(),
            payload.sha256_hex()
        ));
        staged_working.insert(role, (md, payload));
    }
    // 6. Committed: the working files and the state, after the transcript.
    for (role, (md, _)) in &staged_working {
        p.working(role, md)?;
    }
    p.state()?;
    p.commit()?;
    Ok(report)
}

/// Step 2 of [`load_sources`]: each document parsed as metadata, its role taken from its
/// file name, and refused if that name is too close to a role of this ceremony or of
/// another document loaded with it (two names a keyholder could confuse).
fn parse_sources(c: &Ceremony, sources: Vec<Source>) -> Result<Vec<Parsed>> {
    let mut loaded: Vec<Parsed> = Vec::new();
    for Source {
        label: path,
        bytes,
        trusted,
        successor,
    } in sources
    {
        let path = &path;
        let Loaded {
            metadata: md,
            payload,
        } = Metadata::load(bytes.as_slice()).map_err(|e| Error::format(path, e))?;
        let role = role_of(&md, path)?;
        let known = c.roles();
        let others = known
            .iter()
            .chain(loaded.iter().map(|(_, _, _, _, r, _)| r))
            .map(|r| r.as_str());
        names::check_distinct(
            NameKind::Role,
            &role,
            others,
            "a role of this ceremony or another file loaded",
        )
        .map_err(|clash| Refusal::LoadNameClash {
            file: path.clone(),
            clash,
        })?;
        loaded.push((path.clone(), bytes, md, payload, role, (trusted, successor)));
    }
    Ok(loaded)
}

/// Step 4 of [`load_sources`]: each document checked against its delegator (root for
/// targets, targets for a delegated role; the one loaded with it, else the working one).
fn check_sources(c: &Ceremony, loaded: &[Parsed], report: &mut Report) -> Result<()> {
    for (path, _, md, _, role, (trusted, _)) in loaded {
        let trusted = *trusted;
        let delegator = match role.as_str() {
            "root" => None,
            "targets" => loaded
                .iter()
                .rev()
                .find(|(_, _, _, _, r, _)| *r == RoleName::ROOT)
                .map(|(_, _, m, _, _, _)| m.clone())
                .or(c.working_opt(&RoleName::ROOT)?),
            _ => loaded
                .iter()
                .rev()
                .find(|(_, _, _, _, r, _)| *r == RoleName::TARGETS)
                .map(|(_, _, m, _, _, _)| m.clone())
                .or(c.working_opt(&RoleName::TARGETS)?),
        };
        // A root loaded as trusted is judged with the root it must follow, below.
        if !(trusted && *role == RoleName::ROOT) {
            check_loadable(path, role, md, delegator.as_ref(), trusted)?.add_to(report);
        }
    }
    Ok(())
}

/// Step 5 of [`load_sources`] for working metadata: the document, with the signatures of
/// the working copy of the same payload added, or a refusal if a different payload is
/// already there (loading would lose it and its signatures). A successor may replace a
/// working copy that is already published.
fn stage_working(
    c: &Ceremony,
    staged_working: &mut BTreeMap<RoleName, (Metadata, Payload)>,
    (path, role, md, payload, successor): (&Path, &RoleName, Metadata, &Payload, bool),
    report: &mut Report,
) -> Result<Metadata> {
    let mut md = md;
    let mut existing = match staged_working.remove(role) {
        Some(staged) => Some(staged),
        None => c.working_with_payload(role)?,
    };
    if successor {
        let published = match (&existing, c.trusted_with_payload(role)?) {
            (Some((w, wp)), Some((_, tp))) => {
                (wp.sha256 == tp.sha256 && w.version() < md.version()).then(|| w.version())
            }
            _ => None,
        };
        if let Some(v) = published {
            existing = None;
            report.line(format!(
                "{role} v{v} here is the published one (trusted/{role}.json); {} v{} follows it",
                path.display(),
                md.version()
            ));
        }
    }
    if let Some((existing, existing_payload)) = existing {
        if existing_payload.sha256 != payload.sha256 {
            return Err(Refusal::WorkingHoldsAnother {
                working: c.working_path(role),
                role: role.to_string(),
                version: existing.version(),
                payload: existing_payload.sha256_hex(),
                file: path.to_path_buf(),
                signatures: existing.signatures.len(),
            }
            .into());
        }
        let mut added = 0;
        let mut merged = existing;
        let mut present: HashSet<String> =
            merged.signatures.iter().map(|e| e.keyid.clone()).collect();
        for s in md.signatures {
            if present.insert(s.keyid.clone()) {
                merged.signatures.push(s);
                added += 1;
            }
        }
        md = merged;
        if let Some(why) = crate::metadata::too_many_signatures(md.signatures.len()) {
            return Err(Refusal::TooManySignatures {
                working: c.working_path(role),
                file: path.to_path_buf(),
                why,
            }
            .into());
        }
        report.line(format!(
            "{role}: same payload as the working copy; {added} signature(s) added from {}",
            path.display()
        ));
    }
    Ok(md)
}

fn load_trusted(
    c: &Ceremony,
    p: &mut Pending<'_>,
    staged: &mut BTreeMap<RoleName, Metadata>,
    role: &RoleName,
    md: &Metadata,
    path: &Path,
    report: &mut Report,
) -> Result<()> {
    let trusted = |role: &RoleName| -> Result<Option<Metadata>> {
        match staged.get(role) {
            Some(md) => Ok(Some(md.clone())),
            None => c.trusted(role),
        }
    };
    let refuse = |unmet: Option<(usize, u64)>, why: Vec<String>| -> Error {
        Refusal::NotTrusted {
            file: path.to_path_buf(),
            unmet,
            why,
        }
        .into()
    };
    match role.as_str() {
        "root" => {
            let previous = trusted(&RoleName::ROOT)?;
            if let Some(prev) = &previous {
                if prev.payload() == md.payload() {
                    return Ok(());
                }
            }
            judge_trusted_root(path, md, previous.as_ref())?.add_to(report);
            p.metadata_to(
                &[
                    &c.trusted_versioned_path(&RoleName::ROOT, md.version()),
                    &c.trusted_path(&RoleName::ROOT),
                ],
                md,
            )?;
        }
        _ => {
            let threshold = if *role == RoleName::TARGETS {
                let root =
                    trusted(&RoleName::ROOT)?.ok_or_else(|| Refusal::TrustedDelegatorFirst {
                        file: path.to_path_buf(),
                        role: role.to_string(),
                    })?;
                crate::verify::verify_targets(md, as_root(&root)?)
                    .map_err(|e| refuse(None, vec![e.to_string()]))?
            } else {
                let targets =
                    trusted(&RoleName::TARGETS)?.ok_or_else(|| Refusal::TrustedDelegatorFirst {
                        file: path.to_path_buf(),
                        role: role.to_string(),
                    })?;
                crate::verify::verify_delegated_role(md, &targets, role)
                    .map_err(|e| refuse(None, vec![e.to_string()]))?
            };
            let mut found = Findings::default();
            found.labels(&path.display().to_string(), &threshold.signatures);
            if !threshold.met() {
                let why = found.warnings.iter().chain(&found.notes).cloned();
                return Err(refuse(
                    Some((threshold.counted.len(), threshold.threshold)),
                    why.collect(),
                ));
            }
            found.add_to(report);
            p.metadata(&c.trusted_path(role), md)?;
        }
    }
    staged.insert(role.clone(), md.clone());
    Ok(())
}
