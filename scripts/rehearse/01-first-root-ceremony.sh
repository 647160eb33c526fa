#!/usr/bin/env bash
# Rehearses ceremony-docs/01-first-root-ceremony.md with throwaway keys.
source "$(dirname "$0")/lib.sh"

step 1 "Check the room and the machine"
run --version

step 2 "Each keyholder makes their key"
for k in alice bob dave erin; do key_file "$k"; done
key_token carol ecdsa-p256
online_keys

step 3 "The administrator writes the first root, targets and claimed"
run -C ceremony init \
  --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json \
  --keyholder carol=carol.pub.json --keyholder dave=dave.pub.json \
  --keyholder erin=erin.pub.json --root-threshold 3 --targets-threshold 2 \
  --online-key snapshot=online/snapshot.pub.json --online-key timestamp=online/timestamp.pub.json \
  --claimed-key alice=alice.pub.json --claimed-key bob=bob.pub.json \
  --claimed-key carol=carol.pub.json --claimed-threshold 2 --claimed-path '*/*' | tail -3
printf '%s\n' 'require_proof_of_possession = true' '[roles.root]' 'min_threshold = 3' \
  'max_expiry_days = 366' '[roles.targets]' 'min_threshold = 2' \
  '[roles.claimed.projects]' 'require_proof_of_possession = false' > policy.toml
run -C ceremony policy set policy.toml | tail -1
run -C ceremony status | grep -E "^policy"

step 4 "Keyholders sign root, reading the words aloud"
run -C ceremony sign root --signer file:alice.key --yes | tail -1
run -C ceremony sign root --signer "$(token carol)" --yes | tail -1
run -C ceremony sign root --signer file:erin.key --yes --detached erin-root.sig.json | tail -1
run -C ceremony merge erin-root.sig.json | tail -1

step 5 "Keyholders sign targets and claimed"
run -C ceremony sign targets --signer file:alice.key --yes | tail -1
run -C ceremony sign targets --signer file:bob.key --yes | tail -1
run -C ceremony sign claimed --signer file:bob.key --yes | tail -1
run -C ceremony sign claimed --signer "$(token carol)" --yes | tail -1

step 6 "Check every threshold is met"
run -C ceremony status --tree | grep -E "READY|NOT READY|──|root v|^proof of possession"
run -C ceremony transcript sign --signer file:dave.key --yes | grep "signed the transcript head"
run -C ceremony status | grep -E "^proof of possession|^policy"

step 7 "Export and verify"
run -C ceremony export --out metadata | tail -1
run -C ceremony verify --repo metadata | tail -1
run -C ceremony transcript verify
"$PY" "$ROOT/tests/python/judge.py" verify metadata | tail -1

step 8 "Keyholders sign the transcript"
run -C ceremony transcript sign --signer file:alice.key --yes | grep "signed the transcript head"
run -C ceremony transcript sign --signer "$(token carol)" --yes | grep "signed the transcript head"
run -C ceremony transcript sign --signer file:erin.key --yes | grep "signed the transcript head"
run -C ceremony transcript verify | grep -A2 "signed head"

step 9 "Print the report and sign off"
run -C ceremony report --out ceremony-report.html
echo "rehearsal folder: $W"
