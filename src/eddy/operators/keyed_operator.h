#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "eddy/operators/functions.h"
#include "eddy/runtime/chain_outputs.h"
#include "eddy/runtime/internal_timer_service.h"

namespace eddy::operators {

/// Extracts the key of a record (Flink's KeySelector).
template <typename T, typename K>
using KeySelector = std::function<K(const T&)>;

/// Holds what every keyed operator has: the key selector, the heap keyed state backend
/// for the subtask's key-group range, and the current key; and writes and restores the
/// keyed part of its snapshots: per key group, the backend's tables, then any number of
/// further parts (timers, window contents) in a fixed order.
template <typename K, typename IN>
class KeyedSupport {
 public:
  explicit KeyedSupport(KeySelector<IN, K> selector) : selector_(std::move(selector)) {}

  /// Keeps what initializeState got until the backend exists.
  Status stashRestored(std::vector<runtime::OperatorSnapshot> restored) {
    restored_ = std::move(restored);
    // Snapshots handed over in memory (tests, harnesses) may not be written out yet.
    for (runtime::OperatorSnapshot& snap : restored_) EDDY_RETURN_IF_ERROR(snap.materialize());
    return Status::ok();
  }
  /// Creates the backend and fills it from the stashed snapshots (their key groups in
  /// this subtask's range).
  void openBackend(const runtime::OperatorContext& ctx) {
    KeyGroupRange range = KeyGroupRange::forOperator(ctx.max_parallelism, ctx.parallelism, ctx.subtask_index);
    backend_ = std::make_unique<state::KeyedStateBackend<K>>(
        range, ctx.max_parallelism, &ctx.processing_time->clock(), ctx.state_backend, ctx.rocksdb);
    if (restored_.empty()) return;
    std::vector<state::KeyedStateSnapshot> tables;
    for (const runtime::OperatorSnapshot& snap : restored_) {
      state::KeyedStateSnapshot ks;
      ks.max_parallelism = snap.max_parallelism;
      for (const auto& [kg, bytes] : snap.key_groups) {
        if (range.contains(kg)) ks.key_groups[kg] = partOf(bytes, 0, kg);
      }
      ks.rocksdb_handle = snap.rocksdb_handle;
      ks.files = snap.files;
      tables.push_back(std::move(ks));
    }
    throwIfError(backend_->restore(tables));
  }
  /// Whether initializeState handed over snapshots (until dropRestored()).
  bool restoring() const { return !restored_.empty(); }
  /// Restores part `part` (1 = the first after the tables) of every stashed key group
  /// in range with `restore(DataInputView&)`.
  template <typename Restore>
  void restorePart(size_t part, Restore&& restore) {
    for (const runtime::OperatorSnapshot& snap : restored_) {
      for (const auto& [kg, bytes] : snap.key_groups) {
        if (!backend_->keyContext().range.contains(kg)) continue;
        std::string data = partOf(bytes, part, kg);
        DataInputView in(data);
        Status st = restore(in);
        if (!st.isOk()) throwIfError(Status(st.code(), "key group " + std::to_string(kg) + ": " + st.message()));
      }
    }
  }
  /// The keyed snapshot for checkpoint `checkpoint_id`: the tables, then each of
  /// `parts`, which fills one output per key group of the range (index = key group -
  /// range start). With incremental RocksDB checkpoints the tables are files instead.
  /// In full snapshots the tables are frozen and written later (the parts now, they are
  /// small: timers and window contents).
  Result<runtime::OperatorSnapshot> snapshotKeyed(
      int64_t checkpoint_id, const std::vector<std::function<Status(std::vector<DataOutputView>&)>>& parts) const {
    EDDY_ASSIGN_OR_RETURN(state::KeyedStateSnapshot tables, backend_->snapshot(checkpoint_id));
    std::vector<std::vector<DataOutputView>> extra(parts.size());
    for (size_t i = 0; i < parts.size(); ++i) EDDY_RETURN_IF_ERROR(parts[i](extra[i]));
    runtime::OperatorSnapshot snap;
    snap.max_parallelism = tables.max_parallelism;
    snap.rocksdb_handle = std::move(tables.rocksdb_handle);
    snap.files = std::move(tables.files);
    snap.files_owner = std::move(tables.files_owner);
    const KeyGroupRange& range = backend_->keyContext().range;
    if (tables.deferred != nullptr) {
      snap.deferred_key_groups = std::make_shared<PartsWriter>(std::move(tables.deferred), std::move(extra));
      return snap;
    }
    for (int kg = range.start; kg <= range.end; ++kg) {
      DataOutputView out;
      out.writeString(tables.key_groups[kg]);
      for (auto& e : extra) out.writeString(e[static_cast<size_t>(kg - range.start)].data());
      snap.key_groups[kg] = out.release();
    }
    return snap;
  }

  /// Frees the stashed snapshots once every part is restored.
  void dropRestored() { restored_.clear(); }

  void setKeyOf(const IN& value) { backend_->setCurrentKey(selector_(value)); }
  state::KeyedStateBackend<K>& backend() { return *backend_; }

 protected:
  KeySelector<IN, K> selector_;
  std::unique_ptr<state::KeyedStateBackend<K>> backend_;

 private:
  /// A key group's bytes: the frozen tables' bytes, then each part's.
  class PartsWriter final : public state::KeyGroupWriter {
   public:
    PartsWriter(std::shared_ptr<const state::KeyGroupWriter> tables, std::vector<std::vector<DataOutputView>> parts)
        : tables_(std::move(tables)), parts_(std::move(parts)) {}
    KeyGroupRange range() const override { return tables_->range(); }
    Status writeKeyGroup(int key_group, DataOutputView& out) const override {
      DataOutputView tables;
      EDDY_RETURN_IF_ERROR(tables_->writeKeyGroup(key_group, tables));
      out.writeString(tables.data());
      const auto index = static_cast<size_t>(key_group - range().start);
      for (const auto& part : parts_) out.writeString(part[index].data());
      return Status::ok();
    }

   private:
    std::shared_ptr<const state::KeyGroupWriter> tables_;
    std::vector<std::vector<DataOutputView>> parts_;
  };

  static std::string partOf(const std::string& bytes, size_t part, int kg) {
    DataInputView in(bytes);
    for (size_t i = 0;; ++i) {
      Result<std::string> s = in.readString();
      if (!s.isOk()) {
        throwIfError(Status(s.status().code(), "key group " + std::to_string(kg) + ": " + s.status().message()));
      }
      if (i == part) return std::move(*s);
    }
  }
  static void throwIfError(const Status& st) {
    if (!st.isOk()) throw std::runtime_error("restoring keyed state: " + st.message());
  }
  std::vector<runtime::OperatorSnapshot> restored_;
};

/// A user-facing TimerService over an operator's internal timer service, for the
/// current key and the void namespace.
template <typename K>
class KeyedTimerService final : public TimerService {
 public:
  explicit KeyedTimerService(runtime::InternalTimerService<K, state::VoidNamespace>* t) : t_(t) {}
  Timestamp currentProcessingTime() const override { return t_->currentProcessingTime(); }
  Timestamp currentWatermark() const override { return t_->currentWatermark(); }
  void registerEventTimeTimer(Timestamp time) override { t_->registerEventTimeTimer({}, time); }
  void registerProcessingTimeTimer(Timestamp time) override { t_->registerProcessingTimeTimer({}, time); }
  void deleteEventTimeTimer(Timestamp time) override { t_->deleteEventTimeTimer({}, time); }
  void deleteProcessingTimeTimer(Timestamp time) override { t_->deleteProcessingTimeTimer({}, time); }

 private:
  runtime::InternalTimerService<K, state::VoidNamespace>* t_;
};

/// What every operator running a keyed process function has: the keyed backend and the
/// first input's key selector (KeyedSupport), timers in the void namespace, the runtime
/// context over the backend, and the collector; fireTimer runs onTimer as Flink does.
template <typename K, typename IN1, typename OUT>
class KeyedFunctionSupport : protected KeyedSupport<K, IN1> {
 protected:
  using Timers = runtime::InternalTimerService<K, state::VoidNamespace>;
  explicit KeyedFunctionSupport(KeySelector<IN1, K> selector1) : KeyedSupport<K, IN1>(std::move(selector1)) {}

  void openKeyed(const runtime::OperatorContext& ctx, runtime::Output<OUT>* out,
                 runtime::Triggerable<K, state::VoidNamespace>* target) {
    this->openBackend(ctx);
    timers_ = std::make_unique<Timers>(this->backend_.get(), ctx.processing_time, target);
    this->restorePart(1, [&](DataInputView& in) { return timers_->restoreTimers(in); });
    this->dropRestored();
    timer_service_ = std::make_unique<KeyedTimerService<K>>(timers_.get());
    runtime_context_ = std::make_unique<KeyedRuntimeContext<K>>(&ctx, this->backend_.get());
    collector_ = std::make_unique<TimestampedCollector<OUT>>(out);
  }
  /// The keyed state and the timers.
  Result<runtime::OperatorSnapshot> snapshotWithTimers(int64_t checkpoint_id) const {
    return this->snapshotKeyed(checkpoint_id, {[&](std::vector<DataOutputView>& out) { return timers_->snapshotTimers(out); }});
  }

  /// Sets up `ctx` (an OnTimerContext) for timer `t` and runs `on_timer`, naming `op` in
  /// a failure. Flink: records emitted from onTimer carry the timer's timestamp in event
  /// time and none in processing time.
  template <typename TimerCtx, typename OnTimer>
  void fireTimer(const runtime::StreamOperatorBase& op, const runtime::InternalTimer<K, state::VoidNamespace>& t,
                 bool event_time, TimerCtx& ctx, OnTimer on_timer) {
    Timestamp ts = event_time ? t.timestamp : runtime::kNoTimestamp;
    ctx.setTimestamp(ts);
    ctx.setDomain(event_time ? TimerCtx::TimeDomain::kEventTime : TimerCtx::TimeDomain::kProcessingTime);
    ctx.setKey(&this->backend_->getCurrentKey());
    collector_->setTimestamp(ts);
    runtime::runAs(op, on_timer);
  }

  std::unique_ptr<Timers> timers_;
  std::unique_ptr<KeyedTimerService<K>> timer_service_;
  std::unique_ptr<KeyedRuntimeContext<K>> runtime_context_;
  std::unique_ptr<TimestampedCollector<OUT>> collector_;
};

/// Runs a KeyedProcessFunction `F` (Flink's KeyedProcessOperator).
template <typename K, typename IN, typename OUT, typename F>
class KeyedProcessOperator final
    : public runtime::OneInputStreamOperator<IN, OUT>,
      public runtime::Triggerable<K, state::VoidNamespace>,
      private KeyedFunctionSupport<K, IN, OUT> {
  using Fn = KeyedProcessFunction<K, IN, OUT>;
  using Timer = runtime::InternalTimer<K, state::VoidNamespace>;

 public:
  KeyedProcessOperator(F f, KeySelector<IN, K> selector)
      : KeyedFunctionSupport<K, IN, OUT>(std::move(selector)), f_(std::move(f)) {}

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return this->stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override { return this->snapshotWithTimers(id); }

  void open() override {
    this->openKeyed(this->context(), &this->output(), this);
    ctx_ = std::make_unique<typename Fn::Context>(&this->context(), this->timer_service_.get());
    timer_ctx_ = std::make_unique<typename Fn::OnTimerContext>(&this->context(), this->timer_service_.get());
    f_.setRuntimeContext(this->runtime_context_.get());
    f_.open();
  }
  void close() override { f_.close(); }

  void processElement(const runtime::StreamRecord<IN>& r) override {
    this->setKeyOf(r.value);
    ctx_->setTimestamp(r.timestamp);
    ctx_->setKey(&this->backend_->getCurrentKey());
    this->collector_->setTimestamp(r.timestamp);
    f_.processElement(r.value, *ctx_, *this->collector_);
  }
  void processWatermark(runtime::Watermark wm) override {
    this->timers_->advanceWatermark(wm.timestamp);
    this->emitWatermark(wm);
  }
  void onEventTime(const Timer& t) override { fire(t, /*event_time=*/true); }
  void onProcessingTime(const Timer& t) override { fire(t, /*event_time=*/false); }

 private:
  void fire(const Timer& t, bool event_time) {
    this->fireTimer(*this, t, event_time, *timer_ctx_, [&] { f_.onTimer(t.timestamp, *timer_ctx_, *this->collector_); });
  }

  F f_;
  std::unique_ptr<typename Fn::Context> ctx_;
  std::unique_ptr<typename Fn::OnTimerContext> timer_ctx_;
};

/// Rolling reduce per key (Flink's StreamGroupedReduceOperator): emits the new
/// aggregate for every record.
template <typename K, typename T, typename F>
class KeyedReduceOperator final : public runtime::OneInputStreamOperator<T, T>,
                                  private KeyedSupport<K, T> {
 public:
  KeyedReduceOperator(F f, KeySelector<T, K> selector)
      : KeyedSupport<K, T>(std::move(selector)), f_(std::move(f)) {}
  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return this->stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override { return this->snapshotKeyed(id, {}); }
  void open() override {
    this->openBackend(this->context());
    this->dropRestored();
    table_ = this->backend_->template table<state::VoidNamespace, T>("_reduce");
  }
  void processElement(const runtime::StreamRecord<T>& r) override {
    this->setKeyOf(r.value);
    T* current = table_->get({});
    if (current == nullptr) {
      table_->getOrCreate({}) = r.value;
      this->output().collect(r);
      return;
    }
    *current = f_(*current, r.value);
    this->output().collect(runtime::StreamRecord<T>{*current, r.timestamp});
  }

 private:
  F f_;
  state::StateTable<K, state::VoidNamespace, T>* table_ = nullptr;
};

}  // namespace eddy::operators
