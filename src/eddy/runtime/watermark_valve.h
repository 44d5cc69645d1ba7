#pragma once

#include <algorithm>
#include <optional>
#include <vector>

#include "eddy/core/serialization.h"
#include "eddy/core/status.h"
#include "eddy/runtime/stream_record.h"

namespace eddy::runtime {

/// Combines the watermarks and statuses of several input channels into one, as Flink's
/// StatusWatermarkValve: the output watermark is the minimum over active channels and
/// only ever advances; when every channel is idle the output turns idle (after
/// advancing to the maximum watermark seen), and turns active again with the first
/// channel that resumes. An ended channel counts as having reached the max watermark.
/// Thread: the task thread only.
class WatermarkValve {
 public:
  struct Emit {
    std::optional<Watermark> watermark;
    std::optional<WatermarkStatus> status;
  };

  explicit WatermarkValve(int num_channels);

  Emit inputWatermark(int channel, Watermark wm);
  Emit inputWatermarkStatus(int channel, WatermarkStatus status);
  Emit endOfPartition(int channel);

  Timestamp lastOutputWatermark() const { return last_output_; }

  /// The valve's state, for unaligned checkpoints: in-flight watermarks of a restored
  /// task replay onto the state the valve had when the task snapshotted.
  void snapshot(DataOutputView& out) const;
  /// Restores what snapshot() wrote; the channel count must match.
  Status restore(DataInputView& in);
  /// After a rescale, when per-channel state cannot carry over: the output only ever
  /// advances beyond `wm`, the watermark the task's operators already saw.
  void startAfter(Timestamp wm) { last_output_ = std::max(last_output_, wm); }

 private:
  struct Channel {
    Timestamp watermark = kMinTimestamp;
    bool active = true;
    bool aligned = true;
  };
  std::optional<Watermark> advanceToMinOverAligned();

  std::vector<Channel> channels_;
  Timestamp last_output_ = kMinTimestamp;
  bool output_idle_ = false;
};

}  // namespace eddy::runtime
