//! `keyholder retire`: a keyholder (or one key) removed from every role that lists them, in
//! one recorded edit. A keyholder is trusted wherever a key of theirs is listed: removing
//! them from root alone would leave them signing targets or claimed (see
//! [`super::keyholders`] for where a key is listed).

use super::edits::{finish_edit, rotation_warning};
use super::keyholders::{keys_of, listings, Listing, Wanted};
use super::pending::Pending;
use super::{as_root, read_public_key, Ceremony, Report};
use crate::display::escape;
use crate::error::Result;
use crate::keys::Key;
use crate::metadata::{Metadata, Signed};
use crate::names::{is_online_key_name, RoleName};
use crate::outcome::{Refusal, Rejection};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// Who `keyholder retire` retires: every key recorded for a keyholder, or one key.
#[derive(Clone, Debug)]
pub enum Retiree {
    Name(String),
    /// A keyid, its first 8+ hex digits, or a public key file.
    Key(String),
}

/// Resolves `keyholder retire`'s argument: what to say, the keys, the keyholder's name.
pub(super) fn resolve(c: &Ceremony, who: &Retiree) -> Result<(String, Vec<Key>, Option<String>)> {
    match who {
        Retiree::Name(name) => {
            let keys: Vec<Key> = keys_of(c, name).into_iter().cloned().collect();
            if keys.is_empty() {
                let mut names: Vec<&str> = Vec::new();
                for k in &c.state.keyholders {
                    if !names.contains(&k.name.as_str()) && !is_online_key_name(&k.name) {
                        names.push(&k.name);
                    }
                }
                return Err(Rejection::NoSuchKeyholder {
                    name: name.to_string(),
                    recorded: names.iter().map(|n| n.to_string()).collect(),
                }
                .into());
            }
            Ok((escape(name).into_owned(), keys, Some(name.clone())))
        }
        Retiree::Key(which) => {
            let key = resolve_key(c, which)?;
            let shown = c.describe(&key.keyid(), Some(&key));
            Ok((shown, vec![key], None))
        }
    }
}

/// A keyid, its first 8+ hex digits, or a public key file, as one key: looked up among the
/// keys the ceremony records and those its root and targets list.
pub(super) fn resolve_key(c: &Ceremony, which: &str) -> Result<Key> {
    let path = Path::new(which);
    if path.is_file() {
        return read_public_key(path);
    }
    let prefix = which.to_lowercase();
    if prefix.len() < 8 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Rejection::NotAKey {
            given: which.to_string(),
        }
        .into());
    }
    let mut found: Vec<Key> = Vec::new();
    let mut consider = |id: &str, key: &Key| {
        if id.starts_with(&prefix) && !found.iter().any(|k| k.identity() == key.identity()) {
            found.push(key.clone());
        }
    };
    for k in &c.state.keyholders {
        consider(&k.key.keyid(), &k.key);
    }
    for file in [RoleName::ROOT, RoleName::TARGETS] {
        if let Some(md) = c.working_opt(&file)? {
            for (id, key) in md.own_keys().into_iter().flatten() {
                consider(id, key);
            }
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        found => Err(Rejection::KeyIdPrefix {
            given: which.to_string(),
            found,
        }
        .into()),
    }
}

/// The transcript's record of `keyholder retire`: one `edit` line for every file it
/// changed, naming each role the keys were removed from and its threshold after.
#[derive(Serialize)]
pub(super) struct Retire<'a> {
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyholder: Option<&'a str>,
    /// The keyids removed, in every file.
    keys: Vec<String>,
    roles: Vec<RetiredFrom>,
    versions: Vec<NewVersion>,
}

/// One role the keys were removed from: `role`, listed in `file`, is now `threshold` of
/// `keys`.
#[derive(Serialize)]
pub(super) struct RetiredFrom {
    file: String,
    role: String,
    threshold: u64,
    keys: u64,
}

/// One file's new version, as an `edit` line records it.
#[derive(Serialize)]
pub(super) struct NewVersion {
    role: String,
    version: u64,
    payload_sha256: String,
    dropped_signatures: Vec<String>,
}

/// Removes the keyids of `gone` from every listing in `md`, and the keys no role lists
/// any more.
pub(super) fn remove_keys(md: &mut Metadata, gone: &HashSet<String>) {
    match &mut md.signed {
        Signed::Root(root) => {
            for r in root.roles.values_mut() {
                r.keyids.retain(|id| !gone.contains(id));
            }
            let used: HashSet<&String> = root.roles.values().flat_map(|r| &r.keyids).collect();
            root.keys.retain(|id, _| used.contains(id));
        }
        Signed::Targets(t) => {
            if let Some(d) = &mut t.delegations {
                for r in d.roles.iter_mut().flatten() {
                    r.keyids.retain(|id| !gone.contains(id));
                }
                let used: HashSet<&String> =
                    d.roles.iter().flatten().flat_map(|r| &r.keyids).collect();
                d.keys.retain(|id, _| used.contains(id));
            }
        }
        Signed::Online(_) => {}
    }
}

/// `keyholder retire NAME` or `keyholder retire --key KEYID`: the keyholder's keys (or the
/// one key) removed from every role of the working metadata that lists them, in one
/// recorded edit of each file changed (all or none). Refused, naming each role, when a
/// role would be left with fewer keys than its threshold.
pub fn retire(c: &Ceremony, who: &Retiree) -> Result<Report> {
    let (shown, keys, name) = resolve(c, who)?;
    let wanted = Wanted::new(&keys);
    // 1. Where the keys are listed, and whether every role can still meet its threshold.
    let mut files: Vec<(RoleName, Metadata, Vec<Listing>)> = Vec::new();
    let mut below: Vec<String> = Vec::new();
    for file in c.roles() {
        let Some(md) = c.working_opt(&file)? else {
            continue;
        };
        let found = listings(&md, &file, &wanted);
        if found.is_empty() {
            continue;
        }
        for l in &found {
            if (l.left() as u64) < l.threshold {
                below.push(format!(
                    "{} would have {} key(s) left, below its threshold of {} ({})",
                    l.name(),
                    l.left(),
                    l.threshold,
                    fix_below(l)
                ));
            }
        }
        files.push((file, md, found));
    }
    if files.is_empty() {
        return Err(Refusal::ListedNowhere {
            shown: shown.to_string(),
            dir: c.dir.clone(),
        }
        .into());
    }
    if !below.is_empty() {
        return Err(Refusal::RetireBelowThreshold {
            shown: shown.to_string(),
            below,
        }
        .into());
    }
    // 2. Each file edited: the keys removed, a new version, its signatures dropped.
    let mut report = Report::default();
    let all: Vec<&Listing> = files.iter().flat_map(|(_, _, l)| l).collect();
    report.line(format!(
        "retiring {shown} from every role that lists them: {}",
        all.iter().map(|l| l.name()).collect::<Vec<_>>().join(", ")
    ));
    let mut p = Pending::new(c, "edit");
    let mut event = Retire {
        action: "retire-keyholder",
        keyholder: name.as_deref(),
        keys: Vec::new(),
        roles: Vec::new(),
        versions: Vec::new(),
    };
    let mut warning = None;
    for (file, mut md, found) in files {
        let before = md.payload();
        let gone: HashSet<String> = found.iter().flat_map(|l| l.matched.clone()).collect();
        remove_keys(&mut md, &gone);
        for l in &found {
            report.line(format!(
                "{file}: {shown} removed from {}; {} is now {} of {}",
                l.where_in_file(),
                escape(&l.role),
                l.threshold,
                l.left()
            ));
            event.roles.push(RetiredFrom {
                file: file.to_string(),
                role: l.role.clone(),
                threshold: l.threshold,
                keys: l.left() as u64,
            });
        }
        let mut ids: Vec<String> = gone.into_iter().collect();
        ids.sort();
        for id in ids {
            if !event.keys.contains(&id) {
                event.keys.push(id);
            }
        }
        if file == RoleName::ROOT {
            warning = rotation_warning(c, as_root(&md)?)?;
        }
        let Some(edited) = finish_edit(c, &file, md, &before, &mut report)? else {
            continue;
        };
        event.versions.push(NewVersion {
            role: file.to_string(),
            version: edited.version,
            payload_sha256: edited.payload_sha256.clone(),
            dropped_signatures: edited.dropped.clone(),
        });
        p.working(&file, &edited.md)?;
    }
    p.record(&event)?;
    p.commit()?;
    report.line(format!(
        "{shown} is listed by no role of the working metadata now; clients stop trusting {} once these versions are signed and published. Next: sign each changed role (`tuf-ceremony status` shows who is needed)",
        if name.is_some() { "their keys" } else { "the key" }
    ));
    if let Some(w) = warning {
        report.warn(w);
    }
    Ok(report)
}

/// What to do about a role `keyholder retire` would leave below its threshold.
pub(super) fn fix_below(l: &Listing) -> String {
    let role = escape(&l.role);
    if l.file == RoleName::ROOT {
        format!("add a key first with `tuf-ceremony root add-key {role} NEW.pub.json --keyholder NAME`, or lower the threshold with `tuf-ceremony root set-threshold {role} {}`", l.left().max(1))
    } else if l.file == RoleName::TARGETS {
        format!("delegate {role} again with new keys, `tuf-ceremony delegate {role} --key NAME=PUBFILE … --threshold N`")
    } else {
        format!(
            "give {role} new keys in {} first, or remove its delegation",
            l.file
        )
    }
}

impl super::events::Event for Retire<'_> {
    const NAME: &'static str = "edit";
}
