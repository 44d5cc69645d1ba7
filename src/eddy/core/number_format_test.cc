#include "eddy/core/number_format.h"

#include <gtest/gtest.h>

namespace eddy {
namespace {

TEST(FormatPlain, NeverUsesAnExponent) {
  EXPECT_EQ(formatPlain(15), "15");
  EXPECT_EQ(formatPlain(2.5), "2.5");
  EXPECT_EQ(formatPlain(0.0001), "0.0001");
  EXPECT_EQ(formatPlain(1e20), "100000000000000000000");
  EXPECT_EQ(formatPlain(-0.0), "0");
  EXPECT_EQ(formatPlain(0.1 + 0.2), "0.30000000000000004");
}

TEST(FormatJava, MatchesDoubleToString) {
  EXPECT_EQ(formatJava(15), "15.0");
  EXPECT_EQ(formatJava(123.45), "123.45");
  EXPECT_EQ(formatJava(0.0001), "1.0E-4");
  EXPECT_EQ(formatJava(1e7), "1.0E7");
  EXPECT_EQ(formatJava(1234567.0), "1234567.0");
}

TEST(FormatJava, FloatsPrintAsFloatToString) {
  EXPECT_EQ(formatJavaFloat(1.0f / 3), "0.33333334");
  EXPECT_EQ(formatJavaFloat(0.1f), "0.1");
  EXPECT_EQ(formatJavaFloat(1e10f), "1.0E10");
  EXPECT_EQ(formatJavaFloat(2.5f), "2.5");
}

}  // namespace
}  // namespace eddy
