# Sourced by .ci/run (and usable by hand: `source .ci/postgres.sh` in a bash shell). Starts a throwaway PostgreSQL
# cluster of its own for the storage tests and exports KETACARE_TEST_POSTGRES to reach it:
#   - initdb into a fresh mktemp folder (owned by the postgres OS user when run as root: initdb refuses root),
#   - trust authentication, listening on 127.0.0.1 only and on a Unix socket inside that folder,
#   - a free TCP port, so it never meets the system's own clusters (5432 and friends stay untouched),
#   - stopped and deleted by an EXIT trap: no server keeps running, no password or system cluster is changed.
# Needs Debian's PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin).

# shellcheck source=free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

ketacare_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ketacare_pg_stop() {
  if [ -n "${KETACARE_PG_ROOT:-}" ] && [ -d "$KETACARE_PG_ROOT" ]; then
    if [ -f "$KETACARE_PG_ROOT/data/postmaster.pid" ]; then
      ketacare_pg_as_owner "$KETACARE_PG_BIN/pg_ctl" -D "$KETACARE_PG_ROOT/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$KETACARE_PG_ROOT"
  fi
}

ketacare_pg_start() {
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  KETACARE_PG_BIN=/usr/lib/postgresql/$version/bin
  KETACARE_PG_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/ketacare-pg.XXXXXX")
  trap ketacare_pg_stop EXIT
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$KETACARE_PG_ROOT"
  fi
  ketacare_pg_as_owner "$KETACARE_PG_BIN/initdb" -D "$KETACARE_PG_ROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  local port
  port=$(ketacare_free_port "PostgreSQL")
  ketacare_pg_as_owner "$KETACARE_PG_BIN/pg_ctl" -D "$KETACARE_PG_ROOT/data" -l "$KETACARE_PG_ROOT/server.log" -w -t 60 \
    -o "-p $port -k $KETACARE_PG_ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export KETACARE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $version for the tests: 127.0.0.1:$port, data in $KETACARE_PG_ROOT (removed on exit)"
}
