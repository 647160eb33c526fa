//! What a person reads must be what the input holds. A string from input (a metadata file,
//! a signature file, the transcript, a device's label, a file name) can hold characters
//! that a terminal or a document viewer does not show as text: control characters that move
//! the cursor, erase a line or make what follows invisible (ESC, CSI, CR), line breaks that
//! draw a line of the input's choosing, bidirectional overrides and isolates that show text
//! in another order, and zero-width or other invisible characters that make two different
//! names look alike. Shown raw, a delegation path could draw a false "You are about to sign"
//! screen over the real payload digest.
//!
//! Two layers:
//! - [`escape`] shows one input value: each such character as a visible escape (`\u{1b}`,
//!   `\n`) and a backslash as `\\`, so two different values never look the same. It is
//!   applied where an input string is put into a screen, a message or a report.
//! - [`line`], [`text`] and [`json`] are the net under the few places that write what a
//!   person reads (`app::print`, the confirmation screen, error printing, the report
//!   files): whatever slipped past the first layer still cannot move the cursor or hide
//!   text. They leave backslashes alone, so text escaped once is not escaped again.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// Characters above U+009F that are not shown as text, as sorted inclusive ranges: format
/// characters (Unicode category Cf: bidirectional controls, zero-width characters, the
/// byte-order mark, tags), line and paragraph separators, spaces other than U+0020 (they
/// look like one), default-ignorable characters that draw nothing (variation selectors,
/// Hangul fillers, the combining grapheme joiner) and the noncharacters U+FDD0..U+FDEF.
/// The C0 and C1 controls and DEL are checked before this table, the noncharacters ending
/// in FFFE or FFFF after it.
const HIDDEN: &[(u32, u32)] = &[
    (0x00A0, 0x00A0), // no-break space
    (0x00AD, 0x00AD), // soft hyphen
    (0x034F, 0x034F), // combining grapheme joiner
    (0x0600, 0x0605), // Arabic number signs (prepended format characters)
    (0x061C, 0x061C), // Arabic letter mark (bidirectional)
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160), // Hangul fillers
    (0x1680, 0x1680), // Ogham space mark
    (0x17B4, 0x17B5), // Khmer inherent vowels (invisible)
    (0x180B, 0x180F), // Mongolian variation selectors and vowel separator
    (0x2000, 0x200F), // spaces, zero-width space/non-joiner/joiner, LRM, RLM
    (0x2028, 0x202F), // line/paragraph separators, LRE..RLO embeddings and overrides, narrow no-break space
    (0x205F, 0x206F), // medium space, word joiner, invisible operators, isolates LRI..PDI
    (0x2800, 0x2800), // Braille blank
    (0x3000, 0x3000), // ideographic space
    (0x3164, 0x3164), // Hangul filler
    (0xFDD0, 0xFDEF), // noncharacters
    (0xFE00, 0xFE0F), // variation selectors
    (0xFEFF, 0xFEFF), // zero-width no-break space (byte-order mark)
    (0xFFA0, 0xFFA0), // halfwidth Hangul filler
    (0xFFF0, 0xFFFB), // unassigned default-ignorables, interlinear annotation
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F), // Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3), // shorthand format controls
    (0x1D173, 0x1D17A), // musical symbol format controls
    (0xE0000, 0xE0FFF), // tags, variation selectors supplement, reserved default-ignorables
];

/// Whether `c` would not be shown as text: a control character (C0, DEL, C1, including
/// ESC, CR and LF), or an invisible or format character (see [`HIDDEN`]).
pub fn is_hidden(c: char) -> bool {
    let u = u32::from(c);
    if u < 0x20 || (0x7F..=0x9F).contains(&u) {
        return true;
    }
    if u < 0xA0 {
        return false;
    }
    let in_table = HIDDEN
        .binary_search_by(|&(lo, hi)| {
            if hi < u {
                std::cmp::Ordering::Less
            } else if lo > u {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok();
    in_table || u & 0xFFFE == 0xFFFE
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\\' => out.push_str("\\\\"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// `s` with every character `hide` picks written as an escape; borrowed when there is none
/// (nearly always: names and paths are plain text).
fn escape_where(s: &str, hide: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some((first, _)) = s.char_indices().find(|&(_, c)| hide(c)) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if hide(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One value from input, as it is shown: every hidden character (including LF, CR and ESC)
/// as `\n`, `\r` or `\u{1b}`, and `\` as `\\`, so that what is shown tells the value apart
/// from any other.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c == '\\' || is_hidden(c))
}

/// [`escape`] for an item of a list whose items are separated by spaces (a delegation's
/// path patterns): a space inside an item is escaped too, so one pattern never looks like
/// two.
pub fn word(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c == '\\' || c == ' ' || is_hidden(c))
}

/// A file name from input or the command line, as it is shown ([`escape`]).
pub fn path(p: &Path) -> String {
    escape(&p.to_string_lossy()).into_owned()
}

/// The net for one line of output (a report line, a warning, a prompt): every hidden
/// character escaped, a line break included, so nothing in it can start another line,
/// move the cursor or hide text.
pub fn line(s: &str) -> Cow<'_, str> {
    escape_where(s, is_hidden)
}

/// The net for text of several lines (the confirmation screen, an error, a report file):
/// [`line`], keeping the line breaks between its lines.
pub fn text(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c != '\n' && is_hidden(c))
}

/// The net for JSON text (`--json` output): every hidden character as a JSON `\uXXXX`
/// escape. Hidden characters can only stand inside JSON strings, so the document means the
/// same and stays valid JSON.
pub fn json(s: &str) -> Cow<'_, str> {
    let Some((first, _)) = s.char_indices().find(|&(_, c)| is_hidden(c)) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    let mut units = [0u16; 2];
    for c in s[first..].chars() {
        if is_hidden(c) {
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The first 8 hex digits of a keyid or digest, followed by an ellipsis. A keyid is any
/// string a metadata file holds, so what is shown is escaped ([`escape`]).
pub fn short(hex: &str) -> String {
    let cut: String = hex.chars().take(8).collect();
    let cut = escape(&cut).into_owned();
    if hex.chars().nth(8).is_some() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// A string from the metadata, quoted: escaped ([`escape`]) and with `"` as `\"`, so that
/// where it ends is never in doubt.
pub fn quoted(s: &str) -> String {
    format!("\"{}\"", escape(s).replace('"', "\\\""))
}

/// `s` as HTML text or attribute value: the five characters HTML gives meaning to, as
/// entities. The report's page shows names and paths from metadata made elsewhere.
pub fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A ceremony identity as messages show it: its first 16 hex digits.
pub fn ceremony_id(id: &str) -> String {
    let cut: String = id.chars().take(16).collect();
    format!("{}…", escape(&cut))
}

/// The ceremony policy's file in a ceremony folder, as every message names it.
pub const POLICY_FILE: &str = "policy.toml";

/// The format a signature file declares (its `format` member), as every message names it.
pub const SIGNATURE_FORMAT: &str = "tuf-ceremony-signature/1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for s in [
            "alice",
            "targets v2's delegation to claimed",
            "requests/*",
            "Zoë 日本 →",
        ] {
            assert!(matches!(escape(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(text(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(json(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn a_fake_line_is_shown_as_text() {
        let hostile = "*/*\r\u{1b}[1A\u{1b}[2K  payload     SHA-256 0000\u{1b}[8m\n";
        assert_eq!(
            escape(hostile),
            "*/*\\r\\u{1b}[1A\\u{1b}[2K  payload     SHA-256 0000\\u{1b}[8m\\n"
        );
        assert_eq!(line(hostile), escape(hostile));
        assert_eq!(
            text("a\u{1b}[2K\nb\r"),
            "a\\u{1b}[2K\nb\\r",
            "text keeps its own line breaks"
        );
    }

    #[test]
    fn bidi_zero_width_c1_and_tags_are_shown() {
        for (c, shown) in [
            ('\u{202E}', "\\u{202e}"),
            ('\u{2066}', "\\u{2066}"),
            ('\u{2069}', "\\u{2069}"),
            ('\u{200E}', "\\u{200e}"),
            ('\u{200F}', "\\u{200f}"),
            ('\u{061C}', "\\u{61c}"),
            ('\u{200B}', "\\u{200b}"),
            ('\u{200D}', "\\u{200d}"),
            ('\u{2060}', "\\u{2060}"),
            ('\u{FEFF}', "\\u{feff}"),
            ('\u{9B}', "\\u{9b}"),
            ('\u{7F}', "\\u{7f}"),
            ('\u{0}', "\\u{0}"),
            ('\u{E0041}', "\\u{e0041}"),
            ('\u{FE0F}', "\\u{fe0f}"),
            ('\u{A0}', "\\u{a0}"),
            ('\u{2028}', "\\u{2028}"),
            ('\u{FFFF}', "\\u{ffff}"),
            ('\u{10FFFE}', "\\u{10fffe}"),
        ] {
            assert_eq!(escape(&format!("a{c}b")), format!("a{shown}b"));
            assert_eq!(line(&format!("a{c}b")), format!("a{shown}b"));
        }
        for c in ['é', '€', '\u{FFFD}', '\u{1F600}', ' ', '…', '─'] {
            assert!(!is_hidden(c), "{c:?}");
        }
    }

    #[test]
    fn escaping_tells_values_apart_and_the_net_does_not_escape_twice() {
        // A value that spells an escape is not shown like the character it spells.
        assert_ne!(escape("a\\u{1b}"), escape("a\u{1b}"));
        assert_eq!(escape("a\\u{1b}"), "a\\\\u{1b}");
        // The net leaves escaped text as it is.
        let once = escape("x\u{1b}\\y").into_owned();
        assert_eq!(line(&once), once);
        assert_eq!(text(&once), once);
        assert_eq!(word("my project/*"), "my\\u{20}project/*");
    }

    #[test]
    fn json_net_keeps_valid_json_with_the_same_meaning() {
        let value = crate::json::Value::str("a\u{202E}b\u{9B}c\u{E0041}");
        let written = crate::json::compact(&value);
        let netted = json(&written);
        assert!(!netted.chars().any(is_hidden), "{netted}");
        assert_eq!(netted, "\"a\\u202eb\\u009bc\\udb40\\udc41\"");
        assert_eq!(crate::json::parse(netted.as_bytes()).unwrap(), value);
    }
}
