#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace eddy {

/// The 32-bit hash code a key contributes to key-group assignment. For the types Java
/// has, it is Java's hashCode, so a key lands in the same key group as in Flink (strings
/// hash their bytes, which equals Java's String.hashCode for ASCII).
/// Other key types specialize KeyHash<T> or provide a member `int32_t hashCode() const`.
template <typename T, typename Enable = void>
struct KeyHash {
  int32_t operator()(const T& v) const { return v.hashCode(); }
};

template <typename T>
struct KeyHash<T, std::enable_if_t<std::is_integral_v<T> && (sizeof(T) <= 4)>> {
  int32_t operator()(T v) const { return static_cast<int32_t>(v); }
};

template <typename T>
struct KeyHash<T, std::enable_if_t<std::is_integral_v<T> && (sizeof(T) == 8)>> {
  int32_t operator()(T v) const {
    uint64_t u = static_cast<uint64_t>(v);
    return static_cast<int32_t>(static_cast<uint32_t>(u ^ (u >> 32)));
  }
};

template <>
struct KeyHash<std::string> {
  int32_t operator()(std::string_view s) const {
    uint32_t h = 0;
    for (unsigned char c : s) h = 31 * h + c;
    return static_cast<int32_t>(h);
  }
};

template <>
struct KeyHash<double> {
  int32_t operator()(double v) const {
    uint64_t bits;
    static_assert(sizeof bits == sizeof v);
    if (v != v) {
      bits = 0x7ff8000000000000ULL;  // Java canonicalizes NaN in doubleToLongBits.
    } else {
      __builtin_memcpy(&bits, &v, sizeof bits);
    }
    return static_cast<int32_t>(static_cast<uint32_t>(bits ^ (bits >> 32)));
  }
};

/// Tuples and pairs hash like Flink's Tuple.hashCode: 31 * h + field hash, per field.
template <typename... Ts>
struct KeyHash<std::tuple<Ts...>> {
  int32_t operator()(const std::tuple<Ts...>& t) const {
    uint32_t h = 0;
    std::apply([&](const auto&... f) {
      ((h = 31 * h + static_cast<uint32_t>(KeyHash<std::decay_t<decltype(f)>>()(f))), ...);
    }, t);
    return static_cast<int32_t>(h);
  }
};

template <typename A, typename B>
struct KeyHash<std::pair<A, B>> {
  int32_t operator()(const std::pair<A, B>& p) const {
    uint32_t h = static_cast<uint32_t>(KeyHash<A>()(p.first));
    h = 31 * h + static_cast<uint32_t>(KeyHash<B>()(p.second));
    return static_cast<int32_t>(h);
  }
};

}  // namespace eddy
