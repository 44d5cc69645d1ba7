#include "eddy/core/number_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace eddy {

namespace {

// Shortest digits that read back as `v` (in its own precision, so a FLOAT prints as
// Java's Float.toString does), fixed.
template <typename T>
std::string plain(T v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) v = 0;  // Prints -0.0 as 0.
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

template <typename T>
std::string java(T v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  T a = std::fabs(v);
  if (a == 0 || (a >= T(1e-3) && a < T(1e7))) {
    std::string s = plain(v);
    if (s.find('.') == std::string::npos) s += ".0";
    if (v == 0 && std::signbit(v)) s = "-0.0";
    return s;
  }
  // Java: computerized scientific notation, mantissa with at least one fractional digit.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  auto e = s.find('e');
  std::string mant = s.substr(0, e);
  int exp = std::atoi(s.c_str() + e + 1);
  if (mant.find('.') == std::string::npos) mant += ".0";
  return mant + "E" + std::to_string(exp);
}

}  // namespace

std::string formatPlain(double v) { return plain(v); }
std::string formatJava(double v) { return java(v); }
std::string formatJavaFloat(float v) { return java(v); }

}  // namespace eddy
