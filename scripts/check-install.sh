#!/usr/bin/env bash
# Runs `make install` into a scratch DESTDIR (no root needed), under a strict umask as root's
# often is, and checks the installed modes and owners against what the installed unit needs:
#  - DynamicUser=yes: the service's user is neither owner nor group of anything installed, so
#    the binary must be executable, and the config (the --config of ExecStart) and the templates
#    it names readable, by others, down every folder make install creates; nothing installed
#    may be writable by group or others (any local user could rewrite what the daemon sends);
#  - LoadCredential=: its source folder exists (or the unit does not start) and is the
#    installer's only (0700): systemd reads it as root; the secrets never need to be readable;
#  - the unit file is 0644;
#  - a second `make install` keeps an edited lembra.yaml.
# BUILD=debug (the default here) installs the debug build `swift build` made; BUILD=release to
# check the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-debug}
dest=$(mktemp -d); log=$(mktemp); trap 'rm -rf "$dest" "$log"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

(umask 077 && make --no-print-directory install DESTDIR="$dest" BUILD="$build" PREFIX=/usr/local >"$log" 2>&1) \
  || { cat "$log" >&2; fail "make install failed"; }

unit=$dest/etc/systemd/system/lembra.service
[[ -f $unit ]] || fail "no unit at /etc/systemd/system/lembra.service"
value() { sed -n "s/^$1=//p" "$unit"; }
me=$(id -u)

# mode PATH: the octal permission bits.
mode() { stat -c '%a' "$1"; }
# Checks PATH (under DESTDIR) is owned by the installer and not writable by group or others.
owned() {
  [[ $(stat -c '%u' "$1") == "$me" ]] || fail "${1#"$dest"} is owned by uid $(stat -c '%u' "$1"), not the installer ($me)"
  (( (8#$(mode "$1") & 8#022) == 0 )) || fail "${1#"$dest"} is writable by group or others (mode $(mode "$1"))"
}
# Checks others may read PATH (and enter it, for a folder): the dynamic user is "others". The
# folders above it that make install creates are checked by name.
readable() {
  local path=$1 need=4
  [[ -d $path ]] && need=5
  (( (8#$(mode "$path") & need) == need )) || fail "${path#"$dest"} (mode $(mode "$path")) is not readable by the service's dynamic user"
  owned "$path"
}

[[ $(value DynamicUser) == yes ]] || fail "the unit no longer says DynamicUser=yes: update this check to the unit's user"
[[ $(mode "$unit") == 644 ]] || fail "the unit is mode $(mode "$unit"), expected 644"
owned "$unit"

# The binary ExecStart runs, and the config it names.
read -r binary _ <<< "$(value ExecStart)"
[[ -f $dest$binary ]] || fail "ExecStart names $binary, which make install did not install"
(( (8#$(mode "$dest$binary") & 8#005) == 5 )) || fail "$binary (mode $(mode "$dest$binary")) is not executable by the service's dynamic user"
owned "$dest$binary"; readable "$(dirname "$dest$binary")"
config=$(value ExecStart | sed -n 's/.*--config[ =]\([^ ]*\).*/\1/p')
[[ -n $config ]] || fail "ExecStart names no --config"
[[ -f $dest$config ]] || fail "ExecStart reads $config, which make install did not install"
[[ $(value ConfigurationDirectory) == lembra && $config == /etc/lembra/* ]] || fail "$config is not in the unit's ConfigurationDirectory"
for path in /etc/lembra "$config" /etc/lembra/lembra.yaml.example; do readable "$dest$path"; done

# The templates folder the installed config names, every locale folder and file in it.
templates=$(sed -n 's/^templates: *\([^ #]*\).*/\1/p' "$dest$config")
[[ -d $dest$templates ]] || fail "the config's templates: $templates was not installed"
count=0
while IFS= read -r -d '' path; do readable "$path"; count=$((count + 1)); done < <(find "$dest$templates" -print0)
(( count > 2 )) || fail "no templates under $templates"

# LoadCredential=ID:SOURCE: the source exists and is the installer's only.
while IFS= read -r line; do
  source=${line#*:}
  [[ -e $dest$source ]] || fail "LoadCredential=$line: make install did not create $source, so the unit would not start"
  [[ $(mode "$dest$source") == 700 ]] || fail "$source is mode $(mode "$dest$source"), expected 700 (secrets: read by systemd as root only)"
  owned "$dest$source"
done < <(value LoadCredential)

# An upgrade keeps the operator's config (and its mode), and refreshes the example.
echo "# edited" >> "$dest$config"
(umask 022 && make --no-print-directory install DESTDIR="$dest" BUILD="$build" PREFIX=/usr/local >/dev/null 2>&1) || fail "a second make install failed"
grep -q '^# edited$' "$dest$config" || fail "a second make install overwrote the edited $config"

echo "check-install: modes and owners match the unit (DynamicUser reads the config and $count template paths; credentials 0700)"
