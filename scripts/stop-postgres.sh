#!/usr/bin/env bash
# Stops a server made by scripts/start-postgres.sh and deletes its folder.
#   scripts/stop-postgres.sh DIR
# Quiet on success (safe to call from an EXIT trap); complaints go to stderr.
set -euo pipefail

log() { echo "stop-postgres: $*" >&2; }
die() { echo "stop-postgres: ERROR: $*" >&2; exit 1; }

[[ $# -eq 1 && -n "$1" ]] || die "usage: $0 DIR"
DIR=$1
[[ -e "$DIR" ]] || exit 0
[[ -d "$DIR" ]] || die "$DIR is not a folder"
DIR=$(cd "$DIR" && pwd -P)
[[ "$DIR" != / ]] || die "refusing to delete /"

# Only delete folders that look like ours: empty, or holding the cluster layout.
if [[ -n "$(ls -A "$DIR")" && ! -f "$DIR/data/PG_VERSION" && ! -f "$DIR/env" && ! -d "$DIR/socket" ]]; then
  die "$DIR does not look like a start-postgres.sh folder; not deleting it"
fi

DATA=$DIR/data
if [[ -f "$DATA/postmaster.pid" ]]; then
  PGBIN=""
  if [[ -f "$DATA/PG_VERSION" ]]; then
    ver=$(head -n1 "$DATA/PG_VERSION")
    [[ -x "/usr/lib/postgresql/$ver/bin/pg_ctl" ]] && PGBIN=/usr/lib/postgresql/$ver/bin
  fi
  [[ -n "$PGBIN" ]] || PGBIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
  AS_OWNER=()
  if [[ $EUID -eq 0 ]]; then
    owner=$(stat -c %U "$DATA")
    [[ "$owner" == root ]] || AS_OWNER=(runuser -u "$owner" --)
  fi
  cd "$DIR"
  if [[ -n "$PGBIN" ]]; then
    "${AS_OWNER[@]}" "$PGBIN/pg_ctl" stop -D "$DATA" -m immediate -w -t 30 >/dev/null 2>&1 || {
      # Not running (stale pid file) is fine; a live server that would not stop is not.
      if "${AS_OWNER[@]}" "$PGBIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; then
        pid=$(head -n1 "$DATA/postmaster.pid")
        log "pg_ctl stop failed; killing postmaster $pid"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    }
  else
    pid=$(head -n1 "$DATA/postmaster.pid")
    log "pg_ctl not found; killing postmaster $pid"
    kill -QUIT "$pid" 2>/dev/null || true
  fi
  cd /
fi

rm -rf "$DIR" || die "could not delete $DIR"
