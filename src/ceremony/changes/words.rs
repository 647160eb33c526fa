//! Wording the changes: each [`super::Change`] in plain words, naming keys by their
//! keyholders and summarising long lists, every name and value from the metadata escaped.
//! These lines stand on the signing screen, between the role and the payload digest.

use super::{compute, listed, Change, KeyList, Keys, Listed, Place, SHOW, VALUE_CHARS};
use crate::ceremony::{short, Ceremony};
use crate::display::{escape, quoted, word as escape_word};
use crate::json::Value;
use crate::keys::Key;
use crate::metadata::{DelegatedRole, Metadata};
use crate::succinct::{self, SuccinctRoles};
use std::collections::HashMap;
use std::fmt::Write as _;

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
            Change::DelegationScope { was, role, keys } => format!(
                "delegation {}: {}; now: {}",
                escape(&role.name),
                match (was, role) {
                    (
                        DelegatedRole { paths: Some(old), path_hash_prefixes: None, .. },
                        DelegatedRole { paths: Some(new), path_hash_prefixes: None, .. },
                    ) => format!("paths changed from {} to {}", path_words(old), path_words(new)),
                    _ => format!("changed from {} to {}", self.scope(was), self.scope(role)),
                },
                self.delegation(role, keys)
            ),
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
        let scope = self.scope(role);
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

    /// What a delegation is trusted for: `paths A B` or `hash prefixes …` (empty: neither).
    fn scope(&self, role: &DelegatedRole) -> String {
        match (&role.paths, &role.path_hash_prefixes) {
            (Some(p), _) => format!("paths {}", path_words(p)),
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
        }
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

/// A delegation's path patterns, each escaped, or `(none)` for an empty list.
fn path_words(paths: &[String]) -> String {
    if paths.is_empty() {
        return "(none)".to_string();
    }
    paths
        .iter()
        .map(|p| escape_word(p))
        .collect::<Vec<_>>()
        .join(" ")
}
