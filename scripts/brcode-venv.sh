#!/usr/bin/env bash
# Makes .venv-brcode, the virtualenv holding the independent Pix BR Code decoder (starkbank-brcode)
# used by Tests/servers/check_brcode.py. Idempotent: does nothing while requirements-brcode.txt is
# unchanged; rebuilds the venv when it changes. Separate from .venv so the decoder's module name
# (`brcode`) and versions can't interfere with the other test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-brcode
stamp=$venv/.requirements.sha
want=$(sha256sum requirements-brcode.txt | cut -d' ' -f1)
if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  exit 0
fi
echo "brcode-venv: preparing $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r requirements-brcode.txt
"$venv/bin/python" -c "import brcode.utils.brcodeId"
echo "$want" > "$stamp"
