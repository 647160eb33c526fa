//! The transcript's events, one serde struct per kind: what each line of
//! `transcript.jsonl` records besides the chain (`seq`, `prev`) and the `time` and `tool`
//! [`Transcript::append_all`] adds.
//!
//! Transcripts outlive the tool that wrote them: `audit`, `report`, `transcript verify`
//! and the policy's `attested` read lines older versions wrote. So each struct here is the
//! record as it has always been written: the same member names and types, a member left
//! out (never `null`) where it was left out, `null` where it was `null`. The lines are
//! written through [`output::to_value`], with keys sorted as every JSON the tool writes.
//! Nothing secret is ever a member of an event.
//!
//! A `sign` or `merge` line carries its evidence, never only a verdict: the signatures
//! themselves (`signatures`), the public key they were made with (`key`, a TUF key object)
//! and, when a device attested the key, its certificates (`certificates`, PEM, as a
//! detached signature file carries them). Anyone can append a line that keeps the hash
//! chain, so what reads these lines ([`super::evidence`]) checks that evidence again and
//! gives a line without it (an older transcript, a line written by hand) no weight.
//!
//! [`Transcript::append_all`]: crate::transcript::Transcript::append_all
//! [`output::to_value`]: crate::output::to_value

use crate::error::{Error, Result};
use crate::json::Value;
use crate::output::{to_value, Embedded};
use crate::signer::Device;
use serde::Serialize;

/// One kind of transcript event: its `event` member and its fields.
pub trait Event: Serialize {
    /// The line's `event` member.
    const NAME: &'static str;
}

/// An event as the transcript writer takes it: its name and its members.
pub(super) fn line<T: Event>(event: &T) -> Result<(String, Vec<(String, Value)>)> {
    let not_written = |why: String| {
        Error::bug(format!(
            "the {} event could not be written as a JSON object ({why})",
            T::NAME
        ))
    };
    match to_value(event).map_err(|e| not_written(e.to_string()))? {
        Value::Object(members) => Ok((T::NAME.to_string(), members.into_members())),
        _ => Err(not_written("not an object".to_string())),
    }
}

/// The device a signature came from, as the transcript records it (see [`Device`]).
#[derive(Serialize)]
pub struct DeviceRecord<'a> {
    pub kind: &'a str,
    pub identity: &'a str,
    pub description: &'a str,
}

impl<'a> From<&'a Device> for DeviceRecord<'a> {
    fn from(d: &'a Device) -> Self {
        DeviceRecord {
            kind: &d.kind,
            identity: &d.identity,
            description: &d.description,
        }
    }
}

/// A file written or read, and the SHA-256 of its bytes.
#[derive(Serialize)]
pub struct FileDigest {
    pub file: String,
    pub sha256: String,
}

/// `init`: a new unsigned role.
#[derive(Serialize)]
pub struct Init<'a> {
    pub role: &'a str,
    pub version: u64,
    pub expires: &'a str,
    pub payload_sha256: String,
}

impl Event for Init<'_> {
    const NAME: &'static str = "init";
}

/// `load` (and `rstuf import` of a payload): metadata made elsewhere taken in, with the
/// keyids of the signatures it carried.
#[derive(Serialize)]
pub struct Load<'a> {
    pub role: &'a str,
    pub version: u64,
    pub payload_sha256: String,
    pub trusted: bool,
    pub signatures: Vec<&'a str>,
    /// The file it came from (and where in it, for an RSTUF payload).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_sha256: Option<String>,
}

impl Event for Load<'_> {
    const NAME: &'static str = "load";
}

/// `edit`: a new version of a role; every signature over the old payload is dropped.
#[derive(Serialize)]
pub struct Edit<'a> {
    pub role: &'a str,
    pub action: &'static str,
    pub version: u64,
    pub payload_sha256: String,
    pub dropped_signatures: Vec<String>,
    /// What the action changed, beside the members above.
    #[serde(flatten)]
    pub details: EditDetails,
}

impl Event for Edit<'_> {
    const NAME: &'static str = "edit";
}

/// What an `edit` changed, one variant per action; its members sit beside the edit's own.
#[derive(Serialize)]
#[serde(untagged)]
pub enum EditDetails {
    /// `root add-key`: `key` is the keyid added to `target_role`.
    AddKey {
        target_role: String,
        key: String,
        keyholder: String,
    },
    /// `root remove-key`: the keyids removed from `target_role`.
    RemoveKey {
        target_role: String,
        keys: Vec<String>,
    },
    /// `root set-threshold`.
    SetThreshold { target_role: String, threshold: u64 },
    /// `expires`.
    Expires { expires: String },
    /// `delegate`: a delegation from targets.
    Delegate {
        delegated_role: String,
        threshold: u64,
    },
    /// `claimed add-project`.
    ClaimedAddProject {
        project: String,
        threshold: u64,
        keyids: Vec<String>,
        /// Revoked developer keys brought back on purpose (`--readmit-revoked-key`).
        #[serde(skip_serializing_if = "Readmitted::is_empty")]
        readmitted: Readmitted,
    },
    /// `claimed remove-project`.
    ClaimedRemoveProject { projects: Vec<String> },
    /// `claimed revoke-key`: the keyids removed, and each key's identity (its public key
    /// material, [`crate::keys::Key::identity`]), so the key is known again under any keyid.
    ClaimedRevokeKey {
        revoked_keyids: Vec<String>,
        revoked_keys: Vec<String>,
    },
    /// `claimed import-recently-claimed`: the recently-claimed file read and the projects
    /// moved from it.
    ClaimedImportRecentlyClaimed {
        /// The online role moved from; with `from_version`, what a later move must be newer
        /// than (a rollback is refused).
        from_role: String,
        from_file_sha256: String,
        from_version: u64,
        moved_projects: u64,
        moved_list_sha256: String,
        /// Revoked developer keys brought back on purpose (`--readmit-revoked-key`).
        #[serde(skip_serializing_if = "Readmitted::is_empty")]
        readmitted: Readmitted,
    },
}

/// Developer keys `claimed revoke-key` revoked, brought back on purpose: their keyids and
/// identities ([`crate::keys::Key::identity`]), and the transcript lines that revoked them.
#[derive(Serialize, Default)]
pub struct Readmitted {
    pub keyids: Vec<String>,
    pub keys: Vec<String>,
    pub revoked_at_lines: Vec<u64>,
}

impl Readmitted {
    pub fn is_empty(&self) -> bool {
        self.keyids.is_empty()
    }
}

impl EditDetails {
    /// The edit's `action` member.
    pub fn action(&self) -> &'static str {
        match self {
            EditDetails::AddKey { .. } => "add-key",
            EditDetails::RemoveKey { .. } => "remove-key",
            EditDetails::SetThreshold { .. } => "set-threshold",
            EditDetails::Expires { .. } => "expires",
            EditDetails::Delegate { .. } => "delegate",
            EditDetails::ClaimedAddProject { .. } => "claimed-add-project",
            EditDetails::ClaimedRemoveProject { .. } => "claimed-remove-project",
            EditDetails::ClaimedRevokeKey { .. } => "claimed-revoke-key",
            EditDetails::ClaimedImportRecentlyClaimed { .. } => "claimed-import-recently-claimed",
        }
    }
}

/// `policy`: the ceremony policy's digest changed; `sha256` is `null` once the file is
/// gone.
#[derive(Serialize)]
pub struct Policy {
    pub file: &'static str,
    pub sha256: Option<String>,
}

impl Event for Policy {
    const NAME: &'static str = "policy";
}

/// One signature as a `sign` or `merge` line carries it: the keyid it is filed under and
/// the signature value, hex, exactly as written into the metadata.
#[derive(Serialize)]
pub struct SignatureRecord<'a> {
    pub keyid: &'a str,
    pub sig: &'a str,
}

/// `sign`: a keyholder signed a role here (or on another machine, `detached`).
#[derive(Serialize)]
pub struct Sign<'a> {
    pub role: &'a str,
    pub version: u64,
    pub payload_sha256: &'a str,
    pub keyholder: &'a str,
    pub keyids: Vec<&'a str>,
    pub scheme: &'a str,
    pub device: DeviceRecord<'a>,
    /// What the device's attestation proved ([`crate::attest::Status::to_value`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation: Option<Embedded>,
    /// The signature file written, when signed detached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detached: Option<String>,
    /// The evidence: the signature made, once per keyid it is filed under.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<SignatureRecord<'a>>,
    /// The public key that made it, as TUF writes a key (`keytype`, `scheme`, `keyval`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Embedded>,
    /// The device's attestation certificates for that key, when it handed some over
    /// ([`super::sigfile::evidence_value`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Embedded>,
}

impl Event for Sign<'_> {
    const NAME: &'static str = "sign";
}

/// `merge`: the signatures of a detached signature file added, with the file's digest and
/// what its device attestation proved on this machine.
#[derive(Serialize)]
pub struct Merge<'a> {
    pub attestation: Embedded,
    pub role: &'a str,
    pub version: u64,
    pub payload_sha256: &'a str,
    pub keyholder: &'a str,
    pub keyids: Vec<&'a str>,
    /// The device as the signature file names it.
    pub device: Embedded,
    pub signed_at: &'a str,
    pub file: String,
    pub file_sha256: &'a str,
    /// The evidence: the file's signatures, the key that made them, and the device
    /// certificates the file carried (as [`Sign`] records them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<SignatureRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Embedded>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Embedded>,
}

impl Event for Merge<'_> {
    const NAME: &'static str = "merge";
}

/// `merge` of a signature imported from RSTUF (`rstuf import`): the device is the file it
/// came in (`kind` `imported`).
#[derive(Serialize)]
pub struct MergeImported<'a> {
    pub role: &'a str,
    pub version: u64,
    pub payload_sha256: String,
    pub keyholder: &'a str,
    pub keyids: Vec<&'a str>,
    pub device: DeviceRecord<'a>,
    pub file: String,
    pub file_sha256: String,
    /// The evidence: the signature imported and the key that made it (as [`Sign`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<SignatureRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Embedded>,
}

impl Event for MergeImported<'_> {
    const NAME: &'static str = "merge";
}

/// `export`: the files written for the repository and the roles they hold.
#[derive(Serialize)]
pub struct Export<'a> {
    pub out: String,
    pub files: Vec<FileDigest>,
    pub roles: Vec<ExportedRole<'a>>,
    /// The SHA-256 of the policy the export was checked against; `null` when the folder
    /// had none. (Lines written before exports recorded it have no such member.)
    pub policy_sha256: Option<String>,
}

impl Event for Export<'_> {
    const NAME: &'static str = "export";
}

/// One role of an [`Export`], with the keyids of its signatures.
#[derive(Serialize)]
pub struct ExportedRole<'a> {
    pub role: &'a str,
    pub version: u64,
    pub payload_sha256: String,
    pub signatures: Vec<&'a str>,
    /// Each threshold the role was checked against, as it stood in what was written.
    pub thresholds: Vec<Threshold>,
}

/// `export` of an RSTUF payload (`rstuf export`): `rstuf` is `bootstrap`, `update` or
/// `sign`.
#[derive(Serialize)]
pub struct RstufExport<'a> {
    pub out: String,
    pub rstuf: &'a str,
    pub role: &'a str,
    pub version: u64,
    pub payload_sha256: String,
    pub files: Vec<FileDigest>,
    /// As in [`Export`].
    pub policy_sha256: Option<String>,
    /// Root's thresholds as they stood in what was written: a payload for RSTUF may be
    /// below them (RSTUF holds such a root as pending signatures).
    pub thresholds: Vec<Threshold>,
}

impl Event for RstufExport<'_> {
    const NAME: &'static str = "export";
}

/// One threshold an exported role was checked against (TUF spec 5.3.4, 5.6.3): the keyids
/// whose signatures counted, one per distinct key, and whether they reach it.
#[derive(Serialize)]
pub struct Threshold {
    /// The requirement, in words (`root v2's own root keys`).
    pub label: String,
    pub threshold: u64,
    pub counted: Vec<String>,
    pub met: bool,
}

/// `transcript-sign`: a keyholder signed the transcript up to line `head_seq`, whose hash
/// is `head`; `key` is the public key as TUF writes it.
#[derive(Serialize)]
pub struct TranscriptSign<'a> {
    pub head_seq: u64,
    pub head: &'a str,
    pub keyholder: &'a str,
    pub keyid: &'a str,
    pub key: Embedded,
    pub scheme: &'a str,
    pub device: DeviceRecord<'a>,
    pub sig: &'a str,
}

impl Event for TranscriptSign<'_> {
    const NAME: &'static str = super::head_signatures::EVENT;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(event: &impl Event) -> String {
        let (name, members) = line(event).unwrap();
        format!(
            "{name} {}",
            crate::json::compact(&Value::Object(crate::json::Object::from_pairs(members)))
        )
    }

    /// Absent stays absent and null stays null: a `load` without a file has no `file`
    /// members, a removed policy's `sha256` is `null`, a `sign` without attestation or
    /// signature file has neither member.
    #[test]
    fn optional_members_are_left_out_or_null_as_the_transcript_always_had_them() {
        let load = Load {
            role: "root",
            version: 2,
            payload_sha256: "ab".into(),
            trusted: false,
            signatures: vec![],
            file: None,
            file_sha256: None,
        };
        assert_eq!(
            written(&load),
            r#"load {"payload_sha256":"ab","role":"root","signatures":[],"trusted":false,"version":2}"#
        );
        let policy = Policy {
            file: "policy.toml",
            sha256: None,
        };
        assert_eq!(
            written(&policy),
            r#"policy {"file":"policy.toml","sha256":null}"#
        );
        let device = Device {
            kind: "key-file".into(),
            identity: "sha256:00".into(),
            description: "key file a.key".into(),
        };
        let sign = Sign {
            role: "targets",
            version: 1,
            payload_sha256: "cd",
            keyholder: "alice",
            keyids: vec!["k1"],
            scheme: "ed25519",
            device: (&device).into(),
            attestation: None,
            detached: None,
            signatures: vec![],
            key: None,
            certificates: None,
        };
        assert_eq!(
            written(&sign),
            r#"sign {"device":{"description":"key file a.key","identity":"sha256:00","kind":"key-file"},"keyholder":"alice","keyids":["k1"],"payload_sha256":"cd","role":"targets","scheme":"ed25519","version":1}"#
        );
    }

    /// An edit's details sit beside its own members, and its `action` is the variant's.
    #[test]
    fn an_edit_carries_its_action_and_details_beside_its_own_members() {
        let details = EditDetails::SetThreshold {
            target_role: "root".into(),
            threshold: 2,
        };
        let edit = Edit {
            role: "root",
            action: details.action(),
            version: 3,
            payload_sha256: "ef".into(),
            dropped_signatures: vec!["k1".into()],
            details,
        };
        assert_eq!(
            written(&edit),
            r#"edit {"action":"set-threshold","dropped_signatures":["k1"],"payload_sha256":"ef","role":"root","target_role":"root","threshold":2,"version":3}"#
        );
    }
}
