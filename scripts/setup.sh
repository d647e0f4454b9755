#!/usr/bin/env bash
# Installs what Lembra needs to build and test, idempotently:
#   - Debian packages (libcurl, SQLite and libpq headers, pkg-config, python venv, openssl, systemd-analyze; for tests,
#     chromium and postgresql) when missing;
#   - a Python virtualenv in .venv with the pinned test tools, refreshed when requirements change.
# Usage: scripts/setup.sh [build|test]   (build: system packages only; test: also the venv)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

packages=(libcurl4-openssl-dev libsqlite3-dev libpq-dev pkg-config python3-venv ca-certificates openssl systemd)
# Tests only: the promise page's browser test drives Debian's chromium, headless; the PostgreSQL
# ledger's tests start their own server from Debian's postgresql (never the system's cluster).
[[ $mode != test ]] || packages+=(chromium postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[[ $mode == test ]] || exit 0

stamp=.venv/.requirements.sha
want=$(sha256sum requirements-test.txt | cut -d' ' -f1)
if [[ ! -x .venv/bin/python || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "setup: preparing .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
  echo "$want" > "$stamp"
fi
# The independent Pix BR Code decoder lives in its own venv (its module name would clash).
scripts/brcode-venv.sh
