#include "eddy/core/status.h"

#include <cstdio>
#include <cstdlib>

namespace eddy {

const char* statusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kUnavailable: return "Unavailable";
    case StatusCode::kTimeout: return "Timeout";
    case StatusCode::kCancelled: return "Cancelled";
    case StatusCode::kDataLoss: return "DataLoss";
    case StatusCode::kUnimplemented: return "Unimplemented";
    case StatusCode::kInternal: return "Internal";
  }
  return "Unknown";
}

std::string Status::toString() const {
  if (isOk()) return "OK";
  return std::string(statusCodeName(code_)) + ": " + message_;
}

namespace internal {
void checkFailed(const char* file, int line, const char* expr, const char* detail) {
  std::fprintf(stderr, "EDDY_CHECK failed at %s:%d: %s %s\n", file, line, expr, detail);
  std::abort();
}
}  // namespace internal

}  // namespace eddy
