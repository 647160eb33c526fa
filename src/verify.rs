//! Deciding whether signatures count (TUF spec 1.0 section 5: the client workflow).
//!
//! Pure functions over parsed metadata. Every signature in a file gets one [`Label`] per
//! set of keys it is checked against, so `status`, `load` and `verify` can say of each one
//! whether it counted and why not, and who must still sign.
//!
//! The rule is the one clients apply (python-tuf 7 `Root.get_verification_result`, tough
//! `verify_role`, go-tuf `VerifyDelegate`): a file is accepted when each threshold is met by
//! valid signatures of distinct authorized keys. Every other signature (invalid, an empty
//! placeholder, by a key whose scheme this tool cannot check, by a keyid the role does not
//! list) is kept, labelled and never counted, and is never by itself a reason to refuse.
//!
//! Rules implemented here:
//! - A threshold counts *distinct keys*: the same public key listed under two keyids counts
//!   once (spec 5.3.4 and 5.4.3: "threshold of unique keys"). python-tuf 7 counts keyids
//!   instead, so this can only make us refuse what it accepts, never the reverse; the label
//!   [`Label::SameKey`] says so whenever it happens.
//! - A signature counts only if its keyid is authorized for the role in the delegating
//!   metadata and it verifies over the canonical bytes of `signed`.
//! - Root rotation (spec 5.3.4): root N+1 must be signed by a threshold of root N's root
//!   keys AND a threshold of its own root keys, and its version must be exactly N+1.

use crate::keys::Key;
use crate::metadata::{Metadata, Root, Signature, Signed};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What one signature is worth toward one role's threshold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// Verified over the payload by an authorized key not counted before: it counts.
    Counted,
    /// Verified, but its key was already counted under keyid `counted_as`: a key counts once.
    SameKey { counted_as: String },
    /// `"sig": ""`: a placeholder for a signature still to come (tuf-on-ci writes one for
    /// each expected signer), not a signature.
    EmptyPlaceholder,
    /// Its key's keytype and scheme are not ones this tool can check (a Sigstore identity,
    /// `sigstore-oidc`/`Fulcio`, or any other type): not verifiable here, so it never
    /// counts here, whatever a client that reads such keys makes of it.
    UnsupportedScheme { keytype: String, scheme: String },
    /// Its key's public key cannot be read (why).
    UnreadableKey(String),
    /// It does not verify (why).
    Invalid(String),
    /// Its keyid is not one of the role's keyids.
    NotAuthorized,
}

impl Label {
    /// The label in plain words, for the keyholder (the keyid is named by the caller).
    pub fn describe(&self) -> String {
        match self {
            Label::Counted => "counted".into(),
            Label::SameKey { counted_as } => format!(
                "not counted: the same key already counted under keyid {} (a key counts once here; python-tuf 7 counts keyids and would count it again)",
                short(counted_as)
            ),
            Label::EmptyPlaceholder => {
                "an empty placeholder (\"sig\": \"\"), not a signature; not counted".into()
            }
            Label::UnsupportedScheme { keytype, scheme } => format!(
                "not verifiable here: its key is {}/{}, a keytype and scheme this tool does not check (scheme not supported here); not counted",
                crate::display::escape(keytype),
                crate::display::escape(scheme)
            ),
            Label::UnreadableKey(why) => {
                format!("its key cannot be read here ({why}): not checked, not counted")
            }
            Label::Invalid(why) => format!("invalid ({why}): not counted"),
            Label::NotAuthorized => "keyid not authorized for the role: not counted".into(),
        }
    }

    /// Whether the label is worth a warning: the signature was meant to count and did not
    /// (an empty placeholder, an unauthorized keyid or a scheme not checked here is
    /// ordinary in metadata made elsewhere; see [`Label::describe`] for those).
    pub fn is_warning(&self) -> bool {
        matches!(self, Label::Invalid(_) | Label::SameKey { .. })
    }
}

fn short(keyid: &str) -> String {
    let s: String = keyid.chars().take(8).collect();
    let s = crate::display::escape(&s).to_string();
    if keyid.chars().count() > 8 {
        format!("{s}…")
    } else {
        s
    }
}

/// How the signatures on one payload stand against one role's keys and threshold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThresholdReport {
    pub threshold: u64,
    /// Keyids authorized for the role, in the order the delegating metadata lists them.
    pub authorized: Vec<String>,
    /// Every signature in the file, in file order: its keyid and its label.
    pub signatures: Vec<(String, Label)>,
    /// Keyids whose valid signature counted, one per distinct key.
    pub counted: Vec<String>,
    /// Authorized keyids (one per distinct key) with no valid signature yet.
    pub missing: Vec<String>,
    /// Authorized keyids whose signature is there but could not be checked here (its key's
    /// type is not one this tool verifies, or its public key cannot be read). Never
    /// counted; each is also in `missing` (this tool has no valid signature by it).
    pub unverifiable: Vec<String>,
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

    /// The signatures that do not verify: `(keyid, why)`.
    pub fn invalid(&self) -> Vec<(&str, &str)> {
        self.signatures
            .iter()
            .filter_map(|(id, l)| match l {
                Label::Invalid(why) => Some((id.as_str(), why.as_str())),
                _ => None,
            })
            .collect()
    }
}

/// A role's keys and threshold, as the metadata that delegates to it lists them (root for
/// root and targets, TUF spec 4.3; targets for a delegated role, 4.5): the one shape every
/// threshold is checked against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authorized {
    /// The delegating metadata's key map (it may list keys of other roles too).
    pub keys: BTreeMap<String, Key>,
    /// The keyids authorized for the role, in the order the delegating metadata lists them.
    pub keyids: Vec<String>,
    pub threshold: u64,
}

impl Authorized {
    /// The role's keyids and threshold with the delegating metadata's keys.
    pub fn new(keys: &BTreeMap<String, Key>, keyids: &[String], threshold: u64) -> Self {
        Authorized {
            keys: keys.clone(),
            keyids: keyids.to_vec(),
            threshold,
        }
    }

    /// How `signatures` over `payload` stand against this role: see [`check_threshold`].
    pub fn check(&self, payload: &[u8], signatures: &[Signature]) -> ThresholdReport {
        check_threshold(
            payload,
            signatures,
            &self.keys,
            &self.keyids,
            self.threshold,
        )
    }
}

/// Every keyid any of `sets` authorizes, with the key it names: where several list one
/// keyid, the first set's key is the one its signature must verify with.
pub fn authorized_keys<'a>(
    sets: impl IntoIterator<Item = &'a Authorized>,
) -> HashMap<&'a str, &'a Key> {
    let mut out = HashMap::new();
    for set in sets {
        for id in &set.keyids {
            if let Some(k) = set.keys.get(id) {
                out.entry(id.as_str()).or_insert(k);
            }
        }
    }
    out
}

/// Whether one hex signature by `key` verifies over `payload` (the canonical bytes of
/// `signed`, TUF spec 4.2), as python-tuf 7 checks it. Returns why not. Whether the key may
/// sign, and whether it counts toward a threshold, is [`check_threshold`]'s to say.
pub fn signature_verifies(key: &Key, payload: &[u8], sig_hex: &str) -> Result<(), String> {
    key.verify(payload, sig_hex)
}

/// One signature against the keys some roles authorize (see [`authorized_keys`]): the key it
/// verifies with, or why not ([`Label::NotAuthorized`], [`Label::EmptyPlaceholder`] or
/// [`Label::Invalid`]). Whether it verifies only: a key counts once toward a threshold,
/// which [`check_threshold`] decides.
pub fn verified_by<'k>(
    payload: &[u8],
    signature: &Signature,
    keys: &HashMap<&str, &'k Key>,
) -> Result<&'k Key, Label> {
    let key = keys
        .get(signature.keyid.as_str())
        .copied()
        .ok_or(Label::NotAuthorized)?;
    if signature.sig.is_empty() {
        return Err(Label::EmptyPlaceholder);
    }
    signature_verifies(key, payload, &signature.sig).map_err(Label::Invalid)?;
    Ok(key)
}

/// Labels one signature against a role's keys. `counted` maps each key counted so far
/// (its [`Key::identity`]) to the keyid it counted under.
fn label(
    payload: &[u8],
    signature: &Signature,
    keys: &BTreeMap<String, Key>,
    authorized: &HashSet<&str>,
    counted: &HashMap<String, String>,
) -> Label {
    let key = match keys.get(&signature.keyid) {
        Some(key) if authorized.contains(signature.keyid.as_str()) => key,
        _ => return Label::NotAuthorized,
    };
    if signature.sig.is_empty() {
        return Label::EmptyPlaceholder;
    }
    if key.scheme().is_none() {
        return Label::UnsupportedScheme {
            keytype: key.keytype.clone(),
            scheme: key.scheme.clone(),
        };
    }
    if let Err(why) = key.material() {
        return Label::UnreadableKey(why);
    }
    if let Err(why) = signature_verifies(key, payload, &signature.sig) {
        return Label::Invalid(why);
    }
    match counted.get(&key.identity()) {
        Some(first) => Label::SameKey {
            counted_as: first.clone(),
        },
        None => Label::Counted,
    }
}

/// Checks `signatures` over `payload` against a role's `keyids` and `threshold`, looking
/// keys up in `keys` (the delegating metadata's key map). Every signature is labelled.
pub fn check_threshold(
    payload: &[u8],
    signatures: &[Signature],
    keys: &BTreeMap<String, Key>,
    keyids: &[String],
    threshold: u64,
) -> ThresholdReport {
    let authorized: HashSet<&str> = keyids.iter().map(String::as_str).collect();
    let mut report = ThresholdReport {
        threshold,
        authorized: keyids.to_vec(),
        ..Default::default()
    };
    // identity of a counted key → the keyid it counted under
    let mut counted: HashMap<String, String> = HashMap::new();
    for signature in signatures {
        let l = label(payload, signature, keys, &authorized, &counted);
        if matches!(l, Label::UnsupportedScheme { .. } | Label::UnreadableKey(_)) {
            report.unverifiable.push(signature.keyid.clone());
        }
        if l == Label::Counted {
            if let Some(key) = keys.get(&signature.keyid) {
                counted.insert(key.identity(), signature.keyid.clone());
            }
            report.counted.push(signature.keyid.clone());
        }
        report.signatures.push((signature.keyid.clone(), l));
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
    report
}

/// Each signature's label over several sets of keys that must all be met (a new root is
/// checked against its own root keys and the previous root's): `Counted` if any set
/// counted it, otherwise the label of the first set that authorizes its keyid, otherwise
/// [`Label::NotAuthorized`]. In file order.
pub fn combined_labels(reports: &[&ThresholdReport]) -> Vec<(String, Label)> {
    let Some(first) = reports.first() else {
        return Vec::new();
    };
    first
        .signatures
        .iter()
        .enumerate()
        .map(|(i, (keyid, _))| {
            let labels = reports
                .iter()
                .filter_map(|r| r.signatures.get(i).map(|s| &s.1));
            let mut best = Label::NotAuthorized;
            for l in labels {
                if *l == Label::Counted {
                    best = Label::Counted;
                    break;
                }
                if best == Label::NotAuthorized {
                    best = l.clone();
                }
            }
            (keyid.clone(), best)
        })
        .collect()
}

/// A rule a root breaks other than a threshold not met (see [`RootReport::problems`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RootProblem {
    /// The file is not root metadata at all.
    #[error("this is {found} metadata, not root")]
    NotRoot { found: String },
    /// A rotation whose version is not exactly the trusted root's plus one (spec 5.3.4).
    #[error(
        "root version {version} cannot follow trusted root version {trusted}: a client accepts only version {} next (TUF spec 5.3.4; a skipped or repeated version is refused)",
        .trusted + 1
    )]
    NotNextVersion { version: u64, trusted: u64 },
    /// A threshold not met: of its own root keys, or of the previous trusted root's.
    #[error(
        "it has {counted} of the {threshold} signatures {} need",
        if *.previous { "the previous trusted root's keys" } else { "its own root keys" }
    )]
    Unmet {
        counted: usize,
        threshold: u64,
        previous: bool,
    },
}

/// How a root stands: its own threshold, and for a rotation the previous root's too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootReport {
    /// The new root's own root role (always required).
    pub own: ThresholdReport,
    /// The trusted (previous) root's root role, for a rotation (spec 5.3.4).
    pub previous: Option<ThresholdReport>,
    /// Rule violations other than missing signatures (version, type), in the words of
    /// [`RootProblem`].
    pub problems: Vec<String>,
}

impl RootReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.own.met() && self.previous.as_ref().is_none_or(|p| p.met())
    }

    /// Each signature's label over both thresholds (see [`combined_labels`]).
    pub fn labels(&self) -> Vec<(String, Label)> {
        let mut reports = vec![&self.own];
        reports.extend(self.previous.as_ref());
        combined_labels(&reports)
    }

    /// Why a client refuses this root: each rule that does not hold, then each signature
    /// that did not count and why. Empty when the root is accepted.
    pub fn why_refused(&self) -> Vec<String> {
        if self.ok() {
            return Vec::new();
        }
        let mut why = self.problems.clone();
        let unmet = |t: &ThresholdReport, previous: bool| {
            RootProblem::Unmet {
                counted: t.counted.len(),
                threshold: t.threshold,
                previous,
            }
            .to_string()
        };
        if !self.own.met() {
            why.push(unmet(&self.own, false));
        }
        if let Some(p) = self.previous.as_ref().filter(|p| !p.met()) {
            why.push(unmet(p, true));
        }
        for (keyid, l) in self.labels() {
            if l != Label::Counted {
                why.push(format!(
                    "the signature by keyid {}: {}",
                    short(&keyid),
                    l.describe()
                ));
            }
        }
        why
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
            problems: vec![RootProblem::NotRoot {
                found: md.signed.type_name().to_string(),
            }
            .to_string()],
        };
    };
    let own = match root.role("root") {
        Some(r) => check_threshold(&payload, &md.signatures, &root.keys, &r.keyids, r.threshold),
        None => ThresholdReport::default(),
    };
    let previous = trusted.map(|old| {
        let expected = old.common.version + 1;
        if root.common.version != expected {
            problems.push(
                RootProblem::NotNextVersion {
                    version: root.common.version,
                    trusted: old.common.version,
                }
                .to_string(),
            );
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

/// Why metadata cannot be checked against the role that should delegate to it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotDelegated {
    /// The file is of another type than the delegation makes it.
    #[error("expected {expected} metadata, found _type \"{found}\"")]
    WrongType { expected: String, found: String },
    /// The delegating root lists no targets role.
    #[error("root has no targets role")]
    RootHasNoTargets,
    /// The delegating file is not root metadata.
    #[error("the root is not root metadata")]
    DelegatorNotRoot,
    /// The delegating file is not targets metadata.
    #[error("the delegator is not targets metadata")]
    DelegatorNotTargets,
    /// The delegating targets metadata has no delegations at all.
    #[error(
        "the delegating targets metadata has no delegations, so nothing delegates to \"{name}\""
    )]
    NoDelegations { name: String },
    /// The delegating targets metadata does not delegate to this role.
    #[error("the delegating targets metadata does not delegate to \"{name}\"")]
    NotDelegatedTo { name: String },
}

/// Verifies metadata delegated by `keys`/`keyids`/`threshold` (targets by root; claimed by
/// targets), checking its `_type` is `expected_type`.
pub fn verify_delegated(
    md: &Metadata,
    expected_type: &str,
    keys: &BTreeMap<String, Key>,
    keyids: &[String],
    threshold: u64,
) -> Result<ThresholdReport, NotDelegated> {
    if md.signed.type_name() != expected_type {
        return Err(NotDelegated::WrongType {
            expected: expected_type.to_string(),
            found: md.signed.type_name().to_string(),
        });
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
pub fn verify_targets(md: &Metadata, root: &Root) -> Result<ThresholdReport, NotDelegated> {
    let role = root.role("targets").ok_or(NotDelegated::RootHasNoTargets)?;
    verify_delegated(md, "targets", &root.keys, &role.keyids, role.threshold)
}

/// Verifies a delegated targets role `name` against its delegator's delegations.
pub fn verify_delegated_role(
    md: &Metadata,
    delegator: &Metadata,
    name: &str,
) -> Result<ThresholdReport, NotDelegated> {
    let targets = delegator
        .targets()
        .ok_or(NotDelegated::DelegatorNotTargets)?;
    let delegations = targets
        .delegations
        .as_ref()
        .ok_or_else(|| NotDelegated::NoDelegations {
            name: name.to_string(),
        })?;
    let role = delegations
        .role(name)
        .ok_or_else(|| NotDelegated::NotDelegatedTo {
            name: name.to_string(),
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
        sig(keyid, &hex::encode(sk.sign(payload).to_bytes()))
    }

    fn sig(keyid: &str, hex: &str) -> Signature {
        Signature {
            keyid: keyid.into(),
            sig: hex.into(),
            extra: Object::new(),
        }
    }

    /// An RSA key whose PEM is cut short: its signatures cannot be checked here.
    fn rsa_key() -> Key {
        let mut k = key(9).1;
        k.keytype = "rsa".into();
        k.scheme = "rsassa-pss-sha256".into();
        k.public = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n".to_string().into();
        k
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
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
        let r = check_threshold(payload, &sigs, &keys, &ids(&["id-a", "id-b"]), 2);
        assert!(!r.met());
        assert_eq!(r.counted, ids(&["id-a"]));
        assert_eq!(
            r.signatures[1],
            (
                "id-b".to_string(),
                Label::SameKey {
                    counted_as: "id-a".into()
                }
            )
        );
        assert!(r.signatures[1]
            .1
            .describe()
            .contains("python-tuf 7 counts keyids"));
        assert!(r.missing.is_empty(), "the only distinct key did sign");
    }

    /// Signatures this tool cannot check, or that do not count, are labelled and never
    /// stand in the way of a threshold met by the others: what clients accept is accepted.
    #[test]
    fn every_signature_is_labelled_and_only_valid_ones_count() {
        let (sk1, k1) = key(1);
        let (sk2, k2) = key(2);
        let (_, k3) = key(3);
        let (sk4, k4) = key(4);
        let keys: BTreeMap<String, Key> = [
            ("a".to_string(), k1),
            ("b".to_string(), k2),
            ("c".to_string(), k3),
            ("d".to_string(), k4),
            ("r".to_string(), rsa_key()),
        ]
        .into();
        let payload = b"payload";
        let sigs = vec![
            sign(&sk1, "a", payload),
            sign(&sk1, "b", payload), // b's keyid, a's key: does not verify
            sig("c", ""),             // tuf-on-ci's placeholder
            sig("r", &"ab".repeat(256)),
            sign(&sk2, "z", payload), // a keyid the role does not list
            sign(&sk4, "d", payload),
        ];
        let r = check_threshold(payload, &sigs, &keys, &ids(&["a", "b", "c", "d", "r"]), 2);
        let labels: Vec<&Label> = r.signatures.iter().map(|(_, l)| l).collect();
        assert_eq!(labels[0], &Label::Counted);
        assert!(matches!(labels[1], Label::Invalid(why) if why.contains("does not match")));
        assert_eq!(labels[2], &Label::EmptyPlaceholder);
        assert!(
            matches!(labels[3], Label::UnreadableKey(_)),
            "{:?}",
            labels[3]
        );
        assert!(
            labels[3].describe().contains("not counted"),
            "{:?}",
            labels[3]
        );
        assert_eq!(labels[4], &Label::NotAuthorized);
        assert_eq!(labels[5], &Label::Counted);
        assert_eq!(r.counted, ids(&["a", "d"]));
        assert!(
            r.met(),
            "two valid signatures meet the threshold whatever the others are"
        );
        assert_eq!(r.missing, ids(&["b", "c", "r"]));
        assert_eq!(r.invalid().len(), 1);
        let _ = sk2;
        // A scheme this tool does not check at all is labelled so.
        let mut p521 = key(8).1;
        p521.keytype = "ecdsa".into();
        p521.scheme = "ecdsa-sha2-nistp521".into();
        let keys: BTreeMap<String, Key> = [("p".to_string(), p521)].into();
        let r = check_threshold(payload, &[sig("p", "ab")], &keys, &ids(&["p"]), 1);
        assert!(r.signatures[0]
            .1
            .describe()
            .contains("scheme not supported here"));
        assert!(!r.met());
        assert_eq!(r.unverifiable, ids(&["p"]));
        assert_eq!(r.missing, ids(&["p"]));
    }

    /// An invalid or unchecked signature never counts, however many there are.
    #[test]
    fn nothing_but_valid_signatures_counts() {
        let (_, k1) = key(1);
        let keys: BTreeMap<String, Key> =
            [("a".to_string(), k1), ("r".to_string(), rsa_key())].into();
        for bad in ["", "00", "zz", &"11".repeat(64)] {
            let sigs = vec![sig("a", bad), sig("r", bad)];
            let r = check_threshold(b"payload", &sigs, &keys, &ids(&["a", "r"]), 1);
            assert!(r.counted.is_empty(), "{bad:?} counted");
            assert!(!r.met());
        }
    }

    /// A rotation labels each signature once over both sets of keys: counted by either set
    /// is counted, and a keyid only the previous root lists is not "not authorized".
    #[test]
    fn combined_labels_over_a_rotation() {
        let (sk1, k1) = key(1);
        let (sk2, k2) = key(2);
        let old: BTreeMap<String, Key> = [("old".to_string(), k1)].into();
        let new: BTreeMap<String, Key> = [("new".to_string(), k2)].into();
        let payload = b"payload";
        let sigs = vec![
            sign(&sk1, "old", payload),
            sign(&sk2, "new", payload),
            sig("new2", ""),
        ];
        let own = check_threshold(payload, &sigs, &new, &ids(&["new"]), 1);
        let previous = check_threshold(payload, &sigs, &old, &ids(&["old"]), 1);
        let labels = combined_labels(&[&own, &previous]);
        assert_eq!(labels[0].1, Label::Counted);
        assert_eq!(labels[1].1, Label::Counted);
        assert_eq!(labels[2].1, Label::NotAuthorized);
        let report = RootReport {
            own,
            previous: Some(previous),
            problems: Vec::new(),
        };
        assert!(report.ok());
        assert!(report.why_refused().is_empty());
    }

    /// `Authorized::check` is `check_threshold` over the role's own keys and threshold.
    #[test]
    fn authorized_checks_its_own_keys_and_threshold() {
        let (sk1, k1) = key(1);
        let (sk2, k2) = key(2);
        let keys: BTreeMap<String, Key> = [("a".to_string(), k1), ("b".to_string(), k2)].into();
        let a = Authorized::new(&keys, &ids(&["a"]), 1);
        assert_eq!(a.keyids, ids(&["a"]));
        let payload = b"payload";
        let r = a.check(payload, &[sign(&sk2, "b", payload)]);
        assert_eq!(
            r.signatures[0].1,
            Label::NotAuthorized,
            "b is not the role's"
        );
        assert!(!r.met());
        let r = a.check(payload, &[sign(&sk1, "a", payload)]);
        assert_eq!(r.counted, ids(&["a"]));
        assert!(r.met());
        assert_eq!(
            r,
            check_threshold(payload, &[sign(&sk1, "a", payload)], &keys, &ids(&["a"]), 1)
        );
    }

    /// Only keyids a set authorizes are looked up, and the first set listing a keyid names
    /// its key.
    #[test]
    fn authorized_keys_are_the_first_sets_key_per_listed_keyid() {
        let (_, k1) = key(1);
        let (_, k2) = key(2);
        let (_, k3) = key(3);
        let first = Authorized::new(
            &[("a".to_string(), k1.clone()), ("x".to_string(), k3)].into(),
            &ids(&["a"]),
            1,
        );
        let second = Authorized::new(
            &[("a".to_string(), k2.clone()), ("b".to_string(), k2.clone())].into(),
            &ids(&["a", "b"]),
            1,
        );
        let keys = authorized_keys([&first, &second]);
        assert_eq!(keys.len(), 2, "x is in a key map but no role lists it");
        assert_eq!(keys["a"], &k1);
        assert_eq!(keys["b"], &k2);
        assert!(authorized_keys([]).is_empty());
    }

    /// One signature verifies only over its own payload, with its own key, and says why not.
    #[test]
    fn signature_verifies_by_its_key_over_its_payload_only() {
        let (sk1, k1) = key(1);
        let (_, k2) = key(2);
        let s = sign(&sk1, "a", b"payload").sig;
        assert_eq!(signature_verifies(&k1, b"payload", &s), Ok(()));
        let why = signature_verifies(&k1, b"payloaD", &s).unwrap_err();
        assert!(why.contains("does not match"), "{why}");
        assert!(signature_verifies(&k2, b"payload", &s).is_err());
        assert!(signature_verifies(&k1, b"payload", "").is_err());
        let why = signature_verifies(&k1, b"payload", "zz").unwrap_err();
        assert!(why.contains("not hex"), "{why}");
    }

    /// `verified_by` names the key a signature verifies with, or why not, and does not
    /// count: a key listed under two keyids verifies under both.
    #[test]
    fn verified_by_names_the_key_or_why_not() {
        let (sk1, k1) = key(1);
        let (sk2, _) = key(2);
        let keys: BTreeMap<String, Key> = [
            ("a".to_string(), k1.clone()),
            ("a2".to_string(), k1.clone()),
        ]
        .into();
        let set = Authorized::new(&keys, &ids(&["a", "a2"]), 2);
        let map = authorized_keys([&set]);
        let payload = b"payload";
        assert_eq!(
            verified_by(payload, &sign(&sk1, "a", payload), &map),
            Ok(&k1)
        );
        assert_eq!(
            verified_by(payload, &sign(&sk1, "a2", payload), &map),
            Ok(&k1)
        );
        assert_eq!(
            verified_by(payload, &sign(&sk1, "z", payload), &map),
            Err(Label::NotAuthorized)
        );
        assert_eq!(
            verified_by(payload, &sig("a", ""), &map),
            Err(Label::EmptyPlaceholder)
        );
        assert!(matches!(
            verified_by(payload, &sign(&sk2, "a", payload), &map),
            Err(Label::Invalid(why)) if why.contains("does not match")
        ));
    }
}
