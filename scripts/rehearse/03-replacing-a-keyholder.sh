#!/usr/bin/env bash
# Rehearses ceremony-docs/03-replacing-a-keyholder.md with throwaway keys.
source "$(dirname "$0")/lib.sh"
first_ceremony

step 1 "New keys are made"
key_file frank
key_token erin-token ecdsa-p256
cp erin-token.pub.json erin-new.pub.json

step 2 "The administrator changes root"
run -C ceremony keyholder retire dave | sed -n "1,3p"
run -C ceremony root add-key root frank.pub.json --keyholder frank | sed -n "1,1p"
run -C ceremony keyholder retire --key erin.pub.json | sed -n "1,3p"
run -C ceremony root add-key root erin-new.pub.json --keyholder erin | sed -n "1,1p"
run -C ceremony root add-key targets erin-new.pub.json | sed -n "1,1p"

step 3 "Check what the rotation needs"
run -C ceremony status | sed -n '/^root/,/^targets/p' | grep -v "^targets"

step 4 "Old and new keyholders sign root v2"
for k in alice bob carol; do run -C ceremony sign root --signer "file:$k.key" --yes | tail -1; done
run -C ceremony sign root --signer file:frank.key --yes | tail -1
run -C ceremony sign root --signer "$(token erin-token)" --yes | tail -1

step 5 "Export, verify from the old root, report"
run -C ceremony export --out metadata | tail -1
run -C ceremony verify --repo metadata | grep -E "root v1 → v2|^verify:"
run -C ceremony report --out rotation-report.html
"$PY" "$ROOT/tests/python/judge.py" verify metadata | grep "v1 -> v2"
for k in dave erin; do
  run -C ceremony key show "$k.pub.json" | grep -A3 "^in the ceremony"
  run -C ceremony key show "$k.pub.json" | grep -q "no role of the trusted metadata lists it"
done
