//! Computing the changes to a targets role: its target files, the keys it delegates to, its
//! delegated roles (TUF spec 5.6.7) and succinct hash bins (TAP 15, as PEP 480's `claimed`
//! delegates to projects). Root and the fields every role has are compared in [`super`].

use super::{
    delegations_listed, fields, ids, key_list_changes, keyset_changes, object_changes, Change,
    KeyList, Keys, Place, NO_KEYS,
};
use crate::json::Value;
use crate::metadata::{DelegatedRole, Delegations, Targets};
use crate::succinct::{self, SuccinctRoles};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

pub(super) fn targets_changes<'a>(o: &'a Targets, n: &'a Targets, out: &mut Vec<Change<'a>>) {
    let added: Vec<&str> = n
        .targets
        .keys()
        .filter(|k| o.targets.get(k).is_none())
        .map(String::as_str)
        .collect();
    let removed: Vec<&str> = o
        .targets
        .keys()
        .filter(|k| n.targets.get(k).is_none())
        .map(String::as_str)
        .collect();
    let changed: Vec<&str> = n
        .targets
        .iter()
        .filter(|(k, v)| o.targets.get(k).is_some_and(|was| was != *v))
        .map(|(k, _)| k.as_str())
        .collect();
    if !(added.is_empty() && removed.is_empty() && changed.is_empty()) {
        out.push(Change::TargetFiles {
            added,
            removed,
            changed,
        });
    }
    match (&o.delegations, &n.delegations) {
        (None, Some(_)) => out.push(Change::DelegationsAdded),
        (Some(_), None) => out.push(Change::DelegationsRemoved),
        _ => {}
    }
    if o.delegations.is_some() || n.delegations.is_some() {
        delegations_changes(o.delegations.as_ref(), n.delegations.as_ref(), out);
    }
    object_changes(Place::Top, "", Some(&o.extra), Some(&n.extra), &[], out);
}

fn delegations_changes<'a>(
    old: Option<&'a Delegations>,
    new: Option<&'a Delegations>,
    out: &mut Vec<Change<'a>>,
) {
    let keys = |d: Option<&'a Delegations>| d.map_or(&NO_KEYS, |d| &d.keys);
    let roles = |d: Option<&'a Delegations>| d.and_then(|d| d.roles.as_deref()).unwrap_or_default();
    role_list_changes((roles(old), keys(old)), (roles(new), keys(new)), out);
    // An empty `roles` list added or taken away changes nothing above.
    let has_roles = |d: Option<&Delegations>| d.is_some_and(|d| d.roles.is_some());
    if has_roles(old) != has_roles(new) && roles(old).is_empty() && roles(new).is_empty() {
        let empty = |has: bool| has.then(|| Cow::Owned(Value::Array(Vec::new())));
        out.push(Change::Field {
            place: Place::Delegations,
            name: "roles".into(),
            old: empty(has_roles(old)),
            new: empty(has_roles(new)),
            unknown: false,
        });
    }
    let typed = bins_changes(old, new, out);
    let listed = |d: Option<&'a Delegations>| d.map(delegations_listed).unwrap_or_default();
    key_list_changes(
        KeyList::Delegated,
        (keys(old), &listed(old)),
        (keys(new), &listed(new)),
        out,
    );
    let skip = if typed { &[succinct::FIELD][..] } else { &[] };
    object_changes(
        Place::Delegations,
        "",
        old.map(|d| &d.extra),
        new.map(|d| &d.extra),
        skip,
        out,
    );
}

/// Delegated roles added, removed, changed and reordered.
fn role_list_changes<'a>(
    old: (&'a [DelegatedRole], &'a Keys),
    new: (&'a [DelegatedRole], &'a Keys),
    out: &mut Vec<Change<'a>>,
) {
    let ((old_roles, old_keys), (new_roles, new_keys)) = (old, new);
    let old_by_name: HashMap<&str, &DelegatedRole> =
        old_roles.iter().map(|r| (r.name.as_str(), r)).collect();
    let new_names: HashSet<&str> = new_roles.iter().map(|r| r.name.as_str()).collect();
    // The kept delegation each added one is searched before, if any.
    let mut before = vec![None; new_roles.len()];
    let mut next_kept = None;
    for (i, r) in new_roles.iter().enumerate().rev() {
        before[i] = next_kept;
        if old_by_name.contains_key(r.name.as_str()) {
            next_kept = Some(r.name.as_str());
        }
    }
    for (role, before) in new_roles.iter().zip(before) {
        if !old_by_name.contains_key(role.name.as_str()) {
            out.push(Change::DelegationAdded {
                role,
                keys: new_keys,
                before,
            });
            let place = Place::Delegation(&role.name);
            for (name, value) in role.extra.iter() {
                out.push(Change::FieldIs {
                    place,
                    name: name.clone(),
                    value: Cow::Borrowed(value),
                    unknown: true,
                });
            }
        }
    }
    for role in old_roles {
        if !new_names.contains(role.name.as_str()) {
            out.push(Change::DelegationRemoved(&role.name));
        }
    }
    for role in new_roles {
        if let Some(was) = old_by_name.get(role.name.as_str()) {
            delegation_changes((was, old_keys), (role, new_keys), out);
        }
    }
    let kept_old: Vec<&str> = old_roles
        .iter()
        .map(|r| r.name.as_str())
        .filter(|n| new_names.contains(n))
        .collect();
    let kept_new: Vec<&str> = new_roles
        .iter()
        .map(|r| r.name.as_str())
        .filter(|n| old_by_name.contains_key(n))
        .collect();
    if let Some(at) = kept_old.iter().zip(&kept_new).position(|(a, b)| a != b) {
        out.push(Change::DelegationOrder {
            at,
            old: kept_old[at..].to_vec(),
            new: kept_new[at..].to_vec(),
        });
    }
}

/// One delegated role kept: its keys, threshold, paths, terminating and unknown fields.
fn delegation_changes<'a>(
    old: (&'a DelegatedRole, &'a Keys),
    new: (&'a DelegatedRole, &'a Keys),
    out: &mut Vec<Change<'a>>,
) {
    let ((was, old_keys), (role, new_keys)) = (old, new);
    let place = Place::Delegation(&role.name);
    keyset_changes(
        place,
        (ids(&was.keyids), was.threshold, old_keys),
        (ids(&role.keyids), role.threshold, new_keys),
        out,
    );
    if was.paths != role.paths || was.path_hash_prefixes != role.path_hash_prefixes {
        out.push(Change::DelegationScope {
            was,
            role,
            keys: new_keys,
        });
    }
    if was.terminating != role.terminating {
        out.push(Change::Field {
            place,
            name: "terminating".into(),
            old: Some(Cow::Owned(Value::Bool(was.terminating))),
            new: Some(Cow::Owned(Value::Bool(role.terminating))),
            unknown: false,
        });
    }
    object_changes(place, "", Some(&was.extra), Some(&role.extra), &[], out);
}

/// TAP 15 hash bins added, removed or changed. Returns whether both sides were read as
/// TAP 15 (otherwise `succinct_roles` is left to be compared as written).
fn bins_changes<'a>(
    old: Option<&'a Delegations>,
    new: Option<&'a Delegations>,
    out: &mut Vec<Change<'a>>,
) -> bool {
    let of = |d: Option<&'a Delegations>| d.and_then(SuccinctRoles::of);
    let keys = |d: Option<&'a Delegations>| d.map_or(&NO_KEYS, |d| &d.keys);
    match (of(old), of(new)) {
        (None, None) => {}
        (None, Some(Ok(bins))) => {
            let object = bins.object;
            out.push(Change::BinsAdded {
                bins,
                keys: keys(new),
            });
            fields(Place::Succinct, object, &succinct::KNOWN, out);
        }
        (Some(Ok(bins)), None) => out.push(Change::BinsRemoved(bins)),
        (Some(Ok(was)), Some(Ok(is))) => {
            keyset_changes(
                Place::Succinct,
                (was.keyids.iter().copied(), was.threshold, keys(old)),
                (is.keyids.iter().copied(), is.threshold, keys(new)),
                out,
            );
            if was.bit_length != is.bit_length {
                out.push(Change::BitLength {
                    old: was.clone(),
                    new: is.clone(),
                });
            }
            if was.name_prefix != is.name_prefix {
                out.push(Change::NamePrefix {
                    old: was.clone(),
                    new: is.clone(),
                });
            }
            object_changes(
                Place::Succinct,
                "",
                Some(was.object),
                Some(is.object),
                &succinct::KNOWN,
                out,
            );
        }
        (_, Some(Err(why))) => {
            out.push(Change::BinsUnreadable(why));
            return false;
        }
        (Some(Err(_)), _) => return false,
    }
    true
}
