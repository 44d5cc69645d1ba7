#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "eddy/core/time.h"

namespace eddy::operators {

/// Where a WatermarkGenerator sends watermarks and idleness.
class WatermarkOutput {
 public:
  virtual ~WatermarkOutput() = default;
  virtual void emitWatermark(Timestamp watermark) = 0;
  virtual void markIdle() = 0;
  virtual void markActive() = 0;
};

/// Generates watermarks from events (punctuated) and/or periodically (Flink's
/// WatermarkGenerator). One instance per source split.
template <typename T>
class WatermarkGenerator {
 public:
  virtual ~WatermarkGenerator() = default;
  virtual void onEvent(const T& event, Timestamp event_timestamp, WatermarkOutput& output) = 0;
  /// Called every auto-watermark interval (Default: 200 ms).
  virtual void onPeriodicEmit(WatermarkOutput& output) = 0;
};

/// Flink's BoundedOutOfOrdernessWatermarks: periodically emits max_seen - D - 1.
template <typename T>
class BoundedOutOfOrdernessWatermarks final : public WatermarkGenerator<T> {
 public:
  explicit BoundedOutOfOrdernessWatermarks(int64_t max_out_of_orderness)
      : delay_(max_out_of_orderness), max_ts_(kMinTimestamp + max_out_of_orderness + 1) {}
  void onEvent(const T&, Timestamp ts, WatermarkOutput&) override { max_ts_ = std::max(max_ts_, ts); }
  void onPeriodicEmit(WatermarkOutput& out) override { out.emitWatermark(max_ts_ - delay_ - 1); }

 private:
  int64_t delay_;
  Timestamp max_ts_;
};

/// Punctuated bounded out-of-orderness: after every event, max_seen - D - 1. The source
/// forwards a watermark only when it advances, so this emits whenever the maximum grows.
template <typename T>
class PunctuatedBoundedOutOfOrderness final : public WatermarkGenerator<T> {
 public:
  explicit PunctuatedBoundedOutOfOrderness(int64_t max_out_of_orderness) : delay_(max_out_of_orderness) {}
  void onEvent(const T&, Timestamp ts, WatermarkOutput& out) override {
    if (!seen_ || ts > max_ts_) max_ts_ = ts;
    seen_ = true;
    out.emitWatermark(max_ts_ - delay_ - 1);
  }
  void onPeriodicEmit(WatermarkOutput&) override {}

 private:
  int64_t delay_;
  bool seen_ = false;
  Timestamp max_ts_ = 0;
};

/// Emits nothing; the end of a bounded input still emits the max watermark.
template <typename T>
class NoWatermarksGenerator final : public WatermarkGenerator<T> {
 public:
  void onEvent(const T&, Timestamp, WatermarkOutput&) override {}
  void onPeriodicEmit(WatermarkOutput&) override {}
};

/// Wraps a generator and marks the split idle when no event arrived for more than
/// `timeout` ms of processing time (Flink's WatermarksWithIdleness and IdlenessTimer:
/// inactivity is measured from the first periodic check that saw no new event). While
/// idle the inner generator's periodic watermarks are held back; the next event makes
/// the split active again.
template <typename T>
class WatermarksWithIdleness final : public WatermarkGenerator<T> {
 public:
  WatermarksWithIdleness(std::unique_ptr<WatermarkGenerator<T>> inner, int64_t timeout,
                         std::function<Timestamp()> now)
      : inner_(std::move(inner)), timeout_(timeout), now_(std::move(now)) {}
  void onEvent(const T& e, Timestamp ts, WatermarkOutput& out) override {
    inner_->onEvent(e, ts, out);
    ++events_;
    if (idle_) {
      idle_ = false;
      out.markActive();
    }
  }
  void onPeriodicEmit(WatermarkOutput& out) override {
    if (checkIfIdle()) {
      if (!idle_) {
        idle_ = true;
        out.markIdle();
      }
      return;
    }
    inner_->onPeriodicEmit(out);
  }

 private:
  bool checkIfIdle() {
    if (events_ != last_events_) {
      last_events_ = events_;
      inactive_since_.reset();
      return false;
    }
    if (!inactive_since_) {
      inactive_since_ = now_();
      return false;
    }
    return now_() - *inactive_since_ > timeout_;
  }

  std::unique_ptr<WatermarkGenerator<T>> inner_;
  int64_t timeout_;
  std::function<Timestamp()> now_;
  uint64_t events_ = 0;
  uint64_t last_events_ = 0;
  std::optional<Timestamp> inactive_since_;
  bool idle_ = false;
};

/// How a source assigns timestamps and generates watermarks (Flink's WatermarkStrategy).
/// A value type: copy it freely.
template <typename T>
class WatermarkStrategy {
 public:
  using GeneratorFactory = std::function<std::unique_ptr<WatermarkGenerator<T>>()>;
  using TimestampAssigner = std::function<Timestamp(const T&, Timestamp record_timestamp)>;

  /// Watermark = max timestamp seen - out_of_orderness - 1, emitted periodically.
  static WatermarkStrategy forBoundedOutOfOrderness(Duration max_out_of_orderness) {
    int64_t d = max_out_of_orderness.count();
    return forGenerator([d] { return std::make_unique<BoundedOutOfOrdernessWatermarks<T>>(d); });
  }
  /// Timestamps ascend: bounded out-of-orderness of zero.
  static WatermarkStrategy forMonotonousTimestamps() { return forBoundedOutOfOrderness(Duration(0)); }
  static WatermarkStrategy noWatermarks() {
    return forGenerator([] { return std::make_unique<NoWatermarksGenerator<T>>(); });
  }
  /// A custom periodic or punctuated generator.
  static WatermarkStrategy forGenerator(GeneratorFactory factory) {
    WatermarkStrategy s;
    s.factory_ = std::move(factory);
    return s;
  }

  /// Takes the event timestamp from each record. Without one, the source's own
  /// timestamp (if any) is kept.
  template <typename F>
  WatermarkStrategy withTimestampAssigner(F f) const {
    WatermarkStrategy s = *this;
    if constexpr (std::is_invocable_v<F, const T&, Timestamp>) {
      s.assigner_ = std::move(f);
    } else {
      s.assigner_ = [f = std::move(f)](const T& v, Timestamp) { return f(v); };
    }
    return s;
  }
  /// Marks a split idle after `timeout` without records, so it stops holding time back.
  WatermarkStrategy withIdleness(Duration timeout) const {
    WatermarkStrategy s = *this;
    s.idle_timeout_ms_ = timeout.count();
    return s;
  }

  const GeneratorFactory& generatorFactory() const { return factory_; }
  const TimestampAssigner& timestampAssigner() const { return assigner_; }
  int64_t idleTimeoutMs() const { return idle_timeout_ms_; }

 private:
  GeneratorFactory factory_;
  TimestampAssigner assigner_;
  int64_t idle_timeout_ms_ = 0;
};

}  // namespace eddy::operators
