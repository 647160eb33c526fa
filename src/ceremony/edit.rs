//! Creating and changing metadata: `init`, `load`, the `root` edits, `expires` and
//! `delegate`. Every edit sets the version one past the trusted version (once), drops the
//! signatures that no longer cover the payload and names whose they were, and is recorded
//! in the transcript.

use super::events::{self, EditDetails};
use super::pending::Pending;
use super::{as_root, as_root_mut, digest_hex, read_public_key, short, Ceremony, Report};
use crate::error::{Error, Result};
use crate::json::Object;
use crate::keys::Key;
use crate::metadata::{
    Common, DelegatedRole, Delegations, Loaded, Metadata, Payload, RoleKeys, Root, Signed, Targets,
    SPEC_VERSION, TOP_LEVEL_ROLES,
};
use crate::names::{self as names, NameKind, RoleName};
use crate::verify::Label;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// A delegation from targets to a role signed offline (PEP 480's `claimed`).
#[derive(Clone, Debug)]
pub struct DelegateOptions {
    pub name: RoleName,
    pub keys: Vec<(String, PathBuf)>,
    /// Online keys: the role is signed by the repository, so no working file is made.
    pub online_keys: Vec<PathBuf>,
    pub threshold: u64,
    pub paths: Vec<String>,
    pub terminating: bool,
    pub expires: i64,
}

/// Everything `init` needs: public keys only.
#[derive(Clone, Debug)]
pub struct InitOptions {
    pub keyholders: Vec<(String, PathBuf)>,
    pub root_threshold: u64,
    /// Keys for the targets role; empty means the root keyholders' keys.
    pub targets_keys: Vec<(String, PathBuf)>,
    pub targets_threshold: u64,
    /// `(role, public key file)` for snapshot and timestamp.
    pub online: Vec<(String, PathBuf)>,
    pub root_expires: i64,
    pub targets_expires: i64,
    pub consistent_snapshot: bool,
    pub delegate: Option<DelegateOptions>,
}

/// The keyholder name recorded for the repository's online keys (snapshot, timestamp):
/// held by the repository's servers, never by a person at the ceremony.
pub const ONLINE_KEYHOLDER: &str = "repository-online-key";

fn common(version: u64, expires: i64) -> Common {
    Common {
        spec_version: SPEC_VERSION.into(),
        version,
        expires: crate::time::format_expires(expires),
        expires_at: expires,
    }
}

fn check_threshold_reachable(what: &str, threshold: u64, keys: usize) -> Result<()> {
    if threshold == 0 {
        return Err(Error::Refused(format!(
            "the {what} threshold must be at least 1"
        )));
    }
    if threshold as usize > keys {
        return Err(Error::Refused(format!(
            "the {what} threshold would be {threshold} but only {keys} key(s) are listed, so it could never be met. Add keys first, or choose a threshold of at most {keys}"
        )));
    }
    Ok(())
}

/// What a major client makes of the keys in `keys` that python-tuf does not (tough cannot
/// read P-384 keys, ...), and what keeps a key's signatures from counting at all: one
/// warning per key, naming its keyholder, for the file `place`.
fn key_type_warnings(c: &Ceremony, keys: &BTreeMap<String, Key>, place: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (id, key) in keys {
        if let Some(why) = key.caveat() {
            out.push(format!("{place}: {}: {why}", c.describe(id, Some(key))));
        }
    }
    out
}

/// Adds a key to a key map, reusing the keyid of the same key if it is already there.
fn insert_key(keys: &mut BTreeMap<String, Key>, key: &Key) -> String {
    let identity = key.identity();
    if let Some((id, _)) = keys.iter().find(|(_, k)| k.identity() == identity) {
        return id.clone();
    }
    let id = key.keyid();
    keys.insert(id.clone(), key.clone());
    id
}

fn read_named(c: &mut Ceremony, named: &[(String, PathBuf)]) -> Result<Vec<(String, Key)>> {
    let mut out: Vec<(String, Key)> = Vec::new();
    for (name, path) in named {
        let key = read_public_key(path)?;
        if out.iter().any(|(_, k)| k.identity() == key.identity()) {
            return Err(Error::Refused(format!(
                "{} holds a key already given for another keyholder; each keyholder needs a key of their own",
                path.display()
            )));
        }
        c.name_key(name, &key)?;
        out.push((name.clone(), key));
    }
    Ok(out)
}

fn new_targets(version: u64, expires: i64) -> Targets {
    Targets {
        common: common(version, expires),
        targets: Object::new(),
        delegations: None,
        extra: Object::new(),
    }
}

fn load_event(
    p: &mut Pending<'_>,
    role: &RoleName,
    md: &Metadata,
    payload: &Payload,
    file: Option<(&Path, &[u8])>,
    trusted: bool,
) -> Result<()> {
    p.record(&events::Load {
        role: role.as_str(),
        version: md.version(),
        payload_sha256: payload.sha256_hex(),
        trusted,
        signatures: md.signatures.iter().map(|s| s.keyid.as_str()).collect(),
        file: file.map(|(path, _)| path.display().to_string()),
        file_sha256: file.map(|(_, bytes)| digest_hex(bytes)),
    })
}

/// `init`: new unsigned root and targets (and a delegated role when asked) from public keys.
pub fn init(c: &mut Ceremony, o: &InitOptions) -> Result<Report> {
    // 1. A new ceremony: no working metadata is ever overwritten, and a folder that
    //    differs from its record is refused first.
    c.held()?;
    refuse_existing_metadata(c)?;
    // 2. The offline keys, each named for its keyholder, and thresholds they can meet.
    let (root_keys, targets_keys) = read_offline_keys(c, o)?;
    // 3. Root (TUF spec 4.3): the offline keys for root and targets, the online keys for
    //    snapshot and timestamp.
    let root_md = new_root(c, o, &root_keys, &targets_keys)?;
    // 4. Targets, with its delegation and the delegated role's empty metadata when asked.
    let (targets_md, delegated_md) = new_targets_and_delegated(c, o)?;
    // 5. Keyholders' and online keys kept apart, and what clients make of the keys.
    let mut report = Report::default();
    if let Some(d) = &o.delegate {
        if !c.state.delegated.contains(&d.name) {
            c.state.delegated.push(d.name.clone());
        }
    }
    check_separation(c, &RoleName::ROOT, &root_md)?;
    for w in key_type_warnings(c, &as_root(&root_md)?.keys, "root") {
        report.warn(w);
    }
    if let Some(d) = delegations_of(&targets_md) {
        for w in key_type_warnings(c, &d.keys, "targets") {
            report.warn(w);
        }
    }
    // 6. Recorded and written together: the delegated role, targets, then root.
    let mut p = Pending::new(c, "init");
    p.state()?;
    if let (Some(d), Some(md)) = (&o.delegate, &delegated_md) {
        stage_new_role(&mut p, c, &d.name, md, &mut report)?;
    }
    stage_new_role(&mut p, c, &RoleName::TARGETS, &targets_md, &mut report)?;
    stage_new_role(&mut p, c, &RoleName::ROOT, &root_md, &mut report)?;
    p.commit()?;
    // 7. What was made, and what the keyholders do next.
    report.line(format!(
        "root: {} of {} keyholders ({}); targets: {} of {}; online snapshot and timestamp keys recorded",
        o.root_threshold,
        root_keys.len(),
        root_keys.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "),
        o.targets_threshold,
        targets_keys.len()
    ));
    report.line("Next: each keyholder runs `tuf-ceremony sign root`, then `sign targets`; `tuf-ceremony status` shows who is still needed.".to_string());
    Ok(report)
}

/// Step 1 of [`init`]: refused when any of the ceremony's working files exists.
fn refuse_existing_metadata(c: &Ceremony) -> Result<()> {
    for role in c.roles() {
        if c.working_path(&role).exists() {
            return Err(Error::Refused(format!(
                "{} already exists; `init` starts a new ceremony and never overwrites. Use a new directory (-C DIR), or edit the existing metadata",
                c.working_path(&role).display()
            )));
        }
    }
    Ok(())
}

/// Keyholders and their public keys, in the order given.
type NamedKeys = Vec<(String, Key)>;

/// Step 2 of [`init`]: root's keyholders and targets' (root's unless given), each key
/// named for its keyholder, with thresholds those keys can meet.
fn read_offline_keys(c: &mut Ceremony, o: &InitOptions) -> Result<(NamedKeys, NamedKeys)> {
    if o.keyholders.is_empty() {
        return Err(Error::Invalid(
            "init needs the root keyholders: --keyholder NAME=PUBFILE, once per person".into(),
        ));
    }
    let root_keys = read_named(c, &o.keyholders)?;
    let targets_keys = if o.targets_keys.is_empty() {
        root_keys.clone()
    } else {
        read_named(c, &o.targets_keys)?
    };
    check_threshold_reachable("root", o.root_threshold, root_keys.len())?;
    check_threshold_reachable("targets", o.targets_threshold, targets_keys.len())?;
    Ok((root_keys, targets_keys))
}

/// Step 3 of [`init`]: root version 1, unsigned, listing each key once: root's and
/// targets' offline keys with their thresholds, snapshot's and timestamp's online keys with
/// threshold 1.
fn new_root(
    c: &mut Ceremony,
    o: &InitOptions,
    root_keys: &[(String, Key)],
    targets_keys: &[(String, Key)],
) -> Result<Metadata> {
    let mut keys = BTreeMap::new();
    let mut roles = BTreeMap::new();
    for (role, named, threshold) in [
        ("root", root_keys, o.root_threshold),
        ("targets", targets_keys, o.targets_threshold),
    ] {
        let keyids = named
            .iter()
            .map(|(_, k)| insert_key(&mut keys, k))
            .collect();
        roles.insert(role.to_string(), role_keys(keyids, threshold));
    }
    for online in ["snapshot", "timestamp"] {
        let keyids = read_online_keys(c, o, online, &mut keys)?;
        roles.insert(online.to_string(), role_keys(keyids, 1));
    }
    if let Some((role, _)) = o
        .online
        .iter()
        .find(|(r, _)| r != "snapshot" && r != "timestamp")
    {
        return Err(Error::Invalid(format!(
            "--online-key takes snapshot=PUBFILE or timestamp=PUBFILE, not {role}=…"
        )));
    }
    let root = Root {
        common: common(1, o.root_expires),
        consistent_snapshot: Some(o.consistent_snapshot),
        keys,
        roles,
        extra: Object::new(),
    };
    Ok(unsigned(Signed::Root(root)))
}

/// A role's entry in root: its keyids and threshold.
fn role_keys(keyids: Vec<String>, threshold: u64) -> RoleKeys {
    RoleKeys {
        keyids,
        threshold,
        extra: Object::new(),
    }
}

/// Metadata with no signatures yet.
fn unsigned(signed: Signed) -> Metadata {
    Metadata {
        signed,
        signatures: vec![],
        extra: Object::new(),
    }
}

/// Part of step 3 of [`init`]: the keyids of the online keys given for `online` (snapshot
/// or timestamp), added to `keys` and named for the repository; at least one is required.
fn read_online_keys(
    c: &mut Ceremony,
    o: &InitOptions,
    online: &str,
    keys: &mut BTreeMap<String, Key>,
) -> Result<Vec<String>> {
    let paths: Vec<&PathBuf> = o
        .online
        .iter()
        .filter(|(r, _)| r == online)
        .map(|(_, p)| p)
        .collect();
    if paths.is_empty() {
        return Err(Error::Invalid(format!(
            "init needs the online {online} public key: --online-key {online}=PUBFILE (the repository signs {online} automatically; only its public key goes into root)"
        )));
    }
    let mut keyids = Vec::new();
    for p in paths {
        let key = read_public_key(p)?;
        // One name for the repository's online keys, whichever role: a key may serve
        // snapshot and timestamp both, and name_key refuses a keyholder's offline key.
        c.name_key(ONLINE_KEYHOLDER, &key)?;
        keyids.push(insert_key(keys, &key));
    }
    Ok(keyids)
}

/// Step 4 of [`init`]: targets version 1, unsigned, delegating to the role asked for (if
/// any), and that role's own empty version 1.
fn new_targets_and_delegated(
    c: &mut Ceremony,
    o: &InitOptions,
) -> Result<(Metadata, Option<Metadata>)> {
    let mut targets = new_targets(1, o.targets_expires);
    let mut delegated_md = None;
    if let Some(d) = &o.delegate {
        let (delegations, _) = build_delegation(c, None, d)?;
        targets.delegations = Some(delegations);
        delegated_md = Some(unsigned(Signed::Targets(new_targets(1, d.expires))));
    }
    Ok((unsigned(Signed::Targets(targets)), delegated_md))
}

fn stage_new_role(
    p: &mut Pending<'_>,
    c: &Ceremony,
    role: &RoleName,
    md: &Metadata,
    report: &mut Report,
) -> Result<()> {
    p.record(&events::Init {
        role: role.as_str(),
        version: md.version(),
        expires: &md.signed.common().expires,
        payload_sha256: digest_hex(&md.payload()),
    })?;
    p.working(role, md)?;
    report.line(format!(
        "created {} (v{}, unsigned, expires {})",
        c.working_path(role).display(),
        md.version(),
        md.signed.common().expires
    ));
    Ok(())
}

/// What `load` finds in a file beyond its format: warnings (a keyid or key some client
/// rejects, naming it; a signature that should have counted and does not) and notes (a
/// signature that does not count and is ordinary in metadata made elsewhere: an empty
/// placeholder, a keyid the role does not list, a scheme not checked here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
}

impl Findings {
    fn add_to(self, report: &mut Report) {
        for n in self.notes {
            report.line(format!("  note: {n}"));
        }
        for w in self.warnings {
            report.warn(w);
        }
    }

    /// One line per signature that did not count, by its label.
    fn labels(&mut self, place: &str, labels: &[(String, Label)]) {
        for (keyid, l) in labels {
            if *l == Label::Counted {
                continue;
            }
            let line = format!(
                "{place}: the signature by keyid {}: {}",
                short(keyid),
                l.describe()
            );
            if l.is_warning() {
                self.warnings.push(line);
            } else {
                self.notes.push(line);
            }
        }
    }
}

/// The checks `load` makes of one file beyond its format. Refused: a threshold higher than
/// the distinct keys listed, which no ceremony could ever meet (for a file loaded as
/// trusted, published already, only a warning: clients accept it, and the next version
/// can fix it). Everything else is a finding. Signatures are never a reason to refuse here:
/// clients count the valid ones and ignore the rest (`load --trusted` requires the
/// thresholds, as they do).
fn check_loadable(
    path: &Path,
    role: &str,
    md: &Metadata,
    delegator: Option<&Metadata>,
    trusted: bool,
) -> Result<Findings> {
    let mut found = Findings::default();
    let file = path.display().to_string();
    // 1. Every key listed (root's keys, targets' delegated keys) is one python-tuf reads,
    //    and its public key can be read here.
    check_listed_keys(&file, md, &mut found)?;
    // 2. Every threshold can be met by the distinct keys it lists (TUF spec 5.4: a key
    //    counts once).
    check_reachable_thresholds(&file, md, trusted, &mut found)?;
    // 3. What published clients make of the keys: keyid conventions, key types.
    found.warnings.extend(client_key_warnings(&file, md));
    // 4. The signatures, against the keys that may sign this file as far as this ceremony
    //    can tell now. A file loaded as trusted has its signatures judged against every
    //    threshold it must meet (the previous root's too), by the caller.
    if let (Some((keys, keyids, threshold)), false) = (signers_of(role, md, delegator), trusted) {
        let report =
            crate::verify::check_threshold(&md.payload(), &md.signatures, keys, keyids, threshold);
        found.labels(&file, &report.signatures);
    }
    Ok(found)
}

/// The keys a metadata file lists: root's `keys`, or a targets role's delegated `keys`.
fn listed_keys(md: &Metadata) -> impl Iterator<Item = &BTreeMap<String, Key>> {
    md.root()
        .map(|r| &r.keys)
        .into_iter()
        .chain(delegations_of(md).map(|d| &d.keys))
}

/// A targets role's delegations, if it is one and has them.
fn delegations_of(md: &Metadata) -> Option<&Delegations> {
    md.targets().and_then(|t| t.delegations.as_ref())
}

/// Step 1 of [`check_loadable`]: a key python-tuf does not read refuses the file (python-tuf
/// refuses all of it, even when no role lists the key); a key whose public key cannot be
/// read here is a warning.
fn check_listed_keys(file: &str, md: &Metadata, found: &mut Findings) -> Result<()> {
    for keys in listed_keys(md) {
        for (id, key) in keys {
            if let Some(why) = crate::clients::python_tuf_refuses_key(id, key) {
                return Err(Error::Invalid(format!("{file}: {why}; nothing was loaded. Remove the key, or give it a keytype and scheme clients read")));
            }
            if key.scheme().is_some() {
                if let Err(why) = key.material() {
                    found.warnings.push(format!(
                        "{file}: key {}: {why}; no signature by it can be checked here",
                        short(id)
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Step 2 of [`check_loadable`]: each of root's roles and each delegation, in file order.
/// The first threshold no ceremony could meet refuses the file, or for a trusted file each
/// is a warning.
fn check_reachable_thresholds(
    file: &str,
    md: &Metadata,
    trusted: bool,
    found: &mut Findings,
) -> Result<()> {
    let mut thresholds: Vec<(String, Signers)> = Vec::new();
    if let Some(root) = md.root() {
        for (name, r) in &root.roles {
            let name = format!("root's {name} role");
            thresholds.push((name, (&root.keys, &r.keyids, r.threshold)));
        }
    }
    if let Some(d) = delegations_of(md) {
        for r in d.roles.iter().flatten() {
            let name = format!("the delegation to {}", r.name);
            thresholds.push((name, (&d.keys, &r.keyids, r.threshold)));
        }
    }
    for (name, (keys, keyids, threshold)) in thresholds {
        let Some(what) = unreachable_threshold(&name, keyids, threshold, keys) else {
            continue;
        };
        if trusted {
            found
                .warnings
                .push(format!("{file}: {what}; fix it in the next version"));
        } else {
            return Err(Error::Invalid(format!("{file}: {what}. Lower the threshold or add keys where this file was made; nothing was loaded")));
        }
    }
    Ok(())
}

/// Why `name`'s threshold could never be met, if so: it asks for more signatures than
/// `keyids` name distinct keys (a key listed under several keyids counts once).
fn unreachable_threshold(
    name: &str,
    keyids: &[String],
    threshold: u64,
    keys: &BTreeMap<String, Key>,
) -> Option<String> {
    let distinct: HashSet<String> = keyids
        .iter()
        .filter_map(|id| keys.get(id))
        .map(Key::identity)
        .collect();
    if threshold as usize <= distinct.len() {
        return None;
    }
    let twice = if distinct.len() < keyids.len() {
        " (a key listed under several keyids counts once here, although python-tuf 7 counts keyids)"
    } else {
        ""
    };
    Some(format!("{name} needs {threshold} signatures but lists {} distinct key(s){twice}, so it could never be signed", distinct.len()))
}

/// Step 3 of [`check_loadable`]: root's keys judged as tough and python-tuf read them, a
/// targets role's delegated keys by their keyids.
fn client_key_warnings(file: &str, md: &Metadata) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(root) = md.root() {
        out.extend(crate::clients::root_key_warnings(&root.keys, file));
    }
    if let Some(d) = delegations_of(md) {
        let place = format!("{file} delegations");
        out.extend(crate::clients::delegated_key_warnings(&d.keys, &place));
    }
    out
}

/// The keys, keyids and threshold that sign one role.
type Signers<'a> = (&'a BTreeMap<String, Key>, &'a [String], u64);

/// Step 4 of [`check_loadable`]: who may sign `role`: root's own root keys for root (TUF
/// spec 5.3.4), otherwise the role as its delegator (root, or a targets role) lists it;
/// none known without a delegator.
fn signers_of<'a>(
    role: &str,
    md: &'a Metadata,
    delegator: Option<&'a Metadata>,
) -> Option<Signers<'a>> {
    if role == "root" {
        let root = md.root()?;
        return root
            .role("root")
            .map(|r| (&root.keys, r.keyids.as_slice(), r.threshold));
    }
    let delegator = delegator?;
    match (delegator.root(), delegator.targets()) {
        (Some(root), _) => root
            .role(role)
            .map(|r| (&root.keys, r.keyids.as_slice(), r.threshold)),
        (_, Some(t)) => t.delegations.as_ref().and_then(|d| {
            d.role(role)
                .map(|r| (&d.keys, r.keyids.as_slice(), r.threshold))
        }),
        _ => None,
    }
}

/// What `load --trusted` decides for a root: whether a client holding `previous` (or, with
/// none, trusting this root on first use) accepts `md` as the next root (TUF spec 5.3.4:
/// version N+1, a threshold of the previous root's root keys and of its own), with what it
/// finds. Refused when a client would refuse it; never because of a signature that does not
/// count while the thresholds are met.
pub fn judge_trusted_root(
    path: &Path,
    md: &Metadata,
    previous: Option<&Metadata>,
) -> Result<Findings> {
    let mut found = check_loadable(path, "root", md, None, true)?;
    let previous_root = match previous {
        Some(p) => Some(as_root(p)?),
        None => None,
    };
    let report = crate::verify::verify_root(md, previous_root);
    if !report.ok() {
        return Err(Error::Refused(format!(
            "{}: not recorded as trusted: {}",
            path.display(),
            report.why_refused().join("; ")
        )));
    }
    found.labels(&path.display().to_string(), &report.labels());
    Ok(found)
}

/// The role a loaded file stands for: root by its `_type`; targets or a delegated role by
/// its file name (`targets.json`, `3.targets.json`, `claimed.json`).
fn role_of(md: &Metadata, path: &Path) -> Result<RoleName> {
    if md.root().is_some() {
        return Ok(RoleName::ROOT);
    }
    if md.targets().is_none() {
        return Err(Error::Invalid(format!(
            "{}: {} metadata is signed online by the repository, never in a ceremony; load root, targets or a delegated targets role",
            path.display(),
            md.signed.type_name()
        )));
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = file.strip_suffix(".json").unwrap_or(&file);
    let stem = match stem.split_once('.') {
        Some((n, rest)) if n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => stem,
    };
    if stem == "targets" {
        return Ok(RoleName::TARGETS);
    }
    // The name becomes the role's file name here and in trusted/: a file whose name would
    // make it `1.root`, `ceremony` or a path is refused before anything is written.
    RoleName::parse_delegated(stem).map_err(|e| {
        Error::Invalid(format!(
            "{}: {e}. `load` takes the role's name from the file's: rename the file ROLE.json or N.ROLE.json after the role it holds",
            path.display()
        ))
    })
}

/// `load`: imports metadata made elsewhere without changing its signed bytes; with
/// `trusted`, records it as the last published version the next one must follow.
pub fn load(
    c: &mut Ceremony,
    files: &[PathBuf],
    trusted: bool,
    keyholders: &[(String, PathBuf)],
) -> Result<Report> {
    let mut sources = Vec::with_capacity(files.len());
    for path in files {
        let bytes = crate::fsutil::read(path)?;
        sources.push(Source {
            label: path.clone(),
            bytes,
            trusted,
            successor: false,
        });
    }
    load_sources(c, sources, keyholders)
}

/// One metadata document for [`load_sources`]: a file's bytes, or a document carried inside
/// another file (an RSTUF payload), named by `label` in messages and the transcript.
pub struct Source {
    pub label: PathBuf,
    pub bytes: Vec<u8>,
    /// Record it as the trusted (published) version rather than as working metadata.
    pub trusted: bool,
    /// A later version may replace a working file that is already published (the same
    /// payload as the trusted version), which loses nothing: how a rotation made elsewhere
    /// (an RSTUF metadata update) follows the last export.
    pub successor: bool,
}

/// A document of [`load_sources`] once parsed: where it came from, its bytes, its metadata
/// and payload, its role, and whether it is (trusted, a successor).
type Parsed = (PathBuf, Vec<u8>, Metadata, Payload, RoleName, (bool, bool));

/// [`load`] of documents already read; each may be trusted or working, and all are
/// checked before anything is written (one transcript write, one commit).
pub fn load_sources(
    c: &mut Ceremony,
    sources: Vec<Source>,
    keyholders: &[(String, PathBuf)],
) -> Result<Report> {
    let mut report = Report::default();
    // 1. The keyholders named on the command line.
    read_named(c, keyholders)?;
    // 2. Validate everything before changing anything: each document parsed, its role named.
    let mut loaded = parse_sources(c, sources)?;
    //    The folder held to its record first: what is loaded is compared with what the
    //    record holds, never with a file changed by hand in its place.
    c.held()?;
    // 3. Delegators before the roles they delegate to, older versions first, trusted first.
    loaded.sort_by_key(|(_, _, md, _, role, (trusted, _))| {
        (role != "root", role != "targets", md.version(), !trusted)
    });
    // 4. Each checked against the metadata that delegates to it.
    check_sources(c, &loaded, &mut report)?;
    for (_, _, _, _, role, _) in &loaded {
        if role != "root" && role != "targets" && !c.state.delegated.contains(role) {
            c.state.delegated.push(role.clone());
        }
    }
    let c: &Ceremony = c;
    let mut p = Pending::new(c, "load");
    // 5. Prepared and recorded, one document at a time. What this command has staged so
    //    far is read before the files on disk: a chain of trusted roots loaded at once is
    //    checked link by link, and nothing is written until every file has passed.
    let mut staged_trusted: BTreeMap<RoleName, Metadata> = BTreeMap::new();
    let mut staged_working: BTreeMap<RoleName, (Metadata, Payload)> = BTreeMap::new();
    for (path, bytes, md, payload, role, (trusted, successor)) in loaded {
        if trusted {
            load_trusted(
                c,
                &mut p,
                &mut staged_trusted,
                &role,
                &md,
                &path,
                &mut report,
            )?;
            load_event(&mut p, &role, &md, &payload, Some((&path, &bytes)), true)?;
            report.line(format!(
                "trusted {role} v{} recorded from {}: the next {role} must follow it",
                md.version(),
                path.display()
            ));
            continue;
        }
        let md = stage_working(
            c,
            &mut staged_working,
            (&path, &role, md, &payload, successor),
            &mut report,
        )?;
        load_event(&mut p, &role, &md, &payload, Some((&path, &bytes)), false)?;
        report.line(format!(
            "loaded {} as {role} v{} ({} signature(s)); its signed bytes are unchanged (payload sha256 {})",
            path.display(),
            md.version(),
            md.signatures.len(),
            payload.sha256_hex()
        ));
        staged_working.insert(role, (md, payload));
    }
    // 6. Committed: the working files and the state, after the transcript.
    for (role, (md, _)) in &staged_working {
        p.working(role, md)?;
    }
    p.state()?;
    p.commit()?;
    Ok(report)
}

/// Step 2 of [`load_sources`]: each document parsed as metadata, its role taken from its
/// file name, and refused if that name is too close to a role of this ceremony or of
/// another document loaded with it (two names a keyholder could confuse).
fn parse_sources(c: &Ceremony, sources: Vec<Source>) -> Result<Vec<Parsed>> {
    let mut loaded: Vec<Parsed> = Vec::new();
    for Source {
        label: path,
        bytes,
        trusted,
        successor,
    } in sources
    {
        let path = &path;
        let Loaded {
            metadata: md,
            payload,
        } = Metadata::load(bytes.as_slice()).map_err(|e| Error::format(path, e))?;
        let role = role_of(&md, path)?;
        let known = c.roles();
        let others = known
            .iter()
            .chain(loaded.iter().map(|(_, _, _, _, r, _)| r))
            .map(|r| r.as_str());
        names::check_distinct(
            NameKind::Role,
            &role,
            others,
            "a role of this ceremony or another file loaded",
        )
        .map_err(|e| Error::Refused(format!("{}: {e}; nothing was loaded", path.display())))?;
        loaded.push((path.clone(), bytes, md, payload, role, (trusted, successor)));
    }
    Ok(loaded)
}

/// Step 4 of [`load_sources`]: each document checked against its delegator (root for
/// targets, targets for a delegated role; the one loaded with it, else the working one).
fn check_sources(c: &Ceremony, loaded: &[Parsed], report: &mut Report) -> Result<()> {
    for (path, _, md, _, role, (trusted, _)) in loaded {
        let trusted = *trusted;
        let delegator = match role.as_str() {
            "root" => None,
            "targets" => loaded
                .iter()
                .rev()
                .find(|(_, _, _, _, r, _)| *r == RoleName::ROOT)
                .map(|(_, _, m, _, _, _)| m.clone())
                .or(c.working_opt(&RoleName::ROOT)?),
            _ => loaded
                .iter()
                .rev()
                .find(|(_, _, _, _, r, _)| *r == RoleName::TARGETS)
                .map(|(_, _, m, _, _, _)| m.clone())
                .or(c.working_opt(&RoleName::TARGETS)?),
        };
        // A root loaded as trusted is judged with the root it must follow, below.
        if !(trusted && *role == RoleName::ROOT) {
            check_loadable(path, role, md, delegator.as_ref(), trusted)?.add_to(report);
        }
    }
    Ok(())
}

/// Step 5 of [`load_sources`] for working metadata: the document, with the signatures of
/// the working copy of the same payload added, or a refusal if a different payload is
/// already there (loading would lose it and its signatures). A successor may replace a
/// working copy that is already published.
fn stage_working(
    c: &Ceremony,
    staged_working: &mut BTreeMap<RoleName, (Metadata, Payload)>,
    (path, role, md, payload, successor): (&Path, &RoleName, Metadata, &Payload, bool),
    report: &mut Report,
) -> Result<Metadata> {
    let mut md = md;
    let mut existing = match staged_working.remove(role) {
        Some(staged) => Some(staged),
        None => c.working_with_payload(role)?,
    };
    if successor {
        let published = match (&existing, c.trusted_with_payload(role)?) {
            (Some((w, wp)), Some((_, tp))) => {
                (wp.sha256 == tp.sha256 && w.version() < md.version()).then(|| w.version())
            }
            _ => None,
        };
        if let Some(v) = published {
            existing = None;
            report.line(format!(
                "{role} v{v} here is the published one (trusted/{role}.json); {} v{} follows it",
                path.display(),
                md.version()
            ));
        }
    }
    if let Some((existing, existing_payload)) = existing {
        if existing_payload.sha256 != payload.sha256 {
            return Err(Error::Refused(format!(
                "{} already holds a different {role} (v{}, payload {}); loading {} would lose it and its {} signature(s). Finish or move that one first, or use a new directory (-C DIR)",
                c.working_path(role).display(),
                existing.version(),
                short(&existing_payload.sha256_hex()),
                path.display(),
                existing.signatures.len()
            )));
        }
        let mut added = 0;
        let mut merged = existing;
        let mut present: HashSet<String> =
            merged.signatures.iter().map(|e| e.keyid.clone()).collect();
        for s in md.signatures {
            if present.insert(s.keyid.clone()) {
                merged.signatures.push(s);
                added += 1;
            }
        }
        md = merged;
        if let Some(why) = crate::metadata::too_many_signatures(md.signatures.len()) {
            return Err(Error::Refused(format!(
                "{} with the signatures of {} would hold {why}; nothing was loaded. Load a copy without the signatures that do not belong to its keyholders",
                c.working_path(role).display(),
                path.display()
            )));
        }
        report.line(format!(
            "{role}: same payload as the working copy; {added} signature(s) added from {}",
            path.display()
        ));
    }
    Ok(md)
}

fn load_trusted(
    c: &Ceremony,
    p: &mut Pending<'_>,
    staged: &mut BTreeMap<RoleName, Metadata>,
    role: &RoleName,
    md: &Metadata,
    path: &Path,
    report: &mut Report,
) -> Result<()> {
    let trusted = |role: &RoleName| -> Result<Option<Metadata>> {
        match staged.get(role) {
            Some(md) => Ok(Some(md.clone())),
            None => c.trusted(role),
        }
    };
    let refuse = |why: String| {
        Error::Refused(format!(
            "{}: not recorded as trusted: {why}",
            path.display()
        ))
    };
    match role.as_str() {
        "root" => {
            let previous = trusted(&RoleName::ROOT)?;
            if let Some(prev) = &previous {
                if prev.payload() == md.payload() {
                    return Ok(());
                }
            }
            judge_trusted_root(path, md, previous.as_ref())?.add_to(report);
            p.metadata_to(
                &[
                    &c.trusted_versioned_path(&RoleName::ROOT, md.version()),
                    &c.trusted_path(&RoleName::ROOT),
                ],
                md,
            )?;
        }
        _ => {
            let threshold = if *role == RoleName::TARGETS {
                let root = trusted(&RoleName::ROOT)?.ok_or_else(|| {
                    refuse(
                        "load the trusted root first, so targets can be checked against it".into(),
                    )
                })?;
                crate::verify::verify_targets(md, as_root(&root)?).map_err(refuse)?
            } else {
                let targets = trusted(&RoleName::TARGETS)?.ok_or_else(|| refuse("load the trusted targets first, so this delegated role can be checked against it".into()))?;
                crate::verify::verify_delegated_role(md, &targets, role).map_err(refuse)?
            };
            let mut found = Findings::default();
            found.labels(&path.display().to_string(), &threshold.signatures);
            if !threshold.met() {
                let mut why = vec![format!(
                    "it has {} of the {} signatures its keys need",
                    threshold.counted.len(),
                    threshold.threshold
                )];
                why.extend(found.warnings.iter().chain(&found.notes).cloned());
                return Err(refuse(why.join("; ")));
            }
            found.add_to(report);
            p.metadata(&c.trusted_path(role), md)?;
        }
    }
    staged.insert(role.clone(), md.clone());
    Ok(())
}

/// Applies `change` to a role's working metadata: bumps the version once past the trusted
/// one, drops signatures that no longer cover the payload, saves, and records the edit.
pub fn apply_edit(
    c: &Ceremony,
    role: &RoleName,
    details: EditDetails,
    change: impl FnOnce(&mut Metadata) -> Result<Vec<String>>,
) -> Result<Report> {
    let mut p = Pending::new(c, "edit");
    let report = stage_edit(&mut p, c, role, details, change)?;
    p.commit()?;
    Ok(report)
}

/// [`apply_edit`] with its writes added to `p`, for a command that changes more than one
/// file and must change all of them or none.
pub fn stage_edit(
    p: &mut Pending<'_>,
    c: &Ceremony,
    role: &RoleName,
    details: EditDetails,
    change: impl FnOnce(&mut Metadata) -> Result<Vec<String>>,
) -> Result<Report> {
    let mut md = c.working(role)?;
    let before = md.payload();
    let mut report = Report::default();
    for line in change(&mut md)? {
        report.line(line);
    }
    let current = md.version();
    let next = c.next_version(role, current)?;
    md.signed.common_mut().version = next;
    let after = md.payload();
    if after == before {
        report.line(format!("{role}: nothing changed; no new version"));
        return Ok(report);
    }
    if next != current {
        report.line(format!(
            "{role}: version is now {next} (one past the trusted version)"
        ));
    }
    let dropped: Vec<String> = md.signatures.iter().map(|s| s.keyid.clone()).collect();
    if !dropped.is_empty() {
        let keys = requirement_keys(c, role, &md);
        let who: Vec<String> = dropped.iter().map(|id| c.who(id, keys.get(id))).collect();
        report.line(format!(
            "{role}: dropped {} signature(s) that covered the old payload ({}); they must sign again",
            dropped.len(),
            who.join(", ")
        ));
        md.signatures.clear();
    }
    check_separation(c, role, &md)?;
    p.record(&events::Edit {
        role: role.as_str(),
        action: details.action(),
        version: next,
        payload_sha256: digest_hex(&after),
        dropped_signatures: dropped,
        details,
    })?;
    p.working(role, &md)?;
    Ok(report)
}

/// Keeps online and offline keys apart (PEP 458: a compromise of the repository's servers,
/// where the online keys live, must not reach the roles signed offline). Checked on every
/// version of root or targets the ceremony makes, not only at `init`:
/// - a key recorded as the repository's online key may not sign root, targets or a role
///   this ceremony signs offline;
/// - a keyholder's key (an offline key) may not be given to snapshot or timestamp, which
///   the repository signs automatically, nor to a delegated role it signs online.
pub fn check_separation(c: &Ceremony, role: &RoleName, md: &Metadata) -> Result<()> {
    let offline_roles = c.roles();
    let kind = |key: &Key| match c.keyholder_of(key) {
        Some(ONLINE_KEYHOLDER) => Some(true),
        Some(_) => Some(false),
        None => None,
    };
    let check = |signs: &str, online_role: bool, keys: &BTreeMap<String, Key>, ids: &[String]| {
        for id in ids {
            let Some(key) = keys.get(id) else { continue };
            match (online_role, kind(key)) {
                (false, Some(true)) => {
                    return Err(Error::Refused(format!(
                        "{role}: key {} is the repository's online key, and {signs} is signed offline in this ceremony. An online key on a server must never be able to sign {signs}; use a keyholder's key",
                        short(id)
                    )))
                }
                (true, Some(false)) => {
                    return Err(Error::Refused(format!(
                        "{role}: key {} is {}'s offline key, and {signs} is signed online by the repository. An offline key must never be put on a server; give {signs} the repository's online key",
                        short(id),
                        c.keyholder_of(key).unwrap_or("a keyholder")
                    )))
                }
                _ => {}
            }
        }
        Ok(())
    };
    match &md.signed {
        Signed::Root(root) => {
            for (name, r) in &root.roles {
                let online = !offline_roles.iter().any(|r| r == name.as_str());
                check(name, online, &root.keys, &r.keyids)?;
            }
        }
        Signed::Targets(t) => {
            if let Some(d) = &t.delegations {
                for r in d.roles.iter().flatten() {
                    // Only the roles this ceremony knows as offline or online are checked:
                    // a project's developers' keys are neither.
                    if offline_roles.iter().any(|o| o == r.name.as_str()) {
                        check(&r.name, false, &d.keys, &r.keyids)?;
                    } else if r
                        .keyids
                        .iter()
                        .any(|id| d.keys.get(id).and_then(kind) == Some(true))
                    {
                        check(&r.name, true, &d.keys, &r.keyids)?;
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Every key that could have signed a role (for naming dropped signatures).
fn requirement_keys(c: &Ceremony, role: &RoleName, md: &Metadata) -> BTreeMap<String, Key> {
    let mut keys = BTreeMap::new();
    if let Ok(reqs) = c.requirements(role, md) {
        for r in reqs {
            keys.extend(r.authorized.keys);
        }
    }
    keys
}

fn check_top_level(role: &str) -> Result<()> {
    if !TOP_LEVEL_ROLES.contains(&role) {
        return Err(Error::Invalid(format!(
            "\"{role}\" is not a top-level role; use root, targets, snapshot or timestamp"
        )));
    }
    Ok(())
}

/// Resolves a key named on the command line (a keyid, a unique keyid prefix of 8+ hex
/// digits, or a keyholder name) to the keyids of `role` it matches.
fn resolve_key(c: &Ceremony, root: &Root, role: &str, who: &str) -> Result<Vec<String>> {
    let r = root
        .role(role)
        .ok_or_else(|| Error::Invalid(format!("root has no {role} role")))?;
    let by_name: Vec<String> = r
        .keyids
        .iter()
        .filter(|id| root.keys.get(*id).and_then(|k| c.keyholder_of(k)) == Some(who))
        .cloned()
        .collect();
    if !by_name.is_empty() {
        return Ok(by_name);
    }
    let by_id: Vec<String> = if who.len() >= 8 && who.bytes().all(|b| b.is_ascii_hexdigit()) {
        r.keyids
            .iter()
            .filter(|id| id.starts_with(&who.to_lowercase()))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    match by_id.len() {
        1 => Ok(by_id),
        0 => Err(Error::Invalid(format!(
            "no key of the {role} role matches \"{who}\" (give a keyholder name, a keyid, or its first 8+ hex digits). The {role} role has: {}",
            r.keyids.iter().map(|id| c.describe(id, root.keys.get(id))).collect::<Vec<_>>().join(", ")
        ))),
        _ => Err(Error::Invalid(format!("\"{who}\" matches more than one keyid of the {role} role; give more digits"))),
    }
}

/// Warns when a root rotation can no longer be completed by the keyholders kept: the
/// trusted root's threshold must be met by its own keys (spec 5.3.4), and keyholders whose
/// keys were removed may be unavailable (that is often why they were removed).
fn rotation_warning(c: &Ceremony, new: &Root) -> Result<Option<String>> {
    let Some(trusted) = c.trusted(&RoleName::ROOT)? else {
        return Ok(None);
    };
    let old = as_root(&trusted)?;
    let Some(old_role) = old.role("root") else {
        return Ok(None);
    };
    // Only keyholders who stay in the new root's *root* role are counted as able to sign;
    // a key kept for targets alone says nothing about its holder's availability.
    let new_identities: Vec<String> = new
        .role("root")
        .map(|r| {
            r.keyids
                .iter()
                .filter_map(|id| new.keys.get(id))
                .map(Key::identity)
                .collect()
        })
        .unwrap_or_default();
    let mut kept = Vec::new();
    let mut removed = Vec::new();
    for id in &old_role.keyids {
        if let Some(k) = old.keys.get(id) {
            if new_identities.contains(&k.identity()) {
                kept.push(c.who(id, Some(k)));
            } else {
                removed.push(c.who(id, Some(k)));
            }
        }
    }
    if (kept.len() as u64) < old_role.threshold {
        return Ok(Some(format!(
            "clients trust root v{} and will accept the new root only if {} of its {} root keys sign it. Only {} of those keys remain in the new root ({}); the keyholders removed ({}) must still sign the new root, or the rotation cannot be completed",
            old.common.version,
            old_role.threshold,
            old_role.keyids.len(),
            kept.len(),
            if kept.is_empty() { "none".to_string() } else { kept.join(", ") },
            removed.join(", ")
        )));
    }
    Ok(None)
}

/// `root add-key ROLE PUBFILE [--keyholder NAME]`.
pub fn root_add_key(
    c: &mut Ceremony,
    role: &str,
    pubfile: &Path,
    keyholder: Option<&str>,
) -> Result<Report> {
    check_top_level(role)?;
    let key = read_public_key(pubfile)?;
    if let Some(name) = keyholder {
        c.name_key(name, &key)?;
    } else if (role == "snapshot" || role == "timestamp") && c.keyholder_of(&key).is_none() {
        // A new key for a role the repository signs is its online key.
        c.name_key(ONLINE_KEYHOLDER, &key)?;
    }
    let c: &Ceremony = c;
    let who = c.describe(&key.keyid(), Some(&key));
    let details = EditDetails::AddKey {
        target_role: role.to_string(),
        key: key.keyid(),
        keyholder: c.keyholder_of(&key).unwrap_or("").to_string(),
    };
    let mut p = Pending::new(c, "edit");
    let report = stage_edit(&mut p, c, &RoleName::ROOT, details, |md| {
        let root = as_root_mut(md)?;
        let id = insert_key(&mut root.keys, &key);
        let r = root
            .roles
            .get_mut(role)
            .ok_or_else(|| Error::Invalid(format!("root has no {role} role")))?;
        if r.keyids.contains(&id) {
            return Err(Error::Refused(format!(
                "{who} is already a {role} key; nothing to add"
            )));
        }
        r.keyids.push(id);
        Ok(vec![format!(
            "root: {who} added to the {role} role ({} of {} keys)",
            r.threshold,
            r.keyids.len()
        )])
    })?;
    if keyholder.is_some() || c.keyholder_of(&key) == Some(ONLINE_KEYHOLDER) {
        p.state()?;
    }
    p.commit()?;
    let mut report = report;
    if let Some(w) = key.client_warning() {
        report.warn(format!("root: {who}: {w}"));
    }
    Ok(report)
}

/// `root remove-key ROLE KEY [--threshold N]`: revocation.
pub fn root_remove_key(
    c: &Ceremony,
    role: &str,
    who: &str,
    threshold: Option<u64>,
) -> Result<Report> {
    check_top_level(role)?;
    let md = c.working(&RoleName::ROOT)?;
    let ids = resolve_key(c, as_root(&md)?, role, who)?;
    let details = EditDetails::RemoveKey {
        target_role: role.to_string(),
        keys: ids.clone(),
    };
    let mut warning = None;
    let mut report = apply_edit(c, &RoleName::ROOT, details, |md| {
        let root = as_root_mut(md)?;
        let mut lines = Vec::new();
        let r = root
            .roles
            .get_mut(role)
            .ok_or_else(|| Error::Invalid(format!("root has no {role} role")))?;
        r.keyids.retain(|id| !ids.contains(id));
        if let Some(t) = threshold {
            r.threshold = t;
        }
        check_threshold_reachable(role, r.threshold, r.keyids.len()).map_err(|e| {
            Error::Refused(format!(
                "{e}. Give --threshold N with the removal to lower it at the same time"
            ))
        })?;
        let (t, n) = (r.threshold, r.keyids.len());
        for id in &ids {
            lines.push(format!(
                "root: {} removed from the {role} role; its signatures no longer count for {role}",
                c.describe(id, root.keys.get(id))
            ));
        }
        lines.push(format!("root: {role} is now {t} of {n}"));
        let still_used: Vec<String> = root
            .roles
            .values()
            .flat_map(|r| r.keyids.iter().cloned())
            .collect();
        root.keys.retain(|id, _| still_used.contains(id));
        warning = rotation_warning(c, root)?;
        Ok(lines)
    })?;
    if let Some(w) = warning {
        report.warn(w);
    }
    Ok(report)
}

/// `root set-threshold ROLE N`.
pub fn root_set_threshold(c: &Ceremony, role: &str, threshold: u64) -> Result<Report> {
    check_top_level(role)?;
    apply_edit(
        c,
        &RoleName::ROOT,
        EditDetails::SetThreshold {
            target_role: role.to_string(),
            threshold,
        },
        |md| {
            let root = as_root_mut(md)?;
            let r = root
                .roles
                .get_mut(role)
                .ok_or_else(|| Error::Invalid(format!("root has no {role} role")))?;
            check_threshold_reachable(role, threshold, r.keyids.len())?;
            r.threshold = threshold;
            Ok(vec![format!(
                "root: {role} threshold is now {threshold} of {}",
                r.keyids.len()
            )])
        },
    )
}

/// `expires ROLE WHEN`.
pub fn set_expires(c: &Ceremony, role: &RoleName, when: i64) -> Result<Report> {
    if when <= c.now {
        return Err(Error::Refused(format!(
            "{} is in the past; choose a future expiry",
            crate::time::format_expires(when)
        )));
    }
    let text = crate::time::format_expires(when);
    apply_edit(
        c,
        role,
        EditDetails::Expires {
            expires: text.clone(),
        },
        |md| {
            let common = md.signed.common_mut();
            common.expires = text.clone();
            common.expires_at = when;
            Ok(vec![format!("{role}: expires {text}")])
        },
    )
}

/// What a new delegation's name must also keep, beyond being a [`RoleName`]: it is not a
/// top-level role, and it is not one of the names of this ceremony or of targets'
/// delegations in another letter case (their files would be one on a case-insensitive
/// disk, here or on the repository).
fn check_new_delegation(
    c: &Ceremony,
    existing: Option<&Delegations>,
    name: &RoleName,
) -> Result<()> {
    name.require_delegated()?;
    let roles = c.roles();
    let delegated = existing.into_iter().flat_map(|d| d.roles.iter().flatten());
    names::check_distinct(
        NameKind::Role,
        name,
        roles
            .iter()
            .map(|r| r.as_str())
            .chain(delegated.map(|r| r.name.as_str())),
        "a role of this ceremony or of targets' delegations",
    )?;
    Ok(())
}

/// Targets' delegations with `d` added, or the delegation of the same name replaced (its
/// unknown fields kept), and a line saying which. TUF spec 4.5: each delegated role lists
/// its keyids, threshold and paths; delegations' `keys` holds exactly the keys some
/// delegated role lists.
fn build_delegation(
    c: &mut Ceremony,
    existing: Option<Delegations>,
    d: &DelegateOptions,
) -> Result<(Delegations, Vec<String>)> {
    // 1. A name no other role of the ceremony or of targets' delegations has.
    check_new_delegation(c, existing.as_ref(), &d.name)?;
    // 2. The role's keys, named (keyholders' offline keys, or the repository's online
    //    keys), and a threshold they can meet.
    let named = read_delegated_keys(c, d)?;
    check_threshold_reachable(&d.name, d.threshold, named.len())?;
    // 3. The keys added to delegations (each once), and the role listing them.
    let mut delegations = existing.unwrap_or(Delegations {
        keys: BTreeMap::new(),
        roles: Some(Vec::new()),
        extra: Object::new(),
    });
    let ids: Vec<String> = named
        .iter()
        .map(|(_, k)| insert_key(&mut delegations.keys, k))
        .collect();
    let role = delegated_role(d, ids);
    // 4. The role added, or the delegation of the same name replaced.
    let roles = delegations.roles.get_or_insert_with(Vec::new);
    let line = put_delegated_role(roles, role, d, &named);
    // 5. Keys no delegated role lists any more dropped.
    let used: Vec<String> = roles
        .iter()
        .flat_map(|r| r.keyids.iter().cloned())
        .collect();
    delegations.keys.retain(|id, _| used.contains(id));
    Ok((delegations, vec![line]))
}

/// Step 2 of [`build_delegation`]: the keyholders' keys (`--key`), or the repository's
/// online keys (`--online-key`, each once, named for the repository), never both.
fn read_delegated_keys(c: &mut Ceremony, d: &DelegateOptions) -> Result<NamedKeys> {
    if d.keys.is_empty() && d.online_keys.is_empty() {
        return Err(Error::Invalid(format!(
            "delegating {} needs its keys: --key NAME=PUBFILE once per keyholder (signed offline), or --online-key PUBFILE (signed by the repository)",
            d.name
        )));
    }
    if !d.keys.is_empty() && !d.online_keys.is_empty() {
        return Err(Error::Invalid(format!(
            "{} is either signed offline (--key) or online by the repository (--online-key), not both",
            d.name
        )));
    }
    let mut named = read_named(c, &d.keys)?;
    for path in &d.online_keys {
        let key = read_public_key(path)?;
        c.name_key(ONLINE_KEYHOLDER, &key)?;
        if !named.iter().any(|(_, k)| k.identity() == key.identity()) {
            named.push((ONLINE_KEYHOLDER.to_string(), key));
        }
    }
    Ok(named)
}

/// Step 3 of [`build_delegation`]: the delegated role, trusted for `d`'s paths ("*" when
/// none are given).
fn delegated_role(d: &DelegateOptions, keyids: Vec<String>) -> DelegatedRole {
    let paths = if d.paths.is_empty() {
        vec!["*".to_string()]
    } else {
        d.paths.clone()
    };
    DelegatedRole {
        name: d.name.to_string(),
        keyids,
        threshold: d.threshold,
        terminating: d.terminating,
        paths: Some(paths),
        path_hash_prefixes: None,
        extra: Object::new(),
    }
}

/// Step 4 of [`build_delegation`]: `role` replaces the delegation of the same name, keeping
/// its unknown fields, or is appended (the order of delegations is their priority: TUF spec 4.5); the line
/// says which.
fn put_delegated_role(
    roles: &mut Vec<DelegatedRole>,
    role: DelegatedRole,
    d: &DelegateOptions,
    named: &[(String, Key)],
) -> String {
    match roles.iter_mut().find(|r| d.name == r.name.as_str()) {
        Some(r) => {
            let extra = std::mem::take(&mut r.extra);
            *r = DelegatedRole { extra, ..role };
            format!(
                "targets: delegation to {} updated: {} of {} keys",
                d.name,
                d.threshold,
                named.len()
            )
        }
        None => {
            roles.push(role);
            format!(
                "targets: delegates {} to {} of {} keys ({})",
                d.name,
                d.threshold,
                named.len(),
                named
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// `delegate NAME --key NAME=PUBFILE… --threshold N [--path GLOB…]`: targets → NAME, and a
/// new empty NAME.json if there is none.
pub fn delegate(c: &mut Ceremony, d: &DelegateOptions) -> Result<Report> {
    let targets = c.working(&RoleName::TARGETS)?;
    let existing = targets.targets().and_then(|t| t.delegations.clone());
    let (delegations, lines) = build_delegation(c, existing, d)?;
    let delegated_keys: BTreeMap<String, Key> = delegations
        .role(&d.name)
        .map(|r| {
            r.keyids
                .iter()
                .filter_map(|id| Some((id.clone(), delegations.keys.get(id)?.clone())))
                .collect()
        })
        .unwrap_or_default();
    let warnings = key_type_warnings(c, &delegated_keys, "targets");
    let offline = d.online_keys.is_empty();
    if offline && !c.state.delegated.contains(&d.name) {
        c.state.delegated.push(d.name.clone());
    }
    let c: &Ceremony = c;
    let mut p = Pending::new(c, "edit");
    let details = EditDetails::Delegate {
        delegated_role: d.name.to_string(),
        threshold: d.threshold,
    };
    let mut report = stage_edit(&mut p, c, &RoleName::TARGETS, details, |md| {
        match &mut md.signed {
            Signed::Targets(t) => t.delegations = Some(delegations),
            _ => {
                return Err(Error::Invalid(
                    "targets.json is not targets metadata".into(),
                ))
            }
        }
        Ok(lines)
    })?;
    p.state()?;
    for w in warnings {
        report.warn(w);
    }
    if !offline {
        report.line(format!(
            "{} is signed online by the repository: no {} is made here",
            d.name,
            d.name.file_name()
        ));
    } else if !c.working_path(&d.name).exists() {
        let md = unsigned(Signed::Targets(new_targets(1, d.expires)));
        stage_new_role(&mut p, c, &d.name, &md, &mut report)?;
    }
    p.commit()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Value;
    use crate::metadata::Signature;
    use ed25519_dalek::Signer as _;

    const FILE: &str = "in/root.json";

    fn key(seed: u8) -> (ed25519_dalek::SigningKey, Key) {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        let k = Key::ed25519(&sk.verifying_key());
        (sk, k)
    }

    /// A root whose four top-level roles all list `keys`' keyids with threshold 1, except
    /// root itself (`root_threshold`).
    fn root(keys: &[&Key], root_threshold: u64) -> Metadata {
        let ids: Vec<String> = keys.iter().map(|k| k.keyid()).collect();
        let mut roles = BTreeMap::new();
        for role in TOP_LEVEL_ROLES {
            let threshold = if role == "root" { root_threshold } else { 1 };
            roles.insert(role.to_string(), role_keys(ids.clone(), threshold));
        }
        unsigned(Signed::Root(Root {
            common: common(1, 0),
            consistent_snapshot: Some(true),
            keys: keys.iter().map(|k| (k.keyid(), (*k).clone())).collect(),
            roles,
            extra: Object::new(),
        }))
    }

    /// A targets that delegates `name` to `keys` with `threshold`.
    fn delegating(name: &str, keys: &[&Key], threshold: u64) -> Metadata {
        let mut t = new_targets(1, 0);
        t.delegations = Some(Delegations {
            keys: keys.iter().map(|k| (k.keyid(), (*k).clone())).collect(),
            roles: Some(vec![DelegatedRole {
                name: name.into(),
                keyids: keys.iter().map(|k| k.keyid()).collect(),
                threshold,
                terminating: false,
                paths: Some(vec!["*".into()]),
                path_hash_prefixes: None,
                extra: Object::new(),
            }]),
            extra: Object::new(),
        });
        unsigned(Signed::Targets(t))
    }

    fn sign(md: &mut Metadata, sk: &ed25519_dalek::SigningKey, keyid: &str) {
        let sig = hex::encode(sk.sign(&md.payload()).to_bytes());
        md.signatures.push(Signature {
            keyid: keyid.into(),
            sig,
            extra: Object::new(),
        });
    }

    fn loadable(
        role: &str,
        md: &Metadata,
        delegator: Option<&Metadata>,
        trusted: bool,
    ) -> Result<Findings> {
        check_loadable(Path::new(FILE), role, md, delegator, trusted)
    }

    fn refusal(r: Result<Findings>) -> String {
        match r {
            Err(Error::Invalid(why)) => why,
            other => panic!("not refused as invalid: {other:?}"),
        }
    }

    /// A key python-tuf cannot read refuses the whole file, in root's keys or in
    /// delegations, trusted or not: python-tuf would refuse it.
    #[test]
    fn a_key_python_tuf_cannot_read_refuses_the_file() {
        let (_, k) = key(1);
        let mut odd = key(2).1;
        odd.keytype = "x-unknown".into();
        odd.scheme = "x-unknown".into();
        let why = crate::clients::python_tuf_refuses_key(&odd.keyid(), &odd).unwrap();
        let expected = format!("{FILE}: {why}; nothing was loaded. Remove the key, or give it a keytype and scheme clients read");
        let mut md = root(&[&k], 1);
        if let Signed::Root(r) = &mut md.signed {
            r.keys.insert(odd.keyid(), odd.clone());
        }
        for trusted in [false, true] {
            assert_eq!(refusal(loadable("root", &md, None, trusted)), expected);
        }
        let md = delegating("claimed", &[&k, &odd], 1);
        assert_eq!(refusal(loadable("targets", &md, None, false)), expected);
    }

    /// A threshold above the distinct keys listed refuses a file being signed, and is a
    /// warning for a trusted one; a key under two keyids counts once, and the message says
    /// python-tuf counts keyids.
    #[test]
    fn an_unreachable_threshold_refuses_or_warns_when_trusted() {
        let (_, k) = key(1);
        let mut alias = k.clone();
        alias.extra.insert("x-alias", Value::Bool(true));
        let mut md = root(&[&k], 1);
        if let Signed::Root(r) = &mut md.signed {
            r.keys.insert("alias".into(), alias);
            r.roles
                .get_mut("snapshot")
                .unwrap()
                .keyids
                .push("alias".into());
            r.roles.get_mut("snapshot").unwrap().threshold = 2;
        }
        let what = "root's snapshot role needs 2 signatures but lists 1 distinct key(s) (a key listed under several keyids counts once here, although python-tuf 7 counts keyids), so it could never be signed";
        assert_eq!(
            refusal(loadable("root", &md, None, false)),
            format!("{FILE}: {what}. Lower the threshold or add keys where this file was made; nothing was loaded")
        );
        let found = loadable("root", &md, None, true).unwrap();
        assert_eq!(
            found.warnings[0],
            format!("{FILE}: {what}; fix it in the next version")
        );
        assert!(found.notes.is_empty());

        let md = delegating("claimed", &[&k], 2);
        let what = "the delegation to claimed needs 2 signatures but lists 1 distinct key(s), so it could never be signed";
        assert_eq!(
            refusal(loadable("targets", &md, None, false)),
            format!("{FILE}: {what}. Lower the threshold or add keys where this file was made; nothing was loaded")
        );
        let found = loadable("targets", &md, None, true).unwrap();
        assert_eq!(
            found,
            Findings {
                warnings: vec![format!("{FILE}: {what}; fix it in the next version")],
                notes: vec![],
            }
        );
    }

    /// A key whose public key cannot be read is a warning naming it, not a refusal.
    #[test]
    fn an_unreadable_key_is_a_warning() {
        let (_, k) = key(1);
        let mut bad = key(2).1;
        bad.public = "zz".into();
        let why = bad.material().err().unwrap();
        let mut md = root(&[&k], 1);
        if let Signed::Root(r) = &mut md.signed {
            r.keys.insert(bad.keyid(), bad.clone());
        }
        let found = loadable("root", &md, None, false).unwrap();
        assert_eq!(
            found.warnings,
            [format!(
                "{FILE}: key {}: {why}; no signature by it can be checked here",
                short(&bad.keyid())
            )]
        );
        let md = delegating("claimed", &[&k, &bad], 1);
        let found = loadable("targets", &md, None, false).unwrap();
        assert_eq!(found.warnings.len(), 1, "{found:?}");
        assert!(found.warnings[0].ends_with("; no signature by it can be checked here"));
    }

    /// Signatures are judged against the keys that may sign the file: root's own, the
    /// delegator's for targets and a delegated role, none when there is no delegator; a
    /// trusted file's are judged by the caller. A forged signature is a warning, one by a
    /// key the role does not list a note.
    #[test]
    fn signatures_are_judged_against_the_role_that_signs_the_file() {
        let (sk1, k1) = key(1);
        let (sk2, k2) = key(2);
        let (id1, id2) = (k1.keyid(), k2.keyid());
        let line = |id: &str| format!("{FILE}: the signature by keyid {}: ", short(id));

        let mut md = root(&[&k1], 1);
        sign(&mut md, &sk1, &id1);
        sign(&mut md, &sk2, &id2);
        let found = loadable("root", &md, None, false).unwrap();
        assert!(found.warnings.is_empty(), "{found:?}");
        assert_eq!(found.notes.len(), 1, "{found:?}");
        assert!(found.notes[0].starts_with(&line(&id2)), "{found:?}");
        assert_eq!(
            loadable("root", &md, None, true).unwrap(),
            Findings::default()
        );

        // targets: signed by root's targets keys; k2 forges k1's keyid.
        let root_md = root(&[&k1], 1);
        let mut targets = unsigned(Signed::Targets(new_targets(1, 0)));
        sign(&mut targets, &sk2, &id1);
        let found = loadable("targets", &targets, Some(&root_md), false).unwrap();
        assert!(found.notes.is_empty(), "{found:?}");
        assert_eq!(found.warnings.len(), 1, "{found:?}");
        assert!(found.warnings[0].starts_with(&line(&id1)), "{found:?}");
        assert_eq!(
            loadable("targets", &targets, None, false).unwrap(),
            Findings::default()
        );

        // claimed: signed by the keys targets delegates it to.
        let delegator = delegating("claimed", &[&k2], 1);
        let mut claimed = unsigned(Signed::Targets(new_targets(1, 0)));
        sign(&mut claimed, &sk2, &id2);
        sign(&mut claimed, &sk1, &id1);
        let found = loadable("claimed", &claimed, Some(&delegator), false).unwrap();
        assert!(found.warnings.is_empty(), "{found:?}");
        assert_eq!(found.notes.len(), 1, "{found:?}");
        assert!(found.notes[0].starts_with(&line(&id1)), "{found:?}");
        // A role the delegator does not delegate: nothing to judge against.
        let found = loadable("other", &claimed, Some(&delegator), false).unwrap();
        assert_eq!(found, Findings::default());
    }
}
