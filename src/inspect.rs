//! `inspect FILE` and `key show`: read-only views of a metadata file or a key, for people
//! checking what they hold before a ceremony. The file may come from anyone: every string
//! from it is shown escaped ([`crate::display`]).

use crate::ceremony::{short, Report};
use crate::display::{self, escape};
use crate::error::{Error, Result};
use crate::json::Value;
use crate::keys::{keyid_warning, Key, KeyIdMatch};
use crate::metadata::Signed;
use std::collections::BTreeMap;
use std::path::Path;

/// A key's line, and a note under it when its signatures do not count or a major client
/// cannot use it.
fn key_lines(id: &str, key: &Key) -> Vec<String> {
    let m = key.check_keyid(id);
    let check = match m {
        KeyIdMatch::Both => "keyid ok".to_string(),
        KeyIdMatch::SecuresystemslibOnly => format!(
            "keyid matches keytype/scheme/keyval only (whole object: {})",
            key.keyid_whole_object()
        ),
        KeyIdMatch::WholeObjectOnly => format!(
            "keyid matches the whole object only (keytype/scheme/keyval: {})",
            key.keyid()
        ),
        KeyIdMatch::Neither => "KEYID MATCHES NEITHER CONVENTION".to_string(),
    };
    let line = format!(
        "  {}  {}/{}  {check}",
        escape(id),
        escape(&key.keytype),
        escape(&key.scheme)
    );
    let mut lines = vec![line];
    lines.extend(key.caveat().map(|why| format!("    note: {why}")));
    lines
}

/// Describes a metadata file; with `delegator`, checks its signatures against the keys
/// the delegating root or targets gives it.
pub fn inspect(path: &Path, delegator: Option<&Path>) -> Result<Report> {
    let (md, payload) = crate::ceremony::read_metadata_with_payload(path)?;
    let mut r = Report::default();
    let c = md.signed.common();
    r.line(format!(
        "{}: {} metadata, version {}, expires {}, spec {}",
        display::path(path),
        md.signed.type_name(),
        c.version,
        c.expires,
        escape(&c.spec_version)
    ));
    r.line(format!("payload SHA-256 {}", payload.sha256_hex()));
    let mut signing_keys: Option<(BTreeMap<String, Key>, Vec<String>, u64)> = None;
    match &md.signed {
        Signed::Root(root) => {
            r.line(format!(
                "consistent_snapshot: {}",
                root.consistent_snapshot
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "not set".into())
            ));
            r.line(format!("keys ({}):", root.keys.len()));
            for (id, k) in &root.keys {
                for l in key_lines(id, k) {
                    r.line(l);
                }
            }
            for (name, role) in &root.roles {
                r.line(format!(
                    "role {}: {} of [{}]",
                    escape(name),
                    role.threshold,
                    role.keyids
                        .iter()
                        .map(|i| short(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if let Some(own) = root.role("root") {
                signing_keys = Some((root.keys.clone(), own.keyids.clone(), own.threshold));
            }
        }
        Signed::Targets(t) => {
            r.line(format!("target files: {}", t.targets.len()));
            if let Some(d) = &t.delegations {
                r.line(format!("delegation keys ({}):", d.keys.len()));
                for (id, k) in d.keys.iter().take(20) {
                    for l in key_lines(id, k) {
                        r.line(l);
                    }
                }
                for role in d.roles.iter().flatten().take(20) {
                    r.line(format!(
                        "delegates {}: {} of {} keys, {}{}",
                        escape(&role.name),
                        role.threshold,
                        role.keyids.len(),
                        role.paths
                            .as_ref()
                            .map(|p| {
                                let shown: Vec<_> = p.iter().map(|p| display::word(p)).collect();
                                format!("paths {}", shown.join(" "))
                            })
                            .unwrap_or_else(|| "hash prefixes".into()),
                        if role.terminating {
                            ", terminating"
                        } else {
                            ""
                        }
                    ));
                }
                let n = d.roles.as_ref().map_or(0, Vec::len);
                if n > 20 {
                    r.line(format!("… and {} more delegations", n - 20));
                }
            }
        }
        Signed::Online(_) => {}
    }
    if let Some(dpath) = delegator {
        let dmd = crate::ceremony::read_metadata(dpath)?;
        signing_keys = match (&dmd.signed, &md.signed) {
            (Signed::Root(root), other) => {
                let role = root.role(other.type_name()).ok_or_else(|| {
                    Error::Invalid(format!(
                        "{}: root has no {} role",
                        display::path(dpath),
                        other.type_name()
                    ))
                })?;
                Some((root.keys.clone(), role.keyids.clone(), role.threshold))
            }
            (Signed::Targets(t), Signed::Targets(_)) => {
                let name = path
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default();
                let name = name.strip_suffix(".json").unwrap_or(&name);
                let name = name.rsplit_once('.').map_or(name, |(_, n)| n);
                let d = t
                    .delegations
                    .as_ref()
                    .and_then(|d| d.role(name).map(|role| (d, role)))
                    .ok_or_else(|| {
                        Error::Invalid(format!(
                            "{} does not delegate to \"{}\" (named after {})",
                            display::path(dpath),
                            escape(name),
                            display::path(path)
                        ))
                    })?;
                Some((d.0.keys.clone(), d.1.keyids.clone(), d.1.threshold))
            }
            _ => {
                return Err(Error::Invalid(format!(
                    "{} cannot delegate to {}",
                    display::path(dpath),
                    display::path(path)
                )))
            }
        };
    }
    r.line(format!("signatures ({}):", md.signatures.len()));
    let authorized: std::collections::HashSet<&String> =
        signing_keys.iter().flat_map(|(_, ids, _)| ids).collect();
    for s in &md.signatures {
        let verdict = match &signing_keys {
            Some((keys, _, _)) if authorized.contains(&s.keyid) => match keys.get(&s.keyid) {
                Some(k) => match k.verify(&payload.bytes, &s.sig) {
                    Ok(()) => "verifies".to_string(),
                    Err(why) if k.material().is_err() => format!("not counted: {why}"),
                    Err(why) => format!("DOES NOT VERIFY: {why}"),
                },
                None => "key not found".to_string(),
            },
            Some(_) => "keyid not authorized for this role".to_string(),
            None => {
                "not checked (give --delegator FILE: the root or targets that delegates this role)"
                    .to_string()
            }
        };
        r.line(format!("  {}  {verdict}", escape(&s.keyid)));
    }
    if let Some((keys, ids, threshold)) = &signing_keys {
        let t =
            crate::verify::check_threshold(&payload.bytes, &md.signatures, keys, ids, *threshold);
        r.line(format!(
            "threshold: {} of {} distinct keys signed{}",
            t.counted.len(),
            threshold,
            if t.met() { " - met" } else { " - NOT met" }
        ));
    }
    r.json = Some(Value::object(vec![
        ("type", Value::str(md.signed.type_name())),
        ("version", Value::Int(i128::from(c.version))),
        ("expires", Value::str(&c.expires)),
        ("payload_sha256", Value::str(payload.sha256_hex())),
    ]));
    Ok(r)
}

/// The canonical bytes of a metadata file's `signed`.
pub fn canonical(path: &Path) -> Result<Vec<u8>> {
    Ok(crate::ceremony::read_metadata_with_payload(path)?.1.bytes)
}

/// A public key's TUF JSON and keyid.
pub fn show_key(key: &Key) -> Report {
    let mut r = Report::default();
    // One report line per line: a report line never holds a line break (see `app::print`).
    for line in String::from_utf8_lossy(&crate::json::pretty(&key.to_value())).lines() {
        r.line(line);
    }
    r.line(format!("keyid {}", key.keyid()));
    if let Some(w) = keyid_warning(&key.keyid(), key.check_keyid(&key.keyid()), "this key") {
        r.warn(w);
    }
    if let Some(w) = key.caveat() {
        r.warn(format!("this key: {w}"));
    }
    r.json = Some(Value::object(vec![
        ("keyid", Value::str(key.keyid())),
        ("key", key.to_value()),
    ]));
    r
}
