//! What the transcript's `sign` and `merge` lines prove, checked again from the evidence
//! each carries ([`super::events`]), never taken from the verdict it records.
//!
//! The hash chain shows that no line was changed once later lines were written; it does
//! not show who wrote a line: anyone who holds the file can append lines that keep the
//! chain. So a line counts only for what its evidence proves when checked here:
//!
//! - its signatures verify with the key it carries, over a payload this ceremony holds (the
//!   working or the trusted version of the role it names, with the SHA-256 it names): the
//!   holder of that key signed that payload (a TUF signature covers the canonical form of
//!   the metadata's `signed` object, TUF spec 4.2);
//! - its device certificates, if it carries any, chain to the CA certificates in force
//!   ([`Ceremony::trust`]: Yubico's, built in, or `--attestation-ca`) and attest that very
//!   key, within their validity at the time the line records (when they were first checked).
//!
//! A line without evidence (written by an older tuf-ceremony, or by hand) proves nothing. A
//! signature over a payload the folder no longer holds (an edit replaced it) cannot be
//! checked, and proves nothing either: its holder signs the current version.

use super::Ceremony;
use crate::attest::{Attestation, DeviceKind, TrustStore};
use crate::display::escape;
use crate::error::Result;
use crate::json::Value;
use crate::keys::Key;
use crate::names::RoleName;
use crate::transcript::Entry;
use std::collections::HashMap;

/// The key object a line records: `keytype`, `scheme` and `keyval` as TUF writes a key,
/// without the other members a metadata file may give it (an RSTUF key name), which say
/// nothing about the key.
pub fn key_value(key: &Key) -> Value {
    Key {
        extra: crate::json::Object::new(),
        ..key.clone()
    }
    .to_value()
}

/// What one `sign` or `merge` line's evidence proves.
#[derive(Debug)]
pub enum Outcome {
    /// The line carries no signature or no key: a verdict alone, which proves nothing.
    NoEvidence,
    /// The line carries evidence that does not hold; why, in words.
    Broken(String),
    /// The signatures verify.
    Proved(Box<Proof>),
}

/// What a line's evidence proved.
#[derive(Debug)]
pub struct Proof {
    /// The key whose signatures verified.
    pub key: Key,
    /// The keyids its signatures are filed under.
    pub keyids: Vec<String>,
    /// What its device certificates prove: `None` when the line carries none, otherwise the
    /// attestation verified here, or why it does not verify.
    pub attestation: Option<std::result::Result<Attestation, String>>,
}

/// One `sign` or `merge` line of the transcript, checked.
#[derive(Debug)]
pub struct Line {
    pub seq: u64,
    /// `sign` or `merge`.
    pub event: String,
    pub outcome: Outcome,
}

impl Line {
    /// The proof, when the line's evidence holds.
    pub fn proof(&self) -> Option<&Proof> {
        match &self.outcome {
            Outcome::Proved(p) => Some(p),
            _ => None,
        }
    }

    /// The attestation verified here, when the line's signatures and certificates hold.
    pub fn attestation(&self) -> Option<&Attestation> {
        self.proof()
            .and_then(|p| p.attestation.as_ref())
            .and_then(|a| a.as_ref().ok())
    }
}

/// Checks every `sign` and `merge` line of `entries` (a transcript whose chain has been
/// verified), in order. The payloads are read once per role, and only for roles a line
/// with evidence names.
pub fn check(c: &Ceremony, entries: &[Entry]) -> Result<Vec<Line>> {
    let mut checker = Checker {
        c,
        payloads: HashMap::new(),
        stores: Vec::new(),
    };
    let mut out = Vec::new();
    for e in entries.iter().filter(|e| is_signing(e)) {
        out.push(Line {
            seq: e.seq,
            event: e.event().to_string(),
            outcome: checker.line(e)?,
        });
    }
    Ok(out)
}

/// Whether a line records a signature (`sign` or `merge`).
fn is_signing(e: &Entry) -> bool {
    matches!(e.event(), "sign" | "merge")
}

struct Checker<'c> {
    c: &'c Ceremony,
    /// Per role named: its working and trusted payloads (whichever exist).
    payloads: HashMap<String, Vec<super::Parsed>>,
    /// Per device kind: the CA certificates in force, or why they cannot be used.
    stores: Vec<(DeviceKind, std::result::Result<TrustStore, String>)>,
}

impl Checker<'_> {
    fn line(&mut self, e: &Entry) -> Result<Outcome> {
        let (Some(signatures), Some(key)) = (e.fields.get("signatures"), e.fields.get("key"))
        else {
            return Ok(Outcome::NoEvidence);
        };
        let broken = |why: &str| Ok(Outcome::Broken(why.to_string()));
        let Ok(key) = Key::from_value(key, "$.key") else {
            return broken("the key it records is not a TUF key this tool can read");
        };
        let Some(signatures) = signatures_of(signatures) else {
            return broken("its signatures are not a list of keyid and sig");
        };
        let (Some(role), Some(digest)) = (e.str("role"), e.str("payload_sha256")) else {
            return broken("it names no role or payload");
        };
        let Some(payload) = self.payload(role, digest)? else {
            return Ok(Outcome::Broken(format!(
                "the payload it names ({} with SHA-256 {}) is not the working or trusted {} in the ceremony folder, so its signature cannot be checked",
                escape(role),
                super::short(digest),
                escape(role)
            )));
        };
        for (keyid, sig) in &signatures {
            if let Err(why) = crate::verify::signature_verifies(&key, payload, sig) {
                return Ok(Outcome::Broken(format!(
                    "its signature filed under keyid {} does not verify with the key it records over that payload ({why})",
                    super::short(keyid)
                )));
            }
        }
        let attestation = e
            .fields
            .get("certificates")
            .map(|certs| self.attestation(certs, &key, e.str("time")));
        Ok(Outcome::Proved(Box::new(Proof {
            key,
            keyids: signatures.into_iter().map(|(id, _)| id).collect(),
            attestation,
        })))
    }

    /// The bytes of the payload of `role` with SHA-256 `digest`, if the folder holds it.
    fn payload(&mut self, role: &str, digest: &str) -> Result<Option<&[u8]>> {
        if !self.payloads.contains_key(role) {
            let mut held = Vec::new();
            if let Ok(name) = RoleName::parse(role) {
                if let Some(p) = self.c.working_shared(&name)? {
                    held.push(p);
                }
                if let Some(p) = self.c.trusted_shared(&name)? {
                    held.push(p);
                }
            }
            self.payloads.insert(role.to_string(), held);
        }
        Ok(self.payloads[role]
            .iter()
            .find(|p| p.1.sha256_hex().eq_ignore_ascii_case(digest))
            .map(|p| p.1.bytes.as_slice()))
    }

    /// The device certificates a line carries, verified for `key` at the line's time.
    fn attestation(
        &mut self,
        certs: &Value,
        key: &Key,
        time: Option<&str>,
    ) -> std::result::Result<Attestation, String> {
        let text = |name: &str| {
            certs
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("its certificates have no {name}"))
        };
        let evidence = super::sigfile::CarriedEvidence {
            kind: text("kind")?,
            key_certificate: text("key_certificate")?,
            device_certificate: text("device_certificate")?,
        }
        .evidence()?;
        let at = time
            .and_then(|t| crate::time::parse_expires(t).ok())
            .ok_or("the line records no time at which to check its certificates")?;
        let store = self.store(evidence.kind)?;
        crate::attest::verify(&evidence, key, store, at).map_err(|e| e.to_string())
    }

    fn store(&mut self, kind: DeviceKind) -> std::result::Result<&TrustStore, String> {
        let i = match self.stores.iter().position(|(k, _)| *k == kind) {
            Some(i) => i,
            None => {
                let store = self.c.trust.store(kind).map_err(|e| e.to_string());
                self.stores.push((kind, store));
                self.stores.len() - 1
            }
        };
        self.stores[i].1.as_ref().map_err(Clone::clone)
    }
}

/// `signatures`: a non-empty list of `{"keyid", "sig"}` strings.
fn signatures_of(v: &Value) -> Option<Vec<(String, String)>> {
    let items = v.as_array()?;
    let out: Option<Vec<(String, String)>> = items
        .iter()
        .map(|s| {
            Some((
                s.get("keyid")?.as_str()?.to_string(),
                s.get("sig")?.as_str()?.to_string(),
            ))
        })
        .collect();
    out.filter(|o| !o.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::Payload;
    use ed25519_dalek::Signer as _;

    /// A ceremony folder holding an unsigned working targets, its payload, and a key.
    fn folder() -> (
        tempfile::TempDir,
        Ceremony,
        Payload,
        ed25519_dalek::SigningKey,
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("targets.json"),
            br#"{"signatures":[],"signed":{"_type":"targets","expires":"2030-01-01T00:00:00Z","spec_version":"1.0.31","targets":{},"version":1}}"#,
        )
        .unwrap();
        let c = Ceremony::unrecorded(dir.path(), super::super::State::default(), 0);
        let (_, payload) = c.working_with_payload(&RoleName::TARGETS).unwrap().unwrap();
        (
            dir,
            c,
            payload,
            ed25519_dalek::SigningKey::from_bytes(&[9; 32]),
        )
    }

    fn entry(seq: u64, line: &str) -> Entry {
        match crate::json::parse(line.as_bytes()).unwrap() {
            Value::Object(fields) => Entry { seq, fields },
            other => panic!("{other:?}"),
        }
    }

    /// A `sign` line over `digest` carrying `sig` and `key`, plus `extra` members.
    fn sign_line(digest: &str, sig: &str, key: &Key, extra: &str) -> String {
        format!(
            r#"{{"event":"sign","role":"targets","payload_sha256":"{digest}","keyholder":"alice","keyids":["k1"],"signatures":[{{"keyid":"k1","sig":"{sig}"}}],"key":{},"time":"2026-01-01T00:00:00Z"{extra}}}"#,
            crate::json::compact(&key.to_value())
        )
    }

    /// A line is taken for what its evidence proves: a verdict alone proves nothing, a
    /// signature proves its key only when it verifies over a payload the folder holds.
    #[test]
    fn a_line_counts_only_for_the_evidence_it_carries() {
        let (_dir, c, payload, sk) = folder();
        let key = Key::ed25519(&sk.verifying_key());
        let digest = payload.sha256_hex();
        let sig = hex::encode(sk.sign(&payload.bytes).to_bytes());
        let other = ed25519_dalek::SigningKey::from_bytes(&[8; 32]);
        let forged = hex::encode(other.sign(&payload.bytes).to_bytes());
        let entries = vec![
            // 1. A verdict and keyids, nothing to check.
            entry(
                1,
                &format!(
                    r#"{{"event":"merge","role":"targets","payload_sha256":"{digest}","keyholder":"mallory","keyids":["k1"],"attestation":{{"status":"verified","key":{}}}}}"#,
                    crate::json::compact(&key.to_value())
                ),
            ),
            // 2. The genuine signature.
            entry(2, &sign_line(&digest, &sig, &key, "")),
            // 3. The same, naming a payload the folder does not hold.
            entry(3, &sign_line(&"ab".repeat(32), &sig, &key, "")),
            // 4. A signature by another key, recorded as this key's.
            entry(4, &sign_line(&digest, &forged, &key, "")),
            // 5. The genuine signature with certificates that are none.
            entry(
                5,
                &sign_line(
                    &digest,
                    &sig,
                    &key,
                    r#","certificates":{"kind":"yubihsm-2","key_certificate":"x","device_certificate":"y"}"#,
                ),
            ),
            // Not a signing line: skipped.
            entry(6, r#"{"event":"export"}"#),
        ];
        let lines = check(&c, &entries).unwrap();
        assert_eq!(lines.len(), 5);
        assert!(
            matches!(lines[0].outcome, Outcome::NoEvidence),
            "{:?}",
            lines[0]
        );
        let p = lines[1].proof().unwrap();
        assert_eq!(p.key.identity(), key.identity());
        assert_eq!(p.keyids, vec!["k1".to_string()]);
        assert!(p.attestation.is_none());
        match &lines[2].outcome {
            Outcome::Broken(why) => assert!(why.contains("cannot be checked"), "{why}"),
            other => panic!("{other:?}"),
        }
        match &lines[3].outcome {
            Outcome::Broken(why) => assert!(why.contains("does not verify"), "{why}"),
            other => panic!("{other:?}"),
        }
        let p = lines[4].proof().unwrap();
        assert!(matches!(&p.attestation, Some(Err(why)) if why.contains("not a PEM certificate")));
        assert!(lines[4].attestation().is_none());
    }
}
