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

mod delegations;
#[cfg(test)]
mod tests;
mod words;

pub use words::{describe_with, word};

use crate::json::{Object, Value};
use crate::keys::Key;
use crate::metadata::{DelegatedRole, Delegations, Metadata, Root, Signed, TOP_LEVEL_ROLES};
use crate::succinct::{self, SuccinctRoles};
use delegations::targets_changes;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

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
        was: &'a DelegatedRole,
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
        (
            "keyval.public",
            &old.public.clone().unwrap_or_default(),
            &new.public.clone().unwrap_or_default(),
        ),
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
