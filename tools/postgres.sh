#!/usr/bin/env bash
# A project-local PostgreSQL server for the indexer and its tests, idempotently:
#   tools/postgres.sh [start]     install Debian's postgresql if missing (apt-get, needs root),
#                                 initdb into .data/pg, start it on 127.0.0.1, create database
#                                 "fairstake", print its DSN on stdout
#   tools/postgres.sh createdb N  (server running) create database N if missing, print its DSN
#   tools/postgres.sh dsn         print the DSN of the running server
#   tools/postgres.sh stop|status
# The cluster trusts local connections (a development server bound to 127.0.0.1 only). When run as
# root, the server runs as the `postgres` system user; if that user cannot enter the clone, the
# cluster lives in ~postgres/fairstake/<checksum of the clone's path> instead of .data/pg (`status`
# prints where). Environment: FAIRSTAKE_PG_DIR (data folder, default .data/pg), FAIRSTAKE_PG_PORT (default: a port derived from the folder's path, so several
# checkouts on one machine do not collide).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${FAIRSTAKE_PG_DIR:-$root/.data/pg}"
say() { printf '[postgres] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  fi
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
}

install_postgres() {
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed; run this script as root once (apt-get install postgresql)"
  say "installing PostgreSQL (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

bindir="$(pg_bindir)"
if [ -z "$bindir" ]; then
  install_postgres
  bindir="$(pg_bindir)"
  [ -n "$bindir" ] || die "postgresql installed but initdb was not found"
fi

if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "no postgres system user (expected from Debian's package)"
  as_pg() { runuser -u postgres -- "$@"; }
  # The server runs as `postgres`, which cannot reach a folder inside a clone that lives under a
  # directory other users cannot enter (a 0700 home, a `mktemp -d` folder). Such a clone keeps its
  # cluster in postgres's own home instead, one folder per clone (named after the clone's path).
  reachable="$data"
  while [ ! -e "$reachable" ]; do reachable="$(dirname "$reachable")"; done
  if ! as_pg test -x "$reachable"; then
    [ -z "${FAIRSTAKE_PG_DIR:-}" ] || die "the postgres user cannot reach FAIRSTAKE_PG_DIR=$data: choose a folder it can enter"
    pg_home="$(getent passwd postgres | cut -d: -f6)"
    [ -n "$pg_home" ] && [ -d "$pg_home" ] || die "the postgres user cannot reach $data and has no home folder"
    data="$pg_home/fairstake/$(printf '%s' "$root" | cksum | cut -d' ' -f1)"
    install -d -o postgres -m 700 "$pg_home/fairstake"
  fi
else
  as_pg() { "$@"; }
fi

default_port() { echo $(( 20000 + $(printf '%s' "$data" | cksum | cut -d' ' -f1) % 20000 )); }

running_port() {
  # postmaster.pid line 4 is the port of a running server.
  if [ -f "$data/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    sed -n 4p "$data/postmaster.pid"
  fi
}

dsn_for() { echo "postgresql://postgres@127.0.0.1:$1/$2"; }

psql_at() {
  local port="$1"; shift
  as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

ensure_db() {
  local port="$1" name="$2"
  [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad database name: $name"
  if [ "$(psql_at "$port" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
    psql_at "$port" -c "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

start() {
  local port
  port="$(running_port)"
  if [ -n "$port" ]; then
    ensure_db "$port" fairstake
    dsn_for "$port" fairstake
    return
  fi
  port="${FAIRSTAKE_PG_PORT:-$(default_port)}"
  mkdir -p "$(dirname "$data")"
  if [ ! -f "$data/PG_VERSION" ]; then
    say "initialising a cluster in $data"
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
    chmod 700 "$data"
    as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  fi
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$data"
  say "starting PostgreSQL on 127.0.0.1:$port"
  as_pg "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null \
    || { tail -n 20 "$data/server.log" >&2 || true; die "PostgreSQL did not start (see $data/server.log)"; }
  ensure_db "$port" fairstake
  dsn_for "$port" fairstake
}

case "${1:-start}" in
  start) start ;;
  createdb)
    [ -n "${2:-}" ] || die "usage: $0 createdb NAME"
    port="$(running_port)"; [ -n "$port" ] || port="$(start >/dev/null; running_port)"
    ensure_db "$port" "$2"
    dsn_for "$port" "$2"
    ;;
  dsn)
    port="$(running_port)"; [ -n "$port" ] || die "not running (tools/postgres.sh start)"
    dsn_for "$port" fairstake
    ;;
  status)
    port="$(running_port)"
    if [ -n "$port" ]; then echo "running on 127.0.0.1:$port ($data)"; else echo "stopped ($data)"; exit 3; fi
    ;;
  stop)
    if [ -n "$(running_port)" ]; then as_pg "$bindir/pg_ctl" -D "$data" -w stop -m fast >/dev/null; say "stopped"; fi
    ;;
  *) die "usage: $0 [start|createdb NAME|dsn|status|stop]" ;;
esac
