#!/usr/bin/env python3
"""The benchmark behind scripts/bench.sh: tuf-ceremony and python-tuf side by side, in one
run, on the same files.

    run.py BIN WORKDIR N [N…]

For each N it builds (deterministically) a PEP 480 claimed.json with N projects, loads it
into a ceremony with root and targets signed, then runs each operation RUNS times and
reports the least CPU time (user + system, os.wait4's rusage of the one process: on a
shared machine the minimum of several runs is the figure other load disturbs least) and the
peak resident memory (ru_maxrss, so nothing else is counted):
  verify   tuf-ceremony verify              python: from_file(targets, claimed) + verify_delegate
  status   tuf-ceremony status              python: the same
  verify (after export), status (after export): the same commands on the folder after
           export, which holds claimed.json twice (working and trusted)
  sign     tuf-ceremony sign claimed (SoftHSM token, then key file)
                                            python: from_file, sign (in-memory key), to_file
  floor    tuf-ceremony inspect --digest    read, parse, canonicalize and SHA-256 once
  sha256   read and hash the file only (Python hashlib), the I/O floor
The key-file sign includes age's scrypt, which age calibrates to about one second and
512 MiB on purpose; the SoftHSM sign is the same work without it.

BENCH_BEFORE=BINARY also times another build (sign, verify, status, floor) in the same run.
python-tuf runs only for sizes up to BENCH_PYTHON_MAX projects (default 100000): at
1,000,000 it takes about half a minute and 3 GB a run. BENCH_PYTHON_MAX=1000000 to include it.
"""
import hashlib, os, shutil, subprocess, sys

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PYTHON_MAX = int(os.environ.get("BENCH_PYTHON_MAX", "100000"))
BEFORE = os.environ.get("BENCH_BEFORE")
HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable
PASS = "correct horse battery staple"


def run(cmd, env=None, cwd=None, before=None):
    """Least CPU seconds (user + system) and max peak RSS (MiB) over RUNS runs of cmd."""
    cpus, rss = [], []
    for _ in range(RUNS):
        if before:
            before()
        p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        cpus.append(usage.ru_utime + usage.ru_stime)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{err}")
        rss.append(usage.ru_maxrss / 1024)
    return min(cpus), max(rss)


def sh(cmd, env=None, cwd=None):
    r = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def main(bin_, work, *sizes):
    os.makedirs(work, exist_ok=True)
    pp = os.path.join(work, "pp")
    with open(pp, "w") as f:
        f.write(PASS + "\n")
    env = dict(os.environ)
    # A SoftHSM2 token holding bob's key, so signing can be timed without a passphrase KDF.
    tokens = os.path.join(work, "tokens")
    os.makedirs(tokens, exist_ok=True)
    conf = os.path.join(work, "softhsm2.conf")
    with open(conf, "w") as f:
        f.write(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env["SOFTHSM2_CONF"] = conf
    tok = "pkcs11:token=bench;object=bob?module-path=/usr/lib/softhsm/libsofthsm2.so"
    alice_pub = os.path.join(work, "alice.pub.json")
    if not os.path.exists(alice_pub):
        sh(["softhsm2-util", "--init-token", "--free", "--label", "bench", "--so-pin", "12345678", "--pin", PASS], env=env)
        sh([bin_, "--passphrase-file", pp, "key", "generate", "--out", os.path.join(work, "alice.key"), "--keyholder", "alice"])
        sh([bin_, "--passphrase-file", pp, "key", "generate", "--signer", tok, "--pub-out", os.path.join(work, "bob.pub.json")], env=env)
    rows = []
    for n in sizes:
        n = int(n)
        inputs = os.path.join(work, f"inputs-{n}")
        cer = os.path.join(work, f"ceremony-{n}")
        pristine = cer + ".pristine"
        if not os.path.exists(pristine):
            shutil.rmtree(cer, ignore_errors=True)
            sh([PY, os.path.join(HERE, "make_claimed.py"), inputs, str(n), f"{alice_pub},{os.path.join(work, 'bob.pub.json')}"])
            sh([bin_, "-C", cer, "load", *[os.path.join(inputs, f"{r}.json") for r in ("root", "targets", "claimed")],
                "--keyholder", f"alice={alice_pub}", "--keyholder", f"bob={os.path.join(work, 'bob.pub.json')}"])
            for role in ("root", "targets"):
                sh([bin_, "--passphrase-file", pp, "-C", cer, "sign", role, "--signer", "file:" + os.path.join(work, "alice.key"), "--yes"])
            shutil.copytree(cer, pristine)
        claimed_in = os.path.join(inputs, "claimed.json")
        size_mb = os.path.getsize(claimed_in) / 1e6

        def fresh():
            shutil.rmtree(cer, ignore_errors=True)
            shutil.copytree(pristine, cer)

        fresh()
        working = os.path.join(cer, "claimed.json")

        def timed(b, key_file):
            o = {}
            o["sign (SoftHSM)"] = run([b, "--passphrase-file", pp, "-C", cer, "sign", "claimed", "--signer", tok, "--yes"], env=env, before=fresh)
            if key_file:
                o["sign (key file)"] = run([b, "--passphrase-file", pp, "-C", cer, "sign", "claimed", "--signer", "file:" + os.path.join(work, "alice.key"), "--yes"], before=fresh)
            # verify and status need the signed claimed: sign once more and keep it.
            fresh()
            sh([b, "--passphrase-file", pp, "-C", cer, "sign", "claimed", "--signer", tok, "--yes"], env=env)
            o["verify"] = run([b, "-C", cer, "verify"])
            o["status"] = run([b, "-C", cer, "status"])
            o["floor: parse+canonical+sha256"] = run([b, "inspect", "--digest", working])
            # A folder after export holds claimed.json twice (working and trusted/): each
            # command still reads and hashes both, and parses what it needs once.
            exported = os.path.join(work, f"exported-{n}")
            shutil.rmtree(exported, ignore_errors=True)
            try:
                sh([b, "-C", cer, "export", "--out", exported])
                o["verify (after export)"] = run([b, "-C", cer, "verify"])
                o["status (after export)"] = run([b, "-C", cer, "status"])
            except SystemExit as e:
                print(f"(after export: skipped, export failed: {e})")
            return o

        # BENCH_BEFORE=OTHER_BINARY: the same operations by another build, in the same run.
        old = timed(BEFORE, False) if BEFORE else {}
        out = timed(bin_, True)
        out["floor: read+sha256 only"] = run([PY, "-c", f"import hashlib;hashlib.sha256(open({working!r},'rb').read())"])
        py = {}
        if n <= PYTHON_MAX:
            py["verify"] = run([PY, os.path.join(HERE, "python_ops.py"), "verify", cer])
            py["status"] = py["verify"]
            out_py = os.path.join(work, "python-signed.json")
            py["sign"] = run([PY, os.path.join(HERE, "python_ops.py"), "sign", cer, out_py])
        startup = run([PY, "-c", "import tuf.api.metadata, securesystemslib.signer"])
        wsize = os.path.getsize(working) / 1e6
        rows.append((n, size_mb, wsize, out, py))
        print(f"\n== {n} projects: claimed.json {size_mb:.1f} MB as made by python-tuf (compact), {wsize:.1f} MB as the ceremony keeps it (readable, the file both tools read)")
        print(f"{'operation (least CPU of ' + str(RUNS) + ', peak)':34} {'tuf-ceremony':>16} {'python-tuf':>16} {'speed-up':>9}")
        for op, (t, m) in out.items():
            # "sign (SoftHSM)" and "verify (after export)" set beside python-tuf's sign, verify.
            key = op.split(" (")[0]
            if key in py:
                pt, pm = py[key]
                print(f"{op:34} {t:7.3f} s {m:5.0f} MiB {pt:7.3f} s {pm:5.0f} MiB {pt / t:8.1f}x")
            else:
                print(f"{op:34} {t:7.3f} s {m:5.0f} MiB")
        for op, (t, m) in old.items():
            print(f"{'before: ' + op:34} {t:7.3f} s {m:5.0f} MiB")
        print(f"{'(python start + import tuf alone)':34} {'':16} {startup[0]:7.3f} s {startup[1]:5.0f} MiB")
        file_mib = os.path.getsize(working) / 2**20
        floor = out["floor: parse+canonical+sha256"][0]
        ours = (f"verify takes {out['verify'][0] / floor:.2f}x our floor; peak memory / file size: "
                f"verify {out['verify'][1] / file_mib:.2f}x, status {out['status'][1] / file_mib:.2f}x, "
                f"sign (SoftHSM) {out['sign (SoftHSM)'][1] / file_mib:.2f}x")
        if py:
            ours += f", python-tuf verify {py['verify'][1] / file_mib:.2f}x, sign {py['sign'][1] / file_mib:.2f}x"
        print(ours)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        scale = last[0] / first[0]
        print(f"\n== growth from {first[0]} to {last[0]} projects ({scale:.0f}x the projects)")
        for op in ("verify", "status", "sign (SoftHSM)", "floor: parse+canonical+sha256"):
            a, b = first[3][op][0], last[3][op][0]
            print(f"{op:34} {a:7.3f} s -> {b:7.3f} s ({b / a:6.1f}x; per project {b / a / scale:.2f}x)")


if __name__ == "__main__":
    main(*sys.argv[1:])
