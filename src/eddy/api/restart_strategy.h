#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>

#include "eddy/core/time.h"

namespace eddy::api {

/// What a failed job does (Flink's RestartStrategies). Every restart is a full restart
/// from the latest completed checkpoint (or from the start when there is none).
///  - `noRestart()` (the default): the job fails at once.
///  - `fixedDelayRestart(attempts, delay)`: up to `attempts` restarts, `delay` apart.
///  - `exponentialDelayRestart(initial, max, multiplier, reset_threshold)`: unlimited
///    restarts; the delay starts at `initial` and grows by `multiplier` up to `max`, and
///    falls back to `initial` once the job ran `reset_threshold` without failing.
///  - `failureRateRestart(max_failures, interval, delay)`: restarts `delay` apart while
///    fewer than `max_failures` failures fell within the last `interval`.
struct RestartStrategy {
  enum class Kind { kNone, kFixedDelay, kExponentialDelay, kFailureRate };
  Kind kind = Kind::kNone;
  int attempts = 0;   // Fixed delay: restarts allowed. Failure rate: failures per interval.
  Duration delay{0};  // Fixed delay, failure rate; exponential: the initial backoff.
  Duration max_backoff{0};
  double multiplier = 2.0;
  Duration reset_threshold{0};
  Duration failure_interval{0};

  static RestartStrategy noRestart() { return {}; }
  static RestartStrategy fixedDelayRestart(int attempts, Duration delay) {
    RestartStrategy s;
    s.kind = Kind::kFixedDelay;
    s.attempts = attempts;
    s.delay = delay;
    return s;
  }
  static RestartStrategy exponentialDelayRestart(Duration initial_backoff, Duration max_backoff,
                                                 double backoff_multiplier, Duration reset_backoff_threshold) {
    RestartStrategy s;
    s.kind = Kind::kExponentialDelay;
    s.delay = initial_backoff;
    s.max_backoff = max_backoff;
    s.multiplier = backoff_multiplier;
    s.reset_threshold = reset_backoff_threshold;
    return s;
  }
  static RestartStrategy failureRateRestart(int max_failures_per_interval, Duration failure_interval, Duration delay) {
    RestartStrategy s;
    s.kind = Kind::kFailureRate;
    s.attempts = max_failures_per_interval;
    s.failure_interval = failure_interval;
    s.delay = delay;
    return s;
  }
};

/// The decisions of one RestartStrategy over a job's life (Flink's
/// RestartBackoffTimeStrategy): after each failure, restart after how long, or not.
/// Times are the caller's clock in milliseconds, so tests drive it without sleeping.
class RestartBackoff {
 public:
  explicit RestartBackoff(RestartStrategy s) : s_(s), backoff_(s.delay) {}

  /// The attempt that failed at `failed_ms` had started at `started_ms`. Returns the
  /// delay before the next attempt, or nullopt when the job must fail.
  std::optional<Duration> onFailure(Timestamp started_ms, Timestamp failed_ms) {
    ++failures_;
    switch (s_.kind) {
      case RestartStrategy::Kind::kNone:
        return std::nullopt;
      case RestartStrategy::Kind::kFixedDelay:
        if (failures_ > s_.attempts) return std::nullopt;
        return s_.delay;
      case RestartStrategy::Kind::kExponentialDelay: {
        if (failed_ms - started_ms >= s_.reset_threshold.count()) backoff_ = s_.delay;
        Duration now = backoff_;
        auto next = static_cast<int64_t>(static_cast<double>(backoff_.count()) * s_.multiplier);
        backoff_ = Duration(std::min<int64_t>(std::max<int64_t>(next, 1), s_.max_backoff.count()));
        return std::min(now, s_.max_backoff);
      }
      case RestartStrategy::Kind::kFailureRate:
        recent_.push_back(failed_ms);
        while (!recent_.empty() && recent_.front() <= failed_ms - s_.failure_interval.count()) recent_.pop_front();
        if (static_cast<int>(recent_.size()) > s_.attempts) return std::nullopt;
        return s_.delay;
    }
    return std::nullopt;
  }

 private:
  RestartStrategy s_;
  Duration backoff_;
  int failures_ = 0;
  std::deque<Timestamp> recent_;  // Failure times within the interval (failure rate).
};

}  // namespace eddy::api
