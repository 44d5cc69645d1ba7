#pragma once

#include <functional>
#include <memory>

#include "eddy/operators/functions.h"
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

/// Runs a KeyedProcessFunction `F` (Flink's KeyedProcessOperator).
template <typename K, typename IN, typename OUT, typename F>
class KeyedProcessOperator final
    : public runtime::OneInputStreamOperator<IN, OUT>,
      public runtime::Triggerable<K, state::VoidNamespace>,
      private KeyedSupport<K, IN> {
  using Fn = KeyedProcessFunction<K, IN, OUT>;

 public:
  KeyedProcessOperator(F f, KeySelector<IN, K> selector)
      : KeyedSupport<K, IN>(std::move(selector)), f_(std::move(f)) {}

  void open() override {
    this->openBackend(this->context());
    timers_ = std::make_unique<runtime::InternalTimerService<K, state::VoidNamespace>>(
        this->backend_.get(), this->context().processing_time, this);
    timer_service_ = std::make_unique<KeyedTimerService<K>>(timers_.get());
    runtime_context_ = std::make_unique<KeyedRuntimeContext<K>>(&this->context(), this->backend_.get());
    ctx_ = std::make_unique<typename Fn::Context>(&this->context(), timer_service_.get());
    timer_ctx_ = std::make_unique<typename Fn::OnTimerContext>(&this->context(), timer_service_.get());
    collector_ = std::make_unique<TimestampedCollector<OUT>>(&this->output());
    f_.setRuntimeContext(runtime_context_.get());
    f_.open();
  }
  void close() override { f_.close(); }

  void processElement(const runtime::StreamRecord<IN>& r) override {
    this->setKeyOf(r.value);
    ctx_->setTimestamp(r.timestamp);
    ctx_->setKey(&this->backend_->getCurrentKey());
    collector_->setTimestamp(r.timestamp);
    f_.processElement(r.value, *ctx_, *collector_);
  }
  void processWatermark(runtime::Watermark wm) override {
    timers_->advanceWatermark(wm.timestamp);
    this->emitWatermark(wm);
  }
  void onEventTime(const runtime::InternalTimer<K, state::VoidNamespace>& t) override {
    fire(t, Fn::OnTimerContext::TimeDomain::kEventTime);
  }
  void onProcessingTime(const runtime::InternalTimer<K, state::VoidNamespace>& t) override {
    fire(t, Fn::OnTimerContext::TimeDomain::kProcessingTime);
  }

 private:
  void fire(const runtime::InternalTimer<K, state::VoidNamespace>& t,
            typename Fn::OnTimerContext::TimeDomain domain) {
    // Flink: records emitted from onTimer carry the timer's timestamp for event time,
    // and none for processing time.
    bool event = domain == Fn::OnTimerContext::TimeDomain::kEventTime;
    Timestamp ts = event ? t.timestamp : runtime::kNoTimestamp;
    timer_ctx_->setTimestamp(ts);
    timer_ctx_->setDomain(domain);
    timer_ctx_->setKey(&this->backend_->getCurrentKey());
    collector_->setTimestamp(ts);
    runtime::runAs(*this, [&] { f_.onTimer(t.timestamp, *timer_ctx_, *collector_); });
  }

  F f_;
  std::unique_ptr<runtime::InternalTimerService<K, state::VoidNamespace>> timers_;
  std::unique_ptr<KeyedTimerService<K>> timer_service_;
  std::unique_ptr<KeyedRuntimeContext<K>> runtime_context_;
  std::unique_ptr<typename Fn::Context> ctx_;
  std::unique_ptr<typename Fn::OnTimerContext> timer_ctx_;
  std::unique_ptr<TimestampedCollector<OUT>> collector_;
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
