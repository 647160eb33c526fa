//! PEP 480's `claimed` role: one delegation per claimed project, to its developers' keys.
//!
//! New projects first land in the online `recently-claimed` role; every few weeks the
//! administrators move them into `claimed`, signed offline, after which a compromise of the
//! repository's servers can no longer change who may sign for them (PEP 480, "Producing
//! Consistent Snapshots"). At PyPI's scale `claimed` holds 10^5 delegations, so every step
//! here is linear: names and key identities are looked up in hash maps built once.
//!
//! Conventions (documented in the README):
//! - a project's delegation is named after the project, `terminating: true` (a client asking
//!   about the project's files stops there), threshold 1 unless given, and trusted for the
//!   paths `NAME/*` unless `--path` says otherwise;
//! - project names are unique after PEP 503 normalisation (`Foo_Bar` and `foo-bar` are one
//!   project) and must be safe role names;
//! - existing projects keep their place; new ones are appended in the order given, so the
//!   role order is stable and deterministic;
//! - a key no project uses any more is removed from `keys`;
//! - a developer key `claimed revoke-key` revoked is never brought back without a word:
//!   `add-project` and `import-recently-claimed` refuse it, naming the key, the project and
//!   the transcript line of the revocation, unless `--readmit-revoked-key KEYID` names it
//!   (recorded in the transcript, with that line);
//! - recently-claimed is moved from in increasing versions only: one no newer than the last
//!   moved from (the transcript's `from_version`) is a rollback and refused (TUF spec
//!   5.6.5).

use super::edits::{apply_edit, stage_edit};
use super::events::EditDetails;
use super::pending::Pending;
use super::{digest_hex, read_public_key, short, Ceremony, Report};
use crate::error::{Error, Result};
use crate::json::Object;
use crate::keys::Key;
use crate::metadata::{DelegatedRole, Delegations, Metadata, Signed, Targets};
pub use crate::names::pep503 as normalize;
use crate::names::{self as names, RoleName};
use crate::outcome::{Refusal, Rejection};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How many project names a summary shows before "and N more".
pub const SHOW_FIRST: usize = 5;

/// `a, b, c and 12 more`.
pub fn first_few(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(SHOW_FIRST).map(String::as_str).collect();
    let more = names.len().saturating_sub(SHOW_FIRST);
    if more == 0 {
        shown.join(", ")
    } else {
        format!("{} and {more} more", shown.join(", "))
    }
}

fn targets_mut<'a>(md: &'a mut Metadata, role: &str) -> Result<&'a mut Targets> {
    match &mut md.signed {
        Signed::Targets(t) => Ok(t),
        _ => Err(Error::Invalid(format!(
            "{role}.json is not targets metadata"
        ))),
    }
}

fn delegations_mut(t: &mut Targets) -> &mut Delegations {
    t.delegations.get_or_insert_with(|| Delegations {
        keys: BTreeMap::new(),
        roles: Some(Vec::new()),
        extra: Object::new(),
    })
}

/// Checks `role` is a delegated role of this ceremony with a working file.
fn check_role(c: &Ceremony, role: &RoleName) -> Result<()> {
    if !c.state.delegated.contains(role) || !c.working_path(role).exists() {
        return Err(Error::Invalid(format!(
            "there is no delegated role \"{role}\" in this ceremony. Create it with `tuf-ceremony delegate {role} --key NAME=PUBFILE --threshold N`"
        )));
    }
    Ok(())
}

/// Key identity → keyid, for the keys a delegations block lists.
fn identity_index(keys: &BTreeMap<String, Key>) -> HashMap<String, String> {
    keys.iter()
        .map(|(id, k)| (k.identity(), id.clone()))
        .collect()
}

/// Adds `key` unless the same key is there (under any keyid); returns its keyid.
fn add_key(
    keys: &mut BTreeMap<String, Key>,
    index: &mut HashMap<String, String>,
    key: &Key,
) -> String {
    let identity = key.identity();
    if let Some(id) = index.get(&identity) {
        return id.clone();
    }
    let id = key.keyid();
    keys.insert(id.clone(), key.clone());
    index.insert(identity, id.clone());
    id
}

/// Removes keys no delegation uses; returns how many.
fn prune_keys(d: &mut Delegations) -> usize {
    let used: HashSet<&str> = d
        .roles
        .iter()
        .flatten()
        .flat_map(|r| r.keyids.iter().map(String::as_str))
        .collect();
    let before = d.keys.len();
    let unused: Vec<String> = d
        .keys
        .keys()
        .filter(|id| !used.contains(id.as_str()))
        .cloned()
        .collect();
    for id in unused {
        d.keys.remove(&id);
    }
    before - d.keys.len()
}

/// What `claimed add-project` is given.
#[derive(Clone, Debug)]
pub struct NewProject {
    pub name: String,
    pub keys: Vec<PathBuf>,
    pub threshold: u64,
    pub paths: Vec<String>,
    /// `--readmit-revoked-key`: revoked developer keys to bring back on purpose.
    pub readmit: Vec<String>,
}

/// The roles whose files sit beside the projects' on the repository: this ceremony's and
/// those targets delegates to (recently-claimed, unclaimed). A project's role may not take
/// one of their names, in any letter case.
fn repository_roles(c: &Ceremony) -> Result<Vec<String>> {
    let mut roles: Vec<String> = c.roles().iter().map(String::from).collect();
    if let Some(d) = c
        .working_opt(&RoleName::TARGETS)?
        .as_ref()
        .and_then(Metadata::targets)
        .and_then(|t| t.delegations.as_ref())
    {
        roles.extend(d.roles.iter().flatten().map(|r| r.name.clone()));
    }
    Ok(roles)
}

/// A project name (PEP 508) that is safe as the name of the project's role and file (see
/// [`names::check_project_name`]), and not the name of one of `roles`.
fn check_project_name(name: &str, roles: &[String]) -> Result<()> {
    names::check_project_name(name)?;
    let folded = names::fold(name);
    if let Some(role) = roles.iter().find(|r| names::fold(r) == folded) {
        return Err(Error::Refused(format!(
            "project \"{}\" would be a role named like the repository's role \"{}\" (one file, {}, on the repository and on any case-insensitive disk). A project cannot be claimed under that name",
            names::shown(name),
            names::shown(role),
            names::shown(&format!("{role}.json"))
        )));
    }
    Ok(())
}

/// A developer key `claimed revoke-key` took out of `role`: the transcript line that did.
#[derive(Clone, Copy)]
struct Revoked {
    seq: u64,
}

/// The developer keys revoked from `role` in this ceremony folder's transcript, by key
/// identity and by keyid (a line recorded before identities were, names keyids alone).
#[derive(Default)]
struct RevokedKeys {
    by_identity: HashMap<String, Revoked>,
    by_keyid: HashMap<String, Revoked>,
}

impl RevokedKeys {
    fn read(c: &Ceremony, role: &RoleName) -> Result<RevokedKeys> {
        let mut out = RevokedKeys::default();
        for e in c.transcript().read()? {
            if e.event() != "edit" || e.str("role") != Some(role.as_str()) {
                continue;
            }
            let list = |o: &crate::json::Object, field: &str| -> Vec<String> {
                o.get(field)
                    .and_then(crate::json::Value::as_array)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            };
            if e.str("action") == Some("claimed-revoke-key") {
                for id in list(&e.fields, "revoked_keys") {
                    out.by_identity.insert(id, Revoked { seq: e.seq });
                }
                for id in list(&e.fields, "revoked_keyids") {
                    out.by_keyid.insert(id, Revoked { seq: e.seq });
                }
            }
            // Brought back on purpose: trusted again until revoked again.
            if let Some(r) = e
                .fields
                .get("readmitted")
                .and_then(crate::json::Value::as_object)
            {
                for id in list(r, "keys") {
                    out.by_identity.remove(&id);
                }
                for id in list(r, "keyids") {
                    out.by_keyid.remove(&id);
                }
            }
        }
        Ok(out)
    }

    /// The revocation of `key`, listed as `keyid`, if it was revoked: by its identity, its
    /// keyid as listed, or its keyid under either hashing convention.
    fn of(&self, keyid: &str, key: &Key) -> Option<&Revoked> {
        self.by_identity
            .get(&key.identity())
            .or_else(|| self.by_keyid.get(keyid))
            .or_else(|| self.by_keyid.get(&key.keyid()))
            .or_else(|| self.by_keyid.get(&key.keyid_whole_object()))
    }

    /// Refuses `key` of `project` when it was revoked, unless `readmit` names it (a keyid,
    /// or at least 8 leading hex digits of one): bringing it back without a word would undo
    /// the revocation (a developer key revoked as stolen would sign for the project again).
    /// A key readmitted is added to `readmitted`, for the transcript.
    fn check(
        &self,
        k: (&str, &Key),
        project: &str,
        (role, from): (&RoleName, &str),
        readmit: &[String],
        readmitted: &mut super::events::Readmitted,
    ) -> Result<()> {
        let (keyid, key) = k;
        let Some(r) = self.of(keyid, key) else {
            return Ok(());
        };
        let canonical = key.keyid();
        let named = readmit.iter().any(|w| {
            w.len() >= 8 && (keyid.starts_with(w.as_str()) || canonical.starts_with(w.as_str()))
        });
        if named {
            if !readmitted.keyids.iter().any(|id| id == keyid) {
                readmitted.keyids.push(keyid.to_string());
                readmitted.keys.push(key.identity());
                readmitted.revoked_at_lines.push(r.seq);
            }
            return Ok(());
        }
        Err(Error::Refused(format!(
            "{from}project {}'s developer key {} was revoked from {role} by `claimed revoke-key` (transcript.jsonl line {}); it would be brought back. Nothing was changed. Ask the project's developers for a new key{}, or, if the key is to be trusted again after all, give --readmit-revoked-key {} (recorded in the transcript)",
            names::shown(project),
            short(keyid),
            r.seq,
            if from.is_empty() { "" } else { " and the online side for a recently-claimed without the revoked one" },
            &keyid[..keyid.len().min(16)]
        )))
    }

    /// Every `--readmit-revoked-key` given must name a key brought back here: a flag that
    /// readmits nothing is a mistake (a mistyped keyid), never silently ignored.
    fn all_used(readmit: &[String], readmitted: &super::events::Readmitted) -> Result<()> {
        for w in readmit {
            if !readmitted
                .keyids
                .iter()
                .any(|id| id.starts_with(w.as_str()))
            {
                return Err(Error::Invalid(format!(
                    "--readmit-revoked-key {w}: no revoked developer key with that keyid is brought back by this command; nothing was changed. Give the keyid (or at least 8 leading hex digits) the refusal names"
                )));
            }
        }
        Ok(())
    }
}

/// `claimed add-project NAME --key PUB… [--threshold N] [--path GLOB…]`.
pub fn add_project(c: &Ceremony, role: &RoleName, p: &NewProject) -> Result<Report> {
    check_role(c, role)?;
    check_project_name(&p.name, &repository_roles(c)?)?;
    if p.keys.is_empty() {
        return Err(Error::Invalid(format!(
            "project {} needs its developers' public keys: --key PUBFILE, once per key",
            p.name
        )));
    }
    let mut keys: Vec<Key> = Vec::new();
    for path in &p.keys {
        let k = read_public_key(path)?;
        if keys.iter().any(|e| e.identity() == k.identity()) {
            return Err(Error::Refused(format!(
                "{} repeats a key already given for project {}; give each developer key once",
                path.display(),
                p.name
            )));
        }
        keys.push(k);
    }
    let revoked = RevokedKeys::read(c, role)?;
    let mut readmitted = super::events::Readmitted::default();
    for k in &keys {
        revoked.check(
            (&k.keyid(), k),
            &p.name,
            (role, ""),
            &p.readmit,
            &mut readmitted,
        )?;
    }
    RevokedKeys::all_used(&p.readmit, &readmitted)?;
    if p.threshold == 0 || p.threshold as usize > keys.len() {
        return Err(Error::Refused(format!(
            "project {}: a threshold of {} cannot be met by {} key(s); choose 1 to {}",
            p.name,
            p.threshold,
            keys.len(),
            keys.len()
        )));
    }
    let paths = if p.paths.is_empty() {
        vec![format!("{}/*", p.name)]
    } else {
        p.paths.clone()
    };
    let details = EditDetails::ClaimedAddProject {
        project: p.name.clone(),
        threshold: p.threshold,
        keyids: keys.iter().map(|k| k.keyid()).collect(),
        readmitted,
    };
    let said = readmitted_words(&details);
    let mut report = apply_edit(c, role, details, |md| {
        let t = targets_mut(md, role)?;
        let d = delegations_mut(t);
        let wanted = normalize(&p.name);
        if let Some(existing) = d
            .roles
            .iter()
            .flatten()
            .find(|r| normalize(&r.name) == wanted)
        {
            return Err(Error::Refused(format!(
                "{role} already delegates project \"{}\" (the same project as \"{}\" under PEP 503 normalisation). Remove it first with `claimed remove-project {}` to replace its keys",
                existing.name, p.name, existing.name
            )));
        }
        let mut index = identity_index(&d.keys);
        let keyids: Vec<String> = keys
            .iter()
            .map(|k| add_key(&mut d.keys, &mut index, k))
            .collect();
        d.roles.get_or_insert_with(Vec::new).push(DelegatedRole {
            name: p.name.clone(),
            keyids,
            threshold: p.threshold,
            terminating: true,
            paths: Some(paths.clone()),
            path_hash_prefixes: None,
            extra: Object::new(),
        });
        Ok(vec![format!(
            "{role}: delegates project {} to {} of {} developer key(s), for {}",
            p.name,
            p.threshold,
            keys.len(),
            paths.join(" ")
        )])
    })?;
    for w in said {
        report.warn(w);
    }
    Ok(report)
}

/// A warning for each revoked developer key an edit brings back on purpose.
fn readmitted_words(details: &EditDetails) -> Vec<String> {
    let r = match details {
        EditDetails::ClaimedAddProject { readmitted, .. }
        | EditDetails::ClaimedImportRecentlyClaimed { readmitted, .. } => readmitted,
        _ => return Vec::new(),
    };
    r.keyids
        .iter()
        .zip(&r.revoked_at_lines)
        .map(|(id, line)| {
            format!(
                "developer key {} revoked at transcript.jsonl line {line} is trusted again (--readmit-revoked-key); recorded in the transcript",
                short(id)
            )
        })
        .collect()
}

/// `claimed remove-project NAME…`.
pub fn remove_projects(c: &Ceremony, role: &RoleName, names: &[String]) -> Result<Report> {
    check_role(c, role)?;
    let wanted: HashSet<&str> = names.iter().map(String::as_str).collect();
    let details = EditDetails::ClaimedRemoveProject {
        projects: names.to_vec(),
    };
    apply_edit(c, role, details, |md| {
        let t = targets_mut(md, role)?;
        let d = delegations_mut(t);
        let roles = d.roles.get_or_insert_with(Vec::new);
        let present: HashSet<&str> = roles.iter().map(|r| r.name.as_str()).collect();
        let missing: Vec<String> = names
            .iter()
            .filter(|n| !present.contains(n.as_str()))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(Error::Invalid(format!(
                "{role} does not delegate {}; nothing was changed. Check the names (`tuf-ceremony status --projects` lists them)",
                first_few(&missing)
            )));
        }
        roles.retain(|r| !wanted.contains(r.name.as_str()));
        let pruned = prune_keys(d);
        Ok(vec![format!(
            "{role}: removed {} project(s): {}; {pruned} developer key(s) no project uses were removed",
            names.len(),
            first_few(names)
        )])
    })
}

/// Finds the keyids a `claimed revoke-key` argument means: a public key file, a keyid, or a
/// unique keyid prefix of at least 8 hex digits.
fn resolve_key(d: &Delegations, which: &str, role: &str) -> Result<Vec<String>> {
    let path = Path::new(which);
    if path.exists() {
        let identity = read_public_key(path)?.identity();
        let ids: Vec<String> = d
            .keys
            .iter()
            .filter(|(_, k)| k.identity() == identity)
            .map(|(id, _)| id.clone())
            .collect();
        if ids.is_empty() {
            return Err(Error::Invalid(format!(
                "the key in {} is not used by any project in {role}; nothing was changed",
                path.display()
            )));
        }
        return Ok(ids);
    }
    if which.len() < 8 || !which.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::Invalid(format!(
            "\"{which}\" is neither a public key file nor a keyid (at least 8 hex digits)"
        )));
    }
    let ids: Vec<String> = d
        .keys
        .keys()
        .filter(|id| id.starts_with(which))
        .cloned()
        .collect();
    match ids.len() {
        0 => Err(Error::Invalid(format!(
            "no developer key in {role} has a keyid starting {which}; nothing was changed"
        ))),
        1 => Ok(ids),
        n => Err(Error::Invalid(format!(
            "{n} keys in {role} have keyids starting {which}; give more digits"
        ))),
    }
}

/// `claimed revoke-key KEY`: removes a developer key from every project that lists it and
/// reports the projects left below their threshold (they can publish nothing until their
/// developers register a new key).
pub fn revoke_key(c: &Ceremony, role: &RoleName, which: &str) -> Result<Report> {
    check_role(c, role)?;
    let md = c.working(role)?;
    let empty = Delegations {
        keys: BTreeMap::new(),
        roles: None,
        extra: Object::new(),
    };
    let d = md
        .targets()
        .and_then(|t| t.delegations.as_ref())
        .unwrap_or(&empty);
    let ids = resolve_key(d, which, role)?;
    let identities: Vec<String> = ids
        .iter()
        .filter_map(|id| d.keys.get(id).map(Key::identity))
        .collect();
    drop(md);
    let details = EditDetails::ClaimedRevokeKey {
        revoked_keyids: ids.clone(),
        revoked_keys: identities,
    };
    let mut below: Vec<String> = Vec::new();
    let mut report = apply_edit(c, role, details, |md| {
        let t = targets_mut(md, role)?;
        let d = delegations_mut(t);
        let gone: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let mut touched: Vec<String> = Vec::new();
        for r in d.roles.iter_mut().flatten() {
            let n = r.keyids.len();
            r.keyids.retain(|k| !gone.contains(k.as_str()));
            if r.keyids.len() != n {
                touched.push(r.name.clone());
                if (r.keyids.len() as u64) < r.threshold {
                    below.push(r.name.clone());
                }
            }
        }
        for id in &ids {
            d.keys.remove(id);
        }
        Ok(vec![format!(
            "{role}: revoked key {} from {} project(s): {}",
            short(&ids[0]),
            touched.len(),
            first_few(&touched)
        )])
    })?;
    if !below.is_empty() {
        report.warn(format!(
            "{} project(s) are now below their threshold and cannot publish until their developers register a new key (`claimed remove-project` then `claimed add-project`): {}",
            below.len(),
            first_few(&below)
        ));
    }
    report.json = Some(crate::output::to_value(&RevokeKeyJson {
        below_threshold: &below,
    })?);
    Ok(report)
}

/// `claimed revoke-key --json`: the projects the revocation left below their threshold.
#[derive(serde::Serialize)]
struct RevokeKeyJson<'a> {
    below_threshold: &'a [String],
}

/// The last move from `from_role` into `role` the transcript records: its line and the
/// version of `from_role` moved from (the `from_version` of its `edit` event).
fn last_import(c: &Ceremony, role: &RoleName, from_role: &RoleName) -> Result<Option<(u64, u64)>> {
    Ok(c.transcript()
        .read()?
        .into_iter()
        .rev()
        .find(|e| {
            e.event() == "edit"
                && e.str("action") == Some("claimed-import-recently-claimed")
                && e.str("role") == Some(role.as_str())
                && e.str("from_role").is_none_or(|r| r == from_role.as_str())
        })
        .and_then(|e| {
            let v = e.fields.get("from_version")?.as_i128()?;
            Some((e.seq, u64::try_from(v).ok()?))
        }))
}

/// `claimed import-recently-claimed FILE --out DIR`: verifies the online-signed
/// recently-claimed metadata against targets' delegation to it, moves its project
/// delegations (keys, thresholds, paths) into `role`, and writes into DIR the list of moved
/// projects and an unsigned recently-claimed without them, for the online side to sign.
pub fn import_recently_claimed(
    c: &Ceremony,
    role: &RoleName,
    from_role: &RoleName,
    file: &Path,
    out: &Path,
    readmit: &[String],
) -> Result<Report> {
    check_role(c, role)?;
    let bytes = crate::fsutil::read(file)?;
    let rc = Metadata::from_bytes(&bytes).map_err(|e| Error::format(file, e))?;
    let Some(rct) = rc.targets() else {
        return Err(Rejection::NotTargetsFor {
            file: file.to_path_buf(),
            found: rc.signed.type_name().to_string(),
            role: from_role.to_string(),
        }
        .into());
    };
    let targets = c.working(&RoleName::TARGETS)?;
    let tally = crate::verify::verify_delegated_role(&rc, &targets, from_role).map_err(|why| {
        Refusal::NotCheckable {
            file: file.to_path_buf(),
            role: from_role.to_string(),
            why,
        }
    })?;
    if !tally.met() {
        return Err(Refusal::OnlineThresholdUnmet {
            file: file.to_path_buf(),
            role: from_role.to_string(),
            counted: tally.counted.len(),
            threshold: tally.threshold,
            invalid: tally.invalid().len(),
        }
        .into());
    }
    if rc.signed.common().expires_at <= c.now {
        return Err(Refusal::OnlineExpired {
            file: file.to_path_buf(),
            expires: rc.signed.common().expires.clone(),
            role: from_role.to_string(),
        }
        .into());
    }
    // TUF spec 5.6.5 (and 5.6.6): a role's version never goes back. A recently-claimed no
    // newer than one already moved from would move projects the online side has since
    // dropped or changed (a rollback): refused.
    if let Some((seq, last)) = last_import(c, role, from_role)? {
        if rc.version() <= last {
            return Err(Refusal::Rollback {
                file: file.to_path_buf(),
                from_role: from_role.to_string(),
                version: rc.version(),
                last,
                role: role.to_string(),
                seq,
            }
            .into());
        }
    }
    let Some(rcd) = rct.delegations.as_ref() else {
        return Err(Rejection::NoProjects {
            file: file.to_path_buf(),
        }
        .into());
    };
    let incoming: Vec<DelegatedRole> = rcd.roles.clone().unwrap_or_default();
    if incoming.is_empty() {
        return Err(Rejection::NoProjects {
            file: file.to_path_buf(),
        }
        .into());
    }
    // Validate every incoming project and key before changing anything.
    let mut seen: HashSet<String> = HashSet::with_capacity(incoming.len());
    let roles = repository_roles(c)?;
    let revoked = RevokedKeys::read(c, role)?;
    let mut readmitted = super::events::Readmitted::default();
    let from = format!("{}: ", file.display());
    for r in &incoming {
        check_project_name(&r.name, &roles).map_err(|e| Rejection::InFile {
            file: file.to_path_buf(),
            why: e.to_string(),
        })?;
        if !seen.insert(normalize(&r.name)) {
            return Err(Rejection::ProjectTwice {
                file: file.to_path_buf(),
                project: r.name.clone(),
            }
            .into());
        }
        for id in &r.keyids {
            let key = rcd.keys.get(id).ok_or_else(|| Rejection::KeyIdNotListed {
                file: file.to_path_buf(),
                project: r.name.clone(),
                keyid: id.clone(),
            })?;
            if key.check_keyid(id) == crate::keys::KeyIdMatch::Neither {
                return Err(Rejection::KeyIdNotItsHash {
                    file: file.to_path_buf(),
                    project: r.name.clone(),
                    keyid: id.clone(),
                }
                .into());
            }
            revoked.check((id, key), &r.name, (role, &from), readmit, &mut readmitted)?;
        }
    }
    RevokedKeys::all_used(readmit, &readmitted)?;
    let moved: Vec<String> = incoming.iter().map(|r| r.name.clone()).collect();
    let moved_list = moved.join("\n") + "\n";
    // The online side's new recently-claimed: the same, without the moved projects.
    let mut next_rc = rc.clone();
    next_rc.signatures.clear();
    if let Signed::Targets(t) = &mut next_rc.signed {
        t.common.version = t.common.version.saturating_add(1);
        if let Some(d) = t.delegations.as_mut() {
            d.roles = Some(Vec::new());
            prune_keys(d);
        }
    }
    let rc_out = out.join(from_role.file_name());
    let list_out = out.join("moved-projects.txt");
    // Read back as the reader reads it, like every metadata file the ceremony writes
    // (`Pending::metadata`): the online side must be able to load what it is handed, and
    // a version past 2^63-1 (TUF spec 4.2, "version" is an integer clients compare) is one
    // no client or tuf-ceremony accepts.
    let rc_bytes = next_rc.to_file_bytes();
    Metadata::from_bytes(&rc_bytes).map_err(|e| {
        Error::Refused(format!(
            "{}: {from_role} v{} without the moved projects would be a file that tuf-ceremony and TUF clients cannot read ({e}); nothing was changed or written. The online side must publish a {from_role} that can be followed (at version 2^63-1 there is no next one) before its projects can be moved",
            rc_out.display(),
            rc.version(),
        ))
    })?;
    for p in [&rc_out, &list_out] {
        if p.exists() {
            return Err(Error::Refused(format!(
                "{} already exists; files are never overwritten. Choose an empty --out folder",
                p.display()
            )));
        }
    }
    let details = EditDetails::ClaimedImportRecentlyClaimed {
        from_role: from_role.to_string(),
        from_file_sha256: digest_hex(&bytes),
        from_version: rc.version(),
        moved_projects: moved.len() as u64,
        moved_list_sha256: digest_hex(moved_list.as_bytes()),
        readmitted,
    };
    let said = readmitted_words(&details);
    // The edit and the two files for the online side are written together or not at all:
    // a folder that cannot be made must not leave claimed changed and the move unrepeatable.
    let mut p = Pending::new(c, "edit");
    let mut report = stage_edit(&mut p, c, role, details, |md| {
        let t = targets_mut(md, role)?;
        let d = delegations_mut(t);
        let existing: HashSet<String> = d
            .roles
            .iter()
            .flatten()
            .map(|r| normalize(&r.name))
            .collect();
        let clash: Vec<String> = incoming
            .iter()
            .filter(|r| existing.contains(&normalize(&r.name)))
            .map(|r| r.name.clone())
            .collect();
        if !clash.is_empty() {
            return Err(Error::Refused(format!(
                "{role} already delegates {} of these projects ({}); a project is claimed once. Nothing was changed",
                clash.len(),
                first_few(&clash)
            )));
        }
        let mut index = identity_index(&d.keys);
        let mut new_roles = Vec::with_capacity(incoming.len());
        for r in &incoming {
            let keyids = r
                .keyids
                .iter()
                .map(|id| add_key(&mut d.keys, &mut index, &rcd.keys[id]))
                .collect();
            new_roles.push(DelegatedRole {
                keyids,
                ..r.clone()
            });
        }
        d.roles.get_or_insert_with(Vec::new).extend(new_roles);
        Ok(vec![format!(
            "{role}: moved {} project(s) from {from_role} v{} ({}): {}",
            incoming.len(),
            rc.version(),
            file.display(),
            first_few(&moved)
        )])
    })?;
    for w in said {
        report.warn(w);
    }
    p.write_new(&list_out, moved_list.as_bytes())?;
    p.write_new(&rc_out, &rc_bytes)?;
    p.commit()?;
    report.line(format!(
        "wrote {} (the {} moved project names) and {} ({from_role} v{} without them, unsigned): the online side signs and publishes it with the new {role}",
        list_out.display(),
        moved.len(),
        rc_out.display(),
        next_rc.version()
    ));
    Ok(report)
}
