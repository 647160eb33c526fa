#!/usr/bin/env bash
# Rehearses ceremony-docs/07-roles-and-records.md: a small ceremony, then what it recorded.
source "$(dirname "$0")/lib.sh"

step 1 "Who does what"
note "administrator: reads aloud, types the shared commands; keyholders: sign with their own key; witness: checks and signs the report"
first_ceremony

step 2 "What is recorded"
run -C ceremony transcript show | sed -n "1,6p"
run -C ceremony transcript verify
if grep -q "rehearsal passphrase" ceremony/transcript.jsonl; then echo "  A SECRET IS IN THE TRANSCRIPT"; exit 1; fi
note "no passphrase, PIN or key is in the transcript"

step 3 "What to keep afterwards"
run -C ceremony report --out ceremony-report.html
ls ceremony metadata | sed 's/^/  /'
