//! Signing requests: what a keyholder at another site needs to sign a role, carried to them
//! on removable media, and the signature they carry back.
//!
//! `request write ROLE… --out FILE` (on the ceremony machine) writes one file holding, for
//! each role: the working metadata to sign, its trusted version (the one the changes are
//! shown against), the working metadata that says whose keys sign it (root for targets,
//! targets for a delegated role), the payload's SHA-256, and the keyholders the ceremony
//! records (names and keys). `request sign FILE` (on the keyholder's machine, with no
//! ceremony folder) reads that into a ceremony held in memory and runs the very `sign` of
//! [`super::sign`]: the same checks, the same screen (the same changes, the same payload
//! words), and a detached signature file that `merge` takes, naming the ceremony it was
//! made for.
//!
//! ```json
//! {
//!  "ceremony": "<64 hex digits: the SHA-256 of the transcript's first line>",
//!  "format": "tuf-ceremony-request/1",
//!  "keyholders": [{"key": {…}, "keyid": "…", "name": "alice"}],
//!  "roles": [{"payload_sha256": "<64 hex digits>", "role": "root", "version": 2}],
//!  "trusted": {"root": {"signatures": […], "signed": {…}}},
//!  "working": {"root": {"signatures": […], "signed": {…}}},
//!  "written_at": "2026-01-01T00:00:00Z"
//! }
//! ```
//!
//! The request is not signed: whoever held the stick could have changed it. So it is read
//! as strictly as any other input (a duplicate or unknown member is refused, every name is
//! parsed as a name, every value shown is escaped), and before anything is shown: each
//! role's metadata must have the payload digest the request states (the digest the
//! administrator reads aloud or prints), and its trusted version must be that role's version
//! just before (for root, signed by a threshold of its own root keys, as a published root
//! is). The keys that may sign are read from the metadata itself, never from a list beside
//! it, and the keyholder is the one the request names for the key that signs. What the
//! signature is worth is decided again by `merge` on the ceremony machine, against its own
//! folder.

use super::events::Event;
use super::identity::{identity, is_identity, shown};
use super::sigfile::REQUEST_FORMAT as FORMAT;
use super::sign::{self, SignOptions};
use super::sign_record::Origin;
use super::snapshot::Snapshot;
use super::{digest_hex, Ceremony, Keyholder, Report, State};
use crate::display::{self, escape};
use crate::error::{Error, Result};
use crate::fsutil::Input;
use crate::json::{self, Object, Value};
use crate::keys::Key;
use crate::names::RoleName;
use crate::outcome::{Refusal, Rejection};
use crate::secret::SecretSource;
use crate::signer::SignerRef;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A signing request holds up to three metadata files per role (the working version, the
/// trusted one and the one delegating to it), each at most [`Input::METADATA`].
pub const INPUT: Input = Input {
    what: "signing request",
    max_bytes: 4 * Input::METADATA.max_bytes,
    pipe_ok: false,
};

/// The most roles one request names (a ceremony signs root, targets and a few delegated
/// roles).
const MAX_ROLES: usize = 64;

/// The `request` transcript event: which payloads the request carried away, and the
/// request file's own digest, so an audit can tie the signatures merged later to it.
#[derive(serde::Serialize)]
struct Requested<'a> {
    ceremony: &'a str,
    file: String,
    file_sha256: String,
    roles: Vec<RequestedRole<'a>>,
}

#[derive(serde::Serialize)]
struct RequestedRole<'a> {
    role: &'a str,
    version: u64,
    payload_sha256: String,
}

impl Event for Requested<'_> {
    const NAME: &'static str = "request";
}

/// The delegating role whose working metadata says who signs `role`.
fn delegator(role: &RoleName) -> Option<RoleName> {
    match role.as_str() {
        "root" => None,
        "targets" => Some(RoleName::ROOT),
        _ => Some(RoleName::TARGETS),
    }
}

/// A file of the folder as the snapshot holds it, as a JSON value.
fn held_value(c: &Ceremony, name: &str) -> Result<Value> {
    let bytes = c
        .held_bytes(name)
        .ok_or_else(|| Rejection::MissingFromFolder {
            file: c.dir.join(name),
        })?;
    json::parse(&bytes).map_err(|e| {
        Rejection::NotJson {
            file: c.dir.join(name),
            why: e.to_string(),
        }
        .into()
    })
}

/// `request write ROLE… --out FILE`: the signing request for `roles`, written to `out`
/// (outside the folder, never overwriting a file) and recorded in the transcript.
pub fn write(c: &Ceremony, roles: &[RoleName], out: &Path) -> Result<Report> {
    let mut report = Report::default();
    let id = identity(c)?.ok_or_else(|| Refusal::NoIdentity { dir: c.dir.clone() })?;
    super::refuse_output_inside(out, "a signing request")?;
    // 1. Each role as `sign` would read it: the same checks before any key is touched.
    let mut wanted: Vec<RoleName> = Vec::new();
    for r in roles {
        if !wanted.contains(r) {
            wanted.push(r.clone());
        }
    }
    let mut listed = Vec::new();
    let mut working: Vec<(String, Value)> = Vec::new();
    let mut trusted: Vec<(String, Value)> = Vec::new();
    let mut words = Vec::new();
    for role in &wanted {
        let (md, payload) = c
            .working_with_payload(role)?
            .ok_or_else(|| c.no_working(role))?;
        let reqs = c.requirements(role, &md)?;
        for w in sign::presign_checks(c, role, &md, &reqs)? {
            report.warn(w);
        }
        super::policy::check_sign(c, role)?;
        if let Some(t) = c.trusted(role)? {
            if t.version().checked_add(1) != Some(md.version()) {
                return Err(Refusal::RequestNotNext {
                    role: role.to_string(),
                    version: md.version(),
                    trusted: t.version(),
                }
                .into());
            }
            trusted.push((
                role.to_string(),
                held_value(c, &format!("trusted/{}", role.file_name()))?,
            ));
        }
        for r in std::iter::once(role.clone()).chain(delegator(role)) {
            if !working.iter().any(|(n, _)| *n == r.as_str()) {
                working.push((r.to_string(), held_value(c, &r.file_name())?));
            }
        }
        words.push(format!(
            "  {} v{}: payload SHA-256 {}",
            escape(role),
            md.version(),
            payload.sha256_hex()
        ));
        words.push(format!(
            "    in words {}",
            crate::pgp_words::words(&payload.sha256).join(" ")
        ));
        listed.push((role.clone(), md.version(), payload.sha256_hex()));
    }
    // 2. The file.
    let keyholders = c
        .state
        .keyholders
        .iter()
        .map(|k| {
            Value::object(vec![
                ("key", k.key.to_value()),
                ("keyid", Value::str(k.key.keyid())),
                ("name", Value::str(&k.name)),
            ])
        })
        .collect();
    let role_values = listed
        .iter()
        .map(|(r, v, d)| {
            Value::object(vec![
                ("payload_sha256", Value::str(d)),
                ("role", Value::str(r.as_str())),
                ("version", Value::Int(i128::from(*v))),
            ])
        })
        .collect();
    working.sort_by(|a, b| a.0.cmp(&b.0));
    trusted.sort_by(|a, b| a.0.cmp(&b.0));
    let value = Value::object(vec![
        ("ceremony", Value::str(&id)),
        ("format", Value::str(FORMAT)),
        ("keyholders", Value::Array(keyholders)),
        ("roles", Value::Array(role_values)),
        ("trusted", Value::Object(Object::from_sorted(trusted))),
        ("working", Value::Object(Object::from_sorted(working))),
        ("written_at", Value::str(crate::time::format_expires(c.now))),
    ]);
    let bytes = json::pretty(&value);
    crate::fsutil::write_new(out, &bytes).map_err(|e| {
        crate::error::unless_exists(e, || Refusal::RequestExists {
            file: out.to_path_buf(),
        })
    })?;
    // 3. Recorded: which payloads went out, in which file.
    let event = Requested {
        ceremony: &id,
        file: out.display().to_string(),
        file_sha256: digest_hex(&bytes),
        roles: listed
            .iter()
            .map(|(r, v, d)| RequestedRole {
                role: r.as_str(),
                version: *v,
                payload_sha256: d.clone(),
            })
            .collect(),
    };
    super::policy_record::record_with(c, &event)?;
    report.line(format!(
        "wrote the signing request {} for ceremony {}:",
        display::path(out),
        shown(&id)
    ));
    for w in words {
        report.line(w);
    }
    report.line(format!(
        "Carry it to the keyholder, who runs `tuf-ceremony request sign {} --signer … --out NAME.sig.json`, then merge the signature file they bring back: `tuf-ceremony -C {} merge NAME.sig.json`",
        out.file_name().map(|f| display::path(Path::new(f))).unwrap_or_default(),
        display::path(&c.dir)
    ));
    Ok(report)
}

/// A signing request, read and checked.
struct Request {
    path: PathBuf,
    ceremony: String,
    written_at: String,
    keyholders: Vec<Keyholder>,
    /// Each role to sign: its name, version and payload SHA-256, as the request states them.
    roles: Vec<(RoleName, u64, String)>,
    working: BTreeMap<RoleName, Vec<u8>>,
    trusted: BTreeMap<RoleName, Vec<u8>>,
}

/// Reads and parses a signing request.
fn read(path: &Path) -> Result<Request> {
    let bytes = crate::fsutil::read_bounded(path, &INPUT)?;
    parse(path, &bytes)
}

/// The members of a request object: each known one, none missing, no other.
fn members<'v>(
    obj: &'v Value,
    at: &str,
    names: &[&str],
    bad: &dyn Fn(String) -> Error,
) -> Result<Vec<&'v Value>> {
    let o = obj
        .as_object()
        .ok_or_else(|| bad(format!("{at} must be an object")))?;
    if let Some(k) = o.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(bad(format!(
            "{at} has a member this tool does not write: \"{}\"",
            escape(k)
        )));
    }
    names
        .iter()
        .map(|n| o.get(n).ok_or_else(|| bad(format!("{at}.{n} is missing"))))
        .collect()
}

fn text<'v>(v: &'v Value, at: &str, bad: &dyn Fn(String) -> Error) -> Result<&'v str> {
    v.as_str()
        .ok_or_else(|| bad(format!("{at} must be a string")))
}

/// Parses a request's bytes (`path` only names it in errors).
fn parse(path: &Path, bytes: &[u8]) -> Result<Request> {
    let bad = |why: String| {
        Error::Invalid(format!(
            "{}: not a usable signing request: {why}. Signing requests are written by `tuf-ceremony request write`; ask the ceremony administrator for a new one",
            display::path(path)
        ))
    };
    let value = json::parse(bytes).map_err(|e| bad(e.to_string()))?;
    if value.get("format").and_then(Value::as_str) == Some(super::sigfile::FORMAT) {
        return Err(bad(
            "it is a signature file, which the ceremony administrator adds with `tuf-ceremony merge`".into(),
        ));
    }
    let [ceremony, format, keyholders, roles, trusted, working, written_at] = members(
        &value,
        "$",
        &[
            "ceremony",
            "format",
            "keyholders",
            "roles",
            "trusted",
            "working",
            "written_at",
        ],
        &bad,
    )?[..] else {
        return Err(Error::bug(
            "the request reader got other members than it asked for",
        ));
    };
    if text(format, "$.format", &bad)? != FORMAT {
        return Err(bad(format!("its format is not {FORMAT}")));
    }
    let ceremony = text(ceremony, "$.ceremony", &bad)?;
    if !is_identity(ceremony) {
        return Err(bad("$.ceremony must be 64 lower-case hex digits".into()));
    }
    let written_at = text(written_at, "$.written_at", &bad)?;
    if crate::time::parse_expires(written_at).is_err() {
        return Err(bad(
            "$.written_at must be a UTC time of the form YYYY-MM-DDTHH:MM:SSZ".into(),
        ));
    }
    // The keyholders: a name each, a key each, no key twice.
    let list = keyholders
        .as_array()
        .ok_or_else(|| bad("$.keyholders must be an array".into()))?;
    let mut holders = Vec::with_capacity(list.len());
    let mut seen = HashSet::new();
    for (i, k) in list.iter().enumerate() {
        let at = format!("$.keyholders[{i}]");
        let [key, keyid, name] = members(k, &at, &["key", "keyid", "name"], &bad)?[..] else {
            return Err(Error::bug(
                "the request reader got other members than it asked for",
            ));
        };
        let name = text(name, &format!("{at}.name"), &bad)?;
        crate::keyfile::check_keyholder_name(name).map_err(|e| bad(format!("{at}.name: {e}")))?;
        let key = Key::from_value(key, &format!("{at}.key")).map_err(|e| bad(e.to_string()))?;
        let key = Key {
            extra: Object::new(),
            ..key
        };
        key.material()
            .map_err(|why| bad(format!("{at}.key: {why}")))?;
        if text(keyid, &format!("{at}.keyid"), &bad)? != key.keyid() {
            return Err(bad(format!("{at}.keyid is not the keyid of its key")));
        }
        if !seen.insert(key.identity()) {
            return Err(bad(format!(
                "{at}: its key is listed for another keyholder too; one key belongs to one keyholder"
            )));
        }
        holders.push(Keyholder {
            name: name.to_string(),
            key,
        });
    }
    // The roles to sign.
    let list = roles
        .as_array()
        .ok_or_else(|| bad("$.roles must be an array".into()))?;
    if list.is_empty() || list.len() > MAX_ROLES {
        return Err(bad(format!(
            "$.roles must name from 1 to {MAX_ROLES} roles"
        )));
    }
    let mut asked = Vec::with_capacity(list.len());
    for (i, r) in list.iter().enumerate() {
        let at = format!("$.roles[{i}]");
        let [digest, role, version] =
            members(r, &at, &["payload_sha256", "role", "version"], &bad)?[..]
        else {
            return Err(Error::bug(
                "the request reader got other members than it asked for",
            ));
        };
        let role = RoleName::parse(text(role, &format!("{at}.role"), &bad)?)
            .map_err(|e| bad(format!("{at}.role: {e}")))?;
        let digest = text(digest, &format!("{at}.payload_sha256"), &bad)?;
        if !is_identity(digest) {
            return Err(bad(format!(
                "{at}.payload_sha256 must be 64 lower-case hex digits"
            )));
        }
        let version = version
            .as_i128()
            .filter(|v| (1..=i128::from(i64::MAX)).contains(v))
            .ok_or_else(|| bad(format!("{at}.version must be a positive integer")))?
            as u64;
        if asked.iter().any(|(r, _, _)| *r == role) {
            return Err(bad(format!("{at}: {} is named twice", escape(&role))));
        }
        asked.push((role, version, digest.to_string()));
    }
    // The metadata: exactly the files the screens read.
    let files = |v: &Value, at: &str| -> Result<BTreeMap<RoleName, Vec<u8>>> {
        let o = v
            .as_object()
            .ok_or_else(|| bad(format!("{at} must be an object")))?;
        let mut out = BTreeMap::new();
        for (name, md) in o.iter() {
            let role = RoleName::parse(name).map_err(|e| bad(format!("{at}: {e}")))?;
            if md.as_object().is_none() {
                return Err(bad(format!(
                    "{at}.{} must be a metadata object",
                    escape(name)
                )));
            }
            out.insert(role, json::compact(md).into_bytes());
        }
        Ok(out)
    };
    let working = files(working, "$.working")?;
    let trusted = files(trusted, "$.trusted")?;
    let needed: Vec<RoleName> = asked
        .iter()
        .flat_map(|(r, _, _)| std::iter::once(r.clone()).chain(delegator(r)))
        .collect();
    for r in &needed {
        if !working.contains_key(r) {
            return Err(bad(format!("$.working has no {}", escape(r))));
        }
    }
    if let Some(r) = working.keys().find(|r| !needed.contains(r)) {
        return Err(bad(format!(
            "$.working holds {}, which no role to sign needs",
            escape(r)
        )));
    }
    if let Some(r) = trusted
        .keys()
        .find(|r| !asked.iter().any(|(a, _, _)| a == *r))
    {
        return Err(bad(format!(
            "$.trusted holds {}, which is not a role to sign",
            escape(r)
        )));
    }
    Ok(Request {
        path: path.to_path_buf(),
        ceremony: ceremony.to_string(),
        written_at: written_at.to_string(),
        keyholders: holders,
        roles: asked,
        working,
        trusted,
    })
}

impl Request {
    /// The ceremony as the request shows it, held in memory: its keyholders, the working
    /// and trusted files it carries, and nothing else (no policy, no transcript).
    fn ceremony(&self, now: i64) -> Ceremony {
        let mut files = BTreeMap::new();
        for (role, bytes) in &self.working {
            files.insert(role.file_name(), Rc::new(bytes.clone()));
        }
        for (role, bytes) in &self.trusted {
            files.insert(
                format!("trusted/{}", role.file_name()),
                Rc::new(bytes.clone()),
            );
        }
        let delegated = self
            .working
            .keys()
            .filter(|r| **r != RoleName::ROOT && **r != RoleName::TARGETS)
            .cloned()
            .collect();
        Ceremony {
            dir: self.path.clone(),
            state: State {
                keyholders: self.keyholders.clone(),
                delegated,
            },
            now,
            trust: Default::default(),
            _held: super::lock::Held::none(&self.path),
            snapshot: Snapshot {
                files: RefCell::new(files),
                bound_state: true,
                ..Snapshot::default()
            },
        }
    }

    /// Each role's metadata is what the request states (version and payload digest), and
    /// its trusted version is the one just before (for root, signed as a published root
    /// is): otherwise the screen would show changes against something else.
    fn check(&self, c: &Ceremony) -> Result<()> {
        for (role, version, digest) in &self.roles {
            let (md, payload) = c
                .working_with_payload(role)?
                .ok_or_else(|| c.no_working(role))?;
            let found = payload.sha256_hex();
            if md.version() != *version || found != *digest {
                return Err(Refusal::RequestChanged {
                    file: self.path.clone(),
                    role: role.to_string(),
                    version: md.version(),
                    payload: found,
                    stated_version: *version,
                    stated_payload: digest.clone(),
                }
                .into());
            }
            let Some(t) = c.trusted(role)? else { continue };
            if t.version().checked_add(1) != Some(md.version()) {
                return Err(Refusal::RequestTrustedNotPrevious {
                    file: self.path.clone(),
                    role: role.to_string(),
                    trusted: t.version(),
                    version: md.version(),
                }
                .into());
            }
            if *role == RoleName::ROOT {
                let r = crate::verify::verify_root(&t, None);
                if !r.ok() {
                    return Err(Refusal::RequestTrustedRootUnsigned {
                        file: self.path.clone(),
                        version: t.version(),
                        counted: r.own.counted.len(),
                        threshold: r.own.threshold,
                        problems: r.problems,
                    }
                    .into());
                }
            }
        }
        Ok(())
    }
}

/// Options of `request sign`.
pub struct SignRequestOptions {
    pub file: PathBuf,
    /// The role to sign; needed only when the request names several.
    pub role: Option<RoleName>,
    pub signer: SignerRef,
    pub as_name: Option<String>,
    pub out: PathBuf,
    pub yes: bool,
    pub trust: crate::attest::Trust,
}

/// `request sign FILE --signer … --out SIG`: the sign screen of the ceremony machine, from
/// the request alone, and a detached signature file for `merge`.
pub fn sign_request(
    opts: &SignRequestOptions,
    now: i64,
    secrets: &SecretSource,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<Report> {
    let request = read(&opts.file)?;
    let c = request.ceremony(now);
    request.check(&c)?;
    let names = || {
        request
            .roles
            .iter()
            .map(|(r, _, _)| r.to_string())
            .collect()
    };
    let role = match (&opts.role, &request.roles[..]) {
        (Some(r), roles) if roles.iter().any(|(a, _, _)| a == r) => r.clone(),
        (Some(r), _) => {
            return Err(Rejection::RequestRoleNotAsked {
                file: request.path.clone(),
                asked: names(),
                role: Some(r.to_string()),
            }
            .into())
        }
        (None, [(r, _, _)]) => r.clone(),
        (None, _) => {
            return Err(Rejection::RequestRoleNotAsked {
                file: request.path.clone(),
                asked: names(),
                role: None,
            }
            .into())
        }
    };
    let sign_opts = SignOptions {
        role,
        signer: opts.signer.clone(),
        as_name: opts.as_name.clone(),
        detached: Some(opts.out.clone()),
        yes: opts.yes,
        trust: opts.trust.clone(),
    };
    let mut report = Report::default();
    report.line(format!(
        "signing request {} of ceremony {}, written {}",
        display::path(&request.path),
        shown(&request.ceremony),
        escape(&request.written_at)
    ));
    let signed = sign::sign_from(
        &c,
        &sign_opts,
        secrets,
        confirm,
        Origin::Request {
            ceremony: &request.ceremony,
        },
    )?;
    report.lines.extend(signed.lines);
    report.warnings.extend(signed.warnings);
    Ok(report)
}
