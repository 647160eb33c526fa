//! What `load` checks in a file beyond its format, apart from reading it: thresholds no
//! ceremony could meet are refused, keys and signatures some client would reject are named
//! ([`Findings`]), and a root loaded as trusted is judged as a client would (TUF spec 5.3).

use super::{as_root, short, Report};
use crate::error::Result;
use crate::keys::Key;
use crate::metadata::{Delegations, Metadata};
use crate::outcome::{Refusal, Rejection};
use crate::verify::{Authorized, Label};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// What `load` finds in a file beyond its format: warnings (a keyid or key some client
/// rejects, naming it; a signature that should have counted and does not) and notes (a
/// signature that does not count and is ordinary in metadata made elsewhere: an empty
/// placeholder, a keyid the role does not list, a scheme not checked here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
}

impl Findings {
    pub(super) fn add_to(self, report: &mut Report) {
        for n in self.notes {
            report.line(format!("  note: {n}"));
        }
        for w in self.warnings {
            report.warn(w);
        }
    }

    /// One line per signature that did not count, by its label.
    pub(super) fn labels(&mut self, place: &str, labels: &[(String, Label)]) {
        for (keyid, l) in labels {
            if *l == Label::Counted {
                continue;
            }
            let line = format!(
                "{place}: the signature by keyid {}: {}",
                short(keyid),
                l.describe()
            );
            if l.is_warning() {
                self.warnings.push(line);
            } else {
                self.notes.push(line);
            }
        }
    }
}

/// The checks `load` makes of one file beyond its format. Refused: a threshold higher than
/// the distinct keys listed, which no ceremony could ever meet (for a file loaded as
/// trusted, published already, only a warning: clients accept it, and the next version
/// can fix it). Everything else is a finding. Signatures are never a reason to refuse here:
/// clients count the valid ones and ignore the rest (`load --trusted` requires the
/// thresholds, as they do).
pub(super) fn check_loadable(
    path: &Path,
    role: &str,
    md: &Metadata,
    delegator: Option<&Metadata>,
    trusted: bool,
) -> Result<Findings> {
    let mut found = Findings::default();
    let file = path.display().to_string();
    // 1. Every key listed (root's keys, targets' delegated keys) is one python-tuf reads,
    //    and its public key can be read here.
    check_listed_keys(&file, md, trusted, &mut found)?;
    // 2. Every threshold can be met by the distinct keys it lists (TUF spec 5.4: a key
    //    counts once).
    check_reachable_thresholds(&file, md, trusted, &mut found)?;
    // 3. What published clients make of the keys: keyid conventions, key types.
    found.warnings.extend(client_key_warnings(&file, md));
    // 4. The signatures, against the keys that may sign this file as far as this ceremony
    //    can tell now. A file loaded as trusted has its signatures judged against every
    //    threshold it must meet (the previous root's too), by the caller.
    if let (Some(a), false) = (signers_of(role, md, delegator), trusted) {
        let report = crate::verify::check_threshold(
            &md.payload(),
            &md.signatures,
            &a.keys,
            &a.keyids,
            a.threshold,
        );
        found.labels(&file, &report.signatures);
    }
    Ok(found)
}

/// The keys a metadata file lists: root's `keys`, or a targets role's delegated `keys`.
fn listed_keys(md: &Metadata) -> impl Iterator<Item = &BTreeMap<String, Key>> {
    md.root()
        .map(|r| &r.keys)
        .into_iter()
        .chain(delegations_of(md).map(|d| &d.keys))
}

/// A targets role's delegations, if it is one and has them.
pub(super) fn delegations_of(md: &Metadata) -> Option<&Delegations> {
    md.targets().and_then(|t| t.delegations.as_ref())
}

/// Step 1 of [`check_loadable`]: a key python-tuf does not read refuses a file loaded as
/// trusted (python-tuf refuses all of it, even when no role lists the key: the verdict on a
/// published file is python-tuf's); in a file to sign it is a warning, as is any key this
/// tool does not verify, so the keyholders who hold other keys can co-sign (tuf-on-ci
/// lists Sigstore identities, `sigstore-oidc`/`Fulcio`, beside hardware keys). Such a key
/// is kept as written and its signatures never count here. A key whose public key cannot
/// be read here is a warning.
fn check_listed_keys(file: &str, md: &Metadata, trusted: bool, found: &mut Findings) -> Result<()> {
    for keys in listed_keys(md) {
        for (id, key) in keys {
            let refused = crate::clients::python_tuf_refuses_key(id, key);
            if let (Some(why), true) = (&refused, trusted) {
                return Err(Rejection::TrustedKeyUnreadable {
                    file: file.to_string(),
                    why: why.clone(),
                }
                .into());
            }
            if key.scheme().is_none() {
                let in_root = md.root().is_some();
                found
                    .warnings
                    .push(unverifiable_key_warning(file, id, key, refused, in_root));
                continue;
            }
            if key.scheme().is_some() {
                if let Err(why) = key.material() {
                    found.warnings.push(format!(
                        "{file}: key {}: {why}; no signature by it can be checked here",
                        short(id)
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The warning for a key this tool does not verify, in a file loaded to sign: what it is,
/// what happens to its signatures here, and what python-tuf 7 makes of the file
/// (`refused`, from [`crate::clients::python_tuf_refuses_key`]) and, for a key in root
/// (`in_root`), tough.
pub(super) fn unverifiable_key_warning(
    file: &str,
    id: &str,
    key: &Key,
    refused: Option<String>,
    in_root: bool,
) -> String {
    use crate::display::escape;
    let owner = key
        .named_in_file()
        .map(|n| format!(" ({})", escape(n)))
        .unwrap_or_default();
    let python = match refused {
        // securesystemslib implements Sigstore keys but registers them only on request
        // (`KEY_FOR_TYPE_AND_SCHEME`), as tuf-on-ci and its clients do.
        Some(_) if key.keytype == "sigstore-oidc" => "python-tuf 7 cannot read this key type as installed: it refuses the whole file (\"Unsupported public key\") unless the client registers Sigstore keys (securesystemslib's SigstoreKey, as tuf-on-ci does)".to_string(),
        Some(_) => "python-tuf 7 cannot read this key type: it refuses the whole file (\"Unsupported public key\"), even where no role lists the key".to_string(),
        None => "python-tuf 7 reads it".to_string(),
    };
    let tough = if in_root && !crate::clients::tough_reads(key) {
        "; tough, and clients built on it, do not read it either and reject the whole root"
    } else {
        ""
    };
    format!(
        "{file}: key {}{owner} is {}/{}, a key type tuf-ceremony does not verify: it is kept exactly as written, its signatures are labelled \"not verifiable here\" and never count toward a threshold here, and the other keyholders can sign. {python}{tough}",
        short(id),
        escape(&key.keytype),
        escape(&key.scheme)
    )
}

/// [`crate::clients::root_key_warnings`], except that a key python-tuf 7 does not read gets
/// its keyid warning only: what clients make of its type is said by
/// [`unverifiable_key_warning`] (the clients' warning for a key tough does not read assumes
/// python-tuf reads it).
pub(super) fn root_key_warnings(keys: &BTreeMap<String, Key>, place: &str) -> Vec<String> {
    let (read, other): (BTreeMap<String, Key>, BTreeMap<String, Key>) = keys
        .iter()
        .map(|(id, k)| (id.clone(), k.clone()))
        .partition(|(id, k)| crate::clients::python_tuf_refuses_key(id, k).is_none());
    let mut out = crate::clients::root_key_warnings(&read, place);
    for (id, key) in &other {
        let shown = crate::display::escape(id);
        out.extend(crate::keys::keyid_warning(
            &shown,
            key.check_keyid(id),
            place,
        ));
    }
    out
}

/// Step 2 of [`check_loadable`]: each of root's roles and each delegation, in file order.
/// The first threshold no ceremony could meet refuses the file, or for a trusted file each
/// is a warning.
fn check_reachable_thresholds(
    file: &str,
    md: &Metadata,
    trusted: bool,
    found: &mut Findings,
) -> Result<()> {
    let mut judge =
        |name: &str, keys: &BTreeMap<String, Key>, keyids: &[String], threshold| -> Result<()> {
            let Some(what) = unreachable_threshold(name, keyids, threshold, keys) else {
                return Ok(());
            };
            if trusted {
                found
                    .warnings
                    .push(format!("{file}: {what}; fix it in the next version"));
                Ok(())
            } else {
                Err(Rejection::ThresholdUnreachable {
                    file: file.to_string(),
                    what,
                }
                .into())
            }
        };
    if let Some(root) = md.root() {
        for (name, r) in &root.roles {
            judge(
                &format!("root's {name} role"),
                &root.keys,
                &r.keyids,
                r.threshold,
            )?;
        }
    }
    if let Some(d) = delegations_of(md) {
        for r in d.roles.iter().flatten() {
            let name = format!("the delegation to {}", r.name);
            judge(&name, &d.keys, &r.keyids, r.threshold)?;
        }
    }
    Ok(())
}

/// Why `name`'s threshold could never be met, if so: it asks for more signatures than
/// `keyids` name distinct keys (a key listed under several keyids counts once).
fn unreachable_threshold(
    name: &str,
    keyids: &[String],
    threshold: u64,
    keys: &BTreeMap<String, Key>,
) -> Option<String> {
    let distinct: HashSet<String> = keyids
        .iter()
        .filter_map(|id| keys.get(id))
        .map(Key::identity)
        .collect();
    if threshold as usize <= distinct.len() {
        return None;
    }
    let twice = if distinct.len() < keyids.len() {
        " (a key listed under several keyids counts once here, although python-tuf 7 counts keyids)"
    } else {
        ""
    };
    Some(format!("{name} needs {threshold} signatures but lists {} distinct key(s){twice}, so it could never be signed", distinct.len()))
}

/// Step 3 of [`check_loadable`]: root's keys judged as tough and python-tuf read them, a
/// targets role's delegated keys by their keyids.
fn client_key_warnings(file: &str, md: &Metadata) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(root) = md.root() {
        out.extend(root_key_warnings(&root.keys, file));
    }
    if let Some(d) = delegations_of(md) {
        let place = format!("{file} delegations");
        out.extend(crate::clients::delegated_key_warnings(&d.keys, &place));
    }
    out
}

/// Step 4 of [`check_loadable`]: who may sign `role`: root's own root keys for root (TUF
/// spec 5.3.4), otherwise the role as its delegator (root, or a targets role) lists it;
/// none known without a delegator.
fn signers_of(role: &str, md: &Metadata, delegator: Option<&Metadata>) -> Option<Authorized> {
    let of = |keys, r: &crate::metadata::RoleKeys| Authorized::new(keys, &r.keyids, r.threshold);
    if role == "root" {
        let root = md.root()?;
        return root.role("root").map(|r| of(&root.keys, r));
    }
    let delegator = delegator?;
    match (delegator.root(), delegator.targets()) {
        (Some(root), _) => root.role(role).map(|r| of(&root.keys, r)),
        (_, Some(t)) => t.delegations.as_ref().and_then(|d| {
            d.role(role)
                .map(|r| Authorized::new(&d.keys, &r.keyids, r.threshold))
        }),
        _ => None,
    }
}

/// What `load --trusted` decides for a root: whether a client holding `previous` (or, with
/// none, trusting this root on first use) accepts `md` as the next root (TUF spec 5.3.4:
/// version N+1, a threshold of the previous root's root keys and of its own), with what it
/// finds. Refused when a client would refuse it; never because of a signature that does not
/// count while the thresholds are met.
pub fn judge_trusted_root(
    path: &Path,
    md: &Metadata,
    previous: Option<&Metadata>,
) -> Result<Findings> {
    let mut found = check_loadable(path, "root", md, None, true)?;
    let previous_root = match previous {
        Some(p) => Some(as_root(p)?),
        None => None,
    };
    let report = crate::verify::verify_root(md, previous_root);
    if !report.ok() {
        return Err(Refusal::NotTrusted {
            file: path.to_path_buf(),
            unmet: None,
            why: report.why_refused(),
        }
        .into());
    }
    found.labels(&path.display().to_string(), &report.labels());
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceremony::edits::{common, new_targets, role_keys, unsigned};
    use crate::json::Object;
    use crate::json::Value;
    use crate::metadata::{DelegatedRole, Root, Signature, Signed, TOP_LEVEL_ROLES};
    use ed25519_dalek::Signer as _;

    const FILE: &str = "in/root.json";

    fn key(seed: u8) -> (ed25519_dalek::SigningKey, Key) {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        let k = Key::ed25519(&sk.verifying_key());
        (sk, k)
    }

    /// A root whose four top-level roles all list `keys`' keyids with threshold 1, except
    /// root itself (`root_threshold`).
    fn root(keys: &[&Key], root_threshold: u64) -> Metadata {
        let ids: Vec<String> = keys.iter().map(|k| k.keyid()).collect();
        let mut roles = BTreeMap::new();
        for role in TOP_LEVEL_ROLES {
            let threshold = if role == "root" { root_threshold } else { 1 };
            roles.insert(role.to_string(), role_keys(ids.clone(), threshold));
        }
        unsigned(Signed::Root(Root {
            common: common(1, 0),
            consistent_snapshot: Some(true),
            keys: keys.iter().map(|k| (k.keyid(), (*k).clone())).collect(),
            roles,
            extra: Object::new(),
        }))
    }

    /// A targets that delegates `name` to `keys` with `threshold`.
    fn delegating(name: &str, keys: &[&Key], threshold: u64) -> Metadata {
        let mut t = new_targets(1, 0);
        t.delegations = Some(Delegations {
            keys: keys.iter().map(|k| (k.keyid(), (*k).clone())).collect(),
            roles: Some(vec![DelegatedRole {
                name: name.into(),
                keyids: keys.iter().map(|k| k.keyid()).collect(),
                threshold,
                terminating: false,
                paths: Some(vec!["*".into()]),
                path_hash_prefixes: None,
                extra: Object::new(),
            }]),
            extra: Object::new(),
        });
        unsigned(Signed::Targets(t))
    }

    fn sign(md: &mut Metadata, sk: &ed25519_dalek::SigningKey, keyid: &str) {
        let sig = hex::encode(sk.sign(&md.payload()).to_bytes());
        md.signatures.push(Signature {
            keyid: keyid.into(),
            sig,
            extra: Object::new(),
        });
    }

    fn loadable(
        role: &str,
        md: &Metadata,
        delegator: Option<&Metadata>,
        trusted: bool,
    ) -> Result<Findings> {
        check_loadable(Path::new(FILE), role, md, delegator, trusted)
    }

    fn refusal(r: Result<Findings>) -> String {
        match r {
            Err(e @ crate::error::Error::Rejection(_)) => e.to_string(),
            other => panic!("not refused as invalid: {other:?}"),
        }
    }

    /// A key python-tuf cannot read refuses the whole file loaded as trusted, as python-tuf
    /// would; a file to sign that lists it loads with a warning, so its other keyholders
    /// can sign, in root's keys or in delegations.
    #[test]
    fn a_key_python_tuf_cannot_read_refuses_a_trusted_file_and_warns_in_one_to_sign() {
        let (_, k) = key(1);
        let mut odd = key(2).1;
        odd.keytype = "x-unknown".into();
        odd.scheme = "x-unknown".into();
        let why = crate::clients::python_tuf_refuses_key(&odd.keyid(), &odd).unwrap();
        let expected = format!("{FILE}: {why}; nothing was loaded. Remove the key, or give it a keytype and scheme clients read (to co-sign a file that lists it, load that file without --trusted)");
        let mut md = root(&[&k], 1);
        if let Signed::Root(r) = &mut md.signed {
            r.keys.insert(odd.keyid(), odd.clone());
        }
        assert_eq!(refusal(loadable("root", &md, None, true)), expected);
        // A file to sign loads, with a warning naming the key type and what python-tuf
        // makes of it.
        let found = loadable("root", &md, None, false).unwrap();
        let warning = found
            .warnings
            .iter()
            .find(|w| w.contains("x-unknown/x-unknown"))
            .unwrap();
        assert!(
            warning.contains("tuf-ceremony does not verify"),
            "{warning}"
        );
        assert!(
            warning.contains("python-tuf 7 cannot read this key type"),
            "{warning}"
        );
        let md = delegating("claimed", &[&k, &odd], 1);
        assert!(loadable("targets", &md, None, false).is_ok());
    }

    /// A threshold above the distinct keys listed refuses a file being signed, and is a
    /// warning for a trusted one; a key under two keyids counts once, and the message says
    /// python-tuf counts keyids.
    #[test]
    fn an_unreachable_threshold_refuses_or_warns_when_trusted() {
        let (_, k) = key(1);
        let mut alias = k.clone();
        alias.extra.insert("x-alias", Value::Bool(true));
        let mut md = root(&[&k], 1);
        if let Signed::Root(r) = &mut md.signed {
            r.keys.insert("alias".into(), alias);
            r.roles
                .get_mut("snapshot")
                .unwrap()
                .keyids
                .push("alias".into());
            r.roles.get_mut("snapshot").unwrap().threshold = 2;
        }
        let what = "root's snapshot role needs 2 signatures but lists 1 distinct key(s) (a key listed under several keyids counts once here, although python-tuf 7 counts keyids), so it could never be signed";
        assert_eq!(
            refusal(loadable("root", &md, None, false)),
            format!("{FILE}: {what}. Lower the threshold or add keys where this file was made; nothing was loaded")
        );
        let found = loadable("root", &md, None, true).unwrap();
        assert_eq!(
            found.warnings[0],
            format!("{FILE}: {what}; fix it in the next version")
        );
        assert!(found.notes.is_empty());

        let md = delegating("claimed", &[&k], 2);
        let what = "the delegation to claimed needs 2 signatures but lists 1 distinct key(s), so it could never be signed";
        assert_eq!(
            refusal(loadable("targets", &md, None, false)),
            format!("{FILE}: {what}. Lower the threshold or add keys where this file was made; nothing was loaded")
        );
        let found = loadable("targets", &md, None, true).unwrap();
        assert_eq!(
            found,
            Findings {
                warnings: vec![format!("{FILE}: {what}; fix it in the next version")],
                notes: vec![],
            }
        );
    }

    /// A key whose public key cannot be read is a warning naming it, not a refusal.
    #[test]
    fn an_unreadable_key_is_a_warning() {
        let (_, k) = key(1);
        let mut bad = key(2).1;
        bad.public = Some("zz".into());
        let why = bad.material().err().unwrap();
        let mut md = root(&[&k], 1);
        if let Signed::Root(r) = &mut md.signed {
            r.keys.insert(bad.keyid(), bad.clone());
        }
        let found = loadable("root", &md, None, false).unwrap();
        assert_eq!(
            found.warnings,
            [format!(
                "{FILE}: key {}: {why}; no signature by it can be checked here",
                short(&bad.keyid())
            )]
        );
        let md = delegating("claimed", &[&k, &bad], 1);
        let found = loadable("targets", &md, None, false).unwrap();
        assert_eq!(found.warnings.len(), 1, "{found:?}");
        assert!(found.warnings[0].ends_with("; no signature by it can be checked here"));
    }

    /// Signatures are judged against the keys that may sign the file: root's own, the
    /// delegator's for targets and a delegated role, none when there is no delegator; a
    /// trusted file's are judged by the caller. A forged signature is a warning, one by a
    /// key the role does not list a note.
    #[test]
    fn signatures_are_judged_against_the_role_that_signs_the_file() {
        let (sk1, k1) = key(1);
        let (sk2, k2) = key(2);
        let (id1, id2) = (k1.keyid(), k2.keyid());
        let line = |id: &str| format!("{FILE}: the signature by keyid {}: ", short(id));

        let mut md = root(&[&k1], 1);
        sign(&mut md, &sk1, &id1);
        sign(&mut md, &sk2, &id2);
        let found = loadable("root", &md, None, false).unwrap();
        assert!(found.warnings.is_empty(), "{found:?}");
        assert_eq!(found.notes.len(), 1, "{found:?}");
        assert!(found.notes[0].starts_with(&line(&id2)), "{found:?}");
        assert_eq!(
            loadable("root", &md, None, true).unwrap(),
            Findings::default()
        );

        // targets: signed by root's targets keys; k2 forges k1's keyid.
        let root_md = root(&[&k1], 1);
        let mut targets = unsigned(Signed::Targets(new_targets(1, 0)));
        sign(&mut targets, &sk2, &id1);
        let found = loadable("targets", &targets, Some(&root_md), false).unwrap();
        assert!(found.notes.is_empty(), "{found:?}");
        assert_eq!(found.warnings.len(), 1, "{found:?}");
        assert!(found.warnings[0].starts_with(&line(&id1)), "{found:?}");
        assert_eq!(
            loadable("targets", &targets, None, false).unwrap(),
            Findings::default()
        );

        // claimed: signed by the keys targets delegates it to.
        let delegator = delegating("claimed", &[&k2], 1);
        let mut claimed = unsigned(Signed::Targets(new_targets(1, 0)));
        sign(&mut claimed, &sk2, &id2);
        sign(&mut claimed, &sk1, &id1);
        let found = loadable("claimed", &claimed, Some(&delegator), false).unwrap();
        assert!(found.warnings.is_empty(), "{found:?}");
        assert_eq!(found.notes.len(), 1, "{found:?}");
        assert!(found.notes[0].starts_with(&line(&id1)), "{found:?}");
        // A role the delegator does not delegate: nothing to judge against.
        let found = loadable("other", &claimed, Some(&delegator), false).unwrap();
        assert_eq!(found, Findings::default());
    }
}
