#include "eddy/sql/exec/value.h"

#include <gtest/gtest.h>

namespace eddy::sql {
namespace {

TEST(TimestampUnits, APrecisionSetsTheUnitOfTheStoredValue) {
  EXPECT_EQ(timestampUnitsPerMilli(0), 1);
  EXPECT_EQ(timestampUnitsPerMilli(3), 1);
  EXPECT_EQ(timestampUnitsPerMilli(4), 1000);
  EXPECT_EQ(timestampUnitsPerMilli(6), 1000);
  EXPECT_EQ(timestampUnitsPerMilli(7), 1000000);
  EXPECT_EQ(timestampUnitsPerMilli(9), 1000000);
  EXPECT_EQ(unitsPerMilli(LogicalType::timestamp(6)), 1000);
  EXPECT_EQ(unitsPerMilli(LogicalType::of(TypeId::kTimestampLtz, 9)), 1000000);
  EXPECT_EQ(unitsPerMilli(LogicalType::of(TypeId::kTime, 6)), 1);  // TIME stays in milliseconds.
}

TEST(TimestampUnits, ParsingKeepsTheDigitsOfThePrecisionAndDropsTheRest) {
  int64_t v = 0;
  ASSERT_TRUE(parseTimestamp("1970-01-01 00:00:01.123456789", v, 9));
  EXPECT_EQ(v, 1123456789);
  ASSERT_TRUE(parseTimestamp("1970-01-01 00:00:01.123456789", v, 6));
  EXPECT_EQ(v, 1123456);
  ASSERT_TRUE(parseTimestamp("1970-01-01 00:00:01.123456789", v, 4));
  EXPECT_EQ(v, 1123400);
  ASSERT_TRUE(parseTimestamp("1970-01-01 00:00:01.123456789", v));  // Milliseconds by default.
  EXPECT_EQ(v, 1123);
  ASSERT_TRUE(parseTimestamp("1970-01-01 00:00:01.987", v, 0));
  EXPECT_EQ(v, 1000);
  ASSERT_TRUE(parseTimestamp("1969-12-31T23:59:59.5", v, 6));
  EXPECT_EQ(v, -500000);
  EXPECT_FALSE(parseTimestamp("2300-01-01 00:00:00", v, 9));  // Past int64 nanoseconds.
  EXPECT_TRUE(parseTimestamp("2300-01-01 00:00:00", v, 6));
  EXPECT_TRUE(timestampFits(0, 9));
  EXPECT_FALSE(timestampFits(INT64_MAX / 1000000 + 1, 9));
  EXPECT_FALSE(parseTimestamp("1970-01-01 00:00:01.", v, 6));
  ASSERT_TRUE(parseTimestamp("1970-1-2 3:4:5.6", v, 3));  // One-digit fields, as Flink's formatter.
  EXPECT_EQ(v, ((24 + 3) * 3600 + 4 * 60 + 5) * 1000 + 600);
  EXPECT_FALSE(parseTimestamp("1970-02-30 00:00:00", v, 3));
  EXPECT_FALSE(parseTimestamp("1970-01-01 123:00", v, 3));
  EXPECT_FALSE(parseTimestamp("1970-01-01 00:00:01.12x", v, 6));
}

TEST(TimestampUnits, FormattingWritesThePrecisionsDigits) {
  EXPECT_EQ(formatTimestamp(1123456789, 9), "1970-01-01 00:00:01.123456789");
  EXPECT_EQ(formatTimestamp(1123456, 6), "1970-01-01 00:00:01.123456");
  EXPECT_EQ(formatTimestamp(1123400, 4), "1970-01-01 00:00:01.1234");
  EXPECT_EQ(formatTimestamp(1123, 3), "1970-01-01 00:00:01.123");
  EXPECT_EQ(formatTimestamp(1000, 0), "1970-01-01 00:00:01");
  EXPECT_EQ(formatTimestamp(-1, 9), "1969-12-31 23:59:59.999999999");
  EXPECT_EQ(formatTimestamp(-500000, 6), "1969-12-31 23:59:59.500000");
}

TEST(TimestampUnits, RescalingConvertsTheUnitAndTruncatesTowardThePast) {
  EXPECT_EQ(rescaleTimestamp(1123, 3, 9), 1123000000);
  EXPECT_EQ(rescaleTimestamp(1123456789, 9, 6), 1123456);
  EXPECT_EQ(rescaleTimestamp(1123456789, 9, 3), 1123);
  EXPECT_EQ(rescaleTimestamp(1123456789, 9, 7), 1123456700);
  EXPECT_EQ(rescaleTimestamp(1123, 3, 1), 1100);
  EXPECT_EQ(rescaleTimestamp(-1, 9, 3), -1);  // One nanosecond before the epoch is in its last millisecond.
  EXPECT_EQ(rescaleTimestamp(-1, 6, 0), -1000);
  EXPECT_EQ(rescaleTimestamp(-1500, 3, 6), -1500000);
  EXPECT_EQ(timestampToMillis(-1, 9), -1);
  EXPECT_EQ(timestampFromMillis(-2, 6), -2000);
  EXPECT_EQ(floorDiv(-7, 2), -4);
  EXPECT_EQ(floorMod(-7, 2), 1);
  EXPECT_EQ(floorDiv(INT64_MIN, 1000), INT64_MIN / 1000 - 1);  // No overflow on the way.
}

}  // namespace
}  // namespace eddy::sql
