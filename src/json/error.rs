//! What a keyholder reads when a document is not acceptable JSON: where it is wrong (line,
//! column, JSON path), what is wrong in words, and what to do about it.
//!
//! Most problems are said in serde_json's own words ("trailing comma", "invalid escape").
//! A few of those name the parser's state rather than the file's fault ("EOF while parsing
//! a value" for an empty file, "unexpected end of hex escape" for a lone surrogate); those
//! are said here in the keyholder's terms, with what to do kept apart from what is wrong
//! so that a caller whose document is not a file someone handed over (a transcript line)
//! can say its own.

use std::fmt;

/// Why a document is not acceptable JSON: where, what is wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    /// What is wrong, after the JSON path when the problem is inside the document.
    pub problem: String,
    /// What to do when the document is a file someone handed over ("copy it again"), for
    /// the problems whose text does not already say; empty otherwise. Kept apart so that a
    /// caller reading a document that is not such a file (a transcript line) can leave it
    /// out.
    pub fix: &'static str,
}

impl ParseError {
    /// The problem, then what to do about it.
    pub fn message(&self) -> String {
        match self.fix {
            "" => self.problem.clone(),
            fix => format!("{}: {fix}", self.problem),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = (self.line, self.column);
        write!(f, "line {line}, column {column}: {}", self.message())
    }
}

impl std::error::Error for ParseError {}

/// What to do about an empty file.
const COPY_AGAIN: &str = "copy it again from its source";
/// What to do about a file that ends too soon (a copy cut short, or a hand edit).
const CUT_SHORT: &str =
    "the file was cut short, or a closing bracket, brace or quote is missing; copy it again \
     from its source";
/// A lone surrogate: JSON's syntax allows it, Unicode text cannot hold it.
const LONE_SURROGATE: &str = "a \\uD800-\\uDFFF escape that is not half of a surrogate pair, \
                              so the string is not valid Unicode";
/// What to do about a lone surrogate: only the file's maker can mend it.
const NOT_UNICODE: &str =
    "the program that wrote the file was given invalid text; ask its maker for a new one";

/// serde_json's error as a [`ParseError`]: its own words (after the path, for what the
/// tree refused), except where they name a parser's state rather than what is wrong with
/// the file. serde_json's error kinds are private, so those are told apart by category and
/// text; the tests pin each text, so a new serde_json wording fails them.
pub(super) fn in_words(e: &serde_json::Error, path: &str, bytes: &[u8]) -> ParseError {
    use serde_json::error::Category;
    let text = e.to_string(); // serde_json's own " at line L column C" is cut off
    let text = text.rfind(" at line ").map_or(&text[..], |i| &text[..i]);
    // Nothing but JSON's four whitespace characters.
    let blank = bytes.iter().all(|b| b" \t\n\r".contains(b));
    // A high surrogate not followed by `\u` and a low one, or a low one alone.
    let lone_surrogate =
        text == "unexpected end of hex escape" || text == "lone leading surrogate in hex escape";
    let (problem, fix) = match e.classify() {
        Category::Data => (format!("{path}: {text}"), ""),
        Category::Eof if bytes.is_empty() => ("the file is empty (0 bytes)".into(), COPY_AGAIN),
        Category::Eof if blank => (
            format!(
                "the file holds only whitespace ({} bytes), no JSON document",
                bytes.len()
            ),
            COPY_AGAIN,
        ),
        Category::Eof => (
            format!("{path}: the text ends before the JSON document does"),
            CUT_SHORT,
        ),
        _ if lone_surrogate => (format!("{path}: {LONE_SURROGATE}"), NOT_UNICODE),
        _ => (text.to_string(), ""),
    };
    ParseError {
        line: e.line(),
        column: e.column(),
        problem,
        fix,
    }
}

/// A member named twice, at any depth: python-tuf keeps the last, so what was reviewed
/// could differ from what a client reads.
pub(super) fn duplicate<E: serde::de::Error>(key: &str) -> E {
    E::custom(format!(
        "the member \"{key}\" appears twice. python-tuf would silently keep the last one, so \
         what you review could differ from what a client sees; remove one of them"
    ))
}

/// What serde_json reads as a float (canonical JSON has integers only).
pub(super) const NOT_AN_INTEGER: &str =
    "a number with a fraction or exponent, an integer beyond 64 bits, or -0: canonical JSON \
     (and so TUF metadata) allows integers only, and this tool reads those from -2^63 to \
     2^64-1, zero written as 0";

#[cfg(test)]
mod tests {
    use crate::json::{parse, Value};

    /// A keyholder handed an empty file, or one cut short in transit, reads what happened
    /// and what to do, with the line, column and JSON path kept.
    #[test]
    fn empty_whitespace_and_cut_short_files_say_so_in_words() {
        let empty = parse(b"").unwrap_err();
        assert_eq!(
            empty.to_string(),
            "line 1, column 0: the file is empty (0 bytes): copy it again from its source"
        );
        let blank = parse(b" \n\t\n").unwrap_err();
        assert_eq!(
            blank.to_string(),
            "line 3, column 0: the file holds only whitespace (4 bytes), no JSON document: \
             copy it again from its source"
        );
        let cut = parse(br#"{"signed": {"spec_version": "1.0"#).unwrap_err();
        assert_eq!((cut.line, cut.column > 30), (1, true), "{cut}");
        assert_eq!(
            cut.problem,
            "$.signed.spec_version: the text ends before the JSON document does"
        );
        assert!(
            cut.to_string().ends_with(
                ": the file was cut short, or a closing bracket, brace or quote is missing; \
                 copy it again from its source"
            ),
            "{cut}"
        );
        for (text, path) in [
            ("{", "$"),
            ("[1,", "$[1]"),
            (r#"{"a""#, "$.a"),
            (r#"{"a":"#, "$.a"),
            (r#"{"a":[{"b":tr"#, "$.a[0].b"),
        ] {
            let e = parse(text.as_bytes()).unwrap_err();
            let want = format!("{path}: the text ends before the JSON document does");
            assert_eq!(e.problem, want, "{text}");
        }
    }

    /// serde_json's words for a lone surrogate ("unexpected end of hex escape") become
    /// what it means and what to do, at the string's path.
    #[test]
    fn a_lone_surrogate_escape_says_so_in_words() {
        for text in [
            r#"{"a":"\ud800"}"#,
            r#"{"a":"\udc00"}"#,
            r#"{"a":"\ud800\u0041"}"#,
            r#"{"a":"\ud800\n"}"#,
            r#"{"a":"\ud800\ud800"}"#,
        ] {
            let e = parse(text.as_bytes()).unwrap_err();
            assert!(
                e.problem.starts_with(
                    "$.a: a \\uD800-\\uDFFF escape that is not half of a surrogate pair, so \
                     the string is not valid Unicode"
                ),
                "{text}: {e}"
            );
            assert!(
                e.to_string().ends_with("ask its maker for a new one"),
                "{e}"
            );
        }
        let pair = parse(br#"["\ud83d\ude00"]"#).unwrap();
        assert_eq!(pair, Value::Array(vec![Value::str("\u{1F600}")]));
    }

    /// Other syntax errors keep serde_json's words and add no advice of their own.
    #[test]
    fn other_syntax_errors_keep_serde_jsons_words() {
        let comma = parse(b"[1,]").unwrap_err();
        assert_eq!((comma.problem.as_str(), comma.fix), ("trailing comma", ""));
        assert_eq!(comma.to_string(), "line 1, column 4: trailing comma");
    }
}
