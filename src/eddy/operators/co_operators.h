#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "eddy/operators/co_functions.h"
#include "eddy/operators/keyed_operator.h"
#include "eddy/operators/simple_operators.h"

namespace eddy::operators {

// Operators over two inputs (Flink's CoStreamMap, CoStreamFlatMap, CoProcessOperator,
// KeyedCoProcessOperator, CoBroadcastWithNonKeyedOperator, CoBroadcastWithKeyedOperator).
// Outputs carry the timestamp of the input record; event time is the minimum of both
// inputs' watermarks (TwoInputStreamOperator).

/// `f.map1(const IN1&) -> OUT` and `f.map2(const IN2&) -> OUT`.
template <typename IN1, typename IN2, typename OUT, typename F>
class CoStreamMap final : public runtime::TwoInputStreamOperator<IN1, IN2, OUT> {
 public:
  explicit CoStreamMap(F f) : f_(std::move(f)) {}
  void processElement1(const runtime::StreamRecord<IN1>& r) override {
    this->output().collect(runtime::StreamRecord<OUT>{f_.map1(r.value), r.timestamp});
  }
  void processElement2(const runtime::StreamRecord<IN2>& r) override {
    this->output().collect(runtime::StreamRecord<OUT>{f_.map2(r.value), r.timestamp});
  }

 private:
  F f_;
};

/// `f.flatMap1(const IN1&, Collector<OUT>&)` and `f.flatMap2(const IN2&, Collector<OUT>&)`.
template <typename IN1, typename IN2, typename OUT, typename F>
class CoStreamFlatMap final : public runtime::TwoInputStreamOperator<IN1, IN2, OUT> {
 public:
  explicit CoStreamFlatMap(F f) : f_(std::move(f)) {}
  void open() override { collector_ = std::make_unique<TimestampedCollector<OUT>>(&this->output()); }
  void processElement1(const runtime::StreamRecord<IN1>& r) override {
    collector_->setTimestamp(r.timestamp);
    f_.flatMap1(r.value, *collector_);
  }
  void processElement2(const runtime::StreamRecord<IN2>& r) override {
    collector_->setTimestamp(r.timestamp);
    f_.flatMap2(r.value, *collector_);
  }

 private:
  F f_;
  std::unique_ptr<TimestampedCollector<OUT>> collector_;
};

/// Runs a CoProcessFunction `F`.
template <typename IN1, typename IN2, typename OUT, typename F>
class CoProcessOperator final : public runtime::TwoInputStreamOperator<IN1, IN2, OUT>,
                                private NonKeyedFunctionSupport<OUT> {
 public:
  explicit CoProcessOperator(F f) : f_(std::move(f)) {}
  void open() override {
    this->openSupport(this->context(), &this->output());
    ctx_ = std::make_unique<ProcessContextBase>(&this->context(), this->timers_.get());
    f_.setRuntimeContext(this->runtime_context_.get());
    f_.open();
  }
  void close() override { f_.close(); }
  void processElement1(const runtime::StreamRecord<IN1>& r) override {
    stamp(r.timestamp);
    f_.processElement1(r.value, *ctx_, *this->collector_);
  }
  void processElement2(const runtime::StreamRecord<IN2>& r) override {
    stamp(r.timestamp);
    f_.processElement2(r.value, *ctx_, *this->collector_);
  }
  void processWatermark(runtime::Watermark wm) override {
    this->watermark_ = wm.timestamp;
    this->emitWatermark(wm);
  }

 private:
  void stamp(Timestamp ts) {
    ctx_->setTimestamp(ts);
    this->collector_->setTimestamp(ts);
  }
  F f_;
  std::unique_ptr<ProcessContextBase> ctx_;
};

/// Every parallel instance holds the same broadcast state, so on restore subtask i takes
/// the copy of earlier subtask i mod (earlier parallelism), as Flink does.
inline Status restoreBroadcastState(BroadcastStateStore& states, const std::vector<runtime::OperatorSnapshot>& restored,
                                    int subtask) {
  if (restored.empty()) return Status::ok();
  return states.restore(restored[static_cast<size_t>(subtask) % restored.size()].operator_state);
}

/// Runs a BroadcastProcessFunction `F`: input 1 is the non-broadcast stream, input 2
/// the broadcast stream.
template <typename IN1, typename IN2, typename OUT, typename F>
class CoBroadcastWithNonKeyedOperator final : public runtime::TwoInputStreamOperator<IN1, IN2, OUT>,
                                              private NonKeyedFunctionSupport<OUT> {
 public:
  CoBroadcastWithNonKeyedOperator(F f, std::vector<std::string> descriptors)
      : f_(std::move(f)), states_(std::move(descriptors)) {}
  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return restoreBroadcastState(states_, restored, this->context().subtask_index);
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t) override {
    runtime::OperatorSnapshot snap;
    snap.max_parallelism = this->context().max_parallelism;
    EDDY_ASSIGN_OR_RETURN(snap.operator_state, states_.snapshot());
    return snap;
  }
  void open() override {
    this->openSupport(this->context(), &this->output());
    ctx_ = std::make_unique<BroadcastSideContext>(&this->context(), this->timers_.get(), &states_);
    read_only_ctx_ = std::make_unique<ReadOnlyBroadcastSideContext>(&this->context(), this->timers_.get(), &states_);
    f_.setRuntimeContext(this->runtime_context_.get());
    f_.open();
  }
  void close() override { f_.close(); }
  void processElement1(const runtime::StreamRecord<IN1>& r) override {
    read_only_ctx_->setTimestamp(r.timestamp);
    this->collector_->setTimestamp(r.timestamp);
    f_.processElement(r.value, *read_only_ctx_, *this->collector_);
  }
  void processElement2(const runtime::StreamRecord<IN2>& r) override {
    ctx_->setTimestamp(r.timestamp);
    this->collector_->setTimestamp(r.timestamp);
    f_.processBroadcastElement(r.value, *ctx_, *this->collector_);
  }
  void processWatermark(runtime::Watermark wm) override {
    this->watermark_ = wm.timestamp;
    this->emitWatermark(wm);
  }

 private:
  F f_;
  BroadcastStateStore states_;
  std::unique_ptr<BroadcastSideContext> ctx_;
  std::unique_ptr<ReadOnlyBroadcastSideContext> read_only_ctx_;
};

/// Runs a KeyedCoProcessFunction `F` over two inputs keyed alike.
template <typename K, typename IN1, typename IN2, typename OUT, typename F>
class KeyedCoProcessOperator final : public runtime::TwoInputStreamOperator<IN1, IN2, OUT>,
                                     public runtime::Triggerable<K, state::VoidNamespace>,
                                     private KeyedFunctionSupport<K, IN1, OUT> {
  using Fn = KeyedCoProcessFunction<K, IN1, IN2, OUT>;
  using Timer = runtime::InternalTimer<K, state::VoidNamespace>;

 public:
  KeyedCoProcessOperator(F f, KeySelector<IN1, K> selector1, KeySelector<IN2, K> selector2)
      : KeyedFunctionSupport<K, IN1, OUT>(std::move(selector1)), selector2_(std::move(selector2)), f_(std::move(f)) {}

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

  void processElement1(const runtime::StreamRecord<IN1>& r) override {
    this->setKeyOf(r.value);
    stamp(r.timestamp);
    f_.processElement1(r.value, *ctx_, *this->collector_);
  }
  void processElement2(const runtime::StreamRecord<IN2>& r) override {
    this->backend_->setCurrentKey(selector2_(r.value));
    stamp(r.timestamp);
    f_.processElement2(r.value, *ctx_, *this->collector_);
  }
  void processWatermark(runtime::Watermark wm) override {
    this->timers_->advanceWatermark(wm.timestamp);
    this->emitWatermark(wm);
  }
  void onEventTime(const Timer& t) override { fire(t, /*event_time=*/true); }
  void onProcessingTime(const Timer& t) override { fire(t, /*event_time=*/false); }

 private:
  void stamp(Timestamp ts) {
    ctx_->setTimestamp(ts);
    ctx_->setKey(&this->backend_->getCurrentKey());
    this->collector_->setTimestamp(ts);
  }
  void fire(const Timer& t, bool event_time) {
    this->fireTimer(*this, t, event_time, *timer_ctx_, [&] { f_.onTimer(t.timestamp, *timer_ctx_, *this->collector_); });
  }

  KeySelector<IN2, K> selector2_;
  F f_;
  std::unique_ptr<typename Fn::Context> ctx_;
  std::unique_ptr<typename Fn::OnTimerContext> timer_ctx_;
};

/// Runs a KeyedBroadcastProcessFunction `F`: input 1 is the keyed stream, input 2 the
/// broadcast stream.
template <typename K, typename IN1, typename IN2, typename OUT, typename F>
class CoBroadcastWithKeyedOperator final : public runtime::TwoInputStreamOperator<IN1, IN2, OUT>,
                                           public runtime::Triggerable<K, state::VoidNamespace>,
                                           private KeyedFunctionSupport<K, IN1, OUT> {
  using Fn = KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>;
  using Timer = runtime::InternalTimer<K, state::VoidNamespace>;

 public:
  CoBroadcastWithKeyedOperator(F f, KeySelector<IN1, K> selector, std::vector<std::string> descriptors)
      : KeyedFunctionSupport<K, IN1, OUT>(std::move(selector)), f_(std::move(f)), states_(std::move(descriptors)) {}
  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    EDDY_RETURN_IF_ERROR(restoreBroadcastState(states_, restored, this->context().subtask_index));
    return this->stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    EDDY_ASSIGN_OR_RETURN(runtime::OperatorSnapshot snap, this->snapshotWithTimers(id));
    EDDY_ASSIGN_OR_RETURN(snap.operator_state, states_.snapshot());
    return snap;
  }

  void open() override {
    this->openKeyed(this->context(), &this->output(), this);
    auto* backend = this->backend_.get();
    auto visit = [backend](const std::string& name, const std::function<void(const K&)>& fn) {
      backend->forEachKey(name, fn);
    };
    ctx_ = std::make_unique<typename Fn::Context>(&this->context(), this->timer_service_.get(), &states_,
                                                  this->runtime_context_.get(), visit);
    read_only_ctx_ =
        std::make_unique<typename Fn::ReadOnlyContext>(&this->context(), this->timer_service_.get(), &states_);
    timer_ctx_ = std::make_unique<typename Fn::OnTimerContext>(&this->context(), this->timer_service_.get(), &states_);
    f_.setRuntimeContext(this->runtime_context_.get());
    f_.open();
  }
  void close() override { f_.close(); }

  void processElement1(const runtime::StreamRecord<IN1>& r) override {
    this->setKeyOf(r.value);
    read_only_ctx_->setTimestamp(r.timestamp);
    read_only_ctx_->setKey(&this->backend_->getCurrentKey());
    this->collector_->setTimestamp(r.timestamp);
    f_.processElement(r.value, *read_only_ctx_, *this->collector_);
  }
  void processElement2(const runtime::StreamRecord<IN2>& r) override {
    ctx_->setTimestamp(r.timestamp);
    this->collector_->setTimestamp(r.timestamp);
    f_.processBroadcastElement(r.value, *ctx_, *this->collector_);
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
  BroadcastStateStore states_;
  std::unique_ptr<typename Fn::Context> ctx_;
  std::unique_ptr<typename Fn::ReadOnlyContext> read_only_ctx_;
  std::unique_ptr<typename Fn::OnTimerContext> timer_ctx_;
};

}  // namespace eddy::operators
