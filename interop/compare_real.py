#!/usr/bin/env python3
"""Real tough against the model of tough in tests/python/real_verdicts.py, on published roots.

  compare_real.py TOUGH_CHECK DATA_DIR

Runs every case tests/integration/real.rs judges (every root under DATA_DIR as a first root,
every N.root.json -> N+1.root.json in a folder, every interop step K -> K+1 and signing-event
state, and the fixtures' other rotations, listed in
`cases` below in the same order as real.rs lists them) through `TOUGH_CHECK root-pair` and
through real_verdicts.py's `tough_verdict`, and prints one line per case where they differ,
with both reasons. Also counts, for the record, where real tough and python-tuf 7 differ.
Exits 1 if the model is wrong anywhere, 2 if tough-check could not run.
"""
import json, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "python"))
from real_verdicts import python_verdict, tough_verdict  # noqa: E402


def files(d):
    out = []
    for root, _, names in os.walk(d):
        out.extend(os.path.join(root, n) for n in names if n.endswith(".json"))
    return sorted(out)


def cases(d):
    """real.rs's `cases()`: (id, old or None, new)."""
    rel = lambda p: os.path.relpath(p, d)
    allf = files(d)
    out = [(rel(p), None, p) for p in allf]

    def rotation(old, new):
        assert os.path.exists(old) and os.path.exists(new), (old, new)
        out.append((f"{rel(old)} → {rel(new)}", old, new))

    for p in allf:
        dirname = os.path.dirname(p)
        event = os.path.basename(dirname)
        if event.startswith("signing-event-v") and event[len("signing-event-v"):].isdigit():
            v = int(event[len("signing-event-v"):])
            old = os.path.join(os.path.dirname(dirname), "root_history", f"{v - 1}.root.json")
            if v > 0 and os.path.exists(old):
                rotation(old, p)
        name = os.path.basename(p)
        if not name.endswith(".root.json") or not name[: -len(".root.json")].isdigit():
            continue
        n = int(name[: -len(".root.json")])
        nxt = os.path.join(dirname, f"{n + 1}.root.json")
        if os.path.exists(nxt):
            rotation(p, nxt)
        step = os.path.dirname(dirname)
        if n > 0 and os.path.basename(dirname) == "repository" and os.path.basename(step) == str(n - 1):
            nxt = os.path.join(os.path.dirname(step), f"{n}/repository/{n + 1}.root.json")
            if os.path.exists(nxt):
                rotation(p, nxt)
    for case in ("Published2Times_keyrotated_invalidNewRootSignature",
                 "Published2Times_keyrotated_invalidOldRootSignature"):
        base = os.path.join(d, "go-tuf-v0", case, "server/metadata")
        rotation(os.path.join(base, "1.root.json"), os.path.join(base, "root.json"))
    prod = os.path.join(d, "sigstore-root-signing")
    rotation(os.path.join(prod, "root_history/8.root.json"), os.path.join(prod, "legacy-repository/9.root.json"))
    rotation(os.path.join(prod, "legacy-repository/9.root.json"), os.path.join(prod, "root_history/10.root.json"))
    rotation(os.path.join(d, "rstuf/cli/root/v1.json"), os.path.join(d, "rstuf/cli/root/v2.json"))
    return out


def real_tough(tool, old, new):
    args = [tool, "root-pair"] + ([old] if old else []) + [new]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"tough-check failed on {new}: {r.stderr.strip()}", file=sys.stderr)
        sys.exit(2)
    return json.loads(r.stdout)


def main():
    tool, data = sys.argv[1], sys.argv[2]
    rows, wrong, vs_python = [], 0, []
    all_cases = cases(data)
    for cid, old, new in all_cases:
        ob = open(old, "rb").read() if old else None
        nb = open(new, "rb").read()
        model = tough_verdict(ob, nb)
        real = real_tough(tool, old, new)
        python = python_verdict(ob, nb)
        if model["ok"] != real["ok"]:
            wrong += 1
            rows.append((cid, model, real))
        if python["ok"] != real["ok"]:
            vs_python.append((cid, python, real))
    firsts = sum(1 for c in all_cases if c[1] is None)
    print(f"real roots: {firsts} first roots and {len(all_cases) - firsts} rotations run through tough")
    if rows:
        print(f"model vs real tough: {wrong} disagreement(s)")
        print(f"  {'case':<70} {'model':<8} {'tough':<8} why (model | tough)")
        for cid, model, real in rows:
            m = "accepts" if model["ok"] else "refuses"
            t = "accepts" if real["ok"] else "refuses"
            print(f"  {cid:<70} {m:<8} {t:<8} {model['why'] or '-'} | {real['why'] or '-'}")
    else:
        print("model vs real tough: no disagreement")
    print(f"real tough vs python-tuf 7: {len(vs_python)} case(s) differ (for the record, not a failure)")
    for cid, python, real in vs_python:
        p = "accepts" if python["ok"] else "refuses"
        t = "accepts" if real["ok"] else "refuses"
        print(f"  {cid}: python-tuf {p}, tough {t}: {real['why'] or python['why']}")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
