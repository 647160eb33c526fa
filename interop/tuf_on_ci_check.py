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
   keyholder tuf-ceremony co-signed for, it prints "Nothing to do." and commits nothing;
   run as a keyholder still to sign, it asks for their signature.
4. Signatures made by tuf-ceremony itself: a signing event made by tuf-on-ci-sign's own
   code (`tuf-on-ci-delegate`'s first root as @alice, @bob accepting the invitation as
   `tuf-on-ci-sign` does), with P-256 and P-384 keys from `tuf-ceremony key generate` (as a
   YubiKey's PIV keys are), is loaded with `tuf-ceremony load` and signed with
   `tuf-ceremony sign`. Each file must change by its signature line alone, tuf-on-ci's
   SignerRepository and the `tuf-on-ci-sign` command must count each signature as that
   keyholder's, and python-tuf must find root's and targets' thresholds met.

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


def judge(base_files, event_files, user_name, scratch):
    """tuf-on-ci-sign's SignerRepository for USER over an event's metadata/ folder
    (EVENT_FILES, {name: source}) against main's (BASE_FILES): (state name, unsigned)."""
    from tuf_on_ci_sign._signer_repository import SignerRepository
    from tuf_on_ci_sign._user import User

    shutil.rmtree(scratch, ignore_errors=True)
    base, event = os.path.join(scratch, "base"), os.path.join(scratch, "event")
    for folder, files in ((base, base_files), (event, event_files)):
        os.makedirs(folder)
        for name, src in files.items():
            os.makedirs(os.path.dirname(os.path.join(folder, name)), exist_ok=True)
            shutil.copyfile(src, os.path.join(folder, name))
    ini = os.path.join(scratch, "settings.ini")
    with open(ini, "w") as f:
        f.write(settings(user_name))
    user = User(ini, os.path.join(scratch, "signing-keys.ini"))
    repo = SignerRepository(event, base, user)
    return repo.state.name, sorted(repo.unsigned)


def expect(base, event, user, want, what, scratch, role="root"):
    """BASE and EVENT: a root file, or {name: source} for the folder."""
    base = base if isinstance(base, dict) else {"root.json": base}
    event = event if isinstance(event, dict) else {"root.json": event}
    try:
        state, unsigned = judge(base, event, user, scratch)
    except Exception as e:  # noqa: BLE001 - any failure of tuf-on-ci's code is reported
        report(False, what, f"{type(e).__name__}: {e}")
        return
    ok = state == want and ((role in unsigned) == (want == "SIGNATURE_NEEDED"))
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


def cli(main_files, event_files, user_name, work, event):
    """`tuf-on-ci-sign --no-push EVENT` as USER in a git repository laid out as tuf-on-ci's:
    MAIN_FILES ({path under metadata/: source}) on main, EVENT_FILES on the event branch,
    both pushed to a bare `origin`. Returns (exit status, output, commits made)."""
    top = os.path.join(work, "cli")
    shutil.rmtree(top, ignore_errors=True)
    origin, clone = os.path.join(top, "origin.git"), os.path.join(top, "repo")
    ident = ["-c", "user.name=interop", "-c", "user.email=interop@example.invalid"]
    run(["git", "init", "-q", "--bare", "-b", "main", origin], check=True)
    run(["git", "init", "-q", "-b", "main", clone], check=True)

    def commit(files, message):
        for name, src in files.items():
            os.makedirs(os.path.dirname(os.path.join(clone, "metadata", name)), exist_ok=True)
            shutil.copyfile(src, os.path.join(clone, "metadata", name))
        with open(os.path.join(clone, "README.md"), "a") as f:
            f.write(message + "\n")
        git(clone, "add", "-A", ".")
        git(clone, *ident, "commit", "-q", "-m", message)

    commit(main_files, "main")
    git(clone, "checkout", "-q", "-b", event)
    commit(event_files, "signing event, co-signed by tuf-ceremony")
    git(clone, "remote", "add", "origin", origin)
    git(clone, "push", "-q", "origin", "main", event)
    git(clone, "checkout", "-q", "main")
    with open(os.path.join(clone, ".tuf-on-ci-sign.ini"), "w") as f:
        f.write(settings(user_name))
    env = dict(os.environ)
    # The version reminder reads a fresh cache instead of asking PyPI; user state stays here.
    env["XDG_CACHE_HOME"] = os.path.join(top, "cache")
    env["XDG_DATA_HOME"] = os.path.join(top, "data")
    os.makedirs(os.path.join(env["XDG_CACHE_HOME"], "tuf-on-ci-sign"))
    from tuf_on_ci_sign import __version__

    with open(os.path.join(env["XDG_CACHE_HOME"], "tuf-on-ci-sign/pypi_release_version"), "w") as f:
        f.write(__version__)
    before = int(git(clone, "rev-list", "--all", "--count"))
    exe = os.path.join(os.path.dirname(sys.executable), "tuf-on-ci-sign")
    p = run([exe, "--no-push", event], cwd=clone, env=env, stdin=subprocess.DEVNULL, timeout=120)
    after = int(git(clone, "rev-list", "--all", "--count"))
    return p.returncode, p.stdout + p.stderr, after - before


def expect_cli(main_files, event_files, user_name, what, work, event, requested=None):
    """The `tuf-on-ci-sign` command finds nothing for USER to do (or, with REQUESTED, asks
    for USER's signature on those roles; it then fails to reach a YubiKey, as none is
    here), and commits nothing."""
    try:
        rc, out, commits = cli(main_files, event_files, user_name, work, event)
        if requested is None:
            said = "Nothing to do."
            ok = rc == 0 and said in out and commits == 0
        else:
            said = f"Your signature is requested for role(s) {requested}."
            ok = said in out and commits == 0
        report(ok, f"`tuf-on-ci-sign --no-push {event}` as {user_name} on {what}: \"{said if said in out else out.strip()[-80:]}\", {commits} new commits", out)
    except Exception as e:  # noqa: BLE001 - any failure of tuf-on-ci's code is reported
        report(False, f"`tuf-on-ci-sign` as {user_name} on {what}", f"{type(e).__name__}: {e}")


def settings(user_name):
    """A `.tuf-on-ci-sign.ini` for USER (no PKCS#11 module is loaded: nobody signs here)."""
    return (f"[settings]\nuser-name = {user_name}\npush-remote = origin\npull-remote = origin\n"
            "pykcs11lib = /nonexistent/libykcs11.so\n")


# tuf-on-ci's own test online key (tuf_on_ci_sign/delegate.py, "hidden test key"): the
# online key only has to be there, nothing here signs snapshot or timestamp.
ONLINE_KEYID = "cda7a53138556e7c0d1737e4ba32868f3cf287e78ab9366c820115ce11383d34"
ONLINE_KEY = {
    "keytype": "ed25519",
    "scheme": "ed25519",
    "keyval": {"public": "fa472895c9756c2b9bcd1440bf867d0fa5c4edee79e9792fa9822be3dd6fcbb3"},
    "x-tuf-on-ci-online-uri": "file2:online-test-key",
}


def sig_lines_only(before, after):
    """`after` is `before` with empty placeholders filled, every other byte kept."""
    b, a = read(before).split(b"\n"), read(after).split(b"\n")
    return len(a) == len(b) and all(x == y or (x.strip() == b'"sig": ""' and y.strip().startswith(b'"sig": "')) for x, y in zip(b, a))


def made_here(tuf, work):
    """Part 4: a signing event made by tuf-on-ci's own code, signed by tuf-ceremony's keys."""
    from securesystemslib.signer import SSlibKey
    from tuf_on_ci_sign._signer_repository import OfflineConfig, OnlineConfig, SignerRepository
    from tuf_on_ci_sign._user import User
    from tuf.api.metadata import Metadata

    top = os.path.join(work, "made-here")
    os.makedirs(top)
    os.chdir(top)
    with open("pp", "w") as f:
        f.write("interop-passphrase\n")

    def tc(*args):
        p = run([tuf, "--passphrase-file", "pp", *args])
        if p.returncode != 0:
            raise RuntimeError(f"tuf-ceremony {' '.join(args)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
        return p.stdout

    def user(name):
        with open(f"{name}.ini", "w") as f:
            f.write(settings(name))
        return User(f"{name}.ini", f"{name}-signing-keys.ini")

    def pubkey(name):
        with open(f"{name}.pub.json") as f:
            d = json.load(f)
        return SSlibKey.from_dict("unset", {k: v for k, v in d.items() if k != "keyid"})

    event = os.path.join(top, "event")
    base = os.path.join(top, "base")
    try:
        # YubiKey PIV keys, as tuf-on-ci-sign uses them: P-256 and P-384.
        tc("key", "generate", "--out", "alice.key", "--keyholder", "@alice", "--scheme", "ecdsa-p256")
        tc("key", "generate", "--out", "bob.key", "--keyholder", "@bob", "--scheme", "ecdsa-p384")
        os.makedirs(base)
        # `tuf-on-ci-delegate`'s _init_repository as @alice: root 2 of @alice and @bob (@bob
        # invited), targets @alice, the online key for timestamp and snapshot.
        repo = SignerRepository(event, base, user("@alice"))
        repo.set_role_config("root", OfflineConfig(["@alice", "@bob"], 2, 365, 60), pubkey("alice"))
        repo.set_role_config("targets", OfflineConfig(["@alice"], 1, 365, 60), pubkey("alice"))
        online = SSlibKey.from_dict(ONLINE_KEYID, dict(ONLINE_KEY))
        repo.set_online_config(OnlineConfig(online, 2, 1, 365, 60))
        # `tuf-on-ci-sign` as @bob accepting the invitation (its INVITED branch, before signing).
        repo = SignerRepository(event, base, user("@bob"))
        for role in repo.invites.copy():
            repo.set_role_config(role, repo.get_role_config(role), pubkey("bob"))
        for name in ("root.json", "targets.json"):
            shutil.copyfile(os.path.join(event, name), f"made-{name}")
        tc("-C", "c", "load", f"{event}/root.json", f"{event}/targets.json",
           "--keyholder", "@alice=alice.pub.json", "--keyholder", "@bob=bob.pub.json")
        tc("-C", "c", "sign", "root", "--signer", "file:alice.key", "--yes")
        tc("-C", "c", "sign", "targets", "--signer", "file:alice.key", "--yes")
        shutil.copyfile("c/root.json", "alice-root.json")
        shutil.copyfile("c/targets.json", "alice-targets.json")
        tc("-C", "c", "sign", "root", "--signer", "file:bob.key", "--yes")
        shutil.copyfile("c/root.json", "both-root.json")
    except (RuntimeError, OSError, ValueError) as e:
        report(False, "a signing event made by tuf-on-ci-sign's code, signed by tuf-ceremony", f"{type(e).__name__}: {e}")
        return
    what = "event made by tuf-on-ci-sign (root 2 of @alice P-256, @bob P-384; targets @alice)"
    for before, after, signer in (("made-root.json", "alice-root.json", "@alice"),
                                  ("made-targets.json", "alice-targets.json", "@alice"),
                                  ("alice-root.json", "both-root.json", "@bob")):
        report(sig_lines_only(before, after), f"{what}: {signer} signs {after.split('-')[-1]} with `tuf-ceremony sign`, the file changes by the signature line alone")
    # A signing event keeps root_history/N.root.json equal to root.json, as tuf-on-ci-sign writes it.
    files = lambda root, targets: {"root.json": root, "root_history/1.root.json": root, "targets.json": targets}
    alice_signed = files("alice-root.json", "alice-targets.json")
    expect({}, files("made-root.json", "made-targets.json"), "@alice", "SIGNATURE_NEEDED", f"{what}, as @alice before signing", "judge", role="targets")
    expect({}, alice_signed, "@alice", "NO_ACTION", f"{what}, signed by @alice with tuf-ceremony, as @alice", "judge")
    expect({}, alice_signed, "@bob", "SIGNATURE_NEEDED", f"{what}, signed by @alice, as @bob", "judge")
    both = files("both-root.json", "alice-targets.json")
    expect({}, both, "@bob", "NO_ACTION", f"{what}, signed by @alice and @bob with tuf-ceremony, as @bob", "judge")
    expect({}, both, "@alice", "NO_ACTION", f"{what}, signed by @alice and @bob, as @alice", "judge")
    # The thresholds, counted by python-tuf (tuf-on-ci-sign's own metadata library).
    try:
        root = Metadata.from_file("both-root.json")
        root.verify_delegate("root", root)
        root.verify_delegate("targets", Metadata.from_file("alice-targets.json"))
        report(True, f"{what}: root 2 of 2 and targets 1 of 1 met, as python-tuf {__import__('tuf').__version__}'s verify_delegate counts")
    except Exception as e:  # noqa: BLE001
        report(False, f"{what}: thresholds as python-tuf counts", f"{type(e).__name__}: {e}")
    expect_cli({}, alice_signed, "@bob", "the event signed by @alice", top, "sign/root-v1", requested={"root"})
    expect_cli({}, both, "@bob", "the event signed by @alice and @bob", top, "sign/root-v1")


def main(tuf, work):
    from tuf_on_ci_sign import __version__

    print(f"   tuf-on-ci-sign {__version__}")
    tuf, work = os.path.abspath(tuf), os.path.abspath(work)
    made, steps = cosign(tuf, work)
    if made is None:
        made_here(tuf, work)
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
    main_files = {"root.json": V14, "root_history/14.root.json": V14}
    event_files = {"root.json": made[-1], "root_history/15.root.json": made[-1]}
    expect_cli(main_files, event_files, steps[-1][0], f"co-signed file {len(made)}", work, EVENT)
    for owner in pending:
        expect_cli(main_files, event_files, owner, f"co-signed file {len(made)}", work, EVENT, requested={"root"})
    made_here(tuf, work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
