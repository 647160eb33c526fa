//! Strict JSON and canonical JSON (securesystemslib's `encode_canonical`).
//!
//! TUF signatures cover the canonical bytes of `signed`, so the value we hold must be
//! exactly what the keyholder reviewed. python-tuf's `json.loads` silently keeps the last of
//! two duplicate object keys and accepts floats. [`parse`] reads with serde_json (which
//! refuses invalid UTF-8, lone surrogates, raw control characters in strings, and nesting
//! deeper than 128) and builds a [`Value`] that also refuses:
//! - duplicate object keys at any depth;
//! - floats and exponents (canonical JSON has integers only);
//! - a byte-order mark (with its own message);
//! - integers beyond 38 digits (python-tuf allows any; no TUF field comes near).
//!
//! Errors name the line, column and JSON path (`$.signed.roles.root.threshold`).
//! Objects keep their members sorted by key (code point order, which for UTF-8 is byte
//! order), so canonical output needs no sorting and lookups are binary searches.
//!
//! Canonical form (TUF spec 1.0, "Document formats"; securesystemslib `encode_canonical`):
//! keys sorted, no whitespace, strings escape only `\` and `"`, everything else raw. Ways
//! out: [`canonical`]/[`pretty`]/[`compact`] from a tree, and [`Writer`] straight from
//! typed metadata, into a buffer or streamed in pieces.

use std::fmt;

/// Deepest nesting accepted. TUF metadata nests about eight levels; 128 leaves room for
/// unknown extension fields while keeping recursion far from the stack limit.
pub const MAX_DEPTH: usize = 128;

/// A JSON value as TUF metadata uses it: integers only, objects sorted and unique.
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Integers as Python holds them, within i128 (larger ones are refused at parse time).
    Int(i128),
    Str(String),
    Array(Vec<Value>),
    Object(Object),
}

/// An object whose members are sorted by key and unique (the parser guarantees it; the
/// builders keep it so).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Object {
    members: Vec<(String, Value)>,
}

impl Object {
    pub fn new() -> Self {
        Object {
            members: Vec::new(),
        }
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.members.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).ok().map(|i| &self.members[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self.position(key) {
            Ok(i) => Some(&mut self.members[i].1),
            Err(_) => None,
        }
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
        match self.position(key) {
            Ok(i) => Some(self.members.remove(i).1),
            Err(_) => None,
        }
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Releases spare capacity (an emptied object allocates nothing).
    pub fn shrink_to_fit(&mut self) {
        if self.members.is_empty() {
            self.members = Vec::new();
        } else {
            self.members.shrink_to_fit();
        }
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
        for (k, v) in pairs {
            object.insert(k, v);
        }
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

/// Convenience constructors used when building metadata.
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

/// Why a document is not acceptable JSON, with the line and column of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {problem}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub problem: String,
}

/// Parses one JSON document strictly (see the module comment for what is refused).
///
/// serde_json reads the syntax (UTF-8, escapes and surrogates, control characters in
/// strings, nesting depth); [`Strict`] builds the tree and refuses what serde_json would
/// accept but TUF must not: duplicate members and numbers that are not integers.
pub fn parse(bytes: &[u8]) -> Result<Value, ParseError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(ParseError {
            line: 1,
            column: 1,
            problem: "the file starts with a UTF-8 byte-order mark; TUF metadata must be plain \
                      UTF-8 without one (save it again without the BOM)"
                .into(),
        });
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let upto = &bytes[..e.valid_up_to()];
        let line_start = upto.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        return Err(ParseError {
            line: upto.iter().filter(|&&b| b == b'\n').count() + 1,
            column: String::from_utf8_lossy(&upto[line_start..]).chars().count() + 1,
            problem: "the file is not valid UTF-8 here".into(),
        });
    }
    let path = std::cell::RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde::de::DeserializeSeed::deserialize(Strict { path: &path }, &mut de)
        .and_then(|v| de.end().map(|()| v));
    value.map_err(|e| {
        // The path was collected innermost first while the error travelled out.
        let mut at = String::from("$");
        for segment in path.into_inner().iter().rev() {
            at.push_str(segment);
        }
        let problem = match e.classify() {
            serde_json::error::Category::Data => format!("{at}: {}", without_position(&e)),
            _ => without_position(&e),
        };
        ParseError {
            line: e.line(),
            column: e.column(),
            problem,
        }
    })
}

/// serde_json's message without its own " at line L column C" (ours carries them).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// serde_json hands a number to the visitor as this one-member map when it keeps numbers
/// as written (its `arbitrary_precision` feature), so that integers past 64 bits (which
/// securesystemslib writes, and python-tuf's vectors pin) are read exactly.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Builds a [`Value`], recording on the way out of an error where in the tree it was.
struct Strict<'p> {
    path: &'p std::cell::RefCell<Vec<String>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i.into()))
    }

    fn visit_u64<E>(self, i: u64) -> Result<Value, E> {
        Ok(Value::Int(i.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Value, E> {
        Err(E::custom(NOT_AN_INTEGER))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            match seq.next_element_seed(Strict { path: self.path }) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => {
                    // Exactly sized: 100,000 small lists in PyPI's claimed otherwise hold
                    // spare room for twice their items.
                    items.shrink_to_fit();
                    return Ok(Value::Array(items));
                }
                Err(e) => {
                    self.path.borrow_mut().push(format!("[{}]", items.len()));
                    return Err(e);
                }
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members: Vec<(String, Value)> = Vec::new();
        let mut sorted = true;
        while let Some(key) = map.next_key::<String>()? {
            if key == NUMBER_TOKEN && members.is_empty() {
                return integer(&map.next_value::<String>()?);
            }
            if let Some((last, _)) = members.last() {
                // In sorted input (canonical or python-tuf's files) a twin is the member
                // just before: refused here, where the error's line points at it.
                if *last == key {
                    return Err(duplicate(&key));
                }
                sorted &= *last < key;
            }
            match map.next_value_seed(Strict { path: self.path }) {
                Ok(value) => members.push((key, value)),
                Err(e) => {
                    let mut at = String::new();
                    push_path(&mut at, &key);
                    self.path.borrow_mut().push(at);
                    return Err(e);
                }
            }
        }
        if !sorted {
            // Sorted by key (code point order is UTF-8 byte order), a duplicate is a
            // neighbour of its twin.
            members.sort_by(|a, b| a.0.cmp(&b.0));
            if let Some(pair) = members.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(duplicate(&pair[0].0));
            }
        }
        members.shrink_to_fit();
        Ok(Value::Object(Object { members }))
    }
}

fn duplicate<E: serde::de::Error>(key: &str) -> E {
    E::custom(format!(
        "the member \"{key}\" appears twice. python-tuf would silently keep the last one, so \
         what you review could differ from what a client sees; remove one of them"
    ))
}

const NOT_AN_INTEGER: &str = "a number with a fraction or exponent; canonical JSON (and so TUF \
                              metadata) allows integers only";

/// An integer as written (serde_json has checked it is a JSON number).
fn integer<E: serde::de::Error>(text: &str) -> Result<Value, E> {
    if text.contains(['.', 'e', 'E']) {
        return Err(E::custom(NOT_AN_INTEGER));
    }
    text.parse::<i128>().map(Value::Int).map_err(|_| {
        E::custom(format!(
            "the integer {text} is too large (more than 38 digits); no TUF field holds such a number"
        ))
    })
}

/// Appends `.key` (or `["key"]` when the key is not a plain identifier) to a JSON path.
pub fn push_path(path: &mut String, key: &str) {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
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
    let mut out = Vec::with_capacity(256);
    write_canonical(value, &mut out);
    out
}

/// Appends the canonical form of `value` to `out`.
pub fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Int(i) => write_int(*i, out),
        Value::Str(s) => write_canonical_str(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Object(object) => {
            out.push(b'{');
            for (i, (k, v)) in object.members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical_str(k, out);
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
    }
}

fn write_int(i: i128, out: &mut Vec<u8>) {
    use std::io::Write;
    let _ = write!(out, "{i}");
}

fn write_canonical_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| b == b'"' || b == b'\\') {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' || b == b'\\' {
            out.extend_from_slice(&bytes[start..i]);
            out.push(b'\\');
            out.push(b);
            start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Readable JSON for files people open: one-space indentation and sorted keys like
/// python-tuf's `JSONSerializer(compact=False)`, with control characters escaped so the
/// file stays valid JSON. Parsing it gives back exactly the same value.
pub fn pretty(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_pretty(value, 0, &mut out);
    out.push(b'\n');
    out
}

fn indent(level: usize, out: &mut Vec<u8>) {
    out.push(b'\n');
    out.extend(std::iter::repeat_n(b' ', level));
}

fn write_pretty(value: &Value, level: usize, out: &mut Vec<u8>) {
    match value {
        Value::Str(s) => write_json_str(s, out),
        Value::Array(items) if !items.is_empty() => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                indent(level + 1, out);
                write_pretty(item, level + 1, out);
            }
            indent(level, out);
            out.push(b']');
        }
        Value::Object(object) if !object.is_empty() => {
            out.push(b'{');
            for (i, (k, v)) in object.members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                indent(level + 1, out);
                write_json_str(k, out);
                out.extend_from_slice(b": ");
                write_pretty(v, level + 1, out);
            }
            indent(level, out);
            out.push(b'}');
        }
        other => write_canonical(other, out),
    }
}

/// A JSON string with every character JSON requires escaped (unlike canonical form, which
/// writes control characters raw and so is not always valid JSON).
fn write_json_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    // Most strings (keyids, names, paths) need no escape: copy them whole.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    for ch in s.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// How a [`Writer`] lays JSON out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// securesystemslib canonical form (what signatures cover).
    Canonical,
    /// The readable form of [`pretty`].
    Pretty,
}

/// Writes typed metadata straight to bytes, in canonical or readable form, without first
/// building a [`Value`] tree. At PyPI scale (100,000 delegations) building that tree cost
/// more time and memory than everything else together; see scripts/bench.sh.
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

    /// A writer appending to `out` (reuse one buffer across many small writes).
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
        if self.out.len() >= WRITE_CHUNK {
            if let Some(sink) = self.sink.as_mut() {
                sink(&self.out);
                self.out.clear();
            }
        }
    }

    pub fn value(&mut self, v: &Value) {
        match self.style {
            Style::Canonical => write_canonical(v, &mut self.out),
            Style::Pretty => write_pretty(v, self.level, &mut self.out),
        }
    }

    pub fn str(&mut self, s: &str) {
        match self.style {
            Style::Canonical => write_canonical_str(s, &mut self.out),
            Style::Pretty => write_json_str(s, &mut self.out),
        }
    }

    pub fn int(&mut self, i: i128) {
        write_int(i, &mut self.out);
    }

    pub fn bool(&mut self, b: bool) {
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    fn separator(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
        if self.style == Style::Pretty {
            indent(self.level, &mut self.out);
        }
    }

    /// An array, each item written by `item`.
    pub fn array<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Writer<'s>, &T)) {
        self.out.push(b'[');
        if items.is_empty() {
            self.out.push(b']');
            return;
        }
        self.level += 1;
        for (i, it) in items.iter().enumerate() {
            self.separator(i == 0);
            item(self, it);
            self.spill();
        }
        self.level -= 1;
        if self.style == Style::Pretty {
            indent(self.level, &mut self.out);
        }
        self.out.push(b']');
    }

    /// An array of strings.
    pub fn strs(&mut self, items: &[String]) {
        self.array(items, |w, s| w.str(s));
    }

    /// An object of `(key, value)` entries already in key order (a `BTreeMap`, say).
    pub fn sorted_entries<'a, T: 'a>(
        &mut self,
        entries: impl ExactSizeIterator<Item = (&'a String, &'a T)>,
        mut value: impl FnMut(&mut Writer<'s>, &T),
    ) {
        self.out.push(b'{');
        if entries.len() == 0 {
            self.out.push(b'}');
            return;
        }
        self.level += 1;
        for (i, (k, v)) in entries.enumerate() {
            self.separator(i == 0);
            self.key(k);
            value(self, v);
            self.spill();
        }
        self.level -= 1;
        if self.style == Style::Pretty {
            indent(self.level, &mut self.out);
        }
        self.out.push(b'}');
    }

    fn key(&mut self, k: &str) {
        self.str(k);
        match self.style {
            Style::Canonical => self.out.push(b':'),
            Style::Pretty => self.out.extend_from_slice(b": "),
        }
    }

    /// An object made of typed `members` (in any order) and the unknown fields `extra`,
    /// written in key order as canonical JSON requires. A key in both is written once,
    /// from `members` (typed fields never also live in `extra`).
    pub fn object(&mut self, members: &mut [Member<'_>], extra: &Object) {
        members.sort_unstable_by(|a, b| a.0.cmp(b.0));
        self.out.push(b'{');
        if members.is_empty() && extra.is_empty() {
            self.out.push(b'}');
            return;
        }
        self.level += 1;
        let mut typed = members.iter().peekable();
        let mut rest = extra.members.iter().peekable();
        let mut first = true;
        loop {
            let take_typed = match (typed.peek(), rest.peek()) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(t), Some(e)) => {
                    if t.0 == e.0.as_str() {
                        rest.next();
                        continue;
                    }
                    t.0 < e.0.as_str()
                }
            };
            self.separator(first);
            first = false;
            if take_typed {
                let (k, write) = typed.next().expect("peeked");
                self.key(k);
                write(self);
            } else {
                let (k, v) = rest.next().expect("peeked");
                self.key(k);
                self.value(v);
            }
        }
        self.level -= 1;
        if self.style == Style::Pretty {
            indent(self.level, &mut self.out);
        }
        self.out.push(b'}');
    }
}

/// Compact single-line JSON that is always valid (used for transcript lines and `--json`).
pub fn compact(value: &Value) -> String {
    let mut out = Vec::new();
    write_compact(value, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn write_compact(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Str(s) => write_json_str(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_compact(item, out);
            }
            out.push(b']');
        }
        Value::Object(object) => {
            out.push(b'{');
            for (i, (k, v)) in object.members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json_str(k, out);
                out.push(b':');
                write_compact(v, out);
            }
            out.push(b'}');
        }
        other => write_canonical(other, out),
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
    fn integers_large_and_negative_zero() {
        assert_eq!(
            canon("[-0, 18446744073709551616, -5]"),
            "[0,18446744073709551616,-5]"
        );
        assert!(parse(b"[1000000000000000000000000000000000000000000]").is_err());
    }

    #[test]
    fn pretty_round_trips() {
        let v =
            parse("{\"a\":[1,{\"b\":\"\\u0001\\n\\\"é\"}],\"c\":{},\"d\":[]}".as_bytes()).unwrap();
        assert_eq!(parse(&pretty(&v)).unwrap(), v);
        assert_eq!(parse(compact(&v).as_bytes()).unwrap(), v);
    }
}
