#pragma once

#include <algorithm>
#include <string>
#include <unordered_map>

#include "eddy/core/check.h"
#include "eddy/core/clock.h"
#include "eddy/runtime/operator_metrics.h"
#include "eddy/runtime/output.h"
#include "eddy/runtime/processing_time_service.h"

namespace eddy::runtime {

/// What the runtime gives an operator instance (one parallel subtask of one operator).
struct OperatorContext {
  std::string operator_name;
  std::string task_name;  // "name (2/4)"
  int subtask_index = 0;
  int parallelism = 1;
  int max_parallelism = 128;
  ProcessingTimeService* processing_time = nullptr;
  OperatorMetrics* metrics = nullptr;
  /// Consumers of this operator's side outputs, by OutputTag id. Absent tags are dropped.
  std::unordered_map<std::string, OutputBase*> side_outputs;
};

/// The base of every stream operator. The lifecycle, all on the task thread:
/// setup -> open -> process* -> finish (end of input, may still emit) -> close.
/// Operators in a chain are opened from the tail to the head and finished from the
/// head to the tail, so each sees a ready consumer, as in Flink.
class StreamOperatorBase {
 public:
  virtual ~StreamOperatorBase() = default;

  void setup(OperatorContext context, OutputBase* output) {
    ctx_ = std::move(context);
    output_base_ = output;
    onSetup();
  }
  virtual void open() {}
  virtual void finish() {}
  virtual void close() {}

  /// One-input operators see the combined watermark of their input here; the default
  /// forwards it. Two-input operators get processWatermark1/2 instead.
  virtual void processWatermark(Watermark wm) { emitWatermark(wm); }
  virtual void processWatermarkStatus(WatermarkStatus status) {
    output_base_->emitWatermarkStatus(status);
  }

  const OperatorContext& context() const { return ctx_; }
  const std::string& name() const { return ctx_.operator_name; }

 protected:
  virtual void onSetup() {}

  void emitWatermark(Watermark wm) {
    ctx_.metrics->current_output_watermark.set(wm.timestamp);
    output_base_->emitWatermark(wm);
  }

  template <typename X>
  void outputSide(const OutputTag<X>& tag, const StreamRecord<X>& record) {
    auto it = ctx_.side_outputs.find(tag.getId());
    if (it != ctx_.side_outputs.end()) static_cast<Output<X>*>(it->second)->collect(record);
  }

  OperatorContext ctx_;
  OutputBase* output_base_ = nullptr;
};

/// An operator producing records of type OUT.
template <typename OUT>
class AbstractStreamOperator : public StreamOperatorBase {
 protected:
  Output<OUT>& output() { return *static_cast<Output<OUT>*>(output_base_); }
};

template <typename IN, typename OUT>
class OneInputStreamOperator : public AbstractStreamOperator<OUT> {
 public:
  using InputType = IN;
  using OutputType = OUT;
  virtual void processElement(const StreamRecord<IN>& record) = 0;
};

/// Two inputs; the operator's event time is the minimum of both inputs' watermarks.
template <typename IN1, typename IN2, typename OUT>
class TwoInputStreamOperator : public AbstractStreamOperator<OUT> {
 public:
  using Input1Type = IN1;
  using Input2Type = IN2;
  using OutputType = OUT;
  virtual void processElement1(const StreamRecord<IN1>& record) = 0;
  virtual void processElement2(const StreamRecord<IN2>& record) = 0;

  void processWatermark1(Watermark wm) { combine(wm.timestamp, input2_wm_, input1_wm_); }
  void processWatermark2(Watermark wm) { combine(wm.timestamp, input1_wm_, input2_wm_); }

 private:
  void combine(Timestamp incoming, Timestamp other, Timestamp& mine) {
    mine = incoming;
    Timestamp combined = std::min(mine, other);
    if (combined > combined_wm_) {
      combined_wm_ = combined;
      this->processWatermark(Watermark{combined});
    }
  }
  Timestamp input1_wm_ = kMinTimestamp;
  Timestamp input2_wm_ = kMinTimestamp;
  Timestamp combined_wm_ = kMinTimestamp;
};

}  // namespace eddy::runtime
