#!/usr/bin/env bash
# Static analysis with Slither on brownie's build artifacts (compiled by solc-js).
# Slither lives in its own venv (.venv-slither): its dependency pins differ from brownie's.
# Usage: tools/slither.sh [extra slither args...]   (e.g. --json reports/slither.json)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv=.venv-slither
pins="slither-analyzer==0.11.6 crytic-compile==0.4.2"
if [ "$(cat "$venv/.fairstake-stamp" 2>/dev/null)" != "$pins" ]; then
  printf '[slither] installing %s into %s\n' "$pins" "$venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check $pins
  echo "$pins" > "$venv/.fairstake-stamp"
fi
export PATH="$root/node_modules/.bin:$PATH"
exec "$venv/bin/slither" . --compile-force-framework brownie --brownie-ignore-compile \
  --filter-paths "node_modules|contracts/test" "$@"
