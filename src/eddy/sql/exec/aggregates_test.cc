#include "eddy/sql/exec/aggregates.h"

#include <gtest/gtest.h>

namespace eddy::sql {
namespace {

AggregateCall distinctCall(AggKind kind, LogicalType arg, LogicalType result) {
  AggregateCall call;
  call.kind = kind;
  call.arg = 0;
  call.distinct = true;
  call.arg_type = arg;
  call.type = result;
  return call;
}

Accumulator roundTrip(const AggregateCall& call, const Accumulator& acc) {
  DataOutputView out;
  acc.write(out);
  Accumulator back(&call);
  DataInputView in(out.data());
  EXPECT_TRUE(back.read(in).isOk());
  return back;
}

TEST(Accumulator, ADistinctCountOfNumbersCountsEachValueOnceAndUndoesRetractions) {
  const AggregateCall call = distinctCall(AggKind::kCount, LogicalType::bigint(), LogicalType::bigint());
  Accumulator acc(&call);
  for (int64_t v : {5, 7, 5, -1, 7}) acc.accumulate(Value::ofInt(v));
  acc.accumulate(Value());  // NULL does not count.
  EXPECT_EQ(acc.result().i, 3);
  acc.retract(Value::ofInt(5));  // One 5 is left.
  EXPECT_EQ(acc.result().i, 3);
  acc.retract(Value::ofInt(5));
  EXPECT_EQ(acc.result().i, 2);
  acc.retract(Value::ofInt(42));  // Never seen: nothing changes.
  EXPECT_EQ(acc.result().i, 2);
  // Through a snapshot, the multiplicities survive: 7 twice.
  Accumulator back = roundTrip(call, acc);
  back.retract(Value::ofInt(7));
  EXPECT_EQ(back.result().i, 2);
  back.retract(Value::ofInt(7));
  EXPECT_EQ(back.result().i, 1);
}

TEST(Accumulator, ADistinctSumOfDoublesReplaysTheValuesAndMerges) {
  const AggregateCall call = distinctCall(AggKind::kSum, LogicalType::doubleType(), LogicalType::doubleType());
  Accumulator a(&call), b(&call);
  for (double v : {1.5, 2.5, 1.5}) a.accumulate(Value::ofDouble(v));
  for (double v : {2.5, 4.0}) b.accumulate(Value::ofDouble(v));
  EXPECT_EQ(a.result().d, 4.0);
  a.merge(b);
  EXPECT_EQ(a.result().d, 8.0);
  EXPECT_EQ(roundTrip(call, a).result().d, 8.0);
}

TEST(Accumulator, ADistinctCountOfStringsKeepsThemApart) {
  const AggregateCall call = distinctCall(AggKind::kCount, LogicalType::string(), LogicalType::bigint());
  Accumulator acc(&call);
  for (const char* s : {"a", "b", "a", ""}) acc.accumulate(Value::ofString(s));
  EXPECT_EQ(acc.result().i, 3);
  EXPECT_EQ(roundTrip(call, acc).result().i, 3);
}

}  // namespace
}  // namespace eddy::sql
