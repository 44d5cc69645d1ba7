#include "eddy/sql/exec/nested_value.h"

#include <gtest/gtest.h>

namespace eddy::sql {
namespace {

const LogicalType kInts = LogicalType::array(LogicalType::integer());
const LogicalType kStrings = LogicalType::array(LogicalType::string());
const LogicalType kMap = LogicalType::map(LogicalType::string(), LogicalType::doubleType());

TEST(NestedValue, AnArrayRoundTripsWithItsNulls) {
  const std::vector<Value> in{Value::ofInt(3), Value(), Value::ofInt(-7)};
  const std::string bytes = encodeArray(in, *kInts.element);
  const std::vector<Value> out = decodeArray(bytes, *kInts.element);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].i, 3);
  EXPECT_TRUE(out[1].null);
  EXPECT_EQ(out[2].i, -7);
  EXPECT_EQ(nestedSize(bytes), 3u);
  EXPECT_EQ(formatNested(bytes, kInts), "[3, null, -7]");
}

TEST(NestedValue, EqualValuesHaveEqualBytesAndDifferentOnesDoNot) {
  auto strings = [](std::vector<std::string> v) {
    std::vector<Value> out;
    for (auto& s : v) out.push_back(Value::ofString(s));
    return encodeArray(out, *kStrings.element);
  };
  EXPECT_EQ(strings({"a", "bc"}), strings({"a", "bc"}));
  EXPECT_NE(strings({"a", "bc"}), strings({"ab", "c"}));  // Lengths keep elements apart.
  EXPECT_NE(strings({"a"}), strings({"a", ""}));
}

TEST(NestedValue, AMapKeepsTheFirstPlaceAndTheLastValueOfARepeatedKey) {
  MapEntries m{{Value::ofString("a"), Value::ofString("b"), Value::ofString("a")},
               {Value::ofDouble(1), Value(), Value::ofDouble(2.5)}};
  const std::string bytes = encodeMap(m, kMap);
  EXPECT_EQ(nestedSize(bytes), 2u);
  EXPECT_EQ(formatNested(bytes, kMap), "{a=2.5, b=null}");
  const MapEntries back = decodeMap(bytes, kMap);
  EXPECT_EQ(back.keys[1].s, "b");
  EXPECT_TRUE(back.values[1].null);
}

TEST(NestedValue, NestedArraysNestTheirBytes) {
  const LogicalType nested = LogicalType::array(kInts);
  const std::vector<Value> inner{Value::ofString(encodeArray({Value::ofInt(1)}, *kInts.element)), Value(),
                                 Value::ofString(encodeArray({}, *kInts.element))};
  EXPECT_EQ(formatNested(encodeArray(inner, kInts), nested), "[[1], null, []]");
}

TEST(NestedValue, JsonReadsEachElementAsItsTypeAndNamesTheOneThatDoesNotFit) {
  Result<std::string> a = nestedFromJson(R"([1, "2", null])", kInts);
  ASSERT_TRUE(a.isOk()) << a.status().message();
  EXPECT_EQ(formatNested(*a, kInts), "[1, 2, null]");
  Result<std::string> m = nestedFromJson(R"({"x": 1.5, "y": null})", kMap);
  ASSERT_TRUE(m.isOk()) << m.status().message();
  EXPECT_EQ(formatNested(*m, kMap), "{x=1.5, y=null}");

  Result<std::string> bad = nestedFromJson(R"([1, "x"])", kInts);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("value[2]: cannot cast 'x' to INT"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(nestedFromJson(R"({"a": 1})", kInts).isOk());
  EXPECT_FALSE(nestedFromJson("[1,", kInts).isOk());
}

TEST(NestedValue, JsonWritesArraysAndObjects) {
  std::string out;
  appendJson(out, Value::ofString(nestedFromJson(R"({"k": 2})", kMap).value()), kMap);
  out += ' ';
  appendJson(out, Value::ofString(nestedFromJson(R"(["a\"b", null])", kStrings).value()), kStrings);
  EXPECT_EQ(out, R"({"k":2.0} ["a\"b",null])");
}

TEST(NestedValue, RowsInsideArraysReadAndWriteAsJsonObjectsAndPrintAsFlinkRows) {
  const LogicalType item = LogicalType::row({{"sku", LogicalType::string()}, {"qty", LogicalType::integer()}});
  const LogicalType items = LogicalType::array(item);
  Result<std::string> bytes = nestedFromJson(R"([{"qty": 2, "sku": "a"}, {"sku": "b"}, null])", items);
  ASSERT_TRUE(bytes.isOk()) << bytes.status().message();
  EXPECT_EQ(formatNested(*bytes, items), "[+I[a, 2], +I[b, null], null]");
  std::string json;
  appendJson(json, Value::ofString(*bytes), items);
  EXPECT_EQ(json, R"([{"sku":"a","qty":2},{"sku":"b","qty":null},null])");
  const std::vector<Value> first = decodeRow(decodeArray(*bytes, item)[0].s, item);
  EXPECT_EQ(first[0].s, "a");
  EXPECT_EQ(first[1].i, 2);
  EXPECT_EQ(items.toString(), "ARRAY<ROW<`sku` STRING, `qty` INT>>");
  Result<std::string> bad = nestedFromJson(R"([{"qty": "many"}])", items);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("value[1].qty"), std::string::npos) << bad.status().message();
}

TEST(NestedValue, CsvJoinsAndSplitsTheElements) {
  const std::string bytes = encodeArray({Value::ofInt(1), Value(), Value::ofInt(3)}, *kInts.element);
  EXPECT_EQ(arrayToCsv(bytes, kInts, ";", ""), "1;;3");
  Result<std::string> back = arrayFromCsv("1;;3", kInts, ";", "");
  ASSERT_TRUE(back.isOk()) << back.status().message();
  EXPECT_EQ(*back, bytes);
  EXPECT_EQ(nestedSize(arrayFromCsv("", kInts, ";", "").value()), 0u);
  Result<std::string> bad = arrayFromCsv("1;two", kInts, ";", "");
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("element 2"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace eddy::sql
