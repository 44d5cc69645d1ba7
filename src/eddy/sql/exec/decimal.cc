#include "eddy/sql/exec/decimal.h"

#include <cmath>
#include <cstring>

namespace eddy::sql {

namespace {

using U128 = unsigned __int128;

// A 256-bit magnitude: wide enough for the exact product of two 38-digit decimals and
// for any of them times 10^38, which is what rounding a result to its scale needs.
struct U256 {
  U128 hi = 0;
  U128 lo = 0;
};

bool operator>=(const U256& a, const U256& b) { return a.hi != b.hi ? a.hi > b.hi : a.lo >= b.lo; }

U256 sub(const U256& a, const U256& b) {  // a >= b
  U256 r;
  r.lo = a.lo - b.lo;
  r.hi = a.hi - b.hi - (a.lo < b.lo ? 1 : 0);
  return r;
}

U256 add(const U256& a, const U256& b, bool* overflow) {
  U256 r;
  r.lo = a.lo + b.lo;
  const U128 carry = r.lo < a.lo ? 1 : 0;
  r.hi = a.hi + b.hi + carry;
  if (r.hi < a.hi || (carry && r.hi == a.hi)) *overflow = true;
  return r;
}

U256 multiply(U128 a, U128 b) {
  const uint64_t a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
  const uint64_t b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
  const U128 p00 = static_cast<U128>(a0) * b0, p01 = static_cast<U128>(a0) * b1;
  const U128 p10 = static_cast<U128>(a1) * b0, p11 = static_cast<U128>(a1) * b1;
  const U128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  U256 r;
  r.lo = (mid << 64) | static_cast<uint64_t>(p00);
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  return r;
}

// x * m; sets *overflow past 256 bits.
U256 multiply(const U256& x, U128 m, bool* overflow) {
  U256 low = multiply(x.lo, m);
  const U256 high = multiply(x.hi, m);
  if (high.hi != 0) *overflow = true;
  U256 r = low;
  r.hi = low.hi + high.lo;
  if (r.hi < low.hi) *overflow = true;
  return r;
}

U128 pow10u(int n) { return detail::kPowersOfTen[static_cast<size_t>(n)]; }

// 10^n for n in [0, 76].
U256 pow10wide(int n) {
  if (n <= kMaxDecimalPrecision) return U256{0, pow10u(n)};
  bool overflow = false;
  return multiply(U256{0, pow10u(kMaxDecimalPrecision)}, pow10u(n - kMaxDecimalPrecision), &overflow);
}

// n / d and n % d, d != 0: shift-and-subtract, unless both fit 128 bits.
void divide(const U256& n, const U256& d, U256* q, U256* r) {
  if (n.hi == 0 && d.hi == 0) {
    *q = U256{0, n.lo / d.lo};
    *r = U256{0, n.lo % d.lo};
    return;
  }
  U256 quotient, rest;
  for (int bit = 255; bit >= 0; --bit) {
    rest.hi = (rest.hi << 1) | (rest.lo >> 127);
    rest.lo = (rest.lo << 1) | ((bit >= 128 ? n.hi >> (bit - 128) : n.lo >> bit) & 1);
    if (rest >= d) {
      rest = sub(rest, d);
      if (bit >= 128) {
        quotient.hi |= U128{1} << (bit - 128);
      } else {
        quotient.lo |= U128{1} << bit;
      }
    }
  }
  *q = quotient;
  *r = rest;
}

U128 magnitude(Int128 v) { return v < 0 ? U128{0} - static_cast<U128>(v) : static_cast<U128>(v); }

// The signed value of `mag` at scale `from`, rounded half up to scale `to`; false past
// 38 digits.
bool toScale(bool negative, U256 mag, int from, int to, Int128* out) {
  if (to >= from) {
    bool overflow = false;
    if (to - from > 2 * kMaxDecimalPrecision) return mag.hi == 0 && mag.lo == 0 ? (*out = 0, true) : false;
    const U256 p = pow10wide(to - from);
    if (p.hi != 0) {
      if (mag.hi != 0 || mag.lo != 0) return false;
    } else {
      mag = multiply(mag, p.lo, &overflow);
      if (overflow) return false;
    }
  } else {
    if (from - to > 2 * kMaxDecimalPrecision) {
      mag = U256{};  // Below half of the last digit: rounds to 0.
    } else {
      const U256 d = pow10wide(from - to);
      U256 q, r;
      divide(mag, d, &q, &r);
      if (r >= sub(d, r)) {  // Half up: 2r >= d.
        bool overflow = false;
        q = add(q, U256{0, 1}, &overflow);
      }
      mag = q;
    }
  }
  if (mag.hi != 0 || mag.lo >= pow10u(kMaxDecimalPrecision)) return false;
  const Int128 v = static_cast<Int128>(mag.lo);
  *out = negative ? -v : v;
  return true;
}

}  // namespace

std::string encodeWideDecimal(Int128 v) {
  std::string s(kWideDecimalBytes, '\0');
  writeWideDecimal(v, s.data());
  return s;
}

Int128 decodeWideDecimal(std::string_view bytes) {
  if (bytes.size() < kWideDecimalBytes) return 0;  // Never written so: a NULL's placeholder.
  uint64_t hi, lo;
  std::memcpy(&hi, bytes.data(), 8);
  std::memcpy(&lo, bytes.data() + 8, 8);
  const U128 u = (static_cast<U128>(__builtin_bswap64(hi)) << 64) | __builtin_bswap64(lo);
  return static_cast<Int128>(u ^ (U128{1} << 127));
}

Int128 unscaledOf(const Value& v, const LogicalType& t) {
  return isWideDecimal(t) ? decodeWideDecimal(v.s) : static_cast<Int128>(v.i);
}

Int128 unscaledAt(const Column& c, size_t row) {
  return c.storage == Storage::kString ? decodeWideDecimal(c.str[row]) : static_cast<Int128>(c.i64[row]);
}

Value decimalValue(Int128 v, const LogicalType& t) {
  if (!fitsDecimalPrecision(v, t.precision)) return Value();
  if (isWideDecimal(t)) return Value::ofString(encodeWideDecimal(v));
  return Value::ofInt(static_cast<int64_t>(v));
}

bool rescaleDecimal(Int128 v, int from, int to, Int128* out) {
  return toScale(v < 0, U256{0, magnitude(v)}, from, to, out);
}

bool addDecimal(Int128 a, int sa, Int128 b, int sb, int scale, Int128* out) {
  const int common = std::max(sa, sb);
  bool overflow = false;
  const U256 x = multiply(U256{0, magnitude(a)}, pow10u(common - sa), &overflow);
  const U256 y = multiply(U256{0, magnitude(b)}, pow10u(common - sb), &overflow);
  if ((a < 0) == (b < 0)) return toScale(a < 0, add(x, y, &overflow), common, scale, out);
  if (x >= y) return toScale(a < 0, sub(x, y), common, scale, out);
  return toScale(b < 0, sub(y, x), common, scale, out);
}

bool multiplyDecimal(Int128 a, int sa, Int128 b, int sb, int scale, Int128* out) {
  return toScale((a < 0) != (b < 0), multiply(magnitude(a), magnitude(b)), sa + sb, scale, out);
}

bool divideDecimal(Int128 a, int sa, Int128 b, int sb, int scale, Int128* out) {
  if (a == 0) {
    *out = 0;
    return true;
  }
  // a / b at `scale` is a * 10^(scale - sa + sb) / b, rounded half up.
  const int shift = scale - sa + sb;
  U256 n{0, magnitude(a)}, d{0, magnitude(b)};
  bool overflow = false;
  if (shift >= 0) {
    if (shift > 2 * kMaxDecimalPrecision) return false;
    const U256 p = pow10wide(shift);
    if (p.hi != 0) return false;  // |a| * 10^shift / |b| >= 10^38.
    n = multiply(n, p.lo, &overflow);
  } else {
    d = multiply(d, pow10u(std::min(-shift, kMaxDecimalPrecision)), &overflow);
    if (-shift > kMaxDecimalPrecision) d = multiply(d, pow10u(-shift - kMaxDecimalPrecision), &overflow);
    if (overflow) {  // |b| * 10^-shift is past 2^256: the quotient is below one half.
      *out = 0;
      return true;
    }
  }
  if (overflow) return false;
  U256 q, r;
  divide(n, d, &q, &r);
  if (r >= sub(d, r)) q = add(q, U256{0, 1}, &overflow);
  return toScale((a < 0) != (b < 0), q, scale, scale, out);
}

bool modDecimal(Int128 a, int sa, Int128 b, int sb, int scale, Int128* out) {
  const int common = std::max(sa, sb);
  bool overflow = false;
  const U256 x = multiply(U256{0, magnitude(a)}, pow10u(common - sa), &overflow);
  const U256 y = multiply(U256{0, magnitude(b)}, pow10u(common - sb), &overflow);
  U256 q, r;
  divide(x, y, &q, &r);
  return toScale(a < 0, r, common, scale, out);
}

double decimalToDouble(Int128 v, int scale) {
  return static_cast<double>(v) / std::pow(10.0, scale);
}

bool parseDecimal(std::string_view s, int scale, Int128& scaled) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  // The digits without the point, and how many of them stand before it.
  std::string digits;
  long point = -1;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    if (s[i] == '.') {
      if (point >= 0) return false;
      point = static_cast<long>(digits.size());
    } else if (s[i] >= '0' && s[i] <= '9') {
      digits.push_back(s[i]);
    } else {
      return false;
    }
  }
  if (digits.empty()) return false;
  if (point < 0) point = static_cast<long>(digits.size());
  if (i < s.size()) {  // An exponent moves the point.
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) exp_negative = s[i++] == '-';
    if (i == s.size()) return false;
    long exponent = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      exponent = std::min(exponent * 10 + (s[i] - '0'), 100000L);
    }
    point += exp_negative ? -exponent : exponent;
  }
  size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') ++lead;
  digits.erase(0, lead);
  point -= static_cast<long>(lead);
  // The unscaled value is the first point + scale digits; the next one rounds.
  const long keep = point + scale;
  if (digits.empty() || keep < 0) {
    scaled = 0;
    return true;
  }
  if (keep > kMaxDecimalPrecision) return false;
  U128 v = 0;
  for (long k = 0; k < keep; ++k) v = v * 10 + (k < static_cast<long>(digits.size()) ? digits[static_cast<size_t>(k)] - '0' : 0);
  if (keep < static_cast<long>(digits.size()) && digits[static_cast<size_t>(keep)] >= '5') ++v;
  if (v >= pow10u(kMaxDecimalPrecision)) return false;
  scaled = negative ? -static_cast<Int128>(v) : static_cast<Int128>(v);
  return true;
}

std::string formatDecimal(Int128 v, int scale) {
  U128 mag = magnitude(v);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  } while (mag != 0);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) digits.insert(0, static_cast<size_t>(scale) - digits.size() + 1, '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return v < 0 ? "-" + digits : digits;
}

std::string formatDecimalJava(Int128 v, int scale) {
  std::string coefficient = formatDecimal(v < 0 ? -v : v, 0);
  const int adjusted = static_cast<int>(coefficient.size()) - 1 - scale;
  if (scale >= 0 && adjusted >= -6) return formatDecimal(v, scale);
  if (coefficient.size() > 1) coefficient.insert(1, ".");
  return (v < 0 ? "-" : "") + coefficient + "E" + (adjusted > 0 ? "+" : "") + std::to_string(adjusted);
}

}  // namespace eddy::sql
