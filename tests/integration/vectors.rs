//! The vectors python-tuf made (scripts/gen-vectors.py): our canonical bytes must equal
//! python-tuf's, python-tuf-signed chains must verify, and every `fail_` case must be
//! refused for its own reason.

use crate::util::repo_root;
use std::path::Path;
use tuf_ceremony::json::{self, Value};
use tuf_ceremony::metadata::Metadata;
use tuf_ceremony::verify;

fn load(dir: &Path, name: &str) -> Metadata {
    Metadata::from_bytes(&std::fs::read(dir.join(name)).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

/// Returns why a fail_verify case fails (or None if everything held).
fn verify_case(dir: &Path) -> Option<String> {
    if dir.join("1.root.json").exists() {
        let old = load(dir, "1.root.json");
        let next = ["2.root.json", "3.root.json"]
            .iter()
            .find(|n| dir.join(n).exists())
            .unwrap();
        let new = load(dir, next);
        let r = verify::verify_root(&new, old.root());
        if !r.problems.is_empty() {
            return Some(r.problems.join("; "));
        }
        if !r.previous.as_ref().unwrap().met() {
            return Some("previous threshold not met".into());
        }
        if !r.own.met() {
            return Some("threshold not met".into());
        }
        return None;
    }
    let root = load(dir, "root.json");
    let r = verify::verify_root(&root, None);
    if !r.ok() {
        return Some("threshold not met".into());
    }
    if dir.join("targets.json").exists() {
        let t = load(dir, "targets.json");
        if !verify::verify_targets(&t, root.root().unwrap())
            .unwrap()
            .met()
        {
            return Some("targets threshold not met".into());
        }
        let c = load(dir, "claimed.json");
        if !verify::verify_delegated_role(&c, &t, "claimed")
            .unwrap()
            .met()
        {
            return Some("claimed threshold not met".into());
        }
    }
    None
}

#[test]
fn every_vector_gives_its_intended_result() {
    let base = repo_root().join("tests/vectors");
    let mut seen = 0;
    let mut fails = 0;
    for entry in std::fs::read_dir(&base).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let case = json::parse(&std::fs::read(dir.join("case.json")).unwrap()).unwrap();
        let kind = case
            .get("kind")
            .and_then(Value::as_str)
            .unwrap()
            .to_string();
        let expect = case
            .get("expect")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        seen += 1;
        assert_eq!(
            name.starts_with("fail_"),
            kind.starts_with("fail_"),
            "{name}: fail_ prefix and kind disagree"
        );
        match kind.as_str() {
            "canonical" => {
                let v = json::parse(&std::fs::read(dir.join("input.json")).unwrap()).unwrap();
                assert_eq!(
                    json::canonical(&v),
                    std::fs::read(dir.join("expected.canonical")).unwrap(),
                    "{name}"
                );
            }
            "fail_canonical" => {
                fails += 1;
                let input = std::fs::read(dir.join("input.json")).unwrap();
                let err = json::parse(&input).unwrap_err();
                assert!(
                    err.problem.contains(&expect),
                    "{name}: expected \"{expect}\", got: {err}"
                );
            }
            "signed_bytes" => {
                let md = load(&dir, "metadata.json");
                assert_eq!(
                    md.payload(),
                    std::fs::read(dir.join("expected.canonical")).unwrap(),
                    "{name}"
                );
                // and a save/load round trip keeps the bytes
                let again = Metadata::from_bytes(&md.to_file_bytes()).unwrap();
                assert_eq!(again.payload(), md.payload(), "{name}: round trip");
            }
            "verify" | "verify_rotation" => {
                assert_eq!(verify_case(&dir), None, "{name} must verify");
            }
            "fail_parse" => {
                fails += 1;
                let err = Metadata::from_bytes(&std::fs::read(dir.join("metadata.json")).unwrap())
                    .unwrap_err();
                assert!(
                    err.to_string().contains(&expect),
                    "{name}: expected \"{expect}\", got: {err}"
                );
            }
            "fail_verify" => {
                fails += 1;
                let why = verify_case(&dir).unwrap_or_else(|| panic!("{name} must be refused"));
                assert!(
                    why.contains(&expect),
                    "{name}: expected \"{expect}\", got: {why}"
                );
            }
            other => panic!("{name}: unknown kind {other}"),
        }
    }
    assert!(
        seen >= 15 && fails >= 7,
        "only {seen} vectors ({fails} fail_) found"
    );
}
