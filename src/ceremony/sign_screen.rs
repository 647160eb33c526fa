//! What the keyholder reads before typing "yes": the role, version and expiry, the changes
//! against the trusted version, the payload's SHA-256 in hex and as PGP words, the signer,
//! and the thresholds before and after. The same words on the ceremony machine and, from a
//! signing request, on a keyholder's own (see [`super::request`]).

use super::sign_record::SignRecord;
use super::{changes, short, Ceremony, Report, Requirement};
use crate::display::{self, escape};
use crate::error::Result;
use crate::keys::Key;
use crate::metadata::{Metadata, Payload};
use crate::names::RoleName;
use crate::signer::Device;
use std::path::Path;

pub(super) fn wrap_words(words: &[&str]) -> Vec<String> {
    words.chunks(8).map(|c| c.join(" ")).collect()
}

/// The screen a keyholder reads before typing "yes". Every value from input on it (role and
/// delegation names, path patterns, keyholder names, the device's description) is escaped
/// ([`crate::display::escape`]), so none can start a line, move the cursor or hide the
/// payload digest and its words.
pub fn summary(
    c: &Ceremony,
    role: &RoleName,
    md: &Metadata,
    payload: &Payload,
    signer_line: &str,
) -> Result<String> {
    let digest = payload.sha256_hex();
    let digest_bytes = payload.sha256;
    let common = md.signed.common();
    let trusted = c.trusted(role)?;
    let changes = changes::describe_with(c, trusted.as_ref(), md, role, false);
    let mut s = String::new();
    let role = escape(role);
    s.push_str("You are about to sign:\n");
    s.push_str(&format!(
        "  role        {role}\n  version     {}\n",
        common.version
    ));
    s.push_str(&format!(
        "  expires     {} ({})\n",
        common.expires,
        crate::time::relative(common.expires_at, c.now)
    ));
    match &trusted {
        Some(t) => s.push_str(&format!(
            "  changes against the trusted {role} v{}:\n",
            t.version()
        )),
        None => s.push_str("  contents:\n"),
    }
    for line in changes {
        s.push_str(&format!("    - {line}\n"));
    }
    s.push_str(&format!("  payload     SHA-256 {digest}\n"));
    s.push_str("  in words    ");
    s.push_str(&wrap_words(&crate::pgp_words::words(&digest_bytes)).join("\n              "));
    s.push('\n');
    s.push_str(&format!("  signing as  {signer_line}\n"));
    s.push_str("Check the words against the printed ceremony script, read aloud.\n");
    Ok(s)
}

/// Step 2 of [`sign`]: who has already signed this payload, when signing again would add
/// nothing (the first keyid the key is listed as names the keyholder).
pub(super) fn already_signed_line(
    c: &Ceremony,
    role: &RoleName,
    md: &Metadata,
    matches: &[(String, Key)],
    key: &Key,
) -> String {
    format!(
        "{} has already signed {} v{}; nothing to do",
        c.who(&matches[0].0, Some(key)),
        escape(role),
        md.version()
    )
}

/// Step 4 of [`sign`]: who signs with what, as the confirmation screen names them.
pub(super) fn signer_line(
    keyholder: &str,
    key: &Key,
    device: &Device,
    attestation: &crate::attest::Status,
) -> String {
    format!(
        "{}, key {} ({}), {}; {}",
        escape(keyholder),
        short(&key.keyid()),
        escape(&key.scheme),
        escape(&device.description),
        escape(&attestation.summary())
    )
}

/// Step 6a of [`sign`]: what the keyholder does next with a detached signature file.
pub(super) fn detached_line(record: &SignRecord, out: &Path) -> String {
    format!(
        "{} signed {} v{} into {}. Carry it to the ceremony machine and run `tuf-ceremony merge {}`",
        escape(record.keyholder),
        escape(record.role),
        record.version,
        display::path(out),
        out.file_name().map(|f| display::path(Path::new(f))).unwrap_or_default()
    )
}

/// Step 7 of [`sign`] (and the end of an RSTUF import): where the thresholds stand, every
/// signature, the new one too, checked again as `status` checks it.
pub(super) fn threshold_lines(
    reqs: &[Requirement],
    md: &Metadata,
    payload: &Payload,
    report: &mut Report,
) {
    let checked: Vec<_> = reqs
        .iter()
        .map(|r| (r.label.as_str(), r.check(md, &payload.bytes)))
        .collect();
    checked_lines(&checked, report);
}

/// [`threshold_lines`] from each requirement's label and its threshold, already checked.
pub(super) fn checked_lines(
    checked: &[(&str, crate::verify::ThresholdReport)],
    report: &mut Report,
) {
    for (label, t) in checked {
        report.line(format!(
            "  {}: {} signed, {} needed{}",
            label,
            t.counted.len(),
            t.threshold,
            if t.met() { " (met)" } else { "" }
        ));
    }
}
