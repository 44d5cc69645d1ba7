#pragma once

#include <algorithm>
#include <cstdint>

#include "eddy/core/clock.h"

namespace eddy::operators {

/// Paces one split reader to about `records_per_second` of processing time (Flink's
/// RateLimiterStrategy.perSecond): counted from start(), record n may go once n / rate
/// seconds have passed. A rate <= 0 means no limit.
/// Thread: the reader's task thread.
class RateLimiter {
 public:
  RateLimiter() = default;
  RateLimiter(double records_per_second, const Clock* clock) : rate_(records_per_second), clock_(clock) {}

  void start() {
    if (rate_ > 0) start_ms_ = clock_->currentTimeMillis();
    emitted_ = 0;
  }
  /// How many records may go now, at most `wanted`; when none, nextAvailableTime()
  /// says when to ask again.
  int64_t allowance(int64_t wanted) const {
    if (rate_ <= 0) return wanted;
    int64_t elapsed = clock_->currentTimeMillis() - start_ms_;
    int64_t due = static_cast<int64_t>(rate_ * static_cast<double>(elapsed + 1) / 1000.0) + 1;
    return std::clamp<int64_t>(due - emitted_, 0, wanted);
  }
  void emitted(int64_t n) { emitted_ += n; }
  Timestamp nextAvailableTime() const {
    return rate_ <= 0 ? 0 : start_ms_ + static_cast<int64_t>(static_cast<double>(emitted_) * 1000.0 / rate_);
  }

 private:
  double rate_ = 0;
  const Clock* clock_ = nullptr;
  Timestamp start_ms_ = 0;
  int64_t emitted_ = 0;
};

}  // namespace eddy::operators
