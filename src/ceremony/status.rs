//! `status`: where each role stands, checked the way a TUF client checks it
//! (TUF spec 5.3 root, 5.6 targets, 5.6.7 delegations), from the trusted root on.

use super::{Ceremony, Report};
use crate::error::Result;
use crate::keys::Key;
use crate::metadata::Payload;
use crate::names::RoleName;
use crate::output::Embedded;
use crate::verify::{Label, ThresholdReport};
use std::collections::BTreeMap;

/// Warn about expiry this many seconds ahead.
pub const EXPIRY_WARNING_SECONDS: i64 = 30 * 86_400;

/// Where one role stands.
#[derive(Debug)]
pub struct RoleStatus {
    pub role: String,
    pub version: u64,
    pub expires: String,
    pub expires_at: i64,
    pub payload_sha256: String,
    /// One per requirement: its label and how the signatures stand against it.
    pub thresholds: Vec<(String, ThresholdReport)>,
    /// What a client would refuse.
    pub problems: Vec<String>,
    /// What some clients may refuse, or what will soon be a problem.
    pub warnings: Vec<String>,
    /// Signatures that do not count but are ordinary in metadata made elsewhere (an empty
    /// placeholder, a keyid the role does not list, a scheme not checked here).
    pub notes: Vec<String>,
    /// Every key that may sign this role, by keyid (for naming signers without re-reading
    /// the metadata: at PEP 480 scale each read of claimed.json is megabytes).
    pub keys: BTreeMap<String, Key>,
}

impl RoleStatus {
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.thresholds.iter().all(|(_, t)| t.met())
    }
}

/// `status --json`: whether everything a client checks holds, and where each role stands.
#[derive(Debug, serde::Serialize)]
pub struct StatusJson {
    /// Every role meets its thresholds and has no problem.
    pub ready: bool,
    /// The ceremony signs root alone (see `root_only`).
    pub root_only: bool,
    pub roles: Vec<RoleStatusJson>,
    /// The trusted root, when it has expired (see `trusted_root_expiry`); null otherwise.
    pub trusted_root_expired: Option<ExpiringJson>,
    /// With `--within`: every role expiring within the window, soonest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiring: Option<Vec<ExpiringJson>>,
    /// The keys this ceremony adds and how each proved possession (`proof::add_to`),
    /// added by the command after [`status`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added_keys: Option<Embedded>,
    /// Where the ceremony's policy stands (`policy::add_to`), added likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<Embedded>,
}

/// A role in the expiry plan of [`StatusJson`].
#[derive(Debug, serde::Serialize)]
pub struct ExpiringJson {
    pub role: String,
    pub version: u64,
    pub expires: String,
    /// Already past.
    pub expired: bool,
}

/// One role in [`StatusJson`]: [`RoleStatus`] with its signers named.
#[derive(Debug, serde::Serialize)]
pub struct RoleStatusJson {
    pub role: String,
    pub version: u64,
    pub expires: String,
    pub payload_sha256: String,
    pub ready: bool,
    pub thresholds: Vec<ThresholdJson>,
    pub problems: Vec<String>,
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
}

/// One threshold a role must meet: who signed, who is still missing.
#[derive(Debug, serde::Serialize)]
pub struct ThresholdJson {
    pub label: String,
    pub threshold: u64,
    pub met: bool,
    pub signed: Vec<SignerJson>,
    pub missing: Vec<SignerJson>,
}

/// A key that signed or may sign, and its keyholder when the ceremony knows them.
#[derive(Debug, serde::Serialize)]
pub struct SignerJson {
    pub keyid: String,
    pub keyholder: Option<String>,
}

/// Problems and warnings, in that order.
type Findings = (Vec<String>, Vec<String>);

/// What a role's keyids and keys hold for a client: each keyid against both conventions and
/// each key's type, warning of the clients that reject them (root's keys, `in_root`, or a
/// targets role's delegated keys), and each key's material (an ed25519 key must be a point
/// on the curve). Problems are what python-tuf 7 refuses: a key of a type it does not read
/// (it refuses the whole file), which the other keyholders still sign around.
fn keyid_checks(keys: &BTreeMap<String, Key>, file: &str, in_root: bool) -> Findings {
    let mut problems = Vec::new();
    let mut warnings = if in_root {
        super::load_check::root_key_warnings(keys, file)
    } else {
        crate::clients::delegated_key_warnings(keys, file)
    };
    for (id, key) in keys {
        if key.scheme().is_none() {
            // A key of a type not verified here (a Sigstore identity): said once, with what
            // clients make of it; the other keyholders sign as usual.
            let refused = crate::clients::python_tuf_refuses_key(id, key);
            let to = if refused.is_some() {
                &mut problems
            } else {
                &mut warnings
            };
            to.push(super::load_check::unverifiable_key_warning(
                file, id, key, refused, in_root,
            ));
            continue;
        }
        // A key whose signatures cannot count, or that a major client cannot read: in root,
        // a key tough cannot read is named once, by `root_key_warnings`.
        if in_root && !crate::clients::tough_reads(key) && key.caveat() == key.client_warning() {
            continue;
        }
        if let Some(why) = key.caveat() {
            warnings.push(format!("{file}: key {}: {why}", super::short(id)));
        }
    }
    (problems, warnings)
}

/// The status of one role's working metadata, or `None` if the directory has none.
pub fn role_status(c: &Ceremony, role: &RoleName) -> Result<Option<RoleStatus>> {
    Ok(role_status_and_metadata(c, role)?.map(|(st, _)| st))
}

/// [`role_status`], also handing back the metadata it read (so a caller that needs both
/// reads a PyPI-scale claimed.json once).
pub fn role_status_and_metadata(
    c: &Ceremony,
    role: &RoleName,
) -> Result<Option<(RoleStatus, super::Parsed)>> {
    // 1. The working metadata, read once, and its canonical payload.
    let Some(parsed) = c.working_shared(role)? else {
        return Ok(None);
    };
    let (md, payload) = (&parsed.0, &parsed.1);
    let common = md.signed.common();
    let mut st = RoleStatus {
        role: role.to_string(),
        version: common.version,
        expires: common.expires.clone(),
        expires_at: common.expires_at,
        payload_sha256: payload.sha256_hex(),
        thresholds: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
        notes: Vec::new(),
        keys: BTreeMap::new(),
    };
    // 2. Not expired (a client's freeze-attack check, TUF spec 5.3 and 5.6), and a warning
    //    when it soon will be.
    check_expiry(c, role, &mut st);
    // 3. No rollback from the trusted version (a client's rollback check, TUF spec 5.3 and
    //    5.6); root one version at a time (5.3.4).
    check_version(c, role, payload, &mut st)?;
    // 4. The requirements' keys and how the signatures stand against each.
    let checked = c.requirements(role, md).map(|reqs| {
        reqs.into_iter()
            .map(|r| {
                let t = r.check(md, &payload.bytes);
                (r.label, t, r.authorized.keys)
            })
            .collect::<Vec<_>>()
    });
    // 5. What clients make of the keys this metadata lists.
    let no_keys = BTreeMap::new();
    let (problems, warnings) = keyid_checks(
        md.own_keys().unwrap_or(&no_keys),
        &role.file_name(),
        md.root().is_some(),
    );
    st.problems.extend(problems);
    st.warnings.extend(warnings);
    // 6. Each signature that does not count, named, and the thresholds.
    match checked {
        Ok(list) => add_signatures(c, role, list, &mut st),
        Err(e) => st.problems.push(e.to_string()),
    }
    Ok(Some((st, parsed)))
}

/// Step 2 of [`role_status_and_metadata`]: expired is a problem, expiring within
/// [`EXPIRY_WARNING_SECONDS`] a warning.
fn check_expiry(c: &Ceremony, role: &RoleName, st: &mut RoleStatus) {
    if st.expires_at <= c.now {
        st.problems.push(format!("{role} v{} expired at {}; set a new expiry with `tuf-ceremony expires {role} 365d` and sign again", st.version, st.expires));
    } else if st.expires_at <= c.now + EXPIRY_WARNING_SECONDS {
        st.warnings.push(format!(
            "{role} v{} expires in {} days ({})",
            st.version,
            (st.expires_at - c.now) / 86_400,
            st.expires
        ));
    }
}

/// Step 3 of [`role_status_and_metadata`]: against the trusted version, if there is one.
/// A lower version, or the same one with other content, is a rollback clients refuse; a
/// root more than one version ahead is one they cannot reach.
fn check_version(
    c: &Ceremony,
    role: &RoleName,
    payload: &Payload,
    st: &mut RoleStatus,
) -> Result<()> {
    let Some(trusted) = c.trusted_shared(role)? else {
        return Ok(());
    };
    let (trusted, trusted_payload) = (&trusted.0, &trusted.1);
    let (tv, v) = (trusted.version(), st.version);
    let same = trusted_payload.sha256 == payload.sha256;
    if v < tv || (v == tv && !same) {
        st.problems.push(format!(
            "{role} v{v} would roll back or replace the trusted {role} v{tv}; clients refuse it. Edit it so its version becomes {}",
            tv + 1
        ));
    } else if role == "root" && v > tv + 1 {
        st.problems.push(format!("root v{v} skips versions after the trusted root v{tv}; clients accept only v{} next (TUF spec 5.3.4)", tv + 1));
    }
    Ok(())
}

/// Step 6 of [`role_status_and_metadata`]: each signature that does not count against any
/// requirement, named by its keyholder (a warning, or a note when ordinary), then each
/// requirement's threshold and keys.
fn add_signatures(
    c: &Ceremony,
    role: &RoleName,
    list: Vec<(String, ThresholdReport, BTreeMap<String, Key>)>,
    st: &mut RoleStatus,
) {
    let reports: Vec<&ThresholdReport> = list.iter().map(|(_, t, _)| t).collect();
    for (id, l) in crate::verify::combined_labels(&reports) {
        if l == Label::Counted {
            continue;
        }
        let key = list.iter().find_map(|(_, _, keys)| keys.get(&id));
        let line = format!(
            "{role}: the signature by {}: {}",
            c.describe(&id, key),
            l.describe()
        );
        if l.is_warning() {
            st.warnings.push(line);
        } else {
            st.notes.push(line);
        }
    }
    for (label, t, keys) in list {
        st.thresholds.push((label, t));
        st.keys.extend(keys);
    }
}

fn names(
    c: &Ceremony,
    ids: &[String],
    reqs_keys: &std::collections::BTreeMap<String, crate::keys::Key>,
) -> String {
    if ids.is_empty() {
        return "nobody".into();
    }
    ids.iter()
        .map(|id| c.who(id, reqs_keys.get(id)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn status_lines(c: &Ceremony, st: &RoleStatus, report: &mut Report) {
    let keys = &st.keys;
    report.line(format!(
        "{} v{}  expires {} ({})  payload {}  {}",
        crate::display::escape(&st.role),
        st.version,
        st.expires,
        crate::time::relative(st.expires_at, c.now),
        super::short(&st.payload_sha256),
        if st.ok() { "READY" } else { "NOT READY" }
    ));
    for (label, t) in &st.thresholds {
        let mut line = format!(
            "  {label}: {} signed, {} needed",
            t.counted.len(),
            t.threshold
        );
        if t.met() {
            line.push_str(" - met");
        } else {
            line.push_str(&format!(" - {} more needed", t.still_needed()));
        }
        report.line(line);
        report.line(format!("    signed:  {}", names(c, &t.counted, keys)));
        if !t.unverifiable.is_empty() {
            report.line(format!(
                "    not verifiable here (signed with a key this tool does not check; never counted here): {}",
                names(c, &t.unverifiable, keys)
            ));
        }
        if !t.met() {
            report.line(format!("    missing: {}", names(c, &t.missing, keys)));
        }
    }
    for n in &st.notes {
        report.line(format!("  note: {n}"));
    }
    for p in &st.problems {
        report.line(format!("  problem: {p}"));
    }
    for w in &st.warnings {
        report.warn(w.clone());
    }
}

/// One role's standing for `status --json`, each signer named by keyid and keyholder.
pub(super) fn status_json(c: &Ceremony, st: &RoleStatus) -> RoleStatusJson {
    let people = |ids: &[String]| {
        ids.iter()
            .map(|id| SignerJson {
                keyid: id.clone(),
                keyholder: st
                    .keys
                    .get(id)
                    .and_then(|k| c.keyholder_of(k))
                    .map(str::to_string),
            })
            .collect()
    };
    RoleStatusJson {
        role: st.role.clone(),
        version: st.version,
        expires: st.expires.clone(),
        payload_sha256: st.payload_sha256.clone(),
        ready: st.ok(),
        thresholds: st
            .thresholds
            .iter()
            .map(|(label, t)| ThresholdJson {
                label: label.clone(),
                threshold: t.threshold,
                met: t.met(),
                signed: people(&t.counted),
                missing: people(&t.missing),
            })
            .collect(),
        problems: st.problems.clone(),
        warnings: st.warnings.clone(),
        notes: st.notes.clone(),
    }
}

/// How long each role is signed for, unless the administrator says otherwise: PEP 458's
/// advice for roles signed offline (root and targets a year; claimed, re-signed with every
/// move from recently-claimed, half a year).
pub fn policy_days(role: &str) -> i64 {
    match role {
        "root" | "targets" => 365,
        _ => 182,
    }
}

/// The expiry planner: every role expiring within `window` seconds, soonest first, on
/// standard output (it is what was asked for) and in `--json` (`expiring`). Takes the
/// statuses `status` already built, so no metadata is read twice (claimed can be tens of
/// megabytes).
pub fn expiry_plan(
    c: &Ceremony,
    statuses: &[RoleStatus],
    window: i64,
    report: &mut Report,
) -> Vec<ExpiringJson> {
    let mut soon: Vec<(i64, &str, &str, u64)> = statuses
        .iter()
        .filter(|st| st.expires_at <= c.now + window)
        .map(|st| {
            (
                st.expires_at,
                st.role.as_str(),
                st.expires.as_str(),
                st.version,
            )
        })
        .collect();
    soon.sort();
    let days = window / 86_400;
    if soon.is_empty() {
        report.line(format!("nothing expires within {days} days"));
        return Vec::new();
    }
    report.line(format!("expiring within {days} days, soonest first:"));
    let mut list = Vec::new();
    for (at, role, expires, version) in &soon {
        let role_shown = crate::display::escape(role);
        report.line(format!(
            "  {role_shown} v{version} expires {expires} ({}); re-sign it with a new expiry (`tuf-ceremony expires {role_shown}` suggests one)",
            crate::time::relative(*at, c.now)
        ));
        list.push(ExpiringJson {
            role: role.to_string(),
            version: *version,
            expires: expires.to_string(),
            expired: *at <= c.now,
        });
    }
    list
}

/// The trusted root (the one clients hold now), when it has expired: clients that hold
/// it still move to a newer root (TUF spec 5.3.4 checks expiry only of the final root),
/// but one that fetches it as its final root refuses it (5.3.10), so the rotation that
/// replaces it is due.
fn trusted_root_expiry(c: &Ceremony, report: &mut Report) -> Result<Option<ExpiringJson>> {
    let Some(trusted) = c.trusted(&RoleName::ROOT)? else {
        return Ok(None);
    };
    let common = trusted.signed.common();
    if common.expires_at > c.now {
        return Ok(None);
    }
    let line = format!(
        "the trusted root v{} (the one clients hold) expired at {} ({}): a client refuses it as its final root (TUF spec 5.3.10). Export a newer root now",
        common.version,
        common.expires,
        crate::time::relative(common.expires_at, c.now)
    );
    report.line(line);
    Ok(Some(ExpiringJson {
        role: "root".to_string(),
        version: common.version,
        expires: common.expires.clone(),
        expired: true,
    }))
}

/// `expires ROLE` without a date: the date the policy suggests, changing nothing.
pub fn suggest_expiry(c: &Ceremony, role: &RoleName) -> Result<Report> {
    let md = c.working(role)?;
    let days = policy_days(role);
    let at = c.now + days * 86_400;
    let date = crate::time::format_expires(at);
    let mut r = Report::default();
    r.line(format!(
        "{role} v{} currently expires {}. The policy signs {role} for {days} days: {date}",
        md.version(),
        md.signed.common().expires
    ));
    r.line(format!(
        "To set it: tuf-ceremony expires {role} {} (nothing was changed)",
        &date[..10]
    ));
    Ok(r)
}

/// `status`: every role, its thresholds, who signed and who is missing.
/// With `expiring_within` (seconds), also the expiry plan ([`expiry_plan`]). The report's
/// `--json` is the [`StatusJson`] returned, once the command has added what it adds.
pub fn status(
    c: &Ceremony,
    expiring_within: Option<i64>,
) -> Result<(Report, StatusJson, super::proof::Working)> {
    let mut report = Report::default();
    let mut all_ok = true;
    let mut json = Vec::new();
    let mut statuses = Vec::new();
    let mut working = super::proof::Working::default();
    for role in c.roles() {
        if let Some((st, parsed)) = role_status_and_metadata(c, &role)? {
            // What proof of possession needs, from this one read: the keys whose
            // signatures count now, by identity.
            let counted = st
                .thresholds
                .iter()
                .flat_map(|(_, t)| &t.counted)
                .filter_map(|id| st.keys.get(id))
                .map(Key::identity)
                .collect();
            working.add(c, &role, &parsed, counted);
            all_ok &= st.ok();
            status_lines(c, &st, &mut report);
            json.push(status_json(c, &st));
            statuses.push(st);
        }
    }
    for line in super::keyholders::status_lines(c)? {
        report.line(format!("note: {line}"));
    }
    let root_only = super::root_only::is_root_only(c)?;
    if root_only {
        super::root_only::describe(c, &mut report)?;
    }
    let trusted_root_expired = trusted_root_expiry(c, &mut report)?;
    let expiring = expiring_within.map(|window| expiry_plan(c, &statuses, window, &mut report));
    let json = StatusJson {
        ready: all_ok,
        root_only,
        trusted_root_expired,
        expiring,
        roles: json,
        added_keys: None,
        policy: None,
    };
    Ok((report, json, working))
}
