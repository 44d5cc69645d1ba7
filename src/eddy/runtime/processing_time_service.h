#pragma once

#include <functional>
#include <optional>
#include <queue>
#include <vector>

#include "eddy/core/clock.h"

namespace eddy::runtime {

/// Processing-time timers of one task. Callbacks run on the task thread when the
/// task's loop sees the clock at or past their time (Flink's ProcessingTimeService).
/// Thread: the task thread only.
class ProcessingTimeService {
 public:
  using Callback = std::function<void(Timestamp)>;

  explicit ProcessingTimeService(const Clock& clock) : clock_(clock) {}

  Timestamp getCurrentProcessingTime() const { return clock_.currentTimeMillis(); }
  const Clock& clock() const { return clock_; }

  /// Runs `callback(time)` once the clock reaches `time`.
  void registerTimer(Timestamp time, Callback callback);

  /// The earliest pending timer, if any.
  std::optional<Timestamp> nextTimerTime() const;

  /// Fires every timer due at the current time, in time order; returns how many fired.
  int fireDueTimers();

 private:
  struct Entry {
    Timestamp time;
    uint64_t seq;
    Callback callback;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };
  const Clock& clock_;
  uint64_t next_seq_ = 0;
  std::priority_queue<Entry, std::vector<Entry>, Later> timers_;
};

}  // namespace eddy::runtime
