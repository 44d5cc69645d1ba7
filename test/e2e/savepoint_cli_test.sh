#!/usr/bin/env bash
# The `eddy` command drives a running example through its REST API as Flink's CLI does:
# `eddy list` shows it, `eddy savepoint` takes a savepoint while it runs, `eddy stop`
# ends it with another, and the job started from that one with --from-savepoint
# completes the output: exactly the rows of an uninterrupted run.
# Usage: savepoint_cli_test.sh BIN_DIR
set -u
bin="$(cd "$1" && pwd)"
work="$(mktemp -d)"
job_pid=""
trap '[[ -n "$job_pid" ]] && kill "$job_pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

awk 'BEGIN { srand(7); print "key,timestamp_ms,value";
  for (i = 0; i < 20000; i++) printf "k%d,%d,%d\n", int(rand() * 5), i * 10 + int(rand() * 300), int(rand() * 100) }' >in.csv
committed() { find "$1" -maxdepth 1 -name 'part-*' -type f -exec cat {} + 2>/dev/null | sort; }

"$bin/running_average" --input in.csv --output ref 2>/dev/null || fail "reference run"

# Slow enough (2000 records/s: 10 s for the file) to be running while the commands reach
# it; the stop ends it long before, so the rate costs no time. Startup may take seconds
# on a loaded machine (sanitizer builds, parallel tests): wait up to a minute for it.
"$bin/running_average" --input in.csv --output out --checkpoint-dir ck --checkpoint-interval-ms 100 \
  --source-rate 2000 --rest-port 0 2>job.err &
job_pid=$!
line=""
for _ in $(seq 1 600); do
  line="$(grep -m1 'REST API at' job.err 2>/dev/null)" && break
  sleep 0.1
done
[[ -n "$line" ]] || { fail "the job printed no REST address"; cat job.err >&2; exit 1; }
address="$(sed -E 's|.*http://([^,]+),.*|\1|' <<<"$line")"
job="$(sed -E 's|.* job ([0-9a-f]+)$|\1|' <<<"$line")"

"$bin/eddy" list -m "$address" >list.out || fail "eddy list"
grep -q "$job (RUNNING)" list.out || { fail "eddy list does not show $job running"; cat list.out >&2; }

"$bin/eddy" savepoint -m "$address" "$job" sp >savepoint.out || { fail "eddy savepoint"; cat savepoint.out >&2; }
sp="$(sed -n 's/^Savepoint completed. Path: //p' savepoint.out)"
[[ -n "$sp" && -f "$sp/_metadata" ]] || fail "eddy savepoint gave no savepoint: $(cat savepoint.out)"

"$bin/eddy" stop -m "$address" -p stopped "$job" >stop.out || { fail "eddy stop"; cat stop.out >&2; }
stopped="$(sed -n 's/^Savepoint completed. Path: //p' stop.out)"
[[ -n "$stopped" && -f "$stopped/_metadata" ]] || fail "eddy stop gave no savepoint: $(cat stop.out)"
wait "$job_pid" || fail "the stopped job did not end successfully: $(cat job.err)"
job_pid=""
n_before="$(committed out | wc -l)"
[[ "$n_before" -lt 20000 ]] || fail "the job processed everything before it was stopped ($n_before rows)"

"$bin/running_average" --input in.csv --output out --checkpoint-dir ck2 --from-savepoint "$stopped" 2>resume.err ||
  fail "the run from the savepoint: $(cat resume.err)"
diff <(sort ref) <(committed out) >diff.txt || { fail "stopped + resumed output differs from the uninterrupted run"; head diff.txt >&2; }

if "$bin/eddy" cancel -m "$address" "$job" 2>cancel.err; then fail "eddy cancel of a gone job succeeded"; fi
grep -q "cannot reach the REST API at $address" cancel.err || fail "eddy cancel's error: $(cat cancel.err)"

if [[ "$failures" -ne 0 ]]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "savepoint CLI: list, savepoint, stop, resume from the stop savepoint: exact ($n_before rows before the stop)"
