//! `transcript show` and `transcript verify`: the record of the ceremony for an auditor.
//! Verification checks the hash chain and that every signature in the working metadata was
//! recorded by a sign, merge or load entry for the same role, payload and keyid.

use super::{short, Ceremony, Report};
use crate::display::escape;
use crate::error::Result;
use crate::json::Value;
use crate::transcript::Entry;
use std::collections::HashSet;

fn keyids_of(e: &Entry) -> Vec<String> {
    ["keyids", "signatures"]
        .iter()
        .filter_map(|f| e.fields.get(f).and_then(Value::as_array))
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// One readable line per entry. Every field is shown escaped ([`crate::display::escape`]):
/// a merge entry holds what a signature file said about its device and time, and a load
/// entry a file name, so any of them may come from someone else.
pub fn show(c: &Ceremony) -> Result<Report> {
    let mut report = Report::default();
    for e in c.transcript_read()?.entries.iter() {
        let f = |k: &str| escape(e.str(k).unwrap_or("")).into_owned();
        let version = e
            .fields
            .get("version")
            .and_then(Value::as_i128)
            .map(|v| format!(" v{v}"))
            .unwrap_or_default();
        let mut line = format!(
            "#{:<3} {} {:<7} {}{version}",
            e.seq,
            f("time"),
            escape(e.event()),
            f("role")
        );
        match e.event() {
            "sign" | "merge" => {
                let device = e.fields.get("device");
                let raw = |k: &str| {
                    device
                        .and_then(|d| d.get(k))
                        .and_then(Value::as_str)
                        .unwrap_or("")
                };
                let d = |k: &str| escape(raw(k)).into_owned();
                line.push_str(&format!(
                    "  by {} with {} [{} {}], keys {}",
                    f("keyholder"),
                    d("description"),
                    d("kind"),
                    escape(&raw("identity").chars().take(19).collect::<String>()),
                    keyids_of(e)
                        .iter()
                        .map(|k| short(k))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
                if let Some(p) = e.str("detached") {
                    line.push_str(&format!(", detached into {}", escape(p)));
                }
            }
            "edit" => line.push_str(&format!("  {}", f("action"))),
            "load" => line.push_str(&format!(
                "  from {}{}",
                f("file"),
                if e.fields.get("trusted") == Some(&Value::Bool(true)) {
                    " (trusted)"
                } else {
                    ""
                }
            )),
            "export" => line.push_str(&format!("  to {}", f("out"))),
            super::head_signatures::EVENT => line.push_str(&format!(
                "  by {}, key {}, over line {}",
                f("keyholder"),
                short(e.str("keyid").unwrap_or("")),
                e.fields
                    .get("head_seq")
                    .and_then(Value::as_i128)
                    .unwrap_or(0)
            )),
            super::policy::EVENT => line.push_str(&format!(
                "  {} sha256 {}",
                f("file"),
                e.str("sha256")
                    .map(short)
                    .unwrap_or_else(|| "(removed)".into())
            )),
            _ => {}
        }
        if let Some(p) = e.str("payload_sha256") {
            line.push_str(&format!("  payload {}", short(p)));
        }
        report.line(line);
    }
    Ok(report)
}

/// The keyids an entry records as signing ([`keyids_of`], borrowed).
fn recorded_keyids(e: &Entry) -> impl Iterator<Item = &str> {
    ["keyids", "signatures"]
        .into_iter()
        .filter_map(|f| e.fields.get(f).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
}

/// The lines `export` and `report` print so the keyholders can anchor the transcript: its
/// head (the SHA-256 of its last line) in hex and as PGP words, to be read aloud and
/// written into the signed minutes. `transcript verify --head` checks against it later.
pub fn head_lines(c: &Ceremony) -> Result<Vec<String>> {
    let transcript = c.transcript_read()?;
    let (n, head) = (transcript.entries.len(), &transcript.head);
    let bytes = hex::decode(head).unwrap_or_default();
    Ok(vec![
        format!("transcript head (line {n}): {head}"),
        format!(
            "  in words: {}",
            crate::pgp_words::words(&bytes).join(" ")
        ),
        "  Write this into the signed minutes; `tuf-ceremony transcript verify --head HASH` checks the transcript still holds it.".to_string(),
    ])
}

/// Reads a head as given on the command line: 64 hex digits, spaces and colons allowed.
/// A prefix is not enough: 32 bits of a hash can be matched by trial.
fn parse_head(text: &str) -> Result<String> {
    let hex: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(crate::outcome::Rejection::HeadNotHex {
            given: text.to_string(),
        }
        .into());
    }
    Ok(hex)
}

/// Checks the chain and that every signature now in the metadata has its entry; with
/// `head`, also that some line of the transcript hashes to it (the anchor in the minutes).
pub fn verify(c: &Ceremony, head: Option<&str>) -> Result<(Report, bool)> {
    let mut report = Report::default();
    let head = head.map(parse_head).transpose()?;
    let transcript = c.transcript_read()?;
    let (bytes, entries) = (&transcript.bytes, &transcript.entries);
    report.line(format!(
        "{}: {} entries, hash chain intact",
        c.transcript().path().display(),
        entries.len()
    ));
    // Every (role, payload, keyid) a sign, merge or load entry accounts for, indexed once:
    // each signature is then one lookup, however long the transcript.
    let recorded: HashSet<(&str, &str, &str)> = entries
        .iter()
        .filter(|e| matches!(e.event(), "sign" | "merge" | "load"))
        .filter_map(|e| Some((e, e.str("role")?, e.str("payload_sha256")?)))
        .flat_map(|(e, role, digest)| recorded_keyids(e).map(move |keyid| (role, digest, keyid)))
        .collect();
    let mut ok = true;
    if let Some(head) = &head {
        ok &= check_head(bytes, head, &mut report);
    }
    // Every file of the folder against the record (see `record`).
    if c.is_bound() {
        report.line(
            "the folder's files are recorded in the transcript (their SHA-256 at every write)"
                .to_string(),
        );
    } else {
        report.line("the transcript records none of the folder's files: it was written by an earlier version, and the folder is bound from its next recorded change".to_string());
    }
    for m in c.mismatches() {
        ok = false;
        report.line(format!("problem: {}", m.describe()));
    }
    for role in c.roles() {
        let Some((md, payload)) = c.working_with_payload(&role)? else {
            continue;
        };
        let digest = payload.sha256_hex();
        for s in &md.signatures {
            let found = recorded.contains(&(role.as_str(), digest.as_str(), s.keyid.as_str()));
            if !found {
                ok = false;
                report.line(format!(
                    "problem: the signature by keyid {} on {role} v{} has no sign, merge or load entry in the transcript: it was added outside tuf-ceremony",
                    short(&s.keyid),
                    md.version()
                ));
            }
        }
    }
    if ok {
        report.line("every signature in the metadata is accounted for".to_string());
    }
    ok &= super::transcript_sign::verify(c, entries, bytes, &mut report)?;
    Ok((report, ok))
}

/// Finds the line whose SHA-256 is `head`. Lines after it were added since the minutes
/// were signed (the ceremony went on) and are named; no such line means the transcript was
/// cut short, replaced by another copy, or rewritten.
fn check_head(bytes: &[u8], head: &str, report: &mut Report) -> bool {
    use sha2::{Digest, Sha256};
    let lines: Vec<&[u8]> = bytes
        .strip_suffix(b"\n")
        .map(|b| b.split(|&c| c == b'\n').collect())
        .unwrap_or_default();
    match lines
        .iter()
        .position(|l| hex::encode(Sha256::digest(l)) == head)
    {
        Some(i) if i + 1 == lines.len() => {
            report.line(format!(
                "the transcript ends at the head given ({}, line {}): nothing was added or removed since",
                short(head),
                i + 1
            ));
            true
        }
        Some(i) => {
            report.line(format!(
                "the head given ({}) is line {} of {}: the {} line(s) after it were added since; show them with `tuf-ceremony transcript show`",
                short(head),
                i + 1,
                lines.len(),
                lines.len() - i - 1
            ));
            true
        }
        None => {
            report.line(format!(
                "problem: no line of the transcript has the head given ({}): lines were removed from its end, or it was replaced by an older or different copy. Keep the file as evidence and compare it with the ceremony's backups",
                short(head)
            ));
            false
        }
    }
}
