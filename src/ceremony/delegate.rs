//! `delegate`: a delegation from targets to a role (TUF spec 5.6.7), signed offline in this
//! ceremony (PEP 480's `claimed`) or online by the repository. The new role's name, keys and
//! paths are checked before targets is changed.

use super::edits::{
    check_threshold_reachable, insert_key, key_type_warnings, new_targets, read_named, stage_edit,
    stage_new_role, unsigned, NamedKeys,
};
use super::events::EditDetails;
use super::pending::Pending;
use super::{read_public_key, Ceremony, Report};
use crate::error::Result;
use crate::json::Object;
use crate::keys::Key;
use crate::metadata::{DelegatedRole, Delegations, Signed};
use crate::names::{self as names, NameKind, RoleName};
use crate::outcome::Rejection;
use std::collections::BTreeMap;
use std::path::PathBuf;

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
pub(super) fn build_delegation(
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
    let roles = delegations.roles.get_or_insert_with(Vec::new);
    let was = roles.iter().find(|r| d.name == r.name.as_str());
    let role = delegated_role(d, ids, was);
    // 4. The role added, or the delegation of the same name replaced.
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
        return Err(Rejection::DelegationNeedsKeys {
            role: d.name.to_string(),
        }
        .into());
    }
    if !d.keys.is_empty() && !d.online_keys.is_empty() {
        return Err(Rejection::OfflineAndOnline {
            role: d.name.to_string(),
        }
        .into());
    }
    let mut named = read_named(c, &d.keys)?;
    for path in &d.online_keys {
        let key = read_public_key(path)?;
        let name = super::edits::name_online_key(c, &d.name, &key)?;
        if !named.iter().any(|(_, k)| k.identity() == key.identity()) {
            named.push((name, key));
        }
    }
    Ok(named)
}

/// Step 3 of [`build_delegation`]: the delegated role, trusted for `d`'s paths. Without
/// `--path`, a delegation that exists (`was`) keeps what it is trusted for (its paths or
/// hash prefixes): replacing claimed's `*/*` by `*` would leave it trusted for no project
/// file, since `*` matches within one path segment. A new one is trusted for `*`.
fn delegated_role(
    d: &DelegateOptions,
    keyids: Vec<String>,
    was: Option<&DelegatedRole>,
) -> DelegatedRole {
    let (paths, path_hash_prefixes) = match was {
        _ if !d.paths.is_empty() => (Some(d.paths.clone()), None),
        Some(was) => (was.paths.clone(), was.path_hash_prefixes.clone()),
        None => (Some(vec!["*".to_string()]), None),
    };
    DelegatedRole {
        name: d.name.to_string(),
        keyids,
        threshold: d.threshold,
        terminating: d.terminating,
        paths,
        path_hash_prefixes,
        extra: Object::new(),
    }
}

/// A delegation's scope in words: its paths, or its hash prefixes.
fn scope_words(r: &DelegatedRole) -> String {
    match (&r.paths, &r.path_hash_prefixes) {
        (Some(p), _) if p.is_empty() => "no paths".to_string(),
        (Some(p), _) => p
            .iter()
            .map(|p| crate::display::word(p).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        (None, Some(h)) => format!("{} hash prefix(es)", h.len()),
        (None, None) => "nothing".to_string(),
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
            let paths = if r.paths != role.paths || r.path_hash_prefixes != role.path_hash_prefixes
            {
                format!(
                    "; paths changed from {} to {}",
                    scope_words(r),
                    scope_words(&role)
                )
            } else {
                format!(", paths {} kept", scope_words(&role))
            };
            *r = DelegatedRole { extra, ..role };
            format!(
                "targets: delegation to {} updated: {} of {} keys{paths}",
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
                return Err(Rejection::NotOfType {
                    file: "targets.json",
                    expected: "targets",
                }
                .into())
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
