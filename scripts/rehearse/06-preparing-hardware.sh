#!/usr/bin/env bash
# Rehearses ceremony-docs/06-preparing-hardware.md: SoftHSM stands in for the YubiKey or
# Nitrokey, and the yubihsm crate's MockHsm (tools/mock-yubihsm-connector, built by
# scripts/test.sh) for the YubiHSM 2.
source "$(dirname "$0")/lib.sh"

step 1 "The offline machine"
run --version
ip -brief link 2>/dev/null | awk '{print "  interface " $1 " " $2}' || true
note "at the real ceremony, only lo may be listed"

step 2 "A YubiHSM 2"
MOCK="$ROOT/target/debug/mock-yubihsm-connector"
[ -x "$MOCK" ] || (cd "$ROOT" && cargo build -q -p mock-yubihsm-connector --locked)
port=$(( 20000 + RANDOM % 20000 ))
"$MOCK" "$port" > mock.out 2>/dev/null &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q ready mock.out 2>/dev/null && break; sleep 0.1; done
echo password > hsm-password
"$BIN" --passphrase-file hsm-password key generate --signer "yubihsm://127.0.0.1:$port/?key=0x0101&auth=1&label=root-alice" \
  --scheme ecdsa-p256 --pub-out alice.pub.json | sed -n "1,1p"
"$BIN" --passphrase-file hsm-password key show "yubihsm://127.0.0.1:$port/?key=0x0101&auth=1" | grep keyid

step 3 "A YubiKey (PIV) or a Nitrokey HSM"
key_token bob ecdsa-p256
"$BIN" key show "$(token bob)" | grep keyid
note "no PIN was asked: the token shows its public key freely"

step 4 "A key file (or a SoftHSM token for rehearsals)"
key_file carol
ls -l carol.key | awk '{print "  " $1 " " $NF}'
"$PY" "$ROOT/tests/python/judge.py" open-keyfile carol.key pp carol.pub.json

step 5 "Rehearse"
note "run scripts/rehearse/01-first-root-ceremony.sh on the offline machine"
