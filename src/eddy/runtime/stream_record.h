#pragma once

#include <utility>

#include "eddy/core/time.h"

namespace eddy::runtime {

/// A record with its event timestamp. `timestamp == kNoTimestamp` means the record has
/// none (Flink's hasTimestamp() == false).
inline constexpr Timestamp kNoTimestamp = kMinTimestamp;

template <typename T>
struct StreamRecord {
  T value;
  Timestamp timestamp = kNoTimestamp;

  bool hasTimestamp() const { return timestamp != kNoTimestamp; }
};

/// A watermark W: no more records with timestamp <= W are expected on this stream.
struct Watermark {
  Timestamp timestamp;
  static constexpr Watermark max() { return Watermark{kMaxTimestamp}; }
};

/// Whether a stream currently holds event time back (ACTIVE) or not (IDLE).
enum class WatermarkStatus { kActive, kIdle };

}  // namespace eddy::runtime
