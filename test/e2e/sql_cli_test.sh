#!/usr/bin/env bash
# `eddy sql` as a user runs it: a script file's SELECT changelog on stdout (and nothing
# else), [INFO] lines and errors on stderr, exit status 1 on an error with nothing run,
# the tableau mode, statements from standard input.
# Usage: sql_cli_test.sh BIN_DIR
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

printf '1,alice,10.50,2024-01-01 10:00:01\n2,bob,3.25,2024-01-01 10:02:00\n3,alice,7.00,2024-01-01 10:04:59\n' >orders.csv
cat >job.sql <<SQL
-- Revenue per customer.
CREATE TABLE orders (id INT, customer STRING, price DECIMAL(10, 2), ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'filesystem', 'path' = '$work/orders.csv', 'format' = 'csv');
SELECT customer, SUM(price) AS revenue FROM orders GROUP BY customer;
SQL
"$bin/eddy" sql -f job.sql >out.txt 2>err.txt || fail "job.sql exited $?"
printf '+I[alice, 10.50]\n+I[bob, 3.25]\n-U[alice, 10.50]\n+U[alice, 17.50]\n' >want.txt
diff -u want.txt out.txt >&2 || fail "the changelog on stdout"
grep -q '^\[INFO\] Execute statement succeeded.' err.txt || fail "no [INFO] line on stderr"

"$bin/eddy" sql --mode tableau -f job.sql >tab.txt 2>/dev/null || fail "tableau exited $?"
grep -q '^| op |' tab.txt || fail "no tableau header: $(head -3 tab.txt)"
grep -q '^| +U |' tab.txt || fail "no +U row in the tableau"
grep -q '^Received a total of 4 rows$' tab.txt || fail "no row count in the tableau"
# SET 'sql-client.execution.result-mode' switches the mode from the next SELECT on; in
# batch mode the tableau shows the final rows, as wide as their values.
printf "SET 'sql-client.execution.result-mode' = 'tableau';\nSELECT 1 AS x;\nSET 'sql-client.execution.result-mode' = 'changelog';\nSELECT 2 AS y;\nSET 'execution.runtime-mode' = 'batch';\nSET 'sql-client.execution.result-mode' = 'tableau';\nSELECT * FROM (VALUES (3, 'abc'), (4, 'b')) AS t(z, s);\n" |
  "$bin/eddy" sql >modes.out 2>/dev/null || fail "result modes exited $?"
cat >modes.want <<'WANT'
+----+-------------+
| op |           x |
+----+-------------+
| +I |           1 |
+----+-------------+
Received a total of 1 row
+I[2]
+---+-----+
| z |   s |
+---+-----+
| 3 | abc |
| 4 |   b |
+---+-----+
2 rows in set
WANT
diff -u modes.want modes.out >&2 || fail "result modes set by SET"

# Cells as Flink's client shows them: NULL as <NULL>, values as CAST to STRING writes them
# (TRUE, a ROW in parentheses), columns as wide as the type needs (a TIMESTAMP(9): 29).
printf "SELECT CAST(NULL AS INT) AS n, 1 = 1 AS b, ROW(1, 'x') AS r, TIMESTAMP '2024-01-01 10:05:00.123456789' AS t;\n" |
  "$bin/eddy" sql --mode tableau >cells.out 2>/dev/null || fail "tableau cells exited $?"
cat >cells.want <<'WANT'
+----+-------------+--------+--------------------------------+-------------------------------+
| op |           n |      b |                              r |                             t |
+----+-------------+--------+--------------------------------+-------------------------------+
| +I |      <NULL> |   TRUE |                         (1, x) | 2024-01-01 10:05:00.123456789 |
+----+-------------+--------+--------------------------------+-------------------------------+
Received a total of 1 row
WANT
diff -u cells.want cells.out >&2 || fail "tableau cells"

# MATCH_RECOGNIZE over several lines of standard input (its `?` and `{n}` are no
# statement ends): a price drop after a rise.
cat >match.sql <<SQL
CREATE TABLE orders (id INT, customer STRING, price DECIMAL(10, 2), ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'filesystem', 'path' = '$work/orders.csv', 'format' = 'csv');
SELECT * FROM orders MATCH_RECOGNIZE (
  ORDER BY ts
  MEASURES FIRST(A.id) AS first_id, LAST(B.id) AS drop_id
  PATTERN (A{1} B+?)
  DEFINE B AS B.price < LAST(A.price)
) AS m;
SQL
"$bin/eddy" sql <match.sql >match.out 2>/dev/null || fail "MATCH_RECOGNIZE on stdin exited $?"
printf '+I[1, 2]\n' >match.want
diff -u match.want match.out >&2 || fail "MATCH_RECOGNIZE on stdin"

# SHOW and DESCRIBE results: a table in tableau mode, as Flink's client draws them (its
# table.q: NULL as an empty cell, a BOOLEAN as TRUE); rows
# in Flink's print format in changelog mode.
printf "CREATE TABLE t (a INT, b STRING) WITH ('connector' = 'blackhole');\nSHOW TABLES;\nDESCRIBE t;\nSHOW VIEWS;\n" >show.sql
"$bin/eddy" sql --mode tableau -f show.sql >show.out 2>/dev/null || fail "SHOW in tableau exited $?"
cat >show.want <<'WANT'
+------------+
| table name |
+------------+
|          t |
+------------+
1 row in set
+------+--------+------+-----+--------+-----------+
| name |   type | null | key | extras | watermark |
+------+--------+------+-----+--------+-----------+
|    a |    INT | TRUE |     |        |           |
|    b | STRING | TRUE |     |        |           |
+------+--------+------+-----+--------+-----------+
2 rows in set
Empty set
WANT
diff -u show.want show.out >&2 || fail "SHOW / DESCRIBE in tableau mode"
"$bin/eddy" sql -f show.sql >show2.out 2>/dev/null || fail "SHOW in changelog exited $?"
printf '+I[t]\n+I[a, INT, true, null, null, null]\n+I[b, STRING, true, null, null, null]\n' >show2.want
diff -u show2.want show2.out >&2 || fail "SHOW / DESCRIBE in changelog mode"

# A misspelled column in the last statement: an error naming it, and nothing ran.
cat >bad.sql <<SQL
CREATE TABLE orders (id INT, customer STRING, price DECIMAL(10, 2), ts TIMESTAMP(3))
WITH ('connector' = 'filesystem', 'path' = '$work/orders.csv', 'format' = 'csv');
SELECT id FROM orders;
SELECT custmer FROM orders;
SQL
"$bin/eddy" sql -f bad.sql >bad.out 2>bad.err
[[ $? == 1 ]] || fail "bad.sql should exit 1"
[[ ! -s bad.out ]] || fail "bad.sql ran a statement: $(head -2 bad.out)"
grep -q "SQL error at line 4, column 8: Column 'custmer' not found in any table (did you mean 'customer'?)" bad.err ||
  fail "error text: $(cat bad.err)"

# Statements typed on standard input run as their ';' arrives.
printf "CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '2',\n 'fields.a.kind' = 'sequence', 'fields.a.start' = '5', 'fields.a.end' = '6');\nSELECT a * 2 FROM t;\n" |
  "$bin/eddy" sql >stdin.out 2>/dev/null || fail "stdin mode exited $?"
[[ "$(sort stdin.out | tr '\n' ' ')" == "+I[10] +I[12] " ]] || fail "stdin mode output: $(cat stdin.out)"
# HELP; lists the commands; QUIT; (any case) ends the input.
printf "HELP;\nSELECT 1;\nquit;\nSELECT 2;\n" | "$bin/eddy" sql >help.out 2>/dev/null || fail "HELP exited $?"
grep -q '^The following commands are available' help.out || fail "no HELP text: $(head -3 help.out)"
grep -q '^+I\[1\]$' help.out || fail "no result after HELP"
! grep -q '^+I\[2\]$' help.out || fail "a statement ran after QUIT"
# A statement set typed statement by statement runs as one, at its END.
printf "CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '1', 'fields.a.kind' = 'sequence', 'fields.a.start' = '3', 'fields.a.end' = '3');\nCREATE TABLE p1 (a INT) WITH ('connector' = 'print', 'print-identifier' = 'one');\nCREATE TABLE p2 (a INT) WITH ('connector' = 'print', 'print-identifier' = 'two');\nBEGIN STATEMENT SET;\nINSERT INTO p1 SELECT a FROM t;\nINSERT INTO p2 SELECT a * 10 FROM t;\nEND;\n" |
  "$bin/eddy" sql >set.out 2>set.err || fail "statement set from stdin exited $?: $(cat set.err)"
[[ "$(sort set.out | tr '\n' ' ')" == "one> +I[3] two> +I[30] " ]] || fail "statement set from stdin: $(cat set.out)"
# An error names its line in the whole input; the statements after it still run.
printf "SELECT 1;\n\nSELECT\n  foo;\nSELECT 2;\n" | "$bin/eddy" sql >stdin2.out 2>stdin2.err && fail "stdin errors should exit non-zero"
grep -q "SQL error at line 4, column 3: Column 'foo' not found in any table" stdin2.err || fail "stdin error place: $(cat stdin2.err)"
[[ "$(tr '\n' ' ' <stdin2.out)" == "+I[1] +I[2] " ]] || fail "stdin after an error: $(cat stdin2.out)"
# -i runs an init script first, -D sets options before it (as Flink's client).
printf "CREATE TABLE seq (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '2', 'fields.a.kind' = 'sequence', 'fields.a.start' = '7', 'fields.a.end' = '8');\nSET 'pipeline.name' = 'from init';\n" >init.sql
printf "SET;\nSELECT a FROM seq;\n" >main.sql
"$bin/eddy" sql -i init.sql -f main.sql -D parallelism.default=1 -Dtable.exec.state.ttl=1h >init.out 2>init.err || fail "-i/-D exited $?: $(cat init.err)"
grep -q '^+I\[pipeline.name, from init\]$' init.out || fail "-i did not run first: $(cat init.out)"
grep -q '^+I\[table.exec.state.ttl, 1h\]$' init.out || fail "-D was not set: $(cat init.out)"
[[ "$(grep -c '^+I\[[78]\]$' init.out)" == 2 ]] || fail "-f after -i: $(cat init.out)"
printf "SELECT nope;\n" >badinit.sql
"$bin/eddy" sql -i badinit.sql -f main.sql >bad.out 2>bad.err && fail "a failing init script should exit non-zero"
grep -q "^badinit.sql: SQL error at line 1, column 8" bad.err || fail "init error: $(cat bad.err)"
"$bin/eddy" sql -D novalue -f main.sql >/dev/null 2>dbad.err && fail "-D without = should exit non-zero"
grep -q "takes key=value" dbad.err || fail "-D error: $(cat dbad.err)"

# On a terminal (a pty from script(1)): prompts, a statement over two lines, a history
# file, and the up arrow bringing back a statement of an earlier session.
if command -v script >/dev/null; then
  mkdir home
  create="CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '2', 'fields.a.kind' = 'sequence', 'fields.a.start' = '5', 'fields.a.end' = '6');"
  printf '%s SELECT a * 2\n FROM t;\nQUIT;\n' "$create" >tty1.in
  HOME="$work/home" timeout 60 script -qec "$bin/eddy sql" /dev/null <tty1.in >tty1.raw 2>&1 || fail "terminal session exited $?"
  tr -d '\r' <tty1.raw >tty1.out
  grep -q '^Flink SQL> ' tty1.out || fail "no prompt on a terminal: $(head -3 tty1.out)"
  grep -q '^>  FROM t;' tty1.out || fail "no continuation prompt: $(cat tty1.out)"
  grep -q '^+I\[12\]$' tty1.out || fail "no result on a terminal: $(cat tty1.out)"
  grep -q 'SELECT\\040a\\040\*\\0402' home/.eddy_sql_history || fail "no history file: $(cat home/.eddy_sql_history)"
  # History: CREATE, SELECT, QUIT. Three ups: the CREATE; after it runs, three again:
  # the SELECT.
  printf '\033[A\033[A\033[A\n\033[A\033[A\033[A\nQUIT;\n' >tty2.in
  HOME="$work/home" timeout 60 script -qec "$bin/eddy sql" /dev/null <tty2.in >tty2.raw 2>&1 || fail "second session exited $?"
  tr -d '\r' <tty2.raw >tty2.out
  grep -q '^+I\[10\]$' tty2.out || fail "the recalled statement did not run: $(cat tty2.out)"
fi

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "sql cli: ok"
