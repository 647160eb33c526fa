//! What a signature made here is recorded as (the transcript's `sign` line, with the
//! signature itself as evidence) and where it was made (the ceremony folder, or a signing
//! request on another machine).

use crate::json::Value;
use crate::keys::Key;
use crate::names::RoleName;
use crate::output::Embedded;
use crate::signer::Device;
use std::path::Path;

/// Where a signature is made: in the ceremony folder, or from a signing request carried
/// away from it ([`super::request`]).
#[derive(Clone, Copy)]
pub(super) enum Origin<'a> {
    /// The ceremony folder: the signature is recorded in its transcript.
    Folder,
    /// A signing request of ceremony `ceremony`, read into a ceremony held in memory: nothing
    /// is recorded (there is no folder here; `merge` records it), and the keyholder is the
    /// one the request names for the key, never a name given here alone.
    Request { ceremony: &'a str },
}

/// What the transcript records of a signature (never a secret).
pub(super) struct SignRecord<'a> {
    pub(super) role: &'a RoleName,
    pub(super) version: u64,
    pub(super) digest: String,
    pub(super) keyholder: &'a str,
    pub(super) keyids: Vec<&'a str>,
    pub(super) scheme: &'a str,
    pub(super) device: &'a Device,
    /// What the device's attestation proved ([`crate::attest::Status::to_value`]): a new,
    /// optional field of the transcript's sign event.
    pub(super) attestation: Option<Value>,
    /// The evidence the line carries, so that it can be checked again alone: the signature
    /// (hex), the key that made it, and the device's certificates, if it handed any over.
    pub(super) sig: &'a str,
    pub(super) key: &'a Key,
    pub(super) certificates: Option<Value>,
}

impl SignRecord<'_> {
    /// The transcript's `sign` event; `detached` is the signature file written, if any.
    pub(super) fn event(&self, detached: Option<&Path>) -> super::events::Sign<'_> {
        super::events::Sign {
            role: self.role.as_str(),
            version: self.version,
            payload_sha256: &self.digest,
            keyholder: self.keyholder,
            keyids: self.keyids.clone(),
            scheme: self.scheme,
            device: self.device.into(),
            attestation: self.attestation.clone().map(Embedded),
            detached: detached.map(|p| p.display().to_string()),
            signatures: self
                .keyids
                .iter()
                .map(|keyid| super::events::SignatureRecord {
                    keyid,
                    sig: self.sig,
                })
                .collect(),
            key: Some(Embedded(super::evidence::key_value(self.key))),
            certificates: self.certificates.clone().map(Embedded),
        }
    }
}
