#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests and prints its Npgsql connection string.
#
#   scripts/start-postgres.sh [DIR]      DIR defaults to a fresh `mktemp -d`
#
# Layout of DIR: data/ (cluster), socket/ (unix socket), postgres.log, env.
# stdout: only the connection string (last line). Progress and errors: stderr.
# DIR/env: shell lines to source, e.g. GROWTHBRAIN_TEST_POSTGRES='Host=127.0.0.1;Port=...'.
# Stop and delete with: scripts/stop-postgres.sh DIR
#
# The server refuses to run as root, and CI runs as root, so as root the cluster belongs to the
# `postgres` user and initdb/pg_ctl run through `runuser -u postgres --`. As any other user the
# cluster simply belongs to that user. The Debian package's own cluster (port 5432), if it
# auto-started, is neither used nor touched.
# Tuned for tests only (fsync=off etc.): never point this at data you want to keep.
set -euo pipefail

log() { echo "start-postgres: $*" >&2; }
die() { echo "start-postgres: ERROR: $*" >&2; exit 1; }

find_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/initdb" ]] && { echo "$PG_BIN"; return 0; }
    die "PG_BIN=$PG_BIN has no initdb"
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]] && echo "$d"
}

install_postgres() {
  local as_root=()
  if [[ $EUID -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      die "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin) and installing them needs root or passwordless sudo. Run as root: apt-get install -y postgresql"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL server binaries are missing and apt-get is not available"
  log "installing Debian postgresql ..."
  local inst=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql)
  if ! "${inst[@]}" >&2; then
    log "install failed; running apt-get update once and retrying"
    "${as_root[@]}" apt-get update -q >&2 || die "apt-get update failed"
    "${inst[@]}" >&2 || die "apt-get install postgresql failed (see output above)"
  fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return 0
  fi
  # Fallback: probe random high ports until one refuses a connection.
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# ---- binaries ----
PGBIN=$(find_pg_bin || true)
if [[ -z "$PGBIN" ]]; then
  install_postgres
  PGBIN=$(find_pg_bin || true)
  [[ -n "$PGBIN" ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
fi

# ---- who runs the server ----
if [[ $EUID -eq 0 ]]; then
  getent passwd postgres >/dev/null || die "running as root but there is no 'postgres' user to run the server as (is the postgresql package installed?)"
  command -v runuser >/dev/null 2>&1 || die "running as root but 'runuser' (util-linux) is missing"
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi

# ---- the folder ----
if [[ $# -ge 1 && -n "$1" ]]; then
  DIR=$1
  mkdir -p "$DIR" || die "cannot create $DIR"
else
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/growthbrain-pg.XXXXXX") || die "mktemp -d failed"
fi
DIR=$(cd "$DIR" && pwd -P)
DATA=$DIR/data
SOCK=$DIR/socket
LOGFILE=$DIR/postgres.log
# Unix socket paths are limited to 107 bytes.
(( ${#SOCK} + 20 < 107 )) || die "socket path $SOCK/.s.PGSQL.NNNNN is too long for a unix socket; use a shorter DIR"

mkdir -p "$SOCK"
if [[ $EUID -eq 0 ]]; then
  chown -R postgres: "$DIR"
  chmod 700 "$DIR"
  "${AS_PG[@]}" test -w "$DIR" \
    || die "user postgres cannot write to $DIR (a parent folder is not traversable by others?); pass a DIR under /tmp"
fi
# runuser keeps the cwd; initdb/pg_ctl complain when they cannot read it (e.g. /root).
cd "$DIR"

PGCTL=("${AS_PG[@]}" "$PGBIN/pg_ctl")

# ---- already running here? (idempotent-ish) ----
if [[ -f "$DATA/postmaster.pid" ]] && "${PGCTL[@]}" status -D "$DATA" >/dev/null 2>&1; then
  PORT=$(sed -n '4p' "$DATA/postmaster.pid")
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "server in $DATA is running but its port could not be read from postmaster.pid"
  log "server in $DATA already running on port $PORT; reusing it"
else
  # ---- initdb (once) ----
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    [[ -e "$DATA" ]] && { rm -rf "$DATA" || die "cannot clear half-made $DATA"; }
    locale_opt=(--locale=C.UTF-8)
    locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || locale_opt=(--locale=C)
    log "initdb in $DATA ($("$PGBIN/postgres" --version))"
    if ! "${AS_PG[@]}" "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 "${locale_opt[@]}" \
         --no-sync --no-instructions >"$DIR/initdb.log" 2>&1; then
      cat "$DIR/initdb.log" >&2
      die "initdb failed (output above)"
    fi
    # Everything except the port, which is chosen at each start.
    cat >>"$DATA/postgresql.conf" <<CONF

# --- throwaway test server (scripts/start-postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
logging_collector = off
log_min_messages = warning
CONF
  fi

  # ---- start on a free port; retry if another process grabs the port first ----
  started=0
  for attempt in 1 2 3 4 5; do
    PORT=$(free_port) || die "could not find a free TCP port on 127.0.0.1"
    log "starting server on 127.0.0.1:$PORT (attempt $attempt)"
    if "${PGCTL[@]}" start -w -t 60 -D "$DATA" -l "$LOGFILE" -o "-p $PORT" >&2; then
      started=1; break
    fi
    if grep -qiE 'could not bind|address already in use' "$LOGFILE" 2>/dev/null; then
      log "port $PORT was taken; trying another"
      continue
    fi
    break
  done
  if [[ $started -ne 1 ]]; then
    echo "---- $LOGFILE (tail) ----" >&2
    tail -n 30 "$LOGFILE" >&2 2>/dev/null || true
    die "PostgreSQL failed to start from $DATA (log above)"
  fi
fi

CONN="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres;Pooling=true"
{
  echo "GROWTHBRAIN_TEST_POSTGRES='$CONN'"
  echo "GROWTHBRAIN_TEST_POSTGRES_DIR='$DIR'"
  echo "PGHOST='127.0.0.1'"
  echo "PGPORT='$PORT'"
  echo "PGUSER='postgres'"
} >"$DIR/env"
log "ready: psql \"host=127.0.0.1 port=$PORT user=postgres\"; env in $DIR/env; stop with scripts/stop-postgres.sh $DIR"
echo "$CONN"
