//! The policy in force is the one the record holds: `policy set FILE` and `policy remove`
//! are recorded acts (a `policy` line and a `files` line), `status`, `export` and the report
//! name the last one, and a policy written, changed or removed by hand is refused when the
//! folder is opened (see [`super::record`]). The rules themselves are read and applied in
//! [`super::policy`].

use super::policy::{last_recorded, load, parse, violations, EVENT, FILE, INPUT};
use super::{short, Ceremony, Report};
use crate::error::{Error, Result};

/// The `policy` transcript event, when the policy's digest differs from the last one
/// recorded (or the file appeared or was removed); `None` when nothing changed.
pub fn event(c: &Ceremony) -> Result<Option<super::events::Policy>> {
    let now = c.held_bytes(FILE).map(|b| super::digest_hex(&b));
    let last = c
        .transcript_read()?
        .entries
        .iter()
        .rev()
        .find(|e| e.event() == EVENT)
        .map(|e| e.str("sha256").map(str::to_string));
    let changed = match (&last, &now) {
        (None, None) => false,
        (Some(recorded), now) => recorded != now,
        (None, Some(_)) => true,
    };
    if !changed {
        return Ok(None);
    }
    Ok(Some(super::events::Policy {
        file: FILE,
        sha256: now,
    }))
}

/// Appends `then` to the transcript, preceded by the `policy` event when the policy
/// changed (see [`event`]), in one atomic write: both lines are recorded, or neither.
pub fn record_with(c: &Ceremony, then: &impl super::events::Event) -> Result<()> {
    let mut events = Vec::new();
    if let Some(p) = event(c)? {
        events.push(super::events::line(&p)?);
    }
    events.push(super::events::line(then)?);
    c.transcript()
        .append_all(&crate::time::format_expires(c.now), events)?;
    c.transcript_appended();
    Ok(())
}

/// `policy set FILE`: FILE's rules checked (a rule that cannot be read is never put in
/// force) and written as the folder's `policy.toml`, with the `policy` event and the
/// `files` record in one transcript write. The violations of the folder as it stands are
/// listed: sign and export will refuse them.
pub fn set(c: &Ceremony, file: &std::path::Path) -> Result<Report> {
    let bytes = crate::fsutil::read_bounded(file, &INPUT)?;
    let Some(loaded) = parse(file, &bytes)? else {
        return Err(Error::Invalid(format!(
            "{}: no policy read",
            file.display()
        )));
    };
    let mut report = Report::default();
    let before = c.held_bytes(FILE).map(|b| super::digest_hex(&b));
    if before.as_deref() == Some(loaded.sha256.as_str())
        && c.recorded_sha256(FILE).as_deref() == Some(loaded.sha256.as_str())
        && event(c)?.is_none()
    {
        report.line(format!(
            "policy: {FILE} (SHA-256 {}) is already the policy in force; nothing was changed",
            short(&loaded.sha256)
        ));
        return Ok(report);
    }
    let violations = violations(c, &loaded.policy, false)?;
    let mut p = super::pending::Pending::new(c, "policy");
    p.write(&c.dir.join(FILE), &bytes)?;
    p.record(&super::events::Policy {
        file: FILE,
        sha256: Some(loaded.sha256.clone()),
    })?;
    p.commit()?;
    report.line(format!(
        "policy: {FILE} (SHA-256 {}) is now in force{}; recorded in the transcript",
        short(&loaded.sha256),
        match &before {
            Some(old) => format!(", replacing SHA-256 {}", short(old)),
            None => String::new(),
        }
    ));
    for v in violations {
        report.warn(format!("violation: {}", v.text));
    }
    Ok(report)
}

/// `policy remove`: the folder's `policy.toml` removed, recorded (a `policy` event with a
/// `null` digest, and the file's removal in the `files` record). No rule applies after it;
/// `status`, `export` and the report say so.
pub fn remove(c: &Ceremony) -> Result<Report> {
    let mut report = Report::default();
    let found = c.held_bytes(FILE).map(|b| super::digest_hex(&b));
    let Some(old) = found.or_else(|| c.recorded_sha256(FILE)) else {
        report.line(format!(
            "policy: this ceremony has no {FILE}; nothing was changed"
        ));
        return Ok(report);
    };
    let mut p = super::pending::Pending::new(c, "policy");
    p.remove(&c.dir.join(FILE))?;
    p.record(&super::events::Policy {
        file: FILE,
        sha256: None,
    })?;
    p.commit()?;
    report.line(format!(
        "policy: {FILE} (SHA-256 {}) removed and recorded in the transcript; no policy rule applies to this ceremony now",
        short(&old)
    ));
    Ok(report)
}

/// One line naming the policy in force (its digest) or its recorded removal, for `export`.
pub fn name_in_force(c: &Ceremony, report: &mut Report) -> Result<()> {
    match (load(c)?, last_recorded(c)?) {
        (Some(l), _) => report.line(format!(
            "policy: {FILE} (SHA-256 {}) in force, every rule met",
            short(&l.sha256)
        )),
        (None, Some((seq, None))) => report.line(format!(
            "policy: removed (transcript.jsonl line {seq}); no policy rule applies"
        )),
        (None, _) => {}
    }
    Ok(())
}
