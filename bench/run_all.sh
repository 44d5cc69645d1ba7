#!/usr/bin/env bash
# Runs every eddy-bench workload (best of RUNS) next to its plain C++ loop and prints
# the rows of the table in BENCHMARKS.md, with the CPU seconds each run used.
# Usage: bench/run_all.sh [BIN_DIR] [RECORDS] [RUNS]
set -euo pipefail
bin="${1:-build/bin}"
records="${2:-20000000}"
runs="${3:-3}"

field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }

# best WORKLOAD KEYS P [--baseline]: "records_per_second cpu_seconds" of the fastest run.
best() {
  local best_rate=0 best_cpu=0 line rate cpu
  for ((i = 0; i < runs; ++i)); do
    local TIMEFORMAT='%U %S'
    { cpu_line=$( { time "$bin/eddy-bench" "$1" --records "$records" --keys "$2" --parallelism "$3" ${4:-} >/tmp/eddy_bench_line; } 2>&1 ); } 
    line=$(cat /tmp/eddy_bench_line)
    rate=$(echo "$line" | field records_per_second)
    cpu=$(echo "$cpu_line" | awk '{printf "%.2f", $1 + $2}')
    if ((rate > best_rate)); then best_rate=$rate; best_cpu=$cpu; fi
  done
  echo "$best_rate $best_cpu"
}

m() { awk -v r="$1" 'BEGIN { printf "%.1fM", r / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "| workload | K | P | Eddy records/s | CPU s | plain loop records/s | ratio |"
echo "|---|---|---|---|---|---|---|"
for w in stateless tumbling sliding running; do
  read -r base _ <<<"$(best "$w" 10000 1 --baseline)"
  read -r p1 c1 <<<"$(best "$w" 10000 1)"
  read -r p2 c2 <<<"$(best "$w" 10000 2)"
  echo "| $w | 10,000 | 1 | $(m "$p1") | $c1 | $(m "$base") | $(ratio "$p1" "$base") |"
  echo "| $w | 10,000 | 2 | $(m "$p2") | $c2 | | $(ratio "$p2" "$p1")× P=1 |"
done
for w in running tumbling; do
  read -r base _ <<<"$(best "$w" 1000000 1 --baseline)"
  read -r p1 c1 <<<"$(best "$w" 1000000 1)"
  echo "| $w | 1,000,000 | 1 | $(m "$p1") | $c1 | $(m "$base") | $(ratio "$p1" "$base") |"
done
