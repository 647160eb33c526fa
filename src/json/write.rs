//! Writing JSON: the canonical form signatures cover, the readable form of files, compact
//! lines.
//!
//! Canonical form (TUF spec 1.0 "Document formats", securesystemslib `encode_canonical`):
//! keys sorted by code point (byte order in UTF-8), no whitespace, strings escape only `\`
//! and `"`, integers only. One [`Writer`] writes it, the readable form python-tuf writes and
//! compact JSON, from a tree or straight from typed metadata.

use super::{Node, Object, Value};

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
    use crate::json::parse;

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
    fn pretty_round_trips() {
        let v =
            parse("{\"a\":[1,{\"b\":\"\\u0001\\n\\\"é\"}],\"c\":{},\"d\":[]}".as_bytes()).unwrap();
        assert_eq!(parse(&pretty(&v)).unwrap(), v);
        assert_eq!(parse(compact(&v).as_bytes()).unwrap(), v);
    }
}
