// TableEnvironment as a whole script sees it: nothing half-run, row counts.
#include "eddy/sql/table/table_environment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"
#include "eddy/sql/exec/session_time_zone.h"
#include "eddy/sql/parser/parser.h"
#include "eddy/sql/planner/planner.h"

namespace eddy::sql {
namespace {

const char* kTable =
    "CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3', 'fields.a.kind' = 'sequence', "
    "'fields.a.start' = '1', 'fields.a.end' = '3');\n";

TEST(TableEnvironment, AScriptWithABadStatementRunsNothing) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(std::string(kTable) + "SELECT a FROM t;\nSELECT b FROM t;\n");
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.message(), "SQL error at line 3, column 8: Column 'b' not found in any table (did you mean 'a'?)");
  EXPECT_TRUE(out->take().empty());  // Not even the first SELECT ran.
  EXPECT_TRUE(env.catalog().tables.empty());  // Nor the CREATE TABLE.
}

TEST(TableEnvironment, AMissingInputFileIsFoundBeforeAnyJobRuns) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(std::string(kTable) +
                                "CREATE TABLE f (x INT) WITH ('connector' = 'filesystem', 'path' = "
                                "'/nonexistent/eddy/input.csv', 'format' = 'csv');\n"
                                "SELECT a FROM t;\nSELECT x FROM f;\n");
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("/nonexistent/eddy/input.csv' does not exist"), std::string::npos) << st.message();
  EXPECT_TRUE(out->take().empty());
}

TEST(TableEnvironment, AGoodScriptRunsEveryStatementAndCountsRows) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  ASSERT_TRUE(env.executeScript(std::string(kTable) + "SELECT a * 10 FROM t;").isOk());
  EXPECT_EQ(env.lastJobRowsWritten(), 3);
  std::vector<std::string> rows;
  for (const auto& l : out->take()) {
    if (l.rfind("+I", 0) == 0) rows.push_back(l);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"+I[10]", "+I[20]", "+I[30]"}));
}

TEST(TableEnvironment, JobsAreNamedAsFlinkNamesThemAndShowJobsListsThem) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  ASSERT_TRUE(env.executeScript(std::string(kTable) +
                                "CREATE TABLE s1 (a INT) WITH ('connector' = 'blackhole');\n"
                                "CREATE DATABASE db;\n"
                                "CREATE TABLE db.s2 (a INT) WITH ('connector' = 'blackhole');\n"
                                "INSERT INTO s1 SELECT a FROM t;\n"
                                "SELECT a FROM t;\n"
                                "EXECUTE STATEMENT SET BEGIN INSERT INTO s1 SELECT a FROM t; "
                                "INSERT INTO db.s2 SELECT a FROM t; END;\n"
                                "SET 'pipeline.name' = 'nightly totals';\n"
                                "INSERT INTO s1 SELECT a FROM t;\n")
                  .isOk());
  std::vector<std::string> names;
  for (const auto& job : env.jobs()) {
    names.push_back(job.name);
    EXPECT_EQ(job.status, "FINISHED");
    EXPECT_EQ(job.id.size(), 32u);
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "insert-into_default_catalog.default_database.s1", "collect",
                       "insert-into_default_catalog.default_database.s1,default_catalog.db.s2", "nightly totals"}));
  EXPECT_NE(env.jobs()[0].id, env.jobs()[1].id);

  out->take();
  ASSERT_TRUE(env.executeScript("SHOW JOBS;").isOk());
  const std::vector<std::string> shown = out->take();
  ASSERT_EQ(shown.size(), 4u);
  EXPECT_EQ(shown[0].rfind("+I[" + env.jobs()[0].id + ", insert-into_default_catalog.default_database.s1, FINISHED, ", 0),
            0u)
      << shown[0];
  // The start time is an ISO-8601 instant in UTC, as Flink's SHOW JOBS prints it, read
  // from the SQL clock.
  ManualClock clock(Timestamp{1704164645123});
  setSqlClock(&clock);
  Status timed = env.executeScript("INSERT INTO s1 SELECT a FROM t;");
  setSqlClock(nullptr);
  ASSERT_TRUE(timed.isOk()) << timed.message();
  out->take();
  ASSERT_TRUE(env.executeScript("SHOW JOBS;").isOk());
  const std::vector<std::string> again = out->take();
  ASSERT_EQ(again.size(), 5u);
  EXPECT_EQ(again[4], "+I[" + env.jobs()[4].id + ", nightly totals, FINISHED, 2024-01-02T03:04:05.123Z]");

  Status stop = env.executeScript("STOP JOB '" + env.jobs()[0].id + "' WITH SAVEPOINT;");
  EXPECT_NE(stop.message().find("it is FINISHED, not running"), std::string::npos) << stop.message();
  stop = env.executeScript("STOP JOB 'feedbeef';");
  EXPECT_EQ(stop.message(),
            "SQL error at line 1, column 1: Could not stop job feedbeef: this session ran no job with that id (SHOW "
            "JOBS lists them)");
}

// The retention a STATE_TTL hint gives the first node of `kind` in the plan of `query`.
std::vector<int64_t> hintedTtls(const TableEnvironment& env, const std::string& query, PlanNode::Kind kind) {
  auto statements = parseScript(query);
  EXPECT_TRUE(statements.isOk()) << statements.status().message();
  if (!statements.isOk()) return {};
  auto plan = planQuery(*(*statements)[0]->query, env.catalog());
  EXPECT_TRUE(plan.isOk()) << plan.status().message();
  if (!plan.isOk()) return {};
  std::function<const PlanNode*(const PlanNode&)> find = [&](const PlanNode& n) -> const PlanNode* {
    if (n.kind == kind) return &n;
    for (const auto& in : n.inputs) {
      if (const PlanNode* f = find(*in)) return f;
    }
    return nullptr;
  };
  const PlanNode* node = find(**plan);
  EXPECT_NE(node, nullptr);
  if (!node) return {};
  return {node->hinted_ttl_ms[0], node->hinted_ttl_ms[1]};
}

TEST(TableEnvironment, StateTtlHintsReachTheJoinsAndAggregationOfTheirSelect) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  ASSERT_TRUE(env.executeScript("CREATE TABLE orders (k INT, v INT) WITH ('connector' = 'values');\n"
                                "CREATE TABLE lineitem (k INT, w INT) WITH ('connector' = 'values');\n")
                  .isOk());
  using K = PlanNode::Kind;
  // By table name, by alias, one side only (the other keeps table.exec.state.ttl).
  EXPECT_EQ(hintedTtls(env, "SELECT /*+ STATE_TTL('orders' = '3d', 'lineitem' = '1d') */ * FROM orders JOIN lineitem "
                            "ON orders.k = lineitem.k",
                       K::kJoin),
            (std::vector<int64_t>{3 * 86400000LL, 86400000LL}));
  EXPECT_EQ(hintedTtls(env, "SELECT /*+ STATE_TTL('l' = '12 h') */ * FROM orders o LEFT JOIN lineitem l ON o.k = l.k",
                       K::kJoin),
            (std::vector<int64_t>{-1, 12 * 3600000LL}));
  // Other hints beside it are set aside.
  EXPECT_EQ(hintedTtls(env, "SELECT /*+ BROADCAST(o), STATE_TTL('o' = '90s') SHUFFLE_HASH(l) */ * FROM orders o "
                            "JOIN lineitem l ON o.k = l.k",
                       K::kJoin),
            (std::vector<int64_t>{90000, -1}));
  // A group aggregation by the name of its input, a derived table's alias too.
  EXPECT_EQ(hintedTtls(env, "SELECT /*+ STATE_TTL('orders' = '1h') */ k, SUM(v) FROM orders GROUP BY k",
                       K::kGroupAggregate)[0],
            3600000);
  EXPECT_EQ(hintedTtls(env, "SELECT /*+ STATE_TTL('tmp' = '2h') */ k, COUNT(*) FROM (SELECT /*+ STATE_TTL('o' = "
                            "'1h') */ o.k FROM orders o JOIN lineitem l ON o.k = l.k) tmp GROUP BY k",
                       K::kGroupAggregate)[0],
            7200000);
  EXPECT_EQ(hintedTtls(env, "SELECT /*+ STATE_TTL('tmp' = '2h') */ k, COUNT(*) FROM (SELECT /*+ STATE_TTL('o' = "
                            "'1h') */ o.k FROM orders o JOIN lineitem l ON o.k = l.k) tmp GROUP BY k",
                       K::kJoin),
            (std::vector<int64_t>{3600000, -1}));
  // Without a hint, nothing is set.
  EXPECT_EQ(hintedTtls(env, "SELECT k, SUM(v) FROM orders GROUP BY k", K::kGroupAggregate)[0], -1);
}

TEST(TableEnvironment, UserDefinedScalarFunctions) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  ScalarFunction times;  // times(BIGINT, BIGINT) -> BIGINT
  times.argument_types = {LogicalType::bigint(), LogicalType::bigint()};
  times.result_type = LogicalType::bigint();
  times.eval = [](const std::vector<Value>& v) { return Value::ofInt(v[0].i * v[1].i); };
  env.createTemporarySystemFunction("times", times);
  ScalarFunction label;  // null-aware: label(NULL) is 'none'
  label.argument_types = {LogicalType::string()};
  label.result_type = LogicalType::string();
  label.null_on_null = false;
  label.eval = [](const std::vector<Value>& v) { return Value::ofString(v[0].null ? "none" : "<" + v[0].s + ">"); };
  env.createTemporarySystemFunction("Label", label);
  ASSERT_TRUE(env.executeScript(std::string(kTable) +
                                "SELECT TIMES(a, 3), times(a, CAST(NULL AS INT)), label(CAST(a AS STRING)), "
                                "LABEL(CAST(NULL AS STRING)) FROM t WHERE a = 2;")
                  .isOk());
  std::vector<std::string> rows;
  for (const auto& l : out->take()) {
    if (l.rfind("+I", 0) == 0) rows.push_back(l);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"+I[6, null, <2>, none]"}));
  Status bad = env.executeSql("SELECT times(a) FROM t");
  EXPECT_EQ(bad.message(), "SQL error at line 1, column 8: function TIMES takes 2 arguments, not 1");
  bad = env.executeSql("SELECT times(a, 'x') FROM t");
  EXPECT_EQ(bad.message(), "SQL error at line 1, column 8: function TIMES argument 2 must be BIGINT, not CHAR(1) NOT NULL");
}

// Flink's WeightedAvg example: SUM(value * weight) / SUM(weight), retractable. The
// accumulator is two int64s.
AggregateFunction weightedAvg() {
  AggregateFunction f;
  f.argument_types = {LogicalType::bigint(), LogicalType::integer()};
  f.result_type = LogicalType::bigint();
  f.createAccumulator = [] { return std::string(16, '\0'); };
  auto change = [](std::string& acc, const std::vector<Value>& args, int sign) {
    if (args[0].null || args[1].null) return;
    int64_t sum, count;
    std::memcpy(&sum, acc.data(), 8);
    std::memcpy(&count, acc.data() + 8, 8);
    sum += sign * args[0].i * args[1].i;
    count += sign * args[1].i;
    std::memcpy(acc.data(), &sum, 8);
    std::memcpy(acc.data() + 8, &count, 8);
  };
  f.accumulate = [change](std::string& acc, const std::vector<Value>& args) { change(acc, args, 1); };
  f.retract = [change](std::string& acc, const std::vector<Value>& args) { change(acc, args, -1); };
  f.getValue = [](const std::string& acc) {
    int64_t sum, count;
    std::memcpy(&sum, acc.data(), 8);
    std::memcpy(&count, acc.data() + 8, 8);
    return count == 0 ? Value() : Value::ofInt(sum / count);
  };
  return f;
}

// Rows (no NULLs) for a 'values' table.
void appendRows(ValuesData& data, const std::vector<std::vector<std::string>>& rows) {
  for (const auto& row : rows) {
    ValuesData::Item item;
    item.fields = row;
    item.nulls.assign(row.size(), false);
    data.items.push_back(item);
  }
}

std::vector<std::string> changes(ListCollector& out) {
  std::vector<std::string> rows;
  for (const auto& l : out.take()) {
    if (l.size() > 2 && (l[0] == '+' || l[0] == '-') && l[2] == '[') rows.push_back(l);
  }
  return rows;
}

TEST(TableEnvironment, UserDefinedAggregateFunctions) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  env.createTemporarySystemFunction("wAvg", weightedAvg());
  ASSERT_TRUE(env.executeSql("CREATE TABLE t (k STRING, v BIGINT, w INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
                             "WITH ('connector' = 'values')")
                  .isOk());
  appendRows(env.valuesOf("t"), {{"a", "10", "1", "2024-01-01 00:00:01"},
                                  {"a", "40", "2", "2024-01-01 00:00:02"},
                                  {"b", "7", "1", "2024-01-01 00:00:03"},
                                  {"a", "100", "0", "2024-01-01 00:00:12"}});
  out->take();
  // In a GROUP BY: one change per row, as a built-in aggregate.
  ASSERT_TRUE(env.executeSql("SELECT k, WAVG(v, w) FROM t GROUP BY k").isOk());
  EXPECT_EQ(changes(*out), (std::vector<std::string>{"+I[a, 10]", "-U[a, 10]", "+U[a, 30]", "+I[b, 7]"}));
  // Over a changelog it retracts; with FILTER only some rows count.
  ASSERT_TRUE(env.executeSql("SELECT wavg(n, 1) FILTER (WHERE n < 3) FROM (SELECT k, COUNT(*) AS n FROM t GROUP BY k)")
                  .isOk());
  // (a's count goes 1, 2, 3 and b's is 1: the average of the counts under 3.)
  EXPECT_EQ(changes(*out), (std::vector<std::string>{"+I[1]", "-D[1]", "+I[2]", "-U[2]", "+U[1]"}));
  // In a window aggregation.
  ASSERT_TRUE(env.executeSql("SELECT window_start, wavg(v, w) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), "
                             "INTERVAL '10' SECOND)) GROUP BY window_start, window_end")
                  .isOk());
  EXPECT_EQ(changes(*out), (std::vector<std::string>{"+I[2024-01-01 00:00:00.000, 24]", "+I[2024-01-01 00:00:10.000, null]"}));
  // In an OVER aggregation.
  ASSERT_TRUE(env.executeSql("SELECT k, wavg(v, w) OVER (PARTITION BY k ORDER BY ts) FROM t").isOk());
  EXPECT_EQ(changes(*out), (std::vector<std::string>{"+I[a, 10]", "+I[a, 30]", "+I[b, 7]", "+I[a, 30]"}));
  Status bad = env.executeSql("SELECT wavg(v) FROM t");
  EXPECT_EQ(bad.message(), "SQL error at line 1, column 8: WAVG takes 2 arguments, not 1");
  AggregateFunction no_retract = weightedAvg();
  no_retract.retract = nullptr;
  env.createTemporarySystemFunction("wavg_append", no_retract);
  bad = env.executeSql("SELECT wavg_append(n, 1) FROM (SELECT k, COUNT(*) AS n FROM t GROUP BY k)");
  EXPECT_NE(bad.message().find("WAVG_APPEND has no retract"), std::string::npos) << bad.message();
}

// Flink's MatchRecognizeITCase.testAggregates, with its weightedAvg UDF in DEFINE and
// MEASURES (over every row of the match: price, weight unqualified).
TEST(TableEnvironment, UserDefinedAggregateFunctionsInMatchRecognize) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  env.createTemporarySystemFunction("weightedAvg", weightedAvg());
  ASSERT_TRUE(env.executeSql("CREATE TABLE t (id INT, name STRING, price BIGINT, rate DOUBLE, weight INT, "
                             "ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'values')")
                  .isOk());
  const char* rows[][5] = {{"1", "a", "1", "0.8", "1"},  {"2", "z", "2", "0.8", "3"},  {"3", "b", "1", "0.8", "2"},
                           {"4", "c", "1", "0.8", "5"},  {"5", "d", "4", "0.1", "5"},  {"6", "a", "2", "1.5", "2"},
                           {"7", "b", "2", "0.8", "3"},  {"8", "c", "1", "0.8", "2"},  {"9", "h", "4", "0.8", "3"},
                           {"10", "h", "4", "0.8", "3"}, {"11", "h", "2", "0.8", "3"}, {"12", "h", "2", "0.8", "3"}};
  std::vector<std::vector<std::string>> data;
  for (size_t i = 0; i < 12; ++i) {
    const std::string second = (i + 1 < 10 ? "0" : "") + std::to_string(i + 1);
    data.push_back({rows[i][0], rows[i][1], rows[i][2], rows[i][3], rows[i][4], "2024-01-01 00:00:" + second});
  }
  appendRows(env.valuesOf("t"), data);
  out->take();
  ASSERT_TRUE(env.executeSql(R"(SELECT * FROM t MATCH_RECOGNIZE (
      ORDER BY ts
      MEASURES FIRST(id) AS startId, SUM(A.price) AS sumA, COUNT(D.price) AS countD, SUM(D.price) AS sumD,
               weightedAvg(price, weight) AS wAvg, AVG(B.price) AS avgB, SUM(B.price * B.rate) AS sumExprB,
               LAST(id) AS endId
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A+ B+ C D? E)
      DEFINE A AS SUM(A.price) < 6,
             B AS SUM(B.price * B.rate) < SUM(A.price) AND SUM(B.price * B.rate) > 0.2 AND SUM(B.price) >= 1 AND
                  AVG(B.price) >= 1 AND weightedAvg(price, weight) > 1) AS T)")
                  .isOk());
  EXPECT_EQ(changes(*out),
            (std::vector<std::string>{"+I[1, 5, 0, null, 2, 3, 3.4, 8]", "+I[9, 4, 0, null, 3, 4, 3.2, 12]"}));
}

TEST(TableEnvironment, UserDefinedAggregateFunctionsWithMergeAreSlicedInHopWindows) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  AggregateFunction merging = weightedAvg();
  merging.merge = [](std::string& acc, const std::string& other) {
    for (size_t at : {0, 8}) {
      int64_t mine, theirs;
      std::memcpy(&mine, acc.data() + at, 8);
      std::memcpy(&theirs, other.data() + at, 8);
      mine += theirs;
      std::memcpy(acc.data() + at, &mine, 8);
    }
  };
  env.createTemporarySystemFunction("wavg_merge", merging);
  env.createTemporarySystemFunction("wavg", weightedAvg());
  ASSERT_TRUE(env.executeSql("CREATE TABLE t (v BIGINT, w INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
                             "WITH ('connector' = 'values')")
                  .isOk());
  appendRows(env.valuesOf("t"), {{"10", "1", "2024-01-01 00:00:01"},
                                  {"40", "2", "2024-01-01 00:00:04"},
                                  {"7", "1", "2024-01-01 00:00:07"},
                                  {"100", "3", "2024-01-01 00:00:12"}});
  out->take();
  auto query = [](const std::string& f) {
    return "SELECT window_start, " + f + "(v, w) FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), INTERVAL '5' SECOND, "
           "INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
  };
  // With merge the window TVF is fused into the aggregation (slices merged per window);
  // without, each row is copied into each of its windows. Same results.
  ASSERT_TRUE(env.executeSql("EXPLAIN " + query("wavg_merge")).isOk());
  std::string plan;
  for (const auto& l : out->take()) plan += l + "\n";
  EXPECT_NE(plan.find("time_col"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("WindowTableFunction"), std::string::npos) << plan;
  ASSERT_TRUE(env.executeSql("EXPLAIN " + query("wavg")).isOk());
  plan.clear();
  for (const auto& l : out->take()) plan += l + "\n";
  EXPECT_NE(plan.find("WindowTableFunction"), std::string::npos) << plan;
  const std::vector<std::string> expected{"+I[2023-12-31 23:59:55.000, 30]", "+I[2024-01-01 00:00:00.000, 24]",
                                          "+I[2024-01-01 00:00:05.000, 76]", "+I[2024-01-01 00:00:10.000, 100]"};
  ASSERT_TRUE(env.executeSql(query("wavg_merge")).isOk());
  EXPECT_EQ(changes(*out), expected);
  ASSERT_TRUE(env.executeSql(query("wavg")).isOk());
  EXPECT_EQ(changes(*out), expected);
}

TEST(TableEnvironment, UserDefinedTableFunctions) {
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  TableFunction split;  // split(STRING) -> (word STRING, length INT), one row per word
  split.argument_types = {LogicalType::string()};
  split.result = {{"word", LogicalType::string()}, {"length", LogicalType::integer()}};
  split.eval = [](const std::vector<Value>& args, const std::function<void(std::vector<Value>)>& collect) {
    if (args[0].null) return;
    std::string word;
    for (char c : args[0].s + " ") {
      if (c != ' ') {
        word += c;
      } else if (!word.empty()) {
        collect({Value::ofString(word), Value::ofInt(static_cast<int64_t>(word.size()))});
        word.clear();
      }
    }
  };
  env.createTemporarySystemFunction("split", split);
  ASSERT_TRUE(env.executeSql("CREATE TABLE lines (id INT, line STRING) WITH ('connector' = 'values')").isOk());
  appendRows(env.valuesOf("lines"), {{"1", "to be or"}, {"2", ""}, {"3", "not"}});
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT id, word, length FROM lines, LATERAL TABLE(split(line))").isOk());
  EXPECT_EQ(changes(*out),
            (std::vector<std::string>{"+I[1, to, 2]", "+I[1, be, 2]", "+I[1, or, 2]", "+I[3, not, 3]"}));
  // Renamed columns, a condition, and a LEFT JOIN that keeps a row without words.
  ASSERT_TRUE(env.executeSql("SELECT l.id, T.w FROM lines AS l LEFT JOIN LATERAL TABLE(split(l.line)) AS T(w, n) "
                             "ON TRUE WHERE l.id > 1")
                  .isOk());
  EXPECT_EQ(changes(*out), (std::vector<std::string>{"+I[2, null]", "+I[3, not]"}));
  ASSERT_TRUE(env.executeSql("SELECT id, w FROM lines CROSS JOIN LATERAL TABLE(split(line)) AS T(w, n) WHERE n < 3 "
                             "AND w <> 'be'")
                  .isOk());
  EXPECT_EQ(changes(*out), (std::vector<std::string>{"+I[1, to]", "+I[1, or]"}));
  // Aggregating over a table function's rows.
  ASSERT_TRUE(env.executeSql("SELECT length, COUNT(*) FROM lines, LATERAL TABLE(split(line)) GROUP BY length").isOk());
  EXPECT_EQ(changes(*out), (std::vector<std::string>{"+I[2, 1]", "-U[2, 1]", "+U[2, 2]", "-U[2, 2]", "+U[2, 3]",
                                                     "+I[3, 1]"}));
  Status bad = env.executeSql("SELECT id FROM lines, LATERAL TABLE(splt(line))");
  EXPECT_EQ(bad.message(), "SQL error at line 1, column 37: No table function 'SPLT' (did you mean 'SPLIT'?)");
  bad = env.executeSql("SELECT id FROM lines LEFT JOIN LATERAL TABLE(split(line)) ON id > 1");
  EXPECT_NE(bad.message().find("only supports ON TRUE"), std::string::npos) << bad.message();
}

// Runs `script` with the SQL clock at 2024-01-02 03:04:05.123 UTC: its output lines.
Result<std::vector<std::string>> runAtTheClock(const std::string& script) {
  ManualClock clock(Timestamp{1704164645123});
  setSqlClock(&clock);
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(
      "CREATE TABLE p (a INT, proc AS PROCTIME()) WITH ('connector' = 'datagen', 'number-of-rows' = '1');\n" + script);
  setSqlClock(nullptr);
  if (!st.isOk()) return st;
  return out->take();
}

TEST(TableEnvironment, ProcessingTimeFunctionsReadTheInstalledClock) {
  auto lines = runAtTheClock("DESCRIBE p;\nSELECT proc, CURRENT_TIMESTAMP, NOW(), LOCALTIMESTAMP, CURRENT_DATE FROM p;");
  ASSERT_TRUE(lines.isOk()) << lines.status().message();
  bool described = false;
  for (const auto& l : *lines) described = described || l.find("TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*") != std::string::npos;
  EXPECT_TRUE(described);
  EXPECT_EQ(lines->back(), "+I[2024-01-02 03:04:05.123, 2024-01-02 03:04:05.123, 2024-01-02 03:04:05.123, "
                           "2024-01-02 03:04:05.123, 2024-01-02]");
}

TEST(TableEnvironment, TheClockReadsInTheSessionTimeZone) {
  // 11:04:05 in Shanghai; 2024-01-01 17:04:05 in Honolulu (UTC-10), the day before.
  auto lines = runAtTheClock(
      "SET 'table.local-time-zone' = 'Asia/Shanghai';\n"
      "SELECT proc, CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, LOCALTIME FROM p;\n"
      "SET 'table.local-time-zone' = 'Pacific/Honolulu';\n"
      "SELECT proc, CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, LOCALTIME FROM p;\n"
      "RESET;");
  ASSERT_TRUE(lines.isOk()) << lines.status().message();
  std::vector<std::string> rows;
  for (const auto& l : *lines) {
    if (l.rfind("+I", 0) == 0) rows.push_back(l);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "+I[2024-01-02 11:04:05.123, 2024-01-02 11:04:05.123, 2024-01-02 11:04:05.123, 2024-01-02, 11:04:05]",
                      "+I[2024-01-01 17:04:05.123, 2024-01-01 17:04:05.123, 2024-01-01 17:04:05.123, 2024-01-01, 17:04:05]"}));
  EXPECT_TRUE(sessionTimeZone().isUtc());  // RESET
}

std::vector<std::string> rowsOf(ListCollector& out) {
  std::vector<std::string> rows;
  for (const auto& l : out.take()) {
    if (l.rfind("+I", 0) == 0) rows.push_back(l);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// A filter on partition columns prunes partitions: their files are not read at all (a
// malformed file in a pruned partition fails nothing), as Flink's partition push-down.
TEST(TableEnvironment, AFilterOnPartitionColumnsSkipsTheOtherPartitionsFiles) {
  std::filesystem::path dir = api::testing::scratchDir("prune");
  for (const char* part : {"dt=d1/hr=1", "dt=d1/hr=2", "dt=d2/hr=1"}) std::filesystem::create_directories(dir / part);
  std::ofstream(dir / "dt=d1" / "hr=1" / "a.csv") << "1\n2\n";
  std::ofstream(dir / "dt=d1" / "hr=2" / "a.csv") << "3\n";
  std::ofstream(dir / "dt=d2" / "hr=1" / "a.csv") << "not a number\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  ASSERT_TRUE(env.executeSql("CREATE TABLE p (v INT, dt STRING, hr INT) PARTITIONED BY (dt, hr) WITH ("
                             "'connector' = 'filesystem', 'path' = '" + dir.string() + "', 'format' = 'csv')")
                  .isOk());
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT v, hr FROM p WHERE dt = 'd1' AND v > 1").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[2, 1]", "+I[3, 2]"}));
  ASSERT_TRUE(env.executeSql("SELECT v FROM p WHERE hr = 2 OR dt = 'd0'").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[3]"}));
  // A condition mixing a partition column with another is no pruning: d2's file is read.
  Status mixed = env.executeSql("SELECT v FROM p WHERE dt = 'd1' OR v = 0");
  EXPECT_FALSE(mixed.isOk());
  EXPECT_NE(mixed.message().find("not a number"), std::string::npos) << mixed.message();
  std::filesystem::remove_all(dir);
}

// INSERT with a column list (the others NULL), into static partitions, and INSERT
// OVERWRITE in batch mode: the table's files, or only the partitions written, replaced.
TEST(TableEnvironment, InsertColumnListsStaticPartitionsAndOverwrite) {
  std::filesystem::path dir = api::testing::scratchDir("overwrite");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  const std::string t = (dir / "t").string(), p = (dir / "p").string();
  ASSERT_TRUE(env.executeScript("CREATE TABLE t (k STRING, v INT, note STRING) WITH ('connector' = 'filesystem', "
                                "'path' = '" + t + "', 'format' = 'csv');\n"
                                "CREATE TABLE p (v INT, dt STRING, hr INT) PARTITIONED BY (dt, hr) WITH ("
                                "'connector' = 'filesystem', 'path' = '" + p + "', 'format' = 'csv');\n"
                                "INSERT INTO t (v, k) VALUES (1, 'a'), (2, 'b');\n"
                                "INSERT INTO p PARTITION (dt = 'd1', hr = 1) VALUES (10), (11);\n"
                                "INSERT INTO p PARTITION (dt = 'd2') VALUES (20, 7);")
                  .isOk());
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT k, v, note IS NULL OR note = '' FROM t").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[a, 1, true]", "+I[b, 2, true]"}));
  // Streaming has no overwrite; batch replaces.
  Status streaming = env.executeSql("INSERT OVERWRITE t SELECT 'c', 3, 'n'");
  EXPECT_NE(streaming.message().find("INSERT OVERWRITE is not supported in streaming mode"), std::string::npos);
  ASSERT_TRUE(env.executeScript("SET 'execution.runtime-mode' = 'batch';\n"
                                "INSERT OVERWRITE t SELECT k, SUM(v), 'sum' FROM (VALUES ('z', 5), ('z', 6)) AS x(k, v) "
                                "GROUP BY k;\n"
                                "INSERT OVERWRITE p PARTITION (dt = 'd1', hr = 1) SELECT 12;")
                  .isOk());
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT * FROM t").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[z, 11, sum]"}));
  ASSERT_TRUE(env.executeSql("SELECT * FROM p").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[12, d1, 1]", "+I[20, d2, 7]"}));
  Status bad = env.executeSql("INSERT INTO p PARTITION (v = 1) SELECT 'x', 2");
  EXPECT_NE(bad.message().find("Static partition column v should be in the partition keys list [dt, hr]"),
            std::string::npos)
      << bad.message();
  bad = env.executeSql("INSERT INTO p PARTITION (hr = 'x') SELECT 1, 'd'");
  EXPECT_NE(bad.message().find("the static partition value 'x' is not an INT"), std::string::npos) << bad.message();
  bad = env.executeSql("INSERT INTO t (k, nope) SELECT 'a', 1");
  EXPECT_NE(bad.message().find("Unknown target column 'nope'"), std::string::npos) << bad.message();
  bad = env.executeSql("CREATE TABLE bh (x INT) WITH ('connector' = 'blackhole')");
  ASSERT_TRUE(bad.isOk());
  bad = env.executeSql("INSERT OVERWRITE bh SELECT 1");
  EXPECT_NE(bad.message().find("INSERT OVERWRITE requires that the sink of table 'bh' can overwrite"),
            std::string::npos)
      << bad.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, FilesystemMetadataColumnsDescribeEachRowsFile) {
  std::filesystem::path dir = api::testing::scratchDir("fs_meta");
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "a.csv") << "1,x\n2,y\n";
    std::ofstream(dir / "b.csv") << "3,zz\n";
  }
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  ASSERT_TRUE(env.executeSql("CREATE TABLE f (id INT, s STRING, name STRING METADATA FROM 'file.name' VIRTUAL, "
                             "size BIGINT METADATA FROM 'file.size' VIRTUAL, modified TIMESTAMP_LTZ(3) METADATA FROM "
                             "'file.modification-time' VIRTUAL, label AS CONCAT(name, ':', s)) WITH ('connector' = "
                             "'filesystem', 'path' = '" + dir.string() + "', 'format' = 'csv')")
                  .isOk());
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT id, name, size, label, modified > TIMESTAMP '2020-01-01 00:00:00' FROM f").isOk());
  std::vector<std::string> rows = changes(*out);
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<std::string>{"+I[1, a.csv, 8, a.csv:x, true]", "+I[2, a.csv, 8, a.csv:y, true]",
                                            "+I[3, b.csv, 5, b.csv:zz, true]"}));
  Status bad = env.executeScript("CREATE TABLE g (id INT, m STRING METADATA FROM 'file.owner') WITH ('connector' = "
                                 "'filesystem', 'path' = '" + dir.string() + "', 'format' = 'csv');\nSELECT * FROM g;");
  EXPECT_NE(bad.message().find("invalid metadata key 'file.owner': the filesystem connector supports the following "
                               "metadata keys for reading: file.path, file.name"),
            std::string::npos)
      << bad.message();
  // A metadata column that is not VIRTUAL would be written too: no sink here writes it.
  bad = env.executeScript("CREATE TABLE sink (id INT, p STRING METADATA FROM 'file.path') WITH ('connector' = "
                          "'blackhole');\nINSERT INTO sink SELECT id FROM f;");
  EXPECT_NE(bad.message().find("cannot write its metadata column 'p'"), std::string::npos) << bad.message();
  bad = env.executeScript("CREATE TABLE gen (id INT, m STRING METADATA) WITH ('connector' = 'datagen');\n"
                          "SELECT * FROM gen;");
  EXPECT_NE(bad.message().find("metadata key 'm' is not supported: this connector has no metadata"), std::string::npos)
      << bad.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, FilesystemSinkWritesWhatTheFilesystemSourceReadsBack) {
  std::filesystem::path dir = api::testing::scratchDir("fs_sink");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  const std::string columns = "(a INT, s STRING, d DOUBLE, ts TIMESTAMP(3))";
  Status st = env.executeScript(
      std::string(kTable) + "CREATE TABLE csv_out " + columns + " WITH ('connector' = 'filesystem', 'path' = '" +
      (dir / "csv").string() + "', 'format' = 'csv');\n" + "CREATE TABLE json_out " + columns +
      " WITH ('connector' = 'filesystem', 'path' = '" + (dir / "json").string() + "', 'format' = 'json');\n" +
      "INSERT INTO csv_out SELECT a, CONCAT('v', CAST(a AS STRING), ',\"q\"'), a / 2.0e0, "
      "TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '1' SECOND * a FROM t;\n"
      "INSERT INTO json_out SELECT a, IF(a = 2, CAST(NULL AS STRING), 'x'), 1.5e0, TIMESTAMP '2024-01-01 00:00:00' "
      "FROM t;\n"
      "CREATE TABLE csv_in " + columns + " WITH ('connector' = 'filesystem', 'path' = '" + (dir / "csv").string() +
      "', 'format' = 'csv');\n"
      "CREATE TABLE json_in " + columns + " WITH ('connector' = 'filesystem', 'path' = '" +
      (dir / "json").string() + "', 'format' = 'json');\n");
  ASSERT_TRUE(st.isOk()) << st.message();
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT * FROM csv_in").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, v1,\"q\", 0.5, 2024-01-01 00:00:01.000]",
                                                     "+I[2, v2,\"q\", 1.0, 2024-01-01 00:00:02.000]",
                                                     "+I[3, v3,\"q\", 1.5, 2024-01-01 00:00:03.000]"}));
  ASSERT_TRUE(env.executeSql("SELECT * FROM json_in").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, x, 1.5, 2024-01-01 00:00:00.000]",
                                                     "+I[2, null, 1.5, 2024-01-01 00:00:00.000]",
                                                     "+I[3, x, 1.5, 2024-01-01 00:00:00.000]"}));
  // An updating query cannot be written to files.
  Status updates = env.executeSql("INSERT INTO csv_out SELECT a, 'x', CAST(COUNT(*) AS DOUBLE), "
                                  "TIMESTAMP '2024-01-01 00:00:00' FROM t GROUP BY a");
  EXPECT_NE(updates.message().find("doesn't support consuming update and delete changes"), std::string::npos)
      << updates.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, PartitionedFilesystemTablesKeepPartitionColumnsInDirectoryNames) {
  std::filesystem::path dir = api::testing::scratchDir("fs_parts");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "in.csv") << "1,2024-01-01,10,a\n2,2024-01-01,11,b\n3,2024-01-02,10,c/d\n4,,10,e\n"
                                   "5,x=y/z,10,f\n6,2024-01-01,10,g\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  const std::string table = "(id INT, dt STRING, hr INT, v STRING) PARTITIONED BY (dt, hr) WITH ('connector' = "
                            "'filesystem', 'path' = '" + (dir / "out").string() + "', 'format' = 'csv')";
  Status st = env.executeScript("CREATE TABLE src (id INT, dt STRING, hr INT, v STRING) WITH ('connector' = "
                                "'filesystem', 'path' = '" + (dir / "in.csv").string() + "', 'format' = 'csv');\n"
                                "CREATE TABLE parts " + table + ";\nINSERT INTO parts SELECT * FROM src;");
  ASSERT_TRUE(st.isOk()) << st.message();
  // Flink's layout: k=v/ directories (escaped; NULL and '' as the default partition),
  // files without the partition columns.
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir / "out")) {
    if (e.is_regular_file()) files.push_back(std::filesystem::relative(e.path().parent_path(), dir / "out").string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"dt=2024-01-01/hr=10", "dt=2024-01-01/hr=11", "dt=2024-01-02/hr=10",
                                             "dt=__DEFAULT_PARTITION__/hr=10", "dt=x%3Dy%2Fz/hr=10"}));
  std::string content;
  for (const auto& e : std::filesystem::directory_iterator(dir / "out" / "dt=2024-01-01" / "hr=10")) {
    std::ifstream in(e.path());
    content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  EXPECT_EQ(content, "1,a\n6,g\n");
  // Read back: the partition columns come from the directories, typed.
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT id, dt, hr + 1, v FROM parts").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, 2024-01-01, 11, a]", "+I[2, 2024-01-01, 12, b]",
                                                     "+I[3, 2024-01-02, 11, c/d]", "+I[4, null, 11, e]",
                                                     "+I[5, x=y/z, 11, f]", "+I[6, 2024-01-01, 11, g]"}));
  // A file outside the partition directories is an error naming it.
  std::ofstream(dir / "out" / "stray.csv") << "9,z\n";
  Status stray = env.executeSql("SELECT * FROM parts");
  EXPECT_NE(stray.message().find("stray.csv' is not in a directory of partition column 'dt' (dt=...)"),
            std::string::npos)
      << stray.message();
  Status bad = env.executeSql("CREATE TABLE p2 (dt STRING) PARTITIONED BY (dt) WITH ('connector' = 'filesystem', "
                              "'path' = '/tmp/x', 'format' = 'csv')");
  EXPECT_NE(bad.message().find("needs a column that is not a partition column"), std::string::npos) << bad.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, PartitionDefaultNameNamesTheDirectoryOfNullAndEmptyValues) {
  std::filesystem::path dir = api::testing::scratchDir("fs_defname");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(
      "CREATE TABLE named (v INT, dt STRING) PARTITIONED BY (dt) WITH ('connector' = 'filesystem', 'path' = '" +
      dir.string() + "', 'format' = 'csv', 'partition.default-name' = 'none');\n"
      "INSERT INTO named VALUES (1, 'a'), (2, CAST(NULL AS STRING)), (3, '');");
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_TRUE(std::filesystem::exists(dir / "dt=none"));
  EXPECT_FALSE(std::filesystem::exists(dir / "dt=__DEFAULT_PARTITION__"));
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT v, dt FROM named").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, a]", "+I[2, null]", "+I[3, null]"}));
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TheSuccessFilePolicyMarksEachWrittenPartitionAndReadingSkipsTheMarks) {
  std::filesystem::path dir = api::testing::scratchDir("fs_success");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  const std::string create = "CREATE TABLE marked (v INT, dt STRING) PARTITIONED BY (dt) WITH ('connector' = "
                             "'filesystem', 'path' = '" + dir.string() + "', 'format' = 'csv', "
                             "'sink.partition-commit.policy.kind' = 'success-file'";
  Status st = env.executeScript(create + ");\nINSERT INTO marked VALUES (1, 'a'), (2, 'b'), (3, 'a');");
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_TRUE(std::filesystem::exists(dir / "dt=a" / "_SUCCESS"));
  EXPECT_TRUE(std::filesystem::exists(dir / "dt=b" / "_SUCCESS"));
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT v, dt FROM marked").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, a]", "+I[2, b]", "+I[3, a]"}));
  // What has no counterpart here fails before anything runs, naming the option.
  Status metastore = env.executeScript(
      "CREATE TABLE hive_like (v INT, dt STRING) PARTITIONED BY (dt) WITH ('connector' = 'filesystem', 'path' = '" +
      dir.string() + "2', 'format' = 'csv', 'sink.partition-commit.policy.kind' = 'metastore');\n"
      "INSERT INTO hive_like VALUES (1, 'a');");
  EXPECT_NE(metastore.message().find("option 'sink.partition-commit.policy.kind' = 'metastore'"), std::string::npos)
      << metastore.message();
  EXPECT_FALSE(std::filesystem::exists(dir.string() + "2/dt=a"));
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(dir.string() + "2");
}

// The text of every file under `dir`, one after another.
std::string filesUnder(const std::filesystem::path& dir) {
  std::string text;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path());
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return text;
}

TEST(TableEnvironment, ArraysAndMapsRoundTripThroughTheJsonAndCsvFormats) {
  std::filesystem::path dir = api::testing::scratchDir("fs_nested");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  for (const std::string format : {"json", "csv"}) {
    const std::string path = (dir / format).string();
    Status st = env.executeScript(
        "CREATE TABLE nested_" + format + " (id INT, xs ARRAY<INT>, tags ARRAY<STRING>, m MAP<STRING, DOUBLE>) WITH "
        "('connector' = 'filesystem', 'path' = '" + path + "', 'format' = '" + format + "');\n"
        "INSERT INTO nested_" + format + " VALUES (1, ARRAY[1, CAST(NULL AS INT), 3], ARRAY['a', 'b c'], "
        "MAP['k', 1.5]), (2, CAST(NULL AS ARRAY<INT>), ARRAY['x'], MAP['u', 2.0, 'v', CAST(NULL AS DOUBLE)]);");
    ASSERT_TRUE(st.isOk()) << format << ": " << st.message();
    out->take();
    st = env.executeSql("SELECT id, xs, tags, m, xs[3] + 1 FROM nested_" + format);
    ASSERT_TRUE(st.isOk()) << format << ": " << st.message();
    EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, [1, null, 3], [a, b c], {k=1.5}, 4]",
                                                      "+I[2, null, [x], {u=2.0, v=null}, null]"}))
        << format;
  }
  // The files hold what Flink's formats write: JSON arrays and objects; csv elements
  // joined by ';'.
  const std::string json = filesUnder(dir / "json"), csv = filesUnder(dir / "csv");
  EXPECT_NE(json.find(R"("xs":[1,null,3],"tags":["a","b c"],"m":{"k":1.5})"), std::string::npos) << json;
  EXPECT_NE(csv.find("1,1;;3,a;b c,"), std::string::npos) << csv;
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TheJsonFormatWritesAndReadsARowColumnAsANestedObject) {
  std::filesystem::path dir = api::testing::scratchDir("fs_rows");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(
      "CREATE TABLE people (id INT, p ROW<name STRING, addr ROW<city STRING, zip INT>, age INT>, note STRING) WITH "
      "('connector' = 'filesystem', 'path' = '" + dir.string() + "', 'format' = 'json');\n"
      "INSERT INTO people VALUES (1, ROW('ann', ROW('Oslo', 150), 31), 'x'), "
      "(2, ROW('bob', ROW(CAST(NULL AS STRING), 9), 40), CAST(NULL AS STRING));");
  ASSERT_TRUE(st.isOk()) << st.message();
  // As Flink's json format writes a ROW: a nested object per row.
  const std::string text = filesUnder(dir);
  EXPECT_NE(text.find(R"({"id":1,"p":{"name":"ann","addr":{"city":"Oslo","zip":150},"age":31},"note":"x"})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"({"id":2,"p":{"name":"bob","addr":{"city":null,"zip":9},"age":40},"note":null})"),
            std::string::npos)
      << text;
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT id, p.addr.city, p FROM people").isOk());
  std::vector<std::string> rows = rowsOf(*out);
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<std::string>{"+I[1, Oslo, +I[ann, +I[Oslo, 150], 31]]",
                                            "+I[2, null, +I[bob, +I[null, 9], 40]]"}));
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, AJsonRowThatIsNullOrMissingReadsAsANullRowAndIsWrittenAsNull) {
  std::filesystem::path dir = api::testing::scratchDir("fs_null_rows");
  std::filesystem::create_directories(dir / "in");
  {
    std::ofstream f(dir / "in" / "part-0.json");
    f << R"({"id":1,"p":{"name":"ann","addr":{"city":"Oslo"}}})" << "\n"
      << R"({"id":2,"p":null})" << "\n"
      << R"({"id":3})" << "\n"
      << R"({"id":4,"p":{"name":null,"addr":null}})" << "\n";
  }
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(
      "CREATE TABLE people (id INT, p ROW<name STRING, addr ROW<city STRING>>) WITH ('connector' = 'filesystem', "
      "'path' = '" + (dir / "in").string() + "', 'format' = 'json');\n"
      "CREATE TABLE copies (id INT, p ROW<name STRING, addr ROW<city STRING>>) WITH ('connector' = 'filesystem', "
      "'path' = '" + (dir / "out").string() + "', 'format' = 'json');\n"
      "INSERT INTO copies SELECT * FROM people;");
  ASSERT_TRUE(st.isOk()) << st.message();
  // As Flink's json format: a missing or null object is a NULL ROW; {} is a row of NULLs.
  const std::string text = filesUnder(dir / "out");
  EXPECT_NE(text.find(R"({"id":1,"p":{"name":"ann","addr":{"city":"Oslo"}}})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"id":2,"p":null})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"id":3,"p":null})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"id":4,"p":{"name":null,"addr":null}})"), std::string::npos) << text;
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT id, p, p IS NULL, p.addr IS NULL, p.name FROM people").isOk());
  std::vector<std::string> rows = rowsOf(*out);
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<std::string>{"+I[1, +I[ann, +I[Oslo]], false, false, ann]",
                                            "+I[2, null, true, true, null]", "+I[3, null, true, true, null]",
                                            "+I[4, +I[null, null], false, true, null]"}));
  // A table CREATE TABLE AS makes keeps the query's ROW column whole, and reads it back.
  out->take();
  st = env.executeScript("CREATE TABLE made WITH ('connector' = 'filesystem', 'path' = '" + (dir / "made").string() +
                         "', 'format' = 'json') AS SELECT id, p FROM people;\nSELECT id, p FROM made;");
  ASSERT_TRUE(st.isOk()) << st.message();
  rows = rowsOf(*out);
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<std::string>{"+I[1, +I[ann, +I[Oslo]]]", "+I[2, null]", "+I[3, null]",
                                            "+I[4, +I[null, null]]"}));
  std::filesystem::remove_all(dir);
}

// Creates `<name>_<format>` (`columns`) as a filesystem table of `format` under `dir`,
// inserts `values` into it and returns what its files hold.
std::string writeTable(TableEnvironment& env, const std::filesystem::path& dir, const std::string& format,
                       const std::string& name, const std::string& columns, const std::string& values) {
  const std::string path = (dir / format).string();
  const std::string table = name + "_" + format;
  Status st = env.executeScript("CREATE TABLE " + table + " (" + columns + ") WITH ('connector' = 'filesystem', " +
                                "'path' = '" + path + "', 'format' = '" + format + "');\nINSERT INTO " + table +
                                " VALUES " + values + ";");
  EXPECT_TRUE(st.isOk()) << format << ": " << st.message();
  return filesUnder(path);
}

TEST(TableEnvironment, WideDecimalsKeepEveryDigitThroughCsvAndJsonFiles) {
  std::filesystem::path dir = api::testing::scratchDir("fs_decimals");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  for (const std::string format : {"csv", "json"}) {
    const std::string text = writeTable(env, dir, format, "money", "id INT, amt DECIMAL(38, 18), big DECIMAL(25, 0)",
                                        "(1, 12345678901234567890.123456789012345678, 1234567890123456789012345), "
                                        "(2, -0.000000000000000001, -5)");
    // As Flink's formats write BigDecimal: every digit, a JSON number.
    const std::string expected = format == "json"
                                     ? R"({"id":1,"amt":12345678901234567890.123456789012345678,"big":1234567890123456789012345})"
                                     : "1,12345678901234567890.123456789012345678,1234567890123456789012345";
    EXPECT_NE(text.find(expected), std::string::npos) << text;
    out->take();
    ASSERT_TRUE(env.executeSql("SELECT id, amt, big, JSON_OBJECT('a' VALUE amt) FROM money_" + format).isOk());
    std::vector<std::string> rows = rowsOf(*out);
    std::sort(rows.begin(), rows.end());
    EXPECT_EQ(rows, (std::vector<std::string>{
                        "+I[1, 12345678901234567890.123456789012345678, 1234567890123456789012345, "
                        R"({"a":12345678901234567890.123456789012345678}])",
                        R"(+I[2, -0.000000000000000001, -5, {"a":-0.000000000000000001}])"}))
        << format;
  }
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, BytesAreBase64InCsvAndJsonFilesAndReadBack) {
  std::filesystem::path dir = api::testing::scratchDir("fs_bytes");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  for (const std::string format : {"csv", "json"}) {
    const std::string text = writeTable(env, dir, format, "blobs", "id INT, b BYTES, f BINARY(2)",
                                        "(1, X'FF00', X'0102'), (2, CAST(NULL AS BYTES), X'')");
    // As Jackson writes a binary node (Flink's csv and json formats): base64.
    const std::string expected = format == "json" ? R"({"id":1,"b":"/wA=","f":"AQI="})" : "1,/wA=,AQI=";
    EXPECT_NE(text.find(expected), std::string::npos) << text;
    out->take();
    ASSERT_TRUE(env.executeSql("SELECT id, b, f FROM blobs_" + format).isOk());
    std::vector<std::string> rows = rowsOf(*out);
    std::sort(rows.begin(), rows.end());
    EXPECT_EQ(rows, (std::vector<std::string>{"+I[1, [-1, 0], [1, 2]]", "+I[2, null, [0, 0]]"})) << format;
  }
  // Text that is not base64 fails the read, naming the column.
  std::filesystem::create_directories(dir / "bad");
  std::ofstream(dir / "bad" / "part-0.csv") << "1,not base64!\n";
  Status st = env.executeSql("CREATE TABLE bad (id INT, b BYTES) WITH ('connector' = 'filesystem', 'path' = '" +
                             (dir / "bad").string() + "', 'format' = 'csv')");
  ASSERT_TRUE(st.isOk()) << st.message();
  st = env.executeSql("SELECT * FROM bad");
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("column 'b'"), std::string::npos) << st.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, AMalformedRowFailsTheJobNamingItsPlaceAfterTheRowsBeforeIt) {
  std::filesystem::path dir = api::testing::scratchDir("fs_malformed");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "rows.csv") << "1,10.50\n2,abc\n3,\"cut\n4,7.00\n";
  std::ofstream(dir / "rows.json") << "{\"id\":1,\"amount\":10.5}\n{\"id\":\"x\"}\n{bad\n{\"id\":4,\"amount\":7}\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  for (const std::string format : {"csv", "json"}) {
    const std::string table = "rows_" + format;
    const std::string with = "'connector' = 'filesystem', 'path' = '" + (dir / ("rows." + format)).string() +
                             "', 'format' = '" + format + "'";
    ASSERT_TRUE(env.executeSql("CREATE TABLE " + table + " (id INT, amount DECIMAL(5, 2)) WITH (" + with + ")").isOk());
    out->take();
    Status st = env.executeSql("SELECT * FROM " + table);
    ASSERT_FALSE(st.isOk()) << format;
    const std::string where = (dir / ("rows." + format)).string() + ":2: ";
    EXPECT_NE(st.message().find(where), std::string::npos) << st.message();
    EXPECT_NE(st.message().find(format == "csv" ? "column 'amount': not a DECIMAL(5, 2): \"abc\"" : "field 'id': not an INT"),
              std::string::npos)
        << st.message();
    EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, 10.50]"})) << format;  // Read before the bad row.
    // With <format>.ignore-parse-errors, as Flink's converters: a field that does not
    // parse is NULL and its row stays; a row that is malformed as a whole is skipped.
    ASSERT_TRUE(env.executeSql("CREATE TABLE lenient_" + format + " (id INT, amount DECIMAL(5, 2)) WITH (" + with +
                               ", '" + format + ".ignore-parse-errors' = 'true')")
                    .isOk());
    out->take();
    ASSERT_TRUE(env.executeSql("SELECT * FROM lenient_" + format).isOk());
    const std::vector<std::string> lenient =
        format == "csv" ? std::vector<std::string>{"+I[1, 10.50]", "+I[2, null]", "+I[4, 7.00]"}
                        : std::vector<std::string>{"+I[1, 10.50]", "+I[4, 7.00]", "+I[null, null]"};  // Sorted.
    EXPECT_EQ(rowsOf(*out), lenient) << format;
  }
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, AFileTimestampWithoutATimeOfDayIsMalformedThoughCastTakesIt) {
  std::filesystem::path dir = api::testing::scratchDir("fs_date_alone");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "t.csv") << "1,2024-01-01 10:00:00,2024-01-01 10:00:00Z\n2,2024-01-02,2024-01-02Z\n";
  std::ofstream(dir / "t.json") << R"({"id":1,"ts":"2024-01-01 10:00:00","lt":"2024-01-01 10:00:00Z"})" "\n"
                                << R"({"id":2,"ts":"2024-01-02","lt":"2024-01-02Z"})" "\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  for (const std::string format : {"csv", "json"}) {
    const std::string with = "'connector' = 'filesystem', 'path' = '" + (dir / ("t." + format)).string() +
                             "', 'format' = '" + format + "', '" + format + ".ignore-parse-errors' = 'true'";
    ASSERT_TRUE(env.executeSql("CREATE TABLE t_" + format + " (id INT, ts TIMESTAMP(3), lt TIMESTAMP_LTZ(3)) WITH (" +
                               with + ")")
                    .isOk());
    out->take();
    ASSERT_TRUE(env.executeSql("SELECT * FROM t_" + format).isOk());
    // Flink's formats read SQL timestamps as `yyyy-MM-dd HH:mm:ss[.fraction]`.
    EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, 2024-01-01 10:00:00.000, 2024-01-01 10:00:00.000]",
                                                      "+I[2, null, null]"}))
        << format;
  }
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT CAST('2024-01-02' AS TIMESTAMP(3))").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[2024-01-02 00:00:00.000]"}));
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TheJsonFormatWritesIso8601TimestampsWhenAsked) {
  std::filesystem::path dir = api::testing::scratchDir("fs_iso");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  const std::string path = (dir / "iso").string();
  Status st = env.executeScript(
      "CREATE TABLE iso (id INT, ts TIMESTAMP(3), lt TIMESTAMP_LTZ(3)) WITH ('connector' = 'filesystem', 'path' = '" +
      path + "', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');\n"
      "INSERT INTO iso VALUES (1, TIMESTAMP '2024-01-01 10:00:00.123', TO_TIMESTAMP_LTZ(1704103201000, 3));");
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_NE(filesUnder(dir / "iso").find(R"({"id":1,"ts":"2024-01-01T10:00:00.123","lt":"2024-01-01T10:00:01Z"})"),
            std::string::npos)
      << filesUnder(dir / "iso");
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT * FROM iso").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, 2024-01-01 10:00:00.123, 2024-01-01 10:00:01.000]"}));
  st = env.executeScript("CREATE TABLE bad2 (id INT) WITH ('connector' = 'filesystem', 'path' = '" + path +
                         "', 'format' = 'json', 'json.timestamp-format.standard' = 'RFC');\nSELECT * FROM bad2;");
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("Unsupported value 'RFC' for json.timestamp-format.standard"), std::string::npos)
      << st.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, CsvCommentLinesAndUnquotedFieldsAsTheirOptionsSay) {
  std::filesystem::path dir = api::testing::scratchDir("fs_csvopts");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "rows.csv") << "# a comment\n1,\"a\n2,b\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeSql("CREATE TABLE c (id INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '" +
                             (dir / "rows.csv").string() +
                             "', 'format' = 'csv', 'csv.allow-comments' = 'true', 'csv.disable-quote-character' = 'true')");
  ASSERT_TRUE(st.isOk()) << st.message();
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT * FROM c").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, \"a]", "+I[2, b]"}));
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, CsvDelimiterQuoteAndEscapeCharactersAsTheirOptionsSay) {
  std::filesystem::path dir = api::testing::scratchDir("fs_csvesc");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pipes.csv") << "1|'a|b'\n2|x\\|y\n3|'it\\'s'\n";
  std::ofstream(dir / "tabs.csv") << "1\tone, two\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  ASSERT_TRUE(env.executeSql("CREATE TABLE p (id INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '" +
                             (dir / "pipes.csv").string() +
                             "', 'format' = 'csv', 'csv.field-delimiter' = '|', 'csv.quote-character' = '''', "
                             "'csv.escape-character' = '\\')")
                  .isOk());
  ASSERT_TRUE(env.executeSql("CREATE TABLE t (id INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '" +
                             (dir / "tabs.csv").string() + "', 'format' = 'csv', 'csv.field-delimiter' = '\\t')")
                  .isOk());
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT * FROM p").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, a|b]", "+I[2, x|y]", "+I[3, it's]"}));
  ASSERT_TRUE(env.executeSql("SELECT * FROM t").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, one, two]"}));
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TheSourcePathRegexPatternPicksTheFilesRead) {
  std::filesystem::path dir = api::testing::scratchDir("fs_regex");
  std::filesystem::create_directories(dir / "2024");
  std::ofstream(dir / "2024" / "a.csv") << "1\n";
  std::ofstream(dir / "2024" / "b.txt") << "2\n";
  std::ofstream(dir / "c.csv") << "3\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  auto table = [&](const std::string& name, const std::string& pattern) {
    return env.executeSql("CREATE TABLE " + name + " (x INT) WITH ('connector' = 'filesystem', 'path' = '" +
                          dir.string() + "', 'format' = 'csv', 'source.path.regex-pattern' = '" + pattern + "')");
  };
  ASSERT_TRUE(table("csvs", ".*\\.csv").isOk());
  ASSERT_TRUE(table("in2024", dir.string() + "/2024/.*").isOk());
  ASSERT_TRUE(table("bad", "(").isOk());
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT * FROM csvs").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1]", "+I[3]"}));
  ASSERT_TRUE(env.executeSql("SELECT * FROM in2024").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1]", "+I[2]"}));
  Status st = env.executeSql("SELECT * FROM bad");
  EXPECT_NE(st.message().find("option 'source.path.regex-pattern' is not a regular expression: '('"), std::string::npos)
      << st.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, JsonFailOnMissingFieldFailsTheRowWithoutTheField) {
  std::filesystem::path dir = api::testing::scratchDir("fs_missing");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "rows.json") << "{\"id\":1,\"name\":\"a\"}\n{\"id\":2}\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  const std::string with = "'connector' = 'filesystem', 'path' = '" + (dir / "rows.json").string() + "', 'format' = 'json'";
  ASSERT_TRUE(env.executeSql("CREATE TABLE lax (id INT, name STRING) WITH (" + with + ")").isOk());
  ASSERT_TRUE(env.executeSql("CREATE TABLE strict (id INT, name STRING) WITH (" + with +
                             ", 'json.fail-on-missing-field' = 'true')")
                  .isOk());
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT * FROM lax").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[1, a]", "+I[2, null]"}));
  out->take();
  Status st = env.executeSql("SELECT * FROM strict");
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("rows.json:2: Could not find field with name 'name'"), std::string::npos) << st.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TheJsonFormatLeavesNullFieldsOutWhenAsked) {
  std::filesystem::path dir = api::testing::scratchDir("fs_nonull");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(
      "CREATE TABLE sparse (id INT, name STRING, score DOUBLE) WITH ('connector' = 'filesystem', 'path' = '" +
      (dir / "sparse").string() + "', 'format' = 'json', 'json.encode.ignore-null-fields' = 'true');\n"
      "INSERT INTO sparse VALUES (1, CAST(NULL AS STRING), 2.5), (2, 'b', CAST(NULL AS DOUBLE));");
  ASSERT_TRUE(st.isOk()) << st.message();
  const std::string text = filesUnder(dir / "sparse");
  EXPECT_NE(text.find(R"({"id":1,"score":2.5})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"id":2,"name":"b"})"), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TheJsonFormatWritesANullMapKeyAsMapNullKeyModeSays) {
  std::filesystem::path dir = api::testing::scratchDir("fs_null_key");
  auto table = [&](const std::string& name, const std::string& options) {
    return "CREATE TABLE " + name + " (m MAP<STRING, INT>) WITH ('connector' = 'filesystem', 'path' = '" +
           (dir / name).string() + "', 'format' = 'json'" + options + ");\n";
  };
  const std::string row = " VALUES (MAP[CAST(NULL AS STRING), 1, 'a', 2]);";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(table("dropped", ", 'json.map-null-key.mode' = 'drop'") +
                                table("named", ", 'json.map-null-key.mode' = 'LITERAL', 'json.map-null-key.literal' = 'N/A'") +
                                "INSERT INTO dropped" + row + "\nINSERT INTO named" + row);
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_EQ(filesUnder(dir / "dropped"), "{\"m\":{\"a\":2}}\n");
  EXPECT_EQ(filesUnder(dir / "named"), "{\"m\":{\"N/A\":1,\"a\":2}}\n");
  // FAIL, the default, fails the job as Flink does; an unknown mode is refused.
  st = env.executeScript(table("failing", "") + "INSERT INTO failing" + row);
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("doesn't support to serialize map data with null keys"), std::string::npos) << st.message();
  st = env.executeScript(table("odd", ", 'json.map-null-key.mode' = 'skip'") + "INSERT INTO odd" + row);
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("Supported values are [FAIL, DROP, LITERAL]"), std::string::npos) << st.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TheJsonFormatWritesSmallDecimalsAsJavaDoesUnlessAskedForPlainNumbers) {
  std::filesystem::path dir = api::testing::scratchDir("fs_decimal");
  auto table = [&](const std::string& name, const std::string& options) {
    return "CREATE TABLE " + name + " (d DECIMAL(12, 9), e DECIMAL(5, 2)) WITH ('connector' = 'filesystem', 'path' = '" +
           (dir / name).string() + "', 'format' = 'json'" + options + ");\n";
  };
  const std::string row = " VALUES (CAST(0.000000027 AS DECIMAL(12, 9)), CAST(100.00 AS DECIMAL(5, 2)));";
  TableEnvironment env(std::make_shared<ListCollector>());
  Status st = env.executeScript(table("java", "") + table("plain", ", 'json.encode.decimal-as-plain-number' = 'true'") +
                                "INSERT INTO java" + row + "\nINSERT INTO plain" + row);
  ASSERT_TRUE(st.isOk()) << st.message();
  // BigDecimal.toString: scientific only below 10^-6; 100.00 keeps its scale.
  EXPECT_EQ(filesUnder(dir / "java"), "{\"d\":2.7E-8,\"e\":100.00}\n");
  EXPECT_EQ(filesUnder(dir / "plain"), "{\"d\":0.000000027,\"e\":100.00}\n");
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TheRawFormatReadsAndWritesALinePerRow) {
  std::filesystem::path dir = api::testing::scratchDir("fs_raw");
  std::filesystem::create_directories(dir / "in");
  std::ofstream(dir / "in" / "lines.txt") << "a, \"b\"\n\nh\xc3\xa9\n";
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  Status st = env.executeScript(
      "CREATE TABLE lines (line STRING) WITH ('connector' = 'filesystem', 'path' = '" + (dir / "in").string() +
      "', 'format' = 'raw');\n"
      "CREATE TABLE latin (line STRING) WITH ('connector' = 'filesystem', 'path' = '" + (dir / "out").string() +
      "', 'format' = 'raw', 'raw.charset' = 'ISO-8859-1');\n"
      "INSERT INTO latin SELECT UPPER(line) FROM lines;");
  ASSERT_TRUE(st.isOk()) << st.message();
  // Each line one row, the empty one too; written back in the charset asked for.
  EXPECT_EQ(filesUnder(dir / "out"), "A, \"B\"\n\nH\xc9\n");
  out->take();
  ASSERT_TRUE(env.executeSql("SELECT line, CHAR_LENGTH(line) FROM lines").isOk());
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[, 0]", "+I[a, \"b\", 6]", "+I[h\u00e9, 2]"}));
  st = env.executeScript("CREATE TABLE two (a STRING, b STRING) WITH ('connector' = 'filesystem', 'path' = '" +
                         (dir / "in").string() + "', 'format' = 'raw');\nSELECT * FROM two;");
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("The 'raw' format only supports single physical column"), std::string::npos)
      << st.message();
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, TimesAreWrittenAsFlinksCsvAndJsonFormatsWriteThemAndReadBack) {
  std::filesystem::path dir = api::testing::scratchDir("fs_times");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  for (const std::string format : {"csv", "json"}) {
    const std::string text = writeTable(env, dir, format, "times", "ts TIMESTAMP(3), l TIMESTAMP_LTZ(3), t TIME",
                                        "(TIMESTAMP '2024-01-01 10:05:00', TO_TIMESTAMP_LTZ(1500, 3), TIME '10:00:00'), "
                                        "(TIMESTAMP '2024-01-01 10:05:00.25', TO_TIMESTAMP_LTZ(0, 3), TIME '23:59:59')");
    // The fraction only as long as it needs; an instant in UTC with a 'Z'.
    const std::string first = format == "csv" ? "2024-01-01 10:05:00,1970-01-01 00:00:01.5Z,10:00:00"
                                              : R"({"ts":"2024-01-01 10:05:00","l":"1970-01-01 00:00:01.5Z","t":"10:00:00"})";
    const std::string second = format == "csv" ? "2024-01-01 10:05:00.25,1970-01-01 00:00:00Z,23:59:59"
                                               : R"({"ts":"2024-01-01 10:05:00.25","l":"1970-01-01 00:00:00Z")";
    EXPECT_NE(text.find(first), std::string::npos) << text;
    EXPECT_NE(text.find(second), std::string::npos) << text;
    // Read back under another session zone: the instants stay instants.
    ASSERT_TRUE(env.executeSql("SET 'table.local-time-zone' = 'Asia/Shanghai'").isOk());
    out->take();
    Status st = env.executeSql("SELECT ts, l FROM times_" + format);
    ASSERT_TRUE(env.executeSql("RESET 'table.local-time-zone'").isOk());
    ASSERT_TRUE(st.isOk()) << format << ": " << st.message();
    EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[2024-01-01 10:05:00.000, 1970-01-01 08:00:01.500]",
                                                      "+I[2024-01-01 10:05:00.250, 1970-01-01 08:00:00.000]"}))
        << format;
  }
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, FinerTimestampsKeepEveryDigitThroughCsvAndJsonFiles) {
  std::filesystem::path dir = api::testing::scratchDir("fs_fine_times");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  for (const std::string format : {"csv", "json"}) {
    const std::string text =
        writeTable(env, dir, format, "fine", "us TIMESTAMP(6), ns TIMESTAMP(9), l TIMESTAMP_LTZ(9)",
                   "(TIMESTAMP '2024-01-01 10:05:00.123456', TIMESTAMP '1969-12-31 23:59:59.999999999', "
                   "CAST(TIMESTAMP '1970-01-01 00:00:00.000000001' AS TIMESTAMP_LTZ(9))), "
                   "(TIMESTAMP '2024-01-01 10:05:00.1', TIMESTAMP '2024-01-01 10:05:00.000000500', "
                   "CAST(TIMESTAMP '2024-01-01 10:05:00' AS TIMESTAMP_LTZ(9)))");
    // Every digit the value holds, the trailing zeros dropped, as Flink's formats write.
    const std::string first = format == "csv"
                                  ? "2024-01-01 10:05:00.123456,1969-12-31 23:59:59.999999999,1970-01-01 00:00:00.000000001Z"
                                  : R"({"us":"2024-01-01 10:05:00.123456","ns":"1969-12-31 23:59:59.999999999",)"
                                    R"("l":"1970-01-01 00:00:00.000000001Z"})";
    const std::string second = format == "csv" ? "2024-01-01 10:05:00.1,2024-01-01 10:05:00.0000005,2024-01-01 10:05:00Z"
                                               : R"({"us":"2024-01-01 10:05:00.1","ns":"2024-01-01 10:05:00.0000005",)";
    EXPECT_NE(text.find(first), std::string::npos) << text;
    EXPECT_NE(text.find(second), std::string::npos) << text;
    out->take();
    ASSERT_TRUE(env.executeSql("SELECT us, ns, l, ns < l FROM fine_" + format).isOk());
    std::vector<std::string> rows = rowsOf(*out);
    std::sort(rows.begin(), rows.end());
    EXPECT_EQ(rows, (std::vector<std::string>{
                        "+I[2024-01-01 10:05:00.100000, 2024-01-01 10:05:00.000000500, 2024-01-01 10:05:00.000000000, false]",
                        "+I[2024-01-01 10:05:00.123456, 1969-12-31 23:59:59.999999999, 1970-01-01 00:00:00.000000001, true]"}))
        << format;
  }
  std::filesystem::remove_all(dir);
}

TEST(TableEnvironment, AScriptCanReadBackWhatItWrites) {
  std::filesystem::path dir = api::testing::scratchDir("fs_round");
  auto out = std::make_shared<ListCollector>();
  TableEnvironment env(out);
  std::string table = "CREATE TABLE f (a INT) WITH ('connector' = 'filesystem', 'path' = 'file://" + dir.string() +
                      "', 'format' = 'csv');\n";
  Status st = env.executeScript(std::string(kTable) + table + "INSERT INTO f SELECT a + 100 FROM t;\nSELECT a FROM f;");
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_EQ(rowsOf(*out), (std::vector<std::string>{"+I[101]", "+I[102]", "+I[103]"}));
  std::filesystem::remove_all(dir);
}

// Rows as "<kind> field, field, ...", fields printed by type (strings and numbers).
std::vector<std::string> rowLines(const std::vector<Row>& rows, const std::vector<LogicalType>& types) {
  std::vector<std::string> out;
  for (const Row& r : rows) {
    RecordBatch b = emptyBatch(types);
    for (size_t c = 0; c < r.fields.size(); ++c) appendValue(b.columns[c], r.fields[c]);
    b.kinds.push_back(r.kind);
    out.push_back(formatRow(b, 0, types));
  }
  return out;
}

TEST(TableEnvironment, ADataStreamBecomesATableAndAQueryAChangelogStream) {
  api::StreamExecutionEnvironment env;
  auto tenv = TableEnvironment::create(env, std::make_shared<ListCollector>());
  auto words = env.fromCollection(std::vector<Row>{Row::of({Value::ofString("a"), Value::ofInt(1)}),
                                                   Row::of({Value::ofString("b"), Value::ofInt(2)}),
                                                   Row::of({Value::ofString("a"), Value::ofInt(3)})});
  words.setParallelism(1);
  auto table = tenv->fromDataStream(words, {{"word", LogicalType::string()}, {"n", LogicalType::bigint()}});
  ASSERT_TRUE(table.isOk()) << table.status().message();
  ASSERT_TRUE(tenv->createTemporaryView("words", *table).isOk());
  auto counts = tenv->sqlQuery("SELECT word, SUM(n) AS total FROM words GROUP BY word");
  ASSERT_TRUE(counts.isOk()) << counts.status().message();
  EXPECT_FALSE(counts->isInsertOnly());
  // An updating table is not a DataStream of inserts, as in Flink ...
  auto refused = tenv->toDataStream(*counts);
  ASSERT_FALSE(refused.isOk());
  EXPECT_NE(refused.status().message().find("use toChangelogStream"), std::string::npos);
  // ... but its changelog is.
  auto changes = tenv->toChangelogStream(*counts);
  ASSERT_TRUE(changes.isOk()) << changes.status().message();
  auto results = api::testing::collect(*changes);
  // A filter on the same view, as plain rows.
  auto big = tenv->sqlQuery("SELECT UPPER(word), n * 10 FROM words WHERE n > 1");
  ASSERT_TRUE(big.isOk()) << big.status().message();
  auto inserts = tenv->toDataStream(*big);
  ASSERT_TRUE(inserts.isOk()) << inserts.status().message();
  auto plain = api::testing::collect(*inserts);
  env.execute("table api");
  EXPECT_EQ(rowLines(results->values, {LogicalType::string(), LogicalType::bigint()}),
            (std::vector<std::string>{"+I[a, 1]", "+I[b, 2]", "-U[a, 1]", "+U[a, 4]"}));
  std::vector<std::string> got = rowLines(plain->values, {LogicalType::string(), LogicalType::bigint()});
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"+I[A, 30]", "+I[B, 20]"}));
}

TEST(TableEnvironment, ARowtimeFromTheStreamDrivesEventTimeWindows) {
  api::StreamExecutionEnvironment env;
  auto tenv = TableEnvironment::create(env, std::make_shared<ListCollector>());
  std::vector<Row> clicks;
  for (auto [user, ts] : std::vector<std::pair<std::string, int64_t>>{{"ann", 1000}, {"bob", 4000}, {"ann", 9000},
                                                                       {"ann", 12000}, {"bob", 31000}}) {
    clicks.push_back(Row::of({Value::ofString(user), Value::ofInt(ts)}));
  }
  auto strategy = operators::WatermarkStrategy<Row>::forMonotonousTimestamps().withTimestampAssigner(
      [](const Row& r) { return r.fields[1].i; });
  auto stream = env.fromSource<Row>(std::make_shared<operators::CollectionSource<Row>>(clicks), strategy, "clicks");
  stream.setParallelism(1);
  auto table = tenv->fromDataStream(stream, {{"user", LogicalType::string()}, {"at_ms", LogicalType::bigint()}}, "ts");
  ASSERT_TRUE(table.isOk()) << table.status().message();
  ASSERT_TRUE(tenv->createTemporaryView("clicks", *table).isOk());
  auto windows = tenv->sqlQuery(
      "SELECT user, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND)) "
      "GROUP BY user, window_start, window_end");
  ASSERT_TRUE(windows.isOk()) << windows.status().message();
  EXPECT_TRUE(windows->isInsertOnly());
  auto out = tenv->toDataStream(*windows);
  ASSERT_TRUE(out.isOk()) << out.status().message();
  auto results = api::testing::collect(*out);
  env.execute("table api windows");
  std::vector<LogicalType> types = {LogicalType::string(), LogicalType::timestamp(3), LogicalType::bigint()};
  std::vector<std::string> got = rowLines(results->values, types);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"+I[ann, 1970-01-01 00:00:10.000, 2]", "+I[ann, 1970-01-01 00:00:20.000, 1]",
                                           "+I[bob, 1970-01-01 00:00:10.000, 1]", "+I[bob, 1970-01-01 00:00:40.000, 1]"}));
}

TEST(TableEnvironment, ATableFromADataStreamIsNotForExecuteSql) {
  api::StreamExecutionEnvironment env;
  auto out = std::make_shared<ListCollector>();
  auto tenv = TableEnvironment::create(env, out);
  auto s = env.fromCollection(std::vector<Row>{Row::of({Value::ofInt(1)})});
  auto table = tenv->fromDataStream(s, {{"x", LogicalType::bigint()}});
  ASSERT_TRUE(table.isOk());
  ASSERT_TRUE(tenv->createTemporaryView("xs", *table).isOk());
  Status st = tenv->executeSql("SELECT x FROM xs");
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("comes from a DataStream"), std::string::npos) << st.message();
  TableEnvironment plain(out);
  EXPECT_FALSE(plain.fromDataStream(s, {{"x", LogicalType::bigint()}}).isOk());
  // As in Flink, such a view has no SQL to show.
  st = tenv->executeSql("SHOW CREATE VIEW xs");
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("SHOW CREATE VIEW is not supported for views registered by Table API."), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace eddy::sql
