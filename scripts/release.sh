#!/usr/bin/env bash
# Builds the tuf-ceremony binary reproducibly and prints its SHA-256.
#
#   scripts/release.sh            # writes dist/tuf-ceremony, prints "SHA-256  dist/tuf-ceremony"
#
# Two builds of the same commit, in different folders, at different times, by different
# users, give the same bytes (scripts/release-check.sh proves it on this machine). What
# could make them differ, and what is done about it:
#   - the toolchain: pinned to Rust 1.95.0 (x86_64-unknown-linux-gnu); the script refuses
#     another (RELEASE_ALLOW_TOOLCHAIN=1 to build anyway, for a binary nobody compares);
#   - the dependencies: Cargo.lock, with --locked;
#   - paths: the source folder, CARGO_HOME (registry sources) and the target folder are
#     remapped (--remap-path-prefix) to /build/tuf-ceremony, /cargo and /target, for Rust;
#     C code built by dependencies (mimalloc) gets the same through -ffile-prefix-map;
#   - debug information: none (the release profile's debug = false), and symbols stripped;
#   - the linker's build-id note: left out (-Wl,--build-id=none);
#   - time: SOURCE_DATE_EPOCH is the commit's time, for anything that stamps one;
#   - incremental compilation: off (its cache would make a rebuild depend on the last one).
# The build uses its own target folder (target/reproducible), so an ordinary development
# build never changes it. It builds the commit checked out: commit (or stash) first; a
# change not committed is refused, since the digest must name a commit.
set -euo pipefail
cd "$(dirname "$0")/.."

RUST_PINNED="rustc 1.95.0"
TARGET_TRIPLE="x86_64-unknown-linux-gnu"

have=$(rustc --version)
if [[ "$have" != "$RUST_PINNED "* && "${RELEASE_ALLOW_TOOLCHAIN:-0}" != 1 ]]; then
    echo "release.sh: this build needs $RUST_PINNED ($TARGET_TRIPLE), not \"$have\"." >&2
    echo "  Install it (rustup toolchain install 1.95.0; rustup override set 1.95.0), or set" >&2
    echo "  RELEASE_ALLOW_TOOLCHAIN=1 for a binary whose digest no one will compare." >&2
    exit 2
fi
if [[ -n "$(git status --porcelain --untracked-files=no)" && "${RELEASE_ALLOW_DIRTY:-0}" != 1 ]]; then
    echo "release.sh: the working tree has changes that are not committed; commit them first" >&2
    echo "  (the digest printed must belong to one commit)." >&2
    exit 2
fi

src=$(pwd -P)
cargo_home=$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd -P)
target="$src/target/reproducible"
commit=$(git rev-parse HEAD)

export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)
export CARGO_TARGET_DIR="$target"
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_RELEASE_INCREMENTAL=false
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_STRIP=symbols
remap="--remap-path-prefix=$src=/build/tuf-ceremony --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$target=/target"
# RUSTFLAGS replaces any flags from a user's cargo configuration, so theirs cannot leak in.
export RUSTFLAGS="$remap -C link-arg=-Wl,--build-id=none"
prefix_map="-ffile-prefix-map=$src=/build/tuf-ceremony -ffile-prefix-map=$cargo_home=/cargo -ffile-prefix-map=$target=/target"
export CFLAGS="${CFLAGS:+$CFLAGS }$prefix_map"
export CFLAGS_x86_64_unknown_linux_gnu="$CFLAGS"

echo "== building tuf-ceremony at commit $commit with $have (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)" >&2
cargo build --release --locked --bin tuf-ceremony --target "$TARGET_TRIPLE" >&2

mkdir -p dist
cp "$target/$TARGET_TRIPLE/release/tuf-ceremony" dist/tuf-ceremony
digest=$(sha256sum dist/tuf-ceremony | cut -d' ' -f1)
# What could still name this machine: report it rather than hide it.
for leak in "$src" "$cargo_home" "$target"; do
    if grep -qF "$leak" dist/tuf-ceremony; then
        echo "release.sh: warning: the binary contains the path $leak; it will differ when built elsewhere" >&2
    fi
done
echo "$digest  dist/tuf-ceremony"
