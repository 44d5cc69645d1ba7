#!/usr/bin/env bash
# End-to-end checks of the example programs against hand-computed results (Flink's
# window semantics), at parallelism 1 and 2, plus their error messages.
# Usage: examples_test.sh BIN_DIR
set -u
bin="$(cd "$1" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_rows NAME FILE EXPECTED: the rows of FILE, in any order, are EXPECTED.
expect_rows() {
  local got want
  got="$(sort "$2" 2>/dev/null)"
  want="$(printf '%s\n' "$3" | sed '/^$/d' | sort)"
  if [[ "$got" != "$want" ]]; then
    fail "$1"
    diff <(echo "$want") <(echo "$got") >&2
  fi
}

# expect_error NAME EXPECTED_TEXT COMMAND...: the command fails and says EXPECTED_TEXT.
expect_error() {
  local name="$1" text="$2"
  shift 2
  if "$@" >out.txt 2>err.txt; then
    fail "$name: exited 0"
  elif ! grep -qF -- "$text" err.txt; then
    fail "$name: stderr lacks '$text'"
    cat err.txt >&2
  fi
}

# Watermarks trail the maximum by 500 ms: the record at 2600 moves the watermark to
# 2099, which closes [1000, 2000); the record at 1900 then comes too late for it.
cat >in.csv <<'CSV'
key,timestamp_ms,value
a,1000,1.5
b,1500,2
a,1800,4
a,2600,3
a,1900,10
b,2700,1
CSV

for p in 1 2; do
  "$bin/tumbling_window" --input in.csv --output t.csv --late-output tl.csv --size-ms 1000 \
    --out-of-orderness-ms 500 --allowed-lateness-ms 0 --parallelism $p || fail "tumbling p=$p exit"
  expect_rows "tumbling p=$p" t.csv "a,1000,2000,2,5.5
b,1000,2000,1,2
a,2000,3000,1,3
b,2000,3000,1,1"
  expect_rows "tumbling late p=$p" tl.csv "a,1900,10"

  # With 200 ms of allowed lateness the late record fires its window again.
  "$bin/tumbling_window" --input in.csv --output tl2.csv --size-ms 1000 --out-of-orderness-ms 500 \
    --allowed-lateness-ms 200 --parallelism $p || fail "tumbling lateness p=$p exit"
  expect_rows "tumbling lateness p=$p" tl2.csv "a,1000,2000,2,5.5
b,1000,2000,1,2
a,1000,2000,3,15.5
a,2000,3000,1,3
b,2000,3000,1,1"

  # 1900 misses [0, 2000) but still joins [1000, 3000): not dropped, so not late output.
  "$bin/sliding_window" --input in.csv --output s.csv --late-output sl.csv --size-ms 2000 --slide-ms 1000 \
    --out-of-orderness-ms 500 --allowed-lateness-ms 0 --parallelism $p || fail "sliding p=$p exit"
  expect_rows "sliding p=$p" s.csv "a,0,2000,2,5.5
b,0,2000,1,2
a,1000,3000,4,18.5
b,1000,3000,2,3
a,2000,4000,1,3
b,2000,4000,1,1"
  expect_rows "sliding late p=$p" sl.csv ""

  # 1900 extends the open session [1800, 2300) to [1800, 2400).
  "$bin/session_window" --input in.csv --output se.csv --gap-ms 500 --out-of-orderness-ms 500 \
    --allowed-lateness-ms 0 --parallelism $p || fail "session p=$p exit"
  expect_rows "session p=$p" se.csv "a,1000,1500,1,1.5
b,1500,2000,1,2
a,1800,2400,2,14
a,2600,3100,1,3
b,2700,3200,1,1"

  "$bin/count_window" --input in.csv --output c.csv --count 2 --parallelism $p || fail "count p=$p exit"
  expect_rows "count p=$p" c.csv "a,2,5.5
a,2,13
b,2,3"

  "$bin/running_average" --input in.csv --output r.csv --parallelism $p || fail "running p=$p exit"
  expect_rows "running_average p=$p" r.csv "a,1000,1.5
b,1500,2
a,1800,2.75
a,2600,2.8333333333333335
a,1900,4.625
b,2700,1.5"

  "$bin/fraud_detection" --input in.csv --output f.csv --min-count 3 --min-sum 1000000 \
    --out-of-orderness-ms 500 --parallelism $p >/dev/null || fail "fraud p=$p exit"
  expect_rows "fraud_detection p=$p" f.csv "a,-240000,60000,4,18.5
a,-180000,120000,4,18.5
a,-120000,180000,4,18.5
a,-60000,240000,4,18.5
a,0,300000,4,18.5"
done

# The README demo: generated data, alerts and a one-line summary.
"$bin/fraud_detection" --records 20000 >demo.txt 2>&1 || fail "demo exit"
grep -q "^fraud_detection: 20000 transactions, [0-9]* alerts" demo.txt || fail "demo summary"

printf 'key,timestamp_ms,value\na,1000,1.5\nb,notanumber,2\n' >bad.csv
expect_error "malformed timestamp" 'bad.csv:3: column timestamp_ms: not an integer: "notanumber"' \
  "$bin/tumbling_window" --input bad.csv --output o.csv --size-ms 1000 --out-of-orderness-ms 0 --allowed-lateness-ms 0
printf 'key,timestamp_ms,value\na,1000,x1\n' >bad2.csv
expect_error "malformed value" 'bad2.csv:2: column value:' \
  "$bin/count_window" --input bad2.csv --output o.csv --count 2
expect_error "missing file" 'nope.csv' \
  "$bin/session_window" --input nope.csv --output o.csv --gap-ms 10 --out-of-orderness-ms 0 --allowed-lateness-ms 0
expect_error "bad flag value" 'flag --size-ms: not an integer: "abc"' \
  "$bin/tumbling_window" --input in.csv --output o.csv --size-ms abc --out-of-orderness-ms 0
expect_error "unknown flag" 'unknown flag --sise-ms' "$bin/tumbling_window" --input in.csv --output o.csv --sise-ms 1

if ((failures > 0)); then
  echo "$failures example check(s) failed" >&2
  exit 1
fi
echo "all example checks passed"
