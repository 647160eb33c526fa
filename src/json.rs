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
//!
//! Two ways in, one set of rules: [`parse`] builds a [`Value`] tree; [`Reader`] is the pull
//! parser underneath it, which metadata uses to read PEP 480's 100,000 delegations straight
//! into their types and to hash the canonical form of `signed` in the same pass. Two ways
//! out: [`canonical`]/[`pretty`] from a tree, and [`Writer`] straight from typed metadata,
//! into a buffer or streamed in pieces.

use sha2::{Digest, Sha256};
use std::borrow::Cow;
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
    let mut reader = Reader::new(bytes)?;
    let value = reader.value()?;
    reader.finish()?;
    Ok(value)
}

/// The canonical form being hashed while a [`Reader`] echoes. `out` is handed to the
/// hasher in chunks between array items (never inside an object, whose members may still
/// need sorting).
struct Echo {
    out: Vec<u8>,
    /// Bytes already hashed (and gone from `out`).
    hashed: usize,
    hasher: EchoHasher,
    /// An object had to be sorted after part of it was hashed.
    lost: bool,
}

/// How much canonical output an echo holds before hashing it.
const ECHO_CHUNK: usize = 1 << 16;

/// SHA-256 of an echo. Hashed here, between array items, from a buffer that is reused:
/// hashing on a thread of its own was measured slower at 100,000 delegations (a new buffer
/// per chunk, and one busy thread too many on a two-core machine; see the README).
struct EchoHasher(Sha256);

impl EchoHasher {
    fn new() -> EchoHasher {
        EchoHasher(Sha256::new())
    }

    /// Hashes what `out` holds and leaves it empty.
    fn feed(&mut self, out: &mut Vec<u8>) {
        self.0.update(&*out);
        out.clear();
    }

    fn finish(mut self, rest: Vec<u8>) -> [u8; 32] {
        self.0.update(&rest);
        self.0.finalize().into()
    }
}

/// One step of the path from the document root to where the reader is, kept cheaply
/// (no formatting) and rendered as `$.a.b[3]` only when an error needs it.
#[derive(Clone)]
enum Seg<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// A strict pull parser: callers that know a document's shape read its parts straight
/// into their own types ([`Reader::members`], [`Reader::items`], [`Reader::string`]) and
/// take a generic [`Value`] only where they do not ([`Reader::value`]). The rules are the
/// same everywhere (see the module comment), whichever way a part is read.
///
/// While echoing ([`Reader::echo_start`]) the reader also hashes the canonical form of
/// everything it reads, so the SHA-256 of a signature's payload (the canonical bytes of
/// `signed`, TUF spec 1.0 "Document formats") comes out of the one pass that parses the
/// file, with no tree built and no copy of the payload kept to get it.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: Vec<Seg<'a>>,
    echo: Option<Echo>,
    /// Member lists of finished objects, reused (an object's keys, echo start and end).
    spare: Vec<Vec<(Cow<'a, str>, usize, usize)>>,
}

impl<'a> Reader<'a> {
    /// Checks what applies to the whole document (no byte-order mark, valid UTF-8) and
    /// positions the reader at its first value.
    pub fn new(bytes: &'a [u8]) -> Result<Reader<'a>, ParseError> {
        let mut reader = Reader {
            bytes,
            pos: 0,
            path: Vec::new(),
            echo: None,
            spare: Vec::new(),
        };
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            return Err(reader.error(
                "the file starts with a UTF-8 byte-order mark; TUF metadata must be plain \
                 UTF-8 without one (save it again without the BOM)",
            ));
        }
        if let Err(e) = std::str::from_utf8(bytes) {
            reader.pos = e.valid_up_to();
            return Err(reader.error("the file is not valid UTF-8 here"));
        }
        Ok(reader)
    }

    /// Checks that nothing but whitespace follows the document.
    pub fn finish(mut self) -> Result<(), ParseError> {
        self.skip_ws();
        if self.pos != self.bytes.len() {
            return Err(self.error("unexpected data after the end of the JSON document"));
        }
        Ok(())
    }

    /// Starts writing the canonical form of what is read from here on.
    pub fn echo_start(&mut self) {
        self.echo = Some(Echo {
            out: Vec::with_capacity(2 * ECHO_CHUNK),
            hashed: 0,
            hasher: EchoHasher::new(),
            lost: false,
        });
    }

    /// Stops echoing: the SHA-256 of the canonical form of what was read, or `None` if an
    /// object written out of order had to be sorted after part of it was hashed (then
    /// canonicalize a tree of the document instead).
    pub fn echo_digest(&mut self) -> Option<[u8; 32]> {
        let echo = self.echo.take()?;
        if echo.lost {
            return None;
        }
        Some(echo.hasher.finish(echo.out))
    }

    /// How many canonical bytes have been echoed so far.
    fn echo_len(&self) -> usize {
        self.echo.as_ref().map_or(0, |e| e.hashed + e.out.len())
    }

    /// How many bytes of input are left (a capacity hint for what is read from them).
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// The next byte after any whitespace (`None` at the end of the input).
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    /// The JSON path of the value being read, such as `$.signed.roles.root`.
    pub fn path(&self) -> String {
        let mut out = String::from("$");
        for seg in &self.path {
            match seg {
                Seg::Key(k) => push_path(&mut out, k),
                Seg::Index(i) => {
                    use std::fmt::Write as _;
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }

    /// A syntax error at the current position.
    pub fn error(&self, problem: impl Into<String>) -> ParseError {
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

    fn echo_bytes(&mut self, bytes: &[u8]) {
        if let Some(echo) = self.echo.as_mut() {
            echo.out.extend_from_slice(bytes);
        }
    }

    /// Reads any value as a generic tree.
    pub fn value(&mut self) -> Result<Value, ParseError> {
        match self.peek() {
            None => Err(self.error("the document ends where a value was expected (truncated?)")),
            Some(b'{') => {
                let mut members: Vec<(String, Value)> = Vec::new();
                let sorted = self.members(|r, key| {
                    let value = r.value()?;
                    members.push((key.to_string(), value));
                    Ok::<(), ParseError>(())
                })?;
                if !sorted {
                    members.sort_by(|a, b| a.0.cmp(&b.0));
                }
                Ok(Value::Object(Object { members }))
            }
            Some(b'[') => {
                let mut items = Vec::new();
                self.items(|r, _| {
                    items.push(r.value()?);
                    Ok::<(), ParseError>(())
                })?;
                Ok(Value::Array(items))
            }
            Some(b'"') => Ok(Value::Str(self.string()?.into_owned())),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'N' | b'I') => Err(self.error(format!(
                "{}: NaN and Infinity are not JSON and canonical JSON has integers only",
                self.path()
            ))),
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            self.echo_bytes(word.as_bytes());
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        if self.path.len() >= MAX_DEPTH {
            return Err(self.error(format!(
                "{}: nested deeper than {MAX_DEPTH} levels; no TUF metadata is this deep",
                self.path()
            )));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads an object, calling `member(reader, key)` for each member in the order written;
    /// `member` must read exactly the member's value. Duplicate keys are refused wherever
    /// they are. Returns whether the members were written in sorted order.
    pub fn members<E: From<ParseError>>(
        &mut self,
        mut member: impl FnMut(&mut Self, &str) -> Result<(), E>,
    ) -> Result<bool, E> {
        if self.peek() != Some(b'{') {
            return Err(self
                .error(format!("{}: expected an object", self.path()))
                .into());
        }
        self.enter()?;
        self.echo_bytes(b"{");
        let mut keys = self.spare.pop().unwrap_or_default();
        let mut sorted = true;
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(self
                        .error(format!("{}: expected a quoted member name", self.path()))
                        .into());
                }
                let key_pos = self.pos;
                if !keys.is_empty() {
                    self.echo_bytes(b",");
                }
                let start = self.echo_len();
                let key = self.string()?;
                if self.peek() != Some(b':') {
                    return Err(self
                        .error(format!("{}: expected ':' after member name", self.path()))
                        .into());
                }
                self.pos += 1;
                self.echo_bytes(b":");
                if let Some((last, _, _)) = keys.last() {
                    if *last >= key {
                        sorted = false;
                        if *last == key {
                            self.pos = key_pos;
                            return Err(self.duplicate(&key).into());
                        }
                    }
                }
                self.path.push(Seg::Key(key.clone()));
                member(self, &key)?;
                self.path.pop();
                let end = self.echo_len();
                keys.push((key, start, end));
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(self
                            .error(format!("{}: expected ',' or '}}' in object", self.path()))
                            .into())
                    }
                }
            }
        }
        if !sorted {
            keys.sort_by(|a, b| a.0.cmp(&b.0));
            if let Some(w) = keys.windows(2).find(|w| w[0].0 == w[1].0) {
                let key = w[0].0.to_string();
                return Err(self.duplicate(&key).into());
            }
            // Canonical form sorts members: move the echoed members into key order.
            let first = keys.iter().map(|k| k.1).min().unwrap_or(0);
            match self.echo.as_mut() {
                Some(echo) if first < echo.hashed => echo.lost = true,
                Some(echo) => {
                    let (out, first) = (&mut echo.out, first - echo.hashed);
                    let written = out.split_off(first);
                    let base = first + echo.hashed;
                    for (i, (_, start, end)) in keys.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        out.extend_from_slice(&written[start - base..end - base]);
                    }
                }
                None => {}
            }
        }
        self.echo_bytes(b"}");
        keys.clear();
        self.spare.push(keys);
        Ok(sorted)
    }

    fn duplicate(&self, key: &str) -> ParseError {
        self.error(format!(
            "{}: the member \"{key}\" appears twice. python-tuf would silently keep the \
             last one, so what you review could differ from what a client sees; remove one \
             of them",
            self.path()
        ))
    }

    /// Reads an array, calling `item(reader, index)` for each item; `item` must read
    /// exactly one value.
    pub fn items<E: From<ParseError>>(
        &mut self,
        mut item: impl FnMut(&mut Self, usize) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.peek() != Some(b'[') {
            return Err(self
                .error(format!("{}: expected an array", self.path()))
                .into());
        }
        self.enter()?;
        self.echo_bytes(b"[");
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.echo_bytes(b"]");
            return Ok(());
        }
        let mut index = 0usize;
        loop {
            if index > 0 {
                self.echo_bytes(b",");
            }
            self.skip_ws();
            self.path.push(Seg::Index(index));
            item(self, index)?;
            self.path.pop();
            index += 1;
            if let Some(echo) = self.echo.as_mut() {
                if echo.out.len() >= ECHO_CHUNK {
                    echo.hashed += echo.out.len();
                    echo.hasher.feed(&mut echo.out);
                }
            }
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    return Err(self
                        .error(format!("{}: expected ',' or ']' in array", self.path()))
                        .into())
                }
            }
        }
        self.echo_bytes(b"]");
        Ok(())
    }

    fn number(&mut self) -> Result<Value, ParseError> {
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
                "{}: a number with a fraction or exponent; canonical JSON (and so TUF \
                 metadata) allows integers only",
                self.path()
            )));
        }
        if digits.len() > 1 && digits[0] == b'0' {
            self.pos = start;
            return Err(self.error(format!(
                "{}: an integer with a leading zero is not JSON",
                self.path()
            )));
        }
        // The bytes are ASCII digits with an optional sign, so this is valid UTF-8.
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or("");
        match text.parse::<i128>() {
            Ok(n) => {
                // Without leading zeros the digits are already canonical, except "-0".
                if n == 0 {
                    self.echo_bytes(b"0");
                } else {
                    let end = self.pos;
                    if let Some(echo) = self.echo.as_mut() {
                        echo.out.extend_from_slice(&self.bytes[start..end]);
                    }
                }
                Ok(Value::Int(n))
            }
            Err(_) => {
                self.pos = start;
                Err(self.error(format!(
                    "{}: the integer {text} is too large (more than 38 digits); no TUF \
                     field holds such a number",
                    self.path()
                )))
            }
        }
    }

    /// Reads a string; borrowed from the input unless it holds escapes.
    pub fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.error(format!("{}: expected a string", self.path())));
        }
        self.pos += 1; // opening quote
        let bytes = self.bytes;
        let start = self.pos;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            end += 1;
        }
        self.pos = end;
        if bytes.get(end) == Some(&b'"') {
            self.pos += 1;
            // The whole input was checked to be UTF-8 and the run stops at an ASCII byte.
            let s = std::str::from_utf8(&bytes[start..end]).unwrap_or("");
            if let Some(Echo { out, .. }) = self.echo.as_mut() {
                // No quote or backslash inside, so the raw text is already canonical.
                out.push(b'"');
                out.extend_from_slice(s.as_bytes());
                out.push(b'"');
            }
            return Ok(Cow::Borrowed(s));
        }
        let mut out = String::from(std::str::from_utf8(&bytes[start..end]).unwrap_or(""));
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("the document ends inside a string (truncated?)")),
                Some(b'"') => {
                    self.pos += 1;
                    if let Some(echo) = self.echo.as_mut() {
                        write_canonical_str(&out, &mut echo.out);
                    }
                    return Ok(Cow::Owned(out));
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
            let run = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(std::str::from_utf8(&self.bytes[run..self.pos]).unwrap_or(""));
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

    /// The digest a reader echoes is the SHA-256 of the canonical form of what it read:
    /// escapes decoded and re-escaped, `-0` as `0`, members sorted, whitespace gone.
    #[test]
    fn echo_hashes_the_canonical_form() {
        let big: Vec<String> = (0..20_000).map(|i| format!("\"x{i}\"")).collect();
        let big = format!("[{}]", big.join(", "));
        // Many times ECHO_CHUNK: hashed in many chunks.
        let huge: Vec<String> = (0..150_000).map(|i| format!("{{\"n\": {i}}}")).collect();
        let huge = format!("{{\"a\": [\"\\u0041\"], \"z\": [{}]}}", huge.join(",\n"));
        assert!(huge.len() > 16 * ECHO_CHUNK);
        let docs = [
            huge,
            r#"{"b": [1, -0, true, null], "a": {"z": "\u00e9\/\"", "y": {}}}"#.to_string(),
            r#"  [ {"k":"\\"}, [], "tab\tx", 12345678901234567890 ]  "#.to_string(),
            format!(r#"{{"a": 1, "b": {big}, "c": {{"y": 2, "x": 1}}}}"#),
        ];
        for doc in docs {
            let mut r = Reader::new(doc.as_bytes()).unwrap();
            r.echo_start();
            let v = r.value().unwrap();
            let digest = r.echo_digest().unwrap();
            r.finish().unwrap();
            assert_eq!(
                digest,
                <[u8; 32]>::from(Sha256::digest(canonical(&v))),
                "{doc}"
            );
        }
        // An object found out of order after a large array in it was hashed cannot be
        // sorted any more: the echo says so rather than give a wrong digest.
        let late = format!(r#"{{"b": {big}, "a": 1}}"#);
        let mut r = Reader::new(late.as_bytes()).unwrap();
        r.echo_start();
        r.value().unwrap();
        assert_eq!(r.echo_digest(), None);
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
