//! What changed against the trusted version, in plain words, so that a keyholder knows what
//! they are about to sign ("sign" shows it; "changes", "status --changes" and the report
//! too). Every signed byte counts, so every field of `signed` is compared, at every level,
//! whether this tool knows what it means or not: tuf-on-ci keeps its signing policy in
//! `x-` fields, and a key owner's name changed there changes who the repository says may
//! sign.
//!
//! Two phases: [`compute`] compares and gives a list of typed [`Change`] records;
//! [`word`] says each in plain words, naming keys by their keyholders and summarising long
//! lists (PEP 480's claimed delegates to 100,000 projects). Every name, path pattern and
//! value comes from the metadata and is shown escaped ([`crate::display`]): these lines
//! stand on the signing screen, between the role and the payload digest.

use super::{short, Ceremony};
use crate::display::{escape, quoted, word as escape_word};
use crate::json::{Object, Value};
use crate::keys::Key;
use crate::metadata::{
    DelegatedRole, Delegations, Metadata, Root, Signed, Targets, TOP_LEVEL_ROLES,
};
use crate::succinct::{self, SuccinctRoles};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// How many items of a long list are named before "and N more".
const SHOW: usize = 5;

/// How many characters of one value the signing screen shows (`changes ROLE` shows all).
const VALUE_CHARS: usize = 200;

type Keys = BTreeMap<String, Key>;

/// The keys of a targets role that delegates nothing.
static NO_KEYS: Keys = BTreeMap::new();

/// Which list a key is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyList {
    /// Root's `keys`.
    Root,
    /// A targets role's `delegations.keys`.
    Delegated,
}

/// Where in `signed` a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place<'a> {
    /// The top level of `signed`.
    Top,
    /// A top-level role's entry in root's `roles`.
    RootRole(&'a str),
    /// One key of a key list (the new version's key, when it is in both).
    Key {
        list: KeyList,
        keyid: &'a str,
        key: &'a Key,
    },
    /// `delegations`, outside its keys, roles and succinct roles.
    Delegations,
    /// One delegated role.
    Delegation(&'a str),
    /// TAP 15 `succinct_roles`.
    Succinct,
}

/// A keyid as a role lists it, and its key (when the key list has it).
pub type Listed<'a> = (&'a str, Option<&'a Key>);

/// A value as written (borrowed from the metadata) or made from a typed field.
pub type Shown<'a> = Cow<'a, Value>;

/// One change of `signed` against the trusted version, or, for a first version, one thing
/// it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change<'a> {
    /// No trusted version: the records that follow say what this one holds.
    FirstVersion,
    /// The type changed (a file of another role): what follows is what it now holds.
    TypeChanged {
        old: &'a str,
        new: &'a str,
    },
    // What a first version holds.
    /// A top-level role's keys and threshold.
    RoleKeys {
        place: Place<'a>,
        keyids: Vec<Listed<'a>>,
        threshold: u64,
    },
    /// The target files, by path.
    TargetFilesHeld(Vec<&'a str>),
    /// A delegation, in full.
    Delegates {
        role: &'a DelegatedRole,
        keys: &'a Keys,
    },
    /// TAP 15 hash bins, in full.
    Bins {
        bins: SuccinctRoles<'a>,
        keys: &'a Keys,
    },
    /// A field and its value (`unknown`: one TUF does not define).
    FieldIs {
        place: Place<'a>,
        name: String,
        value: Shown<'a>,
        unknown: bool,
    },
    /// A key that no role lists.
    UnlistedKey {
        list: KeyList,
        keyid: &'a str,
        key: &'a Key,
    },
    // What changed.
    Version {
        old: u64,
        new: u64,
    },
    Expires {
        old: &'a str,
        new: &'a str,
    },
    /// A field added (`old` none), removed (`new` none) or changed.
    Field {
        place: Place<'a>,
        name: String,
        old: Option<Shown<'a>>,
        new: Option<Shown<'a>>,
        unknown: bool,
    },
    /// Keys newly trusted for a role (by key, not keyid: a key listed under a second
    /// keyid is not a new key).
    KeysAdded {
        place: Place<'a>,
        keys: Vec<Listed<'a>>,
    },
    /// Keys a role no longer trusts: revoked.
    KeysRemoved {
        place: Place<'a>,
        keys: Vec<Listed<'a>>,
    },
    Threshold {
        place: Place<'a>,
        old: u64,
        new: u64,
        /// How many keyids the new version lists.
        of: usize,
    },
    /// The keyids a role lists changed beyond the keys added and removed: the same keys
    /// under other keyids, or in another order.
    KeyidsChanged {
        place: Place<'a>,
        old: Vec<Listed<'a>>,
        new: Vec<Listed<'a>>,
    },
    /// A key no role lists, added to a key list.
    KeyAdded {
        list: KeyList,
        keyid: &'a str,
        key: &'a Key,
    },
    /// A key no role listed, removed from a key list.
    KeyRemoved {
        list: KeyList,
        keyid: &'a str,
        key: &'a Key,
    },
    TargetFiles {
        added: Vec<&'a str>,
        removed: Vec<&'a str>,
        changed: Vec<&'a str>,
    },
    DelegationsAdded,
    DelegationsRemoved,
    /// A delegation added; `before` is the first kept delegation searched after it, when
    /// it is not added at the end (clients try delegations in order).
    DelegationAdded {
        role: &'a DelegatedRole,
        keys: &'a Keys,
        before: Option<&'a str>,
    },
    DelegationRemoved(&'a str),
    /// A delegation's paths or hash prefixes changed; `role` is the new delegation.
    DelegationScope {
        role: &'a DelegatedRole,
        keys: &'a Keys,
    },
    /// The delegations kept are searched in another order, from position `at` of them on.
    DelegationOrder {
        at: usize,
        old: Vec<&'a str>,
        new: Vec<&'a str>,
    },
    BinsAdded {
        bins: SuccinctRoles<'a>,
        keys: &'a Keys,
    },
    BinsRemoved(SuccinctRoles<'a>),
    BitLength {
        old: SuccinctRoles<'a>,
        new: SuccinctRoles<'a>,
    },
    NamePrefix {
        old: SuccinctRoles<'a>,
        new: SuccinctRoles<'a>,
    },
    /// `succinct_roles` is not what TAP 15 defines (why); it is shown as written.
    BinsUnreadable(String),
}

// ---------------------------------------------------------------------------------------
// Computing the changes.

/// Every difference between `old` (the trusted version, if any) and `new`, or for a first
/// version everything `new` holds.
pub fn compute<'a>(old: Option<&'a Metadata>, new: &'a Metadata) -> Vec<Change<'a>> {
    let mut out = Vec::new();
    let Some(old) = old else {
        out.push(Change::FirstVersion);
        let spec = &new.signed.common().spec_version;
        out.push(Change::FieldIs {
            place: Place::Top,
            name: "spec_version".into(),
            value: Cow::Owned(Value::str(spec)),
            unknown: false,
        });
        contents(new, &mut out);
        return out;
    };
    let (oc, nc) = (old.signed.common(), new.signed.common());
    if oc.version != nc.version {
        out.push(Change::Version {
            old: oc.version,
            new: nc.version,
        });
    }
    if oc.expires != nc.expires {
        out.push(Change::Expires {
            old: &oc.expires,
            new: &nc.expires,
        });
    }
    if oc.spec_version != nc.spec_version {
        out.push(Change::Field {
            place: Place::Top,
            name: "spec_version".into(),
            old: Some(Cow::Owned(Value::str(&oc.spec_version))),
            new: Some(Cow::Owned(Value::str(&nc.spec_version))),
            unknown: false,
        });
    }
    match (&old.signed, &new.signed) {
        (Signed::Root(o), Signed::Root(n)) => root_changes(o, n, &mut out),
        (Signed::Targets(o), Signed::Targets(n)) => targets_changes(o, n, &mut out),
        (Signed::Online(o), Signed::Online(n)) if o.role == n.role => object_changes(
            Place::Top,
            "",
            Some(&o.extra),
            Some(&n.extra),
            &[],
            &mut out,
        ),
        (o, n) => {
            out.push(Change::TypeChanged {
                old: o.type_name(),
                new: n.type_name(),
            });
            contents(new, &mut out);
        }
    }
    out
}

/// What a metadata file holds, for a first version.
fn contents<'a>(md: &'a Metadata, out: &mut Vec<Change<'a>>) {
    match &md.signed {
        Signed::Root(r) => {
            for name in TOP_LEVEL_ROLES {
                if let Some(role) = r.role(name) {
                    let place = Place::RootRole(name);
                    out.push(Change::RoleKeys {
                        place,
                        keyids: listed(role.keyids.iter().map(String::as_str), &r.keys),
                        threshold: role.threshold,
                    });
                    fields(place, &role.extra, &[], out);
                }
            }
            if let Some(cs) = r.consistent_snapshot {
                out.push(Change::FieldIs {
                    place: Place::Top,
                    name: "consistent_snapshot".into(),
                    value: Cow::Owned(Value::Bool(cs)),
                    unknown: false,
                });
            }
            key_list_contents(KeyList::Root, &r.keys, &root_listed(r), out);
            fields(Place::Top, &r.extra, &[], out);
        }
        Signed::Targets(t) => {
            out.push(Change::TargetFilesHeld(
                t.targets.keys().map(String::as_str).collect(),
            ));
            if let Some(d) = &t.delegations {
                for role in d.roles.iter().flatten() {
                    out.push(Change::Delegates {
                        role,
                        keys: &d.keys,
                    });
                    fields(Place::Delegation(&role.name), &role.extra, &[], out);
                }
                match SuccinctRoles::of(d) {
                    Some(Ok(bins)) => {
                        let object = bins.object;
                        out.push(Change::Bins {
                            bins,
                            keys: &d.keys,
                        });
                        fields(Place::Succinct, object, &succinct::KNOWN, out);
                    }
                    Some(Err(why)) => out.push(Change::BinsUnreadable(why)),
                    None => {}
                }
                key_list_contents(KeyList::Delegated, &d.keys, &delegations_listed(d), out);
                let skip = match SuccinctRoles::of(d) {
                    Some(Ok(_)) => &[succinct::FIELD][..],
                    _ => &[],
                };
                fields(Place::Delegations, &d.extra, skip, out);
            }
            fields(Place::Top, &t.extra, &[], out);
        }
        Signed::Online(o) => fields(Place::Top, &o.extra, &[], out),
    }
}

/// Each member of `object` but those in `skip`, as it is (first versions).
fn fields<'a>(place: Place<'a>, object: &'a Object, skip: &[&str], out: &mut Vec<Change<'a>>) {
    for (name, value) in object.iter() {
        if !skip.contains(&name.as_str()) {
            out.push(Change::FieldIs {
                place,
                name: name.clone(),
                value: Cow::Borrowed(value),
                unknown: true,
            });
        }
    }
}

/// The keys of a first version: those no role lists, and every key's unknown fields.
fn key_list_contents<'a>(
    list: KeyList,
    keys: &'a Keys,
    listed: &HashSet<&str>,
    out: &mut Vec<Change<'a>>,
) {
    for (keyid, key) in keys {
        if !listed.contains(keyid.as_str()) {
            out.push(Change::UnlistedKey { list, keyid, key });
        }
        key_fields(list, keyid, key, out);
    }
}

/// A key's unknown fields, as they are.
fn key_fields<'a>(list: KeyList, keyid: &'a str, key: &'a Key, out: &mut Vec<Change<'a>>) {
    let place = Place::Key { list, keyid, key };
    for (name, value) in key.keyval_extra.iter() {
        out.push(Change::FieldIs {
            place,
            name: format!("keyval.{name}"),
            value: Cow::Borrowed(value),
            unknown: true,
        });
    }
    fields(place, &key.extra, &[], out);
}

/// A role's keyids, as they are listed.
fn ids(keyids: &[String]) -> std::iter::Map<std::slice::Iter<'_, String>, fn(&String) -> &str> {
    keyids.iter().map(String::as_str)
}

/// Keyids with their keys.
fn listed<'a>(keyids: impl Iterator<Item = &'a str>, keys: &'a Keys) -> Vec<Listed<'a>> {
    keyids.map(|id| (id, keys.get(id))).collect()
}

/// Every keyid root's roles list.
fn root_listed(root: &Root) -> HashSet<&str> {
    root.roles
        .values()
        .flat_map(|r| r.keyids.iter().map(String::as_str))
        .collect()
}

/// Every keyid a delegations block's roles and hash bins list.
fn delegations_listed(d: &Delegations) -> HashSet<&str> {
    let bins = d
        .extra
        .get(succinct::FIELD)
        .and_then(|s| s.get("keyids"))
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str);
    d.roles
        .iter()
        .flatten()
        .flat_map(|r| r.keyids.iter().map(String::as_str))
        .chain(bins)
        .collect()
}

fn root_changes<'a>(o: &'a Root, n: &'a Root, out: &mut Vec<Change<'a>>) {
    for name in TOP_LEVEL_ROLES {
        if let (Some(or), Some(nr)) = (o.role(name), n.role(name)) {
            let place = Place::RootRole(name);
            keyset_changes(
                place,
                (ids(&or.keyids), or.threshold, &o.keys),
                (ids(&nr.keyids), nr.threshold, &n.keys),
                out,
            );
            object_changes(place, "", Some(&or.extra), Some(&nr.extra), &[], out);
        }
    }
    if o.consistent_snapshot != n.consistent_snapshot {
        let shown = |cs: Option<bool>| cs.map(|b| Cow::Owned(Value::Bool(b)));
        out.push(Change::Field {
            place: Place::Top,
            name: "consistent_snapshot".into(),
            old: shown(o.consistent_snapshot),
            new: shown(n.consistent_snapshot),
            unknown: false,
        });
    }
    key_list_changes(
        KeyList::Root,
        (&o.keys, &root_listed(o)),
        (&n.keys, &root_listed(n)),
        out,
    );
    object_changes(Place::Top, "", Some(&o.extra), Some(&n.extra), &[], out);
}

/// A role's keys and threshold: keys added and removed (by key, not keyid: a key counts
/// once however many keyids point at it), keyids that changed for the same keys, and the
/// threshold.
fn keyset_changes<'a, I>(
    place: Place<'a>,
    old: (I, u64, &'a Keys),
    new: (I, u64, &'a Keys),
    out: &mut Vec<Change<'a>>,
) where
    I: Iterator<Item = &'a str> + Clone,
{
    let ((old_ids, old_threshold, old_keys), (new_ids, new_threshold, new_keys)) = (old, new);
    let same = old_ids.clone().eq(new_ids.clone())
        && old_ids
            .clone()
            .all(|id| old_keys.get(id) == new_keys.get(id));
    if !same {
        // Each keyid with its key and the key's identity, if its key is listed.
        let identified = |ids: I, keys: &'a Keys| -> Vec<Identified<'a>> {
            ids.map(|id| {
                let key = keys.get(id);
                (id, key, key.map(Key::identity))
            })
            .collect()
        };
        let old_list = identified(old_ids, old_keys);
        let new_list = identified(new_ids.clone(), new_keys);
        let added = not_in(&new_list, &old_list);
        let removed = not_in(&old_list, &new_list);
        let rest = |list: &[Identified<'a>], gone: &[Listed<'a>]| -> Vec<&'a str> {
            list.iter()
                .map(|(id, _, _)| *id)
                .filter(|id| !gone.iter().any(|(g, _)| g == id))
                .collect()
        };
        let keyids_changed = rest(&old_list, &removed) != rest(&new_list, &added);
        if !added.is_empty() {
            out.push(Change::KeysAdded { place, keys: added });
        }
        if !removed.is_empty() {
            out.push(Change::KeysRemoved {
                place,
                keys: removed,
            });
        }
        if keyids_changed {
            let plain = |list: Vec<Identified<'a>>| {
                list.into_iter().map(|(id, key, _)| (id, key)).collect()
            };
            out.push(Change::KeyidsChanged {
                place,
                old: plain(old_list),
                new: plain(new_list),
            });
        }
    }
    if old_threshold != new_threshold {
        out.push(Change::Threshold {
            place,
            old: old_threshold,
            new: new_threshold,
            of: new_ids.count(),
        });
    }
}

/// A keyid, its key, and the key's identity (see [`Key::identity`]).
type Identified<'a> = (&'a str, Option<&'a Key>, Option<String>);

/// The keyids of `list` whose key is in `list` but not in `other`.
fn not_in<'a>(list: &[Identified<'a>], other: &[Identified<'a>]) -> Vec<Listed<'a>> {
    let identities: HashSet<&str> = other.iter().filter_map(|(_, _, i)| i.as_deref()).collect();
    list.iter()
        .filter(|(_, _, i)| i.as_deref().is_some_and(|i| !identities.contains(i)))
        .map(|(id, key, _)| (*id, *key))
        .collect()
}

/// A key list: each key's fields, and keys added or removed that no role lists (a key a
/// role lists is shown with that role's keys).
fn key_list_changes<'a>(
    list: KeyList,
    old: (&'a Keys, &HashSet<&str>),
    new: (&'a Keys, &HashSet<&str>),
    out: &mut Vec<Change<'a>>,
) {
    let ((old_keys, old_listed), (new_keys, new_listed)) = (old, new);
    for (keyid, key) in new_keys {
        match old_keys.get(keyid) {
            Some(was) if was != key => key_changes(list, keyid, was, key, out),
            Some(_) => {}
            None => {
                if !new_listed.contains(keyid.as_str()) {
                    out.push(Change::KeyAdded { list, keyid, key });
                }
                key_fields(list, keyid, key, out);
            }
        }
    }
    for (keyid, key) in old_keys {
        if !new_keys.contains_key(keyid) && !old_listed.contains(keyid.as_str()) {
            out.push(Change::KeyRemoved { list, keyid, key });
        }
    }
}

/// One key's fields, known and unknown.
fn key_changes<'a>(
    list: KeyList,
    keyid: &'a str,
    old: &'a Key,
    new: &'a Key,
    out: &mut Vec<Change<'a>>,
) {
    let place = Place::Key {
        list,
        keyid,
        key: new,
    };
    for (name, was, is) in [
        ("keytype", &old.keytype, &new.keytype),
        ("scheme", &old.scheme, &new.scheme),
        ("keyval.public", &old.public, &new.public),
    ] {
        if was != is {
            out.push(Change::Field {
                place,
                name: name.into(),
                old: Some(Cow::Owned(Value::str(was))),
                new: Some(Cow::Owned(Value::str(is))),
                unknown: false,
            });
        }
    }
    object_changes(
        place,
        "keyval.",
        Some(&old.keyval_extra),
        Some(&new.keyval_extra),
        &[],
        out,
    );
    object_changes(place, "", Some(&old.extra), Some(&new.extra), &[], out);
}

/// Members of an object (unknown fields) added, removed or changed; a changed object is
/// compared member by member, so the line names what changed inside it (`x-policy.max`).
fn object_changes<'a>(
    place: Place<'a>,
    prefix: &str,
    old: Option<&'a Object>,
    new: Option<&'a Object>,
    skip: &[&str],
    out: &mut Vec<Change<'a>>,
) {
    let get = |object: Option<&'a Object>, name: &str| object.and_then(|o| o.get(name));
    let field = |name: &str, old: Option<&'a Value>, new: Option<&'a Value>| Change::Field {
        place,
        name: format!("{prefix}{name}"),
        old: old.map(Cow::Borrowed),
        new: new.map(Cow::Borrowed),
        unknown: true,
    };
    for (name, value) in new.into_iter().flat_map(Object::iter) {
        if skip.contains(&name.as_str()) {
            continue;
        }
        match (get(old, name), value) {
            (None, _) => out.push(field(name, None, Some(value))),
            (Some(was), _) if was == value => {}
            (Some(Value::Object(was)), Value::Object(is)) => object_changes(
                place,
                &format!("{prefix}{name}."),
                Some(was),
                Some(is),
                &[],
                out,
            ),
            (Some(was), _) => out.push(field(name, Some(was), Some(value))),
        }
    }
    for (name, value) in old.into_iter().flat_map(Object::iter) {
        if !skip.contains(&name.as_str()) && get(new, name).is_none() {
            out.push(field(name, Some(value), None));
        }
    }
}

fn targets_changes<'a>(o: &'a Targets, n: &'a Targets, out: &mut Vec<Change<'a>>) {
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

// ---------------------------------------------------------------------------------------
// Wording them.

const FIRST_VERSION: &str =
    "no trusted version to compare with: this is a first version; here is all it contains";

/// How the lines of one kind are shown when there are many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    /// Always shown, one line each.
    Each,
    /// A first version's delegations.
    Listed,
    /// Delegations added, removed, changed: summarised together.
    Added,
    Removed,
    Changed,
    /// Changes to a targets role's delegated keys (thousands in PEP 480's claimed).
    DelegatedKeys,
}

impl Group {
    fn of(change: &Change) -> Group {
        match change {
            Change::Delegates { .. } => Group::Listed,
            Change::DelegationAdded { .. } => Group::Added,
            Change::DelegationRemoved(_) => Group::Removed,
            Change::KeyAdded {
                list: KeyList::Delegated,
                ..
            }
            | Change::KeyRemoved {
                list: KeyList::Delegated,
                ..
            }
            | Change::UnlistedKey {
                list: KeyList::Delegated,
                ..
            } => Group::DelegatedKeys,
            other => match place_of(other) {
                Some(Place::Delegation(_)) => Group::Changed,
                Some(Place::Key {
                    list: KeyList::Delegated,
                    ..
                }) => Group::DelegatedKeys,
                _ => Group::Each,
            },
        }
    }

    /// Groups shown (and summarised) together.
    fn block(self) -> u8 {
        match self {
            Group::Each => 0,
            Group::Listed => 1,
            Group::Added | Group::Removed | Group::Changed => 2,
            Group::DelegatedKeys => 3,
        }
    }
}

fn place_of<'a>(change: &Change<'a>) -> Option<Place<'a>> {
    match change {
        Change::RoleKeys { place, .. }
        | Change::FieldIs { place, .. }
        | Change::Field { place, .. }
        | Change::KeysAdded { place, .. }
        | Change::KeysRemoved { place, .. }
        | Change::Threshold { place, .. }
        | Change::KeyidsChanged { place, .. } => Some(*place),
        _ => None,
    }
}

/// The delegated role a change is about, if any: its changes are shown on one line.
fn delegation_of<'a>(change: &Change<'a>) -> Option<&'a str> {
    match change {
        Change::Delegates { role, .. }
        | Change::DelegationAdded { role, .. }
        | Change::DelegationScope { role, .. } => Some(&role.name),
        Change::DelegationRemoved(name) => Some(name),
        other => match place_of(other) {
            Some(Place::Delegation(name)) => Some(name),
            _ => None,
        },
    }
}

/// One line to show: the changes it says (several about one delegation), and its group.
struct Item<'r, 'a> {
    group: Group,
    changes: Vec<&'r Change<'a>>,
}

/// The changes in plain words, one line each (the changes of one delegation on one line);
/// unless `all`, long lists are summarised with counts and the first few of each kind, and
/// long values cut short, with a hint that `changes ROLE_NAME` shows everything.
pub fn word(c: &Ceremony, changes: &[Change], role_name: &str, all: bool) -> Vec<String> {
    let words = Words {
        holders: c
            .state
            .keyholders
            .iter()
            .map(|k| (k.key.identity(), k.name.as_str()))
            .collect(),
        named: Default::default(),
        role: role_name,
        all,
    };
    let mut items: Vec<Item> = Vec::new();
    for change in changes {
        let about = delegation_of(change);
        match items.last_mut() {
            Some(last) if about.is_some() && delegation_of(last.changes[0]) == about => {
                last.changes.push(change)
            }
            _ => items.push(Item {
                group: Group::of(change),
                changes: vec![change],
            }),
        }
    }
    let mut out = Vec::new();
    let mut rest = &items[..];
    while let Some(first) = rest.first() {
        let n = rest
            .iter()
            .position(|i| i.group.block() != first.group.block())
            .unwrap_or(rest.len());
        let (block, after) = rest.split_at(n);
        rest = after;
        match first.group.block() {
            0 => {
                for item in block {
                    out.push(words.item(item));
                    if all {
                        words.target_files(item.changes[0], &mut out);
                    }
                }
            }
            1 => {
                let shown = if all { block.len() } else { SHOW };
                out.extend(block.iter().take(shown).map(|i| words.item(i)));
                if block.len() > shown {
                    out.push(format!("… and {} more delegations", block.len() - shown));
                }
            }
            2 => words.delegation_block(block, &mut out),
            _ => words.key_block(block, &mut out),
        }
    }
    if out.is_empty() {
        out.push("no change against the trusted version".into());
    }
    out
}

/// The changes from `old` (the trusted version, if any) to `new`, one line each: [`compute`]
/// then [`word`].
pub fn describe_with(
    c: &Ceremony,
    old: Option<&Metadata>,
    new: &Metadata,
    role_name: &str,
    all: bool,
) -> Vec<String> {
    word(c, &compute(old, new), role_name, all)
}

struct Words<'c> {
    /// Each keyholder's name by their key's identity (worked out once: naming the keys of
    /// 100,000 delegations asks 100,000 times).
    holders: HashMap<String, &'c str>,
    /// Who holds each key object already named, by its address (thousands of delegations
    /// share a developer's key, and working out a key's identity parses it).
    named: std::cell::RefCell<HashMap<*const Key, Option<&'c str>>>,
    role: &'c str,
    all: bool,
}

impl Words<'_> {
    fn item(&self, item: &Item) -> String {
        item.changes
            .iter()
            .map(|c| self.line(c))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Delegations added, removed and changed: each, or when there are many (and not
    /// `all`), counts and the first few of each kind.
    fn delegation_block(&self, block: &[Item], out: &mut Vec<String>) {
        let kinds = [Group::Added, Group::Removed, Group::Changed]
            .map(|g| block.iter().filter(|i| i.group == g).collect::<Vec<_>>());
        let total = block.len();
        if self.all || total <= 3 * SHOW {
            for kind in &kinds {
                out.extend(kind.iter().map(|i| self.item(i)));
            }
            return;
        }
        // Tens of thousands of projects must not flood the keyholder's screen: counts,
        // the first few of each kind, and where the full list is.
        out.push(format!(
            "delegations: {} added, {} REMOVED, {} changed ({} in all; the first {SHOW} of each follow; `tuf-ceremony changes {}` lists every one)",
            kinds[0].len(),
            kinds[1].len(),
            kinds[2].len(),
            total,
            escape(self.role)
        ));
        for kind in &kinds {
            out.extend(kind.iter().take(SHOW).map(|i| self.item(i)));
            if kind.len() > SHOW {
                out.push(format!("… and {} more like that", kind.len() - SHOW));
            }
        }
    }

    /// Changes to delegated keys: each, or the first few and a count.
    fn key_block(&self, block: &[Item], out: &mut Vec<String>) {
        if self.all || block.len() <= 3 * SHOW {
            out.extend(block.iter().map(|i| self.item(i)));
            return;
        }
        out.push(format!(
            "delegated keys: {} changes (the first {SHOW} follow; `tuf-ceremony changes {}` lists every one)",
            block.len(),
            escape(self.role)
        ));
        out.extend(block.iter().take(SHOW).map(|i| self.item(i)));
        out.push(format!("… and {} more like that", block.len() - SHOW));
    }

    /// Every target file's path, for `changes ROLE` (the screen shows counts).
    fn target_files(&self, change: &Change, out: &mut Vec<String>) {
        let lists: &[(&str, &[&str])] = match change {
            Change::TargetFilesHeld(paths) => &[("", paths)],
            Change::TargetFiles {
                added,
                removed,
                changed,
            } => &[
                (" added", added),
                (" REMOVED", removed),
                (" changed", changed),
            ],
            _ => &[],
        };
        for (what, paths) in lists {
            for path in paths.iter() {
                out.push(format!("target file{what}: {}", quoted(path)));
            }
        }
    }

    fn line(&self, change: &Change) -> String {
        let top = || self.place(&Place::Top);
        match change {
            Change::FirstVersion => FIRST_VERSION.into(),
            Change::TypeChanged { old, new } => format!(
                "{}: the metadata type changed from {} to {}; here is all it now holds",
                top(),
                quoted(old),
                quoted(new)
            ),
            Change::RoleKeys {
                place,
                keyids,
                threshold,
            } => format!("{}: {threshold} of [{}]", self.place(place), self.names(keyids)),
            Change::TargetFilesHeld(paths) => format!("{} target files", paths.len()),
            Change::Delegates { role, keys } => {
                format!("delegates {}: {}", escape(&role.name), self.delegation(role, keys))
            }
            Change::Bins { bins, keys } => format!("{}: {}", succinct::FIELD, self.bins(bins, keys)),
            Change::FieldIs {
                place,
                name,
                value,
                unknown,
            } => self.field_is(place, name, value, *unknown),
            Change::UnlistedKey { list, keyid, key } => {
                self.in_list(*list, keyid, key, ", listed by no role")
            }
            Change::Version { old, new } => format!("version {old} → {new}"),
            Change::Expires { old, new } => format!("expiry {} → {}", escape(old), escape(new)),
            Change::Field {
                place,
                name,
                old,
                new,
                unknown,
            } => self.field(place, name, old.as_deref(), new.as_deref(), *unknown),
            Change::KeysAdded { place, keys } => self.keys(place, "key added for", keys),
            Change::KeysRemoved { place, keys } => {
                self.keys(place, "key REMOVED (revoked) for", keys)
            }
            Change::Threshold { place, old, new, of } => format!(
                "{}: threshold changes from {old} to {new} (of {of} keys)",
                self.place(place)
            ),
            Change::KeyidsChanged { place, old, new } => format!(
                "{}: the keyids listed changed, for the same keys: from [{}] to [{}]",
                self.place(place),
                self.names(old),
                self.names(new)
            ),
            Change::KeyAdded { list, keyid, key } => {
                self.in_list(*list, keyid, key, " added, listed by no role")
            }
            Change::KeyRemoved { list, keyid, key } => {
                self.in_list(*list, keyid, key, " removed (no role listed it)")
            }
            Change::TargetFiles {
                added,
                removed,
                changed,
            } => format!(
                "target files: {} added, {} removed, {} changed",
                added.len(),
                removed.len(),
                changed.len()
            ),
            Change::DelegationsAdded => format!("{}: delegations added", top()),
            Change::DelegationsRemoved => format!("{}: delegations REMOVED", top()),
            Change::DelegationAdded { role, keys, before } => {
                self.delegation_added(role, keys, *before)
            }
            Change::DelegationRemoved(name) => format!("delegation REMOVED: {}", escape(name)),
            Change::DelegationScope { role, keys } => {
                format!("delegation {} now: {}", escape(&role.name), self.delegation(role, keys))
            }
            Change::DelegationOrder { at, old, new } => format!(
                "delegations: the search order changed (clients try delegations in order): from the delegation kept at position {} on, now {}; it was {}",
                at + 1,
                name_list(new),
                name_list(old)
            ),
            Change::BinsAdded { bins, keys } => {
                format!("{} added: {}", succinct::FIELD, self.bins(bins, keys))
            }
            Change::BinsRemoved(bins) => format!(
                "{} REMOVED: its {} are no longer delegated",
                succinct::FIELD,
                bin_names(bins)
            ),
            Change::BitLength { old, new } => format!(
                "{}: bit length changed from {} to {}: {} (were {}, {})",
                succinct::FIELD,
                old.bit_length,
                new.bit_length,
                bin_range(new),
                old.bins(),
                bin_first_last(old)
            ),
            Change::NamePrefix { old, new } => format!(
                "{}: name prefix changed from {} to {}: {} (were {})",
                succinct::FIELD,
                quoted(old.name_prefix),
                quoted(new.name_prefix),
                bin_first_last(new),
                bin_first_last(old)
            ),
            Change::BinsUnreadable(why) => format!(
                "{}: not a TAP 15 hash-bin delegation ({why}); shown as written",
                succinct::FIELD
            ),
        }
    }

    /// A field as a first version holds it.
    fn field_is(&self, place: &Place, name: &str, value: &Value, unknown: bool) -> String {
        let (place, name, value) = (self.place(place), escape_word(name), self.value(value));
        if unknown {
            format!("{place}: unknown field {name}: {value}")
        } else {
            format!("{place}: {name} is {value}")
        }
    }

    /// "keys: key 1a2b3c4d… (alice)" and what became of it.
    fn in_list(&self, list: KeyList, keyid: &str, key: &Key, what: &str) -> String {
        format!("{}: {}{what}", list_name(list), self.key(keyid, key))
    }

    /// "root: key added for alice (key 1a2b3c4d…)".
    fn keys(&self, place: &Place, what: &str, keys: &[Listed]) -> String {
        format!("{}: {what} {}", self.place(place), self.names(keys))
    }

    fn delegation_added(&self, role: &DelegatedRole, keys: &Keys, before: Option<&str>) -> String {
        let mut line = format!(
            "delegation added: {}: {}",
            escape(&role.name),
            self.delegation(role, keys)
        );
        if let Some(next) = before {
            let _ = write!(line, ", searched before {}", escape(next));
        }
        line
    }

    fn field(
        &self,
        place: &Place,
        name: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        unknown: bool,
    ) -> String {
        let place = self.place(place);
        let name = escape_word(name);
        let what = if unknown { "unknown field " } else { "" };
        match (old, new) {
            (Some(old), Some(new)) => format!(
                "{place}: {what}{name} changed from {} to {}",
                self.value(old),
                self.value(new)
            ),
            (None, Some(new)) if unknown => {
                format!("{place}: {what}{name} added: {}", self.value(new))
            }
            (None, Some(new)) => {
                format!(
                    "{place}: {name} set to {} (it was not set)",
                    self.value(new)
                )
            }
            (Some(old), None) => {
                format!("{place}: {what}{name} removed (it was {})", self.value(old))
            }
            (None, None) => format!("{place}: {what}{name}"),
        }
    }

    fn place(&self, place: &Place) -> String {
        match place {
            Place::Top => escape(self.role).into_owned(),
            Place::RootRole(name) => escape(name).into_owned(),
            Place::Key { list, keyid, key } => {
                format!("{}: {}", list_name(*list), self.key(keyid, key))
            }
            Place::Delegations => "delegations".into(),
            Place::Delegation(name) => format!("delegation {}", escape(name)),
            Place::Succinct => succinct::FIELD.into(),
        }
    }

    /// The keyholder who holds `key`, if this ceremony records one (as
    /// [`Ceremony::keyholder_of`]).
    fn holder(&self, key: &Key) -> Option<&str> {
        *self
            .named
            .borrow_mut()
            .entry(key as *const Key)
            .or_insert_with(|| self.holders.get(&key.identity()).copied())
    }

    /// "key 1a2b3c4d… (alice)", or "key 1a2b3c4d…" for a key no keyholder holds.
    fn key(&self, keyid: &str, key: &Key) -> String {
        match self.holder(key) {
            Some(name) => format!("key {} ({})", short(keyid), escape(name)),
            None => format!("key {}", short(keyid)),
        }
    }

    /// Keys by keyholder name; a long list names the first few. A keyid with no key (TAP
    /// 15 bins may list one) is shown whole.
    fn names(&self, listed: &[Listed]) -> String {
        let mut names: Vec<String> = listed
            .iter()
            .take(SHOW)
            .map(|(id, key)| match key.map(|k| (k, self.holder(k))) {
                // As Ceremony::describe words them.
                Some((_, Some(name))) => format!("{} (key {})", escape(name), short(id)),
                Some((_, None)) => format!("an unnamed key {}", short(id)),
                None => format!("keyid {} (no such key)", quoted(id)),
            })
            .collect();
        if listed.len() > SHOW {
            names.push(format!("and {} more", listed.len() - SHOW));
        }
        names.join(", ")
    }

    /// A delegation: its keys and threshold, what it is trusted for, whether terminating.
    fn delegation(&self, role: &DelegatedRole, keys: &Keys) -> String {
        let scope = match (&role.paths, &role.path_hash_prefixes) {
            (Some(p), _) => format!(
                "paths {}",
                p.iter()
                    .map(|p| escape_word(p))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            (_, Some(h)) => {
                let shown = if self.all { h.len() } else { 2 * SHOW };
                let mut words: Vec<String> = h
                    .iter()
                    .take(shown)
                    .map(|p| escape_word(p).into_owned())
                    .collect();
                if h.len() > shown {
                    words.push(format!("and {} more", h.len() - shown));
                }
                format!("hash prefixes {}", words.join(" "))
            }
            _ => String::new(),
        };
        format!(
            "{} of [{}], {scope}{}",
            role.threshold,
            self.names(&listed(role.keyids.iter().map(String::as_str), keys)),
            if role.terminating {
                ", terminating"
            } else {
                ""
            }
        )
    }

    /// TAP 15 hash bins: how many, their names, their keys and threshold.
    fn bins(&self, bins: &SuccinctRoles, keys: &Keys) -> String {
        format!(
            "every target path is delegated to {} (name prefix {}, bit length {}), each signed by {} of [{}]",
            bin_range(bins),
            quoted(bins.name_prefix),
            bins.bit_length,
            bins.threshold,
            self.names(&listed(bins.keyids.iter().copied(), keys))
        )
    }

    /// A value as JSON-like text (strings quoted and escaped); cut short on the signing
    /// screen when long.
    fn value(&self, value: &Value) -> String {
        let mut text = String::new();
        value_text(value, &mut text);
        let chars = text.chars().count();
        if self.all || chars <= VALUE_CHARS {
            return text;
        }
        let mut cut: String = text.chars().take(VALUE_CHARS).collect();
        let _ = write!(
            cut,
            "… ({chars} characters; `tuf-ceremony changes {}` shows it whole)",
            escape(self.role)
        );
        cut
    }
}

fn list_name(list: KeyList) -> &'static str {
    match list {
        KeyList::Root => "keys",
        KeyList::Delegated => "delegated keys",
    }
}

/// "256 hash bins, bins-00 … bins-ff".
fn bin_range(bins: &SuccinctRoles) -> String {
    format!("{} hash bins, {}", bins.bins(), bin_first_last(bins))
}

/// "256 hash bins (bins-00 … bins-ff)".
fn bin_names(bins: &SuccinctRoles) -> String {
    format!("{} hash bins ({})", bins.bins(), bin_first_last(bins))
}

/// "bins-00 … bins-ff".
fn bin_first_last(bins: &SuccinctRoles) -> String {
    let (first, last) = bins.first_and_last();
    format!("{} … {}", escape(&first), escape(&last))
}

/// The first few names of a list, and how many more.
fn name_list(names: &[&str]) -> String {
    let mut shown: Vec<String> = names
        .iter()
        .take(SHOW)
        .map(|n| escape(n).into_owned())
        .collect();
    if names.len() > SHOW {
        shown.push(format!("and {} more", names.len() - SHOW));
    }
    shown.join(", ")
}

/// A value as JSON-like text: strings [`quoted`], integers, booleans and null as JSON
/// writes them, arrays and objects with their members.
fn value_text(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Str(s) => out.push_str(&quoted(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value_text(item, out);
            }
            out.push(']');
        }
        Value::Object(object) => {
            out.push('{');
            for (i, (name, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quoted(name));
                out.push_str(": ");
                value_text(item, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceremony::{short, Keyholder, State};
    use crate::json::{self, Value};

    fn key(seed: u8) -> Key {
        Key::ed25519(&ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key())
    }

    /// A ceremony whose keyholders are alice (key 1) and bob (key 2); carol (key 3) is
    /// nobody's.
    fn ceremony() -> Ceremony {
        let holder = |name: &str, seed| Keyholder {
            name: name.into(),
            key: key(seed),
        };
        Ceremony {
            dir: std::path::PathBuf::from("/nonexistent"),
            state: State {
                keyholders: vec![holder("alice", 1), holder("bob", 2)],
                delegated: Vec::new(),
            },
            now: 0,
            trust: Default::default(),
        }
    }

    fn id(seed: u8) -> String {
        key(seed).keyid()
    }

    fn key_json(seed: u8, extra: &str) -> String {
        let k = key(seed);
        format!(
            r#""{}":{{"keytype":"ed25519","scheme":"ed25519","keyval":{{"public":"{}"}}{extra}}}"#,
            k.keyid(),
            k.public
        )
    }

    /// Root v1: alice and bob hold root, alice targets, bob snapshot and timestamp; alice's
    /// key says who owns it, and there are unknown fields at three levels.
    fn root() -> Value {
        let (a, b) = (id(1), id(2));
        let text = format!(
            r#"{{"signatures":[],"signed":{{"_type":"root","spec_version":"1.0.31","version":1,
            "expires":"2030-01-01T00:00:00Z","consistent_snapshot":true,
            "keys":{{{},{}}},
            "roles":{{"root":{{"keyids":["{a}","{b}"],"threshold":1,"x-r":1}},
              "targets":{{"keyids":["{a}"],"threshold":1}},
              "snapshot":{{"keyids":["{b}"],"threshold":1}},
              "timestamp":{{"keyids":["{b}"],"threshold":1}}}},
            "x-top":{{"a":{{"b":1}},"list":[1,2]}}}}}}"#,
            key_json(1, r#","x-keyowner":"@alice""#),
            key_json(2, "")
        );
        json::parse(text.as_bytes()).unwrap()
    }

    /// Targets v1: one target file; claimed (paths) and rc (hash prefixes) delegated, with
    /// unknown fields in a delegation, in delegations and at the top.
    fn targets() -> Value {
        let (a, b) = (id(1), id(2));
        let text = format!(
            r#"{{"signatures":[],"signed":{{"_type":"targets","spec_version":"1.0.31","version":1,
            "expires":"2030-01-01T00:00:00Z",
            "targets":{{"a.tgz":{{"length":1,"hashes":{{"sha256":"00"}},"custom":{{"x":1}}}}}},
            "delegations":{{"keys":{{{},{}}},"x-d":1,
              "roles":[{{"name":"claimed","keyids":["{a}"],"threshold":1,"terminating":false,
                         "paths":["*/*","b/*"],"x-note":"n"}},
                       {{"name":"rc","keyids":["{b}"],"threshold":1,"terminating":false,
                         "path_hash_prefixes":["00","01"]}}]}},
            "x-policy":{{"k":"v"}}}}}}"#,
            key_json(1, ""),
            key_json(2, "")
        );
        json::parse(text.as_bytes()).unwrap()
    }

    /// Targets v1 delegating every path to 256 hash bins (TAP 15) under bob's key.
    fn bins() -> Value {
        let b = id(2);
        let text = format!(
            r#"{{"signatures":[],"signed":{{"_type":"targets","spec_version":"1.0.31","version":1,
            "expires":"2030-01-01T00:00:00Z","targets":{{}},
            "delegations":{{"keys":{{{}}},
              "succinct_roles":{{"keyids":["{b}"],"threshold":1,"bit_length":8,"name_prefix":"bins","x-s":1}}}}}}}}"#,
            key_json(2, "")
        );
        json::parse(text.as_bytes()).unwrap()
    }

    /// The value at `path` (object keys, or array indexes) under `signed`.
    fn at<'v>(doc: &'v mut Value, path: &[&str]) -> &'v mut Value {
        let mut v = match doc {
            Value::Object(o) => o.get_mut("signed").unwrap(),
            _ => unreachable!(),
        };
        for step in path {
            v = match v {
                Value::Object(o) => o.get_mut(step).unwrap(),
                Value::Array(items) => &mut items[step.parse::<usize>().unwrap()],
                _ => panic!("{step}"),
            };
        }
        v
    }

    fn edited(doc: &Value, path: &[&str], value: Value) -> Value {
        let mut doc = doc.clone();
        *at(&mut doc, path) = value;
        doc
    }

    fn md(doc: &Value) -> Metadata {
        Metadata::from_value(doc.clone()).unwrap()
    }

    fn changes(role: &str, old: &Value, new: &Value) -> Vec<String> {
        describe_with(&ceremony(), Some(&md(old)), &md(new), role, true)
    }

    fn has(lines: &[String], want: &str) {
        assert!(
            lines.iter().any(|l| l.contains(want)),
            "no line says {want:?}:\n{}",
            lines.join("\n")
        );
    }

    #[test]
    fn a_changed_spec_version_is_shown() {
        let new = edited(&root(), &["spec_version"], Value::str("1.0.19"));
        has(
            &changes("root", &root(), &new),
            r#"root: spec_version changed from "1.0.31" to "1.0.19""#,
        );
    }

    #[test]
    fn consistent_snapshot_flipped_is_shown_in_plain_words() {
        let new = edited(&root(), &["consistent_snapshot"], Value::Bool(false));
        let lines = changes("root", &root(), &new);
        has(
            &lines,
            "root: consistent_snapshot changed from true to false",
        );
        let mut unset = root();
        if let Value::Object(o) = at(&mut unset, &[]) {
            o.remove("consistent_snapshot");
        }
        has(
            &changes("root", &root(), &unset),
            "root: consistent_snapshot removed (it was true)",
        );
        has(
            &changes("root", &unset, &root()),
            "root: consistent_snapshot set to true (it was not set)",
        );
    }

    #[test]
    fn a_keys_owner_field_changed_is_shown_with_its_keyholder() {
        let new = edited(
            &root(),
            &["keys", &id(1), "x-keyowner"],
            Value::str("@mallory"),
        );
        let lines = changes("root", &root(), &new);
        has(
            &lines,
            &format!(
                r#"keys: key {} (alice): unknown field x-keyowner changed from "@alice" to "@mallory""#,
                short(&id(1))
            ),
        );
    }

    #[test]
    fn an_unknown_top_level_field_added_or_removed_is_shown() {
        let mut new = targets();
        if let Value::Object(o) = at(&mut new, &[]) {
            o.remove("x-policy");
            o.insert("x-rules", Value::object(vec![("max", Value::Int(3))]));
        }
        let lines = changes("targets", &targets(), &new);
        has(
            &lines,
            r#"targets: unknown field x-rules added: {"max": 3}"#,
        );
        has(
            &lines,
            r#"targets: unknown field x-policy removed (it was {"k": "v"})"#,
        );
        // Nested: only the member that changed.
        let deep = edited(&root(), &["x-top", "a", "b"], Value::Int(2));
        has(
            &changes("root", &root(), &deep),
            "root: unknown field x-top.a.b changed from 1 to 2",
        );
    }

    #[test]
    fn a_nested_unknown_field_in_a_delegated_role_is_shown() {
        let new = edited(
            &targets(),
            &["delegations", "roles", "0", "x-note"],
            Value::str("changed"),
        );
        has(
            &changes("targets", &targets(), &new),
            r#"delegation claimed: unknown field x-note changed from "n" to "changed""#,
        );
        let new = edited(&targets(), &["delegations", "x-d"], Value::Int(2));
        has(
            &changes("targets", &targets(), &new),
            "delegations: unknown field x-d changed from 1 to 2",
        );
    }

    #[test]
    fn succinct_roles_are_shown_and_their_changes_too() {
        let first = describe_with(&ceremony(), None, &md(&bins()), "targets", false);
        has(
            &first,
            "succinct_roles: every target path is delegated to 256 hash bins, bins-00 … bins-ff (name prefix \"bins\", bit length 8), each signed by 1 of [bob (key ",
        );
        let two_keys = {
            let mut doc = edited(
                &bins(),
                &["delegations", "succinct_roles", "threshold"],
                Value::Int(2),
            );
            let c = id(3);
            *at(&mut doc, &["delegations", "succinct_roles", "keyids"]) =
                Value::Array(vec![Value::str(id(2)), Value::str(&c)]);
            let keys = json::parse(format!("{{{}}}", key_json(3, "")).as_bytes()).unwrap();
            if let (Value::Object(o), Value::Object(k)) =
                (at(&mut doc, &["delegations", "keys"]), keys)
            {
                for (name, v) in k.into_members() {
                    o.insert(name, v);
                }
            }
            doc
        };
        let lines = changes("targets", &bins(), &two_keys);
        has(
            &lines,
            "succinct_roles: threshold changes from 1 to 2 (of 2 keys)",
        );
        has(
            &lines,
            &format!(
                "succinct_roles: key added for an unnamed key {}",
                short(&id(3))
            ),
        );
        let wider = edited(
            &bins(),
            &["delegations", "succinct_roles", "bit_length"],
            Value::Int(10),
        );
        has(
            &changes("targets", &bins(), &wider),
            "succinct_roles: bit length changed from 8 to 10: 1024 hash bins, bins-000 … bins-3ff (were 256, bins-00 … bins-ff)",
        );
        let renamed = edited(
            &bins(),
            &["delegations", "succinct_roles", "name_prefix"],
            Value::str("b"),
        );
        has(
            &changes("targets", &bins(), &renamed),
            r#"succinct_roles: name prefix changed from "bins" to "b": b-00 … b-ff (were bins-00 … bins-ff)"#,
        );
    }

    /// Targets delegating to `names`, each project to its own key (seed 10 + i), whose
    /// owner field says `owner`; each delegation notes `note`.
    fn projects(names: &[String], owner: &str, note: &str) -> Value {
        let keys: Vec<String> = (0..names.len())
            .map(|i| key_json(10 + i as u8, &format!(r#","x-keyowner":"{owner}{i}""#)))
            .collect();
        let roles: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                format!(
                    r#"{{"name":"{n}","keyids":["{}"],"threshold":1,"terminating":true,"paths":["{n}/*"],"x-note":"{note}"}}"#,
                    id(10 + i as u8)
                )
            })
            .collect();
        let text = format!(
            r#"{{"signatures":[],"signed":{{"_type":"targets","spec_version":"1.0.31","version":1,
            "expires":"2030-01-01T00:00:00Z","targets":{{}},
            "delegations":{{"keys":{{{}}},"roles":[{}]}}}}}}"#,
            keys.join(","),
            roles.join(",")
        );
        json::parse(text.as_bytes()).unwrap()
    }

    /// PEP 480's claimed delegates to 100,000 projects: the signing screen shows counts and
    /// the first few of each kind, `changes` every one.
    #[test]
    fn long_lists_stay_summarised_on_the_screen_and_whole_in_changes() {
        let c = ceremony();
        let name = |i: usize| format!("p{i:02}");
        let old: Vec<String> = (0..40).map(name).collect();
        // p00..p19 kept (p00..p19 with a new note), p20..p39 removed, p40..p59 added.
        let new: Vec<String> = (0..20).chain(40..60).map(name).collect();
        let (old, new) = (projects(&old, "@a", "n"), projects(&new, "@a", "changed"));
        let (old, new) = (md(&old), md(&new));
        let screen = describe_with(&c, Some(&old), &new, "claimed", false);
        has(&screen, "delegations: 20 added, 20 REMOVED, 20 changed (60 in all; the first 5 of each follow; `tuf-ceremony changes claimed` lists every one)");
        assert_eq!(
            screen
                .iter()
                .filter(|l| l.as_str() == "… and 15 more like that")
                .count(),
            3,
            "{screen:#?}"
        );
        assert!(screen.len() < 30, "{screen:#?}");
        let every = describe_with(&c, Some(&old), &new, "claimed", true);
        for kind in ["delegation added: ", "delegation REMOVED: ", "delegation p"] {
            assert_eq!(
                every.iter().filter(|l| l.starts_with(kind)).count(),
                20,
                "{kind}: {every:#?}"
            );
        }
        has(
            &every,
            r#"delegation p19: unknown field x-note changed from "n" to "changed""#,
        );

        // Thousands of developer keys with a changed owner field.
        let names: Vec<String> = (0..40).map(name).collect();
        let old = md(&projects(&names, "@a", "n"));
        let new = md(&projects(&names, "@b", "n"));
        let screen = describe_with(&c, Some(&old), &new, "claimed", false);
        has(&screen, "delegated keys: 40 changes (the first 5 follow; `tuf-ceremony changes claimed` lists every one)");
        has(&screen, "… and 35 more like that");
        let key = screen
            .iter()
            .find(|l| l.starts_with("delegated keys: key "))
            .unwrap();
        assert!(
            key.contains(r#": unknown field x-keyowner changed from "@a"#)
                && key.contains(r#"" to "@b"#),
            "{key}"
        );
        assert_eq!(
            describe_with(&c, Some(&old), &new, "claimed", true).len(),
            40
        );

        // A first version: the first few delegations, or every one.
        let first = describe_with(&c, None, &old, "claimed", false);
        has(&first, "… and 35 more delegations");
        let every = describe_with(&c, None, &old, "claimed", true);
        assert_eq!(
            every.iter().filter(|l| l.starts_with("delegates ")).count(),
            40
        );
    }

    /// A long value is cut short on the signing screen, with where to see it whole.
    #[test]
    fn a_long_value_is_cut_short_on_the_screen_only() {
        let long = "x".repeat(1000);
        let new = edited(&targets(), &["x-policy", "k"], Value::str(&long));
        let c = ceremony();
        let (old, new) = (md(&targets()), md(&new));
        let screen = describe_with(&c, Some(&old), &new, "targets", false);
        has(
            &screen,
            "… (1002 characters; `tuf-ceremony changes targets` shows it whole)",
        );
        assert!(screen.iter().all(|l| l.len() < 400), "{screen:#?}");
        let every = describe_with(&c, Some(&old), &new, "targets", true);
        has(
            &every,
            &format!("targets: unknown field x-policy.k changed from \"v\" to \"{long}\""),
        );
    }

    /// Values are shown so that no two look alike: quotes and backslashes escaped, hidden
    /// characters as escapes.
    #[test]
    fn values_are_shown_escaped() {
        let new = edited(
            &targets(),
            &["x-policy", "k"],
            Value::str("a\"b\\c\u{1b}[2J\u{202e}"),
        );
        has(
            &changes("targets", &targets(), &new),
            r#"targets: unknown field x-policy.k changed from "v" to "a\"b\\c\u{1b}[2J\u{202e}""#,
        );
        let mut renamed = targets();
        if let Value::Object(o) = at(&mut renamed, &[]) {
            o.insert("x-\n a", Value::Null);
        }
        has(
            &changes("targets", &targets(), &renamed),
            r#"targets: unknown field x-\n\u{20}a added: null"#,
        );
    }

    /// Keys a role lists under other keyids, or in another order, and delegations searched
    /// in another order, are shown; a delegation added before others says so.
    #[test]
    fn keyids_and_order_are_shown() {
        let swapped = {
            let mut doc = root();
            *at(&mut doc, &["roles", "root", "keyids"]) =
                Value::Array(vec![Value::str(id(2)), Value::str(id(1))]);
            doc
        };
        has(
            &changes("root", &root(), &swapped),
            "root: the keyids listed changed, for the same keys: from [alice (key ",
        );
        let reordered = {
            let mut doc = targets();
            if let Value::Array(roles) = at(&mut doc, &["delegations", "roles"]) {
                roles.reverse();
            }
            doc
        };
        has(
            &changes("targets", &targets(), &reordered),
            "delegations: the search order changed (clients try delegations in order): from the delegation kept at position 1 on, now rc, claimed; it was claimed, rc",
        );
        let inserted = {
            let mut doc = targets();
            if let Value::Array(roles) = at(&mut doc, &["delegations", "roles"]) {
                let mut first = roles[1].clone();
                if let Value::Object(o) = &mut first {
                    o.insert("name", Value::str("early"));
                }
                roles.insert(0, first);
            }
            doc
        };
        has(
            &changes("targets", &targets(), &inserted),
            "delegation added: early: 1 of [bob (key ",
        );
        has(
            &changes("targets", &targets(), &inserted),
            ", searched before claimed",
        );
    }

    /// The signing screen counts target files; `changes` names each.
    #[test]
    fn target_files_are_counted_on_the_screen_and_named_in_changes() {
        let c = ceremony();
        let mut new = targets();
        if let Value::Object(files) = at(&mut new, &["targets"]) {
            let file = files.get("a.tgz").unwrap().clone();
            files.insert("b.tgz", file);
        }
        let (old, new) = (md(&targets()), md(&new));
        let screen = describe_with(&c, Some(&old), &new, "targets", false);
        has(&screen, "target files: 1 added, 0 removed, 0 changed");
        assert!(!screen.iter().any(|l| l.contains("b.tgz")), "{screen:#?}");
        has(
            &describe_with(&c, Some(&old), &new, "targets", true),
            r#"target file added: "b.tgz""#,
        );
        let first = describe_with(&c, None, &new, "targets", true);
        has(&first, "2 target files");
        has(&first, r#"target file: "a.tgz""#);
    }

    /// Every signed byte counts: for a corpus of edits (each member removed, an unknown one
    /// added to each object, each value changed, each list reversed), the change is shown,
    /// and no line holds Rust's debugging text.
    #[test]
    fn every_edit_of_a_corpus_is_shown_in_plain_words() {
        let c = ceremony();
        let mut shown = 0;
        for (role, base) in [
            ("root", root()),
            ("targets", targets()),
            ("targets", bins()),
        ] {
            let before = md(&base);
            let first = describe_with(&c, None, &before, role, true);
            no_debug_text(&first);
            for new in edits(&base) {
                let Ok(after) = Metadata::from_value(new) else {
                    continue;
                };
                if after.payload() == before.payload() {
                    continue;
                }
                for all in [true, false] {
                    let lines = describe_with(&c, Some(&before), &after, role, all);
                    no_debug_text(&lines);
                    assert!(
                        lines != ["no change against the trusted version"],
                        "an edit of {role} was not shown:\n{}",
                        String::from_utf8_lossy(&after.payload())
                    );
                }
                shown += 1;
            }
        }
        assert!(shown > 100, "only {shown} edits were tried");
    }

    fn no_debug_text(lines: &[String]) {
        for l in lines {
            assert!(
                !l.contains("Some(") && !l.contains("None"),
                "Rust debugging text: {l}"
            );
        }
    }

    /// Every edit of one step: each member removed, a member added to each object, each
    /// scalar changed, each list of two or more reversed.
    fn edits(doc: &Value) -> Vec<Value> {
        let mut paths: Vec<Vec<String>> = Vec::new();
        fn walk(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
            out.push(path.clone());
            match v {
                Value::Object(o) => {
                    for (k, child) in o.iter() {
                        path.push(k.clone());
                        walk(child, path, out);
                        path.pop();
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        path.push(i.to_string());
                        walk(child, path, out);
                        path.pop();
                    }
                }
                _ => {}
            }
        }
        walk(doc.get("signed").unwrap(), &mut Vec::new(), &mut paths);
        let mut out = Vec::new();
        for path in &paths {
            let steps: Vec<&str> = path.iter().map(String::as_str).collect();
            let mut with = |f: &dyn Fn(&mut Value) -> bool| {
                let mut d = doc.clone();
                if f(at(&mut d, &steps)) {
                    out.push(d);
                }
            };
            with(&|v| match v {
                Value::Object(o) => {
                    o.insert("x-new", Value::str("v"));
                    true
                }
                Value::Array(items) if items.len() > 1 => {
                    items.reverse();
                    true
                }
                Value::Bool(b) => {
                    *b = !*b;
                    true
                }
                Value::Int(i) => {
                    *i += 1;
                    true
                }
                Value::Str(s) => {
                    s.push('x');
                    true
                }
                _ => false,
            });
            with(&|v| match v {
                Value::Str(s) if s.starts_with("20") => {
                    *s = "2031-01-01T00:00:00Z".into();
                    true
                }
                Value::Str(s) if s.starts_with("1.") => {
                    *s = "1.0.19".into();
                    true
                }
                _ => false,
            });
            if let Some((last, parent)) = steps.split_last() {
                let mut d = doc.clone();
                match at(&mut d, parent) {
                    Value::Object(o) => {
                        o.remove(last);
                    }
                    Value::Array(items) => {
                        items.remove(last.parse::<usize>().unwrap());
                    }
                    _ => {}
                }
                out.push(d);
            }
        }
        out
    }
}
