//! Proof of possession: has the holder of each key added in this ceremony shown that they
//! hold it?
//!
//! A public key handed to the administrator proves nothing about who holds the private
//! half: a mistyped file, someone else's key, or a key whose device was wiped would sign
//! nothing, and a root listing it would be one key short of its threshold the day it is
//! needed. So each key added to an offline role in this ceremony (by `init`, `root add-key`,
//! `delegate` or `claimed add-project`: any key the working metadata lists that its trusted
//! version did not) is *unproven* until a signature by it has been verified here:
//!
//! - a `sign` entry in the transcript whose signature verifies again, with the key it
//!   records, over a payload the folder holds ([`super::evidence`]);
//! - a `merge` entry whose signatures verify again likewise;
//! - a `transcript sign` entry that still verifies over the transcript
//!   ([`super::transcript_sign`]): the way a key that signs no metadata in this ceremony (a
//!   claimed project's developer, a new keyholder of a role not signed today) is proven;
//! - a signature that verifies now in the working metadata (one carried in by `load`).
//!
//! A `sign` or `merge` line is taken for its evidence, not its word: a line that only says
//! a key signed (an older transcript's, or one appended by hand with the chain kept) proves
//! nothing, nor does one whose signature was over a payload an edit has since replaced.
//!
//! Everything is derived from the transcript and the metadata: no state of its own.

use super::{short, Ceremony, Report};
use crate::display::escape;
use crate::error::Result;
use crate::json::Value;
use crate::keys::Key;
use crate::metadata::Metadata;
use crate::names::RoleName;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

/// One key an offline role lists.
#[derive(Clone, Debug)]
pub struct ListedKey {
    /// `root`, `targets`, a delegated role such as `claimed`, or `claimed's projects`.
    pub role: String,
    pub keyid: String,
    /// [`Key::identity`], worked out once: a PyPI-scale claimed role lists 100,000 keys,
    /// and each identity decodes the key.
    pub identity: String,
    /// For a key a delegated role delegates to (a claimed project's developer key): that
    /// role, whose `projects` rules in the ceremony policy apply to it.
    pub projects_of: Option<String>,
}

/// The keys the ceremony's offline roles list, in the working metadata or (with `trusted`)
/// in the trusted versions: root's root and targets keys, each offline delegated role's
/// keys as targets delegates them, and the keys each offline delegated role delegates to
/// (PEP 480's claimed projects). Online roles are left out: their keys never sign here,
/// and so is root's `targets` role in a root-only ceremony ([`super::root_only`]): there
/// the repository signs targets online (RSTUF's one online key for targets, snapshot and
/// timestamp), so its key is never asked to prove itself offline.
pub fn listed_keys(c: &Ceremony, trusted: bool) -> Result<Vec<ListedKey>> {
    let mut out = Vec::new();
    for role in c.roles() {
        let md = if trusted {
            c.trusted(&role)?
        } else {
            c.working_opt(&role)?
        };
        if let Some(md) = md {
            listed_in(c, &role, &md, &mut out);
        }
    }
    Ok(out)
}

/// The keys of [`listed_keys`] that one role's metadata holds: root holds root's and
/// targets' keys, targets the offline delegated roles' keys, a delegated role its projects'.
fn listed_in(c: &Ceremony, role: &RoleName, md: &Metadata, out: &mut Vec<ListedKey>) {
    let projects_of = (md.root().is_none() && *role != RoleName::TARGETS).then(|| role.to_string());
    let mut push =
        |name: &str, keyids: &mut dyn Iterator<Item = &String>, keys: &BTreeMap<String, Key>| {
            for id in keyids {
                if let Some(k) = keys.get(id) {
                    out.push(ListedKey {
                        role: name.to_string(),
                        keyid: id.clone(),
                        identity: k.identity(),
                        projects_of: projects_of.clone(),
                    });
                }
            }
        };
    if let Some(r) = md.root() {
        // A root-only ceremony signs targets online: its keys never sign here.
        let offline: &[&str] = if super::root_only::is_root_only(c).unwrap_or(false) {
            &["root"]
        } else {
            &["root", "targets"]
        };
        for &name in offline {
            if let Some(rk) = r.role(name) {
                push(name, &mut rk.keyids.iter(), &r.keys);
            }
        }
        return;
    }
    let Some(d) = md.targets().and_then(|t| t.delegations.as_ref()) else {
        return;
    };
    if *role == RoleName::TARGETS {
        for name in &c.state.delegated {
            if let Some(dr) = d.role(name) {
                push(name, &mut dr.keyids.iter(), &d.keys);
            }
        }
    } else {
        push(&format!("{role}'s projects"), &mut d.keys.keys(), &d.keys);
    }
}

/// What proof of possession needs from the working metadata: the keys listed (see
/// [`listed_keys`]) and the keys whose signatures count in it now (by identity).
#[derive(Default)]
pub struct Working {
    listed: Vec<ListedKey>,
    counted: HashSet<String>,
    /// Each role's metadata as listed, and where its keys are in `listed`.
    roles: Vec<(RoleName, super::Parsed, std::ops::Range<usize>)>,
}

impl Working {
    /// Adds one role's working metadata, given the keys whose signatures count in it (by
    /// identity). `status` hands over what it has just read and checked, so a PyPI-scale
    /// claimed.json is read once per command.
    pub fn add(
        &mut self,
        c: &Ceremony,
        role: &RoleName,
        md: &super::Parsed,
        counted: HashSet<String>,
    ) {
        let from = self.listed.len();
        listed_in(c, role, &md.0, &mut self.listed);
        self.roles
            .push((role.clone(), Rc::clone(md), from..self.listed.len()));
        self.counted.extend(counted);
    }

    /// The keys the trusted versions list. A trusted file parsed from the very bytes of
    /// the working one (the same snapshot entry) lists what the working one lists, so
    /// those are taken from here rather than worked out again.
    fn trusted_listed(&self, c: &Ceremony) -> Result<Vec<ListedKey>> {
        let mut out = Vec::new();
        for role in c.roles() {
            let Some(t) = c.trusted_shared(&role)? else {
                continue;
            };
            let same = self
                .roles
                .iter()
                .find(|(r, p, _)| *r == role && Rc::ptr_eq(p, &t));
            match same {
                Some((_, _, range)) => out.extend_from_slice(&self.listed[range.clone()]),
                None => listed_in(c, &role, &t.0, &mut out),
            }
        }
        Ok(out)
    }
}

/// [`Working`] from one read of each role.
fn working_keys(c: &Ceremony) -> Result<Working> {
    let mut working = Working::default();
    for role in c.roles() {
        let Some(parsed) = c.working_shared(&role)? else {
            continue;
        };
        let (md, payload) = (&parsed.0, &parsed.1);
        let mut counted = HashSet::new();
        if let Ok(reqs) = c.requirements(&role, md) {
            for r in reqs {
                for id in r.check(md, &payload.bytes).counted {
                    if let Some(k) = r.authorized.keys.get(&id) {
                        counted.insert(k.identity());
                    }
                }
            }
        }
        working.add(c, &role, &parsed, counted);
    }
    Ok(working)
}

/// How a key was proven, in words.
pub const BY_SIGN: &str = "signed in this ceremony";
pub const BY_MERGE: &str = "a merged signature";
pub const BY_TRANSCRIPT: &str = "signed the transcript head";
pub const BY_METADATA: &str = "a signature that verifies in the working metadata";

/// Each key proven in this ceremony (by identity, see [`Key::identity`]) and how: from the
/// transcript (the signatures its `sign` and `merge` lines carry, checked again, and the
/// head signatures that still verify), then `counted` (keys whose signatures count in the
/// working metadata now).
fn proven(c: &Ceremony, counted: HashSet<String>) -> Result<HashMap<String, &'static str>> {
    let transcript = c.transcript_read()?;
    let (bytes, entries) = (&transcript.bytes, &transcript.entries);
    let mut out: HashMap<String, &'static str> = HashMap::new();
    for line in super::evidence::check(c, entries)? {
        let how = if line.event == "sign" {
            BY_SIGN
        } else {
            BY_MERGE
        };
        if let Some(p) = line.proof() {
            out.entry(p.key.identity()).or_insert(how);
        }
    }
    let hashes = super::head_signatures::line_hashes(bytes);
    for s in super::head_signatures::valid_signatures(entries, &hashes) {
        out.entry(s.key.identity()).or_insert(BY_TRANSCRIPT);
    }
    for identity in counted {
        out.entry(identity).or_insert(BY_METADATA);
    }
    Ok(out)
}

/// One key added in this ceremony and whether it is proven.
#[derive(Clone, Debug)]
pub struct Standing {
    pub listed: ListedKey,
    pub keyholder: Option<String>,
    /// How it was proven; `None` while unproven.
    pub proof: Option<&'static str>,
}

/// Every key added in this ceremony (listed by a role now, not by that role's trusted
/// version), with its proof.
pub fn added_keys(c: &Ceremony) -> Result<Vec<Standing>> {
    added_keys_from(c, working_keys(c)?)
}

/// [`added_keys`] from the working metadata already read.
pub fn added_keys_from(c: &Ceremony, working: Working) -> Result<Vec<Standing>> {
    let before = working.trusted_listed(c)?;
    added_keys_since(c, working, before)
}

/// Lines as [`lines`] gives them, with the keys added counted against `before` (each role's
/// metadata as it stood before) rather than the trusted versions: the report's "this
/// ceremony", whose own versions are the trusted ones once exported.
pub fn lines_since(c: &Ceremony, before: &[(RoleName, Metadata)]) -> Result<Vec<String>> {
    let mut listed = Vec::new();
    for (role, md) in before {
        listed_in(c, role, md, &mut listed);
    }
    Ok(lines_for(&by_key(&added_keys_since(
        c,
        working_keys(c)?,
        listed,
    )?)))
}

/// [`added_keys_from`] against the keys `before` lists.
fn added_keys_since(
    c: &Ceremony,
    working: Working,
    before: Vec<ListedKey>,
) -> Result<Vec<Standing>> {
    let Working {
        listed: working,
        counted,
        ..
    } = working;
    let before: HashSet<(String, String)> =
        before.into_iter().map(|k| (k.role, k.identity)).collect();
    let proven = proven(c, counted)?;
    let holders: HashMap<String, &str> = c
        .state
        .keyholders
        .iter()
        .map(|k| (k.key.identity(), k.name.as_str()))
        .collect();
    Ok(working
        .into_iter()
        .filter(|k| !before.contains(&(k.role.clone(), k.identity.clone())))
        .map(|k| Standing {
            keyholder: holders.get(&k.identity).map(|n| n.to_string()),
            proof: proven.get(&k.identity).copied(),
            listed: k,
        })
        .collect())
}

/// One key added in this ceremony, with every role it was added to.
#[derive(Clone, Debug)]
pub struct AddedKey {
    pub keyid: String,
    pub keyholder: Option<String>,
    pub roles: Vec<String>,
    pub proof: Option<&'static str>,
}

impl AddedKey {
    /// "alice (key 1a2b3c4d…)" or "key 1a2b3c4d…", escaped.
    pub fn name(&self) -> String {
        match &self.keyholder {
            Some(n) => format!("{} (key {})", escape(n), short(&self.keyid)),
            None => format!("key {}", short(&self.keyid)),
        }
    }

    /// "root, targets", escaped.
    pub fn roles(&self) -> String {
        self.roles
            .iter()
            .map(|r| escape(r).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// [`added_keys`] grouped by key (a keyholder's key is often added to root and targets at
/// once), in the order first listed.
pub fn by_key(added: &[Standing]) -> Vec<AddedKey> {
    let mut out: Vec<AddedKey> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for s in added {
        let id = s.listed.identity.clone();
        match index.get(&id) {
            Some(&i) => out[i].roles.push(s.listed.role.clone()),
            None => {
                index.insert(id, out.len());
                out.push(AddedKey {
                    keyid: s.listed.keyid.clone(),
                    keyholder: s.keyholder.clone(),
                    roles: vec![s.listed.role.clone()],
                    proof: s.proof,
                });
            }
        }
    }
    out
}

/// The most keys listed one per line; the rest are counted.
const MAX_LINES: usize = 40;

/// Lines for `status` and the report: each key added in this ceremony, proven or not.
pub fn lines(c: &Ceremony) -> Result<Vec<String>> {
    Ok(lines_for(&by_key(&added_keys(c)?)))
}

fn lines_for(added: &[AddedKey]) -> Vec<String> {
    if added.is_empty() {
        return vec!["proof of possession: no key was added in this ceremony".to_string()];
    }
    let unproven = added.iter().filter(|s| s.proof.is_none()).count();
    let mut out = vec![format!(
        "proof of possession: {} key(s) added in this ceremony, {unproven} unproven",
        added.len()
    )];
    // Unproven keys first: they are what the ceremony still needs.
    let mut sorted: Vec<&AddedKey> = added.iter().collect();
    sorted.sort_by_key(|s| s.proof.is_some());
    for k in sorted.iter().take(MAX_LINES) {
        out.push(match k.proof {
            Some(how) => format!("  {} in {}: proven ({how})", k.name(), k.roles()),
            None => format!(
                "  {} in {}: UNPROVEN: its holder signs with it (`tuf-ceremony sign ROLE`, or `tuf-ceremony transcript sign`)",
                k.name(),
                k.roles()
            ),
        });
    }
    if sorted.len() > MAX_LINES {
        out.push(format!("  … and {} more", sorted.len() - MAX_LINES));
    }
    out
}

/// `status`: [`lines`] added to a report; returns each added key's standing as JSON.
pub fn add_to(c: &Ceremony, working: Working, report: &mut Report) -> Result<Value> {
    let added = added_keys_from(c, working)?;
    for l in lines_for(&by_key(&added)) {
        report.line(l);
    }
    Ok(Value::Array(
        added
            .iter()
            .map(|s| {
                Value::object(vec![
                    ("role", Value::str(&s.listed.role)),
                    ("keyid", Value::str(&s.listed.keyid)),
                    (
                        "keyholder",
                        s.keyholder
                            .as_deref()
                            .map(Value::str)
                            .unwrap_or(Value::Null),
                    ),
                    ("proven", s.proof.map(Value::str).unwrap_or(Value::Null)),
                ])
            })
            .collect(),
    ))
}
