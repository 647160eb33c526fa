#!/usr/bin/env bash
# Runs real TUF clients on what others publish and on what tuf-ceremony exports, and checks
# each client's verdict against tuf-ceremony's own prediction (`tuf-ceremony clients --json`).
# Not part of scripts/test.sh or CI: tough, rust-tuf and their crypto stacks take minutes to
# build, and tuf-js comes from npm. See docs/interop.md.
#   1. every published root in tests/data/real (the cases tests/integration/real.rs judges)
#      through real tough, against the model of tough in tests/python/real_verdicts.py;
#   2. ceremonies made here (ed25519, P-256, P-384, mixed, a root rotation with an RSA key
#      signed by tough's own signer, `init --spec-version 1.0` with a rotation), each exported
#      with snapshot and timestamp added, then read by every client that runs here:
#      python-tuf's ngclient, tough's RepositoryLoader (interop/tough-check), tuf-js 4.1.0
#      and 6.0.2's Updater (interop/tufjs-check.js, from npm), rust-tuf's Client
#      (interop/rust-tuf-check); each verdict must equal the prediction for that client;
#   3. the warnings tuf-ceremony prints name the clients that refuse (tough, tuf-js);
#   4. tuf-on-ci-sign (PyPI, its own venv under target/) judges tuf-on-ci signing events
#      co-signed here: Sigstore's root v15 event merged as tests/integration/foreign.rs does,
#      and an event made by tuf-on-ci-sign's code signed with `tuf-ceremony sign`
#      (interop/tuf_on_ci_check.py).
# go-tuf v2 runs only where Go 1.21+ and its modules can be had (not on this project's
# machines: no Go module proxy is reachable); RSTUF's API is a service and is not run.
# Prints one line per check and "N passed, N failed"; exits 1 on any failure.
# Needs: cargo, openssl, python3 (python-tuf 7 goes into .venv as scripts/test.sh puts it);
# node and npm for tuf-js (installed with apt-get when missing and run as root).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
T0=$(date +%s)
if ! "$PY" -c 'import tuf, cryptography' 2>/dev/null; then
  echo "== installing python-tuf into .venv"
  python3 -m venv .venv && .venv/bin/pip install -q --disable-pip-version-check 'tuf>=7,<8' cryptography || exit 1
fi

build() { # build DIR: a release build of an interop program, timed
  local start; start=$(date +%s)
  (cd "$1" && nice -n 10 cargo build --release --locked 2>&1 | tail -n 2) || return 1
  echo "   built in $(( $(date +%s) - start ))s"
}
echo "== building interop/tough-check (tough $(sed -n 's/^tough = { version = "=\([^"]*\)".*/\1/p' interop/tough-check/Cargo.toml))"
build interop/tough-check || exit 1
echo "== building interop/rust-tuf-check (tuf $(sed -n 's/^tuf = { version = "=\([^"]*\)".*/\1/p' interop/rust-tuf-check/Cargo.toml))"
build interop/rust-tuf-check || exit 1
TC=$ROOT/interop/tough-check/target/release/tough-check
RT=$ROOT/interop/rust-tuf-check/target/release/rust-tuf-check
echo "== cargo build --release (tuf-ceremony: its predictions are what is checked)"
nice -n 10 cargo build --release --locked 2>&1 | tail -n 1 || exit 1
TUF=$ROOT/target/release/tuf-ceremony
[ -x "$TC" ] && [ -x "$RT" ] && [ -x "$TUF" ] || { echo "build failed"; exit 1; }

# tuf-js from npm, kept under target/ (never in the repository's tree).
TUFJS_VERSIONS="4.1.0 6.0.2"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing node and npm (apt-get)"
    { apt-get update -qq && apt-get install -y -qq nodejs npm; } >/dev/null 2>&1
  fi
fi
HAVE_NODE=
if command -v node >/dev/null && command -v npm >/dev/null; then
  HAVE_NODE=1
  for v in $TUFJS_VERSIONS; do
    d=$ROOT/target/interop-npm/tuf-js-$v
    if ! grep -qs "\"version\": \"$v\"" "$d/node_modules/tuf-js/package.json"; then
      echo "== npm install tuf-js@$v (into target/interop-npm)"
      mkdir -p "$d" && (cd "$d" && npm install --silent --no-audit --no-fund "tuf-js@$v") || HAVE_NODE=
    fi
  done
fi
if [ -n "$HAVE_NODE" ]; then tufjs="node $(node --version), tuf-js $TUFJS_VERSIONS"
else tufjs="tuf-js not run: node and npm could not be had"; fi
echo "== clients: python-tuf $("$PY" -c 'import tuf; print(tuf.__version__)'), tough (above), rust-tuf (above), $tufjs"

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

echo "== 2. ceremonies: each client's verdict against tuf-ceremony's prediction"
echo "   not run: go-tuf v2 (it needs Go 1.21+ and its modules from the Go module proxy, which this project's machines do not reach, so there is no interop/go-tuf-check; here: $(command -v go >/dev/null && go version || echo 'no Go'))"
echo "   not run: RSTUF API (a service with its worker, broker and database; its rules are python-tuf's plus its API models)"
(
  set -e
  for k in alice bob carol; do tc key generate --out "$k.key" --keyholder "$k"; done
  for k in pam pat; do tc key generate --out "$k.key" --keyholder "$k" --scheme ecdsa-p256; done
  for k in quinn quill; do tc key generate --out "$k.key" --keyholder "$k" --scheme ecdsa-p384; done
  "$PY" "$ROOT/tests/python/judge.py" online-keys online
) > keys.log 2>&1 || { fail "keys: key generate"; sed 's/^/     /' keys.log; }

# `[CLAIMED=K] ceremony NAME SPEC THRESHOLD KEYHOLDER...`: root keys of KEYHOLDER..., the
# first one also the targets key and (unless CLAIMED names another) the claimed key; every
# root key signs; exported to NAME.repo (an export is never written inside the ceremony folder).
ceremony() {
  local name=$1 spec=$2 threshold=$3; shift 3
  local first=$1 claimed=${CLAIMED:-$1} args=() k
  for k in "$@"; do args+=(--keyholder "$k=$k.pub.json"); done
  (
    set -e
    tc -C "$name" init --spec-version "$spec" "${args[@]}" --root-threshold "$threshold" \
      --targets-key "$first=$first.pub.json" --targets-threshold 1 \
      --online-key snapshot=online/snapshot.pub.json --online-key timestamp=online/timestamp.pub.json \
      --claimed-key "$claimed=$claimed.pub.json" --claimed-threshold 1 --claimed-path 'pkg/*'
    for k in "$@"; do tc -C "$name" sign root --signer "file:$k.key" --yes; done
    tc -C "$name" sign targets --signer "file:$first.key" --yes
    tc -C "$name" sign claimed --signer "file:$claimed.key" --yes
    tc -C "$name" status
    tc -C "$name" export --out "$name.repo"
  ) > "$name.log" 2>&1 && pass "$name: signed and exported (root keys $*, threshold $threshold, claimed key $claimed, spec_version $spec)" \
    || { fail "$name: ceremony"; sed 's/^/     /' "$name.log"; }
}

# `clients NAME`: snapshot and timestamp added to NAME.repo, then every client reads it from
# the trusted 1.root.json; the verdicts are compared with `clients --json`.
clients() {
  local name=$1 repo=$1.repo out=$WORK/$1.verdicts
  mkdir -p "$out"
  "$PY" "$ROOT/interop/publish.py" "$repo" online >> "$name.log" 2>&1
  tc -C "$name" clients --json > "$out/prediction.json" 2>> "$name.log"
  local roots; roots=$(ls "$repo"/*.root.json | wc -l)
  local res
  if res=$("$PY" "$ROOT/tests/python/judge.py" refresh "$repo" "$out/python-tuf.work" "$roots" 2>&1); then
    echo '{"ok":true}' > "$out/python-tuf.json"
  else
    printf '%s' "$res" | "$PY" -c 'import json,sys; l=[x for x in sys.stdin.read().splitlines() if x.strip()]; print(json.dumps({"ok":False,"why":l[-1] if l else ""}))' > "$out/python-tuf.json"
  fi
  # tough: the repository loads, and with it every delegated role (tough loads them all).
  "$TC" load "$repo" 2>&1 | "$PY" -c 'import json,sys
t=sys.stdin.read(); d=json.loads(t.splitlines()[-1]) if t.strip() else {"ok":False,"why":t}
bad=[r["name"] for r in d.get("delegated",[]) if not r["loaded"]]
print(json.dumps({"ok":False,"why":"delegated roles not loaded: "+", ".join(bad)} if d["ok"] and bad else d))' > "$out/tough.json" 2>&1
  "$RT" update "$repo" claimed > "$out/rust-tuf.json" 2>&1
  local pairs=(python-tuf "$out/python-tuf.json" tough "$out/tough.json" rust-tuf "$out/rust-tuf.json")
  if [ -n "$HAVE_NODE" ]; then
    for v in $TUFJS_VERSIONS; do
      mkdir -p "$out/tuf-js-$v.work"
      node "$ROOT/interop/tufjs-check.js" "$ROOT/target/interop-npm/tuf-js-$v" "$repo" \
        "$out/tuf-js-$v.work" pkg/example-1.0.tar.gz claimed > "$out/tuf-js-$v.json" 2>&1
    done
    pairs+=("tuf-js<6.0.2" "$out/tuf-js-4.1.0.json" "tuf-js>=6.0.2" "$out/tuf-js-6.0.2.json")
  fi
  "$PY" "$ROOT/interop/compare_clients.py" "$name" "$out/prediction.json" "${pairs[@]}" > "$out/compare.txt" 2>&1
  cat "$out/compare.txt"
  passed=$((passed + $(grep -c '^PASS' "$out/compare.txt")))
  failed=$((failed + $(grep -c '^FAIL' "$out/compare.txt")))
  # A comparison that printed nothing (a crash) is a failure too.
  grep -q '^PASS\|^FAIL' "$out/compare.txt" || { fail "$name: no comparison"; sed 's/^/     /' "$out/compare.txt"; }
}

ceremony ed25519 1.0.31 2 alice bob;            clients ed25519
ceremony p256 1.0.31 2 pam pat;                 clients p256
ceremony p384 1.0.31 2 quinn quill;             clients p384
ceremony mixed 1.0.31 3 alice pam quinn;        clients mixed
ceremony mixed-2of3 1.0.31 2 alice pam quinn;   clients mixed-2of3
ceremony spec10-p256 1.0 2 alice pam;           clients spec10-p256
# Threshold 1: alice's ed25519 signature alone would do, but rust-tuf verifies no signature
# over a file holding a PEM key (its canonical JSON escapes the newlines).
ceremony spec10-p256-1of2 1.0 1 alice pam;      clients spec10-p256-1of2
# An ed25519 root and targets delegating claimed to a P-384 key: tough reads a delegation's
# keys as it reads root's, so it refuses targets.json.
CLAIMED=quinn ceremony delegated-p384 1.0 2 alice bob; clients delegated-p384

# spec10: `init --spec-version 1.0`, rotated v1 -> v2 (bob out, carol in): rust-tuf's reading.
ceremony spec10 1.0 2 alice bob
(
  set -e
  tc -C spec10 root add-key root carol.pub.json --keyholder carol
  tc -C spec10 root remove-key root bob --threshold 2
  for k in alice carol bob; do tc -C spec10 sign root --signer "file:$k.key" --yes; done
  tc -C spec10 export --out spec10.repo
  tc -C spec10 verify --trusted-root spec10.repo/1.root.json
) >> spec10.log 2>&1 && pass "spec10: rotated to v2 (bob out, carol in), exported" \
  || { fail "spec10: rotation"; sed 's/^/     /' spec10.log; }
clients spec10

# rotation: ed25519, P-256 and RSA root keys, the RSA signature made by tough's own signer
# (as tuftool's `root sign` makes it), rotated v1 -> v2 (the P-256 key out, an ed25519 in).
(
  set -e
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out frank.pem 2>/dev/null
  "$TC" pubkey frank.pem | "$PY" -c 'import json,sys; json.dump(json.load(sys.stdin)["key"], open("frank.pub.json","w"))'
  tc -C rotation init --keyholder alice=alice.pub.json --keyholder pam=pam.pub.json \
    --keyholder frank=frank.pub.json --root-threshold 3 --targets-key alice=alice.pub.json \
    --targets-threshold 1 --online-key snapshot=online/snapshot.pub.json \
    --online-key timestamp=online/timestamp.pub.json --claimed-key alice=alice.pub.json \
    --claimed-threshold 1 --claimed-path 'pkg/*'
) > rotation.log 2>&1 && pass "rotation: RSA key made, ceremony initialised" || { fail "rotation: init"; sed 's/^/     /' rotation.log; }
# frank's signature: tough's signer co-signs the working root as tuftool's `root sign` does;
# tuf-ceremony takes the signature it added as any signature made elsewhere.
tough_sign() {
  "$TC" sign rotation/root.json "tough-signed-$1.json" frank.pem > "tough-sign-$1.json" &&
    ok_field true < "tough-sign-$1.json" &&
    "$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))["signatures"]; assert len(s)==1; json.dump(s[0], open(sys.argv[2],"w"))' \
      "tough-sign-$1.json" "frank-$1.sig.json" &&
    tc -C rotation rstuf import "frank-$1.sig.json" --role root
}
(
  set -e
  tc -C rotation sign root --signer file:alice.key --yes
  tc -C rotation sign root --signer file:pam.key --yes
  tough_sign v1
  tc -C rotation sign targets --signer file:alice.key --yes
  tc -C rotation sign claimed --signer file:alice.key --yes
  tc -C rotation export --out rotation.repo
  tc -C rotation root add-key root carol.pub.json --keyholder carol
  tc -C rotation root remove-key root pam --threshold 2
  tc -C rotation sign root --signer file:alice.key --yes
  tc -C rotation sign root --signer file:carol.key --yes
  # v1's threshold is 3 of alice, pam and frank: pam signs the rotation that removes her.
  tc -C rotation sign root --signer file:pam.key --yes
  tough_sign v2
  tc -C rotation export --out rotation.repo
  tc -C rotation verify --trusted-root rotation.repo/1.root.json
) >> rotation.log 2>&1 && pass "rotation: v1 (alice, pam P-256, frank RSA by tough; 3 of 3) -> v2 (pam out, carol in; 2 of 3), exported" \
  || { fail "rotation: sign/rotate/export"; sed 's/^/     /' rotation.log; }
clients rotation

echo "== 3. warnings name the clients that refuse"
if grep -q "^warning: .*tough" rotation.log; then
  fail "rotation: a warning names tough, yet tough loads it"; grep "^warning: .*tough" rotation.log | sed 's/^/     /'
else
  pass "rotation: no warning names tough"
fi
check "p384: tuf-ceremony warns naming tough" grep -qE '^warning: .*tough' p384.log
check "p384: tuf-ceremony warns naming tuf-js before 6.0.2" \
  grep -q '^warning: tuf-js before 6.0.2 would refuse this repository' p384.log
check "ed25519: no warning names tough or tuf-js" sh -c '! grep -qE "^warning: .*(tough|tuf-js)" ed25519.log'

echo "== 4. tuf-on-ci: its own signer code judges signing events co-signed here"
# tuf-on-ci-sign from PyPI (the signer's package; tuf-on-ci's repository side is not on
# PyPI), in its own venv under target/ (never in the repository's tree).
TOC_VERSION=0.21.0
TOC=$ROOT/target/interop-tuf-on-ci
if ! "$TOC/bin/python" -c 'import sys, tuf_on_ci_sign as t; sys.exit(t.__version__ != sys.argv[1])' "$TOC_VERSION" 2>/dev/null; then
  echo "   installing tuf-on-ci-sign $TOC_VERSION (into target/interop-tuf-on-ci)"
  rm -rf "$TOC"
  { python3 -m venv "$TOC" && "$TOC/bin/pip" install -q --disable-pip-version-check "tuf-on-ci-sign==$TOC_VERSION"; } > "$WORK/tuf-on-ci-install.log" 2>&1 \
    || { fail "tuf-on-ci: pip install tuf-on-ci-sign==$TOC_VERSION"; sed 's/^/     /' "$WORK/tuf-on-ci-install.log" | tail -n 15; }
fi
if [ -x "$TOC/bin/tuf-on-ci-sign" ]; then
  mkdir -p "$WORK/tuf-on-ci"
  "$TOC/bin/python" "$ROOT/interop/tuf_on_ci_check.py" "$TUF" "$WORK/tuf-on-ci" > "$WORK/tuf-on-ci.txt" 2>&1
  rc=$?
  cat "$WORK/tuf-on-ci.txt"
  passed=$((passed + $(grep -c '^PASS' "$WORK/tuf-on-ci.txt")))
  failed=$((failed + $(grep -c '^FAIL' "$WORK/tuf-on-ci.txt")))
  # A crash (an exit status no FAIL line accounts for) is a failure too.
  if { [ "$rc" -ne 0 ] && ! grep -q '^FAIL' "$WORK/tuf-on-ci.txt"; } || grep -q '^Traceback' "$WORK/tuf-on-ci.txt"; then
    fail "tuf-on-ci: interop/tuf_on_ci_check.py exited $rc without finishing"
  fi
fi

echo "   took $(( $(date +%s) - T0 ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
