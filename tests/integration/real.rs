//! Published root metadata (tests/data/real, sources in its SOURCES.md) judged by
//! tuf-ceremony and by python-tuf 7, the reference: every file as a first root, and every
//! rotation (N.root.json → N+1.root.json in a folder, step K → K+1 of the go-tuf and rust-tuf
//! interop layout, each state of a tuf-on-ci signing event against the root before it, and
//! the fixtures' other rotations).
//!
//! Both verdicts must agree on every case. python-tuf's comes from
//! tests/python/real_verdicts.py (`Metadata.from_bytes`, then `verify_delegate` as ngclient's
//! trusted_metadata_set does: the old root verifies the new one, version old+1, the new one
//! verifies itself). Ours comes from the path `load --trusted` takes (the same parser and
//! [`judge_trusted_root`]), and again from the command itself in a fresh folder wherever
//! python-tuf would hold the old root. The only differences allowed are the ones this
//! project documents, each counted and checked to be exactly that:
//! - a signature python-tuf counted whose scheme this tool does not check (labelled
//!   "scheme not supported here"), until RSA and P-384 are verified here;
//! - a duplicate JSON member, an error here and silently collapsed by python-tuf;
//! - a key counted once however many keyids name it, where python-tuf counts keyids.
//!
//! Where the model of tough in real_verdicts.py refuses what python-tuf accepts, the
//! command's output must carry a warning naming tough.

use crate::util::{repo_root, Scene};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tuf_ceremony::ceremony::load_check::judge_trusted_root;
use tuf_ceremony::json::{self, Value};
use tuf_ceremony::metadata::Metadata;
use tuf_ceremony::verify::{self, Label};

struct Case {
    id: String,
    old: Option<PathBuf>,
    new: PathBuf,
}

fn data() -> PathBuf {
    repo_root().join("tests/data/real")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn rel(p: &Path) -> String {
    p.strip_prefix(data()).unwrap().display().to_string()
}

/// Every root as a first root, then every rotation.
fn cases() -> Vec<Case> {
    let mut all = Vec::new();
    files(&data(), &mut all);
    all.sort();
    let mut out: Vec<Case> = all
        .iter()
        .map(|p| Case {
            id: rel(p),
            old: None,
            new: p.clone(),
        })
        .collect();
    let mut rotation = |old: PathBuf, new: PathBuf| {
        assert!(old.exists() && new.exists(), "{old:?} → {new:?}");
        out.push(Case {
            id: format!("{} → {}", rel(&old), rel(&new)),
            old: Some(old),
            new,
        });
    };
    for p in &all {
        // tuf-on-ci's signing events: each state of version N, as a client holding
        // root_history/N-1.root.json would judge it.
        let dir = p.parent().unwrap();
        let event = dir.file_name().unwrap().to_string_lossy();
        if let Some(v) = event
            .strip_prefix("signing-event-v")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|v| *v > 0)
        {
            let old = dir
                .with_file_name("root_history")
                .join(format!("{}.root.json", v - 1));
            if old.exists() {
                rotation(old, p.clone());
            }
        }
        let name = p.file_name().unwrap().to_string_lossy();
        let Some(n) = name
            .strip_suffix(".root.json")
            .and_then(|n| n.parse::<u64>().ok())
        else {
            continue;
        };
        let next = p.with_file_name(format!("{}.root.json", n + 1));
        if next.exists() {
            rotation(p.clone(), next);
        }
        // The interop layout of go-tuf and rust-tuf: step K of a repository's life in
        // `K/repository/`, whose newest root is K+1.root.json.
        if n > 0 && dir.ends_with(format!("{}/repository", n - 1)) {
            let next = dir
                .parent()
                .unwrap()
                .with_file_name(format!("{n}/repository/{}.root.json", n + 1));
            if next.exists() {
                rotation(p.clone(), next);
            }
        }
    }
    let d = data();
    for case in [
        "Published2Times_keyrotated_invalidNewRootSignature",
        "Published2Times_keyrotated_invalidOldRootSignature",
    ] {
        let base = d.join("go-tuf-v0").join(case).join("server/metadata");
        rotation(base.join("1.root.json"), base.join("root.json"));
    }
    let prod = d.join("sigstore-root-signing");
    rotation(
        prod.join("root_history/8.root.json"),
        prod.join("legacy-repository/9.root.json"),
    );
    rotation(
        prod.join("legacy-repository/9.root.json"),
        prod.join("root_history/10.root.json"),
    );
    rotation(
        d.join("rstuf/cli/root/v1.json"),
        d.join("rstuf/cli/root/v2.json"),
    );
    out
}

/// python-tuf 7's verdict and the tough model's, one JSON object per case.
fn reference_verdicts(s: &Scene, cases: &[Case]) -> Vec<Value> {
    let list: Vec<Value> = cases
        .iter()
        .map(|c| {
            Value::object(vec![
                ("id", Value::str(&c.id)),
                (
                    "old",
                    c.old
                        .as_ref()
                        .map(|p| Value::str(p.display().to_string()))
                        .unwrap_or(Value::Null),
                ),
                ("new", Value::str(c.new.display().to_string())),
            ])
        })
        .collect();
    std::fs::write(s.p("cases.json"), json::pretty(&Value::Array(list))).unwrap();
    let out = s.python("real_verdicts.py", &[s.p("cases.json").to_str().unwrap()]);
    let verdicts = json::parse(out.as_bytes()).unwrap();
    let verdicts = verdicts.as_array().unwrap().to_vec();
    assert_eq!(verdicts.len(), cases.len());
    verdicts
}

fn get<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| v.get(k).unwrap())
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Our verdict through the path `load --trusted` takes, and the labels of the signatures.
struct Ours {
    accepted: bool,
    why: String,
    /// keyid → label, over both thresholds, when both files could be read.
    labels: Vec<(String, Label)>,
    counted: BTreeSet<String>,
}

fn ours(case: &Case) -> Ours {
    let read = |p: &Path| {
        let bytes = std::fs::read(p).unwrap();
        Metadata::from_bytes(&bytes)
    };
    let refused = |why: String| Ours {
        accepted: false,
        why,
        labels: Vec::new(),
        counted: BTreeSet::new(),
    };
    let new = match read(&case.new) {
        Ok(md) => md,
        Err(e) => return refused(e.to_string()),
    };
    let old = match case.old.as_deref().map(read) {
        None => None,
        Some(Ok(md)) => Some(md),
        Some(Err(e)) => return refused(format!("old root: {e}")),
    };
    if new.root().is_none() || old.as_ref().is_some_and(|o| o.root().is_none()) {
        return refused("not root metadata".into());
    }
    let report = verify::verify_root(&new, old.as_ref().and_then(|o| o.root()));
    let counted = report
        .own
        .counted
        .iter()
        .chain(report.previous.iter().flat_map(|p| &p.counted))
        .cloned()
        .collect();
    let verdict = judge_trusted_root(&case.new, &new, old.as_ref());
    Ours {
        accepted: verdict.is_ok(),
        why: verdict.err().map(|e| e.to_string()).unwrap_or_default(),
        labels: report.labels(),
        counted,
    }
}

/// Why our verdict may differ from python-tuf's on this case, if it is one of the documented
/// differences; `None` if the difference is not allowed.
fn allowed_difference(python: &Value, ours: &Ours) -> Option<&'static str> {
    if ours.accepted {
        return None; // never accept what python-tuf refuses
    }
    if ours.why.contains("appears twice") {
        return Some("duplicate JSON member");
    }
    let mut python_counted = strings(get(python, &["counted"]));
    python_counted.extend(strings(get(python, &["counted_by_old"])));
    let missing: Vec<&String> = python_counted.difference(&ours.counted).collect();
    if missing.is_empty() {
        return None;
    }
    let label = |id: &str| ours.labels.iter().find(|(k, _)| k == id).map(|(_, l)| l);
    if missing
        .iter()
        .all(|id| matches!(label(id), Some(Label::UnsupportedScheme { .. })))
    {
        return Some("scheme not supported here");
    }
    if missing
        .iter()
        .all(|id| matches!(label(id), Some(Label::SameKey { .. })))
    {
        return Some("a key counts once");
    }
    None
}

/// Whether a warning in `text` says tough rejects the file (file names may say "tough/").
fn names_tough(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("warning: ") && l.contains("tough, and clients built on it"))
}

/// What the cases came to: the counts the summary prints, and each problem found.
#[derive(Default)]
struct Tally {
    problems: Vec<String>,
    agree: usize,
    differ: usize,
    tough_warned: usize,
    tough_accepts_refused: usize,
    cli_runs: usize,
    quiet: usize,
    differences: Vec<String>,
}

#[test]
fn published_roots_are_judged_as_python_tuf_judges_them() {
    let s = Scene::new();
    let cases = cases();
    let reference = reference_verdicts(&s, &cases);
    let mut t = Tally::default();
    for (i, (case, r)) in cases.iter().zip(&reference).enumerate() {
        judge_case(&s, &format!("c{i}"), case, r, &mut t);
    }
    let firsts = cases.iter().filter(|c| c.old.is_none()).count();
    eprintln!(
        "real metadata: {firsts} first roots and {} rotations; {} verdicts equal python-tuf 7's, \
         {} differ only as documented; load --trusted run on {}; {} \
         accepted with a warning naming tough, {} accepted with none as tough reads them; \
         {} refused, as python-tuf \
         refuses them, where the tough model accepts",
        cases.len() - firsts,
        t.agree,
        t.differ,
        t.cli_runs,
        t.tough_warned,
        t.quiet,
        t.tough_accepts_refused,
    );
    for d in &t.differences {
        eprintln!("  documented difference: {d}");
    }
    assert!(t.problems.is_empty(), "{}", t.problems.join("\n\n"));
    assert!(
        firsts >= 150 && cases.len() - firsts >= 95,
        "the corpus shrank"
    );
    assert!(
        t.tough_warned >= 10,
        "the tough warnings were not exercised"
    );
}

/// `load --trusted FILE` in ceremony folder `dir` (a slice: the repository's path may hold
/// white space).
fn load_trusted(s: &Scene, dir: &str, file: &Path) -> std::process::Output {
    s.run(&["-C", dir, "load", "--trusted", file.to_str().unwrap()])
}

/// One case: our verdict against python-tuf's reference `r`, then the command itself in
/// folder `dir` wherever a client could hold the old root.
fn judge_case(s: &Scene, dir: &str, case: &Case, r: &Value, t: &mut Tally) {
    assert_eq!(get(r, &["id"]).as_str(), Some(case.id.as_str()));
    let python = get(r, &["python"]);
    let python_ok = get(python, &["ok"]) == &Value::Bool(true);
    let tough_ok = get(r, &["tough", "ok"]) == &Value::Bool(true);
    let ours = ours(case);
    if ours.accepted == python_ok {
        t.agree += 1;
    } else if let Some(why) = allowed_difference(python, &ours) {
        t.differ += 1;
        t.differences.push(format!("{} ({why})", case.id));
    } else {
        t.problems.push(format!(
            "{}: python-tuf 7 {} ({}), tuf-ceremony {} ({})",
            case.id,
            if python_ok { "accepts" } else { "refuses" },
            get(python, &["why"]).as_str().unwrap_or(""),
            if ours.accepted { "accepts" } else { "refuses" },
            ours.why
        ));
        return;
    }
    if !ours.accepted && !python_ok && tough_ok {
        t.tough_accepts_refused += 1;
    }
    // The command itself, wherever a client could hold the old root.
    let old_alone = get(python, &["old_alone"]);
    if case.old.is_some() && old_alone != &Value::Bool(true) {
        return;
    }
    let mut text = String::new();
    if let Some(old) = &case.old {
        let out = load_trusted(s, dir, old);
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        if !out.status.success() {
            // python-tuf holds this root: only a documented difference may refuse it,
            // and the case of that root alone has shown it is one.
            let alone = rel(old);
            if !t
                .differences
                .iter()
                .any(|d| d.starts_with(&format!("{alone} (")))
            {
                t.problems.push(format!(
                    "{}: the old root alone was refused:\n{text}",
                    case.id
                ));
            }
            return;
        }
    }
    t.cli_runs += 1;
    let out = load_trusted(s, dir, &case.new);
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    if out.status.success() != ours.accepted {
        t.problems.push(format!(
            "{}: load --trusted exited {:?}, the library says {}:\n{text}",
            case.id,
            out.status.code(),
            ours.accepted
        ));
    }
    check_what_load_said(case, r, &ours, &text, t);
}

/// What `load --trusted` said on `case`: a warning naming tough exactly where the tough
/// model refuses what python-tuf accepts, python-tuf's format refusals named as ours, and
/// no panic.
fn check_what_load_said(case: &Case, r: &Value, ours: &Ours, text: &str, t: &mut Tally) {
    let python = get(r, &["python"]);
    let python_ok = get(python, &["ok"]) == &Value::Bool(true);
    let tough_ok = get(r, &["tough", "ok"]) == &Value::Bool(true);
    if python_ok && ours.accepted && !tough_ok {
        if names_tough(text) {
            t.tough_warned += 1;
        } else {
            t.problems.push(format!(
                "{}: tough refuses it ({}), but no warning names tough:\n{text}",
                case.id,
                get(r, &["tough", "why"]).as_str().unwrap_or("")
            ));
        }
    }
    // And no warning claims tough rejects what it reads (a keyid over the whole key
    // object is what tough computes: Sigstore's roots 5 to 15).
    let keyid_warning = text
        .lines()
        .any(|l| l.starts_with("warning: ") && l.contains(": keyid "));
    if tough_ok && (names_tough(text) || keyid_warning) {
        t.problems.push(format!(
            "{}: tough reads it, yet a warning names tough:\n{text}",
            case.id
        ));
    }
    if tough_ok && ours.accepted {
        t.quiet += 1;
    }
    // python-tuf's format refusals are ours too, with our own reason.
    let python_why = get(python, &["why"]).as_str().unwrap_or("");
    if python_why.starts_with("ValueError: time data") && !text.contains("$.signed.expires") {
        t.problems.push(format!(
            "{}: refused without naming expires:\n{text}",
            case.id
        ));
    }
    if python_why.contains("Multiple signatures found")
        && !text.contains("a second signature by keyid")
    {
        t.problems.push(format!(
            "{}: refused without naming the second signature:\n{text}",
            case.id
        ));
    }
    if text.contains("panicked") {
        t.problems.push(format!("{}: panicked:\n{text}", case.id));
    }
}
