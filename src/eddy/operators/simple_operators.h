#pragma once

#include <utility>

#include "eddy/operators/functions.h"
#include "eddy/operators/operator_state.h"

namespace eddy::operators {

// Record-at-a-time operators whose function type is a template parameter, so a lambda is
// inlined into the operator: no std::function per record.

template <typename IN, typename OUT, typename F>
class StreamMap final : public runtime::OneInputStreamOperator<IN, OUT> {
 public:
  explicit StreamMap(F f) : f_(std::move(f)) {}
  void processElement(const runtime::StreamRecord<IN>& r) override {
    this->output().collect(runtime::StreamRecord<OUT>{f_(r.value), r.timestamp});
  }

 private:
  F f_;
};

template <typename T, typename F>
class StreamFilter final : public runtime::OneInputStreamOperator<T, T> {
 public:
  explicit StreamFilter(F f) : f_(std::move(f)) {}
  void processElement(const runtime::StreamRecord<T>& r) override {
    if (f_(r.value)) this->output().collect(r);
  }

 private:
  F f_;
};

/// `f(value, collector)` emits any number of outputs with the input's timestamp.
template <typename IN, typename OUT, typename F>
class StreamFlatMap final : public runtime::OneInputStreamOperator<IN, OUT> {
 public:
  explicit StreamFlatMap(F f) : f_(std::move(f)) {}
  void open() override { collector_ = std::make_unique<TimestampedCollector<OUT>>(&this->output()); }
  void processElement(const runtime::StreamRecord<IN>& r) override {
    collector_->setTimestamp(r.timestamp);
    f_(r.value, *collector_);
  }

 private:
  F f_;
  std::unique_ptr<TimestampedCollector<OUT>> collector_;
};

/// A timer service for non-keyed streams: time is readable, timers are refused as in Flink.
class NonKeyedTimerService final : public ReadOnlyTimerService {
 public:
  NonKeyedTimerService(runtime::ProcessingTimeService* pts, const Timestamp* watermark)
      : ReadOnlyTimerService("Setting timers is only supported on a keyed streams."), pts_(pts),
        watermark_(watermark) {}
  Timestamp currentProcessingTime() const override { return pts_->getCurrentProcessingTime(); }
  Timestamp currentWatermark() const override { return *watermark_; }

 private:
  runtime::ProcessingTimeService* pts_;
  const Timestamp* watermark_;
};

/// What every non-keyed operator running a rich process function needs: the runtime
/// context, a timer service that refuses timers, and the collector.
template <typename OUT>
class NonKeyedFunctionSupport {
 protected:
  void openSupport(const runtime::OperatorContext& ctx, runtime::Output<OUT>* out) {
    runtime_context_ = std::make_unique<RuntimeContext>(&ctx);
    timers_ = std::make_unique<NonKeyedTimerService>(ctx.processing_time, &watermark_);
    collector_ = std::make_unique<TimestampedCollector<OUT>>(out);
  }
  Timestamp watermark_ = kMinTimestamp;
  std::unique_ptr<RuntimeContext> runtime_context_;
  std::unique_ptr<NonKeyedTimerService> timers_;
  std::unique_ptr<TimestampedCollector<OUT>> collector_;
};

/// A one-input operator running a function `F` that may have operator state
/// (CheckpointedFunction) and hear about checkpoints (CheckpointListener): the four
/// checkpoint hooks every such operator forwards the same way.
template <typename IN, typename OUT, typename F>
class CheckpointedFunctionOperator : public runtime::OneInputStreamOperator<IN, OUT> {
 public:
  explicit CheckpointedFunctionOperator(F f) : f_(std::move(f)) {}
  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return checkpointed_.stash(restored, this->context().subtask_index, this->context().parallelism);
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t checkpoint_id) override {
    return checkpointed_.snapshot(f_, checkpoint_id, this->context().max_parallelism);
  }
  void notifyCheckpointComplete(int64_t checkpoint_id) override { checkpointed_.notifyComplete(f_, checkpoint_id); }
  void notifyCheckpointAborted(int64_t checkpoint_id) override { checkpointed_.notifyAborted(f_, checkpoint_id); }

 protected:
  /// In open(), once the function has its runtime context: restores its operator
  /// state (initializeState) and opens it.
  void initializeAndOpenFunction() {
    checkpointed_.initialize(f_);
    f_.open();
  }

  F f_;

 private:
  CheckpointedFunctionSupport checkpointed_;
};

/// Runs a ProcessFunction `F` on a non-keyed stream.
template <typename IN, typename OUT, typename F>
class ProcessOperator final : public CheckpointedFunctionOperator<IN, OUT, F>, private NonKeyedFunctionSupport<OUT> {
 public:
  explicit ProcessOperator(F f) : CheckpointedFunctionOperator<IN, OUT, F>(std::move(f)) {}
  void open() override {
    this->openSupport(this->context(), &this->output());
    ctx_ = std::make_unique<ProcessContextBase>(&this->context(), this->timers_.get());
    this->f_.setRuntimeContext(this->runtime_context_.get());
    this->initializeAndOpenFunction();
  }
  void close() override { this->f_.close(); }
  void processElement(const runtime::StreamRecord<IN>& r) override {
    ctx_->setTimestamp(r.timestamp);
    this->collector_->setTimestamp(r.timestamp);
    this->f_.processElement(r.value, *ctx_, *this->collector_);
  }
  void processWatermark(runtime::Watermark wm) override {
    this->watermark_ = wm.timestamp;
    this->emitWatermark(wm);
  }

 private:
  std::unique_ptr<ProcessContextBase> ctx_;
};

/// Flink's SinkFunction: invoked once per record; finish() at the end of input.
template <typename T>
class SinkFunction : public RichFunction {
 public:
  using InputType = T;
  struct Context {
    Timestamp timestamp = runtime::kNoTimestamp;
    Timestamp current_watermark = kMinTimestamp;
  };
  virtual void invoke(const T& value, const Context& ctx) = 0;
  /// Each watermark the sink receives (Flink's SinkFunction.writeWatermark).
  virtual void writeWatermark(Timestamp watermark) { (void)watermark; }
  virtual void finish() {}
};

template <typename T, typename F>
class StreamSink final : public CheckpointedFunctionOperator<T, T, F> {
 public:
  explicit StreamSink(F f) : CheckpointedFunctionOperator<T, T, F>(std::move(f)) {}
  void open() override {
    runtime_context_ = std::make_unique<RuntimeContext>(&this->context());
    this->f_.setRuntimeContext(runtime_context_.get());
    this->initializeAndOpenFunction();
  }
  void processElement(const runtime::StreamRecord<T>& r) override {
    ctx_.timestamp = r.timestamp;
    this->f_.invoke(r.value, ctx_);
  }
  void processWatermark(runtime::Watermark wm) override {
    ctx_.current_watermark = wm.timestamp;
    this->f_.writeWatermark(wm.timestamp);
  }
  void finish() override { this->f_.finish(); }
  void close() override { this->f_.close(); }

 private:
  typename SinkFunction<T>::Context ctx_;
  std::unique_ptr<RuntimeContext> runtime_context_;
};

}  // namespace eddy::operators
