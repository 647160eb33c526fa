//! `transcript sign`: the keyholders sign the ceremony record itself.
//!
//! The hash chain of `transcript.jsonl` shows that no line was changed *unless every later
//! line was rewritten too*, which anyone holding the file can do. A signed head closes that
//! gap: at the end of a ceremony a threshold of the root keyholders sign the transcript's
//! head with the same devices and key files they sign metadata with, and `transcript verify`
//! then refuses a transcript whose signed lines no longer hash to what was signed.
//!
//! What is signed, and how a recorded head signature is checked again: [`super::head_signatures`].
//!
//! # Whose signatures count
//!
//! Any key one of the ceremony's offline roles lists may sign (a signature is also its
//! holder's proof of possession, see [`super::proof`]). A signed head is *accepted* when
//! the distinct keys that signed it include a threshold of the root role's keys in the
//! working root (`root.json` in the ceremony folder): the root this ceremony makes, whose
//! keyholders answer for it. After export the working root is the trusted one.

use super::head_signatures::{
    check_entry, head_message, line_hashes, valid_signatures, Checked, HeadSignature, EVENT,
};
use super::{short, Ceremony, Report};
use crate::display::escape;
use crate::error::Result;
use crate::keys::Key;
use crate::names::RoleName;
use crate::outcome::{Failure, Refusal};
use crate::secret::SecretSource;
use crate::signer::SignerRef;
use crate::transcript::Entry;
use std::collections::{BTreeMap, HashSet};

/// The line keyholders sign now: the last one that is not a head signature.
fn signable(entries: &[Entry], hashes: &[String]) -> Option<(u64, String)> {
    let e = entries.iter().rev().find(|e| e.event() != EVENT)?;
    let hash = hashes.get(usize::try_from(e.seq).ok()?.checked_sub(1)?)?;
    Some((e.seq, hash.clone()))
}

/// Options of `transcript sign`.
pub struct RecordSignOptions {
    pub signer: SignerRef,
    pub as_name: Option<String>,
    pub yes: bool,
}

/// `transcript sign`: signs the transcript's head with the keyholder's device or key file.
pub fn sign(
    c: &Ceremony,
    opts: &RecordSignOptions,
    secrets: &SecretSource,
    confirm: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<Report> {
    let mut report = Report::default();
    // 1. The head to sign, from a transcript whose chain holds.
    let head = head_to_sign(c)?;
    // 2. The device's key must be one this ceremony's offline roles list, and not have
    //    signed this head already.
    let mut signer = crate::signer::open(&opts.signer, secrets)?;
    let Some(who) = who_signs(c, opts, signer.as_ref(), &head)? else {
        report.line(format!(
            "this key has already signed the transcript head (line {}); nothing to do",
            head.seq
        ));
        return Ok(report);
    };
    // 3. Show what is signed; the keyholder confirms.
    if !opts.yes && !confirm(&screen(head.seq, head.lines, &head.hash, &who.line()))? {
        return Err(Refusal::NotConfirmed.into());
    }
    // 4. Sign, check the signature, record it.
    sign_and_record(c, signer.as_mut(), &head, &who)?;
    // 5. Say who signed, and how many of root's keyholders have signed this head.
    report.line(format!(
        "{} signed the transcript head (line {}): {}",
        escape(&who.keyholder),
        head.seq,
        head.hash
    ));
    let transcript = c.transcript_read()?;
    let signed = valid_signatures(&transcript.entries, &line_hashes(&transcript.bytes));
    for line in threshold_line(c, head.seq, &signed)? {
        report.line(format!("  {line}"));
    }
    Ok(report)
}

/// The transcript head a keyholder signs now, and the head signatures already recorded.
struct Head {
    /// The line signed (the last that is not a head signature).
    seq: u64,
    /// That line's SHA-256.
    hash: String,
    /// How many lines the transcript holds.
    lines: usize,
    signed: Vec<HeadSignature>,
}

/// Step 1 of [`sign`]: the head, from a transcript whose chain holds (a broken chain is
/// refused by [`Transcript::check`](crate::transcript::Transcript::check)).
fn head_to_sign(c: &Ceremony) -> Result<Head> {
    let transcript = c.transcript_read()?;
    let (bytes, entries) = (&transcript.bytes, &transcript.entries);
    let hashes = line_hashes(bytes);
    let (seq, hash) = signable(entries, &hashes).ok_or(Refusal::NothingToSign)?;
    Ok(Head {
        seq,
        hash,
        lines: entries.len(),
        signed: valid_signatures(entries, &hashes),
    })
}

/// Who signs: the keyholder, the key as the ceremony's roles list it, the device.
struct Signing {
    keyholder: String,
    key: crate::keys::Key,
    listed_keyid: String,
    device: crate::signer::Device,
}

impl Signing {
    /// The "signing as" line of the screen.
    fn line(&self) -> String {
        format!(
            "{}, key {} ({}), {}",
            escape(&self.keyholder),
            short(&self.listed_keyid),
            escape(&self.key.scheme),
            escape(&self.device.description)
        )
    }
}

/// Step 2 of [`sign`]: the signer's key must be one this ceremony's roles list (only their
/// keyholders sign the transcript); `None` when it has already signed this head.
fn who_signs(
    c: &Ceremony,
    opts: &RecordSignOptions,
    signer: &dyn crate::signer::Signer,
    head: &Head,
) -> Result<Option<Signing>> {
    let key = signer.public_key().clone();
    let device = signer.device();
    let listed = super::proof::listed_keys(c, false)?;
    let identity = key.identity();
    let Some(listed) = listed.iter().find(|k| k.identity == identity) else {
        return Err(Refusal::NotACeremonyKey {
            device: device.description.clone(),
            keyid: key.keyid(),
        }
        .into());
    };
    if head
        .signed
        .iter()
        .any(|s| s.seq == head.seq && s.key.identity() == identity)
    {
        return Ok(None);
    }
    let keyholder =
        super::sign::resolve_keyholder(c, opts.as_name.as_deref(), &key, signer.keyholder())?;
    Ok(Some(Signing {
        keyholder,
        listed_keyid: listed.keyid.clone(),
        key,
        device,
    }))
}

/// Step 4 of [`sign`]: the head message signed, the signature checked against the key
/// (a device that returns a bad signature records nothing), and the `transcript-sign`
/// event appended.
fn sign_and_record(
    c: &Ceremony,
    signer: &mut dyn crate::signer::Signer,
    head: &Head,
    who: &Signing,
) -> Result<()> {
    let message = head_message(head.seq, &head.hash);
    signer.check_payload(&message)?;
    let sig = hex::encode(signer.sign(&message)?);
    who.key
        .verify(&message, &sig)
        .map_err(|why| Failure::TranscriptSignatureInvalid {
            device: who.device.description.clone(),
            why,
        })?;
    c.record(&super::events::TranscriptSign {
        head_seq: head.seq,
        head: &head.hash,
        keyholder: &who.keyholder,
        keyid: &who.listed_keyid,
        key: crate::output::Embedded(who.key.to_value()),
        scheme: &who.key.scheme,
        device: (&who.device).into(),
        sig: &sig,
    })
}

/// The screen a keyholder reads before typing "yes".
fn screen(seq: u64, lines: usize, head: &str, signer_line: &str) -> String {
    let words = crate::pgp_words::words(&hex::decode(head).unwrap_or_default());
    format!(
        "You are about to sign the ceremony transcript up to line {seq} of {lines}:\n  head        SHA-256 {head}\n  in words    {}\n  signing as  {signer_line}\nYour signature says the transcript up to this line is the record of this ceremony. Check the words against the ones read aloud (`tuf-ceremony transcript show` lists every line).\n",
        words
            .chunks(8)
            .map(|c| c.join(" "))
            .collect::<Vec<_>>()
            .join("\n              ")
    )
}

/// How the signatures over the head of line `seq` stand against the working root's root
/// threshold, in words.
fn threshold_line(c: &Ceremony, seq: u64, signed: &[HeadSignature]) -> Result<Vec<String>> {
    let Some(root) = c.working_opt(&RoleName::ROOT)? else {
        return Ok(vec![
            "there is no root.json, so no root threshold to count against".into(),
        ]);
    };
    let r = super::as_root(&root)?;
    let Some(role) = r.role("root") else {
        return Ok(vec!["root has no root role".into()]);
    };
    let root_keys: HashSet<String> = role
        .keyids
        .iter()
        .filter_map(|id| r.keys.get(id))
        .map(Key::identity)
        .collect();
    let mut counted = HashSet::new();
    let mut names = Vec::new();
    let mut others = Vec::new();
    for s in signed.iter().filter(|s| s.seq == seq) {
        let id = s.key.identity();
        // The name this ceremony records for the key: the line's own word for who signed
        // is not covered by any signature.
        let holder = c.keyholder_of(&s.key).unwrap_or(&s.keyholder);
        let name = format!("{} (key {})", escape(holder), short(&s.keyid));
        if root_keys.contains(&id) {
            if counted.insert(id) {
                names.push(name);
            }
        } else {
            others.push(name);
        }
    }
    let met = counted.len() as u64 >= role.threshold;
    let mut out = vec![format!(
        "root v{}'s root keys: {} signed, {} needed{}: {}",
        r.common.version,
        counted.len(),
        role.threshold,
        if met { " - met" } else { " - not yet met" },
        if names.is_empty() {
            "nobody".to_string()
        } else {
            names.join(", ")
        }
    )];
    if !others.is_empty() {
        out.push(format!(
            "also signed (proof of possession, not counted for root): {}",
            others.join(", ")
        ));
    }
    Ok(out)
}

/// The part of `transcript verify` about head signatures: each is checked against the
/// lines as they are now (a rewrite that kept the hash chain intact is found here), and the
/// last signed head is reported with its signers. Returns whether every signature holds.
pub fn verify(c: &Ceremony, entries: &[Entry], bytes: &[u8], report: &mut Report) -> Result<bool> {
    let hashes = line_hashes(bytes);
    let mut ok = true;
    let mut valid = Vec::new();
    for e in entries.iter().filter(|e| e.event() == EVENT) {
        match check_entry(e, &hashes) {
            Checked::Valid(s) => valid.push(s),
            Checked::Broken(why) => {
                ok = false;
                report.line(format!("problem: {why}"));
            }
        }
    }
    let heads: BTreeMap<u64, ()> = valid.iter().map(|s| (s.seq, ())).collect();
    let Some((&last, _)) = heads.iter().next_back() else {
        if ok {
            report.line(
                "the transcript is not signed by its keyholders (`tuf-ceremony transcript sign` at the end of the ceremony)",
            );
        }
        return Ok(ok);
    };
    let head = &hashes[(last - 1) as usize];
    report.line(format!(
        "signed head: line {last}, {head} ({})",
        crate::pgp_words::words(&hex::decode(head).unwrap_or_default())
            .iter()
            .take(4)
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
            + " …"
    ));
    for line in threshold_line(c, last, &valid)? {
        report.line(format!("  {line}"));
    }
    let after = entries
        .iter()
        .filter(|e| e.seq > last && e.event() != EVENT)
        .count();
    if after > 0 {
        report.line(format!(
            "  {after} line(s) after the signed head were added since it was signed and are not covered by it"
        ));
    }
    Ok(ok)
}

/// Lines for the ceremony report: the last signed head and who signed it, or that the
/// transcript is unsigned.
pub fn report_lines(c: &Ceremony) -> Result<Vec<String>> {
    let transcript = c.transcript_read()?;
    let (bytes, entries) = (&transcript.bytes, &transcript.entries);
    let mut r = Report::default();
    let ok = verify(c, entries, bytes, &mut r)?;
    if !ok {
        r.lines
            .insert(0, "THE SIGNED TRANSCRIPT DOES NOT VERIFY:".to_string());
    }
    Ok(r.lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceremony::head_signatures::HEAD_TYPE;

    /// The message is pinned byte for byte: a keyholder's signature made by one version of
    /// the tool must verify in every later one.
    #[test]
    fn the_signed_message_is_the_canonical_head_object() {
        let head = "ab".repeat(32);
        assert_eq!(
            String::from_utf8(head_message(7, &head)).unwrap(),
            format!(r#"{{"_type":"tuf-ceremony-transcript-head","head":"{head}","seq":7}}"#)
        );
    }

    /// No TUF metadata payload can be taken for a head message: with its `_type`, a file
    /// that is otherwise valid targets metadata is refused by the loader (as by clients),
    /// so no signature over metadata is ever a signature over a head, nor the reverse.
    #[test]
    fn a_head_message_is_not_tuf_metadata() {
        let file = |t: &str| {
            format!(
                r#"{{"signatures":[],"signed":{{"_type":"{t}","expires":"2030-01-01T00:00:00Z","spec_version":"1.0.31","targets":{{}},"version":1}}}}"#
            )
        };
        assert!(crate::metadata::Metadata::from_bytes(file("targets").as_bytes()).is_ok());
        assert!(crate::metadata::Metadata::from_bytes(file(HEAD_TYPE).as_bytes()).is_err());
        let message = String::from_utf8(head_message(1, &"00".repeat(32))).unwrap();
        assert!(message.starts_with(&format!(r#"{{"_type":"{HEAD_TYPE}""#)));
    }
}
