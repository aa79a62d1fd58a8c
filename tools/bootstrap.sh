#!/usr/bin/env bash
# Installs everything Fairstake needs into project-local folders, idempotently:
#   .venv/          Python dependencies pinned in requirements.lock, plus this project (editable)
#   node_modules/   node tools pinned in package-lock.json (solc-js, OpenZeppelin, anvil, ganache)
#   .solcx/         the solc-js adapter registered as solc-v<version> for py-solc-x / brownie
# Each step is skipped when the stamp of its inputs is unchanged, so a second run installs nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '[bootstrap] %s\n' "$*" >&2; }
stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

command -v python3 >/dev/null || { say "python3 is required"; exit 1; }
command -v node >/dev/null || { say "node is required"; exit 1; }
command -v npm >/dev/null || { say "npm is required"; exit 1; }

# Python
py_stamp="$(stamp_of requirements.lock pyproject.toml)"
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.fairstake-stamp 2>/dev/null)" != "$py_stamp" ]; then
  say "installing Python dependencies into .venv"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  # Every Python in the venv (brownie, pytest, fairstake) finds the project-local compiler.
  site="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  printf 'import os; os.environ.setdefault("SOLCX_BINARY_PATH", %s)\n' "'$root/.solcx'" > "$site/fairstake_solcx.pth"
  echo "$py_stamp" > .venv/.fairstake-stamp
fi

# Node tools
node_stamp="$(stamp_of package-lock.json)"
if [ ! -d node_modules ] || [ "$(cat node_modules/.fairstake-stamp 2>/dev/null)" != "$node_stamp" ]; then
  # `npm install` honours the lock's pins; `npm ci` refuses this lock because the registry
  # here lacks anvil's optional binaries for other platforms (only linux-amd64 is locked).
  say "installing node tools into node_modules"
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$node_stamp" > node_modules/.fairstake-stamp
fi

# Compiler registration for py-solc-x (it cannot download compilers here).
solc_version="$(node -e 'process.stdout.write(require("solc/package.json").version)')"
adapter=".solcx/solc-v$solc_version"
if [ ! -x "$adapter" ]; then
  say "registering solc-js $solc_version as $adapter"
  mkdir -p .solcx
  printf '#!/bin/sh\nexec node "%s/tools/solc-adapter.js" "$@"\n' "$root" > "$adapter"
  chmod +x "$adapter"
fi
