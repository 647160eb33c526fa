//! The rehearsal scripts run end to end, and print the same steps, in the same words, as
//! their runbooks in ceremony-docs/.

use crate::util::{bin, python, repo_root};
use std::process::Command;

fn runbook_steps(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("### Step "))
        .map(|l| l.replacen(" — ", ": ", 1))
        .collect()
}

fn rehearse(name: &str) {
    rehearse_doc(&format!("ceremony-docs/{name}.md"), name);
}

/// Script `scripts/rehearse/{name}.sh` follows the steps of `doc` (a path in the repository).
fn rehearse_doc(doc: &str, name: &str) {
    let doc = repo_root().join(doc);
    let script = repo_root().join(format!("scripts/rehearse/{name}.sh"));
    let want = runbook_steps(&std::fs::read_to_string(&doc).unwrap());
    assert!(
        want.len() >= 3,
        "{}: only {} steps",
        doc.display(),
        want.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new("bash")
        .arg(&script)
        .env("TUF_CEREMONY_BIN", bin())
        .env("TUF_CEREMONY_PYTHON", python())
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} failed:\n{stdout}\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<String> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("STEP "))
        .map(str::to_string)
        .collect();
    assert_eq!(
        got,
        want,
        "{} does not follow {}",
        script.display(),
        doc.display()
    );
}

#[test]
fn rehearsal_01_first_root_ceremony() {
    rehearse("01-first-root-ceremony");
}

#[test]
fn rehearsal_02_routine_resigning() {
    rehearse("02-routine-resigning");
}

#[test]
fn rehearsal_03_replacing_a_keyholder() {
    rehearse("03-replacing-a-keyholder");
}

#[test]
fn rehearsal_04_emergency_revocation() {
    rehearse("04-emergency-revocation");
}

#[test]
fn rehearsal_05_moving_recently_claimed() {
    rehearse("05-moving-recently-claimed");
}

#[test]
fn rehearsal_06_preparing_hardware() {
    rehearse("06-preparing-hardware");
}

#[test]
fn rehearsal_07_roles_and_records() {
    rehearse("07-roles-and-records");
}

#[test]
fn rehearsal_09_remote_signing() {
    rehearse_doc("docs/remote-signing.md", "09-remote-signing");
}
