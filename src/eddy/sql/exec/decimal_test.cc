#include "eddy/sql/exec/decimal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace eddy::sql {
namespace {

Int128 parsed(std::string_view text, int scale) {
  Int128 v = 0;
  EXPECT_TRUE(parseDecimal(text, scale, v)) << text;
  return v;
}

std::string text(Int128 v, int scale) { return formatDecimal(v, scale); }

TEST(Decimal, ThirtyEightDigitsParseAndPrintBothWays) {
  const std::string max = "99999999999999999999.999999999999999999";
  EXPECT_EQ(text(parsed(max, 18), 18), max);
  EXPECT_EQ(text(parsed("-" + max, 18), 18), "-" + max);
  EXPECT_EQ(text(parsed("12345678901234567890123456789012345678", 0), 0), "12345678901234567890123456789012345678");
  Int128 v = 0;
  EXPECT_FALSE(parseDecimal("123456789012345678901234567890123456789", 0, v));  // 39 digits.
  EXPECT_FALSE(parseDecimal("1.5.2", 2, v));
  EXPECT_FALSE(parseDecimal("", 2, v));
  EXPECT_FALSE(parseDecimal("1e", 2, v));
}

TEST(Decimal, JavaWritesScientificNotationBelowTenToTheMinusSix) {
  EXPECT_EQ(formatDecimalJava(27, 9), "2.7E-8");
  EXPECT_EQ(formatDecimalJava(-27, 9), "-2.7E-8");
  EXPECT_EQ(formatDecimalJava(1, 7), "1E-7");
  EXPECT_EQ(formatDecimalJava(0, 7), "0E-7");
  EXPECT_EQ(formatDecimalJava(1, 6), "0.000001");
  EXPECT_EQ(formatDecimalJava(10000, 2), "100.00");
  EXPECT_EQ(formatDecimalJava(0, 2), "0.00");
}

TEST(Decimal, ParsingRoundsHalfUpAndTakesExponents) {
  EXPECT_EQ(text(parsed("1.005", 2), 2), "1.01");
  EXPECT_EQ(text(parsed("-1.005", 2), 2), "-1.01");
  EXPECT_EQ(text(parsed("1.0049999", 2), 2), "1.00");
  EXPECT_EQ(text(parsed("  0.5 ", 0), 0), "1");
  EXPECT_EQ(text(parsed("1.5E3", 1), 1), "1500.0");
  EXPECT_EQ(text(parsed("25e-3", 2), 2), "0.03");
  EXPECT_EQ(text(parsed("1e-40", 2), 2), "0.00");
  EXPECT_EQ(text(parsed(".5", 1), 1), "0.5");
  EXPECT_EQ(text(parsed("007.", 0), 0), "7");
}

TEST(Decimal, WideBytesSortAsTheirNumbers) {
  std::vector<Int128> values{0, 1, -1, 255, -256, powerOfTen128(37), -powerOfTen128(37) * 9, powerOfTen128(20) + 7};
  std::vector<std::string> bytes;
  for (Int128 v : values) {
    bytes.push_back(encodeWideDecimal(v));
    EXPECT_EQ(decodeWideDecimal(bytes.back()), v);
    EXPECT_EQ(bytes.back().size(), kWideDecimalBytes);
  }
  std::vector<size_t> by_number(values.size()), by_bytes(values.size());
  for (size_t i = 0; i < values.size(); ++i) by_number[i] = by_bytes[i] = i;
  std::sort(by_number.begin(), by_number.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::sort(by_bytes.begin(), by_bytes.end(), [&](size_t a, size_t b) { return bytes[a] < bytes[b]; });
  EXPECT_EQ(by_number, by_bytes);
}

TEST(Decimal, AValueKeepsItsStorageByPrecisionAndOverflowsToNull) {
  const LogicalType narrow = LogicalType::decimal(18, 2), wide = LogicalType::decimal(38, 18);
  EXPECT_EQ(narrow.storage(), Storage::kInt64);
  EXPECT_EQ(wide.storage(), Storage::kString);
  const Value a = decimalValue(12345, narrow), b = decimalValue(parsed("12345.5", 18), wide);
  EXPECT_EQ(a.i, 12345);
  EXPECT_EQ(unscaledOf(a, narrow), 12345);
  EXPECT_EQ(formatValue(b, wide), "12345.500000000000000000");
  EXPECT_TRUE(decimalValue(powerOfTen128(18), narrow).null);  // 19 digits in a DECIMAL(18, 2).
  EXPECT_TRUE(decimalValue(powerOfTen128(38), wide).null);
  Column c(Storage::kString);
  appendValue(c, decimalValue(-5, wide));
  appendValue(c, decimalValue(powerOfTen128(38), wide));
  c.appendNull();
  EXPECT_EQ(unscaledAt(c, 0), -5);
  EXPECT_TRUE(c.isNull(1));
  EXPECT_TRUE(c.isNull(2));
}

TEST(Decimal, ArithmeticIsExactAndRoundsHalfUpToTheResultScale) {
  Int128 r = 0;
  // 0.1 + 0.25 at scale 2, and with the scale cut to 1.
  ASSERT_TRUE(addDecimal(1, 1, 25, 2, 2, &r));
  EXPECT_EQ(text(r, 2), "0.35");
  ASSERT_TRUE(addDecimal(1, 1, 25, 2, 1, &r));
  EXPECT_EQ(text(r, 1), "0.4");
  ASSERT_TRUE(addDecimal(-1, 1, 25, 2, 2, &r));
  EXPECT_EQ(text(r, 2), "0.15");
  ASSERT_TRUE(addDecimal(1, 1, -25, 2, 2, &r));
  EXPECT_EQ(text(r, 2), "-0.15");
  // 38-digit operands: the exact product needs 256 bits before it is rounded.
  const Int128 big = parsed("12345678901234567890.123456789012345678", 18);
  ASSERT_TRUE(multiplyDecimal(big, 18, parsed("0.5", 1), 1, 18, &r));
  EXPECT_EQ(text(r, 18), "6172839450617283945.061728394506172839");
  const Int128 mid = parsed("123456789012.3456789012345678", 16);
  ASSERT_TRUE(multiplyDecimal(mid, 16, mid, 16, 6, &r));
  EXPECT_EQ(text(r, 6), "15241578753238836750495.351540");
  EXPECT_FALSE(multiplyDecimal(big, 18, big, 18, 6, &r));  // 39 integer digits.
  // Division as Java's BigDecimal.divide(b, scale, HALF_UP).
  ASSERT_TRUE(divideDecimal(1, 0, 3, 0, 6, &r));
  EXPECT_EQ(text(r, 6), "0.333333");
  ASSERT_TRUE(divideDecimal(2, 0, -3, 0, 6, &r));
  EXPECT_EQ(text(r, 6), "-0.666667");
  ASSERT_TRUE(divideDecimal(big, 18, parsed("3", 0), 0, 19, &r));
  EXPECT_EQ(text(r, 19), "4115226300411522630.0411522630041152260");
  EXPECT_FALSE(divideDecimal(big, 18, parsed("3", 0), 0, 20, &r));  // 39 digits.
  ASSERT_TRUE(divideDecimal(1, 38, big, 18, 6, &r));
  EXPECT_EQ(text(r, 6), "0.000000");
  // Remainder takes the dividend's sign.
  ASSERT_TRUE(modDecimal(-75, 1, 2, 0, 1, &r));
  EXPECT_EQ(text(r, 1), "-1.5");
}

TEST(Decimal, RescalingRoundsHalfUpAwayFromZero) {
  Int128 r = 0;
  ASSERT_TRUE(rescaleDecimal(-125, 2, 1, &r));
  EXPECT_EQ(text(r, 1), "-1.3");
  ASSERT_TRUE(rescaleDecimal(124, 2, 1, &r));
  EXPECT_EQ(text(r, 1), "1.2");
  ASSERT_TRUE(rescaleDecimal(7, 0, 30, &r));
  EXPECT_EQ(r, 7 * powerOfTen128(30));
  EXPECT_FALSE(rescaleDecimal(powerOfTen128(10), 0, 30, &r));
  EXPECT_DOUBLE_EQ(decimalToDouble(-1250, 2), -12.5);
}

}  // namespace
}  // namespace eddy::sql
