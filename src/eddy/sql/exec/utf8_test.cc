#include "eddy/sql/exec/utf8.h"

#include <gtest/gtest.h>

namespace eddy::sql {
namespace {

TEST(Utf8, CountsAndCutsCharactersNotBytes) {
  const std::string s = "h\u00e9llo \u65e5\u672c\U0001F600";  // héllo 日本😀
  EXPECT_EQ(utf8Length(s), 9u);
  EXPECT_EQ(utf8Substr(s, 1, 3), "\u00e9ll");
  EXPECT_EQ(utf8Substr(s, 6), "\u65e5\u672c\U0001F600");
  EXPECT_EQ(utf8Substr(s, 20), "");
  EXPECT_EQ(utf8Offset(s, 2), 3u);  // After 'h' and the two bytes of 'é'.
  EXPECT_EQ(utf8Index(s, 3), 2u);
  EXPECT_EQ(utf8Reverse("h\u00e9\U0001F600"), "\U0001F600\u00e9h");
}

TEST(Utf8, ChangesCaseAsJavaDoes) {
  EXPECT_EQ(utf8Upper("h\u00e9llo stra\u00dfe \u0436"), "H\u00c9LLO STRASSE \u0416");
  EXPECT_EQ(utf8Lower("H\u00c9LLO \u0416 ABC"), "h\u00e9llo \u0436 abc");
  EXPECT_EQ(utf8Upper("\u65e5\u672c"), "\u65e5\u672c");  // No case: unchanged.
  // Malformed bytes pass through untouched.
  EXPECT_EQ(utf8Upper(std::string("a\x80z\xc3", 4)), std::string("A\x80Z\xc3", 4));
}

}  // namespace
}  // namespace eddy::sql
