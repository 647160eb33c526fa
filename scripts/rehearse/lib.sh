# Shared by the rehearsal scripts (scripts/rehearse/NN-*.sh). Each script runs the real
# commands of one runbook in ceremony-docs/, with throwaway keys in a temporary folder, and
# prints "STEP N: Title" for each of the runbook's steps, in the same words, so a team can
# rehearse and the test suite can check the two never drift apart.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${TUF_CEREMONY_BIN:-$ROOT/target/release/tuf-ceremony}"
PY="${TUF_CEREMONY_PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release --locked -q)
W="$(mktemp -d "${TMPDIR:-/tmp}/tuf-rehearsal.XXXXXX")"
cd "$W"
# Throwaway passphrases, PINs and tokens: never do this with real keys.
echo "rehearsal passphrase, throwaway only" > pp
mkdir -p tokens
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$W" > softhsm2.conf
export SOFTHSM2_CONF="$W/softhsm2.conf"
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so

step() { echo; echo "STEP $1: $2"; }
run() { echo "$ tuf-ceremony $*" >&2; "$BIN" --passphrase-file "$W/pp" "$@"; }
note() { echo "  ($*)"; }

# A keyholder's key in a key file (passphrase-encrypted).
key_file() { run key generate --out "$1.key" --keyholder "$1" ${2:+--scheme "$2"} > /dev/null; echo "  $1: key file $1.key, public key $1.pub.json"; }

# A keyholder's key generated inside a throwaway SoftHSM token (stands in for a YubiKey,
# Nitrokey or YubiHSM at a rehearsal).
key_token() {
  softhsm2-util --init-token --free --label "$1" --so-pin 00000000 --pin "$(cat "$W/pp")" > /dev/null
  run key generate --signer "pkcs11:token=$1;object=tuf-key?module-path=$SOFTHSM" --scheme "${2:-ecdsa-p256}" --pub-out "$1.pub.json" > /dev/null
  echo "  $1: key in token \"$1\", public key $1.pub.json"
}
token() { echo "pkcs11:token=$1;object=tuf-key?module-path=$SOFTHSM"; }

# The repository's online keys (the online side makes these; only public keys come in).
online_keys() { "$PY" "$ROOT/tests/python/judge.py" online-keys online > /dev/null; }

# The state after runbook 1 (quietly): five keyholders, root 3 of 5, targets 2, claimed 2,
# exported to metadata/.
first_ceremony() {
  for k in alice bob carol dave erin; do key_file "$k" > /dev/null; done
  online_keys
  run -C ceremony init \
    --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json \
    --keyholder carol=carol.pub.json --keyholder dave=dave.pub.json \
    --keyholder erin=erin.pub.json --root-threshold 3 --targets-threshold 2 \
    --online-key snapshot=online/snapshot.pub.json --online-key timestamp=online/timestamp.pub.json \
    --claimed-key alice=alice.pub.json --claimed-key bob=bob.pub.json \
    --claimed-key carol=carol.pub.json --claimed-threshold 2 --claimed-path '*/*' > /dev/null
  for k in alice bob carol; do run -C ceremony sign root --signer "file:$k.key" --yes > /dev/null; done
  for k in alice bob; do run -C ceremony sign targets --signer "file:$k.key" --yes > /dev/null; done
  for k in alice bob; do run -C ceremony sign claimed --signer "file:$k.key" --yes > /dev/null; done
  run -C ceremony export --out metadata > /dev/null
  echo "  (the first ceremony is done: root v1, targets v1, claimed v1 in metadata/)"
}
