//! Deciding whether signatures count (TUF spec 1.0 section 5: the client workflow).
//!
//! Pure functions over parsed metadata. Results say which keys signed, which signatures
//! failed and why, and which authorized keys are still missing, so `status` can tell the
//! room who must still sign, and `verify`/`export` can refuse with the reason.
//!
//! Rules implemented here:
//! - A threshold counts *distinct keys*: the same public key listed under two keyids, or
//!   signing twice, counts once (spec 5.3.4 and 5.4.3: "threshold of unique keys").
//! - A signature counts only if its keyid is authorized for the role in the delegating
//!   metadata and it verifies over the canonical bytes of `signed`.
//! - Root rotation (spec 5.3.4): root N+1 must be signed by a threshold of root N's root
//!   keys AND a threshold of its own root keys, and its version must be exactly N+1.

use crate::keys::Key;
use crate::metadata::{Metadata, Root, Signature, Signed};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How the signatures on one payload stand against one role's keys and threshold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThresholdReport {
    pub threshold: u64,
    /// Keyids authorized for the role, in the order the delegating metadata lists them.
    pub authorized: Vec<String>,
    /// Keyids whose valid signature counted, one per distinct key.
    pub counted: Vec<String>,
    /// Valid signatures that did not count because their key was already counted:
    /// `(keyid, the keyid it was counted under)`.
    pub same_key: Vec<(String, String)>,
    /// Signatures by authorized keyids that do not verify: `(keyid, why)`.
    pub invalid: Vec<(String, String)>,
    /// Authorized keyids (one per distinct key) with no valid signature yet.
    pub missing: Vec<String>,
    /// Keyids that signed but are not authorized for this role.
    pub unauthorized: Vec<String>,
}

impl ThresholdReport {
    /// Whether the threshold is met.
    pub fn met(&self) -> bool {
        self.counted.len() as u64 >= self.threshold
    }

    /// How many more distinct keys must sign.
    pub fn still_needed(&self) -> u64 {
        self.threshold.saturating_sub(self.counted.len() as u64)
    }
}

/// Checks `signatures` over `payload` against a role's `keyids` and `threshold`, looking
/// keys up in `keys` (the delegating metadata's key map).
pub fn check_threshold(
    payload: &[u8],
    signatures: &[Signature],
    keys: &BTreeMap<String, Key>,
    keyids: &[String],
    threshold: u64,
) -> ThresholdReport {
    check_threshold_with(signatures, keys, keyids, threshold, &|key, sig| {
        key.verify(payload, sig)
    })
}

/// [`check_threshold`] with the signature check given: `verify(key, sig_hex)` says whether
/// `sig_hex` by `key` verifies over the payload (tests give it a check of their own).
fn check_threshold_with(
    signatures: &[Signature],
    keys: &BTreeMap<String, Key>,
    keyids: &[String],
    threshold: u64,
    verify: &dyn Fn(&Key, &str) -> Result<(), String>,
) -> ThresholdReport {
    let by_keyid: HashMap<&str, &Signature> =
        signatures.iter().map(|s| (s.keyid.as_str(), s)).collect();
    let authorized: HashSet<&str> = keyids.iter().map(String::as_str).collect();
    let mut report = ThresholdReport {
        threshold,
        authorized: keyids.to_vec(),
        ..Default::default()
    };
    // identity of a counted key → the keyid it counted under
    let mut counted: HashMap<String, String> = HashMap::new();
    for keyid in keyids {
        let Some(key) = keys.get(keyid) else {
            continue; // the parser guarantees every listed keyid has a key
        };
        let Some(sig) = by_keyid.get(keyid.as_str()) else {
            continue;
        };
        match verify(key, &sig.sig) {
            Ok(()) => {
                let identity = key.identity();
                if let Some(first) = counted.get(&identity) {
                    report.same_key.push((keyid.clone(), first.clone()));
                } else {
                    counted.insert(identity, keyid.clone());
                    report.counted.push(keyid.clone());
                }
            }
            Err(why) => report.invalid.push((keyid.clone(), why)),
        }
    }
    let mut missing_identities = HashSet::new();
    for keyid in keyids {
        if let Some(key) = keys.get(keyid) {
            let identity = key.identity();
            if !counted.contains_key(&identity) && missing_identities.insert(identity) {
                report.missing.push(keyid.clone());
            }
        }
    }
    report.unauthorized = signatures
        .iter()
        .filter(|s| !authorized.contains(s.keyid.as_str()))
        .map(|s| s.keyid.clone())
        .collect();
    report
}

/// How a root stands: its own threshold, and for a rotation the previous root's too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootReport {
    /// The new root's own root role (always required).
    pub own: ThresholdReport,
    /// The trusted (previous) root's root role, for a rotation (spec 5.3.4).
    pub previous: Option<ThresholdReport>,
    /// Rule violations other than missing signatures (version, type).
    pub problems: Vec<String>,
}

impl RootReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.own.met() && self.previous.as_ref().is_none_or(|p| p.met())
    }
}

/// Verifies a root, either on its own (a first root, trusted on first use) or as the next
/// version after `trusted` (spec 5.3.4): version exactly N+1, a threshold of the old root
/// keys and a threshold of the new ones.
pub fn verify_root(md: &Metadata, trusted: Option<&Root>) -> RootReport {
    let payload = md.payload();
    let mut problems = Vec::new();
    let Signed::Root(root) = &md.signed else {
        return RootReport {
            own: ThresholdReport::default(),
            previous: None,
            problems: vec![format!(
                "this is {} metadata, not root",
                md.signed.type_name()
            )],
        };
    };
    let own = match root.role("root") {
        Some(r) => check_threshold(&payload, &md.signatures, &root.keys, &r.keyids, r.threshold),
        None => ThresholdReport::default(),
    };
    let previous = trusted.map(|old| {
        let expected = old.common.version + 1;
        if root.common.version != expected {
            problems.push(format!(
                "root version {} cannot follow trusted root version {}: a client accepts only \
                 version {expected} next (TUF spec 5.3.4; a skipped or repeated version is refused)",
                root.common.version, old.common.version
            ));
        }
        match old.role("root") {
            Some(r) => check_threshold(&payload, &md.signatures, &old.keys, &r.keyids, r.threshold),
            None => ThresholdReport::default(),
        }
    });
    RootReport {
        own,
        previous,
        problems,
    }
}

/// Verifies metadata delegated by `keys`/`keyids`/`threshold` (targets by root; claimed by
/// targets), checking its `_type` is `expected_type`.
pub fn verify_delegated(
    md: &Metadata,
    expected_type: &str,
    keys: &BTreeMap<String, Key>,
    keyids: &[String],
    threshold: u64,
) -> Result<ThresholdReport, String> {
    if md.signed.type_name() != expected_type {
        return Err(format!(
            "expected {expected_type} metadata, found _type \"{}\"",
            md.signed.type_name()
        ));
    }
    Ok(check_threshold(
        &md.payload(),
        &md.signatures,
        keys,
        keyids,
        threshold,
    ))
}

/// Verifies top-level `targets` against `root`.
pub fn verify_targets(md: &Metadata, root: &Root) -> Result<ThresholdReport, String> {
    let role = root.role("targets").ok_or("root has no targets role")?;
    verify_delegated(md, "targets", &root.keys, &role.keyids, role.threshold)
}

/// Verifies a delegated targets role `name` against its delegator's delegations.
pub fn verify_delegated_role(
    md: &Metadata,
    delegator: &Metadata,
    name: &str,
) -> Result<ThresholdReport, String> {
    let targets = delegator
        .targets()
        .ok_or("the delegator is not targets metadata")?;
    let delegations = targets
        .delegations
        .as_ref()
        .ok_or_else(|| format!("the delegating targets metadata has no delegations, so nothing delegates to \"{name}\""))?;
    let role = delegations.role(name).ok_or_else(|| {
        format!("the delegating targets metadata does not delegate to \"{name}\"")
    })?;
    verify_delegated(
        md,
        "targets",
        &delegations.keys,
        &role.keyids,
        role.threshold,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Object;
    use ed25519_dalek::Signer as _;

    fn key(seed: u8) -> (ed25519_dalek::SigningKey, Key) {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        let k = Key::ed25519(&sk.verifying_key());
        (sk, k)
    }

    fn sign(sk: &ed25519_dalek::SigningKey, keyid: &str, payload: &[u8]) -> Signature {
        Signature {
            keyid: keyid.into(),
            sig: hex::encode(sk.sign(payload).to_bytes()),
            extra: Object::new(),
        }
    }

    #[test]
    fn one_key_under_two_keyids_counts_once() {
        let (sk, k) = key(1);
        let mut keys = BTreeMap::new();
        keys.insert("id-a".to_string(), k.clone());
        let mut k2 = k.clone();
        k2.extra.insert("x-alias", crate::json::Value::Bool(true));
        keys.insert("id-b".to_string(), k2);
        let payload = b"payload";
        let sigs = vec![sign(&sk, "id-a", payload), sign(&sk, "id-b", payload)];
        let r = check_threshold(payload, &sigs, &keys, &["id-a".into(), "id-b".into()], 2);
        assert!(!r.met());
        assert_eq!(r.counted, vec!["id-a".to_string()]);
        assert_eq!(r.same_key, vec![("id-b".to_string(), "id-a".to_string())]);
        assert!(r.missing.is_empty(), "the only distinct key did sign");
    }

    #[test]
    fn invalid_unauthorized_and_missing_are_reported() {
        let (sk1, k1) = key(1);
        let (sk2, k2) = key(2);
        let (_, k3) = key(3);
        let keys: BTreeMap<String, Key> = [
            ("a".to_string(), k1),
            ("b".to_string(), k2),
            ("c".to_string(), k3),
        ]
        .into();
        let payload = b"payload";
        let sigs = vec![
            sign(&sk1, "a", payload),
            sign(&sk1, "b", payload), // wrong key for b
            sign(&sk2, "z", payload), // not authorized
        ];
        let r = check_threshold(
            payload,
            &sigs,
            &keys,
            &["a".into(), "b".into(), "c".into()],
            2,
        );
        assert_eq!(r.counted, vec!["a".to_string()]);
        assert_eq!(r.invalid.len(), 1);
        assert_eq!(r.invalid[0].0, "b");
        assert_eq!(r.missing, vec!["b".to_string(), "c".to_string()]);
        assert_eq!(r.unauthorized, vec!["z".to_string()]);
        assert_eq!(r.still_needed(), 1);
        let _ = sk2;
    }
}
