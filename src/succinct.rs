//! TAP 15 hash-bin delegations (`delegations.succinct_roles`): one set of keys and one
//! threshold for 2^bit_length bins named `NAME_PREFIX-HEX`, each terminating, that between
//! them take every target path. RSTUF and PEP 458 delegate to their hash bins this way.
//!
//! The metadata model keeps the object among the delegations' unknown fields, exactly as
//! written (its bytes are signed like any other); this module reads it the way python-tuf's
//! `SuccinctRoles` does, so that what it delegates can be shown: the bins' names, their
//! keys and threshold.

use crate::json::{Object, Value};
use crate::metadata::Delegations;

/// The member of `delegations` that holds them.
pub const FIELD: &str = "succinct_roles";

/// A `succinct_roles` object, read (borrowing from the metadata).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuccinctRoles<'a> {
    pub keyids: Vec<&'a str>,
    pub threshold: u64,
    /// From 1 to 32: there are 2^bit_length bins.
    pub bit_length: u32,
    pub name_prefix: &'a str,
    /// The whole object as written, unknown members included.
    pub object: &'a Object,
}

/// The members TAP 15 defines; any other is unknown.
pub const KNOWN: [&str; 4] = ["keyids", "threshold", "bit_length", "name_prefix"];

impl<'a> SuccinctRoles<'a> {
    /// The hash bins a delegations block delegates to: `None` when it has none, `Err`
    /// (saying why) when its `succinct_roles` is not one python-tuf would read.
    pub fn of(d: &'a Delegations) -> Option<Result<SuccinctRoles<'a>, String>> {
        d.extra.get(FIELD).map(SuccinctRoles::from_value)
    }

    /// Reads the object as python-tuf's `SuccinctRoles.from_dict` does: keyids unique
    /// strings, threshold at least 1, bit_length from 1 to 32, name_prefix a string.
    pub fn from_value(value: &'a Value) -> Result<SuccinctRoles<'a>, String> {
        let object = value
            .as_object()
            .ok_or_else(|| format!("it must be an object, found {}", value.kind()))?;
        let field = |name: &str| {
            object
                .get(name)
                .ok_or_else(|| format!("the field \"{name}\" is missing"))
        };
        let keyids: Vec<&str> = field("keyids")?
            .as_array()
            .and_then(|items| items.iter().map(Value::as_str).collect())
            .ok_or("\"keyids\" must be an array of strings")?;
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = keyids.iter().find(|id| !seen.insert(**id)) {
            return Err(format!(
                "\"keyids\" lists {} twice",
                crate::display::escape(twice)
            ));
        }
        let threshold = field("threshold")?
            .as_i128()
            .filter(|t| (1..=i128::from(i64::MAX)).contains(t))
            .ok_or("\"threshold\" must be an integer of at least 1")?;
        let bit_length = field("bit_length")?
            .as_i128()
            .filter(|b| (1..=32).contains(b))
            .ok_or("\"bit_length\" must be an integer from 1 to 32")?;
        let name_prefix = field("name_prefix")?
            .as_str()
            .ok_or("\"name_prefix\" must be a string")?;
        Ok(SuccinctRoles {
            keyids,
            threshold: threshold as u64,
            bit_length: bit_length as u32,
            name_prefix,
            object,
        })
    }

    /// How many bins: 2^bit_length.
    pub fn bins(&self) -> u64 {
        1u64 << self.bit_length
    }

    /// Hex digits in a bin's name: as many as the last bin's number takes.
    fn suffix_len(&self) -> usize {
        format!("{:x}", self.bins() - 1).len()
    }

    /// The name of bin `index` (python-tuf's `get_roles`: `bins-00` … `bins-ff` for
    /// prefix `bins` and bit length 8).
    pub fn bin_name(&self, index: u64) -> String {
        format!(
            "{}-{:0width$x}",
            self.name_prefix,
            index,
            width = self.suffix_len()
        )
    }

    /// The first and the last bin's names.
    pub fn first_and_last(&self) -> (String, String) {
        (self.bin_name(0), self.bin_name(self.bins() - 1))
    }

    /// Whether `name` is one of the bins (python-tuf's `is_delegated_role`, for hex digits).
    pub fn is_bin(&self, name: &str) -> bool {
        let Some(suffix) = name
            .strip_prefix(self.name_prefix)
            .and_then(|rest| rest.strip_prefix('-'))
        else {
            return false;
        };
        suffix.len() == self.suffix_len()
            && suffix.bytes().all(|b| b.is_ascii_hexdigit())
            && u64::from_str_radix(suffix, 16).is_ok_and(|n| n < self.bins())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        crate::json::parse(text.as_bytes()).unwrap()
    }

    /// How many bins, and the first and last bin's names.
    fn bins(text: &str) -> Result<(u64, String, String), String> {
        let v = value(text);
        let s = SuccinctRoles::from_value(&v)?;
        let (first, last) = s.first_and_last();
        Ok((s.bins(), first, last))
    }

    /// Bin names as python-tuf's `SuccinctRoles.get_roles` gives them.
    #[test]
    fn bins_are_named_as_python_tuf_names_them() {
        let v =
            value(r#"{"keyids":["k"],"threshold":1,"bit_length":8,"name_prefix":"bins","x":1}"#);
        let s = SuccinctRoles::from_value(&v).unwrap();
        assert_eq!(s.bins(), 256);
        assert_eq!(s.first_and_last(), ("bins-00".into(), "bins-ff".into()));
        assert!(s.is_bin("bins-0a") && s.is_bin("bins-FF"));
        assert!(!s.is_bin("bins-100") && !s.is_bin("bins-0") && !s.is_bin("bins0a"));
        let at = |bits: u32| {
            bins(&format!(
                r#"{{"keyids":[],"threshold":1,"bit_length":{bits},"name_prefix":"b"}}"#
            ))
            .unwrap()
        };
        assert_eq!(at(10), (1024, "b-000".into(), "b-3ff".into()));
        assert_eq!(at(1), (2, "b-0".into(), "b-1".into()));
        assert_eq!(at(32), (1 << 32, "b-00000000".into(), "b-ffffffff".into()));
    }

    #[test]
    fn what_python_tuf_refuses_is_refused() {
        for bad in [
            r#"{"keyids":[],"threshold":1,"bit_length":0,"name_prefix":"b"}"#,
            r#"{"keyids":[],"threshold":1,"bit_length":33,"name_prefix":"b"}"#,
            r#"{"keyids":[],"threshold":0,"bit_length":8,"name_prefix":"b"}"#,
            r#"{"keyids":["a","a"],"threshold":1,"bit_length":8,"name_prefix":"b"}"#,
            r#"{"keyids":[],"threshold":1,"bit_length":8,"name_prefix":1}"#,
            r#"{"keyids":[],"threshold":1,"name_prefix":"b"}"#,
            r#"[]"#,
        ] {
            assert!(bins(bad).is_err(), "{bad}");
        }
    }
}
