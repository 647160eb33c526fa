//! `verify`: every check a TUF client makes on the ceremony's metadata, from an externally
//! trusted root through each root rotation (TUF spec 5.3.4) to targets and the delegated
//! roles. It reads each role's standing from [`super::status`] and adds the root chain.

use super::status::{role_status, status_lines};
use super::{as_root, read_metadata, Ceremony, Report};
use crate::error::Result;
use crate::names::RoleName;
use crate::output::{to_value, Embedded, VerifyJson};
use crate::verify::ThresholdReport;
use std::path::Path;

/// Walks root versions from an externally trusted root to the working root, as a client
/// updating from that root would (spec 5.3.4 for each step). Intermediate roots come from
/// `trusted/N.root.json`.
fn verify_chain(c: &Ceremony, start_path: &Path, report: &mut Report) -> Result<bool> {
    let start = read_metadata(start_path)?;
    let mut prev = as_root(&start)?.clone();
    let working = c.working(&RoleName::ROOT)?;
    let target = working.version();
    let mut ok = true;
    if prev.common.version > target {
        report.line(format!("  problem: the trusted root {} is v{}, newer than the working root v{target}: a client would refuse this root (rollback)", start_path.display(), prev.common.version));
        return Ok(false);
    }
    if prev.common.version == target && start.payload() != working.payload() {
        report.line(format!(
            "  problem: {} and root.json are both v{target} but differ",
            start_path.display()
        ));
        return Ok(false);
    }
    for v in prev.common.version + 1..=target {
        let md = if v == target {
            working.clone()
        } else {
            let path = c.trusted_versioned_path(&RoleName::ROOT, v);
            match c.trusted_version(&RoleName::ROOT, v)? {
                Some(md) => md,
                None => {
                    report.line(format!("  problem: root v{v} is needed to get from v{} to v{target}, but {} does not exist", prev.common.version, path.display()));
                    return Ok(false);
                }
            }
        };
        let r = crate::verify::verify_root(&md, Some(&prev));
        let met =
            |t: &ThresholdReport| format!("{} signed of {} needed", t.counted.len(), t.threshold);
        report.line(format!(
            "  root v{} → v{v}: old root keys {}, new root keys {}{}",
            prev.common.version,
            r.previous.as_ref().map(met).unwrap_or_default(),
            met(&r.own),
            if r.ok() { " - ok" } else { " - REFUSED" }
        ));
        for p in &r.problems {
            report.line(format!("    problem: {p}"));
        }
        ok &= r.ok();
        prev = as_root(&md)?.clone();
    }
    Ok(ok)
}

/// `verify [--trusted-root FILE]`: every check a client makes, from the trusted root through
/// each rotation to targets and the delegated roles. Returns whether all holds. With
/// `--repo DIR`, the exported folder is checked instead (see `published`).
pub fn verify(
    c: &Ceremony,
    trusted_root: Option<&Path>,
    repo: Option<&Path>,
) -> Result<(Report, bool)> {
    if let Some(dir) = repo {
        return super::published::verify(c, dir, trusted_root);
    }
    let mut report = Report::default();
    let mut ok = true;
    let mut problems = Vec::new();
    let mut roles = Vec::new();
    for p in c.trusted_root_problems()? {
        ok = false;
        report.line(format!("problem: {p}"));
        problems.push(p);
    }
    if let Some(path) = trusted_root {
        report.line(format!("root chain from {}:", path.display()));
        let from = report.lines.len();
        ok &= verify_chain(c, path, &mut report)?;
        // The chain's findings, as its lines state them.
        for l in &report.lines[from..] {
            let l = l.trim_start();
            if let Some(p) = l.strip_prefix("problem: ") {
                problems.push(p.to_string());
            } else if l.ends_with(" - REFUSED") {
                problems.push(l.to_string());
            }
        }
    }
    let root_only = super::root_only::is_root_only(c)?;
    if root_only {
        super::root_only::describe(c, &mut report)?;
    }
    for role in c.roles() {
        match role_status(c, &role)? {
            Some(st) => {
                ok &= st.ok();
                status_lines(c, &st, &mut report);
                problems.extend(st.problems.iter().map(|p| format!("{role}: {p}")));
                for (label, t) in st.thresholds.iter().filter(|(_, t)| !t.met()) {
                    problems.push(format!(
                        "{role}: {label}: {} signed, {} needed",
                        t.counted.len(),
                        t.threshold
                    ));
                }
                roles.push(Embedded(to_value(&super::status::status_json(c, &st))?));
            }
            None if role == "root" || (role == "targets" && !root_only) => {
                ok = false;
                report.line(format!("{role}: missing ({role}.json)"));
                problems.push(format!("{role}: missing ({role}.json)"));
            }
            None => {}
        }
    }
    report.line(if ok {
        "verify: everything a TUF client checks holds".to_string()
    } else {
        "verify: FAILED - a TUF client would refuse this metadata (see the problems above)"
            .to_string()
    });
    report.json = Some(to_value(&VerifyJson {
        verdict: if ok { "ok" } else { "failed" },
        repo: None,
        roles,
        files: Vec::new(),
        problems,
    })?);
    Ok((report, ok))
}
