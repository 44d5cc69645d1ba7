#pragma once

#include <utility>

#include "eddy/core/serialization.h"
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

}  // namespace eddy::runtime

namespace eddy {
/// Records kept in state (window contents of process functions and evictors).
template <typename T>
struct HasOwnSerializer<runtime::StreamRecord<T>> : std::true_type {};
template <typename T>
  requires Serializable<T>
struct Serializer<runtime::StreamRecord<T>> {
  static void write(const runtime::StreamRecord<T>& r, DataOutputView& out) {
    serialize(r.value, out);
    out.write<int64_t>(r.timestamp);
  }
  static Result<runtime::StreamRecord<T>> read(DataInputView& in) {
    EDDY_ASSIGN_OR_RETURN(T v, deserialize<T>(in));
    EDDY_ASSIGN_OR_RETURN(int64_t ts, in.read<int64_t>());
    return runtime::StreamRecord<T>{std::move(v), ts};
  }
};
}  // namespace eddy

namespace eddy::runtime {

/// A watermark W: no more records with timestamp <= W are expected on this stream.
struct Watermark {
  Timestamp timestamp;
  static constexpr Watermark max() { return Watermark{kMaxTimestamp}; }
};

/// Whether a stream currently holds event time back (ACTIVE) or not (IDLE).
enum class WatermarkStatus { kActive, kIdle };

}  // namespace eddy::runtime
