#pragma once

#include <atomic>

#include "eddy/core/time.h"

namespace eddy {

/// Source of processing time. Injected everywhere so tests own time.
/// Thread: implementations are safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Milliseconds since the epoch.
  virtual Timestamp currentTimeMillis() const = 0;
  /// Monotonic nanoseconds, for durations and rates only.
  virtual int64_t nanoTime() const = 0;
};

/// The wall clock; one shared instance.
class SystemClock final : public Clock {
 public:
  static SystemClock& instance();
  Timestamp currentTimeMillis() const override;
  int64_t nanoTime() const override;
};

/// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start_ms = 0) : now_ms_(start_ms) {}
  Timestamp currentTimeMillis() const override { return now_ms_.load(std::memory_order_acquire); }
  int64_t nanoTime() const override { return currentTimeMillis() * 1'000'000; }
  void advance(Duration d) { now_ms_.fetch_add(d.count(), std::memory_order_acq_rel); }
  void set(Timestamp ms) { now_ms_.store(ms, std::memory_order_release); }

 private:
  std::atomic<Timestamp> now_ms_;
};

}  // namespace eddy
