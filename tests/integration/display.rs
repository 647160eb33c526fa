//! What the keyholder sees is what they sign: strings from input (delegation paths and
//! names, keyids, a signature file's device and time, transcript fields, file names) are
//! shown escaped on every screen, in errors and in the reports, so none can move the
//! cursor, erase or draw a line, reorder or hide text. And `merge` records the keyholder
//! this ceremony knows for the key, never the name a signature file gives.

use crate::scene::{has, lacks, w};
use crate::util::{failed, ok, python, snapshot, Scene};
use std::process::{Command, Output};
use tuf_ceremony::json::{self, Value};

/// What an attacker writes into a value: back to the line start, up one line, erase it,
/// draw a false digest line, then hide everything after it; a C1 CSI; bidirectional
/// overrides and isolates; zero-width and other invisible characters.
const HOSTILE: &str = "x\r\u{1b}[1A\u{1b}[2K  payload     SHA-256 \
    0000000000000000000000000000000000000000000000000000000000000000\n\u{1b}[8m\u{9b}2J\
    \u{202e}\u{202a}\u{2066}\u{2069}\u{200e}\u{200f}\u{61c}\u{200b}\u{200c}\u{200d}\u{2060}\
    \u{feff}\u{85}\u{2028}";

/// The characters that must never reach a person raw (a list of its own, not the tool's):
/// C0 controls but the line feed between lines, DEL, C1 controls, bidirectional controls,
/// zero-width characters, line and paragraph separators.
fn forbidden(c: char) -> bool {
    let u = u32::from(c);
    (u < 0x20 && c != '\n')
        || (0x7F..=0x9F).contains(&u)
        || (0x202A..=0x202E).contains(&u)
        || (0x2066..=0x2069).contains(&u)
        || (0x200B..=0x200F).contains(&u)
        || [0x061C, 0x2060, 0xFEFF, 0x2028, 0x2029].contains(&u)
}

/// Asserts `text` holds no forbidden character.
fn assert_clean(what: &str, text: &str) {
    let raw: Vec<char> = text.chars().filter(|&c| forbidden(c)).collect();
    assert!(
        raw.is_empty(),
        "{what} shows {raw:?} raw:\n{}",
        text.escape_debug()
    );
}

fn clean_output(what: &str, out: &Output) {
    assert_clean(
        &format!("{what} (stdout)"),
        &String::from_utf8_lossy(&out.stdout),
    );
    assert_clean(
        &format!("{what} (stderr)"),
        &String::from_utf8_lossy(&out.stderr),
    );
}

/// `s` as a JSON string literal, to write into a file.
fn json_str(s: &str) -> String {
    json::compact(&Value::str(s))
}

/// A ceremony of alice and bob whose targets delegates claimed to path patterns that hold
/// [`HOSTILE`] (the patterns are the signed payload's own strings, not names the tool
/// could refuse).
fn hostile_ceremony(s: &Scene) {
    s.keygen(&["alice", "bob", "snapshot", "timestamp"]);
    s.init(&["alice", "bob"], 1);
    let text = s.read("c/targets.json");
    let plain = "\"paths\": [\n      \"*\"\n     ]";
    has(&text, plain);
    let hostile = format!(
        "\"paths\": [\"*\", {}, {}]",
        json_str(HOSTILE),
        json_str("a\\u{1b} b")
    );
    // A changed working file is brought in by `load`, which records it.
    s.reload_with(
        &[("targets.json", &text.replace(plain, &hostile))],
        &["alice=alice.pub.json", "bob=bob.pub.json"],
    );
}

fn run_with_input(s: &Scene, args: &[&str], input: &str) -> Output {
    s.run_input(args, input)
}

#[test]
fn a_hostile_delegation_path_cannot_forge_the_signing_screen() {
    let s = Scene::new();
    hostile_ceremony(&s);
    let digest = s.cmd("inspect --digest c/targets.json").trim().to_string();
    let out = run_with_input(&s, &w("-C c sign targets --signer file:alice.key"), "yes\n");
    let screen = ok(&out, "sign targets");
    clean_output("the signing screen", &out);
    // The one payload line is the real one; the false one stays inside the path, escaped.
    let payload_lines: Vec<&str> = screen
        .lines()
        .filter(|l| l.trim_start().starts_with("payload"))
        .collect();
    assert_eq!(
        payload_lines,
        [format!("  payload     SHA-256 {digest}").as_str()],
        "{screen}"
    );
    has(&screen, "  in words    ");
    assert!(
        screen.contains(
            "paths * x\\r\\u{1b}[1A\\u{1b}[2K\\u{20}\\u{20}payload\\u{20}\\u{20}\\u{20}\\u{20}\\u{20}SHA-256"
        ) && screen.contains("\\n\\u{1b}[8m\\u{9b}2J\\u{202e}\\u{202a}\\u{2066}"),
        "the path must be shown, escaped, where it stands:\n{screen}"
    );
    // A pattern that spells an escape is told apart from one that holds the character, and
    // a space inside a pattern from two patterns.
    has(&screen, " a\\\\u{1b}\\u{20}b");
    assert!(
        screen.contains("alice signed targets v1"),
        "the signature went ahead:\n{screen}"
    );

    for args in [
        &w("-C c changes targets")[..],
        &w("-C c status --changes --tree"),
        &w("-C c --json status"),
        &["inspect", "c/targets.json"],
        &w("inspect c/targets.json --tree"),
        &w("-C c transcript show"),
        &w("-C c verify"),
    ] {
        let out = s.run(args);
        clean_output(&format!("{args:?}"), &out);
        if args.contains(&"changes") {
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("x\\r\\u{1b}[1A\\u{1b}[2K"),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
    // Canonical bytes are exact when piped (this is how digests are compared).
    let canonical = s.cmd_run("inspect --canonical c/targets.json").stdout;
    assert!(canonical.windows(4).any(|w| w == b"x\r\x1b["));
}

/// A metadata file from anywhere, with a hostile delegation name, keyid and paths: `inspect`
/// shows it escaped, or refuses it with an escaped error.
#[test]
fn inspect_shows_a_hostile_file_escaped_or_refuses_it_cleanly() {
    let s = Scene::new();
    hostile_ceremony(&s);
    let keyid = keyid_of(&s, "alice");
    let text = s
        .read("c/targets.json")
        .replace(
            "\"name\": \"claimed\"",
            &format!(
                "\"name\": {}",
                json_str("claimed\u{202e}\u{2066}evil\u{200b}")
            ),
        )
        .replace(
            &json_str(&keyid),
            &json_str(&format!("{}{HOSTILE}", &keyid[..8])),
        );
    s.write("hostile.json", &text);
    let keys_and_paths = s.read("c/targets.json").replace(
        &json_str(&keyid),
        &json_str(&format!("{}{HOSTILE}", &keyid[..8])),
    );
    s.write("hostile-keyid.json", &keys_and_paths);
    for args in [
        &["inspect", "hostile.json"][..],
        &w("inspect hostile.json --tree"),
        &w("inspect hostile.json --delegator c/root.json"),
    ] {
        let out = s.run(args);
        clean_output(&format!("{args:?}"), &out);
        if out.status.success() {
            let shown = String::from_utf8_lossy(&out.stdout);
            assert!(
                shown.contains("claimed\\u{202e}\\u{2066}evil\\u{200b}"),
                "{args:?}:\n{shown}"
            );
        }
    }
    let out = s.cmd_run("inspect hostile-keyid.json");
    clean_output("inspect of a hostile keyid", &out);
    let shown = ok(&out, "inspect of a hostile keyid");
    has(&shown, &format!("  {}x\\r\\u{{1b}}[1A", &keyid[..8]));
    has(&shown, "paths * x\\r\\u{1b}[1A");
}

/// bob's detached signature file, signed in ceremony `c`; returns its text.
fn bob_signs_detached(s: &Scene, out: &str) -> String {
    s.c(&format!(
        "sign root --signer file:bob.key --yes --detached {out}"
    ));
    s.read(out)
}

fn keyid_of(s: &Scene, who: &str) -> String {
    s.keyid(&format!("{who}.pub.json"))
}

#[test]
fn merge_records_the_keyholder_of_the_key_not_the_name_in_the_file() {
    let s = Scene::ceremony(&["alice", "bob"], 2);
    let text = bob_signs_detached(&s, "bob.sig.json");
    let claim = "\"keyholder\": \"bob\"";
    has(&text, claim);
    // bob's valid signature, in a file that says alice made it. The signature covers the
    // metadata, not the file, so it still verifies.
    s.write(
        "spoofed.sig.json",
        &text.replace(claim, "\"keyholder\": \"alice\""),
    );
    let before = snapshot(&s.p("c"));
    let refused = s.c_fails("merge spoofed.sig.json", 4);
    let bob_keyid = keyid_of(&s, "bob");
    has(&refused, "spoofed.sig.json");
    has(&refused, "the file says alice signed");
    has(&refused, "recorded in this ceremony as bob's");
    has(&refused, &bob_keyid[..8]);
    has(&refused, "nothing was merged");
    assert_eq!(
        before,
        snapshot(&s.p("c")),
        "a refused merge changes nothing"
    );
    // Among other files, it stops them all.
    let refused = s.c_fails("merge bob.sig.json spoofed.sig.json", 4);
    has(&refused, "the file says alice signed");
    assert_eq!(before, snapshot(&s.p("c")));

    // The honest file merges, and bob is who the records name.
    let merged = s.c("merge bob.sig.json");
    has(&merged, "merged bob's signature on root v1");
    let shown = s.c("transcript show");
    let merge_line = shown.lines().find(|l| l.contains(" merge ")).unwrap();
    assert!(merge_line.contains("by bob "), "{shown}");
    let status = s.c("status");
    has(&status, "signed:  bob");
    s.c("report --out report.md");
    assert!(s.read("report.md").contains("| root | 1 | bob |"));
}

#[test]
fn merge_refuses_a_signature_by_a_key_nobody_is_recorded_for() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "dave", "snapshot", "timestamp"]);
    s.init(&["alice", "bob"], 1);
    // dave's key is added without a name: only his key file says who he is.
    s.c("root add-key root dave.pub.json");
    s.c("sign root --signer file:dave.key --yes --detached dave.sig.json");
    let before = snapshot(&s.p("c"));
    let refused = s.c_fails("merge dave.sig.json", 4);
    has(&refused, "records no keyholder for that key");
    has(&refused, "(dave)");
    has(&refused, "--keyholder NAME=PUBFILE");
    assert_eq!(before, snapshot(&s.p("c")));
    // What the refusal advises works.
    s.c("load c/root.json --keyholder dave=dave.pub.json");
    let merged = s.c("merge dave.sig.json");
    has(&merged, "merged dave's signature");
}

/// A signature file's `device` and `signed_at` are its maker's word: the transcript keeps
/// them, and `transcript show` and both reports show them escaped, without letting them
/// break the Markdown table or add HTML. A `signed_at` that is not a time is refused.
#[test]
fn a_signature_files_device_and_time_are_shown_escaped_everywhere() {
    let s = Scene::ceremony(&["alice", "bob"], 2);
    let text = bob_signs_detached(&s, "bob.sig.json");
    let v = json::parse(text.as_bytes()).unwrap();
    let when = v.get("signed_at").and_then(Value::as_str).unwrap();
    let device = v.get("device").unwrap();
    let description = device.get("description").and_then(Value::as_str).unwrap();
    let kind = device.get("kind").and_then(Value::as_str).unwrap();
    let markup = "| x | <img src=x onerror=alert(1)> &#x202E; `code` **b** [l](javascript:x)";
    let hostile_time = text.replace(
        &json_str(when),
        &json_str(&format!("{when}{HOSTILE}{markup}")),
    );
    assert_ne!(hostile_time, text);
    s.write("bob.sig.json", &hostile_time);
    let refused = failed(&s.c_run("merge bob.sig.json"), 3, "merge");
    has(&refused, "\"signed_at\" must be a UTC time");
    let hostile = text
        .replace(
            &json_str(description),
            &json_str(&format!("evil{HOSTILE}{markup}")),
        )
        .replace(&json_str(kind), &json_str(&format!("{kind}{HOSTILE}")));
    assert_ne!(hostile, text);
    s.write("bob.sig.json", &hostile);
    let merged = s.c_run("merge bob.sig.json");
    ok(&merged, "merge");
    clean_output("merge", &merged);
    s.sign("root", "alice");

    let out = s.c_run("transcript show");
    clean_output("transcript show", &out);
    let shown = String::from_utf8_lossy(&out.stdout);
    has(&shown, "by bob with evilx\\r\\u{1b}[1A\\u{1b}[2K");
    let out = s.c_run("transcript verify");
    ok(&out, "transcript verify");

    s.c("report --out report.md");
    let md = s.read("report.md");
    assert_clean("report.md", &md);
    let digest = s.cmd("inspect --digest c/root.json").trim().to_string();
    has(&md, &format!("| `{digest}`<br>"));
    // Every row of the signers' table has its 8 cell borders: no value adds a cell or a row.
    let table: Vec<&str> = md
        .split("## Who signed")
        .nth(1)
        .unwrap()
        .lines()
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(table.len(), 4, "{md}");
    for row in &table {
        let borders = row
            .char_indices()
            .filter(|&(i, c)| c == '|' && (i == 0 || row.as_bytes()[i - 1] != b'\\'))
            .count();
        assert_eq!(borders, 8, "{row}");
    }
    has(&md, "\\<img src=x onerror=alert(1)\\> \\&#x202E; \\`code\\` \\*\\*b\\*\\* \\[l\\](javascript:x)");

    s.c("report --out report.html");
    let html = s.read("report.html");
    assert_clean("report.html", &html);
    lacks(&html, "<img");
    has(&html, &format!("<code>{digest}</code>"));
    has(&html, "evilx\\r\\u{1b}[1A\\u{1b}[2K");
    has(&html, "&lt;img src=x");
}

/// A signature file's device description is its maker's word: the report shows it quoted
/// as the file's, so a description that reads like an attestation verdict never passes for
/// the verdict the tool itself records after it.
#[test]
fn a_device_description_cannot_pass_for_an_attestation_in_the_report() {
    let s = Scene::ceremony(&["alice", "bob"], 2);
    let text = bob_signs_detached(&s, "bob.sig.json");
    let v = json::parse(text.as_bytes()).unwrap();
    let device = v.get("device").unwrap();
    let description = device.get("description").and_then(Value::as_str).unwrap();
    let fake = "YubiHSM 2; attested: YubiHSM 2 serial 7550040, generated on the device";
    s.write(
        "bob.sig.json",
        &text.replace(&json_str(description), &json_str(fake)),
    );
    s.c("merge bob.sig.json");
    s.sign("root", "alice");
    s.c("report --out report.md");
    let md = s.read("report.md");
    let row = md
        .lines()
        .find(|l| l.starts_with("| root") && l.contains("| bob |"))
        .unwrap_or_else(|| panic!("no row for bob:\n{md}"));
    has(
        row,
        &format!("as its signature file describes it: \"{fake}\"; not attested"),
    );
    // alice signed here with a key file: her description is the tool's own, unquoted.
    let alice = md
        .lines()
        .find(|l| l.starts_with("| root") && l.contains("| alice |"))
        .unwrap_or_else(|| panic!("no row for alice:\n{md}"));
    lacks(alice, "signature file");
}

/// Errors name the file, keyid or name they are about: escaped too.
#[test]
fn errors_naming_hostile_files_keyids_and_names_are_escaped() {
    let s = Scene::ceremony(&["alice", "bob"], 2);
    let text = bob_signs_detached(&s, "bob.sig.json");
    let before = snapshot(&s.p("c"));
    let bob_keyid = keyid_of(&s, "bob");

    // A file name holding escape sequences, as a USB stick could.
    let name = format!("bob{HOSTILE}.sig.json").replace('/', "");
    let claim = "\"keyholder\": \"bob\"";
    s.write(&name, &text.replace(claim, "\"keyholder\": \"alice\""));
    let out = s.run(&["-C", "c", "merge", &name]);
    let err = failed(&out, 4, "merge of a hostile file name");
    clean_output("merge of a hostile file name", &out);
    has(&err, "bobx\\r\\u{1b}[1A");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "the file name's line break must not start a line of its own:\n{err}"
    );

    // A name the file claims, with bidirectional overrides: refused either as an unusable
    // name or as not bob's; either way shown escaped.
    let out_name = "claims.sig.json";
    s.write(
        out_name,
        &text.replace(
            claim,
            &format!("\"keyholder\": {}", json_str("al\u{202e}ice\u{200b}")),
        ),
    );
    let out = s.c_run(&format!("merge {out_name}"));
    assert!(matches!(out.status.code(), Some(3 | 4)), "{out:?}");
    clean_output("merge of a file claiming a hostile name", &out);

    // A keyid that holds escape sequences.
    s.write(
        "keyid.sig.json",
        &text.replace(
            &json_str(&bob_keyid),
            &json_str(&format!("\u{1b}[2K{HOSTILE}")),
        ),
    );
    let out = s.c_run("merge keyid.sig.json");
    let err = failed(&out, 4, "merge of a hostile keyid");
    clean_output("merge of a hostile keyid", &out);
    has(&err, "keyid \\u{1b}[2Kx\\r\\u{1b}");
    assert_eq!(before, snapshot(&s.p("c")));

    // A role the ceremony does not have, named on the command line.
    let out = s.c_run(&format!("changes claimed{HOSTILE}"));
    assert!(!out.status.success());
    clean_output("changes of a hostile role", &out);
}

/// What reaches the terminal through no value-level escape (a loaded file's name in `load`'s
/// report, a value quoted in a format error, keyholder names in `--json`) still passes the
/// net where output is written.
#[test]
fn the_output_net_catches_what_no_value_escape_covers() {
    let s = Scene::ceremony(&["alice", "bob"], 1);

    let name = format!("root{HOSTILE}.json").replace('/', "");
    std::fs::copy(s.p("c/root.json"), s.p(&name)).unwrap();
    let out = s.run(&["-C", "d", "load", &name]);
    ok(&out, "load of a hostile file name");
    clean_output("load of a hostile file name", &out);
    let shown = String::from_utf8_lossy(&out.stdout);
    has(&shown, "rootx\\r\\u{1b}[1A");
    assert!(
        shown
            .lines()
            .all(|l| !l.trim_start().starts_with("payload")),
        "a line break in a file name must not start a line:\n{shown}"
    );

    let root = s.read("c/root.json");
    s.write(
        "bad-spec.json",
        &root.replace("\"1.0.31\"", &json_str(&format!("1.0.31{HOSTILE}"))),
    );
    let out = s.cmd_run("inspect bad-spec.json");
    let err = failed(&out, 3, "inspect of a hostile spec_version");
    clean_output("the error quoting a hostile spec_version", &out);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "an error is one paragraph; a value's line break must not start a line:\n{err}"
    );

    let hostile_name = "al\u{202e}ice\u{85}\u{200b}";
    let state = s.read("c/ceremony.json");
    s.write(
        "c/ceremony.json",
        &state.replace(
            "\"name\": \"alice\"",
            &format!("\"name\": {}", json_str(hostile_name)),
        ),
    );
    let out = s.c_run("--json status");
    clean_output("status --json", &out);
    if out.status.success() {
        let j = json::parse(&out.stdout).unwrap();
        let root = &j.get("roles").and_then(Value::as_array).unwrap()[0];
        let missing = root.get("thresholds").and_then(Value::as_array).unwrap()[0]
            .get("missing")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .filter_map(|m| m.get("keyholder").and_then(Value::as_str))
            .collect::<Vec<_>>();
        assert!(
            missing.contains(&hostile_name),
            "--json keeps the value exact: {missing:?}"
        );
    }
    let out = s.c_run("status");
    clean_output("status", &out);
}

/// The tool's list of hidden characters, against Python's Unicode database: every control,
/// format, separator and space other than U+0020 is shown escaped.
#[test]
fn every_control_format_and_separator_character_is_escaped() {
    let script = "import unicodedata\n\
        print(unicodedata.unidata_version)\n\
        for c in range(0x110000):\n\
        \x20   if (c < 0xD800 or c > 0xDFFF) and c != 0x20 and \
        unicodedata.category(chr(c)) in ('Cc', 'Cf', 'Zl', 'Zp', 'Zs'):\n\
        \x20       print('%x' % c)\n";
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    let listed = ok(&out, "python unicodedata");
    let mut lines = listed.lines();
    let version = lines.next().unwrap();
    let mut n = 0;
    for line in lines {
        let c = char::from_u32(u32::from_str_radix(line, 16).unwrap()).unwrap();
        n += 1;
        assert!(
            tuf_ceremony::display::is_hidden(c),
            "U+{line:0>4} (Unicode {version}) is not escaped"
        );
        let shown = tuf_ceremony::display::escape(&c.to_string()).into_owned();
        assert!(shown.is_ascii(), "U+{line} is shown as {shown:?}");
    }
    assert!(n > 200, "only {n} characters listed");
}
