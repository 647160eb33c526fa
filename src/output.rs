//! What a command has to say, apart from how it is printed (`app` prints it, through the
//! display net): lines for stdout, warnings for stderr, and for `--json` a value built from
//! a serde-derived report struct.

use crate::json::Value;

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
