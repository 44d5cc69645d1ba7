#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "eddy/operators/broadcast_state.h"
#include "eddy/operators/functions.h"

namespace eddy::operators {

// Functions over two connected inputs (Flink's streaming.api.functions.co). CoMap and
// CoFlatMap functions are plain classes with map1/map2 (flatMap1/flatMap2) members, so
// they inline; the process functions below are virtual, like their Flink originals.

/// Flink's CoProcessFunction: one function over two non-keyed inputs. Timers are not
/// available (non-keyed), time is readable.
template <typename IN1, typename IN2, typename OUT>
class CoProcessFunction : public RichFunction {
 public:
  using Input1Type = IN1;
  using Input2Type = IN2;
  using OutputType = OUT;
  using Context = ProcessContextBase;
  virtual void processElement1(const IN1& value, Context& ctx, Collector<OUT>& out) = 0;
  virtual void processElement2(const IN2& value, Context& ctx, Collector<OUT>& out) = 0;
};

/// Flink's KeyedCoProcessFunction: two inputs keyed by the same key type, with keyed
/// state and timers shared by both inputs.
template <typename K, typename IN1, typename IN2, typename OUT>
class KeyedCoProcessFunction : public RichFunctionBase<KeyedRuntimeContext<K>> {
 public:
  using KeyType = K;
  using Input1Type = IN1;
  using Input2Type = IN2;
  using OutputType = OUT;
  using Context = typename KeyedProcessFunction<K, IN1, OUT>::Context;
  using OnTimerContext = typename KeyedProcessFunction<K, IN1, OUT>::OnTimerContext;

  virtual void processElement1(const IN1& value, Context& ctx, Collector<OUT>& out) = 0;
  virtual void processElement2(const IN2& value, Context& ctx, Collector<OUT>& out) = 0;
  virtual void onTimer(Timestamp timestamp, OnTimerContext& ctx, Collector<OUT>& out) {
    (void)timestamp;
    (void)ctx;
    (void)out;
  }
};

/// What both sides of a broadcast process function see: the element's timestamp, side
/// outputs, current time, and the broadcast states by descriptor.
class BroadcastContextBase : public ProcessContextBase {
 public:
  BroadcastContextBase(const runtime::OperatorContext* op, TimerService* timers, BroadcastStateStore* states)
      : ProcessContextBase(op, timers), states_(states) {}
  Timestamp currentProcessingTime() { return timerService().currentProcessingTime(); }
  Timestamp currentWatermark() { return timerService().currentWatermark(); }

 protected:
  BroadcastStateStore* states_;
};

/// The broadcast side's context: the broadcast state is writable here.
class BroadcastSideContext : public BroadcastContextBase {
 public:
  using BroadcastContextBase::BroadcastContextBase;
  template <typename UK, typename UV>
  BroadcastState<UK, UV>& getBroadcastState(const state::MapStateDescriptor<UK, UV>& d) {
    return states_->get(d);
  }
};

/// The non-broadcast side's context: the broadcast state is read-only here, because
/// every parallel instance must hold the same broadcast state (Flink's rule).
class ReadOnlyBroadcastSideContext : public BroadcastContextBase {
 public:
  using BroadcastContextBase::BroadcastContextBase;
  template <typename UK, typename UV>
  const ReadOnlyBroadcastState<UK, UV>& getBroadcastState(const state::MapStateDescriptor<UK, UV>& d) {
    return states_->get(d);
  }
};

/// Flink's BroadcastProcessFunction: a non-keyed stream connected to a broadcast stream.
template <typename IN1, typename IN2, typename OUT>
class BroadcastProcessFunction : public RichFunction {
 public:
  using Input1Type = IN1;
  using Input2Type = IN2;
  using OutputType = OUT;
  using Context = BroadcastSideContext;
  using ReadOnlyContext = ReadOnlyBroadcastSideContext;
  virtual void processElement(const IN1& value, ReadOnlyContext& ctx, Collector<OUT>& out) = 0;
  virtual void processBroadcastElement(const IN2& value, Context& ctx, Collector<OUT>& out) = 0;
};

/// Flink's KeyedBroadcastProcessFunction: a keyed stream connected to a broadcast
/// stream. The keyed side has keyed state, timers and read-only broadcast state; the
/// broadcast side may change the broadcast state and visit every key's state with
/// applyToKeyedState.
template <typename K, typename IN1, typename IN2, typename OUT>
class KeyedBroadcastProcessFunction : public RichFunctionBase<KeyedRuntimeContext<K>> {
 public:
  using KeyType = K;
  using Input1Type = IN1;
  using Input2Type = IN2;
  using OutputType = OUT;

  class ReadOnlyContext : public ReadOnlyBroadcastSideContext {
   public:
    using ReadOnlyBroadcastSideContext::ReadOnlyBroadcastSideContext;
    const K& getCurrentKey() const { return *key_; }
    void setKey(const K* key) { key_ = key; }

   private:
    const K* key_ = nullptr;
  };
  class OnTimerContext : public ReadOnlyContext {
   public:
    using ReadOnlyContext::ReadOnlyContext;
    enum class TimeDomain { kEventTime, kProcessingTime };
    TimeDomain timeDomain() const { return domain_; }
    void setDomain(TimeDomain d) { domain_ = d; }

   private:
    TimeDomain domain_ = TimeDomain::kEventTime;
  };
  /// The broadcast side's context. Timers are not available here (there is no current
  /// key), as in Flink.
  class Context : public BroadcastSideContext {
   public:
    /// `visit(descriptor name, fn)` calls fn for every key with state under that name.
    using KeyVisitor = std::function<void(const std::string&, const std::function<void(const K&)>&)>;
    Context(const runtime::OperatorContext* op, TimerService* timers, BroadcastStateStore* states,
            KeyedRuntimeContext<K>* keyed, KeyVisitor visit)
        : BroadcastSideContext(op, timers, states), keyed_(keyed), visit_(std::move(visit)) {}

    /// Calls `fn(key, state)` for every key of this subtask that has state under `d`
    /// (Flink's applyToKeyedState); fn may read, update or clear that state.
    template <typename D, typename Fn>
    void applyToKeyedState(const D& d, Fn fn) {
      visit_(d.name, [&](const K& key) { fn(key, stateFor(d)); });
    }

   private:
    template <typename T>
    state::ValueState<T>& stateFor(const state::ValueStateDescriptor<T>& d) { return keyed_->getState(d); }
    template <typename T>
    state::ListState<T>& stateFor(const state::ListStateDescriptor<T>& d) { return keyed_->getListState(d); }
    template <typename UK, typename UV>
    state::MapState<UK, UV>& stateFor(const state::MapStateDescriptor<UK, UV>& d) {
      return keyed_->getMapState(d);
    }
    template <typename T>
    state::ReducingState<T>& stateFor(const state::ReducingStateDescriptor<T>& d) {
      return keyed_->getReducingState(d);
    }
    template <typename IN, typename ACC, typename R>
    state::AggregatingState<IN, R>& stateFor(const state::AggregatingStateDescriptor<IN, ACC, R>& d) {
      return keyed_->getAggregatingState(d);
    }

    KeyedRuntimeContext<K>* keyed_;
    KeyVisitor visit_;
  };

  virtual void processElement(const IN1& value, ReadOnlyContext& ctx, Collector<OUT>& out) = 0;
  virtual void processBroadcastElement(const IN2& value, Context& ctx, Collector<OUT>& out) = 0;
  virtual void onTimer(Timestamp timestamp, OnTimerContext& ctx, Collector<OUT>& out) {
    (void)timestamp;
    (void)ctx;
    (void)out;
  }
};

}  // namespace eddy::operators
