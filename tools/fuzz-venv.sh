#!/usr/bin/env bash
# A separate virtualenv for the API fuzz test: schemathesis needs a newer hypothesis than
# eth-brownie pins, so it cannot live in .venv. Idempotent: does nothing when the pinned
# version is already installed. Prints the path of the schemathesis executable.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${FAIRSTAKE_FUZZ_VENV:-$root/.venv-fuzz}"
pin="schemathesis==4.32.5"
say() { printf '[fuzz-venv] %s\n' "$*" >&2; }

if [ -x "$venv/bin/schemathesis" ] && [ "$(cat "$venv/.fairstake-stamp" 2>/dev/null)" = "$pin" ]; then
  echo "$venv/bin/schemathesis"
  exit 0
fi
python="${FAIRSTAKE_FUZZ_PYTHON:-}"
if [ -z "$python" ]; then
  for candidate in "$root/.venv/bin/python" python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
  done
fi
[ -n "$python" ] || { say "python3 is required"; exit 1; }
say "installing $pin into $venv"
"$python" -m venv --clear "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$pin"
echo "$pin" > "$venv/.fairstake-stamp"
echo "$venv/bin/schemathesis"
