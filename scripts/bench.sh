#!/usr/bin/env bash
# The benchmark: tuf-ceremony against python-tuf, side by side in one run on the
# same PEP 480 claimed.json files with 1,000, 10,000 and 100,000 projects. Not part of the
# tests: timings belong in a benchmark, never in an assertion.
#   scripts/bench.sh            # all three sizes, 3 runs each (least CPU time)
#   scripts/bench.sh 1000 10000 # chosen sizes; BENCH_RUNS=5 for more runs
#   BENCH_LARGE=1 scripts/bench.sh  # also 1,000,000 projects (272 MB; python-tuf is left
#                               # out there unless BENCH_PYTHON_MAX=1000000: ~30 s, 3 GB a run)
#   BENCH_BEFORE=OLD_BINARY     # also time another build in the same run
# Inputs are deterministic; they are kept in target/bench and reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
cargo build --release --locked 2>&1 | tail -n 1
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
[ "${BENCH_LARGE:-0}" = 0 ] || sizes+=(1000000)
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== python-tuf $(.venv/bin/python -c 'import tuf; print(tuf.__version__)'), $(.venv/bin/python --version)"
.venv/bin/python scripts/bench/run.py "$PWD/target/release/tuf-ceremony" "$PWD/target/bench" "${sizes[@]}"
