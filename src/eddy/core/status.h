#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "eddy/core/check.h"

namespace eddy {

/// The few error codes Eddy distinguishes; restart logic and REST map on these.
enum class StatusCode {
  kOk,
  kInvalidArgument,
  kNotFound,
  kUnavailable,
  kTimeout,
  kCancelled,
  kDataLoss,
  kUnimplemented,
  kInternal,
};

/// Name of a code as printed in messages ("InvalidArgument", ...).
const char* statusCodeName(StatusCode code);

/// The outcome of an operation: ok, or a code with a message that names the place and
/// the cause (`input.csv:3: column 'timestamp_ms': not an integer: "12x"`).
/// Cheap to copy when ok. Thread: a value type, no shared state.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }
  static Status invalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status notFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status timeout(std::string m) { return {StatusCode::kTimeout, std::move(m)}; }
  static Status cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status dataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
  static Status unimplemented(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool isOk() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  /// "InvalidArgument: message", or "OK".
  std::string toString() const;

  /// Marks an error as dropped on purpose; say why at the call site.
  void ignoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

/// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    EDDY_CHECK(!std::get<Status>(v_).isOk());
  }

  bool isOk() const { return std::holds_alternative<T>(v_); }
  Status status() const { return isOk() ? Status::ok() : std::get<Status>(v_); }
  T& value() & {
    EDDY_CHECK(isOk());
    return std::get<T>(v_);
  }
  T&& value() && {
    EDDY_CHECK(isOk());
    return std::get<T>(std::move(v_));
  }
  const T& value() const& {
    EDDY_CHECK(isOk());
    return std::get<T>(v_);
  }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace eddy

#define EDDY_STATUS_CONCAT_INNER(a, b) a##b
#define EDDY_STATUS_CONCAT(a, b) EDDY_STATUS_CONCAT_INNER(a, b)

/// Returns the Status from the enclosing function when `expr` is not ok.
#define EDDY_RETURN_IF_ERROR(expr)          \
  do {                                      \
    ::eddy::Status _eddy_s = (expr);        \
    if (!_eddy_s.isOk()) return _eddy_s;    \
  } while (0)

/// `EDDY_ASSIGN_OR_RETURN(auto x, f())`: binds the value or returns the error.
#define EDDY_ASSIGN_OR_RETURN(lhs, expr) \
  EDDY_ASSIGN_OR_RETURN_IMPL(EDDY_STATUS_CONCAT(_eddy_r, __LINE__), lhs, expr)
#define EDDY_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.isOk()) return tmp.status();            \
  lhs = std::move(tmp).value()
