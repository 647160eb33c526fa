//! The TUF metadata model: root, targets (with delegations) and, for inspection only,
//! snapshot and timestamp, in the `{signed, signatures}` envelope (TUF spec 1.0 section 4).
//!
//! Parse once, validate once, then trust the type (rust-tuf's shim pattern, done by hand so
//! every error can name its JSON path). Every object keeps the members it does not know in
//! an `extra` map, so a signature made by another tool over fields we do not understand
//! still verifies after we load and save the file: the canonical bytes are unchanged.
//!
//! Pure: bytes and values in, values out. No clock, no filesystem.

use crate::format_error::FormatError;
use crate::json::{self, push_path, Member, Node, Object, ParseError, Style, Value, Writer};
use crate::keys::Key;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

mod layout;
pub use layout::{Layout, KEPT_LAYOUT_MAX};

/// The four top-level role names (TUF spec 1.0 section 2.1).
pub const TOP_LEVEL_ROLES: [&str; 4] = ["root", "snapshot", "targets", "timestamp"];

/// The spec version this tool writes.
pub const SPEC_VERSION: &str = "1.0.31";

/// The most signatures one metadata file, or one detached signature file, may hold. A real
/// one holds a handful (a threshold of keyholders, perhaps an empty placeholder for each
/// expected signer); tens of thousands only make every check slower. Refused before any
/// signature is looked at, and never written (see [`too_many_signatures`]).
pub const MAX_SIGNATURES: usize = 1024;

/// Why `count` signatures on one file are refused, if they are.
pub fn too_many_signatures(count: usize) -> Option<String> {
    (count > MAX_SIGNATURES).then(|| {
        format!(
            "{count} signatures, more than the {MAX_SIGNATURES} one file may hold (a real one holds a few)"
        )
    })
}

/// Fields every role's `signed` has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Common {
    pub spec_version: String,
    pub version: u64,
    pub expires: String,
    /// `expires` as seconds since the epoch (validated at parse time).
    pub expires_at: i64,
}

/// A top-level role's keys and threshold in root (TUF spec 4.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleKeys {
    pub keyids: Vec<String>,
    pub threshold: u64,
    pub extra: Object,
}

/// `root.json`'s signed part (TUF spec 4.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    pub common: Common,
    pub consistent_snapshot: Option<bool>,
    pub keys: BTreeMap<String, Key>,
    pub roles: BTreeMap<String, RoleKeys>,
    pub extra: Object,
}

/// One delegated role (TUF spec 4.5, "delegations").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegatedRole {
    pub name: String,
    pub keyids: Vec<String>,
    pub threshold: u64,
    pub terminating: bool,
    pub paths: Option<Vec<String>>,
    pub path_hash_prefixes: Option<Vec<String>>,
    pub extra: Object,
}

/// A targets role's delegations: keys, and roles in priority order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegations {
    pub keys: BTreeMap<String, Key>,
    /// `None` when the metadata uses `succinct_roles` (TAP 15) instead; that stays in `extra`.
    pub roles: Option<Vec<DelegatedRole>>,
    pub extra: Object,
}

/// `targets.json`'s (or a delegated targets role's) signed part (TUF spec 4.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Targets {
    pub common: Common,
    /// Target files: path → {length, hashes, custom}; validated, kept as written.
    pub targets: Object,
    pub delegations: Option<Delegations>,
    pub extra: Object,
}

/// Snapshot and timestamp: read for inspection, never signed here (online roles).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Online {
    pub role: String,
    pub common: Common,
    pub extra: Object,
}

/// The signed part of any metadata file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signed {
    Root(Root),
    Targets(Targets),
    Online(Online),
}

/// One signature in the envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub keyid: String,
    pub sig: String,
    pub extra: Object,
}

/// A whole metadata file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub signed: Signed,
    pub signatures: Vec<Signature>,
    pub extra: Object,
    /// The layout of the file it was read from, when another tool wrote it: writing it
    /// again then changes nothing but its signatures (see [`Layout`]). Never part of
    /// equality.
    pub layout: Layout,
}

/// Takes members out of a parsed object one by one; what is left is the object's `extra`.
struct Fields<'a> {
    /// Sorted by key, each key once (as the parser gives them).
    obj: Vec<(Cow<'a, str>, Node<'a>)>,
    path: String,
}

impl<'a> Fields<'a> {
    fn new(node: Node<'a>, path: String) -> Result<Fields<'a>, FormatError> {
        match node {
            Node::Object(members) => Ok(Fields {
                obj: members.into_vec(),
                path,
            }),
            other => Err(FormatError::new(
                &path,
                format!("must be an object, found {}", other.kind()),
            )),
        }
    }

    fn at(&self, name: &str) -> String {
        let mut p = self.path.clone();
        push_path(&mut p, name);
        p
    }

    fn has(&self, name: &str) -> bool {
        self.obj.binary_search_by(|(k, _)| (**k).cmp(name)).is_ok()
    }

    fn take(&mut self, name: &str) -> Option<Node<'a>> {
        let i = self.obj.binary_search_by(|(k, _)| (**k).cmp(name)).ok()?;
        Some(self.obj.remove(i).1)
    }

    fn required(&mut self, name: &str) -> Result<Node<'a>, FormatError> {
        self.take(name).ok_or_else(|| {
            FormatError::new(
                &self.path,
                format!("the required field \"{name}\" is missing"),
            )
        })
    }

    fn string(&mut self, name: &str) -> Result<String, FormatError> {
        match self.required(name)? {
            Node::Str(s) => Ok(s.into_owned()),
            other => Err(FormatError::new(
                &self.at(name),
                format!("must be a string, found {}", other.kind()),
            )),
        }
    }

    /// An integer from 1 to 2^63-1 (versions, thresholds).
    fn positive(&mut self, name: &str) -> Result<u64, FormatError> {
        let value = self.required(name)?;
        positive_int(&value, &self.at(name))
    }

    fn object(&mut self, name: &str) -> Result<Fields<'a>, FormatError> {
        let path = self.at(name);
        Fields::new(self.required(name)?, path)
    }

    /// The unknown fields, as owned values (exactly sized: none allocates nothing).
    fn rest(self) -> Object {
        Object::from_sorted(
            self.obj
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_value()))
                .collect(),
        )
    }
}

fn positive_int(value: &Node, path: &str) -> Result<u64, FormatError> {
    let found = match value {
        Node::Int(i) if *i >= 1 => return Ok(*i as u64),
        Node::Int(i) => i.to_string(),
        Node::UInt(i) => i.to_string(),
        other => {
            return Err(FormatError::new(
                path,
                format!("must be an integer, found {}", other.kind()),
            ))
        }
    };
    Err(FormatError::new(
        path,
        format!("must be an integer from 1 to 2^63-1, found {found}"),
    ))
}

fn string_list(value: Node, path: &str, what: &str) -> Result<Vec<String>, FormatError> {
    let items = match value {
        Node::Array(items) => items.into_vec(),
        other => {
            return Err(FormatError::new(
                path,
                format!("must be an array of {what}, found {}", other.kind()),
            ))
        }
    };
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Node::Str(s) => out.push(s.into_owned()),
            other => {
                return Err(FormatError::new(
                    &format!("{path}[{i}]"),
                    format!("must be a string, found {}", other.kind()),
                ))
            }
        }
    }
    check_unique(&out, &|| path.to_string(), what)?;
    Ok(out)
}

/// Refuses a list that names something twice (a keyid listed twice would count twice
/// toward a threshold in a careless client). `path` is built only for the error.
fn check_unique(
    items: &[String],
    path: &dyn Fn() -> String,
    what: &str,
) -> Result<(), FormatError> {
    // Lists are short (a role's keyids, a project's paths): a scan beats hashing, and
    // allocates nothing; long lists get a hash set.
    let repeated = if items.len() > 16 {
        let mut seen = HashSet::with_capacity(items.len());
        items.iter().position(|s| !seen.insert(s.as_str()))
    } else {
        (1..items.len()).find(|&i| items[..i].contains(&items[i]))
    };
    match repeated {
        None => Ok(()),
        Some(i) => Err(FormatError::new(
            &format!("{}[{i}]", path()),
            format!(
                "\"{}\" is listed twice; each of the {what} must be listed once",
                items[i]
            ),
        )),
    }
}

/// A list of strings as read: `Ok` when it is an array of strings, otherwise the value
/// itself, for [`string_list`] to say what is wrong with it.
type List<'a> = Result<Vec<String>, Node<'a>>;

fn list_from_node(value: Node) -> List {
    match value {
        Node::Array(items) if items.iter().all(|v| matches!(v, Node::Str(_))) => Ok(items
            .into_vec()
            .into_iter()
            .filter_map(|v| match v {
                Node::Str(s) => Some(s.into_owned()),
                _ => None,
            })
            .collect()),
        other => Err(other),
    }
}

fn checked_list(
    list: List,
    path: &dyn Fn() -> String,
    what: &str,
) -> Result<Vec<String>, FormatError> {
    match list {
        Ok(items) => {
            check_unique(&items, path, what)?;
            Ok(items)
        }
        Err(value) => string_list(value, &path(), what),
    }
}

fn string_array(values: &[String]) -> Value {
    Value::Array(values.iter().map(|s| Value::str(s.as_str())).collect())
}

fn parse_common(fields: &mut Fields) -> Result<Common, FormatError> {
    let spec_version = fields.string("spec_version")?;
    let parts: Vec<&str> = spec_version.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !(2..=3).contains(&parts.len()) || !numeric || parts[0] != "1" {
        return Err(FormatError::new(
            &fields.at("spec_version"),
            format!("\"{spec_version}\" is not a 1.x TUF specification version (such as \"1.0.31\"); this tool and python-tuf support major version 1 only"),
        ));
    }
    let version = fields.positive("version")?;
    let expires = fields.string("expires")?;
    let expires_at = crate::time::parse_expires(&expires)
        .map_err(|problem| FormatError::new(&fields.at("expires"), problem))?;
    Ok(Common {
        spec_version,
        version,
        expires,
        expires_at,
    })
}

fn common_value(obj: &mut Object, type_: &str, common: &Common) {
    obj.insert("_type", Value::str(type_));
    obj.insert("spec_version", Value::str(&common.spec_version));
    obj.insert("version", Value::Int(i128::from(common.version)));
    obj.insert("expires", Value::str(&common.expires));
}

fn parse_keys(fields: &mut Fields) -> Result<BTreeMap<String, Key>, FormatError> {
    let keys = fields.object("keys")?;
    let mut out = BTreeMap::new();
    for (keyid, key) in keys.obj {
        let mut at = keys.path.clone();
        push_path(&mut at, &keyid);
        let key = Key::from_owned(key.into_value(), &at)?;
        out.insert(keyid.into_owned(), key);
    }
    Ok(out)
}

fn write_keys(keys: &BTreeMap<String, Key>, w: &mut Writer) {
    w.entries(keys.iter(), |w, k| k.write_json(w));
}

fn write_object_value(obj: &Object, w: &mut Writer) {
    w.entries(obj.iter(), |w, v| w.value(v));
}

fn keys_value(keys: &BTreeMap<String, Key>) -> Value {
    Value::Object(Object::from_sorted(
        keys.iter()
            .map(|(id, k)| (id.clone(), k.to_value()))
            .collect(),
    ))
}

fn check_keyids_known(
    keyids: &[String],
    known: impl Fn(&str) -> bool,
    path: impl Fn() -> String,
) -> Result<(), FormatError> {
    for (i, keyid) in keyids.iter().enumerate() {
        if !known(keyid) {
            return Err(FormatError::new(
                &format!("{}.keyids[{i}]", path()),
                format!("keyid {keyid} is not in the \"keys\" of this metadata; add the key or remove the keyid"),
            ));
        }
    }
    Ok(())
}

impl Root {
    fn from_fields(mut fields: Fields) -> Result<Root, FormatError> {
        let common = parse_common(&mut fields)?;
        let consistent_snapshot = match fields.take("consistent_snapshot") {
            None => None,
            Some(Node::Bool(b)) => Some(b),
            Some(other) => {
                return Err(FormatError::new(
                    &fields.at("consistent_snapshot"),
                    format!("must be true or false, found {}", other.kind()),
                ))
            }
        };
        let keys = parse_keys(&mut fields)?;
        let roles_fields = fields.object("roles")?;
        let roles_path = roles_fields.path.clone();
        let mut roles = BTreeMap::new();
        for (name, role) in roles_fields.obj {
            let name = name.into_owned();
            let mut at = roles_path.clone();
            push_path(&mut at, &name);
            if !TOP_LEVEL_ROLES.contains(&name.as_str()) {
                return Err(FormatError::new(
                    &at,
                    format!("\"{name}\" is not a top-level role; root lists exactly root, snapshot, targets and timestamp"),
                ));
            }
            let mut rf = Fields::new(role, at.clone())?;
            let keyids = string_list(rf.required("keyids")?, &rf.at("keyids"), "keyids")?;
            let threshold = rf.positive("threshold")?;
            check_keyids_known(&keyids, |id| keys.contains_key(id), || at.clone())?;
            roles.insert(
                name,
                RoleKeys {
                    keyids,
                    threshold,
                    extra: rf.rest(),
                },
            );
        }
        for name in TOP_LEVEL_ROLES {
            if !roles.contains_key(name) {
                return Err(FormatError::new(
                    &roles_path,
                    format!("the role \"{name}\" is missing; root must list root, snapshot, targets and timestamp"),
                ));
            }
        }
        Ok(Root {
            common,
            consistent_snapshot,
            keys,
            roles,
            extra: fields.rest(),
        })
    }

    fn to_value(&self) -> Value {
        let mut obj = self.extra.clone();
        common_value(&mut obj, "root", &self.common);
        if let Some(cs) = self.consistent_snapshot {
            obj.insert("consistent_snapshot", Value::Bool(cs));
        }
        obj.insert("keys", keys_value(&self.keys));
        let roles = self
            .roles
            .iter()
            .map(|(name, r)| {
                let mut o = r.extra.clone();
                o.insert("keyids", string_array(&r.keyids));
                o.insert("threshold", Value::Int(i128::from(r.threshold)));
                (name.clone(), Value::Object(o))
            })
            .collect();
        obj.insert("roles", Value::Object(Object::from_sorted(roles)));
        Value::Object(obj)
    }

    /// The keys and threshold of a top-level role (always present after parsing).
    pub fn role(&self, name: &str) -> Option<&RoleKeys> {
        self.roles.get(name)
    }
}

/// Role names that would be dangerous as file names or would shadow a top-level role.
pub fn check_role_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a delegated role name must not be empty".into());
    }
    if TOP_LEVEL_ROLES.contains(&name) {
        return Err(format!(
            "\"{name}\" is a top-level role name and cannot be delegated"
        ));
    }
    if name == "."
        || name == ".."
        || name.contains('/')
        || name.contains('\\')
        || name.chars().any(char::is_control)
    {
        return Err(format!(
            "\"{}\" looks like a path: a delegated role name must not contain '/', '\\', control \
             characters, or be '.' or '..' (it becomes a file name on the repository)",
            name.escape_debug()
        ));
    }
    Ok(())
}

/// What a delegation list must hold beyond each role's own fields: every keyid has a key,
/// and no role name is delegated twice (TUF spec 4.5). `base` is the list's JSON path.
fn check_roles(
    keys: &BTreeMap<String, Key>,
    roles: &[DelegatedRole],
    base: &str,
) -> Result<(), FormatError> {
    // Hashed, not searched: 100,000 roles look up their keyids here.
    let known: HashSet<&str> = keys.keys().map(String::as_str).collect();
    let mut names: HashSet<&str> = HashSet::with_capacity(roles.len());
    for (i, role) in roles.iter().enumerate() {
        let at = || format!("{base}[{i}]");
        check_keyids_known(&role.keyids, |id| known.contains(id), at)?;
        if !names.insert(role.name.as_str()) {
            return Err(FormatError::new(
                &format!("{}.name", at()),
                format!(
                    "the role \"{}\" is delegated twice; each delegated role name must be unique",
                    role.name
                ),
            ));
        }
    }
    Ok(())
}

impl Delegations {
    fn from_fields(mut fields: Fields) -> Result<Delegations, FormatError> {
        let keys = parse_keys(&mut fields)?;
        let roles = match fields.take("roles") {
            None => {
                if !fields.has("succinct_roles") {
                    return Err(FormatError::new(
                        &fields.path,
                        "delegations must have \"roles\" (or \"succinct_roles\")",
                    ));
                }
                None
            }
            Some(Node::Array(items)) => {
                if fields.has("succinct_roles") {
                    return Err(FormatError::new(
                        &fields.path,
                        "delegations must not have both \"roles\" and \"succinct_roles\"",
                    ));
                }
                let base = fields.at("roles");
                let mut roles = Vec::with_capacity(items.len());
                for (i, item) in items.into_vec().into_iter().enumerate() {
                    let at = format!("{base}[{i}]");
                    roles.push(DelegatedRole::from_fields(Fields::new(item, at)?)?);
                }
                check_roles(&keys, &roles, &base)?;
                Some(roles)
            }
            Some(other) => {
                return Err(FormatError::new(
                    &fields.at("roles"),
                    format!("must be an array, found {}", other.kind()),
                ))
            }
        };
        Ok(Delegations {
            keys,
            roles,
            extra: fields.rest(),
        })
    }

    fn to_value(&self) -> Value {
        let mut obj = self.extra.clone();
        obj.insert("keys", keys_value(&self.keys));
        if let Some(roles) = &self.roles {
            obj.insert(
                "roles",
                Value::Array(roles.iter().map(DelegatedRole::to_value).collect()),
            );
        }
        Value::Object(obj)
    }

    fn write_json(&self, w: &mut Writer) {
        let keys = |w: &mut Writer| write_keys(&self.keys, w);
        let roles = |w: &mut Writer| {
            if let Some(roles) = &self.roles {
                w.array(roles, |w, r| r.write_json(w));
            }
        };
        if self.roles.is_some() {
            w.object(&mut [("keys", &keys), ("roles", &roles)], &self.extra);
        } else {
            w.object(&mut [("keys", &keys)], &self.extra);
        }
    }

    /// The delegated role called `name`, if any.
    pub fn role(&self, name: &str) -> Option<&DelegatedRole> {
        self.roles.as_ref()?.iter().find(|r| r.name == name)
    }
}

impl DelegatedRole {
    /// Reads one delegation from a tree; the caller checks its keyids against the
    /// delegator's keys.
    fn from_fields(f: Fields) -> Result<DelegatedRole, FormatError> {
        let path = f.path.clone();
        DelegatedRole::from_parts(RoleParts::from_fields(f), &|| path.clone())
    }

    /// Validates a delegation's members (TUF spec 4.5), whichever way they were read.
    /// `path` (such as `$.signed.delegations.roles[7]`) is built only for an error.
    fn from_parts(p: RoleParts, path: &dyn Fn() -> String) -> Result<DelegatedRole, FormatError> {
        let at = |name: &str| {
            let mut at = path();
            push_path(&mut at, name);
            at
        };
        let missing = |name: &str| {
            FormatError::new(&path(), format!("the required field \"{name}\" is missing"))
        };
        let name = match p.name {
            Some(Node::Str(s)) => s.into_owned(),
            Some(other) => {
                return Err(FormatError::new(
                    &at("name"),
                    format!("must be a string, found {}", other.kind()),
                ))
            }
            None => return Err(missing("name")),
        };
        check_role_name(&name).map_err(|problem| FormatError::new(&at("name"), problem))?;
        let keyids = checked_list(
            p.keyids.ok_or_else(|| missing("keyids"))?,
            &|| at("keyids"),
            "keyids",
        )?;
        let threshold = match p.threshold {
            Some(Node::Int(i)) if i >= 1 => i as u64,
            Some(other) => return Err(positive_int(&other, &at("threshold")).unwrap_err()),
            None => return Err(missing("threshold")),
        };
        let terminating = match p.terminating {
            Some(Node::Bool(b)) => b,
            Some(other) => {
                return Err(FormatError::new(
                    &at("terminating"),
                    format!("must be true or false, found {}", other.kind()),
                ))
            }
            None => return Err(missing("terminating")),
        };
        let paths = match p.paths {
            Some(list) => Some(checked_list(list, &|| at("paths"), "paths")?),
            None => None,
        };
        let path_hash_prefixes = match p.path_hash_prefixes {
            Some(list) => Some(checked_list(
                list,
                &|| at("path_hash_prefixes"),
                "path_hash_prefixes",
            )?),
            None => None,
        };
        if paths.is_some() == path_hash_prefixes.is_some() {
            return Err(FormatError::new(
                &path(),
                format!("the delegation to \"{name}\" must have exactly one of \"paths\" and \"path_hash_prefixes\" (TUF spec 4.5)"),
            ));
        }
        Ok(DelegatedRole {
            name,
            keyids,
            threshold,
            terminating,
            paths,
            path_hash_prefixes,
            extra: p.extra,
        })
    }

    fn write_json(&self, w: &mut Writer) {
        let name = |w: &mut Writer| w.str(&self.name);
        let keyids = |w: &mut Writer| w.strs(&self.keyids);
        let threshold = |w: &mut Writer| w.int(i128::from(self.threshold));
        let terminating = |w: &mut Writer| w.bool(self.terminating);
        let paths = |w: &mut Writer| w.strs(self.paths.as_deref().unwrap_or_default());
        let prefixes =
            |w: &mut Writer| w.strs(self.path_hash_prefixes.as_deref().unwrap_or_default());
        let mut members: [Member<'_>; 6] = [
            ("name", &name),
            ("keyids", &keyids),
            ("threshold", &threshold),
            ("terminating", &terminating),
            ("paths", &paths),
            ("path_hash_prefixes", &prefixes),
        ];
        let n = match (self.paths.is_some(), self.path_hash_prefixes.is_some()) {
            (true, true) => 6,
            (true, false) => 5,
            (false, true) => {
                members.swap(4, 5);
                5
            }
            (false, false) => 4,
        };
        w.object(&mut members[..n], &self.extra);
    }

    fn to_value(&self) -> Value {
        let mut o = self.extra.clone();
        o.insert("name", Value::str(&self.name));
        o.insert("keyids", string_array(&self.keyids));
        o.insert("threshold", Value::Int(i128::from(self.threshold)));
        o.insert("terminating", Value::Bool(self.terminating));
        if let Some(p) = &self.paths {
            o.insert("paths", string_array(p));
        }
        if let Some(p) = &self.path_hash_prefixes {
            o.insert("path_hash_prefixes", string_array(p));
        }
        Value::Object(o)
    }
}

/// A delegation's members as read, before [`DelegatedRole::from_parts`] validates them.
struct RoleParts<'a> {
    name: Option<Node<'a>>,
    keyids: Option<List<'a>>,
    threshold: Option<Node<'a>>,
    terminating: Option<Node<'a>>,
    paths: Option<List<'a>>,
    path_hash_prefixes: Option<List<'a>>,
    extra: Object,
}

impl<'a> RoleParts<'a> {
    fn from_fields(mut f: Fields<'a>) -> RoleParts<'a> {
        RoleParts {
            name: f.take("name"),
            keyids: f.take("keyids").map(list_from_node),
            threshold: f.take("threshold"),
            terminating: f.take("terminating"),
            paths: f.take("paths").map(list_from_node),
            path_hash_prefixes: f.take("path_hash_prefixes").map(list_from_node),
            extra: f.rest(),
        }
    }
}

fn check_target_files(targets: &Object, base: &str) -> Result<(), FormatError> {
    for (name, file) in targets.iter() {
        let mut at = base.to_string();
        push_path(&mut at, name);
        let obj = file.as_object().ok_or_else(|| {
            FormatError::new(
                &at,
                format!(
                    "a target file entry must be an object, found {}",
                    file.kind()
                ),
            )
        })?;
        match obj.get("length") {
            Some(Value::Int(n)) if *n >= 0 => {}
            Some(_) => {
                return Err(FormatError::new(
                    &format!("{at}.length"),
                    "must be a non-negative integer",
                ))
            }
            None => {
                return Err(FormatError::new(
                    &at,
                    "the required field \"length\" is missing",
                ))
            }
        }
        let hashes = obj
            .get("hashes")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                FormatError::new(
                    &at,
                    "\"hashes\" must be an object of algorithm → hex digest",
                )
            })?;
        if hashes.is_empty() {
            return Err(FormatError::new(
                &format!("{at}.hashes"),
                "at least one hash is required",
            ));
        }
        for (alg, digest) in hashes.iter() {
            if digest.as_str().is_none() {
                return Err(FormatError::new(
                    &format!("{at}.hashes.{alg}"),
                    "must be a hex string",
                ));
            }
        }
    }
    Ok(())
}

impl Targets {
    fn from_fields(mut fields: Fields) -> Result<Targets, FormatError> {
        let common = parse_common(&mut fields)?;
        let targets_path = fields.at("targets");
        let targets = fields.object("targets")?.rest();
        check_target_files(&targets, &targets_path)?;
        let delegations = match fields.take("delegations") {
            None => None,
            Some(v) => Some(Delegations::from_fields(Fields::new(
                v,
                fields.at("delegations"),
            )?)?),
        };
        Ok(Targets {
            common,
            targets,
            delegations,
            extra: fields.rest(),
        })
    }

    fn write_json(&self, w: &mut Writer) {
        let c = &self.common;
        let type_ = |w: &mut Writer| w.str("targets");
        let spec = |w: &mut Writer| w.str(&c.spec_version);
        let version = |w: &mut Writer| w.int(i128::from(c.version));
        let expires = |w: &mut Writer| w.str(&c.expires);
        let files = |w: &mut Writer| write_object_value(&self.targets, w);
        let delegations = |w: &mut Writer| {
            if let Some(d) = &self.delegations {
                d.write_json(w);
            }
        };
        let mut members: [Member<'_>; 6] = [
            ("_type", &type_),
            ("spec_version", &spec),
            ("version", &version),
            ("expires", &expires),
            ("targets", &files),
            ("delegations", &delegations),
        ];
        let n = if self.delegations.is_some() { 6 } else { 5 };
        w.object(&mut members[..n], &self.extra);
    }

    fn to_value(&self) -> Value {
        let mut obj = self.extra.clone();
        common_value(&mut obj, "targets", &self.common);
        obj.insert("targets", Value::Object(self.targets.clone()));
        if let Some(d) = &self.delegations {
            obj.insert("delegations", d.to_value());
        }
        Value::Object(obj)
    }
}

impl Signed {
    /// The `_type` of this metadata.
    pub fn type_name(&self) -> &str {
        match self {
            Signed::Root(_) => "root",
            Signed::Targets(_) => "targets",
            Signed::Online(o) => &o.role,
        }
    }

    pub fn common(&self) -> &Common {
        match self {
            Signed::Root(r) => &r.common,
            Signed::Targets(t) => &t.common,
            Signed::Online(o) => &o.common,
        }
    }

    pub fn common_mut(&mut self) -> &mut Common {
        match self {
            Signed::Root(r) => &mut r.common,
            Signed::Targets(t) => &mut t.common,
            Signed::Online(o) => &mut o.common,
        }
    }

    /// Writes the signed part, unknown fields included, without building a tree for the
    /// large parts (target files are written from their parsed value, delegations directly).
    pub fn write_json(&self, w: &mut Writer) {
        match self {
            Signed::Targets(t) => t.write_json(w),
            other => w.value(&other.to_value()),
        }
    }

    /// About how many bytes the canonical form takes (a buffer size, so a 20 MB payload is
    /// not copied on every doubling of its buffer; it need not be exact).
    pub fn size_hint(&self) -> usize {
        match self {
            Signed::Targets(t) => {
                let roles: usize = t
                    .delegations
                    .iter()
                    .flat_map(|d| d.roles.iter().flatten())
                    .map(|r| {
                        96 + r.name.len()
                            + r.keyids.iter().map(|k| k.len() + 3).sum::<usize>()
                            + r.paths.iter().flatten().map(|p| p.len() + 3).sum::<usize>()
                            + r.path_hash_prefixes
                                .iter()
                                .flatten()
                                .map(|p| p.len() + 3)
                                .sum::<usize>()
                    })
                    .sum();
                let keys = t.delegations.as_ref().map_or(0, |d| d.keys.len() * 320);
                4096 + roles + keys + t.targets.len() * 256
            }
            _ => 4096,
        }
    }

    /// The signed part as a JSON value, unknown fields included.
    pub fn to_value(&self) -> Value {
        match self {
            Signed::Root(r) => r.to_value(),
            Signed::Targets(t) => t.to_value(),
            Signed::Online(o) => {
                let mut obj = o.extra.clone();
                common_value(&mut obj, &o.role, &o.common);
                Value::Object(obj)
            }
        }
    }

    fn from_node(value: Node) -> Result<Signed, FormatError> {
        let mut fields = Fields::new(value, "$.signed".into())?;
        let type_ = fields.string("_type")?;
        match type_.as_str() {
            "root" => Ok(Signed::Root(Root::from_fields(fields)?)),
            "targets" => Ok(Signed::Targets(Targets::from_fields(fields)?)),
            "snapshot" | "timestamp" => {
                let common = parse_common(&mut fields)?;
                Ok(Signed::Online(Online {
                    role: type_,
                    common,
                    extra: fields.rest(),
                }))
            }
            other => Err(FormatError::new(
                "$.signed._type",
                format!("\"{other}\" is not a TUF role type (root, targets, snapshot, timestamp)"),
            )),
        }
    }
}

fn round_trip_error(at: &str) -> FormatError {
    FormatError::new(
        at,
        "internal error: this metadata does not survive a round trip unchanged; please \
         report it with the file",
    )
}

pub fn syntax_error(e: ParseError) -> FormatError {
    FormatError::new(
        &format!("line {}, column {}", e.line, e.column),
        e.message(),
    )
}

/// The bytes every signature covers (the canonical form of `signed`, TUF spec 1.0
/// "Document formats"), with their SHA-256 (which `status` and the transcript show).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    pub bytes: Vec<u8>,
    pub sha256: [u8; 32],
}

impl Payload {
    fn of(bytes: Vec<u8>) -> Payload {
        let sha256 = Sha256::digest(&bytes).into();
        Payload { bytes, sha256 }
    }

    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }
}

/// The envelope's `signatures`: each a `{keyid, sig}` object (unknown members kept), each
/// keyid at most once (python-tuf 7 refuses a second signature by one keyid), and no more
/// of them than [`too_many_signatures`] allows.
fn read_signatures(value: Node) -> Result<Vec<Signature>, FormatError> {
    let Node::Array(items) = value else {
        return Err(FormatError::new(
            "$.signatures",
            format!("must be an array, found {}", value.kind()),
        ));
    };
    if let Some(why) = too_many_signatures(items.len()) {
        return Err(FormatError::new(
            "$.signatures",
            format!("{why}; none was checked. Remove the signatures that do not belong to the role's keyholders"),
        ));
    }
    let mut seen = HashSet::with_capacity(items.len());
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_vec().into_iter().enumerate() {
        let at = format!("$.signatures[{i}]");
        let mut f = Fields::new(item, at.clone())?;
        let keyid = f.string("keyid")?;
        let sig = f.string("sig")?;
        if !seen.insert(keyid.clone()) {
            return Err(FormatError::new(
                &at,
                format!("a second signature by keyid {keyid}; a keyid may sign once (remove the duplicate)"),
            ));
        }
        out.push(Signature {
            keyid,
            sig,
            extra: f.rest(),
        });
    }
    Ok(out)
}

/// A metadata file as read: its validated model, and the payload its signatures cover.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub metadata: Metadata,
    pub payload: Payload,
}

impl Metadata {
    /// New metadata with no signatures yet: what an edit or `init` writes for the
    /// keyholders to sign.
    pub fn unsigned(signed: Signed) -> Metadata {
        Metadata {
            signed,
            signatures: vec![],
            extra: Object::new(),
            layout: Default::default(),
        }
    }

    /// The one way a metadata file is read. Every command reads a role through it.
    ///
    /// 1. Parse strictly ([`json::parse_tree`]: no duplicate keys, no floats, no BOM).
    /// 2. The digest of what signatures cover: the canonical form of `signed` exactly as
    ///    read, unknown fields included (TUF spec 1.0 "Document formats").
    /// 3. Build the typed model from the parsed `signed`, validating every field.
    /// 4. Read the signatures (each keyid once; a bounded number).
    /// 5. The payload is the model's canonical form, and it must hash to the digest of
    ///    step 2: what we would sign, show or count is what was read.
    ///
    /// The file's buffer is taken, and reused for the payload once the tree is gone
    /// (canonical JSON is never longer than the JSON it was read from).
    pub fn load(bytes: impl Into<Vec<u8>>) -> Result<Loaded, FormatError> {
        let bytes = bytes.into();
        let (mut metadata, digest) = Metadata::read(&bytes)?;
        metadata.layout = Layout::of(&metadata, &bytes);
        let mut buffer = bytes;
        buffer.clear();
        let mut written = Writer::with_buffer(Style::Canonical, buffer);
        metadata.signed.write_json(&mut written);
        let payload = Payload::of(written.out);
        if payload.sha256 != digest {
            return Err(round_trip_error("$.signed"));
        }
        Ok(Loaded { metadata, payload })
    }

    /// Steps 1 to 4 of [`load`](Self::load): the model, and the SHA-256 of the canonical
    /// form of `signed` as read. The tree is let go as the model is built from it.
    fn read(bytes: &[u8]) -> Result<(Metadata, [u8; 32]), FormatError> {
        let tree = json::parse_tree(bytes).map_err(syntax_error)?;
        let mut fields = Fields::new(tree, "$".into())?;
        let signed = fields.required("signed")?;
        let mut hasher = Sha256::new();
        let mut hash = |piece: &[u8]| hasher.update(piece);
        let mut as_read = Writer::streaming(Style::Canonical, &mut hash);
        as_read.node(&signed);
        as_read.finish();
        let digest = hasher.finalize().into();
        let signed = Signed::from_node(signed)?;
        let signatures = read_signatures(fields.required("signatures")?)?;
        let extra = fields.rest();
        let metadata = Metadata {
            signed,
            signatures,
            extra,
            layout: Layout::default(),
        };
        Ok((metadata, digest))
    }

    /// [`load`](Self::load) for a document already parsed (written out and read again,
    /// so that there is one load path; for small documents).
    pub fn load_value(value: Value) -> Result<Loaded, FormatError> {
        let mut loaded = Metadata::load(json::compact(&value).into_bytes())?;
        // A value has no layout of its own: the compact text it was read through is not one.
        loaded.metadata.layout = Layout::default();
        Ok(loaded)
    }

    /// [`load`](Self::load), keeping only the model.
    pub fn from_bytes(bytes: &[u8]) -> Result<Metadata, FormatError> {
        Ok(Metadata::load(bytes)?.metadata)
    }

    /// Validates a parsed document (the same steps as [`load`](Self::load)).
    pub fn from_value(value: Value) -> Result<Metadata, FormatError> {
        Ok(Metadata::load_value(value)?.metadata)
    }

    /// The whole file as a JSON value.
    pub fn to_value(&self) -> Value {
        let mut obj = self.extra.clone();
        obj.insert("signed", self.signed.to_value());
        let sigs = self
            .signatures
            .iter()
            .map(|s| {
                let mut o = s.extra.clone();
                o.insert("keyid", Value::str(&s.keyid));
                o.insert("sig", Value::str(&s.sig));
                Value::Object(o)
            })
            .collect();
        obj.insert("signatures", Value::Array(sigs));
        Value::Object(obj)
    }

    /// The payload every signature covers: the canonical bytes of `signed`.
    pub fn payload(&self) -> Vec<u8> {
        let mut w = Writer::new(Style::Canonical, self.signed.size_hint());
        self.signed.write_json(&mut w);
        w.out
    }

    /// The file as python-tuf would write it (readable, sorted keys, a final newline), or,
    /// for a file another tool wrote, that file with only its signatures changed (see
    /// [`Layout`]).
    pub fn to_file_bytes(&self) -> Vec<u8> {
        if let Some(kept) = self.layout.write(self) {
            return kept;
        }
        let mut w = Writer::new(Style::Pretty, 2 * self.signed.size_hint());
        self.write_file(&mut w);
        w.out
    }

    /// [`to_file_bytes`](Self::to_file_bytes) handed to `sink` in pieces, so a large file
    /// is never whole in memory (see `fsutil::write_atomic_with`).
    pub fn write_file_to(&self, sink: &mut dyn FnMut(&[u8])) {
        match self.layout.write(self) {
            Some(kept) => sink(&kept),
            None => self.write_own_to(sink),
        }
    }

    /// This tool's own layout of the file, handed to `sink` in pieces.
    fn write_own_to(&self, sink: &mut dyn FnMut(&[u8])) {
        let mut w = Writer::streaming(Style::Pretty, sink);
        self.write_file(&mut w);
        w.finish();
    }

    fn write_file(&self, w: &mut Writer<'_>) {
        let signed = |w: &mut Writer| self.signed.write_json(w);
        let signatures = |w: &mut Writer| {
            w.array(&self.signatures, |w, sig| {
                let keyid = |w: &mut Writer| w.str(&sig.keyid);
                let value = |w: &mut Writer| w.str(&sig.sig);
                w.object(&mut [("keyid", &keyid), ("sig", &value)], &sig.extra);
            })
        };
        w.object(
            &mut [("signed", &signed), ("signatures", &signatures)],
            &self.extra,
        );
        w.out.push(b'\n');
    }

    pub fn root(&self) -> Option<&Root> {
        match &self.signed {
            Signed::Root(r) => Some(r),
            _ => None,
        }
    }

    pub fn targets(&self) -> Option<&Targets> {
        match &self.signed {
            Signed::Targets(t) => Some(t),
            _ => None,
        }
    }

    pub fn version(&self) -> u64 {
        self.signed.common().version
    }

    /// The keys this metadata lists: root's keys, or a targets role's delegated keys.
    pub fn own_keys(&self) -> Option<&BTreeMap<String, Key>> {
        match &self.signed {
            Signed::Root(r) => Some(&r.keys),
            Signed::Targets(t) => t.delegations.as_ref().map(|d| &d.keys),
            Signed::Online(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = r#"{"keytype":"ed25519","scheme":"ed25519","keyval":{"public":"aa"}}"#;

    fn targets_doc(roles: &str) -> Vec<u8> {
        format!(
            r#"{{"signatures":[{{"sig":"00","keyid":"k1","x-note":1}}],"x-top":true,
            "signed":{{"version":3,"_type":"targets","spec_version":"1.0.31",
            "expires":"2030-01-01T00:00:00Z","x-ext":{{"b":[1,2],"a":"\"q\\"}},
            "targets":{{"a/b.tgz":{{"length":1,"hashes":{{"sha256":"00"}}}}}},
            "delegations":{{"x-d":null,"keys":{{"k1":{KEY},"k2":{KEY}}},"roles":[{roles}]}}}}}}"#
        )
        .into_bytes()
    }

    const ROLES: &str = r#"{"terminating":true,"name":"p\"1","keyids":["k1"],"threshold":1,"paths":["p1/*"],"x-r":[{}]},
        {"name":"p2","keyids":["k1","k2"],"threshold":2,"terminating":false,"path_hash_prefixes":["ab","cd"]},
        {"name":"p3","keyids":[],"threshold":1,"terminating":false,"paths":[]}"#;

    /// The direct writers (used for payloads and files) agree byte for byte with the generic
    /// tree writers, and loading gives what the plain parse
    /// gives: both decide what signatures cover.
    #[test]
    fn direct_writers_and_loading_match_the_tree() {
        let doc = targets_doc(ROLES);
        let tree = json::parse(&doc).unwrap();
        let mut loaded = Metadata::from_bytes(&doc).unwrap();
        // The writers of this tool's own layout (the document's own is kept, see layout.rs).
        assert!(loaded.layout.is_kept());
        loaded.layout = Layout::default();
        let plain = Metadata::from_value(tree.clone()).unwrap();
        assert_eq!(loaded, plain);
        let signed = tree.as_object().unwrap().get("signed").unwrap();
        assert_eq!(loaded.payload(), json::canonical(signed));
        assert_eq!(loaded.payload(), json::canonical(&loaded.signed.to_value()));
        assert_eq!(loaded.to_file_bytes(), json::pretty(&loaded.to_value()));
        let roles = loaded.targets().unwrap().delegations.as_ref().unwrap();
        assert_eq!(roles.roles.as_ref().unwrap().len(), 3);
        // Root goes through the tree writer; it must agree too.
        let again = Metadata::from_bytes(&loaded.to_file_bytes()).unwrap();
        assert_eq!(again, loaded);
    }

    /// Whatever order members come in, and however big the delegations, loading gives the
    /// same model, and the payload is the canonical form of `signed`.
    #[test]
    fn loading_agrees_with_the_tree_in_every_order() {
        let many: Vec<String> = (0..3000)
            .map(|i| format!(r#"{{"threshold":1,"name":"p{i}","keyids":["k1"],"terminating":false,"paths":["p{i}/*"]}}"#))
            .collect();
        let many = many.join(",");
        // Sorted signed, unsorted signed, and delegations written before `_type`.
        let sorted = format!(
            r#"{{"signatures":[],"signed":{{"_type":"targets","delegations":{{"keys":{{"k1":{KEY}}},"roles":[{many}]}},"expires":"2030-01-01T00:00:00Z","spec_version":"1.0.31","targets":{{}},"version":1}}}}"#
        );
        let unsorted = format!(
            r#"{{"signed":{{"version":1,"_type":"targets","targets":{{}},"delegations":{{"roles":[{many}],"keys":{{"k1":{KEY}}}}},"expires":"2030-01-01T00:00:00Z","spec_version":"1.0.31"}},"signatures":[]}}"#
        );
        let type_last = format!(
            r#"{{"signed":{{"delegations":{{"keys":{{"k1":{KEY}}},"roles":[{many}]}},"expires":"2030-01-01T00:00:00Z","spec_version":"1.0.31","targets":{{}},"version":1,"_type":"targets"}},"signatures":[]}}"#
        );
        for doc in [sorted, unsorted, type_last] {
            let tree = json::parse(doc.as_bytes()).unwrap();
            let plain = Metadata::from_value(tree.clone()).unwrap();
            let Loaded {
                metadata: mut direct,
                payload,
            } = Metadata::load(doc.as_bytes()).unwrap();
            direct.layout = Layout::default();
            assert_eq!(direct, plain);
            let canonical = json::canonical(tree.get("signed").unwrap());
            assert_eq!(payload.bytes, canonical);
            assert_eq!(payload.sha256, <[u8; 32]>::from(Sha256::digest(&canonical)));
            assert_eq!(
                direct
                    .targets()
                    .unwrap()
                    .delegations
                    .as_ref()
                    .unwrap()
                    .roles
                    .as_ref()
                    .unwrap()
                    .len(),
                3000
            );
            // The file written in pieces is the file written whole.
            let (mut streamed, mut pieces) = (Vec::new(), 0);
            direct.write_file_to(&mut |b| {
                streamed.extend_from_slice(b);
                pieces += 1;
            });
            assert!(pieces > 1);
            assert_eq!(streamed, direct.to_file_bytes());
        }
    }

    /// Delegations in a role that is not targets are unknown data, kept as written.
    #[test]
    fn delegations_outside_targets_stay_unknown_data() {
        for doc in [
            r#"{"signatures":[],"signed":{"delegations":{"roles":[{"odd":1}]},"_type":"timestamp","spec_version":"1.0.31","version":1,"expires":"2030-01-01T00:00:00Z","meta":{}}}"#,
            r#"{"signatures":[],"signed":{"_type":"timestamp","delegations":{"roles":[{"odd":1}]},"spec_version":"1.0.31","version":1,"expires":"2030-01-01T00:00:00Z","meta":{}}}"#,
        ] {
            let md = Metadata::from_bytes(doc.as_bytes()).unwrap();
            let tree = json::parse(doc.as_bytes()).unwrap();
            assert_eq!(md.payload(), json::canonical(tree.get("signed").unwrap()));
        }
    }

    /// serde_json's `arbitrary_precision` passes every number to the reader as an object
    /// with one private member; an input object with that member must stay an object (python-tuf
    /// refuses it as a version), never be read as the number it spells.
    #[test]
    fn an_object_spelling_serde_jsons_number_token_is_not_a_number() {
        let roles = ["root", "snapshot", "targets", "timestamp"]
            .map(|r| format!(r#""{r}":{{"keyids":[],"threshold":1}}"#))
            .join(",");
        let root = |version: &str| {
            format!(
                r#"{{"signatures":[],"signed":{{"_type":"root","spec_version":"1.0.31","version":{version},"expires":"2030-01-01T00:00:00Z","keys":{{}},"roles":{{{roles}}}}}}}"#
            )
        };
        assert_eq!(
            Metadata::from_bytes(root("5").as_bytes())
                .unwrap()
                .version(),
            5
        );
        let spoof = root(r#"{"$serde_json::private::Number":"5"}"#);
        let e = Metadata::from_bytes(spoof.as_bytes()).unwrap_err();
        assert_eq!(e.path, "$.signed.version", "{e}");
        assert!(e.problem.contains("found an object"), "{e}");
    }

    #[test]
    fn errors_inside_delegations_name_the_role() {
        let unknown = targets_doc(
            r#"{"name":"a","keyids":["k1"],"threshold":1,"terminating":false,"paths":["*"]},{"name":"b","keyids":["nope"],"threshold":1,"terminating":false,"paths":["*"]}"#,
        );
        let e = Metadata::from_bytes(&unknown).unwrap_err();
        assert!(e.to_string().contains("roles[1]"), "{e}");
        let twice = targets_doc(
            r#"{"name":"a","keyids":[],"threshold":1,"terminating":false,"paths":["*"]},{"name":"a","keyids":[],"threshold":1,"terminating":false,"paths":["*"]}"#,
        );
        let e = Metadata::from_bytes(&twice).unwrap_err();
        assert!(e.to_string().contains("roles[1].name"), "{e}");
        let float = targets_doc(
            r#"{"name":"a","keyids":[],"threshold":1.0,"terminating":false,"paths":["*"]}"#,
        );
        assert!(Metadata::from_bytes(&float).is_err());
        let zero = targets_doc(
            r#"{"name":"a","keyids":[],"threshold":0,"terminating":false,"paths":["*"]}"#,
        );
        let e = Metadata::from_bytes(&zero).unwrap_err();
        assert!(e.to_string().contains("roles[0].threshold"), "{e}");
    }
}
