#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer), apart from the tests:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]      (default 1200 s, every target)
# Targets (fuzz/fuzz_targets): metadata, canonical, sigfile, signer_ref, transcript.
# The corpus grows in fuzz/corpus/TARGET (not committed); fuzz/seeds/TARGET is the
# minimized corpus worth keeping (committed; refresh it with
# `cargo fuzz cmin --fuzz-dir fuzz TARGET fuzz/corpus/TARGET` and copy). `cargo test` replays
# both through the targets' own checks (fuzz/checks.rs, tests/integration/fuzz_replay.rs). A crash lands in
# fuzz/artifacts/TARGET and must become a regression test (tests/corpus or a unit test).
# The machine has only a stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z
# flags to it. Uses AddressSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-1200}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(metadata canonical sigfile signer_ref transcript)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds+=("fuzz/seeds/$t")
  case "$t" in
    metadata|canonical) seeds+=(tests/vectors tests/corpus/metadata) ;;
    sigfile) seeds+=(tests/corpus/sigfile) ;;
    transcript) seeds+=(tests/corpus/transcript) ;;
  esac
  # Built apart from the run, unfiltered: a target that no longer compiles fails here
  # instead of vanishing into the filtered run below.
  cargo fuzz build --fuzz-dir fuzz "$t"
  echo "== fuzzing $t for ${secs}s"
  cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 2>&1 \
    | grep -E "^(#[0-9]+ *DONE|stat::|==|SUMMARY|Done)" || true
  if ls "fuzz/artifacts/$t"/crash-* >/dev/null 2>&1; then
    echo "!! crashes in fuzz/artifacts/$t"; exit 1
  fi
done
