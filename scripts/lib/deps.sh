# Installs what the tests and the benchmark need, idempotently (sourced by scripts/test.sh
# and scripts/bench.sh):
#   - Debian softhsm2 (a real PKCS#11 token), strace and util-linux's unshare (the air-gap
#     test runs a ceremony in an empty network namespace and records its system calls), and
#     chromium (the ceremony report is rendered headless and checked)
#   - python-tuf 7 + cryptography (+ pyrage, rage's Python binding) in .venv
#   - repository-service-tuf 1.0.0b1 (RSTUF's CLI, whose own code the RSTUF tests drive) in
#     .venv: it adds packages but changes none of the versions above (pip --dry-run checked)
missing=()
[ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
command -v strace >/dev/null || missing+=(strace)
command -v unshare >/dev/null || missing+=(util-linux)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! .venv/bin/python -c 'import tuf, cryptography, pyrage' 2>/dev/null; then
  echo "== installing python-tuf (and pyrage, rage's Python binding) into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check 'tuf>=7,<8' cryptography pyrage
fi
if ! .venv/bin/python -c 'import repository_service_tuf.cli.admin.helpers' 2>/dev/null; then
  echo "== installing repository-service-tuf 1.0.0b1 (RSTUF's CLI) into .venv"
  .venv/bin/pip install -q --disable-pip-version-check 'repository-service-tuf==1.0.0b1'
fi
# pydantic 2, for RSTUF's REST API models (tests/data/rstuf-api): already there through
# repository-service-tuf's own dependencies; installed here only if it is not.
if ! .venv/bin/python -c 'import pydantic, sys; sys.exit(pydantic.VERSION[0] != "2")' 2>/dev/null; then
  echo "== installing pydantic 2 (RSTUF's API models) into .venv"
  .venv/bin/pip install -q --disable-pip-version-check 'pydantic>=2,<3'
fi
export TUF_CEREMONY_PYTHON="$PWD/.venv/bin/python"
