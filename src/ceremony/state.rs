//! `ceremony.json`: the keyholders (name and public key) and the delegated roles this
//! ceremony signs. It is written only by this tool, and held to the record like every other
//! file of the folder (see [`super::record`]).

use crate::error::{Error, Result};
use crate::json::{self, Value};
use crate::keys::Key;
use crate::names::{self, NameKind, RoleName};
use std::collections::HashMap;
use std::path::Path;

/// The name of the state file that marks a ceremony directory.
pub const STATE_FILE: &str = "ceremony.json";
/// The state file's format: `/2` marks a folder bound by its record (its transcript records
/// every file, see [`super::record`]); `/1` folders were written before, and are bound from their
/// next recorded change.
pub(super) const STATE_FORMAT: &str = "tuf-ceremony-directory/2";
pub(super) const STATE_FORMAT_UNBOUND: &str = "tuf-ceremony-directory/1";

/// A named person and the public key they hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyholder {
    pub name: String,
    pub key: Key,
}

/// What `ceremony.json` records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub keyholders: Vec<Keyholder>,
    /// Delegated targets roles signed in this ceremony, e.g. `claimed`.
    pub delegated: Vec<RoleName>,
}

/// `ceremony.json` as written: members in code-point order (the order the file has always
/// had, so files written before and after this struct existed are byte-identical).
///
/// Unknown members are refused, not ignored: only this tool writes the file, so a member it
/// does not know means another tool or a hand edit, and the next save would silently drop
/// it. Duplicate members are refused by the strict parse that comes first.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    delegated_roles: Vec<String>,
    format: String,
    keyholders: Vec<KeyholderEntry>,
}

/// One keyholder in `ceremony.json`. `keyid` is written for people reading the file; the
/// key itself is what counts, and the keyid is recomputed from it on reading.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyholderEntry {
    /// A copy of the device's attestation record, which versions before this one wrote
    /// here. It is read (so their folders still open) and never used or written again: this
    /// file is neither hash-chained nor signed, so only the transcript says whether a key
    /// is attested (see `policy`).
    #[serde(default, skip_serializing, rename = "attestation")]
    _attestation: Option<serde::de::IgnoredAny>,
    /// The TUF key object, read through [`Key::from_owned`] like any key in metadata.
    key: serde_json::Value,
    keyid: String,
    name: String,
}

impl State {
    /// The bytes of `ceremony.json`: pretty JSON with a one-space indent and a final
    /// newline, as [`json::pretty`] writes it.
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let keyholders = self
            .keyholders
            .iter()
            .map(|k| KeyholderEntry {
                _attestation: None,
                // A key's own JSON, which always reads back (keys are checked when made).
                key: serde_json::from_str(&json::compact(&k.key.to_value()))
                    .unwrap_or(serde_json::Value::Null),
                keyid: k.key.keyid(),
                name: k.name.clone(),
            })
            .collect();
        let file = StateFile {
            delegated_roles: self.delegated.iter().map(|d| d.to_string()).collect(),
            format: STATE_FORMAT.to_string(),
            keyholders,
        };
        let mut out = Vec::with_capacity(1024);
        let mut ser = serde_json::Serializer::with_formatter(
            &mut out,
            serde_json::ser::PrettyFormatter::with_indent(b" "),
        );
        // Writing plain strings and objects into a Vec cannot fail.
        let _ = serde::Serialize::serialize(&file, &mut ser);
        out.push(b'\n');
        out
    }

    pub(super) fn from_bytes(bytes: &[u8], path: &Path) -> Result<State> {
        let bad = |why: &str| {
            Error::Invalid(format!(
                "{}: {why}. This file is written by tuf-ceremony; restore it from the ceremony's backup",
                path.display()
            ))
        };
        // The strict reader first: a duplicate member anywhere, or a number that is not an
        // integer, is refused here with its line and column.
        let value = json::parse(bytes).map_err(|e| bad(&e.to_string()))?;
        let format = value.get("format").and_then(Value::as_str);
        if format != Some(STATE_FORMAT) && format != Some(STATE_FORMAT_UNBOUND) {
            return Err(bad("not a tuf-ceremony directory state file (format)"));
        }
        let file: StateFile = serde_json::from_slice(bytes).map_err(|e| bad(&e.to_string()))?;
        let mut state = State::default();
        for (i, k) in file.keyholders.into_iter().enumerate() {
            let at = format!("$.keyholders[{i}].key");
            let key = json::parse(k.key.to_string().as_bytes())
                .map_err(|e| bad(&format!("{at}: {e}")))
                .and_then(|v| Key::from_owned(v, &at).map_err(|e| bad(&e.to_string())))?;
            state.keyholders.push(Keyholder { name: k.name, key });
        }
        // Each name becomes a file name in this folder: parsed as one, and no two may be
        // one file on a case-insensitive disk (looked up by folded name: linear however
        // long the list).
        let mut folded: HashMap<String, usize> = HashMap::new();
        for name in &file.delegated_roles {
            let name = RoleName::parse_delegated(name).map_err(|e| bad(&e.to_string()))?;
            match folded.get(&names::fold(&name)) {
                Some(&i) if state.delegated[i] == name => {}
                Some(&i) => {
                    let other = [state.delegated[i].as_str()];
                    names::check_distinct(NameKind::Role, &name, other, "also listed")
                        .map_err(|e| bad(&e.to_string()))?;
                }
                None => {
                    folded.insert(names::fold(&name), state.delegated.len());
                    state.delegated.push(name);
                }
            }
        }
        Ok(state)
    }
}
