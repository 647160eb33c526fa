#!/usr/bin/env python3
"""tuf-on-ci's own signer code judges a tuf-on-ci signing event co-signed by tuf-ceremony.

  tuf_on_ci_check.py TUF_CEREMONY WORK

Run with the python of a venv holding tuf-on-ci-sign (scripts/interop.sh installs it under
target/). TUF_CEREMONY: the tuf-ceremony binary. WORK: an empty folder for the ceremony.

1. Co-signing, as tests/integration/foreign.rs does it: Sigstore's root v14 is loaded as
   trusted, the v15 signing event as it stood at tests/data/real/sigstore-root-signing/
   signing-event-v15/05-* is loaded with the two keyholders who signed next, and each of
   their signatures (taken from the state tuf-on-ci's signer wrote next) is merged as a
   signature file. Each co-signed root.json must equal, byte for byte, that next state.
2. tuf-on-ci's judgement: tuf_on_ci_sign's SignerRepository, the object `tuf-on-ci-sign`
   builds for a signing event (the event's metadata/ folder against the known-good one of
   main, here v14), is asked, for a keyholder (its `User`), whether that keyholder's
   signature is still needed: `state` SignerState.NO_ACTION and "root" not in `unsigned`
   means tuf-on-ci found the keyholder's signature on root and verified it with the key
   the file lists for them. Each co-signed file must be NO_ACTION for the keyholder whose
   signature tuf-ceremony merged, and SIGNATURE_NEEDED for the same keyholder before the
   merge, for a keyholder who has not signed yet, and once one character of the merged
   signature is changed (so the verdict is tuf-on-ci's verification, not a lookup).
3. The `tuf-on-ci-sign` command itself, in a git repository laid out as tuf-on-ci's
   (metadata/ on main, the signing event on its branch, an `origin` remote): run as the
   keyholder tuf-ceremony co-signed for, it prints "Nothing to do." and commits nothing.

Prints one PASS or FAIL line per check; exits 1 on any failure.
"""
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests/data/real/sigstore-root-signing")
V14 = os.path.join(DATA, "root_history/14.root.json")
STATES = [
    os.path.join(DATA, "signing-event-v15", n)
    for n in (
        "05-251b6c9a.empty-sigs-3.root.json",
        "06-92a232ef.empty-sigs-2.root.json",
        "07-e8ec65b9.empty-sigs-1.root.json",
    )
]
EVENT = "sign/root-v15"

failed = 0


def report(ok, what, detail=""):
    global failed
    failed += not ok
    print(f"{'PASS' if ok else 'FAIL'} tuf-on-ci: {what}")
    if detail and not ok:
        for line in detail.strip().splitlines()[-15:]:
            print(f"     {line}")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def filled(before, after):
    """The signature `after` holds where `before` holds a placeholder: (keyid, sig)."""
    b = {(s["keyid"], s["sig"]) for s in json.loads(before)["signatures"]}
    new = [(s["keyid"], s["sig"]) for s in json.loads(after)["signatures"] if (s["keyid"], s["sig"]) not in b]
    assert len(new) == 1, new
    return new[0]


def cosign(tuf, work):
    """Part 1: the co-signed states, or None when tuf-ceremony did not make them."""
    os.chdir(work)
    c = ["-C", "c"]

    def tc(*args):
        p = run([tuf, *args])
        if p.returncode != 0:
            raise RuntimeError(f"tuf-ceremony {' '.join(args)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
        return p.stdout

    docs = [read(s) for s in STATES]
    steps = []  # (owner, keyid, sig)
    for before, after in zip(docs, docs[1:]):
        keyid, sig = filled(before, after)
        key = json.loads(after)["signed"]["keys"][keyid]
        with open(f"{keyid}.pem", "w") as f:
            f.write(key["keyval"]["public"])
        steps.append((key["x-tuf-on-ci-keyowner"], keyid, sig))
    try:
        tc(*c, "load", "--trusted", V14)
        args = [a for owner, keyid, _ in steps for a in ("--keyholder", f"{owner}={keyid}.pem")]
        tc(*c, "load", STATES[0], *args)
        payload = json.loads(tc("--json", *c, "status"))["roles"][0]["payload_sha256"]
        made = []
        for i, (owner, keyid, sig) in enumerate(steps):
            sigfile = {
                "format": "tuf-ceremony-signature/1",
                "role": "root",
                "version": 15,
                "payload_sha256": payload,
                "keyholder": owner,
                "device": {"description": "YubiKey PIV (tuf-on-ci-sign)", "identity": "unknown", "kind": "pkcs11"},
                "signed_at": "2025-09-01T00:00:00Z",
                "signatures": [{"keyid": keyid, "sig": sig}],
            }
            with open(f"sig{i}.json", "w") as f:
                json.dump(sigfile, f, indent=2)
            tc(*c, "merge", f"sig{i}.json")
            out = f"cosigned-{i + 1}.root.json"
            shutil.copyfile("c/root.json", out)
            made.append(os.path.join(work, out))
    except RuntimeError as e:
        report(False, "tuf-ceremony co-signs the v15 signing event", str(e))
        return None, steps
    for i, (owner, _, _) in enumerate(steps):
        same = read(made[i]) == docs[i + 1]
        report(same, f"co-signed for {owner} by tuf-ceremony merge: byte for byte tuf-on-ci's own next state ({os.path.basename(STATES[i + 1])})")
    return made, steps


def judge(base_root, event_root, user_name, scratch):
    """tuf-on-ci-sign's SignerRepository for USER over an event: (state name, unsigned)."""
    from tuf_on_ci_sign._signer_repository import SignerRepository
    from tuf_on_ci_sign._user import User

    shutil.rmtree(scratch, ignore_errors=True)
    base, event = os.path.join(scratch, "base"), os.path.join(scratch, "event")
    os.makedirs(base)
    os.makedirs(event)
    shutil.copyfile(base_root, os.path.join(base, "root.json"))
    shutil.copyfile(event_root, os.path.join(event, "root.json"))
    ini = os.path.join(scratch, "settings.ini")
    with open(ini, "w") as f:
        f.write(f"[settings]\nuser-name = {user_name}\npush-remote = origin\npull-remote = origin\npykcs11lib = /nonexistent/libykcs11.so\n")
    user = User(ini, os.path.join(scratch, "signing-keys.ini"))
    repo = SignerRepository(event, base, user)
    return repo.state.name, sorted(repo.unsigned)


def expect(base, event, user, want, what, scratch):
    try:
        state, unsigned = judge(base, event, user, scratch)
    except Exception as e:  # noqa: BLE001 - any failure of tuf-on-ci's code is reported
        report(False, what, f"{type(e).__name__}: {e}")
        return
    ok = state == want and (("root" in unsigned) == (want == "SIGNATURE_NEEDED"))
    report(ok, f"{what}: {state}, unsigned {unsigned}", f"expected {want}")


def tamper(path, keyid, out):
    """`path` with one hex digit of `keyid`'s signature changed, bytes otherwise kept."""
    text = read(path).decode()
    sig = next(s["sig"] for s in json.loads(text)["signatures"] if s["keyid"] == keyid)
    bad = sig[:20] + ("0" if sig[20] != "0" else "1") + sig[21:]
    assert text.count(sig) == 1
    with open(out, "w") as f:
        f.write(text.replace(sig, bad))
    return out


def git(repo, *args):
    p = run(["git", "-C", repo, *args])
    if p.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {p.stderr}")
    return p.stdout.strip()


def cli(event_root, user_name, work):
    """Part 3: `tuf-on-ci-sign --no-push EVENT` as USER; (exit status, output, new commits)."""
    top = os.path.join(work, "cli")
    shutil.rmtree(top, ignore_errors=True)
    origin, clone = os.path.join(top, "origin.git"), os.path.join(top, "repo")
    os.makedirs(os.path.join(clone, "metadata/root_history"))
    ident = ["-c", "user.name=interop", "-c", "user.email=interop@example.invalid"]
    run(["git", "init", "-q", "--bare", "-b", "main", origin], check=True)
    run(["git", "init", "-q", "-b", "main", clone], check=True)
    shutil.copyfile(V14, os.path.join(clone, "metadata/root.json"))
    shutil.copyfile(V14, os.path.join(clone, "metadata/root_history/14.root.json"))
    git(clone, "add", "metadata")
    git(clone, *ident, "commit", "-q", "-m", "root v14")
    git(clone, "checkout", "-q", "-b", EVENT)
    shutil.copyfile(event_root, os.path.join(clone, "metadata/root.json"))
    shutil.copyfile(event_root, os.path.join(clone, "metadata/root_history/15.root.json"))
    git(clone, "add", "metadata")
    git(clone, *ident, "commit", "-q", "-m", "root v15, co-signed by tuf-ceremony")
    git(clone, "remote", "add", "origin", origin)
    git(clone, "push", "-q", "origin", "main", EVENT)
    git(clone, "checkout", "-q", "main")
    with open(os.path.join(clone, ".tuf-on-ci-sign.ini"), "w") as f:
        f.write(f"[settings]\nuser-name = {user_name}\npush-remote = origin\npull-remote = origin\npykcs11lib = /nonexistent/libykcs11.so\n")
    env = dict(os.environ)
    # The version reminder reads a fresh cache instead of asking PyPI; user state stays here.
    env["XDG_CACHE_HOME"] = os.path.join(top, "cache")
    env["XDG_DATA_HOME"] = os.path.join(top, "data")
    os.makedirs(os.path.join(env["XDG_CACHE_HOME"], "tuf-on-ci-sign"))
    from tuf_on_ci_sign import __version__

    with open(os.path.join(env["XDG_CACHE_HOME"], "tuf-on-ci-sign/pypi_release_version"), "w") as f:
        f.write(__version__)
    before = git(clone, "rev-list", "--all", "--count")
    exe = os.path.join(os.path.dirname(sys.executable), "tuf-on-ci-sign")
    p = run([exe, "--no-push", EVENT], cwd=clone, env=env, stdin=subprocess.DEVNULL, timeout=120)
    after = git(clone, "rev-list", "--all", "--count")
    return p.returncode, p.stdout + p.stderr, int(after) - int(before)


def main(tuf, work):
    from tuf_on_ci_sign import __version__

    print(f"   tuf-on-ci-sign {__version__}")
    made, steps = cosign(os.path.abspath(tuf), os.path.abspath(work))
    if made is None:
        return 1
    scratch = os.path.join(work, "judge")
    for i, (owner, keyid, _) in enumerate(steps):
        name = f"co-signed file {i + 1}"
        expect(V14, made[i], owner, "NO_ACTION", f"{name}, as {owner} (signature merged by tuf-ceremony)", scratch)
        expect(V14, STATES[i], owner, "SIGNATURE_NEEDED", f"{os.path.basename(STATES[i])}, as {owner} (before the merge)", scratch)
        bad = tamper(made[i], keyid, os.path.join(work, f"tampered-{i + 1}.root.json"))
        expect(V14, bad, owner, "SIGNATURE_NEEDED", f"{name} with {owner}'s signature altered, as {owner}", scratch)
    last = json.loads(read(made[-1]))
    pending = [
        last["signed"]["keys"][s["keyid"]]["x-tuf-on-ci-keyowner"] for s in last["signatures"] if s["sig"] == ""
    ]
    for owner in pending:
        expect(V14, made[-1], owner, "SIGNATURE_NEEDED", f"co-signed file {len(made)}, as {owner} (not signed yet)", scratch)
    owner = steps[-1][0]
    try:
        rc, out, commits = cli(made[-1], owner, work)
        ok = rc == 0 and "Nothing to do." in out and commits == 0
        report(ok, f"`tuf-on-ci-sign --no-push {EVENT}` as {owner} on co-signed file {len(made)}: exit {rc}, "
               f"\"{out.strip().splitlines()[-1] if out.strip() else ''}\", {commits} new commits", out)
    except Exception as e:  # noqa: BLE001
        report(False, "tuf-on-ci-sign in a git signing-event layout", f"{type(e).__name__}: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
