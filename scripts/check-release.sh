#!/usr/bin/env bash
# The binary `make install` ships: it builds with `make release`'s flags, runs, and every library
# it loads belongs to a Debian package (the Swift runtime and Foundation are linked in, so none
# comes from the toolchain; see README, "Deploy"). Run by CI after `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-release: $*" >&2; exit 1; }
log=$(mktemp); trap 'rm -f "$log"' EXIT
make --no-print-directory release >"$log" 2>&1 || { cat "$log" >&2; fail "make release failed"; }
bin=.build/release/lembra
"$bin" --version >/dev/null || fail "$bin --version failed"
libs=$(ldd "$bin") || fail "ldd $bin failed"
! grep -q "not found" <<<"$libs" || fail "$bin needs libraries this machine lacks: $(grep "not found" <<<"$libs" | tr -s ' \t\n' ' ')"
# The package that installed library `$1`, under whichever name dpkg knows it: with merged /usr,
# a package lists /lib/... or /usr/lib/..., and ldd may print either.
owner() {
  local real; real=$(readlink -f "$1")
  for candidate in "$1" "$real" "${real#/usr}"; do
    dpkg -S "$candidate" 2>/dev/null | cut -d: -f1 && return 0
  done
  return 1
}
packages=()
for path in $(awk '$2 == "=>" { print $3 }' <<<"$libs"); do
  packages+=("$(owner "$path")") || fail "$bin loads $path, which no Debian package installed"
done
echo "check-release: $bin runs and loads ${#packages[@]} libraries, all from Debian packages: $(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')"
