#!/usr/bin/env bash
# Follow-up benchmark (issue 4): template writer drafts/s (target >= 1,000) and guardrail checks/s
# (target >= 5,000) on drafts for synthetic leads. Writes the section "## Follow-ups (issue 4)" of
# docs/benchmarks.md (other sections are kept) and prints the raw numbers as one JSON line.
#
#   bench/run-followups.sh            LEADS=20000 RUNS=3 to change the sizes
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LEADS=${LEADS:-20000}
RUNS=${RUNS:-3}
COMMAND="bench/run-followups.sh"
[[ "$LEADS" != 20000 || "$RUNS" != 3 ]] && COMMAND="LEADS=$LEADS RUNS=$RUNS bench/run-followups.sh"

echo "run-followups: building (Release)" >&2
dotnet build "$ROOT/bench/GrowthBrain.Bench/GrowthBrain.Bench.csproj" -c Release -v q -nologo >&2
dotnet "$ROOT/bench/GrowthBrain.Bench/bin/Release/net10.0/GrowthBrain.Bench.dll" followups \
  --leads "$LEADS" --runs "$RUNS" --doc "$ROOT/docs/benchmarks.md" --command "$COMMAND"
echo "run-followups: results in docs/benchmarks.md" >&2
