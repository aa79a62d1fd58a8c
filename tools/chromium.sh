#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (tests/web), idempotently.
# Playwright drives this system browser through executable_path: `playwright install`
# downloads browsers from a CDN that is not reachable here, the Debian mirror is.
# Needs root (or passwordless sudo); does nothing when /usr/bin/chromium already runs.
set -euo pipefail
say() { printf '[chromium] %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ] && /usr/bin/chromium --headless=new --no-sandbox --version >/dev/null 2>&1; then
  exit 0
fi
command -v apt-get >/dev/null || { say "apt-get not found: install chromium with your package manager"; exit 1; }
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { say "root or sudo is needed to install chromium"; exit 1; }
  sudo="sudo"
fi
say "installing chromium from the Debian archive"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --headless=new --no-sandbox --version
