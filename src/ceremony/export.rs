//! `export --out DIR`: writes the signed metadata a repository publishes, only when every
//! threshold is met and nothing has expired, and then records it as the trusted version
//! the next ceremony follows.
//!
//! Files: `N.root.json` and `root.json`; `targets.json` and each delegated `NAME.json`, plus
//! `N.targets.json`/`N.NAME.json` when root sets `consistent_snapshot` (TUF spec 5.6.1 and
//! 5.6.7: clients then fetch the versioned name). A versioned file is never replaced by
//! different bytes; an unversioned one only by a newer version of the same role.

use super::events::{self, FileDigest};
use super::pending::Pending;
use super::{as_root, digest_hex, status::role_status_and_metadata, Ceremony, Report};
use crate::error::{Error, Result};
use crate::metadata::Metadata;
use crate::names::RoleName;
use std::path::{Path, PathBuf};

struct Planned {
    path: PathBuf,
    bytes: Vec<u8>,
    role: String,
    version: u64,
    versioned: bool,
}

/// `export --out DIR`: the TUF spec 5.3-5.6 client checks first, then every file checked
/// before any is written, then prepare, record, commit (see [`Pending`]).
pub fn export(c: &Ceremony, out: &Path) -> Result<Report> {
    let mut report = Report::default();
    // 1. The ceremony's own policy (proofs of possession, attestations) is met, and named.
    super::policy::check_export(c)?;
    super::policy::name_in_force(c, &mut report)?;
    // 2. Every role a client would fetch meets its thresholds and has not expired.
    let roles = exportable_roles(c, &mut report)?;
    // 3. The files to write, versioned where root asks for consistent snapshots.
    let plan = plan_files(&roles, out);
    // 4. Every file checked against what is already there before any is written.
    let skip = check_existing(&plan, &mut report)?;
    // 5. Prepared: the folder, the published files, the trusted copies.
    let mut pending = Pending::new(c, "export");
    pending.folder(out, 0o755)?;
    let files = prepare_files(&mut pending, &plan, skip, &mut report)?;
    prepare_trusted(c, &mut pending, &roles)?;
    // 6. Recorded in the transcript.
    if let Some(policy) = super::policy::event(c)? {
        pending.record(&policy)?;
    }
    pending.record(&export_event(out, files, &roles))?;
    // 7. Committed: the files put in place.
    pending.commit()?;
    report.line(
        "exported; these versions are now the trusted ones the next edit in this directory follows"
            .to_string(),
    );
    for line in super::audit::head_lines(c)? {
        report.line(line);
    }
    Ok(report)
}

/// Step 2 of [`export`]: each role read once (the metadata checked is the metadata written),
/// with every reason a TUF client would refuse it gathered, so one refusal names them all
/// and nothing is written.
fn exportable_roles(c: &Ceremony, report: &mut Report) -> Result<Vec<(RoleName, Metadata)>> {
    let mut problems = Vec::new();
    let mut roles: Vec<(RoleName, Metadata)> = Vec::new();
    // A ceremony that signs root alone exports root alone (see `root_only`).
    let root_only = super::root_only::is_root_only(c)?;
    if root_only {
        super::root_only::describe(c, report)?;
    }
    for role in c.roles() {
        // The metadata checked here is the metadata written: one read of each role.
        let Some((st, md)) = role_status_and_metadata(c, &role)? else {
            if role == "root" || (role == "targets" && !root_only) {
                problems.push(format!("{role}: there is no {role}.json to export"));
            }
            continue;
        };
        for (label, t) in &st.thresholds {
            if !t.met() {
                let missing: Vec<String> = t
                    .missing
                    .iter()
                    .map(|id| id.chars().take(8).collect())
                    .collect();
                problems.push(format!(
                    "{role} v{}: {label}: {} of {} signatures, {} more needed (run `tuf-ceremony status` to see who; missing keys {})",
                    st.version, t.counted.len(), t.threshold, t.still_needed(), missing.join(", ")
                ));
            }
        }
        problems.extend(st.problems.iter().map(|p| format!("{role}: {p}")));
        for w in st.warnings {
            report.warn(w);
        }
        roles.push((role.clone(), md));
    }
    if !problems.is_empty() {
        return Err(Error::Failed(format!(
            "export refused; nothing was written. A TUF client would refuse this metadata:\n  - {}",
            problems.join("\n  - ")
        )));
    }
    Ok(roles)
}

/// Step 3 of [`export`]: `N.root.json` always, `N.ROLE.json` for the others when root sets
/// `consistent_snapshot` (TUF spec 5.6.1, 5.6.7), and the unversioned name of each.
fn plan_files(roles: &[(RoleName, Metadata)], out: &Path) -> Vec<Planned> {
    let consistent = roles
        .iter()
        .find(|(r, _)| *r == RoleName::ROOT)
        .and_then(|(_, md)| md.root().and_then(|r| r.consistent_snapshot))
        .unwrap_or(false);
    let mut plan = Vec::new();
    for (role, md) in roles {
        let bytes = md.to_file_bytes();
        let v = md.version();
        let versioned = role == "root" || consistent;
        if versioned {
            plan.push(Planned {
                path: out.join(role.versioned_file_name(v)),
                bytes: bytes.clone(),
                role: role.to_string(),
                version: v,
                versioned: true,
            });
        }
        plan.push(Planned {
            path: out.join(role.file_name()),
            bytes,
            role: role.to_string(),
            version: v,
            versioned: false,
        });
    }
    plan
}

/// Step 4 of [`export`]: whether each planned file is already there with the same bytes
/// (skipped), or may be replaced (only an unversioned file holding an older version of the
/// same role), checked for every file before any is written, so a refusal writes nothing.
fn check_existing(plan: &[Planned], report: &mut Report) -> Result<Vec<bool>> {
    let mut skip = Vec::new();
    for p in plan {
        if !p.path.exists() {
            skip.push(false);
            continue;
        }
        let existing = crate::fsutil::read(&p.path)?;
        if existing == p.bytes {
            skip.push(true);
            continue;
        }
        if p.versioned {
            return Err(Error::Refused(format!(
                "{} already exists with different contents; a versioned metadata file is never replaced. Export to an empty directory, or find out why two different {} v{} exist",
                p.path.display(), p.role, p.version
            )));
        }
        let older = Metadata::from_bytes(&existing).ok().filter(|m| {
            m.signed.type_name() == if p.role == "root" { "root" } else { "targets" }
                && m.version() < p.version
        });
        match older {
            Some(m) => {
                report.line(format!("{}: replacing v{} with v{}", p.path.display(), m.version(), p.version));
                skip.push(false);
            }
            None => {
                return Err(Error::Refused(format!(
                    "{} already exists and is not an older {}; it is not replaced. Export to an empty directory",
                    p.path.display(), p.role
                )))
            }
        }
    }
    Ok(skip)
}

/// Step 5 of [`export`], the published files: everything is prepared (the export folder
/// made 0755 whatever the umask, each file written beside its place) before the transcript
/// records the export and the files are put in place, so a refusal or a full disk on the
/// way changes nothing. Returns the transcript's list of files and their digests.
fn prepare_files(
    pending: &mut Pending,
    plan: &[Planned],
    skip: Vec<bool>,
    report: &mut Report,
) -> Result<Vec<FileDigest>> {
    let mut files = Vec::new();
    for (p, skip) in plan.iter().zip(skip) {
        if !skip {
            pending.write(&p.path, &p.bytes)?;
        }
        report.line(format!(
            "{} {} ({} v{})",
            if skip { "unchanged" } else { "wrote" },
            p.path.display(),
            p.role,
            p.version
        ));
        files.push(FileDigest {
            file: p
                .path
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default(),
            sha256: digest_hex(&p.bytes),
        });
    }
    Ok(files)
}

/// Step 5 of [`export`], the trusted copies: what was published is what the next ceremony
/// follows (root also under its version, so the chain of trusted roots stays whole).
fn prepare_trusted(
    c: &Ceremony,
    pending: &mut Pending,
    roles: &[(RoleName, Metadata)],
) -> Result<()> {
    for (role, md) in roles {
        let versioned = c.trusted_versioned_path(role, md.version());
        let latest = c.trusted_path(role);
        if *role == RoleName::ROOT {
            as_root(md)?;
            pending.metadata_to(&[&versioned, &latest], md)?;
        } else {
            pending.metadata(&latest, md)?;
        }
    }
    Ok(())
}

/// Step 6 of [`export`]: the transcript's `export` event, naming each file's digest and each
/// role's version, payload digest and signing keyids, so an audit can tie the published
/// files to the signatures recorded before them.
fn export_event<'a>(
    out: &Path,
    files: Vec<FileDigest>,
    roles: &'a [(RoleName, Metadata)],
) -> events::Export<'a> {
    events::Export {
        out: out.display().to_string(),
        files,
        roles: roles
            .iter()
            .map(|(r, md)| events::ExportedRole {
                role: r.as_str(),
                version: md.version(),
                payload_sha256: digest_hex(&md.payload()),
                signatures: md.signatures.iter().map(|s| s.keyid.as_str()).collect(),
            })
            .collect(),
    }
}
