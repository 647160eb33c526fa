//! `verify --repo DIR`: the folder `export` wrote, read as a TUF client reads a repository,
//! and compared byte for byte with what the transcript recorded when it was written.
//!
//! The client's part, in the order of TUF spec 5.3 and 5.6:
//! 1. Trust starts from one root: `--trusted-root FILE`; else the ceremony's first trusted
//!    root (the lowest `trusted/N.root.json`, which the first export wrote); else the
//!    folder's own `1.root.json`, with a warning, since the folder then vouches for itself.
//!    It must meet its own root threshold, as python-tuf checks a bootstrap root.
//! 2. `N.root.json` for N = that version + 1, + 2, … while the folder has it: each signed by
//!    a threshold of the previous root's root keys and a threshold of its own, at exactly
//!    the next version (5.3.4). The root reached must not have expired (5.3.10).
//! 3. `targets.json`, and `V.targets.json` when root sets `consistent_snapshot` (the name a
//!    client then fetches, 5.6.1): signed by a threshold of that root's targets keys, and
//!    not expired (5.6.3, 5.6.4).
//! 4. Each delegated role this ceremony signs (`NAME.json`, and `V.NAME.json` likewise):
//!    signed by a threshold of the keys targets delegates it to, not expired (5.6.7).
//!
//! Whether a signature counts is decided in [`crate::verify`] only; this module reads the
//! files, asks it, and says which file fails and why.
//!
//! The record's part. Each `export` event lists the files written and the SHA-256 of each
//! (`events::Export`). The exports that describe the folder are those whose `out` names it:
//! the same path as given to `--repo`, or a path that resolves to the same folder now. When
//! none does, the folder is taken for the same files under another name (the stick mounted
//! at another place, or a copy), and every export of the ceremony is used, each file found
//! by its name. Then:
//! - the last of those exports is the latest publish: every file it lists must be in the
//!   folder with exactly the recorded SHA-256, so a file missing, changed, re-formatted, or
//!   with a signature added or removed fails, even when what is left is validly signed;
//! - a file only an earlier export listed (`1.root.json` after a rotation, `1.targets.json`)
//!   must, when present, have the SHA-256 of the last export that listed it (a versioned
//!   file is never replaced);
//! - the root a client reaches must be the root the last export published;
//! - a file no export lists (snapshot and timestamp, added online) is named, not compared.

use super::{digest_hex, Ceremony, Report};
use crate::display;
use crate::error::{Error, Result};
use crate::fsutil::{self, Input};
use crate::json::Value;
use crate::metadata::{Metadata, Root};
use crate::names::RoleName;
use crate::outcome::Failure;
use crate::transcript::Entry;
use crate::verify::{Label, ThresholdReport};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One `export` event of the transcript: where it wrote, each file's SHA-256, each role.
struct ExportRecord {
    /// The transcript line.
    seq: u64,
    out: String,
    /// File name → SHA-256 (hex) of its bytes.
    files: BTreeMap<String, String>,
    roles: Vec<RoleRecord>,
}

/// One role of an [`ExportRecord`].
struct RoleRecord {
    role: String,
    version: u64,
    payload_sha256: String,
    signatures: Vec<String>,
}

impl ExportRecord {
    fn role(&self, role: &str) -> Option<&RoleRecord> {
        self.roles.iter().find(|r| r.role == role)
    }
}

/// Reads one `export` event, or `None` for an RSTUF payload's (which writes no repository).
fn export_record(e: &Entry) -> Result<Option<ExportRecord>> {
    if e.event() != "export" || e.fields.get("rstuf").is_some() {
        return Ok(None);
    }
    let bad = |what: &'static str| -> Error {
        Failure::ExportEventIncomplete {
            seq: e.seq,
            lacks: what,
        }
        .into()
    };
    let out = e.str("out").ok_or_else(|| bad("\"out\""))?.to_string();
    let mut files = BTreeMap::new();
    for f in e
        .fields
        .get("files")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("list of \"files\""))?
    {
        match (
            f.get("file").and_then(Value::as_str),
            f.get("sha256").and_then(Value::as_str),
        ) {
            (Some(name), Some(sha)) => {
                files.insert(name.to_string(), sha.to_string());
            }
            _ => return Err(bad("\"file\" and \"sha256\" for each file")),
        }
    }
    let mut roles = Vec::new();
    for r in e
        .fields
        .get("roles")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("list of \"roles\""))?
    {
        let text = |name: &str| r.get(name).and_then(Value::as_str).map(str::to_string);
        let (Some(role), Some(version), Some(payload_sha256)) = (
            text("role"),
            r.get("version").and_then(Value::as_i128),
            text("payload_sha256"),
        ) else {
            return Err(bad("role, version and payload digest for each role"));
        };
        let signatures = r
            .get("signatures")
            .and_then(Value::as_array)
            .unwrap_or(&[])
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect();
        roles.push(RoleRecord {
            role,
            version: u64::try_from(version).unwrap_or(0),
            payload_sha256,
            signatures,
        });
    }
    Ok(Some(ExportRecord {
        seq: e.seq,
        out,
        files,
        roles,
    }))
}

/// Whether an export's `out` names `dir`: the same path, or both resolve to one folder.
fn same_folder(recorded: &str, dir: &Path) -> bool {
    let recorded = Path::new(recorded);
    if recorded.components().eq(dir.components()) {
        return true;
    }
    match (std::fs::canonicalize(recorded), std::fs::canonicalize(dir)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What one file read from the folder was.
struct Seen {
    sha256: String,
    /// Its payload's SHA-256 and its signatures' keyids, when it is metadata.
    held: Option<(String, Vec<String>)>,
}

/// The check in progress: the folder, what was read from it, and the report.
struct Check<'a> {
    c: &'a Ceremony,
    dir: &'a Path,
    seen: BTreeMap<String, Seen>,
    /// Files already named as missing (named once).
    missing: BTreeSet<String>,
    report: Report,
    ok: bool,
    /// Each problem, for `--json`.
    problems: Vec<String>,
}

/// Why a file could not be used, already in words.
type Why = String;

impl<'a> Check<'a> {
    fn shown(&self, name: &str) -> String {
        display::path(&self.dir.join(name))
    }

    fn problem(&mut self, what: String) {
        self.ok = false;
        self.report.line(format!("  problem: {what}"));
        self.problems.push(what);
    }

    /// A file a client needs and the folder lacks.
    fn missing(&mut self, name: &str, why: &str) {
        if self.missing.insert(name.to_string()) {
            let shown = self.shown(name);
            self.problem(format!("{shown}: missing; {why}"));
        }
    }

    /// Reads `name` from the folder (`None` if it is not there), remembering its digest.
    fn load(&mut self, name: &str) -> Option<std::result::Result<Metadata, Why>> {
        let path = self.dir.join(name);
        let bytes = match fsutil::read_bounded_opt(&path, &Input::METADATA) {
            Ok(None) => return None,
            Ok(Some(bytes)) => bytes,
            Err(e) => return Some(Err(Error::from(e).to_string())),
        };
        let sha256 = digest_hex(&bytes);
        match Metadata::load(bytes) {
            Ok(loaded) => {
                let keyids = loaded
                    .metadata
                    .signatures
                    .iter()
                    .map(|s| s.keyid.clone())
                    .collect();
                let held = Some((loaded.payload.sha256_hex(), keyids));
                self.seen.insert(name.to_string(), Seen { sha256, held });
                Some(Ok(loaded.metadata))
            }
            Err(e) => {
                self.seen
                    .insert(name.to_string(), Seen { sha256, held: None });
                Some(Err(format!(
                    "not valid TUF metadata ({e}); a client refuses it"
                )))
            }
        }
    }

    /// Reads `name` as `role` metadata, naming the file in any problem; `None` after one.
    fn load_role(&mut self, name: &str, role: &str, why_needed: &str) -> Option<Metadata> {
        let md = match self.load(name) {
            None => {
                self.missing(name, why_needed);
                return None;
            }
            Some(Err(why)) => {
                let shown = self.shown(name);
                self.problem(format!("{shown}: {why}"));
                return None;
            }
            Some(Ok(md)) => md,
        };
        let expected = if role == "root" { "root" } else { "targets" };
        if md.signed.type_name() != expected {
            let shown = self.shown(name);
            self.problem(format!(
                "{shown}: holds {} metadata, but a client reads it as {role} (_type \"{expected}\")",
                display::escape(md.signed.type_name())
            ));
            return None;
        }
        Some(md)
    }

    /// Not expired: a client refuses expired metadata (TUF spec 5.3.10, 5.6.4).
    fn not_expired(&mut self, name: &str, role: &str, md: &Metadata) -> bool {
        let common = md.signed.common();
        if common.expires_at > self.c.now {
            return true;
        }
        let shown = self.shown(name);
        self.problem(format!(
            "{shown}: {role} v{} expired at {}; a client refuses it. Set a new expiry in the ceremony, sign and export again",
            common.version,
            display::escape(&common.expires)
        ));
        false
    }
}

/// "2 of the 3 signatures root v1's targets keys need", then each signature that did not
/// count and why.
fn unmet(t: &ThresholdReport, whose: &str) -> String {
    let mut why = format!(
        "it has {} of the {} signatures {whose} need",
        t.counted.len(),
        t.threshold
    );
    for (keyid, l) in &t.signatures {
        if *l != Label::Counted {
            why.push_str(&format!(
                "; the signature by keyid {}: {}",
                display::short(keyid),
                l.describe()
            ));
        }
    }
    why
}

fn met(t: &ThresholdReport) -> String {
    format!("{} signed of {} needed", t.counted.len(), t.threshold)
}

/// The root trust starts from, and how it is named: `--trusted-root`, else the lowest
/// `trusted/N.root.json`, else the folder's `1.root.json`.
fn starting_root(
    check: &mut Check,
    trusted_root: Option<&Path>,
) -> Result<Option<(Metadata, String)>> {
    let first = first_trusted_root(check.c)?;
    // A root that cannot be read is a refusal like any other (exit 1), naming the file.
    let mut read = |path: &Path, name: String| match super::read_metadata(path) {
        Ok(md) => Some((md, name)),
        Err(e) => {
            check.problem(format!("trust cannot start: {e}"));
            None
        }
    };
    if let Some(path) = trusted_root {
        return Ok(read(path, display::path(path)));
    }
    if let Some(path) = first {
        let name = format!(
            "{} (the ceremony's first trusted root)",
            display::path(&path)
        );
        return Ok(read(&path, name));
    }
    check.report.warn(format!(
        "the ceremony has no trusted root (trusted/N.root.json), so trust starts from {} itself: the folder vouches for itself. Give the root clients hold with --trusted-root FILE",
        check.shown("1.root.json")
    ));
    let name = "1.root.json";
    Ok(check
        .load_role(
            name,
            "root",
            "trust starts from it (give the root clients hold with --trusted-root FILE)",
        )
        .map(|md| (md, check.shown(name))))
}

/// The lowest-versioned `trusted/N.root.json`, the first root this ceremony trusted.
fn first_trusted_root(c: &Ceremony) -> Result<Option<PathBuf>> {
    let dir = c.trusted_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(None);
    };
    let mut lowest: Option<(u64, PathBuf)> = None;
    for entry in entries {
        let entry =
            entry.map_err(|e| Error::Fs(crate::fsutil::FsError::new("cannot list", &dir, e)))?;
        let name = entry.file_name();
        let Some(v) = name
            .to_str()
            .and_then(|n| n.strip_suffix(".root.json"))
            .and_then(|n| n.parse::<u64>().ok())
        else {
            continue;
        };
        if lowest.as_ref().is_none_or(|(l, _)| v < *l) {
            lowest = Some((v, entry.path()));
        }
    }
    Ok(lowest.map(|(_, p)| p))
}

/// Steps 1 and 2: the starting root, then each next root the folder holds. Returns the root
/// a client ends at and its file name, or `None` once a root is refused (named).
fn walk_roots(check: &mut Check, start: Metadata, start_name: &str) -> Option<(Metadata, String)> {
    let own = crate::verify::verify_root(&start, None);
    if !own.ok() {
        check.problem(format!(
            "{start_name}: a client refuses to start from this root: {}",
            own.why_refused().join("; ")
        ));
        return None;
    }
    check.report.line(format!(
        "  trust starts from {start_name}: root v{}, its own root keys {} - ok",
        start.version(),
        met(&own.own)
    ));
    let mut prev = start;
    let mut prev_name = start_name.to_string();
    while let Some(v) = prev.version().checked_add(1) {
        let name = RoleName::ROOT.versioned_file_name(v);
        if !check.dir.join(&name).exists() {
            break;
        }
        let md = check.load_role(&name, "root", "")?;
        let previous = prev.root()?;
        let r = crate::verify::verify_root(&md, Some(previous));
        if !r.ok() {
            let shown = check.shown(&name);
            check.problem(format!(
                "{shown}: a client trusting root v{} refuses root v{}: {}",
                prev.version(),
                md.version(),
                r.why_refused().join("; ")
            ));
            return None;
        }
        check.report.line(format!(
            "  {name}: root v{} → v{}: old root keys {}, new root keys {} - ok",
            prev.version(),
            md.version(),
            r.previous.as_ref().map(met).unwrap_or_default(),
            met(&r.own)
        ));
        prev = md;
        prev_name = name;
    }
    let version = prev.version();
    check.not_expired(&prev_name, "root", &prev).then_some(())?;
    check.report.line(format!(
        "  root v{version} ({prev_name}) is the root a client ends at; expires {} - ok",
        display::escape(&prev.signed.common().expires)
    ));
    Some((prev, prev_name))
}

/// The files a client reads for `role`: `ROLE.json`, and `V.ROLE.json` under consistent
/// snapshots (V from the last export, else from `ROLE.json`).
fn role_files(
    check: &mut Check,
    role: &RoleName,
    consistent: bool,
    last: Option<&ExportRecord>,
) -> Vec<String> {
    let mut files = vec![role.file_name()];
    if consistent {
        let recorded = last.and_then(|l| l.role(role)).map(|r| r.version);
        let version = recorded.or_else(|| match check.load(&role.file_name()) {
            Some(Ok(md)) => Some(md.version()),
            _ => None,
        });
        if let Some(v) = version {
            files.insert(0, role.versioned_file_name(v));
        }
    }
    files
}

/// Steps 3 and 4 for one role: each of its files signed to threshold by `delegator`'s keys
/// for it and not expired. Returns the metadata a client would go on with and its file
/// name, if every file holds.
fn check_signed_role(
    check: &mut Check,
    role: &RoleName,
    files: &[String],
    delegator: &Metadata,
    delegator_name: &str,
) -> Option<(Metadata, String)> {
    let mut accepted = None;
    let mut all = true;
    let why_needed = format!("a client fetches it for {role}");
    for name in files {
        let Some(md) = check.load_role(name, role, &why_needed) else {
            all = false;
            continue;
        };
        let (checked, whose) = if *role == RoleName::TARGETS {
            match delegator.root() {
                Some(root) => (
                    crate::verify::verify_targets(&md, root),
                    format!("root v{}'s targets keys", root.common.version),
                ),
                None => (
                    Err(crate::verify::NotDelegated::DelegatorNotRoot),
                    String::new(),
                ),
            }
        } else {
            (
                crate::verify::verify_delegated_role(&md, delegator, role),
                format!("targets v{}'s delegation to {role}", delegator.version()),
            )
        };
        let shown = check.shown(name);
        match checked {
            Err(why) => {
                check.problem(format!("{shown}: {why} ({delegator_name})"));
                all = false;
            }
            Ok(t) if !t.met() => {
                check.problem(format!(
                    "{shown}: a client refuses {role} v{}: {}",
                    md.version(),
                    unmet(&t, &whose)
                ));
                all = false;
            }
            Ok(t) => {
                if check.not_expired(name, role, &md) {
                    check.report.line(format!(
                        "  {name}: {role} v{}, {whose}: {} - ok",
                        md.version(),
                        met(&t)
                    ));
                    if accepted.is_none() {
                        accepted = Some((md, name.clone()));
                    }
                } else {
                    all = false;
                }
            }
        }
    }
    accepted.filter(|_| all)
}

/// The exports that describe the folder (see the module documentation), in transcript
/// order, and the line saying which they are.
fn describing_exports(all: Vec<ExportRecord>, dir: &Path) -> (Vec<ExportRecord>, String) {
    let shown = display::path(dir);
    let (named, other): (Vec<_>, Vec<_>) = all.into_iter().partition(|e| same_folder(&e.out, dir));
    if !named.is_empty() {
        let line = named.last().map_or(String::new(), |l| {
            format!(
                "  the transcript's last export to {shown} is at line {}: each file it wrote must be here as it recorded, and a file only an earlier export wrote as that one recorded",
                l.seq
            )
        });
        return (named, line);
    }
    let line = match other.last() {
        Some(l) => format!(
            "  no export in the transcript names {shown}; it is taken for the folder the last export wrote under another name ({}, transcript line {}: a stick mounted elsewhere, or a copy), and each file is compared, by its name, with the last export that wrote it",
            display::escape(&l.out),
            l.seq
        ),
        None => String::new(),
    };
    (other, line)
}

/// Why `name`'s bytes are not the recorded ones, in words, from what the file holds and
/// what the export recorded of its role.
fn diagnose(seen: &Seen, name: &str, export: &ExportRecord) -> String {
    let role_and_version = match name.strip_suffix(".json").map(|n| n.split_once('.')) {
        Some(Some((v, role))) if v.parse::<u64>().is_ok() => (role, v.parse::<u64>().ok()),
        _ => (name.strip_suffix(".json").unwrap_or(name), None),
    };
    let record = export.roles.iter().find(|r| {
        r.role == role_and_version.0 && role_and_version.1.is_none_or(|v| v == r.version)
    });
    let Some((payload, keyids)) = &seen.held else {
        return "it is not even valid metadata".into();
    };
    let Some(record) = record else {
        return "the export recorded no role for it to compare further".into();
    };
    if *payload != record.payload_sha256 {
        return format!(
            "its signed content is not what was exported (payload SHA-256 {}, recorded {})",
            display::short(payload),
            display::short(&record.payload_sha256)
        );
    }
    let extra: Vec<String> = keyids
        .iter()
        .filter(|k| !record.signatures.contains(k))
        .map(|k| display::short(k))
        .collect();
    let lacking: Vec<String> = record
        .signatures
        .iter()
        .filter(|k| !keyids.contains(k))
        .map(|k| display::short(k))
        .collect();
    let mut why = Vec::new();
    if !extra.is_empty() {
        why.push(format!(
            "it carries signatures the export did not record (keyid {})",
            extra.join(", ")
        ));
    }
    if !lacking.is_empty() {
        why.push(format!(
            "it lacks signatures the export recorded (keyid {})",
            lacking.join(", ")
        ));
    }
    if why.is_empty() {
        why.push("its signed content and its signatures' keyids are as exported, so it was re-formatted or a signature value was replaced".into());
    }
    why.join("; ")
}

/// The record's part: each file against the export that last wrote it.
fn compare_with_record(check: &mut Check, exports: &[ExportRecord]) -> Result<()> {
    let Some(last) = exports.last() else {
        check.problem(format!(
            "the transcript records no export to compare {} with; export with `tuf-ceremony export --out DIR` and check that folder",
            display::path(check.dir)
        ));
        return Ok(());
    };
    // Each file name → the last export that wrote it.
    let mut by_name: BTreeMap<&str, &ExportRecord> = BTreeMap::new();
    for e in exports {
        for name in e.files.keys() {
            by_name.insert(name, e);
        }
    }
    let mut names: BTreeSet<String> = last.files.keys().cloned().collect();
    let listing = std::fs::read_dir(check.dir)
        .map_err(|e| Error::Fs(fsutil::FsError::new("cannot list", check.dir, e)))?;
    let mut unlisted = Vec::new();
    for entry in listing {
        let entry =
            entry.map_err(|e| Error::Fs(fsutil::FsError::new("cannot list", check.dir, e)))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if by_name.contains_key(name.as_str()) {
            names.insert(name);
        } else {
            unlisted.push(name);
        }
    }
    for name in &names {
        let Some(export) = by_name.get(name.as_str()) else {
            continue;
        };
        let recorded = &export.files[name];
        if !check.seen.contains_key(name) {
            match check.load(name) {
                None => {
                    let why = format!("the export at transcript line {} wrote it", export.seq);
                    check.missing(name, &why);
                    continue;
                }
                // Not read at all (a read error, not a parse error): named with the reason.
                Some(Err(why)) if !check.seen.contains_key(name) => {
                    let shown = check.shown(name);
                    check.problem(format!("{shown}: {why}"));
                    continue;
                }
                Some(_) => {}
            }
        }
        let Some(seen) = check.seen.get(name) else {
            continue;
        };
        if seen.sha256 == *recorded {
            check.report.line(format!(
                "  {name}: SHA-256 {} as exported (transcript line {})",
                display::short(recorded),
                export.seq
            ));
            continue;
        }
        let why = diagnose(seen, name, export);
        let found = seen.sha256.clone();
        let shown = check.shown(name);
        check.problem(format!(
            "{shown}: SHA-256 {} is not the {} the export at transcript line {} recorded: {why}. Copy the folder again from the ceremony's export, or export again to an empty folder",
            display::short(&found),
            display::short(recorded),
            export.seq
        ));
    }
    unlisted.sort();
    for name in unlisted {
        check.report.line(format!(
            "  {}: no export in the transcript wrote it (added online?); not compared",
            display::escape(&name)
        ));
    }
    Ok(())
}

/// `verify --repo DIR [--trusted-root FILE]`: the folder as a TUF client reads it, and every
/// file as the transcript recorded it at export (see the module documentation). Returns
/// whether all holds.
pub fn verify(c: &Ceremony, dir: &Path, trusted_root: Option<&Path>) -> Result<(Report, bool)> {
    let mut check = Check {
        c,
        dir,
        seen: BTreeMap::new(),
        missing: BTreeSet::new(),
        report: Report::default(),
        ok: true,
        problems: Vec::new(),
    };
    let shown = display::path(dir);
    check.report.line(format!(
        "repository folder {shown}, read as a TUF client reads it (TUF spec 5.3, 5.6):"
    ));
    let mut exports = Vec::new();
    for e in c.transcript_read()?.entries.iter() {
        exports.extend(export_record(e)?);
    }
    if !dir.is_dir() {
        check.problem(format!(
            "{shown}: {}; mount the stick, or give the folder `export --out` wrote",
            if dir.exists() {
                "not a folder"
            } else {
                "no such folder"
            }
        ));
        return finish(check);
    }
    let (exports, which) = describing_exports(exports, dir);
    let last = exports.last();
    // Steps 1 and 2: the root chain.
    let reached = match starting_root(&mut check, trusted_root)? {
        Some((start, name)) => walk_roots(&mut check, start, &name),
        None => None,
    };
    if let (Some((root, _)), Some(last)) = (&reached, last) {
        if let Some(r) = last.role("root").filter(|r| r.version != root.version()) {
            let name = RoleName::ROOT.versioned_file_name(r.version);
            let shown = check.shown(&name);
            check.problem(format!(
                "{shown}: root v{}, the last one exported (transcript line {}), is not the root a client reaches: it ends at root v{}{}",
                r.version,
                last.seq,
                root.version(),
                if root.version() < r.version {
                    format!(", as {} is not in the folder", RoleName::ROOT.versioned_file_name(root.version() + 1))
                } else {
                    format!(", newer than the root v{} exported last", r.version)
                }
            ));
        }
    }
    // Steps 3 and 4: targets and the delegated roles this ceremony signs.
    if reached.is_none() {
        check.report.line(
            "  targets and the delegated roles: not checked, as no root was reached (a client stops there)",
        );
    }
    if let Some((root_md, root_name)) = &reached {
        let consistent = root_md
            .root()
            .and_then(|r: &Root| r.consistent_snapshot)
            .unwrap_or(false);
        if super::root_only::is_root_only(c)? {
            check
                .report
                .line(format!("  {}", super::root_only::SCOPE_LINE));
        } else {
            let files = role_files(&mut check, &RoleName::TARGETS, consistent, last);
            let targets =
                check_signed_role(&mut check, &RoleName::TARGETS, &files, root_md, root_name);
            for role in &c.state.delegated {
                let files = role_files(&mut check, role, consistent, last);
                let exported = last.is_some_and(|l| l.role(role).is_some());
                if !exported && !files.iter().any(|f| dir.join(f).exists()) {
                    check.report.line(format!(
                        "  {role}: not exported to this folder; not checked"
                    ));
                    continue;
                }
                match &targets {
                    Some((t, t_name)) => {
                        check_signed_role(&mut check, role, &files, t, t_name);
                    }
                    None => check.report.line(format!(
                        "  {role}: not checked, as targets did not verify (a client stops there)"
                    )),
                }
            }
        }
    }
    // The record's part.
    if !which.is_empty() {
        check.report.line(which);
    }
    compare_with_record(&mut check, &exports)?;
    finish(check)
}

/// The verdict line.
fn finish(mut check: Check) -> Result<(Report, bool)> {
    let shown = display::path(check.dir);
    check.report.line(if check.ok {
        format!("verify: everything a TUF client checks holds in {shown}, and every file is byte for byte what the transcript recorded at export")
    } else {
        format!("verify: FAILED - a TUF client would refuse {shown}, or it is not what the transcript recorded at export (see the problems above)")
    });
    check.report.json = Some(crate::output::to_value(&crate::output::VerifyJson {
        verdict: if check.ok { "ok" } else { "failed" },
        repo: Some(check.dir.display().to_string()),
        roles: Vec::new(),
        files: check
            .seen
            .iter()
            .map(|(file, seen)| crate::output::VerifiedFile {
                file: file.clone(),
                sha256: seen.sha256.clone(),
            })
            .collect(),
        problems: check.problems,
    })?);
    Ok((check.report, check.ok))
}
