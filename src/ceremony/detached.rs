//! `sign --detached`: a signature written into a file for the USB stick instead of into the
//! metadata, with what `merge` needs to check it again (the payload digest, the key, the
//! ceremony it was made for, and the device's attestation certificates, never a verdict).

use super::sigfile::FORMAT as SIGFILE_FORMAT;
use super::sign_record::{Origin, SignRecord};
use super::Ceremony;
use crate::display::{self};
use crate::error::{Error, Result};
use crate::json::{self};
use crate::metadata::Signature;
use crate::outcome::Refusal;
use crate::output::Embedded;
use std::path::Path;

/// Step 6a of [`sign`]: the detached signature file (never overwriting one), then its
/// transcript line. The device's attestation certificates, when it handed some over, travel
/// in the file (its `attestation` member), so that `merge` verifies them on the ceremony
/// machine and records what they prove; a verdict reached here would be only the file's word.
pub(super) fn write_detached(
    c: &Ceremony,
    out: &Path,
    record: &SignRecord<'_>,
    new_sigs: &[Signature],
    evidence: Option<&crate::attest::Evidence>,
    origin: Origin,
) -> Result<()> {
    let ceremony = match origin {
        Origin::Folder => super::identity::identity(c)?,
        Origin::Request { ceremony } => Some(ceremony.to_string()),
    };
    let file = super::sigfile::Written {
        format: SIGFILE_FORMAT,
        role: record.role.as_str(),
        version: record.version,
        payload_sha256: &record.digest,
        keyholder: record.keyholder,
        device: record.device.into(),
        signed_at: crate::time::format_expires(c.now),
        signatures: new_sigs
            .iter()
            .map(|s| super::sigfile::WrittenSignature {
                keyid: &s.keyid,
                sig: &s.sig,
            })
            .collect(),
        attestation: evidence.map(|e| Embedded(super::sigfile::evidence_value(e))),
        ceremony: ceremony.as_deref(),
    };
    // A value that is not an object (serialization failed) is never written as a file.
    let not_written = |why: String| {
        Error::bug(format!(
            "the signature file for {} could not be written as a JSON object ({why})",
            display::path(out)
        ))
    };
    let value = crate::output::to_value(&file).map_err(|e| not_written(e.to_string()))?;
    if value.as_object().is_none() {
        return Err(not_written("not an object".to_string()));
    }
    let bytes = json::pretty(&value);
    super::refuse_output_inside(out, "a signature file")?;
    crate::fsutil::write_new(out, &bytes).map_err(|e| {
        crate::error::unless_exists(e, || Refusal::SigFileExists {
            file: out.to_path_buf(),
        })
    })?;
    match origin {
        Origin::Folder => super::policy_record::record_with(c, &record.event(Some(out))),
        Origin::Request { .. } => Ok(()),
    }
}
