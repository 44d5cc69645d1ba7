#pragma once

#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "eddy/core/number_format.h"

namespace eddy::operators {

/// Prints a value as Flink's print sink would show the Java value: doubles as
/// Double.toString, tuples and pairs as "(a,b)", strings as-is. Other types use a
/// `toString()` member, else `operator<<`.
template <typename T>
std::string toFlinkString(const T& v);

namespace internal {
template <typename T, typename = void>
struct HasToString : std::false_type {};
template <typename T>
struct HasToString<T, std::void_t<decltype(std::declval<const T&>().toString())>> : std::true_type {};

template <typename Tuple, size_t... I>
std::string tupleString(const Tuple& t, std::index_sequence<I...>) {
  std::string s = "(";
  ((s += (I == 0 ? "" : ",") + toFlinkString(std::get<I>(t))), ...);
  return s + ")";
}
}  // namespace internal

template <typename T>
std::string toFlinkString(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_floating_point_v<T>) {
    return formatJava(static_cast<double>(v));
  } else if constexpr (std::is_arithmetic_v<T>) {
    return std::to_string(v);
  } else if constexpr (internal::HasToString<T>::value) {
    return v.toString();
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    return internal::tupleString(v, std::make_index_sequence<std::tuple_size<T>::value>());
  } else {
    std::ostringstream os;
    os << v;
    return os.str();
  }
}

/// One CSV line for a tuple or pair (Flink's writeAsCsv): each field as Flink prints it,
/// joined by `delimiter`, no quoting (Flink's CsvOutputFormat default).
template <typename Tuple>
std::string toCsvLine(const Tuple& t, const std::string& delimiter) {
  std::string line;
  std::apply(
      [&](const auto&... field) {
        size_t i = 0;
        ((line += (i++ == 0 ? "" : delimiter) + toFlinkString(field)), ...);
      },
      t);
  return line;
}

}  // namespace eddy::operators
