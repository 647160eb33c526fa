//! Strict JSON and canonical JSON (securesystemslib's `encode_canonical`).
//!
//! TUF signatures cover the canonical bytes of `signed`, so what we hold must be exactly
//! what the keyholder reviewed. python-tuf's `json.loads` keeps the last of two duplicate
//! keys and accepts floats. [`parse_tree`] reads with serde_json (which refuses invalid
//! escapes, lone surrogates, raw control characters in strings, nesting deeper than 128)
//! and also refuses duplicate object keys at any depth, floats and exponents, a byte-order
//! mark and invalid UTF-8 (each with its own message), and, as documented limits, integers
//! outside -2^63 to 2^64-1 and `-0` (python-tuf reads them; no TUF field needs them). Never
//! with serde_json's `arbitrary_precision`: it hands each number over as an object with a
//! magic key, which an input object can spell. Errors name the line, column and JSON path
//! (`$.signed.roles.root.threshold`).
//!
//! Two trees. [`Node`] is what a parse gives: strings without escapes are borrowed from the
//! input, members are sorted, every list is allocated at its exact size; at PyPI scale
//! (100,000 delegations) the tree is most of the memory a load takes. [`Value`] is the owned
//! tree the rest of the tool builds and edits ([`parse`] gives one).
//!
//! Canonical form (TUF spec 1.0 "Document formats"): keys sorted by code point (byte order
//! in UTF-8), no whitespace, strings escape only `\` and `"`. One [`Writer`] writes it, the
//! readable form python-tuf writes and compact JSON, from a tree or from typed metadata.

use std::borrow::Cow;
use std::cell::RefCell;
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

/// A parsed JSON value, borrowing every string without escapes from the input (24 bytes a
/// node). Integers are 64-bit: `UInt` holds those above `i64::MAX`.
#[derive(Debug, PartialEq, Eq)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Str(Cow<'a, str>),
    Array(Box<[Node<'a>]>),
    /// Members sorted by key, each key once.
    Object(Box<[(Cow<'a, str>, Node<'a>)]>),
}

impl Node<'_> {
    /// The owned [`Value`] of this node.
    pub fn into_value(self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Int(i) => Value::Int(i.into()),
            Node::UInt(i) => Value::Int(i.into()),
            Node::Str(s) => Value::Str(s.into_owned()),
            Node::Array(items) => {
                Value::Array(items.into_vec().into_iter().map(Node::into_value).collect())
            }
            Node::Object(m) => Value::Object(Object::from_sorted(
                m.into_vec()
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_value()))
                    .collect(),
            )),
        }
    }

    /// The JSON type name, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) | Node::UInt(_) => "an integer",
            Node::Str(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }
}

/// Why a document is not acceptable JSON, with the line and column of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {problem}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub problem: String,
}

/// Parses one JSON document strictly into an owned [`Value`] (see [`parse_tree`]).
pub fn parse(bytes: &[u8]) -> Result<Value, ParseError> {
    parse_tree(bytes).map(Node::into_value)
}

/// Parses one JSON document strictly (see the module comment for what is refused).
///
/// serde_json reads the syntax; [`Strict`] builds the tree and refuses what serde_json
/// would accept but TUF must not: duplicate members and numbers that are not integers.
pub fn parse_tree(bytes: &[u8]) -> Result<Node<'_>, ParseError> {
    let at = |line, column, problem: &str| ParseError {
        line,
        column,
        problem: problem.into(),
    };
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(at(
            1,
            1,
            "the file starts with a UTF-8 byte-order mark; TUF metadata must be \
                             plain UTF-8 without one (save it again without the BOM)",
        ));
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let upto = &bytes[..e.valid_up_to()];
        let line_start = upto.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&upto[line_start..]).chars().count() + 1;
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(at(line, column, "the file is not valid UTF-8 here"));
    }
    let scratch = Scratch::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let tree = serde::de::DeserializeSeed::deserialize(Strict(&scratch), &mut de);
    tree.and_then(|tree| de.end().map(|()| tree)).map_err(|e| {
        let text = e.to_string(); // serde_json's own " at line L column C" is cut off
        let text = text.rfind(" at line ").map_or(&text[..], |i| &text[..i]);
        let mut path = String::from("$"); // collected innermost first on the way out
        scratch
            .path
            .into_inner()
            .iter()
            .rev()
            .for_each(|s| path.push_str(s));
        match e.classify() {
            serde_json::error::Category::Data => {
                at(e.line(), e.column(), &format!("{path}: {text}"))
            }
            _ => at(e.line(), e.column(), text),
        }
    })
}

/// What the parse shares across levels: the error's path, and stacks on which a list's
/// items gather until it ends, so that each list is allocated once at its exact size.
#[derive(Default)]
struct Scratch<'a> {
    path: RefCell<Vec<String>>,
    items: RefCell<Vec<Node<'a>>>,
    members: RefCell<Vec<(Cow<'a, str>, Node<'a>)>>,
}

/// Builds a [`Node`], recording on the way out of an error where in the tree it was.
#[derive(Clone, Copy)]
struct Strict<'s, 'a>(&'s Scratch<'a>);

impl<'de> serde::de::DeserializeSeed<'de> for Strict<'_, 'de> {
    type Value = Node<'de>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict<'_, 'de> {
    type Value = Node<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Node<'de>, E> {
        Ok(Node::Int(i))
    }
    fn visit_u64<E>(self, i: u64) -> Result<Node<'de>, E> {
        Ok(i64::try_from(i).map_or(Node::UInt(i), Node::Int))
    }
    /// A fraction, an exponent, an integer too large for 64 bits or `-0` (serde_json reads
    /// those as floats, so this tool refuses `-0`, which python-tuf reads as 0).
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Node<'de>, E> {
        Err(E::custom(NOT_AN_INTEGER))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(s)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let start = self.0.items.borrow().len();
        loop {
            match seq.next_element_seed(self) {
                Ok(Some(item)) => self.0.items.borrow_mut().push(item),
                Ok(None) => break,
                Err(e) => {
                    let index = self.0.items.borrow().len() - start;
                    self.0.path.borrow_mut().push(format!("[{index}]"));
                    return Err(e);
                }
            }
        }
        Ok(Node::Array(
            self.0.items.borrow_mut().drain(start..).collect(),
        ))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let start = self.0.members.borrow().len();
        let mut sorted = true;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let members = self.0.members.borrow();
            if let Some((last, _)) = members[start..].last() {
                // In sorted input (canonical or python-tuf's files) a twin is the member
                // just before: refused here, where the error's position points at it.
                if *last == key {
                    return Err(duplicate(&key));
                }
                sorted &= *last < key;
            }
            drop(members);
            match map.next_value_seed(self) {
                Ok(value) => self.0.members.borrow_mut().push((key, value)),
                Err(e) => {
                    let mut at = String::new();
                    push_path(&mut at, &key);
                    self.0.path.borrow_mut().push(at);
                    return Err(e);
                }
            }
        }
        let mut members: Vec<_> = self.0.members.borrow_mut().drain(start..).collect();
        if !sorted {
            // Sorted by key (code point order is UTF-8 byte order), twins are neighbours.
            members.sort_by(|a, b| a.0.cmp(&b.0));
            if let Some(pair) = members.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(duplicate(&pair[0].0));
            }
        }
        Ok(Node::Object(members.into_boxed_slice()))
    }
}

fn duplicate<E: serde::de::Error>(key: &str) -> E {
    E::custom(format!(
        "the member \"{key}\" appears twice. python-tuf would silently keep the last one, so \
         what you review could differ from what a client sees; remove one of them"
    ))
}

const NOT_AN_INTEGER: &str = "a number with a fraction or exponent, an integer beyond 64 bits, or \
                              -0: canonical JSON (and so TUF metadata) allows integers only, and \
                              this tool reads those from -2^63 to 2^64-1, zero written as 0";

/// Appends `.key` (or `["key"]` when the key is not a plain identifier) to a JSON path.
pub fn push_path(path: &mut String, key: &str) {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    if !key.is_empty() && key.bytes().all(plain) {
        path.push('.');
        path.push_str(key);
    } else {
        path.push_str("[\"");
        path.push_str(&key.replace('\\', "\\\\").replace('"', "\\\""));
        path.push_str("\"]");
    }
}

/// The canonical bytes of a value (securesystemslib `encode_canonical`).
pub fn canonical(value: &Value) -> Vec<u8> {
    let mut w = Writer::new(Style::Canonical, 256);
    w.value(value);
    w.out
}

/// Readable JSON for files people open: one-space indentation and sorted keys like
/// python-tuf's `JSONSerializer(compact=False)`, with control characters escaped so the
/// file stays valid JSON. Parsing it gives back exactly the same value.
pub fn pretty(value: &Value) -> Vec<u8> {
    let mut w = Writer::new(Style::Pretty, 256);
    w.value(value);
    w.out.push(b'\n');
    w.out
}

/// Compact single-line JSON that is always valid (used for transcript lines and `--json`).
pub fn compact(value: &Value) -> String {
    let mut w = Writer::new(Style::Compact, 256);
    w.value(value);
    String::from_utf8(w.out).unwrap_or_default()
}

/// How a [`Writer`] lays JSON out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// securesystemslib canonical form (what signatures cover): not always valid JSON, as
    /// control characters are written raw.
    Canonical,
    /// The readable form of [`pretty`].
    Pretty,
    /// The single-line valid JSON of [`compact`].
    Compact,
}

/// Writes JSON from a tree or straight from typed metadata (no tree built for a 100,000
/// delegation list), into a buffer or handed on in pieces.
pub struct Writer<'s> {
    pub out: Vec<u8>,
    style: Style,
    level: usize,
    /// Where `out` goes whenever it fills up, for a streaming writer.
    sink: Option<Sink<'s>>,
}

/// Where a streaming [`Writer`] hands what it has written.
pub type Sink<'s> = &'s mut dyn FnMut(&[u8]);

/// One member of an object being written: its key and how to write its value.
pub type Member<'a> = (&'a str, &'a dyn Fn(&mut Writer<'_>));

/// How much a streaming [`Writer`] gathers before handing it on.
const WRITE_CHUNK: usize = 1 << 16;

impl<'s> Writer<'s> {
    pub fn new(style: Style, capacity: usize) -> Writer<'static> {
        Writer::with_buffer(style, Vec::with_capacity(capacity))
    }
    /// A writer appending to `out` (reuse one buffer across many writes).
    pub fn with_buffer(style: Style, out: Vec<u8>) -> Writer<'static> {
        Writer {
            out,
            style,
            level: 0,
            sink: None,
        }
    }
    /// A writer that hands what it writes to `sink` in pieces of about 64 KB, so a large
    /// document never exists whole in memory. Call [`finish`](Self::finish) at the end.
    pub fn streaming(style: Style, sink: Sink<'s>) -> Writer<'s> {
        Writer {
            out: Vec::with_capacity(2 * WRITE_CHUNK),
            style,
            level: 0,
            sink: Some(sink),
        }
    }
    /// Hands the rest to the sink of a streaming writer.
    pub fn finish(mut self) {
        if let Some(sink) = self.sink.take() {
            sink(&self.out);
        }
    }
    /// Between items: hands a full buffer to the sink, if streaming.
    fn spill(&mut self) {
        if let (true, Some(sink)) = (self.out.len() >= WRITE_CHUNK, self.sink.as_mut()) {
            sink(&self.out);
            self.out.clear();
        }
    }

    pub fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.out.extend_from_slice(b"null"),
            Value::Bool(b) => self.bool(*b),
            Value::Int(i) => self.int(*i),
            Value::Str(s) => self.str(s),
            Value::Array(items) => self.array(items, |w, v| w.value(v)),
            Value::Object(o) => self.entries(o.iter(), |w, v| w.value(v)),
        }
    }

    pub fn node(&mut self, n: &Node) {
        match n {
            Node::Null => self.out.extend_from_slice(b"null"),
            Node::Bool(b) => self.bool(*b),
            Node::Int(i) => self.int((*i).into()),
            Node::UInt(i) => self.int((*i).into()),
            Node::Str(s) => self.str(s),
            Node::Array(items) => self.array(items, |w, n| w.node(n)),
            Node::Object(m) => self.entries(m.iter().map(|(k, v)| (k, v)), |w, n| w.node(n)),
        }
    }

    /// A string: canonical form escapes only `\` and `"`; the other styles escape what
    /// JSON requires (control characters too).
    pub fn str(&mut self, s: &str) {
        let json = self.style != Style::Canonical;
        let out = &mut self.out;
        out.push(b'"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            if b == b'"' || b == b'\\' || (json && b < 0x20) {
                out.extend_from_slice(&s.as_bytes()[start..i]);
                match b {
                    b'"' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    _ => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
                }
                start = i + 1;
            }
        }
        out.extend_from_slice(&s.as_bytes()[start..]);
        out.push(b'"');
    }

    pub fn int(&mut self, i: i128) {
        self.out.extend_from_slice(i.to_string().as_bytes());
    }

    pub fn bool(&mut self, b: bool) {
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    /// Before an item: the comma, and in the readable form the line break and indent.
    fn separator(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
        if self.style == Style::Pretty {
            self.out.push(b'\n');
            self.out.extend(std::iter::repeat_n(b' ', self.level));
        }
    }

    /// Closes a non-empty array or object.
    fn close(&mut self, bracket: u8) {
        self.level -= 1;
        self.separator(true);
        self.out.push(bracket);
    }

    /// An array, each item written by `item`.
    pub fn array<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Writer<'s>, &T)) {
        self.out.push(b'[');
        if items.is_empty() {
            return self.out.push(b']');
        }
        self.level += 1;
        for (i, it) in items.iter().enumerate() {
            self.separator(i == 0);
            item(self, it);
            self.spill();
        }
        self.close(b']');
    }

    /// An array of strings.
    pub fn strs(&mut self, items: &[String]) {
        self.array(items, |w, s| w.str(s));
    }

    /// An object of `(key, value)` entries already in key order (a `BTreeMap`, say).
    pub fn entries<K: AsRef<str>, T>(
        &mut self,
        entries: impl ExactSizeIterator<Item = (K, T)>,
        mut value: impl FnMut(&mut Writer<'s>, T),
    ) {
        self.out.push(b'{');
        if entries.len() == 0 {
            return self.out.push(b'}');
        }
        self.level += 1;
        for (i, (k, v)) in entries.enumerate() {
            self.separator(i == 0);
            self.key(k.as_ref());
            value(self, v);
            self.spill();
        }
        self.close(b'}');
    }

    fn key(&mut self, k: &str) {
        self.str(k);
        self.out.extend_from_slice(if self.style == Style::Pretty {
            b": "
        } else {
            b":"
        });
    }

    /// An object made of typed `members` (in any order) and the unknown fields `extra`,
    /// written in key order as canonical JSON requires. A key in both is written once,
    /// from `members` (typed fields never also live in `extra`).
    pub fn object(&mut self, members: &mut [Member<'_>], extra: &Object) {
        enum Part<'m> {
            Typed(&'m dyn Fn(&mut Writer<'_>)),
            Extra(&'m Value),
        }
        let typed = |key: &str| members.iter().any(|m| m.0 == key);
        let mut all: Vec<(&str, Part)> = extra
            .iter()
            .filter(|(k, _)| !typed(k))
            .map(|(k, v)| (k.as_str(), Part::Extra(v)))
            .collect();
        all.extend(members.iter().map(|(k, write)| (*k, Part::Typed(*write))));
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        self.entries(all.into_iter(), |w, part| match part {
            Part::Typed(write) => write(w),
            Part::Extra(v) => w.value(v),
        });
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        String::from_utf8(canonical(&parse(text.as_bytes()).unwrap())).unwrap()
    }

    #[test]
    fn sorts_keys_and_strips_whitespace() {
        assert_eq!(
            canon(r#"{ "b": 1, "a": [true, null, "x"] }"#),
            r#"{"a":[true,null,"x"],"b":1}"#
        );
    }

    #[test]
    fn escapes_only_quote_and_backslash() {
        assert_eq!(
            canon(r#"{"k":"a\"b\\c\n\u0001é"}"#),
            "{\"k\":\"a\\\"b\\\\c\n\u{1}é\"}"
        );
    }

    #[test]
    fn sorts_by_code_point_not_utf16() {
        // U+FF61 sorts before U+1F600 by code point but after it in UTF-16 order.
        assert_eq!(
            canon("{\"\u{1F600}\":1,\"\u{FF61}\":2}"),
            "{\"\u{FF61}\":2,\"\u{1F600}\":1}"
        );
    }

    #[test]
    fn rejects_duplicates_floats_and_bom() {
        let dup = parse(br#"{"a":{"x":1,"y":2,"x":3}}"#).unwrap_err();
        assert!(
            dup.problem.contains("$.a") && dup.problem.contains("\"x\" appears twice"),
            "{dup}"
        );
        let unsorted_dup = parse(br#"{"b":1,"a":2,"b":3}"#).unwrap_err();
        assert!(unsorted_dup.problem.contains("\"b\" appears twice"));
        assert!(parse(br#"{"a":1.5}"#)
            .unwrap_err()
            .problem
            .contains("integers only"));
        assert!(parse(br#"{"a":1e3}"#)
            .unwrap_err()
            .problem
            .contains("integers only"));
        assert!(parse(br#"{"a":NaN}"#).is_err());
        assert!(parse(b"\xEF\xBB\xBF{}")
            .unwrap_err()
            .problem
            .contains("byte-order mark"));
        assert!(parse(b"{\"a\":\"\xff\"}")
            .unwrap_err()
            .problem
            .contains("UTF-8"));
        assert!(parse(br#"{"a":"\ud800"}"#).is_err());
        assert!(parse(b"{\"a\":\"\x01\"}").is_err());
        assert!(parse(br#"{"a":01}"#).is_err());
        assert!(parse(br#"{"a":1} x"#).is_err());
        assert!(parse(br#"{"a":"#).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(deep.as_bytes())
            .unwrap_err()
            .problem
            .contains("recursion limit"));
    }

    #[test]
    fn integers_of_64_bits_only() {
        assert_eq!(
            canon("[0, 18446744073709551615, -9223372036854775808, -5]"),
            "[0,18446744073709551615,-9223372036854775808,-5]"
        );
        for past in ["18446744073709551616", "-9223372036854775809", "-0"] {
            let e = parse(format!("[{past}]").as_bytes()).unwrap_err();
            assert!(e.problem.contains("beyond 64 bits"), "{e}");
        }
    }

    /// Only a JSON number is a number: an object whose one member is named like serde_json's
    /// private number token is an object, in the tree and in the canonical form.
    #[test]
    fn serde_jsons_number_token_is_an_ordinary_key() {
        let text = r#"{"$serde_json::private::Number":"5"}"#;
        let v = parse(text.as_bytes()).unwrap();
        assert_eq!(
            v.get("$serde_json::private::Number"),
            Some(&Value::str("5"))
        );
        assert_eq!(canon(text), text);
        assert_eq!(parse(b"[5]").unwrap(), Value::Array(vec![Value::Int(5)]));
    }

    #[test]
    fn pretty_round_trips() {
        let v =
            parse("{\"a\":[1,{\"b\":\"\\u0001\\n\\\"é\"}],\"c\":{},\"d\":[]}".as_bytes()).unwrap();
        assert_eq!(parse(&pretty(&v)).unwrap(), v);
        assert_eq!(parse(compact(&v).as_bytes()).unwrap(), v);
    }
}
