//! Names that become file names: a role's metadata is `NAME.json` in the ceremony folder,
//! in `trusted/`, in an export and on every mirror, and `N.NAME.json` once versioned. A
//! name is only ever a name: [`RoleName`] can be made only by a parser that refuses
//! anything that could act as a path, collide with the tool's own files or with a
//! versioned file name, be too long for a file name, or look like a different name.
//!
//! Role names are printable ASCII. File systems disagree beyond it (FAT, NTFS and macOS
//! fold case with different tables, macOS also folds Unicode forms), and a look-alike
//! letter or an invisible character makes one name read as another on the screen a
//! keyholder signs from. Inside ASCII, "the same file on a case-insensitive disk" is
//! exactly "equal after ASCII case folding", which [`check_distinct`] enforces.
//!
//! Delegation names inside metadata made by others (the 100,000 projects of a claimed
//! role) are not checked here: they never become files in the ceremony folder, and
//! `metadata::check_role_name` keeps their parsing as permissive as python-tuf's.

use std::borrow::Cow;
use std::fmt;

/// The longest role name, in bytes. `N.NAME.json` must fit the 255 bytes file systems
/// allow: 20 digits of a version, two dots and `json` leave 229; 200 leaves room to spare.
pub const MAX_NAME_BYTES: usize = 200;

/// The top-level roles (TUF spec 2.1): their files are made only under these exact names.
pub const TOP_LEVEL: [&str; 4] = ["root", "targets", "snapshot", "timestamp"];

/// Names of the tool's own files and folders in a ceremony folder or beside an export
/// (`ceremony.json`, `transcript.jsonl`, `trusted/`, `moved-projects.txt`, …): no role may
/// take one, in any letter case.
pub const RESERVED: [&str; 6] = [
    "ceremony",
    "transcript",
    "trusted",
    "moved-projects",
    "policy",
    "lock",
];

/// Device names Windows opens instead of a file, with any extension (`con.json`).
const WINDOWS_DEVICES: [&str; 24] = [
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Characters FAT and NTFS refuse in a file name (besides the separators).
const NOT_IN_FILE_NAMES: [char; 7] = [':', '*', '?', '"', '<', '>', '|'];

/// What a name is the name of, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    Role,
    Project,
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameKind::Role => "role name",
            NameKind::Project => "project name",
        })
    }
}

/// The rule a name breaks. Each says what is wrong and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    Empty,
    TooLong {
        bytes: usize,
    },
    Separator(char),
    /// A control, invisible, bidirectional or other non-ASCII character.
    NotPrintableAscii(char),
    NotInFileNames(char),
    DotFirst,
    DashFirst,
    SpaceAtEdge,
    DotLast,
    /// `N.NAME`: reads as version N of role NAME (`1.root.json`).
    Versioned,
    /// A top-level role where a delegated role is expected, or a top-level name in
    /// another letter case.
    TopLevel(&'static str),
    Reserved(&'static str),
    WindowsDevice(&'static str),
    /// Not a PEP 508 project name.
    NotProjectName,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Empty => write!(f, "a name must not be empty"),
            Rule::TooLong { bytes } => write!(
                f,
                "it is {bytes} bytes long, more than the limit of {MAX_NAME_BYTES} bytes (its versioned file N.NAME.json must fit in the 255 bytes a file name may have). Choose a shorter name"
            ),
            Rule::Separator(c) => write!(
                f,
                "it contains '{}', a path separator: a name is never a path. Give the name alone, without folders",
                c.escape_debug()
            ),
            Rule::NotPrintableAscii(c) => {
                let what = if c.is_control() {
                    "a control character"
                } else if is_invisible(*c) {
                    "an invisible or text-direction character (it can hide or reorder what is shown)"
                } else {
                    "a character outside printable ASCII"
                };
                write!(
                    f,
                    "it contains {what}, U+{:04X}. Names that become file names are printable ASCII, so that they mean one file on every disk and read as what they are",
                    u32::from(*c)
                )
            }
            Rule::NotInFileNames(c) => write!(
                f,
                "it contains '{}', which FAT and NTFS (a USB stick, Windows) refuse in file names. Use letters, digits, '-', '_' or '.' instead",
                c.escape_debug()
            ),
            Rule::DotFirst => write!(
                f,
                "it starts with '.' ('.' and '..' are folders, and other such names are hidden files). Start it with a letter or digit"
            ),
            Rule::DashFirst => write!(
                f,
                "it starts with '-', so on a command line it reads as an option. Start it with a letter or digit"
            ),
            Rule::SpaceAtEdge => write!(
                f,
                "it starts or ends with a space, which cannot be seen and which Windows drops from file names. Remove it"
            ),
            Rule::DotLast => write!(
                f,
                "it ends with '.', which Windows drops from file names. Remove it"
            ),
            Rule::Versioned => write!(
                f,
                "digits and a dot in front read as a version: N.NAME.json is the file of version N of role NAME (1.root.json). Put a letter first or drop the \"N.\""
            ),
            Rule::TopLevel(r) => write!(
                f,
                "{r} is a top-level role (root, targets, snapshot, timestamp): it is never delegated, and no other role may have its name in any letter case (one file on FAT, NTFS and macOS). Choose another name"
            ),
            Rule::Reserved(r) => write!(
                f,
                "the tool keeps its own {r} file or folder in the ceremony folder or beside an export, so no role may be named so in any letter case. Choose another name"
            ),
            Rule::WindowsDevice(d) => write!(
                f,
                "Windows opens the device {} instead of any file named {d}.…. Choose another name",
                d.to_ascii_uppercase()
            ),
            Rule::NotProjectName => write!(
                f,
                "a project name (PEP 508) is ASCII letters, digits, '-', '_' and '.', and starts and ends with a letter or digit"
            ),
        }
    }
}

/// A name that breaks a rule: exit code 3 (invalid input).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} \"{shown}\" is not acceptable: {rule}. Examples of good names: {examples}")]
pub struct NameError {
    pub kind: NameKind,
    /// The name as given, escaped and cut for the screen.
    pub shown: String,
    pub rule: Rule,
    examples: &'static str,
}

impl NameError {
    fn new(kind: NameKind, name: &str, rule: Rule) -> NameError {
        NameError {
            kind,
            shown: shown(name),
            rule,
            examples: match kind {
                NameKind::Role => "claimed, recently-claimed, bins-0f, registry.npmjs.org",
                NameKind::Project => "requests, zope.interface, Foo_Bar",
            },
        }
    }
}

/// A name equal to another one of the same ceremony after case folding: on a FAT USB
/// stick, NTFS or macOS both are one file, so one would overwrite the other. Exit code 4
/// (refused by a rule).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} \"{shown}\" differs from \"{other}\", {where_}, only in letter case: on a FAT USB stick, NTFS or macOS both name one file, so one would overwrite the other. Use \"{other}\" itself, or a name that differs in more than case")]
pub struct NameClash {
    pub kind: NameKind,
    pub shown: String,
    pub other: String,
    where_: String,
}

/// A role name that is safe as a file name (see the module documentation). The only ways
/// to make one are [`RoleName::parse`], [`RoleName::parse_delegated`] and the constants.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoleName(Cow<'static, str>);

impl RoleName {
    pub const ROOT: RoleName = RoleName(Cow::Borrowed("root"));
    pub const TARGETS: RoleName = RoleName(Cow::Borrowed("targets"));
    /// PEP 480's offline role holding the claimed projects.
    pub const CLAIMED: RoleName = RoleName(Cow::Borrowed("claimed"));

    /// A role that may have a file: a top-level role under its exact name, or a name a
    /// delegated role may have.
    pub fn parse(name: &str) -> Result<RoleName, NameError> {
        if let Some(top) = TOP_LEVEL.iter().find(|t| **t == name) {
            return Ok(RoleName(Cow::Borrowed(top)));
        }
        Self::parse_delegated(name)
    }

    /// A delegated role's name: never a top-level role's.
    pub fn parse_delegated(name: &str) -> Result<RoleName, NameError> {
        check_role(name).map_err(|rule| NameError::new(NameKind::Role, name, rule))?;
        Ok(RoleName(Cow::Owned(name.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// root, targets, snapshot or timestamp.
    pub fn is_top_level(&self) -> bool {
        TOP_LEVEL.contains(&self.as_str())
    }

    /// Refuses a top-level role where a delegated one is meant (TUF spec 2.1: they are
    /// never delegated).
    pub fn require_delegated(&self) -> Result<(), NameError> {
        match TOP_LEVEL.iter().find(|t| **t == self.as_str()) {
            Some(top) => Err(NameError::new(NameKind::Role, self, Rule::TopLevel(top))),
            None => Ok(()),
        }
    }

    /// `NAME.json`.
    pub fn file_name(&self) -> String {
        format!("{}.json", self.0)
    }

    /// `N.NAME.json`: version N under consistent snapshots (TUF spec 5.6.1), and every
    /// root version.
    pub fn versioned_file_name(&self, version: u64) -> String {
        format!("{version}.{}.json", self.0)
    }
}

impl std::ops::Deref for RoleName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RoleName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RoleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&RoleName> for String {
    fn from(r: &RoleName) -> String {
        r.0.to_string()
    }
}

impl PartialEq<str> for RoleName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RoleName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<RoleName> for &str {
    fn eq(&self, other: &RoleName) -> bool {
        *self == other.as_str()
    }
}

/// The rules a delegated role's name must keep.
fn check_role(name: &str) -> Result<(), Rule> {
    check_file_name(name)?;
    let folded = fold(name);
    if let Some(top) = TOP_LEVEL.iter().find(|t| **t == folded) {
        return Err(Rule::TopLevel(top));
    }
    if let Some(own) = RESERVED.iter().find(|r| **r == folded) {
        return Err(Rule::Reserved(own));
    }
    let first = folded.split('.').next().unwrap_or_default().trim_end();
    if let Some(d) = WINDOWS_DEVICES.iter().find(|d| **d == first) {
        return Err(Rule::WindowsDevice(d));
    }
    Ok(())
}

/// What any name that becomes a file name must keep, whatever it names.
fn check_file_name(name: &str) -> Result<(), Rule> {
    if name.is_empty() {
        return Err(Rule::Empty);
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(Rule::TooLong { bytes: name.len() });
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '/' | '\\')) {
        return Err(Rule::Separator(c));
    }
    if let Some(c) = name.chars().find(|c| !matches!(c, ' '..='~')) {
        return Err(Rule::NotPrintableAscii(c));
    }
    if let Some(c) = name.chars().find(|c| NOT_IN_FILE_NAMES.contains(c)) {
        return Err(Rule::NotInFileNames(c));
    }
    if name.starts_with('.') {
        return Err(Rule::DotFirst);
    }
    if name.starts_with('-') {
        return Err(Rule::DashFirst);
    }
    if name.starts_with(' ') || name.ends_with(' ') {
        return Err(Rule::SpaceAtEdge);
    }
    if name.ends_with('.') {
        return Err(Rule::DotLast);
    }
    if is_versioned(name) {
        return Err(Rule::Versioned);
    }
    Ok(())
}

/// `N.…` with N all digits.
fn is_versioned(name: &str) -> bool {
    matches!(name.split_once('.'), Some((n, _)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A project name delegated by a claimed role (PEP 508), which becomes the name of the
/// project's role and of its file on the repository, beside root.json and claimed.json.
/// Names the tool keeps for itself are not refused here: a project's file never lands in
/// the ceremony folder, and PyPI has projects called `lock` and `policy`.
pub fn check_project_name(name: &str) -> Result<(), NameError> {
    let bad = |rule| Err(NameError::new(NameKind::Project, name, rule));
    if name.is_empty() {
        return bad(Rule::Empty);
    }
    if name.len() > MAX_NAME_BYTES {
        return bad(Rule::TooLong { bytes: name.len() });
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '/' | '\\')) {
        return bad(Rule::Separator(c));
    }
    if let Some(c) = name.chars().find(|c| !matches!(c, ' '..='~')) {
        return bad(Rule::NotPrintableAscii(c));
    }
    let pep508 = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    if !pep508 {
        return bad(Rule::NotProjectName);
    }
    if is_versioned(name) {
        return bad(Rule::Versioned);
    }
    let folded = fold(name);
    if let Some(top) = TOP_LEVEL.iter().find(|t| **t == folded) {
        return bad(Rule::TopLevel(top));
    }
    Ok(())
}

/// Refuses `name` when it equals one of `others` after case folding without being equal
/// to it: `where_` says where the others are ("a role of this ceremony").
pub fn check_distinct<'a>(
    kind: NameKind,
    name: &str,
    others: impl IntoIterator<Item = &'a str>,
    where_: &str,
) -> Result<(), NameClash> {
    let folded = fold(name);
    for other in others {
        if other != name && fold(other) == folded {
            return Err(NameClash {
                kind,
                shown: shown(name),
                other: shown(other),
                where_: where_.to_string(),
            });
        }
    }
    Ok(())
}

/// Case folding as case-insensitive file systems do it, at its widest (Unicode upper then
/// lower case: `ß` and `SS`, the Kelvin sign and `k` fold together).
pub fn fold(name: &str) -> String {
    if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        name.to_uppercase().to_lowercase()
    }
}

/// The name the ceremony records for the repository's online key of `role` ("snapshot
/// online key"): held by the repository's servers, never by a person at the ceremony, and
/// named by what it signs so that a screen listing keys says which online key is which.
pub fn online_key_name(role: &str) -> String {
    format!("{role} online key")
}

/// The one name earlier versions recorded for every online key, whatever its role.
pub const LEGACY_ONLINE_KEY_NAME: &str = "repository-online-key";

/// Whether a recorded keyholder name is the repository's (an online key), not a person's.
pub fn is_online_key_name(name: &str) -> bool {
    name == LEGACY_ONLINE_KEY_NAME || name.ends_with(" online key")
}

/// Two keyholder names of one ceremony that a person could take for one another: equal
/// after case folding, or after [`keyholder_skeleton`] (Latin "alice" and "\u{430}lice"
/// with a Cyrillic a, "Ian" and "lan", "Jos\u{e9}" and "Jose\u{301}"). Exit code 4 (refused
/// by a rule).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("keyholder names \"{shown}\" and \"{other}\" look alike: they differ only in letter case, accents, invisible characters or letters that look the same (such as a Cyrillic or Greek letter drawn like a Latin one, or l, I and 1). On the screen a keyholder signs from, and in the transcript, one would pass for the other, and a threshold must be met by distinct people. If both are one person, give the same name (as \"{other}\" is recorded); otherwise give this keyholder a name no other keyholder's looks like")]
pub struct KeyholderClash {
    /// The new name as given, escaped.
    pub shown: String,
    /// The name already recorded, escaped.
    pub other: String,
}

/// Refuses a keyholder name that looks like one of `others` without being it.
pub fn check_keyholder_distinct<'a>(
    name: &str,
    others: impl IntoIterator<Item = &'a str>,
) -> Result<(), KeyholderClash> {
    let (folded, skeleton) = (fold(name), keyholder_skeleton(name));
    for other in others {
        if other != name && (fold(other) == folded || keyholder_skeleton(other) == skeleton) {
            return Err(KeyholderClash {
                shown: shown(name),
                other: shown(other),
            });
        }
    }
    Ok(())
}

/// What a keyholder's name looks like, for comparing two names (after Unicode's
/// confusable "skeletons", UTS #39, on the letters a signing screen shows most): invisible
/// characters and combining marks dropped, accented Latin letters as their base letter,
/// fullwidth forms as ASCII, Cyrillic and Greek letters that look Latin as those, l, I, |
/// and 1 as one letter, 0 as o, "rn" as "m", any run of spaces as one, all in lower case.
pub fn keyholder_skeleton(name: &str) -> String {
    let mut mapped = String::with_capacity(name.len());
    for c in name.chars() {
        let code = u32::from(c);
        if is_space(c) {
            mapped.push(' ');
        } else if is_invisible(c) || is_combining(code) {
            continue;
        } else if let Some(base) = latin_base(code) {
            mapped.push(base);
        } else if (0xFF01..=0xFF5E).contains(&code) {
            mapped.extend(char::from_u32(code - 0xFEE0));
        } else if c == 'I' {
            mapped.push('l');
        } else if let Some(ascii) = CONFUSABLES
            .iter()
            .find_map(|(from, to)| from.chars().zip(to.chars()).find(|(f, _)| *f == c))
        {
            mapped.push(ascii.1);
        } else {
            mapped.push(c);
        }
    }
    let folded = fold(&mapped);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let c = match c {
            // 1, | and a dotless i look like l (capital I was made l before folding).
            '1' | '|' | '\u{131}' => 'l',
            '0' => 'o',
            _ => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().replace("rn", "m").replace("vv", "w")
}

/// Spaces other than ' ' (no-break, em, ideographic, …): shown as a space.
fn is_space(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00A0 | 0x1680 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000
    ) || c.is_whitespace()
}

/// Combining marks (accents put on the letter before them).
fn is_combining(code: u32) -> bool {
    matches!(code, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The base letter of an accented Latin letter (Latin-1 Supplement and Latin Extended-A):
/// "é" and "e" followed by a combining acute look the same; '*' in the tables keeps the
/// letter as it is (æ, ß, þ, ×).
fn latin_base(code: u32) -> Option<char> {
    const LATIN_1: &str = "aaaaaa*ceeeeiiiidnooooo*ouuuuy**aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";
    const EXTENDED_A: &str = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    let base = match code {
        0xC0..=0xFF => LATIN_1.as_bytes()[(code - 0xC0) as usize],
        0x100..=0x17F => EXTENDED_A.as_bytes()[(code - 0x100) as usize],
        _ => return None,
    };
    (base != b'*').then_some(char::from(base))
}

/// Letters of other scripts that look like a Latin letter (UTS #39 confusables, the ones
/// fonts draw alike): each letter of the first string looks like the letter at the same
/// place in the second.
const CONFUSABLES: [(&str, &str); 3] = [
    // Cyrillic
    (
        "\u{430}\u{432}\u{435}\u{43a}\u{43c}\u{43d}\u{43e}\u{440}\u{441}\u{442}\u{443}\u{445}\u{455}\u{456}\u{458}\u{501}\u{51b}\u{51d}\u{4bb}\u{4cf}\u{44c}\u{410}\u{412}\u{415}\u{41a}\u{41c}\u{41d}\u{41e}\u{420}\u{421}\u{422}\u{425}\u{423}\u{405}\u{406}\u{408}\u{4c0}",
        "abekmhopctyxsijdqwhlbABEKMHOPCTXYSlJl",
    ),
    // Greek
    (
        "\u{3b1}\u{3bf}\u{3c1}\u{3bd}\u{3b9}\u{3ba}\u{3c5}\u{391}\u{392}\u{395}\u{396}\u{397}\u{399}\u{39a}\u{39c}\u{39d}\u{39f}\u{3a1}\u{3a4}\u{3a5}\u{3a7}",
        "aopvikuABEZHlKMNOPTYX",
    ),
    // Latin alpha, script g, script l; Armenian o
    (
        "\u{251}\u{261}\u{585}\u{2113}",
        "agol",
    ),
];

/// Characters that show nothing or change how the text around them is shown: format
/// characters (Unicode category Cf: zero-width, bidirectional controls, tags), variation
/// selectors, fillers and spaces other than ' '.
fn is_invisible(c: char) -> bool {
    matches!(u32::from(c),
        0x00A0 | 0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x1680 | 0x17B4 | 0x17B5
        | 0x180B..=0x180F | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F
        | 0x2800 | 0x3000 | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF9..=0xFFFB
        | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// A name as shown in a message: printable ASCII as is, anything else escaped (`\n`,
/// `\u{202e}`), so a hostile name cannot move the cursor or reorder the line; cut after
/// 64 characters.
pub fn shown(name: &str) -> String {
    const SHOW: usize = 64;
    let mut out = String::new();
    for c in name.chars().take(SHOW) {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    let count = name.chars().count();
    if count > SHOW {
        out.push_str(&format!("… ({count} characters)"));
    }
    out
}

/// A PEP 503 normalised project name (PEP 480's claimed role is keyed by project): lower case, runs of `-`, `_`, `.` as one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(ch.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str) -> Rule {
        RoleName::parse(name).unwrap_err().rule
    }

    #[test]
    fn real_world_role_names_are_accepted() {
        for name in [
            "claimed",
            "recently-claimed",
            "unclaimed",
            "bins-0f",
            "bin-00",
            "registry.npmjs.org",
            "Foo_Bar",
            "zope.interface",
            "a",
            "123",
            "v1.2",
            "role with spaces",
        ] {
            let r = RoleName::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(r.as_str(), name);
            assert_eq!(r.file_name(), format!("{name}.json"));
        }
        let longest = "a".repeat(MAX_NAME_BYTES);
        assert!(RoleName::parse(&longest).is_ok());
        // The longest name's versioned file at the largest version fits a file name.
        let file = RoleName::parse(&longest)
            .unwrap()
            .versioned_file_name(u64::MAX);
        assert!(file.len() <= 255, "{}", file.len());
    }

    #[test]
    fn top_level_roles_only_under_their_own_names() {
        for top in TOP_LEVEL {
            assert_eq!(RoleName::parse(top).unwrap().as_str(), top);
            assert!(RoleName::parse(top).unwrap().is_top_level());
            assert_eq!(
                RoleName::parse_delegated(top).unwrap_err().rule,
                Rule::TopLevel(TOP_LEVEL.iter().find(|t| **t == top).unwrap())
            );
        }
        assert_eq!(rule("Root"), Rule::TopLevel("root"));
        assert_eq!(rule("TARGETS"), Rule::TopLevel("targets"));
        assert!(!RoleName::parse("claimed").unwrap().is_top_level());
        assert_eq!(
            RoleName::ROOT.require_delegated().unwrap_err().rule,
            Rule::TopLevel("root")
        );
        assert!(RoleName::CLAIMED.require_delegated().is_ok());
    }

    #[test]
    fn paths_are_refused() {
        assert_eq!(rule("../x"), Rule::Separator('/'));
        assert_eq!(rule("../repo/claimed"), Rule::Separator('/'));
        assert_eq!(rule("a\\b"), Rule::Separator('\\'));
        assert_eq!(rule("/etc/passwd"), Rule::Separator('/'));
        assert_eq!(rule("."), Rule::DotFirst);
        assert_eq!(rule(".."), Rule::DotFirst);
        assert_eq!(rule(".hidden"), Rule::DotFirst);
        assert_eq!(rule(""), Rule::Empty);
    }

    #[test]
    fn the_tools_own_files_and_versioned_names_are_refused_in_any_case() {
        for own in RESERVED {
            assert_eq!(rule(own), Rule::Reserved(own));
            assert_eq!(rule(&own.to_uppercase()), Rule::Reserved(own));
        }
        assert_eq!(rule("Ceremony"), Rule::Reserved("ceremony"));
        assert_eq!(rule("1.root"), Rule::Versioned);
        assert_eq!(rule("2.claimed"), Rule::Versioned);
        assert_eq!(rule("0012.x"), Rule::Versioned);
        assert!(RoleName::parse("1a.root").is_ok());
        assert!(RoleName::parse("v1.root").is_ok());
        assert_eq!(rule("con"), Rule::WindowsDevice("con"));
        assert_eq!(rule("NUL.x"), Rule::WindowsDevice("nul"));
        assert_eq!(rule("com1"), Rule::WindowsDevice("com1"));
        assert!(RoleName::parse("console").is_ok());
    }

    #[test]
    fn names_too_long_for_a_file_are_refused() {
        let name = "a".repeat(251);
        assert_eq!(rule(&name), Rule::TooLong { bytes: 251 });
        assert_eq!(
            rule(&"a".repeat(MAX_NAME_BYTES + 1)),
            Rule::TooLong {
                bytes: MAX_NAME_BYTES + 1
            }
        );
        let e = RoleName::parse(&name).unwrap_err().to_string();
        assert!(e.contains("251 bytes") && e.contains("200 bytes"), "{e}");
        assert!(e.contains("(251 characters)"), "the name is cut: {e}");
    }

    #[test]
    fn invisible_and_file_system_hostile_characters_are_refused() {
        for (name, c) in [
            ("clai\u{202e}med", '\u{202e}'),
            ("claimed\u{200b}", '\u{200b}'),
            ("cl\u{0430}imed", '\u{0430}'),
            ("a\u{0}b", '\u{0}'),
            ("a\nb", '\n'),
            ("a\tb", '\t'),
            ("a\u{7f}", '\u{7f}'),
            ("e\u{301}", '\u{301}'),
            ("\u{feff}x", '\u{feff}'),
        ] {
            assert_eq!(
                rule(name),
                Rule::NotPrintableAscii(c),
                "{}",
                name.escape_debug()
            );
        }
        for c in NOT_IN_FILE_NAMES {
            assert_eq!(rule(&format!("a{c}b")), Rule::NotInFileNames(c));
        }
        assert_eq!(rule("claimed "), Rule::SpaceAtEdge);
        assert_eq!(rule(" claimed"), Rule::SpaceAtEdge);
        assert_eq!(rule("claimed."), Rule::DotLast);
        assert_eq!(rule("-rf"), Rule::DashFirst);
    }

    #[test]
    fn messages_escape_the_name_and_say_what_to_do() {
        let e = RoleName::parse("a\u{202e}\u{1b}[2J\"b").unwrap_err();
        let text = e.to_string();
        assert!(
            !text.contains('\u{202e}') && !text.contains('\u{1b}'),
            "{text}"
        );
        assert!(text.contains("a\\u{202e}\\u{1b}[2J\\\"b"), "{text}");
        assert!(text.contains("U+202E"), "{text}");
        assert!(text.contains("invisible or text-direction"), "{text}");
        assert!(
            text.contains("registry.npmjs.org"),
            "suggests good names: {text}"
        );
        let e = RoleName::parse("../x").unwrap_err().to_string();
        assert!(e.contains("\"../x\"") && e.contains("never a path"), "{e}");
    }

    #[test]
    fn names_equal_after_case_folding_clash() {
        let roles = ["root", "targets", "claimed"];
        let clash = check_distinct(NameKind::Role, "Claimed", roles, "a role here").unwrap_err();
        assert_eq!(clash.other, "claimed");
        assert!(clash.to_string().contains("only in letter case"));
        assert!(check_distinct(NameKind::Role, "claimed", roles, "here").is_ok());
        assert!(check_distinct(NameKind::Role, "claimed-2", roles, "here").is_ok());
        // Folding as wide as any file system's: the Kelvin sign and ß.
        assert!(check_distinct(NameKind::Role, "kelvin", ["\u{212a}elvin"], "here").is_err());
        assert!(check_distinct(NameKind::Role, "strasse", ["STRASSE"], "here").is_err());
        assert_eq!(fold("stra\u{df}e"), "strasse");
    }

    #[test]
    fn project_names_are_pep_508_names_that_fit_a_file() {
        for name in [
            "requests",
            "Foo_Bar",
            "zope.interface",
            "a",
            "1password",
            "lock",
            "policy",
        ] {
            check_project_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let r = |n: &str| check_project_name(n).unwrap_err().rule;
        assert_eq!(r("../x"), Rule::Separator('/'));
        assert_eq!(r("x\u{202e}"), Rule::NotPrintableAscii('\u{202e}'));
        assert_eq!(r("foo."), Rule::NotProjectName);
        assert_eq!(r(".foo"), Rule::NotProjectName);
        assert_eq!(r("-foo"), Rule::NotProjectName);
        assert_eq!(r("a b"), Rule::NotProjectName);
        assert_eq!(r("1.root"), Rule::Versioned);
        assert_eq!(r("Root"), Rule::TopLevel("root"));
        assert_eq!(r("snapshot"), Rule::TopLevel("snapshot"));
        assert_eq!(r(&"p".repeat(251)), Rule::TooLong { bytes: 251 });
        assert_eq!(r(""), Rule::Empty);
    }

    /// Two keyholders whose names a person could take for one another are refused, naming
    /// both (escaped, so the difference shows); distinct names, and the same name again,
    /// are not.
    #[test]
    fn keyholder_names_that_look_alike_clash() {
        let recorded = ["alice", "bob", "Jos\u{e9}"];
        for alike in [
            "\u{430}lice",
            "Alice",
            "ALICE",
            "a1ice",
            "alIce",
            "al\u{ed}ce",
            "alice\u{200b}",
            "\u{ff41}lice",
            "b\u{43e}b",
            "Jose\u{301}",
            "JOSE",
        ] {
            let e = check_keyholder_distinct(alike, recorded).unwrap_err();
            assert!(recorded.iter().any(|r| shown(r) == e.other), "{e}");
            assert_eq!(e.shown, shown(alike));
            let said = e.to_string();
            assert!(said.contains("look alike"), "{said}");
            assert!(!said.contains('\u{430}'), "the name is escaped: {said}");
        }
        for distinct in [
            "alice",
            "alicia",
            "bobby",
            "carol",
            "\u{738b}",
            "Josefa",
            "dave smith",
        ] {
            check_keyholder_distinct(distinct, recorded)
                .unwrap_or_else(|e| panic!("{distinct}: {e}"));
        }
        assert_eq!(
            keyholder_skeleton("  Dave\u{2003}\u{2003}Smith "),
            "dave smith"
        );
        assert_eq!(keyholder_skeleton("ma\u{ef}rn"), "maim");
    }

    /// The accent tables cover their blocks letter for letter.
    #[test]
    fn accented_latin_letters_have_their_base_letter() {
        for (c, base) in [
            ('\u{c0}', Some('a')),
            ('\u{e9}', Some('e')),
            ('\u{d7}', None),
            ('\u{ff}', Some('y')),
            ('\u{141}', Some('l')),
            ('\u{144}', Some('n')),
            ('\u{15a}', Some('s')),
            ('\u{174}', Some('w')),
            ('\u{17e}', Some('z')),
            ('\u{17f}', Some('s')),
            ('\u{153}', None),
        ] {
            assert_eq!(latin_base(u32::from(c)), base, "{}", c.escape_unicode());
        }
        assert_eq!(latin_base(0x180), None);
        for (from, to) in CONFUSABLES {
            assert_eq!(from.chars().count(), to.chars().count(), "{to}");
            assert!(to.is_ascii() && !from.is_ascii(), "{to}");
        }
    }

    /// Online keys are named by the role they sign; the name earlier versions recorded is
    /// still one.
    #[test]
    fn online_key_names() {
        assert_eq!(online_key_name("snapshot"), "snapshot online key");
        assert!(is_online_key_name("timestamp online key"));
        assert!(is_online_key_name(LEGACY_ONLINE_KEY_NAME));
        assert!(!is_online_key_name("alice"));
    }

    #[test]
    fn a_shown_name_is_escaped_and_cut() {
        assert_eq!(shown("claimed"), "claimed");
        assert_eq!(shown("a\"b\\c"), "a\\\"b\\\\c");
        assert_eq!(shown("\u{202e}"), "\\u{202e}");
        assert!(shown(&"x".repeat(1000)).ends_with("… (1000 characters)"));
    }
}
