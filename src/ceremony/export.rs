//! `export --out DIR`: writes the signed metadata a repository publishes, only when every
//! threshold is met and nothing has expired, and then records it as the trusted version
//! the next ceremony follows.
//!
//! Files: `N.root.json` and `root.json`; `targets.json` and each delegated `NAME.json`, plus
//! `N.targets.json`/`N.NAME.json` when root sets `consistent_snapshot` (TUF spec 5.6.1 and
//! 5.6.7: clients then fetch the versioned name). A versioned file is never replaced by
//! different bytes; an unversioned one only by a newer version of the same role.
//!
//! `gate` is the one way out for signed metadata: `export` and every `rstuf export` mode
//! obtain what they write only from the `Cleared` it returns, after the ceremony policy
//! and the thresholds were checked, and record what it checked with their `export` event.

use super::events::{self, FileDigest};
use super::pending::Pending;
use super::{as_root, digest_hex, status::role_status_and_metadata, Ceremony, Report};
use crate::error::Result;
use crate::metadata::{Metadata, Payload};
use crate::names::RoleName;
use crate::outcome::{Failure, GateProblem, Refusal};
use crate::verify::ThresholdReport;
use sha2::{Digest, Sha256};
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
    // A ceremony that signs root alone exports root alone (see `root_only`).
    if super::root_only::is_root_only(c)? {
        super::root_only::describe(c, &mut report)?;
    }
    // 1-2. The gate: the ceremony's own policy, then every role a client would fetch meets
    //      its thresholds and has not expired.
    let cleared = gate(c, &c.roles(), Demand::EveryThreshold, &mut report)?;
    //      The policy in force (or its recorded removal) named.
    super::policy_record::name_in_force(c, &mut report)?;
    // 3. The files to write, versioned where root asks for consistent snapshots.
    let plan = plan_files(cleared.roles(), out);
    // 4. Every file checked against what is already there before any is written.
    let skip = check_existing(&plan, &mut report)?;
    // 5. Prepared: the folder, the published files, the trusted copies.
    let mut pending = Pending::new(c, "export");
    super::refuse_output_inside(out, "an export")?;
    pending.folder(out, 0o755)?;
    let exported: Vec<crate::output::ExportedFile> = plan
        .iter()
        .zip(&skip)
        .map(|(p, skip)| crate::output::ExportedFile {
            file: p.path.display().to_string(),
            role: p.role.clone(),
            version: p.version,
            sha256: digest_hex(&p.bytes),
            written: !skip,
        })
        .collect();
    let files = prepare_files(&mut pending, &plan, skip, &mut report)?;
    prepare_trusted(c, &mut pending, cleared.roles())?;
    // 6. Recorded in the transcript, with what the gate checked.
    cleared.record(&mut pending, &export_event(out, files, &cleared))?;
    // 7. Committed: the files put in place.
    pending.commit()?;
    report.line(
        "exported; these versions are now the trusted ones the next edit in this directory follows"
            .to_string(),
    );
    for line in super::transcript_check::head_lines(c)? {
        report.line(line);
    }
    let (line, head) = c.transcript().head()?;
    report.json = Some(crate::output::to_value(&crate::output::ExportJson {
        verdict: "exported",
        out: out.display().to_string(),
        files: exported,
        transcript_head: head,
        transcript_line: line,
    })?);
    Ok(report)
}

/// What [`gate`] asks of the thresholds of the metadata it clears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Demand {
    /// Every threshold met: the files go to a repository whose clients verify them as they
    /// are (`export`; TUF spec 5.3.4, 5.6.3). One unmet threshold refuses.
    EveryThreshold,
    /// Thresholds recorded as they stand, met or not, because the receiver collects the
    /// missing signatures itself: RSTUF holds a root below its threshold as pending
    /// signatures (`GET /api/v1/metadata/sign`) and completes it from sign payloads
    /// (`rstuf admin send sign`), never coming back here. So this is the last time the
    /// ceremony sees that root, and everything else the gate checks still applies in full:
    /// the policy (proofs of possession and attestations included) and every reason a
    /// client would refuse the metadata other than a missing signature.
    SignaturesStillToCollect,
}

/// Metadata that passed [`gate`]: the only way a writer of signed metadata for the world
/// (`export`, `rstuf export`) obtains what it writes. Its fields are private to this
/// module, so a `Cleared` cannot be made, or its metadata replaced, anywhere else; what is
/// written is what was checked.
pub(crate) struct Cleared {
    /// Each role cleared, with the metadata read once and checked.
    roles: Vec<(RoleName, Metadata)>,
    /// Per role (in the order of `roles`), each requirement's label and where it stood.
    thresholds: Vec<Vec<(String, ThresholdReport)>>,
    /// The SHA-256 of the policy checked (`None`: the folder has none).
    policy_sha256: Option<String>,
    /// The `policy` event, when the policy differs from the one the transcript last
    /// recorded.
    policy_event: Option<events::Policy>,
}

impl Cleared {
    /// Each role cleared and its metadata, in the order asked.
    pub(crate) fn roles(&self) -> &[(RoleName, Metadata)] {
        &self.roles
    }

    /// One role's cleared metadata and the payload its signatures cover, or why there is
    /// none (the gate skips a role that is not required and has no working file).
    pub(crate) fn metadata(&self, c: &Ceremony, role: &RoleName) -> Result<(&Metadata, Payload)> {
        let md = self
            .roles
            .iter()
            .find(|(r, _)| r == role)
            .map(|(_, md)| md)
            .ok_or_else(|| c.no_working(role))?;
        let bytes = md.payload();
        let sha256 = Sha256::digest(&bytes).into();
        Ok((md, Payload { bytes, sha256 }))
    }

    /// The thresholds of `role` as the transcript records them.
    pub(crate) fn thresholds(&self, role: &RoleName) -> Vec<events::Threshold> {
        self.roles
            .iter()
            .zip(&self.thresholds)
            .filter(|((r, _), _)| r == role)
            .flat_map(|(_, list)| list)
            .map(|(label, t)| events::Threshold {
                label: label.clone(),
                threshold: t.threshold,
                counted: t.counted.clone(),
                met: t.met(),
            })
            .collect()
    }

    /// The SHA-256 of the policy the metadata was checked against, `None` without one.
    pub(crate) fn policy_sha256(&self) -> Option<String> {
        self.policy_sha256.clone()
    }

    /// Records the writer's `event` with what the gate checked: the `policy` event first
    /// when the policy changed, so both are in the one transcript write [`Pending`] makes
    /// at commit, or neither is.
    pub(crate) fn record(&self, pending: &mut Pending, event: &impl events::Event) -> Result<()> {
        if let Some(policy) = &self.policy_event {
            pending.record(policy)?;
        }
        pending.record(event)
    }
}

/// The one gate for signed metadata leaving the ceremony: `export` and every `rstuf export`
/// mode pass through it, and only its [`Cleared`] holds the metadata they write.
///
/// 1. The ceremony's policy (`policy.toml`): every rule, proofs of possession and device
///    attestations included, exactly as `export` has always applied it, so a refusal has
///    the same words and exit code whichever command wrote. The policy and its digest come
///    from the command's snapshot of the folder, so the digest recorded is the policy
///    checked.
/// 2. Each of `roles`, read once (the metadata checked is the metadata written), with
///    every reason a TUF client would refuse it gathered, so one refusal names them all
///    and nothing is written: no working file for root (or for targets, unless the
///    ceremony signs root alone), expiry, rollback, keys a client rejects and, under
///    [`Demand::EveryThreshold`], a threshold not met. A role that is not required and
///    has no working file is left out.
pub(crate) fn gate(
    c: &Ceremony,
    roles: &[RoleName],
    demand: Demand,
    report: &mut Report,
) -> Result<Cleared> {
    // 1. The policy, and its digest as checked: both come from the command's snapshot,
    //    held to the record when the folder was opened, so the digest recorded is the
    //    policy checked.
    super::policy::check_export(c)?;
    let policy_sha256 = super::policy::load(c)?.map(|l| l.sha256);
    let policy_event = super::policy_record::event(c)?;
    // 2. Every role's thresholds and every reason a client would refuse it.
    let mut problems = Vec::new();
    let mut cleared = Vec::new();
    let mut thresholds = Vec::new();
    let root_only = super::root_only::is_root_only(c)?;
    for role in roles {
        let Some((st, parsed)) = role_status_and_metadata(c, role)? else {
            if *role == RoleName::ROOT || (*role == RoleName::TARGETS && !root_only) {
                problems.push(GateProblem::NoWorkingFile {
                    role: role.to_string(),
                });
            }
            continue;
        };
        for (label, t) in &st.thresholds {
            if demand == Demand::EveryThreshold && !t.met() {
                problems.push(GateProblem::ThresholdUnmet {
                    role: role.to_string(),
                    version: st.version,
                    label: label.to_string(),
                    counted: t.counted.len(),
                    threshold: t.threshold,
                    missing: t.missing.clone(),
                });
            }
        }
        problems.extend(st.problems.iter().map(|p| GateProblem::Role {
            role: role.to_string(),
            problem: p.clone(),
        }));
        for w in st.warnings {
            report.warn(w);
        }
        cleared.push((role.clone(), parsed.0.clone()));
        thresholds.push(st.thresholds);
    }
    if !problems.is_empty() {
        let (command, who) = match demand {
            Demand::EveryThreshold => ("export", "A TUF client would refuse this metadata"),
            Demand::SignaturesStillToCollect => ("rstuf export", "RSTUF would refuse this root"),
        };
        return Err(Failure::GateClosed {
            command,
            who,
            problems,
        }
        .into());
    }
    Ok(Cleared {
        roles: cleared,
        thresholds,
        policy_sha256,
        policy_event,
    })
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
            return Err(Refusal::VersionedFileDiffers {
                file: p.path.clone(),
                role: p.role.to_string(),
                version: p.version,
            }
            .into());
        }
        let older = Metadata::from_bytes(&existing).ok().filter(|m| {
            m.signed.type_name() == if p.role == "root" { "root" } else { "targets" }
                && m.version() < p.version
        });
        match older {
            Some(m) => {
                report.line(format!(
                    "{}: replacing v{} with v{}",
                    p.path.display(),
                    m.version(),
                    p.version
                ));
                skip.push(false);
            }
            None => {
                return Err(Refusal::NotAnOlderVersion {
                    file: p.path.clone(),
                    role: p.role.to_string(),
                }
                .into())
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
/// follows (`trusted/ROLE.json`), and every role is also kept under its version
/// (`trusted/N.ROLE.json`), so the chain of trusted roots stays whole (TUF spec 5.3.4) and
/// the ceremony report, made after the export, can still show what this ceremony changed
/// against the version it started from. A trusted version about to be replaced that is not
/// yet kept under its number (a targets recorded by `load --trusted`, or exported before
/// every role was kept) is kept first, byte for byte.
fn prepare_trusted(
    c: &Ceremony,
    pending: &mut Pending,
    roles: &[(RoleName, Metadata)],
) -> Result<()> {
    for (role, md) in roles {
        let latest = c.trusted_path(role);
        if let Some(old) = c.trusted(role)? {
            let kept = c.trusted_versioned_path(role, old.version());
            if old.version() != md.version() && !kept.exists() {
                let bytes = crate::fsutil::read_bounded(&latest, &crate::fsutil::Input::METADATA)?;
                pending.write(&kept, &bytes)?;
            }
        }
        if *role == RoleName::ROOT {
            as_root(md)?;
        }
        let versioned = c.trusted_versioned_path(role, md.version());
        pending.metadata_to(&[&versioned, &latest], md)?;
    }
    Ok(())
}

/// Step 6 of [`export`]: the transcript's `export` event, naming each file's digest and each
/// role's version, payload digest, signing keyids and thresholds, and the policy checked,
/// so an audit can tie the published files to the signatures recorded before them and to
/// the rules they were held to.
fn export_event<'a>(
    out: &Path,
    files: Vec<FileDigest>,
    cleared: &'a Cleared,
) -> events::Export<'a> {
    events::Export {
        out: out.display().to_string(),
        files,
        roles: cleared
            .roles()
            .iter()
            .map(|(r, md)| events::ExportedRole {
                role: r.as_str(),
                version: md.version(),
                payload_sha256: digest_hex(&md.payload()),
                signatures: md.signatures.iter().map(|s| s.keyid.as_str()).collect(),
                thresholds: cleared.thresholds(r),
            })
            .collect(),
        policy_sha256: cleared.policy_sha256(),
    }
}
