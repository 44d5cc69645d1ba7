#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "eddy/runtime/output.h"
#include "eddy/runtime/stream_operator.h"
#include "eddy/state/keyed_state_backend.h"

namespace eddy::operators {

// The user-function contracts the operators call (Flink's api.common.functions and
// streaming.api.functions), in C++ idiom. A function object must be copyable: every
// parallel subtask gets its own copy, as Flink deserializes one per subtask.

/// Receives a function's results.
template <typename T>
class Collector {
 public:
  virtual ~Collector() = default;
  virtual void collect(const T& value) = 0;
};

/// What a rich function can ask about where it runs.
class RuntimeContext {
 public:
  explicit RuntimeContext(const runtime::OperatorContext* ctx) : ctx_(ctx) {}
  virtual ~RuntimeContext() = default;
  int getIndexOfThisSubtask() const { return ctx_->subtask_index; }
  int getNumberOfParallelSubtasks() const { return ctx_->parallelism; }
  int getMaxNumberOfParallelSubtasks() const { return ctx_->max_parallelism; }
  const std::string& getTaskName() const { return ctx_->operator_name; }
  const std::string& getTaskNameWithSubtasks() const { return ctx_->task_name; }
  /// Flink's StreamingRuntimeContext::isCheckpointingEnabled.
  bool isCheckpointingEnabled() const { return ctx_->checkpointing; }
  /// The task's processing time (its injected clock).
  Timestamp getCurrentProcessingTime() const { return ctx_->processing_time->getCurrentProcessingTime(); }
  /// Unique to this execution of the job, shared by its subtasks (see OperatorContext).
  const std::string& getAttemptId() const { return ctx_->attempt_id; }
  /// True when this subtask restarts alone with its failover region while others run.
  bool isRegionRestart() const { return ctx_->region_restart; }

  /// Registers an accumulator the function owns (usually a member); its merged result
  /// is in the job result under `name`. A name can be registered once per task.
  void addAccumulator(const std::string& name, runtime::AccumulatorBase* accumulator) {
    registry().add(name, accumulator);
  }
  /// The accumulator registered under `name` in this task, or nullptr.
  template <typename A>
  A* getAccumulator(const std::string& name) {
    return dynamic_cast<A*>(registry().get(name));
  }
  /// Flink's shortcuts: the counter of that name, created on first use.
  runtime::IntCounter& getIntCounter(const std::string& name) { return registry().getOrCreate<runtime::IntCounter>(name); }
  runtime::LongCounter& getLongCounter(const std::string& name) {
    return registry().getOrCreate<runtime::LongCounter>(name);
  }
  runtime::DoubleCounter& getDoubleCounter(const std::string& name) {
    return registry().getOrCreate<runtime::DoubleCounter>(name);
  }
  runtime::Histogram& getHistogram(const std::string& name) { return registry().getOrCreate<runtime::Histogram>(name); }

 private:
  runtime::AccumulatorRegistry& registry() {
    if (ctx_->accumulators == nullptr) throw std::logic_error("Accumulators are not available here.");
    return *ctx_->accumulators;
  }
  const runtime::OperatorContext* ctx_;
};

/// The runtime context of a function on a keyed stream: keyed state of the current key.
template <typename K>
class KeyedRuntimeContext : public RuntimeContext {
 public:
  KeyedRuntimeContext(const runtime::OperatorContext* ctx, state::KeyedStateBackend<K>* backend)
      : RuntimeContext(ctx), backend_(backend) {}
  template <typename T>
  state::ValueState<T>& getState(const state::ValueStateDescriptor<T>& d) { return *backend_->getState(d); }
  template <typename T>
  state::ListState<T>& getListState(const state::ListStateDescriptor<T>& d) {
    return *backend_->getListState(d);
  }
  template <typename UK, typename UV>
  state::MapState<UK, UV>& getMapState(const state::MapStateDescriptor<UK, UV>& d) {
    return *backend_->getMapState(d);
  }
  template <typename T>
  state::ReducingState<T>& getReducingState(const state::ReducingStateDescriptor<T>& d) {
    return *backend_->getReducingState(d);
  }
  template <typename IN, typename ACC, typename OUT>
  state::AggregatingState<IN, OUT>& getAggregatingState(
      const state::AggregatingStateDescriptor<IN, ACC, OUT>& d) {
    return *backend_->getAggregatingState(d);
  }

 private:
  state::KeyedStateBackend<K>* backend_;
};

/// open()/close() around the function's life; open() may obtain state handles.
template <typename Ctx = RuntimeContext>
class RichFunctionBase {
 public:
  virtual ~RichFunctionBase() = default;
  virtual void open() {}
  virtual void close() {}
  Ctx& getRuntimeContext() {
    if (runtime_context_ == nullptr) throw std::logic_error("The runtime context has not been initialized.");
    return *runtime_context_;
  }
  void setRuntimeContext(Ctx* ctx) { runtime_context_ = ctx; }

 private:
  Ctx* runtime_context_ = nullptr;
};
using RichFunction = RichFunctionBase<RuntimeContext>;

/// Timers and time, as seen by a process function (Flink's TimerService).
class TimerService {
 public:
  virtual ~TimerService() = default;
  virtual Timestamp currentProcessingTime() const = 0;
  virtual Timestamp currentWatermark() const = 0;
  virtual void registerEventTimeTimer(Timestamp time) = 0;
  virtual void registerProcessingTimeTimer(Timestamp time) = 0;
  virtual void deleteEventTimeTimer(Timestamp time) = 0;
  virtual void deleteProcessingTimeTimer(Timestamp time) = 0;
};

/// A TimerService whose time is readable but which refuses timers, with `refusal` as the
/// message (non-keyed streams, window functions).
class ReadOnlyTimerService : public TimerService {
 public:
  explicit ReadOnlyTimerService(const char* refusal) : refusal_(refusal) {}
  void registerEventTimeTimer(Timestamp) override { refuse(); }
  void registerProcessingTimeTimer(Timestamp) override { refuse(); }
  void deleteEventTimeTimer(Timestamp) override { refuse(); }
  void deleteProcessingTimeTimer(Timestamp) override { refuse(); }

 private:
  [[noreturn]] void refuse() const { throw std::logic_error(refusal_); }
  const char* refusal_;
};

/// The side of a context every process function shares: the element's timestamp and
/// side outputs.
class ProcessContextBase {
 public:
  ProcessContextBase(const runtime::OperatorContext* op, TimerService* timers)
      : op_(op), timers_(timers) {}
  virtual ~ProcessContextBase() = default;

  /// The timestamp of the element (or of the firing timer); nullopt when it has none.
  std::optional<Timestamp> timestamp() const {
    if (timestamp_ == runtime::kNoTimestamp) return std::nullopt;
    return timestamp_;
  }
  TimerService& timerService() { return *timers_; }

  /// Emits to the side output `tag`, with the current timestamp.
  template <typename X>
  void output(const runtime::OutputTag<X>& tag, const X& value) {
    auto it = op_->side_outputs.find(tag.getId());
    if (it == op_->side_outputs.end()) return;
    static_cast<runtime::Output<X>*>(it->second)->collect(runtime::StreamRecord<X>{value, timestamp_});
  }

  void setTimestamp(Timestamp ts) { timestamp_ = ts; }

 private:
  const runtime::OperatorContext* op_;
  TimerService* timers_;
  Timestamp timestamp_ = runtime::kNoTimestamp;
};

/// Flink's ProcessFunction on a non-keyed stream (timers are not available there).
template <typename IN, typename OUT>
class ProcessFunction : public RichFunction {
 public:
  using InputType = IN;
  using OutputType = OUT;
  using Context = ProcessContextBase;
  virtual void processElement(const IN& value, Context& ctx, Collector<OUT>& out) = 0;
};

/// Flink's KeyedProcessFunction: per-key state and timers.
template <typename K, typename IN, typename OUT>
class KeyedProcessFunction : public RichFunctionBase<KeyedRuntimeContext<K>> {
 public:
  using KeyType = K;
  using InputType = IN;
  using OutputType = OUT;

  class Context : public ProcessContextBase {
   public:
    using ProcessContextBase::ProcessContextBase;
    const K& getCurrentKey() const { return *key_; }
    void setKey(const K* key) { key_ = key; }

   private:
    const K* key_ = nullptr;
  };
  /// In onTimer: also tells which time domain fired.
  class OnTimerContext : public Context {
   public:
    using Context::Context;
    enum class TimeDomain { kEventTime, kProcessingTime };
    TimeDomain timeDomain() const { return domain_; }
    void setDomain(TimeDomain d) { domain_ = d; }

   private:
    TimeDomain domain_ = TimeDomain::kEventTime;
  };

  virtual void processElement(const IN& value, Context& ctx, Collector<OUT>& out) = 0;
  virtual void onTimer(Timestamp timestamp, OnTimerContext& ctx, Collector<OUT>& out) {
    (void)timestamp;
    (void)ctx;
    (void)out;
  }
};

/// A Collector that stamps records with a timestamp and hands them to an Output.
template <typename T>
class TimestampedCollector final : public Collector<T> {
 public:
  explicit TimestampedCollector(runtime::Output<T>* out) : out_(out) {}
  void setTimestamp(Timestamp ts) { ts_ = ts; }
  void eraseTimestamp() { ts_ = runtime::kNoTimestamp; }
  void collect(const T& value) override { out_->collect(runtime::StreamRecord<T>{value, ts_}); }

 private:
  runtime::Output<T>* out_;
  Timestamp ts_ = runtime::kNoTimestamp;
};

}  // namespace eddy::operators
