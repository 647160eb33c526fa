#!/usr/bin/env bash
# Rehearses docs/remote-signing.md with throwaway keys: erin signs a root rotation at her own
# site, from a signing request, with nothing of the ceremony folder there.
source "$(dirname "$0")/lib.sh"
first_ceremony
key_file frank > /dev/null
run -C ceremony root add-key root frank.pub.json --keyholder frank | sed -n "1,1p"
mkdir -p usb erin-site

step 1 "The administrator writes the signing request"
run -C ceremony request write root --out usb/ceremony-request.json | sed -n "1,3p"

step 2 "The keyholder checks and signs the request"
cp usb/ceremony-request.json erin.key erin-site/
(cd erin-site && run request sign ceremony-request.json --role root \
  --signer file:erin.key --out erin-root.sig.json --yes | tail -1)
note "erin's site holds: $(ls erin-site | tr '\n' ' ')"
cp erin-site/erin-root.sig.json usb/

step 3 "The administrator merges the signature"
run -C ceremony merge usb/erin-root.sig.json

step 4 "Check every threshold, export and verify"
for k in alice bob; do run -C ceremony sign root --signer "file:$k.key" --yes | tail -1; done
run -C ceremony status | sed -n '/^root/,/^targets/p' | grep -v "^targets"
run -C ceremony export --out metadata | tail -1
run -C ceremony verify --repo metadata | grep -E "root v1 → v2|^verify:"
"$PY" "$ROOT/tests/python/judge.py" verify metadata | grep "v1 -> v2"
