//! Strict JSON and canonical JSON (securesystemslib's `encode_canonical`).
//!
//! TUF signatures cover the canonical bytes of `signed`, so what we hold must be exactly
//! what the keyholder reviewed: python-tuf's `json.loads` keeps the last of two duplicate
//! keys and accepts floats, this module refuses both. Four parts, each small enough to
//! audit on its own:
//!
//! - here, [`Value`] and [`Object`]: the owned tree the rest of the tool builds and edits,
//!   integers only, every object sorted and unique;
//! - `parse.rs`: the strict reader ([`parse_tree`] gives the borrowing [`Node`] tree,
//!   [`parse()`] a [`Value`]);
//! - `error.rs`: the [`ParseError`] a keyholder reads: where, what is wrong, what to do;
//! - `write.rs`: the [`Writer`] of the canonical form signatures cover (TUF spec 1.0
//!   "Document formats"), the readable form python-tuf writes and compact JSON.

mod error;
mod parse;
mod write;

pub use error::ParseError;
pub use parse::{parse, parse_tree, push_path, Node};
pub use write::{canonical, compact, pretty, Member, Style, Writer};

use std::fmt;

/// A JSON value as TUF metadata uses it: integers only, objects sorted and unique.
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    /// An integer (parsed ones are within -2^63 to 2^64-1).
    Int(i128),
    Str(String),
    Array(Vec<Value>),
    Object(Object),
}

/// An object whose members are sorted by key and unique (the parser guarantees it; the
/// builders keep it so), so lookups are binary searches and writing needs no sorting.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Object {
    members: Vec<(String, Value)>,
}

impl Object {
    pub fn new() -> Self {
        Object::default()
    }
    fn position(&self, key: &str) -> Result<usize, usize> {
        self.members.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).ok().map(|i| &self.members[i].1)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let i = self.position(key).ok()?;
        Some(&mut self.members[i].1)
    }
    /// Sets `key`, replacing any previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.position(&key) {
            Ok(i) => self.members[i].1 = value,
            Err(i) => self.members.insert(i, (key, value)),
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.position(key).ok()?;
        Some(self.members.remove(i).1)
    }
    pub fn len(&self) -> usize {
        self.members.len()
    }
    /// Releases spare capacity (an emptied object allocates nothing).
    pub fn shrink_to_fit(&mut self) {
        self.members.shrink_to_fit();
    }
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&String, &Value)> {
        self.members.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.members.iter().map(|(k, _)| k)
    }
    /// Builds an object from members in any order; a duplicate key keeps the last value.
    /// Only for values we construct ourselves, never for parsed input.
    pub fn from_pairs(pairs: Vec<(String, Value)>) -> Self {
        let mut object = Object::new();
        pairs.into_iter().for_each(|(k, v)| object.insert(k, v));
        object
    }
    /// Builds an object from members already sorted and unique (checked in debug builds).
    pub fn from_sorted(members: Vec<(String, Value)>) -> Self {
        debug_assert!(members.windows(2).all(|w| w[0].0 < w[1].0));
        Object { members }
    }
    pub fn into_members(self) -> Vec<(String, Value)> {
        self.members
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&canonical(self)))
    }
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }
    pub fn object(pairs: Vec<(&str, Value)>) -> Value {
        Value::Object(Object::from_pairs(
            pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        ))
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_i128(&self) -> Option<i128> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    #[cfg(test)]
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|o| o.get(key))
    }
    /// The JSON type name, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Str(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}
