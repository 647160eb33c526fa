#!/usr/bin/env bash
# Rehearses ceremony-docs/04-emergency-revocation.md with throwaway keys.
source "$(dirname "$0")/lib.sh"
first_ceremony
"$PY" "$ROOT/tests/python/judge.py" ecdsa-pubs dev mallory-dev > /dev/null
run -C ceremony claimed add-project rehearsal-project --key dev/mallory-dev.pub.json > /dev/null
key_file frank > /dev/null

step 1 "Record what happened"
run key show carol.pub.json | tail -1

step 2 "A root keyholder's key: remove it from root"
run -C ceremony root remove-key root carol | sed -n "1,1p"
run -C ceremony root remove-key targets carol | sed -n "1,1p"

step 3 "A claimed keyholder's key: delegate claimed to new keys"
run -C ceremony delegate claimed --key alice=alice.pub.json --key bob=bob.pub.json \
  --key frank=frank.pub.json --threshold 2 --path '*/*' | sed -n "1,1p"

step 4 "A developer's key: revoke it from every project"
devkey=$(run key show dev/mallory-dev.pub.json | sed -n 's/^keyid //p')
run -C ceremony claimed revoke-key "${devkey:0:12}" 2>&1 | sed -n "1,3p"

step 5 "Sign, export, verify, report"
for k in alice bob dave; do run -C ceremony sign root --signer "file:$k.key" --yes | tail -1; done
for k in alice bob; do run -C ceremony sign targets --signer "file:$k.key" --yes | tail -1; done
for k in alice bob; do run -C ceremony sign claimed --signer "file:$k.key" --yes | tail -1; done
run -C ceremony export --out metadata | tail -1
run -C ceremony verify --repo metadata | tail -1
run -C ceremony report --out revocation-report.html
"$PY" "$ROOT/tests/python/judge.py" verify metadata | tail -1
