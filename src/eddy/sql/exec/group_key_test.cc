#include "eddy/sql/exec/group_key.h"

#include <gtest/gtest.h>

#include <limits>

namespace eddy::sql {
namespace {

const std::vector<LogicalType> kTypes{LogicalType::bigint(), LogicalType::doubleType(), LogicalType::string()};
const std::vector<int> kAll{0, 1, 2};

RecordBatch rows(const std::vector<std::vector<Value>>& values) {
  RecordBatch b = emptyBatch(kTypes);
  for (const auto& row : values) {
    for (size_t c = 0; c < row.size(); ++c) appendValue(b.columns[c], row[c]);
    b.kinds.push_back(RowKind::kInsert);
  }
  return b;
}

std::string keyOf(const RecordBatch& b, size_t row) {
  std::string key;
  encodeKey(b, row, kAll, kTypes, key);
  return key;
}

TEST(GroupKey, ARowRoundTripsThroughItsBytesWithNullsAndExtremes) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  RecordBatch in = rows({{Value::ofInt(lo), Value::ofDouble(-0.5), Value::ofString(std::string(300, 'x'))},
                         {Value::ofInt(hi), Value(), Value::ofString("")},
                         {Value(), Value::ofDouble(1e300), Value()}});
  RecordBatch out = emptyBatch(kTypes);
  for (size_t r = 0; r < in.size(); ++r) {
    const std::string key = keyOf(in, r);
    std::vector<Value> values = decodeKey(key, kTypes);
    for (size_t c = 0; c < kTypes.size(); ++c) {
      const Value expected = valueAt(in.columns[c], r);
      EXPECT_EQ(values[c].null, expected.null) << r << "," << c;
      EXPECT_EQ(values[c].i, expected.i);
      EXPECT_EQ(values[c].d, expected.d);
      EXPECT_EQ(values[c].s, expected.s);
    }
    appendDecoded(key, kTypes, out, 0);
  }
  for (size_t c = 0; c < kTypes.size(); ++c) {
    for (size_t r = 0; r < in.size(); ++r) {
      EXPECT_EQ(out.columns[c].isNull(r), in.columns[c].isNull(r));
      if (in.columns[c].isNull(r)) continue;
      EXPECT_EQ(valueAt(out.columns[c], r).i, valueAt(in.columns[c], r).i);
      EXPECT_EQ(valueAt(out.columns[c], r).d, valueAt(in.columns[c], r).d);
      EXPECT_EQ(valueAt(out.columns[c], r).s, valueAt(in.columns[c], r).s);
    }
  }
}

TEST(GroupKey, EqualRowsHaveEqualBytesAndStringBoundariesCount) {
  RecordBatch in = rows({{Value::ofInt(7), Value::ofDouble(2), Value::ofString("ab")},
                         {Value::ofInt(7), Value::ofDouble(2), Value::ofString("ab")},
                         {Value::ofInt(-7), Value::ofDouble(2), Value::ofString("ab")},
                         {Value::ofInt(7), Value::ofDouble(2), Value::ofString("a")},
                         {Value::ofInt(0), Value::ofDouble(2), Value::ofString("ab")},
                         {Value(), Value::ofDouble(2), Value::ofString("ab")}});
  EXPECT_EQ(keyOf(in, 0), keyOf(in, 1));
  for (size_t r = 2; r < in.size(); ++r) EXPECT_NE(keyOf(in, 0), keyOf(in, r)) << r;
  EXPECT_NE(keyOf(in, 4), keyOf(in, 5));  // 0 is not NULL.
}

TEST(GroupKey, ARowOfSmallNumbersFitsAStringsInlineBuffer) {
  const std::vector<LogicalType> types{LogicalType::bigint(), LogicalType::bigint(), LogicalType::timestamp(3)};
  RecordBatch b = emptyBatch(types);
  appendValue(b.columns[0], Value::ofInt(1042));
  appendValue(b.columns[1], Value::ofInt(57'000'000));
  appendValue(b.columns[2], Value::ofInt(1'436'918'400'000));  // 2015-07-15 00:00:00 in ms.
  b.kinds.push_back(RowKind::kInsert);
  std::string key;
  encodeKey(b, 0, {0, 1, 2}, types, key);
  EXPECT_LE(key.size(), 15u);  // libstdc++'s inline capacity.
}

TEST(GroupKey, AColumnLeftOutOfTheMaskIsNull) {
  RecordBatch in = rows({{Value::ofInt(5), Value::ofDouble(1.5), Value::ofString("kept")}});
  RecordBatch out = emptyBatch(kTypes);
  const std::vector<bool> only{false, true, true};
  appendDecoded(keyOf(in, 0), kTypes, out, 0, &only);
  EXPECT_TRUE(out.columns[0].isNull(0));
  EXPECT_EQ(out.columns[1].f64[0], 1.5);
  EXPECT_EQ(out.columns[2].str[0], "kept");
}

}  // namespace
}  // namespace eddy::sql
