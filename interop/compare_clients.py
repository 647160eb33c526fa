#!/usr/bin/env python3
"""Compares each client's verdict on a ceremony's export with tuf-ceremony's prediction.

  compare_clients.py CEREMONY PREDICTION CLIENT RESULT [CLIENT RESULT]...

PREDICTION: the output of `tuf-ceremony -C DIR clients --json`. CLIENT: a client id of that
output (python-tuf, tough, tuf-js<6.0.2, ...). RESULT: a file holding the client's verdict
as one JSON line, {"ok": true|false, "why": "..."}, as interop/tough-check,
interop/rust-tuf-check and interop/tufjs-check.js print it. Prints one PASS or FAIL line per
client, with the reasons on each side where there are any; exits 1 on any mismatch.
"""
import json, sys


def main(ceremony, prediction, pairs):
    with open(prediction) as f:
        predicted = {c["client"]: c for c in json.load(f)["clients"]}
    failed = 0
    for client, path in zip(pairs[0::2], pairs[1::2]):
        p = predicted[client]
        try:
            with open(path) as f:
                lines = [l for l in f.read().splitlines() if l.strip()]
            got = json.loads(lines[-1])
        except (OSError, ValueError, IndexError) as e:
            got = {"ok": False, "why": f"no verdict read from {path}: {e}"}
        said = "accepts" if p["accepts"] else "refuses"
        did = "accepts" if got["ok"] else "refuses"
        ok = p["accepts"] == bool(got["ok"])
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'} {ceremony} / {client}: predicted {said}, {client} {did}")
        if not p["accepts"]:
            print(f"     predicted: {'; '.join(p['refusals'])[:400]}")
        if not got["ok"]:
            print(f"     {client}: {str(got.get('why', ''))[:400]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
