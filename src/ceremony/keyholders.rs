//! Keyholders across every role at once. A person is trusted wherever one of their keys is
//! listed: in root (for root, targets, snapshot, timestamp), in targets' delegations (such
//! as PEP 480's claimed) and in the delegations of the roles this ceremony signs. Removing
//! them from root alone leaves them trusted for the rest (TUF spec 5.6: a client trusts a
//! delegated role's keys from its delegator, not from root). So:
//! - `keyholder retire` removes a keyholder's keys (or one key) from every role that lists
//!   them, as one recorded edit of every file it changes, refused if any role would be left
//!   below its threshold;
//! - `root remove-key` and `status` say when someone left root but still signs elsewhere;
//! - `key show` with a ceremony folder says where the ceremony trusts a key;
//! - `load` says when the keys it brought in have no keyholder named.

use super::{as_root, short, Ceremony};
use crate::display::escape;
use crate::error::Result;
use crate::keys::Key;
use crate::metadata::{Metadata, Root, Signed};
use crate::names::RoleName;
use std::collections::{BTreeMap, HashSet};

/// Some keys, matched by the key itself (its identity), never by keyid alone: the same
/// key may be listed under either keyid convention.
pub(super) struct Wanted {
    pub(super) identities: HashSet<String>,
    /// The public key as written, without spaces and in lower case: a cheap first look
    /// before a key's identity is computed, for files of many keys (a PyPI-scale claimed).
    pub(super) publics: HashSet<String>,
}

impl Wanted {
    pub(super) fn new<'a>(keys: impl IntoIterator<Item = &'a Key>) -> Wanted {
        let mut w = Wanted {
            identities: HashSet::new(),
            publics: HashSet::new(),
        };
        for k in keys {
            w.identities.insert(k.identity());
            w.publics.insert(written(k));
        }
        w
    }

    /// Whether `key` is one of these keys. Not `thorough`: only a key written as one of
    /// these is looked at further (the same key in another PEM layout is missed).
    pub(super) fn matches(&self, key: &Key, thorough: bool) -> bool {
        (thorough || self.publics.contains(&written(key)))
            && self.identities.contains(&key.identity())
    }
}

fn written(key: &Key) -> String {
    key.public
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// One role listing some of the wanted keys: in root (`file` root, `role` root, targets,
/// snapshot or timestamp) or in a delegation of `file`.
#[derive(Clone, Debug)]
pub(super) struct Listing {
    pub(super) file: RoleName,
    pub(super) role: String,
    pub(super) threshold: u64,
    /// How many keyids the role lists now.
    pub(super) listed: usize,
    /// The keyids of the wanted keys among them.
    pub(super) matched: Vec<String>,
}

impl Listing {
    /// "root", "claimed", "requests (delegated by claimed)": the roles of root and of
    /// targets' delegations are the ceremony's own names; a delegation further down is
    /// named with its delegator.
    pub(super) fn name(&self) -> String {
        if self.file == RoleName::ROOT || self.file == RoleName::TARGETS {
            escape(&self.role).into_owned()
        } else {
            format!("{} (delegated by {})", escape(&self.role), self.file)
        }
    }

    /// "the targets role", "the delegation to claimed", as the file's edit line says it.
    pub(super) fn where_in_file(&self) -> String {
        if self.file == RoleName::ROOT {
            format!("the {} role", escape(&self.role))
        } else {
            format!("the delegation to {}", escape(&self.role))
        }
    }

    pub(super) fn left(&self) -> usize {
        self.listed - self.matched.len()
    }
}

/// Every role in `md` (the file of `file`) that lists one of the wanted keys.
pub(super) fn listings(md: &Metadata, file: &RoleName, wanted: &Wanted) -> Vec<Listing> {
    let thorough = *file == RoleName::ROOT || *file == RoleName::TARGETS;
    let (keys, roles): (_, Vec<(&str, &[String], u64)>) = match &md.signed {
        Signed::Root(root) => (
            &root.keys,
            root.roles
                .iter()
                .map(|(n, r)| (n.as_str(), r.keyids.as_slice(), r.threshold))
                .collect(),
        ),
        Signed::Targets(t) => match &t.delegations {
            Some(d) => (
                &d.keys,
                d.roles
                    .iter()
                    .flatten()
                    .map(|r| (r.name.as_str(), r.keyids.as_slice(), r.threshold))
                    .collect(),
            ),
            None => return Vec::new(),
        },
        Signed::Online(_) => return Vec::new(),
    };
    let found: HashSet<&str> = keys
        .iter()
        .filter(|(_, k)| wanted.matches(k, thorough))
        .map(|(id, _)| id.as_str())
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    roles
        .into_iter()
        .filter_map(|(role, ids, threshold)| {
            let matched: Vec<String> = ids
                .iter()
                .filter(|id| found.contains(id.as_str()))
                .cloned()
                .collect();
            (!matched.is_empty()).then(|| Listing {
                file: file.clone(),
                role: role.to_string(),
                threshold,
                listed: ids.len(),
                matched,
            })
        })
        .collect()
}

/// The keys recorded for keyholder `name`.
pub(super) fn keys_of<'c>(c: &'c Ceremony, name: &str) -> Vec<&'c Key> {
    c.state
        .keyholders
        .iter()
        .filter(|k| k.name == name)
        .map(|k| &k.key)
        .collect()
}

/// Every listing of the wanted keys in the working metadata, root's first; `root` in place
/// of the working root when given (an edit not yet written).
pub(super) fn working_listings(
    c: &Ceremony,
    wanted: &Wanted,
    root: Option<&Root>,
) -> Result<Vec<Listing>> {
    let mut out = Vec::new();
    for file in c.roles() {
        if file == RoleName::ROOT {
            if let Some(r) = root {
                let md = Metadata::unsigned(Signed::Root(r.clone()));
                out.extend(listings(&md, &file, wanted));
                continue;
            }
        }
        if let Some(md) = c.working_opt(&file)? {
            out.extend(listings(&md, &file, wanted));
        }
    }
    Ok(out)
}

/// Whom a removed key stands for: its keyholder (all their keys), or the key alone.
pub(super) fn holder(c: &Ceremony, id: &str, key: &Key) -> (String, Vec<Key>, String) {
    match c.keyholder_of(key) {
        Some(name) => (
            escape(name).into_owned(),
            keys_of(c, name).into_iter().cloned().collect(),
            format!("tuf-ceremony keyholder retire {}", escape(name)),
        ),
        None => (
            format!("key {}", short(id)),
            vec![key.clone()],
            format!(
                "tuf-ceremony keyholder retire --key {}",
                id.chars().take(16).collect::<String>()
            ),
        ),
    }
}

/// "dave is no longer a root keyholder" / "dave no longer signs targets".
fn left_role(who: &str, role: &str) -> String {
    if role == "root" {
        format!("{who} is no longer a root keyholder")
    } else {
        format!("{who} no longer signs {}", escape(role))
    }
}

/// After `root remove-key ROLE`: for each keyholder (or unnamed key) removed from `role`
/// of `new_root` who still signs another role, a line saying where, and how to retire
/// them from every role.
pub(super) fn still_signs_after_removal(
    c: &Ceremony,
    new_root: &Root,
    role: &str,
    removed: &[(String, Key)],
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for (id, key) in removed {
        let (who, keys, retire) = holder(c, id, key);
        if done.contains(&who) {
            continue;
        }
        done.push(who.clone());
        let wanted = Wanted::new(&keys);
        let places = working_listings(c, &wanted, Some(new_root))?;
        if places
            .iter()
            .any(|l| l.file == RoleName::ROOT && l.role == role)
        {
            continue; // still in the role with another of their keys
        }
        if let Some(list) = place_list(&places) {
            out.push(format!(
                "{} but still signs {list}. To remove them from every role: `{retire}`",
                left_role(&who, role)
            ));
        }
    }
    Ok(out)
}

/// "targets, claimed": each role once, in order.
fn place_list(places: &[Listing]) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for l in places {
        let n = l.name();
        if !names.contains(&n) {
            names.push(n);
        }
    }
    (!names.is_empty()).then(|| names.join(", "))
}

/// For `status`: each keyholder of the trusted root's root role whom the working root no
/// longer lists there, but whom another role of the working metadata still lists ("dave is
/// no longer a root keyholder but still signs targets").
pub fn status_lines(c: &Ceremony) -> Result<Vec<String>> {
    let (Some(trusted), Some(working)) =
        (c.trusted(&RoleName::ROOT)?, c.working_opt(&RoleName::ROOT)?)
    else {
        return Ok(Vec::new());
    };
    let (old, new) = (as_root(&trusted)?, as_root(&working)?);
    let (Some(old_role), Some(new_role)) = (old.role("root"), new.role("root")) else {
        return Ok(Vec::new());
    };
    let now: Vec<&Key> = new_role
        .keyids
        .iter()
        .filter_map(|id| new.keys.get(id))
        .collect();
    let still_root = |keys: &[Key]| {
        let wanted = Wanted::new(keys);
        now.iter().any(|k| wanted.matches(k, true))
    };
    let removed: Vec<(String, Key)> = old_role
        .keyids
        .iter()
        .filter_map(|id| old.keys.get(id).map(|k| (id.clone(), k.clone())))
        .collect();
    let mut out = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for (id, key) in &removed {
        let (who, keys, retire) = holder(c, id, key);
        if done.contains(&who) || still_root(&keys) {
            continue;
        }
        done.push(who.clone());
        let places = working_listings(c, &Wanted::new(&keys), None)?;
        if let Some(list) = place_list(&places) {
            out.push(format!(
                "{} but still signs {list} (`{retire}` removes them from every role)",
                left_role(&who, "root")
            ));
        }
    }
    Ok(out)
}

/// For `key show` in a ceremony folder: who the ceremony records as the key's holder, and
/// every role that lists it, in the working and in the trusted metadata.
pub fn key_show_lines(c: &Ceremony, key: &Key) -> Result<(Vec<String>, crate::json::Value)> {
    use crate::json::Value;
    let wanted = Wanted::new([key]);
    let mut lines = vec![format!("in the ceremony {}:", crate::display::path(&c.dir))];
    let holder = c.keyholder_of(key);
    lines.push(match holder {
        Some(name) => format!("  keyholder   {}", escape(name)),
        None => "  keyholder   none recorded (`sign` and `merge` refuse its signatures until one is named with `load --keyholder NAME=PUBFILE`)".to_string(),
    });
    let mut json = BTreeMap::new();
    for (label, trusted) in [("working", false), ("trusted", true)] {
        let mut parts: Vec<String> = Vec::new();
        let mut found: Vec<Value> = Vec::new();
        for file in c.roles() {
            let md = if trusted {
                c.trusted(&file)?
            } else {
                c.working_opt(&file)?
            };
            let Some(md) = md else { continue };
            let here = listings(&md, &file, &wanted);
            if here.is_empty() {
                continue;
            }
            let roles: Vec<String> = here.iter().map(|l| escape(&l.role).into_owned()).collect();
            parts.push(format!(
                "{file} v{} lists it for {}",
                md.version(),
                roles.join(", ")
            ));
            found.push(Value::object(vec![
                ("file", Value::str(file.as_str())),
                ("version", Value::Int(md.version().into())),
                (
                    "roles",
                    Value::Array(here.iter().map(|l| Value::str(&l.role)).collect()),
                ),
            ]));
        }
        lines.push(format!(
            "  {label:<11} {}",
            if parts.is_empty() {
                format!("no role of the {label} metadata lists it")
            } else {
                parts.join("; ")
            }
        ));
        json.insert(label, Value::Array(found));
    }
    let value = Value::object(vec![
        ("keyholder", holder.map(Value::str).unwrap_or(Value::Null)),
        ("working", json.remove("working").unwrap_or(Value::Null)),
        ("trusted", json.remove("trusted").unwrap_or(Value::Null)),
    ]);
    Ok((lines, value))
}

/// For `load`: the keys that may sign root, targets or a role this ceremony signs offline
/// with no keyholder named, in one warning saying how to name them. `sign` and `merge`
/// refuse their signatures until then: a signature is recorded for the keyholder the
/// ceremony records, never for a name a person or a file gives.
pub fn unnamed_keys_warning(c: &Ceremony) -> Result<Option<String>> {
    let mut unnamed: Vec<String> = Vec::new();
    let mut roles: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut note = |role: &str, id: &str, key: &Key| {
        if c.keyholder_of(key).is_some() {
            return;
        }
        if seen.insert(key.identity()) {
            unnamed.push(short(id));
        }
        if !roles.iter().any(|r| r == role) {
            roles.push(role.to_string());
        }
    };
    if let Some(md) = c.working_opt(&RoleName::ROOT)? {
        let root = as_root(&md)?;
        for role in ["root", "targets"] {
            for id in root.role(role).map(|r| r.keyids.as_slice()).unwrap_or(&[]) {
                if let Some(k) = root.keys.get(id) {
                    note(role, id, k);
                }
            }
        }
    }
    if let Some(t) = c.working_opt(&RoleName::TARGETS)? {
        if let Some(d) = t.targets().and_then(|t| t.delegations.as_ref()) {
            for r in d.roles.iter().flatten() {
                if !c.state.delegated.iter().any(|n| n == r.name.as_str()) {
                    continue;
                }
                for id in &r.keyids {
                    if let Some(k) = d.keys.get(id) {
                        note(&r.name, id, k);
                    }
                }
            }
        }
    }
    if unnamed.is_empty() {
        return Ok(None);
    }
    let dir = crate::display::path(&c.dir);
    Ok(Some(format!(
        "no keyholder is named for {} key(s) that sign {} ({}). `sign` and `merge` refuse a signature by a key whose holder is not recorded (a name given with --as or written in a file is only its word). Name each keyholder: `tuf-ceremony -C {dir} load {dir}/root.json --keyholder NAME=PUBFILE …` loads the working file again unchanged and records the names",
        unnamed.len(),
        roles.iter().map(|r| escape(r).into_owned()).collect::<Vec<_>>().join(", "),
        unnamed.join(", ")
    )))
}
