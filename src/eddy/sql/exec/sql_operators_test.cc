// The keyed SQL operators across a snapshot and a restore: what they cache in the
// operator must be in the snapshot, and a restored instance continues exactly.
#include <gtest/gtest.h>

#include <algorithm>

#include "eddy/operators/testing/operator_harness.h"
#include "eddy/sql/exec/batch_over_aggregate.h"
#include "eddy/sql/exec/calc_operator.h"
#include "eddy/sql/exec/group_aggregate.h"
#include "eddy/sql/exec/interval_join_operator.h"
#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/local_group_aggregate.h"
#include "eddy/sql/exec/match_operator.h"
#include "eddy/sql/exec/rank_operator.h"
#include "eddy/sql/exec/session_window_aggregate.h"
#include "eddy/sql/exec/sort_operator.h"
#include "eddy/sql/exec/window_aggregate.h"

namespace eddy::sql {
namespace {

using Harness = operators::testing::OperatorHarness<RecordBatch>;

const LogicalType kBigint = LogicalType::bigint();

// A batch of BIGINT rows, all inserts.
RecordBatch rows(const std::vector<std::vector<int64_t>>& values) {
  RecordBatch b = emptyBatch(std::vector<LogicalType>(values.empty() ? 0 : values[0].size(), kBigint));
  for (const auto& row : values) {
    for (size_t c = 0; c < row.size(); ++c) appendValue(b.columns[c], Value::ofInt(row[c]));
    b.kinds.push_back(RowKind::kInsert);
  }
  return b;
}

// The rows emitted since the last call, printed as Flink prints them; columns are BIGINT
// unless `types` says otherwise.
std::vector<std::string> lines(Harness& h, std::vector<LogicalType> types = {}) {
  std::vector<std::string> out;
  for (const auto& e : h.output()) {
    types.resize(e.value.columns.size(), kBigint);
    for (size_t r = 0; r < e.value.size(); ++r) out.push_back(formatRow(e.value, r, types));
  }
  h.clearOutput();
  return out;
}

AggregateCall sumOf(int column) {
  AggregateCall sum;
  sum.kind = AggKind::kSum;
  sum.arg = column;
  sum.arg_type = kBigint;
  sum.type = kBigint;
  sum.retractable = false;
  return sum;
}

WindowSpec tumble(int64_t size) {
  WindowSpec w;
  w.kind = WindowSpec::Kind::kTumble;
  w.size = size;
  return w;
}

WindowSpec hop(int64_t slide, int64_t size) {
  WindowSpec w;
  w.kind = WindowSpec::Kind::kHop;
  w.slide = slide;
  w.size = size;
  return w;
}

TEST(SqlOperators, GroupAggregateContinuesFromItsSnapshot) {
  auto make = [] {
    return std::make_unique<GroupAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                    std::vector<AggregateCall>{sumOf(1)},
                                                    std::vector<LogicalType>{kBigint, kBigint});
  };
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(make());
    h.as<GroupAggregateOperator>().processElement({rows({{1, 10}, {2, 5}, {1, 1}}), 0});
    EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 10]", "+I[2, 5]", "-U[1, 10]", "+U[1, 11]"}));
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
    // Rows after the snapshot are not in it.
    h.as<GroupAggregateOperator>().processElement({rows({{1, 100}}), 0});
  }
  Harness restored(make(), 0, 1, {snapshot});
  restored.as<GroupAggregateOperator>().processElement({rows({{1, 3}, {2, 1}})});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"-U[1, 11]", "+U[1, 14]", "-U[2, 5]", "+U[2, 6]"}));
}

TEST(SqlOperators, TwoPhaseAggregationEmitsPartialsBeforeBarriersAndWatermarksAndMergesThemAcrossARestore) {
  // SUM(column 1) per key column 0, in two phases; bundles of 100 rows (none fills up).
  AggregateCall sum = sumOf(1);
  auto local = [&] {
    return std::make_unique<LocalGroupAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                         std::vector<AggregateCall>{sum}, MiniBatch{0, 100});
  };
  auto global = [&] {
    return std::make_unique<GroupAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                    std::vector<AggregateCall>{sum},
                                                    std::vector<LogicalType>{kBigint, kBigint}, 0, MiniBatch{0, 1},
                                                    /*partial_input=*/true);
  };
  Harness l(local());
  l.as<LocalGroupAggregateOperator>().processElement({rows({{1, 10}, {2, 5}, {1, 20}}), 0});
  EXPECT_TRUE(l.output().empty());  // Held in the bundle ...
  l.as<LocalGroupAggregateOperator>().processWatermark(runtime::Watermark{7});
  ASSERT_EQ(l.output().size(), 1u);  // ... until the watermark, which follows the partials.
  EXPECT_EQ(l.watermarks(), std::vector<Timestamp>{7});
  RecordBatch first = l.output()[0].value;
  EXPECT_EQ(first.size(), 2u);  // One partial per key.
  l.clearOutput();
  l.as<LocalGroupAggregateOperator>().processElement({rows({{1, 100}})});
  auto local_snap = l.op().snapshotState(1);
  ASSERT_TRUE(local_snap.isOk());
  ASSERT_EQ(l.output().size(), 1u);  // Emitted before the barrier.
  RecordBatch second = l.output()[0].value;

  runtime::OperatorSnapshot snapshot;
  {
    Harness g(global());
    g.as<GroupAggregateOperator>().processElement({first, 0});
    EXPECT_EQ(lines(g), (std::vector<std::string>{"+I[1, 30]", "+I[2, 5]"}));
    auto snap = g.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
  }
  Harness restored(global(), 0, 1, {snapshot});
  restored.as<GroupAggregateOperator>().processElement({second, 0});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"-U[1, 30]", "+U[1, 130]"}));
}

TEST(SqlOperators, MiniBatchBundlesEndEveryLatencyOfProcessingTime) {
  // SUM(column 1) per key column 0; bundles of up to 1000 rows, or 100 ms.
  AggregateCall sum = sumOf(1);
  Harness one(std::make_unique<GroupAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                       std::vector<AggregateCall>{sum},
                                                       std::vector<LogicalType>{kBigint, kBigint}, 0,
                                                       MiniBatch{100, 1000}));
  Harness local(std::make_unique<LocalGroupAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                              std::vector<AggregateCall>{sum}, MiniBatch{100, 1000}));
  one.as<GroupAggregateOperator>().processElement({rows({{1, 10}, {1, 5}})});
  local.as<LocalGroupAggregateOperator>().processElement({rows({{1, 10}, {1, 5}})});
  one.setProcessingTime(99);
  local.setProcessingTime(99);
  EXPECT_TRUE(one.output().empty());
  EXPECT_TRUE(local.output().empty());
  one.setProcessingTime(100);
  local.setProcessingTime(100);
  EXPECT_EQ(lines(one), (std::vector<std::string>{"+I[1, 15]"}));
  EXPECT_EQ(local.output().size(), 1u);  // One partial for key 1.
  // And again a latency later.
  one.as<GroupAggregateOperator>().processElement({rows({{1, 1}})});
  one.setProcessingTime(200);
  EXPECT_EQ(lines(one), (std::vector<std::string>{"-U[1, 15]", "+U[1, 16]"}));
}

TEST(SqlOperators, WindowAggregateFiresRestoredWindows) {
  // Input: key, window_start, window_end, value.
  auto make = [] {
    return std::make_unique<WindowAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                     SliceAssigner::windowed(tumble(10)), 2,
                                                     std::vector<AggregateCall>{sumOf(3)},
                                                     std::vector<LogicalType>(5, kBigint));
  };
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(make());
    h.as<WindowAggregateOperator>().processElement({rows({{7, 0, 10, 1}, {7, 0, 10, 2}, {8, 10, 20, 5}}), 0});
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
  }
  Harness restored(make(), 0, 1, {snapshot});
  restored.as<WindowAggregateOperator>().processElement({rows({{7, 0, 10, 4}})});
  restored.as<WindowAggregateOperator>().processWatermark(runtime::Watermark{9});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[7, 0, 10, 9, 7]"}));
  restored.as<WindowAggregateOperator>().processWatermark(runtime::Watermark{19});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[8, 10, 20, 19, 5]"}));
}

TEST(SqlOperators, SliceAssignersNameTheWindowsOfEachSlice) {
  // HOP(slide 5, size 10, offset 2): slices of 5 from 2, windows starting at 2 + 5k.
  WindowSpec h = hop(5, 10);
  h.offset = 2;
  SliceAssigner hopping = SliceAssigner::sliced(h);
  EXPECT_EQ(hopping.sliceEnd(8), 12);          // [7, 12)
  EXPECT_EQ(hopping.firstWindowEnd(12), 12);   // [2, 12)
  EXPECT_EQ(hopping.lastWindowEnd(12), 17);    // [7, 17)
  EXPECT_EQ(hopping.firstSliceEnd(17), 12);    // [7, 17) = slices ending 12, 17
  EXPECT_TRUE(hopping.expiresWith(12, 17));
  EXPECT_FALSE(hopping.expiresWith(17, 17));
  EXPECT_EQ(hopping.nextWindowEnd(17), std::optional<int64_t>(22));
  // CUMULATE(step 4, max 12): a cycle's windows share its start; slices expire at its end.
  WindowSpec c;
  c.kind = WindowSpec::Kind::kCumulate;
  c.slide = 4;
  c.size = 12;
  SliceAssigner cumulating = SliceAssigner::sliced(c);
  EXPECT_EQ(cumulating.sliceEnd(13), 16);
  EXPECT_EQ(cumulating.windowStart(20), 12);
  EXPECT_EQ(cumulating.lastWindowEnd(16), 24);
  EXPECT_EQ(cumulating.firstSliceEnd(20), 16);
  EXPECT_FALSE(cumulating.expiresWith(16, 20));
  EXPECT_TRUE(cumulating.expiresWith(16, 24));
  EXPECT_EQ(cumulating.nextWindowEnd(20), std::optional<int64_t>(24));
  EXPECT_EQ(cumulating.nextWindowEnd(24), std::nullopt);
  // Rows that carry their window: each window its own slice.
  SliceAssigner windowed = SliceAssigner::windowed(tumble(10));
  EXPECT_EQ(windowed.firstWindowEnd(30), 30);
  EXPECT_EQ(windowed.lastWindowEnd(30), 30);
  EXPECT_EQ(windowed.firstSliceEnd(30), 30);
  EXPECT_EQ(windowed.windowStart(30), 20);
}

TEST(SqlOperators, SlicedHopWindowsMergeSlicesAcrossARestoreAndCountLateRowsInUnfiredWindows) {
  // Input: key, rowtime, value; SUM(value) per key over HOP(slide 4, size 10): slices
  // of 2, windows starting at multiples of 4.
  auto make = [] {
    return std::make_unique<WindowAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                     SliceAssigner::sliced(hop(4, 10)), 1,
                                                     std::vector<AggregateCall>{sumOf(2)},
                                                     std::vector<LogicalType>(5, kBigint));
  };
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(make());
    auto& op = h.as<WindowAggregateOperator>();
    op.processElement({rows({{1, 1, 1}, {1, 5, 10}, {2, 5, 7}}), 0});
    op.processWatermark(runtime::Watermark{5});
    std::vector<std::string> fired = lines(h);
    std::sort(fired.begin(), fired.end());
    EXPECT_EQ(fired, (std::vector<std::string>{"+I[1, -4, 6, 5, 11]", "+I[1, -8, 2, 1, 1]", "+I[2, -4, 6, 5, 7]"}));
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
  }
  Harness restored(make(), 0, 1, {snapshot});
  auto& op = restored.as<WindowAggregateOperator>();
  op.processElement({rows({{1, 11, 100}})});
  op.processWatermark(runtime::Watermark{9});
  std::vector<std::string> fired = lines(restored);
  std::sort(fired.begin(), fired.end());
  EXPECT_EQ(fired, (std::vector<std::string>{"+I[1, 0, 10, 9, 11]", "+I[2, 0, 10, 9, 7]"}));
  // ts 3 is only in fired windows: dropped. ts 7 is in [0, 10), fired, and [4, 14): counted there.
  op.processElement({rows({{1, 3, 1000}, {1, 7, 2000}})});
  EXPECT_EQ(restored.metrics().num_late_records_dropped.get(), 1);
  op.processWatermark(runtime::Watermark{30});
  std::vector<std::string> last = lines(restored);
  std::sort(last.begin(), last.end());
  EXPECT_EQ(last, (std::vector<std::string>{"+I[1, 4, 14, 13, 2110]", "+I[1, 8, 18, 17, 100]", "+I[2, 4, 14, 13, 7]"}));
}

// A join of two (key, value) BIGINT inputs on their keys.
JoinSpec keyValueJoin(JoinType type = JoinType::kInner) {
  JoinSpec spec;
  spec.type = type;
  spec.left_keys = {0};
  spec.right_keys = {0};
  spec.left_types = {kBigint, kBigint};
  spec.right_types = {kBigint, kBigint};
  return spec;
}

TEST(SqlOperators, JoinKeepsBothSidesAcrossARestore) {
  JoinSpec spec = keyValueJoin();
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(std::make_unique<JoinOperator>(spec));
    h.as<JoinOperator>().processElement1({rows({{1, 10}, {2, 20}}), 0});
    h.as<JoinOperator>().processElement2({rows({{1, 100}}), 0});
    EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 10, 1, 100]"}));
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
  }
  Harness restored(std::make_unique<JoinOperator>(spec), 0, 1, {snapshot});
  restored.as<JoinOperator>().processElement2({rows({{2, 200}, {1, 101}})});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[2, 20, 2, 200]", "+I[1, 10, 1, 101]"}));
}

TEST(SqlOperators, RankKeepsTheTopAcrossARestore) {
  RankSpec spec;
  spec.partition = {0};
  spec.order = {1};
  spec.descending = {true};
  spec.limit = 2;
  spec.input_types = {kBigint, kBigint};
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(std::make_unique<RankOperator>(spec));
    h.as<RankOperator>().processElement({rows({{1, 5}, {1, 9}, {1, 1}}), 0});
    EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 5, 0]", "+I[1, 9, 0]"}));
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
  }
  Harness restored(std::make_unique<RankOperator>(spec), 0, 1, {snapshot});
  restored.as<RankOperator>().processElement({rows({{1, 7}})});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"-D[1, 5, 0]", "+I[1, 7, 0]"}));
}

// The batch sort applies the changelog (a retraction may overtake its row, from
// another upstream subtask), keeps its multiset across a restore, and emits the rows
// left, sorted, offset and fetched, only when its input ends, the watermark after them.
TEST(SqlOperators, BatchSortEmitsTheFinalRowsSortedWhenTheInputEndsAndKeepsThemAcrossARestore) {
  SortSpec spec;
  spec.order = {1, 0};
  spec.descending = {true, false};
  spec.offset = 1;
  spec.fetch = 3;
  spec.input_types = {kBigint, kBigint};
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(std::make_unique<BatchSortOperator>(spec));
    RecordBatch retract = rows({{2, 20}});
    retract.kinds[0] = RowKind::kDelete;
    h.as<BatchSortOperator>().processElement({retract, 0});  // Before the insert it retracts.
    h.as<BatchSortOperator>().processElement({rows({{1, 10}, {2, 20}, {3, 30}, {3, 30}}), 0});
    h.as<BatchSortOperator>().processWatermark(runtime::Watermark(100));
    EXPECT_TRUE(lines(h).empty());
    EXPECT_TRUE(h.watermarks().empty());
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
  }
  Harness restored(std::make_unique<BatchSortOperator>(spec), 0, 1, {snapshot});
  RecordBatch update = rows({{1, 10}, {1, 40}, {4, 5}});
  update.kinds = {RowKind::kUpdateBefore, RowKind::kUpdateAfter, RowKind::kInsert};
  restored.as<BatchSortOperator>().processElement({update, 0});
  restored.as<BatchSortOperator>().processWatermark(runtime::Watermark::max());
  restored.op().finish();
  EXPECT_EQ(restored.watermarks(), std::vector<Timestamp>{runtime::Watermark::max().timestamp});
  // Left: [3, 30] twice, [1, 40], [4, 5]; by the second column descending: 40, 30, 30, 5.
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[3, 30]", "+I[3, 30]", "+I[4, 5]"}));
}

// Batch OVER: rows collected across a restore, each partition sorted when the input
// ends, a ROWS frame of one preceding row, the retracted row gone.
TEST(SqlOperators, BatchOverAggregateSortsEachPartitionWhenTheInputEnds) {
  OverSpec spec;
  spec.partition = {0};
  spec.order.order = {1};
  spec.order.descending = {false};
  spec.rows = true;
  spec.unbounded = false;
  spec.preceding = 1;
  spec.aggs = {sumOf(1)};
  spec.aggs[0].retractable = true;
  spec.input_types = {kBigint, kBigint};
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(std::make_unique<BatchOverAggregateOperator>(spec));
    h.as<BatchOverAggregateOperator>().processElement({rows({{1, 30}, {2, 7}, {1, 10}}), 0});
    EXPECT_TRUE(lines(h).empty());
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
  }
  Harness restored(std::make_unique<BatchOverAggregateOperator>(spec), 0, 1, {snapshot});
  RecordBatch more = rows({{1, 20}, {1, 30}, {2, 1}});
  more.kinds[1] = RowKind::kDelete;
  restored.as<BatchOverAggregateOperator>().processElement({more, 0});
  restored.op().finish();
  // Partitions in PARTITION BY order (as after Flink's sort), though [2, 7] came first.
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[1, 10, 10]", "+I[1, 20, 30]", "+I[2, 1, 1]",
                                                       "+I[2, 7, 8]"}));
}


TEST(SqlOperators, BatchOverAggregateNumbersRowsWithTheRankingFunctions) {
  OverSpec spec;
  spec.partition = {0};
  spec.order.order = {1};
  spec.order.descending = {false};
  auto ranking = [](AggKind kind, int64_t buckets = 1) {
    AggregateCall call;
    call.kind = kind;
    call.lag_offset = buckets;
    call.type = kind == AggKind::kPercentRank || kind == AggKind::kCumeDist ? LogicalType::doubleType().notNull()
                                                                           : kBigint.notNull();
    return call;
  };
  spec.aggs = {ranking(AggKind::kRowNumber), ranking(AggKind::kRank),     ranking(AggKind::kDenseRank),
               ranking(AggKind::kPercentRank), ranking(AggKind::kCumeDist), ranking(AggKind::kNtile, 2)};
  spec.input_types = {kBigint, kBigint};
  Harness h(std::make_unique<BatchOverAggregateOperator>(spec));
  h.as<BatchOverAggregateOperator>().processElement({rows({{1, 30}, {1, 10}, {1, 20}, {1, 10}, {1, 40}, {2, 5}}), 0});
  h.op().finish();
  // Partition 1: 10, 10 (peers), 20, 30, 40; NTILE(2) makes buckets of 3 and 2 rows.
  const LogicalType kDouble = LogicalType::doubleType();
  EXPECT_EQ(lines(h, {kBigint, kBigint, kBigint, kBigint, kBigint, kDouble, kDouble, kBigint}),
            (std::vector<std::string>{
                          "+I[1, 10, 1, 1, 1, 0.0, 0.4, 1]", "+I[1, 10, 2, 1, 1, 0.0, 0.4, 1]",
                          "+I[1, 20, 3, 3, 2, 0.5, 0.6, 1]", "+I[1, 30, 4, 4, 3, 0.75, 0.8, 2]",
                          "+I[1, 40, 5, 5, 4, 1.0, 1.0, 2]", "+I[2, 5, 1, 1, 1, 0.0, 1.0, 1]"}));
}
TEST(SqlOperators, GroupAggregateForgetsGroupsIdleLongerThanTheStateTtl) {
  Harness h(std::make_unique<GroupAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                     std::vector<AggregateCall>{sumOf(1)},
                                                     std::vector<LogicalType>{kBigint, kBigint}, /*ttl=*/1000));
  h.as<GroupAggregateOperator>().processElement({rows({{1, 10}}), 0});
  h.setProcessingTime(500);
  h.as<GroupAggregateOperator>().processElement({rows({{1, 5}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 10]", "-U[1, 10]", "+U[1, 15]"}));
  h.setProcessingTime(1600);  // 1100 ms after its last change: expired.
  h.as<GroupAggregateOperator>().processElement({rows({{1, 1}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 1]"}));
}

TEST(SqlOperators, MiniBatchGroupAggregateEmitsOncePerBundle) {
  auto make = [] {
    return std::make_unique<GroupAggregateOperator>(std::vector<int>{0}, std::vector<LogicalType>{kBigint},
                                                    std::vector<AggregateCall>{sumOf(1)},
                                                    std::vector<LogicalType>{kBigint, kBigint}, 0,
                                                    MiniBatch{/*latency_ms=*/1000, /*size=*/100});
  };
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(make());
    h.as<GroupAggregateOperator>().processElement({rows({{1, 10}, {2, 5}, {1, 1}}), 0});
    EXPECT_TRUE(lines(h).empty());  // Held until the bundle ends ...
    h.setProcessingTime(1000);      // ... after the latency.
    EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 11]", "+I[2, 5]"}));
    h.as<GroupAggregateOperator>().processElement({rows({{1, 4}}), 0});
    auto snap = h.op().snapshotState(1);  // A snapshot ends the bundle first.
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = std::move(*snap);
    EXPECT_EQ(lines(h), (std::vector<std::string>{"-U[1, 11]", "+U[1, 15]"}));
  }
  Harness restored(make(), 0, 1, {snapshot});
  restored.as<GroupAggregateOperator>().processElement({rows({{2, 1}, {2, -1}, {1, 0}}), 0});
  restored.as<GroupAggregateOperator>().finish();  // The end of input ends it too.
  // Group 2's sum ends where it began; group 1's SUM is unchanged too.
  EXPECT_TRUE(lines(restored).empty());
  restored.as<GroupAggregateOperator>().processElement({rows({{3, 7}}), 0});
  restored.as<GroupAggregateOperator>().finish();
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[3, 7]"}));
}

TEST(SqlOperators, JoinRowsExpireAfterTheStateTtl) {
  JoinSpec spec = keyValueJoin();
  spec.state_ttl_ms = 1000;
  Harness h(std::make_unique<JoinOperator>(spec));
  h.as<JoinOperator>().processElement1({rows({{1, 10}, {2, 20}}), 0});
  h.setProcessingTime(900);
  h.as<JoinOperator>().processElement2({rows({{1, 100}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 10, 1, 100]"}));
  h.setProcessingTime(1500);  // The left rows were written at 0: gone.
  h.as<JoinOperator>().processElement2({rows({{2, 200}}), 0});
  EXPECT_TRUE(lines(h).empty());
}

// A STATE_TTL hint gives each input its own retention: here the left rows live 1 s,
// the right ones 10 s.
TEST(SqlOperators, EachJoinInputMayKeepItsRowsForItsOwnTtl) {
  JoinSpec spec = keyValueJoin();
  spec.state_ttl_ms = 1000;
  spec.side_ttl_ms[1] = 10000;
  Harness h(std::make_unique<JoinOperator>(spec));
  auto& join = h.as<JoinOperator>();
  join.processElement1({rows({{1, 10}}), 0});
  join.processElement2({rows({{2, 200}}), 0});
  h.setProcessingTime(5000);  // The left row has expired, the right one has not.
  join.processElement2({rows({{1, 100}}), 0});
  EXPECT_TRUE(lines(h).empty());
  join.processElement1({rows({{2, 20}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[2, 20, 2, 200]"}));
}

// A left row comes out (semi) or goes (anti) when its first match under the condition
// arrives, and the other way when its last match is retracted.
TEST(SqlOperators, SemiAndAntiJoinsFollowTheMatchesOfEachLeftRow) {
  for (JoinType type : {JoinType::kSemi, JoinType::kAnti}) {
    const bool semi = type == JoinType::kSemi;
    JoinSpec spec = keyValueJoin(type);
    // right.v > left.v
    spec.condition = std::make_shared<BinaryCall>(BinaryOp::kGt, LogicalType::boolean(),
                                                  std::make_unique<InputRef>(3, kBigint),
                                                  std::make_unique<InputRef>(1, kBigint));
    Harness h(std::make_unique<JoinOperator>(spec));
    auto& join = h.as<JoinOperator>();
    join.processElement1({rows({{1, 10}, {1, 10}, {2, 20}}), 0});
    EXPECT_EQ(lines(h), semi ? std::vector<std::string>{}
                             : (std::vector<std::string>{"+I[1, 10, null, null]", "+I[1, 10, null, null]",
                                                         "+I[2, 20, null, null]"}));
    join.processElement2({rows({{1, 5}}), 0});  // Fails the condition: nothing changes.
    EXPECT_TRUE(lines(h).empty());
    join.processElement2({rows({{1, 15}, {1, 16}}), 0});  // Only the first crosses zero.
    EXPECT_EQ(lines(h), (std::vector<std::string>(2, semi ? "+I[1, 10, null, null]" : "-D[1, 10, null, null]")));
    RecordBatch retract = rows({{1, 15}});
    retract.kinds[0] = RowKind::kDelete;
    join.processElement2({retract, 0});  // One match left.
    EXPECT_TRUE(lines(h).empty());
    retract = rows({{1, 16}});
    retract.kinds[0] = RowKind::kDelete;
    join.processElement2({retract, 0});
    EXPECT_EQ(lines(h), (std::vector<std::string>(2, semi ? "-D[1, 10, null, null]" : "+I[1, 10, null, null]")));
    join.processElement1({rows({{1, 1}}), 0});  // A later left row is checked at once: (1, 5) matches it.
    EXPECT_EQ(lines(h), semi ? std::vector<std::string>{"+I[1, 1, null, null]"} : std::vector<std::string>{});
  }
}

// Left outer: right.t - 1000 <= left.t <= right.t on key column 0, time column 1.
IntervalJoinSpec leftOuterIntervalJoin() {
  IntervalJoinSpec spec;
  spec.type = JoinType::kLeft;
  spec.left_keys = {0};
  spec.right_keys = {0};
  spec.left_types = {kBigint, kBigint};
  spec.right_types = {kBigint, kBigint};
  spec.left_time = 1;
  spec.right_time = 1;
  spec.lower = -1000;
  spec.upper = 0;
  return spec;
}

TEST(SqlOperators, IntervalJoinExpiresRowsByWatermarkAndDelaysIt) {
  Harness h(std::make_unique<IntervalJoinOperator>(leftOuterIntervalJoin()));
  auto& op = h.as<IntervalJoinOperator>();
  op.processElement1({rows({{1, 5000}, {2, 6000}}), 0});
  op.processElement2({rows({{1, 5500}, {2, 7500}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 5000, 1, 5500]"}));
  op.processWatermark1(runtime::Watermark{20000});
  EXPECT_TRUE(h.watermarks().empty());  // The right input is still behind.
  op.processWatermark2(runtime::Watermark{20000});
  EXPECT_EQ(h.watermarks(), std::vector<Timestamp>{19000});
  // Key 2's left row never joined: padded once no right row can join it any more.
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[2, 6000, null, null]"}));
  // The left row at 5000 is gone: a right row that would have joined it finds nothing.
  op.processElement2({rows({{1, 5800}}), 0});
  EXPECT_TRUE(lines(h).empty());
}

TEST(SqlOperators, ProcessingTimeIntervalJoinTimesRowsByTheClockAndPadsThemWhenTheyExpire) {
  IntervalJoinSpec spec = leftOuterIntervalJoin();  // right - 1000 <= left <= right.
  spec.proctime = true;
  Harness h(std::make_unique<IntervalJoinOperator>(spec));
  auto& op = h.as<IntervalJoinOperator>();
  // The time columns' values do not count, the clock does.
  h.setProcessingTime(5000);
  op.processElement1({rows({{1, 0}, {2, 0}}), 0});
  h.setProcessingTime(5400);
  op.processElement2({rows({{1, 99999}}), 0});  // 400 ms after the left row: joins.
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 0, 1, 99999]"}));
  op.processWatermark1(runtime::Watermark{1});
  op.processWatermark2(runtime::Watermark{1});
  EXPECT_EQ(h.watermarks(), std::vector<Timestamp>{1});  // Passed on as they are.
  EXPECT_TRUE(lines(h).empty());  // Nor do watermarks expire anything.
  h.setProcessingTime(5900);
  op.processElement1({rows({{3, 0}}), 0});
  // 1200 ms after key 2's left row: too late to join; that row expires on the way and,
  // never joined, comes out padded.
  h.setProcessingTime(6200);
  op.processElement2({rows({{2, 0}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[2, 0, null, null]"}));
  // Key 3's row goes by its cleanup timer (5900 + 1000 + 500 + 1), padded too.
  h.setProcessingTime(7400);
  EXPECT_TRUE(lines(h).empty());
  h.setProcessingTime(7401);
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[3, 0, null, null]"}));
}

TEST(SqlOperators, IntervalJoinContinuesFromItsSnapshot) {
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(std::make_unique<IntervalJoinOperator>(leftOuterIntervalJoin()));
    h.as<IntervalJoinOperator>().processElement1({rows({{1, 5000}, {2, 6000}}), 0});
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = std::move(*snap);
  }
  Harness restored(std::make_unique<IntervalJoinOperator>(leftOuterIntervalJoin()), 0, 1, {snapshot});
  auto& op = restored.as<IntervalJoinOperator>();
  op.processElement2({rows({{1, 5200}}), 0});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[1, 5000, 1, 5200]"}));
  // The restored cleanup timer pads the row of key 2.
  op.processWatermark1(runtime::Watermark{kMaxTimestamp});
  op.processWatermark2(runtime::Watermark{kMaxTimestamp});
  EXPECT_EQ(restored.watermarks(), std::vector<Timestamp>{kMaxTimestamp});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[2, 6000, null, null]"}));
}

TEST(SqlOperators, ProcessingTimeWindowFiresOnTheClockAndDropsUnfiredWindowsAtTheEnd) {
  // Rows: key, window_start, window_end, value; SUM(value) per key and window.
  auto make = [] {
    return std::make_unique<WindowAggregateOperator>(
        std::vector<int>{0}, std::vector<LogicalType>{kBigint}, SliceAssigner::windowed(tumble(10000)), 2,
        std::vector<AggregateCall>{sumOf(3)},
        std::vector<LogicalType>{kBigint, kBigint, kBigint, kBigint, kBigint}, /*proctime=*/true);
  };
  Harness h(make());
  auto& op = h.as<WindowAggregateOperator>();
  op.processElement({rows({{1, 0, 10000, 5}, {1, 0, 10000, 6}, {2, 10000, 20000, 7}}), 0});
  op.processWatermark(runtime::Watermark{kMaxTimestamp});  // Watermarks do not fire it.
  EXPECT_TRUE(lines(h).empty());
  h.setProcessingTime(9998);
  EXPECT_TRUE(lines(h).empty());
  h.setProcessingTime(9999);
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 0, 10000, 9999, 11]"}));
  op.finish();  // The end of input: the window [10000, 20000) never fires.
  EXPECT_TRUE(lines(h).empty());
}

TEST(SqlOperators, ProcessingTimeSessionsMergeFireOnTheClockAndAreDroppedOpenAtTheEnd) {
  // Rows: key, window_start (the row's processing time), window_end (+ a 1000 ms gap),
  // value; SUM(value) per key and session, the key also the partition.
  Harness h(std::make_unique<SessionWindowAggregateOperator>(
      std::vector<int>{0}, std::vector<int>{0}, 1, 2, std::vector<AggregateCall>{sumOf(3)},
      std::vector<LogicalType>{kBigint, kBigint, kBigint, kBigint},
      std::vector<LogicalType>{kBigint, kBigint, kBigint, kBigint, kBigint}, nullptr, /*proctime=*/true));
  auto& op = h.as<SessionWindowAggregateOperator>();
  // Key 1: 0 and 800 merge into [0, 1800); key 2: [500, 1500).
  op.processElement({rows({{1, 0, 1000, 5}, {2, 500, 1500, 7}, {1, 800, 1800, 6}}), 0});
  op.processWatermark(runtime::Watermark{kMaxTimestamp});  // Watermarks fire nothing ...
  EXPECT_TRUE(lines(h).empty());
  h.setProcessingTime(999);  // ... nor does the merged-away session's end.
  EXPECT_TRUE(lines(h).empty());
  h.setProcessingTime(1499);
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[2, 500, 1500, 1499, 7]"}));
  // A row is never late by processing time: it opens a new session for key 2.
  op.processElement({rows({{2, 1600, 2600, 1}}), 0});
  h.setProcessingTime(1799);
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 0, 1800, 1799, 11]"}));
  op.finish();  // The end of input: the open session [1600, 2600) never fires.
  EXPECT_TRUE(lines(h).empty());
}

TEST(SqlOperators, SessionTableFunctionEmitsEachRowWithItsMergedSessionAcrossARestore) {
  // Rows: key (the partition), value, then the row's own window: start, end (+ a 1000 ms
  // gap), window_time; out come the rows with their session's window once it fires.
  const std::vector<LogicalType> types{kBigint, kBigint, kBigint, kBigint, kBigint};
  auto make = [&] { return SessionWindowAggregateOperator::sessionRows({0}, types, nullptr, /*proctime=*/false); };
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(make());
    // Key 1: 0 and 800 merge into [0, 1800); key 2: [500, 1500).
    h.as<SessionWindowAggregateOperator>().processElement(
        {rows({{1, 5, 0, 1000, 999}, {2, 7, 500, 1500, 1499}, {1, 6, 800, 1800, 1799}}), 0});
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = std::move(*snap);
  }
  Harness h(make(), 0, 1, {snapshot});
  auto& op = h.as<SessionWindowAggregateOperator>();
  op.processWatermark(runtime::Watermark{1498});
  EXPECT_TRUE(lines(h).empty());
  op.processWatermark(runtime::Watermark{1499});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[2, 7, 500, 1500, 1499]"}));
  // Key 1's session grows to [0, 2500) before it fires; a row of key 2 whose own window
  // ended before the watermark is late and dropped.
  op.processElement({rows({{1, 9, 1500, 2500, 2499}, {2, 3, 100, 1100, 1099}}), 0});
  op.processWatermark(runtime::Watermark{kMaxTimestamp});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 5, 0, 2500, 2499]", "+I[1, 6, 0, 2500, 2499]",
                                                "+I[1, 9, 0, 2500, 2499]"}));
}

TEST(SqlOperators, WindowRankEmitsEachWindowsTopRowsOnceWhenItFires) {
  // Top 2 by column 0 descending per window; column 1 is the window end.
  RankSpec spec;
  spec.partition = {1};
  spec.order = {0};
  spec.descending = {true};
  spec.limit = 2;
  spec.output_rank_number = true;
  spec.input_types = {kBigint, kBigint};
  spec.window_end = 1;
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(std::make_unique<RankOperator>(spec));
    h.as<RankOperator>().processElement({rows({{5, 1000}, {7, 1000}, {6, 1000}, {1, 2000}}), 0});
    EXPECT_TRUE(lines(h).empty());  // Nothing before the window fires.
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = std::move(*snap);
  }
  Harness h(std::make_unique<RankOperator>(spec), 0, 1, {snapshot});
  auto& op = h.as<RankOperator>();
  op.processWatermark(runtime::Watermark{998});
  EXPECT_TRUE(lines(h).empty());
  op.processWatermark(runtime::Watermark{999});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[7, 1000, 1]", "+I[6, 1000, 2]"}));
  op.processElement({rows({{9, 1000}}), 0});  // Its window has fired: late.
  op.processWatermark(runtime::Watermark{kMaxTimestamp});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 2000, 1]"}));
}

}  // namespace
}  // namespace eddy::sql

namespace eddy::sql {
namespace {

// MATCH_RECOGNIZE over rows (key, ts, v), partitioned by key, ordered by ts.
struct MatchBuilder {
  std::shared_ptr<MatchSpec> spec = std::make_shared<MatchSpec>();
  MatchBuilder() {
    spec->input_types = {kBigint, kBigint, kBigint};
    spec->partition = {0};
    spec->time_col = 1;
  }
  int var(const std::string& name, int64_t min, int64_t max, bool greedy) {
    spec->vars.push_back(name);
    spec->define.emplace_back();
    MatchSpec::Term t;
    t.var = static_cast<int>(spec->vars.size()) - 1;
    t.min = min;
    t.max = max;
    t.greedy = greedy;
    spec->pattern.push_back(t);
    return t.var;
  }
  // A slot reading column `col` of `var`'s row, FIRST or LAST.
  static PatternSlot slot(int var, int col, bool first = false) {
    PatternSlot s;
    s.var = var;
    s.from_first = first;
    s.value = std::make_shared<InputRef>(col, kBigint);
    s.type = kBigint;
    return s;
  }
  static ExprP equals(int slot, int64_t v) {
    return std::make_unique<BinaryCall>(BinaryOp::kEq, LogicalType::boolean(),
                                        std::make_unique<InputRef>(slot, kBigint),
                                        std::make_unique<Literal>(Value::ofInt(v), kBigint, std::to_string(v)));
  }
  void define(int var, std::vector<PatternSlot> slots, ExprP condition) {
    PatternExpression e;
    e.slots = std::move(slots);
    e.expr = std::shared_ptr<const Expression>(std::move(condition));
    spec->define[static_cast<size_t>(var)] = std::move(e);
  }
  void measure(PatternSlot s) {
    PatternExpression e;
    e.slots = {std::move(s)};
    e.expr = std::make_shared<InputRef>(0, kBigint);
    spec->measures.push_back(std::move(e));
  }
  std::unique_ptr<MatchOperator> make() {
    spec->output_types.assign(1 + spec->measures.size(), kBigint);
    return std::make_unique<MatchOperator>(spec);
  }
};

TEST(SqlOperators, MatchRecognizeContinuesAPartialMatchFromItsSnapshotAndDropsLateRows) {
  // PATTERN (A B) DEFINE A AS v = 1, B AS v = 2; MEASURES A.ts, B.ts.
  MatchBuilder m;
  const int a = m.var("A", 1, 1, false);
  const int b = m.var("B", 1, 1, false);
  m.define(a, {MatchBuilder::slot(a, 2)}, MatchBuilder::equals(0, 1));
  m.define(b, {MatchBuilder::slot(b, 2)}, MatchBuilder::equals(0, 2));
  m.measure(MatchBuilder::slot(a, 1));
  m.measure(MatchBuilder::slot(b, 1));
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(m.make());
    auto& op = h.as<MatchOperator>();
    op.processElement({rows({{1, 1000, 1}, {2, 1500, 1}}), 0});
    op.processWatermark(runtime::Watermark{1000});  // Key 1's A is matched; key 2's row waits.
    // 900 is at or below the watermark: late, dropped (else it would start a match of its own).
    op.processElement({rows({{1, 900, 1}}), 0});
    EXPECT_TRUE(lines(h).empty());
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = std::move(*snap);
  }
  Harness restored(m.make(), 0, 1, {snapshot});
  auto& op = restored.as<MatchOperator>();
  op.processElement({rows({{1, 2000, 2}, {2, 2500, 2}}), 0});
  op.processWatermark(runtime::Watermark{3000});
  EXPECT_EQ(lines(restored), (std::vector<std::string>{"+I[1, 1000, 2000]", "+I[2, 1500, 2500]"}));
}

// PATTERN (A B*? C) WITHIN 1000 ms, DEFINE A AS v <= 2, C AS v = 3 AND FIRST(A.v) = 2;
// MEASURES FIRST(A.ts), C.ts: a run from an A with v = 1 never completes, and holds back
// the matches of later runs until WITHIN expires it.
std::unique_ptr<MatchOperator> expiringRuns(bool proctime) {
  MatchBuilder m;
  m.spec->proctime = proctime;
  const int a = m.var("A", 1, 1, false);
  m.var("B", 0, -1, false);
  const int c = m.var("C", 1, 1, false);
  m.spec->within = 1000;
  m.define(a, {MatchBuilder::slot(a, 2)},
           std::make_unique<BinaryCall>(BinaryOp::kLe, LogicalType::boolean(), std::make_unique<InputRef>(0, kBigint),
                                        std::make_unique<Literal>(Value::ofInt(2), kBigint, "2")));
  std::vector<ExprP> both;
  both.push_back(MatchBuilder::equals(0, 3));
  both.push_back(MatchBuilder::equals(1, 2));
  m.define(c, {MatchBuilder::slot(c, 2), MatchBuilder::slot(a, 2, true)},
           std::make_unique<LogicalCall>(LogicalCall::Op::kAnd, std::move(both)));
  m.measure(MatchBuilder::slot(a, 1, true));
  m.measure(MatchBuilder::slot(c, 1));
  return m.make();
}

TEST(SqlOperators, MatchRecognizeWithinExpiresAnEarlierRunAtTheWatermarkAndReleasesTheMatchItHeld) {
  Harness h(expiringRuns(false));
  auto& op = h.as<MatchOperator>();
  // The run from 1000 (A.v = 1) never completes; the one from 1100 (A.v = 2) does at
  // 1200, but waits while the earlier run lives...
  op.processElement({rows({{1, 1000, 1}, {1, 1100, 2}, {1, 1200, 3}}), 0});
  op.processWatermark(runtime::Watermark{1500});
  EXPECT_TRUE(lines(h).empty());
  // ... until WITHIN expires it at 2000.
  op.processWatermark(runtime::Watermark{2000});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 1100, 1200]"}));
}

TEST(SqlOperators, MatchRecognizeByProcessingTimeMatchesRowsAsTheyArriveAndExpiresRunsOnTheClock) {
  // As the WITHIN test above, ordered by processing time: the time column holds each
  // row's processing time, rows are matched on arrival, and the clock expires the run.
  Harness h(expiringRuns(true));
  auto& op = h.as<MatchOperator>();
  h.setProcessingTime(1000);
  op.processElement({rows({{1, 1000, 1}, {1, 1100, 2}}), 0});
  // A match without an earlier run in the way comes out at once.
  op.processElement({rows({{2, 1150, 2}, {2, 1160, 3}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[2, 1150, 1160]"}));
  op.processElement({rows({{1, 1200, 3}}), 0});
  h.setProcessingTime(1999);
  EXPECT_TRUE(lines(h).empty());
  h.setProcessingTime(2000);  // Key 1's run from 1000 expires: its held match goes out.
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[1, 1100, 1200]"}));
}

TEST(SqlOperators, CalcTakesColumnsOfABatchItOwnsAndCopiesTheRest) {
  // SELECT $1, $0, $0 + $2 WHERE $2 >= 0: $1 is read once (it may move), $0 twice.
  std::vector<std::shared_ptr<const Expression>> projections;
  projections.push_back(std::make_shared<InputRef>(1, kBigint));
  projections.push_back(std::make_shared<InputRef>(0, kBigint));
  projections.push_back(std::make_shared<BinaryCall>(BinaryOp::kAdd, kBigint, std::make_unique<InputRef>(0, kBigint),
                                                     std::make_unique<InputRef>(2, kBigint)));
  auto filter = std::make_shared<BinaryCall>(
      BinaryOp::kGe, LogicalType::boolean(), std::make_unique<InputRef>(2, kBigint),
      std::make_unique<Literal>(Value::ofInt(0), kBigint, "0"));
  Harness h(std::make_unique<CalcOperator>(filter, projections));
  auto& calc = h.as<CalcOperator>();
  // Every row kept: the owned batch's columns are moved out, the others computed.
  calc.processElementOwned({rows({{1, 10, 100}, {2, 20, 200}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[10, 1, 101]", "+I[20, 2, 202]"}));
  // Some rows kept: the selection's columns move.
  calc.processElementOwned({rows({{3, 30, -1}, {4, 40, 400}}), 0});
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[40, 4, 404]"}));
  // A batch someone else still reads is left as it was.
  const runtime::StreamRecord<RecordBatch> shared{rows({{5, 50, 500}}), 0};
  calc.processElement(shared);
  EXPECT_EQ(lines(h), (std::vector<std::string>{"+I[50, 5, 505]"}));
  EXPECT_EQ(shared.value.size(), 1u);
  EXPECT_EQ(shared.value.columns[1].i64, (std::vector<int64_t>{50}));
}

}  // namespace
}  // namespace eddy::sql
