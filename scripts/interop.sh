#!/usr/bin/env bash
# Runs awslabs/tough, the Rust TUF client (Bottlerocket, sigstore-rs), on what others publish
# and on what tuf-ceremony exports. Not part of scripts/test.sh or CI: tough and its crypto
# stack take minutes to build. See docs/interop.md.
#   1. every published root in tests/data/real (the cases tests/integration/real.rs judges)
#      through real tough, against the model of tough in tests/python/real_verdicts.py;
#   2. a ceremony with ed25519, P-256 and RSA root keys (the RSA signature made by tough's own
#      signer, as tuftool's `root sign` makes it), a root rotation, export: python-tuf's
#      ngclient and tough's RepositoryLoader must both load the repository;
#   3. a ceremony whose root holds a P-384 key: tough must refuse it, python-tuf load it,
#      and tuf-ceremony's output must warn naming tough;
#   4. the same root through tuf-js 4.1.0 (what npm 11 bundles) and 6.0.2, when node and npm
#      are present: 4.1.0 must refuse it ("root was signed by 1/2 keys"), 6.0.2 accept it,
#      and tuf-ceremony's output must warn naming tuf-js before 6.0.2.
# Prints one line per check and "N passed, N failed"; exits 1 on any failure.
# Needs: cargo, openssl, python3 (python-tuf 7 goes into .venv as scripts/test.sh puts it).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
if ! "$PY" -c 'import tuf, cryptography' 2>/dev/null; then
  echo "== installing python-tuf into .venv"
  python3 -m venv .venv && .venv/bin/pip install -q --disable-pip-version-check 'tuf>=7,<8' cryptography || exit 1
fi

echo "== building interop/tough-check (tough $(sed -n 's/^tough = { version = "=\([^"]*\)".*/\1/p' interop/tough-check/Cargo.toml))"
start=$(date +%s)
(cd interop/tough-check && nice -n 10 cargo build --release --locked 2>&1 | tail -n 2) || exit 1
echo "   built in $(( $(date +%s) - start ))s"
TC=$ROOT/interop/tough-check/target/release/tough-check
if [ ! -x target/release/tuf-ceremony ]; then
  echo "== cargo build --release (tuf-ceremony)"
  cargo build --release --locked 2>&1 | tail -n 2 || exit 1
fi
TUF=$ROOT/target/release/tuf-ceremony
[ -x "$TC" ] && [ -x "$TUF" ] || { echo "build failed"; exit 1; }

passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
# `check WHAT CMD...`: CMD's exit status decides; its output is shown on failure.
check() {
  local what=$1; shift
  local out
  if out=$("$@" 2>&1); then pass "$what"; else fail "$what"; echo "$out" | sed 's/^/     /'; fi
}
ok_field() { "$PY" -c 'import json,sys; d=json.loads(sys.stdin.readline()); sys.exit(0 if d["ok"] is (sys.argv[1]=="true") else 1)' "$1"; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== 1. published roots: real tough against the model in tests/python/real_verdicts.py"
if "$PY" interop/compare_real.py "$TC" tests/data/real > "$WORK/real.txt"; then
  sed 's/^/   /' "$WORK/real.txt"; pass "model of tough agrees with tough on every published root"
else
  sed 's/^/   /' "$WORK/real.txt"; fail "model of tough disagrees with tough (table above)"
fi

cd "$WORK"
printf 'interop-passphrase\n' > pp
tc() { "$TUF" --passphrase-file "$WORK/pp" "$@"; }
log() { tee -a "$WORK/$1.log" >/dev/null; }

echo "== 2. ed25519 + P-256 + RSA (signed by tough) root, a rotation, export, both clients load it"
(
  set -e
  tc key generate --out alice.key --keyholder alice
  tc key generate --out bob.key --keyholder bob --scheme ecdsa-p256
  tc key generate --out carol.key --keyholder carol
  # frank signs with tough: an RSA-3072 key in PKCS#8 PEM, the kind tuftool reads.
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out frank.pem 2>/dev/null
  "$TC" pubkey frank.pem | "$PY" -c 'import json,sys; json.dump(json.load(sys.stdin)["key"], open("frank.pub.json","w"))'
  "$PY" "$ROOT/tests/python/judge.py" online-keys online
  tc -C c init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json \
    --keyholder frank=frank.pub.json --root-threshold 3 --targets-key alice=alice.pub.json \
    --targets-threshold 1 --online-key snapshot=online/snapshot.pub.json \
    --online-key timestamp=online/timestamp.pub.json --claimed-key alice=alice.pub.json \
    --claimed-threshold 1 --claimed-path 'pkg/*'
) > mixed.log 2>&1 && pass "mixed: keys made, ceremony initialised" || { fail "mixed: init"; sed 's/^/     /' mixed.log; }

# frank's signature: tough's signer co-signs the working root as tuftool's `root sign` does;
# tuf-ceremony takes the signature it added as any signature made elsewhere.
tough_sign() {
  "$TC" sign c/root.json "tough-signed-$1.json" frank.pem > "tough-sign-$1.json" &&
    ok_field true < "tough-sign-$1.json" &&
    "$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))["signatures"]; assert len(s)==1; json.dump(s[0], open(sys.argv[2],"w"))' \
      "tough-sign-$1.json" "frank-$1.sig.json" &&
    tc -C c rstuf import "frank-$1.sig.json" --role root
}
(
  set -e
  tc -C c sign root --signer file:alice.key --yes
  tc -C c sign root --signer file:bob.key --yes
  tough_sign v1
  tc -C c sign targets --signer file:alice.key --yes
  tc -C c sign claimed --signer file:alice.key --yes
  tc -C c export --out repo
) >> mixed.log 2>&1 && pass "mixed v1: signed by alice (ed25519), bob (P-256), frank (RSA, by tough), exported" \
  || { fail "mixed v1: sign/export"; sed 's/^/     /' mixed.log; }
check "mixed v1: tough accepts 1.root.json as a first root" sh -c "'$TC' root-pair repo/1.root.json | tee /dev/stderr | grep -q '\"ok\":true'"
(
  set -e
  tc -C c root add-key root carol.pub.json --keyholder carol
  tc -C c root remove-key root bob --threshold 2
  tc -C c sign root --signer file:alice.key --yes
  tc -C c sign root --signer file:carol.key --yes
  # v1's threshold is 3 of alice, bob and frank: bob signs the rotation that removes him.
  tc -C c sign root --signer file:bob.key --yes
  tough_sign v2
  tc -C c export --out repo
  tc -C c verify --trusted-root repo/1.root.json
) >> mixed.log 2>&1 && pass "mixed v2: bob (P-256) rotated out, carol (ed25519) in, threshold 2; v1's 3 of 3 and v2's 2 of 3 met, tough's RSA signature in both; exported" \
  || { fail "mixed v2: rotation"; sed 's/^/     /' mixed.log; }
check "mixed v1 → v2: tough accepts the rotation" sh -c "'$TC' root-pair repo/1.root.json repo/2.root.json | tee /dev/stderr | grep -q '\"ok\":true'"
"$PY" "$ROOT/tests/python/judge.py" publish repo online >> mixed.log 2>&1
check "mixed: python-tuf ngclient refreshes to root v2 and looks a target up through claimed" \
  "$PY" "$ROOT/tests/python/judge.py" refresh repo client 2
"$TC" load repo > load-mixed.json 2>&1
echo "     tough load: $(cat load-mixed.json)"
check "mixed: tough's RepositoryLoader loads the exported repository through root v2 and claimed" \
  "$PY" -c 'import json,sys; d=json.load(open("load-mixed.json")); assert d["ok"], d["why"]; assert d["root"]==2, d; assert any(r["name"]=="claimed" and r["loaded"] for r in d["delegated"]), d'
if grep -q "^warning: .*tough" mixed.log; then
  fail "mixed: a warning names tough, yet tough loads it"; grep "^warning: .*tough" mixed.log | sed 's/^/     /'
else
  pass "mixed: no warning names tough"
fi

echo "== 3. a root with a P-384 key: tough refuses it and tuf-ceremony says so"
(
  set -e
  tc key generate --out erin.key --keyholder erin
  tc key generate --out grace.key --keyholder grace --scheme ecdsa-p384
  "$PY" "$ROOT/tests/python/judge.py" online-keys online384
  tc -C p init --keyholder erin=erin.pub.json --keyholder grace=grace.pub.json --root-threshold 2 \
    --targets-key erin=erin.pub.json --targets-threshold 1 \
    --online-key snapshot=online384/snapshot.pub.json --online-key timestamp=online384/timestamp.pub.json \
    --claimed-key erin=erin.pub.json --claimed-threshold 1 --claimed-path 'pkg/*'
  tc -C p sign root --signer file:erin.key --yes
  tc -C p sign root --signer file:grace.key --yes
  tc -C p sign targets --signer file:erin.key --yes
  tc -C p sign claimed --signer file:erin.key --yes
  tc -C p status
  tc -C p export --out repo384
) > p384.log 2>&1 && pass "p384: ceremony signed and exported" || { fail "p384: ceremony"; sed 's/^/     /' p384.log; }
"$PY" "$ROOT/tests/python/judge.py" publish repo384 online384 >> p384.log 2>&1
check "p384: python-tuf ngclient refreshes (it reads P-384)" "$PY" "$ROOT/tests/python/judge.py" refresh repo384 client384 1
"$TC" root-pair repo384/1.root.json > pair384.json 2>&1
"$TC" load repo384 > load384.json 2>&1
echo "     tough root-pair: $(cat pair384.json)"
echo "     tough load: $(cat load384.json)"
check "p384: tough refuses the root (first root and repository load)" \
  sh -c 'grep -q "\"ok\":false" pair384.json && grep -q "\"ok\":false" load384.json'
warned=$(grep -E '^warning: .*tough' p384.log | sort -u)
if [ -n "$warned" ]; then
  pass "p384: tuf-ceremony warns naming tough ($(grep -cE '^warning: .*tough' p384.log) warning line(s))"
  echo "$warned" | head -n 4 | sed 's/^/     /'
else
  fail "p384: no warning names tough"; sed 's/^/     /' p384.log
fi

echo "== 4. the P-384 root through tuf-js before and from 6.0.2"
if command -v node >/dev/null && command -v npm >/dev/null; then
  for v in 4.1.0 6.0.2; do
    mkdir -p "tufjs-$v"
    (cd "tufjs-$v" && npm install --silent --no-audit --no-fund "tuf-js@$v") > "tufjs-$v.log" 2>&1
    # @tufjs/models' own check of a first root: Metadata.fromJSON, then verifyDelegate.
    node -e '
      const fs = require("fs");
      const { Metadata } = require(process.argv[1] + "/node_modules/@tufjs/models");
      const r = Metadata.fromJSON("root", JSON.parse(fs.readFileSync(process.argv[2])));
      try { r.verifyDelegate("root", r); console.log(JSON.stringify({ ok: true })); }
      catch (e) { console.log(JSON.stringify({ ok: false, why: e.message })); }' \
      "$WORK/tufjs-$v" repo384/1.root.json > "tufjs-$v.json" 2>&1
    echo "     tuf-js $v: $(cat "tufjs-$v.json")"
  done
  check "p384: tuf-js 4.1.0 refuses the root" grep -q '"ok":false' tufjs-4.1.0.json
  check "p384: tuf-js 6.0.2 reads the root" grep -q '"ok":true' tufjs-6.0.2.json
  check "p384: tuf-ceremony warns naming tuf-js before 6.0.2" \
    grep -q '^warning: tuf-js before 6.0.2 would refuse this repository' p384.log
else
  echo "     node and npm not found: tuf-js not run"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
