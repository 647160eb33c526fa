#!/usr/bin/env bash
# Rehearses ceremony-docs/05-moving-recently-claimed.md with throwaway keys; python-tuf
# plays the repository's online side.
source "$(dirname "$0")/lib.sh"
first_ceremony
# Runbook 1's policy: every keyholder's key proven, the projects' developers never asked.
printf '%s\n' 'require_proof_of_possession = true' '[roles.root]' 'min_threshold = 3' \
  'max_expiry_days = 366' '[roles.targets]' 'min_threshold = 2' \
  '[roles.claimed.projects]' 'require_proof_of_possession = false' > policy.toml
run -C ceremony policy set policy.toml > /dev/null
run -C ceremony delegate recently-claimed --online-key online/recently-claimed.pub.json \
  --threshold 1 --path '*/*' > /dev/null
for k in alice bob; do run -C ceremony sign targets --signer "file:$k.key" --yes > /dev/null; done
run -C ceremony export --out metadata > /dev/null

step 1 "Bring in the online side's recently-claimed"
"$PY" "$ROOT/tests/python/judge.py" make-recently-claimed online usb requests:dev1:1 numpy:dev2+dev3:2

step 2 "Move its projects into claimed"
run -C ceremony claimed import-recently-claimed usb/recently-claimed.json --out for-online

step 3 "Keyholders sign claimed"
for k in alice bob; do run -C ceremony sign claimed --signer "file:$k.key" --yes | tail -1; done

step 4 "Export and hand back to the online side"
run -C ceremony export --out metadata | tail -1
cat for-online/moved-projects.txt
"$PY" "$ROOT/tests/python/judge.py" sign-online online recently-claimed for-online/recently-claimed.json metadata
"$PY" "$ROOT/tests/python/judge.py" verify metadata | tail -1
