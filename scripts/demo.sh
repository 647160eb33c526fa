#!/usr/bin/env bash
# A complete example ceremony in a temporary directory, narrated step by step:
# five keyholders with key files, a 3-of-5 root, 2-of-3 targets, PEP 480 claimed, the online
# snapshot/timestamp public keys, one keyholder signing on "another machine" (--detached +
# merge), export, verification by python-tuf (including a real ngclient.Updater refresh),
# then a rotation to root v2 that revokes one keyholder and adds another.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
if ! .venv/bin/python -c 'import tuf, cryptography' 2>/dev/null; then
  echo "== installing python-tuf into .venv (once)"
  python3 -m venv .venv && .venv/bin/pip install -q --disable-pip-version-check 'tuf>=7,<8' cryptography
fi
cargo build --release --locked -q
T="$ROOT/target/release/tuf-ceremony"
JUDGE=(".venv/bin/python" "tests/python/judge.py")
W=$(mktemp -d /tmp/tuf-ceremony-demo.XXXXXX)
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ tuf-ceremony %s\n' "$*"; (cd "$W" && "$T" --passphrase-file pp "$@"); }

say "Working in $W"
# A demo only: real keyholders type their passphrase at the terminal, never into a file.
echo "demo passphrase, never use this one" > "$W/pp"

say "1. Each keyholder makes a key, kept in a passphrase-encrypted file only they hold"
for who in alice bob dave erin frank; do run key generate --out $who.key --keyholder $who | sed -n "1,1p"; done
run key generate --out carol.key --keyholder carol --scheme ecdsa-p256 | sed -n "1,1p"

say "2. The repository makes its online snapshot/timestamp keys (python-tuf); only the public halves come to the ceremony"
(cd "$W" && "$ROOT/${JUDGE[0]}" "$ROOT/${JUDGE[1]}" online-keys online)

say "3. The administrator starts the ceremony: root 3-of-5, targets 2-of-3, claimed 1-of-2"
run -C ceremony init \
  --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json --keyholder carol=carol.pub.json \
  --keyholder dave=dave.pub.json --keyholder erin=erin.pub.json --root-threshold 3 \
  --targets-key alice=alice.pub.json --targets-key bob=bob.pub.json --targets-key carol=carol.pub.json --targets-threshold 2 \
  --online-key snapshot=online/snapshot.pub.json --online-key timestamp=online/timestamp.pub.json \
  --claimed-key alice=alice.pub.json --claimed-key bob=bob.pub.json --claimed-threshold 1 --claimed-path 'pkg/*'

say "4. Alice and Bob sign root at the ceremony machine (what they see before typing yes:)"
(cd "$W" && echo no | "$T" --passphrase-file pp -C ceremony sign root --signer file:alice.key) || true
run -C ceremony sign root --signer file:alice.key --yes
run -C ceremony sign root --signer file:bob.key --yes

say "5. Erin signs on her own air-gapped machine and carries the signature over on a USB stick"
cp -r "$W/ceremony" "$W/erins-machine"
run -C erins-machine sign root --signer file:erin.key --detached erin-root.sig.json --yes
run -C ceremony merge erin-root.sig.json

say "6. targets and claimed"
run -C ceremony sign targets --signer file:alice.key --yes
run -C ceremony sign targets --signer file:carol.key --yes
run -C ceremony sign claimed --signer file:bob.key --yes
run -C ceremony status

say "7. Export, then python-tuf checks every signature"
run -C ceremony export --out repo
(cd "$W" && "$ROOT/${JUDGE[0]}" "$ROOT/${JUDGE[1]}" verify repo)

say "8. A year later: rotate to root v2, revoking dave and adding frank"
run -C ceremony root remove-key root dave
run -C ceremony root add-key root frank.pub.json --keyholder frank
run -C ceremony status || true
for who in alice bob carol frank; do run -C ceremony sign root --signer file:$who.key --yes | sed -n "1,1p"; done
run -C ceremony export --out repo
run -C ceremony verify --trusted-root repo/1.root.json

say "9. python-tuf: verify the chain, publish snapshot/timestamp with the online keys, and refresh a real ngclient.Updater from 1.root.json"
(cd "$W" && "$ROOT/${JUDGE[0]}" "$ROOT/${JUDGE[1]}" verify repo && "$ROOT/${JUDGE[0]}" "$ROOT/${JUDGE[1]}" publish repo online \
  && "$ROOT/${JUDGE[0]}" "$ROOT/${JUDGE[1]}" refresh repo client 2)

say "10. The transcript: who signed what, with which device, when"
run -C ceremony transcript show
run -C ceremony transcript verify
say "Done. Everything is in $W"
