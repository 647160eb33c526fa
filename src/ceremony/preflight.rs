//! The clients pre-flight over a ceremony folder: the working metadata, as `export` would
//! write it, judged by [`crate::clients::judge`] for every client it knows.

use super::Ceremony;
use crate::clients::{self, Verdict};
use crate::error::Result;
use crate::json::Value;
use crate::metadata::Metadata;
use crate::output::Report;

/// The working metadata of every role the folder has, named by file.
fn exported(c: &Ceremony) -> Result<Vec<(String, super::Parsed)>> {
    let mut out = Vec::new();
    for role in c.roles() {
        if let Some(md) = c.working_shared(&role)? {
            out.push((role.file_name(), md));
        }
    }
    Ok(out)
}

/// Each client's verdict on the folder's metadata as it would be exported.
pub fn verdicts(c: &Ceremony) -> Result<Vec<Verdict>> {
    let files = exported(c)?;
    let refs: Vec<(String, &Metadata)> = files.iter().map(|(f, m)| (f.clone(), &m.0)).collect();
    Ok(clients::judge(&refs))
}

/// When a command gives the pre-flight's warnings: `init`, where the spec version is
/// chosen, or any later command.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    Init,
    Later,
}

/// Adds a warning to `report` for each client (beyond python-tuf and tough, which have
/// warnings of their own) that would refuse the folder's metadata as it would be exported,
/// among the clients this repository can be expected to serve:
/// - RSTUF's API only for an RSTUF repository (a root whose keys carry `x-rstuf-` fields,
///   as RSTUF's own ceremony writes them): a tuf-on-ci or Sigstore root is never sent to it;
/// - rust-tuf only at `init`, where `--spec-version` is chosen: it reads ed25519 keys alone
///   and two spec versions, so it would speak against most published repositories, which
///   never served it; `clients` lists it for any folder.
///
/// A working file that cannot be read is left out here: the command's own checks name it.
pub fn warn(c: &Ceremony, report: &mut Report, moment: Moment) -> Result<()> {
    let files: Vec<(String, super::Parsed)> = c
        .roles()
        .into_iter()
        .filter_map(|role| Some((role.file_name(), c.working_shared(&role).ok()??)))
        .collect();
    let refs: Vec<(String, &Metadata)> = files.iter().map(|(f, m)| (f.clone(), &m.0)).collect();
    let rstuf = files.iter().any(|(_, md)| {
        md.0.root().is_some_and(|r| {
            r.keys
                .values()
                .any(|k| k.extra.keys().any(|n| n.starts_with("x-rstuf-")))
        })
    });
    let rust_tuf = moment == Moment::Init;
    let relevant = |client: clients::Client| match client {
        clients::Client::Rstuf => rstuf,
        clients::Client::RustTuf => rust_tuf,
        _ => true,
    };
    for w in clients::refusal_warnings(&refs, relevant) {
        report.warn(w);
    }
    Ok(())
}

/// `tuf-ceremony clients`: per client, "accepts" or "refuses: why", what it accepts, and the
/// spec_version each file carries.
pub fn report(c: &Ceremony) -> Result<Report> {
    let files = exported(c)?;
    let refs: Vec<(String, &Metadata)> = files.iter().map(|(f, m)| (f.clone(), &m.0)).collect();
    let verdicts = clients::judge(&refs);
    let mut r = Report::default();
    if files.is_empty() {
        r.line("no working metadata here yet: `init` or `load` first");
    }
    for (file, md) in &files {
        r.line(format!(
            "{file}: spec_version \"{}\"",
            crate::display::escape(&md.0.signed.common().spec_version)
        ));
    }
    for v in &verdicts {
        r.line(format!("{}: {}", v.client.name(), v.summary()));
        for n in &v.notes {
            r.line(format!("  note: {n}"));
        }
        let [spec, keys, keyids, thresholds, fields, expires] = v.client.accepts();
        r.line(format!(
            "  accepts spec_version {spec}; keys: {keys}; keyids: {keyids}; thresholds: {thresholds}; fields: {fields}; expires: {expires}"
        ));
    }
    let spec_versions = files
        .iter()
        .map(|(f, md)| {
            Value::object(vec![
                ("file", Value::str(f.as_str())),
                (
                    "spec_version",
                    Value::str(md.0.signed.common().spec_version.as_str()),
                ),
            ])
        })
        .collect();
    r.json = Some(Value::object(vec![
        ("files", Value::Array(spec_versions)),
        (
            "clients",
            Value::Array(verdicts.iter().map(Verdict::to_value).collect()),
        ),
    ]));
    Ok(r)
}
