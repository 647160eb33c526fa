#!/usr/bin/env bash
# Proves the release build is reproducible: clones the current commit into two fresh
# folders (different paths), builds each with scripts/release.sh a little apart in time,
# and compares the two SHA-256 digests. Not part of the regular tests: each build compiles
# everything from scratch (several minutes on a small machine).
#
#   scripts/release-check.sh [SECONDS_BETWEEN_BUILDS]   # default 61
set -euo pipefail
cd "$(dirname "$0")/.."
pause=${1:-61}
commit=$(git rev-parse HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/tuf-ceremony-release-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

build() {
    local dir=$1
    git clone --quiet --no-hardlinks "$PWD" "$dir"
    git -C "$dir" checkout --quiet "$commit"
    (cd "$dir" && scripts/release.sh | tail -n 1 | cut -d' ' -f1)
}

echo "== commit $commit" >&2
first=$(build "$work/first-clone")
echo "== first build:  $first" >&2
sleep "$pause"
second=$(build "$work/a/second/clone/elsewhere")
echo "== second build: $second" >&2
if [[ "$first" != "$second" ]]; then
    echo "NOT REPRODUCIBLE: the two builds differ" >&2
    cmp -l "$work/first-clone/dist/tuf-ceremony" "$work/a/second/clone/elsewhere/dist/tuf-ceremony" | head -n 20 >&2 || true
    exit 1
fi
echo "reproducible: both builds of $commit have SHA-256 $first"
