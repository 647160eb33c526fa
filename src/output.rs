//! What a command has to say, apart from how it is printed (`app` prints it, through the
//! display net): lines for stdout, warnings for stderr, and for `--json` a value built from
//! a serde-derived report struct.

use crate::json::{Object, Value};

/// What a command has to say: lines for stdout, warnings for stderr, and a machine-readable
/// value for `--json`.
#[derive(Debug, Default)]
pub struct Report {
    pub lines: Vec<String>,
    pub warnings: Vec<String>,
    pub json: Option<Value>,
}

impl Report {
    pub fn line(&mut self, s: impl Into<String>) {
        self.lines.push(s.into());
    }

    pub fn warn(&mut self, s: impl Into<String>) {
        self.warnings.push(s.into());
    }
}

/// `--json` of `sign`: what was signed, by whom, and where each threshold stands.
#[derive(Debug, serde::Serialize)]
pub struct SignJson {
    /// `signed` (into the working file), `signed-detached` (into a signature file) or
    /// `already-signed` (nothing to do).
    pub verdict: &'static str,
    pub role: String,
    pub version: u64,
    /// The keyholder the ceremony records for the key.
    pub keyholder: String,
    /// The keyids the signature is filed under (one key may be listed under several).
    pub keyids: Vec<String>,
    /// SHA-256 of the canonical bytes signed.
    pub payload_sha256: String,
    /// The signature file written, with `--detached`.
    pub detached: Option<String>,
    /// Each requirement after signing (empty for a detached signature, counted at merge).
    pub thresholds: Vec<ThresholdCount>,
}

/// One requirement a role must meet, counted.
#[derive(Debug, serde::Serialize)]
pub struct ThresholdCount {
    pub label: String,
    pub signed: usize,
    pub threshold: u64,
    pub met: bool,
}

/// `--json` of `merge`: each signature file merged.
#[derive(Debug, serde::Serialize)]
pub struct MergeJson {
    /// `merged`: every file was (a refusal is an error, and merges none).
    pub verdict: &'static str,
    pub merged: Vec<MergedJson>,
}

/// One signature file `merge` took in.
#[derive(Debug, serde::Serialize)]
pub struct MergedJson {
    pub file: String,
    /// SHA-256 of the signature file's bytes.
    pub file_sha256: String,
    pub role: String,
    pub version: u64,
    pub keyholder: String,
    pub keyids: Vec<String>,
    pub payload_sha256: String,
    /// What the file's device attestation proves, in words.
    pub attestation: String,
}

/// `--json` of `export`: every file of the folder written, with its digest, and the
/// transcript head to write into the minutes.
#[derive(Debug, serde::Serialize)]
pub struct ExportJson {
    /// `exported`.
    pub verdict: &'static str,
    pub out: String,
    pub files: Vec<ExportedFile>,
    pub transcript_head: String,
    /// The transcript line the head is the SHA-256 of.
    pub transcript_line: u64,
}

/// One file `export` wrote (or found already there, byte for byte).
#[derive(Debug, serde::Serialize)]
pub struct ExportedFile {
    pub file: String,
    pub role: String,
    pub version: u64,
    pub sha256: String,
    /// False when the same bytes were already there.
    pub written: bool,
}

/// `--json` of `verify`: the verdict, and what it rests on.
#[derive(Debug, serde::Serialize)]
pub struct VerifyJson {
    /// `ok` or `failed` (exit code 1).
    pub verdict: &'static str,
    /// With `--repo`: the folder checked.
    pub repo: Option<String>,
    /// Without `--repo`: each role's standing, as `status --json` gives it.
    pub roles: Vec<Embedded>,
    /// With `--repo`: each file read, with its SHA-256.
    pub files: Vec<VerifiedFile>,
    /// Every problem found, in words; empty when the verdict is `ok`.
    pub problems: Vec<String>,
}

/// One file `verify --repo` read.
#[derive(Debug, serde::Serialize)]
pub struct VerifiedFile {
    pub file: String,
    pub sha256: String,
}

/// A report struct as the tool's JSON value, so `--json` is written by the same writer as
/// every other JSON the tool writes: keys sorted, integers only. The report structs hold
/// strings, integers, booleans, options, lists and [`Embedded`] values, which always
/// convert; anything else (a float, a map serde cannot key by strings, an integer beyond 64
/// bits) is an error naming it, never a `null` written in its place.
pub fn to_value<T: serde::Serialize>(report: &T) -> Result<Value, JsonError> {
    serde_json::to_value(report)
        .map_err(|e| JsonError(e.to_string()))
        .and_then(from_serde)
}

/// Why a report struct could not become the tool's JSON: a fault in the tool, not in the
/// ceremony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `--json` report that cannot be built. Every command builds its report after whatever
/// it changes is committed, so the error says where to look.
impl From<JsonError> for crate::error::Error {
    fn from(e: JsonError) -> Self {
        crate::error::Error::Failed(format!(
            "the --json report could not be built ({e}), a fault in tuf-ceremony; anything the command changes was saved before its report is built: `tuf-ceremony status` shows where the ceremony stands, and the command without --json prints its report"
        ))
    }
}

/// serde_json's value as the tool's: objects sorted by key whatever order serde gave.
fn from_serde(v: serde_json::Value) -> Result<Value, JsonError> {
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::Int(i128::from(i)),
            (_, Some(u)) => Value::Int(i128::from(u)),
            _ => return Err(JsonError(format!("{n} is not an integer"))),
        },
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(from_serde)
                .collect::<Result<_, _>>()?,
        ),
        serde_json::Value::Object(members) => Value::Object(Object::from_pairs(
            members
                .into_iter()
                .map(|(k, v)| Ok((k, from_serde(v)?)))
                .collect::<Result<_, JsonError>>()?,
        )),
    })
}

/// A value already in the tool's JSON tree (a key as TUF writes it, an attestation's
/// facts), placed in a report struct as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embedded(pub Value);

impl serde::Serialize for Embedded {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Tree(&self.0).serialize(s)
    }
}

/// One node of an [`Embedded`] value, written without copying it.
struct Tree<'a>(&'a Value);

impl serde::Serialize for Tree<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i128(*i),
            Value::Str(text) => s.serialize_str(text),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Tree(item))?;
                }
                seq.end()
            }
            Value::Object(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o.iter() {
                    map.serialize_entry(k, &Tree(v))?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Sample {
        zeta: u64,
        alpha: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<bool>,
        list: Vec<&'static str>,
        embedded: Embedded,
    }

    /// A report struct and an embedded value come out as the tool's own JSON: keys sorted
    /// at every depth, `None` as null unless skipped, integers as integers (the largest
    /// and smallest 64-bit ones too), and the embedded tree unchanged.
    #[test]
    fn a_report_struct_becomes_the_tools_value_with_sorted_keys() {
        let tree = crate::json::parse(
            br#"{"b":[1,-9223372036854775808,18446744073709551615,null,true],"a":{"y":"\"x\"","x":{}}}"#,
        )
        .unwrap();
        let sample = Sample {
            zeta: u64::MAX,
            alpha: None,
            skipped: None,
            list: vec!["one", "two"],
            embedded: Embedded(tree.clone()),
        };
        let value = to_value(&sample).unwrap();
        assert_eq!(
            crate::json::compact(&value),
            r#"{"alpha":null,"embedded":{"a":{"x":{},"y":"\"x\""},"b":[1,-9223372036854775808,18446744073709551615,null,true]},"list":["one","two"],"zeta":18446744073709551615}"#
        );
        assert_eq!(value.get("embedded"), Some(&tree));
    }

    /// What the tool's JSON cannot hold is an error naming it, never a `null` in its place:
    /// a float, an integer beyond 64 bits in an embedded tree, a map keyed by other than
    /// strings. A caller turns it into the tool's error, never a panic.
    #[test]
    fn what_the_tools_json_cannot_hold_is_an_error_not_a_null() {
        #[derive(serde::Serialize)]
        struct Float {
            ratio: f64,
        }
        let e = to_value(&Float { ratio: 0.5 }).unwrap_err();
        assert!(e.0.contains("0.5 is not an integer"), "{e}");
        let big = Embedded(Value::Int(i128::from(u64::MAX) + 1));
        assert!(to_value(&vec![big]).is_err());
        let mut by_pair = std::collections::BTreeMap::new();
        by_pair.insert((1, 2), "x");
        assert!(to_value(&by_pair).is_err());
        let e: crate::error::Error = e.into();
        assert_eq!(e.exit_code(), 1);
        assert!(
            e.to_string()
                .contains("the --json report could not be built"),
            "{e}"
        );
    }
}
