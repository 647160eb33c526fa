//! `inspect FILE` and `key show`: read-only views of a metadata file or a key, for people
//! checking what they hold before a ceremony. The file may come from anyone: every string
//! from it is shown escaped ([`crate::display`]).
//!
//! A file this tool would not load because of its expiry format or a delegated role's name
//! (Sigstore's first roots have `expires` with fractional seconds and an offset; a role
//! name can look like a path) is still shown, with why it is refused: a person checking
//! published metadata needs to see it, and nothing shown here is ever signed.

use crate::display::{self, escape, quoted, short};
use crate::error::{Error, Result};
use crate::json::{self, Value};
use crate::keys::{keyid_warning, Key, KeyIdMatch};
use crate::metadata::{check_role_name, Metadata, Payload, Signed};
use crate::output::{to_value, Embedded, Report};
use crate::succinct::SuccinctRoles;
use crate::verify::{Authorized, Label};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A metadata file as read for inspection.
pub struct Inspected {
    pub md: Metadata,
    /// The canonical bytes of the file's `signed`, which its signatures cover.
    pub payload: Payload,
    /// Why this tool will not load or sign the file, one sentence each (none for a file
    /// it accepts).
    pub refused: Vec<String>,
}

/// Reads a metadata file as `load` does; if that fails only because of the expiry's format
/// or a delegated role's name, reads it anyway, saying why it is refused.
pub fn read(path: &Path) -> Result<Inspected> {
    match crate::metadata_file::read_metadata_with_payload(path) {
        Ok((md, payload)) => Ok(Inspected {
            md,
            payload,
            refused: Vec::new(),
        }),
        Err(e) => read_refused(path).ok_or(e),
    }
}

/// What stands in for a refused expiry while the rest of the file is checked.
const EXPIRES_STAND_IN: &str = "1970-01-01T00:00:00Z";

/// [`read`] for a file `load` refuses: the refused values are replaced by stand-ins, the
/// file is checked like any other, and the real values are put back for showing. `None`
/// when anything else is wrong with it, or the values put back do not give the file's own
/// payload.
fn read_refused(path: &Path) -> Option<Inspected> {
    let bytes = crate::fsutil::read(path).ok()?;
    let mut doc = json::parse(&bytes).ok()?;
    let signed = doc.get("signed")?;
    // What is refused, and where.
    let mut refused = Vec::new();
    let expires = signed.get("expires").and_then(Value::as_str);
    let expires = expires.and_then(|raw| {
        let problem = crate::time::parse_expires(raw).err()?;
        refused.push(format!(
            "$.signed.expires: {}.{} this tool shows the file but will not load or sign it",
            escape(&problem),
            if python_tuf_refuses_expiry(raw) {
                " python-tuf 7 refuses this expiry format too (it reads no fractional seconds and no offset);"
            } else {
                ""
            }
        ));
        Some(raw.to_string())
    });
    let roles = match signed.get("_type").and_then(Value::as_str) {
        Some("targets") => signed.get("delegations").and_then(|d| d.get("roles")),
        _ => None,
    };
    let names: Vec<(usize, String)> = roles
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(i, role)| {
            let name = role.get("name")?.as_str()?;
            let problem = check_role_name(name).err()?;
            refused.push(format!(
                "$.signed.delegations.roles[{i}].name: {}; this tool shows the file but will not load or sign it",
                escape(&problem)
            ));
            Some((i, name.to_string()))
        })
        .collect();
    if refused.is_empty() {
        return None;
    }
    let payload = json::canonical(signed);
    // Stand-ins, so that the rest is checked as `load` checks it.
    let signed = member(&mut doc, "signed")?;
    if expires.is_some() {
        *member(signed, "expires")? = Value::str(EXPIRES_STAND_IN);
    }
    if let Some(Value::Array(roles)) =
        member(signed, "delegations").and_then(|d| member(d, "roles"))
    {
        let taken: std::collections::HashSet<String> = roles
            .iter()
            .filter_map(|r| r.get("name").and_then(Value::as_str).map(str::to_string))
            .collect();
        for (i, _) in &names {
            let mut stand_in = format!("refused-role-name-{i}");
            while taken.contains(&stand_in) {
                stand_in.push('-');
            }
            *member(roles.get_mut(*i)?, "name")? = Value::str(stand_in);
        }
    }
    let mut md = Metadata::from_value(doc).ok()?;
    // The real values back, for showing.
    if let Some(raw) = expires {
        md.signed.common_mut().expires = raw;
    }
    if let Signed::Targets(t) = &mut md.signed {
        // The delegations are read in the order they are written.
        if let Some(roles) = t.delegations.as_mut().and_then(|d| d.roles.as_mut()) {
            for (i, name) in names {
                roles.get_mut(i)?.name = name;
            }
        }
    }
    if md.payload() != payload {
        return None;
    }
    Some(Inspected {
        md,
        payload: Payload {
            sha256: Sha256::digest(&payload).into(),
            bytes: payload,
        },
        refused,
    })
}

fn member<'v>(value: &'v mut Value, name: &str) -> Option<&'v mut Value> {
    match value {
        Value::Object(o) => o.get_mut(name),
        _ => None,
    }
}

/// Whether python-tuf 7 refuses an expiry this tool refuses: it reads `expires` with
/// `strptime("%Y-%m-%dT%H:%M:%SZ")`, so fractional seconds or an offset after the seconds
/// cannot be read (other forms, such as a lower-case `z`, python-tuf reads).
fn python_tuf_refuses_expiry(raw: &str) -> bool {
    let b = raw.as_bytes();
    let seconds = b.len() > 19
        && b[..19].iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        });
    seconds && matches!(b[19], b'.' | b'+' | b'-')
}

/// The role a file holds, named as `load` names it: the file name without `.json` and
/// a leading version (`3.claimed.json` holds claimed, `registry.npmjs.org.json` holds
/// registry.npmjs.org).
fn role_of_file(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = file.strip_suffix(".json").unwrap_or(&file);
    let stem = match stem.split_once('.') {
        Some((n, rest)) if n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => stem,
    };
    stem.to_string()
}

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
    let owner = key
        .named_in_file()
        .map(|n| format!("  held by {} (as the file names it)", escape(n)))
        .unwrap_or_default();
    let line = format!(
        "  {}  {}/{}  {check}{owner}",
        escape(id),
        escape(&key.keytype),
        escape(&key.scheme)
    );
    let mut lines = vec![line];
    lines.extend(key.caveat().map(|why| format!("    note: {why}")));
    lines
}

/// `inspect FILE --json`: what the file is and why this tool refuses it, if it does.
#[derive(serde::Serialize)]
struct InspectJson<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    version: u64,
    expires: &'a str,
    payload_sha256: String,
    refused: &'a [String],
}

/// Describes a metadata file; with `delegator`, checks its signatures against the keys
/// the delegating root or targets gives it.
pub fn inspect(path: &Path, delegator: Option<&Path>) -> Result<Report> {
    let Inspected {
        md,
        payload,
        refused,
    } = read(path)?;
    let mut r = Report::default();
    let c = md.signed.common();
    r.line(format!(
        "{}: {} metadata, version {}, expires {}, spec {}",
        display::path(path),
        md.signed.type_name(),
        c.version,
        escape(&c.expires),
        escape(&c.spec_version)
    ));
    for why in &refused {
        r.line(format!("REFUSED: {why}"));
    }
    r.line(format!("payload SHA-256 {}", payload.sha256_hex()));
    let mut signing_keys: Option<Authorized> = None;
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
                signing_keys = Some(Authorized::new(&root.keys, &own.keyids, own.threshold));
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
                match SuccinctRoles::of(d) {
                    Some(Ok(bins)) => {
                        let (first, last) = bins.first_and_last();
                        r.line(format!(
                            "delegates every target path to {} hash bins, {} … {} (succinct_roles: name prefix {}, bit length {}): {} of {} keys, each bin terminating",
                            bins.bins(),
                            escape(&first),
                            escape(&last),
                            quoted(bins.name_prefix),
                            bins.bit_length,
                            bins.threshold,
                            bins.keyids.len()
                        ));
                    }
                    Some(Err(why)) => r.line(format!(
                        "succinct_roles: not a TAP 15 hash-bin delegation ({why})"
                    )),
                    None => {}
                }
            }
        }
        Signed::Online(_) => {}
    }
    if let Some(dpath) = delegator {
        let dmd = read(dpath)?.md;
        signing_keys = match (&dmd.signed, &md.signed) {
            (Signed::Root(root), other) => {
                let role = root.role(other.type_name()).ok_or_else(|| {
                    Error::Invalid(format!(
                        "{}: root has no {} role",
                        display::path(dpath),
                        other.type_name()
                    ))
                })?;
                Some(Authorized::new(&root.keys, &role.keyids, role.threshold))
            }
            (Signed::Targets(t), Signed::Targets(_)) => {
                let name = role_of_file(path);
                let delegated = t.delegations.as_ref().and_then(|d| {
                    let by_name = d
                        .role(&name)
                        .map(|role| (role.keyids.clone(), role.threshold));
                    let by_bin = || match SuccinctRoles::of(d) {
                        Some(Ok(bins)) if bins.is_bin(&name) => Some((
                            bins.keyids.iter().map(|id| id.to_string()).collect(),
                            bins.threshold,
                        )),
                        _ => None,
                    };
                    by_name
                        .or_else(by_bin)
                        .map(|(keyids, threshold)| Authorized {
                            keys: d.keys.clone(),
                            keyids,
                            threshold,
                        })
                });
                let found = delegated.ok_or_else(|| {
                    Error::Invalid(format!(
                        "{} does not delegate to \"{}\" (named after {})",
                        display::path(dpath),
                        escape(&name),
                        display::path(path)
                    ))
                })?;
                Some(found)
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
        signing_keys.iter().flat_map(|a| &a.keyids).collect();
    for s in &md.signatures {
        let verdict = match &signing_keys {
            Some(a) if authorized.contains(&s.keyid) => match a.keys.get(&s.keyid) {
                // Labelled as `load` and `status` label them: tuf-on-ci writes an empty
                // placeholder for each keyholder still to sign, and a key of a type this
                // tool does not verify is not a signature that fails.
                Some(_) if s.sig.is_empty() => Label::EmptyPlaceholder.describe(),
                Some(k) if k.scheme().is_none() => Label::UnsupportedScheme {
                    keytype: k.keytype.clone(),
                    scheme: k.scheme.clone(),
                }
                .describe(),
                Some(k) => match crate::verify::signature_verifies(k, &payload.bytes, &s.sig) {
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
    if let Some(a) = &signing_keys {
        let t = a.check(&payload.bytes, &md.signatures);
        r.line(format!(
            "threshold: {} of {} distinct keys signed{}",
            t.counted.len(),
            a.threshold,
            if t.met() { " - met" } else { " - NOT met" }
        ));
    }
    r.json = Some(to_value(&InspectJson {
        kind: md.signed.type_name(),
        version: c.version,
        expires: &c.expires,
        payload_sha256: payload.sha256_hex(),
        refused: &refused,
    })?);
    Ok(r)
}

/// The canonical bytes of a metadata file's `signed`.
pub fn canonical(path: &Path) -> Result<Vec<u8>> {
    Ok(read(path)?.payload.bytes)
}

/// `inspect FILE --tree`: the roles the file trusts or delegates to, and why this tool
/// refuses it, if it does.
pub fn tree(path: &Path) -> Result<Report> {
    let inspected = read(path)?;
    let mut r = Report::default();
    for l in crate::tree::tree_text(&crate::tree::file_tree(&inspected.md)) {
        r.line(l);
    }
    for why in &inspected.refused {
        r.line(format!("REFUSED: {why}"));
    }
    Ok(r)
}

/// A public key's TUF JSON and keyid.
pub fn show_key(key: &Key) -> Result<Report> {
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
    r.json = Some(key_json(key, None)?);
    Ok(r)
}

/// `key show --json` and `key generate --json`: a public key as TUF writes it, its keyid,
/// and for a key in a device what its attestation proves.
#[derive(serde::Serialize)]
struct KeyJson {
    keyid: String,
    key: Embedded,
    #[serde(skip_serializing_if = "Option::is_none")]
    attestation: Option<Embedded>,
}

/// The `--json` of a key, with its attestation's facts when there is one.
pub fn key_json(key: &Key, attestation: Option<Value>) -> Result<Value> {
    Ok(to_value(&KeyJson {
        keyid: key.keyid(),
        key: Embedded(key.to_value()),
        attestation: attestation.map(Embedded),
    })?)
}
