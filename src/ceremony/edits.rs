//! Changing metadata the ceremony already holds: the `root` edits (add-key, remove-key,
//! set-threshold) and `expires`, and the helpers every edit shares. Every edit sets the
//! version one past the trusted version (once), drops the signatures that no longer cover
//! the payload and names whose they were, and is recorded in the transcript.

use super::events::{self, EditDetails};
use super::pending::Pending;
use super::{as_root, as_root_mut, digest_hex, read_public_key, short, Ceremony, Report};
use crate::error::{Error, Result};
use crate::json::Object;
use crate::keys::Key;
use crate::metadata::{
    Common, Metadata, RoleKeys, Root, Signed, Targets, SPEC_VERSION, TOP_LEVEL_ROLES,
};
use crate::names::{is_online_key_name, online_key_name, RoleName};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Records `key` as the repository's online key for `role` ("snapshot online key", see
/// [`online_key_name`]), unless it is recorded as an online key already (one key may serve
/// snapshot and timestamp both); refused when it is a keyholder's offline key. Returns the
/// name recorded.
pub(super) fn name_online_key(c: &mut Ceremony, role: &str, key: &Key) -> Result<String> {
    if let Some(name) = c.keyholder_of(key).filter(|n| is_online_key_name(n)) {
        return Ok(name.to_string());
    }
    let name = online_key_name(role);
    c.name_key(&name, key)?;
    Ok(name)
}

pub(super) fn common(version: u64, expires: i64) -> Common {
    Common {
        spec_version: SPEC_VERSION.into(),
        version,
        expires: crate::time::format_expires(expires),
        expires_at: expires,
    }
}

pub(super) fn check_threshold_reachable(what: &str, threshold: u64, keys: usize) -> Result<()> {
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
pub(super) fn key_type_warnings(
    c: &Ceremony,
    keys: &BTreeMap<String, Key>,
    place: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for (id, key) in keys {
        if let Some(why) = key.caveat() {
            out.push(format!("{place}: {}: {why}", c.describe(id, Some(key))));
        }
    }
    out
}

/// Adds a key to a key map, reusing the keyid of the same key if it is already there.
pub(super) fn insert_key(keys: &mut BTreeMap<String, Key>, key: &Key) -> String {
    let identity = key.identity();
    if let Some((id, _)) = keys.iter().find(|(_, k)| k.identity() == identity) {
        return id.clone();
    }
    let id = key.keyid();
    keys.insert(id.clone(), key.clone());
    id
}

pub(super) fn read_named(
    c: &mut Ceremony,
    named: &[(String, PathBuf)],
) -> Result<Vec<(String, Key)>> {
    let mut out: Vec<(String, Key)> = Vec::new();
    for (name, path) in named {
        if is_online_key_name(name) {
            return Err(Error::Invalid(format!(
                "\"{}\" is how this tool names the repository's online keys, not a person; give the keyholder's own name",
                crate::display::escape(name)
            )));
        }
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

pub(super) fn new_targets(version: u64, expires: i64) -> Targets {
    Targets {
        common: common(version, expires),
        targets: Object::new(),
        delegations: None,
        extra: Object::new(),
    }
}

/// Keyholders and their public keys, in the order given.
pub(super) type NamedKeys = Vec<(String, Key)>;

/// A role's entry in root: its keyids and threshold.
pub(super) fn role_keys(keyids: Vec<String>, threshold: u64) -> RoleKeys {
    RoleKeys {
        keyids,
        threshold,
        extra: Object::new(),
    }
}

/// Metadata with no signatures yet.
pub(super) fn unsigned(signed: Signed) -> Metadata {
    Metadata::unsigned(signed)
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

/// Stages a new role's first (unsigned) version and records its creation (`init`).
pub(super) fn stage_new_role(
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
    let Some(edited) = finish_edit(c, role, md, &before, &mut report)? else {
        return Ok(report);
    };
    p.record(&events::Edit {
        role: role.as_str(),
        action: details.action(),
        version: edited.version,
        payload_sha256: edited.payload_sha256.clone(),
        dropped_signatures: edited.dropped.clone(),
        details,
    })?;
    p.working(role, &edited.md)?;
    Ok(report)
}

/// A role's metadata once edited, ready to be written.
pub(super) struct Edited {
    pub md: Metadata,
    pub version: u64,
    pub payload_sha256: String,
    /// The keyids whose signatures covered the old payload.
    pub dropped: Vec<String>,
}

/// The end of every edit of `role` (whose payload was `before`): the version one past the
/// trusted one (set once), the signatures over the old payload dropped and named, and the
/// rules every version keeps ([`check_separation`], [`check_distinct_people`]). `None`
/// when nothing changed.
pub(super) fn finish_edit(
    c: &Ceremony,
    role: &RoleName,
    mut md: Metadata,
    before: &[u8],
    report: &mut Report,
) -> Result<Option<Edited>> {
    let current = md.version();
    let next = c.next_version(role, current)?;
    md.signed.common_mut().version = next;
    let after = md.payload();
    if after == before {
        report.line(format!("{role}: nothing changed; no new version"));
        return Ok(None);
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
    check_distinct_people(c, role, &md)?;
    Ok(Some(Edited {
        md,
        version: next,
        payload_sha256: digest_hex(&after),
        dropped,
    }))
}

/// A threshold counts keys, and stands for people: "2 of 3 keyholders" means two people
/// must agree (TUF spec 2.1.1, a compromise of fewer than a threshold of keys is survived).
/// So no keyholder may hold two keys of one role, in root or in a delegation from
/// targets: their two signatures would count as two. The repository's online keys are the
/// repository's, not a person's, and a key listed under two keyids is one key (it counts
/// once, spec 5.3.4).
pub(super) fn check_distinct_people(c: &Ceremony, file: &RoleName, md: &Metadata) -> Result<()> {
    type Listing<'m> = (String, &'m BTreeMap<String, Key>, &'m [String], String);
    let lists: Vec<Listing<'_>> = match &md.signed {
        Signed::Root(root) => root
            .roles
            .iter()
            .map(|(n, r)| {
                (
                    format!("the {n} role"),
                    &root.keys,
                    r.keyids.as_slice(),
                    format!("remove the old key first (`tuf-ceremony root remove-key {n} KEYID`)"),
                )
            })
            .collect(),
        Signed::Targets(t) if *file == RoleName::TARGETS => t
            .delegations
            .iter()
            .flat_map(|d| d.roles.iter().flatten().map(move |r| (d, r)))
            .map(|(d, r)| {
                (
                    format!("the delegation to {}", crate::display::escape(&r.name)),
                    &d.keys,
                    r.keyids.as_slice(),
                    format!(
                        "delegate {} again with one key per keyholder",
                        crate::display::escape(&r.name)
                    ),
                )
            })
            .collect(),
        _ => return Ok(()),
    };
    for (what, keys, ids, fix) in lists {
        let mut seen: Vec<(&str, String, &str)> = Vec::new();
        for id in ids {
            let Some(key) = keys.get(id) else { continue };
            let Some(name) = c.keyholder_of(key).filter(|n| !is_online_key_name(n)) else {
                continue;
            };
            let identity = key.identity();
            if let Some((_, _, first)) = seen.iter().find(|(n, i, _)| *n == name && *i != identity)
            {
                return Err(Error::Refused(format!(
                    "{file}: {} would hold two keys of {what} ({} and {}): a threshold must be met by distinct people, so each keyholder has one key in a role and each person one name. Nothing was changed; {fix}",
                    crate::display::escape(name),
                    short(first),
                    short(id)
                )));
            }
            seen.push((name, identity, id));
        }
    }
    Ok(())
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
        Some(name) if is_online_key_name(name) => Some(true),
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
    // One key may be listed under more than one keyid (it is still one key); a name that
    // holds two different keys of the role (the online key's name, shared by an old and a
    // new key) must not remove both at once.
    let mut distinct: Vec<(&str, String)> = Vec::new();
    for id in &by_name {
        if let Some(k) = root.keys.get(id) {
            let identity = k.identity();
            if !distinct.iter().any(|(_, i)| *i == identity) {
                distinct.push((id.as_str(), identity));
            }
        }
    }
    if distinct.len() > 1 {
        let ids: Vec<String> = distinct.iter().map(|(id, _)| short(id)).collect();
        return Err(Error::Invalid(format!(
            "\"{}\" names {} keys of the {role} role: {}. Give the keyid of the one to remove (or its first 8+ hex digits), e.g. `tuf-ceremony root remove-key {role} {}`",
            crate::display::escape(who),
            distinct.len(),
            ids.join(", "),
            crate::display::escape(&distinct[0].0.chars().take(8).collect::<String>())
        )));
    }
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
pub(super) fn rotation_warning(c: &Ceremony, new: &Root) -> Result<Option<String>> {
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
        if is_online_key_name(name) {
            return Err(Error::Invalid(format!(
                "\"{}\" is how this tool names the repository's online keys, not a person; give the keyholder's own name (a new snapshot or timestamp key needs no --keyholder)",
                crate::display::escape(name)
            )));
        }
        c.name_key(name, &key)?;
    } else if (role == "snapshot" || role == "timestamp") && c.keyholder_of(&key).is_none() {
        // A new key for a role the repository signs is its online key.
        name_online_key(c, role, &key)?;
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
    if keyholder.is_some() || c.keyholder_of(&key).is_some_and(is_online_key_name) {
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
    let mut elsewhere = Vec::new();
    let mut report = apply_edit(c, &RoleName::ROOT, details, |md| {
        let root = as_root_mut(md)?;
        let removed: Vec<(String, Key)> = ids
            .iter()
            .filter_map(|id| root.keys.get(id).map(|k| (id.clone(), k.clone())))
            .collect();
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
        // Removed from one role is not removed: a keyholder who still signs another role
        // is still trusted there.
        elsewhere = super::keyholders::still_signs_after_removal(c, root, role, &removed)?;
        Ok(lines)
    })?;
    for line in elsewhere {
        report.warn(line);
    }
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
