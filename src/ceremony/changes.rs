//! What changed against the trusted version, in plain words, so that a keyholder knows what
//! they are about to sign ("sign" shows it; "status" too). Every name and path pattern
//! comes from the metadata and is shown escaped ([`crate::display`]): these lines stand on
//! the signing screen, between the role and the payload digest.

use super::Ceremony;
use crate::display::{escape, word};
use crate::keys::Key;
use crate::metadata::{DelegatedRole, Metadata, Signed, TOP_LEVEL_ROLES};
use std::collections::BTreeMap;

/// How many items of a long list are named before "and N more".
const SHOW: usize = 5;

fn names(c: &Ceremony, keyids: &[&String], keys: &BTreeMap<String, Key>) -> String {
    let mut list: Vec<String> = keyids
        .iter()
        .map(|id| c.describe(id, keys.get(*id)))
        .collect();
    if list.len() > SHOW {
        let more = list.len() - SHOW;
        list.truncate(SHOW);
        list.push(format!("and {more} more"));
    }
    list.join(", ")
}

fn keyset_changes(
    c: &Ceremony,
    what: &str,
    old: (&[String], u64, &BTreeMap<String, Key>),
    new: (&[String], u64, &BTreeMap<String, Key>),
    out: &mut Vec<String>,
) {
    let old_ids: Vec<&String> = old.0.iter().collect();
    let new_ids: Vec<&String> = new.0.iter().collect();
    let old_identities: Vec<String> = old
        .0
        .iter()
        .filter_map(|id| old.2.get(id))
        .map(Key::identity)
        .collect();
    let new_identities: Vec<String> = new
        .0
        .iter()
        .filter_map(|id| new.2.get(id))
        .map(Key::identity)
        .collect();
    let added: Vec<&String> = new_ids
        .iter()
        .copied()
        .filter(|id| {
            new.2
                .get(*id)
                .is_some_and(|k| !old_identities.contains(&k.identity()))
        })
        .collect();
    let removed: Vec<&String> = old_ids
        .iter()
        .copied()
        .filter(|id| {
            old.2
                .get(*id)
                .is_some_and(|k| !new_identities.contains(&k.identity()))
        })
        .collect();
    if !added.is_empty() {
        out.push(format!("{what}: key added for {}", names(c, &added, new.2)));
    }
    if !removed.is_empty() {
        out.push(format!(
            "{what}: key REMOVED (revoked) for {}",
            names(c, &removed, old.2)
        ));
    }
    if old.1 != new.1 {
        out.push(format!(
            "{what}: threshold changes from {} to {} (of {} keys)",
            old.1,
            new.1,
            new.0.len()
        ));
    }
}

fn delegation_line(c: &Ceremony, r: &DelegatedRole, keys: &BTreeMap<String, Key>) -> String {
    let ids: Vec<&String> = r.keyids.iter().collect();
    let scope = match (&r.paths, &r.path_hash_prefixes) {
        (Some(p), _) => format!(
            "paths {}",
            p.iter().map(|p| word(p)).collect::<Vec<_>>().join(" ")
        ),
        (_, Some(h)) => format!("{} hash prefixes", h.len()),
        _ => String::new(),
    };
    format!(
        "{} of [{}], {scope}{}",
        r.threshold,
        names(c, &ids, keys),
        if r.terminating { ", terminating" } else { "" }
    )
}

/// The changes from `old` (the trusted version, if any) to `new`, one line each; long lists
/// of delegation changes are summarised.
pub fn describe(c: &Ceremony, old: Option<&Metadata>, new: &Metadata) -> Vec<String> {
    describe_with(c, old, new, "ROLE", false)
}

/// [`describe`], naming `role_name` in hints, or listing every change when `all`.
pub fn describe_with(
    c: &Ceremony,
    old: Option<&Metadata>,
    new: &Metadata,
    role_name: &str,
    all: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(old) = old else {
        out.push(
            "no trusted version to compare with: this is a first version; here is all it contains"
                .into(),
        );
        match &new.signed {
            Signed::Root(r) => {
                for name in TOP_LEVEL_ROLES {
                    if let Some(role) = r.role(name) {
                        let ids: Vec<&String> = role.keyids.iter().collect();
                        out.push(format!(
                            "{name}: {} of [{}]",
                            role.threshold,
                            names(c, &ids, &r.keys)
                        ));
                    }
                }
            }
            Signed::Targets(t) => {
                out.push(format!("{} target files", t.targets.len()));
                if let Some(d) = &t.delegations {
                    let (roles, keys) = (d.roles.as_deref().unwrap_or_default(), &d.keys);
                    for r in roles.iter().take(SHOW) {
                        out.push(format!(
                            "delegates {}: {}",
                            escape(&r.name),
                            delegation_line(c, r, keys)
                        ));
                    }
                    if roles.len() > SHOW {
                        out.push(format!("… and {} more delegations", roles.len() - SHOW));
                    }
                }
            }
            Signed::Online(_) => {}
        }
        return out;
    };
    let (oc, nc) = (old.signed.common(), new.signed.common());
    if oc.version != nc.version {
        out.push(format!("version {} → {}", oc.version, nc.version));
    }
    if oc.expires != nc.expires {
        out.push(format!("expiry {} → {}", oc.expires, nc.expires));
    }
    match (&old.signed, &new.signed) {
        (Signed::Root(o), Signed::Root(n)) => {
            for name in TOP_LEVEL_ROLES {
                if let (Some(or), Some(nr)) = (o.role(name), n.role(name)) {
                    keyset_changes(
                        c,
                        name,
                        (&or.keyids, or.threshold, &o.keys),
                        (&nr.keyids, nr.threshold, &n.keys),
                        &mut out,
                    );
                }
            }
            if o.consistent_snapshot != n.consistent_snapshot {
                out.push(format!(
                    "consistent_snapshot {:?} → {:?}",
                    o.consistent_snapshot, n.consistent_snapshot
                ));
            }
        }
        (Signed::Targets(o), Signed::Targets(n)) => {
            let added = n
                .targets
                .keys()
                .filter(|k| o.targets.get(k).is_none())
                .count();
            let removed = o
                .targets
                .keys()
                .filter(|k| n.targets.get(k).is_none())
                .count();
            let changed = n
                .targets
                .iter()
                .filter(|(k, v)| o.targets.get(k).is_some_and(|ov| ov != *v))
                .count();
            if added + removed + changed > 0 {
                out.push(format!(
                    "target files: {added} added, {removed} removed, {changed} changed"
                ));
            }
            let empty = BTreeMap::new();
            let okeys = o.delegations.as_ref().map(|d| &d.keys).unwrap_or(&empty);
            let nkeys = n.delegations.as_ref().map(|d| &d.keys).unwrap_or(&empty);
            let oroles: Vec<&DelegatedRole> = o
                .delegations
                .iter()
                .flat_map(|d| d.roles.iter().flatten())
                .collect();
            let nroles: Vec<&DelegatedRole> = n
                .delegations
                .iter()
                .flat_map(|d| d.roles.iter().flatten())
                .collect();
            let oby: BTreeMap<&str, &DelegatedRole> =
                oroles.iter().map(|r| (r.name.as_str(), *r)).collect();
            let nby: BTreeMap<&str, &DelegatedRole> =
                nroles.iter().map(|r| (r.name.as_str(), *r)).collect();
            let mut added = Vec::new();
            let mut changed = Vec::new();
            for r in &nroles {
                match oby.get(r.name.as_str()) {
                    None => added.push(format!(
                        "delegation added: {}: {}",
                        escape(&r.name),
                        delegation_line(c, r, nkeys)
                    )),
                    Some(or) => {
                        let mut lines = Vec::new();
                        keyset_changes(
                            c,
                            &format!("delegation {}", escape(&r.name)),
                            (&or.keyids, or.threshold, okeys),
                            (&r.keyids, r.threshold, nkeys),
                            &mut lines,
                        );
                        if or.paths != r.paths
                            || or.path_hash_prefixes != r.path_hash_prefixes
                            || or.terminating != r.terminating
                        {
                            lines.push(format!(
                                "delegation {} now: {}",
                                escape(&r.name),
                                delegation_line(c, r, nkeys)
                            ));
                        }
                        if !lines.is_empty() {
                            changed.push(lines.join("; "));
                        }
                    }
                }
            }
            let removed: Vec<String> = oroles
                .iter()
                .filter(|r| !nby.contains_key(r.name.as_str()))
                .map(|r| format!("delegation REMOVED: {}", escape(&r.name)))
                .collect();
            let total = added.len() + removed.len() + changed.len();
            if all || total <= 3 * SHOW {
                out.extend(added);
                out.extend(removed);
                out.extend(changed);
            } else {
                // Tens of thousands of projects must not flood the keyholder's screen: counts,
                // the first few of each kind, and where the full list is.
                out.push(format!(
                    "delegations: {} added, {} REMOVED, {} changed ({} in all; the first {SHOW} of each follow; `tuf-ceremony changes {}` lists every one)",
                    added.len(),
                    removed.len(),
                    changed.len(),
                    total,
                    escape(role_name)
                ));
                for list in [added, removed, changed] {
                    let n = list.len();
                    out.extend(list.into_iter().take(SHOW));
                    if n > SHOW {
                        out.push(format!("… and {} more like that", n - SHOW));
                    }
                }
            }
        }
        _ => {}
    }
    if out.is_empty() {
        out.push("no change against the trusted version".into());
    }
    out
}
