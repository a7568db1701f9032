#!/usr/bin/env bash
# The one test command (CI runs it through .ci/run).
#
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter "FullyQualifiedName~Scoring"]
#
# Installs what the tests need (Debian chromium, a throwaway PostgreSQL), builds the solution
# once in Release, runs every tests/*/*.csproj (all of them, even after a failure), sums up their
# TRX files and prints as the very last line: `N passed, N failed, N skipped`.
# Exit code 0 only when every project ran, no test failed and at least one test ran.
#
# Environment it reads (all optional):
#   GROWTHBRAIN_TEST_POSTGRES   use this server instead of starting a throwaway one
#   TEST_RESULTS_DIR            where TRX files go, kept afterwards (default: a temp folder, deleted)
#   GROWTHBRAIN_TEST_TIMEOUT    per-project time limit for `timeout` (default 30m)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUMMARY_ZERO="0 passed, 0 failed, 0 skipped"
log() { echo "test.sh: $*" >&2; }
# Infrastructure failure: say why, still close with the summary line, exit non-zero.
abort() { log "ERROR: $*"; cleanup; echo "$SUMMARY_ZERO"; exit 1; }

PG_DIR=""
RESULTS=""
KEEP_RESULTS=0
cleanup() {
  if [[ -n "$PG_DIR" ]]; then
    scripts/stop-postgres.sh "$PG_DIR" || log "WARNING: could not stop/delete PostgreSQL in $PG_DIR"
    PG_DIR=""
  fi
  if [[ -n "$RESULTS" && $KEEP_RESULTS -eq 0 ]]; then
    rm -rf "$RESULTS"
    RESULTS=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

shopt -s nullglob
projects=(tests/*/*.csproj)
shopt -u nullglob
if (( ${#projects[@]} == 0 )); then
  log "no test projects found (tests/*/*.csproj)"
  echo "$SUMMARY_ZERO"
  exit 1
fi

command -v dotnet >/dev/null 2>&1 || abort "dotnet is not on PATH"
if ! command -v python3 >/dev/null 2>&1; then
  [[ $EUID -eq 0 ]] || abort "python3 is missing (needed to read the TRX files)"
  log "installing python3"
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 >&2; }; } \
    || abort "could not install python3"
fi

# ---- what the tests need ----
scripts/install-browser.sh || abort "could not install chromium"

if [[ -n "${GROWTHBRAIN_TEST_POSTGRES:-}" ]]; then
  log "using the given GROWTHBRAIN_TEST_POSTGRES; not starting a server"
else
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/growthbrain-pg.XXXXXX")
  GROWTHBRAIN_TEST_POSTGRES=$(scripts/start-postgres.sh "$PG_DIR" | tail -n 1) \
    || abort "could not start PostgreSQL"
  [[ "$GROWTHBRAIN_TEST_POSTGRES" == Host=* ]] || abort "start-postgres.sh printed no connection string"
fi

export GROWTHBRAIN_TEST_POSTGRES
export GROWTHBRAIN_REQUIRE_POSTGRES=1          # Postgres tests fail instead of skipping
export OMP_WAIT_POLICY=PASSIVE                 # OpenMP busy-waiting slows LightGBM on shared 2-core machines
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export PLAYWRIGHT_CHROMIUM_EXECUTABLE=/usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1      # never Playwright's own download (no internet)

if [[ -n "${TEST_RESULTS_DIR:-}" ]]; then
  mkdir -p "$TEST_RESULTS_DIR"
  RESULTS=$(cd "$TEST_RESULTS_DIR" && pwd)
  KEEP_RESULTS=1
  rm -f "$RESULTS"/*.trx
else
  RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/growthbrain-trx.XXXXXX")
fi

# ---- build once ----
log "building GrowthBrain.slnx (Release)"
dotnet build GrowthBrain.slnx -c Release -v q -nologo || abort "build failed"
for proj in "${projects[@]}"; do
  # A test project missing from the solution would not be built, and --no-build would fail.
  if ! grep -qF "\"$proj\"" GrowthBrain.slnx; then
    log "WARNING: $proj is not in GrowthBrain.slnx; building it separately (add it to the solution)"
    dotnet build "$proj" -c Release -v q -nologo || abort "build of $proj failed"
  fi
done

# ---- which dotnet test: VSTest (default) or Microsoft.Testing.Platform (opted in by global.json) ----
MODE=$(python3 -c '
import json
try:
    print("mtp" if json.load(open("global.json")).get("test", {}).get("runner") == "Microsoft.Testing.Platform" else "vstest")
except Exception:
    print("vstest")')
log "dotnet test mode: $MODE"

# ---- run every project ----
TIMEOUT=${GROWTHBRAIN_TEST_TIMEOUT:-30m}
broken=()
for proj in "${projects[@]}"; do
  name=$(basename "$proj" .csproj)
  trx="$RESULTS/$name.trx"
  out="$RESULTS/$name.log"
  log "testing $name"
  if [[ $MODE == mtp ]]; then
    cmd=(dotnet test --project "$proj" --no-build -c Release --results-directory "$RESULTS"
         --report-xunit-trx --report-xunit-trx-filename "$name.trx" "$@")
  else
    cmd=(dotnet test "$proj" --no-build -c Release --logger "trx;LogFileName=$name.trx"
         --results-directory "$RESULTS" --verbosity minimal "$@")
  fi
  set +e
  timeout --kill-after=30s "$TIMEOUT" "${cmd[@]}" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e

  if grep -q "Testing with VSTest target is no longer supported" "$out"; then
    log "HINT: xunit.v3 4.x (Microsoft.Testing.Platform v2) cannot run under VSTest on the .NET 10 SDK."
    log "      Reference xunit.v3.mtp-off instead of xunit.v3, or opt in to MTP in global.json:"
    log "      \"test\": { \"runner\": \"Microsoft.Testing.Platform\" }"
  fi
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    broken+=("$name (timed out after $TIMEOUT)")
  elif [[ ! -s "$trx" ]]; then
    broken+=("$name (no results: dotnet test exit code $rc)")
  elif [[ $rc -ne 0 && ! ( $MODE == mtp && $rc -eq 8 ) ]]; then
    # Non-zero is expected when tests failed; without a failed test it means the run itself broke.
    one=$(python3 scripts/trx-summary.py "$trx" | tail -n 1)
    if [[ "$one" =~ ^[0-9]+\ passed,\ 0\ failed ]]; then
      broken+=("$name (dotnet test exit code $rc but no failed test: crashed or aborted?)")
    fi
  fi
done

# ---- sum up ----
set +e
report=$(python3 scripts/trx-summary.py "$RESULTS" 2>&1)
set -e
last=$(printf '%s\n' "$report" | tail -n 1)
if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
  passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]} skipped=${BASH_REMATCH[3]}
else
  passed=0 failed=0 skipped=0
  broken+=("TRX summary could not be read")
fi
[[ $KEEP_RESULTS -eq 1 ]] && log "TRX files and logs kept in $RESULTS"
cleanup

status=0
echo
echo "==== test summary ===="
printf '%s\n' "$report" | sed '$d'
if (( ${#broken[@]} > 0 )); then
  echo "Test projects that did not run cleanly:"
  printf '  %s\n' "${broken[@]}"
  status=1
fi
(( failed > 0 )) && status=1
if (( passed + failed == 0 )); then
  echo "No test ran."
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
