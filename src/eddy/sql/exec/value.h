#pragma once

#include <cstdint>
#include <string>

#include "eddy/sql/exec/logical_type.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// One SQL value, for literals, keys and row-at-a-time functions.
struct Value {
  bool null = true;
  int64_t i = 0;
  double d = 0;
  std::string s;

  static Value nullValue() { return {}; }
  static Value ofInt(int64_t v) {
    Value x;
    x.null = false;
    x.i = v;
    return x;
  }
  static Value ofDouble(double v) {
    Value x;
    x.null = false;
    x.d = v;
    return x;
  }
  static Value ofString(std::string v) {
    Value x;
    x.null = false;
    x.s = std::move(v);
    return x;
  }
  static Value ofBool(bool v) { return ofInt(v ? 1 : 0); }
};

/// A numeric value (an integer type, FLOAT, DOUBLE, DECIMAL) of type `t` as a double.
double asDouble(const Value& v, const LogicalType& t);
/// Row `row` of `c`. Inline: aggregations and row-at-a-time functions call it per row
/// and argument.
inline Value valueAt(const Column& c, size_t row) {
  Value v;
  v.null = c.null[row] != 0;
  if (v.null) return v;
  switch (c.storage) {
    case Storage::kInt64: v.i = c.i64[row]; break;
    case Storage::kDouble: v.d = c.f64[row]; break;
    case Storage::kString: v.s = std::string(c.str[row]); break;
  }
  return v;
}
/// Appends `v` to `c` (its storage decides which field counts).
inline void appendValue(Column& c, const Value& v) {
  switch (c.storage) {
    case Storage::kInt64: c.i64.push_back(v.i); break;
    case Storage::kDouble: c.f64.push_back(v.d); break;
    case Storage::kString: c.str.push_back(v.s); break;
  }
  c.null.push_back(v.null ? 1 : 0);
}

/// Formats a value as Flink prints it (print connector, SQL client): `null`, `true`,
/// Java's double format, decimals with their scale, `2024-01-01 10:05:00.000`, bytes
/// as Java's Arrays.toString (`[104, -1]`).
std::string formatValue(const Value& v, const LogicalType& t);
/// A value as Flink's CAST(x AS STRING) writes it (its cast rules, which the SQL client's
/// tables show too): as formatValue, but a BOOLEAN as `TRUE` / `FALSE` and a ROW as
/// `(1, a)`, the elements of an ARRAY, MAP or ROW cast the same way (a NULL one as
/// `null`).
std::string castToText(const Value& v, const LogicalType& t);
/// A value as Flink's csv and json formats write it (their TimeFormats.SQL_*): a time
/// with its fraction only as long as it needs (`2024-01-01 10:05:00`, `10:05:00.5`), a
/// TIMESTAMP_LTZ in UTC with a trailing `Z`, bytes in base64 (as Jackson writes a
/// binary node); anything else as formatValue does.
std::string formatForFile(const Value& v, const LogicalType& t);
/// `+I[1001, 2024-01-01 10:05:00.000, 123.45]`.
template <typename Types>
std::string formatRow(const RecordBatch& b, size_t row, const Types& types);

/// An integer result as Java keeps it in the type's width (Flink's INT, SMALLINT and
/// TINYINT arithmetic wraps around like Java's int, short and byte).
inline int64_t wrapToWidth(int64_t v, const LogicalType& t) {
  switch (t.id) {
    case TypeId::kInt: return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
    case TypeId::kSmallInt: return static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint64_t>(v)));
    case TypeId::kTinyInt: return static_cast<int8_t>(static_cast<uint8_t>(static_cast<uint64_t>(v)));
    default: return v;
  }
}

/// 10^n for a decimal scale (n in [0, 18]).
inline int64_t powerOfTen(int n) {
  int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}
/// x / y rounded toward negative infinity, and what is left (0 <= r < y), for y > 0:
/// times before the epoch are negative and still fall in the unit they started in.
inline int64_t floorDiv(int64_t x, int64_t y) { return x >= 0 ? x / y : -((-(x + 1)) / y) - 1; }
inline int64_t floorMod(int64_t x, int64_t y) { return x - floorDiv(x, y) * y; }

// TIMESTAMP(p) and TIMESTAMP_LTZ(p) values are int64 counts since the epoch in a unit
// set by p: milliseconds for p <= 3 (every time attribute, window bound and clock
// reading), microseconds for 4..6, nanoseconds for 7..9 (years 1677..2262, as int64
// nanoseconds reach). A value never holds digits past its precision: the edges
// (literals, CAST, the formats, rescaling between precisions) truncate, as Flink's
// DateTimeUtils does. TIME stays in milliseconds, as Flink keeps it.

/// How many of a TIMESTAMP(precision)'s units make a millisecond: 1, 1000 or 1000000.
inline int64_t timestampUnitsPerMilli(int precision) {
  return precision <= 3 ? 1 : precision <= 6 ? 1000 : 1000000;
}
/// The same for a type: 1 for anything but a timestamp.
inline int64_t unitsPerMilli(const LogicalType& t) {
  return t.isTimestamp() ? timestampUnitsPerMilli(t.precision) : 1;
}
/// A TIMESTAMP(precision) value's epoch milliseconds, rounding down (Flink's
/// TimestampData#getMillisecond), and a millisecond count as such a value.
inline int64_t timestampToMillis(int64_t v, int precision) {
  return floorDiv(v, timestampUnitsPerMilli(precision));
}
inline int64_t timestampFromMillis(int64_t ms, int precision) { return ms * timestampUnitsPerMilli(precision); }
/// The nanoseconds a TIMESTAMP(precision) value holds past its last whole millisecond
/// (Flink's TimestampData#getNanoOfMillisecond): 0 up to precision 3.
inline int64_t timestampNanosOfMilli(int64_t v, int precision) {
  const int64_t units = timestampUnitsPerMilli(precision);
  return floorMod(v, units) * (1000000 / units);
}
/// A TIMESTAMP(from) value as TIMESTAMP(to): the unit converted and, going to a lower
/// precision, the digits past it dropped (toward the past). The value must fit
/// (timestampFits).
int64_t rescaleTimestamp(int64_t v, int from, int to);
/// Whether epoch milliseconds `ms` are within what TIMESTAMP(precision) holds (all of
/// int64 milliseconds up to precision 3; the years 1677 to 2262 past 6).
bool timestampFits(int64_t ms, int precision);

/// The day (since the epoch) an epoch-milliseconds instant falls on, rounding down.
inline int64_t floorDays(int64_t millis) { return floorDiv(millis, 86400000); }

// Calendar arithmetic on the proleptic Gregorian calendar, UTC.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d);
void civilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d);
/// An epoch-milliseconds instant as its calendar day and the milliseconds into it.
struct CivilTime {
  int64_t days = 0;  // Since the epoch.
  int64_t year = 0;
  unsigned month = 1, day = 1;
  int64_t ms_of_day = 0;
};
CivilTime civilFromMillis(int64_t millis);
/// `yyyy-MM-dd HH:mm:ss[.fraction]` (or with 'T'; the fraction up to 9 digits) to a
/// TIMESTAMP(precision) value (epoch milliseconds by default), the digits past the
/// precision dropped; false if the text is not a timestamp.
bool parseTimestamp(std::string_view s, int64_t& value, int precision = 3);
/// Whether timestamp text has a time of day (`yyyy-MM-dd HH:mm...`): CAST takes a date
/// alone as its midnight, Flink's csv and json formats do not.
inline bool hasTimeOfDay(std::string_view s) { return s.find(':') != std::string_view::npos; }
bool parseDate(std::string_view s, int64_t& days);
bool parseTime(std::string_view s, int64_t& millis);
/// A TIMESTAMP(precision) value as `yyyy-MM-dd HH:mm:ss` and `precision` fraction digits.
std::string formatTimestamp(int64_t value, int precision);
std::string formatDate(int64_t days);
std::string formatTime(int64_t millis, int precision);

template <typename Types>
std::string formatRow(const RecordBatch& b, size_t row, const Types& types) {
  std::string s = rowKindShort(b.kinds[row]);
  s += '[';
  for (size_t c = 0; c < b.columns.size(); ++c) {
    if (c > 0) s += ", ";
    s += formatValue(valueAt(b.columns[c], row), types[c]);
  }
  s += ']';
  return s;
}

}  // namespace eddy::sql
