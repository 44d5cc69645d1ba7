#pragma once

#include <algorithm>
#include <cstdint>

#include "eddy/core/serialization.h"
#include "eddy/core/time.h"

namespace eddy::operators {

/// A window [start, end) of time (Flink's TimeWindow).
struct TimeWindow {
  Timestamp start = 0;
  Timestamp end = 0;

  Timestamp getStart() const { return start; }
  Timestamp getEnd() const { return end; }
  Timestamp maxTimestamp() const { return end - 1; }

  /// Flink: windows that overlap or touch ([0,10) and [10,20)) intersect.
  bool intersects(const TimeWindow& o) const { return start <= o.end && end >= o.start; }
  TimeWindow cover(const TimeWindow& o) const {
    return TimeWindow{std::min(start, o.start), std::max(end, o.end)};
  }
  bool operator==(const TimeWindow& o) const { return start == o.start && end == o.end; }
  bool operator<(const TimeWindow& o) const {
    return start != o.start ? start < o.start : end < o.end;
  }
  int32_t hashCode() const {
    uint64_t h = static_cast<uint64_t>(start) * 31 + static_cast<uint64_t>(end);
    return static_cast<int32_t>(h ^ (h >> 32));
  }

  /// Flink's TimeWindow.getWindowStartWithOffset, correct for negative timestamps too.
  static Timestamp getWindowStartWithOffset(Timestamp ts, int64_t offset, int64_t size) {
    int64_t remainder = (ts - offset) % size;
    return remainder < 0 ? ts - (remainder + size) : ts - remainder;
  }
};

/// The single window of GlobalWindows; it never ends by itself.
struct GlobalWindow {
  Timestamp maxTimestamp() const { return kMaxTimestamp; }
  bool operator==(const GlobalWindow&) const { return true; }
  bool operator<(const GlobalWindow&) const { return false; }
  int32_t hashCode() const { return 0; }
  // No bytes: an empty struct's one byte is indeterminate (RocksDB keys compare bytes).
  void serialize(DataOutputView&) const {}
  static Result<GlobalWindow> deserialize(DataInputView&) { return GlobalWindow{}; }
};

}  // namespace eddy::operators
