//! The ceremony policy: `policy.toml` in the ceremony folder, the organisation's rules for
//! the metadata this ceremony may sign and export.
//!
//! ```toml
//! require_proof_of_possession = true   # every key added must have signed before export
//! allow_key_in_two_roles = false       # one key, one role (root, targets, online, delegated,
//!                                      # and a claimed project's developer keys)
//!
//! [roles.root]
//! schemes = ["ed25519", "ecdsa-sha2-nistp256"]
//! min_threshold = 3
//! max_expiry_days = 365                # from the ceremony clock
//! require_attestation = true           # each key's device attestation verified (transcript)
//! allow_imported_keys = false          # an imported or exportable key does not meet it
//! require_proof_of_possession = true   # this role's keys (overrides the global value)
//!
//! [roles.claimed.projects]             # the keys claimed delegates to (PEP 480's projects)
//! require_proof_of_possession = false  # developers never come to a ceremony
//! ```
//!
//! Proof of possession is asked of a key by the most specific rule that speaks of it: a
//! project's developer key by its role's `projects` table, then by its role's table, then
//! by the global value; a role's own key by its role's table, then the global value. Keys
//! of roles signed online (snapshot, timestamp, an online delegated role such as PEP 480's
//! recently-claimed, and targets in a root-only ceremony as RSTUF runs it) never sign in
//! a ceremony and are never asked to prove themselves.
//!
//! Every field is optional; an absent rule allows everything. A misspelt field is an error
//! naming the file, line and field (serde's `deny_unknown_fields`), never a rule silently
//! not applied; a role the ceremony does not have is a violation, for the same reason.
//!
//! `require_attestation` is met by evidence, not by a verdict: the device certificates a
//! `sign` or `merge` line of the transcript carries, verified again with the signature
//! beside them ([`super::evidence`]) against the CA certificates in force (Yubico's, or
//! `--attestation-ca`, which the exporting command must be given too). A key the device
//! says was imported, or may be exported under wrap, does not meet it unless the role says
//! `allow_imported_keys = true`.
//!
//! `sign ROLE` refuses what the payload it signs would make break a rule (root holds the
//! top-level roles' keys and thresholds, targets the delegated roles'), `export` refuses any
//! violation, and `status` lists them. The policy's SHA-256 is recorded in the transcript
//! (a `policy` event) the first time a signing or exporting command sees it, and each time
//! it changes or is removed.

use super::{short, Ceremony, Report};
use crate::display::escape;
use crate::error::{Error, Result};
use crate::json::Value;
use crate::keys::Key;
use crate::names::RoleName;
use crate::outcome::Refusal;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// The policy's file name in the ceremony folder.
pub use crate::display::POLICY_FILE as FILE;

/// The transcript event recording the policy's digest.
pub const EVENT: &str = <super::events::Policy as super::events::Event>::NAME;

/// The policy file is a page of rules: 64 KiB is far beyond any real one.
pub(crate) const INPUT: crate::fsutil::Input = crate::fsutil::Input {
    what: "ceremony policy",
    max_bytes: 64 * 1024,
    pipe_ok: false,
};

/// `policy.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Rules per role: `root`, `targets`, `snapshot`, `timestamp` or a delegated role.
    #[serde(default)]
    pub roles: BTreeMap<String, RolePolicy>,
    /// `export` refuses while a key added in this ceremony is unproven ([`super::proof`]).
    #[serde(default)]
    pub require_proof_of_possession: bool,
    /// Whether one key may be listed for two roles (default: it may).
    #[serde(default = "yes")]
    pub allow_key_in_two_roles: bool,
}

fn yes() -> bool {
    true
}

/// The rules for one role.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolePolicy {
    /// The signature schemes its keys may use (`ed25519`, `ecdsa-sha2-nistp256`, …).
    pub schemes: Option<Vec<String>>,
    /// The lowest threshold it may have.
    pub min_threshold: Option<u64>,
    /// How far past the ceremony clock its expiry may lie, in days.
    pub max_expiry_days: Option<u64>,
    /// Each of its keys must have a device attestation in the transcript that verifies
    /// here: the certificates its `sign` or `merge` line carries, checked again.
    #[serde(default)]
    pub require_attestation: bool,
    /// With `require_attestation`: a key the device says was imported (in the clear or
    /// wrapped) or may be exported under wrap meets the rule too. Off by default: such a key
    /// exists, or can exist, outside the device.
    #[serde(default)]
    pub allow_imported_keys: bool,
    /// Whether each key of this role added in this ceremony must be proven before export;
    /// unset: the global `require_proof_of_possession`.
    pub require_proof_of_possession: Option<bool>,
    /// Rules for the keys this (offline delegated) role delegates to: PEP 480's claimed
    /// projects, whose developers sign their own metadata and never come to a ceremony.
    pub projects: Option<ProjectsPolicy>,
}

/// The rules for the keys a delegated role delegates to (`[roles.NAME.projects]`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectsPolicy {
    /// Whether each developer key added in this ceremony must be proven before export;
    /// unset: the role's `require_proof_of_possession`, then the global one.
    pub require_proof_of_possession: Option<bool>,
}

impl Policy {
    /// The rule that asks proof of possession of `k`, named as the file spells it, or
    /// `None` when none does (see the module documentation: the most specific rule that
    /// speaks of the key decides).
    fn requires_proof(&self, k: &super::proof::ListedKey) -> Option<String> {
        const FIELD: &str = "require_proof_of_possession";
        let own = |role: &str| {
            self.roles
                .get(role)
                .and_then(|r| r.require_proof_of_possession)
                .map(|on| (on, format!("roles.{}.{FIELD}", escape(role))))
        };
        let rule = match &k.projects_of {
            Some(role) => self
                .roles
                .get(role)
                .and_then(|r| r.projects.as_ref())
                .and_then(|p| p.require_proof_of_possession)
                .map(|on| (on, format!("roles.{}.projects.{FIELD}", escape(role))))
                .or_else(|| own(role)),
            None => own(&k.role),
        };
        match rule.unwrap_or((self.require_proof_of_possession, FIELD.to_string())) {
            (true, name) => Some(name),
            (false, _) => None,
        }
    }

    /// Whether any rule asks for proof of possession at all (so a PyPI-scale claimed role
    /// is not read for nothing).
    fn asks_for_proof(&self) -> bool {
        self.require_proof_of_possession
            || self.roles.values().any(|r| {
                r.require_proof_of_possession == Some(true)
                    || r.projects
                        .as_ref()
                        .is_some_and(|p| p.require_proof_of_possession == Some(true))
            })
    }
}

/// A policy read from the folder, with the SHA-256 of its bytes.
pub struct Loaded {
    pub policy: Policy,
    pub sha256: String,
}

/// Reads `policy.toml` if the folder has one. A policy that cannot be read is an error
/// naming the file, the line and the field: a rule must never be dropped unnoticed.
pub fn load(c: &Ceremony) -> Result<Option<Loaded>> {
    let path = c.dir.join(FILE);
    let Some(bytes) = c.held_bytes(FILE) else {
        return Ok(None);
    };
    parse(&path, &bytes)
}

/// Parses a policy's bytes, naming `path` in any error.
pub(super) fn parse(path: &std::path::Path, bytes: &[u8]) -> Result<Option<Loaded>> {
    let sha256 = super::digest_hex(bytes);
    let bad = |why: String| {
        Error::Invalid(format!(
            "{}: {why}. Fix the rule (docs/policy.md lists every field), or remove the file",
            path.display()
        ))
    };
    let text = std::str::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))?;
    let policy: Policy = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| {
                format!(
                    "line {}: ",
                    text[..s.start.min(text.len())].matches('\n').count() + 1
                )
            })
            .unwrap_or_default();
        bad(format!("{line}{}", e.message().trim_end()))
    })?;
    Ok(Some(Loaded { policy, sha256 }))
}

/// The keys (by [`Key::identity`]) that a device proved attested, each with what its
/// attestations say: the `sign` and `merge` lines of a transcript whose hash chain verifies,
/// whose evidence holds when checked again here ([`super::evidence`]): signatures that
/// verify with the key the line records over a payload the folder holds, and device
/// certificates that chain to the CA certificates in force ([`Ceremony::trust`]) and
/// attest that very key.
///
/// The attested key, not the keyids the line files its signature under: a role may list a
/// key under a keyid that is not its hash (a warning only), even under the keyid another
/// role lists another key as, and a device's proof for one key must never count for the
/// other.
///
/// A line's verdict (its `attestation` member) is never read: anyone can append lines that
/// keep the hash chain, so a line that says `verified` without the certificates to show it
/// proves nothing. `ceremony.json`, neither chained nor signed, is not read either. A key
/// file, or a device that cannot attest, leaves a key not attested.
fn attested(c: &Ceremony) -> Result<HashMap<String, Vec<crate::attest::Attestation>>> {
    let mut out: HashMap<String, Vec<crate::attest::Attestation>> = HashMap::new();
    for line in super::evidence::check(c, &c.transcript_read()?.entries)? {
        if let (Some(p), Some(a)) = (line.proof(), line.attestation()) {
            out.entry(p.key.identity()).or_default().push(a.clone());
        }
    }
    Ok(out)
}

/// One broken rule: its words, and the roles whose payloads make it (empty: every role).
pub struct Violation {
    pub sources: Vec<String>,
    pub text: String,
}

/// A role as the policy sees it: its keys, threshold, and expiry if signed here.
struct RoleFacts {
    keys: Vec<(String, Key)>,
    threshold: u64,
    /// The expiry of the role's working file (`None` for an online role).
    expires: Option<(String, i64)>,
    /// The role whose payload lists these keys and threshold.
    source: String,
    /// Signed online by the repository: its keys never sign in this ceremony.
    online: bool,
    /// An offline delegated role: the keys it delegates to (its projects) are its own
    /// payload's, and `[roles.NAME.projects]` may speak of them.
    delegates_projects: bool,
    /// The keys it delegates to (PEP 480's claimed projects), read only when a rule needs
    /// them (`allow_key_in_two_roles = false`): claimed may list 100,000 keys.
    project_keys: Vec<(String, Key)>,
}

/// Each role of the ceremony as the policy sees it: root's top-level roles, and every
/// role targets delegates to, offline (signed here) or online (signed by the repository,
/// such as PEP 480's recently-claimed). `with_projects`: also the keys each offline
/// delegated role delegates to.
fn facts(c: &Ceremony, with_projects: bool) -> Result<BTreeMap<String, RoleFacts>> {
    let mut out = BTreeMap::new();
    let expiry = |md: &crate::metadata::Metadata| {
        let common = md.signed.common();
        (common.expires.clone(), common.expires_at)
    };
    if let Some(root) = c.working_opt(&RoleName::ROOT)? {
        if let Some(r) = root.root() {
            let root_only = super::root_only::is_root_only(c)?;
            for name in ["root", "targets", "snapshot", "timestamp"] {
                let Some(rk) = r.role(name) else { continue };
                let expires = match name {
                    "root" => Some((r.common.expires.clone(), r.common.expires_at)),
                    "targets" => c.working_opt(&RoleName::TARGETS)?.map(|md| expiry(&md)),
                    _ => None,
                };
                out.insert(
                    name.to_string(),
                    RoleFacts {
                        keys: keys_of(&rk.keyids, &r.keys),
                        threshold: rk.threshold,
                        expires,
                        source: "root".to_string(),
                        online: matches!(name, "snapshot" | "timestamp")
                            || (name == "targets" && root_only),
                        delegates_projects: false,
                        project_keys: Vec::new(),
                    },
                );
            }
        }
    }
    if let Some(t) = c.working_opt(&RoleName::TARGETS)? {
        if let Some(d) = t.targets().and_then(|t| t.delegations.as_ref()) {
            for dr in d.roles.iter().flatten() {
                let offline = c.state.delegated.iter().find(|r| *r == dr.name.as_str());
                let (expires, project_keys) = match offline {
                    Some(role) => match c.working_opt(role)? {
                        Some(md) => {
                            let projects = match md.targets().and_then(|t| t.delegations.as_ref()) {
                                Some(pd) if with_projects => pd
                                    .keys
                                    .iter()
                                    .map(|(id, k)| (id.clone(), k.clone()))
                                    .collect(),
                                _ => Vec::new(),
                            };
                            (Some(expiry(&md)), projects)
                        }
                        None => (None, Vec::new()),
                    },
                    None => (None, Vec::new()),
                };
                out.insert(
                    dr.name.clone(),
                    RoleFacts {
                        keys: keys_of(&dr.keyids, &d.keys),
                        threshold: dr.threshold,
                        expires,
                        source: "targets".to_string(),
                        online: offline.is_none(),
                        delegates_projects: offline.is_some(),
                        project_keys,
                    },
                );
            }
        }
    }
    Ok(out)
}

fn keys_of(ids: &[String], keys: &BTreeMap<String, Key>) -> Vec<(String, Key)> {
    ids.iter()
        .filter_map(|id| keys.get(id).map(|k| (id.clone(), k.clone())))
        .collect()
}

/// Every rule the ceremony breaks. `with_proof`: also the proof-of-possession rule (for
/// `export` and `status`; `sign` is how keys get proven, so it never waits for it).
pub fn violations(c: &Ceremony, p: &Policy, with_proof: bool) -> Result<Vec<Violation>> {
    violations_in(c, p, &facts(c, !p.allow_key_in_two_roles)?, with_proof)
}

/// [`violations`] from the roles' facts already read.
fn violations_in(
    c: &Ceremony,
    p: &Policy,
    facts: &BTreeMap<String, RoleFacts>,
    with_proof: bool,
) -> Result<Vec<Violation>> {
    let mut out = Vec::new();
    let who = |id: &str, k: &Key| c.describe(id, Some(k));
    for (role, rules) in &p.roles {
        let at = |field: &str| format!("{FILE}: roles.{}.{field}", escape(role));
        let Some(f) = facts.get(role) else {
            out.push(Violation {
                sources: Vec::new(),
                text: format!(
                    "{FILE}: roles.{}: this ceremony has no role of that name (it has {}); a rule for it would never apply. Correct the name",
                    escape(role),
                    facts.keys().map(|r| escape(r).into_owned()).collect::<Vec<_>>().join(", ")
                ),
            });
            continue;
        };
        let mut broke = |source: &str, text: String| {
            out.push(Violation {
                sources: vec![source.to_string()],
                text,
            })
        };
        if let Some(schemes) = &rules.schemes {
            for (id, k) in f.keys.iter().filter(|(_, k)| !schemes.contains(&k.scheme)) {
                broke(
                    &f.source,
                    format!(
                        "{} = [{}], but {role}'s key {} is {}",
                        at("schemes"),
                        schemes
                            .iter()
                            .map(|s| format!("\"{}\"", escape(s)))
                            .collect::<Vec<_>>()
                            .join(", "),
                        who(id, k),
                        escape(&k.scheme)
                    ),
                );
            }
        }
        if let Some(min) = rules.min_threshold {
            if f.threshold < min {
                broke(
                    &f.source,
                    format!(
                        "{} = {min}, but {role}'s threshold is {}",
                        at("min_threshold"),
                        f.threshold
                    ),
                );
            }
        }
        if let Some(days) = rules.max_expiry_days {
            match &f.expires {
                Some((text, at_time)) => {
                    let limit = c.now.saturating_add(i64::try_from(days).unwrap_or(i64::MAX).saturating_mul(86_400));
                    if *at_time > limit {
                        broke(role, format!(
                            "{} = {days}, but {role} expires {text}, {} days from the ceremony clock. Set an earlier expiry: `tuf-ceremony expires {role} {days}d`",
                            at("max_expiry_days"),
                            (at_time - c.now) / 86_400
                        ));
                    }
                }
                None => broke(&f.source, format!(
                    "{}: {role} is signed online, not in this ceremony, so its expiry is not set here. Remove the rule",
                    at("max_expiry_days")
                )),
            }
        }
        if f.online && rules.require_proof_of_possession == Some(true) {
            broke(&f.source, format!(
                "{} = true: {role} is signed online by the repository, so its keys never sign in this ceremony and are never asked to prove themselves here. Remove the rule",
                at("require_proof_of_possession")
            ));
        }
        if rules.projects.is_some() && !f.delegates_projects {
            broke(&f.source, format!(
                "{}: {role} is not a delegated role signed in this ceremony, so it delegates to no projects' keys here; a rule for them would never apply. Remove the table",
                at("projects")
            ));
        }
    }
    if !p.allow_key_in_two_roles {
        out.extend(shared_keys(c, facts));
    }
    if with_proof {
        out.extend(unproven(c, p)?);
        out.extend(unattested(c, p, facts)?);
    }
    Ok(out)
}

/// `require_attestation = true`: each key of the role with no attestation that verifies
/// here, or (unless `allow_imported_keys = true`) whose every attestation says a copy of the
/// key exists or can exist outside the device. Like proof of possession, it is what
/// `export` waits for, not what `sign` refuses: signing with the device is how the
/// attestation is recorded.
fn unattested(
    c: &Ceremony,
    p: &Policy,
    facts: &BTreeMap<String, RoleFacts>,
) -> Result<Vec<Violation>> {
    let mut out = Vec::new();
    let required: Vec<(&String, &RolePolicy)> = p
        .roles
        .iter()
        .filter(|(_, r)| r.require_attestation)
        .collect();
    if required.is_empty() {
        return Ok(out);
    }
    let attested = attested(c)?;
    for (role, rules) in required {
        let Some(f) = facts.get(role) else { continue };
        let at = |field: &str| format!("{FILE}: roles.{}.{field}", escape(role));
        for (id, k) in &f.keys {
            let found = attested
                .get(&k.identity())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let text = if found.is_empty() {
                format!(
                    "{} = true, but {role}'s key {} has no device attestation in the transcript that verifies against {}: its holder signs with the device that holds it (a YubiHSM 2 or a YubiKey's PIV applet), which records the device's certificates there with the signature (a detached signature file carries them, and `merge` records them). A line that records a verdict without the certificates counts for nothing",
                    at("require_attestation"),
                    c.describe(id, Some(k)),
                    c.trust.describe()
                )
            } else if !rules.allow_imported_keys && found.iter().all(|a| a.may_exist_outside()) {
                let a = &found[0];
                format!(
                    "{} = true, but {role}'s key {} is attested by {} serial {} as {}{}: a copy of it exists, or can exist, outside the device, so the device alone does not hold it. Generate the key in the device, or, if the organisation accepts such keys for {role}, set {} = true",
                    at("require_attestation"),
                    c.describe(id, Some(k)),
                    a.kind.name(),
                    a.serial,
                    a.origin.describe(),
                    if a.object.as_ref().is_some_and(|o| o.exportable()) {
                        " and EXPORTABLE under wrap"
                    } else {
                        ""
                    },
                    at("allow_imported_keys")
                )
            } else {
                continue;
            };
            out.push(Violation {
                sources: Vec::new(),
                text,
            });
        }
    }
    Ok(out)
}

/// `require_proof_of_possession = true`: each key added in this ceremony, of which a rule
/// asks proof (see [`Policy::requires_proof`]), and not proven.
fn unproven(c: &Ceremony, p: &Policy) -> Result<Vec<Violation>> {
    if !p.asks_for_proof() {
        return Ok(Vec::new());
    }
    // Each unproven key, with the rules that ask its proof (one per role it was added to).
    let mut asked: Vec<super::proof::Standing> = Vec::new();
    let mut rules: HashMap<String, Vec<String>> = HashMap::new();
    // Per key: the delegated roles whose projects list it (their developers never come to a
    // ceremony: the words say how the policy can exempt them).
    let mut projects: HashMap<String, Vec<String>> = HashMap::new();
    for k in super::proof::added_keys(c)? {
        if k.proof.is_some() {
            continue;
        }
        if let Some(rule) = p.requires_proof(&k.listed) {
            let r = rules.entry(k.listed.identity.clone()).or_default();
            if !r.contains(&rule) {
                r.push(rule);
            }
            if let Some(role) = &k.listed.projects_of {
                let r = projects.entry(k.listed.identity.clone()).or_default();
                if !r.contains(role) {
                    r.push(role.clone());
                }
            }
            asked.push(k);
        }
    }
    let ids: Vec<String> = {
        let mut seen = std::collections::HashSet::new();
        asked
            .iter()
            .filter(|k| seen.insert(k.listed.identity.clone()))
            .map(|k| k.listed.identity.clone())
            .collect()
    };
    let added = super::proof::by_key(&asked);
    Ok(added
        .iter()
        .zip(ids)
        .map(|(k, id)| Violation {
            sources: Vec::new(),
            text: format!(
                "{FILE}: {} = true, but {} was added to {} in this ceremony and has not been proven: its holder signs with it (`tuf-ceremony sign ROLE` or `tuf-ceremony transcript sign`){}",
                rules.get(&id).map(|r| r.join(" and ")).unwrap_or_default(),
                k.name(),
                k.roles(),
                match projects.get(&id) {
                    Some(roles) => format!(
                        ", or, as a project's developers never come to a ceremony, the policy exempts them: {}",
                        roles
                            .iter()
                            .map(|r| format!("[roles.{}.projects] require_proof_of_possession = false", escape(r)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => String::new(),
                }
            ),
        })
        .collect())
}

/// `allow_key_in_two_roles = false`: each key listed for more than one role.
fn shared_keys(c: &Ceremony, facts: &BTreeMap<String, RoleFacts>) -> Vec<Violation> {
    // Per key identity: a keyid and the key, and each (role, payload listing it).
    type Serving = (String, Key, Vec<(String, String)>);
    let mut roles_of: HashMap<String, Serving> = HashMap::new();
    let mut serve = |id: &String, k: &Key, role: String, source: &str| {
        let e = roles_of
            .entry(k.identity())
            .or_insert_with(|| (id.clone(), k.clone(), Vec::new()));
        if !e.2.iter().any(|(r, _)| *r == role) {
            e.2.push((role, source.to_string()));
        }
    };
    for (role, f) in facts {
        for (id, k) in &f.keys {
            serve(id, k, role.clone(), &f.source);
        }
    }
    // A claimed project's developer key is listed in claimed's own payload: one role,
    // however many projects share it (a developer of two projects is one person).
    for (role, f) in facts {
        for (id, k) in &f.project_keys {
            serve(id, k, format!("{role}'s projects"), role);
        }
    }
    let mut out: Vec<Violation> = roles_of
        .into_values()
        .filter(|(_, _, roles)| roles.len() > 1)
        .map(|(id, k, roles)| Violation {
            // Every payload that lists the key for one of its roles.
            sources: {
                let mut s: Vec<String> = roles.iter().map(|(_, s)| s.clone()).collect();
                s.sort();
                s.dedup();
                s
            },
            text: format!(
                "{FILE}: allow_key_in_two_roles = false, but key {} serves {}",
                c.describe(&id, Some(&k)),
                roles
                    .iter()
                    .map(|(r, _)| escape(r).into_owned())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        })
        .collect();
    out.sort_by(|a, b| a.text.cmp(&b.text));
    out
}

/// The refusal for a list of violations, or nothing.
fn refuse(what: &str, v: &[Violation]) -> Result<()> {
    if v.is_empty() {
        return Ok(());
    }
    Err(Refusal::PolicyBroken {
        what: what.to_string(),
        broken: v.iter().map(|v| v.text.clone()).collect(),
    }
    .into())
}

/// `sign ROLE`: refuses when the payload signed makes a rule break (or a rule names a role
/// the ceremony does not have).
pub fn check_sign(c: &Ceremony, role: &RoleName) -> Result<()> {
    let Some(l) = load(c)? else { return Ok(()) };
    let v: Vec<Violation> = violations(c, &l.policy, false)?
        .into_iter()
        .filter(|v| v.sources.is_empty() || v.sources.iter().any(|s| s == role.as_str()))
        .collect();
    refuse(&format!("signing {}", escape(role)), &v)
}

/// `export`: refuses on any violation.
pub fn check_export(c: &Ceremony) -> Result<()> {
    let Some(l) = load(c)? else { return Ok(()) };
    refuse("export", &violations(c, &l.policy, true)?)
}

/// `status` and the report: the policy's digest and every violation, or why it cannot be
/// read. Returns the same as a JSON value (`null` without a policy).
pub fn add_to(c: &Ceremony, report: &mut Report) -> Result<Value> {
    let l = match load(c) {
        Ok(Some(l)) => l,
        Ok(None) => {
            // A policy removed is a recorded act, named wherever the policy would be.
            if let Some((seq, None)) = last_recorded(c)? {
                report.line(format!(
                    "policy: removed (transcript.jsonl line {seq}); no policy rule applies"
                ));
                return Ok(Value::object(vec![
                    ("file", Value::str(FILE)),
                    ("removed_at_line", Value::Int(i128::from(seq))),
                ]));
            }
            return Ok(Value::Null);
        }
        Err(e) => {
            report.line(format!("policy: problem: {e}"));
            return Ok(Value::object(vec![("problem", Value::str(e.to_string()))]));
        }
    };
    // Keys still to be proven are not broken rules yet, only what export waits for.
    // The roles are read once for both lists.
    let facts = facts(c, !l.policy.allow_key_in_two_roles)?;
    let v = violations_in(c, &l.policy, &facts, false)?;
    let mut waiting = unproven(c, &l.policy)?;
    waiting.extend(unattested(c, &l.policy, &facts)?);
    let texts = |v: &[Violation]| Value::Array(v.iter().map(|v| Value::str(&v.text)).collect());
    let json = Value::object(vec![
        ("file", Value::str(FILE)),
        ("sha256", Value::str(&l.sha256)),
        ("violations", texts(&v)),
        ("before_export", texts(&waiting)),
    ]);
    report.line(format!(
        "policy: {FILE} (SHA-256 {}): {}",
        short(&l.sha256),
        match (v.len(), waiting.len()) {
            (0, 0) => "every rule is met".to_string(),
            (0, n) =>
                format!("every rule is met so far; {n} key(s) to prove or attest before export"),
            (n, _) => format!("{n} violation(s); sign and export refuse them"),
        }
    ));
    for v in v {
        report.line(format!("  violation: {}", v.text));
    }
    for w in waiting {
        report.line(format!("  before export: {}", w.text));
    }
    Ok(json)
}
/// The last recorded act on the policy: the transcript line and the digest it put in force
/// (`None`: removed). `None` when no policy was ever recorded.
pub fn last_recorded(c: &Ceremony) -> Result<Option<(u64, Option<String>)>> {
    Ok(c.transcript_read()?
        .entries
        .iter()
        .rev()
        .find(|e| e.event() == EVENT)
        .map(|e| (e.seq, e.str("sha256").map(str::to_string))))
}
