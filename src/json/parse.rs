//! The strict reader: one JSON document in, a tree or a message a keyholder can act on out.
//!
//! [`parse_tree`] reads with serde_json (which refuses invalid escapes, lone surrogates,
//! raw control characters in strings, nesting deeper than 128) and also refuses duplicate
//! object keys at any depth (python-tuf silently keeps the last one), floats and exponents,
//! a byte-order mark and invalid UTF-8 (each with its own message), and, as documented
//! limits, integers outside -2^63 to 2^64-1 and `-0` (python-tuf reads them; no TUF field
//! needs them). Never with serde_json's `arbitrary_precision`: it hands each number over as
//! an object with a magic key, which an input object can spell. Errors name the line,
//! column and JSON path (`$.signed.roles.root.threshold`).
//!
//! The tree is a [`Node`]: string values without escapes are borrowed from the input,
//! members are sorted, every list is allocated at its exact size; at PyPI scale (100,000
//! delegations) the tree is most of the memory a load takes.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use super::error::{duplicate, in_words, NOT_AN_INTEGER};
use super::{Object, ParseError, Value};

/// A parsed JSON value, borrowing every string value without escapes from the input (24
/// bytes a node; member names are copied). Integers are 64-bit: `UInt` holds those above
/// `i64::MAX`.
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
        fix: "",
    };
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(at(
            1,
            1,
            "the file starts with a UTF-8 byte-order mark; TUF metadata must be plain UTF-8 \
             without one (save it again without the BOM)",
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
        let mut path = String::from("$"); // collected innermost first on the way out
        scratch
            .path
            .into_inner()
            .iter()
            .rev()
            .for_each(|s| path.push_str(s));
        in_words(&e, &path, bytes)
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
    /// A string with escapes (serde_json unescapes it into its scratch buffer).
    fn visit_str<E>(self, s: &str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(s.to_owned())))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::canonical;

    fn canon(text: &str) -> String {
        String::from_utf8(canonical(&parse(text.as_bytes()).unwrap())).unwrap()
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
}
