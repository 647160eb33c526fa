//! The printable ceremony report: what was signed, by whom, with which device and when,
//! which thresholds are met, what this ceremony changed, the files it exported and their
//! digests, and a picture of the trust delegations, with sign-off lines for each keyholder
//! who signed and for the witnesses. Built only from the ceremony folder: the transcript
//! (whose chain is verified first, and whose head the report quotes so the paper binds to
//! the file) and the metadata.
//!
//! "This ceremony" is read from the transcript, so the report says the same before and
//! after `export` (which makes the new versions the trusted ones): it is the run of lines
//! from the first change after the last metadata `export` that some change follows (or
//! from the first line, if no export is followed by a change) to the end. Changes are
//! `init`, `load`, `edit`, `sign` and `merge` lines; `export`, `transcript-sign` and
//! `policy` lines close a ceremony without opening a new one, so the keyholders' signatures
//! over the transcript after the export belong to the ceremony they sign. Each role's
//! changes and the keys added are counted from the version trusted when the ceremony began:
//! the last one a `load --trusted` or an earlier `export` recorded before this ceremony's
//! first export, read from `trusted/N.ROLE.json` (which `export` keeps for every role) and
//! checked against the payload digest the transcript recorded.
//!
//! Two forms: self-contained HTML (inline CSS and SVG, nothing fetched, printable), and
//! Markdown (the picture as an indented tree).
//!
//! Names, paths and what signature files said about their device and time come from input:
//! each is escaped once where it is read ([`crate::display::escape`]), then written in the
//! syntax of the form (HTML entities, Markdown backslash escapes), and the whole page passes
//! through the display net, so nothing in it can hide text or break the page's structure.
//!
//! This module gathers what the report says from the folder; [`tree`] draws the picture of
//! the delegations and `render` writes the Markdown and HTML forms.

mod render;
mod tree;

pub use render::{html, markdown};
pub use tree::{tree, tree_svg};

use super::status::{role_status_and_metadata, RoleStatus};
use super::{changes, Ceremony};
use crate::display::{self, escape};
use crate::error::Result;
use crate::json::Value;
use crate::metadata::Metadata;
use crate::names::RoleName;
use crate::transcript::Entry;
use crate::tree::Node;
use std::collections::BTreeMap;

/// One signature as the transcript records it, as it is shown (every field escaped).
struct Signer {
    role: String,
    version: String,
    keyholder: String,
    keyid: String,
    scheme: String,
    device: String,
    when: String,
    how: &'static str,
}

/// How a signing line's row says it was signed when its evidence does not hold: only the
/// line's word, which anyone who can append to the transcript can write.
const NO_EVIDENCE: &str = "recorded, no evidence";

const EVIDENCE_FAILS: &str = "recorded, evidence does not verify";

/// The "Who signed" rows: each `sign` and `merge` line over a payload being reported, with
/// what its evidence proves when checked again ([`super::evidence`]). A line whose
/// signatures verify names the keyholder this ceremony records for the key that made them
/// and what its device certificates prove here; a line without evidence, or whose evidence
/// does not verify, is shown as the line's word ("recorded, no evidence"), never as signed
/// or attested.
fn signers(c: &Ceremony, entries: &[Entry], statuses: &[RoleStatus]) -> Result<Vec<Signer>> {
    let checked: std::collections::HashMap<u64, super::evidence::Line> =
        super::evidence::check(c, entries)?
            .into_iter()
            .map(|l| (l.seq, l))
            .collect();
    let mut out = Vec::new();
    for e in entries {
        let how = match e.event() {
            "sign" if e.str("detached").is_none() => "signed here",
            "merge" => "signed elsewhere, merged",
            _ => continue,
        };
        let (Some(role), Some(digest)) = (e.str("role"), e.str("payload_sha256")) else {
            continue;
        };
        // Only signatures over what is being reported (the current payload).
        if !statuses
            .iter()
            .any(|s| s.role == role && s.payload_sha256 == digest)
        {
            continue;
        }
        let outcome = checked.get(&e.seq).map(|l| &l.outcome);
        let proof = match outcome {
            Some(super::evidence::Outcome::Proved(p)) => Some(p),
            _ => None,
        };
        let device = e.fields.get("device").and_then(|d| d.as_object());
        let recorded_keyid = e
            .fields
            .get("keyids")
            .and_then(|k| k.as_array())
            .and_then(|a| a.first())
            .and_then(|k| k.as_str());
        let keyid: String = proof
            .and_then(|p| p.keyids.first().map(String::as_str))
            .or(recorded_keyid)
            .unwrap_or("")
            .to_string();
        let shown = |s: &str| escape(s).into_owned();
        // The keyholder recorded for the key that signed, when its signature verifies;
        // otherwise the line's own word.
        let keyholder = proof
            .and_then(|p| c.keyholder_of(&p.key))
            .or(e.str("keyholder"))
            .unwrap_or("");
        let description = device
            .and_then(|d| d.get("description"))
            .and_then(|d| d.as_str())
            .unwrap_or("");
        out.push(Signer {
            role: shown(role),
            version: e
                .fields
                .get("version")
                .and_then(|v| v.as_i128())
                .map(|v| v.to_string())
                .unwrap_or_default(),
            keyholder: shown(keyholder),
            keyid: keyid.clone(),
            scheme: shown(
                proof
                    .map(|p| p.key.scheme.as_str())
                    .or(e.str("scheme"))
                    .or_else(|| {
                        statuses
                            .iter()
                            .find(|s| s.role == role)
                            .and_then(|s| s.keys.get(&keyid))
                            .map(|k| k.scheme.as_str())
                    })
                    .unwrap_or_default(),
            ),
            device: device_cell(
                description,
                from_file(e),
                e.fields.get("attestation"),
                outcome,
            ),
            when: shown(e.str("signed_at").or(e.str("time")).unwrap_or("")),
            how: match outcome {
                Some(super::evidence::Outcome::Proved(_)) => how,
                Some(super::evidence::Outcome::Broken(_)) => EVIDENCE_FAILS,
                _ => NO_EVIDENCE,
            },
        });
    }
    Ok(out)
}

/// Whether a signing event's device description is a signature file's own word: a `merge`
/// of a file `sign --detached` wrote elsewhere (an imported RSTUF or bare signature is
/// described by this tool, as `imported`).
fn from_file(e: &Entry) -> bool {
    let kind = e
        .fields
        .get("device")
        .and_then(|d| d.get("kind"))
        .and_then(|k| k.as_str());
    e.event() == "merge" && kind != Some("imported")
}

/// A device's description followed by what its attestation proves, checked again here
/// ("…; attested: YubiHSM 2 serial …" or "…; not attested: …"). A description taken from a
/// signature file is shown quoted as the file's, and one from a line whose evidence does
/// not hold quoted as the line's, so that whatever it says can never pass for the verdict
/// that follows it. The verdict a line records (`recorded`) is never shown: only whether it
/// recorded one, for lines written before attestation was (and imported signatures), which
/// show the description alone. Escaped ([`escape`]).
fn device_cell(
    description: &str,
    from_file: bool,
    recorded: Option<&crate::json::Value>,
    outcome: Option<&super::evidence::Outcome>,
) -> String {
    use super::evidence::Outcome;
    let proof = match outcome {
        Some(Outcome::Proved(p)) => Some(p),
        _ => None,
    };
    let description = if from_file {
        format!(
            "as its signature file describes it: {}",
            display::quoted(description)
        )
    } else if proof.is_none() {
        format!(
            "as the transcript line describes it: {}",
            display::quoted(description)
        )
    } else {
        escape(description).into_owned()
    };
    let Some(p) = proof else {
        return match outcome {
            Some(Outcome::Broken(why)) => {
                format!(
                    "{description}; its evidence does not verify: {}",
                    escape(why)
                )
            }
            _ => format!("{description}; the line carries no signature to check"),
        };
    };
    let verdict = match &p.attestation {
        Some(Ok(a)) => crate::attest::Status::Verified(a.clone()).summary(),
        Some(Err(why)) => format!("not attested: its certificates do not verify here: {why}"),
        // An imported RSTUF signature records no attestation at all: nothing to say.
        None if recorded.is_none() => return description,
        None => "not attested: the line carries no device certificates".to_string(),
    };
    format!("{description}; {}", escape(&verdict))
}

/// "This ceremony": the part of the transcript the report covers (see the module
/// documentation).
#[derive(Debug, Default, PartialEq)]
struct Span {
    /// The index of its first line in the transcript.
    start: usize,
    /// Each role's version trusted when it began, with its payload digest and the line
    /// (`seq`) that recorded it trusted.
    before: BTreeMap<String, (u64, String, u64)>,
    /// The indexes of its `export` lines (metadata and RSTUF payloads).
    exports: Vec<usize>,
}

/// Whether a line changes the metadata or what it follows: it belongs to a ceremony not
/// yet exported.
fn opens(e: &Entry) -> bool {
    // A `files` line records the files the line before it wrote (an export's trusted
    // copies): it belongs to that line, never opens a ceremony.
    !matches!(
        e.event(),
        "export" | super::head_signatures::EVENT | super::policy::EVENT | super::record::EVENT
    )
}

/// Whether a line is `export --out` (which makes its versions trusted), not the writing
/// of an RSTUF payload (which changes nothing here).
fn exports_metadata(e: &Entry) -> bool {
    e.event() == "export" && e.fields.get("rstuf").is_none()
}

fn version_of(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_i128)
        .and_then(|v| u64::try_from(v).ok())
}

/// Finds this ceremony in the transcript, and what was trusted when it began.
fn span(entries: &[Entry]) -> Span {
    let last_change = entries.iter().rposition(opens);
    let after = last_change
        .and_then(|l| entries[..l].iter().rposition(exports_metadata))
        .map_or(0, |i| i + 1);
    let start = match last_change {
        Some(_) => entries[after..]
            .iter()
            .position(opens)
            .map_or(after, |i| after + i),
        None => 0,
    };
    // What was trusted before this ceremony's first export made its own versions trusted.
    let first_export = entries[start..]
        .iter()
        .position(exports_metadata)
        .map_or(entries.len(), |i| start + i);
    let mut before = BTreeMap::new();
    for e in &entries[..first_export] {
        let mut trust = |role: Option<&str>, version: Option<&Value>, digest: Option<&str>| {
            if let (Some(role), Some(version), Some(digest)) = (role, version_of(version), digest) {
                before.insert(role.to_string(), (version, digest.to_string(), e.seq));
            }
        };
        match e.event() {
            "load" if e.fields.get("trusted") == Some(&Value::Bool(true)) => trust(
                e.str("role"),
                e.fields.get("version"),
                e.str("payload_sha256"),
            ),
            "export" if exports_metadata(e) => {
                for r in e
                    .fields
                    .get("roles")
                    .and_then(Value::as_array)
                    .unwrap_or(&[])
                {
                    trust(
                        r.get("role").and_then(Value::as_str),
                        r.get("version"),
                        r.get("payload_sha256").and_then(Value::as_str),
                    );
                }
            }
            _ => {}
        }
    }
    let exports = (start..entries.len())
        .filter(|&i| entries[i].event() == "export")
        .collect();
    Span {
        start,
        before,
        exports,
    }
}

/// The version of `role` this ceremony began from, as `trusted/` keeps it: the file whose
/// version and payload are the ones the transcript recorded trusted (`N.ROLE.json`, or
/// `ROLE.json` while it is still that version).
fn kept(c: &Ceremony, role: &RoleName, version: u64, digest: &str) -> Result<Option<Metadata>> {
    for path in [
        c.trusted_versioned_path(role, version),
        c.trusted_path(role),
    ] {
        if !path.exists() {
            continue;
        }
        let (md, payload) = super::read_metadata_with_payload(&path)?;
        super::check_type(&md, role, &path)?;
        if md.version() == version && payload.sha256_hex() == digest {
            return Ok(Some(md));
        }
    }
    Ok(None)
}

/// One `export` line of this ceremony: where, and each file with its SHA-256 (escaped).
struct Exported {
    seq: u64,
    when: String,
    out: String,
    /// The RSTUF payload kind, for `rstuf export`.
    rstuf: Option<String>,
    files: Vec<(String, String)>,
}

fn exported(e: &Entry) -> Exported {
    let shown = |s: Option<&str>| escape(s.unwrap_or("")).into_owned();
    Exported {
        seq: e.seq,
        when: shown(e.str("time")),
        out: shown(e.str("out")),
        rstuf: e.str("rstuf").map(|k| escape(k).into_owned()),
        files: e
            .fields
            .get("files")
            .and_then(Value::as_array)
            .unwrap_or(&[])
            .iter()
            .map(|f| {
                (
                    shown(f.get("file").and_then(Value::as_str)),
                    shown(f.get("sha256").and_then(Value::as_str)),
                )
            })
            .collect(),
    }
}

/// The keyholders to sign the paper: each who signed what is reported (a `sign` or `merge`
/// of this ceremony over a payload shown) or signed the transcript in it, in the order they
/// first signed, with what they signed (escaped).
fn signoff(entries: &[Entry], statuses: &[RoleStatus]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for e in entries {
        let what = match e.event() {
            "sign" | "merge" => {
                let (Some(role), Some(digest)) = (e.str("role"), e.str("payload_sha256")) else {
                    continue;
                };
                let Some(st) = statuses
                    .iter()
                    .find(|s| s.role == role && s.payload_sha256 == digest)
                else {
                    continue;
                };
                format!("{} v{}", escape(role), st.version)
            }
            super::head_signatures::EVENT => "the transcript".to_string(),
            _ => continue,
        };
        let Some(name) = e.str("keyholder").filter(|n| !n.is_empty()) else {
            continue;
        };
        let name = escape(name).into_owned();
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, signed)) if !signed.contains(&what) => signed.push(what),
            Some(_) => {}
            None => out.push((name, vec![what])),
        }
    }
    out
}

/// The ceremony's name: its folder's (escaped).
fn ceremony_name(c: &Ceremony) -> String {
    let dir = c.dir.canonicalize().unwrap_or_else(|_| c.dir.clone());
    match dir.file_name() {
        Some(n) => escape(&n.to_string_lossy()).into_owned(),
        None => display::path(&c.dir),
    }
}

/// The report's content, shared by both forms.
struct Content {
    name: String,
    statuses: Vec<RoleStatus>,
    /// Each role's heading ("root v1 → v2") and its changes in this ceremony.
    changes: Vec<(String, Vec<String>)>,
    signers: Vec<Signer>,
    tree: Option<Node>,
    entries: usize,
    /// Where this ceremony begins and ends in the transcript, in words.
    extent: String,
    head: Vec<String>,
    last_hash: String,
    exports: Vec<Exported>,
    keys_added: Vec<String>,
    signoff: Vec<(String, Vec<String>)>,
}

fn gather(c: &Ceremony) -> Result<Content> {
    let transcript = c.transcript_read()?;
    let (entries, bytes) = (&transcript.entries, &transcript.bytes);
    let last_hash = bytes
        .split(|&b| b == b'\n')
        .rfind(|l| !l.is_empty())
        .map(super::digest_hex)
        .unwrap_or_default();
    let span = span(entries);
    let ours = &entries[span.start..];
    let mut statuses = Vec::new();
    let mut changes = Vec::new();
    let mut before_mds: Vec<(RoleName, Metadata)> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for role in c.roles() {
        if let Some((st, parsed)) = role_status_and_metadata(c, &role)? {
            let md = &parsed.0;
            let (heading, lines) = match span.before.get(role.as_str()) {
                None => (
                    format!("{} v{}: a first version", escape(&role), md.version()),
                    changes::describe_with(c, None, md, &role, false),
                ),
                Some((v, digest, seq)) => {
                    let heading = if *v == md.version() {
                        format!("{} v{v}: not changed in this ceremony", escape(&role))
                    } else {
                        format!("{} v{v} → v{}", escape(&role), md.version())
                    };
                    match kept(c, &role, *v, digest)? {
                        Some(old) => {
                            let lines = changes::describe_with(c, Some(&old), md, &role, false);
                            before_mds.push((role.clone(), old));
                            (heading, lines)
                        }
                        None => {
                            missing.push(format!("{} v{v}", escape(&role)));
                            (
                            heading,
                            vec![format!(
                                "the {} v{v} this ceremony began from (recorded trusted at transcript line {seq}, payload {}) is not kept in {}: its changes cannot be shown. `export` keeps every trusted version there from now on",
                                escape(&role),
                                super::short(digest),
                                display::path(&c.trusted_versioned_path(&role, *v))
                            )],
                        )
                        }
                    }
                }
            };
            changes.push((heading, lines));
            statuses.push(st);
        }
    }
    let signers = signers(c, entries, &statuses)?;
    let mut keys_added = super::proof::lines_since(c, &before_mds)?;
    if !missing.is_empty() {
        keys_added.insert(
            0,
            format!(
                "{} not kept in trusted/: every key listed there is counted as added",
                missing.join(", ")
            ),
        );
    }
    let extent = match (ours.first(), ours.last()) {
        (Some(first), Some(last)) => format!(
            "This ceremony is transcript lines {} to {} ({} to {}){}.",
            first.seq,
            last.seq,
            escape(first.str("time").unwrap_or("")),
            escape(last.str("time").unwrap_or("")),
            if first.seq > 1 {
                ": the lines before it belong to earlier ceremonies, which end with their export"
            } else {
                ""
            }
        ),
        _ => "The transcript is empty.".to_string(),
    };
    Ok(Content {
        name: ceremony_name(c),
        signoff: signoff(ours, &statuses),
        statuses,
        changes,
        signers,
        tree: tree(c)?,
        entries: entries.len(),
        extent,
        head: super::transcript_check::head_lines(c)?
            .into_iter()
            .map(|l| l.trim_start().to_string())
            .collect(),
        last_hash,
        exports: span
            .exports
            .iter()
            .map(|&i| exported(&entries[i]))
            .collect(),
        keys_added,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transcript line: `event`, and for an `export` or trusted `load` the role at
    /// version `v` (payload "pV").
    fn line(seq: u64, event: &str, v: u64) -> Entry {
        let mut fields = vec![("event".to_string(), Value::str(event))];
        let role = |v: u64| {
            vec![
                ("role", Value::str("root")),
                ("version", Value::Int(i128::from(v))),
                ("payload_sha256", Value::str(format!("p{v}"))),
            ]
        };
        match event {
            "export" | "rstuf-export" => {
                fields[0].1 = Value::str("export");
                fields.push(("roles".into(), Value::Array(vec![Value::object(role(v))])));
                if event == "rstuf-export" {
                    fields.push(("rstuf".into(), Value::str("update")));
                }
            }
            "trusted-load" => {
                fields[0].1 = Value::str("load");
                fields.push(("trusted".into(), Value::Bool(true)));
                fields.extend(role(v).into_iter().map(|(k, v)| (k.to_string(), v)));
            }
            _ => {}
        }
        Entry {
            seq,
            fields: crate::json::Object::from_pairs(fields),
        }
    }

    fn transcript(events: &[(&str, u64)]) -> Vec<Entry> {
        events
            .iter()
            .enumerate()
            .map(|(i, (e, v))| line(i as u64 + 1, e, *v))
            .collect()
    }

    fn trusted(version: u64, seq: u64) -> BTreeMap<String, (u64, String, u64)> {
        BTreeMap::from([("root".to_string(), (version, format!("p{version}"), seq))])
    }

    /// This ceremony is the same run of lines before and after its export, and its
    /// keyholders' transcript signatures after the export are its own; the next ceremony
    /// begins at its first change.
    #[test]
    fn this_ceremony_runs_from_its_first_change_to_the_end() {
        let first = [("init", 1), ("sign", 1)];
        let exported = [("export", 1), ("transcript-sign", 0)];
        let next = [("policy", 0), ("edit", 2), ("sign", 2)];
        let next_exported = [("rstuf-export", 2), ("export", 2), ("transcript-sign", 0)];

        let t = transcript(&first);
        assert_eq!(
            span(&t),
            Span {
                start: 0,
                before: BTreeMap::new(),
                exports: vec![]
            }
        );
        let t = transcript(&[&first[..], &exported[..]].concat());
        assert_eq!(
            span(&t),
            Span {
                start: 0,
                before: BTreeMap::new(),
                exports: vec![2]
            }
        );
        // The policy line and the transcript signature after the first export are the
        // first ceremony's; an RSTUF payload written is listed and ends nothing.
        let t = transcript(&[&first[..], &exported[..], &next[..]].concat());
        let before = trusted(1, 3);
        assert_eq!(
            span(&t),
            Span {
                start: 5,
                before: before.clone(),
                exports: vec![]
            }
        );
        let t = transcript(&[&first[..], &exported[..], &next[..], &next_exported[..]].concat());
        assert_eq!(
            span(&t),
            Span {
                start: 5,
                before,
                exports: vec![7, 8]
            }
        );
    }

    /// A ceremony that begins by recording what it follows (`load --trusted`) counts its
    /// changes from the last version so recorded.
    #[test]
    fn a_ceremony_begins_from_the_versions_it_loaded_as_trusted() {
        let t = transcript(&[
            ("trusted-load", 3),
            ("trusted-load", 4),
            ("load", 0),
            ("edit", 5),
            ("export", 5),
        ]);
        assert_eq!(
            span(&t),
            Span {
                start: 0,
                before: trusted(4, 2),
                exports: vec![4]
            }
        );
    }
}
