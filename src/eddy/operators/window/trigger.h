#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/window/windows.h"
#include "eddy/state/state.h"

namespace eddy::operators {

/// What a trigger decides (Flink's TriggerResult).
enum class TriggerResult { kContinue, kFire, kPurge, kFireAndPurge };
inline bool isFire(TriggerResult r) { return r == TriggerResult::kFire || r == TriggerResult::kFireAndPurge; }
inline bool isPurge(TriggerResult r) { return r == TriggerResult::kPurge || r == TriggerResult::kFireAndPurge; }

/// What a trigger may do, for the current key and window.
class TriggerContext {
 public:
  virtual ~TriggerContext() = default;
  virtual Timestamp getCurrentWatermark() const = 0;
  virtual Timestamp getCurrentProcessingTime() const = 0;
  virtual void registerEventTimeTimer(Timestamp time) = 0;
  virtual void registerProcessingTimeTimer(Timestamp time) = 0;
  virtual void deleteEventTimeTimer(Timestamp time) = 0;
  virtual void deleteProcessingTimeTimer(Timestamp time) = 0;
  /// A long-valued state scoped to the current key and window (counts, fire times).
  virtual state::ValueState<int64_t>& getPartitionedLongState(const std::string& name) = 0;
};

/// During a merge: also folds the merged windows' long state into the result window.
class OnMergeContext : public TriggerContext {
 public:
  enum class MergeOp { kSum, kMin };
  virtual void mergePartitionedLongState(const std::string& name, MergeOp op) = 0;
};

/// Decides when a window fires (Flink's Trigger). `element` points at the record's value
/// of the stream's element type; built-in triggers ignore it.
/// Thread: the task thread only; one instance serves all keys and windows of a subtask,
/// so per-window data lives in partitioned state, never in members.
template <typename W>
class Trigger {
 public:
  virtual ~Trigger() = default;
  virtual TriggerResult onElement(const void* element, Timestamp timestamp, const W& window,
                                  TriggerContext& ctx) = 0;
  virtual TriggerResult onEventTime(Timestamp time, const W& window, TriggerContext& ctx) = 0;
  virtual TriggerResult onProcessingTime(Timestamp time, const W& window, TriggerContext& ctx) = 0;
  virtual bool canMerge() const { return false; }
  /// True when onElement, for a window that already holds elements and whose end the
  /// watermark has not reached, does nothing its first element did not already do (it
  /// re-registers the same end-of-window timer and returns CONTINUE). The operator then
  /// skips the call on the hot path. Custom triggers keep `false`.
  virtual bool onlyTimesWindowEnd() const { return false; }
  virtual void onMerge(const W& window, OnMergeContext& ctx) {
    (void)window;
    (void)ctx;
    throw std::logic_error("This trigger does not support merging.");
  }
  virtual void clear(const W& window, TriggerContext& ctx) = 0;
};

/// Fires when the watermark passes the window's end (the default of event-time windows).
template <typename W>
class EventTimeTriggerT final : public Trigger<W> {
 public:
  TriggerResult onElement(const void*, Timestamp, const W& window, TriggerContext& ctx) override {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
      return TriggerResult::kFire;  // Flink: a late element within allowed lateness fires at once.
    }
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return TriggerResult::kContinue;
  }
  TriggerResult onEventTime(Timestamp time, const W& window, TriggerContext&) override {
    return time == window.maxTimestamp() ? TriggerResult::kFire : TriggerResult::kContinue;
  }
  TriggerResult onProcessingTime(Timestamp, const W&, TriggerContext&) override {
    return TriggerResult::kContinue;
  }
  bool canMerge() const override { return true; }
  bool onlyTimesWindowEnd() const override { return true; }
  void onMerge(const W& window, OnMergeContext& ctx) override {
    // Flink: only register a timer if the watermark is not yet past the end of the
    // merged window, otherwise it would fire again after cleanup.
    if (window.maxTimestamp() > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(window.maxTimestamp());
  }
  void clear(const W& window, TriggerContext& ctx) override { ctx.deleteEventTimeTimer(window.maxTimestamp()); }
};

/// Fires when processing time passes the window's end.
template <typename W>
class ProcessingTimeTriggerT final : public Trigger<W> {
 public:
  TriggerResult onElement(const void*, Timestamp, const W& window, TriggerContext& ctx) override {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return TriggerResult::kContinue;
  }
  TriggerResult onEventTime(Timestamp, const W&, TriggerContext&) override { return TriggerResult::kContinue; }
  TriggerResult onProcessingTime(Timestamp, const W&, TriggerContext&) override { return TriggerResult::kFire; }
  bool canMerge() const override { return true; }
  void onMerge(const W& window, OnMergeContext& ctx) override {
    if (window.maxTimestamp() > ctx.getCurrentProcessingTime()) ctx.registerProcessingTimeTimer(window.maxTimestamp());
  }
  void clear(const W& window, TriggerContext& ctx) override {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }
};

/// Fires every `count` elements of a window.
template <typename W>
class CountTriggerT final : public Trigger<W> {
 public:
  explicit CountTriggerT(int64_t count) : count_(count) {}
  static std::shared_ptr<Trigger<W>> of(int64_t count) { return std::make_shared<CountTriggerT>(count); }
  TriggerResult onElement(const void*, Timestamp, const W&, TriggerContext& ctx) override {
    auto& state = ctx.getPartitionedLongState(kState);
    int64_t n = state.value().value_or(0) + 1;
    if (n >= count_) {
      state.clear();
      return TriggerResult::kFire;
    }
    state.update(n);
    return TriggerResult::kContinue;
  }
  TriggerResult onEventTime(Timestamp, const W&, TriggerContext&) override { return TriggerResult::kContinue; }
  TriggerResult onProcessingTime(Timestamp, const W&, TriggerContext&) override { return TriggerResult::kContinue; }
  bool canMerge() const override { return true; }
  void onMerge(const W&, OnMergeContext& ctx) override {
    ctx.mergePartitionedLongState(kState, OnMergeContext::MergeOp::kSum);
  }
  void clear(const W&, TriggerContext& ctx) override { ctx.getPartitionedLongState(kState).clear(); }

 private:
  static constexpr const char* kState = "count";
  int64_t count_;
};

/// Turns every FIRE of the wrapped trigger into FIRE_AND_PURGE.
template <typename W>
class PurgingTriggerT final : public Trigger<W> {
 public:
  explicit PurgingTriggerT(std::shared_ptr<Trigger<W>> nested) : nested_(std::move(nested)) {}
  static std::shared_ptr<Trigger<W>> of(std::shared_ptr<Trigger<W>> nested) {
    return std::make_shared<PurgingTriggerT>(std::move(nested));
  }
  TriggerResult onElement(const void* e, Timestamp ts, const W& w, TriggerContext& ctx) override {
    return purge(nested_->onElement(e, ts, w, ctx));
  }
  TriggerResult onEventTime(Timestamp t, const W& w, TriggerContext& ctx) override {
    return purge(nested_->onEventTime(t, w, ctx));
  }
  TriggerResult onProcessingTime(Timestamp t, const W& w, TriggerContext& ctx) override {
    return purge(nested_->onProcessingTime(t, w, ctx));
  }
  bool canMerge() const override { return nested_->canMerge(); }
  void onMerge(const W& w, OnMergeContext& ctx) override { nested_->onMerge(w, ctx); }
  void clear(const W& w, TriggerContext& ctx) override { nested_->clear(w, ctx); }

 private:
  static TriggerResult purge(TriggerResult r) { return isFire(r) ? TriggerResult::kFireAndPurge : r; }
  std::shared_ptr<Trigger<W>> nested_;
};

/// Fires periodically in event time (every `interval` ms of watermark progress) and at
/// the window's end (Flink's ContinuousEventTimeTrigger).
template <typename W>
class ContinuousEventTimeTriggerT final : public Trigger<W> {
 public:
  explicit ContinuousEventTimeTriggerT(int64_t interval) : interval_(interval) {}
  static std::shared_ptr<Trigger<W>> of(Duration interval) {
    return std::make_shared<ContinuousEventTimeTriggerT>(interval.count());
  }
  TriggerResult onElement(const void*, Timestamp ts, const W& window, TriggerContext& ctx) override {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return TriggerResult::kFire;
    ctx.registerEventTimeTimer(window.maxTimestamp());
    auto& fire_time = ctx.getPartitionedLongState(kState);
    if (!fire_time.value()) registerNext(ts - (ts % interval_), window, ctx);
    return TriggerResult::kContinue;
  }
  TriggerResult onEventTime(Timestamp time, const W& window, TriggerContext& ctx) override {
    if (time == window.maxTimestamp()) return TriggerResult::kFire;
    auto& fire_time = ctx.getPartitionedLongState(kState);
    auto t = fire_time.value();
    if (t && *t == time) {
      fire_time.clear();
      registerNext(time, window, ctx);
      return TriggerResult::kFire;
    }
    return TriggerResult::kContinue;
  }
  TriggerResult onProcessingTime(Timestamp, const W&, TriggerContext&) override { return TriggerResult::kContinue; }
  bool canMerge() const override { return true; }
  void onMerge(const W& window, OnMergeContext& ctx) override {
    ctx.mergePartitionedLongState(kState, OnMergeContext::MergeOp::kMin);
    auto t = ctx.getPartitionedLongState(kState).value();
    if (t) ctx.registerEventTimeTimer(*t);
    if (window.maxTimestamp() > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(window.maxTimestamp());
  }
  void clear(const W&, TriggerContext& ctx) override {
    auto& fire_time = ctx.getPartitionedLongState(kState);
    if (auto t = fire_time.value()) ctx.deleteEventTimeTimer(*t);
    fire_time.clear();
  }

 private:
  void registerNext(Timestamp time, const W& window, TriggerContext& ctx) {
    Timestamp next = std::min(time + interval_, window.maxTimestamp());
    ctx.getPartitionedLongState(kState).update(next);
    ctx.registerEventTimeTimer(next);
  }
  static constexpr const char* kState = "fire-time";
  int64_t interval_;
};

/// Never fires (the default of GlobalWindows).
template <typename W>
class NeverTriggerT final : public Trigger<W> {
 public:
  TriggerResult onElement(const void*, Timestamp, const W&, TriggerContext&) override { return TriggerResult::kContinue; }
  TriggerResult onEventTime(Timestamp, const W&, TriggerContext&) override { return TriggerResult::kContinue; }
  TriggerResult onProcessingTime(Timestamp, const W&, TriggerContext&) override { return TriggerResult::kContinue; }
  bool canMerge() const override { return true; }
  void onMerge(const W&, OnMergeContext&) override {}
  void clear(const W&, TriggerContext&) override {}
};

}  // namespace eddy::operators
