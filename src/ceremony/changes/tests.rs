//! Tests of the changes as a keyholder reads them: computed and worded together through
//! [`super::describe_with`].

use super::*;
use crate::ceremony::Ceremony;
use crate::ceremony::{short, Keyholder, State};
use crate::json::{self, Value};

fn key(seed: u8) -> Key {
    Key::ed25519(&ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key())
}

/// A ceremony whose keyholders are alice (key 1) and bob (key 2); carol (key 3) is
/// nobody's.
fn ceremony() -> Ceremony {
    let holder = |name: &str, seed| Keyholder {
        name: name.into(),
        key: key(seed),
    };
    Ceremony::unrecorded(
        std::path::Path::new("/nonexistent"),
        State {
            keyholders: vec![holder("alice", 1), holder("bob", 2)],
            delegated: Vec::new(),
        },
        0,
    )
}

fn id(seed: u8) -> String {
    key(seed).keyid()
}

fn key_json(seed: u8, extra: &str) -> String {
    let k = key(seed);
    format!(
        r#""{}":{{"keytype":"ed25519","scheme":"ed25519","keyval":{{"public":"{}"}}{extra}}}"#,
        k.keyid(),
        k.public.unwrap_or_default()
    )
}

/// Root v1: alice and bob hold root, alice targets, bob snapshot and timestamp; alice's
/// key says who owns it, and there are unknown fields at three levels.
fn root() -> Value {
    let (a, b) = (id(1), id(2));
    let text = format!(
        r#"{{"signatures":[],"signed":{{"_type":"root","spec_version":"1.0.31","version":1,
        "expires":"2030-01-01T00:00:00Z","consistent_snapshot":true,
        "keys":{{{},{}}},
        "roles":{{"root":{{"keyids":["{a}","{b}"],"threshold":1,"x-r":1}},
          "targets":{{"keyids":["{a}"],"threshold":1}},
          "snapshot":{{"keyids":["{b}"],"threshold":1}},
          "timestamp":{{"keyids":["{b}"],"threshold":1}}}},
        "x-top":{{"a":{{"b":1}},"list":[1,2]}}}}}}"#,
        key_json(1, r#","x-keyowner":"@alice""#),
        key_json(2, "")
    );
    json::parse(text.as_bytes()).unwrap()
}

/// Targets v1: one target file; claimed (paths) and rc (hash prefixes) delegated, with
/// unknown fields in a delegation, in delegations and at the top.
fn targets() -> Value {
    let (a, b) = (id(1), id(2));
    let text = format!(
        r#"{{"signatures":[],"signed":{{"_type":"targets","spec_version":"1.0.31","version":1,
        "expires":"2030-01-01T00:00:00Z",
        "targets":{{"a.tgz":{{"length":1,"hashes":{{"sha256":"00"}},"custom":{{"x":1}}}}}},
        "delegations":{{"keys":{{{},{}}},"x-d":1,
          "roles":[{{"name":"claimed","keyids":["{a}"],"threshold":1,"terminating":false,
                     "paths":["*/*","b/*"],"x-note":"n"}},
                   {{"name":"rc","keyids":["{b}"],"threshold":1,"terminating":false,
                     "path_hash_prefixes":["00","01"]}}]}},
        "x-policy":{{"k":"v"}}}}}}"#,
        key_json(1, ""),
        key_json(2, "")
    );
    json::parse(text.as_bytes()).unwrap()
}

/// Targets v1 delegating every path to 256 hash bins (TAP 15) under bob's key.
fn bins() -> Value {
    let b = id(2);
    let text = format!(
        r#"{{"signatures":[],"signed":{{"_type":"targets","spec_version":"1.0.31","version":1,
        "expires":"2030-01-01T00:00:00Z","targets":{{}},
        "delegations":{{"keys":{{{}}},
          "succinct_roles":{{"keyids":["{b}"],"threshold":1,"bit_length":8,"name_prefix":"bins","x-s":1}}}}}}}}"#,
        key_json(2, "")
    );
    json::parse(text.as_bytes()).unwrap()
}

/// The value at `path` (object keys, or array indexes) under `signed`.
fn at<'v>(doc: &'v mut Value, path: &[&str]) -> &'v mut Value {
    let mut v = match doc {
        Value::Object(o) => o.get_mut("signed").unwrap(),
        _ => unreachable!(),
    };
    for step in path {
        v = match v {
            Value::Object(o) => o.get_mut(step).unwrap(),
            Value::Array(items) => &mut items[step.parse::<usize>().unwrap()],
            _ => panic!("{step}"),
        };
    }
    v
}

fn edited(doc: &Value, path: &[&str], value: Value) -> Value {
    let mut doc = doc.clone();
    *at(&mut doc, path) = value;
    doc
}

fn md(doc: &Value) -> Metadata {
    Metadata::from_value(doc.clone()).unwrap()
}

fn changes(role: &str, old: &Value, new: &Value) -> Vec<String> {
    describe_with(&ceremony(), Some(&md(old)), &md(new), role, true)
}

fn has(lines: &[String], want: &str) {
    assert!(
        lines.iter().any(|l| l.contains(want)),
        "no line says {want:?}:\n{}",
        lines.join("\n")
    );
}

#[test]
fn a_changed_spec_version_is_shown() {
    let new = edited(&root(), &["spec_version"], Value::str("1.0.19"));
    has(
        &changes("root", &root(), &new),
        r#"root: spec_version changed from "1.0.31" to "1.0.19""#,
    );
}

#[test]
fn consistent_snapshot_flipped_is_shown_in_plain_words() {
    let new = edited(&root(), &["consistent_snapshot"], Value::Bool(false));
    let lines = changes("root", &root(), &new);
    has(
        &lines,
        "root: consistent_snapshot changed from true to false",
    );
    let mut unset = root();
    if let Value::Object(o) = at(&mut unset, &[]) {
        o.remove("consistent_snapshot");
    }
    has(
        &changes("root", &root(), &unset),
        "root: consistent_snapshot removed (it was true)",
    );
    has(
        &changes("root", &unset, &root()),
        "root: consistent_snapshot set to true (it was not set)",
    );
}

#[test]
fn a_keys_owner_field_changed_is_shown_with_its_keyholder() {
    let new = edited(
        &root(),
        &["keys", &id(1), "x-keyowner"],
        Value::str("@mallory"),
    );
    let lines = changes("root", &root(), &new);
    has(
        &lines,
        &format!(
            r#"keys: key {} (alice): unknown field x-keyowner changed from "@alice" to "@mallory""#,
            short(&id(1))
        ),
    );
}

#[test]
fn an_unknown_top_level_field_added_or_removed_is_shown() {
    let mut new = targets();
    if let Value::Object(o) = at(&mut new, &[]) {
        o.remove("x-policy");
        o.insert("x-rules", Value::object(vec![("max", Value::Int(3))]));
    }
    let lines = changes("targets", &targets(), &new);
    has(
        &lines,
        r#"targets: unknown field x-rules added: {"max": 3}"#,
    );
    has(
        &lines,
        r#"targets: unknown field x-policy removed (it was {"k": "v"})"#,
    );
    // Nested: only the member that changed.
    let deep = edited(&root(), &["x-top", "a", "b"], Value::Int(2));
    has(
        &changes("root", &root(), &deep),
        "root: unknown field x-top.a.b changed from 1 to 2",
    );
}

#[test]
fn a_nested_unknown_field_in_a_delegated_role_is_shown() {
    let new = edited(
        &targets(),
        &["delegations", "roles", "0", "x-note"],
        Value::str("changed"),
    );
    has(
        &changes("targets", &targets(), &new),
        r#"delegation claimed: unknown field x-note changed from "n" to "changed""#,
    );
    let new = edited(&targets(), &["delegations", "x-d"], Value::Int(2));
    has(
        &changes("targets", &targets(), &new),
        "delegations: unknown field x-d changed from 1 to 2",
    );
}

#[test]
fn succinct_roles_are_shown_and_their_changes_too() {
    let first = describe_with(&ceremony(), None, &md(&bins()), "targets", false);
    has(
        &first,
        "succinct_roles: every target path is delegated to 256 hash bins, bins-00 … bins-ff (name prefix \"bins\", bit length 8), each signed by 1 of [bob (key ",
    );
    let two_keys = {
        let mut doc = edited(
            &bins(),
            &["delegations", "succinct_roles", "threshold"],
            Value::Int(2),
        );
        let c = id(3);
        *at(&mut doc, &["delegations", "succinct_roles", "keyids"]) =
            Value::Array(vec![Value::str(id(2)), Value::str(&c)]);
        let keys = json::parse(format!("{{{}}}", key_json(3, "")).as_bytes()).unwrap();
        if let (Value::Object(o), Value::Object(k)) = (at(&mut doc, &["delegations", "keys"]), keys)
        {
            for (name, v) in k.into_members() {
                o.insert(name, v);
            }
        }
        doc
    };
    let lines = changes("targets", &bins(), &two_keys);
    has(
        &lines,
        "succinct_roles: threshold changes from 1 to 2 (of 2 keys)",
    );
    has(
        &lines,
        &format!(
            "succinct_roles: key added for an unnamed key {}",
            short(&id(3))
        ),
    );
    let wider = edited(
        &bins(),
        &["delegations", "succinct_roles", "bit_length"],
        Value::Int(10),
    );
    has(
        &changes("targets", &bins(), &wider),
        "succinct_roles: bit length changed from 8 to 10: 1024 hash bins, bins-000 … bins-3ff (were 256, bins-00 … bins-ff)",
    );
    let renamed = edited(
        &bins(),
        &["delegations", "succinct_roles", "name_prefix"],
        Value::str("b"),
    );
    has(
        &changes("targets", &bins(), &renamed),
        r#"succinct_roles: name prefix changed from "bins" to "b": b-00 … b-ff (were bins-00 … bins-ff)"#,
    );
}

/// Targets delegating to `names`, each project to its own key (seed 10 + i), whose
/// owner field says `owner`; each delegation notes `note`.
fn projects(names: &[String], owner: &str, note: &str) -> Value {
    let keys: Vec<String> = (0..names.len())
        .map(|i| key_json(10 + i as u8, &format!(r#","x-keyowner":"{owner}{i}""#)))
        .collect();
    let roles: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                r#"{{"name":"{n}","keyids":["{}"],"threshold":1,"terminating":true,"paths":["{n}/*"],"x-note":"{note}"}}"#,
                id(10 + i as u8)
            )
        })
        .collect();
    let text = format!(
        r#"{{"signatures":[],"signed":{{"_type":"targets","spec_version":"1.0.31","version":1,
        "expires":"2030-01-01T00:00:00Z","targets":{{}},
        "delegations":{{"keys":{{{}}},"roles":[{}]}}}}}}"#,
        keys.join(","),
        roles.join(",")
    );
    json::parse(text.as_bytes()).unwrap()
}

/// PEP 480's claimed delegates to 100,000 projects: the signing screen shows counts and
/// the first few of each kind, `changes` every one.
#[test]
fn long_lists_stay_summarised_on_the_screen_and_whole_in_changes() {
    let c = ceremony();
    let name = |i: usize| format!("p{i:02}");
    let old: Vec<String> = (0..40).map(name).collect();
    // p00..p19 kept (p00..p19 with a new note), p20..p39 removed, p40..p59 added.
    let new: Vec<String> = (0..20).chain(40..60).map(name).collect();
    let (old, new) = (projects(&old, "@a", "n"), projects(&new, "@a", "changed"));
    let (old, new) = (md(&old), md(&new));
    let screen = describe_with(&c, Some(&old), &new, "claimed", false);
    has(&screen, "delegations: 20 added, 20 REMOVED, 20 changed (60 in all; the first 5 of each follow; `tuf-ceremony changes claimed` lists every one)");
    assert_eq!(
        screen
            .iter()
            .filter(|l| l.as_str() == "… and 15 more like that")
            .count(),
        3,
        "{screen:#?}"
    );
    assert!(screen.len() < 30, "{screen:#?}");
    let every = describe_with(&c, Some(&old), &new, "claimed", true);
    for kind in ["delegation added: ", "delegation REMOVED: ", "delegation p"] {
        assert_eq!(
            every.iter().filter(|l| l.starts_with(kind)).count(),
            20,
            "{kind}: {every:#?}"
        );
    }
    has(
        &every,
        r#"delegation p19: unknown field x-note changed from "n" to "changed""#,
    );

    // Thousands of developer keys with a changed owner field.
    let names: Vec<String> = (0..40).map(name).collect();
    let old = md(&projects(&names, "@a", "n"));
    let new = md(&projects(&names, "@b", "n"));
    let screen = describe_with(&c, Some(&old), &new, "claimed", false);
    has(&screen, "delegated keys: 40 changes (the first 5 follow; `tuf-ceremony changes claimed` lists every one)");
    has(&screen, "… and 35 more like that");
    let key = screen
        .iter()
        .find(|l| l.starts_with("delegated keys: key "))
        .unwrap();
    assert!(
        key.contains(r#": unknown field x-keyowner changed from "@a"#)
            && key.contains(r#"" to "@b"#),
        "{key}"
    );
    assert_eq!(
        describe_with(&c, Some(&old), &new, "claimed", true).len(),
        40
    );

    // A first version: the first few delegations, or every one.
    let first = describe_with(&c, None, &old, "claimed", false);
    has(&first, "… and 35 more delegations");
    let every = describe_with(&c, None, &old, "claimed", true);
    assert_eq!(
        every.iter().filter(|l| l.starts_with("delegates ")).count(),
        40
    );
}

/// A long value is cut short on the signing screen, with where to see it whole.
#[test]
fn a_long_value_is_cut_short_on_the_screen_only() {
    let long = "x".repeat(1000);
    let new = edited(&targets(), &["x-policy", "k"], Value::str(&long));
    let c = ceremony();
    let (old, new) = (md(&targets()), md(&new));
    let screen = describe_with(&c, Some(&old), &new, "targets", false);
    has(
        &screen,
        "… (1002 characters; `tuf-ceremony changes targets` shows it whole)",
    );
    assert!(screen.iter().all(|l| l.len() < 400), "{screen:#?}");
    let every = describe_with(&c, Some(&old), &new, "targets", true);
    has(
        &every,
        &format!("targets: unknown field x-policy.k changed from \"v\" to \"{long}\""),
    );
}

/// Values are shown so that no two look alike: quotes and backslashes escaped, hidden
/// characters as escapes.
#[test]
fn values_are_shown_escaped() {
    let new = edited(
        &targets(),
        &["x-policy", "k"],
        Value::str("a\"b\\c\u{1b}[2J\u{202e}"),
    );
    has(
        &changes("targets", &targets(), &new),
        r#"targets: unknown field x-policy.k changed from "v" to "a\"b\\c\u{1b}[2J\u{202e}""#,
    );
    let mut renamed = targets();
    if let Value::Object(o) = at(&mut renamed, &[]) {
        o.insert("x-\n a", Value::Null);
    }
    has(
        &changes("targets", &targets(), &renamed),
        r#"targets: unknown field x-\n\u{20}a added: null"#,
    );
}

/// Keys a role lists under other keyids, or in another order, and delegations searched
/// in another order, are shown; a delegation added before others says so.
#[test]
fn keyids_and_order_are_shown() {
    let swapped = {
        let mut doc = root();
        *at(&mut doc, &["roles", "root", "keyids"]) =
            Value::Array(vec![Value::str(id(2)), Value::str(id(1))]);
        doc
    };
    has(
        &changes("root", &root(), &swapped),
        "root: the keyids listed changed, for the same keys: from [alice (key ",
    );
    let reordered = {
        let mut doc = targets();
        if let Value::Array(roles) = at(&mut doc, &["delegations", "roles"]) {
            roles.reverse();
        }
        doc
    };
    has(
        &changes("targets", &targets(), &reordered),
        "delegations: the search order changed (clients try delegations in order): from the delegation kept at position 1 on, now rc, claimed; it was claimed, rc",
    );
    let inserted = {
        let mut doc = targets();
        if let Value::Array(roles) = at(&mut doc, &["delegations", "roles"]) {
            let mut first = roles[1].clone();
            if let Value::Object(o) = &mut first {
                o.insert("name", Value::str("early"));
            }
            roles.insert(0, first);
        }
        doc
    };
    has(
        &changes("targets", &targets(), &inserted),
        "delegation added: early: 1 of [bob (key ",
    );
    has(
        &changes("targets", &targets(), &inserted),
        ", searched before claimed",
    );
}

/// The signing screen counts target files; `changes` names each.
#[test]
fn target_files_are_counted_on_the_screen_and_named_in_changes() {
    let c = ceremony();
    let mut new = targets();
    if let Value::Object(files) = at(&mut new, &["targets"]) {
        let file = files.get("a.tgz").unwrap().clone();
        files.insert("b.tgz", file);
    }
    let (old, new) = (md(&targets()), md(&new));
    let screen = describe_with(&c, Some(&old), &new, "targets", false);
    has(&screen, "target files: 1 added, 0 removed, 0 changed");
    assert!(!screen.iter().any(|l| l.contains("b.tgz")), "{screen:#?}");
    has(
        &describe_with(&c, Some(&old), &new, "targets", true),
        r#"target file added: "b.tgz""#,
    );
    let first = describe_with(&c, None, &new, "targets", true);
    has(&first, "2 target files");
    has(&first, r#"target file: "a.tgz""#);
}

/// Every signed byte counts: for a corpus of edits (each member removed, an unknown one
/// added to each object, each value changed, each list reversed), the change is shown,
/// and no line holds Rust's debugging text.
#[test]
fn every_edit_of_a_corpus_is_shown_in_plain_words() {
    let c = ceremony();
    let mut shown = 0;
    for (role, base) in [
        ("root", root()),
        ("targets", targets()),
        ("targets", bins()),
    ] {
        let before = md(&base);
        let first = describe_with(&c, None, &before, role, true);
        no_debug_text(&first);
        for new in edits(&base) {
            let Ok(after) = Metadata::from_value(new) else {
                continue;
            };
            if after.payload() == before.payload() {
                continue;
            }
            for all in [true, false] {
                let lines = describe_with(&c, Some(&before), &after, role, all);
                no_debug_text(&lines);
                assert!(
                    lines != ["no change against the trusted version"],
                    "an edit of {role} was not shown:\n{}",
                    String::from_utf8_lossy(&after.payload())
                );
            }
            shown += 1;
        }
    }
    assert!(shown > 100, "only {shown} edits were tried");
}

fn no_debug_text(lines: &[String]) {
    for l in lines {
        assert!(
            !l.contains("Some(") && !l.contains("None"),
            "Rust debugging text: {l}"
        );
    }
}

/// Every edit of one step: each member removed, a member added to each object, each
/// scalar changed, each list of two or more reversed.
fn edits(doc: &Value) -> Vec<Value> {
    let mut paths: Vec<Vec<String>> = Vec::new();
    fn walk(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        match v {
            Value::Object(o) => {
                for (k, child) in o.iter() {
                    path.push(k.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    walk(doc.get("signed").unwrap(), &mut Vec::new(), &mut paths);
    let mut out = Vec::new();
    for path in &paths {
        let steps: Vec<&str> = path.iter().map(String::as_str).collect();
        let mut with = |f: &dyn Fn(&mut Value) -> bool| {
            let mut d = doc.clone();
            if f(at(&mut d, &steps)) {
                out.push(d);
            }
        };
        with(&|v| match v {
            Value::Object(o) => {
                o.insert("x-new", Value::str("v"));
                true
            }
            Value::Array(items) if items.len() > 1 => {
                items.reverse();
                true
            }
            Value::Bool(b) => {
                *b = !*b;
                true
            }
            Value::Int(i) => {
                *i += 1;
                true
            }
            Value::Str(s) => {
                s.push('x');
                true
            }
            _ => false,
        });
        with(&|v| match v {
            Value::Str(s) if s.starts_with("20") => {
                *s = "2031-01-01T00:00:00Z".into();
                true
            }
            Value::Str(s) if s.starts_with("1.") => {
                *s = "1.0.19".into();
                true
            }
            _ => false,
        });
        if let Some((last, parent)) = steps.split_last() {
            let mut d = doc.clone();
            match at(&mut d, parent) {
                Value::Object(o) => {
                    o.remove(last);
                }
                Value::Array(items) => {
                    items.remove(last.parse::<usize>().unwrap());
                }
                _ => {}
            }
            out.push(d);
        }
    }
    out
}
