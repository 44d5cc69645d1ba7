#include "eddy/sql/planner/functions.h"
#include "eddy/sql/planner/function_registry.h"
#include "eddy/sql/parser/ast.h"

#include "eddy/core/number_format.h"
#include "eddy/core/time_zone.h"
#include "eddy/sql/exec/decimal.h"
#include "eddy/sql/exec/digests.h"
#include "eddy/sql/exec/nested_value.h"
#include "eddy/sql/exec/session_time_zone.h"
#include "eddy/sql/exec/utf8.h"
#include "eddy/sql/exec/regex.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

namespace eddy::sql {

namespace {

int integerRank(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 1;
    case TypeId::kSmallInt: return 2;
    case TypeId::kInt: return 3;
    case TypeId::kBigInt: return 4;
    default: return 0;
  }
}
int integerDigits(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 3;
    case TypeId::kSmallInt: return 5;
    case TypeId::kInt: return 10;
    default: return 19;
  }
}
LogicalType asDecimal(const LogicalType& t) {
  if (t.id == TypeId::kDecimal) return t;
  return LogicalType::decimal(integerDigits(t.id), 0);
}
// DECIMAL(precision, scale), or past 38 digits Flink's adjustPrecisionScale: the scale
// gives way (down to 6 digits) so that the integer part keeps its digits.
LogicalType flinkDecimal(int precision, int scale) {
  if (precision <= 38) return LogicalType::decimal(precision, scale);
  return LogicalType::decimal(38, std::max(38 - (precision - scale), std::min(scale, 6)));
}

}  // namespace

bool implicitlyCastable(const LogicalType& from, const LogicalType& to) {
  if (from.id == TypeId::kNull || from.sameAs(to)) return true;
  auto rank = [](TypeId id) {  // Integers by width.
    return id == TypeId::kTinyInt ? 1 : id == TypeId::kSmallInt ? 2 : id == TypeId::kInt ? 3 : 4;
  };
  switch (to.id) {
    case TypeId::kChar:
    case TypeId::kVarchar: return from.isString();
    case TypeId::kBinary:
    case TypeId::kVarbinary: return from.isBinary();
    case TypeId::kDecimal:
    case TypeId::kDouble: return from.isNumeric();
    case TypeId::kFloat: return from.isInteger() || from.id == TypeId::kFloat || from.id == TypeId::kDecimal;
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: return from.isInteger() && rank(from.id) <= rank(to.id);
    case TypeId::kDate: return from.id == TypeId::kDate || from.id == TypeId::kTimestamp;
    case TypeId::kTime: return from.id == TypeId::kTime || from.id == TypeId::kTimestamp;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return from.isTimestamp();  // Through the session time zone between the two.
    case TypeId::kBoolean:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth: return from.id == to.id;
    default: {
      // ARRAY, MAP, ROW, MULTISET: where both convert to the sink's type.
      LogicalType common;
      return commonType(from, to, &common) && common.sameAs(to);
    }
  }
}

bool commonType(const LogicalType& a, const LogicalType& b, LogicalType* out) {
  bool nullable = a.nullable || b.nullable;
  if (a.id == TypeId::kNull) {
    *out = b.plain().withNullable(true);
    return true;
  }
  if (b.id == TypeId::kNull) {
    *out = a.plain().withNullable(true);
    return true;
  }
  if (a.sameAs(b)) {
    *out = a.plain().withNullable(nullable);
    return true;
  }
  if (a.isNumeric() && b.isNumeric()) {
    if (a.storage() == Storage::kDouble || b.storage() == Storage::kDouble) {
      *out = (a.id == TypeId::kFloat && b.id != TypeId::kDouble) || (b.id == TypeId::kFloat && a.id != TypeId::kDouble)
                 ? LogicalType::of(TypeId::kFloat)
                 : LogicalType::doubleType();
      if (a.id == TypeId::kFloat && b.id == TypeId::kFloat) *out = LogicalType::of(TypeId::kFloat);
      out->nullable = nullable;
      return true;
    }
    if (a.id == TypeId::kDecimal || b.id == TypeId::kDecimal) {
      LogicalType da = asDecimal(a), db = asDecimal(b);
      int scale = std::max(da.scale, db.scale);
      int digits = std::max(da.precision - da.scale, db.precision - db.scale);
      *out = LogicalType::decimal(std::min(38, digits + scale), scale);
      out->nullable = nullable;
      return true;
    }
    *out = integerRank(a.id) >= integerRank(b.id) ? a.plain() : b.plain();
    out->nullable = nullable;
    return true;
  }
  if (a.isString() && b.isString()) {
    *out = LogicalType::of(TypeId::kVarchar, std::max(a.precision, b.precision));
    out->nullable = nullable;
    return true;
  }
  if (a.isBinary() && b.isBinary()) {  // As strings: of different lengths, a VARBINARY.
    *out = LogicalType::of(TypeId::kVarbinary, std::max(a.precision, b.precision));
    out->nullable = nullable;
    return true;
  }
  if (a.isTimestamp() && b.isTimestamp()) {
    *out = LogicalType::of(a.id == b.id ? a.id : TypeId::kTimestamp, std::max(a.precision, b.precision));
    out->nullable = nullable;
    return true;
  }
  if ((a.isTimestamp() && b.id == TypeId::kDate) || (b.isTimestamp() && a.id == TypeId::kDate)) {
    *out = LogicalType::timestamp(std::max(a.precision, b.precision));
    out->nullable = nullable;
    return true;
  }
  if ((a.id == TypeId::kArray || a.id == TypeId::kMap) && a.id == b.id) {  // Element by element.
    LogicalType element, key;
    if (!commonType(*a.element, *b.element, &element)) return false;
    if (a.id == TypeId::kMap && !commonType(*a.key, *b.key, &key)) return false;
    *out = a.id == TypeId::kArray ? LogicalType::array(element) : LogicalType::map(key, element);
    out->nullable = nullable;
    return true;
  }
  if (a.id == TypeId::kRow && b.id == TypeId::kRow && a.fields->size() == b.fields->size()) {  // Field by field.
    std::vector<RowFieldType> fields;
    for (size_t i = 0; i < a.fields->size(); ++i) {
      LogicalType f;
      if (!commonType((*a.fields)[i].type, (*b.fields)[i].type, &f)) return false;
      fields.push_back({(*a.fields)[i].name, f});
    }
    *out = LogicalType::row(std::move(fields));
    out->nullable = nullable;
    return true;
  }
  return false;
}

ExprP coerce(ExprP e, const LogicalType& t) {
  const LogicalType& from = e->type();
  if (from.sameAs(t) || (from.isString() && t.isString() && t.id == TypeId::kVarchar)) return e;
  LogicalType to = t.withNullable(from.nullable);
  if (auto* lit = dynamic_cast<const Literal*>(e.get())) {
    // A constant converts once, here, rather than on every row.
    Value v;
    if (castValue(lit->value(), from, to, v, nullptr)) return std::make_unique<Literal>(v, to, lit->toString());
  }
  return std::make_unique<CastCall>(to, std::move(e), false);
}

Result<ExprP> bindUserFunction(const std::string& name, const ScalarFunction& f, std::vector<ExprP> args, Pos pos) {
  if (args.size() != f.argument_types.size()) {
    return sqlError(pos, "function " + name + " takes " + std::to_string(f.argument_types.size()) + " argument" +
                             (f.argument_types.size() == 1 ? "" : "s") + ", not " + std::to_string(args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const LogicalType& want = f.argument_types[i];
    const LogicalType& got = args[i]->type();
    LogicalType common;
    bool fits = got.id == TypeId::kNull || got.sameAs(want) || (got.isString() && want.isString()) ||
                (commonType(got, want, &common) && common.sameAs(want));
    if (!fits) {
      return sqlError(pos, "function " + name + " argument " + std::to_string(i + 1) + " must be " +
                               want.toString() + ", not " + got.toString());
    }
    args[i] = coerce(std::move(args[i]), want);
  }
  return ExprP(std::make_unique<RowCall>(name, f.result_type, std::move(args), f.eval, f.null_on_null));
}

namespace builtin {

std::map<std::string, Binder>& registry() {
  static std::map<std::string, Binder> r;
  return r;
}

ExprP row(const std::string& name, LogicalType type, Args args, RowFn fn, bool strict) {
  if (strict) {
    for (const auto& a : args) type.nullable = type.nullable || a->type().nullable;
  }
  return std::make_unique<RowCall>(name, type, std::move(args), std::move(fn), strict);
}

Status argError(const std::string& name, Pos pos, const std::string& why) {
  return sqlError(pos, "function " + name + ": " + why);
}

Status arity(const std::string& name, const Args& args, size_t lo, size_t hi, Pos pos) {
  if (args.size() < lo || args.size() > hi) {
    std::string want = lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi);
    return argError(name, pos, "takes " + want + " argument" + (hi == 1 ? "" : "s") + ", got " + std::to_string(args.size()));
  }
  return Status::ok();
}

Status needString(const std::string& name, const Args& args, size_t i, Pos pos) {
  if (!args[i]->type().isString() && args[i]->type().id != TypeId::kNull) {
    return argError(name, pos, "argument " + std::to_string(i + 1) + " must be a string, not " + args[i]->type().toString());
  }
  return Status::ok();
}
Status needNumeric(const std::string& name, const Args& args, size_t i, Pos pos) {
  if (!args[i]->type().isNumeric() && args[i]->type().id != TypeId::kNull) {
    return argError(name, pos, "argument " + std::to_string(i + 1) + " must be numeric, not " + args[i]->type().toString());
  }
  return Status::ok();
}


}  // namespace builtin

namespace {

using namespace builtin;  // NOLINT: this file is where the built-ins are registered.

// `value` (a TIMESTAMP in its type's unit, or days for a DATE) `months` months later,
// the day of the month clamped to the new month's length (Flink's, and Java's,
// plusMonths); the part finer than a millisecond stays.
int64_t addMonths(int64_t value, int64_t months, const LogicalType& t) {
  const bool date = t.id == TypeId::kDate;
  const int64_t units = unitsPerMilli(t);
  const CivilTime c = civilFromMillis(date ? value * 86400000 : floorDiv(value, units));
  int64_t total = c.year * 12 + (c.month - 1) + months;
  int64_t ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
  unsigned nm = static_cast<unsigned>(total - ny * 12 + 1);
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned maxd = kDays[nm - 1] + (nm == 2 && ((ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0) ? 1 : 0);
  int64_t nd = daysFromCivil(ny, nm, std::min(c.day, maxd));
  return date ? nd : (nd * 86400000 + c.ms_of_day) * units + floorMod(value, units);
}

// A timestamp finer than milliseconds as TIMESTAMP(3) (TIMESTAMP_LTZ(3)): the functions
// that read a calendar time take milliseconds, as Flink's read
// TimestampData#getMillisecond.
ExprP atMillis(ExprP e) {
  const LogicalType t = e->type();
  if (!t.isTimestamp() || t.precision <= 3) return e;
  return coerce(std::move(e), LogicalType::of(t.id, 3));
}

// Milliseconds per unit of TIMESTAMPADD / TIMESTAMPDIFF, 0 for the month-based ones.
int64_t unitMillis(const std::string& unit) {
  if (unit == "MILLISECOND") return 1;
  if (unit == "SECOND") return 1000;
  if (unit == "MINUTE") return 60000;
  if (unit == "HOUR") return 3600000;
  if (unit == "DAY") return 86400000;
  if (unit == "WEEK") return 7 * 86400000LL;
  return 0;
}

// Months per unit of TIMESTAMPADD / TIMESTAMPDIFF (MONTH, QUARTER, YEAR), else 0.
int64_t unitMonths(const std::string& unit) {
  return unit == "MONTH" ? 1 : unit == "QUARTER" ? 3 : unit == "YEAR" ? 12 : 0;
}

// Flink's ROUND / TRUNCATE of a DOUBLE: the value's shortest decimal text
// (BigDecimal.valueOf, Java's Double.toString) rounded half up, or cut, to `digits`
// places, then the nearest double (so 1.005 rounds to 1.01, as its text says).
double roundDecimalText(double x, int digits, bool round) {
  if (!std::isfinite(x)) return x;
  const std::string text = formatJava(x);  // -1.005, 1.0E-5, 1.23456789E8
  const bool negative = text[0] == '-';
  const size_t e = text.find('E');
  const std::string mantissa = text.substr(negative ? 1 : 0, (e == std::string::npos ? text.size() : e) - (negative ? 1 : 0));
  const size_t dot = mantissa.find('.');
  const std::string all = mantissa.substr(0, dot) + mantissa.substr(dot + 1);
  // The value is 0.<all> * 10^point; keep the digits down to 10^-digits.
  const long point = static_cast<long>(dot) + (e == std::string::npos ? 0 : std::stol(text.substr(e + 1)));
  const long keep = point + digits;
  if (keep >= static_cast<long>(all.size())) return x;
  std::string kept = keep > 0 ? all.substr(0, static_cast<size_t>(keep)) : "0";
  if (round && keep >= 0 && all[static_cast<size_t>(keep)] >= '5') {
    size_t i = kept.size();
    while (i > 0 && kept[i - 1] == '9') kept[--i] = '0';
    if (i == 0) {
      kept.insert(kept.begin(), '1');
    } else {
      ++kept[i - 1];
    }
  }
  // BigDecimal has no negative zero: a value rounded to 0 is 0.0.
  if (kept.find_first_not_of('0') == std::string::npos) return 0.0;
  return std::strtod(((negative ? "-" : "") + kept + "e" + std::to_string(-digits)).c_str(), nullptr);
}

void registerMoreFunctions();
Result<ExprP> floorTemporal(const std::string& n, Args args, Pos pos, bool floor);


// The patterns Flink's DATE_FORMAT takes (java.time's DateTimeFormatter letters): yyyy
// MM dd HH mm ss, and S... as that many digits of the second's fraction, which
// `nanos` (past the millisecond, for a finer timestamp) continues.
std::string formatPattern(int64_t millis, const std::string& pattern, int64_t nanos = 0) {
  const CivilTime t = civilFromMillis(millis);
  const int64_t ms = t.ms_of_day, y = t.year;
  const unsigned mo = t.month, d = t.day;
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    size_t n = 1;
    while (i + n < pattern.size() && pattern[i + n] == c) ++n;
    auto pad = [&](int64_t v, size_t width) {
      std::string s = std::to_string(v);
      if (s.size() < width) s.insert(0, width - s.size(), '0');
      return s;
    };
    if (c == '\'') {
      size_t end = pattern.find('\'', i + 1);
      if (end == std::string::npos) end = pattern.size();
      out += pattern.substr(i + 1, end - i - 1);
      i = end + 1;
      continue;
    }
    static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                    "July",    "August",   "September", "October", "November", "December"};
    static const char* kDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    const int64_t hour = ms / 3600000;
    switch (c) {
      case 'y': out += n == 2 ? pad(y % 100, 2) : pad(y, n); break;
      case 'M':
        if (n >= 3) {
          const std::string name = kMonths[mo - 1];
          out += n == 3 ? name.substr(0, 3) : name;
        } else {
          out += pad(mo, n);
        }
        break;
      case 'E': {  // Day of the week: 1970-01-01 was a Thursday.
        const std::string name = kDays[((t.days % 7) + 7 + 3) % 7];
        out += n >= 4 ? name : name.substr(0, 3);
        break;
      }
      case 'a': out += hour < 12 ? "AM" : "PM"; break;
      case 'h': out += pad(hour % 12 == 0 ? 12 : hour % 12, n); break;
      case 'K': out += pad(hour % 12, n); break;
      case 'k': out += pad(hour == 0 ? 24 : hour, n); break;
      case 'd': out += pad(d, n); break;
      case 'H': out += pad(ms / 3600000, n); break;
      case 'm': out += pad(ms / 60000 % 60, n); break;
      case 's': out += pad(ms / 1000 % 60, n); break;
      case 'S': out += pad(ms % 1000 * 1000000 + nanos, 9).substr(0, std::min<size_t>(n, 9)); break;
      default: out.append(n, c); break;
    }
    i += n;
  }
  return out;
}

// Parses `s` with a SimpleDateFormat-like pattern (yyyy MM dd HH mm ss SSS).
bool parsePattern(const std::string& s, const std::string& pattern, int64_t& millis) {
  int64_t y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0, ms = 0;
  size_t p = 0;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    size_t n = 1;
    while (i + n < pattern.size() && pattern[i + n] == c) ++n;
    if (std::string("yMdHmsS").find(c) != std::string::npos) {
      size_t width = c == 'y' && n == 4 ? 4 : n;
      int64_t v = 0;
      size_t k = 0;
      while (k < width && p + k < s.size() && std::isdigit(static_cast<unsigned char>(s[p + k]))) v = v * 10 + (s[p + k++] - '0');
      if (k == 0) return false;
      p += k;
      switch (c) {
        case 'y': y = v; break;
        case 'M': mo = v; break;
        case 'd': d = v; break;
        case 'H': h = v; break;
        case 'm': mi = v; break;
        case 's': se = v; break;
        case 'S': ms = k == 1 ? v * 100 : k == 2 ? v * 10 : v; break;
      }
    } else {
      for (size_t k = 0; k < n; ++k) {
        if (p >= s.size() || s[p] != c) return false;
        ++p;
      }
    }
    i += n;
  }
  if (p != s.size()) return false;
  millis = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400000 + ((h * 60 + mi) * 60 + se) * 1000 + ms;
  return true;
}

Result<ExprP> arithmetic(const std::string& name, Args args, Pos pos) {
  const LogicalType a = args[0]->type(), b = args[1]->type();
  BinaryOp op = name == "+" ? BinaryOp::kAdd : name == "-" ? BinaryOp::kSub : name == "*" ? BinaryOp::kMul
              : name == "/" ? BinaryOp::kDiv : BinaryOp::kMod;
  bool nullable = a.nullable || b.nullable;
  // Time arithmetic: timestamp/date +- interval, interval + timestamp.
  if ((op == BinaryOp::kAdd || op == BinaryOp::kSub) &&
      (a.isTimestamp() || a.id == TypeId::kDate || a.id == TypeId::kTime) && b.isInterval()) {
    if (b.id == TypeId::kIntervalYearMonth) {
      bool sub = op == BinaryOp::kSub;
      LogicalType t = a.plain().withNullable(nullable);
      return row(name, t, std::move(args), [sub, t](const std::vector<Value>& v) {
        return Value::ofInt(addMonths(v[0].i, sub ? -v[1].i : v[1].i, t));
      });
    }
    if (unitsPerMilli(a) > 1) {  // The interval's milliseconds in the timestamp's unit.
      const bool sub = op == BinaryOp::kSub;
      const int64_t units = unitsPerMilli(a);
      return row(name, a.plain().withNullable(nullable), std::move(args), [sub, units](const std::vector<Value>& v) {
        return Value::ofInt(v[0].i + (sub ? -v[1].i : v[1].i) * units);
      });
    }
    if (a.id == TypeId::kDate) {
      bool sub = op == BinaryOp::kSub;
      return row(name, a.plain().withNullable(nullable), std::move(args), [sub](const std::vector<Value>& v) {
        int64_t days = v[1].i / 86400000;
        return Value::ofInt(sub ? v[0].i - days : v[0].i + days);
      });
    }
    return ExprP(std::make_unique<BinaryCall>(op, a.plain().withNullable(nullable), std::move(args[0]), std::move(args[1])));
  }
  if (op == BinaryOp::kAdd && a.isInterval() && (b.isTimestamp() || b.id == TypeId::kDate)) {
    Args swapped;
    swapped.push_back(std::move(args[1]));
    swapped.push_back(std::move(args[0]));
    return arithmetic(name, std::move(swapped), pos);
  }
  if (a.isInterval() && b.isInterval() && a.id == b.id && (op == BinaryOp::kAdd || op == BinaryOp::kSub)) {
    return ExprP(std::make_unique<BinaryCall>(op, a.plain().withNullable(nullable), std::move(args[0]), std::move(args[1])));
  }
  if (a.isInterval() && b.isInteger() && (op == BinaryOp::kMul || op == BinaryOp::kDiv)) {
    LogicalType t = a.plain().withNullable(nullable);
    ExprP rhs = coerce(std::move(args[1]), LogicalType::bigint());
    return ExprP(std::make_unique<BinaryCall>(op, t, std::move(args[0]), std::move(rhs)));
  }
  if (a.id == TypeId::kNull || b.id == TypeId::kNull) {
    LogicalType t = a.id == TypeId::kNull ? b : a;
    if (t.id == TypeId::kNull) t = LogicalType::integer();
    return row(name, t.plain().withNullable(true), std::move(args), [](const std::vector<Value>&) { return Value(); });
  }
  if (!a.isNumeric() || !b.isNumeric()) {
    return sqlError(pos, "cannot apply '" + name + "' to arguments of type " + a.toString() + " and " + b.toString());
  }
  LogicalType common;
  commonType(a, b, &common);
  if (common.id == TypeId::kDecimal) {
    // Flink's LogicalTypeMerging: the result type of each operation; the operands keep
    // their own scales (an integer is a DECIMAL(n, 0)) and BinaryCall computes exactly.
    LogicalType da = asDecimal(a), db = asDecimal(b);
    const int p1 = da.precision, s1 = da.scale, p2 = db.precision, s2 = db.scale;
    LogicalType t;
    switch (op) {
      case BinaryOp::kAdd:
      case BinaryOp::kSub:
        t = flinkDecimal(std::max(p1 - s1, p2 - s2) + std::max(s1, s2) + 1, std::max(s1, s2));
        break;
      case BinaryOp::kMul: t = flinkDecimal(p1 + p2 + 1, s1 + s2); break;
      case BinaryOp::kDiv: {
        const int scale = std::max(6, s1 + p2 + 1);
        t = flinkDecimal(p1 - s1 + s2 + scale, scale);
        break;
      }
      default: t = flinkDecimal(std::min(p1 - s1, p2 - s2) + std::max(s1, s2), std::max(s1, s2)); break;
    }
    return ExprP(std::make_unique<BinaryCall>(op, t.withNullable(nullable), std::move(args[0]), std::move(args[1])));
  }
  common.nullable = nullable;
  return ExprP(std::make_unique<BinaryCall>(op, common, coerce(std::move(args[0]), common), coerce(std::move(args[1]), common)));
}

Result<ExprP> comparison(const std::string& name, Args args, Pos pos) {
  BinaryOp op = name == "=" ? BinaryOp::kEq : name == "<>" ? BinaryOp::kNe : name == "<" ? BinaryOp::kLt
              : name == "<=" ? BinaryOp::kLe : name == ">" ? BinaryOp::kGt : BinaryOp::kGe;
  LogicalType a = args[0]->type(), b = args[1]->type();
  LogicalType common;
  // A string compared with a number or a time converts to it (Flink casts the string).
  if ((a.isCollection() || b.isCollection()) && op != BinaryOp::kEq && op != BinaryOp::kNe) {
    return sqlError(pos, "cannot order " + (a.isCollection() ? a : b).toString() + " values: only = and <> compare them");
  }
  if (a.isString() && !b.isString() && b.id != TypeId::kNull && !b.isCollection()) {
    common = b.plain();
  } else if (b.isString() && !a.isString() && a.id != TypeId::kNull && !a.isCollection()) {
    common = a.plain();
  } else if (a.id == TypeId::kBoolean && b.id == TypeId::kBoolean) {
    common = a.plain();
  } else if (!commonType(a, b, &common)) {
    return sqlError(pos, "cannot compare " + a.toString() + " with " + b.toString());
  }
  if (common.id == TypeId::kNull) common = LogicalType::integer();
  LogicalType t = LogicalType::boolean().withNullable(a.nullable || b.nullable);
  ExprP l = coerce(std::move(args[0]), common.withNullable(true));
  ExprP r = coerce(std::move(args[1]), common.withNullable(true));
  return ExprP(std::make_unique<BinaryCall>(op, t, std::move(l), std::move(r)));
}


// Registers a math function of one numeric argument returning DOUBLE.
void mathFn(const std::string& name, double (*f)(double)) {
  registry()[name] = [f](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needNumeric(n, args, 0, pos));
    LogicalType t = args[0]->type();
    return row(n, LogicalType::doubleType(), std::move(args), [f, t](const std::vector<Value>& v) {
      return Value::ofDouble(f(asDouble(v[0], t)));
    });
  };
}

void registerAll() {
  auto& r = registry();
  for (const char* op : {"+", "-", "*", "/", "MOD"}) {
    r[op] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
      return arithmetic(n, std::move(args), pos);
    };
  }
  for (const char* op : {"=", "<>", "<", "<=", ">", ">="}) {
    r[op] = [](const std::string& n, Args args, Pos pos) { return comparison(n, std::move(args), pos); };
  }
  r["NEGATE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    LogicalType t = args[0]->type();
    if (!t.isNumeric() && !t.isInterval()) return argError("-", pos, "cannot negate " + t.toString());
    (void)n;
    return row("-", t.plain(), std::move(args), [t](const std::vector<Value>& v) {
      if (t.storage() == Storage::kDouble) return Value::ofDouble(-v[0].d);
      if (t.id == TypeId::kDecimal) return decimalValue(-unscaledOf(v[0], t), t);
      return Value::ofInt(wrapToWidth(static_cast<int64_t>(0ULL - static_cast<uint64_t>(v[0].i)), t));
    });
  };
  // Text with text, or bytes with bytes (Calcite's STRING_SAME_SAME, as Flink checks it:
  // a number is CAST first).
  r["||"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    const LogicalType a = args[0]->type(), b = args[1]->type();
    const bool text = (a.isString() || a.id == TypeId::kNull) && (b.isString() || b.id == TypeId::kNull);
    const bool bytes = (a.isBinary() || a.id == TypeId::kNull) && (b.isBinary() || b.id == TypeId::kNull);
    if (!text && !bytes) {
      auto shown = [](const LogicalType& t) { return "<" + t.plain().withNullable(true).toString() + ">"; };
      return sqlError(pos, "Cannot apply '||' to arguments of type '" + shown(a) + " || " + shown(b) +
                               "'. Supported form(s): '<STRING> || <STRING>'");
    }
    const LogicalType t = a.isBinary() || b.isBinary() ? LogicalType::bytes() : LogicalType::string();
    return row(n, t, std::move(args), [](const std::vector<Value>& v) { return Value::ofString(v[0].s + v[1].s); });
  };
  r["CONCAT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.empty()) return argError(n, pos, "takes at least one argument");
    std::vector<LogicalType> ts;
    for (auto& a : args) ts.push_back(a->type());
    return row(n, LogicalType::string(), std::move(args), [ts](const std::vector<Value>& v) {
      std::string s;
      for (size_t i = 0; i < v.size(); ++i) s += formatValue(v[i], ts[i]);
      return Value::ofString(std::move(s));
    });
  };
  r["CONCAT_WS"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.size() < 2) return argError(n, pos, "takes a separator and at least one string");
    std::vector<LogicalType> ts;
    for (auto& a : args) ts.push_back(a->type());
    LogicalType t = LogicalType::string().withNullable(args[0]->type().nullable);
    // Flink: NULL separator gives NULL; NULL strings are skipped.
    return row(n, t, std::move(args), [ts](const std::vector<Value>& v) {
      if (v[0].null) return Value();
      std::string s;
      bool first = true;
      for (size_t i = 1; i < v.size(); ++i) {
        if (v[i].null) continue;
        if (!first) s += v[0].s;
        s += formatValue(v[i], ts[i]);
        first = false;
      }
      return Value::ofString(std::move(s));
    }, false);
  };
  auto stringFn = [](const std::string& name, std::function<std::string(const std::string&)> f) {
    registry()[name] = [f](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
      EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
      return row(n, LogicalType::string(), std::move(args), [f](const std::vector<Value>& v) { return Value::ofString(f(v[0].s)); });
    };
  };
  stringFn("UPPER", [](const std::string& s) { return utf8Upper(s); });
  stringFn("LOWER", [](const std::string& s) { return utf8Lower(s); });
  stringFn("REVERSE", [](const std::string& s) { return utf8Reverse(s); });
  // Calcite's initcap, as Flink's: words of ASCII letters and digits (any other
  // character, é too, ends one).
  stringFn("INITCAP", [](const std::string& s) {
    std::string r = s;
    bool start = true;
    for (char& c : r) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        c = static_cast<char>(start ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
        start = false;
      } else {
        start = true;
      }
    }
    return r;
  });
  for (const char* name : {"TRIM", "LTRIM", "RTRIM"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
      EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
      bool left = n != "RTRIM", right = n != "LTRIM";
      return row(n, LogicalType::string(), std::move(args), [left, right](const std::vector<Value>& v) {
        std::string chars = v.size() > 1 ? v[1].s : " ";
        std::string s = v[0].s;
        size_t b = 0, e = s.size();
        if (left) while (b < e && chars.find(s[b]) != std::string::npos) ++b;
        if (right) while (e > b && chars.find(s[e - 1]) != std::string::npos) --e;
        return Value::ofString(s.substr(b, e - b));
      });
    };
  }
  for (const char* name : {"CHAR_LENGTH", "CHARACTER_LENGTH"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
      EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
      return row(n, LogicalType::integer(), std::move(args), [](const std::vector<Value>& v) {
        return Value::ofInt(static_cast<int64_t>(utf8Length(v[0].s)));
      });
    };
  }
  for (const char* name : {"SUBSTRING", "SUBSTR"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
      EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
      return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
        int64_t len = static_cast<int64_t>(utf8Length(v[0].s));
        int64_t start = v[1].i;
        if (start < 0) start = len + start + 1;
        if (start == 0) start = 1;
        int64_t count = v.size() > 2 ? v[2].i : len;
        if (count < 0) throw EvalError("SUBSTRING: negative length");
        int64_t b = std::max<int64_t>(start - 1, 0);
        int64_t e = std::min(len, start - 1 + count);
        return Value::ofString(b >= e ? std::string()
                                      : std::string(utf8Substr(v[0].s, static_cast<size_t>(b), static_cast<size_t>(e - b))));
      });
    };
  }
  r["REPLACE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      std::string s = v[0].s;
      if (v[1].s.empty()) return Value::ofString(s);
      std::string out;
      size_t p = 0, f;
      while ((f = s.find(v[1].s, p)) != std::string::npos) {
        out += s.substr(p, f - p) + v[2].s;
        p = f + v[1].s.size();
      }
      return Value::ofString(out + s.substr(p));
    });
  };
  r["POSITION"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    return row(n, LogicalType::integer(), std::move(args), [](const std::vector<Value>& v) {
      size_t f = v[1].s.find(v[0].s);
      return Value::ofInt(f == std::string::npos ? 0 : static_cast<int64_t>(utf8Index(v[1].s, f)) + 1);
    });
  };
  r["LOCATE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
    return row(n, LogicalType::integer(), std::move(args), [](const std::vector<Value>& v) {
      size_t from = v.size() > 2 ? utf8Offset(v[1].s, static_cast<size_t>(std::max<int64_t>(v[2].i - 1, 0))) : 0;
      size_t f = v[1].s.find(v[0].s, from);
      return Value::ofInt(f == std::string::npos ? 0 : static_cast<int64_t>(utf8Index(v[1].s, f)) + 1);
    });
  };
  for (const char* name : {"LPAD", "RPAD"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
      bool left = n == "LPAD";
      return row(n, LogicalType::string(), std::move(args), [left](const std::vector<Value>& v) {
        int64_t len = v[1].i;
        if (len < 0) return Value();
        const std::string& s = v[0].s;
        const int64_t chars = static_cast<int64_t>(utf8Length(s));
        if (chars >= len) return Value::ofString(std::string(utf8Substr(s, 0, static_cast<size_t>(len))));
        if (v[2].s.empty()) return Value::ofString(s);
        // The pad string repeated, cut to the characters missing.
        const size_t missing = static_cast<size_t>(len - chars), pad_chars = utf8Length(v[2].s);
        std::string pad;
        for (size_t have = 0; have < missing; have += pad_chars) pad += v[2].s;
        pad = std::string(utf8Substr(pad, 0, missing));
        return Value::ofString(left ? pad + s : s + pad);
      });
    };
  }
  r["REPEAT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      std::string s;
      for (int64_t i = 0; i < v[1].i; ++i) s += v[0].s;
      return Value::ofString(s);
    });
  };
  r["SPLIT_INDEX"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      if (v[1].s.empty() || v[2].i < 0) return Value();
      std::vector<std::string> parts;
      size_t p = 0, f;
      while ((f = v[0].s.find(v[1].s, p)) != std::string::npos) {
        parts.push_back(v[0].s.substr(p, f - p));
        p = f + v[1].s.size();
      }
      parts.push_back(v[0].s.substr(p));
      if (v[2].i >= static_cast<int64_t>(parts.size())) return Value();
      return Value::ofString(parts[static_cast<size_t>(v[2].i)]);
    });
  };
  r["REGEXP_REPLACE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      auto r = regexReplace(v[0].s, v[1].s, v[2].s);
      return r ? Value::ofString(std::move(*r)) : Value();
    });
  };
  r["REGEXP_EXTRACT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      if (v.size() > 2 && v[2].i < 0) return Value();
      size_t group = v.size() > 2 ? static_cast<size_t>(v[2].i) : 0;  // Flink: whole match by default
      auto r = regexExtract(v[0].s, v[1].s, group);
      return r ? Value::ofString(std::move(*r)) : Value();
    });
  };
  r["REGEXP"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    return row(n, LogicalType::boolean(), std::move(args), [](const std::vector<Value>& v) {
      auto r = regexFind(v[0].s, v[1].s);
      return r ? Value::ofBool(*r) : Value();
    });
  };
  r["LIKE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    char escape = 0;
    if (args.size() > 2) {
      auto* e = dynamic_cast<Literal*>(args[2].get());
      if (e && !e->value().s.empty()) escape = e->value().s[0];
    }
    return row(n, LogicalType::boolean(), std::move(args), [escape](const std::vector<Value>& v) {
      return Value::ofBool(likeMatch(v[0].s, v[1].s, escape));
    });
  };
  r["ABS"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needNumeric(n, args, 0, pos));
    LogicalType t = args[0]->type().plain();
    return row(n, t, std::move(args), [t](const std::vector<Value>& v) {
      if (t.storage() == Storage::kDouble) return Value::ofDouble(std::fabs(v[0].d));
      if (t.id == TypeId::kDecimal) {
        const Int128 x = unscaledOf(v[0], t);
        return decimalValue(x < 0 ? -x : x, t);
      }
      return Value::ofInt(v[0].i < 0 ? -v[0].i : v[0].i);
    });
  };
  for (const char* name : {"FLOOR", "CEIL", "CEILING"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
      bool floor = n == "FLOOR";
      if (args.size() == 2) return floorTemporal(n, std::move(args), pos, floor);
      EDDY_RETURN_IF_ERROR(needNumeric(n, args, 0, pos));
      LogicalType t = args[0]->type().plain();
      LogicalType rt = t.id == TypeId::kDecimal ? LogicalType::decimal(std::max(1, t.precision - t.scale + (t.scale > 0 ? 1 : 0)), 0) : t;
      return row(n, rt, std::move(args), [t, rt, floor](const std::vector<Value>& v) {
        if (t.storage() == Storage::kDouble) return Value::ofDouble(floor ? std::floor(v[0].d) : std::ceil(v[0].d));
        if (t.id != TypeId::kDecimal) return Value::ofInt(v[0].i);
        const Int128 x = unscaledOf(v[0], t), p = powerOfTen128(t.scale);
        Int128 q = x / p;
        const Int128 rem = x % p;
        if (floor && rem < 0) --q;
        if (!floor && rem > 0) ++q;
        return decimalValue(q, rt);
      });
    };
  }
  for (const char* name : {"ROUND", "TRUNCATE"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
      EDDY_RETURN_IF_ERROR(needNumeric(n, args, 0, pos));
      int digits = 0;
      if (args.size() > 1) {
        auto* lit = dynamic_cast<Literal*>(args[1].get());
        if (!lit) return argError(n, pos, "the number of digits must be a literal");
        digits = static_cast<int>(lit->value().i);
        args.pop_back();
      }
      bool round = n == "ROUND";
      LogicalType t = args[0]->type().plain();
      LogicalType rt = t;
      if (t.id == TypeId::kDecimal && digits < t.scale) {  // Flink's findRoundDecimalType.
        rt = digits < 0 ? LogicalType::decimal(std::min(38, 1 + t.precision - t.scale), 0)
                        : LogicalType::decimal(1 + t.precision - t.scale + digits, digits);
      }
      return row(n, rt, std::move(args), [t, rt, digits, round](const std::vector<Value>& v) {
        if (t.storage() == Storage::kDouble) {
          const double x = roundDecimalText(v[0].d, digits, round);  // A FLOAT's value widened, as Java's.
          return Value::ofDouble(t.id == TypeId::kFloat ? static_cast<float>(x) : x);
        }
        if (t.id != TypeId::kDecimal) {
          if (digits >= 0) return v[0];
          if (-digits > 18) return Value::ofInt(0);
          const int64_t p = powerOfTen(-digits);
          int64_t q = v[0].i / p;
          const int64_t rem = v[0].i % p;
          if (round && 2 * (rem < 0 ? -rem : rem) >= p) q += v[0].i < 0 ? -1 : 1;
          return Value::ofInt(q * p);
        }
        const Int128 x = unscaledOf(v[0], t);
        if (digits >= t.scale) return v[0];  // Of type t.
        if (t.scale - digits > kMaxDecimalPrecision) return decimalValue(0, rt);
        const Int128 p = powerOfTen128(t.scale - digits);
        Int128 q = x / p;
        const Int128 rem = x % p;
        if (round && 2 * (rem < 0 ? -rem : rem) >= p) q += x < 0 ? -1 : 1;
        if (digits < 0) q *= powerOfTen128(-digits);  // The result's scale is 0.
        return decimalValue(q, rt);  // The result's scale is max(digits, 0).
      });
    };
  }
  r["POWER"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    LogicalType a = args[0]->type(), b = args[1]->type();
    return row(n, LogicalType::doubleType(), std::move(args), [a, b](const std::vector<Value>& v) {
      return Value::ofDouble(std::pow(asDouble(v[0], a), asDouble(v[1], b)));
    });
  };
  r["POW"] = r["POWER"];
  mathFn("SQRT", [](double x) { return std::sqrt(x); });
  mathFn("EXP", [](double x) { return std::exp(x); });
  mathFn("LN", [](double x) { return std::log(x); });
  mathFn("LOG10", [](double x) { return std::log10(x); });
  mathFn("LOG2", [](double x) { return std::log2(x); });
  mathFn("SIN", [](double x) { return std::sin(x); });
  mathFn("COS", [](double x) { return std::cos(x); });
  mathFn("TAN", [](double x) { return std::tan(x); });
  mathFn("ASIN", [](double x) { return std::asin(x); });
  mathFn("ACOS", [](double x) { return std::acos(x); });
  mathFn("ATAN", [](double x) { return std::atan(x); });
  mathFn("DEGREES", [](double x) { return x * 180.0 / M_PI; });
  mathFn("RADIANS", [](double x) { return x * M_PI / 180.0; });
  r["SIGN"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    LogicalType t = args[0]->type().plain();
    return row(n, t, std::move(args), [t](const std::vector<Value>& v) {
      if (t.storage() == Storage::kDouble) return Value::ofDouble(v[0].d > 0 ? 1.0 : v[0].d < 0 ? -1.0 : 0.0);
      if (t.id == TypeId::kDecimal) {
        const Int128 x = unscaledOf(v[0], t);
        return decimalValue(x > 0 ? powerOfTen128(t.scale) : x < 0 ? -powerOfTen128(t.scale) : 0, t);
      }
      return Value::ofInt(v[0].i > 0 ? 1 : v[0].i < 0 ? -1 : 0);
    });
  };
  r["PI"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 0, 0, pos));
    return row(n, LogicalType::doubleType().notNull(), std::move(args), [](const std::vector<Value>&) { return Value::ofDouble(M_PI); });
  };
  // UUID(): a random (version 4) UUID per row, as Flink's.
  r["UUID"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 0, 0, pos));
    return row(n, LogicalType::string().notNull(), std::move(args), [](const std::vector<Value>&) {
      thread_local std::mt19937_64 rng{std::random_device{}()};
      const uint64_t hi = (rng() & ~0xF000ULL) | 0x4000ULL;                    // version 4
      const uint64_t lo = (rng() & ~(0x3ULL << 62)) | (0x2ULL << 62);          // variant 10
      char buf[40];
      std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                    static_cast<unsigned long long>((hi >> 16) & 0xFFFF), static_cast<unsigned long long>(hi & 0xFFFF),
                    static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
      return Value::ofString(buf);
    });
  };
  r["LOG"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
    std::vector<LogicalType> ts;
    for (auto& a : args) ts.push_back(a->type());
    return row(n, LogicalType::doubleType(), std::move(args), [ts](const std::vector<Value>& v) {
      if (v.size() == 1) return Value::ofDouble(std::log(asDouble(v[0], ts[0])));
      return Value::ofDouble(std::log(asDouble(v[1], ts[1])) / std::log(asDouble(v[0], ts[0])));
    });
  };
  // Conditionals (not strict: they look at NULLs themselves).
  r["COALESCE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.empty()) return argError(n, pos, "takes at least one argument");
    LogicalType t = args[0]->type();
    for (size_t i = 1; i < args.size(); ++i) {
      if (!commonType(t, args[i]->type(), &t)) return argError(n, pos, "arguments have no common type");
    }
    bool nullable = true;
    for (auto& a : args) nullable = nullable && a->type().nullable;
    for (auto& a : args) a = coerce(std::move(a), t);
    t.nullable = nullable;
    return row(n, t, std::move(args), [](const std::vector<Value>& v) {
      for (const Value& x : v) {
        if (!x.null) return x;
      }
      return Value();
    }, false);
  };
  r["IFNULL"] = r["COALESCE"];
  r["NULLIF"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    LogicalType t;
    if (!commonType(args[0]->type(), args[1]->type(), &t)) return argError(n, pos, "arguments have no common type");
    LogicalType rt = args[0]->type().plain().withNullable(true);
    for (auto& a : args) a = coerce(std::move(a), t);
    return row(n, rt, std::move(args), [](const std::vector<Value>& v) {
      if (v[0].null) return Value();
      if (!v[1].null && v[0].i == v[1].i && v[0].d == v[1].d && v[0].s == v[1].s) return Value();
      return v[0];
    }, false);
  };
  r["IF"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
    LogicalType t;
    if (!commonType(args[1]->type(), args[2]->type(), &t)) return argError(n, pos, "branches have no common type");
    args[1] = coerce(std::move(args[1]), t);
    args[2] = coerce(std::move(args[2]), t);
    t.nullable = args[1]->type().nullable || args[2]->type().nullable;
    return row(n, t, std::move(args), [](const std::vector<Value>& v) {
      return (!v[0].null && v[0].i != 0) ? v[1] : v[2];
    }, false);
  };
  for (const char* name : {"GREATEST", "LEAST"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      if (args.empty()) return argError(n, pos, "takes at least one argument");
      LogicalType t = args[0]->type();
      for (size_t i = 1; i < args.size(); ++i) {
        if (!commonType(t, args[i]->type(), &t)) return argError(n, pos, "arguments have no common type");
      }
      for (auto& a : args) a = coerce(std::move(a), t);
      bool greatest = n == "GREATEST";
      return row(n, t, std::move(args), [t, greatest](const std::vector<Value>& v) {
        Value best = v[0];
        for (size_t i = 1; i < v.size(); ++i) {
          bool more = t.storage() == Storage::kDouble ? v[i].d > best.d
                      : t.storage() == Storage::kString ? v[i].s > best.s
                                                        : v[i].i > best.i;
          if (more == greatest && !(v[i].i == best.i && v[i].d == best.d && v[i].s == best.s)) best = v[i];
        }
        return best;
      });
    };
  }
  // Time.
  r["DATE_FORMAT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    LogicalType t = args[0]->type();
    return row(n, LogicalType::string(), std::move(args), [t](const std::vector<Value>& v) {
      int64_t ms, nanos = 0;
      if (t.isString()) {
        if (!parseTimestamp(v[0].s, ms)) return Value();
      } else if (t.id == TypeId::kDate) {
        ms = v[0].i * 86400000;
      } else {
        ms = wallClockMillis(v[0].i, t);
        nanos = timestampNanosOfMilli(v[0].i, t.precision);
      }
      return Value::ofString(formatPattern(ms, v[1].s, nanos));
    });
  };
  r["TO_TIMESTAMP"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    return row(n, LogicalType::timestamp(3), std::move(args), [](const std::vector<Value>& v) {
      int64_t ms;
      bool ok = v.size() > 1 ? parsePattern(v[0].s, v[1].s, ms) : parseTimestamp(v[0].s, ms);
      return ok ? Value::ofInt(ms) : Value();
    });
  };
  r["TO_DATE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
    return row(n, LogicalType::of(TypeId::kDate), std::move(args), [](const std::vector<Value>& v) {
      int64_t ms;
      bool ok = v.size() > 1 ? parsePattern(v[0].s, v[1].s, ms) : parseTimestamp(v[0].s, ms);
      return ok ? Value::ofInt(floorDays(ms)) : Value();
    });
  };
  r["TO_TIMESTAMP_LTZ"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 3, pos));
    if (args[0]->type().isString()) {
      // Flink 2: TO_TIMESTAMP_LTZ(text [, format [, zone]]), the text read as wall-clock
      // time in `zone` (UTC by default); NULL when it does not parse.
      for (size_t i = 1; i < args.size(); ++i) EDDY_RETURN_IF_ERROR(needString(n, args, i, pos));
      return row(n, LogicalType::of(TypeId::kTimestampLtz, 3), std::move(args), [](const std::vector<Value>& v) {
        int64_t ms;
        const bool ok = v.size() > 1 ? parsePattern(v[0].s, v[1].s, ms) : parseTimestamp(v[0].s, ms);
        if (!ok) return Value();
        if (v.size() > 2) {
          Result<TimeZone> zone = TimeZone::of(v[2].s);
          if (!zone.isOk()) throw EvalError("TO_TIMESTAMP_LTZ: " + zone.status().message());
          ms = zone->toUtc(ms);
        }
        return Value::ofInt(ms);
      });
    }
    if (args.size() == 1) {  // Milliseconds by default.
      args.push_back(std::make_unique<Literal>(Value::ofInt(3), LogicalType::integer().notNull(), "3"));
    }
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    auto* p = dynamic_cast<Literal*>(args[1].get());
    if (!p) return argError(n, pos, "the precision must be a literal 0 or 3");
    int64_t precision = p->value().i;
    if (precision != 0 && precision != 3) return argError(n, pos, "the precision must be 0 or 3");
    LogicalType t = args[0]->type();
    args.pop_back();
    return row(n, LogicalType::of(TypeId::kTimestampLtz, 3), std::move(args), [t, precision](const std::vector<Value>& v) {
      double x = asDouble(v[0], t);
      return Value::ofInt(static_cast<int64_t>(precision == 0 ? x * 1000 : x));
    });
  };
  r["UNIX_TIMESTAMP"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 0, 2, pos));
    if (args.empty()) {
      // UNIX_TIMESTAMP(): the current time in seconds.
      args.push_back(std::make_unique<NowCall>(NowCall::What::kCurrentTimestamp,
                                               LogicalType::of(TypeId::kTimestampLtz, 3).notNull(), "NOW"));
      return row(n, LogicalType::bigint().notNull(), std::move(args), [](const std::vector<Value>& v) {
        return Value::ofInt(v[0].i >= 0 ? v[0].i / 1000 : -((-v[0].i + 999) / 1000));
      });
    }
    return row(n, LogicalType::bigint(), std::move(args), [](const std::vector<Value>& v) {
      int64_t ms;
      bool ok = v.size() > 1 ? parsePattern(v[0].s, v[1].s, ms) : parseTimestamp(v[0].s, ms);
      if (ok) ms = sessionTimeZone().toUtc(ms);  // The text is the session's wall-clock time.
      return ok ? Value::ofInt(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)) : Value();
    });
  };
  // CONVERT_TZ(text, from_zone, to_zone): 'yyyy-MM-dd HH:mm:ss' wall-clock time in one
  // zone as the same instant's in another; NULL for text that is not a timestamp.
  r["CONVERT_TZ"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
    for (size_t i = 0; i < 3; ++i) EDDY_RETURN_IF_ERROR(needString(n, args, i, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      int64_t ms;
      if (!parseTimestamp(v[0].s, ms)) return Value();
      auto zone = [](const std::string& id) -> const TimeZone& {
        thread_local std::map<std::string, TimeZone> zones;  // Resolved once per task thread.
        auto it = zones.find(id);
        if (it != zones.end()) return it->second;
        Result<TimeZone> z = TimeZone::of(id);
        if (!z.isOk()) throw EvalError("CONVERT_TZ: " + z.status().message());
        if (zones.size() > 64) zones.clear();
        return zones.emplace(id, *z).first->second;
      };
      const int64_t utc = zone(v[1].s).toUtc(ms);
      return Value::ofString(formatPattern(zone(v[2].s).toLocal(utc), "yyyy-MM-dd HH:mm:ss"));
    });
  };
  // TYPEOF(x [, force_serializable]): the argument's type as Flink summarizes it, or
  // its serializable form.
  r["TYPEOF"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
    bool serializable = false;
    if (args.size() > 1) {
      auto* lit = dynamic_cast<const Literal*>(args[1].get());
      if (!lit || args[1]->type().id != TypeId::kBoolean) return argError(n, pos, "force_serializable must be a BOOLEAN literal");
      serializable = !lit->value().null && lit->value().i != 0;
    }
    const LogicalType& t = args[0]->type();
    const std::string text = serializable ? t.asSerializableString() : t.toString();
    return ExprP(std::make_unique<Literal>(Value::ofString(text), LogicalType::string().notNull(), "'" + text + "'"));
  };
  r["FROM_UNIXTIME"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      const int64_t ms = sessionTimeZone().toLocal(v[0].i * 1000);  // In the session's time zone.
      return Value::ofString(formatPattern(ms, v.size() > 1 ? v[1].s : "yyyy-MM-dd HH:mm:ss"));
    });
  };
  r["EXTRACT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    auto* u = dynamic_cast<Literal*>(args[0].get());
    std::string unit = u ? u->value().s : "";
    LogicalType t = args[1]->type();
    if (!t.isTimestamp() && t.id != TypeId::kDate && t.id != TypeId::kTime) {
      return argError(n, pos, "cannot extract from " + t.toString());
    }
    Args one;
    one.push_back(std::move(args[1]));
    if ((unit == "MICROSECOND" || unit == "NANOSECOND") && t.id != TypeId::kTimestamp) {
      return argError(n, pos, unit + " for " + t.plain().withNullable(true).toString() + " is unsupported");  // As Flink's.
    }
    return row(n, LogicalType::bigint(), std::move(one), [unit, t](const std::vector<Value>& v) {
      const CivilTime c = civilFromMillis(t.id == TypeId::kDate ? v[0].i * 86400000 : wallClockMillis(v[0].i, t));
      const int64_t days = c.days, tod = c.ms_of_day;
      // Within the second, as Flink's: its milliseconds and the timestamp's finer digits.
      const int64_t finer = t.isTimestamp() ? timestampNanosOfMilli(v[0].i, t.precision) : 0;
      if (unit == "MICROSECOND") return Value::ofInt(tod % 1000 * 1000 + finer / 1000);
      if (unit == "NANOSECOND") return Value::ofInt(tod % 1000 * 1000000 + finer);
      if (unit == "YEAR") return Value::ofInt(c.year);
      if (unit == "MONTH") return Value::ofInt(c.month);
      if (unit == "DAY") return Value::ofInt(c.day);
      if (unit == "HOUR") return Value::ofInt(tod / 3600000);
      if (unit == "MINUTE") return Value::ofInt(tod / 60000 % 60);
      if (unit == "SECOND") return Value::ofInt(tod / 1000 % 60);
      if (unit == "MILLISECOND") return Value::ofInt(tod % 1000);
      if (unit == "QUARTER") return Value::ofInt((c.month + 2) / 3);
      if (unit == "DOW") return Value::ofInt(((days % 7) + 7 + 4) % 7 + 1);  // 1 = Sunday, as Flink.
      if (unit == "DOY") return Value::ofInt(days - daysFromCivil(c.year, 1, 1) + 1);
      if (unit == "WEEK") {
        // ISO week of the year.
        int64_t wd = ((days % 7) + 7 + 3) % 7;  // Monday = 0
        int64_t thursday = days - wd + 3;
        int64_t ty;
        unsigned tm, td;
        civilFromDays(thursday, ty, tm, td);
        return Value::ofInt((thursday - daysFromCivil(ty, 1, 1)) / 7 + 1);
      }
      return Value();
    });
  };
  // TIMESTAMPADD(unit, n, t): t moved by n units (months for MONTH, QUARTER, YEAR).
  r["TIMESTAMPADD"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
    auto* u = dynamic_cast<Literal*>(args[0].get());
    const std::string unit = u ? u->value().s : "";
    const LogicalType t = args[2]->type();
    if (!t.isTimestamp() && t.id != TypeId::kDate) return argError(n, pos, "cannot add to " + t.toString());
    if (!args[1]->type().isInteger()) return argError(n, pos, "the amount must be an integer");
    const int64_t ms = unitMillis(unit), months = unitMonths(unit);
    if (ms == 0 && months == 0) return argError(n, pos, "unknown unit " + unit);
    const bool date = t.id == TypeId::kDate;
    // A DATE stays a DATE by whole days and months; a time unit makes it a TIMESTAMP.
    LogicalType result = date && ms % 86400000 != 0 ? LogicalType::timestamp(3) : t.plain();
    Args two;
    two.push_back(std::move(args[1]));
    two.push_back(std::move(args[2]));
    // Months are counted on the session's clock for a TIMESTAMP_LTZ (its local day of
    // the month), then the wall-clock time read back as an instant.
    const bool ltz = t.id == TypeId::kTimestampLtz;
    const int64_t units = unitsPerMilli(t);
    return row(n, result, std::move(two), [ms, months, date, ltz, t, units](const std::vector<Value>& v) {
      if (months != 0 && ltz) {
        return Value::ofInt(localToInstant(addMonths(instantToLocal(v[1].i, t.precision), v[0].i * months, t), t.precision));
      }
      if (months != 0) return Value::ofInt(addMonths(v[1].i, v[0].i * months, t));
      if (date && ms % 86400000 == 0) return Value::ofInt(v[1].i + v[0].i * (ms / 86400000));
      return Value::ofInt((date ? v[1].i * 86400000 : v[1].i) + v[0].i * ms * units);
    });
  };
  // (s1, e1) OVERLAPS (s2, e2): whether two periods share a point, each given by its
  // start and its end or an interval after the start, as closed ranges with the ends
  // in either order (as Flink evaluates it).
  r["OVERLAPS"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 4, 4, pos));
    Args points;
    for (size_t side = 0; side < 2; ++side) {
      ExprP start = std::move(args[2 * side]);
      ExprP end = std::move(args[2 * side + 1]);
      if (end->type().isInterval()) {
        Args sum;
        sum.push_back(start->clone());
        sum.push_back(std::move(end));
        EDDY_ASSIGN_OR_RETURN(end, arithmetic("+", std::move(sum), pos));
      }
      points.push_back(std::move(start));
      points.push_back(std::move(end));
    }
    const LogicalType first = points[0]->type();
    for (const ExprP& p : points) {
      const LogicalType t = p->type();
      if (!(t.isTimestamp() || t.id == TypeId::kDate || t.id == TypeId::kTime) || t.id != first.id) {
        return argError(n, pos, "compares periods of one time type (DATE, TIME or TIMESTAMP), each (start, end) "
                                "or (start, interval), not " + t.toString() + " with " + first.toString());
      }
    }
    LogicalType common = first.plain();  // Timestamps of different precisions compare in the finest.
    for (const ExprP& p : points) commonType(common, p->type(), &common);
    for (ExprP& p : points) p = coerce(std::move(p), common);
    return row(n, LogicalType::boolean(), std::move(points), [](const std::vector<Value>& v) {
      const int64_t s1 = std::min(v[0].i, v[1].i), e1 = std::max(v[0].i, v[1].i);
      const int64_t s2 = std::min(v[2].i, v[3].i), e2 = std::max(v[2].i, v[3].i);
      return Value::ofBool(s1 <= e2 && s2 <= e1);
    });
  };
  // TIMESTAMPDIFF(unit, t1, t2): whole units from t1 to t2, as INT (negative when t2 is
  // earlier); months count only once the day and time of day are reached. Units of a
  // fixed length count between instants.
  r["TIMESTAMPDIFF"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
    auto* u = dynamic_cast<Literal*>(args[0].get());
    const std::string unit = u ? u->value().s : "";
    args[1] = atMillis(std::move(args[1]));  // Flink's counts whole milliseconds.
    args[2] = atMillis(std::move(args[2]));
    const LogicalType a = args[1]->type(), b = args[2]->type();
    for (const LogicalType& t : {a, b}) {
      if (!t.isTimestamp() && t.id != TypeId::kDate) return argError(n, pos, "cannot take the difference of " + t.toString());
    }
    const int64_t ms = unitMillis(unit), months = unitMonths(unit);
    if (ms == 0 && months == 0) return argError(n, pos, "unknown unit " + unit);
    const bool a_date = a.id == TypeId::kDate, b_date = b.id == TypeId::kDate;
    Args two;
    two.push_back(std::move(args[1]));
    two.push_back(std::move(args[2]));
    return row(n, LogicalType::integer(), std::move(two), [=](const std::vector<Value>& v) {
      const int64_t t1 = a_date ? v[0].i * 86400000 : v[0].i, t2 = b_date ? v[1].i * 86400000 : v[1].i;
      if (months == 0) return Value::ofInt((t2 - t1) / ms);
      // Months between TIMESTAMP_LTZ values count on the session's clock.
      const CivilTime c1 = civilFromMillis(wallClock(t1, a)), c2 = civilFromMillis(wallClock(t2, b));
      int64_t m = (c2.year * 12 + c2.month) - (c1.year * 12 + c1.month);
      const int64_t r1 = c1.day * 86400000LL + c1.ms_of_day, r2 = c2.day * 86400000LL + c2.ms_of_day;
      if (m > 0 && r2 < r1) --m;
      if (m < 0 && r2 > r1) ++m;
      return Value::ofInt(m / months);
    });
  };
  auto part = [](const char* name, const char* unit) {
    registry()[name] = [unit](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
      Args two;
      two.push_back(std::make_unique<Literal>(Value::ofString(unit), LogicalType::string().notNull(), unit));
      two.push_back(std::move(args[0]));
      return registry()["EXTRACT"]("EXTRACT", std::move(two), pos);
    };
  };
  part("YEAR", "YEAR");
  part("MONTH", "MONTH");
  part("DAYOFMONTH", "DAY");
  part("HOUR", "HOUR");
  part("MINUTE", "MINUTE");
  part("SECOND", "SECOND");
  part("WEEK", "WEEK");
  part("QUARTER", "QUARTER");
  part("DAYOFWEEK", "DOW");
  part("DAYOFYEAR", "DOY");
  registerMoreFunctions();
  registerCollectionFunctions();
  registerJsonPathFunctions();
  registerExtraFunctions();
}

// FLOOR / CEIL(timepoint TO unit): the timepoint rounded down / up to a whole unit
// (weeks start on Monday, quarters in January, April, July, October).
Result<ExprP> floorTemporal(const std::string& n, Args args, Pos pos, bool floor) {
  auto* u = dynamic_cast<Literal*>(args[1].get());
  const std::string unit = u ? u->value().s : "";
  const LogicalType t = args[0]->type().plain();
  if (!t.isTimestamp() && t.id != TypeId::kDate) return argError(n, pos, "cannot round " + t.toString() + " to a unit");
  static const std::vector<std::string> kUnits = {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE",
                                                  "SECOND", "MILLISECOND"};
  if (std::find(kUnits.begin(), kUnits.end(), unit) == kUnits.end()) return argError(n, pos, "unknown unit " + unit);
  args.pop_back();
  const bool date = t.id == TypeId::kDate;
  // A TIMESTAMP_LTZ rounds on the session's clock (its midnight, its hours).
  const bool instant = t.id == TypeId::kTimestampLtz;
  // A finer timestamp rounds its milliseconds (Flink's reads TimestampData#getMillisecond).
  return row(n, t, std::move(args), [unit, date, floor, instant, t](const std::vector<Value>& v) {
    const int64_t ms = date ? v[0].i * 86400000 : wallClockMillis(v[0].i, t);
    const CivilTime c = civilFromMillis(ms);
    int64_t down;
    int64_t step_months = 0, step_ms = 0;
    if (unit == "YEAR" || unit == "QUARTER" || unit == "MONTH") {
      step_months = unit == "YEAR" ? 12 : unit == "QUARTER" ? 3 : 1;
      const unsigned month = unit == "MONTH" ? c.month : unit == "QUARTER" ? (c.month - 1) / 3 * 3 + 1 : 1;
      down = daysFromCivil(c.year, month, 1) * 86400000;
    } else {
      step_ms = unit == "WEEK" ? 7 * 86400000LL : unitMillis(unit);
      // Weeks from a Monday (1970-01-05 was one).
      const int64_t origin = unit == "WEEK" ? 4 * 86400000LL : 0;
      down = ms - (((ms - origin) % step_ms) + step_ms) % step_ms;
    }
    int64_t out = down;
    if (!floor && down != ms) {
      if (step_months > 0) {
        const CivilTime d = civilFromMillis(down);
        int64_t m = d.year * 12 + (d.month - 1) + step_months;
        out = daysFromCivil(m / 12, static_cast<unsigned>(m % 12 + 1), 1) * 86400000;
      } else {
        out = down + step_ms;
      }
    }
    if (date) return Value::ofInt(out / 86400000);
    const int64_t local = timestampFromMillis(out, t.precision);
    return Value::ofInt(instant ? localToInstant(local, t.precision) : local);
  });
}

// A value as JSON text: numbers (a DECIMAL with every digit) and booleans as
// themselves, arrays and maps as JSON, other values as strings, NULL as null.
std::string jsonText(const Value& v, const LogicalType& t) {
  if (v.null) return "null";
  if (t.id == TypeId::kBoolean) return v.i != 0 ? "true" : "false";
  if (t.isInteger() || t.id == TypeId::kDecimal) return formatValue(v, t);
  if (t.storage() == Storage::kDouble) return nlohmann::ordered_json(v.d).dump();
  if (t.id == TypeId::kArray || t.id == TypeId::kMap) {
    std::string json;
    appendJson(json, v, t);
    return json;
  }
  return nlohmann::ordered_json(formatValue(v, t)).dump();
}

// Whether an argument is itself JSON text made by JSON_OBJECT / JSON_ARRAY (nested as
// JSON, not as a string, as Flink does).
bool isJsonConstructor(const Expression& e) {
  const std::string s = e.toString();
  return s.rfind("JSON_OBJECT(", 0) == 0 || s.rfind("JSON_ARRAY(", 0) == 0;
}

// Flink's PARSE_URL: a part of a URL as java.net.URL splits it, NULL if there is none.
Value urlPart(const std::string& url, const std::string& part, const std::string* key) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos || scheme == 0) return Value();
  const size_t start = scheme + 3;
  size_t auth_end = url.find_first_of("/?#", start);
  if (auth_end == std::string::npos) auth_end = url.size();
  const std::string authority = url.substr(start, auth_end - start);
  size_t hash = url.find('#', auth_end);
  const std::string before_ref = url.substr(auth_end, (hash == std::string::npos ? url.size() : hash) - auth_end);
  const size_t q = before_ref.find('?');
  const std::string path = before_ref.substr(0, q);
  if (part == "PROTOCOL") return Value::ofString(url.substr(0, scheme));
  if (part == "AUTHORITY") return Value::ofString(authority);
  if (part == "HOST") {
    std::string host = authority.substr(authority.find('@') == std::string::npos ? 0 : authority.find('@') + 1);
    return Value::ofString(host.substr(0, host.find(':')));
  }
  if (part == "USERINFO") {
    const size_t at = authority.find('@');
    return at == std::string::npos ? Value() : Value::ofString(authority.substr(0, at));
  }
  if (part == "PATH") return Value::ofString(path);
  if (part == "FILE") return Value::ofString(before_ref);
  if (part == "REF") return hash == std::string::npos ? Value() : Value::ofString(url.substr(hash + 1));
  if (part != "QUERY" || q == std::string::npos) return Value();
  const std::string query = before_ref.substr(q + 1);
  if (!key) return Value::ofString(query);
  for (size_t at = 0; at <= query.size();) {
    size_t amp = query.find('&', at);
    if (amp == std::string::npos) amp = query.size();
    const std::string pair = query.substr(at, amp - at);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == *key) return eq == std::string::npos ? Value() : Value::ofString(pair.substr(eq + 1));
    at = amp + 1;
  }
  return Value();
}

// Flink's further string, hashing, numeric and predicate functions.
void registerMoreFunctions() {
  auto& r = registry();
  r["PARSE_URL"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
    for (size_t i = 0; i < args.size(); ++i) EDDY_RETURN_IF_ERROR(needString(n, args, i, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      return urlPart(v[0].s, v[1].s, v.size() > 2 ? &v[2].s : nullptr);
    });
  };
  r["ELT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.size() < 2 || !args[0]->type().isInteger()) return argError(n, pos, "takes an index and expressions");
    LogicalType t = args[1]->type();
    for (size_t i = 2; i < args.size(); ++i) {
      if (!commonType(t, args[i]->type(), &t)) return argError(n, pos, "expressions have no common type");
    }
    for (size_t i = 1; i < args.size(); ++i) args[i] = coerce(std::move(args[i]), t);
    return row(n, t.withNullable(true), std::move(args), [](const std::vector<Value>& v) {
      if (v[0].null || v[0].i < 1 || v[0].i >= static_cast<int64_t>(v.size())) return Value();
      return v[static_cast<size_t>(v[0].i)];
    }, false);
  };
  r["URL_ENCODE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    // java.net.URLEncoder (UTF-8): letters, digits and .-*_ stay, space is '+'.
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      static const char* kHex = "0123456789ABCDEF";
      std::string out;
      for (char ch : v[0].s) {
        auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '.' || c == '-' || c == '*' || c == '_') {
          out += ch;
        } else if (c == ' ') {
          out += '+';
        } else {
          out += '%';
          out += kHex[c >> 4];
          out += kHex[c & 15];
        }
      }
      return Value::ofString(std::move(out));
    });
  };
  r["URL_DECODE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      std::string out;
      const std::string& s = v[0].s;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
          out += ' ';
        } else if (s[i] == '%') {
          if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
              !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            return Value();  // Malformed: NULL, as Flink.
          }
          out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          out += s[i];
        }
      }
      return Value::ofString(std::move(out));
    });
  };
  r["OVERLAY"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 4, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 1, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      const std::string& s = v[0].s;
      const int64_t chars = static_cast<int64_t>(utf8Length(s));
      const int64_t from = std::max<int64_t>(v[2].i, 1) - 1;
      const int64_t len = v.size() > 3 ? v[3].i : static_cast<int64_t>(utf8Length(v[1].s));
      const size_t head = static_cast<size_t>(std::min<int64_t>(from, chars));
      const size_t tail = static_cast<size_t>(std::clamp<int64_t>(from + len, 0, chars));
      return Value::ofString(std::string(utf8Substr(s, 0, head)) + v[1].s + std::string(utf8Substr(s, std::max(tail, head))));
    });
  };
  r["JSON_STRING"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    const LogicalType t = args[0]->type();
    return row(n, LogicalType::string(), std::move(args), [t](const std::vector<Value>& v) {
      return Value::ofString(jsonText(v[0], t));
    });
  };
  // JSON_OBJECT('NULL' | 'ABSENT', k1, v1, ...) and JSON_ARRAY('NULL' | 'ABSENT', v...),
  // the first argument what to do with a NULL value (the parser puts it there).
  for (const char* name : {"JSON_OBJECT", "JSON_ARRAY"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      const bool object = n == "JSON_OBJECT";
      auto* on_null = args.empty() ? nullptr : dynamic_cast<Literal*>(args[0].get());
      if (!on_null || (object && args.size() % 2 == 0)) return argError(n, pos, "takes KEY ... VALUE ... pairs");
      const bool absent = on_null->value().s == "ABSENT";
      std::vector<LogicalType> types;
      std::vector<bool> raw;
      for (size_t i = 1; i < args.size(); ++i) {
        if (object && i % 2 == 1 && !args[i]->type().isString()) return argError(n, pos, "keys must be strings");
        types.push_back(args[i]->type());
        raw.push_back(isJsonConstructor(*args[i]));
      }
      args.erase(args.begin());
      // Written as text so that a DECIMAL keeps its digits; a key given
      // again takes the earlier one's place, as Jackson's ObjectNode.set.
      return row(n, LogicalType::string().notNull(), std::move(args), [object, absent, types, raw](const std::vector<Value>& v) {
        std::vector<std::pair<std::string, std::string>> members;
        for (size_t i = 0; i < v.size(); i += object ? 2 : 1) {
          const size_t at = object ? i + 1 : i;
          if (v[at].null && absent) continue;
          if (object && v[i].null) continue;  // A NULL key has no place: dropped.
          std::string value = raw[at] && !v[at].null ? v[at].s : jsonText(v[at], types[at]);
          const std::string key = object ? nlohmann::ordered_json(v[i].s).dump() : std::string();
          auto same = std::find_if(members.begin(), members.end(), [&](const auto& m) { return object && m.first == key; });
          if (same != members.end()) {
            same->second = std::move(value);
          } else {
            members.emplace_back(key, std::move(value));
          }
        }
        std::string out(1, object ? '{' : '[');
        for (size_t i = 0; i < members.size(); ++i) {
          if (i > 0) out += ',';
          if (object) out += members[i].first + ':';
          out += members[i].second;
        }
        out += object ? '}' : ']';
        return Value::ofString(std::move(out));
      }, false);
    };
  }
  r["IS_JSON"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    auto* kind = dynamic_cast<Literal*>(args[1].get());
    const std::string k = kind ? kind->value().s : "VALUE";
    args.pop_back();
    // Not strict: NULL is not JSON (false), as Flink's IS JSON.
    return row(n, LogicalType::boolean().notNull(), std::move(args), [k](const std::vector<Value>& v) {
      if (v[0].null) return Value::ofBool(false);
      nlohmann::json doc = nlohmann::json::parse(v[0].s, nullptr, false);
      if (doc.is_discarded()) return Value::ofBool(false);
      if (k == "OBJECT") return Value::ofBool(doc.is_object());
      if (k == "ARRAY") return Value::ofBool(doc.is_array());
      if (k == "SCALAR") return Value::ofBool(!doc.is_object() && !doc.is_array());
      return Value::ofBool(true);
    }, false);
  };
  for (const char* name : {"LEFT", "RIGHT"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
      EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
      const bool left = n == "LEFT";
      return row(n, LogicalType::string(), std::move(args), [left](const std::vector<Value>& v) {
        const int64_t chars = static_cast<int64_t>(utf8Length(v[0].s));
        const int64_t k = std::clamp<int64_t>(v[1].i, 0, chars);
        return Value::ofString(std::string(left ? utf8Substr(v[0].s, 0, static_cast<size_t>(k))
                                                : utf8Substr(v[0].s, static_cast<size_t>(chars - k))));
      });
    };
  }
  r["ASCII"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    return row(n, LogicalType::integer(), std::move(args), [](const std::vector<Value>& v) {
      return Value::ofInt(v[0].s.empty() ? 0 : static_cast<unsigned char>(v[0].s[0]));
    });
  };
  r["CHR"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    if (!args[0]->type().isInteger()) return argError(n, pos, "needs an integer");
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      if (v[0].i < 0) return Value();
      const int64_t code = v[0].i > 255 ? v[0].i % 255 : v[0].i;  // Flink takes larger ones modulo 255.
      return Value::ofString(std::string(1, static_cast<char>(code)));
    });
  };
  r["INSTR"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 1, pos));
    return row(n, LogicalType::integer(), std::move(args), [](const std::vector<Value>& v) {
      const size_t at = v[0].s.find(v[1].s);
      return Value::ofInt(at == std::string::npos ? 0 : static_cast<int64_t>(utf8Index(v[0].s, at)) + 1);
    });
  };
  // Of a string's UTF-8 bytes or of bytes.
  auto digest = [](const char* name, std::string (*f)(std::string_view)) {
    registry()[name] = [f](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
      if (!args[0]->type().isBinary()) EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
      return row(n, LogicalType::string(), std::move(args), [f](const std::vector<Value>& v) {
        return Value::ofString(f(v[0].s));
      });
    };
  };
  digest("MD5", &md5Hex);
  digest("SHA1", &sha1Hex);
  digest("SHA256", &sha256Hex);
  digest("TO_BASE64", &toBase64);
  digest("SHA224", [](std::string_view s) { return sha2Hex(s, 224); });
  digest("SHA384", [](std::string_view s) { return sha2Hex(s, 384); });
  digest("SHA512", [](std::string_view s) { return sha2Hex(s, 512); });
  // SHA2(s, bits): SHA-224, 256, 384 or 512 (0 is 256), as Flink's.
  r["SHA2"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    auto* bits = dynamic_cast<Literal*>(args[1].get());
    const int64_t b = bits ? bits->value().i : -1;
    if (b != 0 && b != 224 && b != 256 && b != 384 && b != 512) {
      return argError(n, pos, "the hash length must be a literal 224, 256 (or 0), 384 or 512");
    }
    args.pop_back();
    const std::string name = b == 0 ? "SHA256" : "SHA" + std::to_string(b);
    return registry()[name](name, std::move(args), pos);
  };
  // ENCODE(string, charset) the bytes of the text in the charset; DECODE(bytes, charset)
  // the text they encode.
  for (const char* name : {"ENCODE", "DECODE"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
      const bool encode = n == "ENCODE";
      if (encode) {
        EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
      } else if (!args[0]->type().isBinary() && args[0]->type().id != TypeId::kNull) {
        return argError(n, pos, "argument 1 must be bytes, not " + args[0]->type().toString());
      }
      EDDY_RETURN_IF_ERROR(needString(n, args, 1, pos));
      if (auto* lit = dynamic_cast<Literal*>(args[1].get()); lit && !lit->value().null && !isCharset(lit->value().s)) {
        return argError(n, pos, "unsupported charset '" + lit->value().s +
                                    "' (US-ASCII, ISO-8859-1, UTF-8, UTF-16BE, UTF-16LE, UTF-16)");
      }
      return row(n, encode ? LogicalType::bytes() : LogicalType::string(), std::move(args),
                 [encode, n](const std::vector<Value>& v) {
                   std::string out;
                   if (!(encode ? encodeCharset(v[0].s, v[1].s, out) : decodeCharset(v[0].s, v[1].s, out))) {
                     throw EvalError(n + ": unsupported charset '" + v[1].s + "'");
                   }
                   return Value::ofString(std::move(out));
                 });
    };
  }
  r["FROM_BASE64"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      std::string out;
      return fromBase64(v[0].s, out) ? Value::ofString(std::move(out)) : Value();
    });
  };
  auto predicate = [](const char* name, bool (*test)(const std::string&)) {
    registry()[name] = [test](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
      EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
      // Not strict: NULL is false, as Flink's.
      return row(n, LogicalType::boolean().notNull(), std::move(args), [test](const std::vector<Value>& v) {
        return Value::ofBool(!v[0].null && test(v[0].s));
      }, false);
    };
  };
  predicate("IS_DIGIT", [](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  });
  predicate("IS_ALPHA", [](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
  });
  predicate("IS_DECIMAL", [](const std::string& s) {
    if (s.empty()) return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return *end == '\0' && !std::isspace(static_cast<unsigned char>(s[0]));
  });
  r["BIN"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    if (!args[0]->type().isInteger()) return argError(n, pos, "needs an integer");
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      auto u = static_cast<uint64_t>(v[0].i);
      std::string s;
      do {
        s.insert(s.begin(), static_cast<char>('0' + (u & 1)));
        u >>= 1;
      } while (u != 0);
      return Value::ofString(std::move(s));
    });
  };
  r["HEX"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    const bool text = args[0]->type().isString() || args[0]->type().isBinary();
    if (!text && !args[0]->type().isInteger()) return argError(n, pos, "needs an integer, a string or bytes");
    return row(n, LogicalType::string(), std::move(args), [text](const std::vector<Value>& v) {
      if (text) return Value::ofString(hexOf(v[0].s, true));
      static const char* kHex = "0123456789ABCDEF";
      std::string s;
      auto u = static_cast<uint64_t>(v[0].i);
      do {
        s.insert(s.begin(), kHex[u & 15]);
        u >>= 4;
      } while (u != 0);
      return Value::ofString(std::move(s));
    });
  };
  r["E"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 0, 0, pos));
    return row(n, LogicalType::doubleType().notNull(), std::move(args),
               [](const std::vector<Value>&) { return Value::ofDouble(std::exp(1.0)); });
  };
  // RAND([seed]) in [0, 1); RAND_INTEGER([seed,] bound) in [0, bound). A seed makes the
  // sequence repeat (per subtask).
  for (const char* name : {"RAND", "RAND_INTEGER"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      const bool integer = n == "RAND_INTEGER";
      EDDY_RETURN_IF_ERROR(arity(n, args, integer ? 1 : 0, integer ? 2 : 1, pos));
      const bool seeded = args.size() == (integer ? 2u : 1u);
      uint64_t seed = std::random_device()();
      if (seeded) {
        auto* lit = dynamic_cast<Literal*>(args[0].get());
        if (!lit) return argError(n, pos, "the seed must be a literal");
        seed = static_cast<uint64_t>(lit->value().i);
        args.erase(args.begin());
      }
      LogicalType t = integer ? LogicalType::integer() : LogicalType::doubleType().notNull();
      // Each copy of the expression (one per subtask) draws from its own generator.
      return row(n, t, std::move(args), [gen = std::mt19937_64(seed), integer](const std::vector<Value>& v) mutable {
        if (!integer) return Value::ofDouble(std::uniform_real_distribution<double>(0.0, 1.0)(gen));
        if (v[0].i <= 0) return Value();
        return Value::ofInt(std::uniform_int_distribution<int64_t>(0, v[0].i - 1)(gen));
      }, integer);
    };
  }
}

}  // namespace

bool isScalarFunction(const std::string& name) {
  static bool once = (registerAll(), true);
  (void)once;
  return registry().count(name) != 0;
}

std::vector<std::string> scalarFunctionNames() {
  isScalarFunction("");
  std::vector<std::string> names;
  for (const auto& [k, v] : registry()) {
    if (std::isalpha(static_cast<unsigned char>(k[0]))) names.push_back(k);
  }
  return names;
}

Result<ExprP> bindCall(const std::string& name, std::vector<ExprP> args, Pos pos) {
  if (!isScalarFunction(name)) {
    std::vector<std::string> names = scalarFunctionNames();
    for (const std::string& agg : ast::builtinAggregateNames()) names.push_back(agg);
    return sqlError(pos, "no function named '" + name + "'" + didYouMean(name, names));
  }
  return registry().at(name)(name, std::move(args), pos);
}

}  // namespace eddy::sql
