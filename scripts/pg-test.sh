#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests/CI. No Docker, no systemd.
#   pg-test.sh start    -> init (first time) + start; prints DATABASE_URL=... on stdout
#   pg-test.sh url      -> prints DATABASE_URL=... of the running cluster
#   pg-test.sh stop     -> fast shutdown (data kept)
#   pg-test.sh destroy  -> stop + delete the directory
# Env (optional): PGTEST_DIR (/tmp/pgtest), PGTEST_PORT (first free from 55432),
#                 PGTEST_DB (app), PGTEST_USER (app), PGTEST_PASSWORD (app_pw; keep it URL-safe)
set -euo pipefail

DIR=${PGTEST_DIR:-/tmp/pgtest}     # must be reachable by the postgres user: not under /root
DATA=$DIR/data
case "$DIR" in /*/*) ;; *) echo "pg-test: PGTEST_DIR must be an absolute path below a folder" >&2; exit 2 ;; esac
DB=${PGTEST_DB:-app}
APPUSER=${PGTEST_USER:-app}
APPPW=${PGTEST_PASSWORD:-app_pw}

log() { echo "pg-test: $*" >&2; }

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$PGBIN" ]; then
  if [ "$(id -u)" = 0 ] && [ "${1:-start}" = start ]; then
    log "installing postgresql from Debian"
    while pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; do sleep 2; done
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  elif [ "${1:-start}" = destroy ]; then
    rm -rf "$DIR"; exit 0   # nothing can run without the binaries: only the directory to remove
  else
    log "PostgreSQL server binaries not found (apt-get install postgresql)"; exit 1
  fi
fi

# initdb/postgres refuse to run as root: run them as 'postgres' when we are root.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  as_pg() { "$@"; }
fi

running() { [ -f "$DATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
url() { echo "DATABASE_URL=postgres://$APPUSER:$APPPW@127.0.0.1:$(cat "$DIR/port")/$DB"; }
psql_su() { as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$(cat "$DIR/port")" -U postgres -d postgres "$@"; }

cmd_start() {
  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    chmod 700 "$DIR"
    port=${PGTEST_PORT:-}
    if [ -z "$port" ]; then
      port=55432; while port_busy "$port"; do port=$((port + 1)); done
    fi
    echo "$port" | as_pg tee "$DIR/port" >/dev/null
    log "initdb in $DATA (port $port)"
    as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR'
timezone = 'UTC'
max_connections = 100
fsync = on
synchronous_commit = on
CONF
  fi
  if running; then
    log "already running"
  else
    as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start >/dev/null \
      || { tail -n 30 "$DIR/server.log" >&2; exit 1; }
  fi
  psql_su <<SQL
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$APPUSER', '$APPPW')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APPUSER') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', '$APPUSER', '$APPPW') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$DB', '$APPUSER')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB') \gexec
SQL
  url
}

cmd_stop() {
  if running; then as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; log "stopped"; else log "not running"; fi
}

case "${1:-start}" in
  start) cmd_start ;;
  url) running || { log "not running"; exit 1; }; url ;;
  status) if running; then url; else log "not running"; exit 3; fi ;;
  stop) cmd_stop ;;
  destroy) cmd_stop || true; rm -rf "$DIR" ;;
  *) echo "usage: $0 start|url|status|stop|destroy" >&2; exit 2 ;;
esac
