// Flink 2's string functions (BTRIM, STARTSWITH, ENDSWITH, TRANSLATE, PRINTF,
// REGEXP_COUNT, REGEXP_INSTR, REGEXP_SUBSTR), SIMILAR TO, JSON_QUOTE / JSON_UNQUOTE,
// ATAN2 and the hyperbolic functions, CURRENT_CATALOG / CURRENT_DATABASE, with Flink's
// null rules (NULL in, NULL out unless noted).
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "eddy/sql/exec/expression.h"
#include "eddy/sql/exec/regex.h"
#include "eddy/sql/exec/utf8.h"
#include "eddy/sql/planner/function_registry.h"

namespace eddy::sql::builtin {
namespace {

// The code points of UTF-8 text, each as its bytes (TRANSLATE maps characters).
std::vector<std::string> characters(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) {
      n = 4;
    } else if (c >= 0xE0) {
      n = 3;
    } else if (c >= 0xC0) {
      n = 2;
    }
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// Digits of `magnitude` with a ',' between each group of three.
std::string grouped(const std::string& digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// One conversion of Java's Formatter (what Flink's PRINTF is): `flags` of "-0+ ,",
// `width` and `precision` (-1: none), conversion `conv`, for value `v` of type `t`.
std::string formatOne(char conv, const std::string& flags, int width, int precision, const Value& v,
                      const LogicalType& t) {
  auto has = [&](char f) { return flags.find(f) != std::string::npos; };
  std::string body;
  bool numeric = false;
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(conv)));
  if (lower == 'b') {
    body = v.null ? "false" : t.id == TypeId::kBoolean ? (v.i != 0 ? "true" : "false") : "true";
  } else if (v.null) {
    body = "null";
  } else if (lower == 's') {
    body = formatValue(v, t);
  } else if (lower == 'c') {
    if (t.isString()) {
      if (characters(v.s).size() != 1) throw EvalError("PRINTF: %c needs one character, not '" + v.s + "'");
      body = v.s;
    } else if (t.isInteger()) {
      body = std::string(1, static_cast<char>(v.i));
    } else {
      throw EvalError("PRINTF: %c does not take a " + t.toString());
    }
  } else if (lower == 'd' || lower == 'x' || lower == 'o') {
    if (!t.isInteger()) throw EvalError(std::string("PRINTF: %") + conv + " does not take a " + t.toString());
    numeric = true;
    const bool negative = v.i < 0;
    const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(v.i) : static_cast<uint64_t>(v.i);
    char buf[32];
    if (lower == 'd') {
      std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(magnitude));
      body = has(',') ? grouped(buf) : buf;
      body = (negative ? "-" : has('+') ? "+" : has(' ') ? " " : "") + body;
    } else {
      // Java prints a negative number's two's complement in hex and octal, as wide as its
      // type (an INT is a Java Integer: 32 bits).
      const int bits = t.id == TypeId::kTinyInt ? 8 : t.id == TypeId::kSmallInt ? 16 : t.id == TypeId::kInt ? 32 : 64;
      const uint64_t word = bits == 64 ? static_cast<uint64_t>(v.i) : static_cast<uint64_t>(v.i) & ((uint64_t{1} << bits) - 1);
      std::snprintf(buf, sizeof buf, lower == 'x' ? "%llx" : "%llo", static_cast<unsigned long long>(word));
      body = buf;
    }
  } else if (lower == 'f' || lower == 'e' || lower == 'g') {
    if (!t.isNumeric()) throw EvalError(std::string("PRINTF: %") + conv + " does not take a " + t.toString());
    numeric = true;
    const double x = asDouble(v, t);
    std::string spec = "%";
    if (has('+')) spec += '+';
    if (has(' ')) spec += ' ';
    spec += "." + std::to_string(precision < 0 ? 6 : precision) + conv;
    char buf[512];
    std::snprintf(buf, sizeof buf, spec.c_str(), x);
    body = buf;
    if (has(',') && lower == 'f') {
      const size_t start = body.find_first_of("0123456789");
      const size_t end = body.find('.') == std::string::npos ? body.size() : body.find('.');
      body = body.substr(0, start) + grouped(body.substr(start, end - start)) + body.substr(end);
    }
  } else {
    throw EvalError(std::string("PRINTF: unknown conversion '%") + conv + "'");
  }
  if (precision >= 0 && (lower == 's' || lower == 'b') && static_cast<int>(body.size()) > precision) {
    body.resize(static_cast<size_t>(precision));
  }
  if (std::isupper(static_cast<unsigned char>(conv))) {
    for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const int pad = width - static_cast<int>(characters(body).size());
  if (pad <= 0) return body;
  if (has('-')) return body + std::string(static_cast<size_t>(pad), ' ');
  if (has('0') && numeric) {
    const size_t sign = !body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ') ? 1 : 0;
    return body.substr(0, sign) + std::string(static_cast<size_t>(pad), '0') + body.substr(sign);
  }
  return std::string(static_cast<size_t>(pad), ' ') + body;
}

// Java's String.format(format, args...) for the conversions formatOne knows, `%%` and
// `%n`, and `n$` argument indexes.
std::string printf(const std::string& format, const std::vector<Value>& v, const std::vector<LogicalType>& types) {
  std::string out;
  size_t next_arg = 1;  // v[0] is the format.
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    size_t j = i + 1;
    auto digits = [&] {
      const size_t from = j;
      while (j < format.size() && std::isdigit(static_cast<unsigned char>(format[j]))) ++j;
      // An index, width or precision past 9999 is a mistake, not a request for gigabytes.
      if (j - from > 4) throw EvalError("PRINTF: the number in '" + format.substr(i, j - i) + "' is too large");
      return format.substr(from, j - from);
    };
    std::string number = digits();
    size_t index = 0;
    if (j < format.size() && format[j] == '$' && !number.empty()) {
      index = std::stoul(number);
      ++j;
      number.clear();
    }
    std::string flags;
    if (number.empty()) {
      while (j < format.size() && std::string("-0+ ,#").find(format[j]) != std::string::npos) flags += format[j++];
      number = digits();
    } else if (number.size() > 1 && number[0] == '0') {
      flags = "0";
      number = number.substr(1);
    }
    const int width = number.empty() ? -1 : std::stoi(number);
    int precision = -1;
    if (j < format.size() && format[j] == '.') {
      ++j;
      const std::string p = digits();
      if (p.empty()) throw EvalError("PRINTF: a '.' needs a precision in '" + format + "'");
      precision = std::stoi(p);
    }
    if (j >= format.size()) throw EvalError("PRINTF: the format ends inside a conversion: '" + format + "'");
    const char conv = format[j];
    i = j;
    if (conv == '%') {
      out += '%';
      continue;
    }
    if (conv == 'n') {
      out += '\n';
      continue;
    }
    const size_t arg = index > 0 ? index : next_arg++;
    if (arg >= v.size()) throw EvalError("PRINTF: the format '" + format + "' needs more arguments");
    out += formatOne(conv, flags, width, precision, v[arg], types[arg]);
  }
  return out;
}

// A SQL SIMILAR TO pattern as an anchored regular expression: `%` any run, `_` one
// character, `| * + ? {m,n} ( ) [...]` as in regular expressions, every other character
// itself (`escape`, when not 0, makes the next one literal).
std::string similarToRegex(const std::string& pattern, char escape) {
  std::string re = "^(?:";
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (escape != 0 && c == escape) {
      if (++i == pattern.size()) throw EvalError("SIMILAR TO: the pattern '" + pattern + "' ends with its escape");
      re += '\\';
      re += pattern[i];
    } else if (c == '%') {
      re += ".*";
    } else if (c == '_') {
      re += '.';
    } else if (std::string(".^$\\").find(c) != std::string::npos) {
      re += '\\';
      re += c;
    } else {
      re += c;
    }
  }
  return re + ")$";
}

void registerStringFunctions() {
  auto& r = registry();
  // s SIMILAR TO pattern [ESCAPE c]: whether the whole of s matches; an invalid pattern
  // fails the job, as in Flink.
  r["SIMILAR TO"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
    for (size_t i = 0; i < args.size(); ++i) EDDY_RETURN_IF_ERROR(needString(n, args, i, pos));
    char escape = 0;
    if (args.size() > 2) {
      auto* e = dynamic_cast<const Literal*>(args[2].get());
      if (!e || e->value().s.size() != 1) return argError(n, pos, "ESCAPE takes one character");
      escape = e->value().s[0];
      args.pop_back();
    }
    return row(n, LogicalType::boolean(), std::move(args), [escape](const std::vector<Value>& v) {
      const std::string re = similarToRegex(v[1].s, escape);
      auto found = regexFind(v[0].s, re);
      if (!found) throw EvalError("SIMILAR TO: invalid pattern '" + v[1].s + "'");
      return Value::ofBool(*found);
    });
  };
  // BTRIM(s [, chars]): TRIM(BOTH chars FROM s), a space by default.
  r["BTRIM"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 2, pos));
    return registry().at("TRIM")("TRIM", std::move(args), pos);
  };
  for (const char* name : {"STARTSWITH", "ENDSWITH"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
      for (size_t i = 0; i < 2; ++i) EDDY_RETURN_IF_ERROR(needString(n, args, i, pos));
      const bool starts = n == "STARTSWITH";
      return row(n, LogicalType::boolean(), std::move(args), [starts](const std::vector<Value>& v) {
        const std::string &s = v[0].s, &part = v[1].s;
        if (part.size() > s.size()) return Value::ofBool(false);
        return Value::ofBool(s.compare(starts ? 0 : s.size() - part.size(), part.size(), part) == 0);
      });
    };
  }
  // TRANSLATE(s, from, to): each character of `from` in s replaced by the one at its
  // place in `to`, or removed when `to` is shorter.
  r["TRANSLATE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 3, 3, pos));
    for (size_t i = 0; i < 3; ++i) EDDY_RETURN_IF_ERROR(needString(n, args, i, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      const std::vector<std::string> from = characters(v[1].s), to = characters(v[2].s);
      std::string out;
      for (const std::string& c : characters(v[0].s)) {
        size_t k = 0;
        while (k < from.size() && from[k] != c) ++k;
        if (k == from.size()) {
          out += c;
        } else if (k < to.size()) {
          out += to[k];
        }
      }
      return Value::ofString(std::move(out));
    });
  };
  // PRINTF(format, args...): Java's String.format; a NULL argument prints as "null".
  r["PRINTF"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.empty()) return argError(n, pos, "needs a format");
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    std::vector<LogicalType> types;
    for (const auto& a : args) types.push_back(a->type().plain());
    LogicalType result = LogicalType::string();
    result.nullable = args[0]->type().nullable;
    return row(n, result, std::move(args), [types](const std::vector<Value>& v) {
      if (v[0].null) return Value();
      return Value::ofString(printf(v[0].s, v, types));
    }, false);
  };
  // REGEXP_COUNT / REGEXP_INSTR / REGEXP_SUBSTR(s, regex): how many matches, the
  // 1-based place of the first (0: none), the first match (NULL: none); NULL for an
  // invalid regex.
  r["REGEXP_COUNT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    return row(n, LogicalType::integer(), std::move(args), [](const std::vector<Value>& v) {
      auto all = regexExtractAll(v[0].s, v[1].s, 0);
      return all ? Value::ofInt(static_cast<int64_t>(all->size())) : Value();
    });
  };
  r["REGEXP_INSTR"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    return row(n, LogicalType::integer(), std::move(args), [](const std::vector<Value>& v) {
      auto at = regexPosition(v[0].s, v[1].s);
      if (!at) return Value();
      // A character position, as Java counts them.
      if (*at < 0) return Value::ofInt(0);
      return Value::ofInt(static_cast<int64_t>(utf8Index(v[0].s, static_cast<size_t>(*at))) + 1);
    });
  };
  r["REGEXP_SUBSTR"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      auto match = regexExtract(v[0].s, v[1].s, 0);
      return match ? Value::ofString(std::move(*match)) : Value();
    });
  };
  // JSON_QUOTE(s): s as a JSON string literal; JSON_UNQUOTE(s): the text of a JSON string
  // literal, or s itself when it is not one.
  r["JSON_QUOTE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    return row(n, LogicalType::string(), std::move(args),
               [](const std::vector<Value>& v) { return Value::ofString(nlohmann::json(v[0].s).dump()); });
  };
  r["JSON_UNQUOTE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    return row(n, LogicalType::string(), std::move(args), [](const std::vector<Value>& v) {
      nlohmann::json j = nlohmann::json::parse(v[0].s, nullptr, false);
      return Value::ofString(!j.is_discarded() && j.is_string() ? j.get<std::string>() : v[0].s);
    });
  };
}

void registerSessionFunctions() {
  // CURRENT_CATALOG() / CURRENT_DATABASE(): the planner answers with the session's
  // current ones; these (the defaults) name them for SHOW FUNCTIONS and check arity.
  for (const auto& [name, value] : {std::pair<const char*, const char*>{"CURRENT_CATALOG", "default_catalog"},
                                    {"CURRENT_DATABASE", "default_database"}}) {
    registry()[name] = [value](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 0, 0, pos));
      return ExprP(std::make_unique<Literal>(Value::ofString(value), LogicalType::string().notNull(),
                                             std::string("'") + value + "'"));
    };
  }
}

void registerMathFunctions() {
  auto& r = registry();
  auto unary = [](const char* name, double (*f)(double)) {
    registry()[name] = [f](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
      EDDY_RETURN_IF_ERROR(needNumeric(n, args, 0, pos));
      const LogicalType t = args[0]->type();
      return row(n, LogicalType::doubleType(), std::move(args),
                 [f, t](const std::vector<Value>& v) { return Value::ofDouble(f(asDouble(v[0], t))); });
    };
  };
  unary("SINH", [](double x) { return std::sinh(x); });
  unary("COSH", [](double x) { return std::cosh(x); });
  unary("TANH", [](double x) { return std::tanh(x); });
  unary("COT", [](double x) { return 1.0 / std::tan(x); });
  // ATAN2(y, x): the angle of the point (x, y).
  r["ATAN2"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    for (size_t i = 0; i < 2; ++i) EDDY_RETURN_IF_ERROR(needNumeric(n, args, i, pos));
    const LogicalType a = args[0]->type(), b = args[1]->type();
    return row(n, LogicalType::doubleType(), std::move(args), [a, b](const std::vector<Value>& v) {
      return Value::ofDouble(std::atan2(asDouble(v[0], a), asDouble(v[1], b)));
    });
  };
}

}  // namespace

void registerExtraFunctions() {
  registerStringFunctions();
  registerMathFunctions();
  registerSessionFunctions();
}

}  // namespace eddy::sql::builtin
