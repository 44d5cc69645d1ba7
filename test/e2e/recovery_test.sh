#!/usr/bin/env bash
# The examples survive kill -9: each runs on a few thousand out-of-order records with
# --checkpoint-dir, is killed with SIGKILL at random moments (during reading,
# checkpoints or commits alike) and restarted with the same command until it finishes;
# the committed part files must then hold exactly the rows of an uninterrupted run.
# A rerun after the finish exits 0 and changes nothing; other arguments are refused.
# Usage: recovery_test.sh BIN_DIR [KILLS_PER_RUN] [SEED]  (EDDY_SLOW_TESTS=1: 10 kills)
set -u
bin="$(cd "$1" && pwd)"
default_kills=3
if [[ "${EDDY_SLOW_TESTS:-}" == 1 ]]; then default_kills=10; fi
kills="${2:-$default_kills}"
RANDOM="${3:-42}"  # Deterministic kill times for one seed.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
resumed=0  # Final runs that continued from a checkpoint rather than from the start.

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Five keys, timestamps advancing 10 ms a record with up to 600 ms of disorder, so
# watermarks (out-of-orderness 300 ms) make some records late.
awk 'BEGIN { srand(11); print "key,timestamp_ms,value";
  for (i = 0; i < 3000; i++) printf "k%d,%d,%d.%d\n", int(rand() * 5), i * 10 + int(rand() * 600), int(rand() * 100), int(rand() * 10) }' >in.csv

# committed DIR: every row of DIR's committed part files, sorted.
committed() { find "$1" -maxdepth 1 -name 'part-*' -type f -exec cat {} + 2>/dev/null | sort; }

# check NAME REFERENCE_FILE OUTPUT_DIR
check() {
  if ! diff <(sort "$2") <(committed "$3") >diff.txt; then
    fail "$1: output differs from the uninterrupted run"
    head -20 diff.txt >&2
  fi
}

# recover NAME P BACKEND ARGS...: a reference run, then a killed-and-restarted one with
# the given state backend, compared. With the RocksDB backend the runs also take
# unaligned checkpoints (in-flight data and watermark state in the checkpoint), and at
# parallelism 2 incremental ones (RocksDB's files, shared across checkpoints).
recover() {
  local name="$1" p="$2" backend="$3"
  shift 3
  local extra=()
  if [[ "$backend" == rocksdb ]]; then extra=(--unaligned-checkpoints); fi
  if [[ "$backend" == rocksdb && "$p" == 2 ]]; then extra+=(--incremental-checkpoints); fi
  local program="$1"
  shift
  local common=(--input in.csv --parallelism "$p" "$@")
  local late=()
  if [[ " $* " == *" --allowed-lateness-ms "* ]]; then late=(--late-output); fi
  rm -rf ref ref-late out out-late ck
  "$bin/$program" "${common[@]}" --output ref ${late:+--late-output ref-late} 2>/dev/null || {
    fail "$name: reference run"
    return
  }
  local run=("$bin/$program" "${common[@]}" --output out ${late:+--late-output out-late}
    --checkpoint-dir ck --checkpoint-interval-ms 50 --source-rate 4000 --state-backend "$backend" ${extra[@]+"${extra[@]}"})
  local attempt
  for ((attempt = 0; attempt < kills; attempt++)); do
    "${run[@]}" >/dev/null 2>&1 &
    local pid=$!
    sleep "0.$((RANDOM % 7 + 1))$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  "${run[@]}" >/dev/null 2>err.txt || {
    fail "$name: the final run failed"
    cat err.txt >&2
    return
  }
  grep -q "resumed from checkpoint" err.txt && resumed=$((resumed + 1))
  check "$name" ref out
  if ((${#late[@]} > 0)); then
    check "$name late" ref-late out-late
    [[ -d out-late ]] || fail "$name: no late-output directory"
  fi
  if find out -maxdepth 1 -name '.*' -type f | grep -q .; then fail "$name: hidden files left after the finish"; fi

  # A rerun after the finish restores the final checkpoint and adds nothing.
  "${run[@]}" >/dev/null 2>err.txt || fail "$name: rerun after the finish exited non-zero"
  check "$name rerun" ref out
}

for backend in hashmap rocksdb; do
  for p in 1 2; do
    recover "tumbling p=$p $backend" "$p" "$backend" tumbling_window --size-ms 1000 --out-of-orderness-ms 300 \
      --allowed-lateness-ms 200
    recover "sliding p=$p $backend" "$p" "$backend" sliding_window --size-ms 2000 --slide-ms 500 \
      --out-of-orderness-ms 300 --allowed-lateness-ms 0
    recover "session p=$p $backend" "$p" "$backend" session_window --gap-ms 40 --out-of-orderness-ms 300 \
      --allowed-lateness-ms 100
    recover "count p=$p $backend" "$p" "$backend" count_window --count 7
    recover "running_average p=$p $backend" "$p" "$backend" running_average
  done
done

# A checkpoint of other arguments is refused, naming both.
rm -rf out ck
"$bin/tumbling_window" --input in.csv --output out --size-ms 1000 --out-of-orderness-ms 300 \
  --allowed-lateness-ms 0 --checkpoint-dir ck >/dev/null 2>&1 || fail "refusal setup"
if "$bin/tumbling_window" --input in.csv --output out --size-ms 2000 --out-of-orderness-ms 300 \
  --allowed-lateness-ms 0 --checkpoint-dir ck >/dev/null 2>err.txt; then
  fail "a checkpoint of other arguments was used"
elif ! grep -q "belongs to another job" err.txt; then
  fail "refusal message"
  cat err.txt >&2
fi

# Kill times are random: most final runs must have resumed, or nothing was tested.
if ((resumed < 10)); then fail "only $resumed of 20 final runs resumed from a checkpoint"; fi

if ((failures > 0)); then
  echo "$failures recovery check(s) failed" >&2
  exit 1
fi
echo "all recovery checks passed ($resumed of 20 final runs resumed from a checkpoint)"
