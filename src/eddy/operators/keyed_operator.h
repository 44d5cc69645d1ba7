#pragma once

#include <functional>
#include <memory>

#include "eddy/operators/functions.h"
#include "eddy/runtime/chain_outputs.h"
#include "eddy/runtime/internal_timer_service.h"

namespace eddy::operators {

/// Extracts the key of a record (Flink's KeySelector).
template <typename T, typename K>
using KeySelector = std::function<K(const T&)>;

/// Holds what every keyed operator has: the key selector, the heap keyed state backend
/// for the subtask's key-group range, and the current key.
template <typename K, typename IN>
class KeyedSupport {
 public:
  explicit KeyedSupport(KeySelector<IN, K> selector) : selector_(std::move(selector)) {}

  void openBackend(const runtime::OperatorContext& ctx) {
    KeyGroupRange range = KeyGroupRange::forOperator(ctx.max_parallelism, ctx.parallelism, ctx.subtask_index);
    backend_ = std::make_unique<state::HeapKeyedStateBackend<K>>(
        range, ctx.max_parallelism, &ctx.processing_time->clock());
  }
  void setKeyOf(const IN& value) { backend_->setCurrentKey(selector_(value)); }
  state::HeapKeyedStateBackend<K>& backend() { return *backend_; }

 protected:
  KeySelector<IN, K> selector_;
  std::unique_ptr<state::HeapKeyedStateBackend<K>> backend_;
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
    timer_service_ = std::make_unique<KeyedTimerService<K>>(timers_.get());
    runtime_context_ = std::make_unique<KeyedRuntimeContext<K>>(&ctx, this->backend_.get());
    collector_ = std::make_unique<TimestampedCollector<OUT>>(out);
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
  void open() override {
    this->openBackend(this->context());
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
