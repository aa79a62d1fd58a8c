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
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
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

# Chainlink's reference VRF verifier, compiled only into the compatibility test harness
# (contracts/test/ChainlinkVRFHarness.sol). Only this one file of the npm tarball is kept, in .deps/
# (not committed); its npm dependencies are not needed and not installed.
chainlink_version="1.2.0"
chainlink_vrf_sha256="558cbd917a9c750ea2ecb03d493dd55166b40534b56bb4ec6afdda8a583daea4"
chainlink_vrf=".deps/chainlink/contracts/src/v0.8/vrf/VRF.sol"
if [ ! -f "$chainlink_vrf" ]; then
  say "fetching Chainlink's VRF.sol from @chainlink/contracts@$chainlink_version"
  pack_dir="$(mktemp -d)"
  if ! npm pack "@chainlink/contracts@$chainlink_version" --pack-destination "$pack_dir" --loglevel=error >/dev/null \
    || ! tar -xzf "$pack_dir"/chainlink-contracts-"$chainlink_version".tgz -C "$pack_dir" package/src/v0.8/vrf/VRF.sol; then
    rm -rf "$pack_dir"
    say "cannot fetch @chainlink/contracts@$chainlink_version from the npm registry; it is needed to compile"
    say "contracts/test/ChainlinkVRFHarness.sol (the Chainlink compatibility tests). Check registry access and retry."
    exit 1
  fi
  if [ "$(sha256sum "$pack_dir/package/src/v0.8/vrf/VRF.sol" | cut -d' ' -f1)" != "$chainlink_vrf_sha256" ]; then
    rm -rf "$pack_dir"
    say "Chainlink's VRF.sol from @chainlink/contracts@$chainlink_version does not match its pinned sha256"
    exit 1
  fi
  mkdir -p "$(dirname "$chainlink_vrf")"
  mv "$pack_dir/package/src/v0.8/vrf/VRF.sol" "$chainlink_vrf"
  rm -rf "$pack_dir"
fi

# Compiled artifacts whose source is gone (a contract moved or deleted since the last build, e.g.
# by a pull) make brownie refuse to load the project ("Unable to load project"), and brownie
# reuses an artifact whose own file is unchanged even when a file it imports changed: drop both,
# and brownie compiles what is missing on its next run. The script records the sources' hashes
# for the next check, so it runs before the first build too.
mkdir -p build
.venv/bin/python tools/prune_stale_build.py build

# The web client (served by the API at /), rebuilt only when its sources changed.
tools/build-web.sh
