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

TEST(Utf8, RepairsMalformedBytesAsJavasDecoderDoes) {
  const std::string fffd = "\uFFFD";
  EXPECT_EQ(utf8Repair("h\u00e9\U0001F600"), "h\u00e9\U0001F600");  // Valid text unchanged.
  EXPECT_EQ(utf8Repair(std::string("a\x80z", 3)), "a" + fffd + "z");  // A stray continuation byte.
  EXPECT_EQ(utf8Repair(std::string("\xc0\xaf", 2)), fffd + fffd);     // Overlong: each byte.
  EXPECT_EQ(utf8Repair(std::string("\xed\xa0\x80", 3)), fffd + fffd + fffd);  // A surrogate.
  EXPECT_EQ(utf8Repair(std::string("\xe6\x97", 2)), fffd);  // Cut short: one for the prefix.
  EXPECT_EQ(utf8Repair(std::string("\xe6\x97x", 3)), fffd + "x");
  EXPECT_EQ(utf8Repair(std::string("\xf4\x90\x80\x80", 4)), fffd + fffd + fffd + fffd);  // Past U+10FFFF.
}

TEST(Utf8, EncodesAndDecodesJavasCharsets) {
  std::string out;
  ASSERT_TRUE(encodeCharset("h\u00e9\U0001F600", "UTF-16LE", out));
  EXPECT_EQ(out, std::string("h\0\xe9\0\x3d\xd8\x00\xde", 8));  // 😀 as a surrogate pair.
  ASSERT_TRUE(decodeCharset(out, "utf-16le", out));
  EXPECT_EQ(out, "h\u00e9\U0001F600");
  ASSERT_TRUE(encodeCharset("\u65e5", "ISO-8859-1", out));
  EXPECT_EQ(out, "?");  // Unmappable.
  ASSERT_TRUE(decodeCharset(std::string("\0h\xd8", 3), "UTF-16BE", out));
  EXPECT_EQ(out, "h\uFFFD");  // An odd last byte.
  EXPECT_FALSE(encodeCharset("x", "EBCDIC", out));
  EXPECT_FALSE(isCharset("UTF-32"));
}

}  // namespace
}  // namespace eddy::sql
