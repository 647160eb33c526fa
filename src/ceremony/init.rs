//! `init`: a new ceremony's first metadata. It writes root (with the keyholders' keys and the
//! repository's online keys), targets and, when asked, a first offline delegation, all
//! unsigned, with the keyholders in `ceremony.json`; every file is staged through
//! [`super::pending::Pending`] so a refusal writes nothing.

use super::delegate::{build_delegation, DelegateOptions};
use super::edits::{
    check_distinct_people, check_separation, check_threshold_reachable, common, insert_key,
    key_type_warnings, new_targets, read_named, role_keys, stage_new_role, unsigned, NamedKeys,
};
use super::load_check::delegations_of;
use super::pending::Pending;
use super::{as_root, read_public_key, Ceremony, Report};
use crate::error::Result;
use crate::json::Object;
use crate::keys::Key;
use crate::metadata::{Metadata, Root, Signed};
use crate::names::RoleName;
use crate::outcome::{Refusal, Rejection};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Everything `init` needs: public keys only.
#[derive(Clone, Debug)]
pub struct InitOptions {
    pub keyholders: Vec<(String, PathBuf)>,
    pub root_threshold: u64,
    /// Keys for the targets role; empty means the root keyholders' keys.
    pub targets_keys: Vec<(String, PathBuf)>,
    pub targets_threshold: u64,
    /// `(role, public key file)` for snapshot and timestamp.
    pub online: Vec<(String, PathBuf)>,
    pub root_expires: i64,
    pub targets_expires: i64,
    pub consistent_snapshot: bool,
    /// The spec_version root, targets and the delegated role are written with (validated by
    /// [`crate::clients::check_spec_version`]).
    pub spec_version: String,
    pub delegate: Option<DelegateOptions>,
}

/// `init`: new unsigned root and targets (and a delegated role when asked) from public keys.
pub fn init(c: &mut Ceremony, o: &InitOptions) -> Result<Report> {
    // 1. A new ceremony: no working metadata is ever overwritten, and a folder that
    //    differs from its record is refused first.
    c.held()?;
    refuse_existing_metadata(c)?;
    crate::clients::check_spec_version(&o.spec_version)
        .map_err(|why| Rejection::SpecVersion { why })?;
    // 2. The offline keys, each named for its keyholder, and thresholds they can meet.
    let (root_keys, targets_keys) = read_offline_keys(c, o)?;
    // 3. Root (TUF spec 4.3): the offline keys for root and targets, the online keys for
    //    snapshot and timestamp.
    let mut root_md = new_root(c, o, &root_keys, &targets_keys)?;
    // 4. Targets, with its delegation and the delegated role's empty metadata when asked.
    let (mut targets_md, mut delegated_md) = new_targets_and_delegated(c, o)?;
    for md in [
        Some(&mut root_md),
        Some(&mut targets_md),
        delegated_md.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        md.signed.common_mut().spec_version = o.spec_version.clone();
    }
    // 5. Keyholders' and online keys kept apart, and what clients make of the keys.
    let mut report = Report::default();
    if let Some(d) = &o.delegate {
        if !c.state.delegated.contains(&d.name) {
            c.state.delegated.push(d.name.clone());
        }
    }
    check_separation(c, &RoleName::ROOT, &root_md)?;
    check_distinct_people(c, &RoleName::ROOT, &root_md)?;
    check_distinct_people(c, &RoleName::TARGETS, &targets_md)?;
    for w in key_type_warnings(c, &as_root(&root_md)?.keys, "root") {
        report.warn(w);
    }
    if let Some(d) = delegations_of(&targets_md) {
        for w in key_type_warnings(c, &d.keys, "targets") {
            report.warn(w);
        }
    }
    // 6. Recorded and written together: the delegated role, targets, then root.
    let mut p = Pending::new(c, "init");
    p.state()?;
    if let (Some(d), Some(md)) = (&o.delegate, &delegated_md) {
        stage_new_role(&mut p, c, &d.name, md, &mut report)?;
    }
    stage_new_role(&mut p, c, &RoleName::TARGETS, &targets_md, &mut report)?;
    stage_new_role(&mut p, c, &RoleName::ROOT, &root_md, &mut report)?;
    p.commit()?;
    // 7. What was made, and what the keyholders do next.
    report.line(format!(
        "root: {} of {} keyholders ({}); targets: {} of {}; online snapshot and timestamp keys recorded",
        o.root_threshold,
        root_keys.len(),
        root_keys.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "),
        o.targets_threshold,
        targets_keys.len()
    ));
    // Each keyholder's keyid, for the witness to check against the one written down when
    // the key was made (runbook 01, step 3).
    let mut named: Vec<&str> = o.keyholders.iter().map(|(n, _)| n.as_str()).collect();
    named.extend(o.targets_keys.iter().map(|(n, _)| n.as_str()));
    if let Some(d) = &o.delegate {
        named.extend(d.keys.iter().map(|(n, _)| n.as_str()));
    }
    report.line("keyholders and their keyids (check each against the one written down):");
    for k in c
        .state
        .keyholders
        .iter()
        .filter(|k| named.contains(&k.name.as_str()))
    {
        report.line(format!(
            "  {}: {}",
            crate::display::escape(&k.name),
            k.key.keyid()
        ));
    }
    let mut roles = vec!["root".to_string(), "targets".to_string()];
    if let Some(d) = &o.delegate {
        roles.push(d.name.to_string());
    }
    report.line(format!(
        "Next: the keyholders sign {}: `tuf-ceremony sign ROLE` for each; `tuf-ceremony status` shows who is still needed.",
        roles.join(", ")
    ));
    Ok(report)
}

/// Step 1 of [`init`]: refused when any of the ceremony's working files exists.
fn refuse_existing_metadata(c: &Ceremony) -> Result<()> {
    for role in c.roles() {
        if c.working_path(&role).exists() {
            return Err(Refusal::InitWouldOverwrite {
                file: c.working_path(&role),
            }
            .into());
        }
    }
    Ok(())
}

/// Step 2 of [`init`]: root's keyholders and targets' (root's unless given), each key
/// named for its keyholder, with thresholds those keys can meet.
fn read_offline_keys(c: &mut Ceremony, o: &InitOptions) -> Result<(NamedKeys, NamedKeys)> {
    if o.keyholders.is_empty() {
        return Err(Rejection::InitNeedsKeyholders.into());
    }
    refuse_repeated_names("--keyholder", &o.keyholders)?;
    refuse_repeated_names("--targets-key", &o.targets_keys)?;
    if let Some(d) = &o.delegate {
        refuse_repeated_names("--claimed-key", &d.keys)?;
    }
    let root_keys = read_named(c, &o.keyholders)?;
    let targets_keys = if o.targets_keys.is_empty() {
        root_keys.clone()
    } else {
        read_named(c, &o.targets_keys)?
    };
    check_threshold_reachable("root", o.root_threshold, root_keys.len())?;
    check_threshold_reachable("targets", o.targets_threshold, targets_keys.len())?;
    Ok((root_keys, targets_keys))
}

/// Part of step 2 of [`init`]: one person, one key per role. A threshold is met by
/// distinct people, so a name given twice for one role (`--keyholder alice=k1 --keyholder
/// alice=k2`) would let one person meet a threshold of two alone.
fn refuse_repeated_names(flag: &str, named: &[(String, PathBuf)]) -> Result<()> {
    for (i, (name, path)) in named.iter().enumerate() {
        if let Some((_, first)) = named[..i].iter().find(|(n, _)| n == name) {
            return Err(Refusal::KeyholderTwice {
                flag: flag.to_string(),
                name: name.to_string(),
                first: first.clone(),
                second: path.clone(),
            }
            .into());
        }
    }
    Ok(())
}

/// Step 3 of [`init`]: root version 1, unsigned, listing each key once: root's and
/// targets' offline keys with their thresholds, snapshot's and timestamp's online keys with
/// threshold 1.
fn new_root(
    c: &mut Ceremony,
    o: &InitOptions,
    root_keys: &[(String, Key)],
    targets_keys: &[(String, Key)],
) -> Result<Metadata> {
    let mut keys = BTreeMap::new();
    let mut roles = BTreeMap::new();
    for (role, named, threshold) in [
        ("root", root_keys, o.root_threshold),
        ("targets", targets_keys, o.targets_threshold),
    ] {
        let keyids = named
            .iter()
            .map(|(_, k)| insert_key(&mut keys, k))
            .collect();
        roles.insert(role.to_string(), role_keys(keyids, threshold));
    }
    for online in ["snapshot", "timestamp"] {
        let keyids = read_online_keys(c, o, online, &mut keys)?;
        roles.insert(online.to_string(), role_keys(keyids, 1));
    }
    if let Some((role, _)) = o
        .online
        .iter()
        .find(|(r, _)| r != "snapshot" && r != "timestamp")
    {
        return Err(Rejection::OnlineKeyRole {
            role: role.to_string(),
        }
        .into());
    }
    let root = Root {
        common: common(1, o.root_expires),
        consistent_snapshot: Some(o.consistent_snapshot),
        keys,
        roles,
        extra: Object::new(),
    };
    Ok(unsigned(Signed::Root(root)))
}

/// Part of step 3 of [`init`]: the keyids of the online keys given for `online` (snapshot
/// or timestamp), added to `keys` and named for the repository; at least one is required.
fn read_online_keys(
    c: &mut Ceremony,
    o: &InitOptions,
    online: &str,
    keys: &mut BTreeMap<String, Key>,
) -> Result<Vec<String>> {
    let paths: Vec<&PathBuf> = o
        .online
        .iter()
        .filter(|(r, _)| r == online)
        .map(|(_, p)| p)
        .collect();
    if paths.is_empty() {
        return Err(Rejection::InitNeedsOnlineKey {
            role: online.to_string(),
        }
        .into());
    }
    let mut keyids = Vec::new();
    for p in paths {
        let key = read_public_key(p)?;
        // Named by the roles it signs ("snapshot online key", or "snapshot and timestamp
        // online key" for a key given for both); name_key refuses a keyholder's offline key.
        let mut roles: Vec<&str> = Vec::new();
        for (r, other) in &o.online {
            if !roles.contains(&r.as_str()) && read_public_key(other)?.identity() == key.identity()
            {
                roles.push(r);
            }
        }
        roles.sort_by_key(|r| *r != "snapshot");
        super::edits::name_online_key(c, &roles.join(" and "), &key)?;
        keyids.push(insert_key(keys, &key));
    }
    Ok(keyids)
}

/// Step 4 of [`init`]: targets version 1, unsigned, delegating to the role asked for (if
/// any), and that role's own empty version 1.
fn new_targets_and_delegated(
    c: &mut Ceremony,
    o: &InitOptions,
) -> Result<(Metadata, Option<Metadata>)> {
    let mut targets = new_targets(1, o.targets_expires);
    let mut delegated_md = None;
    if let Some(d) = &o.delegate {
        let (delegations, _) = build_delegation(c, None, d)?;
        targets.delegations = Some(delegations);
        delegated_md = Some(unsigned(Signed::Targets(new_targets(1, d.expires))));
    }
    Ok((unsigned(Signed::Targets(targets)), delegated_md))
}
