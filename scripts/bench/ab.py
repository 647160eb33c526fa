#!/usr/bin/env python3
"""Compares two builds of tuf-ceremony by alternating runs (this machine's speed drifts
from minute to minute, so only runs interleaved in the same minutes compare fairly).

    scripts/bench/ab.py OLD_BINARY NEW_BINARY [ARGS...]

Runs `BINARY ARGS...` RUNS times each (env AB_RUNS, default 25), alternating, output
discarded, and prints the min, 25th percentile and median wall time of each. With no ARGS
it times `-C target/bench/ceremony-100000 verify` (made by scripts/bench.sh). Keep a copy
of the old binary first: `cp target/release/tuf-ceremony /tmp/old`.
"""
import os, statistics, subprocess, sys, time

def main(old, new, *args):
    args = list(args) or ["-C", "target/bench/ceremony-100000", "verify"]
    runs = int(os.environ.get("AB_RUNS", "25"))
    times = {old: [], new: []}
    for _ in range(runs):
        for b in (old, new):
            t = time.perf_counter()
            subprocess.run([b, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[b].append(time.perf_counter() - t)
    for b in (old, new):
        r = sorted(times[b])
        print(f"{b}: min {r[0]:.4f} s  p25 {r[len(r) // 4]:.4f} s  median {statistics.median(r):.4f} s")

if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
