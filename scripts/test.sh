#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine (idempotently), builds once
# (release profile, shared by the tests and the demo), and runs every test.
#   - Debian softhsm2 (the real PKCS#11 token the hardware-signer tests use; each test
#     initialises its own throwaway tokens with softhsm2-util in a temporary folder)
#   - python-tuf 7 + cryptography in .venv (the reference implementation that judges exports)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/deps.sh
echo "== python-tuf $(.venv/bin/python -c 'import tuf; print(tuf.__version__)')"

echo "== cargo build --release"
cargo build --release --all-targets --locked 2>&1 | tail -n 3
# The yubihsm crate's MockHsm behind a yubihsm-connector-compatible HTTP server, for the
# YubiHSM tests. Its own package, built in debug: the crate refuses to build MockHsm in a
# release build, and it never enters the tuf-ceremony binary. Its MockHsm is the crates.io
# crate with tools/mock-yubihsm-connector/yubihsm-mockhsm/mockhsm-p384.patch applied by that
# package's build.rs (P-384 keys; attestation refused instead of a panic).
echo "== cargo build -p mock-yubihsm-connector"
cargo build -p mock-yubihsm-connector --locked 2>&1 | tail -n 3
echo "== cargo test --release"
cargo test --release --locked
