//! The running binary's digest: every transcript line and the report name the SHA-256 of
//! the very binary that ran, so it can be compared with what `scripts/release.sh` printed.

use crate::scene::has;
use crate::util::{bin, ok, Scene};
use sha2::{Digest, Sha256};

#[test]
fn the_transcript_and_report_record_the_sha256_of_the_binary_that_ran() {
    let expected = hex::encode(Sha256::digest(std::fs::read(bin()).unwrap()));
    let s = Scene::new();
    s.keygen(&["alice", "snapshot", "timestamp"]);
    ok(&s.init_alone(&[]), "init");
    s.c("sign root --signer file:alice.key --yes");
    let transcript = s.read("c/transcript.jsonl");
    let mut lines = 0;
    for line in transcript.lines() {
        let v = tuf_ceremony::json::parse(line.as_bytes()).unwrap();
        let o = v.as_object().unwrap();
        assert_eq!(
            o.get("tool_sha256").and_then(|d| d.as_str()),
            Some(expected.as_str()),
            "{line}"
        );
        assert!(o.get("tool").and_then(|t| t.as_str()).is_some(), "{line}");
        lines += 1;
    }
    assert!(lines >= 2, "{transcript}");
    s.c("report --out report.md");
    let report = s.read("report.md");
    has(&report, &format!("(binary SHA-256 `{expected}`)"));
}
