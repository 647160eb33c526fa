//! Which published TUF clients would reject keys that python-tuf 7 accepts, so that a
//! warning names exactly those clients and no other.
//!
//! What is established, from each client's code:
//! - tough 0.24 (awslabs/tough `schema/de.rs` `deserialize_keys`, `schema/key.rs`): reading
//!   root, it recomputes every keyid of `keys` over the whole key object and refuses the
//!   whole root on a mismatch ([`crate::keys::keyid_warning`]), and it reads only the keys
//!   in [`TOUGH_ROOT_KEYS`]: any other key in root's `keys`, even one no role lists, makes the
//!   whole root unreadable for it.
//! - python-tuf 7 (`Root.from_dict`) and go-tuf v2 (`VerifyDelegate`) take keyids as given.
//!
//! Nothing here decides what counts or is refused: these are warnings.

use crate::display::escape;
use crate::keys::{delegated_keyid_warning, keyid_warning, Key};
use std::collections::BTreeMap;

/// The keytype/scheme pairs tough reads in root (`enum Key`, tagged by keytype, with one
/// scheme each: `RsaScheme::RsassaPssSha256`, `Ed25519Scheme`, `EcdsaScheme::EcdsaSha2Nistp256`;
/// `EcdsaOld` is the old keytype spelled like the scheme).
pub const TOUGH_ROOT_KEYS: [(&str, &str); 4] = [
    ("ed25519", "ed25519"),
    ("ecdsa", "ecdsa-sha2-nistp256"),
    ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"),
    ("rsa", "rsassa-pss-sha256"),
];

/// The keytype/scheme pairs python-tuf 7 reads (securesystemslib 1.6
/// `KEY_FOR_TYPE_AND_SCHEME`). `Key.from_dict` refuses any other pair with "Unsupported
/// public key", and with it the whole file, even when no role lists the key.
pub const PYTHON_TUF_KEYS: [(&str, &str); 19] = [
    ("dsa", "pgp+dsa-fips-180-2"),
    ("ecdsa", "ecdsa-sha2-nistp256"),
    ("ecdsa", "ecdsa-sha2-nistp384"),
    ("ecdsa", "ecdsa-sha2-nistp521"),
    ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"),
    ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"),
    ("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521"),
    ("ed25519", "ed25519"),
    ("eddsa", "pgp+eddsa-ed25519"),
    ("ml-dsa", "ml-dsa-44/1"),
    ("ml-dsa", "ml-dsa-65/1"),
    ("ml-dsa", "ml-dsa-87/1"),
    ("rsa", "pgp+rsa-pkcsv1.5"),
    ("rsa", "rsa-pkcs1v15-sha256"),
    ("rsa", "rsa-pkcs1v15-sha384"),
    ("rsa", "rsa-pkcs1v15-sha512"),
    ("rsa", "rsassa-pss-sha256"),
    ("rsa", "rsassa-pss-sha384"),
    ("rsa", "rsassa-pss-sha512"),
];

/// Why python-tuf 7 refuses a file that lists `key`, if it does: its keytype/scheme pair is
/// not one python-tuf reads ([`PYTHON_TUF_KEYS`]).
pub fn python_tuf_refuses_key(keyid: &str, key: &Key) -> Option<String> {
    let pair = (key.keytype.as_str(), key.scheme.as_str());
    if PYTHON_TUF_KEYS.contains(&pair) {
        return None;
    }
    Some(format!(
        "key {} is {}/{}, a keytype and scheme python-tuf 7 does not read: it refuses the whole \
         file (\"Unsupported public key\"), even if no role lists the key",
        escape(keyid),
        escape(&key.keytype),
        escape(&key.scheme)
    ))
}

/// Whether tough reads `key` in root (its keytype and scheme are in [`TOUGH_ROOT_KEYS`]).
pub fn tough_reads(key: &Key) -> bool {
    TOUGH_ROOT_KEYS.contains(&(key.keytype.as_str(), key.scheme.as_str()))
}

/// A warning for a key in root's `keys` that tough cannot read, if it is one.
pub fn tough_key_warning(keyid: &str, key: &Key, place: &str) -> Option<String> {
    if tough_reads(key) {
        return None;
    }
    Some(format!(
        "{place}: key {} is {}/{}, which tough does not read: tough, and clients built on it, \
         reject the whole root (one such key anywhere in root's keys is enough), while \
         python-tuf 7 reads it. Give that keyholder an ed25519, ecdsa-sha2-nistp256 or \
         rsassa-pss-sha256 key if tough-based clients must read this root.",
        escape(keyid),
        escape(&key.keytype),
        escape(&key.scheme)
    ))
}

/// Every warning about root's keys: keyids against both conventions, then key types, each
/// naming the clients that reject the root.
pub fn root_key_warnings(keys: &BTreeMap<String, Key>, place: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (keyid, key) in keys {
        out.extend(keyid_warning(&escape(keyid), key.check_keyid(keyid), place));
        out.extend(tough_key_warning(keyid, key, place));
    }
    out
}

/// Every warning about the keys a targets role delegates to (keyids only: no client's
/// treatment of delegated key types beyond python-tuf's is established).
pub fn delegated_key_warnings(keys: &BTreeMap<String, Key>, place: &str) -> Vec<String> {
    keys.iter()
        .filter_map(|(keyid, key)| {
            delegated_keyid_warning(&escape(keyid), key.check_keyid(keyid), place)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Value;

    fn key() -> Key {
        Key::ed25519(&ed25519_dalek::SigningKey::from_bytes(&[5u8; 32]).verifying_key())
    }

    /// Warnings name tough for what tough rejects (a keyid it recomputes differently, a key
    /// it cannot read), and nothing for what every client accepts: in particular a keyid over
    /// the whole object, which python-tuf 7 verifies (Sigstore roots 5 to 15).
    #[test]
    fn only_what_a_client_rejects_is_warned_and_the_client_is_named() {
        let mut k = key();
        k.extra.insert(
            "keyid_hash_algorithms",
            Value::Array(vec![Value::str("sha256")]),
        );
        let whole = k.keyid_whole_object();
        let core = k.keyid();
        let none: BTreeMap<String, Key> = [(whole.clone(), k.clone())].into();
        assert!(root_key_warnings(&none, "root.json").is_empty());
        for id in [core.clone(), "ab".repeat(32)] {
            let keys: BTreeMap<String, Key> = [(id.clone(), k.clone())].into();
            let w = root_key_warnings(&keys, "root.json");
            assert_eq!(w.len(), 1, "{w:?}");
            assert!(
                w[0].contains("tough, and clients built on it, hash")
                    || w[0].contains("tough, and clients built on it, reject")
            );
            assert!(w[0].contains("python-tuf 7 and go-tuf v2 take keyids as given"));
            assert!(!w[0].contains("go-tuf will"), "{}", w[0]);
            let d = delegated_key_warnings(&keys, "claimed.json");
            assert_eq!(d.len(), 1);
            assert!(
                !d[0].contains("tough"),
                "not established for delegations: {}",
                d[0]
            );
        }
        let mut odd = key();
        odd.scheme = "ecdsa-sha2-nistp256".into();
        assert!(python_tuf_refuses_key("k", &odd)
            .unwrap()
            .contains("ed25519/ecdsa-sha2-nistp256"));
        assert!(python_tuf_refuses_key("k", &key()).is_none());
        let mut p384 = key();
        p384.keytype = "ecdsa".into();
        p384.scheme = "ecdsa-sha2-nistp384".into();
        let keys: BTreeMap<String, Key> = [(p384.keyid(), p384)].into();
        let w = root_key_warnings(&keys, "root.json");
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("ecdsa/ecdsa-sha2-nistp384, which tough does not read"));
        assert!(python_tuf_refuses_key("k", keys.values().next().unwrap()).is_none());
    }
}
