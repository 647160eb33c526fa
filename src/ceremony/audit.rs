//! `transcript show` and `transcript verify`: the record of the ceremony for an auditor.
//! Verification checks the hash chain and that every signature in the working metadata was
//! recorded by a sign, merge or load entry for the same role, payload and keyid.

use super::{short, Ceremony, Report};
use crate::display::escape;
use crate::error::Result;
use crate::json::Value;
use crate::transcript::Entry;

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
    for e in c.transcript().read()? {
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
                    keyids_of(&e)
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
            _ => {}
        }
        if let Some(p) = e.str("payload_sha256") {
            line.push_str(&format!("  payload {}", short(p)));
        }
        report.line(line);
    }
    Ok(report)
}

/// Checks the chain and that every signature now in the metadata has its entry.
pub fn verify(c: &Ceremony) -> Result<(Report, bool)> {
    let mut report = Report::default();
    let entries = c.transcript().read()?;
    report.line(format!(
        "{}: {} entries, hash chain intact",
        c.transcript().path().display(),
        entries.len()
    ));
    let mut ok = true;
    for role in c.roles() {
        let Some((md, payload)) = c.working_with_payload(&role)? else {
            continue;
        };
        let digest = payload.sha256_hex();
        for s in &md.signatures {
            let found = entries.iter().any(|e| {
                matches!(e.event(), "sign" | "merge" | "load")
                    && e.str("role") == Some(role.as_str())
                    && e.str("payload_sha256") == Some(digest.as_str())
                    && keyids_of(e).contains(&s.keyid)
            });
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
    Ok((report, ok))
}
