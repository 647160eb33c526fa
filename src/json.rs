//! Strict JSON and canonical JSON (securesystemslib's `encode_canonical`).
//!
//! Why a parser of our own: TUF signatures cover the canonical bytes of `signed`, so the
//! value we hold must be exactly what the keyholder reviewed. python-tuf's `json.loads`
//! silently keeps the last of two duplicate object keys, accepts `NaN` and floats, and a
//! generic `serde_json::Value` loses none of that but cannot report it. This parser:
//! - rejects duplicate object keys at any depth (DESIGN.md, "Strict parsing");
//! - rejects floats, exponents, `NaN`/`Infinity` (canonical JSON has integers only);
//! - rejects a byte-order mark, invalid UTF-8, lone surrogates, raw control characters;
//! - limits nesting depth so hostile input cannot exhaust the stack;
//! - keeps every object's members sorted by key (code point order, which for UTF-8 is
//!   byte order) so canonical output needs no sorting and lookups are binary searches.
//!
//! Canonical form (TUF spec 1.0, "Document formats"; securesystemslib `encode_canonical`):
//! keys sorted, no whitespace, strings escape only `\` and `"`, everything else raw.

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
pub fn parse(bytes: &[u8]) -> Result<Value, ParseError> {
    parse_inner(bytes, None)
}

/// Handles each item of one large array as soon as it is parsed (see [`parse_splicing`]).
/// Returns false to stop parsing (the hook keeps its own error).
pub type ItemHook<'h> = &'h mut dyn FnMut(Value) -> bool;

/// [`parse`], except that the items of the array at JSON path `splice` (such as
/// `$.signed.delegations.roles`) are handed to `hook` one by one and not kept: the array is
/// left empty in the returned tree. Big arrays then never exist as a generic tree.
pub fn parse_splicing(bytes: &[u8], splice: &str, hook: ItemHook<'_>) -> Result<Value, ParseError> {
    parse_inner(bytes, Some((splice, hook)))
}

fn parse_inner(bytes: &[u8], splice: Option<(&str, ItemHook<'_>)>) -> Result<Value, ParseError> {
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
        let mut p = Parser {
            bytes,
            pos: e.valid_up_to(),
            depth: 0,
            splice: None,
        };
        return Err(p.error("the file is not valid UTF-8 here"));
    }
    let mut parser = Parser {
        bytes,
        pos: 0,
        depth: 0,
        splice,
    };
    parser.skip_ws();
    let value = parser.value(&mut String::from("$"))?;
    parser.skip_ws();
    if parser.pos != bytes.len() {
        return Err(parser.error("unexpected data after the end of the JSON document"));
    }
    Ok(value)
}

struct Parser<'a, 'h> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    splice: Option<(&'a str, ItemHook<'h>)>,
}

impl Parser<'_, '_> {
    fn error(&mut self, problem: impl Into<String>) -> ParseError {
        let upto = &self.bytes[..self.pos.min(self.bytes.len())];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = upto.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&upto[line_start..]).chars().count() + 1;
        ParseError {
            line,
            column,
            problem: problem.into(),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, path: &mut String) -> Result<Value, ParseError> {
        match self.bytes.get(self.pos) {
            None => Err(self.error("the document ends where a value was expected (truncated?)")),
            Some(b'{') => self.object(path),
            Some(b'[') => self.array(path),
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(path),
            Some(b'N' | b'I') => Err(self.error(format!(
                "{path}: NaN and Infinity are not JSON and canonical JSON has integers only"
            ))),
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn enter(&mut self, path: &str) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!(
                "{path}: nested deeper than {MAX_DEPTH} levels; no TUF metadata is this deep"
            )));
        }
        Ok(())
    }

    fn object(&mut self, path: &mut String) -> Result<Value, ParseError> {
        self.enter(path)?;
        self.pos += 1;
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(Object::new()));
        }
        let mut sorted = true;
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error(format!("{path}: expected a quoted member name")));
            }
            let key_pos = self.pos;
            let key = self.string()?;
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error(format!("{path}: expected ':' after member name")));
            }
            self.pos += 1;
            self.skip_ws();
            let len = path.len();
            push_path(path, &key);
            let value = self.value(path)?;
            path.truncate(len);
            if let Some((last, _)) = members.last() {
                if *last >= key {
                    sorted = false;
                    if *last == key {
                        self.pos = key_pos;
                        return Err(self.duplicate(path, &key));
                    }
                }
            }
            members.push((key, value));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error(format!("{path}: expected ',' or '}}' in object"))),
            }
        }
        if !sorted {
            members.sort_by(|a, b| a.0.cmp(&b.0));
            if let Some(w) = members.windows(2).find(|w| w[0].0 == w[1].0) {
                let key = w[0].0.clone();
                return Err(self.duplicate(path, &key));
            }
        }
        self.depth -= 1;
        Ok(Value::Object(Object { members }))
    }

    fn duplicate(&mut self, path: &str, key: &str) -> ParseError {
        self.error(format!(
            "{path}: the member \"{key}\" appears twice. python-tuf would silently keep the \
             last one, so what you review could differ from what a client sees; remove one \
             of them"
        ))
    }

    fn array(&mut self, path: &mut String) -> Result<Value, ParseError> {
        self.enter(path)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        let spliced = matches!(&self.splice, Some((at, _)) if *at == path.as_str());
        let mut index = 0usize;
        loop {
            self.skip_ws();
            let len = path.len();
            {
                use std::fmt::Write as _;
                let _ = write!(path, "[{index}]");
            }
            let item = self.value(path)?;
            path.truncate(len);
            index += 1;
            if spliced {
                if let Some((_, hook)) = self.splice.as_mut() {
                    if !hook(item) {
                        return Err(self.error(format!("{path}: item {} refused", index - 1)));
                    }
                }
            } else {
                items.push(item);
            }
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error(format!("{path}: expected ',' or ']' in array"))),
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn number(&mut self, path: &str) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        let digits_start = self.pos;
        while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        let digits = &self.bytes[digits_start..self.pos];
        if digits.is_empty() {
            return Err(self.error("expected digits after '-'"));
        }
        if matches!(self.bytes.get(self.pos), Some(b'.' | b'e' | b'E')) {
            self.pos = start;
            return Err(self.error(format!(
                "{path}: a number with a fraction or exponent; canonical JSON (and so TUF \
                 metadata) allows integers only"
            )));
        }
        if digits.len() > 1 && digits[0] == b'0' {
            self.pos = start;
            return Err(self.error(format!(
                "{path}: an integer with a leading zero is not JSON"
            )));
        }
        // The bytes are ASCII digits with an optional sign, so this is valid UTF-8.
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or("");
        match text.parse::<i128>() {
            Ok(n) => Ok(Value::Int(n)),
            Err(_) => {
                self.pos = start;
                Err(self.error(format!(
                    "{path}: the integer {text} is too large (more than 38 digits); no TUF \
                     field holds such a number"
                )))
            }
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The whole input was checked to be UTF-8 and we stop only at ASCII bytes, so
            // the run is valid UTF-8.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or(""));
            match self.bytes.get(self.pos) {
                None => return Err(self.error("the document ends inside a string (truncated?)")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    return Err(self.error(
                        "a raw control character inside a string; JSON requires it escaped \
                         (for example \\n or \\u0001)",
                    ))
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let c = match self.bytes.get(self.pos) {
            Some(&c) => c,
            None => return Err(self.error("the document ends inside a string escape")),
        };
        self.pos += 1;
        match c {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let first = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&first) {
                    if self.bytes.get(self.pos) == Some(&b'\\')
                        && self.bytes.get(self.pos + 1) == Some(&b'u')
                    {
                        self.pos += 2;
                        let second = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&second) {
                            return Err(self.error("a \\u escape holds an unpaired surrogate"));
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    } else {
                        return Err(self.error("a \\u escape holds an unpaired surrogate"));
                    }
                } else if (0xDC00..0xE000).contains(&first) {
                    return Err(self.error("a \\u escape holds an unpaired surrogate"));
                } else {
                    first
                };
                match char::from_u32(code) {
                    Some(ch) => out.push(ch),
                    None => return Err(self.error("a \\u escape is not a Unicode character")),
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.error("an unknown escape sequence in a string"));
            }
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let parsed = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|s| u32::from_str_radix(s, 16).ok());
        match parsed {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error("a \\u escape needs four hex digits")),
        }
    }
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
    canonical_with_capacity(value, 256)
}

/// [`canonical`] into a buffer of `capacity` bytes to start with (the input's size is a good
/// guess: canonical form is never much larger than the JSON it was parsed from).
pub fn canonical_with_capacity(value: &Value, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
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
pub struct Writer {
    pub out: Vec<u8>,
    style: Style,
    level: usize,
}

/// One member of an object being written: its key and how to write its value.
pub type Member<'a> = (&'a str, &'a dyn Fn(&mut Writer));

impl Writer {
    pub fn new(style: Style, capacity: usize) -> Writer {
        Writer::with_buffer(style, Vec::with_capacity(capacity))
    }

    /// A writer appending to `out` (reuse one buffer across many small writes).
    pub fn with_buffer(style: Style, out: Vec<u8>) -> Writer {
        Writer {
            out,
            style,
            level: 0,
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
    pub fn array<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Writer, &T)) {
        self.out.push(b'[');
        if items.is_empty() {
            self.out.push(b']');
            return;
        }
        self.level += 1;
        for (i, it) in items.iter().enumerate() {
            self.separator(i == 0);
            item(self, it);
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
        mut value: impl FnMut(&mut Writer, &T),
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
            .contains("nested deeper"));
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
