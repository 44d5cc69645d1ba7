#include "eddy/sql/exec/value.h"

#include <cmath>
#include <cstdio>

#include "eddy/core/number_format.h"
#include "eddy/sql/exec/decimal.h"
#include "eddy/sql/exec/digests.h"
#include "eddy/sql/exec/nested_value.h"
#include "eddy/sql/exec/session_time_zone.h"

namespace eddy::sql {

const char* rowKindShort(RowKind k) {
  switch (k) {
    case RowKind::kInsert: return "+I";
    case RowKind::kUpdateBefore: return "-U";
    case RowKind::kUpdateAfter: return "+U";
    case RowKind::kDelete: return "-D";
  }
  return "?";
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The 1 or 2 digits at s[p] (Flink's [HH][H], [mm][m], [ss][s]); their count, 0 if none.
size_t oneOrTwoDigits(std::string_view s, size_t p, int64_t& out) {
  size_t n = 0;
  while (n < 2 && p + n < s.size() && s[p + n] >= '0' && s[p + n] <= '9') ++n;
  if (n > 0) digits(s, p, n, out);
  return n;
}

// Parses "H:m[:s[.fffffffff]]" (hours, minutes and seconds of one or two digits, as
// Flink's DEFAULT_TIMESTAMP_FORMATTER takes them) starting at s[0]; returns nanoseconds
// of the day.
bool parseClock(std::string_view s, int64_t& nanos) {
  int64_t h, mi, sec = 0, frac = 0;
  size_t p = oneOrTwoDigits(s, 0, h);
  if (p == 0 || p >= s.size() || s[p] != ':') return false;
  const size_t minutes = oneOrTwoDigits(s, p + 1, mi);
  if (minutes == 0) return false;
  p += 1 + minutes;
  if (p < s.size()) {
    if (s[p] != ':') return false;
    const size_t seconds = oneOrTwoDigits(s, p + 1, sec);
    if (seconds == 0) return false;
    p += 1 + seconds;
    if (p < s.size()) {
      if (s[p] != '.') return false;
      ++p;
      size_t n = 0;
      while (p + n < s.size() && s[p + n] >= '0' && s[p + n] <= '9') ++n;
      if (n == 0 || p + n != s.size()) return false;
      int64_t f = 0;  // digits() fills it: the n digits were checked above.
      digits(s, p, std::min<size_t>(n, 9), f);
      for (size_t k = std::min<size_t>(n, 9); k < 9; ++k) f *= 10;
      frac = f;
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return false;
  nanos = ((h * 60 + mi) * 60 + sec) * 1000000000 + frac;
  return true;
}

// How many digits of the second TIMESTAMP(precision)'s unit holds: 3, 6 or 9.
int unitDigits(int precision) { return precision <= 3 ? 3 : precision <= 6 ? 6 : 9; }

// The fraction of a second, `nanos` nanoseconds, as `precision` digits.
std::string fractionDigits(int64_t nanos, int precision) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%09lld", static_cast<long long>(nanos));
  return std::string(buf, static_cast<size_t>(std::min(precision, 9)));
}

}  // namespace

bool parseDate(std::string_view s, int64_t& days) {
  s = trim(s);
  size_t d1 = s.find('-', 1);
  if (d1 == std::string_view::npos) return false;
  size_t d2 = s.find('-', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  int64_t y, m, d;
  if (!digits(s, 0, d1, y) || !digits(s, d1 + 1, d2 - d1 - 1, m) || !digits(s, d2 + 1, s.size() - d2 - 1, d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  days = daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (d > 28) {  // No February 30th or April 31st: the day must be of that month.
    int64_t cy;
    unsigned cm, cd;
    civilFromDays(days, cy, cm, cd);
    if (cd != d) return false;
  }
  return true;
}

bool parseTime(std::string_view s, int64_t& millis) {
  int64_t nanos = 0;
  if (!parseClock(trim(s), nanos)) return false;
  millis = nanos / 1000000;
  return true;
}

bool parseTimestamp(std::string_view s, int64_t& value, int precision) {
  s = trim(s);
  size_t sep = s.find_first_of(" T");
  int64_t days = 0;
  int64_t clock = 0;
  if (sep == std::string_view::npos) {
    if (!parseDate(s, days)) return false;
  } else {
    if (!parseDate(s.substr(0, sep), days) || !parseClock(s.substr(sep + 1), clock)) return false;
  }
  // Nanoseconds past the day's last whole millisecond, then both in the precision's unit.
  const int64_t units = timestampUnitsPerMilli(precision);
  const int64_t ms = days * 86400000 + clock / 1000000;
  if (!timestampFits(ms, precision)) return false;
  value = rescaleTimestamp(ms * units + clock % 1000000 / (1000000 / units), unitDigits(precision), precision);
  return true;
}

bool timestampFits(int64_t ms, int precision) {
  const int64_t units = timestampUnitsPerMilli(precision);
  return ms <= INT64_MAX / units && ms >= INT64_MIN / units + 1;
}

int64_t rescaleTimestamp(int64_t v, int from, int to) {
  if (from == to) return v;
  const int64_t from_units = timestampUnitsPerMilli(from), to_units = timestampUnitsPerMilli(to);
  int64_t x = to_units >= from_units ? v * (to_units / from_units) : floorDiv(v, from_units / to_units);
  if (to < from) {
    // The unit holds 3, 6 or 9 digits of the second; keep `to` of them.
    const int64_t step = powerOfTen(unitDigits(to) - std::max(to, 0));
    x = floorDiv(x, step) * step;
  }
  return x;
}

CivilTime civilFromMillis(int64_t millis) {
  CivilTime t;
  t.days = floorDays(millis);
  t.ms_of_day = millis - t.days * 86400000;
  civilFromDays(t.days, t.year, t.month, t.day);
  return t;
}

std::string formatDate(int64_t days) {
  int64_t y;
  unsigned m, d;
  civilFromDays(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string formatTime(int64_t millis, int precision) {
  int64_t ms = floorMod(millis, 86400000);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(ms / 3600000),
                static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60));
  std::string s = buf;
  if (precision > 0) s += "." + fractionDigits(ms % 1000 * 1000000, precision);
  return s;
}

std::string formatTimestamp(int64_t value, int precision) {
  CivilTime t = civilFromMillis(timestampToMillis(value, precision));
  std::string s = formatDate(t.days) + " " + formatTime(t.ms_of_day, 0);
  if (precision > 0) {
    s += "." + fractionDigits(t.ms_of_day % 1000 * 1000000 + timestampNanosOfMilli(value, precision), precision);
  }
  return s;
}

double asDouble(const Value& v, const LogicalType& t) {
  if (t.storage() == Storage::kDouble) return v.d;
  if (t.id == TypeId::kDecimal) return decimalToDouble(unscaledOf(v, t), t.scale);
  return static_cast<double>(v.i);
}

std::string formatForFile(const Value& v, const LogicalType& t) {
  if (!v.null && t.isBinary()) return toBase64(v.s);
  if (v.null || (t.id != TypeId::kTime && !t.isTimestamp())) return formatValue(v, t);
  // Every digit the type holds, the trailing zeros dropped (Java's appendFraction(0, 9)).
  std::string s = t.id == TypeId::kTime ? formatTime(v.i, 3) : formatTimestamp(v.i, std::max(t.precision, 3));
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return t.id == TypeId::kTimestampLtz ? s + "Z" : s;
}

std::string castToText(const Value& v, const LogicalType& t) {
  if (v.null) return "null";
  switch (t.id) {
    case TypeId::kBoolean: return v.i != 0 ? "TRUE" : "FALSE";
    case TypeId::kMultiset: return formatNested(v.s, LogicalType::multisetMap(t), true);
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow: return formatNested(v.s, t, true);
    default: return formatValue(v, t);
  }
}

std::string formatValue(const Value& v, const LogicalType& t) {
  if (v.null) return "null";
  switch (t.id) {
    case TypeId::kNull: return "null";
    case TypeId::kBoolean: return v.i != 0 ? "true" : "false";
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: return std::to_string(v.i);
    case TypeId::kFloat: return formatJavaFloat(static_cast<float>(v.d));
    case TypeId::kDouble: return formatJava(v.d);
    case TypeId::kDecimal: return formatDecimal(unscaledOf(v, t), t.scale);
    case TypeId::kChar:
    case TypeId::kVarchar: return v.s;
    case TypeId::kMultiset: return formatNested(v.s, LogicalType::multisetMap(t));
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow: return formatNested(v.s, t);
    case TypeId::kBinary:
    case TypeId::kVarbinary: {  // Java's Arrays.toString of a byte[]: signed bytes.
      std::string s = "[";
      for (size_t i = 0; i < v.s.size(); ++i) {
        if (i > 0) s += ", ";
        s += std::to_string(static_cast<int>(static_cast<signed char>(v.s[i])));
      }
      return s + "]";
    }
    case TypeId::kDate: return formatDate(v.i);
    case TypeId::kTime: return formatTime(v.i, t.precision);
    case TypeId::kTimestamp: return formatTimestamp(v.i, t.precision);
    case TypeId::kTimestampLtz: return formatTimestamp(wallClock(v.i, t), t.precision);
    case TypeId::kIntervalDayTime: {
      // Flink prints INTERVAL SECOND(3) as "+0 00:05:00.000".
      int64_t ms = v.i < 0 ? -v.i : v.i;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%c%lld %02lld:%02lld:%02lld.%03lld", v.i < 0 ? '-' : '+',
                    static_cast<long long>(ms / 86400000), static_cast<long long>(ms / 3600000 % 24),
                    static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
                    static_cast<long long>(ms % 1000));
      return buf;
    }
    case TypeId::kIntervalYearMonth: {
      int64_t m = v.i < 0 ? -v.i : v.i;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%c%lld-%02lld", v.i < 0 ? '-' : '+', static_cast<long long>(m / 12),
                    static_cast<long long>(m % 12));
      return buf;
    }
  }
  return "?";
}

}  // namespace eddy::sql
