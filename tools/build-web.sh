#!/usr/bin/env bash
# Builds the web client into web/dist/ with the pinned esbuild from node_modules:
#   web/dist/index.html, audit.html, assets/{player,audit}.js (+ shared chunks), assets/styles.css
# Idempotent: skipped when web/ sources, the build script and the lock are unchanged.
# `--force` rebuilds anyway.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '[build-web] %s\n' "$*" >&2; }
esbuild="$root/node_modules/.bin/esbuild"
[ -x "$esbuild" ] || { say "esbuild is missing: run tools/bootstrap.sh first"; exit 1; }

# The client's list of games comes from the one registration (fairstake/games GAMES): written
# into web/src/games/ (git-ignored) first, so the stamp below covers it.
PYTHONPATH="$root" "$root/.venv/bin/python" -m ops.games

dist="web/dist"
stamp="$( (find web -path web/dist -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum; \
          sha256sum tools/build-web.sh package-lock.json) | sha256sum | cut -d' ' -f1)"
if [ "${1:-}" != "--force" ] && [ -f "$dist/.stamp" ] && [ "$(cat "$dist/.stamp")" = "$stamp" ]; then
  exit 0
fi

say "building the web client into $dist"
staging="$(mktemp -d "web/.dist-XXXXXX")"
trap 'rm -rf "$staging"' EXIT
"$esbuild" web/src/player.js web/src/audit.js \
  --bundle --splitting --format=esm --target=es2022 --minify --sourcemap \
  --legal-comments=linked --log-level=warning \
  --outdir="$staging/assets" --chunk-names='chunks/[name]-[hash]'
cp web/src/styles.css "$staging/assets/styles.css"
cp web/index.html web/audit.html "$staging/"
echo "$stamp" > "$staging/.stamp"
# Swap in place so a server reading web/dist never sees a half-written build.
rm -rf "$dist.old"
[ -d "$dist" ] && mv "$dist" "$dist.old"
mv "$staging" "$dist"
rm -rf "$dist.old"
trap - EXIT
say "done: $(du -sh "$dist" | cut -f1) in $dist"
