#pragma once

#include <chrono>
#include <cstdint>
#include <limits>

namespace eddy {

/// Event time and processing time: milliseconds since the epoch.
using Timestamp = int64_t;

/// Durations in the API (window sizes, out-of-orderness, lateness).
using Duration = std::chrono::milliseconds;

/// Flink's Long.MIN_VALUE / Long.MAX_VALUE watermarks: "nothing seen" and "end of input".
inline constexpr Timestamp kMinTimestamp = std::numeric_limits<int64_t>::min();
inline constexpr Timestamp kMaxTimestamp = std::numeric_limits<int64_t>::max();

template <typename Rep, typename Period>
constexpr int64_t toMillis(std::chrono::duration<Rep, Period> d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace eddy
