#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "eddy/sql/exec/value.h"

namespace eddy::sql {

// DECIMAL(p, s) values are unscaled integers v meaning v / 10^s, as Flink's DecimalData.
// Up to 18 digits a value is held in int64 (Flink's "compact" decimal: every integer
// column path serves it). DECIMAL(19..38) is held as 16 bytes in string storage --
// big-endian two's complement with the sign bit flipped, so that byte order is numeric
// order: equality, ORDER BY, MIN/MAX, keys, joins and state of such a column need
// nothing decimal-specific; only arithmetic, casts, parsing and printing look inside.
//
// Arithmetic is exact as Java's BigDecimal is: results are computed at full width and
// then rounded half up to the result type's scale; a result with more digits than the
// type's precision is NULL, as Flink's DecimalData.fromBigDecimal makes it.

using Int128 = __int128;

inline constexpr int kMaxDecimalPrecision = 38;
/// The widest DECIMAL held in int64.
inline constexpr int kMaxCompactDecimalPrecision = 18;

/// A DECIMAL whose values are held as 16 bytes in a string column.
inline bool isWideDecimal(const LogicalType& t) {
  return t.id == TypeId::kDecimal && t.precision > kMaxCompactDecimalPrecision;
}

namespace detail {
inline constexpr auto kPowersOfTen = [] {
  std::array<unsigned __int128, kMaxDecimalPrecision + 1> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();
}  // namespace detail

/// 10^n, n in [0, 38].
inline Int128 powerOfTen128(int n) { return static_cast<Int128>(detail::kPowersOfTen[static_cast<size_t>(n)]); }
/// |v| < 10^precision.
inline bool fitsDecimalPrecision(Int128 v, int precision) {
  const unsigned __int128 magnitude = v < 0 ? 0 - static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  return magnitude < detail::kPowersOfTen[static_cast<size_t>(precision)];
}

/// The 16 order-preserving bytes of a wide decimal's unscaled value, and back.
inline constexpr size_t kWideDecimalBytes = 16;
inline void writeWideDecimal(Int128 v, char* out) {
  const unsigned __int128 u = static_cast<unsigned __int128>(v) ^ (static_cast<unsigned __int128>(1) << 127);
  const uint64_t hi = __builtin_bswap64(static_cast<uint64_t>(u >> 64));
  const uint64_t lo = __builtin_bswap64(static_cast<uint64_t>(u));
  std::memcpy(out, &hi, 8);
  std::memcpy(out + 8, &lo, 8);
}
std::string encodeWideDecimal(Int128 v);
Int128 decodeWideDecimal(std::string_view bytes);

/// The unscaled value of a non-NULL DECIMAL value of type `t`.
Int128 unscaledOf(const Value& v, const LogicalType& t);
/// The unscaled value of row `row` of a DECIMAL column (its storage tells the width).
Int128 unscaledAt(const Column& c, size_t row);
/// The DECIMAL value of type `t` whose unscaled value is `v`; NULL when `v` has more
/// digits than t's precision.
Value decimalValue(Int128 v, const LogicalType& t);

/// `v` at scale `from` at scale `to`, rounding half up; false when the result has more
/// than 38 digits.
bool rescaleDecimal(Int128 v, int from, int to, Int128* out);

/// Exact DECIMAL arithmetic: `a` at scale `sa` op `b` at scale `sb`, rounded half up to
/// `scale`; false when the result has more than 38 digits (the caller's NULL). divide
/// and mod need b != 0; mod's result has the dividend's sign, as Java's remainder.
bool addDecimal(Int128 a, int sa, Int128 b, int sb, int scale, Int128* out);
bool multiplyDecimal(Int128 a, int sa, Int128 b, int sb, int scale, Int128* out);
bool divideDecimal(Int128 a, int sa, Int128 b, int sb, int scale, Int128* out);
bool modDecimal(Int128 a, int sa, Int128 b, int sb, int scale, Int128* out);

double decimalToDouble(Int128 v, int scale);

/// A decimal literal or field ("12.5", "-3", "1.5e3") scaled to `scale` digits, rounding
/// half up; false if not a number or wider than 38 digits.
bool parseDecimal(std::string_view s, int scale, Int128& scaled);
/// `-12.50` for v = -1250 at scale 2.
std::string formatDecimal(Int128 v, int scale);
/// As Java's BigDecimal.toString writes it: plainly, unless the value's exponent is
/// below -6 (0.000000027 is 2.7E-8, 0 at scale 7 is 0E-7).
std::string formatDecimalJava(Int128 v, int scale);

}  // namespace eddy::sql
