#!/usr/bin/env bash
# Scoring benchmarks for issue 3; results go to docs/benchmarks.md.
#
#   bench/run-scoring.sh [quality|speed|all] [DATASETS_DIR]
#
#   quality  every folder of DATASETS_DIR (default: ../shared/datasets next to the repository) on its
#            fixed train/test split: GrowthBrain backtest as shipped and with --protected none, against
#            XGBoost, logistic regression and naive Bayes (bench/quality/peers.py); one metric function
#            for all; writes "## Scoring quality (issue 3)". GrowthBrain gets --order time when the
#            dataset's meta.json "split" is "time" (file stored oldest first), else --order random.
#            Then bench/quality/drift_study.py: on time-split sets whose base rate shifts > 2x, the honest
#            alternatives a time-forward choice could make, against the same bar.
#   speed    1,000,000 synthetic leads: training time, batch scoring throughput, single-lead latency
#            (bench/quality/ScoringSpeed) and XGBoost's training time on the same CSV; writes
#            "## Scoring speed (issue 3)".
#
# Needs the .NET 10 SDK and Debian's python3-xgboost, python3-sklearn, python3-pandas, python3-numpy
# (PYTHON overrides the interpreter, default /usr/bin/python3). Work files: artifacts/bench-quality/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PART="${1:-all}"
DATASETS="${2:-$ROOT/../shared/datasets}"
PY="${PYTHON:-/usr/bin/python3}"
WORK="$ROOT/artifacts/bench-quality"
DOC="$ROOT/docs/benchmarks.md"
# OpenMP busy-waiting (LightGBM, XGBoost) slows training many times over on shared 2-core machines.
export OMP_WAIT_POLICY=PASSIVE
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

case "$PART" in quality|speed|all) ;; *) echo "usage: $0 [quality|speed|all] [DATASETS_DIR]" >&2; exit 2 ;; esac
"$PY" -c 'import xgboost, sklearn, pandas, numpy' 2>/dev/null || {
  echo "run-scoring: $PY lacks xgboost/sklearn/pandas/numpy; apt-get install python3-xgboost python3-sklearn python3-pandas python3-numpy" >&2
  exit 2
}
mkdir -p "$WORK" "$(dirname "$DOC")"
COMMAND="bench/run-scoring.sh $*"
[[ $# -eq 0 ]] && COMMAND="bench/run-scoring.sh"

now() { date +%s.%N; }

quality() {
  [[ -d "$DATASETS" ]] || { echo "run-scoring: no datasets folder at $DATASETS" >&2; exit 2; }
  DATASETS="$(cd "$DATASETS" && pwd)"
  # Build once up front so that the timed runs don't include compiling.
  "$ROOT/growthbrain" --help >/dev/null 2>&1 || true
  local results="$WORK/results.json"
  echo "{" > "$results.tmp"
  local first=1
  for dir in "$DATASETS"/*/; do
    dir="${dir%/}"
    local name; name="$(basename "$dir")"
    [[ -f "$dir/train.csv" && -f "$dir/test.csv" && -f "$dir/meta.json" ]] || continue
    local out="$WORK/$name"
    mkdir -p "$out"
    echo "run-scoring: $name" >&2
    # The row order follows the dataset's documented split: time-split files are stored oldest first; any
    # other split (e.g. stratified random) says nothing about time, so GrowthBrain is told --order random.
    local split order
    split="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("split", ""))' "$dir/meta.json")"
    order=random
    [[ "$split" == time ]] && order=time
    echo "$order" > "$out/order"
    local mode args start end
    for mode in growthbrain growthbrain_all; do
      args=(--order "$order")
      [[ "$mode" == growthbrain_all ]] && args+=(--protected none)
      start=$(now)
      "$ROOT/growthbrain" backtest --train "$dir/train.csv" --test "$dir/test.csv" --out "$out/$mode.csv" \
        --label converted --id id "${args[@]}" --json > "$out/$mode.json"
      end=$(now)
      echo "$end - $start" | bc > "$out/$mode.wall"
    done
    "$PY" "$ROOT/bench/quality/peers.py" peers --dataset "$dir" --out "$out"
    "$PY" "$ROOT/bench/quality/peers.py" evaluate --dataset "$dir" --pred \
      growthbrain="$out/growthbrain.csv" growthbrain_all="$out/growthbrain_all.csv" \
      xgboost="$out/xgboost.csv" logistic="$out/logistic.csv" naive_bayes="$out/naive_bayes.csv" > "$out/metrics.json"
    [[ $first -eq 1 ]] || echo "," >> "$results.tmp"
    first=0
    "$PY" - "$out" "$name" >> "$results.tmp" <<'EOF'
import json, sys, os
out, name = sys.argv[1], sys.argv[2]
gb = {m: json.load(open(os.path.join(out, m + ".json"))) for m in ("growthbrain", "growthbrain_all")}
peers = json.load(open(os.path.join(out, "peers-timing.json")))
timing = {m: {"wall": float(open(os.path.join(out, m + ".wall")).read()), "train": gb[m]["training"]["seconds"]} for m in gb}
timing.update(peers)
order = open(os.path.join(out, "order")).read().strip()
chosen = {m: gb[m]["training"]["description"] for m in gb}
excluded = {m: gb[m]["training"]["excluded"] for m in gb}
print(json.dumps(name) + ": " + json.dumps({"metrics": json.load(open(os.path.join(out, "metrics.json"))),
      "timing": timing, "chosen": chosen, "excluded": excluded, "order": order,
      "candidates": {m: gb[m]["training"]["candidates"] for m in gb}}))
EOF
  done
  echo "}" >> "$results.tmp"
  mv "$results.tmp" "$results"
  "$PY" "$ROOT/bench/quality/peers.py" report --results "$results" --doc "$DOC" --command "$COMMAND"
  # Why the drifting bank datasets resist the bar: every honest, slice-chosen alternative side by side.
  "$PY" "$ROOT/bench/quality/drift_study.py" --datasets "$DATASETS" --work "$WORK" --doc "$DOC" \
    --command "$COMMAND (bench/quality/drift_study.py)" > /dev/null
  echo "run-scoring: quality results in $DOC (raw: $results)" >&2
}

speed() {
  local proj="$ROOT/bench/quality/ScoringSpeed/ScoringSpeed.csproj"
  local bin="$WORK/speed-bin"
  dotnet build "$proj" -c Release -o "$bin" -v q -nologo >&2
  local csv="$WORK/leads-1m.csv"
  dotnet "$bin/ScoringSpeed.dll" --csv "$csv" --rows 1000000 > "$WORK/speed-dotnet.json"
  local trees
  trees="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["trees"])' "$WORK/speed-dotnet.json")"
  "$PY" "$ROOT/bench/quality/peers.py" xgb-speed --csv "$csv" --trees "$trees" > "$WORK/speed-xgb.json"
  "$PY" -c 'import json,sys; a=json.load(open(sys.argv[1])); a.update(json.load(open(sys.argv[2]))); print(json.dumps(a))' \
    "$WORK/speed-dotnet.json" "$WORK/speed-xgb.json" | tee "$WORK/speed.json"
  "$PY" "$ROOT/bench/quality/peers.py" speed-report --json "$WORK/speed.json" --doc "$DOC" --command "$COMMAND"
  echo "run-scoring: speed results in $DOC" >&2
}

[[ "$PART" == quality || "$PART" == all ]] && quality
[[ "$PART" == speed || "$PART" == all ]] && speed
exit 0
