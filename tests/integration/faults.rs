//! Faults: SIGKILL between any two steps of any file write during sign, merge, an
//! edit and export, and a full disk during writes. Every file stays old or new, the
//! transcript's chain stays valid, and the ceremony resumes.

use crate::scene::{has, w};
use crate::util::{bin, ok, snapshot, Scene};
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files under `dir` (temporary files of an interrupted write excluded, and the folder's
/// lock file, whose holder's words a killed command leaves behind: the kernel has released
/// the lock itself), by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    if !dir.exists() {
        return BTreeMap::new();
    }
    snapshot(dir)
        .into_iter()
        .filter(|(p, _)| {
            let name = p.file_name().unwrap().to_string_lossy();
            !(name.starts_with(".tuf-ceremony-") && name.ends_with(".tmp"))
                && name != tuf_ceremony::ceremony::lock::LOCK_FILE
        })
        .map(|(p, b)| (p.strip_prefix(dir).unwrap().to_path_buf(), b))
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    let out = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .output()
        .unwrap();
    ok(&out, "cp -a");
}

fn run(s: &Scene, dir: &Path, args: &[&str], kill_at: Option<usize>) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.current_dir(s.path())
        .arg("--passphrase-file")
        .arg(s.p("pp"))
        .arg("-C")
        .arg(dir)
        .args(args);
    if let Some(k) = kill_at {
        cmd.env("TUF_CEREMONY_KILL_AT_STEP", k.to_string());
    }
    cmd.output().unwrap()
}

/// The transcript after an interruption is the old one or the old one plus whole lines,
/// and its chain verifies.
fn check_transcript(s: &Scene, dir: &Path, old: &[u8], what: &str) {
    let now = std::fs::read(dir.join("transcript.jsonl")).unwrap();
    assert!(
        now.starts_with(old),
        "{what}: the transcript was rewritten, not appended"
    );
    let out = run(s, dir, &["transcript", "verify"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: transcript verify failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Kills `args` at every write step in turn (on a fresh copy of `base` each time), until a
/// run completes. After each kill: each ceremony file is byte-for-byte the old one or the
/// one a complete run writes (the transcript may gain whole lines), and `resume` succeeds.
/// Returns how many kill points were exercised.
fn kill_everywhere(
    s: &Scene,
    base: &Path,
    args: &[&str],
    resume: &[&str],
    extra_out: Option<&str>,
) -> usize {
    let before = files(base);
    let full = s.p("full-run");
    copy_dir(base, &full);
    let done = run(s, &full, args, None);
    ok(&done, &format!("{args:?} without faults"));
    let after = files(&full);
    let work = s.p("work");
    let mut k = 1;
    loop {
        copy_dir(base, &work);
        if let Some(o) = extra_out {
            let _ = std::fs::remove_dir_all(s.p(o));
        }
        let out = run(s, &work, args, Some(k));
        if out.status.signal().is_none() {
            ok(&out, &format!("{args:?} with no kill at step {k}"));
            return k - 1;
        }
        assert_eq!(out.status.signal(), Some(9), "{args:?} step {k}");
        let what = format!("{args:?} killed at write step {k}");
        for (path, bytes) in files(&work) {
            if path == Path::new("transcript.jsonl") {
                continue;
            }
            let old = before.get(&path);
            let new = after.get(&path);
            assert!(
                old == Some(&bytes) || new == Some(&bytes),
                "{what}: {} is neither the old nor the new file",
                path.display()
            );
        }
        check_transcript(s, &work, &before[Path::new("transcript.jsonl")], &what);
        if let Some(o) = extra_out {
            // Exported files are complete or absent.
            for (path, bytes) in files(&s.p(o)) {
                assert!(
                    tuf_ceremony::metadata::Metadata::from_bytes(&bytes).is_ok(),
                    "{what}: exported {} is incomplete",
                    path.display()
                );
            }
        }
        let again = run(s, &work, resume, None);
        ok(&again, &format!("resuming with {resume:?} after {what}"));
        k += 1;
        assert!(k < 200, "{args:?} never completed");
    }
}

#[test]
fn sigkill_at_every_write_step_leaves_old_or_new_files_and_the_ceremony_resumes() {
    let s = Scene::new();
    s.keygen(&["alice", "bob"]);
    s.init_online(&["alice", "bob"], 2, 1, &[]);
    s.c("sign root --signer file:bob.key --yes --detached bob.sig.json");
    let c = s.p("c");
    let mut points = 0;
    // sign: resuming signs again (or finds it already signed).
    points += kill_everywhere(
        &s,
        &c,
        &w("sign root --signer file:alice.key --yes"),
        &w("sign root --signer file:alice.key --yes"),
        None,
    );
    // merge: resuming merges again (already-present signatures are fine).
    points += kill_everywhere(&s, &c, &["merge", "bob.sig.json"], &["status"], None);
    // an edit: resuming means the ceremony still works.
    points += kill_everywhere(&s, &c, &w("expires targets 2027-06-01"), &["status"], None);
    // export, from a ceremony where every threshold is met.
    s.c("merge bob.sig.json");
    s.sign("root", "alice");
    s.sign("targets", "alice");
    let repo = s.p("repo");
    let repo_arg = repo.to_str().unwrap().to_string();
    points += kill_everywhere(
        &s,
        &c,
        &["export", "--out", &repo_arg],
        &["export", "--out", &repo_arg],
        Some("repo"),
    );
    eprintln!("faults: {points} kill points exercised");
    assert!(points >= 40, "only {points} kill points were exercised");
    s.py("judge.py verify repo");
}

/// A full disk (a small tmpfs in a private mount namespace): at every amount of free space
/// a sign either completes or fails with exit 6 and a message saying the disk is full,
/// leaving old or new files and a valid transcript; with space again it completes.
#[test]
fn a_full_disk_loses_nothing() {
    let s = Scene::new();
    s.keygen(&["alice"]);
    // A root of three 4 KiB pages (an unknown field pads it) and a short transcript. `sign`
    // writes the new root.json beside the old one, then the transcript line, then puts the
    // new root.json in place: at three or four free pages the first write succeeds and the
    // transcript's fails, a failure in the middle of a command.
    s.py("judge.py padded-root padded-root.json alice.pub.json 10000");
    s.c("load padded-root.json --keyholder alice=alice.pub.json");
    assert!(std::fs::metadata(s.p("c/root.json")).unwrap().len() > 8192);
    let script = format!(
        r#"set -u
mnt="{mnt}"
mkdir -p "$mnt"
mount -t tmpfs -o size=256k tmpfs "$mnt" || exit 99
failed=0; completed=0; midway=0
for free in 0 1 2 3 4 6 16; do
  rm -rf "$mnt"/*
  cp -a "{c}" "$mnt/c"
  old_t=$(sha256sum < "$mnt/c/transcript.jsonl")
  old_r=$(sha256sum < "$mnt/c/root.json")
  dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
  avail=$(( $(stat -c %s "$mnt/fill") - free * 4096 ))
  [ $avail -lt 0 ] && avail=0
  truncate -s $avail "$mnt/fill"
  "{bin}" --passphrase-file "{pp}" -C "$mnt/c" sign root --signer "file:{key}" --yes > "$mnt/../out-$free.txt" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then
    failed=$((failed+1))
    [ $rc -eq 6 ] || {{ echo "free=$free: exit $rc"; cat "$mnt/../out-$free.txt"; exit 1; }}
    grep -q "disk is full" "$mnt/../out-$free.txt" || {{ echo "free=$free: no disk-full advice"; cat "$mnt/../out-$free.txt"; exit 1; }}
    [ "$(sha256sum < "$mnt/c/root.json")" = "$old_r" ] || {{ echo "free=$free: root.json changed by a failed sign"; exit 1; }}
    ! grep -q "transcript.jsonl" "$mnt/../out-$free.txt" || midway=$((midway+1))
  else
    completed=$((completed+1))
  fi
  "{bin}" -C "$mnt/c" transcript verify > /dev/null || {{ echo "free=$free: transcript broken"; exit 1; }}
  head -c $(stat -c %s "{c}/transcript.jsonl") "$mnt/c/transcript.jsonl" | sha256sum | grep -q "${{old_t%% *}}" || {{ echo "free=$free: transcript rewritten"; exit 1; }}
  rm -f "$mnt/fill"
  "{bin}" --passphrase-file "{pp}" -C "$mnt/c" sign root --signer "file:{key}" --yes > /dev/null 2>&1 || {{ echo "free=$free: did not resume"; exit 1; }}
  "{bin}" -C "$mnt/c" status | grep -q "root v1 .*READY" || {{ echo "free=$free: root not signed after resuming"; exit 1; }}
done
echo "failed=$failed completed=$completed midway=$midway"
[ $failed -gt 0 ] && [ $completed -gt 0 ] && [ $midway -gt 0 ]
"#,
        mnt = s.p("small-disk").display(),
        c = s.p("c").display(),
        bin = bin().display(),
        pp = s.p("pp").display(),
        key = s.p("alice.key").display(),
    );
    s.write("disk-full.sh", &script);
    let out = Command::new("unshare")
        .args(["-m", "bash"])
        .arg(s.p("disk-full.sh"))
        .output()
        .unwrap();
    if out.status.code() == Some(99) {
        panic!(
            "cannot mount a tmpfs here (needs root or user namespaces): {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = ok(&out, "the disk-full script");
    eprintln!("disk full: {}", text.trim());
    has(&text, "failed=");
}
