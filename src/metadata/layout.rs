//! Another tool's layout of a metadata file, kept so that co-signing the file changes
//! nothing in it but the signature added.
//!
//! tuf-on-ci, RSTUF and python-tuf each write metadata their own way (python-tuf's
//! `JSONSerializer`: one-space indentation and no final newline; tuf-on-ci lists the
//! signatures in the order of the role's keyholders, with an empty `"sig": ""` placeholder
//! for each one still to sign). Their signing workflows review a signing event as a diff, so
//! a keyholder's signature must show as that one line, not as a file rewritten. A file this
//! tool did not write therefore keeps its bytes ([`Layout`]), and writing it again changes
//! only its `signatures` array, in place:
//!
//! - a signature by a keyid already listed (a placeholder filled, a signature made again)
//!   replaces the `sig` string where it stands;
//! - a signature by a new keyid is appended, laid out like the ones before it (or, in an
//!   empty array, with the file's own indentation and line ends);
//! - a signature no longer held is removed with its separator;
//! - every other byte is kept.
//!
//! What is written must read back as exactly the model held ([`Layout::write`] checks it by
//! loading the result); when it does not (the signed part was edited, say), the file is
//! written in this tool's own layout instead. Files this tool wrote keep no layout at all.

use super::{Metadata, Signature};
use crate::json::{self, Value};
use std::fmt;
use std::sync::Arc;

/// Files larger than this are not kept byte for byte: another tool's signing event is a few
/// kilobytes, and keeping (and comparing) a PyPI-scale file would double what a load holds.
pub const KEPT_LAYOUT_MAX: usize = 4 << 20;

/// The bytes a metadata file was read from, when it is not in this tool's own layout (see
/// the module comment). Formatting is not part of what metadata means: two models that
/// differ only in their layout are equal.
#[derive(Clone, Default)]
pub struct Layout(Option<Arc<[u8]>>);

impl PartialEq for Layout {
    fn eq(&self, _: &Layout) -> bool {
        true
    }
}

impl Eq for Layout {}

impl fmt::Debug for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("Layout(own)"),
            Some(b) => write!(f, "Layout(kept, {} bytes)", b.len()),
        }
    }
}

impl Layout {
    /// The layout of `bytes`, read as `md`: kept when this tool would write `md` otherwise
    /// and the file is small enough ([`KEPT_LAYOUT_MAX`]).
    pub(super) fn of(md: &Metadata, bytes: &[u8]) -> Layout {
        if bytes.len() > KEPT_LAYOUT_MAX || writes_as(md, bytes) {
            return Layout(None);
        }
        Layout(Some(Arc::from(bytes)))
    }

    /// Whether the file this came from is kept in its own layout.
    pub fn is_kept(&self) -> bool {
        self.0.is_some()
    }

    /// `md` written in the kept layout: the file as read, with its `signatures` array made
    /// to hold `md`'s signatures. `None` when no layout is kept, or when the result would
    /// not read back as `md` (then the caller writes its own layout).
    pub(super) fn write(&self, md: &Metadata) -> Option<Vec<u8>> {
        let bytes = self.0.as_deref()?;
        let out = splice(bytes, &md.signatures)?;
        let back = Metadata::load(out.clone()).ok()?;
        (back.metadata == *md).then_some(out)
    }
}

/// Whether this tool's own layout of `md` is exactly `bytes` (compared piece by piece as it
/// is written, so nothing the size of the file is allocated).
fn writes_as(md: &Metadata, bytes: &[u8]) -> bool {
    let (mut at, mut same) = (0usize, true);
    md.write_own_to(&mut |piece: &[u8]| {
        same = same && bytes.get(at..at + piece.len()) == Some(piece);
        at += piece.len();
    });
    same && at == bytes.len()
}

/// One signature object in the file's `signatures` array.
struct Item {
    /// The object's span, braces included.
    start: usize,
    end: usize,
    keyid: String,
    /// The spans of the `keyid` and `sig` string tokens, quotes included.
    keyid_at: (usize, usize),
    sig_at: (usize, usize),
    /// It has no member but `keyid` and `sig` (a template for a new signature).
    plain: bool,
}

/// Where the `signatures` array is and how the file lays out its members.
struct Found {
    /// The positions of the array's `[` and `]`.
    open: usize,
    close: usize,
    items: Vec<Item>,
    /// Between a member's name and its value in the top-level object (`": "`).
    colon: Vec<u8>,
    /// Between the top-level object's first two members (`",\n "`, `", "`, `","`).
    member_sep: Vec<u8>,
    /// The indentation of the top-level object's first member (one level), if the object
    /// puts its members on lines of their own.
    unit: Option<Vec<u8>>,
}

/// A span scanner over a document already read strictly (`json::parse_tree`): it only finds
/// where things are, and gives up (`None`) on anything it does not expect.
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// A string token; its span, quotes included.
    fn string(&mut self) -> Option<(usize, usize)> {
        let start = self.i;
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some((start, self.i));
                }
                _ => self.i += 1,
            }
        }
    }

    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.object(|s, _| s.value()),
            b'[' => self.array(|s| s.value()),
            _ => {
                let start = self.i;
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.i += 1;
                }
                (self.i > start).then_some(())
            }
        }
    }

    /// An object: `member` is called with each name's span once the colon is passed, and
    /// must read the value.
    fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, (usize, usize)) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let name = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            member(self, name)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            item(self)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

/// The text of a string token.
fn text(b: &[u8], (start, end): (usize, usize)) -> Option<String> {
    serde_json::from_slice(&b[start..end]).ok()
}

/// Finds the top-level `signatures` array and the file's layout.
fn find(b: &[u8]) -> Option<Found> {
    let mut s = Scan { b, i: 0 };
    s.ws();
    let top = s.i;
    let (mut array, mut colon, mut member_sep, mut first_key) = (None, None, None, None);
    let mut previous_end = None;
    s.object(|s, name| {
        if first_key.is_none() {
            first_key = Some(name.0);
            colon = Some(b[name.1..s.i].to_vec());
        } else if member_sep.is_none() {
            member_sep = previous_end.map(|end: usize| b[end..name.0].to_vec());
        }
        if text(b, name)? == "signatures" {
            array = Some(signatures(s)?);
        } else {
            s.value()?;
        }
        previous_end = Some(s.i);
        Some(())
    })?;
    s.ws();
    if s.i != b.len() {
        return None;
    }
    let (open, close, items) = array?;
    let lead = &b[top + 1..first_key?];
    let unit = lead
        .iter()
        .rposition(|&c| c == b'\n')
        .map(|nl| lead[nl + 1..].to_vec());
    Some(Found {
        open,
        close,
        items,
        colon: colon?,
        member_sep: member_sep?,
        unit,
    })
}

/// The `signatures` array at the scanner: its `[` and `]`, and each signature object.
fn signatures(s: &mut Scan) -> Option<(usize, usize, Vec<Item>)> {
    let b = s.b;
    let open = s.i;
    let mut items = Vec::new();
    s.array(|s| {
        let start = s.i;
        let (mut keyid, mut sig, mut plain) = (None, None, true);
        s.object(|s, name| {
            match text(b, name)?.as_str() {
                "keyid" => {
                    let at = s.string()?;
                    keyid = Some((text(b, at)?, at));
                }
                "sig" => sig = Some(s.string()?),
                _ => {
                    plain = false;
                    s.value()?;
                }
            }
            Some(())
        })?;
        let (keyid, keyid_at) = keyid?;
        items.push(Item {
            start,
            end: s.i,
            keyid,
            keyid_at,
            sig_at: sig?,
            plain,
        });
        Some(())
    })?;
    Some((open, s.i - 1, items))
}

/// The indentation of the line `at` is on.
fn indent_of(b: &[u8], at: usize) -> &[u8] {
    let line = b[..at]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |n| n + 1);
    let end = b[line..at]
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .map_or(at, |n| line + n);
    &b[line..end]
}

/// A JSON string token.
fn token(s: &str) -> Vec<u8> {
    json::compact(&Value::str(s)).into_bytes()
}

/// What the written array holds at one place.
enum Out<'s> {
    /// The file's signature `items[i]`, now `sig`.
    Kept(usize, &'s Signature),
    /// A signature the file does not hold yet.
    Added(&'s Signature),
}

/// `b` with its `signatures` array holding `signatures`, every other byte unchanged (see
/// the module comment). `None` if that cannot be done in place: a kept signature would move
/// (the order of signatures is kept), one is added before one kept, or a kept signature's
/// other members changed.
fn splice(b: &[u8], signatures: &[Signature]) -> Option<Vec<u8>> {
    let found = find(b)?;
    let items = &found.items;
    let mut plan: Vec<Out> = Vec::with_capacity(signatures.len());
    let (mut next, mut adding) = (0, false);
    for sig in signatures {
        match items.iter().position(|it| it.keyid == sig.keyid) {
            Some(i) if !adding && i >= next && same_members(b, &items[i], sig)? => {
                plan.push(Out::Kept(i, sig));
                next = i + 1;
            }
            Some(_) => return None,
            None => {
                adding = true;
                plan.push(Out::Added(sig));
            }
        }
    }
    let nl: &[u8] = if b.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let unit = found.unit.as_deref();
    // The separators of the array: before the first item, between two, after the last.
    let (lead, sep, trail, item_indent): (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) =
        match (items.first(), items.last()) {
            (Some(first), Some(last)) => {
                let lead = b[found.open + 1..first.start].to_vec();
                let indent = indent_of(b, first.start).to_vec();
                let sep = match items.get(1) {
                    Some(second) => b[first.end..second.start].to_vec(),
                    None if lead.contains(&b'\n') => [b",", nl, &indent].concat(),
                    None => found.member_sep.clone(),
                };
                (lead, sep, b[last.end..found.close].to_vec(), indent)
            }
            _ => match unit {
                Some(unit) => {
                    let base = indent_of(b, found.open);
                    let indent = [base, unit].concat();
                    (
                        [nl, &indent].concat(),
                        [b",", nl, &indent].concat(),
                        [nl, base].concat(),
                        indent,
                    )
                }
                None => (Vec::new(), found.member_sep.clone(), Vec::new(), Vec::new()),
            },
        };
    let template = items.iter().find(|it| it.plain);
    let mut out = Vec::with_capacity(b.len() + 256);
    out.extend_from_slice(&b[..=found.open]);
    if plan.is_empty() {
        if items.is_empty() {
            out.extend_from_slice(&b[found.open + 1..found.close]);
        }
    } else {
        out.extend_from_slice(&lead);
    }
    for (k, o) in plan.iter().enumerate() {
        if k > 0 {
            match (&plan[k - 1], o) {
                (Out::Kept(a, _), Out::Kept(c, _)) if *c == a + 1 => {
                    out.extend_from_slice(&b[items[*a].end..items[*c].start]);
                }
                _ => out.extend_from_slice(&sep),
            }
        }
        match o {
            Out::Kept(i, sig) => {
                let it = &items[*i];
                if text(b, it.sig_at)? == sig.sig {
                    out.extend_from_slice(&b[it.start..it.end]);
                } else {
                    out.extend_from_slice(&b[it.start..it.sig_at.0]);
                    out.extend(token(&sig.sig));
                    out.extend_from_slice(&b[it.sig_at.1..it.end]);
                }
            }
            Out::Added(sig) => match template.filter(|_| sig.extra.is_empty()) {
                Some(t) => out.extend(from_template(b, t, sig)),
                None => out.extend(rendered(sig, &found, nl, unit, &item_indent)),
            },
        }
    }
    if !plan.is_empty() {
        out.extend_from_slice(&trail);
    }
    out.extend_from_slice(&b[found.close..]);
    Some(out)
}

/// Whether `sig` has the members besides `keyid` and `sig` that the file's `item` has.
fn same_members(b: &[u8], item: &Item, sig: &Signature) -> Option<bool> {
    if item.plain {
        return Some(sig.extra.is_empty());
    }
    let Value::Object(mut members) = json::parse(&b[item.start..item.end]).ok()? else {
        return None;
    };
    members.remove("keyid");
    members.remove("sig");
    Some(members == sig.extra)
}

/// A new signature laid out as the file's signature `t` is: its text with the keyid and the
/// signature put in.
fn from_template(b: &[u8], t: &Item, sig: &Signature) -> Vec<u8> {
    let mut spans = [(t.keyid_at, token(&sig.keyid)), (t.sig_at, token(&sig.sig))];
    spans.sort_by_key(|(at, _)| at.0);
    let mut out = Vec::new();
    let mut from = t.start;
    for ((start, end), new) in spans {
        out.extend_from_slice(&b[from..start]);
        out.extend(new);
        from = end;
    }
    out.extend_from_slice(&b[from..t.end]);
    out
}

/// A new signature in the file's indentation, line ends and separators (members in key
/// order, as TUF tools write them; the values of members besides `keyid` and `sig` on one
/// line).
fn rendered(
    sig: &Signature,
    found: &Found,
    nl: &[u8],
    unit: Option<&[u8]>,
    indent: &[u8],
) -> Vec<u8> {
    let mut members: Vec<(&str, Vec<u8>)> =
        vec![("keyid", token(&sig.keyid)), ("sig", token(&sig.sig))];
    for (k, v) in sig.extra.iter() {
        if k != "keyid" && k != "sig" {
            members.push((k, json::compact(v).into_bytes()));
        }
    }
    members.sort_by(|a, c| a.0.cmp(c.0));
    let (open, sep, close) = match unit {
        Some(unit) => {
            let inner = [indent, unit].concat();
            (
                [b"{", nl, &inner].concat(),
                [b",", nl, &inner].concat(),
                [nl, indent, b"}"].concat(),
            )
        }
        None => (b"{".to_vec(), found.member_sep.clone(), b"}".to_vec()),
    };
    let mut out = open;
    for (i, (name, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(&sep);
        }
        out.extend(token(name));
        out.extend_from_slice(&found.colon);
        out.extend(value);
    }
    out.extend(close);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Object;

    const SIGNED: &str = r#"{"_type":"targets","expires":"2030-01-01T00:00:00Z","spec_version":"1.0.31","targets":{},"version":1}"#;

    fn sig(keyid: &str, sig: &str) -> Signature {
        Signature {
            keyid: keyid.into(),
            sig: sig.into(),
            extra: Object::new(),
        }
    }

    /// python-tuf's layout (one-space indentation, no final newline), signatures first as
    /// tuf-on-ci writes them.
    fn python_tuf(sigs: &[(&str, &str)]) -> String {
        let items: Vec<String> = sigs
            .iter()
            .map(|(k, s)| format!("  {{\n   \"keyid\": \"{k}\",\n   \"sig\": \"{s}\"\n  }}"))
            .collect();
        let array = if items.is_empty() {
            "[]".to_string()
        } else {
            format!("[\n{}\n ]", items.join(",\n"))
        };
        format!(
            "{{\n \"signatures\": {array},\n \"signed\": {{\n  \"_type\": \"targets\",\n  \"expires\": \"2030-01-01T00:00:00Z\",\n  \"spec_version\": \"1.0.31\",\n  \"targets\": {{}},\n  \"version\": 1\n }}\n}}"
        )
    }

    fn with(md: &Metadata, sigs: &[(&str, &str)]) -> Vec<u8> {
        let mut md = md.clone();
        md.signatures = sigs.iter().map(|(k, s)| sig(k, s)).collect();
        md.to_file_bytes()
    }

    /// A placeholder filled changes that line alone; a new signature is appended laid out
    /// like the others; one removed goes with its separator; each result is what python-tuf
    /// would write for the same signatures, byte for byte.
    #[test]
    fn another_tools_file_changes_only_in_its_signatures() {
        let file = python_tuf(&[("aa", "01"), ("bb", ""), ("cc", "")]);
        let md = Metadata::from_bytes(file.as_bytes()).unwrap();
        assert!(md.layout.is_kept());
        assert_eq!(md.to_file_bytes(), file.as_bytes());
        for sigs in [
            vec![("aa", "01"), ("bb", "02"), ("cc", "")],
            vec![("aa", "01"), ("bb", ""), ("cc", ""), ("dd", "04")],
            vec![("aa", "01"), ("cc", "")],
            vec![("bb", "")],
            vec![],
        ] {
            assert_eq!(with(&md, &sigs), python_tuf(&sigs).as_bytes(), "{sigs:?}");
        }
        // A signature moved before another is not written in place: the own layout is.
        let moved = with(&md, &[("cc", ""), ("aa", "01")]);
        assert_eq!(
            Metadata::from_bytes(&moved).unwrap().signatures[0].keyid,
            "cc"
        );
        assert!(moved.ends_with(b"}\n"));
    }

    /// An empty array gets the file's indentation and line ends; a compact file stays on
    /// one line; CRLF stays CRLF.
    #[test]
    fn an_empty_array_is_filled_in_the_files_own_layout() {
        let empty = python_tuf(&[]);
        let md = Metadata::from_bytes(empty.as_bytes()).unwrap();
        assert_eq!(
            with(&md, &[("aa", "01")]),
            python_tuf(&[("aa", "01")]).as_bytes()
        );

        let compact = format!(r#"{{"signatures": [], "signed": {SIGNED}}}"#);
        let md = Metadata::from_bytes(compact.as_bytes()).unwrap();
        let out = String::from_utf8(with(&md, &[("aa", "01"), ("bb", "02")])).unwrap();
        assert_eq!(
            out,
            format!(
                r#"{{"signatures": [{{"keyid": "aa", "sig": "01"}}, {{"keyid": "bb", "sig": "02"}}], "signed": {SIGNED}}}"#
            )
        );

        let crlf = python_tuf(&[("aa", "")]).replace('\n', "\r\n");
        let md = Metadata::from_bytes(crlf.as_bytes()).unwrap();
        let out = String::from_utf8(with(&md, &[("aa", "01"), ("bb", "02")])).unwrap();
        assert_eq!(
            out,
            python_tuf(&[("aa", "01"), ("bb", "02")]).replace('\n', "\r\n")
        );
    }

    /// Members besides keyid and sig (a Sigstore bundle) are kept where they are; a file
    /// this tool wrote keeps no layout; a model edited is written in the own layout.
    #[test]
    fn other_members_own_files_and_edits() {
        let file = "{\n  \"signed\": SIGNED,\n  \"signatures\": [\n    {\"keyid\": \"aa\", \"bundle\": {\"x\": [1, 2]}, \"sig\": \"\"}\n  ]\n}"
            .replace("SIGNED", SIGNED);
        let md = Metadata::from_bytes(file.as_bytes()).unwrap();
        let mut filled = md.clone();
        filled.signatures[0].sig = "01".into();
        assert_eq!(
            String::from_utf8(filled.to_file_bytes()).unwrap(),
            file.replace("\"sig\": \"\"", "\"sig\": \"01\"")
        );
        filled.signatures.push(sig("bb", "02"));
        assert_eq!(
            String::from_utf8(filled.to_file_bytes()).unwrap(),
            file.replace(
                "\"sig\": \"\"}",
                "\"sig\": \"01\"},\n    {\n      \"keyid\": \"bb\",\n      \"sig\": \"02\"\n    }"
            )
        );

        let own = md.to_value();
        let own = Metadata::from_bytes(&json::pretty(&own)).unwrap();
        assert!(!own.layout.is_kept());

        let mut edited = md.clone();
        edited.signed.common_mut().version = 2;
        let out = edited.to_file_bytes();
        assert_eq!(Metadata::from_bytes(&out).unwrap(), edited);
        assert!(out.ends_with(b"}\n") && out.starts_with(b"{\n \"signatures\""));
    }
}
