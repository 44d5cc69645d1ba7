#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/operators/window/evictor.h"
#include "eddy/operators/window/merging_window_set.h"
#include "eddy/operators/window/window_major_contents.h"
#include "eddy/operators/window/window_contents.h"
#include "eddy/operators/window/window_assigner.h"
#include "eddy/operators/window/window_function.h"

namespace eddy::operators {

/// How a window operator is configured, whatever its contents and output.
template <typename IN, typename W>
struct WindowOperatorConfig {
  std::shared_ptr<WindowAssigner<W>> assigner;
  std::shared_ptr<Trigger<W>> trigger;
  std::shared_ptr<Evictor> evictor;  // Requires ListContents.
  int64_t allowed_lateness = 0;
  std::optional<runtime::OutputTag<IN>> late_data_tag;
};

/// Flink's WindowOperator: assigns each record of a keyed stream to windows, keeps the
/// window contents in keyed state (namespace = window), asks the trigger when to fire,
/// emits through the window function, and cleans up at maxTimestamp + allowedLateness.
///
/// Semantics, as in Flink: a window is late when `maxTimestamp + allowedLateness <=
/// watermark` (event time); a record none of whose windows is live is dropped, and goes
/// to the late-data side output when `timestamp + allowedLateness <= watermark`.
/// Fired records carry the window's maxTimestamp.
///
/// `Contents` is one of ReduceContents, AggregateContents, ListContents.
/// Thread: the task thread only.
template <typename K, typename IN, typename OUT, typename W, typename Contents>
class WindowOperator final : public runtime::OneInputStreamOperator<IN, OUT>,
                             public runtime::Triggerable<K, W>,
                             private KeyedSupport<K, IN> {
  using Acc = typename Contents::Acc;
  using Timer = runtime::InternalTimer<K, W>;

 public:
  using Config = WindowOperatorConfig<IN, W>;

  WindowOperator(KeySelector<IN, K> selector, Config config, Contents contents,
                 WindowFunctionRunner<K, W, Acc, OUT> runner)
      : KeyedSupport<K, IN>(std::move(selector)), cfg_(std::move(config)),
        contents_(std::move(contents)), runner_(std::move(runner)),
        event_time_(cfg_.assigner->isEventTime()), trigger_ctx_(this) {
    if (cfg_.allowed_lateness < 0) throw std::invalid_argument("The allowed lateness cannot be negative.");
  }

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return this->stashRestored(std::move(restored));
  }
  /// Keyed parts: the tables, the timers, then the window-major contents (empty unless
  /// that mode is on). A snapshot restores into either mode.
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    return this->snapshotKeyed(id, {[&](std::vector<DataOutputView>& out) { return timers_->snapshotTimers(out); },
                                [&](std::vector<DataOutputView>& out) {
                                  if (window_major_) return window_major_->snapshot(out);
                                  out.assign(static_cast<size_t>(this->backend_->keyContext().range.size()),
                                             DataOutputView());
                                  return Status::ok();
                                }});
  }

  void open() override {
    this->openBackend(this->context());
    window_state_ = this->backend_->template table<W, Acc>("window-contents");
    if (cfg_.assigner->isMerging()) {
      merging_sets_ = this->backend_->template table<state::VoidNamespace, std::vector<std::pair<W, W>>>(
          "merging-window-set");
    }
    timers_ = std::make_unique<runtime::InternalTimerService<K, W>>(
        this->backend_.get(), this->context().processing_time, this);
    time_view_ = std::make_unique<WindowTimeView<K, W>>(timers_.get());
    process_ctx_ = std::make_unique<WindowProcessContext<W>>(&this->context(), time_view_.get());
    runtime_context_ = std::make_unique<KeyedRuntimeContext<K>>(&this->context(), this->backend_.get());
    collector_ = std::make_unique<TimestampedCollector<OUT>>(&this->output());
    runner_.open(runtime_context_.get());
    skip_repeat_triggers_ = !cfg_.assigner->isMerging() && event_time_ &&
                            cfg_.trigger->onlyTimesWindowEnd();
    // Window-major contents live on the heap; with RocksDB the contents stay in state.
    if (skip_repeat_triggers_ && cfg_.allowed_lateness == 0 && !this->backend_->usesRocksDb()) {
      window_major_ = std::make_unique<WindowMajorContents<K, W, Acc>>(this->backend_->keyContext().range.size());
    }
    restoreWindows();
  }
  void close() override { runner_.close(); }

  void processElement(const runtime::StreamRecord<IN>& r) override {
    windows_.clear();
    // Reading the clock costs more than assigning event-time windows.
    Timestamp now = event_time_ ? kMinTimestamp : timers_->currentProcessingTime();
    cfg_.assigner->assignWindows(&r.value, r.timestamp, now, windows_);
    this->setKeyOf(r.value);
    bool skipped = true;
    if (merging_sets_ != nullptr) {
      MergingWindowSet<W> set = loadMergingSet();
      for (const W& w : windows_) {
        W actual = set.addWindow(w, [&](const W& result, const std::vector<W>& merged, const W& state_result,
                                        const std::vector<W>& merged_state) {
          mergeWindows(result, merged, state_result, merged_state);
        });
        if (isWindowLate(actual)) {
          set.retireWindow(actual);
          continue;
        }
        skipped = false;
        W state_window = *set.getStateWindow(actual);
        addAndTrigger(r, actual, state_window);
      }
      persist(set);
    } else {
      for (const W& w : windows_) {
        if (isWindowLate(w)) continue;
        skipped = false;
        if (window_major_) {
          addWindowMajor(r, w);
        } else {
          addAndTrigger(r, w, w);
        }
      }
    }
    if (skipped && isElementLate(r)) {
      if (cfg_.late_data_tag) {
        this->outputSide(*cfg_.late_data_tag, r);
      } else {
        this->context().metrics->num_late_records_dropped.inc();
      }
    }
  }

  void processWatermark(runtime::Watermark wm) override {
    timers_->advanceWatermark(wm.timestamp);
    if (window_major_) fireWindowMajor(wm.timestamp);
    this->emitWatermark(wm);
  }

  void onEventTime(const Timer& t) override { onTimer(t, /*event_time=*/true); }
  void onProcessingTime(const Timer& t) override { onTimer(t, /*event_time=*/false); }

 private:
  // ---- Trigger context over the current key and window.
  class Ctx final : public OnMergeContext {
   public:
    explicit Ctx(WindowOperator* op) : op_(op) {}
    W window{};
    const std::vector<W>* merged = nullptr;

    Timestamp getCurrentWatermark() const override { return op_->timers_->currentWatermark(); }
    Timestamp getCurrentProcessingTime() const override { return op_->timers_->currentProcessingTime(); }
    void registerEventTimeTimer(Timestamp t) override { op_->timers_->registerEventTimeTimer(window, t); }
    void registerProcessingTimeTimer(Timestamp t) override {
      op_->timers_->registerProcessingTimeTimer(window, t);
    }
    void deleteEventTimeTimer(Timestamp t) override { op_->timers_->deleteEventTimeTimer(window, t); }
    void deleteProcessingTimeTimer(Timestamp t) override {
      op_->timers_->deleteProcessingTimeTimer(window, t);
    }
    state::ValueState<int64_t>& getPartitionedLongState(const std::string& name) override {
      auto& h = longState(name);
      h.setCurrentNamespace(window);
      return h;
    }
    void mergePartitionedLongState(const std::string& name, MergeOp op) override {
      auto& h = longState(name);
      std::optional<int64_t> acc;
      for (const W& w : *merged) {
        h.setCurrentNamespace(w);
        if (auto v = h.value()) acc = acc ? (op == MergeOp::kSum ? *acc + *v : std::min(*acc, *v)) : *v;
      }
      h.setCurrentNamespace(window);
      if (auto v = h.value()) acc = acc ? (op == MergeOp::kSum ? *acc + *v : std::min(*acc, *v)) : *v;
      if (acc) h.update(*acc);
    }

   private:
    state::HeapValueState<K, W, int64_t, false>& longState(const std::string& name) {
      auto it = long_states_.find(name);
      if (it == long_states_.end()) {
        auto* table = op_->backend_->template table<W, state::Stamped<int64_t, false>>("trigger-" + name);
        it = long_states_
                 .emplace(name, std::make_unique<state::HeapValueState<K, W, int64_t, false>>(
                                    table, state::TtlPolicy({}, nullptr), std::nullopt))
                 .first;
      }
      return *it->second;
    }
    WindowOperator* op_;
    std::map<std::string, std::unique_ptr<state::HeapValueState<K, W, int64_t, false>>> long_states_;
  };

  // ---- Restore: timers, and window contents into whichever mode this job runs.
  void restoreWindows() {
    this->restorePart(1, [&](DataInputView& in) { return timers_->restoreTimers(in); });
    if (window_major_) {
      // Contents from a general-mode snapshot: move them over (their timers, restored
      // above, then fire on empty windows and do nothing).
      std::vector<std::tuple<int, K, W, Acc>> moved;
      for (int g = 0; g < window_state_->numKeyGroups(); ++g) {
        window_state_->keyGroup(g).forEach([&](const state::StateKey<K, W>& k, Acc& acc) {
          moved.emplace_back(g, k.key, k.ns, std::move(acc));
        });
        window_state_->keyGroup(g).clear();
      }
      for (auto& [g, key, window, acc] : moved) {
        bool created = false;
        window_major_->getOrCreate(g, key, window, &created) = std::move(acc);
      }
    }
    this->restorePart(2, [&](DataInputView& in) {
      return WindowMajorContents<K, W, Acc>::readSnapshot(in, [&](const W& window, const K& key, Acc acc) {
        this->backend_->setCurrentKey(key);
        bool created = false;
        if (window_major_) {
          const state::KeyContext<K>& kc = this->backend_->keyContext();
          window_major_->getOrCreate(kc.key_group_index, key, window, &created) = std::move(acc);
          return;
        }
        // Into the general path: contents plus the timers Flink's trigger would hold.
        window_state_->getOrCreate(window, &created) = std::move(acc);
        timers_->registerEventTimeTimer(window, window.maxTimestamp());
        registerCleanupTimer(window);
      });
    });
    this->dropRestored();
  }

  // ---- Window-major contents (see WindowMajorContents): the same results as the
  // EventTimeTrigger's FIRE at the window end followed by the cleanup there.
  void addWindowMajor(const runtime::StreamRecord<IN>& r, const W& window) {
    bool created = false;
    const state::KeyContext<K>& kc = this->backend_->keyContext();
    Acc& acc = window_major_->getOrCreate(kc.key_group_index, kc.key, window, &created);
    if (created) {
      acc = contents_.create(r);
    } else {
      contents_.add(acc, r);
    }
  }
  void fireWindowMajor(Timestamp watermark) {
    window_major_->fireUpTo(watermark, [&](const W& window, const K& key, Acc& acc) {
      this->backend_->setCurrentKey(key);
      emitWindowContents(window, acc);
      process_ctx_->setWindow(&window);
      runner_.clear(*process_ctx_);
    });
  }

  void addAndTrigger(const runtime::StreamRecord<IN>& r, const W& window, const W& state_window) {
    bool created = false;
    Acc& acc = window_state_->getOrCreate(state_window, &created);
    if (created) {
      acc = contents_.create(r);
    } else {
      contents_.add(acc, r);
      // The first element registered the trigger's and the cleanup timer (the same one
      // without lateness); nothing else can happen until the watermark reaches the end.
      if (skip_repeat_triggers_ && window.maxTimestamp() > timers_->currentWatermark()) return;
    }
    trigger_ctx_.window = window;
    TriggerResult res = cfg_.trigger->onElement(&r.value, r.timestamp, window, trigger_ctx_);
    if (isFire(res)) {
      if (Acc* contents = window_state_->get(state_window)) emitWindowContents(window, *contents);
    }
    if (isPurge(res)) window_state_->remove(state_window);
    registerCleanupTimer(window);
  }

  void onTimer(const Timer& t, bool event_time) {
    trigger_ctx_.window = t.ns;
    std::optional<MergingWindowSet<W>> set;
    W state_window = t.ns;
    if (merging_sets_ != nullptr) {
      set.emplace(loadMergingSet());
      auto sw = set->getStateWindow(t.ns);
      if (!sw) return;  // Flink: the window was merged away or already cleaned up.
      state_window = *sw;
    }
    TriggerResult res = event_time ? cfg_.trigger->onEventTime(t.timestamp, t.ns, trigger_ctx_)
                                   : cfg_.trigger->onProcessingTime(t.timestamp, t.ns, trigger_ctx_);
    if (isFire(res)) {
      if (Acc* contents = window_state_->get(state_window)) emitWindowContents(t.ns, *contents);
    }
    if (isPurge(res)) window_state_->remove(state_window);
    if (event_time == event_time_ && t.timestamp == cleanupTime(t.ns)) {
      clearAllState(t.ns, state_window, set ? &*set : nullptr);
    }
    if (set) persist(*set);
  }

  void emitWindowContents(const W& window, Acc& contents) {
    collector_->setTimestamp(window.maxTimestamp());
    process_ctx_->setWindow(&window);
    process_ctx_->setTimestamp(window.maxTimestamp());
    if (cfg_.evictor) {
      if constexpr (std::is_same_v<Acc, std::vector<runtime::StreamRecord<IN>>>) {
        ListEvictable<IN> elements(&contents);
        cfg_.evictor->evictBefore(elements);
        runner_.process(this->backend_->getCurrentKey(), *process_ctx_, contents, *collector_);
        cfg_.evictor->evictAfter(elements);
        return;
      }
    }
    runner_.process(this->backend_->getCurrentKey(), *process_ctx_, contents, *collector_);
  }

  void clearAllState(const W& window, const W& state_window, MergingWindowSet<W>* set) {
    window_state_->remove(state_window);
    trigger_ctx_.window = window;
    cfg_.trigger->clear(window, trigger_ctx_);
    process_ctx_->setWindow(&window);
    runner_.clear(*process_ctx_);
    if (set != nullptr) set->retireWindow(window);
  }

  void mergeWindows(const W& result, const std::vector<W>& merged, const W& state_result,
                    const std::vector<W>& merged_state) {
    if (event_time_ &&
        result.maxTimestamp() + cfg_.allowed_lateness <= timers_->currentWatermark()) {
      throw std::logic_error(
          "The end timestamp of an event-time window cannot become earlier than the current "
          "watermark by merging. Current watermark: " +
          std::to_string(timers_->currentWatermark()) + " window: " + describe(result));
    }
    if (!event_time_ && result.maxTimestamp() <= timers_->currentProcessingTime()) {
      throw std::logic_error(
          "The end timestamp of a processing-time window cannot become earlier than the current "
          "processing time by merging. Current processing time: " +
          std::to_string(timers_->currentProcessingTime()) + " window: " + describe(result));
    }
    trigger_ctx_.window = result;
    trigger_ctx_.merged = &merged;
    cfg_.trigger->onMerge(result, trigger_ctx_);
    for (const W& m : merged) {
      trigger_ctx_.window = m;
      cfg_.trigger->clear(m, trigger_ctx_);
      deleteCleanupTimer(m);
    }
    trigger_ctx_.merged = nullptr;
    for (const W& s : merged_state) {
      Acc* from = window_state_->get(s);
      if (from == nullptr) continue;
      Acc moved = std::move(*from);
      window_state_->remove(s);
      Acc* into = window_state_->get(state_result);
      if (into == nullptr) {
        window_state_->getOrCreate(state_result) = std::move(moved);
      } else {
        contents_.merge(*into, std::move(moved));
      }
    }
  }

  static std::string describe(const W& w) {
    if constexpr (std::is_same_v<W, TimeWindow>) {
      return "TimeWindow{start=" + std::to_string(w.start) + ", end=" + std::to_string(w.end) + "}";
    } else {
      return "GlobalWindow";
    }
  }

  // Flink: cleanup at maxTimestamp + allowedLateness (saturating) in event time, at
  // maxTimestamp in processing time.
  Timestamp cleanupTime(const W& w) const {
    if (!event_time_) return w.maxTimestamp();
    Timestamp t = w.maxTimestamp() + cfg_.allowed_lateness;
    return t >= w.maxTimestamp() ? t : kMaxTimestamp;
  }
  bool isWindowLate(const W& w) const {
    return event_time_ && cleanupTime(w) <= timers_->currentWatermark();
  }
  bool isElementLate(const runtime::StreamRecord<IN>& r) const {
    return event_time_ && r.timestamp + cfg_.allowed_lateness <= timers_->currentWatermark();
  }
  void registerCleanupTimer(const W& w) {
    Timestamp t = cleanupTime(w);
    if (t == kMaxTimestamp) return;  // Never clean up (e.g. GlobalWindow).
    if (event_time_) {
      timers_->registerEventTimeTimer(w, t);
    } else {
      timers_->registerProcessingTimeTimer(w, t);
    }
  }
  void deleteCleanupTimer(const W& w) {
    Timestamp t = cleanupTime(w);
    if (t == kMaxTimestamp) return;
    if (event_time_) {
      timers_->deleteEventTimeTimer(w, t);
    } else {
      timers_->deleteProcessingTimeTimer(w, t);
    }
  }

  MergingWindowSet<W> loadMergingSet() {
    auto* stored = merging_sets_->get({});
    return MergingWindowSet<W>(cfg_.assigner.get(), stored ? *stored : std::vector<std::pair<W, W>>{});
  }
  void persist(const MergingWindowSet<W>& set) {
    if (set.mapping().empty()) {
      merging_sets_->remove({});
    } else {
      merging_sets_->getOrCreate({}) = set.mapping();
    }
  }

  // Configuration.
  Config cfg_;
  Contents contents_;
  WindowFunctionRunner<K, W, Acc, OUT> runner_;
  // Checkpointed state (in the keyed backend): window contents, merging window sets,
  // trigger state, timers.
  state::StateTable<K, W, Acc>* window_state_ = nullptr;
  state::StateTable<K, state::VoidNamespace, std::vector<std::pair<W, W>>>* merging_sets_ = nullptr;
  std::unique_ptr<WindowMajorContents<K, W, Acc>> window_major_;  // Instead of window_state_ when set.
  std::unique_ptr<runtime::InternalTimerService<K, W>> timers_;
  const bool event_time_;
  // Transient state.
  bool skip_repeat_triggers_ = false;
  Ctx trigger_ctx_;
  std::vector<W> windows_;
  std::unique_ptr<WindowTimeView<K, W>> time_view_;
  std::unique_ptr<WindowProcessContext<W>> process_ctx_;
  std::unique_ptr<KeyedRuntimeContext<K>> runtime_context_;
  std::unique_ptr<TimestampedCollector<OUT>> collector_;
};

}  // namespace eddy::operators
