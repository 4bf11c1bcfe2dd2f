#!/usr/bin/env bash
# usage: scripts/with-postgres.sh CMD [ARG...]
#
# Runs CMD with MERIT_TEST_DATABASE_URL pointing at a throwaway PostgreSQL cluster (issue 19, docs/postgresql.md
# "The test server"): made in a temporary directory, on 127.0.0.1 at a free port, with fsync off, and always stopped
# and removed afterwards, whatever CMD did. `make test` runs the test suite through it, so CI and a newcomer's
# `make test` both get a server and the PostgreSQL tests never skip there.
#
# When MERIT_TEST_DATABASE_URL is already set (a server of your own), CMD runs against it and nothing is started.
# PostgreSQL missing: installed from Debian's packages when running as root, otherwise the script says how.
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user (runuser -u postgres).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi
if [ -n "${MERIT_TEST_DATABASE_URL:-}" ]; then
  exec "$@"
fi

say() { echo "with-postgres: $*" >&2; }

# The server's binaries (initdb and pg_ctl are not on Debian's PATH: they live in /usr/lib/postgresql/N/bin).
find_pgbin() {
  local ctl
  if ctl=$(command -v pg_ctl 2>/dev/null) && [ "$(basename "$(readlink -f "$ctl")")" = pg_ctl ]; then
    dirname "$(readlink -f "$ctl")"
    return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

pgbin=$(find_pgbin)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  if [ "$(id -u)" = 0 ]; then
    say "PostgreSQL is not installed: installing Debian's postgresql package with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pgbin=$(find_pgbin)
  fi
  if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
    say "PostgreSQL's server binaries (initdb, pg_ctl) are missing: sudo apt-get install postgresql," \
      "or set MERIT_TEST_DATABASE_URL=postgresql://USER@HOST:PORT/DB to a server of your own"
    exit 1
  fi
fi

# As root the cluster runs as postgres; as anyone else, as themselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/merit-pg.XXXXXX")
started=""
cleanup() {
  local rc=$?
  if [ -n "$started" ]; then
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || say "could not stop the server (log: $dir/server.log)"
  fi
  rm -rf "$dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
as_owner "$pgbin/initdb" -D "$dir/data" -U merit --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; say "initdb failed"; exit 1; }

# A free port: the kernel picks one for a socket bound to port 0; another process may take it before the server
# does (then the start fails and another port is tried).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  if as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 2>&1; then
    started=yes
    break
  fi
  # A failed start may leave a postmaster behind only if it did start; make sure before retrying.
  as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
done
if [ -z "$started" ]; then
  cat "$dir/server.log" >&2 || true
  say "the PostgreSQL server did not start"
  exit 1
fi

"$pgbin/psql" -X -q -h 127.0.0.1 -p "$port" -U merit -d postgres -c 'CREATE DATABASE merit' >/dev/null
export MERIT_TEST_DATABASE_URL="postgresql://merit@127.0.0.1:$port/merit"
say "$("$pgbin/postgres" --version | sed 's/^postgres (PostgreSQL) /PostgreSQL /') at $MERIT_TEST_DATABASE_URL (a throwaway cluster in $dir, removed afterwards)"

# Not exec: the server must be stopped when CMD ends. CMD runs as a child the script waits for, so that an INT or
# TERM sent to the script reaches CMD too (no test process left running against a removed server).
"$@" &
child=$!
trap 'kill -INT "$child" 2>/dev/null; wait "$child"; exit 130' INT
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
wait "$child"
