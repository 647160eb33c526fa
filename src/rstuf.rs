//! The JSON documents RSTUF (Repository Service for TUF) moves between its server and the
//! offline machine, read and written here: pure, bytes in and values out.
//!
//! Shapes (repository-service-tuf-cli 1.0.0b1, `repository_service_tuf/cli/admin/helpers.py`):
//! - the bootstrap payload `rstuf admin ceremony` writes (`ceremony-payload.json`):
//!   `{"settings": {"roles": …}, "metadata": {"root": <root metadata>}, "timeout": 300}`;
//! - the metadata update payload of a root rotation (`rstuf admin metadata update`):
//!   `{"metadata": {"root": <root metadata>}}`;
//! - the pending-signatures response of `GET /api/v1/metadata/sign` (what `rstuf admin
//!   metadata sign --in` reads): `{"data": {"metadata": {"root": …, "trusted_root": …}},
//!   "message": …}`;
//! - the sign payload (`rstuf admin metadata sign`): `{"signature": {"keyid", "sig"},
//!   "role": "root"}`;
//! - and, from other tools, a bare signature `{"keyid", "sig"}` and go-tuf's
//!   `tuf add-signatures` list `[{"keyid", "sig"}, …]`.
//!
//! The TUF metadata inside a payload is never interpreted here: it is handed on as a JSON
//! value to [`crate::metadata::Metadata::load_value`], the one load path, and written back
//! from the loaded model. Every other member of a payload is kept as read.

use crate::json::{self, Object, Value};
use crate::keys::Key;
use crate::metadata::Root;

/// The key field RSTUF names a key by (its CLI requires it unique among root keys).
pub const KEY_NAME_FIELD: &str = "x-rstuf-key-name";
/// The key field telling RSTUF's worker where the online key's private half is.
pub const KEY_URI_FIELD: &str = "x-rstuf-online-key-uri";
/// Key fields (beside keytype, scheme and keyval) RSTUF's API keeps on a metadata update
/// (`TUFKeys`; pydantic's default `extra="ignore"` drops every other one, and the signatures
/// then fail in its worker).
const KEPT_KEY_FIELDS: [&str; 3] = [KEY_NAME_FIELD, KEY_URI_FIELD, "name"];

/// A signature as RSTUF and go-tuf carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BareSignature {
    pub keyid: String,
    pub sig: String,
}

/// What a file from RSTUF (or a signature from another tool) holds.
#[derive(Clone, Debug)]
pub enum Incoming {
    /// `rstuf admin ceremony`'s payload: the whole document, kept as read.
    Bootstrap(Object),
    /// `rstuf admin metadata update`'s payload: the whole document, kept as read.
    Update(Object),
    /// The pending-signatures response: the pending root, and the trusted root it must
    /// follow when it is a rotation. `others` names pending roles that are not root.
    Pending {
        root: Value,
        trusted_root: Option<Value>,
        others: Vec<String>,
    },
    /// `rstuf admin metadata sign`'s payload.
    SignPayload {
        role: String,
        signature: BareSignature,
    },
    /// One `{"keyid", "sig"}`.
    Bare(BareSignature),
    /// go-tuf's `tuf add-signatures` JSON: `[{"keyid", "sig"}, …]`.
    GoTuf(Vec<BareSignature>),
}

impl Incoming {
    /// What the document is, in words for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Incoming::Bootstrap(_) => "an RSTUF bootstrap payload",
            Incoming::Update(_) => "an RSTUF metadata update payload",
            Incoming::Pending { .. } => "an RSTUF pending-signatures response",
            Incoming::SignPayload { .. } => "an RSTUF sign payload",
            Incoming::Bare(_) => "a bare signature",
            Incoming::GoTuf(_) => "a go-tuf add-signatures list",
        }
    }
}

/// Reads any of the documents [`Incoming`] lists, strictly ([`json::parse`]: no duplicate
/// key, no float), telling them apart by their members. The error says what was expected.
pub fn read(bytes: &[u8]) -> Result<Incoming, String> {
    let value = json::parse(bytes).map_err(|e| e.to_string())?;
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return Err("an empty signature list".into());
            }
            if let Some(why) = crate::metadata::too_many_signatures(items.len()) {
                return Err(format!("it holds {why}"));
            }
            let sigs = items
                .iter()
                .enumerate()
                .map(|(i, v)| signature(v, &format!("$[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Incoming::GoTuf(sigs))
        }
        Value::Object(doc) => read_object(doc),
        other => Err(format!(
            "a JSON {}, not an object or a list of signatures",
            other.kind()
        )),
    }
}

fn read_object(doc: Object) -> Result<Incoming, String> {
    if doc.get("data").is_some() {
        return pending(&doc);
    }
    if doc.get("metadata").is_some() {
        root_in(&doc)?;
        if let Some(settings) = doc.get("settings") {
            if settings.as_object().is_none() {
                return Err(format!(
                    "$.settings must be an object, found {}",
                    settings.kind()
                ));
            }
            if let Some(t) = doc.get("timeout") {
                if !matches!(t, Value::Int(_) | Value::Null) {
                    return Err(format!("$.timeout must be an integer, found {}", t.kind()));
                }
            }
            return Ok(Incoming::Bootstrap(doc));
        }
        return Ok(Incoming::Update(doc));
    }
    if let Some(sig) = doc.get("signature") {
        only_members(&doc, &["signature", "role"], "$")?;
        let role = doc
            .get("role")
            .and_then(Value::as_str)
            .ok_or("$.role is missing or not a string")?
            .to_string();
        return Ok(Incoming::SignPayload {
            role,
            signature: signature(sig, "$.signature")?,
        });
    }
    if doc.get("keyid").is_some() || doc.get("sig").is_some() {
        return Ok(Incoming::Bare(signature(&Value::Object(doc), "$")?));
    }
    Err(format!(
        "none of the documents RSTUF hands over (members {}): expected a bootstrap payload (settings, metadata), an update payload (metadata), a pending-signatures response (data), a sign payload (signature, role), a signature (keyid, sig) or a list of signatures",
        doc.keys()
            .map(|k| format!("\"{}\"", k.escape_debug()))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Refuses members other than `allowed`: a signature with a Sigstore `bundle`, say, is not
/// one this tool can check, and nothing read is silently dropped.
fn only_members(o: &Object, allowed: &[&str], at: &str) -> Result<(), String> {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "{at}.{} is not read here (only {}); a signature carrying more than a keyid and a hex signature cannot be checked by tuf-ceremony",
            k.escape_debug(),
            allowed.join(", ")
        )),
        None => Ok(()),
    }
}

fn signature(v: &Value, at: &str) -> Result<BareSignature, String> {
    let o = v.as_object().ok_or_else(|| {
        format!(
            "{at} must be an object with keyid and sig, found {}",
            v.kind()
        )
    })?;
    only_members(o, &["keyid", "sig"], at)?;
    let field = |name: &str| {
        o.get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("{at}.{name} is missing or not a string"))
    };
    let (keyid, sig) = (field("keyid")?, field("sig")?);
    if sig.is_empty() {
        return Err(format!("{at}.sig is empty: a placeholder, not a signature"));
    }
    Ok(BareSignature { keyid, sig })
}

/// `$.metadata.root` of a bootstrap or update payload.
pub fn root_in(doc: &Object) -> Result<&Value, String> {
    let metadata = doc
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or("$.metadata must be an object")?;
    metadata
        .get("root")
        .filter(|r| r.as_object().is_some())
        .ok_or_else(|| {
            "$.metadata.root is missing: RSTUF payloads carry the root metadata there".to_string()
        })
}

fn pending(doc: &Object) -> Result<Incoming, String> {
    let data = doc.get("data").unwrap_or(&Value::Null);
    if *data == Value::Null {
        return Err("$.data is null: RSTUF has no metadata pending signatures".into());
    }
    let roles = data
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or("$.data.metadata must be an object of pending roles")?;
    let others: Vec<String> = roles
        .keys()
        .filter(|k| !k.starts_with("trusted_") && k.as_str() != "root")
        .cloned()
        .collect();
    let root = roles.get("root").cloned().ok_or_else(|| {
        format!(
            "no root is pending signatures (pending: {}); tuf-ceremony signs root offline, RSTUF signs the other roles online",
            if others.is_empty() { "nothing".to_string() } else { others.join(", ") }
        )
    })?;
    Ok(Incoming::Pending {
        root,
        trusted_root: roles.get("trusted_root").cloned(),
        others,
    })
}

/// `doc` with `$.metadata.root` replaced by `root` (every other member as read).
pub fn with_root(doc: &Object, root: Value) -> Value {
    let mut doc = doc.clone();
    let mut metadata = doc
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    metadata.insert("root", root);
    doc.insert("metadata", Value::Object(metadata));
    Value::Object(doc)
}

/// A metadata update payload holding `root` alone, as `rstuf admin metadata update`
/// writes it.
pub fn update_payload(root: Value) -> Value {
    Value::object(vec![("metadata", Value::object(vec![("root", root)]))])
}

/// The sign payload `rstuf admin send sign` posts (`SignPayload` in RSTUF's CLI).
pub fn sign_payload(role: &str, s: &BareSignature) -> Value {
    Value::object(vec![
        (
            "signature",
            Value::object(vec![
                ("keyid", Value::str(&s.keyid)),
                ("sig", Value::str(&s.sig)),
            ]),
        ),
        ("role", Value::str(role)),
    ])
}

/// The fields of `signed` RSTUF's API knows (`TUFSigned`'s fields and aliases).
const KNOWN_SIGNED_FIELDS: [&str; 10] = [
    "_type",
    "version",
    "spec_version",
    "expires",
    "keys",
    "consistent_snapshot",
    "roles",
    "meta",
    "targets",
    "delegations",
];

/// Members `keyval` may hold for RSTUF's API (`TUFKeys.keyval: Dict[Literal["public",
/// "issuer", "identity"], str]`): any other, or a value that is not a string, and the API
/// refuses the payload (a metadata update in 1.0.0rc1 and 1.0.1, a bootstrap in 1.0.0rc1).
const KEYVAL_FIELDS: [&str; 3] = ["public", "issuer", "identity"];

/// Why RSTUF's API refuses a field of root's `signed` named `name`, if it does. Both checks
/// of repository-service-tuf-api (commit ba49c886c313f34976b767e05f3afa01e34ff268, tag
/// v1.0.1; the same in v1.0.0rc1, 2b4e6bbe6eaf61feac2e8d480e6aeaedb7242742): a metadata
/// update's `TUFSigned.validate_unrecognized_fields` wants an unknown field to start with
/// "x" and have three "-"-separated parts; 1.0.1's `BootstrapPayload.
/// validate_signed_extension_fields` wants it to start with "x-". A name that passes both is
/// `x-<vendor>-<name>`.
fn signed_field_refusal(name: &str) -> Option<String> {
    if KNOWN_SIGNED_FIELDS.contains(&name)
        || (name.starts_with("x-") && name.split('-').count() >= 3)
    {
        return None;
    }
    Some(format!(
        "root's signed has the field \"{}\", which RSTUF's API refuses (\"unrecognized_field must use format x-<vendor>-<name>\")",
        name.escape_debug()
    ))
}

/// Every field of root's `signed` RSTUF's API refuses (`extra`: the fields the metadata
/// model does not know).
pub fn signed_field_refusals(extra: &Object) -> Vec<String> {
    extra
        .keys()
        .filter_map(|k| signed_field_refusal(k))
        .collect()
}

/// Role fields RSTUF's API drops (`TUFSignedRoles` keeps keyids and threshold; pydantic's
/// default `extra="ignore"`), so that signatures over the root no longer verify in its worker.
pub fn role_field_refusals(root: &Root) -> Vec<String> {
    root.roles
        .iter()
        .filter_map(|(name, r)| {
            r.extra.keys().next().map(|k| {
                format!(
                    "root's {name} role has the field \"{}\", which RSTUF's API drops on a metadata update (it keeps keyids and threshold), so signatures over this root fail there",
                    k.escape_debug()
                )
            })
        })
        .collect()
}

/// Why RSTUF's API refuses a root listing `key`, or makes its signatures fail, if it does:
/// a `keyval` member other than public, issuer and identity (or one that is not a string) is
/// refused (`TUFKeys.keyval`); a key field other than keytype, scheme, keyval, name,
/// x-rstuf-key-name and x-rstuf-online-key-uri is dropped on a metadata update (pydantic's
/// default `extra="ignore"`), so the signatures over the root fail in RSTUF's worker.
pub fn key_refusal(keyid: &str, key: &Key) -> Option<String> {
    let id = crate::display::short(keyid);
    let bad_keyval: Vec<String> = key
        .keyval_extra
        .iter()
        .filter(|(k, v)| !KEYVAL_FIELDS.contains(&k.as_str()) || v.as_str().is_none())
        .map(|(k, _)| format!("\"{}\"", k.escape_debug()))
        .collect();
    if !bad_keyval.is_empty() {
        return Some(format!(
            "key {id} has keyval member(s) {} that RSTUF's API refuses (keyval may hold only public, issuer and identity, as strings)",
            bad_keyval.join(", ")
        ));
    }
    let dropped: Vec<String> = key
        .extra
        .keys()
        .filter(|k| !KEPT_KEY_FIELDS.contains(&k.as_str()))
        .map(|k| format!("\"{}\"", k.escape_debug()))
        .collect();
    if dropped.is_empty() {
        return None;
    }
    Some(format!(
        "key {id} has field(s) {} that RSTUF's API drops on a metadata update (it keeps keytype, scheme, keyval, {KEY_NAME_FIELD} and {KEY_URI_FIELD}), so signatures over this root would no longer verify there; remove them before signing",
        dropped.join(", ")
    ))
}

/// What RSTUF would refuse or lose in a root: fields of `signed` its API refuses, key and
/// role fields it refuses or drops, and a root whose online roles do not share the one online
/// key RSTUF signs with.
pub fn root_warnings(root: &Root, place: &str) -> Vec<String> {
    let mut out: Vec<String> = signed_field_refusals(&root.extra)
        .into_iter()
        .chain(
            root.keys
                .iter()
                .filter_map(|(id, key)| key_refusal(id, key)),
        )
        .chain(role_field_refusals(root))
        .map(|w| format!("{place}: {w}"))
        .collect();
    let online: Vec<Option<&[String]>> = ["timestamp", "snapshot", "targets"]
        .iter()
        .map(|n| root.role(n).map(|r| r.keyids.as_slice()))
        .collect();
    let first = online[0].and_then(|ids| ids.first());
    let shared = first.is_some()
        && online
            .iter()
            .all(|ids| ids.and_then(|i| i.first()) == first);
    if !shared {
        out.push(format!(
            "{place}: RSTUF signs timestamp, snapshot and targets with one online key, the first keyid of each of those roles; here they differ or one is empty, so RSTUF cannot sign them all"
        ));
    } else if let Some(id) = first {
        let uri = root.keys.get(id).and_then(|k| k.extra.get(KEY_URI_FIELD));
        if uri.is_none() {
            out.push(format!(
                "{place}: the online key {} has no \"{KEY_URI_FIELD}\": RSTUF's worker finds the online key's private half through it",
                crate::display::short(id)
            ));
        }
    }
    out
}

/// Why RSTUF's API refuses a bootstrap payload's `settings`, each a sentence naming the
/// member: its pydantic models (`bootstrap.py` at the commits named on
/// [`signed_field_refusal`]): `Settings.roles: RolesData` with `root`, `targets`,
/// `snapshot` and `timestamp` each a `Role` (`expiration: int`, > 0); `bins` a `BinsRole`
/// (also `number_of_delegated_bins: int`, 2 to 16384); `delegations` a `TUFDelegations`
/// (`keys`, `roles` with `name` matching `[a-zA-Z0-9_-]+`, `terminating`, `keyids`,
/// `threshold`, `paths` a non-empty list of non-empty strings); exactly one of `bins` and
/// `delegations`. Members the models do not name are ignored by RSTUF, and so here.
pub fn settings_refusals(settings: &Object) -> Vec<String> {
    let mut out = Vec::new();
    let Some(roles) = settings.get("roles") else {
        return vec!["$.settings.roles is missing".into()];
    };
    let Some(roles) = roles.as_object() else {
        return vec![format!(
            "$.settings.roles must be an object, found {}",
            roles.kind()
        )];
    };
    let int_in = |v: Option<&Value>, at: &str, lo: i128, hi: i128, out: &mut Vec<String>| match v {
        None => out.push(format!("{at} is missing")),
        Some(Value::Int(n)) if (lo..=hi).contains(n) => {}
        Some(Value::Int(n)) => out.push(format!("{at} is {n}; RSTUF takes {lo} to {hi}")),
        Some(other) => out.push(format!("{at} must be an integer, found {}", other.kind())),
    };
    for name in ["root", "targets", "snapshot", "timestamp", "bins"] {
        let at = format!("$.settings.roles.{name}");
        match roles.get(name) {
            None | Some(Value::Null) if name == "bins" => {}
            None | Some(Value::Null) => out.push(format!("{at} is missing")),
            Some(Value::Object(r)) => {
                int_in(
                    r.get("expiration"),
                    &format!("{at}.expiration"),
                    1,
                    i128::from(i64::MAX),
                    &mut out,
                );
                if name == "bins" {
                    int_in(
                        r.get("number_of_delegated_bins"),
                        &format!("{at}.number_of_delegated_bins"),
                        2,
                        16384,
                        &mut out,
                    );
                }
            }
            Some(other) => out.push(format!("{at} must be an object, found {}", other.kind())),
        }
    }
    let present = |n: &str| !matches!(roles.get(n), None | Some(Value::Null));
    if present("bins") == present("delegations") {
        out.push("$.settings.roles must have exactly one of bins and delegations (RSTUF: \"Exactly one of 'bins' and 'delegations' must be set\")".into());
    }
    if let Some(d) = roles.get("delegations").filter(|_| present("delegations")) {
        out.extend(delegations_refusals(d));
    }
    out
}

fn delegations_refusals(d: &Value) -> Vec<String> {
    let at = "$.settings.roles.delegations";
    let Some(d) = d.as_object() else {
        return vec![format!("{at} must be an object, found {}", d.kind())];
    };
    let mut out = Vec::new();
    if d.get("keys").and_then(Value::as_object).is_none() {
        out.push(format!("{at}.keys must be an object of keys"));
    }
    let Some(roles) = d.get("roles").and_then(Value::as_array) else {
        out.push(format!("{at}.roles must be a list of roles"));
        return out;
    };
    for (i, r) in roles.iter().enumerate() {
        let at = format!("{at}.roles[{i}]");
        let Some(r) = r.as_object() else {
            out.push(format!("{at} must be an object"));
            continue;
        };
        match r.get("name").and_then(Value::as_str) {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') => {}
            Some(n) => out.push(format!(
                "{at}.name \"{}\": RSTUF takes only a-z, A-Z, 0-9, - and _ in a delegated role's name",
                n.escape_debug()
            )),
            None => out.push(format!("{at}.name is missing or not a string")),
        }
        if !matches!(r.get("terminating"), Some(Value::Bool(_))) {
            out.push(format!("{at}.terminating must be true or false"));
        }
        if !matches!(r.get("threshold"), Some(Value::Int(_))) {
            out.push(format!("{at}.threshold must be an integer"));
        }
        if r.get("keyids")
            .and_then(Value::as_array)
            .is_none_or(|k| k.iter().any(|k| k.as_str().is_none()))
        {
            out.push(format!("{at}.keyids must be a list of keyids"));
        }
        match r.get("paths").and_then(Value::as_array) {
            Some(p)
                if !p.is_empty() && p.iter().all(|p| p.as_str().is_some_and(|s| !s.is_empty())) => {
            }
            _ => out.push(format!(
                "{at}.paths must be a non-empty list of non-empty path patterns"
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_document_is_told_apart_by_its_members() {
        let root = r#"{"signatures":[],"signed":{}}"#;
        let cases = [
            (
                format!(r#"{{"settings":{{}},"metadata":{{"root":{root}}},"timeout":300}}"#),
                "an RSTUF bootstrap payload",
            ),
            (
                format!(r#"{{"metadata":{{"root":{root}}}}}"#),
                "an RSTUF metadata update payload",
            ),
            (
                format!(r#"{{"data":{{"metadata":{{"root":{root}}}}},"message":"m"}}"#),
                "an RSTUF pending-signatures response",
            ),
            (
                r#"{"signature":{"keyid":"ab","sig":"cd"},"role":"root"}"#.to_string(),
                "an RSTUF sign payload",
            ),
            (
                r#"{"keyid":"ab","sig":"cd"}"#.to_string(),
                "a bare signature",
            ),
            (
                r#"[{"keyid":"ab","sig":"cd"}]"#.to_string(),
                "a go-tuf add-signatures list",
            ),
        ];
        for (text, kind) in cases {
            assert_eq!(read(text.as_bytes()).unwrap().kind(), kind, "{text}");
        }
    }

    #[test]
    fn placeholders_and_unknown_members_are_refused() {
        for (text, why) in [
            (r#"{"keyid":"ab","sig":""}"#, "placeholder"),
            (r#"{"keyid":"ab","sig":"cd","bundle":{}}"#, "bundle"),
            (
                r#"{"signature":{"keyid":"ab","sig":"cd"},"role":"root","x":1}"#,
                "$.x",
            ),
            (r#"[]"#, "empty"),
            (
                r#"{"data":null,"message":"No metadata pending signing available"}"#,
                "no metadata pending",
            ),
            (r#"{"data":{"metadata":{"bins-0":{}}}}"#, "bins-0"),
            (r#"{"metadata":{}}"#, "metadata.root is missing"),
            (r#"{"keyid":"ab","keyid":"cd","sig":"00"}"#, "appears twice"),
            (r#"{"other":1}"#, "none of the documents"),
        ] {
            let e = read(text.as_bytes()).unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
    }

    #[test]
    fn a_payload_keeps_every_member_but_the_root_it_replaces() {
        let Incoming::Bootstrap(doc) = read(
            br#"{"settings":{"roles":{"bins":null}},"metadata":{"root":{"a":1},"x":2},"timeout":300,"extra":"kept"}"#,
        )
        .unwrap() else {
            panic!("not a bootstrap payload")
        };
        let out = with_root(&doc, Value::str("new"));
        assert_eq!(
            String::from_utf8(json::canonical(&out)).unwrap(),
            r#"{"extra":"kept","metadata":{"root":"new","x":2},"settings":{"roles":{"bins":null}},"timeout":300}"#
        );
        let sign = sign_payload(
            "root",
            &BareSignature {
                keyid: "ab".into(),
                sig: "cd".into(),
            },
        );
        assert_eq!(
            String::from_utf8(json::canonical(&sign)).unwrap(),
            r#"{"role":"root","signature":{"keyid":"ab","sig":"cd"}}"#
        );
    }

    /// RSTUF's models (`bootstrap.py`): each role an expiration above 0, bins 2 to 16384,
    /// exactly one of bins and delegations, delegated names of a-z, A-Z, 0-9, - and _.
    #[test]
    fn settings_are_checked_against_rstufs_models() {
        let ok = r#"{"roles":{"root":{"expiration":365},"targets":{"expiration":365},"snapshot":{"expiration":1},"timestamp":{"expiration":1},"bins":{"expiration":1,"number_of_delegated_bins":4}}}"#;
        let settings = |t: &str| {
            json::parse(t.as_bytes())
                .unwrap()
                .as_object()
                .unwrap()
                .clone()
        };
        assert!(settings_refusals(&settings(ok)).is_empty());
        for (text, why) in [
            (ok.replace("\"number_of_delegated_bins\":4", "\"number_of_delegated_bins\":1"), "number_of_delegated_bins is 1; RSTUF takes 2 to 16384"),
            (ok.replace("\"number_of_delegated_bins\":4", "\"number_of_delegated_bins\":16385"), "takes 2 to 16384"),
            (ok.replace("\"root\":{\"expiration\":365}", "\"root\":{\"expiration\":0}"), "root.expiration is 0"),
            (ok.replace("\"snapshot\":{\"expiration\":1},", ""), "snapshot is missing"),
            (ok.replace(",\"bins\":{\"expiration\":1,\"number_of_delegated_bins\":4}", ""), "exactly one of bins and delegations"),
            (ok.replace("\"bins\":{\"expiration\":1,\"number_of_delegated_bins\":4}", "\"delegations\":{\"keys\":{},\"roles\":[{\"name\":\"../x\",\"terminating\":true,\"keyids\":[],\"threshold\":1,\"paths\":[\"*\"]}]}"), "only a-z, A-Z, 0-9, - and _"),
            (ok.replace("\"bins\":{\"expiration\":1,\"number_of_delegated_bins\":4}", "\"delegations\":{\"keys\":{},\"roles\":[{\"name\":\"a\",\"terminating\":true,\"keyids\":[],\"threshold\":1,\"paths\":[]}]}"), "paths must be a non-empty list"),
        ] {
            let got = settings_refusals(&settings(&text)).join("; ");
            assert!(got.contains(why), "{text}: {got}");
        }
    }

    /// Unknown fields of root's signed: only x-<vendor>-<name> passes RSTUF's API; keyval
    /// members beyond public/issuer/identity are refused, other key fields dropped.
    #[test]
    fn rstuf_field_rules_and_wording() {
        let mut extra = Object::new();
        for k in ["custom", "x-foo", "x-acme-foo", "consistent_snapshot"] {
            extra.insert(k, Value::Int(1));
        }
        let w = signed_field_refusals(&extra);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].contains("\"custom\"") && w[1].contains("\"x-foo\""),
            "{w:?}"
        );
        let mut k = Key::ed25519(&ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());
        k.extra.insert(KEY_NAME_FIELD, Value::str("alice"));
        assert!(key_refusal("ab", &k).is_none());
        k.keyval_extra
            .insert("identity", Value::str("alice@example.com"));
        assert!(key_refusal("ab", &k).is_none());
        k.keyval_extra.insert("extra", Value::str("x"));
        let w = key_refusal("ab", &k).unwrap();
        assert!(
            w.contains("RSTUF's API refuses") && !w.contains("drops"),
            "{w}"
        );
    }
}
