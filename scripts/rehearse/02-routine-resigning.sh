#!/usr/bin/env bash
# Rehearses ceremony-docs/02-routine-resigning.md with throwaway keys.
source "$(dirname "$0")/lib.sh"
first_ceremony

step 1 "See what expires and when"
run -C ceremony status | grep expires

step 2 "Set the new expiry dates"
run -C ceremony expires root 1y | tail -2
run -C ceremony expires targets 1y | tail -1
run -C ceremony expires claimed 26w | tail -1

step 3 "Keyholders sign, reading the words aloud"
for k in alice bob carol; do run -C ceremony sign root --signer "file:$k.key" --yes | tail -1; done
for k in alice bob; do run -C ceremony sign targets --signer "file:$k.key" --yes | tail -1; done
for k in bob carol; do run -C ceremony sign claimed --signer "file:$k.key" --yes | tail -1; done

step 4 "Export, verify, report"
run -C ceremony export --out metadata | tail -1
run -C ceremony verify --repo metadata | tail -1
run -C ceremony report --out resigning-report.html
"$PY" "$ROOT/tests/python/judge.py" verify metadata | tail -1
